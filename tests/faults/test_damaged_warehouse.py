"""Fault 8: a damaged warehouse is reported as damaged (not as busy or as something else), is
never padded or rewritten by `init`, and `stepback check` verifies the warehouse and the
landing ledger end to end."""

from __future__ import annotations

import pytest

from stepback.cli import main
from stepback.config import Settings
from stepback.loading import load_pending
from stepback.warehouse import Warehouse
from tests.conftest import posting, write_landing


@pytest.fixture
def loaded(settings: Settings) -> Warehouse:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    write_landing(settings.landing_dir / "jsonld_test", "run1.jsonl",
                  [posting(source_id=str(n)) for n in range(150)])  # past inlining: Parquet
    load_pending(warehouse, settings.landing_dir)
    return warehouse


def damage(settings: Settings, how: str) -> bytes:
    catalog = settings.data_dir / "lake.sqlite"
    whole = catalog.read_bytes()
    damaged = {"zeroed": bytes(len(whole)), "halved": whole[: len(whole) // 2],
               "emptied": b""}[how]
    catalog.write_bytes(damaged)
    return damaged


@pytest.mark.parametrize("how, said", [
    ("zeroed", "file is not a database"),
    ("halved", "database disk image is malformed"),
    ("emptied", "it is empty"),
])
@pytest.mark.parametrize("argv", [["init"], ["sql", "SELECT 1"], ["classify"], ["check"]])
def test_a_damaged_catalog_is_called_damaged_and_left_as_it_is(
    settings: Settings, loaded: Warehouse, capsys: pytest.CaptureFixture[str], how: str,
    said: str, argv: list[str],
) -> None:
    damaged = damage(settings, how)
    assert main(argv) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"stepback: error: the warehouse catalog at {settings.catalog} is damaged ({said}); "
        "restore it and its data files from a backup (README: Backups and restore), then run "
        "`stepback check`")
    assert (settings.data_dir / "lake.sqlite").read_bytes() == damaged


def test_check_passes_a_healthy_warehouse(
    settings: Settings, loaded: Warehouse, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "ok   migrations", "ok   tables", "ok   data files", "ok   landing ledger"]
    assert lines[3] == "ok   landing ledger: 1 files present with their hashes"


def test_check_names_a_lost_data_file_and_a_changed_landing_file(
    settings: Settings, loaded: Warehouse, capsys: pytest.CaptureFixture[str]
) -> None:
    with loaded.reader() as con:
        [(path,)] = con.execute(
            "SELECT data_file FROM ducklake_list_files('lake', 'postings') LIMIT 1").fetchall()
    lost = settings.data_dir / "lake" / path.split("/lake/", 1)[1]
    lost.unlink()
    (settings.landing_dir / "jsonld_test" / "run1.jsonl").write_text("{}\n", "utf-8")

    assert main(["check"]) == 1
    lines = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    assert lines["ok   migrations"].endswith("applied")
    assert lines["FAIL tables"].startswith("1 cannot be read: postings (")
    assert lines["FAIL data files"].startswith("1 of ") and f"{lost} (missing)" in (
        lines["FAIL data files"])
    assert lines["FAIL landing ledger"] == (
        "1 of 1 files: jsonld_test/run1.jsonl (changed since it was loaded)")
