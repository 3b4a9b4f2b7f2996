"""parse_jsonld and parse_greenhouse: postings per second through `scrapers.offline.parse_saved`.

The input is the demo board rendered in this process (no HTTP): every detail page of the
board's listing for jsonld, both Greenhouse boards' `?content=true` responses for greenhouse.
Each round parses all of it once; rounds repeat until the time budget is spent.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from bench.report import BenchError, BenchResult, progress, rate
from scrapers.offline import parse_saved
from stepback.demoboard.catalog import GREENHOUSE_TOKENS, HTML_CHANNEL, default_catalog, detail_path
from stepback.demoboard.render_greenhouse import board_json
from stepback.demoboard.render_html import detail_page

BASE_URL = "http://127.0.0.1:8765"
UNIT = "postings/s"
JSONLD_BLOCK = re.compile(rb"<script[^>]*ld\+json[^>]*>(.*?)</script>", re.S | re.I)


@dataclass(frozen=True)
class Saved:
    """A saved response: what `stepback parse FILE` would be given."""

    url: str
    body: bytes
    kind: str


def jsonld_pages() -> list[Saved]:
    catalog = default_catalog()
    return [
        Saved(BASE_URL + detail_path(posting), detail_page(posting, BASE_URL).encode(), "jsonld")
        for posting in catalog.on_channel(HTML_CHANNEL)
    ]


def greenhouse_boards() -> list[Saved]:
    catalog = default_catalog()
    boards = []
    for token in GREENHOUSE_TOKENS:
        board = board_json(catalog, token, BASE_URL, True)
        url = f"{BASE_URL}/v1/boards/{token}/jobs?content=true"
        boards.append(Saved(url, json.dumps(board, ensure_ascii=False).encode(), "greenhouse"))
    return boards


def parse_all(saved: list[Saved]) -> int:
    postings = 0
    for response in saved:
        found, _ = parse_saved(response.body, url=response.url, kind=response.kind)
        postings += len(found)
    return postings


def load_jsonld_blocks(saved: list[Saved]) -> None:
    """Baseline: regex out each page's JSON-LD script blocks and json.loads them, nothing more."""
    for response in saved:
        for block in JSONLD_BLOCK.findall(response.body):
            try:
                json.loads(block, strict=False)
            except ValueError:
                continue


def load_greenhouse_json(saved: list[Saved]) -> None:
    """Baseline: json.loads of each board response, nothing more."""
    for response in saved:
        json.loads(response.body)


def parse_jsonld(seconds: float, pages: int | None = None) -> BenchResult:
    return _bench("parse_jsonld", jsonld_pages()[:pages], load_jsonld_blocks, seconds)


def parse_greenhouse(seconds: float) -> BenchResult:
    return _bench("parse_greenhouse", greenhouse_boards(), load_greenhouse_json, seconds)


def _bench(
    name: str, saved: list[Saved], baseline: Callable[[list[Saved]], None], seconds: float
) -> BenchResult:
    """Both sides are credited with the postings the real parser finds in one round."""
    logging.getLogger("scrapy").setLevel(logging.WARNING)
    postings = parse_all(saved)
    if not postings:
        raise BenchError(f"{name}: the parser found no postings in {len(saved)} responses")
    progress(f"{name}: {len(saved)} responses, {postings} postings per round")
    value = rate(lambda: parse_all(saved), postings, seconds)
    base = rate(lambda: baseline(saved), postings, seconds)
    return BenchResult(name, value, UNIT, base)
