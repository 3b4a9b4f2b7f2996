from __future__ import annotations

from collections.abc import Sequence

import pytest

from models import TitleMatch, parse_title
from models.ladders import default_ladders


def parsed(title: str, context: str | Sequence[str] = ()) -> TitleMatch:
    match = parse_title(title, context)
    assert match is not None, title
    return match


@pytest.mark.parametrize(
    ("title", "track", "rank", "canonical"),
    [
        ("Production Assistant – 98th Oscars", "live_events", 1, "Production Assistant"),
        ("PRODUCTION ASSISTANT", "production_office", 1, "Production Assistant"),
        ("Office PA", "production_office", 1, "Production Assistant"),
        ("Set PA (Day Player)", "assistant_directors", 1, "Set PA"),
        ("Key PA", "production_office", 2, "Key Office PA"),
        ("Writers' PA", "writers_room", 1, "Writers' PA"),
        ("Writer’s Assistant", "writers_room", 2, "Writers' Assistant"),
        ("Talent PA - Grammys", "talent_casting", 1, "Talent PA"),
        ("Post PA", "post", 1, "Post PA"),
        ("Logger", "producing_unscripted", 1, "Logger"),
        ("Desk Assistant", "news", 1, "Desk Assistant"),
        ("Production Secretary", "production_office", 2, "Production Secretary"),
        ("APOC", "production_office", 3, "APOC"),
        ("Asst. Production Coordinator", "production_office", 3, "APOC"),
        ("POC", "production_office", 4, "Production Coordinator"),
        ("2nd 2nd AD", "assistant_directors", 3, "2nd 2nd AD"),
        ("Second Second Assistant Director", "assistant_directors", 3, "2nd 2nd AD"),
        ("Key 2nd AD", "assistant_directors", 4, "Key 2nd AD"),
        ("1st AD", "assistant_directors", 6, "1st AD"),
        ("UPM", "production_office", 7, "Production Manager"),
        ("AP", "producing_unscripted", 4, "Associate Producer"),
        ("Sr. Field Producer (Unscripted)", "producing_unscripted", 6, "Field Producer"),
        ("Story Producer", "producing_unscripted", 6, "Story Producer"),
        ("Segment Producer", "producing_unscripted", 5, "Segment Producer"),
        ("Supervising Producer", "producing_unscripted", 9, "Supervising Producer"),
        ("Co-EP", "producing_unscripted", 10, "Co-Executive Producer"),
        ("EP", "producing_unscripted", 11, "Executive Producer"),
        ("Staff Writer", "writers_room", 4, "Staff Writer"),
        ("Story Editor", "writers_room", 5, "Story Editor"),
        ("Casting Associate", "talent_casting", 4, "Casting Associate"),
        ("Post Coordinator", "post", 4, "Post Coordinator"),
        ("Assistant Editor", "post", 4, "Assistant Editor"),
        (
            "Executive Assistant to the Showrunner",
            "executive_assistants",
            2,
            "Assistant to Showrunner",
        ),
    ],
)
def test_title_variants(title: str, track: str, rank: int, canonical: str) -> None:
    match = parse_title(title)
    assert match is not None
    assert (match.track, match.rank, match.title) == (track, rank, canonical)


def test_scripted_producer_is_a_writers_rank() -> None:
    unscripted = parsed("Producer", ["unscripted"])
    scripted = parsed("Producer", "one-hour drama, writers room")
    assert (unscripted.track, unscripted.rank) == ("producing_unscripted", 6)
    assert (scripted.track, scripted.rank) == ("writers_room", 8)
    assert scripted.rank > parsed("Story Editor").rank
    assert parsed("Producer (Scripted)").track == "writers_room"


def test_context_picks_the_track_of_a_shared_title() -> None:
    assert parsed("Associate Producer", ["sports"]).track == "sports_broadcast"
    assert parsed("Associate Producer", ["news"]).track == "news"
    assert parsed("Runner", "NFL on CBS game day").track == "sports_broadcast"


@pytest.mark.parametrize(
    ("title", "track"),
    [
        ("Accounts Payable Clerk", "accounting"),
        ("AP Clerk", "accounting"),
        ("Production Accountant", "accounting"),
        ("Executive Assistant, Finance", "accounting"),
        ("Director of Finance", "accounting"),
        ("Software Engineer", "engineering_it"),
        ("Paralegal", "legal"),
        ("Marketing Coordinator", "marketing"),
        ("Recruiter", "human_resources"),
    ],
)
def test_off_track_titles(title: str, track: str) -> None:
    match = parse_title(title)
    assert match is not None and match.off_track and match.track == track


def test_assistants_to_decision_makers_open_doors() -> None:
    assert parsed("Assistant to the Executive Producer").door
    assert not parsed("Production Assistant").door


def test_unknown_titles_are_none() -> None:
    assert parse_title("Head Chef") is None
    assert parse_title("") is None


def test_ladder_data_is_dated_and_consistent() -> None:
    ladders = default_ladders()
    assert ladders.updated.startswith("20")
    for track in ladders.tracks.values():
        assert track.id not in track.adjacent
        assert all(other in ladders.tracks for other in track.adjacent)
    assert ladders.tracks_for_departments(["Unscripted", "live events"]) == {
        "producing_unscripted",
        "live_events",
    }


def test_adjacency_is_directed_and_narrow() -> None:
    ladders = default_ladders()
    # the office PA is a door for an unscripted or live producer, a logger is none for a POC
    assert ladders.adjacent("producing_unscripted", "production_office")
    assert ladders.adjacent("live_events", "production_office")
    assert not ladders.adjacent("production_office", "producing_unscripted")
    assert not ladders.adjacent("production_office", "live_events")
    assert not ladders.adjacent("producing_unscripted", "writers_room")
    assert not ladders.adjacent("news", "production_office")
    assert all(
        ladders.adjacent(t.id, "executive_assistants")
        for t in ladders.tracks.values()
        if not t.off_track and t.id not in ("executive_assistants", "crafts")
    )


def test_company_and_production_choose_the_track_before_the_description() -> None:
    today = parse_title(
        "Production Assistant – TODAY", "Live from Studio 1A.", headline="TODAY ; NBC News"
    )
    assert today is not None and today.track == "news"
    camera = parse_title("1st Assistant Camera – MFA Thesis Short")
    assert camera is not None and camera.track == "crafts"
