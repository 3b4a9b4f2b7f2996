"""Run one source's spider as a `scrapy crawl` subprocess and land its items atomically.

A Twisted reactor cannot restart inside one process, and a crawl's signal handlers, logging and
memory do not belong in an Airflow worker, so every crawl is its own process. The feed is
written to `<run>.jsonl.part` and published as `<run>.jsonl` (with its stats and log) only when
the crawl succeeded; the loader reads finished names only. With an S3 landing area
(`stepback.landing`) the crawl first pulls its source's earlier files, so any worker can crawl
any source.

A crawl checks itself before it lands: it fails when it yields no postings (and left none out
as known), or when the share of postings with a title, company, location or pay collapses
against the source's last successful run (the `<run>.stats.json` beside the newest finished
landing file). See `CoverageRule` for the thresholds and how to change them.

Spiders of INCREMENTAL_KINDS get `known.json`, built from the source's earlier landing files,
and skip detail pages of postings that have not changed; once a day the crawl is a full one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from stepback.config import REPO_ROOT, CoverageRule, Settings, SourceConfig
from stepback.landing import LandingArea, landing_for
from stepback.object_store import ObjectStoreError

log = logging.getLogger(__name__)

COVERAGE_PREFIX = "coverage/"
DROP_PREFIX = "drop/"
# A sharp fall in the coverage of these fails the crawl; the others are only reported.
GUARDED_FIELDS = ("title", "company", "location", "pay")
# Spider kinds given `-a known=<file>` (source_id or URL -> fingerprint; scrapers.incremental
# documents the format) so they skip detail pages of postings that have not changed. A kind
# listed here must accept `known`: spiders reject arguments they do not know.
INCREMENTAL_KINDS: tuple[str, ...] = ("jsonld", "sitemap")
KNOWN_FILE = "known.json"
# Counted by a spider for each posting it left out as known and unchanged.
SKIPPED_KNOWN = "incremental/skipped_known"
INCREMENTAL_PREFIX = "incremental/"
# An incremental source still gets a full crawl this often: the loader closes postings that
# are gone only after crawls that listed everything (no `incremental/` counters).
FULL_CRAWL_EVERY = timedelta(days=1)
# Where a posting's fingerprint comes from, best first: what the listing or sitemap showed
# (kept in `raw` by the spiders), then the posting's own dates.
FINGERPRINT_RAW = ("lastmod", "listing_date")
FINGERPRINT_FIELDS = ("posted_at", "valid_through")
# Spiders that take `-a company=NAME` for boards whose API does not name the employer.
COMPANY_ARG_KINDS = ("lever", "ashby", "smartrecruiters", "workday")
EXTENSIONS = {"scrapers.coverage.FieldCoverage": 800, "scrapers.stats_file.StatsFile": 900}


class CrawlFailed(RuntimeError):
    """The spider did not finish cleanly, or its output failed a check; nothing was landed."""


@dataclass(frozen=True)
class CrawlResult:
    source: str
    run: str
    landing_file: str
    items: int
    pages: int
    dropped: dict[str, int]
    coverage: dict[str, float]
    errors: int
    seconds: float
    known: int
    skipped_known: int

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    def as_extra(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PreviousRun:
    run: str
    stats: dict[str, Any]


def run_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def coverage_rule(settings: Settings) -> CoverageRule:
    return settings.file.crawl.coverage_drop


def crawl_command(
    settings: Settings, source: SourceConfig, part: Path, stats: Path, known: Path | None = None
) -> list[str]:
    crawl = settings.file.crawl
    options = {
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_per_domain,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "STATS_FILE": str(stats),
        "EXTENSIONS": json.dumps(EXTENSIONS),
        "LOG_LEVEL": "INFO",
    }
    command = [
        sys.executable, "-m", "scrapy", "crawl", source.kind,
        "-a", f"source={source.name}",
        "-a", "urls=" + ",".join(str(u) for u in source.urls),
    ]
    if known is not None:
        command += ["-a", f"known={known}"]
    if source.company and source.kind in COMPANY_ARG_KINDS:
        command += ["-a", f"company={source.company}"]
    command += ["-O", f"{part}:jsonlines"]
    for key, value in options.items():
        command += ["-s", f"{key}={value}"]
    return command


def crawl(settings: Settings, source: SourceConfig, run: str | None = None) -> CrawlResult:
    """Crawl one source into `<landing>/<source slug>/<run>.jsonl`; CrawlFailed if not clean."""
    run = run or run_id()
    rule = coverage_rule(settings)
    area = landing_for(settings)
    landing = settings.landing_dir / source.slug
    landing.mkdir(parents=True, exist_ok=True)
    _pull(area, source)
    final = landing / f"{run}.jsonl"
    part = final.with_name(final.name + ".part")
    stats_path = stats_path_for(final)
    log_path = landing / f"{run}.log"
    previous = previous_run(landing, exclude=final)
    known_path, known = prepare_known(source, landing)
    started = datetime.now(UTC)
    command = crawl_command(settings, source, part, stats_path, known_path)
    returncode = _run_scrapy(command, log_path, settings.file.crawl.timeout_seconds, part, source)
    stats = read_stats(stats_path)
    problem = _problem(returncode, stats, log_path)
    if problem:
        part.unlink(missing_ok=True)
        raise CrawlFailed(f"{source.name}: {problem} (log: {log_path.name})")
    coverage = coverage_shares(stats)
    collapsed = coverage_problems(coverage, _items(stats), previous, rule)
    if collapsed:
        part.unlink(missing_ok=True)
        raise CrawlFailed(f"{source.name}: " + "; ".join(collapsed))
    try:
        area.publish(part, final, (stats_path, log_path))
    except ObjectStoreError as exc:
        part.unlink(missing_ok=True)
        raise CrawlFailed(f"{source.name}: could not publish {final.name}: {exc}") from exc
    return CrawlResult(
        source=source.name,
        run=run,
        landing_file=str(final),
        items=_items(stats),
        pages=int(stats.get("response_received_count", 0)),
        dropped=drop_counts(stats),
        coverage={name: round(share, 4) for name, share in coverage.items()},
        errors=int(stats.get("log_count/ERROR", 0)),
        seconds=round((datetime.now(UTC) - started).total_seconds(), 2),
        known=known,
        skipped_known=int(stats.get(SKIPPED_KNOWN, 0)),
    )


def _pull(area: LandingArea, source: SourceConfig) -> None:
    try:
        area.pull(source.slug)
    except ObjectStoreError as exc:
        raise CrawlFailed(f"{source.name}: could not read earlier runs: {exc}") from exc


def _run_scrapy(
    command: list[str], log_path: Path, timeout: int, part: Path, source: SourceConfig
) -> int:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scrapers.settings", "PYTHONPATH": _pythonpath()}
    with log_path.open("w", encoding="utf-8") as output:
        try:
            completed = subprocess.run(
                command, cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired as exc:
            part.unlink(missing_ok=True)
            raise CrawlFailed(f"{source.name}: crawl timed out after {exc.timeout:.0f} s") from exc
    return completed.returncode


def _pythonpath() -> str:
    current = os.environ.get("PYTHONPATH")
    return str(REPO_ROOT) + (os.pathsep + current if current else "")


def stats_path_for(landing_file: Path) -> Path:
    return landing_file.with_name(landing_file.name.removesuffix(".jsonl") + ".stats.json")


def read_stats(path: Path) -> dict[str, Any]:
    try:
        stats = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return stats if isinstance(stats, dict) else {}


def finished_files(landing: Path) -> list[Path]:
    """The source's landing files, oldest first (failed crawls leave none)."""
    return sorted(landing.glob("*.jsonl"), key=lambda p: (p.stat().st_mtime, p.name))


