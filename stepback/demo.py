"""`stepback demo` and `stepback airflow`: the whole pipeline through a local Airflow.

The demo serves the bundled job board on 127.0.0.1, starts Airflow, triggers every crawl DAG,
lets the asset events carry the run through `load_postings` and `classify_postings`, runs
`send_digest` once, stops Airflow and prints what happened.
"""

from __future__ import annotations

import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stepback.config import REPO_ROOT, Settings
from stepback.local_airflow import DagRun, LocalAirflow, trigger_dags
from stepback.pipeline import init_step, warehouse_for
from stepback.subscribers import read_profile, subscribe_in

ASSET_DAGS = ("load_postings", "classify_postings")
TRY_QUERIES = (
    "SELECT title, company, round(score, 2) AS score, reasons[1] AS why "
    "FROM opportunities WHERE subscriber_email = 'andrea@example.com' LIMIT 5",
    "SELECT company, count(*) AS jobs FROM jobs GROUP BY company ORDER BY jobs DESC LIMIT 5",
)


class Timer:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self.wall = time.time()
        self.marks: list[tuple[str, float]] = []
        self.last = self.start

    def mark(self, label: str) -> None:
        now = time.monotonic()
        self.marks.append((label, now - self.last))
        say(f"{label}: {now - self.last:.1f} s")
        self.last = now

    @property
    def total(self) -> float:
        return time.monotonic() - self.start


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so the Airflow processes this run started get stopped."""

    def exit_once(*_: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sys.exit(143)

    signal.signal(signal.SIGTERM, exit_once)


def say(text: str) -> None:
    print(f"[demo] {text}", file=sys.stderr, flush=True)


@contextmanager
def demo_board(port: int) -> Iterator[str]:
    """Serve the bundled board in this process, for crawls that run in Airflow's workers."""
    from stepback.demoboard.server import serve

    board = serve(port=port)
    try:
        yield board.url
    finally:
        board.stop()


def subscribe_demo_profiles(settings: Settings) -> list[str]:
    profiles = [read_profile(REPO_ROOT / p) for p in settings.file.demo.profiles]
    warehouse = warehouse_for(settings)
    for profile in profiles:
        subscribe_in(warehouse, profile)
    return [p.email for p in profiles]


@contextmanager
def running_airflow(
    settings: Settings, timer: Timer, home: Path | None = None, port: int | None = None
) -> Iterator[LocalAirflow]:
    airflow = LocalAirflow(
        home or REPO_ROOT / ".airflow", settings, port=port or settings.file.demo.airflow_port
    )
    airflow.prepare()
    timer.mark("airflow metadata ready (db migrate)")
    airflow.start()
    try:
        yield airflow
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        airflow.stop()
        say("airflow stopped")


def drive_pipeline(airflow: LocalAirflow, settings: Settings, timer: Timer) -> list[DagRun]:
    """Trigger the crawls, let asset events run load and classify, then send the digest once.

    Returns the DAG runs this drive caused, whatever their state.
    """
    crawl_dags = [source.dag_id for source in settings.sources]
    airflow.wait_for_dags([*crawl_dags, *ASSET_DAGS, "send_digest"])
    timer.mark("scheduler, dag-processor, api-server, triggerer up; DAGs parsed")
    before = {(r.dag_id, r.run_id) for r in airflow.runs()}

    def new_runs() -> list[DagRun]:
        return [r for r in airflow.runs() if (r.dag_id, r.run_id) not in before]

    airflow.trigger(crawl_dags)
    airflow.wait_for_runs(crawl_dags)
    timer.mark(f"{len(crawl_dags)} crawl DAGs finished")
    failed = [r.dag_id for r in new_runs() if r.dag_id in crawl_dags and r.state != "success"]
    if failed:
        raise RuntimeError(f"crawl runs failed: {', '.join(failed)} (see the Airflow task logs)")
    airflow.wait_until_settled(ASSET_DAGS)
    timer.mark("load_postings and classify_postings ran on asset events")
    airflow.trigger(["send_digest"])
    airflow.wait_for_runs(["send_digest"])
    timer.mark("send_digest finished")
    return new_runs()


