"""Realistic synthetic landing files for the load benchmarks.

Jobs are drawn from entertainment companies, crew titles, productions and cities; about a third
of them are posted on two or three sources, each copy with its own id, its own spelling of the
title and company ("PA" / "Production Assistant", "A24" / "A24 Films") and the board's own intro
and outro around the studio's text, as real boards and feeds do. About one line in 300 is bad
in one of the ways crawls go wrong (broken JSON, wrong types, reversed pay, a javascript: URL),
so validation and quarantine do real work. The same seed gives the same files.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

COMPANIES = [
    ("ABC", "abc"), ("NBCUniversal", "nbcu"), ("CBS Studios", "cbs"), ("A24", "a24"),
    ("Netflix", "netflix"), ("HBO", "hbo"), ("Warner Bros. Television", "wbtv"),
    ("Dick Clark Productions", "dcp"), ("Shondaland", "shondaland"), ("Bunim/Murray", "bunim"),
    ("Paramount", "paramount"), ("Lionsgate", "lionsgate"), ("FX Productions", "fx"),
    ("Blumhouse", "blumhouse"), ("Amazon MGM Studios", "amazon"), ("Apple TV+", "apple"),
    ("ESPN", "espn"), ("NFL Films", "nfl"), ("Live Nation", "livenation"), ("Fox Sports", "fox"),
    ("Hulu Originals", "hulu"), ("Lucasfilm", "lucasfilm"), ("Skydance", "skydance"),
    ("Jax Media", "jax"), ("Propagate", "propagate"), ("Magical Elves", "elves"),
]
# Smaller outfits make up most of the long tail of postings.
LOCAL_COMPANIES = [
    f"{first} {last}" for first in ("Blue", "Golden", "Red Door", "Northside", "Harbor", "Pine",
                                    "Silver", "Copper", "Lakeshore", "Mesa", "Ridge", "Union")
    for last in ("Productions", "Media", "Films", "Creative", "Pictures", "Studios", "Content",
                 "Entertainment")
]
TITLES = [
    ("Production Assistant", "PA"), ("Office Production Assistant", "Office PA"),
    ("Set Production Assistant", "Set PA"), ("Key Production Assistant", "Key PA"),
    ("Writers' Production Assistant", "Writers' PA"),
    ("Assistant Production Office Coordinator", "APOC"),
    ("Production Office Coordinator", "POC"), ("Production Coordinator", "Prod. Coordinator"),
    ("Production Secretary", "Production Secretary"), ("Associate Producer", "AP"),
    ("Field Producer", "Field Producer"), ("Segment Producer", "Segment Producer"),
    ("Senior Producer", "Sr. Producer"), ("Executive Producer", "EP"),
    ("Post Production Coordinator", "Post Coordinator"), ("Assistant Editor", "Asst. Editor"),
    ("Logger", "Logger"), ("Casting Assistant", "Casting Asst."),
    ("Second Second Assistant Director", "2nd 2nd AD"), ("Script Coordinator", "Script Coord."),
    ("Assistant to Showrunner", "Showrunner's Assistant"), ("Stage Manager", "Stage Manager"),
    ("Accounts Payable Clerk", "AP Clerk"), ("Talent Coordinator", "Talent Coord."),
    ("Graphics Operator", "Graphics Op"), ("Camera Utility", "Camera Utility"),
]
SHOW_WORDS = ["Night", "House", "River", "Crown", "Signal", "Harbor", "Echo", "Summit", "Pilot",
              "Vault", "Frontier", "Anthem", "Orbit", "Lantern", "Canyon", "Atlas", "Meridian"]
EVENTS = ["Oscars", "Emmys", "Golden Globes", "Grammys", "Super Bowl Halftime", "Tonys",
          "Kennedy Center Honors", "NBA All-Star", "Country Music Awards"]
CITIES = ["Los Angeles, CA", "New York, NY", "Atlanta, GA", "Chicago, IL", "Austin, TX",
          "Albuquerque, NM", "Vancouver, BC", "Toronto, ON", "London, UK", "Nashville, TN",
          "Burbank, CA", "Santa Clarita, CA", "Miami, FL", "Las Vegas, NV", "Pittsburgh, PA"]
DUTIES = [
    "support the production office with runs, phones, copies and paperwork",
    "assist the assistant directors on set with lock-ups, background and radios",
    "track deliverables, schedules and crew lists through the production",
    "coordinate travel, housing and call sheets for cast and crew",
    "log footage and keep transcripts organised for the story team",
    "prepare scripts, revisions and notes for the writers' room",
    "help the talent team with green rooms, wardrobe fittings and rehearsals",
    "manage the edit bay calendar, media drives and turnovers",
    "work closely with the showrunner's office on calls and meetings",
    "keep budgets, purchase orders and petty cash reconciled",
]
ASKS = [
    "At least one year of experience in a production office is preferred.",
    "Must be comfortable with long days and a fast-changing schedule.",
    "A valid driver's licence and a clean record are required.",
    "Knowledge of Movie Magic, Google Workspace and Airtable is a plus.",
    "We value calm under pressure, discretion and a sense of humour.",
    "Candidates must be available for the full run of the show.",
    "Previous experience on live television or awards shows is a strong plus.",
    "This is a union position under the applicable IATSE or DGA agreement.",
]
INTROS = ["", "Posted via EntertainmentCareers.net. ", "New on the board today! ",
          "Staff pick from our job board. "]
OUTROS = ["", " Apply through the link below; only shortlisted candidates will be contacted.",
          " Mention this board when you apply.", " Share this listing with a friend."]
UNITS = [("hour", 18, 45), ("day", 200, 450), ("week", 900, 2500), ("year", 45000, 140000)]
EMPLOYMENT = ["full_time", "part_time", "contract", "temporary", "freelance", "per_diem"]
SOURCE_KINDS = ["greenhouse", "lever", "jsonld", "rss", "workday", "ashby"]
BAD_LINE_EVERY = 300


@dataclass(frozen=True)
class Generated:
    files: list[Path]
    lines: int
    postings: int
    jobs: int
    size_bytes: int


@dataclass
class Job:
    company: str
    slug: str
    title: str
    short_title: str
    production: str | None
    location: str
    remote: bool
    text: str
    pay: tuple[float, float, str] | None
    union: bool
    employment_type: str
    posted_at: datetime


def make_job(rng: random.Random, now: datetime) -> Job:
    if rng.random() < 0.55:
        company, slug = rng.choice(COMPANIES)
    else:
        company = rng.choice(LOCAL_COMPANIES)
        slug = company.lower().replace(" ", "")
    title, short_title = rng.choice(TITLES)
    production = _production(rng, company)
    duties = rng.sample(DUTIES, rng.randint(3, 6))
    text = (
        f"{company} is hiring a {title} for {production or 'our upcoming slate'}. "
        + " ".join(f"You will {duty}." for duty in duties) + " "
        + " ".join(rng.sample(ASKS, rng.randint(2, 5)))
        + f" Reference {rng.randrange(10**6):06d}."
    )
    unit, low, high = rng.choice(UNITS)
    pay_min = round(rng.uniform(low, high), 2 if unit == "hour" else 0)
    pay = (pay_min, round(pay_min * rng.uniform(1.0, 1.3), 2), unit) if rng.random() < 0.7 else None
    return Job(
        company=company, slug=slug, title=title, short_title=short_title, production=production,
        location=rng.choice(CITIES), remote=rng.random() < 0.08, text=text, pay=pay,
        union=rng.random() < 0.4, employment_type=rng.choice(EMPLOYMENT),
        posted_at=now - timedelta(days=rng.randint(0, 45), minutes=rng.randint(0, 1440)),
    )


def _production(rng: random.Random, company: str) -> str | None:
    roll = rng.random()
    if roll < 0.15:
        return f"{rng.randint(40, 99)}th {rng.choice(EVENTS)}"
    if roll < 0.75:
        return f"{rng.choice(['The ', ''])}{rng.choice(SHOW_WORDS)} {rng.choice(SHOW_WORDS)}"
    if roll < 0.85:
        return f"Untitled {company} Series {rng.randint(1, 40)}"
    return None


def copy_of(job: Job, rng: random.Random, source: str, source_id: str, now: datetime) -> dict:
    """One source's posting of the job: its own id, spelling, wrapper text and scrape time."""
    title = job.title if rng.random() < 0.6 else job.short_title
    if job.production and rng.random() < 0.5:
        title = f"{title} - {job.production}"
    company = job.company if rng.random() < 0.8 else f"{job.company}, LLC"
    posting = {
        "source": source, "source_id": source_id,
        "url": f"https://{source.replace(':', '-')}.example.com/jobs/{source_id}",
        "title": title, "company": company, "production": job.production,
        "location": job.location, "remote": job.remote,
        "employment_type": job.employment_type,
        "pay_min": job.pay[0] if job.pay else None, "pay_max": job.pay[1] if job.pay else None,
        "pay_currency": "USD" if job.pay else None, "pay_unit": job.pay[2] if job.pay else None,
        "union": job.union, "posted_at": job.posted_at.date().isoformat(),
        "valid_through": (job.posted_at + timedelta(days=60)).date().isoformat(),
        "description": rng.choice(INTROS) + job.text + rng.choice(OUTROS),
        "scraped_at": now.isoformat(),
    }
    return posting


