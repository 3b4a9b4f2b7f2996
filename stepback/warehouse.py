"""The warehouse: a DuckLake (a SQL catalog plus Parquet data files) that every process shares.

One `Warehouse` resource, chosen per deployment and passed to whatever reads or writes it:

* embedded (the default): the catalog in SQLite (`data/lake.sqlite`, in WAL mode so readers
  never block a writer) and the data files under `data/lake/`;
* at scale: the catalog in Postgres and the data files in S3-compatible storage, with
  credentials from the environment only (`stepback.lake_storage`).

Every DuckDB session the project opens comes from `session()`: extensions are loaded from the
files the `duckdb-extension-*` packages installed, and DuckDB never downloads one.

Writers run `Warehouse.transaction`: all or nothing, retried with backoff when another process
committed a conflicting change first. A transaction may name a *guard* (one row of
`write_guards`) that it updates, so two writers of one kind (two loads, two digest claims) always
conflict and run one after the other, whatever the catalog database; unrelated writers (a click
and a load) do not wait for each other.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import random
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import duckdb
from filelock import FileLock, Timeout

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
LAKE = "lake"
# Below this many rows a write is kept in the catalog instead of a Parquet file of its own;
# `maintain` flushes such rows into files.
INLINE_ROWS = 100
EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
}
# What a catalog database says when another process committed first.
CONFLICT_MARKERS = ("conflict", "database is locked", "concurrent", "could not serialize",
                    "deadlock detected", "database is busy")
GUARDS = ("load", "scores", "subscribers", "feedback", "digest")
# On a local catalog any two overlapping writers conflict, so the long ones (a load's chunk, a
# subscriber's batch of scores) take one turn between them instead of undoing each other.
TURNS = {"load": "bulk", "scores": "bulk"}

log = logging.getLogger(__name__)
T = TypeVar("T")
# Lake sessions this process has open, per catalog (see ensure_wal).
_open_here: Counter[str] = Counter()


class WarehouseBusy(RuntimeError):
    """Other processes kept winning the race to commit for longer than a writer waits."""


class WarehouseMissing(FileNotFoundError):
    """The lake has no catalog or no schema yet: `stepback init` makes them."""


class WarehouseDamaged(RuntimeError):
    """The catalog is there but cannot be read as one: restore it from a backup."""


# What SQLite and DuckLake say of a catalog file that is truncated, zeroed or overwritten.
DAMAGE_MARKERS = ("file is not a database", "database disk image is malformed",
                  "creating a new DuckLake is explicitly disabled")


def _damaged(warehouse: Warehouse, exc: Exception) -> WarehouseDamaged | None:
    text = str(exc)
    marker = next((m for m in DAMAGE_MARKERS if m in text), None)
    if marker is None:
        return None
    said = "it is empty" if marker.startswith("creating") else marker
    return WarehouseDamaged(_damage_message(warehouse, said))


def _damage_message(warehouse: Warehouse, said: str) -> str:
    return (f"the warehouse catalog at {warehouse.catalog} is damaged ({said}); restore it and "
            "its data files from a backup (README: Backups and restore), then run "
            "`stepback check`")


class MissingExtension(RuntimeError):
    """A DuckDB extension package is not installed for this duckdb release."""


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


def extension_file(name: str) -> Path:
    """The extension file a `duckdb-extension-*` package installed for this duckdb release."""
    package = EXTENSION_PACKAGES[name]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise MissingExtension(
            f"DuckDB extension {name} is not installed: add {package.replace('_', '-')}"
            f"=={duckdb.__version__} to the environment")
    path = (Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}"
            / f"{name}.duckdb_extension")
    if not path.exists():
        raise MissingExtension(
            f"{package} has no build for duckdb {duckdb.__version__}: pin both to one release")
    return path


def session(
    extensions: tuple[str, ...] = (), memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB session configured as every one of the project's is: UTC, no extension ever
    downloaded or autoloaded, the named extensions loaded from their installed files."""
    config = {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "allow_community_extensions": "false",
    }
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(config=config)
    con.execute("SET TimeZone = 'UTC'")
    for name in extensions:
        con.execute(f"LOAD '{quoted(str(extension_file(name)))}'")
    return con


