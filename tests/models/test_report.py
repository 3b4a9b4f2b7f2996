from __future__ import annotations

from models.report import beats, render_markdown
from models.training import TrainedModel


def test_higher_pr_auc_wins_then_lower_brier() -> None:
    assert beats({"pr_auc": 0.95, "brier": 0.05}, {"pr_auc": 0.90, "brier": 0.01})[0]
    assert not beats({"pr_auc": 0.90, "brier": 0.01}, {"pr_auc": 0.95, "brier": 0.05})[0]
    assert beats({"pr_auc": 0.9, "brier": 0.04}, {"pr_auc": 0.9, "brier": 0.05})[0]
    tied, why = beats({"pr_auc": 0.9, "brier": 0.05}, {"pr_auc": 0.9, "brier": 0.05})
    assert not tied and "tied" in why


def test_markdown_report_gives_the_figures_against_the_baseline(trained: TrainedModel) -> None:
    report = {**trained.report, "version": "v9", "saved_at": "now", "decision": "promoted: x",
              "current": {"version": "v8", "metrics": trained.report["model"]}}
    text = render_markdown(report)
    model, rules = trained.report["model"], trained.report["rules_baseline"]
    assert "| metric | this model | rules only | current (v8) |" in text
    assert f"| PR-AUC | {model['pr_auc']:.4f} | {rules['pr_auc']:.4f} |" in text
    assert "| recall of flagged |" in text and "| Brier score (lower is better) |" in text
    assert "| writers_room |" in text and "## Per seeker track" in text
    assert trained.report["data"]["labelled_sha256"] in text
