"""`stepback maintain`: fewer files, old snapshots gone, the same data, readers unharmed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from stepback.cli import main
from stepback.config import Settings
from stepback.maintenance import maintain
from stepback.warehouse import Warehouse


def _many_small_writes(warehouse: Warehouse) -> None:
    for batch in range(12):
        rows = 150 if batch % 2 else 30  # some go to files, some stay inline in the catalog
        warehouse.transaction(lambda con, b=batch, n=rows: con.execute(
            "INSERT INTO feedback SELECT 'a@example.com', 'k' || ? || '-' || range, 'good', "
            "'cli', now() FROM range(?)", [b, n]), "write")
    warehouse.transaction(lambda con: con.execute(
        "UPDATE feedback SET label = 'bad' WHERE job_key LIKE 'k1-%'"), "update")


def _parquet_files(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.parquet"))


def test_maintain_merges_expires_and_deletes_without_changing_the_data(tmp_path: Path) -> None:
    warehouse = Warehouse.local(tmp_path)
    warehouse.init()
    _many_small_writes(warehouse)
    with warehouse.reader() as con:
        before = con.execute("SELECT * FROM feedback ORDER BY job_key").fetchall()
    files_before = _parquet_files(tmp_path / "lake")
    report = maintain(warehouse, keep=timedelta(0))
    assert report.inlined_rows_flushed >= 30
    assert report.data_files_after < report.data_files_before
    assert report.snapshots_expired > 10 and report.snapshots_kept == 1
    assert report.files_deleted > 0
    assert _parquet_files(tmp_path / "lake") < files_before
    with warehouse.reader() as con:
        assert con.execute("SELECT * FROM feedback ORDER BY job_key").fetchall() == before
    again = maintain(warehouse, keep=timedelta(0))
    assert (again.files_merged, again.files_deleted, again.inlined_rows_flushed) == (0, 0, 0)


def test_maintain_keeps_the_snapshots_time_travel_needs(tmp_path: Path) -> None:
    warehouse = Warehouse.local(tmp_path)
    warehouse.init()
    _many_small_writes(warehouse)
    report = maintain(warehouse, keep=timedelta(days=30))
    assert report.snapshots_expired == 0 and report.snapshots_kept > 10


def test_cli_maintain_prints_what_it_did(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["maintain", "--keep-days", "7"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert {"data_files_before", "data_files_after", "snapshots_expired"} <= set(report)
    assert "snapshots expired" in captured.err
    assert main(["maintain", "--keep-days", "0"]) == 1
    assert "--keep-days must be at least 1" in capsys.readouterr().err
