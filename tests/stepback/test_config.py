import re
from pathlib import Path

import pytest

from stepback.config import ConfigError, load_settings, read_config_file
from tests.conftest import write_config


def test_reads_sources_and_derives_dag_ids(tmp_path: Path) -> None:
    config = read_config_file(write_config(tmp_path / "s.toml", "http://127.0.0.1:9"))
    assert [s.dag_id for s in config.sources] == [
        "crawl_jsonld_demo_board", "crawl_greenhouse_a24",
        "crawl_greenhouse_dickclarkproductions", "crawl_rss_demo_ecn",
    ]
    assert config.digest.cron == "0 7 * * *"


def test_environment_overrides_paths(tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", "http://127.0.0.1:9")
    settings = load_settings({
        "STEPBACK_CONFIG": str(config), "STEPBACK_DATA_DIR": str(tmp_path / "d"),
        "STEPBACK_SMTP_URL": "smtp://127.0.0.1:1025",
    })
    assert settings.catalog == f"sqlite:{tmp_path / 'd' / 'lake.sqlite'}"
    assert settings.data_path == f"{tmp_path / 'd' / 'lake'}/"
    assert settings.outbox_dir == tmp_path / "d" / "outbox"
    assert settings.smtp_url == "smtp://127.0.0.1:1025"
    explicit = load_settings({"STEPBACK_CONFIG": str(config),
                              "STEPBACK_CATALOG": "postgres:dbname=lake host=db",
                              "STEPBACK_DATA_PATH": "s3://bucket/lake"})
    assert (explicit.catalog, explicit.data_path) == ("postgres:dbname=lake host=db",
                                                      "s3://bucket/lake/")


def test_warehouse_location_in_the_file_is_read_beside_it(tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", "http://127.0.0.1:9", extra="")
    text = config.read_text("utf-8")
    config.write_text('[warehouse]\ncatalog = "sqlite:w/lake.sqlite"\ndata_path = "w/files"\n'
                      + text, "utf-8")
    settings = load_settings({"STEPBACK_CONFIG": str(config)})
    assert settings.catalog == f"sqlite:{tmp_path / 'w' / 'lake.sqlite'}"
    assert settings.data_path == f"{tmp_path / 'w' / 'files'}/"


@pytest.mark.parametrize(("catalog", "data_path", "message"), [
    ("mysql:db", None, "catalog must be 'sqlite:PATH' or 'postgres:CONNINFO'"),
    ("postgres:dbname=x password=hunter2", None, "put the Postgres password in PGPASSWORD"),
    (None, "gs://bucket/lake/", "data_path must be a directory or s3://bucket/prefix/"),
])
def test_a_bad_warehouse_location_is_one_line(
    tmp_path: Path, catalog: str | None, data_path: str | None, message: str
) -> None:
    config = write_config(tmp_path / "s.toml", "http://127.0.0.1:9")
    env = {"STEPBACK_CONFIG": str(config)}
    if catalog:
        env["STEPBACK_CATALOG"] = catalog
    if data_path:
        env["STEPBACK_DATA_PATH"] = data_path
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        load_settings(env)
    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[sources]]\nname='x'\nkind='ftp'\nurls=['http://a.b/']", "unknown source kind"),
        ("[[sources]]\nname='x'\nkind='rss'\nurls=['not a url']", "sources.0.urls.0"),
        ("[digest]\ntime='7am'", "HH:MM"),
        ("[digest\n", "invalid TOML"),
    ],
)
def test_bad_config_is_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_config_file(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value).strip()


