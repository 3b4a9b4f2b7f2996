"""Fault 4: values that used to load without a reason. Each is quarantined with one that names
the field; the good line beside them loads, and the warehouse's sums stay finite."""

from __future__ import annotations

import json
import math

from stepback.config import Settings
from stepback.loading import load_pending, totals
from stepback.warehouse import Warehouse
from tests.conftest import posting

BAD = [
    ('"pay_min": NaN', "pay_min: NaN is not a finite number"),
    ('"pay_max": Infinity', "pay_max: Infinity is not a finite number"),
    ('"pay_max": 1e400', "pay_max: 1e400 is not a finite number"),
    ('"pay_max": 1e308', "pay_max: values_to_be_between (max_value=10000000.0)"),
    ('"source": ""', "source: values_to_match_regex (regex=\\S)"),
    ('"source_id": "   "', "source_id: values_to_match_regex (regex=\\S)"),
    ('"title": " \\t "', "title: values_to_match_regex (regex=\\S)"),
    ('"description": "\\n\\n"', "description: values_to_match_regex (regex=\\S)"),
    ('"url": "https://jobs.example.com/1\\nSet-Cookie: x"',
     "url: values_to_not_match_regex (regex=\\s)"),
]


def line_with(field: str, number: int) -> str:
    """A valid posting's JSON with one field's raw JSON text replaced."""
    name = field.split(":", 1)[0].strip('"')
    text = json.dumps(posting(source_id=str(number), pay_min=100, pay_max=200))
    start = text.index(f'"{name}": ')
    end = text.index(", ", start) if text.find(", ", start) != -1 else len(text) - 1
    return text[:start] + field + text[end:]


def test_each_bad_value_is_quarantined_with_its_reason(settings: Settings) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    path = settings.landing_dir / "jsonld_test" / "run1.jsonl"
    path.parent.mkdir(parents=True)
    lines = [json.dumps(posting(source_id="good"))]
    lines += [line_with(field, number) for number, (field, _) in enumerate(BAD, start=2)]
    assert all(field in line for line, (field, _) in zip(lines[1:], BAD, strict=True))
    path.write_text("\n".join(lines) + "\n", "utf-8")

    summary = totals(load_pending(warehouse, settings.landing_dir))

    with warehouse.reader() as con:
        reasons = dict(con.execute(
            "SELECT line_number, reasons FROM quarantine ORDER BY 1").fetchall())
        [(top, mean)] = con.execute("SELECT max(pay_min), avg(pay_max) FROM postings").fetchall()
    assert (summary["inserted"], summary["quarantined"]) == (1, len(BAD))
    for number, (field, reason) in enumerate(BAD, start=2):
        assert reason in reasons[number], (field, reasons[number])
    assert math.isfinite(top) and math.isfinite(mean)
