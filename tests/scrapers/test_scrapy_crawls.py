"""Real crawls: `scrapy crawl` in a subprocess, Scrapy's downloader, HTTP on 127.0.0.1."""

from scrapers.items import POSTING_FIELDS


def test_jsonld_crawl(fixture_site, run_crawl):
    run = run_crawl("jsonld", source="jsonld:demo-board", urls=f"{fixture_site.url}/jobs/")

    assert run.returncode == 0, run.log
    postings = run.by_id()
    assert sorted(postings) == ["1042", "1043", "DCP-2026-0098"]
    assert all(tuple(p) == POSTING_FIELDS for p in run.items)
    assert all(p["source"] == "jsonld:demo-board" for p in run.items)
    assert postings["DCP-2026-0098"]["url"] == (
        f"{fixture_site.url}/jobs/1041-production-assistant-98th-oscars/"
    )
    assert postings["1043"]["remote"] is True
    assert len({p["scraped_at"] for p in run.items}) == 1
    assert run.stats["drop/jsonld/broken_json"] == 1
    assert run.stats["drop/missing_title"] == 1
    assert run.stats["item_dropped_count"] == 1
    assert run.stats["robotstxt/forbidden"] == 1
    assert run.stats["offsite/filtered"] >= 1
    assert "/private/1046-closed-casting/" not in fixture_site.requested
    assert "[jsonld] WARNING: dropped (broken_json)" in run.log


def test_jsonld_crawl_max_pages(fixture_site, run_crawl):
    run = run_crawl(
        "jsonld", source="jsonld:demo-board", urls=f"{fixture_site.url}/jobs/", max_pages="1"
    )
    assert run.returncode == 0, run.log
    assert sorted(run.by_id()) == ["1042", "DCP-2026-0098"]
    assert run.stats["jsonld/max_pages_reached"] == 1


def test_greenhouse_crawl(fixture_site, run_crawl):
    run = run_crawl(
        "greenhouse", source="greenhouse:a24",
        urls=f"{fixture_site.url}/v1/boards/a24/jobs?content=true",
    )
    assert run.returncode == 0, run.log
    postings = run.by_id()
    assert sorted(postings) == ["4823109007", "4830552007", "4831001007"]
    assert postings["4830552007"]["production"] == "Hundreds of Beavers 2"
    assert "A24 is an independent entertainment company." in postings["4823109007"]["description"]
    assert run.stats["drop/missing_title"] == 1


def test_rss_crawl_dedupes_across_feeds(fixture_site, run_crawl):
    feeds = [f"{fixture_site.url}/rss/ecnjcat112", f"{fixture_site.url}/rss/ecnjcat127",
             f"{fixture_site.url}/atom/jobs"]
    run = run_crawl("rss", source="rss:demo-ecn", urls=",".join(feeds))
    assert run.returncode == 0, run.log
    ids = [p["source_id"] for p in run.items]
    assert len(ids) == len(set(ids)) == 5
    assert {"412345", "412400", "412777", "5510"} <= set(ids)
    assert run.stats["drop/rss/duplicate"] == 1
    assert run.stats["drop/missing_url"] == 1


def test_bad_arguments_fail_with_one_clear_line(fixture_site, run_crawl):
    run = run_crawl("rss", urls=f"{fixture_site.url}/rss/ecnjcat112")
    assert run.returncode != 0
    assert "invalid arguments for spider rss: source is required (-a source=...)" in run.log
    assert run.items == []
