"""The bundled postings: enough of them, spread the way the demo and the classifier need."""

import re
from collections import Counter
from datetime import datetime
from typing import Any

from stepback.demoboard import load_postings
from stepback.demoboard.catalog import CHANNELS, GREENHOUSE_TOKENS

Posting = dict[str, Any]

FIELDS = {
    "id": str,
    "title": str,
    "company": str,
    "production": (str, type(None)),
    "department": str,
    "city": (str, type(None)),
    "region": (str, type(None)),
    "country": str,
    "remote": bool,
    "employment_type": str,
    "pay_min": (int, float, type(None)),
    "pay_max": (int, float, type(None)),
    "pay_currency": (str, type(None)),
    "pay_unit": (str, type(None)),
    "pay_note": (str, type(None)),
    "compensation": str,
    "union": bool,
    "unions": list,
    "date_posted": str,
    "valid_through": (str, type(None)),
    "description_html": str,
    "channels": list,
    "featured": bool,
    "jsonld_shape": str,
}
EMPLOYMENT_TYPES = {
    "full_time", "part_time", "contract", "temporary", "freelance", "internship", "per_diem",
    "other",
}  # fmt: skip


def _channel_kinds(posting: Posting) -> set[str]:
    return {channel.split(":")[0] for channel in posting["channels"]}


def _one(postings: list[Posting], title: str) -> Posting:
    matches = [p for p in postings if p["title"] == title]
    assert len(matches) == 1, title
    return matches[0]


def test_at_least_64_postings_with_unique_ids(postings: list[Posting]) -> None:
    assert len(postings) >= 64
    assert len({p["id"] for p in postings}) == len(postings)


def test_every_record_has_every_field_with_its_type(postings: list[Posting]) -> None:
    for posting in postings:
        assert set(posting) == set(FIELDS), posting["id"]
        for name, kind in FIELDS.items():
            assert isinstance(posting[name], kind), (posting["id"], name)
        assert posting["employment_type"] in EMPLOYMENT_TYPES
        assert posting["compensation"] in {"paid", "unpaid", "deferred"}
        assert posting["jsonld_shape"] in {"single", "breadcrumbs", "graph", "array"}
        assert posting["union"] == bool(posting["unions"])


def test_location_is_a_place_or_remote(postings: list[Posting]) -> None:
    for posting in postings:
        if posting["remote"]:
            assert posting["city"] is None
        else:
            assert posting["city"], posting["id"]
        assert re.fullmatch(r"[A-Z]{2}", posting["country"])


def test_pay_is_structured_or_explained(postings: list[Posting]) -> None:
    for posting in postings:
        if posting["pay_min"] is None:
            assert posting["pay_note"], posting["id"]
            assert posting["compensation"] in {"unpaid", "deferred"}
        else:
            assert posting["pay_max"] >= posting["pay_min"] > 0
            assert posting["pay_unit"] in {"hour", "day", "week", "month", "year"}
            assert posting["pay_currency"] in {"USD", "GBP"}


def test_every_posting_is_on_a_known_channel_and_every_channel_is_used(
    postings: list[Posting],
) -> None:
    used = Counter(channel for p in postings for channel in p["channels"])
    assert all(p["channels"] for p in postings)
    assert set(used) == set(CHANNELS)
    for token in GREENHOUSE_TOKENS:
        assert used[f"greenhouse:{token}"] >= 6, token


def test_the_same_job_appears_on_two_kinds_of_channel(postings: list[Posting]) -> None:
    crossed = [p for p in postings if len(_channel_kinds(p)) >= 2]
    assert len(crossed) >= 8
    greenhouse_too = [p for p in crossed if "greenhouse" in _channel_kinds(p)]
    assert len(greenhouse_too) >= 4


def test_some_jobs_are_in_two_rss_category_feeds(postings: list[Posting]) -> None:
    doubled = [p for p in postings if sum(c.startswith("rss:") for c in p["channels"]) >= 2]
    assert len(doubled) >= 2


