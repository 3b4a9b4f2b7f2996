"""Train the step-back classifier and measure it against the rules-only baseline."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import Pipeline

from models.evaluation import DIGEST_K, evaluate
from models.features import PairFeaturizer, as_pair_features

RANDOM_STATE = 0
TEST_SIZE = 0.25
# The structured features carry the step-back rule; words add what the lexicon misses
# ("watch party", "affiliate", "top streaming service") without drowning it.
TEXT_WEIGHT = 0.5
C = 1.0
CALIBRATION_FOLDS = 5


@dataclass
class TrainedModel:
    pipeline: Pipeline
    metrics: dict[str, Any] = field(default_factory=dict)
    version: str | None = None


def default_labelled_path() -> Path:
    return Path(str(resources.files("models").joinpath("data", "labelled.jsonl")))


def load_labelled(path: str | Path | None = None) -> list[dict[str, Any]]:
    text = Path(path or default_labelled_path()).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def build_pipeline() -> Pipeline:
    """One pipeline from (posting, profile) pairs to a calibrated step-back probability."""
    columns = ColumnTransformer(
        [
            (
                "text",
                TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=5000),
                "text",
            ),
            ("structured", DictVectorizer(), "structured"),
        ],
        transformer_weights={"text": TEXT_WEIGHT, "structured": 1.0},
    )
    classifier = CalibratedClassifierCV(
        LogisticRegression(C=C, max_iter=5000),
        method="sigmoid",
        cv=CALIBRATION_FOLDS,
    )
    return Pipeline([("pairs", PairFeaturizer()), ("columns", columns), ("classifier", classifier)])


def _positive_proba(pipeline: Pipeline, X: list[Any]) -> np.ndarray:
    classes = list(pipeline.classes_)
    return pipeline.predict_proba(X)[:, classes.index(1)]


def train(
    labelled_path: str | Path | None = None,
    *,
    random_state: int = RANDOM_STATE,
    test_size: float = TEST_SIZE,
) -> TrainedModel:
    """Fit on a split held out BY EMPLOYER, report test metrics, then refit on every pair.

    The returned pipeline is the refit one; the metrics describe the held-out split, with the
    rules-only baseline (prestige when the step-back gate passes, else 0) on the same split.
    """
    path = Path(labelled_path or default_labelled_path())
    rows = load_labelled(path)
    features = as_pair_features((r["posting"], r["profile"]) for r in rows)
    y = np.array([int(r["label"]) for r in rows])
    groups = [(r["posting"].get("company") or "?").strip().lower() for r in rows]

    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=random_state)
    train_idx, test_idx = next(splitter.split(features, y, groups))
    X_train = [features[i] for i in train_idx]
    X_test = [features[i] for i in test_idx]

    held_out = build_pipeline().fit(X_train, y[train_idx])
    model_scores = _positive_proba(held_out, X_test)
    baseline_scores = [f.rule_score for f in X_test]
    model_metrics = evaluate(y[test_idx], model_scores, DIGEST_K)
    baseline_metrics = evaluate(y[test_idx], baseline_scores, DIGEST_K)

    final = build_pipeline().fit(features, y)
    metrics: dict[str, Any] = {
        **model_metrics,
        **{f"baseline_{k}": v for k, v in baseline_metrics.items()},
        "n_pairs": len(rows),
        "n_positive": int(y.sum()),
        "n_train": len(train_idx),
        "n_test": len(test_idx),
        "n_test_positive": int(y[test_idx].sum()),
        "n_test_employers": len({groups[i] for i in test_idx}),
        "split": f"GroupShuffleSplit(company, test_size={test_size}, random_state={random_state})",
        "labelled_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "sklearn": sklearn.__version__,
    }
    return TrainedModel(pipeline=final, metrics=metrics)
