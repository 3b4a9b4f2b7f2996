"""Politeness middlewares, offline: retry delays, Retry-After, offsite redirects, oversize."""

import asyncio
from datetime import UTC, datetime
from time import monotonic

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from scrapers.middlewares import (
    NOT_BEFORE,
    OversizeMiddleware,
    PoliteRetryMiddleware,
    StayOnSiteMiddleware,
    retry_after_seconds,
)

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


def crawler_with_spider(settings=None, **spider_attributes):
    crawler = get_crawler(Spider, settings or {})
    crawler.spider = Spider.from_crawler(crawler, name="test", **spider_attributes)
    return crawler


@pytest.fixture
def retry():
    settings = {"RETRY_TIMES": 3, "RETRY_BACKOFF_BASE": 1.0, "RETRY_BACKOFF_MAX": 5.0,
                "RETRY_AFTER_MAX": 120.0}
    return PoliteRetryMiddleware.from_crawler(crawler_with_spider(settings))


def answer(status, url="http://board.example/jobs/1/", meta=None, **headers):
    request = Request(url, meta=meta or {})
    return request, Response(url, status=status, headers=headers, request=request)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (b" 120 ", 120.0),
        ("Thu, 26 Nov 2026 12:00:30 GMT", 30.0),
        ("Thu, 26 Nov 2026 11:59:00 GMT", 0.0),
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_retry_after_header(header, seconds):
    assert retry_after_seconds(header, now=NOW) == seconds


def test_429_with_retry_after_delays_the_retry_and_pauses_the_host(retry):
    request, response = answer(429, **{"Retry-After": "7"})
    started = monotonic()
    again = retry.process_response(request, response)
    assert isinstance(again, Request)
    assert again.meta[NOT_BEFORE] - started == pytest.approx(7, abs=0.5)
    assert retry.host_free_at["board.example"] == again.meta[NOT_BEFORE]
    stats = retry.crawler.stats
    assert stats.get_value("retry/delayed/retry_after") == 1
    assert stats.get_value("retry/max_delay_seconds") == 7.0


def test_retry_after_is_capped(retry):
    request, response = answer(503, **{"Retry-After": "3600"})
    again = retry.process_response(request, response)
    assert again.meta[NOT_BEFORE] - monotonic() == pytest.approx(120, abs=0.5)
    assert retry.crawler.stats.get_value("retry/retry_after_capped") == 1


def test_500_backs_off_exponentially_without_pausing_the_host(retry):
    delays = []
    request = Request("http://board.example/jobs/2/")
    for _ in range(3):
        response = Response(request.url, status=500, request=request)
        request = retry.process_response(request, response)
        delays.append(round(request.meta[NOT_BEFORE] - monotonic()))
    assert delays == [1, 2, 4]
    assert retry.host_free_at == {}
    assert retry.crawler.stats.get_value("retry/delayed/backoff") == 3


def test_backoff_is_capped_and_retries_run_out(retry):
    request = Request("http://board.example/jobs/3/", meta={"retry_times": 3})
    response = Response(request.url, status=502, request=request)
    assert retry.process_response(request, response) is response
    retry.backoff_base = 4.0
    again = retry.process_response(
        Request(request.url, meta={"retry_times": 2}), response
    )
    assert again.meta[NOT_BEFORE] - monotonic() == pytest.approx(5, abs=0.5)


def test_exceptions_are_retried_with_backoff(retry):
    request = Request("http://board.example/jobs/4/")
    again = retry.process_exception(request, DownloadTimeoutError("took too long"))
    assert again.meta[NOT_BEFORE] - monotonic() == pytest.approx(1, abs=0.5)


def test_success_passes_through(retry):
    request, response = answer(200)
    assert retry.process_response(request, response) is response


def test_requests_wait_for_their_host(retry):
    retry.host_free_at["board.example"] = monotonic() + 0.3
    started = monotonic()
    asyncio.run(retry.process_request(Request("http://board.example/jobs/5/")))
    assert monotonic() - started >= 0.25
    started = monotonic()
    asyncio.run(retry.process_request(Request("http://other.example/")))
    assert monotonic() - started < 0.1


def test_offsite_redirect_is_stopped_even_for_dont_filter_requests():
    crawler = crawler_with_spider(allowed_domains=["board.example"])
    offsite = StayOnSiteMiddleware.from_crawler(crawler)
    offsite.spider_opened(crawler.spider)
    redirected = Request(
        "http://elsewhere.example/jobs/9/", dont_filter=True,
        meta={"redirect_urls": ["http://board.example/jobs/9/"]},
    )
    with pytest.raises(IgnoreRequest):
        offsite.process_request(redirected)
    assert offsite.process_request(Request("http://jobs.board.example/", dont_filter=True)) is None
    with pytest.raises(IgnoreRequest):
        offsite.process_request(Request("http://elsewhere.example/start", dont_filter=True))
    assert crawler.stats.get_value("offsite/redirect_filtered") == 1
    assert crawler.stats.get_value("offsite/filtered") == 2


def test_oversize_download_is_counted_and_ignored():
    crawler = crawler_with_spider()
    oversize = OversizeMiddleware.from_crawler(crawler)
    request = Request("http://board.example/huge/")
    error = DownloadCancelledError("Received 30000 bytes which is larger than download max size")
    with pytest.raises(IgnoreRequest):
        oversize.process_exception(request, error)
    assert oversize.process_exception(request, DownloadTimeoutError("slow")) is None
    assert crawler.stats.get_value("download/too_large") == 1