def test_oscars_production_assistant(postings: list[Posting]) -> None:
    oscars = _one(postings, "Production Assistant – 99th Oscars")
    assert oscars["company"] == "ABC"
    assert oscars["production"] == "99th Oscars"
    assert "Academy" in oscars["description_html"]
    assert oscars["union"] is True
    assert (oscars["city"], oscars["region"]) == ("Los Angeles", "CA")
    assert "html" in oscars["channels"]


def test_student_thesis_film_production_assistant(postings: list[Posting]) -> None:
    student = _one(postings, "Production Assistant – student thesis film")
    assert student["compensation"] in {"unpaid", "deferred"}
    assert student["pay_min"] is None
    assert re.search(r"(?i)unpaid|deferred", student["pay_note"])
    assert "School" in student["company"]
    assert student["union"] is False
    assert "html" in student["channels"]


def test_spread_of_roles_pay_unions_and_places(postings: list[Posting]) -> None:
    titles = " | ".join(p["title"] for p in postings)
    for role in ["Production Assistant", "Coordinator", "Production Secretary", "Logger",
                 "Associate Producer", "Story Producer", "Field Producer", "Executive Producer",
                 "Assistant to Showrunner", "Casting Assistant", "2nd 2nd Assistant Director",
                 "Writers' Production Assistant", "Post Production Assistant"]:  # fmt: skip
        assert role in titles, role
    assert {"hour", "day", "week", "year"} <= {p["pay_unit"] for p in postings}
    assert {"unpaid", "deferred"} <= {p["compensation"] for p in postings}
    assert any(re.fullmatch(r"\$\d+/1[02]( flat)?", p["pay_note"] or "") for p in postings)
    unions = " ".join(u for p in postings for u in p["unions"])
    for union in ["DGA", "IATSE", "SAG-AFTRA", "WGA", "NABET", "Teamsters Local 399"]:
        assert union in unions, union
    assert {True, False} == {p["union"] for p in postings}
    cities = {p["city"] for p in postings}
    assert {"Los Angeles", "New York", "Atlanta", "London"} <= cities
    assert any(p["remote"] for p in postings)
    assert len({p["employment_type"] for p in postings}) >= 6


def test_off_track_jobs_and_a_student_only_internship(postings: list[Posting]) -> None:
    companies = {p["title"]: p["company"] for p in postings}
    assert companies["Accounts Payable Clerk"] == "Dick Clark Productions"
    assert companies["Software Engineer, Platform"] == "A24"
    internships = [p for p in postings if p["employment_type"] == "internship"]
    assert any("Students Only" in p["title"] for p in internships)


def test_dates_are_fixed_in_autumn_2026(postings: list[Posting]) -> None:
    future = 0
    for posting in postings:
        posted = datetime.fromisoformat(posting["date_posted"])
        assert posted.tzinfo is not None
        assert (posted.year, posted.month) in {(2026, 10), (2026, 11)}
        if posting["valid_through"]:
            through = datetime.fromisoformat(posting["valid_through"])
            assert through > posted
            future += through > datetime.fromisoformat("2026-12-01T00:00:00+00:00")
    assert future >= 10
    assert any(p["valid_through"] is None for p in postings)


def test_descriptions_read_like_real_postings(postings: list[Posting]) -> None:
    for posting in postings:
        description = posting["description_html"]
        assert description.startswith("<p>"), posting["id"]
        text = re.sub(r"<[^>]+>", " ", description)
        sentences = len(re.findall(r"[.!?](?:\s|$)", text)) + description.count("<li>")
        assert 3 <= sentences <= 12, (posting["id"], sentences)


def test_load_postings_returns_a_fresh_copy() -> None:
    first = load_postings()
    first[0]["title"] = "changed"
    first.pop()
    second = load_postings()
    assert second[0]["title"] != "changed"
    assert len(second) == len(first) + 1
