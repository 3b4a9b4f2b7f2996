"""One benchmark's result and its BENCH line."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


class BenchError(RuntimeError):
    """A benchmark could not measure what it measures."""


@dataclass(frozen=True)
class BenchResult:
    name: str
    value: float
    unit: str
    baseline: float

    def line(self) -> str:
        if not (self.value > 0 and self.baseline > 0):
            raise BenchError(f"{self.name}: nothing measured ({self.value}, {self.baseline})")
        ratio = self.value / self.baseline
        return (
            f"BENCH name={self.name} value={number(self.value)} unit={self.unit} "
            f"baseline={number(self.baseline)} ratio={number(ratio)}"
        )


def number(value: float, digits: int = 4) -> str:
    """At least `digits` significant digits, never an exponent: 0.0012345 -> 0.001234."""
    if value == 0 or not math.isfinite(value):
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rate(work: Callable[[], object], units_per_call: int, min_seconds: float) -> float:
    """Units per second: call `work` again and again until `min_seconds` have passed."""
    calls, started = 0, time.perf_counter()
    while True:
        work()
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return calls * units_per_call / elapsed