def spoil(line: dict, rng: random.Random) -> str:
    """A line broken the way crawls break them."""
    kind = rng.randrange(5)
    if kind == 0:
        return json.dumps(line)[:-7]
    if kind == 1:
        line["pay_min"] = "two hundred"
    elif kind == 2:
        line["pay_min"], line["pay_max"] = 500, 100
    elif kind == 3:
        line["url"] = "javascript:alert(1)"
    else:
        line["description"] = ""
    return json.dumps(line)


def generate(directory: Path, postings: int, per_file: int = 10_000, seed: int = 7) -> Generated:
    """Write about `postings` lines as landing files `<source>/<run>.jsonl` under `directory`."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    sources = [f"{kind}:board{n:02d}" for kind in SOURCE_KINDS for n in range(8)]
    buffers: dict[str, list[str]] = {s: [] for s in sources}
    files: list[Path] = []
    lines = jobs = 0
    while lines < postings:
        job = make_job(rng, now)
        jobs += 1
        copies = 1 + (rng.random() < 0.33) + (rng.random() < 0.1)
        for source in rng.sample(sources, copies):
            line = copy_of(job, rng, source, f"{rng.getrandbits(48):012x}", now)
            lines += 1
            text = spoil(line, rng) if lines % BAD_LINE_EVERY == 0 else json.dumps(line)
            buffers[source].append(text)
            if len(buffers[source]) >= per_file:
                files.append(_flush(directory, source, buffers[source], len(files)))
                buffers[source] = []
    files += [_flush(directory, s, b, len(files) + i) for i, (s, b) in enumerate(buffers.items())
              if b]
    size = sum(f.stat().st_size for f in files)
    return Generated(files=files, lines=lines, postings=lines, jobs=jobs, size_bytes=size)


def _flush(directory: Path, source: str, lines: list[str], number: int) -> Path:
    folder = directory / source.replace(":", "_")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"run{number:05d}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
