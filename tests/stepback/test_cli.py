"""The `stepback` command: help for each command, one-line errors, and the data commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stepback.cli import build_parser, main
from stepback.config import Settings
from tests.conftest import REPO, posting, write_landing

COMMANDS = ["init", "crawl", "parse", "load", "classify", "score", "digest", "train", "feedback",
            "subscribe",
            "export",
            "subscribers", "unsubscribe", "serve", "sql", "demo", "airflow"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert build_parser().prog in capsys.readouterr().out


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "STEPBACK_CONFIG": str(tmp_path / "missing.toml")}
    done = subprocess.run(
        [sys.executable, "-m", "stepback.cli", "init"], env=env, cwd=REPO,
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1
    missing = tmp_path / "missing.toml"
    assert done.stderr.strip() == f"stepback: error: config file not found: {missing}"
    assert "Traceback" not in done.stderr


def test_unknown_source_and_missing_warehouse(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["crawl", "nope"]) == 1
    assert "no source named 'nope'" in capsys.readouterr().err
    assert main(["sql", "SELECT 1"]) == 1
    assert "run `stepback init` first" in capsys.readouterr().err


def test_init_load_and_sql_formats(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    assert "applied 001_lake_schema" in capsys.readouterr().out
    assert main(["init"]) == 0
    assert "up to date" in capsys.readouterr().out
    write_landing(settings.landing_dir / "jsonld_test", "r.jsonl",
                  [posting(source_id="1"), posting(source_id="2", title="Logger"), "{oops"])
    assert main(["load"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["inserted"] == 2
    assert "[1/1] jsonld_test/r.jsonl: 2 new, 0 updated, 1 quarantined" in captured.err
    query = "SELECT source_id, title FROM postings ORDER BY 1"
    assert main(["sql", query, "--format", "json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines == [{"source_id": "1", "title": posting()["title"]},
                     {"source_id": "2", "title": "Logger"}]
    assert main(["sql", "SELECT count(*) AS n FROM quarantine", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "1"]
    assert main(["sql", "DELETE FROM postings"]) == 1
    assert "read-only" in capsys.readouterr().err.lower()


def test_subscribe_then_list(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["subscribe", str(REPO / "profiles" / "andrea.toml")]) == 0
    assert capsys.readouterr().out.strip() == "subscribed Andrea <andrea@example.com>"
    assert main(["subscribe", str(REPO / "profiles" / "andrea.toml")]) == 0
    assert capsys.readouterr().out.strip() == "updated Andrea <andrea@example.com>"
    assert main(["subscribers"]) == 0
    assert capsys.readouterr().out.startswith("andrea@example.com\tAndrea\tAssociate Producer")


def test_bad_profile_is_one_clear_line(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "X"\nemail = "not-an-email"\ntitle = "PA"\n', "utf-8")
    assert main(["subscribe", str(bad)]) == 1
    assert capsys.readouterr().err.startswith("stepback: error: bad.toml: email:")


FIXTURES = REPO / "tests" / "fixtures" / "scrapers"


@pytest.mark.parametrize(
    ("fixture", "kind", "count"),
    [("jsonld/job-graph.html", None, 1), ("greenhouse/a24-jobs.json", "greenhouse", 3),
     ("rss/ecnjcat127.xml", None, 2)],
)
def test_parse_prints_postings_in_the_contract(
    fixture: str, kind: str | None, count: int, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["parse", str(FIXTURES / fixture), "--url", "https://jobs.example.com/x/"]
    assert main(args + (["--format", kind] if kind else [])) == 0
    out, err = capsys.readouterr()
    postings = [json.loads(line) for line in out.splitlines()]
    assert len(postings) == count
    assert all(set(p) >= {"source", "source_id", "url", "title", "description"} for p in postings)
    assert f"{count} postings" in err


def test_parse_of_a_broken_page_fails_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    broken = FIXTURES / "jsonld" / "job-broken.html"
    assert main(["parse", str(broken)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1].startswith(f"stepback: error: {broken}: no postings found")
    assert "broken_json" in err


def test_parse_of_a_missing_file_names_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "nowhere.html"]) == 1
    assert capsys.readouterr().err.startswith("stepback: error: nowhere.html: ")


def test_export_writes_every_table_and_view_as_parquet(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import duckdb

    assert main(["init"]) == 0
    write_landing(settings.landing_dir / "jsonld_test", "r.jsonl", [posting(source_id="1")])
    assert main(["load"]) == 0
    out = tmp_path / "export"
    assert main(["export", "--parquet", str(out)]) == 0
    names = {p.stem for p in out.glob("*.parquet")}
    assert {"postings", "jobs", "opportunities", "quarantine", "schema_migrations"} <= names
    titles = duckdb.sql(f"SELECT title FROM read_parquet('{out / 'jobs.parquet'}')").fetchall()
    assert titles == [(posting()["title"],)]


def test_sql_at_answers_as_the_warehouse_stood_then(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    import time
    from datetime import UTC, datetime

    assert main(["init"]) == 0
    time.sleep(0.05)
    before_load = datetime.now(UTC).isoformat()
    time.sleep(0.05)
    write_landing(settings.landing_dir / "jsonld_test", "r.jsonl", [posting(source_id="1")])
    assert main(["load"]) == 0
    capsys.readouterr()
    assert main(["sql", "SELECT count(*) AS n FROM postings", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "1"]
    assert main(["sql", "SELECT count(*) AS n FROM postings", "--format", "csv",
                 "--at", before_load]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "0"]
    with pytest.raises(SystemExit):
        main(["sql", "SELECT 1", "--at", "yesterday"])
    assert "not an ISO timestamp: 'yesterday'" in capsys.readouterr().err
