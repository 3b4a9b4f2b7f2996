"""The known-postings file, listing cards, and the jsonld spider skipping what it knows."""

import json

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scripted_site import Reply, ScriptedSite, crawl, fixture

from scrapers.incremental import KnownFileError, KnownPostings, is_newer, load_known
from scrapers.listings import ListedJob, listed_jobs
from scrapers.spiders.jsonld import JsonLdSpider
from scrapers.spiders.params import SpiderArgumentError

BOARD = "http://board.example"
KNOWN = {
    "DCP-2026-0098": "2026-11-20",
    "1042": "2026-11-18",
    f"{BOARD}/board/1043/#apply": None,
    "R-3003": None,
    f"{BOARD}/board/5151/": "rev-7",
}


@pytest.fixture
def known_file(tmp_path):
    path = tmp_path / "known.json"
    path.write_text(json.dumps(KNOWN), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("listed", "known", "newer"),
    [
        (None, "2026-11-20", False),
        ("2026-11-20", None, False),
        ("2026-11-20", "2026-11-20", False),
        ("2026-11-19", "2026-11-20", False),
        ("2026-11-21", "2026-11-20", True),
        ("2026-11-20", "2026-11-20T08:55:24", False),
        ("2026-11-20T10:00:00+00:00", "2026-11-20T09:00:00+00:00", True),
        ("2026-11-20T10:00:00+02:00", "2026-11-20T09:00:00+00:00", False),
        ("11/21/2026", "2026-11-20", True),
        ("rev-7", "rev-7", False),
        ("rev-8", "rev-7", True),
        ("3 days ago", "2026-11-20", True),
    ],
)
def test_is_newer(listed, known, newer):
    assert is_newer(listed, known) is newer


def test_known_by_id_or_url(known_file):
    known = load_known(known_file)
    assert known.unchanged(source_id="DCP-2026-0098", url=None, listed="2026-11-20")
    assert not known.unchanged(source_id="1042", url=None, listed="2026-11-25")
    assert known.unchanged(source_id=None, url=f"{BOARD}/board/1043/", listed="yesterday")
    assert known.unchanged(source_id="other", url=f"{BOARD}/board/5151/#top", listed="rev-7")
    assert not known.unchanged(source_id="BER-77", url=f"{BOARD}/board/ber-77/", listed=None)
    assert not KnownPostings().unchanged(source_id="1042", url=None, listed=None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "must hold one JSON object"),
        ('{"a": {"b": 1}}', "fingerprint of 'a' must be text or null"),
        ("{not json", "is not JSON"),
    ],
)
def test_bad_known_files(tmp_path, content, message):
    path = tmp_path / "known.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KnownFileError, match=message):
        load_known(path)


def test_missing_known_file_is_an_argument_error(make_spider, tmp_path):
    with pytest.raises(SpiderArgumentError, match="invalid arguments for spider jsonld: known:"):
        make_spider(JsonLdSpider, known=str(tmp_path / "absent.json"))


def test_no_known_file_means_nothing_known():
    assert not load_known(None)
    assert not load_known("")


def test_listing_cards_give_id_and_date(page):
    jobs = listed_jobs(page(f"{BOARD}/board/", "jsonld/known-listing-1.html"))
    assert jobs == [
        ListedJob(f"{BOARD}/board/1041/", "DCP-2026-0098", "2026-11-20"),
        ListedJob(f"{BOARD}/board/1042/", "1042", "2026-11-25"),
        ListedJob(f"{BOARD}/board/1043/", None, None),
        ListedJob(f"{BOARD}/board/ber-77/", "BER-77", "2026-11-19"),
    ]
    jobs = listed_jobs(page(f"{BOARD}/board/?page=2", "jsonld/known-listing-2.html"))
    assert jobs == [
        ListedJob(f"{BOARD}/board/r-3003/", "R-3003", "2026-11-21"),
        ListedJob(f"{BOARD}/board/5151/", None, "rev-7"),
    ]


