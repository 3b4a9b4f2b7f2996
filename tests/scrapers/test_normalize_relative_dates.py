"""Relative posting dates ("Posted Yesterday") counted back from the crawl's start."""

from datetime import UTC, date, datetime

import pytest

from scrapers.normalize.relative_dates import days_ago, relative_date

CRAWL = "2026-11-20T18:00:00+00:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Posted Today", "2026-11-20"),
        ("Just posted", "2026-11-20"),
        ("Posted 5 hours ago", "2026-11-20"),
        ("Posted Yesterday", "2026-11-19"),
        ("Posted 3 Days Ago", "2026-11-17"),
        ("Posted 1 Day Ago", "2026-11-19"),
        ("Posted 30+ Days Ago", "2026-10-21"),  # the latest date it can mean
        ("posted a week ago", "2026-11-13"),
        ("2 weeks ago", "2026-11-06"),
        ("Posted 2 months ago", "2026-09-21"),
    ],
)
def test_relative_dates(text, expected):
    assert relative_date(text, CRAWL) == expected


@pytest.mark.parametrize("now", [CRAWL, datetime(2026, 11, 20, 18, tzinfo=UTC),
                                 date(2026, 11, 20)])
def test_anchor_kinds(now):
    assert relative_date("Posted Yesterday", now) == "2026-11-19"


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("2026-11-01", CRAWL), ("Posted recently", CRAWL), (None, CRAWL), (7, CRAWL),
        ("Posted Today", None), ("Posted Today", "not a date"), ("Posted Today", 1234),
        ("Posted 99999999999 Days Ago", CRAWL),
    ],
)
def test_unknown_text_or_anchor_gives_none(text, now):
    assert relative_date(text, now) is None


def test_days_ago():
    assert days_ago("Posted 30+ Days Ago") == 30
    assert days_ago("Posted Today") == 0
    assert days_ago("Closing soon") is None
