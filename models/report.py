"""The training report (`report.json` and `report.md` per version) and the promotion rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

METRICS = (
    ("pr_auc", "PR-AUC"),
    ("precision_at_10", "precision at 10"),
    ("recall_flagged", "recall of flagged"),
    ("precision_flagged", "precision of flagged"),
    ("brier", "Brier score (lower is better)"),
    ("n_flagged", "flagged"),
)
TRACK_METRICS = ("pr_auc", "recall_flagged", "precision_flagged", "brier")
# Two PR-AUCs closer than this are a tie, decided by the Brier score.
PR_AUC_TIE = 1e-4


def beats(new: Mapping[str, Any], current: Mapping[str, Any]) -> tuple[bool, str]:
    """Does the new model beat the current one on the same test split? Higher PR-AUC wins; on
    a tie, the lower Brier score; an exact tie keeps the current model."""
    new_auc, old_auc = new.get("pr_auc") or 0.0, current.get("pr_auc") or 0.0
    if new_auc > old_auc + PR_AUC_TIE:
        return True, f"PR-AUC {new_auc:.4f} > {old_auc:.4f}"
    if new_auc < old_auc - PR_AUC_TIE:
        return False, f"PR-AUC {new_auc:.4f} < {old_auc:.4f}"
    if new["brier"] < current["brier"]:
        return True, f"PR-AUC tied at {new_auc:.4f}, Brier {new['brier']} < {current['brier']}"
    return False, f"PR-AUC tied at {new_auc:.4f}, Brier {new['brier']} >= {current['brier']}"


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def render_markdown(report: Mapping[str, Any]) -> str:
    data = report["data"]
    current = report.get("current")
    lines = [
        f"# Step-back classifier {report.get('version', '')}".rstrip(),
        "",
        f"Trained {report.get('saved_at', '')}. **{report.get('decision', '')}**",
        "",
        f"Test split: {report['split']}: {data['n_test']} pairs ({data['n_test_positive']} "
        f"step-backs) from {data['n_test_employers']} employers the model never trained on. "
        f"Flags: score >= {report['threshold']} and the step-back gate.",
        "",
        f"Training: {data['n_gold_train']} labelled pairs, {data['n_weak']} weak pairs "
        f"({data['n_weak_positive']} positive), {data['n_feedback']} feedback pairs "
        f"({data['n_extra_held_back']} extra pairs held back: test employers). Labelled set: "
        f"{data['n_pairs']} pairs, {data['n_profiles']} seeker profiles, "
        f"{data['n_employers']} employers.",
        "",
        "## On the test split",
        "",
    ]
    columns = ["model", "rules_baseline"] + (["current"] if current else [])
    names = {"model": "this model", "rules_baseline": "rules only",
             "current": f"current ({current['version']})" if current else ""}
    lines.append("| metric | " + " | ".join(names[c] for c in columns) + " |")
    lines.append("| --- |" + " --- |" * len(columns))
    for key, label in METRICS:
        row = [_cell(report[c]["metrics"][key] if c == "current" else report[c].get(key))
               for c in columns]
        lines.append(f"| {label} | " + " | ".join(row) + " |")
    lines += [
        "",
        "## Per seeker track",
        "",
        "| track | pairs | step-backs | model PR-AUC | rules PR-AUC | model recall | rules recall "
        "| model precision | rules precision | model Brier | rules Brier |",
        "| --- |" + " --- |" * 10,
    ]
    for track, row in report["per_track"].items():
        model, rules = row["model"], row["rules_baseline"]
        cells = [str(row["n"]), str(row["positives"])]
        for key in TRACK_METRICS:
            cells += [_cell(model[key]), _cell(rules[key])]
        lines.append(f"| {track} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Provenance",
        "",
        f"- labelled set: `{data['labelled_file']}` sha256 `{data['labelled_sha256']}`",
        f"- training data (every pair, label and weight): sha256 `{data['training_data_sha256']}`",
        "- libraries: " + ", ".join(f"{k} {v}" for k, v in report["libraries"].items()),
        "",
    ]
    return "\n".join(lines)
