"""The DuckDB warehouse: one resource object, passed to whatever reads or writes it.

DuckDB lets one process write a file at a time, and a writer locks out readers in other
processes too. Writers therefore take a file lock first (and inside Airflow also run in the
one-slot `duckdb` pool); a connection that meets the lock waits, then names what holds it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(directory: Path = SQL_DIR / "migrations") -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file name must look like 001_name.sql: {path.name}")
        found.append(Migration(int(match.group(1)), path.stem, path.read_text(encoding="utf-8")))
    return found


def view_files(directory: Path = SQL_DIR / "views") -> list[Path]:
    return sorted(directory.glob("*.sql"))


@dataclass(frozen=True)
class Warehouse:
    path: Path
    lock_timeout: float = 120.0

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection, held under the cross-process writer lock."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.lock_path, timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout as exc:
            raise WarehouseBusy(
                f"warehouse {self.path.name} is locked by another writer "
                f"({_lock_holder(self.lock_path)}); waited {self.lock_timeout:.0f} s"
            ) from exc
        try:
            _write_holder(self.lock_path)
            con = duckdb.connect(str(self.path))
            try:
                yield con
            finally:
                con.close()
        finally:
            lock.release()

    @contextmanager
    def reader(self, wait: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection; waits briefly for a writer, then says who holds the file."""
        if not self.path.exists():
            raise FileNotFoundError(f"no warehouse at {self.path}; run `stepback init` first")
        deadline = time.monotonic() + wait
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=True)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"warehouse {self.path.name} is busy: {_lock_holder(self.lock_path)}"
                    ) from exc
                time.sleep(0.2)
        try:
            yield con
        finally:
            con.close()

    def init(self) -> list[str]:
        """Apply pending migrations and (re)create the views. Returns the migrations applied."""
        with self.writer() as con:
            return apply_migrations(con)


def apply_migrations(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for migration in migrations(sql_dir / "migrations"):
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, datetime.now(UTC)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.name)
    for path in view_files(sql_dir / "views"):
        con.execute(path.read_text(encoding="utf-8"))
    return applied


def _write_holder(lock_path: Path) -> None:
    holder = lock_path.with_name(lock_path.name + ".holder")
    holder.write_text(f"pid {os.getpid()} since {datetime.now(UTC):%H:%M:%S} UTC", "utf-8")


def _lock_holder(lock_path: Path) -> str:
    holder = lock_path.with_name(lock_path.name + ".holder")
    try:
        return holder.read_text(encoding="utf-8").strip() or "unknown process"
    except OSError:
        return "unknown process"
