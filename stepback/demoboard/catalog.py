"""The demo board's postings, how to look them up, and the URLs each channel gives them."""

import copy
import json
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

Posting = dict[str, Any]

HTML_CHANNEL = "html"
GREENHOUSE_TOKENS = ("a24", "dickclarkproductions")
RSS_FEEDS = {
    "ecnjcat112": "Film & TV Production",
    "ecnjcat127": "Assistant",
    "ecnjcat124": "Theatre/Live Events",
}
CHANNELS = (
    HTML_CHANNEL,
    *(f"greenhouse:{token}" for token in GREENHOUSE_TOKENS),
    *(f"rss:{feed}" for feed in RSS_FEEDS),
)
# Greenhouse numbers its job posts and jobs in ranges of its own; derive both from our id.
_GREENHOUSE_POST_BASE = 4_100_000_000
_GREENHOUSE_JOB_BASE = 3_200_000_000


@cache
def _stored_postings() -> tuple[Posting, ...]:
    text = (
        resources.files("stepback.demoboard").joinpath("postings.json").read_text(encoding="utf-8")
    )
    return tuple(json.loads(text))


def load_postings() -> list[Posting]:
    """Return the raw demo records (a fresh copy each call)."""
    return copy.deepcopy(list(_stored_postings()))


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def posted_at(posting: Posting) -> datetime:
    return datetime.fromisoformat(posting["date_posted"])


def newest_first(postings: Iterable[Posting]) -> list[Posting]:
    return sorted(postings, key=lambda p: (posted_at(p), int(p["id"])), reverse=True)


def detail_path(posting: Posting) -> str:
    return f"/jobs/{posting['id']}/{slugify(posting['title'])}/"


def ecn_path(posting: Posting) -> str:
    """EntertainmentCareers.net-style job URL path: /{company}/{title}/job/{id}/."""
    return f"/{slugify(posting['company'])}/{slugify(posting['title'])}/job/{posting['id']}/"


def greenhouse_id(posting: Posting) -> int:
    return _GREENHOUSE_POST_BASE + int(posting["id"])


def greenhouse_job_id(posting: Posting) -> int:
    return _GREENHOUSE_JOB_BASE + int(posting["id"])


def has_board_page(posting: Posting) -> bool:
    """The board shows a detail page for postings it lists or puts in a feed."""
    return any(c == HTML_CHANNEL or c.startswith("rss:") for c in posting["channels"])


class Catalog:
    """Postings sorted newest first, with lookups by board id and by Greenhouse id."""

    def __init__(self, postings: Iterable[Posting]) -> None:
        self.postings = newest_first(postings)
        self._by_id = {p["id"]: p for p in self.postings}
        self._by_greenhouse_id = {greenhouse_id(p): p for p in self.postings}

    def on_channel(self, channel: str) -> list[Posting]:
        return [p for p in self.postings if channel in p["channels"]]

    def get(self, posting_id: str) -> Posting | None:
        return self._by_id.get(posting_id)

    def get_greenhouse(self, token: str, post_id: int) -> Posting | None:
        posting = self._by_greenhouse_id.get(post_id)
        if posting is None or f"greenhouse:{token}" not in posting["channels"]:
            return None
        return posting


def default_catalog() -> Catalog:
    return Catalog(load_postings())
