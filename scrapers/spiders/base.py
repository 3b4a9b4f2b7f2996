"""What every stepback spider shares: validated arguments, crawl start time, counted drops."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy import Request, Spider
from scrapy.http import Response

from scrapers.incremental import KnownFileError, KnownPostings, load_known
from scrapers.postings import PostingFields, new_posting
from scrapers.spiders.params import CrawlParams, SpiderArgumentError, parse_params


class PostingSpider(Spider):
    params_model: ClassVar[type[CrawlParams]] = CrawlParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args)
        self.params = parse_params(self.params_model, self.name, kwargs)
        self.source = self.params.source
        self.start_urls = list(self.params.urls)
        self.allowed_domains = self.params.allowed_domains
        self.scraped_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.known = self.load_known_postings()

    def load_known_postings(self) -> KnownPostings:
        try:
            return load_known(self.params.known)
        except KnownFileError as error:
            message = f"invalid arguments for spider {self.name}: known: {error}"
            raise SpiderArgumentError(message) from None

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse, dont_filter=True)

    def posting(self, **fields: Any) -> PostingFields:
        return new_posting(source=self.source, scraped_at=self.scraped_at, **fields)

    def drop(self, reason: str, response: Response, detail: str = "") -> None:
        """Count a drop as `drop/<spider>/<reason>` and say so on one line."""
        self.crawler.stats.inc_value(f"drop/{self.name}/{reason}")
        suffix = f": {detail}" if detail else ""
        self.logger.warning("dropped (%s) %s%s", reason, response.url, suffix)

    def count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"{self.name}/{key}")

    def skip_known(self, url: str) -> None:
        """Count a detail page left out because its posting is known unchanged."""
        self.crawler.stats.inc_value("incremental/skipped_known")
        self.logger.debug("skipped known posting %s", url)