@dataclass(frozen=True)
class Warehouse:
    """Where the lake's catalog and data files live; see `stepback.lake_storage` for the forms
    `catalog` and `data_path` take."""

    catalog: str
    data_path: str
    # How long a writer keeps retrying when others commit first before it gives up.
    retry_for: float = 300.0

    @classmethod
    def local(cls, directory: Path) -> Warehouse:
        """The embedded default: SQLite catalog and data files in one directory."""
        return cls(f"sqlite:{directory / 'lake.sqlite'}", f"{directory / 'lake'}/")

    @property
    def name(self) -> str:
        """The catalog, without anything secret, for messages."""
        kind, _, where = self.catalog.partition(":")
        if kind == "postgres":
            where = " ".join(part for part in where.split() if not part.startswith("password"))
        return f"{kind}:{where} with data in {self.data_path}"

    @property
    def is_local(self) -> bool:
        return self.catalog.startswith("sqlite:")

    def exists(self) -> bool:
        if self.is_local:
            return Path(self.catalog.removeprefix("sqlite:")).exists()
        return True

    def _check_not_emptied(self) -> None:
        """A local catalog is made whole and moved into place: an empty file is one that was
        truncated, and SQLite would quietly take it for a new database."""
        path = Path(self.catalog.removeprefix("sqlite:"))
        if self.is_local and path.exists() and path.stat().st_size == 0:
            raise WarehouseDamaged(_damage_message(self, "it is empty"))

    @contextmanager
    def connect(
        self,
        read_only: bool = False,
        at: datetime | None = None,
        memory_limit: str | None = None,
        create: bool = False,
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A session with the lake attached as `lake` (and in use): read-write, read-only, or as
        the warehouse was at a moment in the past. Only `create` (what `init` does) may open a
        lake that has no catalog or no schema yet; anything else is told to run init."""
        from stepback import lake_storage

        if not create and not self.exists():
            raise WarehouseMissing(f"no warehouse at {self.name}; run `stepback init` first")
        self._check_not_emptied()
        con = session(lake_storage.extensions_for(self), memory_limit)
        _open_here[self.catalog] += 1
        try:
            lake_storage.prepare(con, self)
            try:
                for statement in self.attach_statements(read_only or at is not None, at):
                    con.execute(statement)
            except duckdb.Error as exc:
                damaged = _damaged(self, exc)
                if damaged is None:
                    raise
                raise damaged from None
            if not create and not _has_schema(con):
                raise WarehouseMissing(
                    f"the warehouse at {self.name} has no tables; run `stepback init` first")
            yield con
        finally:
            con.close()
            _open_here[self.catalog] -= 1

    def attach_statements(self, read_only: bool = True, at: datetime | None = None) -> list[str]:
        """The SQL that attaches this lake as `lake` and uses it (extensions loaded first)."""
        options = [f"DATA_PATH '{quoted(self.data_path)}'",
                   f"DATA_INLINING_ROW_LIMIT {INLINE_ROWS}"]
        if read_only:
            options.append("READ_ONLY")
        if at:
            options.append(f"SNAPSHOT_TIME '{at.astimezone(UTC).isoformat()}'")
        return [f"ATTACH 'ducklake:{quoted(self.catalog)}' AS {LAKE} ({', '.join(options)})",
                f"USE {LAKE}"]

    def writer(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A read-write session; each statement commits on its own unless the caller uses
        `transaction`."""
        return self.connect()

    def reader(
        self, at: datetime | None = None
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A read-only session, of now or of the warehouse as it was at `at`."""
        return self.connect(read_only=True, at=at)

    def transaction(
        self,
        work: Callable[[duckdb.DuckDBPyConnection], T],
        what: str,
        guard: str | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> T:
        """Run `work` in one transaction and commit it; when another process committed a
        conflicting change first, roll back, wait (growing, jittered) and run it again. `work`
        must therefore read what it decides on inside the transaction."""
        if con is None:
            with self.connect() as own:
                return self.transaction(work, what, guard, own)
        deadline = time.monotonic() + self.retry_for
        delay = 0.05
        for attempt in range(1, 1_000_000):
            try:
                with self._turn(guard, what, deadline):
                    con.execute("BEGIN TRANSACTION")
                    if guard:
                        take_guard(con, guard)
                    result = work(con)
                    con.execute("COMMIT")
                return result
            except duckdb.Error as exc:
                _rollback(con)
                if not is_conflict(exc):
                    raise
                if time.monotonic() + delay > deadline:
                    raise WarehouseBusy(
                        f"{what}: other writers kept committing first for {self.retry_for:.0f} s "
                        f"({attempt} attempts); last: {_first_line(exc)}") from exc
                log.warning("%s: another writer committed first (attempt %d: %s); retrying "
                            "in %.2f s", what, attempt, _first_line(exc), delay)
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 5.0)
            except BaseException:
                _rollback(con)
                raise
        raise AssertionError("unreachable")

    @contextmanager
    def _turn(self, guard: str | None, what: str, deadline: float) -> Iterator[None]:
        """On a local catalog, writers of one kind (and the long writers, see TURNS) also take
        turns through a file lock, so the second waits for the first instead of doing its work
        only to lose at commit."""
        if not (guard and self.is_local):
            yield
            return
        turn = TURNS.get(guard, guard)
        lock = FileLock(f"{self.catalog.removeprefix('sqlite:')}.{turn}.lock",
                        timeout=max(deadline - time.monotonic(), 0.0))
        try:
            lock.acquire()
        except Timeout as exc:
            raise WarehouseBusy(f"{what}: another {guard} writer held its turn for "
                                f"{self.retry_for:.0f} s") from exc
        try:
            yield
        finally:
            lock.release()

    def init(self) -> list[str]:
        """Apply pending migrations, (re)create the views whose SQL changed, and make sure
        every guard row exists; writes nothing when all is in place. Returns the migrations
        applied."""
        self._check_not_emptied()
        if self.is_local and self.exists() and not _open_here[self.catalog]:
            try:
                ensure_wal(Path(self.catalog.removeprefix("sqlite:")))
            except sqlite3.DatabaseError as exc:
                raise _damaged(self, exc) or exc from None
        with self.connect(create=True) as con:
            return self.transaction(apply_migrations, "init", con=con)


def confine(con: duckdb.DuckDBPyConnection, warehouse: Warehouse) -> None:
    """Make a session reach nothing outside the lake: no files but the lake's own data files
    (no read_csv('/etc/passwd'), no COPY TO, no ATTACH, no INSTALL), and its configuration
    locked so a query cannot undo it. For analysts' SQL (`stepback sql`)."""
    con.execute("SET allowed_directories = $dirs", {"dirs": [warehouse.data_path]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _has_schema(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute(
        "SELECT count(*) FROM duckdb_tables() "
        f"WHERE database_name = '{LAKE}' AND table_name = 'schema_migrations'").fetchone()[0] > 0


def take_guard(con: duckdb.DuckDBPyConnection, name: str) -> None:
    if name not in GUARDS:
        raise ValueError(f"unknown write guard {name!r}")
    con.execute("UPDATE write_guards SET holder = ?, taken_at = ? WHERE name = ?",
                [f"pid {os.getpid()}", datetime.now(UTC), name])


def is_conflict(exc: BaseException) -> bool:
    message = str(exc).lower()
    return any(marker in message for marker in CONFLICT_MARKERS)


def apply_migrations(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for migration in migrations(sql_dir / "migrations"):
        if migration.version in done:
            continue
        con.execute(migration.sql)
        con.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)",
            [migration.version, migration.name, datetime.now(UTC)],
        )
        applied.append(migration.name)
    con.execute("CREATE TABLE IF NOT EXISTS schema_views ("
                " name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL)")
    created = dict(con.execute("SELECT name, sha256 FROM schema_views").fetchall())
    for path in view_files(sql_dir / "views"):
        text = path.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if created.get(path.stem) != digest or applied:
            con.execute(text)
            con.execute("DELETE FROM schema_views WHERE name = ?", [path.stem])
            con.execute("INSERT INTO schema_views VALUES (?, ?)", [path.stem, digest])
    present = {row[0] for row in con.execute("SELECT name FROM write_guards").fetchall()}
    for name in GUARDS:
        if name not in present:
            con.execute("INSERT INTO write_guards VALUES (?, NULL, NULL)", [name])
    return applied


def ensure_wal(path: Path) -> None:
    """Put a SQLite catalog in WAL mode (it stays so): readers then never block a writer.

    Only where this process holds no connection to the catalog (creating it, or `init` with no
    lake session open): closing a second SQLite library's handle on the file would drop the
    POSIX locks that DuckDB's copy of SQLite holds on it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30)
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[-1][:200] if lines else type(exc).__name__


def quoted(text: str) -> str:
    """Text inside a single-quoted SQL literal (for ATTACH, LOAD and COPY, which take no
    parameters)."""
    return text.replace("'", "''")
