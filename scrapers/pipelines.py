"""Item pipeline: validate each posting against the contract; drop and count what fails."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from pydantic import ValidationError
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from scrapers.items import Posting

REQUIRED = ("source", "source_id", "url", "title")


class ValidatePostingPipeline:
    """Turns spider output into a Posting; counts every drop as `drop/<reason>`."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePostingPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Posting:
        fields = ItemAdapter(item).asdict()
        reason = missing_field_reason(fields)
        if reason is None:
            try:
                return Posting.model_validate(fields)
            except ValidationError as error:
                reason = invalid_field_reason(error)
        self.stats.inc_value(f"drop/{reason}")
        raise DropItem(f"{reason}: {fields.get('url') or fields.get('source_id')}")


def missing_field_reason(fields: dict[str, Any]) -> str | None:
    for name in REQUIRED:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return f"missing_{name}"
    return None


def invalid_field_reason(error: ValidationError) -> str:
    location = error.errors()[0]["loc"]
    return f"invalid_{location[0]}" if location else "invalid_item"
