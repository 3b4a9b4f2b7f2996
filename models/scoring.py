"""Score postings for one seeker: score, flag, level gap, prestige and reasons per posting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from models.features import pair_features
from models.reasons import reasons


class _Classifier(Protocol):
    classes_: Any

    def predict_proba(self, X: Any) -> Any: ...


def _pipeline(model: Any) -> _Classifier:
    return getattr(model, "pipeline", model)


def score_postings(
    model: Any,
    postings: Sequence[Mapping[str, Any]],
    profile: Mapping[str, Any],
    threshold: float = 0.5,
) -> list[dict[str, Any]]:
    """One Score dict per posting, in input order.

    `model` is a TrainedModel or a fitted pipeline. `step_back` needs BOTH a calibrated score
    at or above `threshold` AND the rule gate (1 to 3 rungs below, 1 to 4 for an assistant to a
    showrunner or executive; on or next to the seeker's track; open to them; paid): the model
    ranks, the rule keeps a high score on the wrong rung from being flagged.
    """
    if not postings:
        return []
    features = [pair_features(p, profile) for p in postings]
    pipeline = _pipeline(model)
    positive = list(pipeline.classes_).index(1)
    probabilities = pipeline.predict_proba(features)[:, positive]
    scores = []
    for posting, f, probability in zip(postings, features, probabilities, strict=True):
        score = round(float(probability), 4)
        scores.append(
            {
                "source": posting.get("source"),
                "source_id": posting.get("source_id"),
                "url": posting.get("url"),
                "title": posting.get("title"),
                "company": posting.get("company"),
                "score": score,
                "step_back": bool(score >= threshold and f.gate),
                "level_gap": f.level_gap,
                "prestige": f.prestige,
                "reasons": reasons(f),
            }
        )
    return scores
