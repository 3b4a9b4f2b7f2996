"""The crawl_demo baseline: fetch the pages the jsonld spider fetches and parse nothing.

Run with `scrapy runspider`. It follows the same detail and next-page links as the jsonld
spider (the same link extraction) but reads no JSON-LD, builds no postings and exports nothing;
it only counts the detail pages as `bench/detail_pages`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse

from scrapers.listings import NEXT_LINKS, detail_links


class FetchOnlySpider(Spider):
    name = "fetch_only"

    def __init__(self, urls: str = "", max_pages: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [url for url in urls.split(",") if url]
        self.max_pages = int(max_pages) if max_pages else None

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse, dont_filter=True, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            return
        for url in detail_links(response):
            yield response.follow(url, callback=self.fetched)
        next_url = response.css(NEXT_LINKS).get()
        if next_url and (self.max_pages is None or page < self.max_pages):
            yield response.follow(next_url, callback=self.parse, cb_kwargs={"page": page + 1})

    def fetched(self, response: Response) -> None:
        self.crawler.stats.inc_value("bench/detail_pages")
