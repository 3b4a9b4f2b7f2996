"""Configuration: `stepback.toml` at the repository root, with environment overrides."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
    model_validator,
)

from stepback import lake_storage, object_store

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_KINDS = (
    "jsonld", "sitemap", "rss", "greenhouse", "lever", "ashby", "smartrecruiters", "workday",
)


M = TypeVar("M", bound=BaseModel)
PayUnit = Literal["hour", "day", "week", "month", "year"]


# Files stepback writes are its owner's only (0600, directories 0700): the warehouse holds
# subscribers' names and emails, and digests, previews and the link secret are theirs too.
PRIVATE_UMASK = 0o077


def keep_private() -> None:
    """From here on, this process (and what it starts) creates files 0600, directories 0700."""
    os.umask(PRIVATE_UMASK)


class ConfigError(ValueError):
    """A configuration problem, reported to the user as one line."""


class SourceConfig(BaseModel):
    """One `[[sources]]` entry. A `demo` source is the bundled demo board: its URLs move to
    `[demo] board_url` (STEPBACK_DEMO_BOARD_URL), and it is crawled when triggered (by
    `stepback demo`, `stepback demo-start`, or by hand), never on a clock, so a stack that does
    not run the board does not fail every hour."""

    name: str
    kind: str
    urls: list[HttpUrl] = Field(min_length=1)
    schedule: str | None = "@hourly"
    enabled: bool = True
    verified: bool = True
    demo: bool = False
    company: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _demo_runs_when_triggered(self) -> SourceConfig:
        if self.demo and "schedule" not in self.model_fields_set:
            self.schedule = None
        return self

    def on_board(self, board_url: str) -> SourceConfig:
        """This source with its URLs' scheme, host and port taken from `board_url`."""
        board = urlsplit(board_url)
        urls = [urlunsplit((board.scheme, board.netloc, *urlsplit(str(u))[2:])) for u in self.urls]
        return self.model_copy(update={"urls": [HttpUrl(u) for u in urls]})

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in SOURCE_KINDS:
            raise ValueError(f"unknown source kind {kind!r}; expected one of {SOURCE_KINDS}")
        return kind

    @property
    def slug(self) -> str:
        """File- and DAG-id-safe name: `jsonld:demo-board` -> `jsonld_demo_board`."""
        return re.sub(r"[^A-Za-z0-9]+", "_", self.name).strip("_").lower()

    @property
    def dag_id(self) -> str:
        return f"crawl_{self.slug}"


class CoverageRule(BaseModel):
    """When a guarded field's coverage counts as collapsed. Override in stepback.toml:

        [crawl.coverage_drop]
        absolute = 0.3   # the share (0-1) fell by more than this...
        ratio = 0.5      # ...and to less than this fraction of the last successful run's share
        min_items = 5    # runs with fewer postings are too small to judge

    `absolute = 1` turns the check off, for example to accept a source that really did stop
    publishing a field: the next successful run becomes the new baseline.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    absolute: float = Field(default=0.3, ge=0, le=1)
    ratio: float = Field(default=0.5, ge=0, le=1)
    min_items: int = Field(default=5, ge=1)

    def collapsed(self, before: float, now: float) -> bool:
        return before - now > self.absolute and now < before * self.ratio


class CrawlConfig(BaseModel):
    user_agent: str = "stepback/0.1"
    obey_robots: bool = True
    autothrottle: bool = True
    concurrent_per_domain: int = Field(default=2, ge=1, le=8)
    download_delay: float = Field(default=0.5, ge=0)
    timeout_seconds: int = Field(default=600, ge=10)
    coverage_drop: CoverageRule = CoverageRule()


class WarehouseConfig(BaseModel):
    # A posting missing from this many complete crawls of its source in a row is closed.
    close_after_missed_crawls: int = Field(default=3, ge=1)
    # Where the lake lives (stepback.lake_storage); unset means SQLite and files in the data dir.
    catalog: str | None = None
    data_path: str | None = None
    # Snapshots older than this are expired by `stepback maintain` (time travel reaches back
    # this far).
    keep_snapshots_days: int = Field(default=30, ge=1)

    _catalog = field_validator("catalog")(
        lambda value: value if value is None else lake_storage.check_catalog(value))
    _data_path = field_validator("data_path")(
        lambda value: value if value is None else lake_storage.check_data_path(value))


def _location(what: str):
    def check(value: str | None) -> str | None:
        return value if value is None else object_store.check_location(value, what)
    return field_validator(what)(check)


class StorageConfig(BaseModel):
    """`[storage]`: where crawls land files and trained models are kept, a directory or
    `s3://bucket/prefix/` (STEPBACK_LANDING / STEPBACK_MODELS override). Unset means
    `<data dir>/landing` and `<data dir>/models`. With S3, machines share them through the
    bucket and keep a local copy under the data dir."""

    model_config = ConfigDict(extra="forbid")

    landing: str | None = None
    models: str | None = None

    _landing = _location("landing")
    _models = _location("models")


class AlertsConfig(BaseModel):
    """`[alerts]`: who hears about a task that failed for good (after its retries). `email`
    goes through Airflow's `smtp_default` connection; `webhook` gets a JSON POST (a chat
    channel's incoming webhook, a pager). STEPBACK_ALERT_EMAIL / STEPBACK_ALERT_WEBHOOK
    override them."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    webhook: HttpUrl | None = None


