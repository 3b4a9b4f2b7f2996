"""Sample digest data; the real SMTP server fixtures live in tests/conftest.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest

from stepback.digest import DigestItem, Subscriber, render_digest

DIGEST_DATE = datetime.date(2026, 11, 26)
SENDER = "stepback digest <digest@stepback.example>"


def _subscriber(**changes: Any) -> Subscriber:
    fields: dict[str, Any] = {
        "name": "Andrea Ruiz",
        "email": "andrea@example.com",
        "title": "Associate Producer",
        "departments": ("unscripted", "live events"),
    }
    return Subscriber(**(fields | changes))


def _item(number: int, **changes: Any) -> DigestItem:
    fields: dict[str, Any] = {
        "source": "jsonld:demo-board",
        "source_id": f"job-{number}",
        "title": f"Production Assistant {number}",
        "url": f"https://jobs.example.com/postings/{number}",
        "company": f"Studio {number}",
        "production": f"Show {number}",
        "location": "Los Angeles, CA",
        "remote": False,
        "pay_min": 250,
        "pay_max": 250,
        "pay_currency": "USD",
        "pay_unit": "day",
        "posted_at": "2026-11-24T09:30:00Z",
        "score": 0.9,
        "level_gap": 2,
        "prestige": 0.8,
        "reasons": [f"Reason A for item {number}.", f"Reason B for item {number}."],
    }
    return DigestItem(**(fields | changes))


@pytest.fixture
def make_subscriber() -> Callable[..., Subscriber]:
    """Andrea, an associate producer; keyword arguments replace fields."""
    return _subscriber


@pytest.fixture
def make_item() -> Callable[..., DigestItem]:
    """Posting number N with distinct title, URL, company and reasons; keywords replace fields."""
    return _item


@pytest.fixture
def render() -> Callable[..., EmailMessage]:
    """render_digest with the test date and sender."""

    def run(subscriber: Subscriber, items: list[DigestItem], **options: Any) -> EmailMessage:
        return render_digest(subscriber, items, digest_date=DIGEST_DATE, sender=SENDER, **options)

    return run
