"""Every DAG run with `dag.test()` against a temporary data directory and the demo board."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from stepback.config import Settings, load_settings
from stepback.subscribers import read_profile, subscribe
from stepback.warehouse import Warehouse
from tests.conftest import REPO, env_for, write_config


@pytest.fixture(scope="module")
def pipeline(
    tmp_path_factory: pytest.TempPathFactory, board_url: str, airflow_home: Path
) -> Iterator[dict]:
    from airflow.dag_processing.dagbag import DagBag

    tmp = tmp_path_factory.mktemp("dag-runs")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env_for(write_config(tmp / "stepback.toml", board_url), tmp).items():
            patch.setenv(key, value)
        patch.delenv("STEPBACK_SMTP_URL", raising=False)
        patch.delenv("STEPBACK_CATALOG", raising=False)
        patch.delenv("STEPBACK_DATA_PATH", raising=False)
        settings = load_settings()
        warehouse = Warehouse(settings.catalog, settings.data_path)
        warehouse.init()
        with warehouse.writer() as con:
            for profile in ("andrea", "marcus"):
                subscribe(con, read_profile(REPO / "profiles" / f"{profile}.toml"))
        bag = DagBag(dag_folder=str(REPO / "dags"))
        runs = {}
        for source in settings.sources:
            runs[source.dag_id] = bag.dags[source.dag_id].test()
        for dag_id in ("load_postings", "classify_postings", "send_digest"):
            runs[dag_id] = bag.dags[dag_id].test()
        runs["load_postings_again"] = bag.dags["load_postings"].test()
        runs["send_digest_again"] = bag.dags["send_digest"].test()
        yield {"settings": settings, "warehouse": warehouse, "runs": runs, "bag": bag}


def states(run) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def query(warehouse: Warehouse, sql: str) -> list[tuple]:
    with warehouse.reader() as con:
        return con.execute(sql).fetchall()


def test_crawl_dags_land_one_file_per_source(pipeline: dict) -> None:
    settings: Settings = pipeline["settings"]
    for source in settings.sources:
        assert states(pipeline["runs"][source.dag_id]) == {"crawl": "success"}
        files = list((settings.landing_dir / source.slug).glob("*.jsonl"))
        assert len(files) == 1, source.name
        assert not list((settings.landing_dir / source.slug).glob("*.part"))


def test_load_dag_loads_every_landed_line_once(pipeline: dict) -> None:
    settings: Settings = pipeline["settings"]
    assert states(pipeline["runs"]["load_postings"]) == {"load": "success"}
    landed = sum(
        len(p.read_text("utf-8").splitlines()) for p in settings.landing_dir.glob("*/*.jsonl")
    )
    [(postings, quarantined)] = query(
        pipeline["warehouse"],
        "SELECT (SELECT count(*) FROM postings), (SELECT count(*) FROM quarantine)",
    )
    assert postings + quarantined == landed
    assert query(pipeline["warehouse"], "SELECT count(*) FROM jobs") == [(79,)]


def test_load_dag_with_nothing_new_skips_and_emits_no_event(pipeline: dict) -> None:
    assert states(pipeline["runs"]["load_postings_again"]) == {"load": "skipped"}
    assert query(pipeline["warehouse"], "SELECT count(*) FROM load_runs") == [(4,)]


def test_classify_dag_scores_every_posting_for_every_subscriber(pipeline: dict) -> None:
    assert states(pipeline["runs"]["classify_postings"]) == {"classify": "success"}
    [(scores, expected)] = query(
        pipeline["warehouse"],
        "SELECT (SELECT count(*) FROM scores), "
        "(SELECT count(*) FROM postings) * (SELECT count(*) FROM subscribers)",
    )
    assert scores == expected
    flagged = [r[0] for r in query(
        pipeline["warehouse"],
        "SELECT title FROM opportunities WHERE subscriber_email = 'andrea@example.com'",
    )]
    assert "Production Assistant – 99th Oscars" in flagged
    assert "Production Assistant – student thesis film" not in flagged


def test_digest_dag_writes_one_digest_per_subscriber_once(pipeline: dict) -> None:
    settings: Settings = pipeline["settings"]
    assert states(pipeline["runs"]["send_digest"]) == {"send": "success"}
    emails = sorted(settings.outbox_dir.glob("*.eml"))
    assert len(emails) == 2
    assert len(list(settings.outbox_dir.glob("*.html"))) == 2
    andrea = next(p for p in emails if p.name.startswith("andrea"))
    message = BytesParser(policy=policy.default).parsebytes(andrea.read_bytes())
    assert message["To"].addresses[0].addr_spec == "andrea@example.com"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "99th Oscars" in text
    sent_items = query(pipeline["warehouse"], "SELECT count(*) FROM digest_items")[0][0]
    assert states(pipeline["runs"]["send_digest_again"]) == {"send": "success"}
    assert query(pipeline["warehouse"], "SELECT count(*) FROM digest_items")[0][0] == sent_items
    runs = query(pipeline["warehouse"], "SELECT status, count(*) FROM digest_runs GROUP BY 1")
    assert runs == [("written", 2)]


def test_train_dag_stores_a_model_version(pipeline: dict) -> None:
    settings: Settings = pipeline["settings"]
    run = pipeline["bag"].dags["train_classifier"].test()
    assert states(run) == {"train": "success"}
    summary = json.loads(json.dumps(run.get_task_instance("train").xcom_pull(task_ids="train")))
    assert summary["model_version"]
    assert (settings.models_dir / summary["model_version"] / "report.md").is_file()
    assert isinstance(summary["promoted"], bool) and summary["decision"]


def send_to_a_new_subscriber(
    pipeline: dict, tmp_path: Path, name: str, host: str, port: int
) -> tuple[object, str]:
    """Subscribe `name`, score with classify_postings, then run send_digest with the Airflow
    connection `smtp_default` pointing at host:port. Returns the send run and the address."""
    from airflow.sdk import Connection

    email = f"{name.lower()}@example.com"
    profile = tmp_path / f"{name.lower()}.toml"
    profile.write_text(
        f'name = "{name}"\nemail = "{email}"\ntitle = "Story Producer"\n'
        'departments = ["unscripted"]\nlocations = []\n', "utf-8")
    with pipeline["warehouse"].writer() as con:
        subscribe(con, read_profile(profile))
    bag = pipeline["bag"]
    conn = Connection(conn_id="smtp_default", conn_type="smtp", host=host, port=port,
                      extra=json.dumps({"disable_ssl": True, "disable_tls": True}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", conn.get_uri())
        assert states(bag.dags["classify_postings"].test()) == {"classify": "success"}
        return bag.dags["send_digest"].test(), email


def test_digest_dag_sends_through_the_smtp_default_connection(
    pipeline: dict, smtp_server, tmp_path: Path
) -> None:
    """A new subscriber, scored by classify_postings, gets the digest over Airflow's SMTP."""
    run, email = send_to_a_new_subscriber(pipeline, tmp_path, "Devon", smtp_server.host,
                                          smtp_server.port)
    assert states(run) == {"send": "success"}
    [received] = smtp_server.handler.received
    assert received.rcpt_tos == [email]
    assert "step-back role" in received.message["Subject"]
    statuses = query(pipeline["warehouse"],
                     f"SELECT status FROM digest_runs WHERE subscriber_email = '{email}'")
    assert statuses == [("sent",)]


def test_digest_dag_fails_with_the_count_when_smtp_is_down(
    pipeline: dict, closed_port: int, tmp_path: Path
) -> None:
    """An SMTP outage is red in Airflow, not green, and the subscriber's day stays free."""
    run, email = send_to_a_new_subscriber(pipeline, tmp_path, "Erin", "127.0.0.1", closed_port)
    assert states(run)["send"] == "failed"
    statuses = query(pipeline["warehouse"],
                     f"SELECT status FROM digest_runs WHERE subscriber_email = '{email}'")
    # One failed attempt per try (the task has two retries); never anything but failed.
    assert set(statuses) == {("failed",)} and 1 <= len(statuses) <= 3
    assert query(pipeline["warehouse"], "SELECT count(*) FROM digest_items "
                                        f"WHERE subscriber_email = '{email}'") == [(0,)]
