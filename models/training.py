"""Train the step-back classifier and measure it against the rules-only baseline.

The test split is chosen BY EMPLOYER from a hash of the employer's name, so it stays the same
when pairs are added: a model trained last week never saw this week's test employers, and a
new model can be compared with the current one on the same pairs. Weak and feedback pairs only
train, and only when their employer is not a test employer.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from models import rules, weak
from models.evaluation import DIGEST_K, evaluate, per_group
from models.features import PairFeatures, PairFeaturizer, as_pair_features
from models.text import tokens

TEST_PERCENT = 25
SPLIT_SALT = "stepback-test-split"
SPLIT = f"employer hash: sha256('{SPLIT_SALT}:' + employer) % 100 < {TEST_PERCENT} is test"
THRESHOLD = 0.5
# The structured features carry the step-back rule; words add what the lexicon misses
# ("watch party", "affiliate", "top streaming service") without drowning it.
TEXT_WEIGHT = 0.5
C = 1.0
CALIBRATION_FOLDS = 5
FEEDBACK_WEIGHT = 1.0
CROSS_PAIRS_PER_POSTING = 2
LIBRARIES = ("scikit-learn", "skops", "numpy", "scipy", "pandas")

Row = Mapping[str, Any]


@dataclass(frozen=True)
class HeldOut:
    """The test split, kept in memory so the current model can be scored on the same pairs."""

    features: list[PairFeatures]
    labels: np.ndarray


@dataclass
class TrainedModel:
    pipeline: Pipeline
    metrics: dict[str, Any] = field(default_factory=dict)
    version: str | None = None
    report: dict[str, Any] = field(default_factory=dict)
    held_out: HeldOut | None = None


def default_labelled_path() -> Path:
    return Path(str(resources.files("models").joinpath("data", "labelled.jsonl")))


def load_labelled(path: str | Path | None = None) -> list[dict[str, Any]]:
    text = Path(path or default_labelled_path()).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def employer(posting: Row) -> str:
    return " ".join(tokens(str(posting.get("company") or "?"))) or "?"


def is_test_employer(name: str) -> bool:
    digest = hashlib.sha256(f"{SPLIT_SALT}:{name}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < TEST_PERCENT


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


def positive_proba(pipeline: Any, X: Sequence[Any]) -> np.ndarray:
    classes = list(pipeline.classes_)
    return pipeline.predict_proba(list(X))[:, classes.index(1)]


def flags(
    features: Sequence[PairFeatures], scores: Sequence[float], threshold: float
) -> list[bool]:
    """What `score_postings` flags: a score at the threshold AND the step-back gate."""
    return [bool(s >= threshold and f.gate) for f, s in zip(features, scores, strict=True)]


def measure(
    held_out: HeldOut, scores: Sequence[float], flagged: Sequence[bool]
) -> dict[str, Any]:
    return evaluate(held_out.labels, scores, DIGEST_K, flagged=flagged)


def measure_model(pipeline: Any, held_out: HeldOut, threshold: float) -> dict[str, Any]:
    scores = positive_proba(pipeline, held_out.features)
    return measure(held_out, scores, flags(held_out.features, scores, threshold))


def _weight(row: Row) -> float:
    origin = str(row.get("origin", ""))
    if origin.startswith("weak"):
        return weak.WEAK_WEIGHT
    if origin.startswith("feedback"):
        return FEEDBACK_WEIGHT
    return 1.0


def _data_hash(rows: Sequence[Row], weights: Sequence[float]) -> str:
    digest = hashlib.sha256()
    for row, w in zip(rows, weights, strict=True):
        item = [row["posting"], row["profile"], int(row["label"]), w]
        digest.update(json.dumps(item, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def train(
    labelled_path: str | Path | None = None,
    *,
    extra: Sequence[Row] = (),
    cross_weak: bool = True,
    threshold: float = THRESHOLD,
) -> TrainedModel:
    """Fit on the gold train split plus weak and `extra` (feedback) pairs; measure on the test.

    `extra` rows have the labelled-set shape with an `origin` starting `weak` or `feedback`.
    The saved model is the one measured: it is not refit on the test pairs, so its figures
    stay honest and the next model can be compared with it.
    """
    path = Path(labelled_path or default_labelled_path())
    gold = load_labelled(path)
    in_test = [is_test_employer(employer(r["posting"])) for r in gold]
    test_rows = [r for r, t in zip(gold, in_test, strict=True) if t]
    gold_train = [r for r, t in zip(gold, in_test, strict=True) if not t]
    if not test_rows or not gold_train:
        raise ValueError(f"{path.name}: the employer split left an empty train or test side")

    weak_rows = weak.weak_rows(
        weak.cross_pairs(gold_train, CROSS_PAIRS_PER_POSTING), origin="weak:cross"
    ) if cross_weak else []
    kept_extra = [r for r in extra if not is_test_employer(employer(r["posting"]))]
    train_rows = [*gold_train, *weak_rows, *kept_extra]
    weights = [_weight(r) for r in train_rows]
    y_train = np.array([int(r["label"]) for r in train_rows])

    pipeline = build_pipeline().fit(
        as_pair_features((r["posting"], r["profile"]) for r in train_rows),
        y_train,
        classifier__sample_weight=np.array(weights),
    )

    held_out = HeldOut(
        features=as_pair_features((r["posting"], r["profile"]) for r in test_rows),
        labels=np.array([int(r["label"]) for r in test_rows]),
    )
    scores = positive_proba(pipeline, held_out.features)
    model_flags = flags(held_out.features, scores, threshold)
    baseline_scores = [f.rule_score for f in held_out.features]
    baseline_flags = [rules.rule_flag(f.gate, f.prestige) for f in held_out.features]
    model_metrics = measure(held_out, scores, model_flags)
    baseline_metrics = measure(held_out, baseline_scores, baseline_flags)
    tracks = [f.seeker_track or "unknown" for f in held_out.features]

    origins = [str(r.get("origin", "")) for r in kept_extra]
    data = {
        "labelled_file": path.name,
        "labelled_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "training_data_sha256": _data_hash(train_rows, weights),
        "n_pairs": len(gold),
        "n_positive": sum(int(r["label"]) for r in gold),
        "n_profiles": len({weak.profile_key(r["profile"]) for r in gold}),
        "n_employers": len({employer(r["posting"]) for r in gold}),
        "n_gold_train": len(gold_train),
        "n_weak": len(weak_rows) + sum(o.startswith("weak") for o in origins),
        "n_weak_positive": sum(int(r["label"]) for r in weak_rows)
        + sum(int(r["label"]) for r in kept_extra if str(r.get("origin", "")).startswith("weak")),
        "n_feedback": sum(o.startswith("feedback") for o in origins),
        "n_extra_held_back": len(extra) - len(kept_extra),
        "n_train": len(train_rows),
        "n_test": len(test_rows),
        "n_test_positive": int(held_out.labels.sum()),
        "n_test_employers": len({employer(r["posting"]) for r in test_rows}),
        "weights": {"gold": 1.0, "weak": weak.WEAK_WEIGHT, "feedback": FEEDBACK_WEIGHT},
    }
    report = {
        "split": SPLIT,
        "threshold": threshold,
        "data": data,
        "model": model_metrics,
        "rules_baseline": baseline_metrics,
        "per_track": per_group(
            tracks, held_out.labels, {"model": (scores, model_flags),
                                      "rules_baseline": (baseline_scores, baseline_flags)},
        ),
        "libraries": library_versions(),
    }
    metrics: dict[str, Any] = {
        **model_metrics,
        **{f"baseline_{k}": v for k, v in baseline_metrics.items()},
        **{k: v for k, v in data.items() if k != "weights"},
        "split": SPLIT,
        "threshold": threshold,
        "libraries": report["libraries"],
    }
    return TrainedModel(pipeline=pipeline, metrics=metrics, report=report, held_out=held_out)
