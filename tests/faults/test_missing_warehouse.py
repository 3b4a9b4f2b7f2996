"""Fault 9: a command that needs the warehouse, run before `stepback init`, says so in one line
and leaves nothing behind (no empty catalog, no trained model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stepback.cli import main
from stepback.config import Settings


@pytest.mark.parametrize("argv", [
    ["classify"], ["digest"], ["subscribers"], ["sql", "SELECT 1"],
    ["feedback", "job-1", "good", "--subscriber", "a@example.com"],
    ["unsubscribe", "a@example.com"], ["maintain"],
])
def test_a_command_before_init_says_run_init_and_creates_nothing(
    settings: Settings, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (f"stepback: error: no warehouse at {settings.catalog} with data in "
                       f"{settings.data_path}; run `stepback init` first")
    assert not Path(settings.data_dir).exists()


def test_a_catalog_without_tables_is_not_taken_for_a_warehouse(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from stepback.lake_storage import create_local_catalog
    from stepback.warehouse import Warehouse

    create_local_catalog(Warehouse(settings.catalog, settings.data_path))
    assert main(["classify"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"stepback: error: the warehouse at {settings.catalog} with data in "
        f"{settings.data_path} has no tables; run `stepback init` first")
    assert not (settings.models_dir).exists(), "no model trained for a warehouse that is not there"
