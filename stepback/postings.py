"""The posting contract (DESIGN.md) as the warehouse side sees it: fields, identity, change."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

FIELDS = [
    "source", "source_id", "url", "title", "company", "production", "location", "remote",
    "employment_type", "pay_min", "pay_max", "pay_currency", "pay_unit", "union", "posted_at",
    "valid_through", "description", "scraped_at",
]
TEXT_FIELDS = [
    "source", "source_id", "url", "title", "company", "production", "location",
    "employment_type", "pay_currency", "pay_unit", "posted_at", "valid_through", "description",
    "scraped_at",
]
BOOL_FIELDS = ["remote", "union"]
NUMBER_FIELDS = ["pay_min", "pay_max"]
# When a posting was scraped is not part of what it says.
VOLATILE_FIELDS = {"scraped_at"}
COMPANY_SUFFIXES = re.compile(
    r"\b(inc|llc|ltd|co|corp|corporation|company|the|studios?|productions?|entertainment|"
    r"films?|media|group|network|pictures)\b"
)


def content_hash(posting: dict[str, Any]) -> str:
    """A fingerprint of what the posting says; it changes only when the content does."""
    stable = {k: posting.get(k) for k in FIELDS if k not in VOLATILE_FIELDS}
    encoded = json.dumps(stable, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]


def _normalise(text: str | None) -> str:
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()


def job_key(posting: dict[str, Any]) -> str:
    """The identity of a real job across sources: normalised company and title.

    The same job on a studio's ATS and on a board differs in punctuation, case and company
    suffixes ("A24" vs "A24 Films"); those are folded away here.
    """
    company = re.sub(r"\s+", " ", COMPANY_SUFFIXES.sub(" ", _normalise(posting.get("company"))))
    title = _normalise(posting.get("title"))
    basis = f"{company.strip()}|{title}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