def test_a_container_of_several_jobs_is_no_card():
    html = b"""<main data-id="page"><time datetime="2026-01-01">Jan 1</time>
      <p><a class="job-link" href="/j/1/">One</a> <a class="job-link" href="/j/2/">Two</a></p>
      <li><a class="job-link" href="/j/3/">Three</a> <a class="job-link" href="/j/3/#apply">Go</a>
          <time datetime="2026-02-02">Feb 2</time></li></main>"""
    response = HtmlResponse(f"{BOARD}/j/", body=html, encoding="utf-8")
    assert listed_jobs(response) == [
        ListedJob(f"{BOARD}/j/1/"), ListedJob(f"{BOARD}/j/2/"),
        ListedJob(f"{BOARD}/j/3/", None, "2026-02-02"),
    ]


def test_spider_skips_known_postings(make_spider, page, known_file):
    spider = make_spider(JsonLdSpider, known=str(known_file))
    results = list(spider.parse(page(f"{BOARD}/board/", "jsonld/known-listing-1.html"), page=1))
    assert [(r.url, r.cb_kwargs) for r in results] == [
        (f"{BOARD}/board/1042/", {"seen": {"listing_date": "2026-11-25"}}),
        (f"{BOARD}/board/ber-77/", {"seen": {"listing_date": "2026-11-19"}}),
        (f"{BOARD}/board/?page=2", {"page": 2}),
    ]
    assert spider.crawler.stats.get_value("incremental/skipped_known") == 2
    assert spider.crawler.stats.get_value("incremental/stopped_paging") is None


def test_spider_stops_paging_at_a_page_of_known_postings(make_spider, page, known_file):
    spider = make_spider(JsonLdSpider, known=str(known_file))
    response = page(f"{BOARD}/board/?page=2", "jsonld/known-listing-2.html")
    assert list(spider.parse(response, page=2)) == []
    assert spider.crawler.stats.get_value("incremental/skipped_known") == 2
    assert spider.crawler.stats.get_value("incremental/stopped_paging") == 1


def test_without_known_file_every_link_is_followed(make_spider, page):
    spider = make_spider(JsonLdSpider)
    response = page(f"{BOARD}/board/?page=2", "jsonld/known-listing-2.html")
    results = list(spider.parse(response, page=2))
    assert all(isinstance(r, Request) for r in results)
    assert len(results) == 3


# A real crawl over HTTP on 127.0.0.1 with a hand-written known file.

DETAILS = {
    "/board/1041/": "jsonld/job-two-blocks.html",
    "/board/1042/": "jsonld/job-graph.html",
    "/board/1043/": "jsonld/job-raw-newlines.html",
    "/board/ber-77/": "jsonld/job-array-euro-number.html",
    "/board/r-3003/": "jsonld/job-telecommute-graph.html",
    "/board/5151/": "jsonld/job-quantitative-value.html",
    "/board/md-6060/": "jsonld/job-microdata.html",
}


@pytest.fixture(scope="module")
def board():
    site = ScriptedSite({
        "/robots.txt": Reply(b"", content_type="text/plain"),
        "/board/": Reply(fixture("jsonld/known-listing-1.html")),
        "/board/?page=2": Reply(fixture("jsonld/known-listing-2.html")),
        "/board/?page=3": Reply(fixture("jsonld/known-listing-3.html")),
        **{path: Reply(fixture(name)) for path, name in DETAILS.items()},
    }).start()
    yield site
    site.stop()


def test_incremental_crawl_skips_known_pages_and_stops_paging(board, tmp_path):
    known = tmp_path / "known.json"
    known.write_text(json.dumps({key.replace(BOARD, board.url): value
                                 for key, value in KNOWN.items()}))
    run = crawl("jsonld", tmp_path, source="jsonld:demo-board", urls=f"{board.url}/board/",
                known=str(known))
    assert run.returncode == 0, run.log
    postings = run.by_id()
    assert sorted(postings) == ["1042", "BER-77"]
    assert postings["1042"]["raw"]["listing_date"] == "2026-11-25"
    assert run.stats["incremental/skipped_known"] == 4
    assert run.stats["incremental/stopped_paging"] == 1
    requested = {seen.path for seen in board.seen}
    assert {"/board/1041/", "/board/1043/", "/board/r-3003/", "/board/5151/"}.isdisjoint(requested)
    assert "/board/?page=3" not in requested
