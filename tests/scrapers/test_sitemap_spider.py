"""The sitemap spider: sitemap indexes, urlsets, robots.txt, gzip, lastmod, url_pattern, known."""

import asyncio
import gzip
import json

import pytest
from scrapy import Request
from scrapy.http import Response, TextResponse, XmlResponse
from scripted_site import HTML, Reply, ScriptedSite, crawl, fixture

from scrapers.spiders.params import SpiderArgumentError
from scrapers.spiders.sitemap import SITEMAP_MAX_BYTES, SitemapJobsSpider

BOARD = "http://board.example"
JOB_1041 = "/jobs/1041-production-assistant-98th-oscars/"
JOB_1042 = "/jobs/1042-writers-pa-untitled-shondaland-drama/"


def sitemap_body(name, base=BOARD):
    return fixture(f"sitemap/{name}").replace(b"{{BASE}}", base.encode())


def xml(url, name):
    return XmlResponse(url, body=sitemap_body(name))


@pytest.fixture
def spider(make_spider):
    return make_spider(SitemapJobsSpider, urls=f"{BOARD}/sitemap-index.xml")


def test_sitemap_index_is_followed(spider):
    requests = list(spider.parse(xml(f"{BOARD}/sitemap-index.xml", "sitemap-index.xml")))
    assert [r.url for r in requests] == [
        f"{BOARD}/sitemaps/jobs.xml", f"{BOARD}/sitemaps/more-jobs.xml.gz"
    ]
    assert all(r.callback == spider.parse for r in requests)
    assert requests[0].meta["download_maxsize"] == SITEMAP_MAX_BYTES
    assert spider.crawler.stats.get_value("sitemap/sitemaps_followed") == 2


def test_urlset_pages_carry_their_lastmod(spider):
    requests = list(spider.parse(xml(f"{BOARD}/sitemaps/jobs.xml", "jobs.xml")))
    assert [(r.url, r.callback, r.cb_kwargs) for r in requests] == [
        (f"{BOARD}{JOB_1041}", spider.parse_detail, {"seen": {"lastmod": "2026-11-20"}}),
        (f"{BOARD}{JOB_1042}", spider.parse_detail,
         {"seen": {"lastmod": "2026-11-18T09:30:00+00:00"}}),
        (f"{BOARD}/about/", spider.parse_detail, {"seen": {"lastmod": "2026-01-05"}}),
        (f"{BOARD}/private/1046-closed-casting/", spider.parse_detail,
         {"seen": {"lastmod": "2026-11-22"}}),
    ]


def test_gzipped_sitemap_and_missing_lastmod(spider):
    body = gzip.compress(sitemap_body("more-jobs.xml"))
    response = Response(f"{BOARD}/sitemaps/more-jobs.xml.gz", body=body)
    requests = list(spider.parse(response))
    assert [(r.url, r.cb_kwargs) for r in requests] == [
        (f"{BOARD}/jobs/2001-snl-pa/", {"seen": {"lastmod": "2026-11-20T14:05:00-05:00"}}),
        (f"{BOARD}/jobs/md-6060/", {"seen": {}}),
    ]


def test_robots_txt_sitemap_lines(spider):
    response = TextResponse(f"{BOARD}/robots.txt", body=sitemap_body("robots.txt"))
    [request] = spider.parse(response)
    assert request.url == f"{BOARD}/sitemap-index.xml"


def test_url_pattern_filters_pages(make_spider):
    spider = make_spider(SitemapJobsSpider, urls=f"{BOARD}/sitemap.xml", url_pattern=r"/jobs/\d+")
    requests = list(spider.parse(xml(f"{BOARD}/sitemaps/jobs.xml", "jobs.xml")))
    assert [r.url for r in requests] == [f"{BOARD}{JOB_1041}", f"{BOARD}{JOB_1042}"]
    assert spider.crawler.stats.get_value("sitemap/not_matching_pattern") == 2


def test_bad_url_pattern_is_an_argument_error(make_spider):
    with pytest.raises(SpiderArgumentError, match="url_pattern: not a regular expression"):
        make_spider(SitemapJobsSpider, urls=f"{BOARD}/sitemap.xml", url_pattern="(unclosed")


