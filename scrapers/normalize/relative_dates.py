"""Relative posting dates ("Posted Yesterday", "Posted 30+ Days Ago") as ISO dates."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

_TODAY = re.compile(r"\b(?:today|just posted|just now|moments? ago)\b", re.I)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)
_AGO = re.compile(
    r"\b(\d+|an?|one)\+?\s*(minute|min|hour|hr|day|week|wk|month|mo)s?\s+ago\b", re.I
)
_DAYS_PER_UNIT = {"minute": 0, "min": 0, "hour": 0, "hr": 0, "day": 1, "week": 7, "wk": 7,
                  "month": 30, "mo": 30}


def relative_date(text: Any, now: Any) -> str | None:
    """The ISO date `text` names, counted back from `now` (a datetime, date or ISO string).

    "30+ Days Ago" gives the latest date it can mean: 30 days back. Keep the text itself in
    `raw`: the result is only as exact as the source's wording.
    """
    anchor = _anchor_date(now)
    if anchor is None or not isinstance(text, str):
        return None
    days = days_ago(text)
    if days is None:
        return None
    try:
        return (anchor - timedelta(days=days)).isoformat()
    except OverflowError:
        return None


def days_ago(text: str) -> int | None:
    if _TODAY.search(text):
        return 0
    if _YESTERDAY.search(text):
        return 1
    match = _AGO.search(text)
    if not match:
        return None
    count = int(match[1]) if match[1].isdigit() else 1
    return count * _DAYS_PER_UNIT[match[2].lower()]


def _anchor_date(now: Any) -> date | None:
    if isinstance(now, datetime):
        return now.date()
    if isinstance(now, date):
        return now
    if isinstance(now, str):
        try:
            return datetime.fromisoformat(now.strip()).date()
        except ValueError:
            return None
    return None
