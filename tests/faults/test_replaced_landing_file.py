"""Fault 2: a landing file replaced between the loader listing it (and hashing it) and staging
it. The ledger must record the bytes that were loaded, so the next load skips them."""

from __future__ import annotations

import hashlib
import os

import pytest

from stepback import loading
from stepback.config import Settings
from stepback.loading import load_pending, totals
from stepback.warehouse import Warehouse
from tests.conftest import posting, write_landing


def test_a_file_replaced_after_listing_is_loaded_once_under_its_new_hash(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    folder = settings.landing_dir / "jsonld_test"
    path = write_landing(folder, "run1.jsonl", [posting(source_id="1", title="Old title")])
    listed = hashlib.sha256(path.read_bytes()).hexdigest()
    replacement = write_landing(folder, ".run1.new", [
        posting(source_id="1", title="New title"), posting(source_id="2")])
    new = hashlib.sha256(replacement.read_bytes()).hexdigest()
    real_stage = loading.stage

    def replaced_then_staged(scratch, chunk):
        os.replace(replacement, path)  # another process re-lands the file under the same name
        monkeypatch.setattr(loading, "stage", real_stage)
        return real_stage(scratch, chunk)

    monkeypatch.setattr(loading, "stage", replaced_then_staged)
    first = totals(load_pending(warehouse, settings.landing_dir))
    again = totals(load_pending(warehouse, settings.landing_dir))

    with warehouse.reader() as con:
        ledger = con.execute("SELECT sha256, lines_read FROM landing_files").fetchall()
        titles = con.execute("SELECT source_id, title FROM postings ORDER BY 1").fetchall()
    assert ledger == [(new, 2)] and listed != new
    assert titles == [("1", "New title"), ("2", "Production Assistant – 99th Oscars")]
    assert (first["files_loaded"], first["inserted"]) == (1, 2)
    assert (again["files_loaded"], again["files_skipped"], again["inserted"]) == (0, 1, 0)
