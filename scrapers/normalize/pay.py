"""Pay: amounts, currency and unit from schema.org baseSalary, plain numbers or free text."""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterator
from typing import Any, NamedTuple


class Pay(NamedTuple):
    min: float | None
    max: float | None
    currency: str | None
    unit: str | None


UNPAID = Pay(0, 0, None, None)

_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "c$": "CAD", "ca$": "CAD", "a$": "AUD", "£": "GBP",
                   "€": "EUR", "¥": "JPY", "₹": "INR"}
_CURRENCY_CODES = {"USD", "CAD", "AUD", "GBP", "EUR", "NZD", "JPY", "INR", "MXN", "CHF"}
_SCHEMA_UNITS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}
_UNIT_WORDS = [
    ("hour", r"hr|hrs|hour|hourly|h"),
    ("day", r"day|daily|12|10|12\s*hrs?|10\s*hrs?|12-hour day|10-hour day"),
    ("week", r"wk|week|weekly"),
    ("month", r"mo|mth|month|monthly"),
    ("year", r"yr|year|yearly|annum|annual|annually|annual salary"),
]
_UNIT_PATTERNS = [
    (unit, re.compile(rf"^\s*(?:/|per\b|an?\b|each\b)\s*(?:{words})\b", re.I))
    for unit, words in _UNIT_WORDS
]
_TRAILING_UNIT_WORDS = [
    ("hour", re.compile(r"^[\s(,]*(?:hourly|an hour)\b", re.I)),
    ("day", re.compile(r"^[\s(,]*(?:daily|day rate|a day)\b", re.I)),
    ("week", re.compile(r"^[\s(,]*(?:weekly|a week)\b", re.I)),
    ("month", re.compile(r"^[\s(,]*(?:monthly|a month)\b", re.I)),
    ("year", re.compile(
        r"^[\s(,]*(?:annually|annual|yearly|(?:base |gross )?salary|a year)\b", re.I
    )),
]
_CODE = rf"(?:{'|'.join(sorted(_CURRENCY_CODES))})"
_SIGN = r"(?:US\$|CA?\$|A\$|[$£€¥₹])"
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = re.compile(
    rf"(?P<code1>\b{_CODE}\s*)?(?P<sign1>{_SIGN})\s?(?P<low>{_AMOUNT})\s?(?P<k1>[kK]\b)?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<sign2>{_SIGN})?\s?(?P<high>{_AMOUNT})\s?(?P<k2>[kK]\b)?)?"
    rf"(?P<code2>\s*\b{_CODE}\b)?"
)
# _AMOUNT with its first digit leading, so that re can skip ahead to digits; the lookbehind
# after that digit keeps "1.200" from matching as "200".
_LEADING_AMOUNT = r"\d(?<![\d.,]\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"
# An amount written before its currency ("180 €/day", "50,000 USD a year"); such an amount
# counts only with a unit right after it. "1.200 €" (a European thousands dot) is left alone.
_MONEY_BEFORE_CURRENCY = re.compile(
    rf"(?P<low>{_LEADING_AMOUNT})\s?(?P<k1>[kK]\b)?(?:\s?{_SIGN})?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<high>{_AMOUNT})\s?(?P<k2>[kK]\b)?)?"
    rf"\s?(?P<currency>{_SIGN}|\b{_CODE}\b)"
)
_EUROPEAN_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_NOT_PAY_AFTER = re.compile(r"^\s*(?:million|mil|m\b|billion|bn\b|budget|in\b|worth)", re.I)
_UNPAID_IN_TEXT = re.compile(
    r"\b(?:unpaid|no pay|not paid|deferred pay(?:ment)?|copy[,/ ]+credit)\b", re.I
)
_UNPAID_VALUE = re.compile(r"^\W*(?:unpaid|deferred|volunteer|no pay|\$?0)\W*$", re.I)
_BARE_RANGE = re.compile(rf"^\s*({_AMOUNT})\s*(?:(?:-|–|—|to)\s*({_AMOUNT}))?\s*$")
_UNIT_LABELS = [
    ("hour", re.compile(r"\b(?:hourly|per hour|an hour|/\s*hr)\b", re.I)),
    ("day", re.compile(r"\b(?:daily|day rate|per day|a day)\b", re.I)),
    ("week", re.compile(r"\b(?:weekly|per week|a week)\b", re.I)),
    ("month", re.compile(r"\b(?:monthly|per month|a month)\b", re.I)),
    ("year", re.compile(r"\b(?:annual|annually|yearly|per year|a year|salary)\b", re.I)),
]
# A unit named in the same sentence before the amount, further back than a label would be:
# "The hourly pay range for this role is $45 - $55". Only a unit word tied to a pay word
# counts, so "5 days a week" or "weekly meetings" name no unit.
_PAY_NOUN = r"(?:pay|rate|rates|wage|wages|range|compensation|salary|earnings)"
_PAY_PHRASE = rf"(?:\s+(?:base|gross|pay|rate|wage|salary|compensation))?\s+{_PAY_NOUN}\b"
_UNITS_IN_SENTENCE = [
    (unit, re.compile(rf"\b(?:{words}){_PAY_PHRASE}", re.I))
    for unit, words in [
        ("hour", "hourly"),
        ("day", "daily|day"),
        ("week", "weekly"),
        ("month", "monthly"),
        ("year", "annual|annualized|yearly"),
    ]
]
_SALARY = re.compile(r"\bsalary\b", re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_NEAR_WINDOW = 30
_SENTENCE_WINDOW = 120
_YEARLY_FLOOR = 10_000
# No pay is ten million or more a unit: such an amount is a misread, or beyond a float.
_MAX_AMOUNT = 10_000_000


def parse_pay(value: Any) -> Pay | None:
    """Parse a pay value: a number, a text like "$250/12" or "$65,000 - $75,000 a year"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        amount = _finite(value)
        return Pay(amount, amount, None, None) if amount is not None else None
    if not isinstance(value, str):
        return None
    if _UNPAID_VALUE.match(value):
        return UNPAID
    return find_pay_in_text(value) or _bare_range(value)


def find_pay_in_text(text: Any) -> Pay | None:
    """The first credible money amount or range in free text, else an unpaid marker, else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    for match in _money_matches(text):
        pay = _pay_from_match(match, text)
        if pay is not None:
            return pay
    if _UNPAID_IN_TEXT.search(text):
        return UNPAID
    return None


def _money_matches(text: str) -> Iterator[re.Match[str]]:
    """Amounts after their currency sign or code, and amounts before it, in reading order."""
    ahead_end = 0
    both = heapq.merge(
        _MONEY.finditer(text), _MONEY_BEFORE_CURRENCY.finditer(text), key=lambda m: m.start()
    )
    for match in both:
        if match.re is _MONEY:
            ahead_end = match.end()
        elif match.start() < ahead_end:
            continue
        yield match


def pay_from_schema(base_salary: Any, currency: Any = None) -> Pay | None:
    """Pay from schema.org baseSalary/estimatedSalary: MonetaryAmount, QuantitativeValue, number."""
    if isinstance(base_salary, list):
        base_salary = next((item for item in base_salary if item), None)
    if isinstance(base_salary, dict):
        return _pay_from_monetary_amount(base_salary, currency)
    pay = parse_pay(base_salary)
    if pay is None:
        return None
    return pay._replace(currency=pay.currency or normalize_currency(currency))


def normalize_currency(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.upper() in _CURRENCY_CODES:
        return text.upper()
    return _CURRENCY_SIGNS.get(text.lower())


def _pay_from_monetary_amount(amount: dict[str, Any], currency: Any) -> Pay | None:
    currency = normalize_currency(amount.get("currency")) or normalize_currency(currency)
    value = amount.get("value", amount)
    unit_text = amount.get("unitText")
    if isinstance(value, dict):
        unit_text = value.get("unitText") or unit_text
        low = _number(value.get("minValue"))
        high = _number(value.get("maxValue"))
        single = value.get("value")
        if low is None and high is None:
            return _from_loose_value(single, currency, unit_text)
        low, high = _ordered(low, high)
        return Pay(low, high, currency, _schema_unit(unit_text))
    return _from_loose_value(value, currency, unit_text)


def _from_loose_value(value: Any, currency: str | None, unit_text: Any) -> Pay | None:
    pay = parse_pay(value)
    if pay is None:
        number = _number(value)
        if number is None:
            return None
        pay = Pay(number, number, None, None)
    return Pay(pay.min, pay.max, pay.currency or currency, _schema_unit(unit_text) or pay.unit)


def _bare_range(text: str) -> Pay | None:
    match = _BARE_RANGE.match(text)
    if not match:
        return None
    low = _number(match[1])
    high = _number(match[2]) if match[2] else low
    if low is None or high is None:
        return None
    return Pay(min(low, high), max(low, high), None, None)


def _schema_unit(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    if text in _SCHEMA_UNITS:
        return _SCHEMA_UNITS[text]
    return _unit_after(f"/{text.lower()}")


def _pay_from_match(match: re.Match[str], text: str) -> Pay | None:
    """An amount or range; its unit comes after it ("$18/hr"), just before it ("Hourly Rate
    $18") or earlier in its sentence ("The hourly pay range for this role is $45 - $55")."""
    rest = text[match.end() :]
    if _NOT_PAY_AFTER.match(rest):
        return None
    low = _amount(match["low"], match["k1"] or match["k2"])
    high = _amount(match["high"], match["k2"]) if match["high"] else low
    if low is None or high is None or low <= 0:
        return None
    low, high = min(low, high), max(low, high)
    unit = _unit_after(rest)
    if match.re is _MONEY_BEFORE_CURRENCY:
        if unit is None or _EUROPEAN_THOUSANDS.match(match["low"]):
            return None
    else:
        unit = unit or _unit_before(text[: match.start()])
    if unit is None and low >= _YEARLY_FLOOR:
        unit = "year"
    return Pay(low, high, _match_currency(match), unit)


def _match_currency(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    code = (groups.get("code1") or groups.get("code2") or "").strip()
    return normalize_currency(code) or normalize_currency(
        groups.get("sign1") or groups.get("currency")
    )


def _unit_before(before: str) -> str | None:
    """A label just before the amount, else a unit tied to a pay word earlier in its sentence."""
    unit = unit_in_text(before[-_NEAR_WINDOW:].rsplit(".", 1)[-1])
    if unit is not None:
        return unit
    sentence = _SENTENCE_END.split(before[-_SENTENCE_WINDOW:])[-1]
    found = [
        (match.end(), unit)
        for unit, pattern in _UNITS_IN_SENTENCE
        for match in pattern.finditer(sentence)
    ]
    if found:
        return max(found)[1]
    return "year" if _SALARY.search(sentence) else None


def _unit_after(rest: str) -> str | None:
    for unit, pattern in _UNIT_PATTERNS:
        if pattern.match(rest):
            return unit
    for unit, pattern in _TRAILING_UNIT_WORDS:
        if pattern.match(rest):
            return unit
    return None


def _amount(digits: str | None, thousands: str | None) -> float | None:
    number = _number(digits)
    if number is None:
        return None
    return _bounded(number * 1000) if thousands else number


def _ordered(low: float | None, high: float | None) -> tuple[float | None, float | None]:
    """Both bounds (one stands for a missing other), smaller first: sources that swap
    minValue and maxValue, or min_cents and max_cents, still mean the same range."""
    low, high = (low if low is not None else high), (high if high is not None else low)
    if low is None or high is None:
        return low, high
    return min(low, high), max(low, high)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _finite(value)
    if not isinstance(value, str):
        return None
    try:
        return _finite(float(value.replace(",", "").replace("$", "").strip()))
    except ValueError:
        return None


def _finite(value: float) -> float | None:
    """A non-negative amount below `_MAX_AMOUNT`, whole ones as int; else None."""
    try:
        number = float(value)
    except OverflowError:
        return None
    if math.isnan(number) or math.isinf(number) or number < 0:
        return None
    return _bounded(int(number) if number.is_integer() else number)


def _bounded(amount: float) -> float | None:
    return amount if amount < _MAX_AMOUNT else None


def _cents(value: Any) -> float | None:
    """Cents run to 100 times a sane amount, so they are read without `_MAX_AMOUNT`."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value.replace(",", "").strip() if isinstance(value, str) else value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def pay_from_cents(min_cents: Any, max_cents: Any, currency: Any, label: Any = None) -> Pay | None:
    """Greenhouse pay_input_ranges: amounts in cents, a label such as "Hourly Rate"."""
    low, high = _cents(min_cents), _cents(max_cents)
    low = _finite(low / 100) if low is not None else None
    high = _finite(high / 100) if high is not None else None
    if low is None and high is None:
        return None
    low, high = _ordered(low, high)
    unit = unit_in_text(label)
    if unit is None and low is not None and low >= _YEARLY_FLOOR:
        unit = "year"
    return Pay(low, high, normalize_currency(currency), unit)


def unit_in_text(text: Any) -> str | None:
    """A pay unit named anywhere in a short label: "Hourly Rate", "Annual Salary", "Day rate"."""
    if not isinstance(text, str):
        return None
    for unit, pattern in _UNIT_LABELS:
        if pattern.search(text):
            return unit
    return None
