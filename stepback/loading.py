"""Load landing files into the warehouse: validate, quarantine, upsert, group; all or nothing
per file.

The work per line runs in DuckDB (`stepback.staging`). Files are staged a chunk at a time,
Great Expectations checks every staged line of the chunk in one run, and then each file commits
in its own transaction: its postings, observations, quarantine, grouping and ledger rows, or
none of them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from stepback import grouping, quality, staging
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


@dataclass
class Landing:
    """One landing file on its way in."""

    path: Path
    name: str
    sha256: str
    file_no: int = 0
    lines_read: int = 0
    bad: list[Quarantined] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pending_files(landing_dir: Path) -> list[Path]:
    """Finished landing files (crawls write `.part` names and rename on success), oldest first."""
    return sorted(landing_dir.glob(LANDING_GLOB), key=lambda p: (p.stat().st_mtime, p.name))


def is_complete_crawl(path: Path) -> bool:
    """Whether a landing file lists everything its source had: a finished, non-incremental crawl.

    Only such a file can say that a posting missing from it has gone.
    """
    try:
        stats = json.loads(path.with_name(path.stem + ".stats.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    partial = ("incremental/", "jsonld/max_pages_reached", "log_count/ERROR")
    return stats.get("finish_reason") == "finished" and not any(
        key.startswith(partial) and value for key, value in stats.items()
    )


# One row per posting (the last line wins), with its grouping keys.
BATCH = """
CREATE OR REPLACE TEMP TABLE batch AS
SELECT
    f.source, f.source_id, f.url, f.title, f.company, f.production, f.location, f.remote,
    f.employment_type, f."union", f.description, f.pay_min, f.pay_max, f.pay_currency,
    f.pay_unit, f.posted_at_time AS posted_at, f.valid_through_time AS valid_through,
    f.scraped_at_time AS scraped_at, f.content_hash,
    k.block_key,
    k.member_key AS job_key,
    $landing_file AS landing_file,
    $now::TIMESTAMPTZ AS now
FROM file_rows AS f
INNER JOIN batch_keys AS k USING (source, source_id)
QUALIFY row_number() OVER (PARTITION BY f.source, f.source_id ORDER BY f.line_number DESC) = 1
"""

# The file's lines that passed: the staged rows of this file, less the rejected ones.
FILE_ROWS = """
CREATE OR REPLACE TEMP VIEW file_rows AS
SELECT *
FROM staged
WHERE file_no = {file_no} AND is_object AND row_id NOT IN (SELECT row_id FROM staged_rejects)
"""

COUNT_CHANGES = """
SELECT
    count(*) FILTER (WHERE p.source IS NULL) AS inserted,
    count(*) FILTER (WHERE p.content_hash <> b.content_hash) AS updated,
    count(*) FILTER (WHERE p.content_hash = b.content_hash) AS unchanged
FROM batch AS b
LEFT JOIN postings AS p USING (source, source_id)
"""

# New postings, and every member of a group that one of the batch's postings changed in.
ACTIVE = """
CREATE OR REPLACE TEMP TABLE grouping_active AS
WITH moved AS (
    SELECT p.job_key
    FROM batch AS b
    INNER JOIN postings AS p USING (source, source_id)
    WHERE p.content_hash <> b.content_hash OR p.block_key IS DISTINCT FROM b.block_key
)

SELECT source, source_id FROM batch ANTI JOIN postings USING (source, source_id)
UNION
SELECT source, source_id FROM postings WHERE job_key IN (SELECT job_key FROM moved)
"""

UPSERT = """
INSERT INTO postings BY NAME
SELECT
    source, source_id, job_key, block_key, url, title, company, production, location, remote,
    employment_type, "union", description, pay_min, pay_max, pay_currency, pay_unit,
    posted_at, valid_through, scraped_at,
    now AS first_seen, now AS last_seen, now AS changed_at,
    content_hash, landing_file
