"""docker-compose.yml cannot run here (no Docker engine): check that it is self-consistent."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import yaml

from tests.conftest import REPO

AIRFLOW_SERVICES = {
    "airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor", "airflow-triggerer": "triggerer",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text("utf-8"))


def test_airflow_components_postgres_and_mailpit(compose: dict) -> None:
    services = compose["services"]
    assert set(AIRFLOW_SERVICES) | {"postgres", "mailpit", "airflow-init"} <= set(services)
    for name, component in AIRFLOW_SERVICES.items():
        assert services[name]["command"] == f"airflow {component}"
        assert services[name]["image"] == "stepback:latest"
        assert services[name]["build"] == "."


def test_connection_settings_point_at_the_right_services(compose: dict) -> None:
    services = compose["services"]
    env = services["airflow-scheduler"]["environment"]
    database = urlparse(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    postgres = services["postgres"]["environment"]
    assert database.hostname == "postgres" and database.port == 5432
    assert (database.username, database.password) == (
        postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
    assert database.path.lstrip("/") == postgres["POSTGRES_DB"]
    api = urlparse(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert api.hostname == "airflow-apiserver" and api.path == "/execution/"
    assert f"{api.port}:{api.port}" in services["airflow-apiserver"]["ports"]
    smtp = urlparse(env["AIRFLOW_CONN_SMTP_DEFAULT"])
    assert smtp.hostname == "mailpit" and f"{smtp.port}:{smtp.port}" in services["mailpit"]["ports"]


def test_volumes_and_dependencies_are_declared(compose: dict) -> None:
    services = compose["services"]
    declared = set(compose["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith("."):
                assert source in declared, f"{name}: {source}"
            else:
                assert (REPO / source).exists(), f"{name}: {source}"
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
    data_dir = services["airflow-scheduler"]["environment"]["STEPBACK_DATA_DIR"]
    for name in AIRFLOW_SERVICES:
        assert any(v.endswith(f":{data_dir}") for v in services[name]["volumes"]), name


def test_init_migrates_airflow_and_the_warehouse(compose: dict) -> None:
    command = compose["services"]["airflow-init"]["command"]
    assert "airflow db migrate" in command
    assert "stepback init" in command
    assert "pools" not in command, "writers share the lake; no one-slot pool"


def test_image_installs_from_the_lock_file() -> None:
    dockerfile = (REPO / "Dockerfile").read_text("utf-8")
    assert "uv.lock" in dockerfile
    assert dockerfile.count("uv sync --frozen") == 2
