"""Load landing files into the warehouse: validate, quarantine, upsert, all or nothing per file."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from stepback import quality
from stepback.grouping import Member, block_key, group_blocks, member_key
from stepback.postings import (
    BOOL_FIELDS,
    FIELDS,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    content_hash,
)
from stepback.warehouse import Warehouse

log = logging.getLogger(__name__)
LANDING_GLOB = "*/*.jsonl"
CLOSE_AFTER_MISSED = 3


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pending_files(landing_dir: Path) -> list[Path]:
    """Finished landing files (crawls write `.part` names and rename on success), oldest first."""
    return sorted(landing_dir.glob(LANDING_GLOB), key=lambda p: (p.stat().st_mtime, p.name))


def parse_lines(lines: list[str]) -> tuple[list[dict[str, Any]], list[Quarantined]]:
    """Decode JSON lines; a line that is not a JSON object is quarantined, not fatal."""
    records, bad = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = f"invalid JSON: {exc.msg} at column {exc.colno}"
            bad.append(Quarantined(number, [reason], line))
            continue
        if not isinstance(record, dict):
            bad.append(Quarantined(number, ["line is not a JSON object"], line))
            continue
        records.append({**record, "line_no": number, "raw_line": line})
    return records, bad


def to_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records as a typed frame; a value of the wrong type becomes a quarantine reason."""
    rows, type_errors = [], {}
    for record in records:
        row: dict[str, Any] = {"line_no": record["line_no"], "raw_line": record["raw_line"]}
        errors = []
        for name in FIELDS:
            value, error = _coerce(name, record.get(name))
            row[name] = value
            if error:
                errors.append(error)
        rows.append(row)
        if errors:
            type_errors[record["line_no"]] = errors
    frame = pd.DataFrame(rows, columns=["line_no", "raw_line", *FIELDS])
    frame.attrs["type_errors"] = type_errors
    return frame


def _coerce(name: str, value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    if name in TEXT_FIELDS:
        if isinstance(value, str):
            return value, None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value), None
    elif name in BOOL_FIELDS:
        if isinstance(value, bool):
            return value, None
    elif name in NUMBER_FIELDS:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), None
    return None, f"{name}: expected {_expected(name)}, got {type(value).__name__}"


def _expected(name: str) -> str:
    return "text" if name in TEXT_FIELDS else "true/false" if name in BOOL_FIELDS else "a number"


def validate(frame: pd.DataFrame) -> dict[int, list[str]]:
    failures = {line: list(r) for line, r in frame.attrs.get("type_errors", {}).items()}
    for line, reasons in quality.failed_expectations(frame[["line_no", *FIELDS]]).items():
        failures.setdefault(line, []).extend(r for r in reasons if r not in failures[line])
    return failures


def with_identity(frame: pd.DataFrame) -> pd.DataFrame:
    """Valid lines with their job key and content hash."""
    frame = frame.copy()
    records = frame[FIELDS].to_dict("records")
    frame["block_key"] = [block_key(r["company"], r["title"]) for r in records]
    frame["job_key"] = [member_key(r["source"], r["source_id"]) for r in records]
    frame["content_hash"] = [content_hash(r) for r in records]
    return frame


def prepare_batch(lines: pd.DataFrame, landing_file: str, now: datetime) -> pd.DataFrame:
    """The rows to upsert, one per key (the last line wins), with typed timestamps."""
    batch = lines.drop_duplicates(subset=["source", "source_id"], keep="last").copy()
    for column in ("posted_at", "valid_through", "scraped_at"):
        batch[column] = pd.to_datetime(batch[column], utc=True, errors="coerce", format="ISO8601")
    batch["landing_file"] = landing_file
    batch["now"] = now
    return batch.drop(columns=["line_no", "raw_line"])


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
    job_key = CASE WHEN block_key IS DISTINCT FROM excluded.block_key
                   THEN excluded.job_key ELSE job_key END,
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

COUNT_CHANGES = """
SELECT
    count(*) FILTER (WHERE p.source IS NULL) AS inserted,
    count(*) FILTER (WHERE p.content_hash <> b.content_hash) AS updated,
    count(*) FILTER (WHERE p.content_hash = b.content_hash) AS unchanged
FROM batch AS b
LEFT JOIN postings AS p USING (source, source_id)
"""


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    landing_root: Path,
    close_after_missed: int = CLOSE_AFTER_MISSED,
) -> LoadResult:
    """Load one landing file in one transaction; a file already loaded (same hash) is skipped."""
    name = path.relative_to(landing_root).as_posix()
    sha = file_sha256(path)
    result = LoadResult(landing_file=name, source=path.parent.name)
    if con.execute("SELECT 1 FROM landing_files WHERE sha256 = ?", [sha]).fetchone():
        result.skipped = True
        return result

    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    records, bad = parse_lines(lines)
    frame = to_frame(records)
    failures = validate(frame)
    bad += [
        Quarantined(row.line_no, failures[row.line_no], row.raw_line, row.source, row.source_id)
        for row in frame.itertuples()
        if row.line_no in failures
    ]
    now = datetime.now(UTC)
    valid_lines = with_identity(frame[~frame["line_no"].isin(failures)])
    batch = prepare_batch(valid_lines, name, now)
    result.lines_read = sum(1 for line in lines if line.strip())
    result.quarantined = len(bad)
    if not batch.empty:
        result.source = str(batch["source"].iloc[0])

    con.execute("BEGIN TRANSACTION")
    try:
        if not batch.empty:
            con.register("batch", batch)
            counts = con.execute(COUNT_CHANGES).fetchone()
            result.inserted, result.updated, result.unchanged = counts
            con.execute(UPSERT)
            regroup(con, "SELECT DISTINCT block_key FROM batch")
            if is_complete_crawl(path):
                result.closed += count_missing(con, result.source, close_after_missed, now)
            con.unregister("batch")
        result.closed += close_expired(con, now)
        _insert_observations(con, valid_lines, name, now)
        _insert_quarantine(con, name, bad, now)
        con.execute(
            "INSERT INTO landing_files VALUES (?, ?, ?, ?, ?)",
            [sha, name, result.source, result.lines_read, now],
        )
        con.execute(
            "INSERT INTO load_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [name, sha, result.source, result.lines_read, result.inserted, result.updated,
             result.unchanged, result.quarantined, now],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    log.info(
        "loaded %s: %d lines, %d new, %d updated, %d unchanged, %d quarantined, %d closed",
        name, result.lines_read, result.inserted, result.updated, result.unchanged,
        result.quarantined, result.closed,
    )
    return result