def run_demo(settings: Settings) -> int:
    stop_on_sigterm()
    timer = Timer()
    init_step(settings)
    subscribe_demo_profiles(settings)
    with demo_board(settings.file.demo.board_port) as url:
        say(f"demo job board on {url}")
        with running_airflow(settings, timer) as airflow:
            runs = drive_pipeline(airflow, settings, timer)
    print_summary(settings, runs, timer)
    return 0 if all(r.state == "success" for r in runs) else 1


def demo_dag_ids(settings: Settings) -> list[str]:
    return [source.dag_id for source in settings.sources if source.demo]


def start_demo_in_stack(settings: Settings, wait_for_parsing: float = 600) -> list[str]:
    """The compose `demo` profile's first run: subscribe the demo profiles and trigger the demo
    board's crawls in the running Airflow (waiting for the dag-processor to store them); the
    asset events carry the run on to load, classify and, at send time, the digest."""
    emails = subscribe_demo_profiles(settings)
    say(f"subscribed {', '.join(emails)}")
    dag_ids = demo_dag_ids(settings)
    trigger_dags(dag_ids, wait_for_parsing=wait_for_parsing)
    say(f"triggered {', '.join(dag_ids)}")
    return dag_ids


def run_airflow(settings: Settings) -> int:
    stop_on_sigterm()
    timer = Timer()
    init_step(settings)
    subscribe_demo_profiles(settings)
    with demo_board(settings.file.demo.board_port) as url, running_airflow(settings, timer) as af:
        say(f"demo job board on {url}")
        af.wait_for_dags(demo_dag_ids(settings))
        af.trigger(demo_dag_ids(settings))
        say("triggered the demo crawls once; load and classify follow on asset events")
        say(f"Airflow UI on {af.url} (no login needed locally); Ctrl-C stops everything")
        try:
            while True:
                af.check_alive()
                time.sleep(2)
        except KeyboardInterrupt:
            say("stopping")
    return 0


def print_summary(settings: Settings, runs: list[DagRun], timer: Timer) -> None:
    with warehouse_for(settings).reader() as con:
        def one(sql: str) -> int:
            return int(con.execute(sql).fetchone()[0])

        loaded, jobs = one("SELECT count(*) FROM postings"), one("SELECT count(*) FROM jobs")
        quarantined = one("SELECT count(*) FROM quarantine")
        flagged = con.execute(
            "SELECT s.email, count(o.job_key) FROM subscribers s "
            "LEFT JOIN opportunities o ON o.subscriber_email = s.email GROUP BY ALL ORDER BY 1"
        ).fetchall()
    landed = [p for p in settings.landing_dir.glob("*/*.jsonl") if p.stat().st_mtime >= timer.wall]
    crawled = sum(_count_lines(path) for path in landed)
    by_kind = Counter(f"{r.dag_id} {r.run_type} {r.state}" for r in runs)
    print("\nstepback demo: summary")
    print(f"  postings crawled:     {crawled} in {len(landed)} landing files this run "
          f"(under {settings.landing_dir}; a crawl skips postings it already has)")
    print(f"  postings loaded:      {loaded} rows, {jobs} distinct jobs")
    print(f"  quarantined:          {quarantined}")
    for email, count in flagged:
        print(f"  flagged for {email}: {count}")
    print("  airflow runs:")
    for line, count in sorted(by_kind.items()):
        print(f"    {line} x{count}")
    outbox = sorted(settings.outbox_dir.glob("*")) if settings.outbox_dir.exists() else []
    print(f"  digest files ({settings.outbox_dir}):")
    for path in outbox:
        print(f"    {path.name}")
    print("  timings:")
    for label, seconds in timer.marks:
        print(f"    {seconds:6.1f} s  {label}")
    print(f"    {timer.total:6.1f} s  total")
    print("  try:")
    for query in TRY_QUERIES:
        print(f'    uv run stepback sql "{query}"')


def _count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())
