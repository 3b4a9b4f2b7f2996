"""Load landing files into the warehouse: validate, quarantine, upsert, group; all or nothing.

The work per line runs in DuckDB (`stepback.staging`). Files are staged a chunk at a time,
Great Expectations checks every staged line of the chunk in one run, and then the chunk
commits in one transaction: its files' postings, observations, quarantine, grouping and ledger
rows, or none of them. Within the chunk the files apply in order, set-based: window functions
say what each file found new, changed or missing, as loading them one at a time would.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from stepback import grouping, quality, staging
from stepback.scratch import Scratch
from stepback.warehouse import Warehouse

log = logging.getLogger(__name__)
LANDING_GLOB = "*/*.jsonl"
CLOSE_AFTER_MISSED = 3
# Files staged and validated together; bounds the loader's memory whatever the backlog.
CHUNK_BYTES = 192 << 20
LOGGED_PER_FILE = 5
LOAD_MEMORY_LIMIT = "1GB"


@dataclass
class LoadResult:
    landing_file: str
    source: str | None = None
    lines_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    closed: int = 0
    skipped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Quarantined:
    line_number: int
    reasons: list[str]
    raw_line: str
    source: str | None = None
    source_id: str | None = None
    raw_bytes: bytes | None = None  # only when the line is not valid UTF-8


@dataclass
class Landing:
    """One landing file on its way in."""

    path: Path
    name: str
    sha256: str
    file_no: int = 0
    lines_read: int = 0
    bad: list[Quarantined] = field(default_factory=list)
    # Lines that are not valid UTF-8: line number -> (their bytes, the reason).
    broken: dict[int, tuple[bytes, str]] = field(default_factory=dict)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# What the crawls and the landing area write beside the feeds; none of it is a posting file.
COMPANION_SUFFIXES = (".stats.json", ".log", ".part")
COMPANION_NAMES = ("known.json",)


def stray_files(landing_dir: Path) -> list[Path]:
    """Files the loader does not read and that no crawl wrote: anything but
    `<source>/<run>.jsonl` and its companions (a nested folder, `.JSONL`, a file at the root).
    Temporary files of a download in progress (dot names) are not counted."""
    if not landing_dir.is_dir():
        return []
    return sorted(
        path for path in landing_dir.rglob("*")
        if path.is_file() and not path.name.startswith(".")
        and not (len(path.relative_to(landing_dir).parts) == 2
                 and (path.name.endswith((".jsonl", *COMPANION_SUFFIXES))
                      or path.name in COMPANION_NAMES)))


def pending_files(landing_dir: Path) -> list[Path]:
    """Finished landing files (crawls write `.part` names and rename on success), oldest first."""
    return sorted(landing_dir.glob(LANDING_GLOB), key=lambda p: (p.stat().st_mtime, p.name))


# Crawl stats that say the file may lack a posting its source still lists: it skipped known
# postings or stopped paging, a page was too large, failed, errored or could not be read.
PARTIAL_STATS = (
    "incremental/", "jsonld/max_pages_reached", "log_count/ERROR", "download/too_large",
    "retry/max_reached", "httperror/response_ignored_count", "spider_exceptions/",
)
# Spider drop reasons (`drop/<spider>/<reason>`) for a page that could not be read; the other
# spider drops are things that are not postings (a duplicate, an unlisted or inactive job).
# Every pipeline drop (`drop/<reason>`: a listed posting that failed validation) is a loss.
LOST_PAGE_DROPS = ("detail_failed", "broken_json", "not_text", "parse_failed")


def _lost(key: str) -> bool:
    parts = key.split("/")
    return parts[0] == "drop" and (len(parts) == 2 or parts[-1] in LOST_PAGE_DROPS)


def is_complete_crawl(path: Path) -> bool:
    """Whether a landing file lists everything its source had: a finished crawl that skipped
    nothing and lost no page.

    Only such a file can say that a posting missing from it has gone.
    """
    try:
        stats = json.loads(path.with_name(path.stem + ".stats.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return stats.get("finish_reason") == "finished" and not any(
        value and (key.startswith(PARTIAL_STATS) or _lost(key))
        for key, value in stats.items()
    )


# Each file's postings (a file's last line for a posting wins), with the hash the chunk's
# previous file gave that posting and whether this file is the chunk's last word on it.
FILE_POSTINGS = """
WITH last_in_file AS (
    SELECT row_id, file_no, line_number, source, source_id, content_hash
    FROM passed
    QUALIFY row_number() OVER (
        PARTITION BY file_no, source, source_id ORDER BY line_number DESC) = 1
)

