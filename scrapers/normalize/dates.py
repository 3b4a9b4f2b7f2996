"""Dates: ISO 8601, RFC 822 (RSS), US "11/20/2026" forms, month names and epoch numbers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

_FORMATS = [
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
]
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EPOCH_MS_FLOOR = 100_000_000_000
_EARLIEST_YEAR = 1990
_LATEST_YEAR = 2100


def to_iso(value: Any) -> str | None:
    """An ISO 8601 string: a date stays a date; a datetime with a zone is given in UTC."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(value)
    if isinstance(value, datetime):
        return _format(value)
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    parsed = _parse_iso(text) or _parse_rfc822(text) or _parse_formats(text)
    if isinstance(parsed, datetime):
        return _format(parsed)
    if isinstance(parsed, date):
        return parsed.isoformat() if _plausible(parsed.year) else None
    return None


def _parse_iso(text: str) -> date | datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    try:
        if _DATE_ONLY.match(candidate):
            return date.fromisoformat(candidate)
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _parse_formats(text: str) -> date | datetime | None:
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        has_time = "%H" in fmt or "%I" in fmt
        return parsed if has_time else parsed.date()
    return None


def _from_epoch(value: float) -> str | None:
    seconds = value / 1000 if value >= _EPOCH_MS_FLOOR else value
    try:
        return _format(datetime.fromtimestamp(seconds, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _format(value: datetime) -> str | None:
    if not _plausible(value.year):
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat()


def _plausible(year: int) -> bool:
    return _EARLIEST_YEAR <= year <= _LATEST_YEAR
