"""Faults 1, 4 and 7: every bad line is kept with its own bytes and reason, whatever its file's
name (1), a line that is not UTF-8 included (4); valid input, such as a file that starts with a
byte order mark, is not quarantined (7)."""

from __future__ import annotations

import json

import pytest

from stepback.config import Settings
from stepback.loading import load_pending, totals
from stepback.warehouse import Warehouse
from tests.conftest import posting, write_landing


@pytest.fixture
def warehouse(settings: Settings) -> Warehouse:
    lake = Warehouse(settings.catalog, settings.data_path)
    lake.init()
    return lake


def test_a_file_re_landed_under_the_same_name_keeps_both_loads_bad_lines(
    settings: Settings, warehouse: Warehouse
) -> None:
    folder = settings.landing_dir / "jsonld_test"
    write_landing(folder, "run1.jsonl", [posting(source_id="1"), "not json"])
    first = totals(load_pending(warehouse, settings.landing_dir))
    write_landing(folder, "run1.jsonl", [posting(source_id="2"), "{broken", "[1, 2]"])
    second = totals(load_pending(warehouse, settings.landing_dir))

    assert (first["quarantined"], second["quarantined"]) == (1, 2)
    with warehouse.reader() as con:
        kept = con.execute("SELECT sha256, line_number, raw_line FROM quarantine "
                           "ORDER BY quarantined_at, line_number").fetchall()
        runs = dict(con.execute("SELECT sha256, quarantined FROM load_runs").fetchall())
    assert [(line, raw) for _, line, raw in kept] == [
        (2, "not json"), (2, "{broken"), (3, "[1, 2]")]
    per_file = {sha: sum(1 for s, *_ in kept if s == sha) for sha, _, _ in kept}
    assert per_file == runs and len(runs) == 2, "quarantine agrees with load_runs, file by file"


def test_a_line_that_is_not_utf8_is_quarantined_with_its_own_bytes(
    settings: Settings, warehouse: Warehouse
) -> None:
    good = json.dumps(posting(source_id="1")).encode()
    bad = json.dumps(posting(source_id="2", title="Caf\u00e9 PA")).encode().replace(
        b"Caf\\u00e9", b"Caf\xe9")
    path = settings.landing_dir / "jsonld_test" / "run1.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(good + b"\n" + bad + b"\n")

    summary = totals(load_pending(warehouse, settings.landing_dir))

    assert (summary["inserted"], summary["quarantined"]) == (1, 1)
    with warehouse.reader() as con:
        [(line, reasons, raw_line, raw_bytes)] = con.execute(
            "SELECT line_number, reasons, raw_line, raw_bytes FROM quarantine").fetchall()
        ids = con.execute("SELECT source_id FROM postings").fetchall()
    column = bad.index(b"\xe9") + 1
    assert (line, reasons[0]) == (2, f"invalid UTF-8: byte 0xe9 at column {column}")
    assert raw_bytes == bad and "Caf\ufffd PA" in raw_line
    assert ids == [("1",)]


def test_a_byte_order_mark_is_valid_input(settings: Settings, warehouse: Warehouse) -> None:
    path = settings.landing_dir / "jsonld_test" / "run1.jsonl"
    path.parent.mkdir(parents=True)
    lines = [json.dumps(posting(source_id="1")), json.dumps(posting(source_id="2"))]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n")

    summary = totals(load_pending(warehouse, settings.landing_dir))

    assert (summary["inserted"], summary["quarantined"]) == (2, 0)
    with warehouse.reader() as con:
        ids = con.execute("SELECT source_id FROM postings ORDER BY 1").fetchall()
    assert ids == [("1",), ("2",)]
