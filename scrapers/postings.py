"""Assemble posting fields and fill what a source leaves out from its title and text."""

from __future__ import annotations

from typing import Any

from scrapers.items import POSTING_FIELDS
from scrapers.normalize.pay import Pay, find_pay_in_text
from scrapers.normalize.production import production_from_text, production_from_title
from scrapers.normalize.remote import is_remote
from scrapers.normalize.union import union_status

PostingFields = dict[str, Any]


def new_posting(**fields: Any) -> PostingFields:
    """Every contract field in order (None unless given), then filled from title and text."""
    unknown = set(fields) - set(POSTING_FIELDS)
    if unknown:
        raise TypeError(f"not Posting fields: {sorted(unknown)}")
    posting: PostingFields = dict.fromkeys(POSTING_FIELDS)
    posting.update(fields)
    posting["description"] = posting["description"] or ""
    posting["raw"] = {k: v for k, v in (posting["raw"] or {}).items() if v is not None}
    return fill_from_text(posting)


def pay_fields(pay: Pay | None) -> PostingFields:
    if pay is None:
        return {}
    return {"pay_min": pay.min, "pay_max": pay.max, "pay_currency": pay.currency,
            "pay_unit": pay.unit}


def fill_from_text(posting: PostingFields) -> PostingFields:
    title, company, text = posting["title"], posting["company"], posting["description"]
    if posting["production"] is None:
        posting["production"] = production_from_title(title, company) or production_from_text(
            text, company
        )
    if posting["pay_min"] is None and posting["pay_max"] is None:
        posting.update(pay_fields(find_pay_in_text(title) or find_pay_in_text(text)))
    if posting["union"] is None:
        posting["union"] = union_status(title, text)
    if posting["remote"] is None:
        posting["remote"] = is_remote(None, posting["location"])
    return posting
