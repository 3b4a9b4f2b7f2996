"""Fault 16: every task has a time limit and every run a timeout, and a task that fails for good
tells the operator: an email through `smtp_default` (a real SMTP server here) and a JSON POST
to the webhook (a real HTTP server here)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, env_for, write_config


class Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers["Content-Length"])
        Hook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    Hook.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


@pytest.fixture
def bag(tmp_path: Path, closed_port: int, smtp_server, webhook: str, airflow_home: Path,
        monkeypatch: pytest.MonkeyPatch):
    from airflow.dag_processing.dagbag import DagBag

    config = write_config(tmp_path / "stepback.toml", f"http://127.0.0.1:{closed_port}",
                          extra=f'\n[alerts]\nemail = "ops@example.com"\nwebhook = "{webhook}"\n')
    for key, value in env_for(config, tmp_path / "data").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT",
                       f"smtp://{smtp_server.host}:{smtp_server.port}?disable_ssl=true"
                       "&disable_tls=true&from_email=stepback%40stepback.example")
    return DagBag(dag_folder=str(REPO / "dags"))


def test_every_task_has_a_time_limit_and_every_run_a_timeout(bag) -> None:
    from stepback.alerts import WebhookNotifier

    for dag in bag.dags.values():
        assert dag.dagrun_timeout is not None, dag.dag_id
        for task in dag.tasks:
            assert task.execution_timeout is not None, (dag.dag_id, task.task_id)
            assert dag.dagrun_timeout >= task.execution_timeout * (task.retries + 1)
            kinds = {type(n).__name__ for n in task.on_failure_callback}
            assert kinds == {"SmtpNotifier", WebhookNotifier.__name__}, (dag.dag_id, kinds)


def test_a_task_that_fails_for_good_emails_and_posts_the_operator(bag, smtp_server) -> None:
    dag = bag.dags["crawl_greenhouse_a24"]
    for task in dag.tasks:
        task.retries = 0  # fail for good at once; the retries are tested elsewhere
    run = dag.test()

    assert {ti.task_id: str(ti.state) for ti in run.get_task_instances()} == {"crawl": "failed"}
    [mail] = smtp_server.handler.received
    assert mail.rcpt_tos == ["ops@example.com"]
    assert mail.message["Subject"].startswith("stepback: crawl_greenhouse_a24.crawl failed (")
    [posted] = Hook.received
    assert (posted["dag_id"], posted["task_id"]) == ("crawl_greenhouse_a24", "crawl")
    assert posted["error"].startswith("greenhouse:a24: ")
