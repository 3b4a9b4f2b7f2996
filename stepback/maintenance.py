"""`stepback maintain` and the daily `maintain_warehouse` DAG: keep the lake small and fast.

Small writes (a click, one digest's record) are kept inline in the catalog and many loads leave
many files; maintenance, in this order:

1. flushes inlined rows into Parquet files,
2. rewrites files that are mostly deleted rows (updates leave those behind),
3. merges adjacent small files,
4. expires snapshots older than `keep` (time travel reaches back that far, no further),
5. deletes the files only expired snapshots still used, and files no snapshot ever used that
   are older than a day (left by writers that crashed before committing).

Each step is its own transaction, retried when a writer commits first; readers and writers go
on meanwhile.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from stepback.warehouse import LAKE, Warehouse

log = logging.getLogger(__name__)
METADATA = f"__ducklake_metadata_{LAKE}"
# Files a crashed writer left are deleted only once they are this old: a writer still at work
# has its files in the data path before it commits.
ORPHAN_AGE = timedelta(days=1)
# A file is rewritten once this share of its rows is deleted.
DELETE_THRESHOLD = 0.25


@dataclass
class MaintenanceReport:
    data_files_before: int
    data_files_after: int
    inlined_rows_flushed: int
    files_rewritten: int
    files_merged: int
    snapshots_expired: int
    files_deleted: int
    orphans_deleted: int
    snapshots_kept: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def maintain(warehouse: Warehouse, keep: timedelta) -> MaintenanceReport:
    started = time.monotonic()
    now = datetime.now(UTC)
    with warehouse.connect() as con:
        before = _live_files(con)

        def step(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
            return warehouse.transaction(
                lambda c: c.execute(sql, params or []).fetchall(), f"maintain: {sql[5:40]}",
                con=con)

        flushed = step(f"CALL ducklake_flush_inlined_data('{LAKE}')")
        rewritten = step(f"CALL ducklake_rewrite_data_files('{LAKE}', delete_threshold => ?)",
                         [DELETE_THRESHOLD])
        merged = step(f"CALL ducklake_merge_adjacent_files('{LAKE}')")
        expired = step(f"CALL ducklake_expire_snapshots('{LAKE}', older_than => ?)",
                       [now - keep])
        deleted = step(f"CALL ducklake_cleanup_old_files('{LAKE}', cleanup_all => true)")
        orphans = step(f"CALL ducklake_delete_orphaned_files('{LAKE}', older_than => ?)",
                       [now - ORPHAN_AGE])
        [(kept,)] = con.execute(f"SELECT count(*) FROM {METADATA}.ducklake_snapshot").fetchall()
        report = MaintenanceReport(
            data_files_before=before, data_files_after=_live_files(con),
            inlined_rows_flushed=sum(int(row[-1] or 0) for row in flushed),
            files_rewritten=len(rewritten), files_merged=len(merged),
            snapshots_expired=len(expired), files_deleted=len(deleted),
            orphans_deleted=len(orphans), snapshots_kept=kept,
            seconds=round(time.monotonic() - started, 2))
    log.info(
        "maintain: %d data files -> %d; %d inlined rows flushed, %d files rewritten, %d merged; "
        "%d snapshots expired (%d kept), %d old and %d orphaned files deleted in %.1f s",
        report.data_files_before, report.data_files_after, report.inlined_rows_flushed,
        report.files_rewritten, report.files_merged, report.snapshots_expired,
        report.snapshots_kept, report.files_deleted, report.orphans_deleted, report.seconds)
    return report


def _live_files(con: duckdb.DuckDBPyConnection) -> int:
    [(count,)] = con.execute(
        f"SELECT count(*) FROM {METADATA}.ducklake_data_file WHERE end_snapshot IS NULL"
    ).fetchall()
    return int(count)
