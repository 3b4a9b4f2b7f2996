"""Subscribers' verdicts on jobs they were sent ("good pick", "not for me"): training labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import duckdb

from stepback.warehouse import Warehouse

Label = Literal["good", "bad"]
LABELS: tuple[Label, ...] = ("good", "bad")


class UnknownFeedbackTarget(ValueError):
    """The subscriber or the job does not exist in the warehouse."""


@dataclass(frozen=True)
class Feedback:
    subscriber_email: str
    job_key: str
    label: Label
    via: str
    recorded_at: datetime


def record_feedback(
    con: duckdb.DuckDBPyConnection, email: str, job_key: str, label: str, via: str
) -> Feedback:
    """Record (or replace) one subscriber's verdict on one job, inside the caller's transaction;
    `via` says where it came from."""
    if label not in LABELS:
        raise ValueError(f"feedback label must be good or bad, not {label!r}")
    if not con.execute("SELECT 1 FROM subscribers WHERE email = ?", [email]).fetchone():
        raise UnknownFeedbackTarget(f"no subscriber {email}")
    if not con.execute("SELECT 1 FROM postings WHERE job_key = ? LIMIT 1", [job_key]).fetchone():
        raise UnknownFeedbackTarget(f"no job {job_key}")
    now = datetime.now(UTC)
    con.execute("DELETE FROM feedback WHERE subscriber_email = ? AND job_key = ?",
                [email, job_key])
    con.execute("INSERT INTO feedback VALUES (?, ?, ?, ?, ?)", [email, job_key, label, via, now])
    return Feedback(email, job_key, label, via, now)  # type: ignore[arg-type]


def record_feedback_in(
    warehouse: Warehouse, email: str, job_key: str, label: str, via: str,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Feedback:
    """`record_feedback` in its own transaction (on `con` when given), under the `feedback`
    guard so two verdicts on one job never both land."""
    return warehouse.transaction(
        lambda c: record_feedback(c, email, job_key, label, via), "record feedback",
        guard="feedback", con=con)


def feedback_rows(con: duckdb.DuckDBPyConnection) -> list[Feedback]:
    rows = con.execute(
        "SELECT subscriber_email, job_key, label, via, recorded_at FROM feedback "
        "ORDER BY recorded_at, subscriber_email, job_key"
    ).fetchall()
    return [Feedback(*row) for row in rows]
