"""crawl_demo: postings per second crawling the demo board with the jsonld spider.

The board is served in this process; each crawl is a `scrapy crawl` subprocess with the
project's settings and throttling off (no download delay, no AutoThrottle). The baseline is
`fetch_only.py` over the same listing: the same requests, no parsing. Both rates divide by the
crawl's own `elapsed_time_seconds`, so process start-up is not counted. Rounds alternate the two
and the best of each counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.report import BenchError, BenchResult, progress
from stepback.crawling import EXTENSIONS
from stepback.demoboard.server import serve

REPO_ROOT = Path(__file__).resolve().parent.parent
FETCH_ONLY = Path(__file__).with_name("fetch_only.py")
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "INFO",
    "EXTENSIONS": json.dumps(EXTENSIONS),  # what the crawl runner adds: stats file, coverage
}


def crawl_demo(rounds: int, max_pages: int | None = None) -> BenchResult:
    with serve() as board, tempfile.TemporaryDirectory(prefix="stepback-bench-") as tmp:
        work = Path(tmp)
        listing = f"{board.url}/jobs/"
        args = ["-a", f"urls={listing}"] + (["-a", f"max_pages={max_pages}"] if max_pages else [])
        real, base = 0.0, 0.0
        for number in range(1, rounds + 1):
            base = max(base, _rate(["runspider", str(FETCH_ONLY), *args], "bench/detail_pages",
                                   work / f"fetch-{number}"))
            crawl = ["crawl", "jsonld", "-a", "source=jsonld:bench", *args,
                     "-O", f"{work / f'feed-{number}.jsonl'}:jsonlines"]
            real = max(real, _rate(crawl, "item_scraped_count", work / f"crawl-{number}"))
            progress(f"crawl_demo round {number}/{rounds}: {real:.1f} vs {base:.1f} postings/s")
    return BenchResult("crawl_demo", real, "postings/s", base)


def _rate(args: list[str], counter: str, stem: Path) -> float:
    stats = _scrapy(args, stem)
    count, seconds = int(stats.get(counter, 0)), float(stats.get("elapsed_time_seconds", 0))
    if not count or seconds <= 0:
        raise BenchError(f"scrapy {args[0]} counted no {counter} (log: {stem}.log)")
    return count / seconds


def _scrapy(args: list[str], stem: Path) -> dict[str, Any]:
    stats_path = stem.with_suffix(".stats.json")
    command = [sys.executable, "-m", "scrapy", *args, "-s", f"STATS_FILE={stats_path}"]
    for key, value in SETTINGS.items():
        command += ["-s", f"{key}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scrapers.settings",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                       os.environ.get("PYTHONPATH")]))}
    log_path = stem.with_suffix(".log")
    with log_path.open("w", encoding="utf-8") as log:
        completed = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, timeout=300, check=False)
    if completed.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
        raise BenchError(f"scrapy {args[0]} exited with {completed.returncode}: {tail}")
    return json.loads(stats_path.read_text(encoding="utf-8"))
