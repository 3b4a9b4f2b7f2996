"""`python -m bench [--quick] [NAME ...]`: run the benchmarks, print one BENCH line each."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bench.crawl import crawl_demo
from bench.digest import digest_10k
from bench.distributed import distributed_demo
from bench.lake import click_during_load, lake_two_loaders
from bench.loading import load_benchmarks
from bench.parsing import parse_greenhouse, parse_jsonld
from bench.report import BenchError, BenchResult, progress
from bench.scoring import score_100k, train_time

Benchmark = Callable[[bool], BenchResult | list[BenchResult]]
# --quick: a tiny input (one listing page, a fraction of a second per parser), to check output.
BENCHMARKS: dict[str, Benchmark] = {
    "parse_jsonld": lambda quick: parse_jsonld(0.05, pages=5) if quick else parse_jsonld(3.0),
    "parse_greenhouse": lambda quick: parse_greenhouse(0.05 if quick else 3.0),
    "crawl_demo": lambda quick: crawl_demo(1, max_pages=1) if quick else crawl_demo(3),
    "digest_10k": lambda quick: digest_10k(100 if quick else 10_000),
    "score_100k": lambda quick: score_100k(500 if quick else 100_000),
    "train_time": lambda quick: train_time(),
    # load_1m, load_again_1m and load_1m_memory, from one generated input.
    "load_1m": lambda quick: load_benchmarks(5_000 if quick else 1_000_000),
    "lake_two_loaders": lambda quick: lake_two_loaders(5_000 if quick else 200_000),
    "click_during_load": lambda quick: click_during_load(5_000 if quick else 200_000),
    # The demo board has one size, so this takes minutes whatever the flag: a bare --quick run
    # leaves it out (QUICK_SKIPS); name it to run it.
    "distributed_demo": lambda quick: distributed_demo(),
}
QUICK_SKIPS = frozenset({"distributed_demo"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs: check the output")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    names = args.names or [n for n in BENCHMARKS if not (args.quick and n in QUICK_SKIPS)]
    for name in names:
        progress(f"{name}…")
        try:
            results = BENCHMARKS[name](args.quick)
            lines = [r.line() for r in (results if isinstance(results, list) else [results])]
        except BenchError as error:
            print(f"bench: {error}", file=sys.stderr)
            return 1
        print("\n".join(lines), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
