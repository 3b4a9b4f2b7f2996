"""Shared fixtures: a temporary stepback configuration, data directory and demo board."""

from __future__ import annotations

import json
import os
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from stepback.config import Settings, load_settings
from tests.smtp_server import RecordingHandler, SmtpServer, authenticator

REPO = Path(__file__).resolve().parent.parent

# Airflow reads its configuration once, at import: point it at a throw-away home first.
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="stepback-test-airflow-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "False"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(path: Path, board_url: str, *, extra: str = "", demo: bool = False) -> Path:
    """A stepback.toml whose sources point at a demo board on `board_url` (`demo`: marked as
    the demo board's, so they run only when triggered)."""
    path.write_text(
        f"""
[crawl]
user_agent = "stepback-tests/0.1 (+https://example.com/stepback)"
download_delay = 0
autothrottle = false
timeout_seconds = 120

[digest]
time = "07:00"
timezone = "America/Los_Angeles"
sender = "stepback digest <digest@stepback.example>"

[demo]
profiles = ["profiles/andrea.toml", "profiles/marcus.toml"]

[[sources]]
name = "jsonld:demo-board"
kind = "jsonld"
urls = ["{board_url}/jobs/"]

[[sources]]
name = "greenhouse:a24"
kind = "greenhouse"
urls = ["{board_url}/v1/boards/a24/jobs?content=true"]

[[sources]]
name = "greenhouse:dickclarkproductions"
kind = "greenhouse"
urls = ["{board_url}/v1/boards/dickclarkproductions/jobs?content=true"]

[[sources]]
name = "rss:demo-ecn"
kind = "rss"
urls = ["{board_url}/rss/ecnjcat112", "{board_url}/rss/ecnjcat127", "{board_url}/rss/ecnjcat124"]
{extra}
""".replace("kind = ", "demo = true\nkind = " if demo else "kind = "),
        encoding="utf-8",
    )
    return path


def env_for(config: Path, data_dir: Path) -> dict[str, str]:
    return {"STEPBACK_CONFIG": str(config), "STEPBACK_DATA_DIR": str(data_dir)}


@pytest.fixture(scope="session")
def board_url() -> Iterator[str]:
    from stepback.demoboard.server import serve

    board = serve(port=0)
    try:
        yield board.url
    finally:
        board.stop()


@pytest.fixture
def settings(tmp_path: Path, board_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    config = write_config(tmp_path / "stepback.toml", board_url)
    for key, value in env_for(config, tmp_path / "data").items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("STEPBACK_CATALOG", raising=False)
    monkeypatch.delenv("STEPBACK_DATA_PATH", raising=False)
    monkeypatch.delenv("STEPBACK_SMTP_URL", raising=False)
    return load_settings()


def posting(**overrides: object) -> dict[str, object]:
    """A valid posting in the posting contract (scrapers/items.py)."""
    base: dict[str, object] = {
        "source": "jsonld:test", "source_id": "1", "url": "https://jobs.example.com/1",
        "title": "Production Assistant – 99th Oscars", "company": "ABC",
        "production": "99th Oscars", "location": "Los Angeles, CA", "remote": False,
        "employment_type": "temporary", "pay_min": 250, "pay_max": 250, "pay_currency": "USD",
        "pay_unit": "day", "union": True, "posted_at": "2026-11-02",
        "valid_through": "2027-01-15", "description": "Office and set PA for the telecast.",
        "scraped_at": "2026-11-26T10:00:00+00:00",
    }
    base.update(overrides)
    return base


def write_landing(directory: Path, name: str, lines: list[object]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", "utf-8"
    )
    return path


@pytest.fixture(scope="session")
def airflow_home() -> Path:
    """The session's Airflow metadata database (SQLite), migrated once."""
    import subprocess
    import sys

    home = Path(os.environ["AIRFLOW_HOME"])
    if not (home / "airflow.db").exists():
        airflow = Path(sys.executable).with_name("airflow")
        subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True)
    return home


@pytest.fixture
def start_smtp() -> Iterator[Callable[..., SmtpServer]]:
    """Start real SMTP servers on free ports; `credentials=(user, pass)` requires AUTH."""
    controllers: list[Controller] = []

    def start(credentials: tuple[str, str] | None = None) -> SmtpServer:
        handler = RecordingHandler()
        port = free_port()
        options: dict[str, Any] = {}
        if credentials is not None:
            options = {"authenticator": authenticator(*credentials), "auth_require_tls": False}
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return SmtpServer("127.0.0.1", port, handler)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 with no server: connections are refused."""
    return free_port()


@pytest.fixture
def smtp_server(start_smtp: Callable[..., SmtpServer]) -> SmtpServer:
    return start_smtp()
