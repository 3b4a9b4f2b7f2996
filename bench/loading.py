"""load_1m, load_again_1m and load_1m_memory: the warehouse loader on a million postings.

The input is `bench.synthetic`'s landing files (generated once, then reused from
`data/bench/`). Each measurement runs in its own process so its peak memory is its own:

- load_1m: `stepback.loading.load_pending` into a new local lake, end to end (staging, Great
  Expectations, quarantine, upsert, observations, grouping), in postings per second;
- load_again_1m: the same call again on the same files, which are all in the ledger already;
- load_1m_memory: the loader's peak resident memory in MiB.

The baseline for all three is DuckDB's own `read_json` of the same files into a plain table,
in a process of its own: postings per second and peak MiB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.report import BenchError, BenchResult, progress
from bench.synthetic import generate

UNIT = "postings/s"
DATA = Path(os.environ.get("STEPBACK_DATA_DIR", "data")) / "bench"

BASELINE = """
import json, resource, sys, time
import duckdb
landing, target = sys.argv[1], sys.argv[2]
con = duckdb.connect(target)
started = time.perf_counter()
con.execute("CREATE TABLE postings AS SELECT * FROM read_json(?, format = 'newline_delimited', "
            "ignore_errors = true)", [landing + "/*/*.jsonl"])
seconds = time.perf_counter() - started
[(rows,)] = con.execute("SELECT count(*) FROM postings").fetchall()
con.close()
print(json.dumps({"seconds": seconds, "postings": rows,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

LOADER = """
import json, resource, sys, time
from pathlib import Path
from stepback import quality
from stepback.loading import load_pending, totals
from stepback.warehouse import Warehouse
landing, target = Path(sys.argv[1]), Path(sys.argv[2])
warehouse = Warehouse.local(target)
warehouse.init()
quality.validation_definition()  # importing Great Expectations is start-up, not loading
started, began = time.perf_counter(), time.time()
summary = totals(load_pending(warehouse, landing))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "postings": summary["lines_read"],
                  "began": began, "ended": time.time(),
                  "files_skipped": summary["files_skipped"], "summary": summary,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def landing_files(postings: int) -> Path:
    """The generated landing files for `postings` lines, made once and kept."""
    folder = DATA / f"landing-{postings}"
    marker = folder / "generated.json"
    if not marker.exists():
        progress(f"  generating {postings:,} postings in {folder}…")
        generated = generate(folder, postings)
        marker.write_text(json.dumps({"lines": generated.lines, "jobs": generated.jobs,
                                      "files": len(generated.files),
                                      "bytes": generated.size_bytes}), "utf-8")
    return folder


def run(script: str, *args: str) -> dict:
    completed = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                               text=True, check=False)
    if completed.returncode != 0:
        raise BenchError(completed.stderr.strip().splitlines()[-1] if completed.stderr
                         else f"exit {completed.returncode}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def clear(work: Path) -> None:
    """Remove what an earlier run left in the work folder."""
    for stale in work.glob("*.duckdb*"):
        stale.unlink()
    for lake in work.glob("lake*"):
        shutil.rmtree(lake)


def load_benchmarks(postings: int) -> list[BenchResult]:
    landing = landing_files(postings)
    work = DATA / "work"
    work.mkdir(parents=True, exist_ok=True)
    clear(work)
    progress("  baseline: read_json into a plain table…")
    baseline = run(BASELINE, str(landing), str(work / "baseline.duckdb"))
    progress("  loading…")
    first = run(LOADER, str(landing), str(work / "lake"))
    progress(f"  loaded: {json.dumps(first['summary'])}")
    progress("  loading the same files again…")
    again = run(LOADER, str(landing), str(work / "lake"))
    if again["summary"]["files_loaded"]:
        raise BenchError(f"load_again: {again['summary']['files_loaded']} files loaded twice")
    base_rate = baseline["postings"] / baseline["seconds"]
    name = "1m" if postings == 1_000_000 else f"{postings}"
    clear(work)
    return [
        BenchResult(f"load_{name}", first["postings"] / first["seconds"], UNIT, base_rate),
        BenchResult(f"load_again_{name}", first["postings"] / again["seconds"], UNIT, base_rate),
        BenchResult(f"load_{name}_memory", first["peak_mib"], "MiB", baseline["peak_mib"]),
    ]