def previous_run(landing: Path, exclude: Path | None = None) -> PreviousRun | None:
    """The newest finished run whose stats file counted coverage."""
    for path in reversed(finished_files(landing)):
        if path == exclude:
            continue
        stats = read_stats(stats_path_for(path))
        if coverage_shares(stats):
            return PreviousRun(run=path.name.removesuffix(".jsonl"), stats=stats)
    return None


def _items(stats: dict[str, Any]) -> int:
    return int(stats.get("item_scraped_count") or 0)


def coverage_shares(stats: dict[str, Any]) -> dict[str, float]:
    """`coverage/<field>` counts as shares (0-1) of the postings scraped."""
    items = _items(stats)
    if not items:
        return {}
    return {
        key.removeprefix(COVERAGE_PREFIX): int(count) / items
        for key, count in sorted(stats.items())
        if key.startswith(COVERAGE_PREFIX)
    }


def drop_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Every `drop/<reason>` counter, by reason."""
    return {
        key.removeprefix(DROP_PREFIX): int(count)
        for key, count in sorted(stats.items())
        if key.startswith(DROP_PREFIX)
    }


def coverage_problems(
    coverage: dict[str, float], items: int, previous: PreviousRun | None, rule: CoverageRule
) -> list[str]:
    """One sentence per guarded field whose coverage collapsed since the last successful run."""
    if previous is None:
        log.info("coverage: no earlier successful run with coverage stats to compare with")
        return []
    if items < rule.min_items:
        log.info("coverage: %d postings are too few to judge (min_items %d)", items, rule.min_items)
        return []
    before = coverage_shares(previous.stats)
    return [
        f"{name} coverage fell from {before[name]:.0%} to {coverage[name]:.0%} "
        f"(last run {previous.run})"
        for name in GUARDED_FIELDS
        if name in before and name in coverage and rule.collapsed(before[name], coverage[name])
    ]


def prepare_known(source: SourceConfig, landing: Path) -> tuple[Path | None, int]:
    """Write `known.json` for an incremental spider: the path to pass (None: pass nothing) and
    how many postings it names."""
    if source.kind not in INCREMENTAL_KINDS:
        return None, 0
    files = finished_files(landing)
    if full_crawl_due(files, datetime.now(UTC)):
        log.info("%s: full crawl (no complete crawl in the last %s)", source.name,
                 FULL_CRAWL_EVERY)
        return None, 0
    postings = latest_postings(files)
    known = known_keys(postings.values())
    path = landing / KNOWN_FILE
    _write_json(path, known)
    log.info("%s: %d postings known from %d earlier landing files", source.name, len(postings),
             len(files))
    return (path if known else None), len(postings)


def full_crawl_due(files: list[Path], now: datetime) -> bool:
    """Whether the newest finished crawl that skipped nothing is older than FULL_CRAWL_EVERY."""
    for path in reversed(files):
        stats = read_stats(stats_path_for(path))
        if stats and not any(
            key.startswith(INCREMENTAL_PREFIX) and value for key, value in stats.items()
        ):
            landed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            return now - landed >= FULL_CRAWL_EVERY
    return True


def known_postings(files: list[Path]) -> dict[str, str]:
    return known_keys(latest_postings(files).values())


def latest_postings(files: list[Path]) -> dict[str, dict[str, Any]]:
    """Each posting's line from the latest of the given landing files that has it."""
    postings: dict[str, dict[str, Any]] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            posting = _json_object(line)
            key = posting.get("source_id") or posting.get("url")
            if isinstance(key, str) and key:
                postings[key] = posting
    return postings


