"""`stepback serve` over real HTTP on 127.0.0.1: feedback and one-click unsubscribe links."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from stepback.config import Settings
from stepback.digest.links import DigestLinks
from stepback.digest.signing import Signer
from stepback.grouping import member_key
from stepback.link_server import LinkServer, start
from stepback.warehouse import Warehouse
from tests.conftest import posting
from tests.stepback.test_digesting import ANDREA, seed

SIGNER = Signer(b"s" * 32)
JOB = member_key("jsonld:test", "1")


@dataclass
class Served:
    warehouse: Warehouse
    links: DigestLinks
    server: LinkServer


@pytest.fixture
def served(settings: Settings) -> Iterator[Served]:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1")], {"1": 0.9})
    server = LinkServer(("127.0.0.1", 0), warehouse, SIGNER, lock_wait=0.3)
    start(server)
    try:
        yield Served(warehouse, DigestLinks(server.url, SIGNER), server)
    finally:
        server.shutdown()
        server.server_close()


def fetch(url: str, data: bytes | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def feedback_rows(warehouse: Warehouse) -> list[tuple]:
    with warehouse.reader() as con:
        return con.execute("SELECT subscriber_email, job_key, label, via FROM feedback").fetchall()


def test_get_only_asks_and_post_records_the_verdict(served: Served) -> None:
    good = served.links.feedback(ANDREA.email, JOB, "good")

    status, page, headers = fetch(good)
    assert status == 200 and '<form method="post"' in page and "Good pick" in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert feedback_rows(served.warehouse) == [], "a prefetching scanner records nothing"

    status, page, _ = fetch(good, data=b"")
    assert status == 200 and "Recorded" in page
    assert fetch(good, data=b"")[0] == 200, "a second click changes nothing"
    assert feedback_rows(served.warehouse) == [(ANDREA.email, JOB, "good", "email")]

    assert fetch(served.links.feedback(ANDREA.email, JOB, "bad"), data=b"")[0] == 200
    assert feedback_rows(served.warehouse) == [(ANDREA.email, JOB, "bad", "email")]


def test_forged_or_foreign_links_are_refused(served: Served) -> None:
    mine = served.links.feedback(ANDREA.email, JOB, "good")
    other_secret = DigestLinks(served.server.url, Signer(b"x" * 32))
    payload, signature = mine.rsplit("/", 1)[1].split(".")
    someone_else = served.links.feedback("bo@example.com", JOB, "good").rsplit("/", 1)[1]
    forged = [
        other_secret.feedback(ANDREA.email, JOB, "good"),
        f"{served.server.url}/feedback/{someone_else.split('.')[0]}.{signature}",
        f"{served.server.url}/feedback/{payload}.{signature[:-2]}AA",
        f"{served.server.url}/unsubscribe/{payload}.{signature}",
    ]
    for url in forged:
        assert fetch(url, data=b"")[0] == 403, url
    assert fetch(f"{served.server.url}/nothing", data=b"")[0] == 404
    assert feedback_rows(served.warehouse) == []
    with served.warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM subscribers").fetchone() == (1,)


def test_feedback_for_a_job_that_is_gone_says_so(served: Served) -> None:
    status, page, _ = fetch(served.links.feedback(ANDREA.email, "no-such-job", "good"), b"")
    assert status == 410 and "no longer" in page


def test_one_click_unsubscribe_removes_the_subscriber(served: Served) -> None:
    url = served.links.unsubscribe(ANDREA.email)
    status, page, _ = fetch(url)
    assert status == 200 and "Unsubscribe</button>" in page
    status, page, _ = fetch(url, data=b"List-Unsubscribe=One-Click")
    assert status == 200 and "andrea@example.com will get no more" in page
    with served.warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM subscribers").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM scores").fetchone() == (0,)
    assert fetch(url, data=b"List-Unsubscribe=One-Click")[0] == 200, "idempotent"


def test_busy_warehouse_answers_503_and_records_later(served: Served) -> None:
    """Another process holds the catalog's write lock (a stuck writer): the click gives up
    after lock_wait with 503 and Retry-After, and lands once the lock is gone."""
    good = served.links.feedback(ANDREA.email, JOB, "good")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "db.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(60)",
         served.warehouse.catalog.removeprefix("sqlite:")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        status, _, headers = fetch(good, data=b"")
    finally:
        holder.kill()
        holder.wait()
    assert status == 503 and headers["Retry-After"] == "30"
    assert fetch(good, data=b"")[0] == 200
    assert len(feedback_rows(served.warehouse)) == 1


def test_a_click_before_the_warehouse_exists_creates_nothing(tmp_path) -> None:
    missing = Warehouse.local(tmp_path / "none")
    server = LinkServer(("127.0.0.1", 0), missing, SIGNER, lock_wait=0.3)
    start(server)
    try:
        url = DigestLinks(server.url, SIGNER).feedback(ANDREA.email, JOB, "good")
        status, page, headers = fetch(url, data=b"")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 503 and "no warehouse yet" in page and headers["Retry-After"] == "30"
    assert list(tmp_path.iterdir()) == []
