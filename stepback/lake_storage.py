"""Where a lake's catalog and data files live, and the credentials to reach them.

`[warehouse]` in stepback.toml (or STEPBACK_CATALOG / STEPBACK_DATA_PATH) names them:

* `catalog = "sqlite:data/lake.sqlite"` (the default) or
  `catalog = "postgres:dbname=stepback host=db user=stepback"`: the password comes from the
  environment (PGPASSWORD, as for every libpq client), never from the file;
* `data_path = "data/lake/"` (the default) or `data_path = "s3://bucket/lake/"`: the keys come
  from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_REGION and AWS_ENDPOINT_URL for
  S3-compatible servers such as MinIO.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import duckdb

from stepback.warehouse import quoted

if TYPE_CHECKING:
    from stepback.warehouse import Warehouse

CATALOG_KINDS = ("sqlite", "postgres")


class StorageError(ValueError):
    """A catalog or data path the warehouse cannot use, said in one line."""


def check_catalog(catalog: str) -> str:
    kind, sep, where = catalog.partition(":")
    if not sep or kind not in CATALOG_KINDS or not where.strip():
        raise StorageError(
            f"catalog must be 'sqlite:PATH' or 'postgres:CONNINFO', got {catalog!r}")
    if kind == "postgres" and any(p.startswith("password") for p in where.split()):
        raise StorageError("catalog: put the Postgres password in PGPASSWORD, not in the file")
    return catalog


def check_data_path(data_path: str) -> str:
    if "://" in data_path and not data_path.startswith("s3://"):
        raise StorageError(f"data_path must be a directory or s3://bucket/prefix/, "
                           f"got {data_path!r}")
    return data_path if data_path.endswith("/") else data_path + "/"


def extensions_for(warehouse: Warehouse) -> tuple[str, ...]:
    kind = warehouse.catalog.partition(":")[0]
    needed = ["ducklake", f"{kind}_scanner"]
    if warehouse.data_path.startswith("s3://"):
        needed.append("httpfs")
    return tuple(needed)


def prepare(con: duckdb.DuckDBPyConnection, warehouse: Warehouse) -> None:
    """What must hold before the lake is attached: a local catalog that exists (created whole,
    in WAL mode, by whichever process comes first), the data directory, or the S3 secret built
    from the environment."""
    if warehouse.is_local and not warehouse.exists():
        create_local_catalog(warehouse)
    if warehouse.data_path.startswith("s3://"):
        _s3_secret(con, warehouse.data_path)
    elif "://" not in warehouse.data_path:
        Path(warehouse.data_path).mkdir(parents=True, exist_ok=True)


def _s3_secret(con: duckdb.DuckDBPyConnection, data_path: str) -> None:
    key_id = os.environ.get("AWS_ACCESS_KEY_ID")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key_id or not secret:
        raise StorageError(f"data_path {data_path} needs AWS_ACCESS_KEY_ID and "
                           "AWS_SECRET_ACCESS_KEY in the environment")
    options = {"TYPE": "s3", "KEY_ID": key_id, "SECRET": secret,
               "REGION": os.environ.get("AWS_REGION", "us-east-1"),
               "SCOPE": "s3://" + urlsplit(data_path).netloc}
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        options |= {"ENDPOINT": parts.netloc, "URL_STYLE": "path",
                    "USE_SSL": "true" if parts.scheme == "https" else "false"}
    body = ", ".join(
        f"{key} {value}" if key in ("TYPE", "USE_SSL") else f"{key} '{quoted(value)}'"
        for key, value in options.items())
    con.execute(f"CREATE OR REPLACE TEMPORARY SECRET stepback_lake ({body})")


def create_local_catalog(warehouse: Warehouse) -> None:
    """Make a new SQLite catalog under a temporary name (WAL mode, DuckLake's tables) and move it
    into place whole, under a file lock: a process that sees the catalog sees it ready, and two
    that start at once make it once."""
    from filelock import FileLock

    from stepback.warehouse import LAKE, ensure_wal, session

    final = Path(warehouse.catalog.removeprefix("sqlite:"))
    final.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{final}.create.lock"):
        if final.exists():
            return
        fresh = final.with_name(f".{final.name}.{os.getpid()}.new")
        ensure_wal(fresh)
        con = session(extensions_for(warehouse))
        try:
            if warehouse.data_path.startswith("s3://"):
                _s3_secret(con, warehouse.data_path)
            con.execute(f"ATTACH 'ducklake:sqlite:{quoted(str(fresh))}' AS {LAKE} "
                        f"(DATA_PATH '{quoted(warehouse.data_path)}')")
            con.execute(f"DETACH {LAKE}")
        finally:
            con.close()
        db = sqlite3.connect(fresh)
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        for leftover in (Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(fresh, final)
