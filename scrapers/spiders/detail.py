"""Job detail pages: schema.org JobPosting from JSON-LD, else from microdata.

Shared by the spiders that find detail pages (jsonld from listings, sitemap from sitemaps).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response, TextResponse

from scrapers.jobposting import posting_fields
from scrapers.jsonld import job_postings, load_block
from scrapers.microdata import microdata_items
from scrapers.postings import PostingFields
from scrapers.spiders.base import PostingSpider

JSONLD_SCRIPTS = "script[type*='ld+json']"


class DetailPageSpider(PostingSpider):
    def parse_detail(
        self, response: Response, seen: dict[str, str] | None = None
    ) -> Iterator[PostingFields]:
        """A detail page's postings; `seen` is what the listing or sitemap showed (kept raw)."""
        if not isinstance(response, TextResponse):
            self.drop("not_text", response)
            return
        postings = list(self.postings_on_page(response, seen))
        if not postings:
            self.count("pages_without_jobposting")
        yield from postings

    def postings_on_page(
        self, response: TextResponse, seen: dict[str, str] | None = None
    ) -> Iterator[PostingFields]:
        """JSON-LD JobPostings; microdata ones only when the page has no JSON-LD JobPosting."""
        jobs = self.jsonld_jobs(response)
        if not jobs:
            jobs = microdata_jobs(response)
            if jobs:
                self.count("microdata_pages")
        for job in jobs:
            yield self.posting_from_job(job, response, seen)

    def jsonld_jobs(self, response: TextResponse) -> list[dict[str, Any]]:
        """JobPostings in every JSON-LD block; a broken block is counted and skipped."""
        jobs: list[dict[str, Any]] = []
        for script in response.css(JSONLD_SCRIPTS):
            try:
                data = load_block("".join(script.xpath("text()").getall()))
            except ValueError as error:
                self.drop("broken_json", response, str(error))
                continue
            jobs += job_postings(data)
        return jobs

    def posting_from_job(
        self, job: dict[str, Any], response: TextResponse, seen: dict[str, str] | None = None
    ) -> PostingFields:
        fields = posting_fields(job, response.url)
        fields["raw"] = {**fields["raw"], **(seen or {})}
        return self.posting(**fields)


def microdata_jobs(response: TextResponse) -> list[dict[str, Any]]:
    return job_postings(microdata_items(response.selector))