def test_unknown_source_names_the_known_ones(tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", "http://127.0.0.1:9")
    settings = load_settings({"STEPBACK_CONFIG": str(config)})
    assert settings.source("crawl_greenhouse_a24").name == "greenhouse:a24"
    with pytest.raises(ConfigError, match="known: jsonld:demo-board"):
        settings.source("nope")


def test_repository_config_is_valid() -> None:
    settings = load_settings({})
    assert {s.kind for s in settings.sources} == {"jsonld", "greenhouse", "rss"}
    assert len(settings.file.demo.profiles) == 2


def test_disabled_sources_get_no_dag_but_can_be_named() -> None:
    settings = load_settings({})
    enabled = {s.name for s in settings.sources}
    assert all(s.urls[0].host == "127.0.0.1" for s in settings.sources)
    disabled = [s for s in settings.file.sources if s.name not in enabled]
    assert disabled and all(not s.enabled and not s.verified and s.note for s in disabled)
    assert settings.source("workday:disney").kind == "workday"


def test_landing_and_models_are_directories_or_s3(tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", "http://127.0.0.1:9")
    base = {"STEPBACK_CONFIG": str(config), "STEPBACK_DATA_DIR": str(tmp_path / "d")}
    default = load_settings(base)
    assert (default.landing_dir, default.models_dir) == (tmp_path / "d" / "landing",
                                                         tmp_path / "d" / "models")
    shared = load_settings(base | {"STEPBACK_LANDING": "s3://b/landing",
                                   "STEPBACK_MODELS": "s3://b/models/"})
    assert (shared.landing_url, shared.models_url) == ("s3://b/landing/", "s3://b/models/")
    assert shared.landing_dir == tmp_path / "d" / "landing", "the local copy stays local"
    config.write_text('[storage]\nlanding = "in"\nmodels = "m"\n' + config.read_text("utf-8"))
    beside = load_settings(base)
    assert (beside.landing_dir, beside.models_dir) == (tmp_path / "in", tmp_path / "m")
    with pytest.raises(ConfigError, match="^landing must be a directory or s3://bucket/prefix/, "
                                          "got 'gs://b/x'$"):
        load_settings(base | {"STEPBACK_LANDING": "gs://b/x"})


def test_demo_sources_move_to_the_board_url_and_run_only_when_triggered(tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", "http://127.0.0.1:8765", demo=True)
    here = load_settings({"STEPBACK_CONFIG": str(config)})
    assert all(s.demo and s.schedule is None for s in here.sources)
    assert str(here.source("greenhouse:a24").urls[0]).startswith("http://127.0.0.1:8765/v1/")
    moved = load_settings({"STEPBACK_CONFIG": str(config),
                           "STEPBACK_DEMO_BOARD_URL": "http://demo-board:9000"})
    assert str(moved.source("greenhouse:a24").urls[0]) == (
        "http://demo-board:9000/v1/boards/a24/jobs?content=true")
    plain = load_settings({"STEPBACK_CONFIG": str(write_config(
        tmp_path / "p.toml", "http://127.0.0.1:8765")),
        "STEPBACK_DEMO_BOARD_URL": "http://demo-board:9000"})
    assert str(plain.source("greenhouse:a24").urls[0]).startswith("http://127.0.0.1:8765/")
    assert plain.source("greenhouse:a24").schedule == "@hourly"


def test_public_url_from_the_environment(tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", "http://127.0.0.1:9")
    settings = load_settings({"STEPBACK_CONFIG": str(config),
                              "STEPBACK_PUBLIC_URL": "https://jobs.example.com/"})
    assert settings.file.digest.links_url == "https://jobs.example.com"
    with pytest.raises(ConfigError, match="^STEPBACK_PUBLIC_URL: "):
        load_settings({"STEPBACK_CONFIG": str(config), "STEPBACK_PUBLIC_URL": "not a url"})


def test_alerts_from_the_file_and_the_environment(tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", "http://127.0.0.1:9",
                          extra='\n[alerts]\nemail = "ops@example.com"\n')
    base = {"STEPBACK_CONFIG": str(config)}
    assert load_settings(base).file.alerts.email == "ops@example.com"
    moved = load_settings(base | {"STEPBACK_ALERT_EMAIL": "oncall@example.com",
                                  "STEPBACK_ALERT_WEBHOOK": "https://hooks.example.com/x"})
    assert (moved.file.alerts.email, str(moved.file.alerts.webhook)) == (
        "oncall@example.com", "https://hooks.example.com/x")
    assert load_settings(base | {"STEPBACK_ALERT_EMAIL": ""}).file.alerts.email == (
        "ops@example.com"), "an empty variable (compose's default) changes nothing"
    with pytest.raises(ConfigError, match="^alerts.email: String should match pattern"):
        load_settings(base | {"STEPBACK_ALERT_EMAIL": "not an address"})
