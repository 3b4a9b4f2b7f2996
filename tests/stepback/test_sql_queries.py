"""Every query in sql/queries runs against a warehouse that has what it asks about."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from stepback.cli import main
from stepback.config import Settings, load_settings
from stepback.digesting import run_digest
from stepback.loading import load_pending
from stepback.subscribers import read_profile, subscribe
from stepback.warehouse import SQL_DIR, Warehouse
from tests.conftest import REPO, env_for, posting, write_config, write_landing

QUERIES = sorted((SQL_DIR / "queries").glob("*.sql"))
def board(**fields: object) -> dict[str, object]:
    return posting(source="jsonld:board", **fields)


OSCARS = board(source_id="1", pay_min=300, pay_max=300)


@pytest.fixture(scope="module")
def warehouse_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("queries")
    settings = load_settings(env_for(write_config(tmp / "s.toml", "http://127.0.0.1:9"), tmp))
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    write_landing(settings.landing_dir / "jsonld_board", "run1.jsonl", [
        OSCARS,
        board(source_id="2", title="Production Coordinator – Abbott Elementary",
                company="20th Television", union=True, pay_min=1800, pay_max=1800,
                pay_unit="week"),
        board(source_id="3", title="Logger – Unscripted Docuseries", company="Netflix",
                location=None, remote=True, pay_min=20, pay_max=22, pay_unit="hour"),
        board(source_id="4", title="Production Assistant – student thesis film",
                company="USC School of Cinematic Arts", union=False, pay_min=0, pay_max=0,
                pay_unit=None, pay_currency=None, description="Unpaid. Meals and credit."),
        board(source_id="5", title="APOC – Holiday Special", company="Dick Clark Productions",
                valid_through="2020-01-01"),
        '{"source": "jsonld:board", "title": ',
    ])
    write_landing(settings.landing_dir / "rss_feed", "run1.jsonl", [
        {**OSCARS, "source": "rss:feed", "source_id": "77", "url": "https://feed.example/77"},
    ])
    load_pending(warehouse, settings.landing_dir)
    with warehouse.writer() as con:
        subscribe(con, read_profile(REPO / "profiles" / "andrea.toml"))
        con.execute(
            "INSERT INTO scores VALUES ('andrea@example.com', 'jsonld:board', '1', 'h', 'p', "
            "'v1', 0.91, true, 3, 0.9, ['3 levels below your Associate Producer', "
            "'The Oscars (ABC): awards show'], now())"
        )
    run_digest(warehouse, settings, digest_date=date.today())
    return settings


def test_there_are_at_least_eight_queries_each_saying_what_it_answers() -> None:
    assert len(QUERIES) >= 8
    for path in QUERIES:
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("-- ") and len(first) > 20, path.name


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_query_answers_on_a_warehouse_that_has_the_data(
    path: Path, warehouse_settings: Settings, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("STEPBACK_CONFIG", str(warehouse_settings.config_path))
    monkeypatch.setenv("STEPBACK_DATA_DIR", str(warehouse_settings.data_dir))
    assert main(["sql", f"@{path}", "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows, f"{path.name} returned nothing"


def test_union_pa_query_picks_the_right_jobs(
    warehouse_settings: Settings, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("STEPBACK_CONFIG", str(warehouse_settings.config_path))
    monkeypatch.setenv("STEPBACK_DATA_DIR", str(warehouse_settings.data_dir))
    query = SQL_DIR / "queries" / "union_pa_jobs_paying_over_250_a_day.sql"
    assert main(["sql", f"@{query}", "--format", "json"]) == 0
    titles = [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()]
    assert titles == [OSCARS["title"]]


def test_views_for_people(warehouse_settings: Settings) -> None:
    with Warehouse(warehouse_settings.catalog, warehouse_settings.data_path).reader() as con:
        health = con.execute(
            "SELECT source, items, quarantined, company_coverage, pay_coverage "
            "FROM source_health ORDER BY source"
        ).fetchall()
        new = con.execute("SELECT count(*) FROM new_jobs").fetchone()[0]
        companies = dict(con.execute(
            "SELECT company, open_jobs FROM jobs_by_company").fetchall())
    assert health == [("jsonld:board", 6, 1, 1.0, 1.0), ("rss:feed", 1, 0, 1.0, 1.0)]
    assert new == 5
    assert "Dick Clark Productions" not in companies and companies["ABC"] == 1
