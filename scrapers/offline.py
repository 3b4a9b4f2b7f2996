"""Parse a saved page, API response or feed with a spider's own callbacks, no network.

`stepback parse FILE` uses this to show what a crawl would make of a page, and to replay a
parser fix over saved input. Each posting goes through the same validation as in a crawl.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from scrapers.items import Posting
from scrapers.pipelines import invalid_field_reason, missing_field_reason
from scrapers.spiders.greenhouse import GreenhouseSpider
from scrapers.spiders.jsonld import JsonLdSpider
from scrapers.spiders.rss import RssSpider

SPIDERS = {"jsonld": JsonLdSpider, "greenhouse": GreenhouseSpider, "rss": RssSpider}
RESPONSES = {"jsonld": HtmlResponse, "greenhouse": TextResponse, "rss": XmlResponse}
QUIET = {"LOG_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False}


def guess_kind(body: bytes) -> str:
    start = body.lstrip()[:200].lower()
    if start.startswith((b"{", b"[")):
        return "greenhouse"
    if b"<rss" in start or b"<feed" in start:
        return "rss"
    return "jsonld"


def parse_saved(
    body: bytes, *, url: str, kind: str | None = None, source: str | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Postings in a saved response, and a one-line reason for each one that was dropped."""
    kind = kind or guess_kind(body)
    if kind not in SPIDERS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(SPIDERS)}")
    spider_cls = SPIDERS[kind]
    crawler = get_crawler(spider_cls, QUIET)
    spider = spider_cls.from_crawler(crawler, source=source or f"{kind}:saved", urls=url)
    response = RESPONSES[kind](url=url, body=body, encoding="utf-8")
    raw = spider.postings_on_page(response) if kind == "jsonld" else spider.parse(response)
    postings, dropped = [], []
    for item in raw:
        if not isinstance(item, dict):
            continue
        reason = missing_field_reason(item)
        if reason is None:
            try:
                postings.append(Posting.model_validate(item).model_dump(mode="json"))
                continue
            except ValidationError as error:
                reason = invalid_field_reason(error)
        dropped.append(f"{reason}: {item.get('url') or item.get('source_id')}")
    stats = crawler.stats.get_stats()
    dropped += [f"{key.split('/')[-1]}: {url}" for key in sorted(stats) if key.startswith("drop/")]
    return postings, dropped
