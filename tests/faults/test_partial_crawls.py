"""Fault 5: a crawl that lost a page (too large, failed, unparsable, a listed posting that failed
validation) does not count as complete, so a posting still listed is not closed because that
crawl missed it. Benign drops (a duplicate in a feed) leave a crawl complete."""

from __future__ import annotations

import json

import pytest

from stepback.config import Settings
from stepback.loading import load_pending
from stepback.warehouse import Warehouse
from tests.conftest import posting, write_landing

FINISHED = {"finish_reason": "finished", "item_scraped_count": 1}


def crawl(settings: Settings, run: str, ids: list[str], stats: dict) -> None:
    folder = settings.landing_dir / "jsonld_test"
    day = 20 + int(run.removeprefix("run"))  # each crawl's file differs, as real ones do
    write_landing(folder, f"{run}.jsonl", [
        posting(source_id=i, scraped_at=f"2026-11-{day}T10:00:00+00:00") for i in ids])
    (folder / f"{run}.stats.json").write_text(json.dumps(stats), "utf-8")


@pytest.mark.parametrize("lost, closed", [
    ({"download/too_large": 1}, False),
    ({"drop/jsonld/detail_failed": 1}, False),
    ({"drop/jsonld/broken_json": 2}, False),
    ({"drop/missing_title": 1}, False),
    ({"retry/max_reached": 1}, False),
    ({"drop/rss/duplicate": 3}, True),
    ({}, True),
])
def test_a_posting_missed_by_crawls_that_lost_pages_stays_open(
    settings: Settings, lost: dict, closed: bool
) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    crawl(settings, "run0", ["1", "2"], FINISHED)
    load_pending(warehouse, settings.landing_dir)
    for run in ("run1", "run2", "run3"):  # close_after_missed_crawls is 3
        crawl(settings, run, ["1"], FINISHED | lost)
        load_pending(warehouse, settings.landing_dir)
    with warehouse.reader() as con:
        [(closed_at,)] = con.execute(
            "SELECT closed_at FROM postings WHERE source_id = '2'").fetchall()
    assert (closed_at is not None) == closed
