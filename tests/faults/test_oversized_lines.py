"""Fault 3: one huge line (50 MB here) used to run DuckDB out of memory while staging, failing
the whole chunk, other sources' files included, on every retry. It is quarantined with its size
as the reason; every other line of the chunk loads."""

from __future__ import annotations

import json

from stepback.config import Settings
from stepback.loading import load_pending, totals
from stepback.staging import MAX_LINE_BYTES, OVERSIZED_KEPT
from stepback.warehouse import Warehouse
from tests.conftest import posting, write_landing


def test_a_50_mb_line_is_quarantined_and_the_rest_of_the_chunk_loads(settings: Settings) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    huge = json.dumps(posting(source_id="huge", description="x" * (50 << 20))).encode()
    path = settings.landing_dir / "jsonld_test" / "run1.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(json.dumps(posting(source_id="1")).encode() + b"\n" + huge + b"\n"
                     + json.dumps(posting(source_id="2")).encode() + b"\n")
    write_landing(settings.landing_dir / "rss_other", "run1.jsonl",
                  [posting(source="rss:other", source_id="9")])

    summary = totals(load_pending(warehouse, settings.landing_dir))

    assert (summary["files_loaded"], summary["inserted"], summary["quarantined"]) == (2, 3, 1)
    with warehouse.reader() as con:
        [(line, reasons, raw_bytes, raw_line)] = con.execute(
            "SELECT line_number, reasons, raw_bytes, raw_line FROM quarantine").fetchall()
    assert line == 2
    assert reasons[0] == (f"line is {len(huge):,} bytes, more than {MAX_LINE_BYTES:,}; "
                          f"its first {OVERSIZED_KEPT:,} are kept")
    assert raw_bytes == huge[:OVERSIZED_KEPT] and len(raw_line) == OVERSIZED_KEPT
