"""The real scheduler: crawls triggered, then load and classify run because of asset events."""

from __future__ import annotations

from pathlib import Path

import pytest

from stepback.config import load_settings
from stepback.demo import Timer, drive_pipeline, running_airflow, subscribe_demo_profiles
from stepback.pipeline import init_step
from stepback.warehouse import Warehouse
from tests.conftest import env_for, free_port, write_config


@pytest.mark.timeout(900)
def test_asset_events_carry_a_run_from_crawl_to_digest(tmp_path: Path, board_url: str) -> None:
    config = write_config(tmp_path / "stepback.toml", board_url)
    settings = load_settings(env_for(config, tmp_path / "data"))
    init_step(settings)
    subscribe_demo_profiles(settings)
    with running_airflow(settings, Timer(), home=tmp_path / "airflow", port=free_port()) as af:
        runs = drive_pipeline(af, settings, Timer())
    by_dag: dict[str, list] = {}
    for run in runs:
        by_dag.setdefault(run.dag_id, []).append(run)
    for dag_id in ("load_postings", "classify_postings"):
        kinds = {(r.run_type, r.state) for r in by_dag[dag_id]}
        assert ("asset_triggered", "success") in kinds, (dag_id, kinds)
        assert all(r.run_type == "asset_triggered" for r in by_dag[dag_id])
    # send_digest also ticks every quarter hour; a scheduled tick may fall inside the test.
    digests = [(r.run_type, r.state) for r in by_dag["send_digest"] if r.run_type != "scheduled"]
    assert digests == [("manual", "success")]
    for source in settings.sources:
        assert [(r.run_type, r.state) for r in by_dag[source.dag_id]] == [("manual", "success")]
    with Warehouse(settings.catalog, settings.data_path).reader() as con:
        assert con.execute("SELECT count(*) FROM jobs").fetchone() == (79,)
        [(scored, expected)] = con.execute(
            "SELECT (SELECT count(*) FROM scores), "
            "(SELECT count(*) FROM postings) * (SELECT count(*) FROM subscribers)"
        ).fetchall()
        assert scored == expected
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 2
