"""`python -m bench distributed_demo` (a bare --quick run leaves it out): one BENCH line, both
stacks measured in the same run. Timings are never asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.bench.test_runner import LINE, REPO

pytestmark = [pytest.mark.distributed, pytest.mark.timeout(1200)]


def test_distributed_demo_prints_one_bench_line() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "distributed_demo"], cwd=REPO, capture_output=True,
        text=True, timeout=1100, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = completed.stdout.splitlines()
    assert len(lines) == 1, lines
    print(f"\n{lines[0]}")
    match = LINE.fullmatch(lines[0])
    assert match and match["name"] == "distributed_demo" and match["unit"] == "s", lines
    value, baseline, ratio = (float(match[k]) for k in ("value", "baseline", "ratio"))
    assert value > 0 and baseline > 0 and abs(ratio - value / baseline) <= 0.01 * ratio
