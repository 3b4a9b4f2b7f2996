"""Subscribers: profile files (DESIGN.md) read, validated and kept in the warehouse."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from stepback.config import Profile, read_toml_model

COLUMNS = "email, name, title, departments, locations, remote_ok, exclude, max_items"


def read_profile(path: Path) -> Profile:
    return read_toml_model(path, Profile, "profile file")


def subscribe(con: duckdb.DuckDBPyConnection, profile: Profile) -> bool:
    """Add or update a subscriber. Returns True when the subscriber is new."""
    now = datetime.now(UTC)
    exists = con.execute("SELECT 1 FROM subscribers WHERE email = ?", [profile.email]).fetchone()
    con.execute(
        f"INSERT INTO subscribers ({COLUMNS}, subscribed_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (email) DO UPDATE SET name = excluded.name, title = excluded.title, "
        "departments = excluded.departments, locations = excluded.locations, "
        "remote_ok = excluded.remote_ok, exclude = excluded.exclude, "
        "max_items = excluded.max_items, updated_at = excluded.updated_at",
        [profile.email, profile.name, profile.title, profile.departments, profile.locations,
         profile.remote_ok, profile.exclude, profile.max_items, now, now],
    )
    return exists is None


def subscribers(con: duckdb.DuckDBPyConnection) -> list[Profile]:
    rows = con.execute(f"SELECT {COLUMNS} FROM subscribers ORDER BY email").fetchall()
    names = [c.strip() for c in COLUMNS.split(",")]
    return [Profile.model_validate(dict(zip(names, row, strict=True))) for row in rows]


def profile_hash(profile: Profile) -> str:
    """What the step-back score depends on: the seeker's title and departments, nothing else."""
    basis = json.dumps({"title": profile.title, "departments": sorted(profile.departments)})
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
