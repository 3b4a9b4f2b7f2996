"""Ranking, flag and calibration metrics for step-back scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss

DIGEST_K = 10


def precision_at_k(y_true: Sequence[int], scores: Sequence[float], k: int = DIGEST_K) -> float:
    """Share of true step-backs among the k highest scores (ties keep input order)."""
    if not len(y_true):
        return 0.0
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")[:k]
    return float(np.mean(np.asarray(y_true)[order]))


def flag_metrics(y_true: Sequence[int], flagged: Sequence[bool]) -> dict[str, Any]:
    """Recall of flagged: the share of true step-backs that get flagged; and their precision."""
    y = np.asarray(y_true, dtype=int)
    f = np.asarray(flagged, dtype=bool)
    hits = int((y[f] == 1).sum())
    return {
        "recall_flagged": round(hits / int(y.sum()), 4) if y.sum() else None,
        "precision_flagged": round(hits / int(f.sum()), 4) if f.sum() else None,
        "n_flagged": int(f.sum()),
    }


def evaluate(
    y_true: Sequence[int],
    scores: Sequence[float],
    k: int = DIGEST_K,
    flagged: Sequence[bool] | None = None,
) -> dict[str, Any]:
    """PR-AUC (average precision), precision@k and Brier score; flag metrics when given."""
    y = np.asarray(y_true, dtype=int)
    s = np.clip(np.asarray(scores, dtype=float), 0.0, 1.0)
    out: dict[str, Any] = {
        "pr_auc": round(float(average_precision_score(y, s)), 4) if y.any() else None,
        f"precision_at_{k}": round(precision_at_k(y, s, k), 4),
        "brier": round(float(brier_score_loss(y, s, labels=[0, 1])), 4),
    }
    if flagged is not None:
        out |= flag_metrics(y, flagged)
    return out


def per_group(
    groups: Sequence[str],
    y_true: Sequence[int],
    scorers: Mapping[str, tuple[Sequence[float], Sequence[bool]]],
) -> dict[str, dict[str, Any]]:
    """For each group (say, the seeker's track): size, positives, and each scorer's metrics."""
    y = np.asarray(y_true, dtype=int)
    out: dict[str, dict[str, Any]] = {}
    for group in sorted(set(groups)):
        idx = [i for i, g in enumerate(groups) if g == group]
        row: dict[str, Any] = {"n": len(idx), "positives": int(y[idx].sum())}
        for name, (scores, flagged) in scorers.items():
            s = np.asarray(scores, dtype=float)[idx]
            f = np.asarray(flagged, dtype=bool)[idx]
            metrics = evaluate(y[idx], s, k=min(DIGEST_K, len(idx)), flagged=f)
            row[name] = {
                "pr_auc": metrics["pr_auc"],
                "recall_flagged": metrics["recall_flagged"],
                "precision_flagged": metrics["precision_flagged"],
                "brier": metrics["brier"],
            }
        out[group] = row
    return out
