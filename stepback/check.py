"""`stepback check`: the warehouse and the landing ledger verified end to end.

Each check is one line, `ok` or `FAIL`, with what it counted or what is wrong:

* the catalog opens and every migration is applied;
* every table reads whole (every Parquet file it names is read);
* every data file the catalog names is where it says, with the size it recorded;
* every landing file in the ledger is still in the landing area with the hash it was loaded
  under (a file changed or lost since would not be re-loaded the same way).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from stepback import object_store
from stepback.loading import file_sha256
from stepback.warehouse import LAKE, Warehouse, migrations


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.check}: {self.detail}"


def _listed(items: list[str], limit: int = 3) -> str:
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def check_warehouse(
    warehouse: Warehouse, landing_dir: Path, progress: Callable[[str], None] | None = None
) -> list[Finding]:
    say = progress or (lambda _: None)
    with warehouse.reader() as con:
        say("catalog and migrations")
        findings = [_migrations(con)]
        tables = _table_names(con)
        say("tables")
        findings.append(_tables(con, tables))
        say("data files")
        findings.append(_data_files(con, warehouse, tables))
        say("landing ledger")
        findings.append(_ledger(con, landing_dir))
    return findings


def _migrations(con: duckdb.DuckDBPyConnection) -> Finding:
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    missing = [m.name for m in migrations() if m.version not in applied]
    if missing:
        return Finding("migrations", False, f"not applied: {_listed(missing)}; run `stepback "
                                            "init`")
    return Finding("migrations", True, f"{len(applied)} applied")


def _table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = $lake ORDER BY 1",
        {"lake": LAKE}).fetchall()]


def _tables(con: duckdb.DuckDBPyConnection, tables: list[str]) -> Finding:
    rows, broken = 0, []
    for name in tables:
        try:
            # Hashing every row makes DuckDB read every column of every file: a count alone
            # may be answered from the catalog's statistics.
            rows += con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{name}" AS t'
                                ).fetchone()[0]
        except duckdb.Error as exc:
            broken.append(f"{name} ({str(exc).splitlines()[0][:120]})")
    if broken:
        return Finding("tables", False, f"{len(broken)} cannot be read: {_listed(broken)}")
    return Finding("tables", True, f"{len(tables)} read whole, {rows:,} rows")


def _data_files(
    con: duckdb.DuckDBPyConnection, warehouse: Warehouse, tables: list[str]
) -> Finding:
    files: list[tuple[str, int]] = []
    for name in tables:
        files += [(path, int(size)) for path, size in con.execute(
            "SELECT data_file, data_file_size_bytes FROM ducklake_list_files($lake, $table)",
            {"lake": LAKE, "table": name}).fetchall()]
    sizes = _sizes(warehouse.data_path, [path for path, _ in files])
    wrong = [f"{path} ({_size_problem(sizes.get(path), size)})"
             for path, size in files if sizes.get(path) != size]
    if wrong:
        return Finding("data files", False, f"{len(wrong)} of {len(files)} wrong: "
                                            f"{_listed(wrong)}")
    return Finding("data files", True, f"{len(files)} present with their recorded sizes")


def _size_problem(found: int | None, recorded: int) -> str:
    return "missing" if found is None else f"{found:,} bytes, not {recorded:,}"


def _sizes(data_path: str, paths: list[str]) -> dict[str, int]:
    if object_store.is_s3(data_path):
        location = object_store.Location.parse(data_path)
        listed = {f"s3://{location.bucket}/{item.key}": item.size
                  for item in object_store.listing(location)}
        return {path: listed[path] for path in paths if path in listed}
    found = {}
    for path in paths:
        try:
            found[path] = os.stat(path).st_size
        except OSError:
            pass
    return found


def _ledger(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> Finding:
    ledger = con.execute("SELECT path, sha256 FROM landing_files ORDER BY path").fetchall()
    wrong = []
    for name, sha256 in ledger:
        path = landing_dir / name
        if not path.is_file():
            wrong.append(f"{name} (missing)")
        elif file_sha256(path) != sha256:
            wrong.append(f"{name} (changed since it was loaded)")
    if wrong:
        return Finding("landing ledger", False, f"{len(wrong)} of {len(ledger)} files: "
                                                f"{_listed(wrong)}")
    return Finding("landing ledger", True, f"{len(ledger)} files present with their hashes")
