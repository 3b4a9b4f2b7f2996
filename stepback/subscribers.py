"""Subscribers: profile files read, validated and kept in the warehouse."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from stepback.config import Profile, read_toml_model
from stepback.warehouse import Warehouse

FIELDS = (
    "email", "name", "title", "departments", "locations", "remote_ok", "exclude", "max_items",
    "send_time", "timezone", "nothing_today", "min_pay", "min_pay_unit",
)
COLUMNS = ", ".join(FIELDS)


def read_profile(path: Path) -> Profile:
    return read_toml_model(path, Profile, "profile file")


def subscribe(con: duckdb.DuckDBPyConnection, profile: Profile) -> bool:
    """Add or update a subscriber, inside the caller's transaction under the `subscribers`
    guard (see `subscribe_in`). Returns True when the subscriber is new."""
    now = datetime.now(UTC)
    values = [getattr(profile, name) for name in FIELDS]
    exists = con.execute("SELECT 1 FROM subscribers WHERE email = ?", [profile.email]).fetchone()
    if exists:
        updates = ", ".join(f"{name} = ?" for name in FIELDS[1:])
        con.execute(f"UPDATE subscribers SET {updates}, updated_at = ? WHERE email = ?",
                    values[1:] + [now, profile.email])
    else:
        con.execute(
            f"INSERT INTO subscribers ({COLUMNS}, subscribed_at, updated_at) "
            f"VALUES ({', '.join('?' * (len(FIELDS) + 2))})", values + [now, now])
    return exists is None


def subscribe_in(warehouse: Warehouse, profile: Profile) -> bool:
    return warehouse.transaction(
        lambda con: subscribe(con, profile), f"subscribe {profile.email}", guard="subscribers")


def unsubscribe(con: duckdb.DuckDBPyConnection, email: str) -> bool:
    """Remove a subscriber and their scores, inside the caller's transaction (see
    `unsubscribe_in`). Returns False when there was no such subscriber.

    The send ledger and their feedback stay: a job sent once is never sent again, even after
    re-subscribing, and their verdicts remain training labels.
    """
    email = email.strip()
    if not con.execute("SELECT 1 FROM subscribers WHERE email = ?", [email]).fetchone():
        return False
    con.execute("DELETE FROM scores WHERE subscriber_email = ?", [email])
    con.execute("DELETE FROM subscribers WHERE email = ?", [email])
    return True


def unsubscribe_in(
    warehouse: Warehouse, email: str, con: duckdb.DuckDBPyConnection | None = None
) -> bool:
    return warehouse.transaction(
        lambda c: unsubscribe(c, email), "unsubscribe", guard="subscribers", con=con)


def subscribers(con: duckdb.DuckDBPyConnection) -> list[Profile]:
    rows = con.execute(f"SELECT {COLUMNS} FROM subscribers ORDER BY email").fetchall()
    return [Profile.model_validate(dict(zip(FIELDS, row, strict=True))) for row in rows]


def profile_hash(profile: Profile) -> str:
    """What the step-back score depends on: the seeker's title and departments, nothing else."""
    basis = json.dumps({"title": profile.title, "departments": sorted(profile.departments)})
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
