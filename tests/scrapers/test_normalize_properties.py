"""Properties of the pay, date and HTML-to-text normalisers over generated input (hypothesis).

Each property is its own test so that a normaliser bug found here can be marked on that one
property (xfail, strict) while the others keep guarding. Runs are derandomized: the same
examples every run, so a failure here is a change in the code, not a new draw.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scrapers.normalize.dates import to_iso
from scrapers.normalize.pay import (
    Pay,
    find_pay_in_text,
    parse_pay,
    pay_from_cents,
    pay_from_schema,
)
from scrapers.normalize.text import clean_lines, clean_text, html_to_text

PROPERTY = settings(max_examples=300, deadline=None, derandomize=True, database=None)
UNITS = {"hour", "day", "week", "month", "year"}
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@pytest.fixture(autouse=True)
def _no_failing_example_patches(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep a found counterexample a readable failure instead of a pytest INTERNALERROR.

    After a failure hypothesis writes a patch with libcst, which crashes once Twisted
    (zope.interface) has given abc.ABC a `__provides__` (Instagram/LibCST#1458).
    """
    yield
    request.node.__dict__.pop("_hypothesis_failing_examples", None)


# --- strategies ---------------------------------------------------------------------------

PAY_WORDS = [
    "$", "£", "€", "¥", "₹", "US$", "C$", "A$", "USD", "CAD", "GBP", "EUR", "k", "K", "-", "–",
    "—", " to ", "/", " per ", "hour", "hr", "day", "12", "10", "week", "wk", "month", "year",
    "annually", "a year", "salary", "Hourly Rate", "day rate", "unpaid", "deferred", "million",
    "budget", ",", ".", " ", "0", "1", "9", "25", "250", "1,000", "65,000", "1e9", "nan", "inf",
]
pay_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(PAY_WORDS), max_size=12).map("".join),
    st.lists(
        st.one_of(st.sampled_from(PAY_WORDS), st.integers(0, 10**7).map(str)), max_size=8
    ).map(" ".join),
)
numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
)
loose = st.one_of(st.none(), st.booleans(), numbers, pay_text)
amount = st.one_of(st.integers(0, 10**6), st.integers(0, 10**6).map(str), loose)
unit_text = st.one_of(
    st.none(), st.sampled_from(["HOUR", "DAY", "WEEK", "MONTH", "YEAR", "per hour", "P1D"]),
    st.text(max_size=10),
)
quantitative_value = st.fixed_dictionaries(
    {}, optional={"minValue": amount, "maxValue": amount, "value": loose, "unitText": unit_text}
)
monetary_amount = st.fixed_dictionaries(
    {},
    optional={
        "@type": st.just("MonetaryAmount"),
        "currency": st.one_of(st.none(), st.sampled_from(["USD", "usd", "$", "£", "XYZ"]),
                              st.text(max_size=4)),
        "value": st.one_of(loose, quantitative_value),
        "unitText": unit_text,
    },
)
base_salary = st.one_of(loose, monetary_amount, st.lists(st.one_of(loose, monetary_amount),
                                                          max_size=3))
cents = st.one_of(st.none(), numbers, st.text(max_size=12), st.integers(0, 10**9).map(str))

ZONES = [UTC, timezone(timedelta(hours=-8)), timezone(timedelta(hours=5, minutes=30))]
aware = st.datetimes(
    min_value=datetime(1990, 1, 2), max_value=datetime(2099, 12, 30),
    timezones=st.sampled_from(ZONES),
)
naive = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
date_text = st.one_of(
    st.text(max_size=40),
    naive.map(lambda d: d.isoformat()),
    aware.map(lambda d: d.isoformat()),
    aware.map(format_datetime),
    st.tuples(naive, st.sampled_from(["%m/%d/%Y", "%m/%d/%y %H:%M", "%B %d, %Y", "%d %b %Y",
                                      "%Y/%m/%d", "%m/%d/%Y %I:%M %p"]))
    .map(lambda pair: pair[0].strftime(pair[1])),
)
date_value = st.one_of(st.none(), st.booleans(), numbers, naive, st.dates(), date_text)

HTML_PIECES = [
    "<", ">", "/", "p", "b", "br", "div", "<p>", "</p>", "<br/>", "<b>", "</b>", "<li>", "<td>",
    "</td>", "<script>", "</script>", "<!--", "-->", "&lt;", "&gt;", "&amp;", "&amp;lt;", "&#60;",
    "&#x3c;", "&nbsp;", "&ndash;", "\n", "\r\n", "\r", "\t", " ", "\x00", "\x07", "\x0b", "\x7f",
    "\x85", "\x92", "\u00a0", "\u200b", "\u2028", "text", "Pay $25/hr", "é", '"', "'", "=",
]
html_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(HTML_PIECES), max_size=25).map("".join),
)


# --- invariants ---------------------------------------------------------------------------


def amounts_are_valid(pay: Pay | None) -> None:
    """Known units only, non-negative numbers, ISO 4217-shaped currency."""
    if pay is None:
        return
    assert isinstance(pay, Pay)
    for amount in (pay.min, pay.max):
        if amount is not None:
            assert isinstance(amount, int | float) and not isinstance(amount, bool), pay
            assert amount >= 0, pay
    assert pay.unit is None or pay.unit in UNITS, pay
    assert pay.currency is None or re.fullmatch(r"[A-Z]{3}", pay.currency), pay


