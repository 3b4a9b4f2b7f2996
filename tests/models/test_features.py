from __future__ import annotations

import pandas as pd

from models.features import PairFeaturizer, pair_features
from tests.models.conftest import AP_PROFILE, OSCARS, job


def test_level_gap_is_positive_below_the_seeker() -> None:
    below = pair_features(job("Production Assistant", OSCARS, "The 98th Oscars"), AP_PROFILE)
    above = pair_features(job("Executive Producer", OSCARS, "The 98th Oscars"), AP_PROFILE)
    same = pair_features(job("Associate Producer", "MGM Television", "Survivor"), AP_PROFILE)
    assert (below.seeker_rank, below.posting_rank, below.level_gap) == (4, 1, 3)
    assert above.level_gap is not None and above.level_gap < 0
    assert same.level_gap == 0
    assert below.gate and not above.gate and not same.gate


def test_unknown_title_has_no_gap() -> None:
    f = pair_features(job("Head Chef", "Netflix"), AP_PROFILE)
    assert f.level_gap is None and f.relation == "unknown" and not f.gate


def test_off_track_at_a_famous_studio() -> None:
    f = pair_features(job("Accounts Payable Clerk", "The Walt Disney Company"), AP_PROFILE)
    assert f.off_track and f.posting_track == "accounting"
    assert f.level_gap is None
    assert f.prestige == 1.0  # Disney is famous; the job is still off track
    assert not f.gate


def test_same_and_adjacent_tracks() -> None:
    logger = pair_features(job("Logger", "Kinetic Content", "Love Is Blind"), AP_PROFILE)
    office = pair_features(job("Office PA", "Shondaland", "Bridgerton"), AP_PROFILE)
    writers = pair_features(job("Writers' PA", "Shondaland", "Bridgerton"), AP_PROFILE)
    assert logger.same_track and office.adjacent_track
    assert writers.relation == "other" and not writers.gate


def test_whose_ladder_a_job_is_on_depends_on_the_seeker() -> None:
    coordinator = {"title": "Production Coordinator", "departments": ["scripted", "production"]}
    set_pa = job("Set PA", "Marvel Studios", "Untitled Marvel Studios Feature")
    logger = job("Logger", "Kinetic Content", "Love Is Blind")
    assert pair_features(set_pa, coordinator).relation == "adjacent"
    assert pair_features(set_pa, AP_PROFILE).relation == "other"
    assert pair_features(logger, AP_PROFILE).relation == "same"
    assert pair_features(logger, coordinator).relation == "other"


def test_student_film_counts_against_prestige() -> None:
    f = pair_features(
        job(
            "Production Assistant",
            "Ridgeview Film School",
            "Paper Lanterns",
            "Student film shooting two weekends; inspired by Disney classics.",
        ),
        AP_PROFILE,
    )
    assert "student film" in [c.name for c in f.negatives]
    assert f.prestige == 0.0 and f.rule_score == 0.0


def test_union_from_field_or_text() -> None:
    declared = pair_features(job("Set PA", "Marvel Studios", union=True), AP_PROFILE)
    from_text = pair_features(job("Set PA", "Marvel Studios", description="DGA show"), AP_PROFILE)
    refused = pair_features(
        job("Set PA", "Marvel Studios", description="DGA show", union=False), AP_PROFILE
    )
    assert declared.union and from_text.union and not refused.union
    assert from_text.union_cues == ("DGA",)


def test_student_only_internship_and_unpaid() -> None:
    intern = pair_features(
        job(
            "Production Intern",
            "NBCUniversal",
            "Saturday Night Live",
            "Must be currently enrolled and receive academic credit.",
            employment_type="internship",
        ),
        AP_PROFILE,
    )
    unpaid = pair_features(
        job("Production Assistant", "Goldenvoice", "Coachella", pay_min=0, pay_max=0), AP_PROFILE
    )
    deferred = pair_features(
        job("Set PA", "Marvel Studios", description="Deferred pay."), AP_PROFILE
    )
    assert intern.internship and intern.student_only and not intern.gate
    assert unpaid.unpaid and deferred.unpaid and not unpaid.gate


def test_assistant_to_showrunner_gets_the_wider_window() -> None:
    story_producer = {"title": "Story Producer", "departments": ["unscripted"]}
    f = pair_features(
        job("Assistant to the Showrunner", "MGM Television", "Survivor"), story_producer
    )
    assert f.door and f.level_gap == 4 and f.gate


def test_featurizer_accepts_pairs_and_dataframes() -> None:
    pairs = [(job("Office PA", "Marvel Studios"), AP_PROFILE), (job("EP", "ABC"), AP_PROFILE)]
    from_list = PairFeaturizer().fit_transform(pairs)
    frame = pd.DataFrame({"posting": [p for p, _ in pairs], "profile": [q for _, q in pairs]})
    from_frame = PairFeaturizer().transform(frame)
    assert list(from_list.columns) == ["text", "structured"]
    assert from_list.equals(from_frame)
    assert "Marvel Studios" in from_list.loc[0, "text"]
    assert from_list.loc[0, "structured"]["relation=adjacent"] == 1.0
    assert all(0.0 <= v <= 1.0 for v in from_list.loc[0, "structured"].values())


def test_an_off_track_seeker_has_no_rung() -> None:
    accountant = {"title": "Staff Accountant", "departments": []}
    f = pair_features(job("Production Assistant", "Netflix"), accountant)
    assert f.seeker_rank is None and f.level_gap is None and not f.gate
