"""`stepback score`: the Score contract for one profile, trained on first use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stepback.cli import main
from stepback.config import Settings
from tests.conftest import REPO, posting

SCORE_FIELDS = {"source", "source_id", "url", "title", "company", "score", "step_back",
                "level_gap", "prestige", "reasons"}


def test_oscars_pa_above_student_film_pa_for_an_associate_producer(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    postings = [
        posting(source_id="student", title="Production Assistant – student thesis film",
                company="USC School of Cinematic Arts", production=None, union=None,
                pay_min=None, pay_max=None, pay_unit=None,
                description="Unpaid student thesis film, deferred pay, meals and credit."),
        posting(source_id="oscars"),
        posting(source_id="ep", title="Executive Producer – 99th Oscars"),
    ]
    path = tmp_path / "postings.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in postings), "utf-8")
    assert main(["score", "--profile", str(REPO / "profiles" / "andrea.toml"), str(path)]) == 0
    scores = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(set(s) == SCORE_FIELDS for s in scores)
    by_id = {s["source_id"]: s for s in scores}
    assert by_id["oscars"]["score"] > by_id["student"]["score"]
    assert by_id["oscars"]["step_back"] and by_id["oscars"]["level_gap"] > 0
    assert not by_id["student"]["step_back"]
    assert not by_id["ep"]["step_back"] and by_id["ep"]["level_gap"] < 0
    assert any("below your Associate Producer" in r for r in by_id["oscars"]["reasons"])
    assert [s["source_id"] for s in scores] == ["student", "oscars", "ep"]  # input order
    assert (settings.models_dir / "current").exists()