FROM batch
ON CONFLICT (source, source_id) DO UPDATE SET
    block_key = excluded.block_key, url = excluded.url, title = excluded.title,
    company = excluded.company, production = excluded.production,
    location = excluded.location, remote = excluded.remote,
    employment_type = excluded.employment_type, "union" = excluded."union",
    description = excluded.description, pay_min = excluded.pay_min,
    pay_max = excluded.pay_max, pay_currency = excluded.pay_currency,
    pay_unit = excluded.pay_unit, posted_at = excluded.posted_at,
    valid_through = excluded.valid_through, scraped_at = excluded.scraped_at,
    last_seen = excluded.last_seen, missed_crawls = 0,
    closed_at = CASE WHEN excluded.valid_through < excluded.last_seen
                     THEN coalesce(closed_at, excluded.last_seen) END,
    changed_at = CASE WHEN content_hash = excluded.content_hash
                      THEN changed_at ELSE excluded.changed_at END,
    content_hash = excluded.content_hash, landing_file = excluded.landing_file
"""

OBSERVATIONS = """
INSERT INTO raw_postings BY NAME
SELECT
    $landing_file AS landing_file, line_number, source, source_id, content_hash, raw_line,
    $now::TIMESTAMPTZ AS observed_at
FROM file_rows
ON CONFLICT DO NOTHING
"""

REJECTED = """
SELECT s.file_no, s.line_number, r.reasons, s.raw_line, s.source, s.source_id
FROM staged_rejects AS r
INNER JOIN staged AS s USING (row_id)
ORDER BY s.file_no, s.line_number
"""

COUNT_MISSING = """
UPDATE postings SET
    missed_crawls = missed_crawls + 1,
    closed_at = CASE WHEN missed_crawls + 1 >= $close_after THEN $now END
WHERE source = $source
  AND closed_at IS NULL
  AND source_id NOT IN (SELECT source_id FROM batch)
RETURNING closed_at
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
    with warehouse.writer() as con:
        prepare(con)
        backfill(con)
        for chunk in chunks(con, files, landing_dir, results):
            stage(con, chunk)
            for landing in chunk:
                results.append(commit_file(con, landing, close_after_missed))
                if progress:
                    progress(len(results), len(files), results[-1])
    return results


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Session settings and macros: naive timestamps are UTC, whatever the machine's zone."""
    con.execute("SET TimeZone = 'UTC'")
    # One checkpoint at the end of the load, not one per file's commit.
    con.execute("SET checkpoint_threshold = '4GB'")
    # DuckDB spills to disk past this, so a backlog of any size loads in bounded memory.
    con.execute(f"SET memory_limit = '{LOAD_MEMORY_LIMIT}'")
    grouping.install_macros(con)
    con.execute(staging.CONTENT_HASH_MACRO)


def chunks(
    con: duckdb.DuckDBPyConnection, files: list[Path], landing_dir: Path,
    results: list[LoadResult],
) -> Iterator[list[Landing]]:
    """Files not loaded yet, in chunks of at most CHUNK_BYTES; a file already loaded (by
    content hash) gets a skipped result."""
    seen: set[str] = set()
    chunk: list[Landing] = []
    size = 0
    for path in files:
        landing = Landing(path, path.relative_to(landing_dir).as_posix(), file_sha256(path))
        loaded = con.execute(
            "SELECT 1 FROM landing_files WHERE sha256 = ?", [landing.sha256]
        ).fetchone()
        if loaded or landing.sha256 in seen:
            results.append(LoadResult(landing.name, path.parent.name, skipped=True))
            continue
        seen.add(landing.sha256)
        file_size = path.stat().st_size
        if chunk and size + file_size > CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(landing)
        size += file_size
    if chunk:
        yield chunk


