"""A local Airflow 3 for the demo, `make airflow` and the scheduler test.

Scheduler, dag-processor, api-server and triggerer run as separate processes (as in
production) with SQLite metadata under `.airflow/` and the LocalExecutor. Run state is read
straight from the metadata database, read-only.
"""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stepback.config import REPO_ROOT, Settings

COMPONENTS = ("scheduler", "dag-processor", "api-server", "triggerer")
FINISHED = ("success", "failed")


class AirflowError(RuntimeError):
    """Local Airflow did not do what was asked in time."""


@dataclass
class DagRun:
    dag_id: str
    run_id: str
    run_type: str
    state: str


@dataclass
class LocalAirflow:
    home: Path
    settings: Settings
    port: int = 8080
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return self.home / "airflow.db"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        self.home.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.url}/execution/",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{self.db_path}",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__BASE_URL": self.url,
            "AIRFLOW__API_AUTH__JWT_SECRET": self._secret(),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "True",
            "STEPBACK_CONFIG": str(self.settings.config_path),
            "STEPBACK_DATA_DIR": str(self.settings.data_dir),
            "STEPBACK_CATALOG": self.settings.catalog,
            "STEPBACK_DATA_PATH": self.settings.data_path,
            "STEPBACK_LANDING": self.settings.landing_url,
            "STEPBACK_MODELS": self.settings.models_url,
            "PYTHONPATH": str(REPO_ROOT),
        }
        if self.settings.smtp_url:
            env["STEPBACK_SMTP_URL"] = self.settings.smtp_url
        return env

    def _secret(self) -> str:
        path = self.home / "jwt_secret"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def airflow(self, *args: str, timeout: float = 300) -> str:
        """Run one `airflow` CLI command; raise AirflowError with its last line on failure."""
        done = subprocess.run(
            [str(Path(sys.executable).with_name("airflow")), *args],
            env=self.environment(), capture_output=True, text=True, timeout=timeout, check=False,
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise AirflowError(f"airflow {' '.join(args)} failed: {last}")
        return done.stdout

    def prepare(self) -> None:
        self.airflow("db", "migrate")

    def commands(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        """Each component's command line and environment, by name."""
        executable = str(Path(sys.executable).with_name("airflow"))
        return {name: ([executable, name], self.environment()) for name in COMPONENTS}

    def start(self) -> None:
        for name, (command, env) in self.commands().items():
            self.start_component(name, command, env)

    def start_component(self, name: str, command: list[str], env: dict[str, str]) -> None:
        """Start one component in its own session (so stopping it stops what it started)."""
        logs = self.home / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log = (logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def stop(self) -> None:
        """SIGTERM each component's session, then SIGKILL whatever is left of it.

        Task workers start their own process groups inside the component's session, so the
        whole session is swept, not only the group.
        """
        for process in self.processes.values():
            _signal_session(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_session(process.pid, signal.SIGKILL)
            process.wait()
        self.processes.clear()

    def kill(self, name: str) -> None:
        """SIGKILL one component and everything it started, as a machine that dies would."""
        process = self.processes.pop(name)
        _signal_session(process.pid, signal.SIGKILL)
        process.wait()

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise AirflowError(
                    f"airflow {name} exited with {process.returncode}; "
                    f"see {self.home.name}/logs/{name}.log"
                )

    def query(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        if not self.db_path.exists():
            return []
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(sql, tuple(params)).fetchall()
        except sqlite3.OperationalError:
            return []
        finally:
            con.close()

    def runs(self, dag_ids: Iterable[str] | None = None) -> list[DagRun]:
        rows = self.query("SELECT dag_id, run_id, run_type, state FROM dag_run ORDER BY id")
        wanted = set(dag_ids) if dag_ids is not None else None
        return [DagRun(*row) for row in rows if wanted is None or row[0] in wanted]

    def wait_for_dags(self, dag_ids: Iterable[str], timeout: float = 180) -> None:
        wanted = set(dag_ids)

        def parsed() -> bool:
            return wanted <= {r[0] for r in self.query("SELECT dag_id FROM dag WHERE NOT is_stale")}

        self._wait(parsed, timeout, f"DAGs {sorted(wanted)} to be parsed")

    def trigger(self, dag_ids: list[str]) -> None:
        trigger_dags(dag_ids, self.environment())

    def wait_for_runs(self, dag_ids: Iterable[str], timeout: float = 300) -> list[DagRun]:
        """Wait until every run of these DAGs has finished."""
        wanted = list(dag_ids)

        def finished() -> bool:
            runs = self.runs(wanted)
            return bool(runs) and {r.dag_id for r in runs} >= set(wanted) and all(
                r.state in FINISHED for r in runs
            )

        self._wait(finished, timeout, f"runs of {', '.join(wanted)} to finish")
        return self.runs(wanted)

    def wait_until_settled(self, dag_ids: Iterable[str], timeout: float = 300) -> list[DagRun]:
        """Wait until asset-triggered DAGs have no queued events and no unfinished runs."""
        wanted = list(dag_ids)

        def settled() -> bool:
            queued = self.query("SELECT count(*) FROM asset_dag_run_queue")
            runs = self.runs(wanted)
            return (
                (not queued or queued[0][0] == 0)
                and {r.dag_id for r in runs} >= set(wanted)
                and all(r.state in FINISHED for r in runs)
            )

        self._wait(settled, timeout, f"{', '.join(wanted)} to settle", stable_for=3)
        return self.runs(wanted)

    def _wait(self, condition, timeout: float, what: str, stable_for: int = 1) -> None:
        deadline = time.monotonic() + timeout
        streak = 0
        while time.monotonic() < deadline:
            self.check_alive()
            streak = streak + 1 if condition() else 0
            if streak >= stable_for:
                return
            time.sleep(1)
        raise AirflowError(f"timed out after {timeout:.0f} s waiting for {what}")


def trigger_dags(
    dag_ids: list[str], env: dict[str, str] | None = None, wait_for_parsing: float = 0
) -> None:
    """Trigger DAGs concurrently (each CLI call costs seconds of imports). With
    `wait_for_parsing`, a DAG the dag-processor has not stored yet is tried again until then."""
    airflow = str(Path(sys.executable).with_name("airflow"))
    deadline = time.monotonic() + wait_for_parsing
    pending = list(dag_ids)
    while True:
        procs = {
            dag_id: subprocess.Popen(
                [airflow, "dags", "trigger", dag_id, "--output", "plain"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for dag_id in pending
        }
        errors = {}
        for dag_id, proc in procs.items():
            _, err = proc.communicate(timeout=300)
            if proc.returncode != 0:
                errors[dag_id] = (err.strip().splitlines() or ["no output"])[-1]
        if not errors:
            return
        if time.monotonic() >= deadline:
            dag_id, last = next(iter(errors.items()))
            raise AirflowError(f"could not trigger {dag_id}: {last}")
        pending = list(errors)
        time.sleep(3)


def session_processes(session_ids: set[int]) -> list[int]:
    """Live processes in any of these sessions (Linux: read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) in session_ids and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _signal_session(session_id: int, signum: int) -> None:
    """Send a signal to every process in a session."""
    for pid in session_processes({session_id}):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass
