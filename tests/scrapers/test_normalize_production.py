import pytest

from scrapers.normalize.production import (
    production_from_department,
    production_from_text,
    production_from_title,
)


@pytest.mark.parametrize(
    ("title", "company", "expected"),
    [
        ("Production Assistant – 98th Oscars", "Dick Clark Productions", "98th Oscars"),
        ("Writers' PA - Untitled Shondaland Drama", "Shondaland", "Untitled Shondaland Drama"),
        ("Runner: Saturday Night Live", "NBCUniversal", "Saturday Night Live"),
        ("Editor – Jeopardy! (Season 42)", "Sony Pictures Television", "Jeopardy!"),
        ("Stagehand - Hadestown Tour", None, "Hadestown Tour"),
        ("Production Assistant - 98th Oscars - Dick Clark Productions", "Dick Clark Productions",
         "98th Oscars"),
    ],
)
def test_production_from_title(title, company, expected):
    assert production_from_title(title, company) == expected


@pytest.mark.parametrize(
    ("title", "company"),
    [
        ("Production Assistant - Unscripted", None),
        ("Production Assistant - Los Angeles", None),
        ("Production Assistant - Atlanta, GA", None),
        ("Coordinator - A24 Films", "A24"),
        ("Assistant - Dick Clark", "Dick Clark Productions"),
        ("Set PA - Full Time", None),
        ("Associate Producer - Scripted Drama Series", None),
        ("Post Production Intern - Spring 2027", None),
        ("Receptionist - London Office", None),
        ("Editor - Season 3", None),
        ("Camera Utility - Local 600", None),
        ("Co-Producer", None),
        ("Job: Production Assistant", None),
        ("Production Assistant", None),
    ],
)
def test_production_from_title_is_conservative(title, company):
    assert production_from_title(title, company) is None


def test_production_from_quoted_text():
    text = 'NBCUniversal seeks a PA for "Saturday Night Live". We want a "go-getter".'
    assert production_from_text(text, "NBCUniversal") == "Saturday Night Live"
    assert production_from_text("Support the post team on “Untitled Ari Aster Project”.") == (
        "Untitled Ari Aster Project"
    )
    assert production_from_text('We are "Excited" to meet you') is None
    assert production_from_text('Read the "Production Assistant" handbook') is None


def test_production_from_department():
    snl = "Saturday Night Live"
    assert production_from_department(snl, "NBCUniversal") == snl
    for generic in ("Film Production", "Film & TV", "Post Production", "Marketing", "A24 Films"):
        assert production_from_department(generic, "A24") is None


@pytest.mark.parametrize("garbage", [None, 7, [], {}, "", " - ", "x" * 500])
def test_production_garbage(garbage):
    assert production_from_title(garbage) is None
    assert production_from_text(garbage) is None
    assert production_from_department(garbage) is None