def stage(con: duckdb.DuckDBPyConnection, chunk: list[Landing]) -> None:
    """Stage, type and validate the chunk's lines; rejected lines go to `staged_rejects`."""
    staging.create_tables(con)
    for file_no, landing in enumerate(chunk):
        landing.file_no = file_no
        text = landing.path.read_bytes().decode("utf-8", errors="replace")
        landing.lines_read = staging.stage_text(con, file_no, text)
    for bad in staging.parse_staged(con):
        chunk[bad.file_no].bad.append(Quarantined(bad.line_number, [bad.reason], bad.raw_line))
    failures = quality.failed_expectations(suite_frame(con))
    type_errors = con.execute(
        "SELECT row_id, type_errors FROM staged WHERE len(type_errors) > 0"
    ).fetchall()
    reasons = {row_id: list(errors) for row_id, errors in type_errors}
    for row_id, failed in failures.items():
        known = reasons.setdefault(row_id, [])
        known.extend(r for r in failed if r not in known)
    con.register("rejects_frame", pd.DataFrame(
        {"row_id": list(reasons), "reasons": list(reasons.values())}
    ).astype({"row_id": "int64"}))
    con.execute("CREATE OR REPLACE TEMP TABLE staged_rejects AS "
                "SELECT row_id, reasons::VARCHAR[] AS reasons FROM rejects_frame")
    con.unregister("rejects_frame")
    for file_no, number, why, raw, source, source_id in con.execute(REJECTED).fetchall():
        chunk[file_no].bad.append(Quarantined(number, list(why), raw, source, source_id))
    for landing in chunk:
        landing.bad.sort(key=lambda q: q.line_number)


def suite_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The staged lines as the suite checks them, with Arrow-backed text columns."""
    table = con.sql(staging.SUITE_FRAME).to_arrow_table()
    return table.to_pandas(types_mapper=_arrow_strings)


def _arrow_strings(arrow_type: Any) -> pd.ArrowDtype | None:
    import pyarrow as pa

    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.ArrowDtype(arrow_type)
    return None


def commit_file(
    con: duckdb.DuckDBPyConnection, landing: Landing, close_after_missed: int
) -> LoadResult:
    """One staged file into the warehouse, in one transaction."""
    result = LoadResult(landing.name, landing.path.parent.name, lines_read=landing.lines_read,
                        quarantined=len(landing.bad))
    now = datetime.now(UTC)
    params = {"landing_file": landing.name, "now": now}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(FILE_ROWS.format(file_no=int(landing.file_no)))
        grouping.store_keys(con, "file_rows")
        con.execute(BATCH, params)
        sources = con.execute("SELECT DISTINCT source FROM batch").fetchall()
        if len(sources) == 1:
            result.source = sources[0][0]
        result.inserted, result.updated, result.unchanged = con.execute(COUNT_CHANGES).fetchone()
        con.execute(ACTIVE)
        con.execute(UPSERT)
        grouping.save_keys(con)
        grouping.regroup_active(con)
        if result.inserted + result.updated + result.unchanged and is_complete_crawl(
            landing.path
        ):
            result.closed += count_missing(con, result.source, close_after_missed, now)
        result.closed += close_expired(con, now)
        con.execute(OBSERVATIONS, params)
        _insert_quarantine(con, landing.name, landing.bad, now)
        con.execute(
            "INSERT INTO landing_files VALUES (?, ?, ?, ?, ?)",
            [landing.sha256, landing.name, result.source, result.lines_read, now],
        )
        con.execute(
            "INSERT INTO load_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [landing.name, landing.sha256, result.source, result.lines_read, result.inserted,
             result.updated, result.unchanged, result.quarantined, now],
        )
        con.execute("DROP TABLE batch; DROP TABLE batch_keys; DROP TABLE grouping_active; "
                    "DROP VIEW file_rows")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    log.info(
        "loaded %s: %d lines, %d new, %d updated, %d unchanged, %d quarantined, %d closed",
        landing.name, result.lines_read, result.inserted, result.updated, result.unchanged,
        result.quarantined, result.closed,
    )
    return result


def count_missing(
    con: duckdb.DuckDBPyConnection, source: str | None, close_after: int, now: datetime
) -> int:
    """Count a missed crawl for the source's open postings absent from this complete crawl;
    close those missed `close_after` times in a row. Returns how many closed."""
    rows = con.execute(
        COUNT_MISSING, {"source": source, "close_after": close_after, "now": now}
    ).fetchall()
    return sum(1 for (closed_at,) in rows if closed_at is not None)


def close_expired(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    [(closed,)] = con.execute(
        "UPDATE postings SET closed_at = $now WHERE closed_at IS NULL AND valid_through < $now",
        {"now": now},
    ).fetchall()
    return closed


def _insert_quarantine(
    con: duckdb.DuckDBPyConnection, name: str, bad: list[Quarantined], now: datetime
) -> None:
    for item in bad[:LOGGED_PER_FILE]:
        log.warning("quarantined %s line %d: %s", name, item.line_number, "; ".join(item.reasons))
    if len(bad) > LOGGED_PER_FILE:
        log.warning("quarantined %s: %d more lines (see the quarantine table)", name,
                    len(bad) - LOGGED_PER_FILE)
    if not bad:
        return
    frame = pd.DataFrame({
        "line_number": [q.line_number for q in bad], "source": [q.source for q in bad],
        "source_id": [q.source_id for q in bad], "reasons": [q.reasons for q in bad],
        "raw_line": [q.raw_line for q in bad],
    })
    con.register("quarantined_frame", frame)
    con.execute(
        "INSERT INTO quarantine BY NAME SELECT $name AS landing_file, line_number, source, "
        "source_id, reasons::VARCHAR[] AS reasons, raw_line, $now::TIMESTAMPTZ AS quarantined_at "
        "FROM quarantined_frame ON CONFLICT DO NOTHING",
        {"name": name, "now": now},
    )
    con.unregister("quarantined_frame")


BACKFILL_HASHES = f"""
UPDATE postings SET content_hash = sb_content_hash(
    {staging.CONTENT_HASH_ARGUMENTS.replace("_time", "")})
