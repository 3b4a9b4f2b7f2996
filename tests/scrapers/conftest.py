"""Fixtures for the Scrapy project: saved pages, spiders built offline, and real crawls.

Real crawls run `scrapy crawl` in a subprocess (a Twisted reactor cannot restart inside one
pytest process) against a stdlib HTTP server on 127.0.0.1 that serves the saved pages.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from tests.local_http import QuietHandler, serve, stop, url_of
from tests.scrapers.ats_site import AtsSite
from tests.scrapers.scripted_site import Crawl as CrawlRun

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "scrapers"
HTML = "text/html; charset=utf-8"

ROUTES: dict[str, tuple[str, str]] = {
    "/robots.txt": ("robots.txt", "text/plain"),
    "/jobs/": ("jsonld/listing-1.html", HTML),
    "/jobs/?page=2": ("jsonld/listing-2.html", HTML),
    "/jobs/1041-production-assistant-98th-oscars/": ("jsonld/job-two-blocks.html", HTML),
    "/jobs/1042-writers-pa-untitled-shondaland-drama/": ("jsonld/job-graph.html", HTML),
    "/jobs/1043-remote-post-coordinator/": ("jsonld/job-raw-newlines.html", HTML),
    "/jobs/1044-set-pa-indie-feature/": ("jsonld/job-broken.html", HTML),
    "/jobs/1045-runner/": ("jsonld/job-no-title.html", HTML),
    "/private/1046-closed-casting/": ("jsonld/job-two-blocks.html", HTML),
    "/v1/boards/a24/jobs?content=true": ("greenhouse/a24-jobs.json", "application/json"),
    "/rss/ecnjcat112": ("rss/ecnjcat112.xml", "application/rss+xml; charset=utf-8"),
    "/rss/ecnjcat127": ("rss/ecnjcat127.xml", "text/xml; charset=utf-8"),
    "/atom/jobs": ("rss/jobs-atom.xml", "application/atom+xml"),
}


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def page() -> Callable[[str, str], TextResponse]:
    """page(url, fixture): a saved page as the response to url (HTML for .html files)."""

    def load(url: str, fixture: str) -> TextResponse:
        response_class = HtmlResponse if fixture.endswith(".html") else TextResponse
        return response_class(url, body=read_fixture(fixture), encoding="utf-8")

    return load


@pytest.fixture
def make_spider() -> Callable[..., Any]:
    """make_spider(SpiderClass, **args): a spider on a fresh crawler, as `scrapy crawl` makes."""

    def build(spidercls: type[Spider], **kwargs: Any) -> Any:
        args = {"source": "test:fixtures", "urls": "http://board.example/jobs/", **kwargs}
        return spidercls.from_crawler(get_crawler(spidercls), **args)

    return build


@pytest.fixture(scope="session")
def fixture_site() -> Iterator[FixtureSite]:
    site = FixtureSite()
    site.start()
    yield site
    site.stop()


@dataclass
class FixtureSite:
    """Serves ROUTES from tests/fixtures/scrapers; remembers which paths were requested."""

    requested: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return url_of(self.server)

    def start(self) -> None:
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                site.requested.append(self.path)
                if self.path not in ROUTES:
                    self.send_error(404)
                    return
                fixture, content_type = ROUTES[self.path]
                self.answer(read_fixture(fixture), content_type)

        self.server = serve(Handler)

    def stop(self) -> None:
        assert self.server is not None
        stop(self.server)


@pytest.fixture
def run_crawl(tmp_path: Path) -> Callable[..., CrawlRun]:
    """Run `scrapy crawl SPIDER -a k=v ... -O out.jsonl.part:jsonlines` from the repo root."""

    def run(spider: str, *extra: str, **spider_args: str) -> CrawlRun:
        output = tmp_path / f"{spider}.jsonl.part"
        command = [sys.executable, "-m", "scrapy", "crawl", spider]
        for key, value in spider_args.items():
            command += ["-a", f"{key}={value}"]
        command += [
            "-O", f"{output}:jsonlines",
            "-s", "LOG_LEVEL=INFO",
            "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=False",
            *extra,
        ]
        env = {key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"}
        completed = subprocess.run(
            command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
            check=False,
        )
        items = []
        if output.exists():
            items = [json.loads(line) for line in output.read_text("utf-8").splitlines() if line]
        return CrawlRun(completed.returncode, items, _stats(completed.stderr), completed.stderr)

    return run


def _stats(log: str) -> dict[str, int]:
    """Integer counters from the "Dumping Scrapy stats" block of a crawl log."""
    _, _, dump = log.partition("Dumping Scrapy stats")
    return {key: int(value) for key, value in re.findall(r"'([^']+)': (\d+)[,}]", dump)}


@pytest.fixture(scope="session")
def ats_site() -> Iterator[AtsSite]:
    """The Lever, Ashby, SmartRecruiters and Workday APIs played from saved responses."""
    site = AtsSite()
    site.start()
    yield site
    site.stop()
