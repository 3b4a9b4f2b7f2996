"""`python -m bench --quick`: the output contract, on tiny inputs. Timings are never asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bench.report import BenchResult, number

REPO = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"BENCH name=(?P<name>\w+) value=(?P<value>\d+(?:\.\d+)?) unit=(?P<unit>\S+) "
    r"baseline=(?P<baseline>\d+(?:\.\d+)?) ratio=(?P<ratio>\d+(?:\.\d+)?)"
)


def test_quick_run_prints_exactly_one_bench_line_per_benchmark() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"], cwd=REPO, capture_output=True, text=True,
        timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = completed.stdout.splitlines()
    matches = [LINE.fullmatch(line) for line in lines]
    assert all(matches), lines
    names = [m["name"] for m in matches if m]
    assert names[:3] == ["parse_jsonld", "parse_greenhouse", "crawl_demo"]
    assert {"score_100k", "train_time", "digest_10k"} <= set(names)
    assert {"load_5000", "load_again_5000", "load_5000_memory"} <= set(names)
    assert {"lake_two_loaders", "click_during_load"} <= set(names)
    for match in filter(None, matches):
        units = {"train_time": "s", "digest_10k": "messages/s", "load_5000_memory": "MiB",
                 "click_during_load": "ms"}
        assert match["unit"] == units.get(match["name"], "postings/s")
        value, baseline, ratio = (float(match[k]) for k in ("value", "baseline", "ratio"))
        assert value > 0 and baseline > 0
        assert abs(ratio - value / baseline) <= 0.01 * ratio


def test_numbers_are_plain_and_keep_four_significant_digits() -> None:
    assert number(12345.6) == "12346" and number(0.0012345) == "0.001234"
    assert number(1) == "1.000"
    line = BenchResult("x", 50.0, "postings/s", 200.0).line()
    assert line == "BENCH name=x value=50.00 unit=postings/s baseline=200.0 ratio=0.2500"