WHERE (source, source_id) IN (SELECT source, source_id FROM grouping_active)
"""


def backfill(con: duckdb.DuckDBPyConnection) -> int:
    """Give postings loaded before migration 006 their grouping keys and content hash, then
    group them. Returns how many postings it touched (0 on every later run)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE grouping_active AS SELECT source, source_id FROM postings "
        "ANTI JOIN grouping_keys USING (source, source_id)"
    )
    [(missing,)] = con.execute("SELECT count(*) FROM grouping_active").fetchall()
    if missing:
        grouping.store_keys(con, "(SELECT * FROM postings SEMI JOIN grouping_active "
                                 "USING (source, source_id))")
        grouping.save_keys(con)
        con.execute("UPDATE postings SET block_key = k.block_key FROM batch_keys AS k "
                    "WHERE postings.source = k.source AND postings.source_id = k.source_id")
        con.execute(BACKFILL_HASHES)
        grouping.regroup_active(con)
        con.execute("DROP TABLE batch_keys")
        log.info("backfilled grouping keys for %d postings", missing)
    con.execute("DROP TABLE grouping_active")
    return missing


def regroup_all(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild every group from scratch; returns how many postings changed job key."""
    prepare(con)
    con.execute("CREATE OR REPLACE TEMP TABLE grouping_active AS "
                "SELECT source, source_id FROM postings")
    changed = grouping.regroup_active(con)
    con.execute("DROP TABLE grouping_active")
    return changed


def totals(results: list[LoadResult]) -> dict[str, int]:
    keys = ("lines_read", "inserted", "updated", "unchanged", "quarantined", "closed")
    summary = {k: sum(getattr(r, k) for r in results) for k in keys}
    summary["files_loaded"] = sum(1 for r in results if not r.skipped)
    summary["files_skipped"] = sum(1 for r in results if r.skipped)
    return summary
