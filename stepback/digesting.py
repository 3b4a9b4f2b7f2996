"""The daily digest run: pick each subscriber's new flagged jobs, render, deliver, record.

Selection and recording hold the warehouse writer lock; sending does not, so a slow SMTP
server never blocks loads. A job enters `digest_items` only once its digest was accepted by
the server (or written to the outbox), so a failed send is retried on the next run and a
re-run of the same day sends nothing twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from stepback.config import Profile, Settings
from stepback.digest import DigestItem, SmtpSettings, Subscriber, deliver, render_digest
from stepback.subscribers import subscribers
from stepback.warehouse import Warehouse

PER_COMPANY_CAP = 2

CANDIDATES = """
WITH sent AS (
    SELECT job_key FROM digest_items WHERE subscriber_email = $email
)

SELECT
    opportunities.job_key,
    opportunities.score,
    opportunities.level_gap,
    opportunities.prestige,
    opportunities.reasons,
    jobs.source,
    jobs.source_id,
    jobs.title,
    jobs.company,
    jobs.production,
    jobs.location,
    jobs.remote,
    jobs.pay_min,
    jobs.pay_max,
    jobs.pay_currency,
    jobs.pay_unit,
    jobs.posted_at,
    jobs.url,
    jobs.urls,
    postings.description
FROM opportunities
INNER JOIN jobs USING (job_key)
INNER JOIN postings USING (source, source_id)
WHERE opportunities.subscriber_email = $email
  AND opportunities.job_key NOT IN (SELECT job_key FROM sent)
ORDER BY opportunities.score DESC, jobs.posted_at DESC NULLS LAST, opportunities.job_key
"""


@dataclass
class Planned:
    profile: Profile
    rows: list[dict[str, Any]]
    message: EmailMessage | None = None


def digest_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def wanted(row: dict[str, Any], profile: Profile) -> bool:
    """The digest filters: location (or remote when the subscriber takes remote), exclude terms."""
    text = " ".join(
        str(row.get(k) or "") for k in ("title", "company", "production", "description")
    ).lower()
    if any(term.lower() in text for term in profile.exclude):
        return False
    if not profile.locations:
        return True
    if row.get("remote") and profile.remote_ok:
        return True
    place = _city(row.get("location"))
    return bool(place) and any(_city(wanted_place) == place for wanted_place in profile.locations)


def _city(location: str | None) -> str:
    return (location or "").split(",")[0].strip().lower()


def pick(rows: list[dict[str, Any]], profile: Profile, default_max: int) -> list[dict[str, Any]]:
    """Best first, filtered, at most two per company or production, at most max_items."""
    limit = profile.max_items or default_max
    per_owner: Counter[str] = Counter()
    picked = []
    for row in rows:
        if not wanted(row, profile):
            continue
        owners = {str(row[k]).lower() for k in ("company", "production") if row.get(k)}
        if any(per_owner[o] >= PER_COMPANY_CAP for o in owners):
            continue
        per_owner.update(owners)
        picked.append(row)
        if len(picked) >= limit:
            break
    return picked


def delivered_on(con: duckdb.DuckDBPyConnection, digest_date: date) -> set[str]:
    """Subscribers whose digest for this date already went out: a re-run sends them nothing."""
    rows = con.execute(
        "SELECT DISTINCT subscriber_email FROM digest_runs "
        "WHERE digest_date = ? AND status IN ('sent', 'written')",
        [digest_date],
    ).fetchall()
    return {row[0] for row in rows}


def candidates(con: duckdb.DuckDBPyConnection, email: str) -> list[dict[str, Any]]:
    cursor = con.execute(CANDIDATES, {"email": email})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def to_item(row: dict[str, Any]) -> DigestItem:
    others = [u for u in row.get("urls") or [] if u != row["url"]]
    posted = row.get("posted_at")
    return DigestItem.from_mapping(
        {**row, "other_urls": others, "posted_at": posted.date() if posted else None}
    )


def to_subscriber(profile: Profile) -> Subscriber:
    return Subscriber.from_profile(profile.model_dump())


def run_digest(
    warehouse: Warehouse,
    settings: Settings,
    *,
    digest_date: date | None = None,
    smtp: SmtpSettings | None = None,
) -> dict[str, Any]:
    config = settings.file.digest
    digest_date = digest_date or digest_today(config.timezone)
    with warehouse.writer() as con:
        done = delivered_on(con, digest_date)
        plans = [
            Planned(p, pick(candidates(con, p.email), p, config.max_items))
            for p in subscribers(con)
            if p.email not in done
        ]
    for plan in plans:
        if plan.rows:
            items = [to_item(row) for row in plan.rows]
            plan.message = render_digest(
                to_subscriber(plan.profile), items, digest_date=digest_date, sender=config.sender
            )
    messages = [plan.message for plan in plans if plan.message is not None]
    report = deliver(
        messages,
        outbox=settings.outbox_dir,
        smtp_url=None if smtp else settings.smtp_url,
        smtp=smtp,
    )
    outbox_mode = smtp is None and settings.smtp_url is None
    with warehouse.writer() as con:
        for plan in plans:
            if plan.message is not None:
                _record(con, plan, digest_date, report.failed.get(plan.profile.email), outbox_mode)
    return {
        "digest_date": digest_date.isoformat(),
        "subscribers": len(plans) + len(done),
        "already_delivered": sorted(done),
        "items": {p.profile.email: len(p.rows) for p in plans},
        "sent": list(report.sent),
        "written": [str(path) for path in report.written],
        "failed": dict(report.failed),
        "nothing_new": sum(1 for p in plans if not p.rows),
    }


def _record(
    con: duckdb.DuckDBPyConnection,
    plan: Planned,
    digest_date: date,
    failure: str | None,
    outbox_mode: bool,
) -> None:
    email = plan.profile.email
    status = "failed" if failure else "written" if outbox_mode else "sent"
    con.execute("BEGIN TRANSACTION")
    if not failure:
        con.executemany(
            "INSERT INTO digest_items VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [[email, r["job_key"], r["source"], r["source_id"], digest_date, r["score"]]
             for r in plan.rows],
        )
    con.execute(
        "INSERT INTO digest_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
        [email, digest_date, len(plan.rows), status, failure,
         plan.message["Message-ID"] if plan.message else None, datetime.now(UTC)],
    )
    con.execute("COMMIT")
