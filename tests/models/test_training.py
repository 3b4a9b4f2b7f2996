from __future__ import annotations

import json
from collections import Counter

import numpy as np

from models import train
from models.data import make_labelled
from models.training import TrainedModel, default_labelled_path, load_labelled

# The floor the first version promises on the employer-held-out split.
PR_AUC_FLOOR = 0.85
PRECISION_AT_10_FLOOR = 0.8
BRIER_CEILING = 0.1


def test_labelled_set_covers_the_idea() -> None:
    rows = load_labelled()
    assert len(rows) >= 240
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
    assert origins["hand"] >= 40
    assert all(r["note"] for r in rows)


def test_committed_labelled_set_matches_its_generator() -> None:
    assert make_labelled.render(make_labelled.build()) == default_labelled_path().read_text(
        encoding="utf-8"
    )


def test_meets_the_floor_and_beats_the_rules_baseline(trained: TrainedModel) -> None:
    m = trained.metrics
    assert m["n_test"] > 40 and m["n_test_positive"] > 5
    assert m["pr_auc"] >= PR_AUC_FLOOR
    assert m["precision_at_10"] >= PRECISION_AT_10_FLOOR
    assert m["brier"] <= BRIER_CEILING
    assert m["pr_auc"] >= m["baseline_pr_auc"]
    assert m["brier"] <= m["baseline_brier"]


def test_training_is_deterministic(trained: TrainedModel) -> None:
    again = train()
    rows = load_labelled()[:25]
    pairs = [(r["posting"], r["profile"]) for r in rows]
    assert again.metrics == trained.metrics
    np.testing.assert_array_equal(
        again.pipeline.predict_proba(pairs), trained.pipeline.predict_proba(pairs)
    )