class ClassifierConfig(BaseModel):
    threshold: float = Field(default=0.5, ge=0, le=1)


def _hh_mm(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError("digest time must be HH:MM")
    return value


def _known_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown timezone {value!r}; use an IANA name: Europe/London") from None
    return value


class DigestConfig(BaseModel):
    """`[digest]`: the default send time and timezone, and where the digest's links point.

    `public_url` (or STEPBACK_PUBLIC_URL) is the address of `stepback serve` as a mail client
    reaches it (feedback and unsubscribe links); unset, it is http://serve_host:serve_port.
    """

    time: str = "07:00"
    timezone: str = "UTC"
    sender: str = "stepback digest <digest@stepback.example>"
    max_items: int = Field(default=15, ge=1, le=100)
    public_url: HttpUrl | None = None
    serve_host: str = "127.0.0.1"
    serve_port: int = Field(default=8766, ge=0, le=65535)

    _time = field_validator("time")(_hh_mm)
    _timezone = field_validator("timezone")(_known_timezone)

    @property
    def links_url(self) -> str:
        if self.public_url is not None:
            return str(self.public_url).rstrip("/")
        return f"http://{self.serve_host}:{self.serve_port}"

    @property
    def cron(self) -> str:
        hour, minute = self.time.split(":")
        return f"{int(minute)} {int(hour)} * * *"


class DemoConfig(BaseModel):
    """`[demo]`: the bundled board (where crawls reach it: `board_url`, by default
    http://127.0.0.1:board_port), local Airflow's port, and the demo subscribers."""

    board_port: int = 8765
    board_url: HttpUrl | None = None
    airflow_port: int = 8080
    profiles: list[str] = []


class Profile(BaseModel):
    """A subscriber profile: who gets a digest and what their level is."""

    name: str
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    title: str
    departments: list[str] = []
    locations: list[str] = []
    remote_ok: bool = True
    exclude: list[str] = []
    max_items: int | None = Field(default=None, ge=1, le=100)
    # Optional; unset means the [digest] defaults in stepback.toml.
    send_time: str | None = None
    timezone: str | None = None
    nothing_today: bool = False  # send a short "nothing new today" note instead of no email
    min_pay: float | None = Field(default=None, ge=0)
    min_pay_unit: PayUnit | None = None  # per what min_pay is; "day" when unset

    _send_time = field_validator("send_time")(_hh_mm)
    _timezone = field_validator("timezone")(_known_timezone)


class FileConfig(BaseModel):
    crawl: CrawlConfig = CrawlConfig()
    warehouse: WarehouseConfig = WarehouseConfig()
    storage: StorageConfig = StorageConfig()
    alerts: AlertsConfig = AlertsConfig()
    classifier: ClassifierConfig = ClassifierConfig()
    digest: DigestConfig = DigestConfig()
    demo: DemoConfig = DemoConfig()
    sources: list[SourceConfig] = []


@dataclass(frozen=True)
class Settings:
    """Everything a run needs: the file's settings plus the paths from the environment."""

    file: FileConfig
    config_path: Path
    data_dir: Path
    catalog: str
    data_path: str
    smtp_url: str | None
    landing_url: str
    models_url: str

    @property
    def landing_dir(self) -> Path:
        """This machine's copy of the landing area (the area itself when it is a directory)."""
        if object_store.is_s3(self.landing_url):
            return self.data_dir / "landing"
        return Path(self.landing_url)

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def models_dir(self) -> Path:
        """This machine's copy of the model store (the store itself when it is a directory)."""
        if object_store.is_s3(self.models_url):
            return self.data_dir / "models"
        return Path(self.models_url)

    @property
    def sources(self) -> list[SourceConfig]:
        """The enabled sources: each has a crawl DAG and is crawled by the demo."""
        return [source for source in self.file.sources if source.enabled]

    def source(self, name: str) -> SourceConfig:
        """Any configured source by name, slug or DAG id, enabled or not."""
        for source in self.file.sources:
            if name in (source.name, source.slug, source.dag_id):
                return source
        known = ", ".join(s.name for s in self.file.sources) or "none"
        raise ConfigError(f"no source named {name!r} in {self.config_path.name} (known: {known})")


def read_toml_model(path: Path, model: type[M], what: str = "config file") -> M:
    """Read a TOML file into a pydantic model; any problem is one line naming the file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{what} not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: invalid TOML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or what
        raise ConfigError(f"{path.name}: {where}: {first['msg']}") from exc


def read_config_file(path: Path) -> FileConfig:
    return read_toml_model(path, FileConfig)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    config_path = Path(env.get("STEPBACK_CONFIG") or REPO_ROOT / "stepback.toml")
    data_dir = Path(env.get("STEPBACK_DATA_DIR") or REPO_ROOT / "data")
    file = read_config_file(config_path)
    if env.get("STEPBACK_PUBLIC_URL"):
        try:
            digest = DigestConfig.model_validate(
                file.digest.model_dump() | {"public_url": env["STEPBACK_PUBLIC_URL"]})
        except ValidationError as exc:
            raise ConfigError(f"STEPBACK_PUBLIC_URL: {exc.errors()[0]['msg']}") from exc
        file = file.model_copy(update={"digest": digest})
    alerts = {key: env[name] for key, name in (("email", "STEPBACK_ALERT_EMAIL"),
                                               ("webhook", "STEPBACK_ALERT_WEBHOOK"))
              if env.get(name)}
    if alerts:
        try:
            checked = AlertsConfig.model_validate(file.alerts.model_dump() | alerts)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ConfigError(f"alerts.{first['loc'][0]}: {first['msg']}") from exc
        file = file.model_copy(update={"alerts": checked})
    board_url = env.get("STEPBACK_DEMO_BOARD_URL") or (
        str(file.demo.board_url) if file.demo.board_url else None)
    if board_url:
        file = file.model_copy(update={"sources": [
            source.on_board(board_url) if source.demo else source for source in file.sources]})
    base = config_path.parent
    landing = env.get("STEPBACK_LANDING") or file.storage.landing
    models = env.get("STEPBACK_MODELS") or file.storage.models
    catalog = env.get("STEPBACK_CATALOG") or file.warehouse.catalog
    data_path = env.get("STEPBACK_DATA_PATH") or file.warehouse.data_path
    try:
        catalog = lake_storage.check_catalog(catalog or f"sqlite:{data_dir / 'lake.sqlite'}")
        data_path = lake_storage.check_data_path(data_path or str(data_dir / "lake"))
        landing = (_location_beside(object_store.check_location(landing, "landing"), base)
                   if landing else str(data_dir / "landing"))
        models = (_location_beside(object_store.check_location(models, "models"), base)
                  if models else str(data_dir / "models"))
    except (lake_storage.StorageError, ValueError) as exc:
        raise ConfigError(str(exc)) from exc
    return Settings(
        file=file,
        config_path=config_path,
        data_dir=data_dir,
        catalog=_catalog_beside(catalog, config_path.parent),
        data_path=_data_path_beside(data_path, config_path.parent),
        smtp_url=env.get("STEPBACK_SMTP_URL") or None,
        landing_url=landing,
        models_url=models,
    )


def _catalog_beside(catalog: str, base: Path) -> str:
    """A relative SQLite catalog path, read from the config file's directory."""
    kind, _, where = catalog.partition(":")
    if kind == "sqlite" and not Path(where).is_absolute():
        return f"sqlite:{base / where}"
    return catalog


def _data_path_beside(data_path: str, base: Path) -> str:
    """A relative data directory, read from the config file's directory."""
    if "://" in data_path or Path(data_path).is_absolute():
        return data_path
    return f"{base / data_path}/"


def _location_beside(location: str, base: Path) -> str:
    """A relative directory, read from the config file's directory (an s3:// URL as it is)."""
    if object_store.is_s3(location):
        return location
    return str(base / location)
