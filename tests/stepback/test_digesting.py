"""Digest selection: filters, caps, and the send ledger that keeps a job from coming twice."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from stepback.config import Profile, Settings
from stepback.digest import parse_smtp_url
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
                "$pay_min AS pay_min, $pay_max AS pay_max, $pay_unit AS pay_unit, "
                "now() AS first_seen, now() AS last_seen, now() AS changed_at, "
                "'h' AS content_hash, 'f' AS landing_file",
                {"source": p["source"], "source_id": p["source_id"],
                 "job_key": member_key(p["source"], p["source_id"]),
                 "url": p["url"], "title": p["title"], "company": p["company"],
                 "location": p["location"], "description": p["description"],
                 "pay_min": p["pay_min"], "pay_max": p["pay_max"], "pay_unit": p["pay_unit"]},
            )
            if p["source_id"] in flagged:
                con.execute(
                    "INSERT INTO scores VALUES "
                    "(?, ?, ?, 'h', 'p', 'v1', ?, true, 2, 0.9, ?, now())",
                    [ANDREA.email, p["source"], p["source_id"], flagged[p["source_id"]],
                     ["2 levels below your Associate Producer", "The Oscars: awards show"]],
                )


def test_no_repeats_across_days_and_nothing_new_sends_nothing(settings: Settings) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
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

    warehouse = Warehouse(settings.catalog, settings.data_path)
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
    warehouse = Warehouse(settings.catalog, settings.data_path)
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

    warehouse = Warehouse(settings.catalog, settings.data_path)
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


@pytest.mark.parametrize(
    ("pay", "expected"),
    [
        ((250, 250, "day"), False),
        ((200, 350, "day"), True),
        ((40, None, "hour"), True),
        ((70000, 70000, "year"), False),
        ((None, None, None), True),
        ((500, 500, None), True),
    ],
)
def test_minimum_pay_compares_across_units_and_keeps_unlisted_pay(
    pay: tuple, expected: bool
) -> None:
    picky = ANDREA.model_copy(update={"min_pay": 300.0, "min_pay_unit": "day"})
    low, high, unit = pay
    assert wanted(row(pay_min=low, pay_max=high, pay_unit=unit), picky) is expected
    assert wanted(row(pay_min=low, pay_max=high, pay_unit=unit), ANDREA)


BO = Profile(name="Bo", email="bo@example.com", title="Story Producer",
             departments=["unscripted"], timezone="Europe/London", send_time="06:00")


def flag(warehouse: Warehouse, email: str, source_id: str, score: float) -> None:
    with warehouse.writer() as con:
        con.execute(
            "INSERT INTO scores VALUES (?, 'jsonld:test', ?, 'h', 'p', 'v1', ?, true, 1, 0.9, "
            "['On a network special'], now())",
            [email, source_id, score],
        )


def one_job_for_andrea_and_bo(settings: Settings) -> Warehouse:
    """A warehouse with one job, flagged for Andrea (by `seed`) and for Bo."""
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1")], {"1": 0.9})
    with warehouse.writer() as con:
        subscribe(con, BO)
    flag(warehouse, BO.email, "1", 0.8)
    return warehouse


def test_each_subscriber_is_sent_at_their_own_time_for_their_own_day(settings: Settings) -> None:
    warehouse = one_job_for_andrea_and_bo(settings)

    # 08:00 in London, midnight in Los Angeles: only Bo's 06:00 has come.
    morning = run_digest(warehouse, settings, now=datetime(2026, 11, 26, 8, tzinfo=UTC),
                         due_only=True)
    assert morning["not_due"] == [ANDREA.email] and morning["items"] == {BO.email: 1}
    # 07:30 in Los Angeles: Andrea's default 07:00 has come; Bo already had today's.
    later = run_digest(warehouse, settings, now=datetime(2026, 11, 26, 15, 30, tzinfo=UTC),
                       due_only=True)
    assert later["not_due"] == [] and later["items"] == {ANDREA.email: 1}
    assert later["already_delivered"] == [BO.email]
    # 02:00 UTC on the 27th is still the 26th in Los Angeles: nothing twice for that day.
    night = run_digest(warehouse, settings, now=datetime(2026, 11, 27, 2, tzinfo=UTC))
    assert night["already_delivered"] == [ANDREA.email]
    with warehouse.reader() as con:
        runs = con.execute("SELECT subscriber_email, digest_date FROM digest_runs ORDER BY 1")
        assert runs.fetchall() == [(ANDREA.email, date(2026, 11, 26)),
                                   (BO.email, date(2026, 11, 26))]


def test_nothing_new_sends_a_note_only_to_those_who_asked(
    settings: Settings, smtp_server
) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    seed(warehouse, [], {})
    with warehouse.writer() as con:
        subscribe(con, BO.model_copy(update={"nothing_today": True}))
    smtp = parse_smtp_url(smtp_server.url())

    first = run_digest(warehouse, settings, digest_date=date(2026, 11, 26), smtp=smtp)
    assert first["sent"] == [BO.email] and first["nothing_today_notes"] == 1
    [note] = smtp_server.handler.received
    assert note.message["Subject"] == "No new step-back roles — Thu 26 Nov"
    text = note.message.get_body(preferencelist=("plain",)).get_content()
    assert "No new step-back roles matched your profile today." in text
    assert "Unsubscribe: http" in text

    again = run_digest(warehouse, settings, digest_date=date(2026, 11, 26), smtp=smtp)
    assert again["sent"] == [] and len(smtp_server.handler.received) == 1


def test_a_refused_subscriber_is_retried_and_the_others_still_get_theirs(
    settings: Settings, smtp_server
) -> None:
    warehouse = one_job_for_andrea_and_bo(settings)
    smtp_server.handler.refuse.add(ANDREA.email)
    smtp = parse_smtp_url(smtp_server.url())
    day = date(2026, 11, 26)

    first = run_digest(warehouse, settings, digest_date=day, smtp=smtp)
    assert first["sent"] == [BO.email] and "550" in first["failed"][ANDREA.email]
    smtp_server.handler.refuse.clear()
    second = run_digest(warehouse, settings, digest_date=day, smtp=smtp)
    assert second["sent"] == [ANDREA.email] and second["already_delivered"] == [BO.email]
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [[BO.email], [ANDREA.email]]
    with warehouse.reader() as con:
        runs = con.execute("SELECT subscriber_email, status, detail IS NOT NULL "
                           "FROM digest_runs ORDER BY finished_at").fetchall()
        sent = con.execute("SELECT subscriber_email FROM digest_items ORDER BY 1").fetchall()
    assert runs == [(ANDREA.email, "failed", True), (BO.email, "sent", False),
                    (ANDREA.email, "sent", False)]
    assert sent == [(ANDREA.email,), (BO.email,)]


HOSTILE = 'Runner <script>alert("x")</script> "Quoted" \'single\'\nBcc: evil@example.com'


def test_received_digest_escapes_a_hostile_posting_and_links_back(
    settings: Settings, smtp_server
) -> None:
    from stepback.digest.signing import Signer, load_secret
    from stepback.link_server import LinkServer, start
    from tests.stepback.test_link_server import feedback_rows, fetch

    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1", title=HOSTILE, url="javascript:alert(1)"),
                     posting(source_id="2", title="Set PA – SNL", company="NBC")],
         {"1": 0.9, "2": 0.8})
    run_digest(warehouse, settings, digest_date=date(2026, 11, 26),
               smtp=parse_smtp_url(smtp_server.url()))

    [received] = smtp_server.handler.received
    message = received.message
    assert received.rcpt_tos == [ANDREA.email] and message["Bcc"] is None
    assert message["Subject"] == "2 step-back roles on high-profile productions — Thu 26 Nov"
    assert message["Message-ID"] and message["Date"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "<script" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&#34;Quoted&#34; &#39;single&#39; Bcc: evil@example.com" in html
    assert "javascript:" not in html and "javascript:" not in text
    assert not any(line.startswith("Bcc:") for line in text.splitlines())
    assert html.index("Runner") < html.index("Set PA – SNL")

    good = re.findall(r'href="([^"]+/feedback/[^"]+)"[^>]*>Good pick<', html)
    assert len(good) == 2
    server = LinkServer(("127.0.0.1", 0), warehouse, Signer(load_secret(settings.data_dir)))
    start(server)
    try:
        local = good[1].replace(settings.file.digest.links_url, server.url)
        assert fetch(local, data=b"")[0] == 200
    finally:
        server.shutdown()
        server.server_close()
    assert feedback_rows(warehouse) == [(ANDREA.email, member_key("jsonld:test", "2"), "good",
                                         "email")]


def test_preview_writes_html_and_text_and_records_nothing(settings: Settings) -> None:
    from stepback.digesting import preview_digest

    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1")], {"1": 0.9})
    html, text = preview_digest(warehouse, settings, ANDREA.email,
                                now=datetime(2026, 11, 26, 18, tzinfo=UTC))
    assert html.suffix == ".html" and text.suffix == ".txt" and html.stem == text.stem
    assert "2026-11-26" in html.name
    assert "Production Assistant – 99th Oscars" in html.read_text("utf-8")
    assert text.read_text("utf-8").startswith("1 step-back role on a high-profile production")
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM digest_runs").fetchone() == (0,)
    with pytest.raises(ValueError, match="no subscriber nobody@example.com"):
        preview_digest(warehouse, settings, "nobody@example.com")
