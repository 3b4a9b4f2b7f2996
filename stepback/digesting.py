"""The daily digest run: pick each subscriber's new flagged jobs, render, claim, send, record.

Every subscriber's digest is claimed in the warehouse (with its items) before SMTP sees it and
marked after (stepback.digest_claims): two runs at once, a crash mid-send, a reader or a
loader holding the warehouse, or an SMTP outage never make anyone get two digests for one day.
A failed send gives its jobs back for a later run; no transaction is open while SMTP talks.

Each subscriber has a send time and timezone (their profile's, else `[digest]`'s). The
scheduled DAG runs every quarter hour with `due_only`: a subscriber is sent to once their
local time has passed their send time, for their local date. A manual run, or an explicit
date, sends to everyone not yet served that day.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from stepback.config import DigestConfig, Profile, Settings
from stepback.digest import DigestItem, Subscriber, deliver, render_digest
from stepback.digest.formatting import one_line
from stepback.digest.links import DigestLinks
from stepback.digest.render import digest_filename
from stepback.digest.signing import Signer, load_secret
from stepback.digest.smtp import SmtpTarget
from stepback.digest_claims import Claim, DigestLedger, record_failure, settle_unconfirmed, taken
from stepback.subscribers import subscribers
from stepback.warehouse import Warehouse

log = logging.getLogger(__name__)
PER_COMPANY_CAP = 2
# Hours per pay unit, to compare a posting's pay with a subscriber's minimum in another unit.
HOURS = {"hour": 1.0, "day": 8.0, "week": 40.0, "month": 40.0 * 52 / 12, "year": 2080.0}

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
    digest_date: date
    rows: list[dict[str, Any]]
    message_id: str | None = None  # set once rendered; the message itself is not kept
    error: str | None = None


def digest_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def local_now(profile: Profile, config: DigestConfig, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(profile.timezone or config.timezone))


def is_due(profile: Profile, config: DigestConfig, now: datetime) -> bool:
    """Has the subscriber's send time passed today, where they are?"""
    hour, minute = (int(part) for part in (profile.send_time or config.time).split(":"))
    return local_now(profile, config, now).time() >= time(hour, minute)


def wanted(row: dict[str, Any], profile: Profile) -> bool:
    """The digest filters: exclude terms, minimum pay, location (or remote when taken)."""
    text = " ".join(
        str(row.get(k) or "") for k in ("title", "company", "production", "description")
    ).lower()
    if any(term.lower() in text for term in profile.exclude):
        return False
    if not pays_enough(row, profile):
        return False
    if not profile.locations:
        return True
    if row.get("remote") and profile.remote_ok:
        return True
    place = _city(row.get("location"))
    return bool(place) and any(_city(wanted_place) == place for wanted_place in profile.locations)


def pays_enough(row: dict[str, Any], profile: Profile) -> bool:
    """False only when the posting states pay, in a known unit, whose top is under the minimum.

    A posting that lists no pay is kept: most studio boards omit it (add "unpaid" to
    `exclude` to drop postings that say so).
    """
    if profile.min_pay is None:
        return True
    amounts = [float(v) for v in (row.get("pay_min"), row.get("pay_max")) if v is not None]
    unit = row.get("pay_unit")
    if not amounts or unit not in HOURS:
        return True
    per_hour = max(amounts) / HOURS[unit]
    wanted_per_hour = profile.min_pay / HOURS[profile.min_pay_unit or "day"]
    return per_hour >= wanted_per_hour - 1e-9


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


def digest_links(settings: Settings) -> DigestLinks:
    """Signed feedback and unsubscribe links pointing at `stepback serve`."""
    return DigestLinks(settings.file.digest.links_url, Signer(load_secret(settings.data_dir)))


def render_plan(plan: Planned, config: DigestConfig, links: DigestLinks | None) -> EmailMessage:
    return render_digest(
        to_subscriber(plan.profile), [to_item(row) for row in plan.rows],
        digest_date=plan.digest_date, sender=config.sender, links=links,
    )