SELECT
    *,
    lag(content_hash) OVER (PARTITION BY source, source_id ORDER BY file_no) AS previous_hash,
    file_no = max(file_no) OVER (PARTITION BY source, source_id) AS is_last
FROM last_in_file
"""

# Per file: new, changed and unchanged postings against what came before it (an earlier file of
# the chunk, else the warehouse), and its source.
FILE_COUNTS = """
WITH compared AS (
    SELECT
        f.file_no, f.source, f.content_hash,
        coalesce(f.previous_hash, p.content_hash) AS before_hash
    FROM file_postings AS f
    LEFT JOIN postings AS p USING (source, source_id)
),

counted AS (
    SELECT
        file_no,
        count(*) FILTER (WHERE before_hash IS NULL) AS inserted,
        count(*) FILTER (WHERE before_hash <> content_hash) AS updated,
        count(*) FILTER (WHERE before_hash = content_hash) AS unchanged,
        CASE WHEN count(DISTINCT source) = 1 THEN any_value(source) END AS source
    FROM compared
    GROUP BY file_no
)

SELECT
    c.file_no,
    coalesce(n.source, c.folder) AS source,
    coalesce(n.inserted, 0) AS inserted,
    coalesce(n.updated, 0) AS updated,
    coalesce(n.unchanged, 0) AS unchanged
FROM chunk_files AS c
LEFT JOIN counted AS n USING (file_no)
"""

# One row per posting: the chunk's last word on it.
BATCH = """
SELECT
    s.source, s.source_id, s.url, s.title, s.company, s.production, s.location, s.remote,
    s.employment_type, s."union", s.description, s.pay_min, s.pay_max, s.pay_currency,
    s.pay_unit, s.posted_at_time AS posted_at, s.valid_through_time AS valid_through,
    s.scraped_at_time AS scraped_at, s.content_hash,
    s.file_no, c.landing_file
FROM file_postings AS f
INNER JOIN staged AS s USING (row_id)
INNER JOIN chunk_files AS c ON c.file_no = f.file_no
WHERE f.is_last
"""

# New postings, and every member of a group that one of the batch's postings changed in.
ACTIVE = """
WITH moved AS (
    SELECT p.job_key
    FROM batch AS b
    INNER JOIN batch_keys AS k USING (source, source_id)
    INNER JOIN postings AS p USING (source, source_id)
    WHERE p.content_hash <> b.content_hash OR p.block_key IS DISTINCT FROM k.block_key
)

SELECT source, source_id FROM batch ANTI JOIN postings USING (source, source_id)
UNION
SELECT source, source_id FROM postings WHERE job_key IN (SELECT job_key FROM moved)
"""

# Postings the warehouse has: the batch's version, marked changed when its content is. (An
# UPDATE and a plain INSERT of the rest cost half of one INSERT ... ON CONFLICT DO UPDATE.)
UPDATE_KNOWN = """
UPDATE postings SET
    block_key = k.block_key, url = b.url, title = b.title, company = b.company,
    production = b.production, location = b.location, remote = b.remote,
    employment_type = b.employment_type, "union" = b."union", description = b.description,
    pay_min = b.pay_min, pay_max = b.pay_max, pay_currency = b.pay_currency,
    pay_unit = b.pay_unit, posted_at = b.posted_at, valid_through = b.valid_through,
    scraped_at = b.scraped_at, last_seen = $now, missed_crawls = 0,
    closed_at = CASE WHEN b.valid_through < $now THEN coalesce(postings.closed_at, $now) END,
    changed_at = CASE WHEN postings.content_hash = b.content_hash
                      THEN postings.changed_at ELSE $now END,
    content_hash = b.content_hash, landing_file = b.landing_file
