"""Turn untrusted posting fields into short, safe, human strings."""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable

from stepback.urls import browser_url, host

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UNITS = {"hour": "hr", "day": "day", "week": "wk", "month": "mo", "year": "yr"}
_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$"}
# Bidi overrides and isolates can make a link's text read differently from where it goes.
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})


def _is_control(char: str) -> bool:
    return char in _BIDI or unicodedata.category(char) in _LINE_BREAKING


# The same characters as _is_control, as one pattern: one_line runs for every field of every
# digest, and a per-character loop was a third of rendering time.
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + "]"
)



def one_line(text: object, *, limit: int = 300) -> str:
    """Collapse text to one line with no control characters, cut to `limit` characters."""
    if text is None:
        return ""
    line = " ".join(_CONTROLS.sub(" ", str(text)).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def safe_url(url: object) -> str | None:
    """The URL as a browser reads it when it is an absolute http(s) URL with no white space or
    controls (`stepback.urls.browser_url`), else None."""
    return browser_url(url.strip() if isinstance(url, str) else url)


def safe_urls(urls: Iterable[object]) -> list[str]:
    """The safe URLs in order, without duplicates."""
    seen: dict[str, None] = {}
    for url in urls:
        good = safe_url(url)
        if good is not None:
            seen.setdefault(good, None)
    return list(seen)


def link_label(url: str) -> str:
    """The host a browser would contact, without `www.`."""
    return (host(url) or url).removeprefix("www.")


def short_date(day: datetime.date) -> str:
    """`Thu 26 Nov`, independent of the machine's locale."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def posted_label(posted_at: object, today: datetime.date) -> str | None:
    """`Posted Tue 24 Nov` (with the year when it is not this year), or None when unreadable."""
    day = _as_date(posted_at)
    if day is None:
        return None
    label = short_date(day)
    return f"Posted {label}" if day.year == today.year else f"Posted {label} {day.year}"


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None


def location_label(location: object, remote: bool | None) -> str:
    place = one_line(location, limit=80)
    if remote and place:
        return f"{place} (remote possible)"
    if remote:
        return "Remote"
    return place or "Location not listed"


def pay_label(
    pay_min: float | None, pay_max: float | None, currency: str | None, unit: str | None
) -> str:
    """`$250/day`, `$18–22/hr`, `$65,000–75,000/yr`, `From $20/hr`, or `Pay not listed`."""
    low, high = _positive(pay_min), _positive(pay_max)
    if low is None and high is None:
        return "Pay not listed"
    if low is not None and high is not None and high < low:
        low, high = high, low
    prefix, suffix = _currency_affixes(currency)
    per = f"/{_UNITS[unit]}" if unit in _UNITS else ""
    if low is None or high is None or low == high:
        lead = "Up to " if low is None else ("From " if high is None else "")
        amount = _amount(low if low is not None else high)
        return f"{lead}{prefix}{amount}{suffix}{per}"
    return f"{prefix}{_amount(low)}–{_amount(high)}{suffix}{per}"


def _positive(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 and number != float("inf") else None


def _currency_affixes(currency: str | None) -> tuple[str, str]:
    code = one_line(currency, limit=10).upper()
    if code in _SYMBOLS:
        return _SYMBOLS[code], ""
    if re.fullmatch(r"[A-Z]{3}", code):
        return "", f" {code}"
    return "", ""


def _amount(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def slug(text: str, *, limit: int = 60) -> str:
    """Lowercase letters, digits and single hyphens only: safe in a file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]
