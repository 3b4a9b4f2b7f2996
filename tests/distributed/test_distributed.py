"""The demo through the production stack on many "machines": two Celery workers with their own
data directories, sharing only Postgres, Redis, S3 and SMTP (`make test-distributed`).

`stepback demo-start` (what the compose demo profile runs) subscribes the demo profiles and
triggers the crawls, which go out on the `crawl` queue; one worker is killed with SIGKILL while
it crawls, its task is retried on the other worker, and nothing is doubled. Postings and flags
must equal a single-machine run of the same steps on the same board, and each subscriber gets
exactly one digest however often `send_digest` runs.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from stepback.config import Settings, load_settings
from stepback.demo import subscribe_demo_profiles
from stepback.local_airflow import session_processes
from stepback.pipeline import classify_step, crawl_step, init_step, load_step, warehouse_for
from tests.conftest import write_config
from tests.distributed.cluster import (
    WORKERS,
    CeleryAirflow,
    Stack,
    servers,
    wait_for_workers,
)
from tests.servers import PASSWORD

pytestmark = [pytest.mark.distributed, pytest.mark.timeout(1500)]
ASSET_DAGS = ["load_postings", "classify_postings"]
ADMIN_PASSWORD = "distributed-test-admin"  # noqa: S105 - a throw-away stack on 127.0.0.1


def lake_facts(settings: Settings) -> dict[str, Any]:
    with warehouse_for(settings).reader() as con:
        postings = con.execute(
            "SELECT source, source_id, content_hash FROM postings").fetchall()
        flags = con.execute(
            "SELECT subscriber_email, source, source_id, round(score, 6) FROM scores "
            "WHERE step_back").fetchall()
        ledger = con.execute("SELECT path FROM landing_files").fetchall()
    return {"postings": postings, "flags": flags, "ledger": [row[0] for row in ledger]}


def single_machine(root: Path, config: Path) -> dict[str, Any]:
    """The same steps in one process, with everything in one local data directory."""
    settings = load_settings({"STEPBACK_CONFIG": str(config), "STEPBACK_DATA_DIR": str(root)})
    init_step(settings)
    subscribe_demo_profiles(settings)
    for source in settings.sources:
        crawl_step(settings, source.name)
    load_step(settings)
    classify_step(settings)
    return lake_facts(settings)


def kill_while_crawling(airflow: CeleryAirflow, worker: str, timeout: float = 180) -> str:
    """SIGKILL `worker` (and the crawl it runs) once it runs a crawl; returns that crawl's DAG."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = [dag_id for dag_id, task_id, state, _, host, _ in airflow.task_runs()
                   if task_id == "crawl" and state == "running" and host == worker]
        if running:
            airflow.kill(worker)
            return running[0]
        time.sleep(0.1)
    raise AssertionError(f"{worker} ran no crawl within {timeout:.0f} s")


