"""The shared lake with real processes at once: a reader holding a long query, two loaders,
and a click during a large load. Nothing here is mocked; timings are never asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from stepback.cli import main
from stepback.config import Settings
from stepback.digest.links import DigestLinks
from stepback.digest.signing import Signer
from stepback.link_server import LinkServer, start
from stepback.warehouse import Warehouse
from tests.conftest import posting, write_landing

REPO = Path(__file__).resolve().parents[2]
LONG_QUERY = "SELECT sum(hash(a.range + b.range)) FROM range(200000) a, range(200000) b"
LOADER = """
import json, sys
from pathlib import Path
from stepback.loading import load_pending, totals
from stepback.warehouse import Warehouse
warehouse = Warehouse(sys.argv[1], sys.argv[2])
print(json.dumps(totals(load_pending(warehouse, Path(sys.argv[3])))), flush=True)
"""


def stepback_command(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("stepback")), *args]


@contextmanager
def long_reader(settings: Settings) -> Iterator[subprocess.Popen[str]]:
    """`stepback sql` with a query that runs for many seconds, in its own process."""
    reader = subprocess.Popen(stepback_command("sql", LONG_QUERY), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        time.sleep(2.0)  # past start-up and the attach: the query is under way
        assert reader.poll() is None, reader.communicate()
        yield reader
    finally:
        reader.kill()
        reader.wait()


def loader(warehouse: Warehouse, landing: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", LOADER, warehouse.catalog, warehouse.data_path, str(landing)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def in_chunk_transaction(warehouse: Warehouse, load: subprocess.Popen[str]) -> None:
    """Wait until the loader holds its turn on the lake: it is inside a chunk's transaction."""
    from filelock import FileLock, Timeout

    turn = FileLock(warehouse.catalog.removeprefix("sqlite:") + ".bulk.lock", timeout=0)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and load.poll() is None:
        try:
            turn.acquire()
        except Timeout:
            return
        turn.release()
        time.sleep(0.05)
    raise AssertionError("the load never entered a chunk transaction")


def finished(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]
    return out


def count(warehouse: Warehouse, sql: str) -> int:
    with warehouse.reader() as con:
        return int(con.execute(sql).fetchone()[0])


