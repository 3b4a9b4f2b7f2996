"""At most one digest per subscriber per day, whatever fails: a run killed with SIGKILL
mid-send, a reader holding the warehouse, two runs at once, SMTP gone mid-run. A real SMTP
server on 127.0.0.1 counts what each subscriber received."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from aiosmtpd.controller import Controller

from stepback.config import Settings
from stepback.digesting import run_digest
from stepback.grouping import member_key
from stepback.warehouse import Warehouse
from tests.conftest import free_port
from tests.smtp_server import RecordingHandler

REPO = Path(__file__).resolve().parents[2]
PEOPLE = 25
DAY = date(2026, 11, 26)
LONG_QUERY = "SELECT sum(hash(a.range + b.range)) FROM range(200000) a, range(200000) b"
RUN = """
import json, sys
from datetime import date
from stepback.config import load_settings
from stepback.pipeline import digest_step
print(json.dumps(digest_step(load_settings(), digest_date=date.fromisoformat(sys.argv[1]))),
      flush=True)
"""


class SlowSink(RecordingHandler):
    """Takes each message after a pause, so a run can be caught in the middle."""

    def __init__(self, pause: float = 0.15) -> None:
        super().__init__()
        self.pause = pause
        self.started = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.started += 1
        await asyncio.sleep(self.pause)
        return await super().handle_DATA(server, session, envelope)


def seed(warehouse: Warehouse) -> None:
    """PEOPLE subscribers in Los Angeles, each with one flagged job."""
    def write(con) -> None:
        for n in range(PEOPLE):
            email = f"p{n:02d}@example.com"
            con.execute(
                "INSERT INTO subscribers (email, name, title, departments, locations, remote_ok, "
                "exclude, subscribed_at, updated_at) VALUES (?, ?, 'Associate Producer', "
                "['unscripted'], ['Los Angeles, CA'], true, [], now(), now())",
                [email, f"Person {n}"])
            con.execute(
                "INSERT INTO postings (source, source_id, job_key, url, title, company, location, "
                "description, scraped_at, first_seen, last_seen, changed_at, content_hash, "
                "landing_file) VALUES ('jsonld:test', ?, ?, ?, 'Production Assistant', 'ABC', "
                "'Los Angeles, CA', 'Set PA for the telecast.', now(), now(), now(), now(), "
                "'h', 'f')",
                [str(n), member_key("jsonld:test", str(n)), f"https://jobs.example.com/{n}"])
            con.execute(
                "INSERT INTO scores VALUES (?, 'jsonld:test', ?, 'h', 'p', 'v1', 0.9, true, 2, "
                "0.9, ['2 levels below your Associate Producer'], now())", [email, str(n)])
    warehouse.init()
    warehouse.transaction(write, "seed subscribers")


def start_sink(handler: RecordingHandler, port: int) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def digest_process(settings: Settings, port: int) -> subprocess.Popen[str]:
    env = os.environ.copy() | {"STEPBACK_SMTP_URL": f"smtp://127.0.0.1:{port}"}
    return subprocess.Popen([sys.executable, "-c", RUN, DAY.isoformat()], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def received(*handlers: RecordingHandler) -> Counter[str]:
    return Counter(address for handler in handlers for r in handler.received
                   for address in r.rcpt_tos)


def statuses(warehouse: Warehouse) -> Counter[str]:
    with warehouse.reader() as con:
        return Counter(dict(con.execute(
            "SELECT status, count(*) FROM digest_runs GROUP BY status").fetchall()))


def wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_run_killed_mid_send_then_rerun_sends_nobody_two(settings: Settings) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    seed(warehouse)
    sink, port = SlowSink(), free_port()
    controller = start_sink(sink, port)
    try:
        run = digest_process(settings, port)
        # Killed while the server holds the 7th message: claimed, maybe delivered, unconfirmed.
        wait_for(lambda: sink.started >= 7)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        before_rerun = received(sink)
        summary = run_digest(warehouse, replace(settings, smtp_url=f"smtp://127.0.0.1:{port}"),
                             digest_date=DAY)
    finally:
        controller.stop()
    counts = received(sink)
    unknown = set(summary["unknown"])
    assert 6 <= sum(before_rerun.values()) <= 7
    assert max(counts.values()) == 1, counts
    # The one the killed run had claimed but not confirmed is reported and not sent again.
    assert len(unknown) == 1 and unknown.isdisjoint(summary["sent"])
    everyone = {f"p{n:02d}@example.com" for n in range(PEOPLE)}
    assert everyone - unknown <= set(counts)
    assert statuses(warehouse) == Counter(
        {"sent": PEOPLE - len(unknown), **({"unknown": 1} if unknown else {})})
    with warehouse.reader() as con:
        offered_again = con.execute(
            "SELECT count(*) FROM digest_items WHERE list_contains(?, subscriber_email)",
            [sorted(unknown)]).fetchone()[0]
    assert offered_again == 0, "an unknown digest's jobs are offered again"
    assert run_digest(warehouse, settings, digest_date=DAY)["written"] == []


def test_a_reader_open_at_record_time_changes_nothing(settings: Settings) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    seed(warehouse)
    sink, port = SlowSink(pause=0.0), free_port()
    controller = start_sink(sink, port)
    reader = subprocess.Popen(
        [str(Path(sys.executable).with_name("stepback")), "sql", LONG_QUERY],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        time.sleep(2.0)
        assert reader.poll() is None
        first = digest_process(settings, port)
        out, err = first.communicate(timeout=300)
        assert first.returncode == 0, err[-2000:]
        assert reader.poll() is None, "the reader held its query through the whole run"
        again = digest_process(settings, port)
        out_again, err = again.communicate(timeout=300)
        assert again.returncode == 0, err[-2000:]
    finally:
        reader.kill()
        reader.wait()
        controller.stop()
    counts = received(sink)
    assert len(counts) == PEOPLE and set(counts.values()) == {1}
    assert len(json.loads(out.strip().splitlines()[-1])["sent"]) == PEOPLE
    assert json.loads(out_again.strip().splitlines()[-1])["sent"] == []
    assert statuses(warehouse) == Counter({"sent": PEOPLE})


def test_two_runs_at_once_send_each_subscriber_one_digest(settings: Settings) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    seed(warehouse)
    sink, port = SlowSink(pause=0.05), free_port()
    controller = start_sink(sink, port)
    try:
        runs = [digest_process(settings, port) for _ in range(2)]
        outputs = [run.communicate(timeout=600) for run in runs]
    finally:
        controller.stop()
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err[-2000:]
    summaries = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    counts = received(sink)
    assert len(counts) == PEOPLE and set(counts.values()) == {1}, counts
    sent = [set(s["sent"]) for s in summaries]
    assert sent[0].isdisjoint(sent[1]) and len(sent[0] | sent[1]) == PEOPLE
    assert statuses(warehouse) == Counter({"sent": PEOPLE})


def test_smtp_gone_mid_run_fails_the_rest_and_a_rerun_sends_only_those(
    settings: Settings,
) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    seed(warehouse)
    port = free_port()
    first_sink = SlowSink(pause=0.1)
    controller = start_sink(first_sink, port)
    run = digest_process(settings, port)
    wait_for(lambda: len(first_sink.received) >= 8)
    controller.stop()
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err[-2000:]
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["failed"] and len(summary["sent"]) + len(summary["failed"]) == PEOPLE
    second_sink = SlowSink(pause=0.0)
    controller = start_sink(second_sink, port)
    try:
        rerun = digest_process(settings, port)
        out, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err[-2000:]
    finally:
        controller.stop()
    again = json.loads(out.strip().splitlines()[-1])
    assert set(again["sent"]) == set(summary["failed"])
    counts = received(first_sink, second_sink)
    assert len(counts) == PEOPLE and set(counts.values()) == {1}, counts
    done = statuses(warehouse)
    assert done["sent"] == PEOPLE and done["failed"] == len(summary["failed"])
