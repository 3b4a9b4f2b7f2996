from __future__ import annotations

import pytest

from models.prestige import default_lexicon, match_entities, prestige_score


def names(text: str) -> list[str]:
    return [m.name for m in match_entities(text)]


def test_named_entities_with_their_kind() -> None:
    found = {
        m.name: m.kind
        for m in match_entities(
            "PA for the 98th Oscars on ABC; previously Shondaland and Netflix, Super Bowl, NFL."
        )
    }
    assert found == {
        "The Oscars": "awards_show",
        "ABC": "network",
        "Shondaland": "showrunner",
        "Netflix": "streamer",
        "The Super Bowl": "event",
        "NFL": "league",
    }


@pytest.mark.parametrize(
    "text",
    [
        "ABCD Productions; we love the cabc app",
        "Lift max 50 lbs. Max hours per week: 60",
        "Max 10 lbs lifting required",
        "a cancer survivor support group",
        "The Voice of our brand matters",
        "PGA member producers welcome",
        "Call the SNLX hotline or xNBA",
        "of paramount importance",
        "universal remote and a peacock feather",
    ],
)
def test_no_false_hits(text: str) -> None:
    assert names(text) == []


def test_ambiguous_names_need_context() -> None:
    assert names("A new drama streaming on Max") == ["Max"]
    assert names("HBO Max original") == ["Max"]
    assert "Survivor" in names("CBS's Survivor, season 50")
    assert names("PGA Tour Live coverage") == ["PGA Tour"]
    assert names("WNBA and NBA games") == ["WNBA", "NBA"]


def test_longest_name_wins() -> None:
    assert names("A Disney+ original") == ["Disney+"]
    assert names("Paramount+ series") == ["Paramount+"]


def test_union_cues_ignore_non_union() -> None:
    lexicon = default_lexicon()
    assert [c.name for c in lexicon.union_cues("DGA and IATSE Local 600 union production")] == [
        "DGA",
        "IATSE",
        "union",
    ]
    assert lexicon.union_cues("Non-union. Non union crew only.") == []


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Student film shooting weekends", "student film"),
        ("MFA thesis film", "thesis film"),
        ("micro-budget horror", "micro-budget"),
        ("SAG-AFTRA Ultra Low Budget agreement", "ultra low budget"),
        ("Deferred pay until distribution", "deferred pay"),
        ("This is an unpaid position", "unpaid"),
        ("Copy, credit, meals", "copy, credit, meals"),
        ("Local commercial for a pizza place", "local commercial"),
        ("Our public access channel", "community TV"),
        ("A comedic web series", "web series"),
    ],
)
def test_negative_cues(text: str, cue: str) -> None:
    assert cue in [c.name for c in default_lexicon().negative_cues(text)]


def test_explicit_budgets_use_the_union_caps() -> None:
    lexicon = default_lexicon()
    tiny = lexicon.budget_cues("Indie feature, budget: $40K")
    low = lexicon.budget_cues("total budget of $1.2 million")
    assert tiny[0].severity > low[0].severity > 0
    assert "Ultra Low Budget" in tiny[0].name
    assert lexicon.budget_cues("a $90 million budget") == []


def test_prestige_score_orders_the_cases() -> None:
    lexicon = default_lexicon()
    oscars = match_entities("The 98th Oscars")
    a24 = match_entities("A24")
    student = lexicon.negative_cues("student film")
    assert prestige_score(oscars) == 1.0
    assert prestige_score(oscars) > prestige_score(a24) > prestige_score([], oscars) > 0
    assert prestige_score(oscars, negatives=student) == 0.0
    assert prestige_score([], union=True) == pytest.approx(0.4)
    assert prestige_score([]) == 0.0


def test_lexicon_is_dated() -> None:
    assert default_lexicon().updated.startswith("20")
