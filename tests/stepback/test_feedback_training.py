"""`stepback feedback` and `stepback train`: verdicts in the warehouse become training pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stepback.cli import main
from stepback.config import Settings
from stepback.feedback import feedback_rows
from stepback.pipeline import warehouse_for
from stepback.training_pairs import feedback_pairs, weak_pairs
from tests.conftest import REPO, posting, write_landing

ANDREA = "andrea@example.com"


def _warehouse_with_jobs(settings: Settings) -> dict[str, str]:
    """Two jobs and Andrea; returns source_id -> job_key."""
    assert main(["init"]) == 0
    write_landing(settings.landing_dir / "jsonld_test", "r.jsonl", [
        posting(source_id="snl", title="Production Assistant – Saturday Night Live",
                company="NBC", production="Saturday Night Live",
                description="Production assistants for NBC's Saturday Night Live."),
        posting(source_id="student", title="Production Assistant – student film",
                company="USC School of Cinematic Arts", production="Saltwater Hours",
                description="Student thesis film, two weekends.", union=None),
    ])
    assert main(["load"]) == 0
    assert main(["subscribe", str(REPO / "profiles" / "andrea.toml")]) == 0
    with warehouse_for(settings).reader() as con:
        return dict(con.execute("SELECT source_id, job_key FROM postings").fetchall())


def test_feedback_is_recorded_and_replaced(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = _warehouse_with_jobs(settings)
    capsys.readouterr()
    assert main(["feedback", keys["snl"], "bad", "--subscriber", ANDREA]) == 0
    assert main(["feedback", keys["snl"], "good", "--subscriber", ANDREA]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"recorded good for job {keys['snl']} from {ANDREA}"
    with warehouse_for(settings).reader() as con:
        [row] = feedback_rows(con)
    assert (row.job_key, row.label, row.via) == (keys["snl"], "good", "cli")


def test_feedback_errors_are_one_line(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = _warehouse_with_jobs(settings)
    capsys.readouterr()
    assert main(["feedback", "no-such-job", "good", "--subscriber", ANDREA]) == 1
    assert capsys.readouterr().err == "stepback: error: no job no-such-job\n"
    assert main(["feedback", keys["snl"], "good", "--subscriber", "who@example.com"]) == 1
    assert capsys.readouterr().err == "stepback: error: no subscriber who@example.com\n"
    with pytest.raises(SystemExit) as done:
        main(["feedback", keys["snl"], "meh", "--subscriber", ANDREA])
    assert done.value.code == 2


def test_feedback_and_weak_labels_become_training_pairs(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = _warehouse_with_jobs(settings)
    assert main(["feedback", keys["student"], "bad", "--subscriber", ANDREA]) == 0
    with warehouse_for(settings).reader() as con:
        [pair] = feedback_pairs(con)
        weak = weak_pairs(con)
    assert pair["label"] == 0 and pair["origin"] == "feedback:cli"
    assert pair["profile"] == {"title": "Associate Producer",
                               "departments": ["unscripted", "live events"]}
    assert pair["posting"]["source_id"] == "student"
    assert isinstance(pair["posting"]["scraped_at"], str)
    # the job with feedback is not weakly labelled again; SNL is, as a step back for Andrea
    assert [(w["posting"]["source_id"], w["label"]) for w in weak] == [("snl", 1)]


def test_train_reports_and_promotes_only_a_better_model(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = _warehouse_with_jobs(settings)
    assert main(["feedback", keys["student"], "bad", "--subscriber", ANDREA]) == 0
    capsys.readouterr()
    assert main(["train"]) == 0
    first = capsys.readouterr()
    summary = json.loads(first.out)
    assert summary["promoted"] is True
    metrics = summary["metrics"]
    assert metrics["n_feedback"] == 1 and metrics["n_weak"] > metrics["n_gold_train"]
    report = Path(summary["report"])
    assert report.is_file() and report.with_suffix(".json").is_file()
    assert "rules only" in report.read_text("utf-8")
    assert "promoted: becomes current" in first.err

    assert main(["train"]) == 0
    second = capsys.readouterr()
    again = json.loads(second.out)
    assert again["promoted"] is False
    assert f"not promoted: {summary['model_version']} stays current" in second.err
    assert (settings.models_dir / "current").read_text().strip() == summary["model_version"]
    assert (settings.models_dir / again["model_version"] / "model.skops").is_file()
