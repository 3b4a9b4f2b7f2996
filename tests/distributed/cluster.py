"""The production stack of docker-compose.yml as local processes on 127.0.0.1: Postgres (Airflow's
metadata and the lake's catalog) and Redis from Debian's packages, moto's S3 server (the lake's
files, the landing area, the models), a real SMTP server, the demo board, and Airflow's
scheduler, dag-processor, api-server and triggerer with two Celery workers. Each worker has its
own data directory, as separate machines would; they share only the servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller

from stepback.config import Settings, load_settings
from stepback.local_airflow import LocalAirflow
from stepback.orchestration import CRAWL_QUEUE
from tests.conftest import REPO, free_port
from tests.servers import PASSWORD, S3, Postgres, postgres_server, redis_server, s3_server
from tests.smtp_server import RecordingHandler, SmtpServer

WORKERS = ("worker-1", "worker-2")
LINK_SECRET = "distributed-test-link-secret"  # noqa: S105 - a throw-away stack on 127.0.0.1


@dataclass
class CeleryAirflow(LocalAirflow):
    """LocalAirflow with the CeleryExecutor, Postgres metadata and one process per worker."""

    shared: dict[str, str] = field(default_factory=dict)
    metadata_url: str = ""
    broker_url: str = ""
    worker_dirs: dict[str, Path] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        return super().environment() | self.shared | {
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.metadata_url,
            "AIRFLOW__CELERY__BROKER_URL": self.broker_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + self.metadata_url.replace(
                "postgresql+psycopg2", "postgresql"),
            "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
            # A worker that dies is noticed in seconds here (the default is five minutes).
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "15",
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "3",
            "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "90",
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            # Logins as in docker-compose.yml: one admin, its password in a file init writes.
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.passwords_file),
        }

    @property
    def passwords_file(self) -> Path:
        return self.home / "passwords" / "passwords.json"

    def run_compose_init(self, admin_password: str) -> None:
        """docker-compose.yml's own `airflow-init` script, with this stack's environment: Airflow's
        metadata, the admin password, the buckets and the lake, the DAGs stored unpaused."""
        self.home.mkdir(parents=True, exist_ok=True)
        bin_dir = str(Path(sys.executable).parent)
        env = self.environment() | {"AIRFLOW_ADMIN_PASSWORD": admin_password,
                                    "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        done = subprocess.run(["bash", "-c", compose_init_script()], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"airflow-init failed: {done.stderr[-2000:]}")

    def login(self, user: str, password: str, wait: float = 120) -> tuple[int, dict]:
        """POST /auth/token as the UI does: (HTTP status, JSON body). Waits for the api-server
        to listen."""
        request = urllib.request.Request(
            f"{self.url}/auth/token", data=json.dumps({"username": user, "password": password})
            .encode(), headers={"Content-Type": "application/json"}, method="POST")
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                return error.code, {}
            except urllib.error.URLError:
                if time.monotonic() > deadline:
                    raise
                self.check_alive()
                time.sleep(1)

    def worker_command(self, name: str) -> tuple[list[str], dict[str, str]]:
        env = self.environment() | {
            "STEPBACK_DATA_DIR": str(self.worker_dirs[name]),
            "STEPBACK_TEST_MACHINE": name,
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "tests.distributed.machine.name",
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        }
        airflow = str(Path(sys.executable).with_name("airflow"))
        command = [airflow, "celery", "worker", "--queues", f"default,{CRAWL_QUEUE}",
                   "--concurrency", "2", "--celery-hostname", f"{name}@%h"]
        return command, env

    def commands(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        return super().commands() | {name: self.worker_command(name) for name in self.worker_dirs}

    def restart(self, name: str) -> None:
        self.start_component(name, *self.worker_command(name))

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg2

        url = self.metadata_url.replace("postgresql+psycopg2", "postgresql")
        try:
            con = psycopg2.connect(url)
        except psycopg2.OperationalError:
            return []
        try:
            with con.cursor() as cursor:
                cursor.execute(sql, params or None)
                return cursor.fetchall()
        except psycopg2.Error:
            return []
        finally:
            con.close()

    def task_runs(self) -> list[tuple[str, str, str, int, str | None, str | None]]:
        """(dag_id, task_id, state, try_number, hostname, queue) of every task instance and of
        every earlier try."""
        columns = "dag_id, task_id, state, try_number, hostname, queue"
        return self.query(f"SELECT {columns} FROM task_instance UNION ALL "
                          f"SELECT {columns} FROM task_instance_history")


def compose_init_script() -> str:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text("utf-8"))
    return compose["services"]["airflow-init"]["command"][-1]


def wait_for_workers(airflow: CeleryAirflow, timeout: float = 180) -> None:
    logs = airflow.home / "logs"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        airflow.check_alive()
        ready = [name for name in WORKERS if (logs / f"{name}.log").exists()
                 and " ready." in (logs / f"{name}.log").read_text("utf-8", errors="replace")]
        if len(ready) == len(WORKERS):
            return
        time.sleep(0.5)
    raise AssertionError(f"Celery workers not ready after {timeout:.0f} s")


@dataclass
class Stack:
    root: Path
    env: dict[str, str]
    settings: Settings
    airflow: CeleryAirflow
    postgres: Postgres
    s3: S3
    smtp: SmtpServer
    board_url: str

    def settings_for(self, data_dir: Path) -> Settings:
        return load_settings(self.env | {"STEPBACK_DATA_DIR": str(data_dir)})


@contextmanager
def servers(root: Path, config: Path, board_url: str) -> Iterator[Stack]:
    """Everything but Airflow's processes, with the environment the stack's processes share
    (also set in this process's os.environ while the stack runs, for its own steps)."""
    with ExitStack() as stack:
        postgres = stack.enter_context(postgres_server(free_port(), extra_databases=("airflow",)))
        broker = stack.enter_context(redis_server(free_port()))
        s3 = stack.enter_context(s3_server(free_port()))
        handler = RecordingHandler()
        smtp_port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        stack.callback(controller.stop)
        smtp = SmtpServer("127.0.0.1", smtp_port, handler)
        bucket = f"s3://{s3.bucket}"
        env = {
            **s3.environment(),
            "PGPASSWORD": PASSWORD,
            "STEPBACK_CONFIG": str(config),
            "STEPBACK_CATALOG": postgres.catalog,
            "STEPBACK_DATA_PATH": f"{bucket}/lake/",
            "STEPBACK_LANDING": f"{bucket}/landing/",
            "STEPBACK_MODELS": f"{bucket}/models/",
            "STEPBACK_LINK_SECRET": LINK_SECRET,
            "AIRFLOW_CONN_SMTP_DEFAULT": f"smtp://127.0.0.1:{smtp_port}?disable_ssl=true"
                                         "&disable_tls=true&from_email=digest%40stepback.example",
        }
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        stack.callback(_restore, saved)
        metadata = (f"postgresql+psycopg2://{postgres.user}:{PASSWORD}@127.0.0.1:"
                    f"{postgres.port}/airflow")
        settings = load_settings(env | {"STEPBACK_DATA_DIR": str(root / "control")})
        airflow = CeleryAirflow(
            root / "airflow", settings, port=free_port(), shared=env, metadata_url=metadata,
            broker_url=broker, worker_dirs={name: root / name for name in WORKERS})
        yield Stack(root, env, settings, airflow, postgres, s3, smtp, board_url)


def _restore(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