def demo_start(airflow: CeleryAirflow) -> subprocess.Popen:
    """What the compose demo profile runs: subscribe the demo profiles, trigger the crawls."""
    stepback = str(Path(sys.executable).with_name("stepback"))
    return subprocess.Popen([stepback, "demo-start"], env=airflow.environment(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def run_the_demo(stack: Stack) -> dict[str, Any]:
    airflow = stack.airflow
    crawl_dags = [source.dag_id for source in stack.settings.sources]
    started = time.monotonic()
    starting = demo_start(airflow)
    killed = kill_while_crawling(airflow, WORKERS[0])
    output, _ = starting.communicate(timeout=600)
    assert starting.returncode == 0, output[-2000:]
    crawl_runs = airflow.wait_for_runs(crawl_dags, timeout=600)
    airflow.restart(WORKERS[0])
    asset_runs = airflow.wait_until_settled(ASSET_DAGS, timeout=600)
    airflow.trigger(["send_digest"])
    airflow.wait_for_runs(["send_digest"], timeout=300)
    seconds = time.monotonic() - started
    airflow.trigger(["send_digest"])
    digest_runs = airflow.wait_for_runs(["send_digest"], timeout=300)
    return {"killed": killed, "crawl_runs": crawl_runs, "asset_runs": asset_runs,
            "digest_runs": digest_runs, "tasks": airflow.task_runs(), "seconds": seconds}


def catalog_files(stack: Stack) -> int:
    con = psycopg2.connect(host="127.0.0.1", port=stack.postgres.port, user=stack.postgres.user,
                           password=PASSWORD, dbname=stack.postgres.database)
    try:
        with con.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM ducklake_data_file")
            return int(cursor.fetchone()[0])
    finally:
        con.close()


def test_the_demo_runs_across_two_celery_workers(tmp_path: Path, board_url: str) -> None:
    config = write_config(tmp_path / "stepback.toml", board_url, demo=True)
    expected = single_machine(tmp_path / "single", config)
    with servers(tmp_path, config, board_url) as stack:
        stack.airflow.run_compose_init(ADMIN_PASSWORD)
        stack.airflow.start()
        started = {process.pid for process in stack.airflow.processes.values()}
        try:
            stack.airflow.wait_for_dags(
                [*(s.dag_id for s in stack.settings.sources), *ASSET_DAGS, "send_digest"])
            wait_for_workers(stack.airflow)
            logins = {password: stack.airflow.login("admin", password)
                      for password in (ADMIN_PASSWORD, "wrong-password")}
            paused = stack.airflow.query("SELECT dag_id FROM dag WHERE is_paused")
            done = run_the_demo(stack)
            started |= {process.pid for process in stack.airflow.processes.values()}
        finally:
            stack.airflow.stop()
        assert session_processes(started) == [], "everything the stack started is stopped"
        got = lake_facts(stack.settings)
        keys = stack.s3.keys()
        files_in_catalog = catalog_files(stack)
        received = [rcpt for m in stack.smtp.handler.received for rcpt in m.rcpt_tos]
    print(f"\ndistributed demo: {done['seconds']:.1f} s from trigger to digest; "
          f"killed worker-1 while it ran {done['killed']}")

    # The first login is as the README says: admin, with the password init wrote from .env.
    assert logins[ADMIN_PASSWORD][0] == 201 and logins[ADMIN_PASSWORD][1]["access_token"]
    assert logins["wrong-password"][0] == 401
    assert paused == [], "init leaves the project's DAGs unpaused"

    assert all(r.state == "success" for r in done["crawl_runs"] + done["asset_runs"]
               + done["digest_runs"]), done
    tasks = done["tasks"]
    succeeded = [(dag, task, host, queue) for dag, task, state, _, host, queue in tasks
                 if state == "success"]
    print("which worker ran what:")
    for dag, task, host, queue in sorted(succeeded):
        print(f"  {dag}.{task} on {host} (queue {queue})")
    assert {host for *_, host, _ in succeeded} == set(WORKERS)
    assert all(queue == "crawl" for _, task, _, queue in succeeded if task == "crawl")
    # The crawls spread over both workers (worker-1's were cut short by the kill).
    assert {host for _, task, _, _, host, _ in tasks if task == "crawl"} == set(WORKERS)
    assert all(queue == "default" for _, task, _, queue in succeeded if task != "crawl")
    # The killed crawl: its first try on worker-1 did not finish, a later try on worker-2 did.
    tries = [(n, state, host) for dag, task, state, n, host, _ in tasks
             if dag == done["killed"] and task == "crawl"]
    assert (1, "worker-1") in {(n, host) for n, state, host in tries if state != "success"}
    assert any(n > 1 and state == "success" and host == "worker-2" for n, state, host in tries)

    # The lake: its catalog in Postgres, its files in S3; landing files published once each.
    assert files_in_catalog > 0
    assert any(key.startswith("lake/") and key.endswith(".parquet") for key in keys)
    landed = sorted(key for key in keys if key.startswith("landing/") and key.endswith(".jsonl"))
    assert Counter(key.split("/")[1] for key in landed) == Counter(
        s.slug for s in stack.settings.sources)
    assert sorted(got["ledger"]) == sorted(key.removeprefix("landing/") for key in landed)

    # Same postings and flags as one machine, nothing doubled.
    assert len(got["postings"]) == len(set(got["postings"]))
    assert sorted(got["postings"]) == sorted(expected["postings"])
    assert sorted(got["flags"]) == sorted(expected["flags"]) and got["flags"]
    # Exactly one digest per subscriber, though send_digest ran twice.
    assert sorted(received) == sorted({email for email, *_ in expected["flags"]})