COUNT_MISSING = """
UPDATE postings SET
    missed_crawls = missed_crawls + 1,
    closed_at = CASE WHEN missed_crawls + 1 >= $close_after THEN $now END
WHERE source = $source
  AND closed_at IS NULL
  AND source_id NOT IN (SELECT source_id FROM batch)
RETURNING closed_at
"""


GROUP_MEMBERS = """
SELECT block_key, source, source_id, production, location, remote, description
FROM postings
WHERE block_key IN ({blocks})
ORDER BY block_key, source, source_id
"""


def regroup(con: duckdb.DuckDBPyConnection, blocks_sql: str) -> int:
    """Group the postings of the given blocks into jobs; returns how many job keys changed."""
    rows = con.execute(GROUP_MEMBERS.format(blocks=blocks_sql)).fetchall()
    by_block: dict[str, list[Member]] = {}
    for block, *fields in rows:
        by_block.setdefault(block, []).append(Member(*fields))
    keys = group_blocks(members for members in by_block.values() if len(members) > 1)
    if not keys:
        return 0
    changes = pd.DataFrame(
        [(source, source_id, key) for (source, source_id), key in keys.items()],
        columns=["source", "source_id", "job_key"],
    )
    con.register("regrouped", changes)
    changed = con.execute(
        "UPDATE postings SET job_key = regrouped.job_key FROM regrouped "
        "WHERE postings.source = regrouped.source AND postings.source_id = regrouped.source_id "
        "AND postings.job_key <> regrouped.job_key RETURNING postings.source"
    ).fetchall()
    con.unregister("regrouped")
    return len(changed)


def backfill_blocks(con: duckdb.DuckDBPyConnection) -> int:
    """Give rows loaded before migration 003 their block, then group them."""
    rows = con.execute(
        "SELECT source, source_id, company, title FROM postings WHERE block_key IS NULL"
    ).fetchall()
    if not rows:
        return 0
    con.executemany(
        "UPDATE postings SET block_key = ?, job_key = ? WHERE source = ? AND source_id = ?",
        [[block_key(c, t), member_key(s, i), s, i] for s, i, c, t in rows],
    )
    regroup(con, "SELECT DISTINCT block_key FROM postings")
    return len(rows)


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
    rows = con.execute(
        "UPDATE postings SET closed_at = $now "
        "WHERE closed_at IS NULL AND valid_through < $now RETURNING source",
        {"now": now},
    ).fetchall()
    return len(rows)


def _insert_observations(
    con: duckdb.DuckDBPyConnection, lines: pd.DataFrame, name: str, now: datetime
) -> None:
    if lines.empty:
        return
    observed = lines[["line_no", "source", "source_id", "content_hash", "raw_line"]].rename(
        columns={"line_no": "line_number"}
    )
    observed["landing_file"] = name
    observed["observed_at"] = now
    con.register("observed", observed)
    con.execute(
        "INSERT INTO raw_postings BY NAME SELECT * FROM observed ON CONFLICT DO NOTHING"
    )
    con.unregister("observed")


def _insert_quarantine(
    con: duckdb.DuckDBPyConnection, name: str, bad: list[Quarantined], now: datetime
) -> None:
    for item in bad:
        log.warning("quarantined %s line %d: %s", name, item.line_number, "; ".join(item.reasons))
    if not bad:
        return
    con.executemany(
        "INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [[name, q.line_number, q.source, q.source_id, q.reasons, q.raw_line, now] for q in bad],
    )


def load_pending(
    warehouse: Warehouse,
    landing_dir: Path,
    progress: Callable[[int, int, LoadResult], None] | None = None,
    close_after_missed: int = CLOSE_AFTER_MISSED,
) -> list[LoadResult]:
    """Load every finished landing file not loaded yet."""
    files = pending_files(landing_dir)
    results = []
    with warehouse.writer() as con:
        backfill_blocks(con)
        for index, path in enumerate(files, start=1):
            result = load_file(con, path, landing_dir, close_after_missed)
            results.append(result)
            if progress:
                progress(index, len(files), result)
    return results


def totals(results: list[LoadResult]) -> dict[str, int]:
    keys = ("lines_read", "inserted", "updated", "unchanged", "quarantined", "closed")
    summary = {k: sum(getattr(r, k) for r in results) for k in keys}
    summary["files_loaded"] = sum(1 for r in results if not r.skipped)
    summary["files_skipped"] = sum(1 for r in results if r.skipped)
    return summary