FROM batch AS b
INNER JOIN batch_keys AS k USING (source, source_id)
WHERE postings.source = b.source AND postings.source_id = b.source_id
"""

INSERT_NEW = """
INSERT INTO postings BY NAME
SELECT
    b.source, b.source_id, k.member_key AS job_key, k.block_key, b.url, b.title, b.company,
    b.production, b.location, b.remote, b.employment_type, b."union", b.description,
    b.pay_min, b.pay_max, b.pay_currency, b.pay_unit, b.posted_at, b.valid_through,
    b.scraped_at,
    $now::TIMESTAMPTZ AS first_seen, $now::TIMESTAMPTZ AS last_seen,
    $now::TIMESTAMPTZ AS changed_at,
    b.content_hash, b.landing_file
FROM batch AS b
INNER JOIN batch_keys AS k USING (source, source_id)
ANTI JOIN postings AS p USING (source, source_id)
"""

# Open postings missing from complete crawls of their source in this chunk (after the file that
# last carried them): their new count of missed crawls, and the file whose crawl closes them
# (the one that brings the count to `close_after`, after which a closed posting counts no more).
MISSING = """
WITH crawls AS (
    SELECT
        c.file_no, n.source,
        row_number() OVER (PARTITION BY n.source ORDER BY c.file_no) AS crawl,
        count(*) OVER (PARTITION BY n.source) AS crawls
    FROM chunk_files AS c
    INNER JOIN file_counts AS n USING (file_no)
    WHERE c.complete_crawl AND n.inserted + n.updated + n.unchanged > 0
),

open AS (
    -- file -1: not in the chunk (an ASOF join must not be left to match a NULL)
    SELECT
        p.source, p.source_id, coalesce(b.file_no, -1) AS file_no,
        CASE WHEN b.source IS NULL THEN p.missed_crawls ELSE 0 END AS missed_before
    FROM postings AS p
    LEFT JOIN batch AS b USING (source, source_id)
    WHERE p.closed_at IS NULL AND p.source IN (SELECT source FROM crawls)
),

placed AS (
    SELECT
        o.source, o.source_id, o.missed_before,
        coalesce(c.crawl, 0) AS crawls_before,
        s.crawls
    FROM open AS o
    INNER JOIN (SELECT DISTINCT source, crawls FROM crawls) AS s USING (source)
    ASOF LEFT JOIN crawls AS c ON c.source = o.source AND c.file_no <= o.file_no
),

counted AS (
    SELECT
        source, source_id, missed_before, crawls_before,
        missed_before + crawls - crawls_before AS missed
    FROM placed
    WHERE crawls > crawls_before
)

SELECT
    m.source, m.source_id,
    least(m.missed, greatest($close_after, m.missed_before + 1)) AS missed_crawls,
    c.file_no AS closed_by
FROM counted AS m
LEFT JOIN crawls AS c
    ON m.missed >= $close_after AND c.source = m.source
    AND c.crawl = m.crawls_before + greatest($close_after - m.missed_before, 1)
"""

# Open postings past their valid_through, with the file they close in: the last to carry them,
# else file 0, the chunk's first.
EXPIRED = """
SELECT p.source, p.source_id, coalesce(b.file_no, 0) AS closed_by
FROM postings AS p
LEFT JOIN batch AS b USING (source, source_id)
WHERE p.closed_at IS NULL AND p.valid_through < $now
"""

OBSERVATIONS = """
INSERT INTO raw_postings BY NAME
SELECT
    c.landing_file, s.line_number, s.source, s.source_id, s.content_hash, s.raw_line,
    $now::TIMESTAMPTZ AS observed_at
FROM passed AS s
INNER JOIN chunk_files AS c USING (file_no)
"""

REJECTED = """
SELECT s.file_no, s.line_number, r.reasons, s.raw_line, s.source, s.source_id
FROM staged_rejects AS r
INNER JOIN staged AS s USING (row_id)
ORDER BY s.file_no, s.line_number
"""

LEDGER = """
INSERT INTO landing_files
SELECT c.sha256, c.landing_file, n.source, c.lines_read, $now::TIMESTAMPTZ
FROM chunk_files AS c
INNER JOIN file_counts AS n USING (file_no)
"""

LOAD_RUNS = """
INSERT INTO load_runs
SELECT
    c.landing_file, c.sha256, n.source, c.lines_read, n.inserted, n.updated, n.unchanged,
    c.quarantined, $now::TIMESTAMPTZ