def amounts_fit_a_float(pay: Pay | None) -> None:
    """What JSON readers and the warehouse's DOUBLE columns can hold: finite floats."""
    for amount in (pay.min, pay.max) if pay is not None else ():
        if amount is not None:
            try:
                assert math.isfinite(float(amount)), pay
            except OverflowError:
                pytest.fail(f"amount too large for a float: {amount:.3g}")


def min_is_at_most_max(pay: Pay | None) -> None:
    if pay is not None and pay.min is not None and pay.max is not None:
        assert pay.min <= pay.max, pay


def parse_iso(value: str) -> date:
    assert isinstance(value, str)
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)


# --- pay ----------------------------------------------------------------------------------


@PROPERTY
@given(loose)
def test_parse_pay_amounts_are_valid(value: Any) -> None:
    amounts_are_valid(parse_pay(value))


@PROPERTY
@given(loose)
@example("$5 - $2")
@example("5 to 2")
def test_parse_pay_min_is_at_most_max(value: Any) -> None:
    min_is_at_most_max(parse_pay(value))


@PROPERTY
@given(pay_text)
def test_find_pay_in_text_amounts_are_valid(text: str) -> None:
    amounts_are_valid(find_pay_in_text(text))


@PROPERTY
@given(pay_text)
@example("$" + "9" * 306 + "k")
def test_find_pay_in_text_amounts_fit_a_float(text: str) -> None:
    amounts_fit_a_float(find_pay_in_text(text))


@PROPERTY
@given(pay_text)
def test_find_pay_in_text_min_is_at_most_max(text: str) -> None:
    min_is_at_most_max(find_pay_in_text(text))


@PROPERTY
@given(base_salary, st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["USD", "€"])))
def test_pay_from_schema_amounts_are_valid(salary: Any, currency: Any) -> None:
    amounts_are_valid(pay_from_schema(salary, currency))


@PROPERTY
@given(base_salary, st.none())
@example({"value": {"minValue": 30, "maxValue": 20}}, None)
def test_pay_from_schema_min_is_at_most_max(salary: Any, currency: Any) -> None:
    min_is_at_most_max(pay_from_schema(salary, currency))


@PROPERTY
@given(cents, cents, st.one_of(st.none(), st.text(max_size=4), st.just("USD")), loose)
def test_pay_from_cents_amounts_are_valid(low: Any, high: Any, currency: Any, label: Any) -> None:
    amounts_are_valid(pay_from_cents(low, high, currency, label))


@PROPERTY
@given(cents, cents)
@example(1, 0)
@example(3000, 2000)
def test_pay_from_cents_min_is_at_most_max(low: Any, high: Any) -> None:
    min_is_at_most_max(pay_from_cents(low, high, "USD"))


# --- dates --------------------------------------------------------------------------------


@PROPERTY
@given(date_value)
def test_to_iso_answers_iso_8601_or_none(value: Any) -> None:
    answer = to_iso(value)
    if answer is not None:
        parse_iso(answer)


@PROPERTY
@given(st.one_of(numbers, date_text))
def test_to_iso_years_are_plausible_for_text_and_numbers(value: Any) -> None:
    """What sources send (text, epoch numbers) outside 1990-2100 is a parse error, not a date."""
    answer = to_iso(value)
    assert answer is None or 1990 <= parse_iso(answer).year <= 2100, answer


@PROPERTY
@given(aware)
def test_to_iso_keeps_the_instant_of_an_iso_datetime(moment: datetime) -> None:
    answer = to_iso(moment.isoformat())
    assert answer is not None and datetime.fromisoformat(answer) == moment
    assert datetime.fromisoformat(answer).utcoffset() == timedelta(0)


# --- HTML to text -------------------------------------------------------------------------


@PROPERTY
@given(html_text)
@example("<<b>b>")
def test_html_to_text_leaves_no_tags(value: str) -> None:
    text = html_to_text(value)
    assert text is not None and not TAG.search(text), text


@PROPERTY
@given(html_text)
@example("\x80")
@example("It\x92s a wrap")
def test_html_to_text_leaves_no_control_characters_but_newlines(value: str) -> None:
    text = html_to_text(value) or ""
    controls = [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"]
    assert not controls, text


@PROPERTY
@given(html_text)
def test_html_to_text_lines_are_trimmed_and_not_blank(value: str) -> None:
    text = html_to_text(value) or ""
    for line in text.split("\n") if text else []:
        assert line and line == line.strip() and "  " not in line, text


@PROPERTY
@given(html_text)
def test_clean_text_is_one_trimmed_line_or_none(value: str) -> None:
    text = clean_text(value)
    assert text is None or (text and "\n" not in text and text == text.strip()), text


@PROPERTY
@given(st.one_of(st.none(), numbers, html_text))
def test_clean_lines_answers_text_or_none_for_anything(value: Any) -> None:
    text = clean_lines(value)
    assert text is None or isinstance(text, str)
