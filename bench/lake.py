"""lake_two_loaders and click_during_load: what sharing the lake costs writers.

- lake_two_loaders: two `load_pending` processes at once, each over half of the sources' files
  (distinct files), into one new local lake; postings per second of the pair, wall clock. The
  baseline is one loader over all the files into a new lake, in the same run.
- click_during_load: 50 "Good pick" clicks, one every 0.2 s (POSTs to `stepback serve`'s link
  server on 127.0.0.1, each a transaction on the lake), while a load of the same files runs;
  the p95 of their response times in ms. The baseline is the p95 of 50 clicks with no load running.
  The load's own seconds, with and without the clicks, are printed as progress.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from bench.loading import DATA, LOADER, clear, landing_files, run
from bench.report import BenchError, BenchResult, progress

CLICKS = 50
EMAIL = "bench@example.com"


def halves(landing: Path, work: Path) -> tuple[Path, Path]:
    """Two landing folders, each linking half of the source folders."""
    folders = sorted(p for p in landing.iterdir() if p.is_dir())
    parts = (work / "landing-a", work / "landing-b")
    for index, part in enumerate(parts):
        part.mkdir(parents=True, exist_ok=True)
        for folder in folders[index::2]:
            (part / folder.name).symlink_to(folder.resolve(), target_is_directory=True)
    return parts


def lake_two_loaders(postings: int) -> BenchResult:
    landing = landing_files(postings)
    work = DATA / "work"
    work.mkdir(parents=True, exist_ok=True)
    clear(work)
    for part in work.glob("landing-*"):
        subprocess.run(["rm", "-rf", str(part)], check=True)
    progress("  one loader over every file…")
    one = run(LOADER, str(landing), str(work / "lake-one"))
    one_rate = one["postings"] / one["seconds"]
    progress(f"  one loader: {one['postings']:,} postings in {one['seconds']:.1f} s")
    first, second = halves(landing, work)
    progress("  two loaders at once, each over half of the files…")
    processes = [subprocess.Popen([sys.executable, "-c", LOADER, str(part), str(work / "lake")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for part in (first, second)]
    outputs = [p.communicate() for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        if process.returncode != 0:
            raise BenchError(f"lake_two_loaders: {err.strip().splitlines()[-1]}")
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    # From the first loader's start to the last one's end, start-up (imports) left out as
    # it is for the one loader.
    wall = max(r["ended"] for r in reports) - min(r["began"] for r in reports)
    loaded = sum(r["postings"] for r in reports)
    if loaded != one["postings"]:
        raise BenchError(f"lake_two_loaders: {loaded} postings read by two, {one['postings']} "
                         "by one")
    progress(f"  two loaders: {loaded:,} postings in {wall:.1f} s")
    clear(work)
    return BenchResult("lake_two_loaders", loaded / wall, "postings/s", one_rate)


def click_during_load(postings: int) -> BenchResult:
    from stepback.digest.links import DigestLinks
    from stepback.digest.signing import Signer
    from stepback.link_server import LinkServer, start
    from stepback.warehouse import Warehouse

    landing = landing_files(postings)
    work = DATA / "work"
    work.mkdir(parents=True, exist_ok=True)
    clear(work)
    warehouse = Warehouse.local(work / "lake")
    warehouse.init()
    job = _seed(warehouse)
    signer = Signer(b"bench-secret-0123456789")
    server = LinkServer(("127.0.0.1", 0), warehouse, signer)
    start(server)
    url = DigestLinks(server.url, signer).feedback(EMAIL, job, "good")
    try:
        _clicks(url, 1, spacing=0)  # the server opens its lake session on the first click
        quiet = _clicks(url, CLICKS, spacing=0.2)
        progress(f"  {CLICKS} clicks with no load: p95 {_p95(quiet):.0f} ms")
        loader = subprocess.Popen([sys.executable, "-c", LOADER, str(landing), str(work / "lake")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3.0)  # past start-up, into staging and the load's transactions
        busy = _clicks(url, CLICKS, spacing=0.2)
        out, err = loader.communicate()
        if loader.returncode != 0:
            raise BenchError(f"click_during_load: the load failed: {err.strip().splitlines()[-1]}")
        seconds = json.loads(out.strip().splitlines()[-1])["seconds"]
        progress(f"  {CLICKS} clicks during a load of {postings:,} postings ({seconds:.1f} s): "
                 f"p95 {_p95(busy):.0f} ms")
    finally:
        server.shutdown()
        server.server_close()
    with warehouse.reader() as con:
        [(rows,)] = con.execute("SELECT count(*) FROM feedback").fetchall()
    if rows != 1:
        raise BenchError(f"click_during_load: {rows} feedback rows for one job, expected 1")
    clear(work)
    return BenchResult("click_during_load", _p95(busy), "ms", _p95(quiet))


def _seed(warehouse) -> str:
    """One subscriber and one posting, so every click is a real verdict on a real job (keyed as
    the loader's grouping keys a posting on its own, which the load keeps)."""
    from stepback.grouping import member_key

    job = member_key("bench", "1")

    def seed(con) -> None:
        con.execute(
            "INSERT INTO subscribers (email, name, title, departments, locations, remote_ok, "
            "exclude, subscribed_at, updated_at) VALUES (?, 'Bench', 'Associate Producer', "
            "['production'], [], true, [], now(), now())", [EMAIL])
        con.execute(
            "INSERT INTO postings (source, source_id, job_key, url, title, description, "
            "scraped_at, first_seen, last_seen, changed_at, content_hash, landing_file) VALUES "
            "('bench', '1', ?, 'https://bench.example/1', 'Production Assistant', "
            "'Runs.', now(), now(), now(), now(), 'h', 'bench')", [job])
    warehouse.transaction(seed, "seed the click benchmark")
    return job


def _clicks(url: str, count: int, spacing: float) -> list[float]:
    times: list[float] = []
    errors: list[str] = []

    def click() -> None:
        started = time.perf_counter()
        request = urllib.request.Request(url, data=b"", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                if response.status != 200:
                    errors.append(str(response.status))
        except OSError as exc:
            errors.append(str(exc))
        times.append((time.perf_counter() - started) * 1000)

    threads = []
    for _ in range(count):
        thread = threading.Thread(target=click)
        thread.start()
        threads.append(thread)
        time.sleep(spacing)
    for thread in threads:
        thread.join()
    if errors:
        raise BenchError(f"click_during_load: {len(errors)} clicks failed, first: {errors[0]}")
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]