FROM chunk_files AS c
INNER JOIN file_counts AS n USING (file_no)
"""



def load_pending(
    warehouse: Warehouse,
    landing_dir: Path,
    progress: Callable[[int, int, LoadResult], None] | None = None,
    close_after_missed: int = CLOSE_AFTER_MISSED,
) -> list[LoadResult]:
    """Load every finished landing file not loaded yet."""
    files = pending_files(landing_dir)
    results: list[LoadResult] = []
    # DuckDB spills to disk past the memory limit, so a backlog of any size loads in bounded
    # memory.
    with warehouse.connect(memory_limit=LOAD_MEMORY_LIMIT) as con:
        prepare(con)
        scratch = Scratch(con)
        warehouse.transaction(lambda _: backfill(scratch), "backfill grouping keys",
                              guard="load", con=con)
        for chunk in chunks(con, files, landing_dir, results):
            while chunk:
                with scratch.scope():
                    stage(scratch, chunk)
                    done = warehouse.transaction(
                        lambda _, chunk=chunk: commit_chunk(scratch, chunk, close_after_missed),
                        f"load {len(chunk)} landing files", guard="load", con=con)
                if isinstance(done, LoadedMeanwhile):
                    chunk = _without(chunk, done, results)
                    continue
                _log_loaded(done)
                for result in done:
                    results.append(result)
                    if progress:
                        progress(len(results), len(files), result)
                chunk = []
    return results


@dataclass(frozen=True)
class LoadedMeanwhile:
    """Files of a staged chunk that another loader committed first."""

    sha256s: frozenset[str]


def _without(
    chunk: list[Landing], loaded: LoadedMeanwhile, results: list[LoadResult]
) -> list[Landing]:
    for landing in chunk:
        if landing.sha256 in loaded.sha256s:
            log.info("%s was loaded by another loader meanwhile; skipped", landing.name)
            results.append(LoadResult(landing.name, landing.path.parent.name, skipped=True))
    return [Landing(landing.path, landing.name, landing.sha256) for landing in chunk
            if landing.sha256 not in loaded.sha256s]


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """The loader's macros, in a session from `Warehouse.connect`."""
    grouping.install_macros(con)
    con.execute(staging.CONTENT_HASH_MACRO)
    staging.install_url_function(con)


def chunks(
    con: duckdb.DuckDBPyConnection, files: list[Path], landing_dir: Path,
    results: list[LoadResult],
) -> Iterator[list[Landing]]:
    """Files not loaded yet, in chunks of at most CHUNK_BYTES; a file already loaded (by
    content hash) gets a skipped result. The ledger is asked once for every file: each question
    to the lake costs a catalog round trip."""
    landings = [Landing(path, path.relative_to(landing_dir).as_posix(), file_sha256(path))
                for path in files]
    loaded = {row[0] for row in con.execute(
        "SELECT sha256 FROM landing_files WHERE list_contains($shas, sha256)",
        {"shas": [landing.sha256 for landing in landings]},
    ).fetchall()}
    chunk: list[Landing] = []
    size = 0
    for landing in landings:
        if landing.sha256 in loaded:
            results.append(LoadResult(landing.name, landing.path.parent.name, skipped=True))
            continue
        loaded.add(landing.sha256)
        file_size = landing.path.stat().st_size
        if chunk and size + file_size > CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(landing)
        size += file_size
    if chunk:
        yield chunk


