"""smartrecruiters: the SmartRecruiters Posting API,
`https://api.smartrecruiters.com/v1/companies/{id}/postings?limit=100&offset=0`.

List pages are followed by `offset` until `totalFound`. Each listing is partial, so its detail
(`ref`, else `.../postings/{id}`) is requested for the job ad text, `postingUrl` and `active`,
unless `-a known=FILE` (scrapers.incremental) says the posting is landed and not re-released.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from scrapy import Request
from scrapy.http import Response

from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import location_from_parts, location_from_text
from scrapers.normalize.teams import production_from_team
from scrapers.normalize.text import clean_text, html_to_text
from scrapers.postings import PostingFields
from scrapers.spiders.json_api import (
    KEEP_404,
    JsonApiSpider,
    as_dict,
    as_int,
    label,
    path_after,
    query_int,
    text_id,
    with_query,
)

PUBLIC_SITE = "https://jobs.smartrecruiters.com"
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


class SmartRecruitersSpider(JsonApiSpider):
    name = "smartrecruiters"

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse, dont_filter=True, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1) -> Iterator[Request]:
        data = self.load_json(response)
        listings = self.listings_in(data, response)
        for listing in listings:
            if self.is_known(listing, response.url):
                continue
            yield Request(
                detail_url(listing, response.url), callback=self.parse_detail,
                errback=self.detail_failed, cb_kwargs={"listing": listing}, meta=KEEP_404,
            )
        yield from self.next_page(response, as_dict(data), len(listings), page)

    def is_known(self, listing: dict[str, Any], list_url: str) -> bool:
        """With `-a known=FILE`: the posting is landed and its releasedDate is no later."""
        return self.skip_if_known(
            text_id(listing.get("id")), listing.get("releasedDate"), detail_url(listing, list_url)
        )

    def listings_in(self, data: Any, response: Response) -> list[dict[str, Any]]:
        return self.listings(
            data, response, "content", "no_content", lambda item: bool(text_id(item.get("id")))
        )

    def next_page(
        self, response: Response, data: dict[str, Any], count: int, page: int
    ) -> Iterator[Request]:
        total = data.get("totalFound")
        offset = query_int(response.url, "offset") or as_int(data.get("offset")) or 0
        next_offset = offset + count
        if not count or not isinstance(total, int) or next_offset >= total:
            return
        if self.max_pages_reached(page):
            return
        url = with_query(response.url, offset=next_offset)
        yield Request(url, callback=self.parse, cb_kwargs={"page": page + 1})

    def parse_detail(
        self, response: Response, listing: dict[str, Any] | None = None
    ) -> Iterator[PostingFields]:
        detail = self.load_detail(response)
        if not isinstance(detail, dict) or not (detail.get("jobAd") or detail.get("name")):
            if detail is not None:
                self.drop("not_a_posting", response)
            return
        if detail.get("active") is False:
            self.drop("inactive", response, str(detail.get("id") or ""))
            return
        yield self.posting_from_job({**(listing or {}), **detail}, response.url)

    def offline_postings(self, response: Response) -> Iterator[PostingFields]:
        """A saved list page gives postings from its list fields; a saved detail, the posting."""
        data = self.load_json(response)
        if isinstance(data, dict) and "content" in data:
            for listing in self.listings_in(data, response):
                yield self.posting_from_job(listing, response.url)
        elif data is not None:
            yield from self.parse_detail(response)

    def posting_from_job(self, job: dict[str, Any], api_url: str) -> PostingFields:
        company = as_dict(job.get("company"))
        slug = company.get("identifier") or path_after(api_url, "companies")
        name = self.company_name(company.get("name"), slug)
        location = as_dict(job.get("location"))
        return self.posting(
            source_id=text_id(job.get("id")),
            url=job.get("postingUrl") or public_url(slug, job.get("id")),
            title=clean_text(job.get("name")),
            company=name,
            production=production_from_team(label(job.get("department")), company=name),
            location=_location(location),
            remote=location["remote"] if isinstance(location.get("remote"), bool) else None,
            employment_type=employment_type(label(job.get("typeOfEmployment"))),
            posted_at=to_iso(job.get("releasedDate")),
            description=job_ad_text(job.get("jobAd")),
            raw={
                "releasedDate": job.get("releasedDate"),
                "typeOfEmployment": label(job.get("typeOfEmployment")),
                "experienceLevel": label(job.get("experienceLevel")),
                "location": location or None,
                "refNumber": job.get("refNumber"),
            },
        )


def detail_url(listing: dict[str, Any], list_url: str) -> str:
    """`ref` when the listing has an absolute one, else `.../postings/{id}` on the list's host."""
    ref = listing.get("ref")
    if isinstance(ref, str) and urlsplit(ref).scheme in ("http", "https"):
        return ref
    parts = urlsplit(list_url)
    path = f"{parts.path.rstrip('/')}/{quote(str(listing['id']), safe='')}"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def public_url(slug: Any, posting_id: Any) -> str | None:
    if not isinstance(slug, str) or not text_id(posting_id):
        return None
    return f"{PUBLIC_SITE}/{quote(slug, safe='')}/{quote(str(posting_id), safe='')}"


def job_ad_text(job_ad: Any) -> str:
    """The job ad's sections in reading order, each under its own title."""
    sections = as_dict(as_dict(job_ad).get("sections"))
    parts: list[str | None] = []
    for key in SECTIONS:
        section = as_dict(sections.get(key))
        body = html_to_text(section.get("text"))
        if body:
            parts += [clean_text(section.get("title")), body]
    return "\n".join(part for part in parts if part)


def _location(location: dict[str, Any]) -> str | None:
    return location_from_parts(
        location.get("city"), location.get("region"), location.get("country")
    ) or location_from_text(location.get("fullLocation"))

