from __future__ import annotations

from models.features import pair_features
from models.training import load_labelled
from models.weak import cross_pairs, profile_key, weak_label, weak_rows
from tests.models.conftest import AP_PROFILE, OSCARS, job

COORDINATOR = {"title": "Production Coordinator", "departments": ["scripted", "production"]}


def test_rules_vote_and_name_themselves() -> None:
    oscars = weak_label(
        pair_features(job("Production Assistant", OSCARS, "The 98th Oscars", "DGA."), AP_PROFILE)
    )
    student = weak_label(
        pair_features(job("Production Assistant", "Ridgeview Film School", None,
                          "A student film."), AP_PROFILE)
    )
    accounts = weak_label(pair_features(job("Accounts Payable Clerk", "Disney"), AP_PROFILE))
    above = weak_label(pair_features(job("Executive Producer", "Netflix"), AP_PROFILE))
    assert oscars is not None and oscars.label == 1
    assert oscars.rules == ("high_profile_step_back",)
    assert student is not None and student.label == 0 and "low_profile" in student.rules
    assert accounts is not None and accounts.label == 0 and accounts.rules == ("off_track",)
    assert above is not None and above.label == 0 and "not_below" in above.rules


def test_abstains_when_no_rule_speaks() -> None:
    # a title no ladder knows: no rule can say whether it is below the seeker or on their track
    unknown = pair_features(job("Head Chef", "Netflix"), AP_PROFILE)
    assert weak_label(unknown) is None
    rows = weak_rows([(job("Head Chef", "Netflix"), AP_PROFILE)])
    assert rows == []


def test_the_same_posting_gets_a_label_per_seeker() -> None:
    logger = job("Logger", "Kinetic Content", "Love Is Blind", "Netflix dating show.")
    [for_ap] = weak_rows([(logger, AP_PROFILE)])
    [for_coordinator] = weak_rows([(logger, COORDINATOR)])
    assert for_ap["label"] == 1 and for_coordinator["label"] == 0
    assert for_coordinator["note"] == "weak label: off_track"
    assert for_ap["origin"] == "weak"


def test_cross_pairs_use_other_seekers_only() -> None:
    rows = load_labelled()[:60]
    pairs = cross_pairs(rows, per_posting=2)
    assert len(pairs) == 2 * len(rows)
    for row, (posting, profile) in zip(
        (r for r in rows for _ in range(2)), pairs, strict=True
    ):
        assert posting is row["posting"]
        assert profile_key(profile) != profile_key(row["profile"])
