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
from stepback.postings import (
    BOOL_FIELDS,
    FIELDS,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    content_hash,
    job_key,
)
from stepback.warehouse import Warehouse

log = logging.getLogger(__name__)
LANDING_GLOB = "*/*.jsonl"


@dataclass
class LoadResult:
    landing_file: str
    source: str | None = None
    lines_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
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


def prepare_valid(frame: pd.DataFrame, landing_file: str, now: datetime) -> pd.DataFrame:
    """The rows to upsert, one per key (the last line wins), with identity and bookkeeping."""
    valid = frame.drop_duplicates(subset=["source", "source_id"], keep="last").copy()
    records = valid[FIELDS].to_dict("records")
    valid["job_key"] = [job_key(r) for r in records]
    valid["content_hash"] = [content_hash(r) for r in records]
    for column in ("posted_at", "valid_through", "scraped_at"):
        valid[column] = pd.to_datetime(valid[column], utc=True, errors="coerce", format="ISO8601")
    valid["landing_file"] = landing_file
    valid["now"] = now
    return valid.drop(columns=["line_no", "raw_line"])


UPSERT = """
INSERT INTO postings BY NAME
SELECT
    source, source_id, job_key, url, title, company, production, location, remote,
    employment_type, "union", description, pay_min, pay_max, pay_currency, pay_unit,
    posted_at, valid_through, scraped_at,
    now AS first_seen, now AS last_seen, now AS changed_at,
    content_hash, landing_file
FROM batch
ON CONFLICT (source, source_id) DO UPDATE SET
    job_key = excluded.job_key, url = excluded.url, title = excluded.title,
    company = excluded.company, production = excluded.production,
    location = excluded.location, remote = excluded.remote,
    employment_type = excluded.employment_type, "union" = excluded."union",
    description = excluded.description, pay_min = excluded.pay_min,
    pay_max = excluded.pay_max, pay_currency = excluded.pay_currency,
    pay_unit = excluded.pay_unit, posted_at = excluded.posted_at,
    valid_through = excluded.valid_through, scraped_at = excluded.scraped_at,
    last_seen = excluded.last_seen,
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


def load_file(con: duckdb.DuckDBPyConnection, path: Path, landing_root: Path) -> LoadResult:
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
    valid = prepare_valid(frame[~frame["line_no"].isin(failures)], name, now)
    result.lines_read = sum(1 for line in lines if line.strip())
    result.quarantined = len(bad)
    if not valid.empty:
        result.source = str(valid["source"].iloc[0])

    con.execute("BEGIN TRANSACTION")
    try:
        con.register("batch", valid)
        result.inserted, result.updated, result.unchanged = con.execute(COUNT_CHANGES).fetchone()
        con.execute(UPSERT)
        con.unregister("batch")
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
        "loaded %s: %d lines, %d new, %d updated, %d unchanged, %d quarantined",
        name, result.lines_read, result.inserted, result.updated, result.unchanged,
        result.quarantined,
    )
    return result


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
) -> list[LoadResult]:
    """Load every finished landing file not loaded yet."""
    files = pending_files(landing_dir)
    results = []
    with warehouse.writer() as con:
        for index, path in enumerate(files, start=1):
            result = load_file(con, path, landing_dir)
            results.append(result)
            if progress:
                progress(index, len(files), result)
    return results


def totals(results: list[LoadResult]) -> dict[str, int]:
    keys = ("lines_read", "inserted", "updated", "unchanged", "quarantined")
    summary = {k: sum(getattr(r, k) for r in results) for k in keys}
    summary["files_loaded"] = sum(1 for r in results if not r.skipped)
    summary["files_skipped"] = sum(1 for r in results if r.skipped)
    return summary