def stage(scratch: Scratch, chunk: list[Landing]) -> None:
    """Stage, type and validate the chunk's lines; rejected lines go to `staged_rejects`, the
    rest are the view `passed`."""
    con = scratch.con
    staging.create_tables(scratch)
    for file_no, landing in enumerate(chunk):
        landing.file_no = file_no
        data = landing.path.read_bytes()
        staged = hashlib.sha256(data).hexdigest()
        if staged != landing.sha256:
            # Replaced since it was listed: the ledger records what is loaded, these bytes.
            log.warning("%s changed since it was listed; loading its current content",
                        landing.name)
            landing.sha256 = staged
        text, landing.broken = staging.decode_lines(data)
        landing.lines_read = staging.stage_text(con, file_no, text)
    for bad in staging.parse_staged(scratch):
        chunk[bad.file_no].bad.append(Quarantined(bad.line_number, [bad.reason], bad.raw_line))
    failures = quality.failed_expectations(suite_frame(con))
    type_errors = con.execute(
        "SELECT row_id, type_errors FROM staged WHERE len(type_errors) > 0"
    ).fetchall()
    reasons = {row_id: list(errors) for row_id, errors in type_errors}
    for row_id, failed in [*failures.items(), *_broken_rows(con, chunk)]:
        known = reasons.setdefault(row_id, [])
        known.extend(r for r in failed if r not in known)
    con.register("rejects_frame", pd.DataFrame(
        {"row_id": list(reasons), "reasons": list(reasons.values())}
    ).astype({"row_id": "int64"}))
    scratch.make("staged_rejects", "SELECT row_id, reasons::VARCHAR[] AS reasons FROM "
                                   "rejects_frame")
    con.unregister("rejects_frame")
    scratch.view("passed", "SELECT * FROM staged ANTI JOIN staged_rejects USING (row_id) "
                           "WHERE is_object")
    for file_no, number, why, raw, source, source_id in con.execute(REJECTED).fetchall():
        chunk[file_no].bad.append(Quarantined(number, list(why), raw, source, source_id))
    for landing in chunk:
        landing.bad = sorted((_with_bytes(q, landing.broken) for q in landing.bad),
                             key=lambda q: q.line_number)


def _broken_rows(
    con: duckdb.DuckDBPyConnection, chunk: list[Landing]
) -> list[tuple[int, list[str]]]:
    """(row_id, [reason]) for staged JSON objects that could not be staged as they were (not
    UTF-8, cut short); other such lines are already quarantined as not JSON."""
    broken = [(landing.file_no, number, reason) for landing in chunk
              for number, (_, reason) in landing.broken.items()]
    if not broken:
        return []
    con.register("broken_frame", pd.DataFrame(broken, columns=["file_no", "line_number", "why"]))
    try:
        return [(row_id, [why]) for row_id, why in con.execute(
            "SELECT s.row_id, b.why FROM staged AS s "
            "INNER JOIN broken_frame AS b USING (file_no, line_number) "
            "WHERE s.is_object").fetchall()]
    finally:
        con.unregister("broken_frame")


def _with_bytes(item: Quarantined, broken: dict[int, tuple[bytes, str]]) -> Quarantined:
    if item.line_number not in broken:
        return item
    raw, why = broken[item.line_number]
    reasons = item.reasons if why in item.reasons else [why, *item.reasons]
    return replace(item, raw_bytes=raw, reasons=reasons)


