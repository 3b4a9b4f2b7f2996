"""Ranking and calibration metrics for step-back scores."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss

DIGEST_K = 10


def precision_at_k(y_true: Sequence[int], scores: Sequence[float], k: int = DIGEST_K) -> float:
    """Share of true step-backs among the k highest scores (ties keep input order)."""
    if not len(y_true):
        return 0.0
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")[:k]
    return float(np.mean(np.asarray(y_true)[order]))


def evaluate(y_true: Sequence[int], scores: Sequence[float], k: int = DIGEST_K) -> dict[str, float]:
    """PR-AUC (average precision), precision@k and Brier score of probability-like scores."""
    y = np.asarray(y_true, dtype=int)
    s = np.clip(np.asarray(scores, dtype=float), 0.0, 1.0)
    return {
        "pr_auc": round(float(average_precision_score(y, s)), 4),
        f"precision_at_{k}": round(precision_at_k(y, s, k), 4),
        "brier": round(float(brier_score_loss(y, s)), 4),
    }
