"""The whole DagBag: imports cleanly, the expected ids, retries, no pool serialising writers."""

from __future__ import annotations

from pathlib import Path

import pytest

from stepback.config import load_settings
from tests.conftest import REPO


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO / "dags"))


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}


def test_dag_ids(dagbag) -> None:
    crawl = {source.dag_id for source in load_settings().sources}
    expected = crawl | {"load_postings", "classify_postings", "send_digest", "train_classifier",
                        "maintain_warehouse"}
    assert set(dagbag.dag_ids) == expected


def test_every_dag_is_documented_tagged_and_retried(dagbag) -> None:
    for dag in dagbag.dags.values():
        assert dag.doc_md and "stepback" in dag.tags, dag.dag_id
        for task in dag.tasks:
            assert task.retries >= 2, f"{dag.dag_id}.{task.task_id}"


def test_warehouse_writers_share_the_lake_without_a_one_slot_pool(dagbag) -> None:
    """The lake takes many writers at once: no task waits in a pool for another's turn."""
    pools = {(d.dag_id, t.task_id): t.pool for d in dagbag.dags.values() for t in d.tasks}
    assert ("load_postings", "load") in pools and ("maintain_warehouse", "maintain") in pools
    assert set(pools.values()) == {"default_pool"}


def test_crawls_fan_out_on_their_own_queue_and_demo_crawls_have_no_clock(dagbag) -> None:
    from stepback.orchestration import CRAWL_QUEUE

    settings = load_settings()
    crawl_ids = {source.dag_id for source in settings.sources}
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            expected = CRAWL_QUEUE if dag.dag_id in crawl_ids else "default"
            assert task.queue == expected, f"{dag.dag_id}.{task.task_id}: {task.queue}"
    demo = [source for source in settings.sources if source.demo]
    assert demo, "stepback.toml ships the demo board's sources"
    for source in demo:
        dag = dagbag.dags[source.dag_id]
        assert type(dag.timetable).__name__ == "NullTimetable" and "demo" in dag.tags, dag.dag_id


def test_stages_are_chained_by_assets(dagbag) -> None:
    from airflow.sdk import Asset

    def outlets(dag_id: str) -> set[str]:
        return {o.name for t in dagbag.dags[dag_id].tasks for o in t.outlets
                if isinstance(o, Asset)}

    def scheduled_on(dag_id: str) -> set[str]:
        condition = dagbag.dags[dag_id].timetable.asset_condition
        return {a.name for a in getattr(condition, "objects", [condition])}

    crawl_outlets = set().union(*(outlets(d) for d in dagbag.dag_ids if d.startswith("crawl_")))
    assert len(crawl_outlets) == len(load_settings().sources)
    assert scheduled_on("load_postings") == crawl_outlets
    assert scheduled_on("classify_postings") == outlets("load_postings") == {"postings"}


def test_dag_files_do_not_import_heavy_libraries_at_parse_time() -> None:
    for path in (REPO / "dags").glob("*.py"):
        head = [line for line in path.read_text("utf-8").splitlines()
                if line.startswith(("import ", "from "))]
        for line in head:
            for heavy in ("great_expectations", "sklearn", "scrapy", "duckdb", "models"):
                assert heavy not in line, f"{path.name}: {line}"


def test_dag_folder_holds_only_dag_files() -> None:
    assert {p.name for p in Path(REPO / "dags").glob("*.py")} == {
        "crawl_sources.py", "load_postings.py", "classify_postings.py", "send_digest.py",
        "train_classifier.py", "maintain_warehouse.py",
    }