def click(url: str) -> int:
    request = urllib.request.Request(url, data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def test_writers_succeed_while_a_reader_holds_a_long_query(
    settings: Settings, smtp_server, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    assert main(["init"]) == 0
    write_landing(settings.landing_dir / "jsonld_test", "run1.jsonl", [
        posting(source_id="1"), posting(source_id="2", title="Logger – Survivor",
                                        company="CBS", production="Survivor")])
    with long_reader(settings) as reader:
        assert main(["load"]) == 0
        assert main(["subscribe", str(REPO / "profiles" / "andrea.toml")]) == 0
        assert main(["classify"]) == 0
        os.environ["STEPBACK_SMTP_URL"] = smtp_server.url()
        try:
            assert main(["digest", "--send", "--date", "2026-11-26"]) == 0
        finally:
            del os.environ["STEPBACK_SMTP_URL"]
        signer = Signer(b"concurrency-test-secret-000000")
        server = LinkServer(("127.0.0.1", 0), warehouse, signer)
        start(server)
        try:
            with warehouse.reader() as con:
                job = con.execute("SELECT job_key FROM jobs ORDER BY job_key LIMIT 1").fetchone()
            url = DigestLinks(server.url, signer).feedback("andrea@example.com", job[0], "good")
            assert click(url) == 200
        finally:
            server.shutdown()
            server.server_close()
        assert reader.poll() is None, "the reader was still at its query through every write"
    assert count(warehouse, "SELECT count(*) FROM postings") == 2
    assert count(warehouse, "SELECT count(*) FROM subscribers") == 1
    assert count(warehouse, "SELECT count(*) FROM scores") == 2
    assert count(warehouse, "SELECT count(*) FROM digest_runs WHERE status = 'sent'") == 1
    assert count(warehouse, "SELECT count(*) FROM feedback") == 1
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [["andrea@example.com"]]


def _crawl_files(landing: Path, source: str, files: int, per_file: int, start: int) -> int:
    folder = landing / source.replace(":", "_")
    for number in range(files):
        first = start + number * per_file
        write_landing(folder, f"run{number:03d}.jsonl", [
            posting(source=source, source_id=str(i), url=f"https://jobs.example.com/{i}",
                    title=f"Production Assistant {i}", description=f"Set PA number {i} of "
                    f"many for a long telecast season with its own crew.")
            for i in range(first, first + per_file)])
    return files * per_file


def test_two_loaders_over_different_files_both_land_with_exact_counts(tmp_path: Path) -> None:
    warehouse = Warehouse.local(tmp_path / "lake")
    warehouse.init()
    lines = _crawl_files(tmp_path / "a", "jsonld:alpha", 3, 400, 0)
    lines += _crawl_files(tmp_path / "b", "jsonld:beta", 3, 400, 0)
    first, second = loader(warehouse, tmp_path / "a"), loader(warehouse, tmp_path / "b")
    finished(first), finished(second)
    assert count(warehouse, "SELECT count(*) FROM postings") == lines
    assert count(warehouse, "SELECT count(DISTINCT (source, source_id)) FROM postings") == lines
    assert count(warehouse, "SELECT count(*) FROM raw_postings") == lines
    assert count(warehouse, "SELECT count(*) FROM landing_files") == 6
    assert count(warehouse, "SELECT count(*) FROM load_runs") == 6
    assert count(warehouse, "SELECT sum(inserted) FROM load_runs") == lines


def test_two_loaders_over_the_same_files_load_each_file_once(tmp_path: Path) -> None:
    warehouse = Warehouse.local(tmp_path / "lake")
    warehouse.init()
    lines = _crawl_files(tmp_path / "landing", "jsonld:alpha", 2, 500, 0)
    lines += _crawl_files(tmp_path / "landing", "rss:beta", 2, 500, 0)
    outputs = [finished(p) for p in [loader(warehouse, tmp_path / "landing") for _ in range(2)]]
    assert count(warehouse, "SELECT count(*) FROM landing_files") == 4
    assert count(warehouse, "SELECT count(DISTINCT sha256) FROM landing_files") == 4
    assert count(warehouse, "SELECT count(*) FROM load_runs") == 4
    assert count(warehouse, "SELECT count(*) FROM raw_postings") == lines
    assert count(warehouse, "SELECT count(*) FROM postings") == lines
    loaded = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    assert sorted(s["files_loaded"] + s["files_skipped"] for s in loaded) == [4, 4]
    assert sum(s["files_loaded"] for s in loaded) == 4


def test_a_click_lands_while_a_200k_posting_load_is_still_running(tmp_path: Path) -> None:
    from bench.synthetic import generate
    from stepback.grouping import member_key

    job = member_key("s", "1")  # the key the loader's grouping gives a posting on its own
    warehouse = Warehouse.local(tmp_path / "lake")
    warehouse.init()
    warehouse.transaction(lambda con: (
        con.execute("INSERT INTO subscribers (email, name, title, departments, locations, "
                    "remote_ok, exclude, subscribed_at, updated_at) VALUES ('a@example.com', "
                    "'A', 'Associate Producer', ['x'], [], true, [], now(), now())"),
        con.execute("INSERT INTO postings (source, source_id, job_key, url, title, description, "
                    "scraped_at, first_seen, last_seen, changed_at, content_hash, landing_file) "
                    "VALUES ('s', '1', ?, 'https://x.example/1', 'PA', 'Runs.', now(), "
                    "now(), now(), now(), 'h', 'f')", [job])), "seed")
    generated = generate(tmp_path / "landing", 200_000)
    signer = Signer(b"concurrency-test-secret-000000")
    server = LinkServer(("127.0.0.1", 0), warehouse, signer)
    start(server)
    load = loader(warehouse, tmp_path / "landing")
    try:
        in_chunk_transaction(warehouse, load)
        assert load.poll() is None, load.communicate()
        url = DigestLinks(server.url, signer).feedback("a@example.com", job, "good")
        assert click(url) == 200
        recorded = count(warehouse, "SELECT count(*) FROM feedback")
        still_loading = load.poll() is None
    finally:
        server.shutdown()
        server.server_close()
    summary = finished(load)
    assert recorded == 1 and still_loading, "the click landed before the load finished"
    assert f'"lines_read": {generated.lines}' in summary
    assert count(warehouse, "SELECT count(*) FROM raw_postings") + count(
        warehouse, "SELECT count(*) FROM quarantine") == generated.lines
