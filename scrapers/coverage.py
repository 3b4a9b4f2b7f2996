"""Count, per field, how many scraped postings carry a value: stats `coverage/<field>`.

The crawl runner divides these by `item_scraped_count` and compares the shares with the
source's last successful run, so a site redesign that silently loses a field fails the crawl.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

# "pay" stands for pay_min or pay_max; every other name is a Posting field.
COVERAGE_FIELDS = (
    "title", "company", "location", "pay", "posted_at", "employment_type", "description",
    "production", "remote", "union",
)
PAY_FIELDS = ("pay_min", "pay_max")


class FieldCoverage:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FieldCoverage:
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        """Start every counter at 0 so a field no posting has still shows up in the stats."""
        for name in COVERAGE_FIELDS:
            self.stats.set_value(f"coverage/{name}", 0)
        self.stats.set_value("item_scraped_count", self.stats.get_value("item_scraped_count", 0))

    def item_scraped(self, item: Any, spider: Spider) -> None:
        for name in covered_fields(ItemAdapter(item)):
            self.stats.inc_value(f"coverage/{name}")


def covered_fields(item: ItemAdapter) -> list[str]:
    names = [name for name in COVERAGE_FIELDS if name != "pay" and has_value(item.get(name))]
    if any(has_value(item.get(name)) for name in PAY_FIELDS):
        names.append("pay")
    return names


def has_value(value: Any) -> bool:
    """None and blank text are empty; False (not remote, non-union) and 0 (unpaid) are values."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None
