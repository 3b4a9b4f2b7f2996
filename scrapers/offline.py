"""Parse a saved page, API response or feed with a spider's own callbacks, no network.

`stepback parse FILE` uses this to show what a crawl would make of a page, and to replay a
parser fix over saved input. Each posting goes through the same validation as in a crawl.
A saved SmartRecruiters or Workday list page gives postings from its list fields only (the
crawl would read each detail too); a saved detail response gives the full posting.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from pydantic import ValidationError
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from scrapers.items import Posting
from scrapers.pipelines import invalid_field_reason, missing_field_reason
from scrapers.spiders.ashby import AshbySpider
from scrapers.spiders.base import PostingSpider
from scrapers.spiders.greenhouse import GreenhouseSpider
from scrapers.spiders.jsonld import JsonLdSpider
from scrapers.spiders.lever import LeverSpider
from scrapers.spiders.rss import RssSpider
from scrapers.spiders.smartrecruiters import SmartRecruitersSpider
from scrapers.spiders.workday import WorkdaySpider

SPIDERS: dict[str, type[PostingSpider]] = {
    "jsonld": JsonLdSpider,
    "greenhouse": GreenhouseSpider,
    "rss": RssSpider,
    "lever": LeverSpider,
    "ashby": AshbySpider,
    "smartrecruiters": SmartRecruitersSpider,
    "workday": WorkdaySpider,
}
RESPONSES = {"jsonld": HtmlResponse, "rss": XmlResponse}
QUIET = {"LOG_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False}

# Keys that only one JSON format has at its top level (or in its first job), checked in order.
_TOP_LEVEL_KEYS = [
    ("workday", ("jobPostings", "jobPostingInfo")),
    ("smartrecruiters", ("totalFound", "jobAd")),
    ("ashby", ("apiVersion",)),
]
_ASHBY_JOB_KEYS = ("jobUrl", "isListed", "descriptionHtml", "publishedAt")


def guess_kind(body: bytes) -> str:
    start = body.lstrip()[:200].lower()
    if start.startswith((b"{", b"[")):
        return guess_json_kind(body)
    if b"<rss" in start or b"<feed" in start:
        return "rss"
    return "jsonld"


def guess_json_kind(body: bytes) -> str:
    """Which API answered: Lever's bare array (or its error object), Ashby, SmartRecruiters
    (list or detail), Workday (list or detail); Greenhouse otherwise."""
    try:
        data = json.loads(body)
    except ValueError:
        return "greenhouse"
    if isinstance(data, list) or (isinstance(data, dict) and data.get("ok") is False):
        return "lever"
    if not isinstance(data, dict):
        return "greenhouse"
    for kind, keys in _TOP_LEVEL_KEYS:
        if any(key in data for key in keys):
            return kind
    jobs = data.get("jobs")
    first = jobs[0] if isinstance(jobs, list) and jobs else None
    if isinstance(first, dict) and any(key in first for key in _ASHBY_JOB_KEYS):
        return "ashby"
    return "greenhouse"


def parse_saved(
    body: bytes,
    *,
    url: str,
    kind: str | None = None,
    source: str | None = None,
    company: str | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Postings in a saved response, and a one-line reason for each one that was dropped.

    `company` fills the company when the format does not name one (for Lever and Ashby it
    also beats the name guessed from the URL, as the crawl's `-a company=...` does).
    """
    kind = kind or guess_kind(body)
    if kind not in SPIDERS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(SPIDERS)}")
    spider = _fresh_spider(kind, url=url, source=source, company=company)
    crawler = spider.crawler
    response = RESPONSES.get(kind, TextResponse)(url=url, body=body, encoding="utf-8")
    postings, dropped = _validated(_spider_output(spider, kind, response), company)
    stats = crawler.stats.get_stats()
    dropped += [f"{key.split('/')[-1]}: {url}" for key in sorted(stats) if key.startswith("drop/")]
    return postings, dropped


def _fresh_spider(
    kind: str, *, url: str, source: str | None, company: str | None
) -> PostingSpider:
    """A new spider (its own arguments and scrape time) on the kind's shared crawler.

    Building a crawler copies all of Scrapy's settings, most of a small parse's time, so one
    crawler per kind is kept and only its stats are reset; the spider is not connected to the
    crawler's signals, which an offline parse never sends. Not safe across threads.
    """
    spider_cls = SPIDERS[kind]
    args = {"source": source or f"{kind}:saved", "urls": url}
    if company and "company" in spider_cls.params_model.model_fields:
        args["company"] = company
    spider = spider_cls(**args)
    crawler = _crawler(kind)
    crawler.stats.clear_stats()
    spider.crawler = crawler
    spider.settings = crawler.settings
    return spider


@cache
def _crawler(kind: str) -> Crawler:
    return get_crawler(SPIDERS[kind], QUIET)


def _spider_output(spider: Any, kind: str, response: TextResponse) -> Iterable[Any]:
    if kind == "jsonld":
        return spider.postings_on_page(response)
    if hasattr(spider, "offline_postings"):
        return spider.offline_postings(response)
    return spider.parse(response)


def _validated(
    items: Iterable[Any], company: str | None
) -> tuple[list[dict[str, Any]], list[str]]:
    postings, dropped = [], []
    for item in items:
        if not isinstance(item, dict):
            continue  # a request for a next page or a detail: not followed offline
        if company and not item.get("company"):
            item["company"] = company
        reason = missing_field_reason(item)
        if reason is None:
            try:
                postings.append(Posting.model_validate(item).model_dump(mode="json"))
                continue
            except ValidationError as error:
                reason = invalid_field_reason(error)
        dropped.append(f"{reason}: {item.get('url') or item.get('source_id')}")
    return postings, dropped
