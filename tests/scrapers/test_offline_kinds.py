"""scrapers.offline: which format a saved body is, and the `company` argument for every kind."""

import pytest

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