def run_digest(
    warehouse: Warehouse,
    settings: Settings,
    *,
    digest_date: date | None = None,
    smtp: SmtpTarget | None = None,
    now: datetime | None = None,
    due_only: bool = False,
) -> dict[str, Any]:
    """One digest round. `due_only` (the scheduled DAG) skips subscribers whose time is to come.

    Each digest is claimed in the warehouse before it is sent and marked after
    (stepback.digest_claims), so no subscriber gets two for one day, whatever fails."""
    config = settings.file.digest
    now = now or datetime.now(UTC)
    outbox_mode = smtp is None and settings.smtp_url is None
    with warehouse.connect() as con:
        unknown = settle_unconfirmed(warehouse, con, now)
        profiles = subscribers(con)
        not_due = [p.email for p in profiles
                   if due_only and digest_date is None and not is_due(p, config, now)]
        dates = {p.email: digest_date or local_now(p, config, now).date()
                 for p in profiles if p.email not in not_due}
        done = taken(con, dates)
        plans = [
            Planned(p, dates[p.email], pick(candidates(con, p.email), p, config.max_items))
            for p in profiles
            if p.email in dates and p.email not in done
        ]
        ledger = DigestLedger(warehouse, con)

        def after(message: EmailMessage, failure: str | None) -> None:
            status = "failed" if failure else "written" if outbox_mode else "sent"
            ledger.confirm(str(message["Message-ID"]), status, failure)

        report = deliver(
            _claimed(plans, config, digest_links(settings), ledger),
            outbox=settings.outbox_dir,
            smtp_url=None if smtp else settings.smtp_url,
            smtp=smtp,
            after=after,
        )
        for plan in plans:
            if plan.error:
                warehouse.transaction(
                    lambda c, plan=plan: record_failure(
                        c, plan.profile.email, plan.digest_date, plan.error or ""),
                    "record a digest that could not be rendered", con=con)
    failed = {plan.profile.email: plan.error for plan in plans if plan.error} | report.failed
    for email, reason in failed.items():
        log.warning("digest for %s not delivered: %s", email, reason)
    for email, day in unknown:
        log.warning("digest for %s on %s: its run ended before recording whether SMTP took it; "
                    "nothing more is sent that day and its jobs are offered again", email, day)
    return {
        "digest_date": (digest_date or digest_today(config.timezone)).isoformat(),
        "subscribers": len(profiles),
        "not_due": not_due,
        "already_delivered": sorted(e for e, status in done.items() if status != "claimed"),
        "claimed_elsewhere": sorted(
            [e for e, status in done.items() if status == "claimed"] + ledger.lost),
        "unknown": sorted(email for email, _ in unknown),
        "items": {p.profile.email: len(p.rows) for p in plans if p.profile.email
                  not in ledger.lost},
        "sent": list(report.sent),
        "written": [str(path) for path in report.written],
        "failed": failed,
        "nothing_new": sum(1 for p in plans if not p.rows),
        "nothing_today_notes": sum(1 for p in plans if not p.rows and p.message_id is not None),
    }


def _claimed(
    plans: list[Planned], config: DigestConfig, links: DigestLinks, ledger: DigestLedger
) -> Iterator[EmailMessage]:
    """Each digest in turn, rendered and claimed just before it is sent: 10,000 never sit in
    memory, and one another run has claimed is skipped."""
    for plan in plans:
        if not (plan.rows or plan.profile.nothing_today):
            continue
        try:
            message = render_plan(plan, config, links)
        except Exception as exc:  # noqa: BLE001 - one bad profile must not stop the others
            plan.error = one_line(f"could not render the digest: {exc}")
            continue
        claim = Claim(plan.profile.email, plan.digest_date, str(message["Message-ID"]),
                      plan.rows)
        if not ledger.claim(claim):
            continue
        plan.message_id = claim.message_id
        yield message


def preview_digest(
    warehouse: Warehouse, settings: Settings, email: str, *, now: datetime | None = None
) -> tuple[Path, Path]:
    """Write what `email` would get next as `.html` and `.txt`; sends and records nothing."""
    config = settings.file.digest
    with warehouse.reader() as con:
        profile = next((p for p in subscribers(con) if p.email == email.strip()), None)
        if profile is None:
            raise ValueError(f"no subscriber {email.strip()}; add one with `stepback subscribe`")
        rows = pick(candidates(con, profile.email), profile, config.max_items)
    day = local_now(profile, config, now or datetime.now(UTC)).date()
    message = render_plan(Planned(profile, day, rows), config, digest_links(settings))
    folder = settings.outbox_dir / "preview"
    folder.mkdir(parents=True, exist_ok=True)
    stem = digest_filename(to_subscriber(profile), day)
    paths = (folder / f"{stem}.html", folder / f"{stem}.txt")
    for path, kind in zip(paths, ("html", "plain"), strict=True):
        part = message.get_body(preferencelist=(kind,))
        path.write_text(part.get_content() if part is not None else "", encoding="utf-8")
    return paths
