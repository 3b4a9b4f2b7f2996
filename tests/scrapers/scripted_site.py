"""A scripted HTTP site on 127.0.0.1 for crawl tests, and `scrapy crawl` run against it.

Each route answers with a Reply, or with a list of Replies served in turn (the last repeats),
so a page can fail first and recover. `{{BASE}}` in a body becomes the site's own URL (sitemaps
need absolute URLs). Every request is remembered with its arrival time and User-Agent.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.local_http import QuietHandler, serve, stop, url_of

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "scrapers"
HTML = "text/html; charset=utf-8"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass(frozen=True)
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Seen:
    path: str
    at: float
    host: str
    user_agent: str


@dataclass
class ScriptedSite:
    routes: dict[str, Reply | Sequence[Reply]]
    seen: list[Seen] = field(default_factory=list)
    served: dict[str, int] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        return url_of(self.server)

    def requested(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def next_reply(self, path: str) -> Reply | None:
        script = self.routes.get(path)
        if script is None:
            return None
        if isinstance(script, Reply):
            return script
        with self.lock:
            turn = self.served.get(path, 0)
            self.served[path] = turn + 1
        return script[min(turn, len(script) - 1)]

    def start(self) -> ScriptedSite:
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                seen = Seen(self.path, time.monotonic(), self.headers["Host"] or "",
                            self.headers["User-Agent"] or "")
                site.seen.append(seen)
                reply = site.next_reply(self.path)
                if reply is None:
                    self.send_error(404)
                    return
                time.sleep(reply.delay)
                body = reply.body.replace(b"{{BASE}}", site.url.encode())
                headers = {k: v.replace("{{BASE}}", site.url) for k, v in reply.headers.items()}
                self.answer(body, reply.content_type, reply.status, headers)

        self.server = serve(Handler)
        return self

    def stop(self) -> None:
        assert self.server is not None
        stop(self.server)


@dataclass
class Crawl:
    returncode: int
    items: list[dict[str, Any]]
    stats: dict[str, int]
    log: str

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {item["source_id"]: item for item in self.items}


FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "RETRY_BACKOFF_BASE=0.05")


def crawl(spider: str, out_dir: Path, settings: Sequence[str] = (), **args: str) -> Crawl:
    """`scrapy crawl SPIDER -a k=v ... -s FAST... -s settings...` from the repo root."""
    output = out_dir / f"{spider}.jsonl"
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", f"{output}:jsonlines"]
    for key, value in args.items():
        command += ["-a", f"{key}={value}"]
    for setting in (*FAST, *settings):
        command += ["-s", setting]
    env = {key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"}
    completed = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    items = []
    if output.exists():
        items = [json.loads(line) for line in output.read_text("utf-8").splitlines() if line]
    return Crawl(completed.returncode, items, crawl_stats(completed.stderr), completed.stderr)


def crawl_stats(log: str) -> dict[str, int]:
    """Integer counters from the "Dumping Scrapy stats" block of a crawl log."""
    _, _, dump = log.partition("Dumping Scrapy stats")
    return {key: int(value) for key, value in re.findall(r"'([^']+)': (\d+)[,}]", dump)}
