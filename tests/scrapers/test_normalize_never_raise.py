"""Every normaliser takes anything and answers a value or None, never an exception."""

import random
import string

import pytest

from scrapers.jsonld import job_postings
from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import (
    location_from_parts,
    location_from_schema,
    location_from_text,
)
from scrapers.normalize.pay import find_pay_in_text, parse_pay, pay_from_cents, pay_from_schema
from scrapers.normalize.production import (
    production_from_department,
    production_from_text,
    production_from_title,
)
from scrapers.normalize.remote import is_remote
from scrapers.normalize.text import clean_text, html_to_text
from scrapers.normalize.union import union_status

NORMALISERS = [
    html_to_text, clean_text, parse_pay, find_pay_in_text, pay_from_schema, employment_type,
    is_remote, union_status, to_iso, location_from_text, location_from_schema, location_from_parts,
    production_from_title, production_from_text, production_from_department, job_postings,
    lambda v: pay_from_cents(v, v, v, v),
]
ODD_VALUES = [
    None, True, 0, -1, 1e308, float("nan"), "", " ", "\x00", "&", "&lt;", "<", "<<>>", "$", "$$$",
    "$-5", "$1e9", "/12", "–", " - - ", ":", '"', "“”", "null", "{}", [], [[]], {}, {"@type": []},
    {"value": {"minValue": "x"}}, {"address": {"addressCountry": {}}}, b"bytes", object(),
    "ä" * 1000, "Production Assistant – " * 50, "$" + "9" * 400,
]


def _random_texts(count=300):
    rng = random.Random(1729)
    alphabet = string.printable + "–—“”£€\u00a0\u200b&;<>/$"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(count)]


@pytest.mark.parametrize("normalise", NORMALISERS)
def test_never_raises(normalise):
    for value in ODD_VALUES + _random_texts():
        normalise(value)
