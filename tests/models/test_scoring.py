from __future__ import annotations

from models import score_postings
from models.training import TrainedModel
from tests.models.conftest import AP_PROFILE, OSCARS, job

SCORE_KEYS = {
    "source",
    "source_id",
    "url",
    "title",
    "company",
    "score",
    "step_back",
    "level_gap",
    "prestige",
    "reasons",
}


def test_the_step_back_idea(trained: TrainedModel) -> None:
    oscars_pa, student_pa, oscars_ep, disney_ap = score_postings(
        trained,
        [
            job(
                "Production Assistant – 98th Oscars",
                OSCARS,
                "The 98th Oscars",
                "Office and rehearsal PAs for the Oscars telecast on ABC. IATSE.",
                union=True,
            ),
            job(
                "Production Assistant",
                "Ridgeview Film School",
                "Paper Lanterns",
                "PA for a student film shooting two weekends.",
            ),
            job(
                "Executive Producer",
                OSCARS,
                "The 98th Oscars",
                "Executive producer for the Oscars telecast on ABC.",
                pay_unit="week",
                pay_min=12000,
                pay_max=15000,
            ),
            job(
                "Accounts Payable Clerk",
                "The Walt Disney Company",
                None,
                "Process vendor invoices for Disney Entertainment.",
            ),
        ],
        AP_PROFILE,
    )
    assert oscars_pa["score"] > student_pa["score"]
    assert oscars_pa["step_back"] is True
    assert student_pa["step_back"] is False
    assert oscars_ep["step_back"] is False
    assert disney_ap["step_back"] is False
    assert oscars_pa["level_gap"] == 3 and oscars_ep["level_gap"] < 0
    assert disney_ap["level_gap"] is None


def test_scores_follow_the_contract(trained: TrainedModel) -> None:
    [score] = score_postings(trained, [job("Set PA", "Marvel Studios")], AP_PROFILE)
    assert set(score) == SCORE_KEYS
    assert 0.0 <= score["score"] <= 1.0 and 0.0 <= score["prestige"] <= 1.0
    assert all(isinstance(r, str) and r for r in score["reasons"])


def test_reasons_read_like_sentences(trained: TrainedModel) -> None:
    oscars, student, disney = score_postings(
        trained,
        [
            job("Production Assistant", OSCARS, "The 98th Oscars", "DGA telecast."),
            job("Production Assistant", "Ridgeview Film School", None, "Student film."),
            job("Accounts Payable Clerk", "The Walt Disney Company"),
        ],
        AP_PROFILE,
    )
    assert "3 levels below your Associate Producer" in oscars["reasons"]
    assert "The Oscars (ABC): awards show" in oscars["reasons"]
    assert "DGA production" in oscars["reasons"]
    assert "student film: low profile" in student["reasons"]
    assert "off your track: accounting" in disney["reasons"]


def test_assistant_to_showrunner_on_a_big_show(trained: TrainedModel) -> None:
    [score] = score_postings(
        trained,
        [job("Assistant to the Showrunner", "Shondaland", "Bridgerton", "Netflix series.")],
        AP_PROFILE,
    )
    assert score["step_back"] is True
    assert "assistant to a decision maker: close to the people who hire" in score["reasons"]


def test_threshold_and_empty_input(trained: TrainedModel) -> None:
    posting = job("Production Assistant", OSCARS, "The 98th Oscars")
    assert score_postings(trained, [posting], AP_PROFILE, threshold=1.01)[0]["step_back"] is False
    assert score_postings(trained, [], AP_PROFILE) == []
    assert score_postings(trained.pipeline, [posting], AP_PROFILE)[0]["step_back"] is True


COORDINATOR = {"title": "Production Coordinator", "departments": ["scripted", "production"]}


def _issue_postings() -> list[dict]:
    return [
        job("Production Assistant – 98th Oscars", OSCARS, "The 98th Oscars",
            "Production assistants for the Oscars telecast on ABC, live from the Dolby "
            "Theatre. Rehearsals, scripts, credentials.", union=True),
        job("Office Production Assistant", "Shondaland", "Untitled Shondaland Drama (Netflix)",
            "Office PAs for a new Shondaland drama for Netflix: phones, runs, distribution.",
            union=True),
        job("Production Assistant – Saturday Night Live", "NBC", "Saturday Night Live",
            "Production assistants for NBC's Saturday Night Live at 30 Rock."),
        job("Production Assistant", "Ridgeview Film School", "Paper Lanterns (student film)",
            "PA for a student thesis film shooting two weekends. Meals provided."),
        job("Executive Producer, Unscripted", "Netflix", None,
            "Lead a slate of unscripted series for Netflix.", employment_type="full_time",
            pay_min=280000, pay_max=350000, pay_unit="year"),
        job("Associate Producer", "KTWF 3 Twin Falls", "Morning News",
            "Produce segments for our local morning newscast serving the Magic Valley.",
            employment_type="full_time", pay_min=38000, pay_max=42000, pay_unit="year"),
    ]


def test_the_issue_cases_for_an_associate_producer(trained: TrainedModel) -> None:
    oscars, shondaland, snl, student, netflix_ep, local_ap = score_postings(
        trained, _issue_postings(), AP_PROFILE
    )
    assert oscars["step_back"] and shondaland["step_back"] and snl["step_back"]
    assert not student["step_back"] and not netflix_ep["step_back"] and not local_ap["step_back"]
    assert min(oscars["score"], shondaland["score"], snl["score"]) > max(
        student["score"], netflix_ep["score"], local_ap["score"]
    )
    assert "The Oscars (ABC): awards show" in oscars["reasons"]
    assert "3 levels below your Associate Producer" in shondaland["reasons"]
    assert local_ap["level_gap"] == 0 and netflix_ep["level_gap"] < 0


def test_flags_change_with_the_profile(trained: TrainedModel) -> None:
    extra = [
        job("Set Production Assistant", "Marvel Studios", "Untitled Marvel Studios Feature",
            "Set PAs for a Marvel feature: lock-ups, background, walkies.", union=True),
        job("Logger", "Kinetic Content", "Love Is Blind (Netflix)",
            "Log footage for the story team of Love Is Blind."),
    ]
    postings = _issue_postings() + extra
    for_ap = [s["step_back"] for s in score_postings(trained, postings, AP_PROFILE)]
    for_coordinator = [s["step_back"] for s in score_postings(trained, postings, COORDINATOR)]
    # the Oscars, SNL and the logger are an unscripted/live AP's ladders, the set is a POC's;
    # the Shondaland office PA is a step back for both
    assert for_ap == [True, True, True, False, False, False, False, True]
    assert for_coordinator == [False, True, False, False, False, False, True, False]
