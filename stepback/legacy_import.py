"""Bring a single-file warehouse (`data/warehouse.duckdb`, from releases before the lake) into
the lake: `stepback init` does it once, when the lake is still empty.

Every table is copied by column name (columns the old file lacks take their defaults), and the
copy commits only if each table's row count in the lake equals the old file's. The old file is
left as it was, beside a `.imported.json` note of what was copied, so it is never imported twice.

Files written by duckdb 2.0 cannot be read by the duckdb release the lake extensions are built
for; their tables are first written out as Parquet by a duckdb 2.0 run in its own throw-away
environment (`uv run --with duckdb==2.0.*`).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from stepback.warehouse import Warehouse, quoted

LEGACY_NAME = "warehouse.duckdb"
NEWER_DUCKDB = "duckdb>=2.0,<2.1"
SKIPPED_TABLES = {"schema_migrations"}
EXPORT_SCRIPT = """
import json, sys
import duckdb
source, target = sys.argv[1], sys.argv[2]
con = duckdb.connect(source, read_only=True)
counts = {}
for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'"
        ).fetchall():
    path = f"{target}/{name}.parquet"
    con.execute(f'COPY "{name}" TO \\'{path}\\' (FORMAT parquet)')
    counts[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
print(json.dumps(counts))
"""

log = logging.getLogger(__name__)


class LegacyImportError(RuntimeError):
    """The old warehouse could not be copied whole; the lake is left as it was."""


def note_path(legacy: Path) -> Path:
    return legacy.with_name(legacy.name + ".imported.json")


def pending_legacy(data_dir: Path) -> Path | None:
    legacy = data_dir / LEGACY_NAME
    if legacy.exists() and not note_path(legacy).exists():
        return legacy
    return None


def import_legacy(warehouse: Warehouse, legacy: Path) -> dict[str, int]:
    """Copy every table of `legacy` into the (empty) lake; returns rows per table."""
    with tempfile.TemporaryDirectory(prefix="stepback-import-") as folder:
        counts = export_tables(legacy, Path(folder))
        copied = warehouse.transaction(
            lambda con: _copy_in(con, Path(folder), counts), f"import {legacy.name}",
            guard="load")
    note_path(legacy).write_text(json.dumps({
        "imported_at": datetime.now(UTC).isoformat(), "into": warehouse.name, "rows": copied,
    }, indent=2), encoding="utf-8")
    log.info("imported %s into the lake: %s", legacy.name,
             ", ".join(f"{name} {rows}" for name, rows in copied.items()))
    return copied


def export_tables(legacy: Path, folder: Path) -> dict[str, int]:
    """Write each table of the old file as `<table>.parquet`; returns rows per table."""
    try:
        return _export_here(legacy, folder)
    except duckdb.IOException as exc:
        if "newer version of DuckDB" not in str(exc) and "created with an newer" not in str(exc):
            raise
    log.info("%s was written by a newer duckdb; exporting it with %s", legacy.name, NEWER_DUCKDB)
    return _export_with_newer_duckdb(legacy, folder)


def _export_here(legacy: Path, folder: Path) -> dict[str, int]:
    con = duckdb.connect(str(legacy), read_only=True)
    try:
        names = [row[0] for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'"
        ).fetchall()]
        counts = {}
        for name in names:
            path = quoted(str(folder / f"{name}.parquet"))
            con.execute(f"COPY \"{name}\" TO '{path}' (FORMAT parquet)")
            counts[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        return counts
    finally:
        con.close()


def uv_command() -> list[str]:
    """uv beside this Python, on PATH, or as a module of the Python that installed it."""
    beside = Path(sys.executable).with_name("uv")
    if beside.exists():
        return [str(beside)]
    if found := shutil.which("uv"):
        return [found]
    for python in ("python3", "python"):
        if (interpreter := shutil.which(python)) and subprocess.run(
                [interpreter, "-m", "uv", "--version"], capture_output=True).returncode == 0:
            return [interpreter, "-m", "uv"]
    raise LegacyImportError("reading a warehouse written by duckdb 2.0 needs uv "
                            "(pip install uv), which is not installed")


def _export_with_newer_duckdb(legacy: Path, folder: Path) -> dict[str, int]:
    done = subprocess.run(
        [*uv_command(), "run", "--no-project", "--isolated", "--with", NEWER_DUCKDB, "python", "-c",
         EXPORT_SCRIPT, str(legacy), str(folder)],
        capture_output=True, text=True, check=False, timeout=900,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise LegacyImportError(
            f"could not read {legacy} with {NEWER_DUCKDB} (needs uv and PyPI once): {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _copy_in(
    con: duckdb.DuckDBPyConnection, folder: Path, counts: dict[str, int]
) -> dict[str, int]:
    lake_tables = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake'").fetchall()}
    copied: dict[str, int] = {}
    for name, rows in sorted(counts.items()):
        if name in SKIPPED_TABLES:
            continue
        if name not in lake_tables:
            raise LegacyImportError(f"the old warehouse has a table the lake does not: {name}")
        if con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]:
            raise LegacyImportError(f"the lake's {name} already has rows; import into an empty "
                                    "lake, or move the old file aside")
        path = quoted(str(folder / f"{name}.parquet"))
        lake_columns = {row[0] for row in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'lake' "
            "AND table_name = ?", [name]).fetchall()}
        old_columns = [row[0] for row in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()]
        shared = ", ".join(f'"{c}"' for c in old_columns if c in lake_columns)
        con.execute(f'INSERT INTO "{name}" BY NAME SELECT {shared} FROM read_parquet(\'{path}\')')
        landed = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        if landed != rows:
            raise LegacyImportError(f"{name}: {rows} rows in the old warehouse, {landed} copied")
        copied[name] = landed
    return copied
