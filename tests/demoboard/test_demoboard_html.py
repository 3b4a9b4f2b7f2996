"""The HTML board: paged listing, detail pages with schema.org JobPosting JSON-LD, 404s."""

import json
from datetime import datetime
from typing import Any
from urllib.parse import urljoin
from urllib.robotparser import RobotFileParser

from parsel import Selector

from stepback.demoboard import DemoBoard
from stepback.demoboard.catalog import detail_path, ecn_path

from .support import fetch, job_postings, jsonld_scripts

Posting = dict[str, Any]

EMPLOYMENT_ENUM = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "freelance": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
    "per_diem": "PER_DIEM",
    "other": "VOLUNTEER",
}


def _html_postings(postings: list[Posting]) -> list[Posting]:
    return [p for p in postings if "html" in p["channels"]]


def _crawl_listing(board: DemoBoard) -> list[Selector]:
    pages, url = [], board.url + "/jobs/"
    while url:
        response = fetch(url)
        assert response.status == 200
        page = Selector(text=response.text)
        pages.append(page)
        next_href = page.css('a[rel="next"]::attr(href)').get()
        url = urljoin(url, next_href) if next_href else ""
        assert len(pages) < 50, "pagination does not end"
    return pages


def _page(board: DemoBoard, posting: Posting) -> str:
    response = fetch(board.url + detail_path(posting))
    assert response.status == 200, posting["id"]
    return response.text


