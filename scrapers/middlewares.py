"""Downloader middlewares for polite crawling.

- PoliteRetryMiddleware: Scrapy's retries, each one delayed. On 429 and 503 the server's
  `Retry-After` (seconds or HTTP date, capped at RETRY_AFTER_MAX) decides the delay, else
  exponential backoff (RETRY_BACKOFF_BASE doubled per retry, at most RETRY_BACKOFF_MAX). After
  a 429 or 503 every request to that host waits, not only the retry. Scrapy 2.19 retries at
  once and ignores Retry-After (scrapy/scrapy#3849), hence this.
- StayOnSiteMiddleware: Scrapy's offsite filter, but also for requests that skip it with
  `dont_filter` (start URLs, retries), so a redirect off the source's domains is never followed.
- OversizeMiddleware: a page over DOWNLOAD_MAXSIZE is counted and dropped quietly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import TYPE_CHECKING, Self

from scrapy import Request
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

HOST_BUSY_CODES = frozenset({429, 503})
NOT_BEFORE = "stepback_not_before"


class PoliteRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.host_free_at: dict[str, float] = {}

    async def process_request(self, request: Request) -> None:
        """Hold a request until its host's pause and its own retry delay are over."""
        host = urlparse_cached(request).hostname or ""
        wait = max(self.host_free_at.get(host, 0.0), request.meta.get(NOT_BEFORE, 0.0))
        if wait > monotonic():
            await sleep(wait - monotonic())

    def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            self.delay(result, self.retry_delay(response, result), busy=response.status)
        return result

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("retry/delayed/backoff")
            self.delay(result, self.backoff(result))
        return result

    def retry_delay(self, response: Response, retry: Request) -> float:
        stats = self.crawler.stats
        assert stats is not None
        asked = None
        if response.status in HOST_BUSY_CODES:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is None:
            stats.inc_value("retry/delayed/backoff")
            return self.backoff(retry)
        stats.inc_value("retry/delayed/retry_after")
        if asked > self.retry_after_max:
            stats.inc_value("retry/retry_after_capped")
        return min(asked, self.retry_after_max)

    def backoff(self, retry: Request) -> float:
        retries = max(1, int(retry.meta.get("retry_times", 1)))
        return min(self.backoff_base * 2 ** (retries - 1), self.backoff_max)

    def delay(self, retry: Request, seconds: float, busy: int | None = None) -> None:
        due = monotonic() + seconds
        retry.meta[NOT_BEFORE] = due
        if busy in HOST_BUSY_CODES:
            host = urlparse_cached(retry).hostname or ""
            self.host_free_at[host] = max(self.host_free_at.get(host, 0.0), due)
        assert self.crawler.stats is not None
        self.crawler.stats.max_value("retry/max_delay_seconds", round(seconds, 3))


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header: delay-seconds or an HTTP date."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class StayOnSiteMiddleware(OffsiteMiddleware):
    """Counts `offsite/redirect_filtered` for redirects it stops, beside `offsite/filtered`."""

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        assert spider is not None
        if request.meta.get("allow_offsite") or self.should_follow(request, spider):
            return
        if request.meta.get("redirect_urls"):
            self.stats.inc_value("offsite/redirect_filtered")
        super().process_request(request.replace(dont_filter=False))


class OversizeMiddleware:
    """Turns a download cancelled for DOWNLOAD_MAXSIZE into a counted `download/too_large`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, DownloadCancelledError) and "max size" in str(exception):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("download/too_large")
            raise IgnoreRequest(f"larger than DOWNLOAD_MAXSIZE: {request.url}")
