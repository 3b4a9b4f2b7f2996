"""distributed_demo: the demo pipeline's wall time on the production stack, as local processes.

The drive is `stepback.demo.drive_pipeline`: trigger every crawl DAG, wait for them, let the
asset events run `load_postings` and `classify_postings` until they settle, then trigger
`send_digest` and wait for it. The value is its seconds on the production stack run as local
processes (tests/distributed/cluster.py: the CeleryExecutor with two workers, each with its own
data directory, Postgres for Airflow's metadata and the lake's catalog, Redis, S3 via moto, an
SMTP server). The baseline is the same drive on the single-machine stack of `stepback demo`
(LocalExecutor, SQLite metadata, everything in one data directory), in the same run, on the same
demo board. Each clock starts once its stack is up (DAGs parsed; for Celery, both workers ready),
so `db migrate` and start-up are left out. A ratio above 1 means the distributed stack is slower.

Needs Debian's postgresql and redis-server (`make bench` installs them). The demo board has one
size, so a bare `--quick` run leaves this out; `python -m bench distributed_demo` runs it.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.report import BenchError, BenchResult, progress
from stepback.config import Settings, load_settings
from stepback.demo import (
    ASSET_DAGS,
    Timer,
    drive_pipeline,
    running_airflow,
    stop_on_sigterm,
    subscribe_demo_profiles,
)
from stepback.local_airflow import LocalAirflow
from stepback.pipeline import init_step, warehouse_for

NAME = "distributed_demo"


@dataclass(frozen=True)
class Drive:
    seconds: float
    postings: int
    digests: int


def distributed_demo() -> BenchResult:
    before = os.environ.get("AIRFLOW_HOME")
    # tests.conftest points AIRFLOW_HOME at a new temporary folder as it is imported, and the
    # cluster module imports Airflow here, which then logs to stdout.
    from tests.distributed import cluster  # noqa: F401
    throwaway = os.environ.get("AIRFLOW_HOME")
    _logs_to_stderr()
    # SIGTERM as SystemExit, so the stacks' processes (in sessions of their own) are stopped.
    terminate = signal.getsignal(signal.SIGTERM)
    stop_on_sigterm()
    try:
        return _both_stacks()
    finally:
        signal.signal(signal.SIGTERM, terminate)
        if throwaway and throwaway != before:
            shutil.rmtree(throwaway, ignore_errors=True)


def _both_stacks() -> BenchResult:
    from stepback.demoboard.server import serve
    from tests.conftest import write_config

    root = Path(tempfile.mkdtemp(prefix="stepback-bench-"))
    try:
        with serve(port=0) as board:
            config = write_config(root / "stepback.toml", board.url, demo=True)
            progress("  single machine: LocalExecutor, SQLite, one data directory…")
            single = _single_machine(root / "single", config)
            progress(f"  single machine: {single.seconds:.1f} s, {single.postings} postings, "
                     f"{single.digests} digests")
            progress("  distributed: two Celery workers, Postgres, Redis, S3 (moto), SMTP…")
            distributed = _distributed(root / "distributed", config, board.url)
            progress(f"  distributed: {distributed.seconds:.1f} s, {distributed.postings} "
                     f"postings, {distributed.digests} digests")
    except BaseException:
        progress(f"  {NAME}: kept {root} for its Airflow logs")
        raise
    shutil.rmtree(root)
    if (distributed.postings, distributed.digests) != (single.postings, single.digests):
        raise BenchError(f"{NAME}: the stacks disagree: {distributed} distributed, {single} on "
                         "one machine")
    if not single.postings or not single.digests:
        raise BenchError(f"{NAME}: the drive loaded or sent nothing: {single}")
    return BenchResult(NAME, distributed.seconds, "s", single.seconds)


def _logs_to_stderr() -> None:
    """Stdout is for BENCH lines: Airflow's root handler goes to stderr instead, and the S3 and
    SMTP servers' log of every request is left out."""
    for handler in logging.root.handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
            handler.setStream(sys.stderr)
    for name in ("werkzeug", "mail.log"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _single_machine(root: Path, config: Path) -> Drive:
    from tests.conftest import free_port

    # An explicit environment: nothing of this process's STEPBACK_* settings leaks in.
    settings = load_settings({"STEPBACK_CONFIG": str(config), "STEPBACK_DATA_DIR": str(root)})
    init_step(settings)
    subscribe_demo_profiles(settings)
    interrupt = signal.getsignal(signal.SIGINT)  # running_airflow ignores SIGINT as it stops
    try:
        with running_airflow(settings, Timer(), home=root / "airflow",
                             port=free_port()) as airflow:
            seconds = _timed_drive(airflow, settings, lambda: None)
    finally:
        signal.signal(signal.SIGINT, interrupt)
    digests = len(list(settings.outbox_dir.glob("*.eml"))) if settings.outbox_dir.exists() else 0
    return Drive(seconds, _postings(settings), digests)


def _distributed(root: Path, config: Path, board_url: str) -> Drive:
    from tests.distributed.cluster import servers, wait_for_workers

    with servers(root, config, board_url) as stack:
        stack.airflow.run_compose_init(secrets.token_urlsafe(16))
        subscribe_demo_profiles(stack.settings)
        stack.airflow.start()
        try:
            seconds = _timed_drive(stack.airflow, stack.settings,
                                   lambda: wait_for_workers(stack.airflow))
        finally:
            stack.airflow.stop()
        received = [rcpt for m in stack.smtp.handler.received for rcpt in m.rcpt_tos]
        return Drive(seconds, _postings(stack.settings), len(received))


def _timed_drive(airflow: LocalAirflow, settings: Settings, ready: Callable[[], None]) -> float:
    """Seconds from triggering the crawls to send_digest finished, once the stack is up."""
    try:
        airflow.wait_for_dags([*(s.dag_id for s in settings.sources), *ASSET_DAGS,
                               "send_digest"])
        ready()
        timer = Timer()
        runs = drive_pipeline(airflow, settings, timer)
    except (RuntimeError, AssertionError) as error:
        raise BenchError(f"{NAME}: {error} (Airflow logs: {airflow.home / 'logs'})") from error
    failed = [f"{r.dag_id} {r.run_id}: {r.state}" for r in runs if r.state != "success"]
    if failed:
        raise BenchError(f"{NAME}: runs did not succeed: {', '.join(failed)}")
    # The first mark is drive_pipeline's own wait for the DAGs, already parsed here.
    return sum(seconds for _, seconds in timer.marks[1:])


def _postings(settings: Settings) -> int:
    with warehouse_for(settings).reader() as con:
        return int(con.execute("SELECT count(*) FROM postings").fetchone()[0])
