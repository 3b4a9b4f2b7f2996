"""Shared fixtures for the classifier tests: one trained model per session."""

from __future__ import annotations

from typing import Any

import pytest

from models.training import TrainedModel, train

AP_PROFILE = {"title": "Associate Producer", "departments": ["unscripted", "live events"]}
OSCARS = "Academy of Motion Picture Arts and Sciences"


def job(
    title: str,
    company: str | None = None,
    production: str | None = None,
    description: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """A posting in the posting contract with only what a test cares about filled in."""
    posting: dict[str, Any] = {
        "source": "test",
        "source_id": title,
        "url": "https://jobs.example.com/1",
        "title": title,
        "company": company,
        "production": production,
        "location": "Los Angeles, CA",
        "remote": False,
        "employment_type": "temporary",
        "pay_min": 20,
        "pay_max": 22,
        "pay_currency": "USD",
        "pay_unit": "hour",
        "union": None,
        "posted_at": None,
        "valid_through": None,
        "description": description,
        "scraped_at": "2026-11-26T00:00:00Z",
    }
    posting.update(extra)
    return posting


@pytest.fixture(scope="session")
def trained() -> TrainedModel:
    return train()
