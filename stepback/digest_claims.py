"""At most one digest per subscriber per day, whatever fails: the claim ledger in `digest_runs`.

Each digest is *claimed* before SMTP sees it: one transaction under the `digest` guard checks
that nobody claimed or sent this subscriber's digest for the day, then records the run
(status `claimed`, its Message-ID, the claimant) and its items. After the send the run is
marked `sent`, `written` or `failed`; a failed run gives its items back and frees the day for
a later retry. A run that crashed between claim and mark leaves a claim nobody confirms: the
next run marks it `unknown` (its claimant is gone, or it is older than CLAIM_LEASE), does not
send that subscriber anything more that day, and offers its items again in the next digest.
No transaction is open while SMTP is spoken to.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb

from stepback.warehouse import Warehouse

# Longer than any one message's SMTP exchange (timeouts are a minute or two).
CLAIM_LEASE = timedelta(minutes=15)
# Statuses that mean "this subscriber's digest for the day is taken".
TAKEN = ("claimed", "sent", "written", "unknown")


def claimant() -> str:
    return f"claimed by {socket.gethostname()} pid {os.getpid()}"


@dataclass
class Claim:
    email: str
    digest_date: date
    message_id: str
    items: list[dict[str, Any]]


@dataclass
class DigestLedger:
    warehouse: Warehouse
    con: duckdb.DuckDBPyConnection
    claims: dict[str, Claim] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)

    def claim(self, claim: Claim) -> bool:
        """Take the subscriber's day; False when another run already has it."""
        won = self.warehouse.transaction(
            lambda con: _claim(con, claim), f"claim the digest for {claim.email}",
            guard="digest", con=self.con)
        if won:
            self.claims[claim.message_id] = claim
        else:
            self.lost.append(claim.email)
        return won

    def confirm(self, message_id: str, status: str, failure: str | None) -> None:
        claim = self.claims.get(message_id)
        if claim is None:  # never claimed (the run stopped before): nothing to record
            return
        self.warehouse.transaction(
            lambda con: _confirm(con, claim, status, failure), f"record the digest for "
            f"{claim.email}", guard="digest", con=self.con)


def settle_unconfirmed(
    warehouse: Warehouse, con: duckdb.DuckDBPyConnection, now: datetime
) -> list[tuple[str, date]]:
    """Mark claims whose run is gone `unknown` and give their items back; returns them."""
    rows = con.execute(
        "SELECT subscriber_email, digest_date, message_id, detail, finished_at "
        "FROM digest_runs WHERE status = 'claimed'").fetchall()
    stale = [(email, day, message_id) for email, day, message_id, detail, at in rows
             if _abandoned(detail, at, now)]
    if stale:
        warehouse.transaction(lambda c: _mark_unknown(c, stale), "settle unconfirmed digests",
                              guard="digest", con=con)
    return [(email, day) for email, day, _ in stale]


def taken(con: duckdb.DuckDBPyConnection, dates: dict[str, date]) -> dict[str, str]:
    """Subscribers whose digest for their date is claimed, sent, written or unknown."""
    if not dates:
        return {}
    rows = con.execute(
        "SELECT subscriber_email, digest_date, status FROM digest_runs "
        "WHERE digest_date IN (SELECT unnest($dates)) AND list_contains($taken, status)",
        {"dates": sorted(set(dates.values())), "taken": list(TAKEN)},
    ).fetchall()
    return {email: status for email, day, status in rows if dates.get(email) == day}


def record_failure(
    con: duckdb.DuckDBPyConnection, email: str, digest_date: date, failure: str
) -> None:
    """A digest that never reached SMTP (it could not be rendered)."""
    con.execute("INSERT INTO digest_runs VALUES (?, ?, 0, 'failed', ?, NULL, ?)",
                [email, digest_date, failure, datetime.now(UTC)])


def _claim(con: duckdb.DuckDBPyConnection, claim: Claim) -> bool:
    if taken(con, {claim.email: claim.digest_date}):
        return False
    con.execute(
        "INSERT INTO digest_runs VALUES (?, ?, ?, 'claimed', ?, ?, ?)",
        [claim.email, claim.digest_date, len(claim.items), claimant(), claim.message_id,
         datetime.now(UTC)])
    sent = {row[0] for row in con.execute(
        "SELECT job_key FROM digest_items WHERE subscriber_email = ?", [claim.email]).fetchall()}
    fresh = [r for r in claim.items if r["job_key"] not in sent]
    if fresh:
        con.executemany(
            "INSERT INTO digest_items VALUES (?, ?, ?, ?, ?, ?)",
            [[claim.email, r["job_key"], r["source"], r["source_id"], claim.digest_date,
              r["score"]] for r in fresh])
    return True


def _confirm(
    con: duckdb.DuckDBPyConnection, claim: Claim, status: str, failure: str | None
) -> None:
    con.execute(
        "UPDATE digest_runs SET status = ?, detail = ?, finished_at = ? "
        "WHERE message_id = ? AND status = 'claimed'",
        [status, failure, datetime.now(UTC), claim.message_id])
    if status == "failed":
        _give_back(con, claim.email, claim.digest_date)


def _mark_unknown(con: duckdb.DuckDBPyConnection, stale: list[tuple[str, date, str]]) -> None:
    for email, day, message_id in stale:
        con.execute(
            "UPDATE digest_runs SET status = 'unknown', detail = 'the run that claimed it "
            "ended before recording whether SMTP took it', finished_at = ? "
            "WHERE message_id = ? AND status = 'claimed'", [datetime.now(UTC), message_id])
        _give_back(con, email, day)


def _give_back(con: duckdb.DuckDBPyConnection, email: str, day: date) -> None:
    con.execute("DELETE FROM digest_items WHERE subscriber_email = ? AND digest_date = ?",
                [email, day])


def _abandoned(detail: str | None, claimed_at: datetime, now: datetime) -> bool:
    if now - claimed_at > CLAIM_LEASE:
        return True
    parts = (detail or "").split()
    if len(parts) == 5 and parts[:2] == ["claimed", "by"] and parts[2] == socket.gethostname():
        return not _alive(int(parts[4]))
    return False


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
