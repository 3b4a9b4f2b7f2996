"""jsonld: job boards whose detail pages carry schema.org JobPosting JSON-LD.

Start URLs are listing pages. Detail links (`a.job-link`, else same-site links below the
listing's path) are followed, and so is `rel="next"` pagination up to `max_pages`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from scrapers.jsonld import job_postings, load_block
from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import location_from_schema
from scrapers.normalize.pay import pay_from_schema
from scrapers.normalize.remote import is_remote
from scrapers.normalize.text import clean_text, html_to_text
from scrapers.postings import PostingFields, pay_fields
from scrapers.spiders.base import PostingSpider

DETAIL_LINKS = "a.job-link::attr(href), a[data-job-link]::attr(href)"
NEXT_LINKS = "a[rel~=next]::attr(href), link[rel~=next]::attr(href)"
JSONLD_SCRIPTS = "script[type*='ld+json']"


class JsonLdSpider(PostingSpider):
    name = "jsonld"

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse, dont_filter=True, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1) -> Iterator[Request | PostingFields]:
        """A listing page: its own postings if any, detail links, then the next page."""
        if not isinstance(response, TextResponse):
            self.drop("not_text", response)
            return
        yield from self.postings_on_page(response)
        for url in detail_links(response):
            yield response.follow(url, callback=self.parse_detail)
        yield from self.next_page(response, page)

    def parse_detail(self, response: Response) -> Iterator[PostingFields]:
        if not isinstance(response, TextResponse):
            self.drop("not_text", response)
            return
        postings = list(self.postings_on_page(response))
        if not postings:
            self.count("pages_without_jobposting")
        yield from postings

    def postings_on_page(self, response: TextResponse) -> Iterator[PostingFields]:
        for script in response.css(JSONLD_SCRIPTS):
            try:
                data = load_block("".join(script.xpath("text()").getall()))
            except ValueError as error:
                self.drop("broken_json", response, str(error))
                continue
            for job in job_postings(data):
                yield self.posting_from_job(job, response)

    def posting_from_job(self, job: dict[str, Any], response: TextResponse) -> PostingFields:
        url = _page_url(job.get("url"), response)
        location = location_from_schema(job.get("jobLocation"))
        pay = pay_from_schema(job.get("baseSalary"), job.get("salaryCurrency")) or pay_from_schema(
            job.get("estimatedSalary"), job.get("salaryCurrency")
        )
        return self.posting(
            source_id=_identifier(job.get("identifier")) or url,
            url=url,
            title=clean_text(job.get("title") or job.get("name")),
            company=_organisation_name(job.get("hiringOrganization")),
            location=location,
            remote=is_remote(job.get("jobLocationType"), location),
            employment_type=employment_type(job.get("employmentType")),
            posted_at=to_iso(job.get("datePosted")),
            valid_through=to_iso(job.get("validThrough")),
            description=html_to_text(job.get("description")),
            **pay_fields(pay),
        )

    def next_page(self, response: TextResponse, page: int) -> Iterator[Request]:
        next_url = response.css(NEXT_LINKS).get()
        if not next_url:
            return
        if self.params.max_pages is not None and page >= self.params.max_pages:
            self.count("max_pages_reached")
            return
        yield response.follow(next_url, callback=self.parse, cb_kwargs={"page": page + 1})


def detail_links(response: TextResponse) -> list[str]:
    """Marked job links; failing those, same-site links that go deeper than the listing path."""
    marked = response.css(DETAIL_LINKS).getall()
    if marked:
        return [response.urljoin(href.strip()) for href in marked if href.strip()]
    listing = urlsplit(response.url)
    base_path = listing.path if listing.path.endswith("/") else listing.path.rsplit("/", 1)[0] + "/"
    next_urls = {response.urljoin(href) for href in response.css(NEXT_LINKS).getall()}
    links: list[str] = []
    for href in response.css("a[href]::attr(href)").getall():
        url = response.urljoin(href.strip()).split("#", 1)[0]
        parts = urlsplit(url)
        deeper = parts.path.startswith(base_path) and len(parts.path) > len(base_path)
        if parts.hostname == listing.hostname and deeper and url not in next_urls:
            links.append(url)
    return list(dict.fromkeys(links))


def _page_url(value: Any, response: TextResponse) -> str:
    if isinstance(value, str) and value.strip():
        url = response.urljoin(value.strip())
        if urlsplit(url).scheme in ("http", "https"):
            return url
    return response.url


def _identifier(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("value") or value.get("@id") or value.get("name")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text or None


def _organisation_name(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("legalName")
    return clean_text(value)
