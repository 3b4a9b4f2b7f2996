"""jsonld: job boards whose detail pages carry schema.org JobPosting JSON-LD (or microdata).

Start URLs are listing pages. Detail links (`a.job-link`, else same-site links below the
listing's path) are followed, and so is `rel="next"` pagination up to `max_pages`.

With `-a known=FILE` (see scrapers.incremental) a detail page is not fetched when the listing
card's id or link is known and its date is not newer, and paging stops at a listing page that
holds only known postings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from scrapy import Request
from scrapy.http import Response, TextResponse

from scrapers.listings import NEXT_LINKS, ListedJob, detail_links, listed_jobs
from scrapers.postings import PostingFields
from scrapers.spiders.detail import DetailPageSpider

__all__ = ["JsonLdSpider", "detail_links"]


class JsonLdSpider(DetailPageSpider):
    name = "jsonld"

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse, dont_filter=True, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1) -> Iterator[Request | PostingFields]:
        """A listing page: its own JSON-LD postings if any, new detail links, the next page."""
        if not isinstance(response, TextResponse):
            self.drop("not_text", response)
            return
        for job in self.jsonld_jobs(response):
            yield self.posting_from_job(job, response)
        jobs = listed_jobs(response)
        new = [job for job in jobs if not self.is_known(job)]
        for job in new:
            yield response.follow(job.url, self.parse_detail, cb_kwargs={"seen": job.seen()})
        if jobs and not new:
            self.crawler.stats.inc_value("incremental/stopped_paging")
            self.logger.info("stopped paging at %s: every posting on it is known", response.url)
            return
        yield from self.next_page(response, page)

    def is_known(self, job: ListedJob) -> bool:
        if not self.known.unchanged(source_id=job.job_id, url=job.url, listed=job.listed):
            return False
        self.skip_known(job.url)
        return True

    def next_page(self, response: TextResponse, page: int) -> Iterator[Request]:
        next_url = response.css(NEXT_LINKS).get()
        if not next_url:
            return
        if self.params.max_pages is not None and page >= self.params.max_pages:
            self.count("max_pages_reached")
            return
        yield response.follow(next_url, callback=self.parse, cb_kwargs={"page": page + 1})
