"""The digest's commands: subscribe with a schedule, unsubscribe, digest --send/--preview, serve."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from stepback.cli import main
from stepback.config import Settings
from stepback.subscribers import subscribers
from stepback.warehouse import Warehouse
from tests.conftest import REPO, posting
from tests.stepback.test_digesting import seed

PROFILE = """
name = "Bo"
email = "bo@example.com"
title = "Story Producer"
departments = ["unscripted"]
timezone = "Europe/London"
send_time = "06:30"
nothing_today = true
min_pay = 30
min_pay_unit = "hour"
"""


def test_subscribe_keeps_schedule_and_pay_then_unsubscribe(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bo.toml").write_text(PROFILE, "utf-8")
    assert main(["subscribe", str(tmp_path / "bo.toml")]) == 0
    assert main(["subscribe", str(REPO / "profiles" / "andrea.toml")]) == 0
    capsys.readouterr()
    assert main(["subscribers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("\t07:00 America/Los_Angeles"), "the [digest] defaults"
    assert lines[1].startswith("bo@example.com\t") and lines[1].endswith("\t06:30 Europe/London")
    with Warehouse(settings.catalog, settings.data_path).reader() as con:
        bo = next(p for p in subscribers(con) if p.email == "bo@example.com")
    assert (bo.nothing_today, bo.min_pay, bo.min_pay_unit) == (True, 30.0, "hour")

    assert main(["unsubscribe", "bo@example.com"]) == 0
    assert capsys.readouterr().out.strip() == "unsubscribed bo@example.com"
    assert main(["unsubscribe", "bo@example.com"]) == 1
    assert capsys.readouterr().err.strip() == "stepback: error: no subscriber bo@example.com"


def test_bad_timezone_in_a_profile_is_one_line(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.toml").write_text(PROFILE.replace("Europe/London", "Mars/Base"), "utf-8")
    assert main(["subscribe", str(tmp_path / "bad.toml")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "timezone" in err and "Mars/Base" in err


def test_digest_send_needs_an_smtp_url_and_preview_writes_files(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1")], {"1": 0.9})

    assert main(["digest", "--send"]) == 1
    assert capsys.readouterr().err.startswith("stepback: error: --send needs STEPBACK_SMTP_URL")
    assert main(["digest", "--preview", "andrea@example.com"]) == 0
    html, text = (Path(line) for line in capsys.readouterr().out.split())
    assert html.parent == settings.outbox_dir / "preview"
    assert "99th Oscars" in html.read_text("utf-8") and "99th Oscars" in text.read_text("utf-8")
    assert not list(settings.outbox_dir.glob("*.eml")), "a preview sends nothing"


def test_serve_answers_on_127_0_0_1(settings: Settings) -> None:
    Warehouse(settings.catalog, settings.data_path).init()
    stepback = Path(sys.executable).with_name("stepback")
    process = subprocess.Popen([str(stepback), "serve", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("serving digest links on http://127.0.0.1:"), line
        url = line.split()[4]
        with urllib.request.urlopen(url + "/", timeout=10) as response:
            assert response.status == 200 and b"stepback" in response.read()
        assert (settings.data_dir / "link-secret").exists()
    finally:
        process.terminate()
        process.wait(timeout=10)
