"""Landing files and models shared through S3 (moto's server on 127.0.0.1): a crawl on one
machine is loaded on another, a model trained on one is used on another. Two "machines" are two
data directories that share only the bucket and the lake."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stepback.config import Settings, load_settings
from stepback.crawling import CrawlFailed, crawl
from stepback.landing import landing_for
from stepback.object_store import ObjectStoreError
from stepback.pipeline import classify_step, init_step, load_step, train_step
from tests.conftest import free_port, write_config
from tests.servers import S3, s3_server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    with s3_server(free_port()) as store:
        yield store


def machine(tmp_path: Path, name: str, config: Path, s3: S3, prefix: str) -> Settings:
    env = {
        "STEPBACK_CONFIG": str(config),
        "STEPBACK_DATA_DIR": str(tmp_path / name),
        "STEPBACK_CATALOG": f"sqlite:{tmp_path / 'shared' / 'lake.sqlite'}",
        "STEPBACK_DATA_PATH": str(tmp_path / "shared" / "lake"),
        "STEPBACK_LANDING": f"s3://{s3.bucket}/{prefix}/landing/",
        "STEPBACK_MODELS": f"s3://{s3.bucket}/{prefix}/models/",
    }
    return load_settings(env)


@pytest.fixture
def machines(
    tmp_path: Path, board_url: str, s3: S3, monkeypatch: pytest.MonkeyPatch
) -> tuple[Settings, Settings]:
    for key, value in s3.environment().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("STEPBACK_LINK_SECRET", "shared-test-secret")
    config = write_config(tmp_path / "stepback.toml", board_url)
    prefix = os.urandom(4).hex()
    a, b = (machine(tmp_path, name, config, s3, prefix) for name in ("a", "b"))
    init_step(a)
    return a, b


def test_a_crawl_on_one_machine_is_loaded_on_another(
    machines: tuple[Settings, Settings], s3: S3
) -> None:
    a, b = machines
    result = crawl(a, a.source("greenhouse:a24"), run="run1")
    prefix = a.landing_url.removeprefix(f"s3://{s3.bucket}/")
    keys = {key.removeprefix(prefix) for key in s3.keys() if key.startswith(prefix)}
    assert {"greenhouse_a24/run1.jsonl", "greenhouse_a24/run1.stats.json",
            "greenhouse_a24/run1.log"} <= keys
    assert not (b.landing_dir / "greenhouse_a24").exists()

    summary = load_step(b)
    assert summary["files_loaded"] == 1 and summary["inserted"] == result.items > 0
    pulled = b.landing_dir / "greenhouse_a24" / "run1.jsonl"
    assert pulled.read_bytes() == Path(result.landing_file).read_bytes()
    assert not [p.name for p in pulled.parent.iterdir() if p.name.startswith(".")]

    again = load_step(b)
    assert (again["files_loaded"], again["files_skipped"], again["inserted"]) == (0, 1, 0)
    assert landing_for(b).pull() == 0


def test_a_later_crawl_elsewhere_compares_with_the_earlier_run(
    machines: tuple[Settings, Settings],
) -> None:
    a, b = machines
    crawl(a, a.source("jsonld:demo-board"), run="run1")
    second = crawl(b, b.source("jsonld:demo-board"), run="run2")
    # B pulled A's run, so its spider skipped what A had already seen.
    assert (b.landing_dir / "jsonld_demo_board" / "run1.jsonl").is_file()
    assert second.known > 0


def test_a_copy_that_differs_from_the_bucket_is_fetched_again(
    machines: tuple[Settings, Settings],
) -> None:
    a, b = machines
    crawl(a, a.source("greenhouse:a24"), run="run1")
    area = landing_for(b)
    assert area.pull() == 2  # the stats and the feed; logs stay in the bucket
    local = b.landing_dir / "greenhouse_a24" / "run1.jsonl"
    whole = local.read_bytes()
    local.write_bytes(whole[: len(whole) // 2])
    assert area.pull() == 1
    assert local.read_bytes() == whole


def test_s3_stopping_mid_crawl_publishes_nothing(
    tmp_path: Path, board_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with s3_server(free_port()) as store:
        for key, value in store.environment().items():
            monkeypatch.setenv(key, value)
        config = write_config(tmp_path / "stepback.toml", board_url)
        settings = machine(tmp_path, "a", config, store, "stop")
        landing = settings.landing_dir / "greenhouse_a24"
        stopped = threading.Event()

        def stop_when_the_spider_writes() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not list(landing.glob("*.part")):
                time.sleep(0.01)
            store.stop()
            stopped.set()

        watcher = threading.Thread(target=stop_when_the_spider_writes, daemon=True)
        watcher.start()
        with pytest.raises(CrawlFailed, match="could not publish run1.jsonl: S3 upload"):
            crawl(settings, settings.source("greenhouse:a24"), run="run1")
        watcher.join(timeout=60)
        assert stopped.is_set()
        assert not list(landing.glob("*.jsonl")) and not list(landing.glob("*.part"))


def test_a_model_trained_on_one_machine_scores_on_another(
    machines: tuple[Settings, Settings], s3: S3
) -> None:
    a, b = machines
    trained = train_step(a)
    version = trained["model_version"]
    prefix = a.models_url.removeprefix(f"s3://{s3.bucket}/")
    keys = {key.removeprefix(prefix) for key in s3.keys() if key.startswith(prefix)}
    assert {"current", f"{version}/model.skops", f"{version}/metrics.json"} <= keys

    crawl(a, a.source("greenhouse:a24"), run="run1")
    load_step(b)
    summary = classify_step(b)
    assert summary["model_version"] == version
    assert (b.models_dir / "current").read_text().strip() == version
    assert sorted(p.name for p in b.models_dir.iterdir() if p.is_dir()) == [version]


def test_s3_storage_without_keys_is_one_line(
    machines: tuple[Settings, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, b = machines
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(ObjectStoreError, match="^S3 storage needs AWS_ACCESS_KEY_ID and "
                                               "AWS_SECRET_ACCESS_KEY in the environment$"):
        landing_for(b).pull()
