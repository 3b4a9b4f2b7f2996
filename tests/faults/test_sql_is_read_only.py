"""Fault 10: `stepback sql` is read-only for real: no file outside the warehouse is read or
written, nothing is attached, the settings cannot be undone, the lake cannot be changed.
`--allow-files` opens local files on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from stepback.cli import main
from stepback.config import Settings
from stepback.warehouse import Warehouse

REFUSED = "`stepback sql` reaches only the warehouse (--allow-files lets it use local files)"


@pytest.fixture
def lake(settings: Settings) -> Warehouse:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    return warehouse


def last_error(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize("query, target", [
    ("SELECT * FROM read_csv('{secret}')", None),
    ("COPY (SELECT 1) TO '{out}'", "out"),
    ("ATTACH '{other}' AS other", "other"),
    ("SELECT * FROM glob('{folder}/*')", None),
])
def test_files_outside_the_warehouse_are_refused(
    lake: Warehouse, tmp_path: Path, capsys: pytest.CaptureFixture[str], query: str,
    target: str | None,
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n", "utf-8")
    paths = {"secret": secret, "out": tmp_path / "out.csv", "other": tmp_path / "other.duckdb",
             "folder": tmp_path}
    assert main(["sql", query.format(**paths)]) == 1
    error = last_error(capsys)
    assert error.startswith("stepback: error: Permission Error: Cannot access ")
    assert error.endswith(REFUSED)
    if target:
        assert not paths[target].exists()


@pytest.mark.parametrize("query, message", [
    ("SET enable_external_access = true", "the configuration has been locked"),
    ("SET lock_configuration = false", "the configuration has been locked"),
    ("INSERT INTO feedback SELECT * FROM feedback", "read-only"),
])
def test_settings_and_the_lake_cannot_be_changed(
    lake: Warehouse, capsys: pytest.CaptureFixture[str], query: str, message: str
) -> None:
    assert main(["sql", query]) == 1
    assert message in last_error(capsys)


def test_allow_files_reads_local_files_on_purpose(
    lake: Warehouse, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "mine.csv"
    data.write_text("a,b\n1,2\n", "utf-8")
    assert main(["sql", f"SELECT b FROM read_csv('{data}')", "--allow-files",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["b", "2"]
