"""The posting contract (DESIGN.md) as the warehouse side sees it: fields, identity, change."""

from __future__ import annotations

import hashlib
import json
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


def content_hash(posting: dict[str, Any]) -> str:
    """A fingerprint of what the posting says; it changes only when the content does."""
    stable = {k: posting.get(k) for k in FIELDS if k not in VOLATILE_FIELDS}
    encoded = json.dumps(stable, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]
