"""scrapers.offline: which format a saved body is, and the `company` argument for every kind."""

import pytest
from scrapy.utils.test import get_crawler

from scrapers import offline
from scrapers.offline import SPIDERS, guess_kind, parse_saved
from tests.scrapers.ats_site import FIXTURES


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("jsonld/job-graph.html", "jsonld"),
        ("rss/ecnjcat112.xml", "rss"),
        ("rss/jobs-atom.xml", "rss"),
        ("greenhouse/a24-jobs.json", "greenhouse"),
        ("lever/skydance-postings-0.json", "lever"),
        ("lever/not-found.json", "lever"),
        ("ashby/wrapbook-jobs.json", "ashby"),
        ("smartrecruiters/nbcuniversal-postings-0.json", "smartrecruiters"),
        ("smartrecruiters/posting-744000098765432.json", "smartrecruiters"),
        ("workday/disney-jobs-offset-0.json", "workday"),
        ("workday/job-10123456.json", "workday"),
    ],
)
def test_guess_kind(fixture, kind):
    assert guess_kind((FIXTURES / fixture).read_bytes()) == kind


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"[]", "lever"),
        (b'{"jobs": [], "meta": {"total": 0}}', "greenhouse"),
        (b'{"jobs": [{"title": "PA", "jobUrl": "https://jobs.ashbyhq.com/x/1"}]}', "ashby"),
        (b'{"offset": 0, "limit": 100, "totalFound": 0, "content": []}', "smartrecruiters"),
        (b'{"total": 0, "jobPostings": []}', "workday"),
        (b"{broken", "greenhouse"),  # the greenhouse spider then reports broken_json
    ],
)
def test_guess_kind_of_small_bodies(body, kind):
    assert guess_kind(body) == kind


def test_every_kind_is_known():
    assert set(SPIDERS) == {"jsonld", "greenhouse", "rss", "lever", "ashby", "smartrecruiters",
                            "workday"}
    with pytest.raises(ValueError, match="unknown kind 'icims'"):
        parse_saved(b"{}", url="https://example.com/", kind="icims")


def test_company_fills_only_what_the_format_leaves_empty():
    body = (FIXTURES / "greenhouse/a24-jobs.json").read_bytes()
    # no /boards/{token} in the URL, so only jobs with their own company_name have one
    postings, _ = parse_saved(body, url="https://example.com/saved.json", company="A24 Films")
    companies = {p["source_id"]: p["company"] for p in postings}
    assert companies["4823109007"] == "A24"  # its own company_name
    assert companies["4831001007"] == "A24 Films"


def test_company_beats_the_name_guessed_from_the_url():
    body = (FIXTURES / "ashby/wrapbook-jobs.json").read_bytes()
    url = "https://api.ashbyhq.com/posting-api/job-board/wrapbook?includeCompensation=true"
    guessed, _ = parse_saved(body, url=url)
    named, _ = parse_saved(body, url=url, company="Wrapbook, Inc.")
    assert {p["company"] for p in guessed} == {"Wrapbook"}
    assert {p["company"] for p in named} == {"Wrapbook, Inc."}
    assert [p["source"] for p in named] == ["ashby:saved"] * 4


ASHBY_API = "https://api.ashbyhq.com/posting-api/job-board/wrapbook?includeCompensation=true"
LEVER_API = "https://api.lever.co/v0/postings/skydance?mode=json"


def _without_scrape_time(postings):
    return [{**p, "scraped_at": None} for p in postings]


def test_repeated_parses_give_the_same_postings_and_drops():
    body = (FIXTURES / "ashby/wrapbook-jobs.json").read_bytes()
    first = parse_saved(body, url=ASHBY_API)
    second = parse_saved(body, url=ASHBY_API)
    assert _without_scrape_time(first[0]) == _without_scrape_time(second[0])
    assert first[1] == second[1] == [f"unlisted: {ASHBY_API}"]


def test_drops_of_one_parse_do_not_leak_into_the_next():
    parse_saved((FIXTURES / "ashby/wrapbook-jobs.json").read_bytes(), url=ASHBY_API)
    gone = "https://api.lever.co/v0/postings/gone?mode=json"
    assert parse_saved((FIXTURES / "lever/not-found.json").read_bytes(), url=gone)[1] == [
        f"api_error: {gone}"
    ]
    postings, dropped = parse_saved(
        (FIXTURES / "lever/skydance-postings-0.json").read_bytes(), url=LEVER_API
    )
    assert postings and dropped == []


def test_arguments_of_one_parse_do_not_leak_into_the_next():
    body = (FIXTURES / "ashby/wrapbook-jobs.json").read_bytes()
    named, _ = parse_saved(body, url=ASHBY_API, source="ashby:first", company="Wrapbook, Inc.")
    guessed, _ = parse_saved(body, url=ASHBY_API)
    assert {(p["source"], p["company"]) for p in named} == {("ashby:first", "Wrapbook, Inc.")}
    assert {(p["source"], p["company"]) for p in guessed} == {("ashby:saved", "Wrapbook")}


def test_one_crawler_per_kind_however_many_parses(monkeypatch):
    built = []

    def counting_get_crawler(*args, **kwargs):
        built.append(args[0].name)
        return get_crawler(*args, **kwargs)

    monkeypatch.setattr(offline, "get_crawler", counting_get_crawler)
    offline._crawler.cache_clear()
    greenhouse = (FIXTURES / "greenhouse/a24-jobs.json").read_bytes()
    ashby = (FIXTURES / "ashby/wrapbook-jobs.json").read_bytes()
    try:
        for _ in range(3):
            parse_saved(greenhouse, url="https://boards-api.greenhouse.io/v1/boards/a24/jobs")
            parse_saved(ashby, url=ASHBY_API)
    finally:
        offline._crawler.cache_clear()
    assert sorted(built) == ["ashby", "greenhouse"]