def test_known_pages_with_no_later_lastmod_are_skipped(make_spider, tmp_path):
    known = tmp_path / "known.json"
    known.write_text(json.dumps({
        f"{BOARD}{JOB_1041}": "2026-11-20T12:00:00+00:00",
        f"{BOARD}{JOB_1042}": "2026-11-01",
    }))
    spider = make_spider(SitemapJobsSpider, urls=f"{BOARD}/sitemap.xml", known=str(known))
    requests = list(spider.parse(xml(f"{BOARD}/sitemaps/jobs.xml", "jobs.xml")))
    assert f"{BOARD}{JOB_1041}" not in [r.url for r in requests]
    assert f"{BOARD}{JOB_1042}" in [r.url for r in requests]
    assert spider.crawler.stats.get_value("incremental/skipped_known") == 1


@pytest.mark.parametrize("body", [b"<html><body>Not found</body></html>", b"", b"\x1f\x8b\x08xx"])
def test_what_is_not_a_sitemap_is_counted(spider, body):
    assert list(spider.parse(Response(f"{BOARD}/sitemap.xml", body=body))) == []
    assert spider.crawler.stats.get_value("drop/sitemap/not_a_sitemap") == 1


def test_start_requests_are_sitemaps(spider):
    async def first():
        return [request async for request in spider.start()]

    [request] = asyncio.run(first())
    assert isinstance(request, Request)
    assert (request.url, request.callback, request.dont_filter) == (
        f"{BOARD}/sitemap-index.xml", spider.parse, True
    )


# Real crawls over HTTP on 127.0.0.1.


@pytest.fixture(scope="module")
def site():
    site = ScriptedSite({}).start()
    site.routes.update({
        "/robots.txt": Reply(fixture("sitemap/robots.txt"), content_type="text/plain"),
        "/sitemap-index.xml": Reply(fixture("sitemap/sitemap-index.xml"),
                                    content_type="application/xml"),
        "/sitemaps/jobs.xml": Reply(fixture("sitemap/jobs.xml"), content_type="text/xml"),
        "/sitemaps/more-jobs.xml.gz": Reply(
            gzip.compress(sitemap_body("more-jobs.xml", site.url)),
            content_type="application/x-gzip",
        ),
        JOB_1041: Reply(fixture("jsonld/job-two-blocks.html")),
        JOB_1042: Reply(fixture("jsonld/job-graph.html")),
        "/about/": Reply(b"<html><body><h1>About us</h1></body></html>", content_type=HTML),
        "/private/1046-closed-casting/": Reply(fixture("jsonld/job-two-blocks.html")),
        "/jobs/2001-snl-pa/": Reply(fixture("jsonld/job-broken-and-good.html")),
        "/jobs/md-6060/": Reply(fixture("jsonld/job-microdata.html")),
    })
    yield site
    site.stop()


def test_sitemap_crawl_from_an_index(site, tmp_path):
    run = crawl("sitemap", tmp_path, source="sitemap:demo", urls=f"{site.url}/sitemap-index.xml",
                url_pattern="/(jobs|private)/")
    assert run.returncode == 0, run.log
    postings = run.by_id()
    assert sorted(postings) == ["1042", "DCP-2026-0098", "MD-6060",
                                "https://board.example/jobs/2001"]
    assert postings["DCP-2026-0098"]["raw"]["lastmod"] == "2026-11-20"
    assert postings["1042"]["raw"]["lastmod"] == "2026-11-18T09:30:00+00:00"
    assert "lastmod" not in postings["MD-6060"]["raw"]
    assert postings["DCP-2026-0098"]["url"] == f"{site.url}{JOB_1041}"
    assert run.stats["sitemap/sitemaps_followed"] == 2
    assert run.stats["sitemap/not_matching_pattern"] == 1
    assert run.stats["robotstxt/forbidden"] == 1
    assert run.stats["drop/sitemap/broken_json"] == 1
    assert run.stats["sitemap/microdata_pages"] == 1
    assert not site.requested("/about/")


def test_incremental_sitemap_crawl_from_robots_txt(site, tmp_path):
    known = tmp_path / "known.json"
    known.write_text(json.dumps({
        f"{site.url}{JOB_1041}": "2026-11-20",
        f"{site.url}{JOB_1042}": "2026-11-01",
        f"{site.url}/jobs/md-6060/": None,
    }))
    before = len(site.requested(JOB_1041))
    run = crawl("sitemap", tmp_path, source="sitemap:demo", urls=f"{site.url}/robots.txt",
                known=str(known))
    assert run.returncode == 0, run.log
    assert sorted(run.by_id()) == ["1042", "https://board.example/jobs/2001"]
    assert run.stats["incremental/skipped_known"] == 2
    assert run.stats["sitemap/pages_without_jobposting"] == 1  # /about/
    assert len(site.requested(JOB_1041)) == before
