"""The crawl runner: a real `scrapy crawl` subprocess over HTTP against the demo board."""

import json
from pathlib import Path

import pytest

from stepback.config import Settings, load_settings
from stepback.crawling import CrawlFailed, crawl, crawl_command
from tests.conftest import env_for, free_port, write_config


def test_crawl_lands_a_finished_file_with_stats(settings: Settings) -> None:
    source = settings.source("greenhouse:a24")
    result = crawl(settings, source, run="run1")
    landed = Path(result.landing_file)
    assert landed == settings.landing_dir / "greenhouse_a24" / "run1.jsonl"
    lines = [json.loads(line) for line in landed.read_text("utf-8").splitlines()]
    assert len(lines) == result.items >= 6
    assert {line["source"] for line in lines} == {"greenhouse:a24"}
    assert all(line["url"].startswith("http") and line["title"] for line in lines)
    assert not list(landed.parent.glob("*.part"))
    stats = json.loads((landed.parent / "run1.stats.json").read_text("utf-8"))
    assert stats["item_scraped_count"] == result.items
    assert stats["finish_reason"] == "finished"


def test_unreachable_source_fails_and_lands_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", f"http://127.0.0.1:{free_port()}")
    settings = load_settings(env_for(config, tmp_path / "data"))
    with pytest.raises(CrawlFailed, match="greenhouse:a24: crawl yielded no postings"):
        crawl(settings, settings.source("greenhouse:a24"), run="r")
    landing = settings.landing_dir / "greenhouse_a24"
    assert not list(landing.glob("*.jsonl")) and not list(landing.glob("*.part"))
    assert (landing / "r.log").exists()


def test_crawl_command_carries_politeness_settings(settings: Settings) -> None:
    source = settings.source("rss:demo-ecn")
    command = crawl_command(settings, source, Path("x.part"), Path("x.stats.json"))
    joined = " ".join(command)
    assert command[1:5] == ["-m", "scrapy", "crawl", "rss"]
    assert "USER_AGENT=stepback-tests/0.1 (+https://example.com/stepback)" in command
    assert "ROBOTSTXT_OBEY=True" in command
    assert f"urls={','.join(str(u) for u in source.urls)}" in command
    assert "-O x.part:jsonlines" in joined