def test_listing_pagination_reaches_every_html_posting_exactly_once(
    board: DemoBoard, postings: list[Posting]
) -> None:
    pages = _crawl_listing(board)
    hrefs = [href for page in pages for href in page.css("a.job-link::attr(href)").getall()]
    expected = _html_postings(postings)
    assert sorted(hrefs) == sorted(detail_path(p) for p in expected)
    assert len(hrefs) == len(set(hrefs))
    sizes = [len(page.css("a.job-link")) for page in pages]
    assert all(size == 10 for size in sizes[:-1]) and 1 <= sizes[-1] <= 10
    assert len(pages) == -(-len(expected) // 10)


def test_listing_is_newest_first_with_company_and_location(board: DemoBoard) -> None:
    cards = [card for page in _crawl_listing(board) for card in page.css("li.job-card")]
    stamps = [datetime.fromisoformat(card.css("time::attr(datetime)").get()) for card in cards]
    assert stamps == sorted(stamps, reverse=True)
    assert all(card.css(".company::text").get() and card.css(".location::text").get()
               for card in cards)  # fmt: skip


def test_listing_prev_and_next_links(board: DemoBoard) -> None:
    first = Selector(text=fetch(board.url + "/jobs/").text)
    assert first.css('a[rel="prev"]').get() is None
    assert first.css('a[rel="next"]::attr(href)').get() == "/jobs/?page=2"
    second = Selector(text=fetch(board.url + "/jobs/?page=2").text)
    assert second.css('a[rel="prev"]::attr(href)').get() == "/jobs/?page=1"
    assert second.css('a[rel="next"]::attr(href)').get() == "/jobs/?page=3"


def test_listing_pages_out_of_range_are_404(board: DemoBoard) -> None:
    for query in ["?page=0", "?page=99", "?page=two", "?page=-1"]:
        assert fetch(board.url + "/jobs/" + query).status == 404, query


def test_every_detail_page_has_one_job_posting_matching_its_record(
    board: DemoBoard, postings: list[Posting]
) -> None:
    for posting in _html_postings(postings):
        page = _page(board, posting)
        jobs = job_postings(page)
        assert len(jobs) == 1, posting["id"]
        job = jobs[0]
        assert job["title"] == posting["title"]
        assert job["description"] == posting["description_html"]
        assert job["datePosted"] == posting["date_posted"]
        assert job.get("validThrough") == posting["valid_through"]
        assert job["hiringOrganization"] == {"@type": "Organization", "name": posting["company"]}
        assert job["identifier"]["value"] == posting["id"]
        assert job["employmentType"] == EMPLOYMENT_ENUM[posting["employment_type"]]
        visible = Selector(text=page)
        assert visible.css("h1.job-title::text").get() == posting["title"]


def test_location_is_a_postal_address_or_telecommute(
    board: DemoBoard, postings: list[Posting]
) -> None:
    remote = next(p for p in _html_postings(postings) if p["remote"])
    job = job_postings(_page(board, remote))[0]
    assert job["jobLocationType"] == "TELECOMMUTE"
    assert job["applicantLocationRequirements"]["@type"] == "Country"
    assert "jobLocation" not in job
    london = next(p for p in _html_postings(postings) if p["city"] == "London")
    address = job_postings(_page(board, london))[0]["jobLocation"]["address"]
    assert address == {"@type": "PostalAddress", "addressLocality": "London",
                       "addressCountry": "GB"}  # fmt: skip


def test_base_salary_is_present_exactly_when_pay_is_known(
    board: DemoBoard, postings: list[Posting]
) -> None:
    units = {"hour": "HOUR", "day": "DAY", "week": "WEEK", "year": "YEAR"}
    for posting in _html_postings(postings):
        job = job_postings(_page(board, posting))[0]
        if posting["pay_min"] is None:
            assert "baseSalary" not in job
            continue
        salary = job["baseSalary"]
        assert salary["@type"] == "MonetaryAmount"
        assert salary["currency"] == posting["pay_currency"]
        value = salary["value"]
        assert value["@type"] == "QuantitativeValue"
        assert (value["minValue"], value["maxValue"]) == (posting["pay_min"], posting["pay_max"])
        assert value["unitText"] == units[posting["pay_unit"]]


def test_script_blocks_escape_closing_tags(board: DemoBoard, postings: list[Posting]) -> None:
    oscars = next(p for p in postings if p["title"] == "Production Assistant – 99th Oscars")
    page = _page(board, oscars)
    scripts = jsonld_scripts(page)
    assert len(scripts) == 2
    for script in scripts:
        assert "</" not in script
    assert "</p>" in job_postings(page)[0]["description"]


def test_messy_json_ld_shapes_still_hold_one_job_posting(
    board: DemoBoard, postings: list[Posting]
) -> None:
    shapes = {p["jsonld_shape"]: p for p in _html_postings(postings)}
    assert {"single", "breadcrumbs", "graph", "array"} <= set(shapes)

    scripts = jsonld_scripts(_page(board, shapes["breadcrumbs"]))
    assert [json.loads(s)["@type"] for s in scripts] == ["BreadcrumbList", "JobPosting"]

    (graph,) = [json.loads(s) for s in jsonld_scripts(_page(board, shapes["graph"]))]
    assert "@type" not in graph
    assert [node["@type"] for node in graph["@graph"]] == ["WebPage", "JobPosting"]

    (array,) = [json.loads(s) for s in jsonld_scripts(_page(board, shapes["array"]))]
    assert isinstance(array, list)
    assert [node["@type"] for node in array] == ["JobPosting", "Organization"]

    for posting in shapes.values():
        assert len(job_postings(_page(board, posting))) == 1


def test_unknown_and_unlisted_jobs_are_404(board: DemoBoard, postings: list[Posting]) -> None:
    assert fetch(board.url + "/jobs/999999/no-such-job/").status == 404
    greenhouse_only = next(
        p for p in postings if all(c.startswith("greenhouse:") for c in p["channels"])
    )
    assert fetch(board.url + detail_path(greenhouse_only)).status == 404
    assert fetch(board.url + "/no/such/page").status == 404


def test_wrong_or_missing_slug_redirects_to_the_canonical_page(
    board: DemoBoard, postings: list[Posting]
) -> None:
    posting = _html_postings(postings)[0]
    for path in [f"/jobs/{posting['id']}/", f"/jobs/{posting['id']}/old-slug/"]:
        response = fetch(board.url + path, follow_redirects=False)
        assert response.status == 301
        assert response.headers["Location"] == detail_path(posting)


def test_ecn_style_job_url_renders_the_detail(board: DemoBoard, postings: list[Posting]) -> None:
    rss_only = next(p for p in postings if p["channels"] == ["rss:ecnjcat112"])
    response = fetch(board.url + ecn_path(rss_only) + "?utm_source=rss")
    assert response.status == 200
    assert job_postings(response.text)[0]["identifier"]["value"] == rss_only["id"]
    canonical = Selector(text=response.text).css('link[rel="canonical"]::attr(href)').get()
    assert canonical == board.url + detail_path(rss_only)


def test_robots_txt_allows_all_but_admin(board: DemoBoard) -> None:
    response = fetch(board.url + "/robots.txt")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(response.text.splitlines())
    assert robots.can_fetch("stepback", board.url + "/jobs/")
    assert robots.can_fetch("stepback", board.url + "/rss/ecnjcat112")
    assert not robots.can_fetch("stepback", board.url + "/admin/users")
    assert fetch(board.url + "/admin/").status == 403


def test_home_page_links_the_board_and_feeds(board: DemoBoard) -> None:
    page = Selector(text=fetch(board.url + "/").text)
    hrefs = page.css("a::attr(href)").getall()
    assert "/jobs/" in hrefs
    assert {"/rss/ecnjcat112", "/rss/ecnjcat127", "/rss/ecnjcat124"} <= set(hrefs)
    assert [json.loads(s)["@type"] for s in jsonld_scripts(page.get())] == ["WebSite"]
