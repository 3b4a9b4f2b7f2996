"""One real jsonld crawl of a rough board: rate limits, errors, redirects, timeouts, charsets.

The board's pages: a 429 with Retry-After then success, a 500 then success, a 500 for good, a
redirect to another host, a page over DOWNLOAD_MAXSIZE, a page slower than DOWNLOAD_TIMEOUT,
and on page 2 a windows-1252 page, an ISO-8859-1 page (declared in a meta tag only) and a
microdata page. Each test reads one aspect of the same crawl.
"""

import pytest
from scripted_site import Reply, ScriptedSite, crawl, fixture

RETRY_AFTER = 1
SETTINGS = ("DOWNLOAD_TIMEOUT=1", "RETRY_TIMES=1", "DOWNLOAD_MAXSIZE=60000",
            "DOWNLOAD_WARNSIZE=30000")


def huge_page() -> bytes:
    padding = "<p>" + "Lorem ipsum dolor sit amet. " * 40 + "</p>\n"
    body = fixture("jsonld/job-jsonld-and-microdata.html").decode()
    return body.replace("<body>", "<body>" + padding * 100).encode()


def rough_board(site: ScriptedSite) -> dict[str, Reply | list[Reply]]:
    elsewhere = site.url.replace("127.0.0.1", "localhost")
    return {
        "/robots.txt": Reply(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/jobs/": Reply(fixture("jsonld/rough-listing-1.html")),
        "/jobs/?page=2": Reply(fixture("jsonld/rough-listing-2.html")),
        "/jobs/busy/": [
            Reply(b"slow down", status=429, headers={"Retry-After": str(RETRY_AFTER)}),
            Reply(fixture("jsonld/job-two-blocks.html")),
        ],
        "/jobs/flaky/": [Reply(b"oops", status=500), Reply(fixture("jsonld/job-graph.html"))],
        "/jobs/down/": Reply(b"down", status=500),
        "/jobs/moved/": Reply(status=302, headers={"Location": f"{elsewhere}/offsite-landing/"}),
        "/moved-board/": Reply(status=301, headers={"Location": f"{elsewhere}/jobs/"}),
        "/offsite-landing/": Reply(fixture("jsonld/job-array-euro-number.html")),
        "/jobs/huge/": Reply(huge_page()),
        "/jobs/slow/": Reply(fixture("jsonld/job-quantitative-value.html"), delay=3),
        "/jobs/cp1252/": Reply(fixture("jsonld/job-windows-1252.html"),
                               content_type="text/html; charset=windows-1252"),
        "/jobs/latin1/": Reply(fixture("jsonld/job-latin1-meta.html"), content_type="text/html"),
        "/jobs/microdata/": Reply(fixture("jsonld/job-microdata.html")),
    }


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    site = ScriptedSite({}).start()
    site.routes.update(rough_board(site))
    run = crawl("jsonld", tmp_path_factory.mktemp("rough"), SETTINGS, source="jsonld:rough",
                urls=f"{site.url}/jobs/,{site.url}/moved-board/")
    yield site, run
    site.stop()


def test_crawl_finishes_with_the_pages_that_could_be_read(board):
    site, run = board
    assert run.returncode == 0, run.log
    assert sorted(run.by_id()) == ["1042", "DCP-2026-0098", "L-8859", "MD-6060", "W-1252"]
    assert site.requested("/jobs/?page=2"), "pagination was followed"
    assert "Spider closed (finished)" in run.log


def test_429_is_retried_after_the_retry_after_delay(board):
    site, run = board
    first, second = site.requested("/jobs/busy/")
    assert second.at - first.at >= RETRY_AFTER * 0.9
    assert second.at - first.at < RETRY_AFTER + 5
    assert run.stats["retry/delayed/retry_after"] == 1


def test_500_recovers_or_is_given_up_without_stopping_the_crawl(board):
    site, run = board
    assert len(site.requested("/jobs/flaky/")) == 2
    assert "1042" in run.by_id()
    assert len(site.requested("/jobs/down/")) == 2  # RETRY_TIMES=1
    assert run.stats["httperror/response_ignored_status_count/500"] == 1
    assert run.stats["retry/max_reached"] == 2  # /jobs/down/ and /jobs/slow/
    assert "Gave up retrying <GET " in run.log


def test_redirects_off_the_site_are_not_followed(board):
    site, run = board
    assert run.stats["offsite/redirect_filtered"] == 2
    assert not site.requested("/offsite-landing/")
    assert all(seen.host.startswith("127.0.0.1") for seen in site.seen)
    assert "BER-77" not in run.by_id()


def test_timeouts_are_retried_then_given_up(board):
    site, run = board
    assert len(site.requested("/jobs/slow/")) == 2
    assert run.stats[
        "downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError"
    ] == 2
    assert "5151" not in run.by_id()


def test_oversized_page_is_dropped_and_counted(board):
    site, run = board
    assert len(site.requested("/jobs/huge/")) == 1
    assert run.stats["download/too_large"] == 1
    assert "JL-1" not in run.by_id()


def test_non_utf8_pages_are_decoded_by_their_declared_charset(board):
    _, run = board
    postings = run.by_id()
    assert postings["W-1252"]["title"] == "Régisseur – Café Concert"
    assert postings["W-1252"]["description"] == (
        "“Les Nuits du Café” cherche un régisseur. Cachet 180 € par jour."
    )
    assert postings["L-8859"]["company"] == "Peñíscola Films"


def test_every_request_names_the_project(board):
    site, _ = board
    assert site.seen
    assert all(seen.user_agent.startswith("stepback/") for seen in site.seen)
