"""Digest selection: filters, caps, and the send ledger that keeps a job from coming twice."""

from __future__ import annotations

from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from stepback.config import Profile, Settings
from stepback.digesting import pick, run_digest, wanted
from stepback.grouping import member_key
from stepback.subscribers import subscribe
from stepback.warehouse import Warehouse
from tests.conftest import posting

ANDREA = Profile(name="Andrea", email="andrea@example.com", title="Associate Producer",
                 departments=["unscripted"], locations=["Los Angeles, CA"], remote_ok=True,
                 exclude=["unpaid"], max_items=3)


def row(**overrides: object) -> dict:
    base = {"title": "Production Assistant", "company": "ABC", "production": None,
            "location": "Los Angeles, CA", "remote": False, "description": "Paid, union."}
    return {**base, **overrides}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, True),
        ({"location": "New York, NY"}, False),
        ({"location": None, "remote": True}, True),
        ({"description": "This is an UNPAID role."}, False),
        ({"location": "los angeles, ca"}, True),
    ],
)
def test_filters(overrides: dict, expected: bool) -> None:
    assert wanted(row(**overrides), ANDREA) is expected


def test_remote_needs_remote_ok() -> None:
    office_only = ANDREA.model_copy(update={"remote_ok": False})
    assert not wanted(row(location="Remote", remote=True), office_only)


def test_at_most_two_per_company_and_max_items() -> None:
    rows = [row(title=f"PA {i}", company="NBC") for i in range(4)]
    rows += [row(title="PA x", company="ABC"), row(title="PA y", company="CBS")]
    picked = pick(rows, ANDREA, default_max=15)
    assert [r["title"] for r in picked] == ["PA 0", "PA 1", "PA x"]


def seed(warehouse: Warehouse, postings: list[dict], flagged: dict[str, float]) -> None:
    with warehouse.writer() as con:
        subscribe(con, ANDREA)
        for p in postings:
            con.execute(
                "INSERT INTO postings BY NAME SELECT $source AS source, $source_id AS source_id, "
                "$job_key AS job_key, $url AS url, $title AS title, $company AS company, "
                "$location AS location, $description AS description, now() AS scraped_at, "
                "now() AS first_seen, now() AS last_seen, now() AS changed_at, "
                "'h' AS content_hash, 'f' AS landing_file",
                {"source": p["source"], "source_id": p["source_id"],
                 "job_key": member_key(p["source"], p["source_id"]),
                 "url": p["url"], "title": p["title"], "company": p["company"],
                 "location": p["location"], "description": p["description"]},
            )
            if p["source_id"] in flagged:
                con.execute(
                    "INSERT INTO scores VALUES "
                    "(?, ?, ?, 'h', 'p', 'v1', ?, true, 2, 0.9, ?, now())",
                    [ANDREA.email, p["source"], p["source_id"], flagged[p["source_id"]],
                     ["2 levels below your Associate Producer", "The Oscars: awards show"]],
                )


def test_no_repeats_across_days_and_nothing_new_sends_nothing(settings: Settings) -> None:
    warehouse = Warehouse(settings.warehouse_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1"), posting(source_id="2", title="Set PA – SNL",
                                                     company="NBC")],
         {"1": 0.9, "2": 0.8})
    first = run_digest(warehouse, settings, digest_date=date(2026, 11, 26))
    assert first["items"] == {"andrea@example.com": 2}
    [eml] = settings.outbox_dir.glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert text.index("99th Oscars") < text.index("Set PA – SNL")
    assert "2 levels below your Associate Producer" in text

    second = run_digest(warehouse, settings, digest_date=date(2026, 11, 27))
    assert second["items"] == {"andrea@example.com": 0} and second["nothing_new"] == 1
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 1

    seed(warehouse, [posting(source_id="3", title="Logger – Survivor", company="CBS")],
         {"3": 0.7})
    third = run_digest(warehouse, settings, digest_date=date(2026, 11, 28))
    assert third["items"] == {"andrea@example.com": 1}
    with warehouse.reader() as con:
        runs = con.execute("SELECT digest_date, items, status FROM digest_runs ORDER BY 1")
        runs = runs.fetchall()
    assert runs == [(date(2026, 11, 26), 2, "written"), (date(2026, 11, 28), 1, "written")]


def test_a_failed_send_is_retried_next_run(settings: Settings, tmp_path: Path) -> None:
    from tests.conftest import free_port

    warehouse = Warehouse(settings.warehouse_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1")], {"1": 0.9})
    down = Settings(**{**settings.__dict__, "smtp_url": f"smtp://127.0.0.1:{free_port()}"})
    failed = run_digest(warehouse, down, digest_date=date(2026, 11, 26))
    assert list(failed["failed"]) == ["andrea@example.com"]
    retried = run_digest(warehouse, settings, digest_date=date(2026, 11, 27))
    assert retried["items"] == {"andrea@example.com": 1}
    with warehouse.reader() as con:
        statuses = con.execute("SELECT status FROM digest_runs ORDER BY finished_at").fetchall()
    assert statuses == [("failed",), ("written",)]


def test_same_day_rerun_sends_nothing_and_overflow_waits_for_tomorrow(settings: Settings) -> None:
    warehouse = Warehouse(settings.warehouse_path)
    warehouse.init()
    shows = ["SNL", "Survivor", "The Voice", "Jeopardy!"]
    seed(warehouse, [posting(source_id=str(i), title=f"PA – {show}", company=f"Co {i}")
                     for i, show in enumerate(shows)],
         {str(i): 0.9 - i / 10 for i in range(len(shows))})
    day = date(2026, 11, 26)
    assert run_digest(warehouse, settings, digest_date=day)["items"] == {ANDREA.email: 3}
    again = run_digest(warehouse, settings, digest_date=day)
    assert again["items"] == {} and again["already_delivered"] == [ANDREA.email]
    tomorrow = run_digest(warehouse, settings, digest_date=date(2026, 11, 27))
    assert tomorrow["items"] == {ANDREA.email: 1}


def test_cli_digest_sends_through_smtp_url(
    settings: Settings, smtp_server, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from stepback.cli import main

    warehouse = Warehouse(settings.warehouse_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1"), posting(source_id="2", title="Logger – Survivor",
                                                     company="CBS")],
         {"1": 0.9, "2": 0.7})
    monkeypatch.setenv("STEPBACK_SMTP_URL", smtp_server.url())
    assert main(["digest", "--date", "2026-11-26"]) == 0
    assert '"sent": [\n    "andrea@example.com"' in capsys.readouterr().out
    [received] = smtp_server.handler.received
    assert received.rcpt_tos == ["andrea@example.com"]
    assert received.message["Subject"].startswith("2 step-back roles")
    assert not settings.outbox_dir.exists() or not list(settings.outbox_dir.iterdir())
    with warehouse.reader() as con:
        assert con.execute("SELECT status FROM digest_runs").fetchall() == [("sent",)]
    assert main(["digest", "--date", "2026-11-26"]) == 0
    assert len(smtp_server.handler.received) == 1
