"""docker-compose.yml cannot run here (no Docker engine): read it as compose would, with
.env's variables interpolated, and check it against the code, the lock and the settings."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from stepback.config import load_settings
from stepback.orchestration import CRAWL_QUEUE
from tests.conftest import REPO

SECRETS = (
    "POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "AIRFLOW_JWT_SECRET",
    "AIRFLOW_FERNET_KEY", "AIRFLOW_ADMIN_PASSWORD", "STEPBACK_LINK_SECRET",
)
AIRFLOW_COMPONENTS = {
    "airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor", "airflow-triggerer": "triggerer",
}
ONE_SHOT = {"airflow-init", "demo-start"}
PUBLISHED = {"airflow-apiserver", "stepback-serve"}
DEMO_PROFILE = {"demo-board", "mailpit", "demo-start"}
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


class MissingVariable(ValueError):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}`; `$$` is a literal `$`."""

    def value(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        given = env.get(name)
        if operator and operator.endswith("?") and not given:
            raise MissingVariable(f"{name}: {argument}")
        if operator and operator.endswith("-") and not given:
            return argument
        return given or ""

    return VARIABLE.sub(value, text).replace("$$", "$")


def dotenv(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#"))


RAW = (REPO / "docker-compose.yml").read_text("utf-8")
EXAMPLE = dotenv((REPO / ".env.example").read_text("utf-8"))
FILLED = {**EXAMPLE, **{name: f"test-{name.lower()}" for name in SECRETS}}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(interpolate(RAW, FILLED))


def services(compose: dict, profile: str | None = None) -> dict[str, dict]:
    return {name: service for name, service in compose["services"].items()
            if not service.get("profiles") or profile in service["profiles"]}


def test_compose_refuses_to_start_without_each_secret() -> None:
    for name in SECRETS:
        with pytest.raises(MissingVariable, match=f"^{name}: set {name} in .env"):
            interpolate(RAW, {k: v for k, v in FILLED.items() if k != name})


def test_no_secret_has_a_default_and_each_is_documented() -> None:
    uses = VARIABLE.findall(RAW)
    for name in SECRETS:
        operators = {operator for used, operator, _ in uses if used == name}
        assert operators == {":?"}, f"{name} must be required everywhere, got {operators}"
        assert name in EXAMPLE, f"{name} is not in .env.example"
    required = {used for used, operator, _ in uses if operator == ":?"}
    assert required <= set(EXAMPLE), required - set(EXAMPLE)
    for name in SECRETS:
        assert not EXAMPLE[name] or name == "MINIO_ROOT_USER", f".env.example fills {name}"
    # Nothing that looks like a secret is written into the file itself.
    for service in yaml.safe_load(interpolate(RAW, FILLED))["services"].values():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|FERNET", key) and not key.endswith("_FILE"):
                assert str(value).startswith("test-"), key


def test_airflow_runs_on_celery_with_two_workers_serving_the_crawl_queue(compose: dict) -> None:
    every = compose["services"]
    for name, component in AIRFLOW_COMPONENTS.items():
        assert every[name]["command"] == f"airflow {component}"
    env = every["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"
    workers = [name for name, s in every.items() if "celery worker" in str(s.get("command"))]
    assert len(workers) >= 2
    for name in workers:
        queues = every[name]["command"].split("--queues ", 1)[1].split()[0].split(",")
        assert {"default", CRAWL_QUEUE} <= set(queues)
        assert every[name]["environment"] == {**env, "DUMB_INIT_SETSID": "0"}
    assert len({every[name]["hostname"] for name in workers}) == len(workers)


def test_connections_point_at_the_right_services(compose: dict) -> None:
    every = compose["services"]
    env = every["airflow-scheduler"]["environment"]
    postgres = every["postgres"]["environment"]
    for url in (env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], env["AIRFLOW__CELERY__RESULT_BACKEND"]):
        database = urlparse(url)
        assert (database.hostname, database.port, database.path) == ("postgres", 5432, "/airflow")
        assert (database.username, database.password) == (
            postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
    assert urlparse(env["AIRFLOW__CELERY__BROKER_URL"]).hostname == "redis"
    api = urlparse(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert api.hostname == "airflow-apiserver" and api.path == "/execution/"
    assert every["airflow-apiserver"]["ports"][0].endswith(f":{api.port}")
    smtp = urlparse(env["AIRFLOW_CONN_SMTP_DEFAULT"])
    assert smtp.hostname == "mailpit" and smtp.port == 1025
    assert parse_qs(smtp.query)["from_email"] == ["digest@stepback.example"]
    assert urlparse(env["AWS_ENDPOINT_URL"]).hostname == "minio"
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == (
        every["minio"]["environment"]["MINIO_ROOT_USER"],
        every["minio"]["environment"]["MINIO_ROOT_PASSWORD"])
    assert env["PGPASSWORD"] == postgres["POSTGRES_PASSWORD"]
    assert urlparse(env["STEPBACK_DEMO_BOARD_URL"]).hostname == "demo-board"
    board = every["demo-board"]["command"]
    assert f"--port {urlparse(env['STEPBACK_DEMO_BOARD_URL']).port}" in board


def test_stepback_settings_read_from_the_stack_are_the_shared_lake(compose: dict) -> None:
    env = compose["services"]["airflow-worker-1"]["environment"]
    settings = load_settings({**env, "STEPBACK_CONFIG": str(REPO / "stepback.toml")})
    assert settings.catalog.startswith("postgres:") and "host=postgres" in settings.catalog
    assert "dbname=stepback" in settings.catalog
    created = (REPO / "deploy/postgres/create-stepback-db.sql").read_text("utf-8")
    assert "CREATE DATABASE stepback" in created
    bucket = f"s3://{EXAMPLE.get('STEPBACK_BUCKET', 'stepback')}/"
    for url in (settings.data_path, settings.landing_url, settings.models_url):
        assert url.startswith(bucket)
    assert len({settings.data_path, settings.landing_url, settings.models_url}) == 3
    demo = [s for s in settings.sources if s.demo]
    assert demo and all(str(u).startswith("http://demo-board:8765/") for s in demo
                        for u in s.urls)
    assert all(s.schedule is None for s in demo), "demo crawls run only when triggered"
    assert settings.file.digest.links_url == env["STEPBACK_PUBLIC_URL"].rstrip("/")
    serve = compose["services"]["stepback-serve"]
    assert {k: v for k, v in serve["environment"].items()} == {
        k: v for k, v in env.items() if k.startswith(("STEPBACK_", "AWS_", "PG"))}


def test_every_service_is_health_checked_or_a_one_shot_others_wait_for(compose: dict) -> None:
    every = compose["services"]
    one_shot = {name for name, s in every.items() if s.get("restart") == "no"}
    assert one_shot == ONE_SHOT
    for name, service in every.items():
        if name in ONE_SHOT:
            assert "healthcheck" not in service
            continue
        assert service["healthcheck"]["test"], name
        assert service.get("restart") == "always", name
    waits = {dep: cond["condition"] for s in every.values()
             for dep, cond in (s.get("depends_on") or {}).items()}
    assert waits["airflow-init"] == "service_completed_successfully"
    for name, service in every.items():
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert dependency in every, f"{name} depends on unknown {dependency}"
            expected = ("service_completed_successfully" if dependency in ONE_SHOT
                        else "service_healthy")
            assert condition["condition"] == expected, (name, dependency)


def test_only_the_ui_and_the_link_server_are_published_and_on_loopback(compose: dict) -> None:
    default = services(compose)
    assert {name for name, s in default.items() if s.get("ports")} == PUBLISHED
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port}"
    assert set(services(compose, "demo")) - set(default) == DEMO_PROFILE
    exposed = yaml.safe_load(interpolate(RAW, {**FILLED, "AIRFLOW_BIND": "0.0.0.0"}))
    assert exposed["services"]["airflow-apiserver"]["ports"] == ["0.0.0.0:8080:8080"]


def test_init_migrates_sets_the_admin_password_and_makes_the_lake(compose: dict) -> None:
    init = compose["services"]["airflow-init"]
    script = "\n".join(init["command"])
    assert "airflow db migrate" in script and "stepback init" in script
    assert init["environment"]["AIRFLOW_ADMIN_PASSWORD"] == "test-airflow_admin_password"
    api_env = compose["services"]["airflow-apiserver"]["environment"]
    assert "AIRFLOW_ADMIN_PASSWORD" not in api_env
    assert api_env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] == "admin:admin"
    passwords = api_env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
    for name in ("airflow-init", "airflow-apiserver"):
        mounts = compose["services"][name]["volumes"]
        assert any(passwords.startswith(m.split(":")[1] + "/") for m in mounts
                   if not m.startswith(".")), name
    assert compose["services"]["demo-start"]["command"] == "stepback demo-start"


def test_volumes_are_declared_and_bind_mounts_exist(compose: dict) -> None:
    declared = set(compose["volumes"])
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (REPO / source).exists(), f"{name}: {source}"
            else:
                assert source in declared, f"{name}: {source}"
    assert any(v.endswith(":/opt/airflow/logs") for v in
               compose["services"]["airflow-worker-1"]["volumes"])


def test_image_is_built_from_the_lock_file_with_celery(compose: dict) -> None:
    dockerfile = (REPO / "Dockerfile").read_text("utf-8")
    assert "COPY pyproject.toml uv.lock" in dockerfile
    assert dockerfile.count("uv sync --frozen") == 2
    lock = (REPO / "uv.lock").read_text("utf-8")
    for package in ("apache-airflow-providers-celery", "redis", "psycopg2-binary", "boto3"):
        assert f'name = "{package}"' in lock, package
    built = {s.get("image") for s in compose["services"].values() if s.get("build") == "."}
    assert built == {"stepback:latest"}
    assert ".env" in (REPO / ".dockerignore").read_text("utf-8").split()
