import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from scrapers.items import POSTING_FIELDS, Posting
from scrapers.pipelines import ValidatePostingPipeline
from scrapers.postings import new_posting

CONTRACT_FIELDS = (
    "source", "source_id", "url", "title", "company", "production", "location", "remote",
    "employment_type", "pay_min", "pay_max", "pay_currency", "pay_unit", "union", "posted_at",
    "valid_through", "description", "scraped_at", "raw",
)


def fields(**overrides):
    return new_posting(
        source="jsonld:demo-board", source_id="1041", url="https://board.example/jobs/1041/",
        title="Production Assistant – 98th Oscars", description="Rate: $250/12. IATSE show.",
        scraped_at="2026-11-26T12:00:00+00:00", **overrides,
    )


@pytest.fixture
def pipeline():
    return ValidatePostingPipeline.from_crawler(get_crawler())


def test_posting_has_the_contract_fields_in_order_then_raw():
    assert POSTING_FIELDS == CONTRACT_FIELDS


def test_valid_item_becomes_a_posting(pipeline):
    posting = pipeline.process_item(fields(company="Dick Clark Productions"))
    assert isinstance(posting, Posting)
    assert posting.model_dump() == {
        "source": "jsonld:demo-board", "source_id": "1041", "url": "https://board.example/jobs/1041/",
        "title": "Production Assistant – 98th Oscars", "company": "Dick Clark Productions",
        "production": "98th Oscars", "location": None, "remote": None, "employment_type": None,
        "pay_min": 250, "pay_max": 250, "pay_currency": "USD", "pay_unit": "day", "union": True,
        "posted_at": None, "valid_through": None, "description": "Rate: $250/12. IATSE show.",
        "scraped_at": "2026-11-26T12:00:00+00:00", "raw": {},
    }


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"title": None}, "missing_title"),
        ({"title": "   "}, "missing_title"),
        ({"url": None}, "missing_url"),
        ({"source_id": ""}, "missing_source_id"),
        ({"url": "javascript:void(0)"}, "invalid_url"),
        ({"employment_type": "gig"}, "invalid_employment_type"),
        ({"pay_currency": "$"}, "invalid_pay_currency"),
        ({"pay_min": -3}, "invalid_pay_min"),
    ],
)
def test_bad_items_are_dropped_and_counted(pipeline, overrides, reason):
    item = fields()
    item.update(overrides)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(item)
    assert pipeline.stats.get_value(f"drop/{reason}") == 1


def test_new_posting_refuses_unknown_fields():
    with pytest.raises(TypeError, match="salary"):
        new_posting(salary=3)


def test_new_posting_keeps_what_the_source_said():
    item = fields(production="The Oscars", pay_min=300, union=False, remote=True)
    assert (item["production"], item["pay_min"], item["pay_unit"]) == ("The Oscars", 300, None)
    assert (item["union"], item["remote"]) == (False, True)