def suite_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The staged lines as the suite checks them, with Arrow-backed text columns."""
    table = con.sql(staging.SUITE_FRAME).to_arrow_table()
    return table.to_pandas(types_mapper=_arrow_strings)


def _arrow_strings(arrow_type: Any) -> pd.ArrowDtype | None:
    import pyarrow as pa

    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.ArrowDtype(arrow_type)
    return None


def commit_chunk(
    scratch: Scratch, chunk: list[Landing], close_after_missed: int
) -> list[LoadResult] | LoadedMeanwhile:
    """A staged chunk into the warehouse, inside the caller's transaction (under the `load`
    guard): each file's postings, observations, quarantine, grouping and ledger rows, or none
    of them. Files apply in order, so a later crawl of a posting updates what an earlier one in
    the chunk said. When another loader committed some of the files first, nothing is written
    and those files are returned."""
    loaded = scratch.con.execute(
        "SELECT sha256 FROM landing_files WHERE list_contains($shas, sha256)",
        {"shas": [landing.sha256 for landing in chunk]},
    ).fetchall()
    if loaded:
        return LoadedMeanwhile(frozenset(row[0] for row in loaded))
    with scratch.scope():
        return _commit(scratch, chunk, close_after_missed, datetime.now(UTC))


def _log_loaded(results: list[LoadResult]) -> None:
    for result in results:
        log.info(
            "loaded %s: %d lines, %d new, %d updated, %d unchanged, %d quarantined, %d closed",
            result.landing_file, result.lines_read, result.inserted, result.updated,
            result.unchanged, result.quarantined, result.closed,
        )


def _commit(
    scratch: Scratch, chunk: list[Landing], close_after_missed: int, now: datetime,
) -> list[LoadResult]:
    con = scratch.con
    _chunk_files(scratch, chunk)
    scratch.make("file_postings", FILE_POSTINGS)
    scratch.make("file_counts", FILE_COUNTS)
    results = [
        LoadResult(landing.name, source, landing.lines_read, inserted, updated, unchanged,
                   len(landing.bad))
        for landing, (source, inserted, updated, unchanged) in zip(chunk, con.execute(
            "SELECT source, inserted, updated, unchanged FROM file_counts ORDER BY file_no"
        ).fetchall(), strict=True)
    ]
    scratch.make("batch", BATCH)
    grouping.store_keys(scratch, "batch")
    scratch.make("grouping_active", ACTIVE)
    con.execute(UPDATE_KNOWN, {"now": now})
    con.execute(INSERT_NEW, {"now": now})
    grouping.save_keys(con)
    grouping.regroup_active(scratch)
    closed = close_expired(scratch, now) + close_missing(scratch, close_after_missed, now)
    for file_no, count in closed:
        results[file_no].closed += count
    con.execute(OBSERVATIONS, {"now": now})
    _insert_quarantine(con, chunk, now)
    con.execute(LEDGER, {"now": now})
    con.execute(LOAD_RUNS, {"now": now})
    return results


def _chunk_files(scratch: Scratch, chunk: list[Landing]) -> None:
    con = scratch.con
    con.register("chunk_frame", pd.DataFrame({
        "file_no": [landing.file_no for landing in chunk],
        "landing_file": [landing.name for landing in chunk],
        "folder": [landing.path.parent.name for landing in chunk],
        "sha256": [landing.sha256 for landing in chunk],
        "lines_read": [landing.lines_read for landing in chunk],
        "quarantined": [len(landing.bad) for landing in chunk],
        "complete_crawl": [is_complete_crawl(landing.path) for landing in chunk],
    }))
    scratch.make("chunk_files", "SELECT * FROM chunk_frame")
    con.unregister("chunk_frame")


def close_missing(
    scratch: Scratch, close_after: int, now: datetime
) -> list[tuple[int, int]]:
    """Count missed crawls for open postings absent from the chunk's complete crawls of their
    source; close those missed `close_after` times in a row. Returns (file, closed) pairs."""
    con = scratch.con
    scratch.make("missing", MISSING, {"close_after": close_after})
    con.execute(
        "UPDATE postings SET missed_crawls = m.missed_crawls, "
        "closed_at = CASE WHEN m.closed_by IS NOT NULL THEN $now END "
        "FROM missing AS m "
        "WHERE postings.source = m.source AND postings.source_id = m.source_id",
        {"now": now},
    )
    return con.execute(
        "SELECT closed_by, count(*) FROM missing WHERE closed_by IS NOT NULL GROUP BY closed_by"
    ).fetchall()


def close_expired(scratch: Scratch, now: datetime) -> list[tuple[int, int]]:
    """Close open postings whose `valid_through` has passed; each counts to the file that last
    carried it, or to the chunk's first file (where a file-by-file load would have closed it,
    before any later crawl could count it missing). Returns (file, closed) pairs."""
    con = scratch.con
    scratch.make("expired", EXPIRED, {"now": now})
    con.execute(
        "UPDATE postings SET closed_at = $now FROM expired AS e "
        "WHERE postings.source = e.source AND postings.source_id = e.source_id",
        {"now": now},
    )
    return con.execute("SELECT closed_by, count(*) FROM expired GROUP BY closed_by").fetchall()


def _insert_quarantine(
    con: duckdb.DuckDBPyConnection, chunk: list[Landing], now: datetime
) -> None:
    for landing in chunk:
        _log_quarantined(landing)
    bad = [(landing, q) for landing in chunk for q in landing.bad]
    if not bad:
        return
    import pyarrow as pa

    con.register("quarantined_frame", pa.table({
        "landing_file": [landing.name for landing, _ in bad],
        "sha256": [landing.sha256 for landing, _ in bad],
        "line_number": pa.array([q.line_number for _, q in bad], pa.int32()),
        "source": [q.source for _, q in bad], "source_id": [q.source_id for _, q in bad],
        "reasons": [q.reasons for _, q in bad], "raw_line": [q.raw_line for _, q in bad],
        "raw_bytes": pa.array([q.raw_bytes for _, q in bad], pa.binary()),
    }))
    con.execute(
        "INSERT INTO quarantine BY NAME SELECT landing_file, sha256, line_number, source, "
        "source_id, reasons::VARCHAR[] AS reasons, raw_line, raw_bytes, "
        "$now::TIMESTAMPTZ AS quarantined_at FROM quarantined_frame",
        {"now": now},
    )
    con.unregister("quarantined_frame")


def _log_quarantined(landing: Landing) -> None:
    for item in landing.bad[:LOGGED_PER_FILE]:
        log.warning("quarantined %s line %d: %s", landing.name, item.line_number,
                    "; ".join(item.reasons))
    if len(landing.bad) > LOGGED_PER_FILE:
        log.warning("quarantined %s: %d more lines (see the quarantine table)", landing.name,
                    len(landing.bad) - LOGGED_PER_FILE)


BACKFILL_HASHES = f"""
UPDATE postings SET content_hash = sb_content_hash(
    {staging.CONTENT_HASH_ARGUMENTS.replace("_time", "")})
