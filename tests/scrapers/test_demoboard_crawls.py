"""Each spider against the bundled demo job board (stepback.demoboard), over real HTTP."""

from collections.abc import Iterator

import pytest

from scrapers.items import POSTING_FIELDS, Posting

demoboard = pytest.importorskip("stepback.demoboard.server")

FAST = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")


@pytest.fixture(scope="module")
def board() -> Iterator[str]:
    server = demoboard.serve(port=0)
    try:
        yield server.url
    finally:
        server.stop()


def assert_clean_run(run, source):
    assert run.returncode == 0, run.log
    assert run.items, run.log
    assert "log_count/ERROR" not in run.stats, run.log
    ids = [item["source_id"] for item in run.items]
    assert len(ids) == len(set(ids))
    for item in run.items:
        assert tuple(item) == POSTING_FIELDS
        assert item["source"] == source
        Posting.model_validate(item)


def test_jsonld_spider_on_demo_board(board, run_crawl):
    run = run_crawl("jsonld", *FAST, source="jsonld:demo-board", urls=f"{board}/jobs/")
    assert_clean_run(run, "jsonld:demo-board")
    assert len(run.items) > 10  # the listing is paginated: more than one page was read
    assert all(item["url"].startswith(board) for item in run.items)
    assert any(item["production"] for item in run.items)
    assert any(item["pay_unit"] == "day" for item in run.items)


def test_greenhouse_spider_on_demo_board(board, run_crawl):
    url = f"{board}/v1/boards/a24/jobs?content=true"
    run = run_crawl("greenhouse", *FAST, source="greenhouse:a24", urls=url)
    assert_clean_run(run, "greenhouse:a24")
    assert all(item["source_id"].isdigit() for item in run.items)
    assert all(item["description"] and "<" not in item["description"] for item in run.items)


def test_rss_spider_on_demo_board(board, run_crawl):
    feeds = ",".join(f"{board}/rss/{name}" for name in ("ecnjcat112", "ecnjcat127", "ecnjcat124"))
    run = run_crawl("rss", *FAST, source="rss:demo-ecn", urls=feeds)
    assert_clean_run(run, "rss:demo-ecn")
    assert all(item["company"] for item in run.items)
    assert all("utm_" not in item["url"] for item in run.items)
