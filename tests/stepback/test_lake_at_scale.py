"""The lake at scale: a Postgres catalog and data files in S3-compatible storage, both real
servers on 127.0.0.1, credentials from the environment only."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stepback.lake_storage import StorageError
from stepback.loading import load_pending, totals
from stepback.warehouse import Warehouse
from tests.conftest import free_port, posting, write_landing
from tests.servers import PASSWORD, S3, Postgres, postgres_server, s3_server

REPO = Path(__file__).resolve().parents[2]
# Two writers of one kind at once: the first holds its transaction open (it has recorded its
# verdict and says so) until the file argv[4] exists, which the test makes after the second has
# committed; so the first must be retried.
SLOW_VERDICT = """
import logging, sys, time
from pathlib import Path
from stepback.feedback import record_feedback
from stepback.warehouse import Warehouse
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
warehouse = Warehouse(sys.argv[1], sys.argv[2])
go_on = Path(sys.argv[4]) if len(sys.argv) > 4 else None
def work(con):
    record_feedback(con, "a@example.com", "job-1", sys.argv[3], "cli")
    print("recorded", flush=True)
    deadline = time.monotonic() + 120
    while go_on is not None and not go_on.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
warehouse.transaction(work, "record feedback", guard="feedback")
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with postgres_server(free_port()) as server:
        yield server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    with s3_server(free_port()) as store:
        yield store


@pytest.fixture
def lake(postgres: Postgres, s3: S3, monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    """A fresh lake (its own schema of files and a clean catalog database) per test."""
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    for key, value in s3.environment().items():
        monkeypatch.setenv(key, value)
    env = os.environ | {"PGPASSWORD": PASSWORD}
    psql = [_psql(), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", postgres.user,
            "-d", postgres.database, "-q", "-c"]
    subprocess.run([*psql, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True,
                   env=env, capture_output=True)
    prefix = f"lake-{os.urandom(4).hex()}/"
    warehouse = Warehouse(postgres.catalog, f"s3://{s3.bucket}/{prefix}")
    warehouse.init()
    return warehouse


def _psql() -> str:
    from tests.servers import _binary

    return _binary("psql")


def test_a_load_lands_in_postgres_and_s3(lake: Warehouse, s3: S3, tmp_path: Path) -> None:
    # More rows than a write keeps inline in the catalog, so they go to Parquet files in S3.
    write_landing(tmp_path / "landing" / "jsonld_test", "run1.jsonl", [
        posting(source_id=str(n), title=f"Production Assistant {n}",
                url=f"https://jobs.example.com/{n}") for n in range(150)] + ["{oops"])
    summary = totals(load_pending(lake, tmp_path / "landing"))
    assert (summary["inserted"], summary["quarantined"]) == (150, 1)
    with lake.reader() as con:
        assert con.execute("SELECT count(*) FROM postings").fetchone() == (150,)
        assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (1,)
    prefix = lake.data_path.removeprefix(f"s3://{s3.bucket}/")
    files = [key for key in s3.keys() if key.startswith(prefix) and key.endswith(".parquet")]
    assert any("/postings/" in key for key in files), files
    assert any("/raw_postings/" in key for key in files), files


def test_time_travel_on_postgres(lake: Warehouse) -> None:
    lake.transaction(lambda con: con.execute(
        "INSERT INTO feedback VALUES ('a@example.com', 'k1', 'good', 'cli', now())"), "one")
    between = datetime.now(UTC)
    lake.transaction(lambda con: con.execute(
        "INSERT INTO feedback VALUES ('a@example.com', 'k2', 'good', 'cli', now())"), "two")
    with lake.reader(at=between) as con:
        assert con.execute("SELECT job_key FROM feedback").fetchall() == [("k1",)]


def test_two_writers_of_one_kind_on_postgres_leave_one_row(
    lake: Warehouse, tmp_path: Path
) -> None:
    """Postgres resolves conflicts logically: two inserts alone would both land. The guard
    makes the second verdict on one job conflict with the first, so one is retried and the
    job keeps one verdict: the later one."""
    lake.transaction(lambda con: (
        con.execute("INSERT INTO subscribers (email, name, title, departments, locations, "
                    "remote_ok, exclude, subscribed_at, updated_at) VALUES ('a@example.com', "
                    "'A', 'Associate Producer', ['x'], [], true, [], now(), now())"),
        con.execute("INSERT INTO postings (source, source_id, job_key, url, title, description, "
                    "scraped_at, first_seen, last_seen, changed_at, content_hash, landing_file) "
                    "VALUES ('s', '1', 'job-1', 'https://x.example/1', 'PA', 'Runs.', now(), "
                    "now(), now(), now(), 'h', 'f')")), "seed")
    args = [lake.catalog, lake.data_path]
    go_on = tmp_path / "go-on"
    slow = subprocess.Popen([sys.executable, "-c", SLOW_VERDICT, *args, "bad", str(go_on)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    assert slow.stdout is not None and slow.stdout.readline().strip() == "recorded"
    fast = subprocess.run([sys.executable, "-c", SLOW_VERDICT, *args, "good"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    go_on.touch()
    out, err = slow.communicate(timeout=120)
    assert fast.returncode == 0 and slow.returncode == 0, (fast.stderr, err)
    assert "another writer committed first" in err, err
    with lake.reader() as con:
        rows = con.execute("SELECT label FROM feedback WHERE job_key = 'job-1'").fetchall()
    assert rows == [("bad",)], "the slow writer ran again after the fast one and replaced it"


def test_s3_without_keys_in_the_environment_is_one_line(
    postgres: Postgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    with pytest.raises(StorageError, match="needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"):
        Warehouse(postgres.catalog, "s3://stepback-lake/x/").init()


def test_a_sqlite_catalog_with_files_in_s3_and_confined_sql(
    s3: S3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stepback.warehouse import confine

    for key, value in s3.environment().items():
        monkeypatch.setenv(key, value)
    prefix = f"sqlite-{os.urandom(4).hex()}/"
    lake = Warehouse(f"sqlite:{tmp_path / 'lake.sqlite'}", f"s3://{s3.bucket}/{prefix}")
    lake.init()
    lake.transaction(lambda con: con.execute(
        "INSERT INTO subscribers (email, name, title, departments, locations, remote_ok, "
        "exclude, subscribed_at, updated_at) SELECT 'a' || i || '@example.com', 'A', 'PA', [], "
        "[], true, [], now(), now() FROM range(300) AS t(i)"), "seed")
    assert any(key.startswith(prefix) and key.endswith(".parquet") for key in s3.keys())
    with lake.reader() as con:
        confine(con, lake)
        assert con.execute("SELECT count(*), bit_xor(hash(t)) FROM subscribers AS t"
                           ).fetchone()[0] == 300
        with pytest.raises(Exception, match="file system operations are disabled"):
            con.execute(f"SELECT * FROM read_parquet('s3://{s3.bucket}/other/*.parquet')")
