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