WHERE (source, source_id) IN (SELECT source, source_id FROM grouping_active)
"""


def backfill(scratch: Scratch) -> int:
    """Give postings loaded before grouping keys existed (an imported old warehouse) their keys
    and content hash, then group them. Returns how many postings it touched (0 on every later
    run)."""
    con = scratch.con
    with scratch.scope():
        scratch.make("grouping_active", "SELECT source, source_id FROM postings "
                                        "ANTI JOIN grouping_keys USING (source, source_id)")
        [(missing,)] = con.execute("SELECT count(*) FROM grouping_active").fetchall()
        if missing:
            grouping.store_keys(scratch, "(SELECT * FROM postings SEMI JOIN grouping_active "
                                         "USING (source, source_id))")
            grouping.save_keys(con)
            con.execute("UPDATE postings SET block_key = k.block_key FROM batch_keys AS k "
                        "WHERE postings.source = k.source AND postings.source_id = k.source_id")
            con.execute(BACKFILL_HASHES)
            grouping.regroup_active(scratch)
            log.info("backfilled grouping keys for %d postings", missing)
    return missing


def regroup_all(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild every group from scratch; returns how many postings changed job key."""
    prepare(con)
    scratch = Scratch(con)
    with scratch.scope():
        scratch.make("grouping_active", "SELECT source, source_id FROM postings")
        return grouping.regroup_active(scratch)


def totals(results: list[LoadResult], ignored: int = 0) -> dict[str, int]:
    keys = ("lines_read", "inserted", "updated", "unchanged", "quarantined", "closed")
    summary = {k: sum(getattr(r, k) for r in results) for k in keys}
    summary["files_loaded"] = sum(1 for r in results if not r.skipped)
    summary["files_skipped"] = sum(1 for r in results if r.skipped)
    summary["files_ignored"] = ignored
    return summary


def warn_stray(landing_dir: Path) -> int:
    """Say which files the load leaves out, so a misplaced file is not lost without a word."""
    stray = stray_files(landing_dir)
    if stray:
        shown = ", ".join(p.relative_to(landing_dir).as_posix() for p in stray[:LOGGED_PER_FILE])
        more = f" and {len(stray) - LOGGED_PER_FILE} more" if len(stray) > LOGGED_PER_FILE else ""
        log.warning("landing: ignored %d files that are not <source>/<run>.jsonl: %s%s",
                    len(stray), shown, more)
    return len(stray)
