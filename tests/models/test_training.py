from __future__ import annotations

import json
from collections import Counter

import numpy as np

from models import train
from models.data import make_labelled
from models.training import (
    TrainedModel,
    default_labelled_path,
    employer,
    is_test_employer,
    load_labelled,
)
from tests.models.conftest import AP_PROFILE, job

# The floor the model promises on the employer-held-out split.
PR_AUC_FLOOR = 0.85
PRECISION_AT_10_FLOOR = 0.8
RECALL_FLAGGED_FLOOR = 0.8
BRIER_CEILING = 0.1


def test_labelled_set_covers_the_idea() -> None:
    rows = load_labelled()
    assert len(rows) >= 400
    assert len({json.dumps(r["profile"], sort_keys=True) for r in rows}) >= 6
    assert set(Counter(r["label"] for r in rows)) == {0, 1}
    origins = Counter(r["origin"] for r in rows)
    for kind in (
        "step-back",
        "low-profile",
        "lateral",
        "higher",
        "off-track",
        "far-below",
        "other-ladder",
        "student-only",
        "unpaid",
    ):
        assert origins[f"generated:{kind}"] > 0, kind
    assert origins["hand"] >= 80
    assert all(r["note"] for r in rows)
    assert len({employer(r["posting"]) for r in rows}) >= 60


def test_committed_labelled_set_matches_its_generator() -> None:
    assert make_labelled.render(make_labelled.build()) == default_labelled_path().read_text(
        encoding="utf-8"
    )


def test_test_split_is_by_employer_and_stable() -> None:
    rows = load_labelled()
    test = {employer(r["posting"]) for r in rows if is_test_employer(employer(r["posting"]))}
    train_side = {employer(r["posting"]) for r in rows} - test
    assert test and train_side and not test & train_side
    # a hash of the name, not a shuffle: adding pairs never moves an employer across
    assert is_test_employer("netflix") == is_test_employer(employer({"company": "Netflix"}))


def test_meets_the_floor_and_beats_the_rules_baseline(trained: TrainedModel) -> None:
    m = trained.metrics
    assert m["n_test"] > 80 and m["n_test_positive"] > 20 and m["n_test_employers"] >= 15
    assert m["pr_auc"] >= PR_AUC_FLOOR
    assert m["precision_at_10"] >= PRECISION_AT_10_FLOOR
    assert m["recall_flagged"] >= RECALL_FLAGGED_FLOOR
    assert m["brier"] <= BRIER_CEILING
    assert m["pr_auc"] >= m["baseline_pr_auc"]
    assert m["brier"] <= m["baseline_brier"]


def test_report_has_baseline_per_track_and_provenance(trained: TrainedModel) -> None:
    report = trained.report
    for side in ("model", "rules_baseline"):
        assert {"pr_auc", "precision_at_10", "recall_flagged", "brier"} <= set(report[side])
    tracks = report["per_track"]
    assert {"producing_unscripted", "production_office", "writers_room", "news"} <= set(tracks)
    assert sum(t["n"] for t in tracks.values()) == report["data"]["n_test"]
    assert all({"model", "rules_baseline"} <= set(t) for t in tracks.values())
    assert len(report["data"]["training_data_sha256"]) == 64
    assert {"scikit-learn", "skops", "numpy"} <= set(report["libraries"])


def test_weak_pairs_extend_training_but_never_from_test_employers(
    trained: TrainedModel,
) -> None:
    data = trained.report["data"]
    assert data["n_weak"] > 100 and 0 < data["n_weak_positive"] < data["n_weak"]
    assert data["n_train"] == data["n_gold_train"] + data["n_weak"] + data["n_feedback"]


def test_feedback_pairs_train_and_test_employers_are_held_back(trained: TrainedModel) -> None:
    rows = load_labelled()
    test_company = next(
        r["posting"]["company"] for r in rows if is_test_employer(employer(r["posting"]))
    )
    train_company = "Feedback Test Studios"
    assert not is_test_employer(employer({"company": train_company}))
    extra = [
        {"origin": "feedback:cli", "label": 1, "profile": AP_PROFILE,
         "posting": job("Production Assistant", train_company, "Big Show", "Live special.")},
        {"origin": "feedback:cli", "label": 0, "profile": AP_PROFILE,
         "posting": job("Production Assistant", test_company, None, "")},
    ]
    with_feedback = train(extra=extra, cross_weak=False)
    data = with_feedback.report["data"]
    assert data["n_feedback"] == 1 and data["n_extra_held_back"] == 1
    assert data["n_weak"] == 0
    assert data["training_data_sha256"] != trained.report["data"]["training_data_sha256"]
    # the test split is the same pairs whatever trains
    assert data["n_test"] == trained.report["data"]["n_test"]


def test_training_is_deterministic(trained: TrainedModel) -> None:
    again = train()
    rows = load_labelled()[:25]
    pairs = [(r["posting"], r["profile"]) for r in rows]
    assert again.metrics == trained.metrics
    np.testing.assert_array_equal(
        again.pipeline.predict_proba(pairs), trained.pipeline.predict_proba(pairs)
    )