def known_keys(postings: Iterable[dict[str, Any]]) -> dict[str, str]:
    """source_id and URL -> fingerprint; the spiders match a listed job on either."""
    known: dict[str, str] = {}
    for posting in postings:
        mark = fingerprint(posting)
        for key in (posting.get("source_id"), posting.get("url")):
            if isinstance(key, str) and key:
                known[key] = mark
    return known


def fingerprint(posting: dict[str, Any]) -> str:
    """What the listing showed, else the posting's date, else a hash of its title and URL."""
    raw = posting.get("raw") if isinstance(posting.get("raw"), dict) else {}
    candidates = [raw.get(name) for name in FINGERPRINT_RAW]
    candidates += [posting.get(name) for name in FINGERPRINT_FIELDS]
    for value in candidates:
        if isinstance(value, str) and value.strip():
            return value.strip()
    text = f"{posting.get('title') or ''}\n{posting.get('url') or ''}"
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _json_object(line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def _problem(returncode: int, stats: dict[str, Any], log_path: Path) -> str | None:
    if returncode != 0:
        return f"scrapy exited with {returncode}: {_last_error(log_path)}"
    if not stats:
        return "no crawl stats were written"
    if stats.get("finish_reason") != "finished":
        return f"spider closed early ({stats.get('finish_reason')})"
    if not _items(stats) and not stats.get(SKIPPED_KNOWN):
        pages = stats.get("response_received_count", 0)
        error = f"; last error: {_last_error(log_path)}" if stats.get("log_count/ERROR") else ""
        return f"crawl yielded no postings from {pages} pages{error}"
    return None


def _last_error(log_path: Path) -> str:
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    errors = [line.split("ERROR:", 1)[1] for line in lines if "] ERROR:" in line]
    return (errors or lines or ["no output"])[-1].strip()[:300]
