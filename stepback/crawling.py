"""Run one source's spider as a `scrapy crawl` subprocess and land its items atomically.

A Twisted reactor cannot restart inside one process, and a crawl's signal handlers, logging and
memory do not belong in an Airflow worker, so every crawl is its own process. The feed is
written to `<run>.jsonl.part` and renamed to `<run>.jsonl` only when the crawl succeeded; the
loader reads finished names only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stepback.config import REPO_ROOT, Settings, SourceConfig


class CrawlFailed(RuntimeError):
    """The spider did not finish cleanly; nothing was landed."""


@dataclass(frozen=True)
class CrawlResult:
    source: str
    landing_file: str
    items: int
    pages: int
    dropped: int
    errors: int
    seconds: float

    def as_extra(self) -> dict[str, Any]:
        return asdict(self)


def run_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def crawl_command(settings: Settings, source: SourceConfig, part: Path, stats: Path) -> list[str]:
    crawl = settings.file.crawl
    options = {
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_per_domain,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "STATS_FILE": str(stats),
        "EXTENSIONS": json.dumps({"scrapers.stats_file.StatsFile": 900}),
        "LOG_LEVEL": "INFO",
    }
    command = [
        sys.executable, "-m", "scrapy", "crawl", source.kind,
        "-a", f"source={source.name}",
        "-a", "urls=" + ",".join(str(u) for u in source.urls),
        "-O", f"{part}:jsonlines",
    ]
    for key, value in options.items():
        command += ["-s", f"{key}={value}"]
    return command


def crawl(settings: Settings, source: SourceConfig, run: str | None = None) -> CrawlResult:
    """Crawl one source into `<landing>/<source slug>/<run>.jsonl`; CrawlFailed if not clean."""
    run = run or run_id()
    landing = settings.landing_dir / source.slug
    landing.mkdir(parents=True, exist_ok=True)
    final = landing / f"{run}.jsonl"
    part = final.with_name(final.name + ".part")
    stats_path = landing / f"{run}.stats.json"
    log_path = landing / f"{run}.log"
    started = datetime.now(UTC)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scrapers.settings", "PYTHONPATH": _pythonpath()}
    with log_path.open("w", encoding="utf-8") as log:
        try:
            completed = subprocess.run(
                crawl_command(settings, source, part, stats_path),
                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                timeout=settings.file.crawl.timeout_seconds, check=False,
            )
        except subprocess.TimeoutExpired as exc:
            part.unlink(missing_ok=True)
            raise CrawlFailed(f"{source.name}: crawl timed out after {exc.timeout:.0f} s") from exc
    stats = _read_stats(stats_path)
    problem = _problem(completed.returncode, stats, log_path)
    if problem:
        part.unlink(missing_ok=True)
        raise CrawlFailed(f"{source.name}: {problem} (log: {log_path.name})")
    os.replace(part, final)
    return CrawlResult(
        source=source.name,
        landing_file=str(final),
        items=int(stats.get("item_scraped_count", 0)),
        pages=int(stats.get("response_received_count", 0)),
        dropped=int(stats.get("item_dropped_count", 0)),
        errors=int(stats.get("log_count/ERROR", 0)),
        seconds=round((datetime.now(UTC) - started).total_seconds(), 2),
    )


def _pythonpath() -> str:
    current = os.environ.get("PYTHONPATH")
    return str(REPO_ROOT) + (os.pathsep + current if current else "")


def _read_stats(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _problem(returncode: int, stats: dict[str, Any], log_path: Path) -> str | None:
    if returncode != 0:
        return f"scrapy exited with {returncode}: {_last_error(log_path)}"
    if not stats:
        return "no crawl stats were written"
    if stats.get("finish_reason") != "finished":
        return f"spider closed early ({stats.get('finish_reason')})"
    if not stats.get("item_scraped_count"):
        pages = stats.get("response_received_count", 0)
        error = f"; last error: {_last_error(log_path)}" if stats.get("log_count/ERROR") else ""
        return f"crawl yielded no postings from {pages} pages{error}"
    return None


def _last_error(log_path: Path) -> str:
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    errors = [line.split("ERROR:", 1)[1] for line in lines if "] ERROR:" in line]
    return (errors or lines or ["no output"])[-1].strip()[:300]
