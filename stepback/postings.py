"""The posting contract (scrapers/items.py) as the warehouse sees it: fields and types.

Every other field is text. The content hash that says when a posting changed is computed in
SQL (`sb_content_hash` in stepback.staging), so a staged line and a stored row hash alike.
"""

from __future__ import annotations

FIELDS = [
    "source", "source_id", "url", "title", "company", "production", "location", "remote",
    "employment_type", "pay_min", "pay_max", "pay_currency", "pay_unit", "union", "posted_at",
    "valid_through", "description", "scraped_at",
]
BOOL_FIELDS = ["remote", "union"]
NUMBER_FIELDS = ["pay_min", "pay_max"]
