"""The crawl runner: a real `scrapy crawl` subprocess over HTTP against the demo board."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stepback import crawling
from stepback.config import ConfigError, Settings, SourceConfig, load_settings
from stepback.crawling import (
    CoverageRule,
    CrawlFailed,
    PreviousRun,
    coverage_problems,
    coverage_rule,
    crawl,
    crawl_command,
    known_postings,
    prepare_known,
)
from stepback.demoboard.catalog import default_catalog
from stepback.demoboard.render_greenhouse import board_json
from tests.conftest import env_for, free_port, posting, write_config, write_landing
from tests.local_http import QuietHandler, serve, stop, url_of

FIELDS = {"title", "company", "location", "pay", "posted_at", "employment_type", "description",
          "production", "remote", "union"}
A24_PATH = "/v1/boards/a24/jobs?content=true"


class JsonSite:
    """Serves JSON bodies set per test at exact paths; anything else is a 404."""

    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                body = site.routes.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.answer(body, "application/json")

        self.server = serve(Handler)

    @property
    def url(self) -> str:
        return url_of(self.server)

    def source(self, name: str, path: str) -> SourceConfig:
        return SourceConfig(name=name, kind="greenhouse", urls=[self.url + path])


@pytest.fixture
def json_site() -> Iterator[JsonSite]:
    site = JsonSite()
    yield site
    stop(site.server)


def a24_board(site: JsonSite, **job_overrides: Any) -> bytes:
    board = board_json(default_catalog(), "a24", site.url, True)
    assert board is not None
    for job in board["jobs"]:
        job.update(job_overrides)
    return json.dumps(board).encode()


def test_crawl_lands_a_finished_file_with_stats_and_coverage(settings: Settings) -> None:
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
    assert {key.removeprefix("coverage/") for key in stats if key.startswith("coverage/")} == FIELDS
    assert set(result.coverage) == FIELDS
    for field in FIELDS:
        assert result.coverage[field] == round(stats[f"coverage/{field}"] / result.items, 4)
    with_location = sum(1 for line in lines if line["location"])
    assert stats["coverage/location"] == with_location
    assert result.coverage["title"] == result.coverage["company"] == 1.0
    assert result.dropped == {} and result.known == 0 and result.pages >= 1
    extra = json.loads(json.dumps(result.as_extra()))
    assert {"pages", "items", "dropped", "coverage", "seconds", "landing_file"} <= set(extra)


def test_coverage_collapse_fails_the_crawl_and_lands_nothing(
    settings: Settings, json_site: JsonSite
) -> None:
    """The same source, first on the demo board, then on a copy of it that lost locations."""
    good = crawl(settings, settings.source("greenhouse:a24"), run="run1")
    assert good.coverage["location"] == 1.0
    json_site.routes[A24_PATH] = a24_board(json_site, location={"name": ""})
    broken = json_site.source("greenhouse:a24", A24_PATH)
    message = r"^greenhouse:a24: location coverage fell from 100% to 0% \(last run run1\)$"
    with pytest.raises(CrawlFailed, match=message):
        crawl(settings, broken, run="run2")
    landing = settings.landing_dir / "greenhouse_a24"
    assert sorted(p.name for p in landing.glob("*.jsonl")) == ["run1.jsonl"]
    assert not list(landing.glob("*.part"))
    assert (landing / "run2.stats.json").exists() and (landing / "run2.log").exists()
    with pytest.raises(CrawlFailed, match=r"\(last run run1\)"):
        crawl(settings, broken, run="run3")


def test_zero_items_fails_even_after_a_good_run(settings: Settings, json_site: JsonSite) -> None:
    crawl(settings, settings.source("greenhouse:a24"), run="run1")
    json_site.routes[A24_PATH] = b'{"jobs": [], "meta": {"total": 0}}'
    empty = json_site.source("greenhouse:a24", A24_PATH)
    with pytest.raises(CrawlFailed, match="greenhouse:a24: crawl yielded no postings from"):
        crawl(settings, empty, run="run2")
    landing = settings.landing_dir / "greenhouse_a24"
    assert sorted(p.name for p in landing.glob("*.jsonl")) == ["run1.jsonl"]
    stats = json.loads((landing / "run2.stats.json").read_text("utf-8"))
    assert stats["item_scraped_count"] == 0 and stats["coverage/title"] == 0


def test_one_source_failing_does_not_stop_the_next(tmp_path: Path, board_url: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    extra = f"""
[[sources]]
name = "greenhouse:gone"
kind = "greenhouse"
urls = ["{dead}/v1/boards/gone/jobs?content=true"]
"""
    config = write_config(tmp_path / "s.toml", board_url, extra=extra)
    settings = load_settings(env_for(config, tmp_path / "data"))
    with pytest.raises(CrawlFailed, match="greenhouse:gone: crawl yielded no postings"):
        crawl(settings, settings.source("greenhouse:gone"), run="r1")
    result = crawl(settings, settings.source("greenhouse:dickclarkproductions"), run="r1")
    assert result.items >= 6 and Path(result.landing_file).exists()
    assert not list((settings.landing_dir / "greenhouse_gone").glob("*.jsonl"))


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
    assert "scrapers.coverage.FieldCoverage" in joined and "known=" not in joined
    with_known = crawl_command(settings, source, Path("x.part"), Path("s"), Path("known.json"))
    assert with_known[with_known.index("known=known.json") - 1] == "-a"


@pytest.mark.parametrize(
    ("before", "now", "fails"),
    [(0.95, 0.10, True), (1.0, 0.69, False), (0.5, 0.19, True), (0.5, 0.26, False),
     (0.31, 0.0, True), (0.3, 0.0, False), (0.0, 0.0, False)],
)
def test_default_rule_needs_a_big_absolute_and_relative_fall(
    before: float, now: float, fails: bool
) -> None:
    previous = PreviousRun("20261126T070000000000Z", {"item_scraped_count": 100,
                                                    "coverage/company": round(before * 100)})
    problems = coverage_problems({"company": now}, 50, previous, CoverageRule())
    expected = [f"company coverage fell from {before:.0%} to {now:.0%} "
                "(last run 20261126T070000000000Z)"]
    assert problems == (expected if fails else [])


def test_small_runs_and_first_runs_are_not_judged() -> None:
    previous = PreviousRun("r0", {"item_scraped_count": 10, "coverage/pay": 10})
    rule = CoverageRule()
    assert coverage_problems({"pay": 0.0}, rule.min_items - 1, previous, rule) == []
    assert coverage_problems({"pay": 0.0}, 50, None, rule) == []
    assert coverage_problems({"pay": 0.0}, 50, previous, rule) == [
        "pay coverage fell from 100% to 0% (last run r0)"
    ]


def test_coverage_rule_comes_from_the_config_file(tmp_path: Path, board_url: str) -> None:
    default = load_settings(env_for(write_config(tmp_path / "a.toml", board_url), tmp_path))
    assert coverage_rule(default) == CoverageRule(absolute=0.3, ratio=0.5, min_items=5)
    extra = "\n[crawl.coverage_drop]\nabsolute = 0.5\nmin_items = 20\n"
    custom = load_settings(env_for(write_config(tmp_path / "b.toml", board_url, extra=extra),
                                   tmp_path))
    assert coverage_rule(custom) == CoverageRule(absolute=0.5, ratio=0.5, min_items=20)
    bad = "\n[crawl.coverage_drop]\nabsolute = 2\n"
    with pytest.raises(ConfigError, match="c.toml: crawl.coverage_drop.absolute"):
        load_settings(env_for(write_config(tmp_path / "c.toml", board_url, extra=bad), tmp_path))


def test_known_postings_fingerprints_earlier_landing_files(tmp_path: Path) -> None:
    old = write_landing(tmp_path, "r1.jsonl", [
        posting(source_id="1", posted_at="2026-11-01", url="https://x.example/1"),
        posting(source_id="2", posted_at=None, valid_through="2027-01-01", url="https://x.example/2"),
        "not json",
    ])
    new = write_landing(tmp_path, "r2.jsonl", [
        posting(source_id="1", posted_at="2026-11-20", url="https://x.example/1"),
        posting(source_id="3", posted_at=None, valid_through=None, url="https://x.example/3"),
        posting(source_id="4", url="https://x.example/4", raw={"lastmod": "2026-11-25"}),
    ])
    known = known_postings([old, new])
    assert known["1"] == known["https://x.example/1"] == "2026-11-20"
    assert known["2"] == "2027-01-01" and known["4"] == "2026-11-25"
    assert known["3"].startswith("sha1:") and len(known) == 8


def landed_run(directory: Path, run: str, stats: dict[str, int], *, age: timedelta) -> None:
    line = posting(source_id="7", url="https://x.example/7", posted_at="2026-11-02")
    path = write_landing(directory, f"{run}.jsonl", [line])
    (directory / f"{run}.stats.json").write_text(json.dumps({"finish_reason": "finished", **stats}))
    stamp = (datetime.now(UTC) - age).timestamp()
    os.utime(path, (stamp, stamp))


def test_known_file_goes_to_incremental_kinds_between_full_crawls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jsonld = SourceConfig(name="jsonld:x", kind="jsonld", urls=["http://127.0.0.1/jobs/"])
    greenhouse = SourceConfig(name="greenhouse:x", kind="greenhouse", urls=["http://127.0.0.1/"])
    assert prepare_known(jsonld, tmp_path) == (None, 0)
    landed_run(tmp_path, "r1", {"item_scraped_count": 1}, age=timedelta(hours=30))
    assert prepare_known(jsonld, tmp_path) == (None, 0), "last full crawl is over a day old"
    landed_run(tmp_path, "r2", {"item_scraped_count": 1}, age=timedelta(hours=2))
    landed_run(tmp_path, "r3", {"incremental/skipped_known": 1}, age=timedelta(hours=1))
    assert prepare_known(greenhouse, tmp_path) == (None, 0)
    path, count = prepare_known(jsonld, tmp_path)
    assert path == tmp_path / "known.json" and count == 1
    assert json.loads(path.read_text("utf-8")) == {"7": "2026-11-02",
                                                    "https://x.example/7": "2026-11-02"}
    monkeypatch.setattr(crawling, "INCREMENTAL_KINDS", ())
    assert prepare_known(jsonld, tmp_path) == (None, 0)


def test_second_crawl_of_a_listing_skips_known_postings(settings: Settings) -> None:
    source = settings.source("jsonld:demo-board")
    first = crawl(settings, source, run="r1")
    assert first.items >= 20 and first.known == 0 and first.skipped_known == 0
    second = crawl(settings, source, run="r2")
    assert second.known == first.items and second.skipped_known > 0
    assert second.pages < first.pages and second.items < first.items
    assert Path(second.landing_file).exists(), "nothing new is a success, not a failure"


def test_company_argument_only_for_boards_that_need_it(tmp_path: Path) -> None:
    settings = load_settings({})
    lever = settings.source("lever:skydance")
    command = crawl_command(settings, lever, tmp_path / "x.part", tmp_path / "x.stats.json")
    assert "company=Skydance" in command
    jsonld = settings.source("jsonld:demo-board")
    command = crawl_command(settings, jsonld, tmp_path / "y.part", tmp_path / "y.stats.json")
    assert not any(part.startswith("company=") for part in command)
