"""Build `labelled.jsonl`: (posting, profile, label, note) pairs for the step-back classifier.

    python -m models.data.make_labelled          # rewrite labelled.jsonl next to this file
    python -m models.data.make_labelled --check  # exit 1 when the committed file is stale

Labels come from the truth `templates.toml` declares (each role's track and rung, whether a
production is high-profile, the tracks open to each seeker) and the rules in
`models/LABELING.md`, never from the classifier's own title parser or lexicon. Postings are
rendered with title variants and descriptions the parser and the lexicon do not always
understand, so their gaps show up in the metrics instead of being learnt. The `[[hand]]`
cases are written one by one, including the hard ones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates.toml"
OUT = HERE / "labelled.jsonl"
SEED = 20261126
OFF_TRACK = frozenset(
    {"accounting", "engineering_it", "legal", "marketing", "sales", "human_resources"}
)
STEP_BACK_WINDOW = 3
DOOR_WINDOW = 4  # an assistant to a showrunner or executive: one extra rung is worth it
REQUIREMENTS = (
    "Must be available for long days and weekends.",
    "Strong communication skills and a positive attitude.",
    "Valid driver's license and a reliable car required.",
    "Proficiency with Google Workspace and Microsoft Office.",
    "Previous experience in a similar role preferred.",
    "Calm under pressure; a great team player.",
)
DEFAULT_PAY = (20, 22, "hour")


@dataclass(frozen=True)
class Seeker:
    key: str
    title: str
    departments: tuple[str, ...]
    track: str
    rung: int
    open_tracks: frozenset[str]

    def profile(self) -> dict[str, Any]:
        return {"name": self.key, "title": self.title, "departments": list(self.departments)}


@dataclass(frozen=True)
class Role:
    key: str
    track: str
    rung: int
    titles: tuple[str, ...]
    duties: str
    genres: frozenset[str]
    door: bool = False
    student_only: bool = False


@dataclass(frozen=True)
class Production:
    key: str
    genre: str
    high: bool
    company: str
    production: str | None
    blurbs: tuple[str, ...]
    why: str
    union: bool | None
    location: str


@dataclass(frozen=True)
class Templates:
    seekers: tuple[Seeker, ...]
    roles: tuple[Role, ...]
    productions: tuple[Production, ...]
    hand: tuple[dict[str, Any], ...]

    def seeker(self, key: str) -> Seeker:
        return next(s for s in self.seekers if s.key == key)


def load_templates(path: Path = TEMPLATES) -> Templates:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    seekers = tuple(
        Seeker(
            key=s["key"],
            title=s["title"],
            departments=tuple(s["departments"]),
            track=s["track"],
            rung=s["rung"],
            open_tracks=frozenset(s["open_tracks"]),
        )
        for s in data["seeker"]
    )
    roles = tuple(
        Role(
            key=r["key"],
            track=r["track"],
            rung=r["rung"],
            titles=tuple(r["titles"]),
            duties=r["duties"],
            genres=frozenset(r["genres"]),
            door=r.get("door", False),
            student_only=r.get("student_only", False),
        )
        for r in data["role"]
    )
    productions = tuple(
        Production(
            key=p["key"],
            genre=p["genre"],
            high=p["high"],
            company=p["company"],
            production=p.get("production"),
            blurbs=tuple(p["blurbs"]),
            why=p["why"],
            union=p.get("union"),
            location=p["location"],
        )
        for p in data["production"]
    )
    return Templates(seekers, roles, productions, tuple(data["hand"]))


def label(
    seeker: Seeker, role: Role, production: Production, *, unpaid: bool = False
) -> tuple[int, str]:
    """The labelling rules of LABELING.md, applied to the template truth, in order."""
    gap = seeker.rung - role.rung
    where = production.why
    if role.track in OFF_TRACK:
        return 0, f"off track ({role.track.replace('_', ' ')}) even at {where}"
    if role.track not in seeker.open_tracks:
        return 0, f"{role.track.replace('_', ' ')} is not on or next to the seeker's ladder"
    if gap == 0:
        return 0, f"same level as the seeker, at {where}: lateral, not a step back"
    if gap < 0:
        return 0, f"{-gap} rung(s) above the seeker: a step up, not a step back"
    if gap > (DOOR_WINDOW if role.door else STEP_BACK_WINDOW):
        return 0, f"{gap} rungs below: too far down to be worth it"
    if role.student_only:
        return 0, "student-only internship: not open to a working professional"
    if unpaid:
        return 0, f"unpaid or deferred, even at {where}"
    if not production.high:
        return 0, f"{gap} rung(s) below but on {where}: low profile"
    door = " as assistant to a decision maker" if role.door else ""
    return 1, f"{gap} rung(s) below{door} on {where}"


def contract(
    ident: str,
    title: str,
    company: str | None,
    production: str | None,
    description: str,
    location: str | None,
    employment: str | None,
    pay: tuple[float, float, str] | None,
    union: bool | None,
) -> dict[str, Any]:
    """A posting in the Posting contract (scrapers/items.py)."""
    return {
        "source": "labelled:synthetic",
        "source_id": ident,
        "url": f"https://jobs.example.com/postings/{ident}",
        "title": title,
        "company": company,
        "production": production,
        "location": location,
        "remote": False,
        "employment_type": employment,
        "pay_min": pay[0] if pay else None,
        "pay_max": pay[1] if pay else None,
        "pay_currency": "USD" if pay else None,
        "pay_unit": pay[2] if pay else None,
        "union": union,
        "posted_at": "2026-11-01T00:00:00Z",
        "valid_through": None,
        "description": description,
        "scraped_at": "2026-11-20T00:00:00Z",
    }


def _pay(role: Role, production: Production, rng: random.Random) -> tuple[float, float, str]:
    if role.rung <= 2:
        low = rng.choice((18, 20, 22, 25)) if production.high else rng.choice((16, 17, 18))
        return (low, low + rng.choice((0, 2, 4)), "hour")
    weekly = {3: 1400, 4: 1800, 5: 2400, 6: 3000, 7: 3800, 8: 4500}.get(role.rung, 6000)
    if not production.high:
        weekly = int(weekly * 0.6)
    return (weekly, weekly + 400, "week")


def render_posting(
    ident: str, role: Role, production: Production, rng: random.Random, *, unpaid: bool = False
) -> dict[str, Any]:
    title = rng.choice(role.titles)
    if production.production and rng.random() < 0.3:
        title = f"{title} - {production.production}"
    parts = [rng.choice(production.blurbs), role.duties, rng.choice(REQUIREMENTS)]
    if production.union and rng.random() < 0.7:
        parts.append(
            rng.choice(
                (
                    "This is a union production.",
                    "IATSE signatory production.",
                    "DGA/IATSE production.",
                    "Union position.",
                )
            )
        )
    if production.union is False and rng.random() < 0.4:
        parts.append("Non-union.")
    pay = None
    employment = rng.choice(("temporary", "contract", "freelance", "full_time"))
    if role.student_only:
        employment = "internship"
        parts.append(
            rng.choice(
                (
                    "Must be currently enrolled in a college program and able to receive "
                    "academic credit.",
                    "Open to current students only; proof of enrollment required.",
                )
            )
        )
    if unpaid:
        parts.append(
            rng.choice(
                (
                    "This is an unpaid position.",
                    "Deferred pay.",
                    "Volunteer crew; meals provided.",
                )
            )
        )
    elif not role.student_only:
        pay = _pay(role, production, rng)
    declared_union = production.union if rng.random() < 0.6 else None
    return contract(
        ident,
        title,
        production.company,
        production.production,
        " ".join(parts),
        production.location,
        employment,
        pay,
        declared_union,
    )


@dataclass
class _Sampler:
    templates: Templates
    rng: random.Random
    rows: list[dict[str, Any]] = field(default_factory=list)

    def pairs(
        self,
        seeker: Seeker,
        roles: list[Role],
        high: bool,
        n: int,
        tag: str,
        *,
        unpaid: bool = False,
    ) -> None:
        options = [
            (r, p)
            for r in roles
            for p in self.templates.productions
            if p.genre in r.genres and p.high == high
        ]
        for role, production in self.rng.sample(options, min(n, len(options))):
            ident = f"g{len(self.rows) + 1:04d}"
            value, note = label(seeker, role, production, unpaid=unpaid)
            posting = render_posting(ident, role, production, self.rng, unpaid=unpaid)
            self.rows.append(
                {
                    "id": ident,
                    "origin": f"generated:{tag}",
                    "profile": seeker.profile(),
                    "posting": posting,
                    "label": value,
                    "note": note,
                }
            )


def _in_window(seeker: Seeker) -> Callable[[Role], bool]:
    def check(role: Role) -> bool:
        gap = seeker.rung - role.rung
        window = DOOR_WINDOW if role.door else STEP_BACK_WINDOW
        return 1 <= gap <= window and not role.student_only

    return check


def generated(templates: Templates, rng: random.Random) -> list[dict[str, Any]]:
    """Per seeker: step-backs on high-profile productions and every kind of near miss."""
    sampler = _Sampler(templates, rng)
    roles = templates.roles
    for seeker in templates.seekers:
        window = _in_window(seeker)
        on = [r for r in roles if r.track in seeker.open_tracks]
        step_back = [r for r in on if window(r)]
        far = [
            r
            for r in roles
            if seeker.rung - r.rung > (DOOR_WINDOW if r.door else STEP_BACK_WINDOW)
            and not r.student_only
            and r.track not in OFF_TRACK
        ]
        other = [
            r
            for r in roles
            if r.track not in seeker.open_tracks and r.track not in OFF_TRACK and window(r)
        ]
        sampler.pairs(seeker, step_back, True, 9, "step-back")
        sampler.pairs(seeker, step_back, False, 4, "low-profile")
        sampler.pairs(seeker, [r for r in on if r.rung == seeker.rung], True, 3, "lateral")
        sampler.pairs(seeker, [r for r in on if r.rung > seeker.rung], True, 3, "higher")
        sampler.pairs(seeker, [r for r in roles if r.track in OFF_TRACK], True, 2, "off-track")
        sampler.pairs(seeker, far, True, 2, "far-below")
        sampler.pairs(seeker, other, True, 2, "other-ladder")
        sampler.pairs(seeker, [r for r in roles if r.student_only], True, 1, "student-only")
        sampler.pairs(seeker, step_back, True, 1, "unpaid", unpaid=True)
    return sampler.rows


def hand_cases(templates: Templates) -> list[dict[str, Any]]:
    rows = []
    for case in templates.hand:
        pay = case.get("pay", list(DEFAULT_PAY))
        posting = contract(
            case["id"],
            case["title"],
            case["company"],
            case.get("production"),
            case["description"],
            case.get("location", "Los Angeles, CA"),
            case.get("employment", "temporary"),
            (pay[0], pay[1], pay[2]) if pay else None,
            case.get("union"),
        )
        rows.append(
            {
                "id": case["id"],
                "origin": "hand",
                "profile": templates.seeker(case["seeker"]).profile(),
                "posting": posting,
                "label": case["label"],
                "note": case["note"],
            }
        )
    return rows


def build(templates: Templates | None = None) -> list[dict[str, Any]]:
    templates = templates or load_templates()
    return hand_cases(templates) + generated(templates, random.Random(SEED))


def render(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the labelled step-back pairs.")
    parser.add_argument("--check", action="store_true", help="fail when labelled.jsonl is stale")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        stale = not OUT.exists() or OUT.read_text(encoding="utf-8") != text
        print("labelled.jsonl is stale" if stale else "labelled.jsonl is up to date")
        return 1 if stale else 0
    OUT.write_text(text, encoding="utf-8")
    rows = text.count("\n")
    positives = text.count('"label": 1')
    print(f"wrote {rows} pairs ({positives} step-backs) to {OUT.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
