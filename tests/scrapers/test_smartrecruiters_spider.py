"""smartrecruiters: NBCUniversal's postings (list pages, then details), offline and over HTTP."""

from scrapy import Request
from scrapy.http import TextResponse

from scrapers.items import Posting
from scrapers.offline import guess_kind, parse_saved
from scrapers.spiders.smartrecruiters import SmartRecruitersSpider, detail_url, job_ad_text
from tests.scrapers.ats_site import FIXTURES

API = "https://api.smartrecruiters.com/v1/companies/NBCUniversal3/postings"
FIRST_PAGE = f"{API}?limit=2&offset=0"
SCRAPED_AT = "2026-11-20T18:00:00+00:00"
SOURCE = "smartrecruiters:nbcuniversal"
SITE = "https://jobs.smartrecruiters.com/NBCUniversal3/"
BLURB = (
    "Company Description\n"
    "NBCUniversal owns and operates a valuable portfolio of news, sports and entertainment "
    "networks.\n"
)


def posting(**fields):
    base = dict.fromkeys(Posting.model_fields)
    base.update(source=SOURCE, company="NBCUniversal", description="", scraped_at=SCRAPED_AT)
    return {**base, **fields}


SNL_PA = posting(
    source_id="744000098765432",
    url=SITE + "744000098765432-production-assistant-saturday-night-live",
    title="Production Assistant, Saturday Night Live",
    production="Saturday Night Live",  # the department
    location="New York, NY",
    remote=False,
    employment_type="full_time",
    pay_min=20, pay_max=22, pay_currency="USD", pay_unit="hour",
    posted_at="2026-11-14T15:02:11+00:00",
    description=BLURB + (
        "Job Description\n"
        "The Production Assistant supports the producers of Saturday Night Live during the live "
        "season.\n"
        "Distribute scripts & rundowns\n"
        "Run errands between Studio 8H and the offices\n"
        "Qualifications\n"
        "Available nights and weekends\n"
        "Additional Information\n"
        "Pay Range: $20.00 - $22.00 per hour. This position is eligible for company-sponsored "
        "benefits."
    ),
    raw={
        "releasedDate": "2026-11-14T15:02:11.000Z",
        "typeOfEmployment": "Full-time",
        "experienceLevel": "Entry Level",
        "location": {"city": "New York", "region": "NY", "country": "us", "remote": False,
                     "hybrid": False, "fullLocation": "New York, NY, United States"},
        "refNumber": "R24-0451",
    },
)
EDITOR = posting(
    source_id="744000098765502",
    url=SITE + "744000098765502-post-production-editor",
    title="Post Production Editor",
    location="Los Angeles, CA",
    remote=True,
    employment_type="contract",
    pay_min=45, pay_max=55, pay_currency="USD", pay_unit="hour",
    posted_at="2026-11-19T18:20:00+00:00",
    description=BLURB + (  # the empty Qualifications section is left out
        "Job Description\n"
        "Cut promos and long-form pieces for Peacock originals in Avid.\n"
        "Additional Information\n"
        "Hourly pay range: $45.00 - $55.00."
    ),
    raw={
        "releasedDate": "2026-11-19T18:20:00.000Z",
        "typeOfEmployment": "Contract",
        "experienceLevel": "Mid-Senior Level",
        "location": {"city": "Los Angeles", "region": "California", "country": "us",
                     "remote": True, "fullLocation": "Los Angeles, California, United States"},
        "refNumber": "R24-0510",
    },
)
# From the first list page alone: no description, pay or posting URL slug.
SNL_PA_LISTED = posting(
    source_id="744000098765432",
    url=SITE + "744000098765432",
    title="Production Assistant, Saturday Night Live",
    production="Saturday Night Live",
    location="New York, NY",
    remote=False,
    employment_type="full_time",
    posted_at="2026-11-14T15:02:11+00:00",
    raw={
        "releasedDate": "2026-11-14T15:02:11.000Z",
        "typeOfEmployment": "Full-time",
        "experienceLevel": "Entry Level",
        "location": {"city": "New York", "region": "NY", "country": "us", "remote": False,
                     "latitude": "40.7587402", "longitude": "-73.9786736"},
        "refNumber": "R24-0451",
    },
)
PUBLICITY_LISTED = posting(
    source_id="744000098765433",
    url=SITE + "744000098765433",
    title="Coordinator, Late Night Publicity",
    location="Universal City, CA",
    remote=False,
    employment_type="full_time",
    posted_at="2026-11-10T13:45:00+00:00",
    raw={
        "releasedDate": "2026-11-10T13:45:00.000Z",
        "typeOfEmployment": "Full-time",
        "experienceLevel": "Associate",
        "location": {"city": "Universal City", "region": "CA", "country": "us", "remote": False},
        "refNumber": "R24-0460",
    },
)


def sr_spider(make_spider, **args):
    spider = make_spider(SmartRecruitersSpider, source=SOURCE, urls=FIRST_PAGE, **args)
    spider.scraped_at = SCRAPED_AT
    return spider


def detail(page, posting_id):
    return page(f"{API}/{posting_id}", f"smartrecruiters/posting-{posting_id}.json")


def test_list_page_asks_for_details_and_the_next_page(make_spider, page):
    spider = sr_spider(make_spider)
    requests = list(spider.parse(page(FIRST_PAGE, "smartrecruiters/nbcuniversal-postings-0.json")))

    assert [r.url for r in requests] == [
        f"{API}/744000098765432", f"{API}/744000098765433", f"{API}?limit=2&offset=2"
    ]
    assert all(isinstance(r, Request) for r in requests)
    assert requests[0].cb_kwargs["listing"]["refNumber"] == "R24-0451"
    assert requests[0].meta["handle_httpstatus_list"] == [404]
    assert requests[2].cb_kwargs == {"page": 2}


def test_last_page_stops_at_total_found(make_spider, page):
    spider = sr_spider(make_spider)
    url = f"{API}?limit=2&offset=2"
    requests = list(spider.parse(page(url, "smartrecruiters/nbcuniversal-postings-2.json")))
    # 744000098765501 has no `ref`: its detail URL is built from the list URL
    assert [r.url for r in requests] == [f"{API}/744000098765501", f"{API}/744000098765502"]


def test_details_give_exact_postings(make_spider, page):
    spider = sr_spider(make_spider)
    assert list(spider.parse_detail(detail(page, "744000098765432"))) == [SNL_PA]
    assert list(spider.parse_detail(detail(page, "744000098765502"))) == [EDITOR]
    Posting.model_validate(SNL_PA)
    Posting.model_validate(EDITOR)


def test_inactive_gone_and_broken_details_are_counted(make_spider, page):
    spider = sr_spider(make_spider)
    assert list(spider.parse_detail(detail(page, "744000098765433"))) == []
    gone = TextResponse(f"{API}/744000098765501", status=404, body=b"")
    assert list(spider.parse_detail(gone)) == []
    assert list(spider.parse_detail(TextResponse(f"{API}/1", body=b"[]"))) == []
    assert list(spider.parse(TextResponse(FIRST_PAGE, body=b'{"content": [{"name": "x"}]}'))) == []
    assert list(spider.parse(TextResponse(FIRST_PAGE, body=b'{"message": "x"}'))) == []
    stats = spider.crawler.stats
    assert stats.get_value("drop/smartrecruiters/inactive") == 1
    assert stats.get_value("drop/smartrecruiters/gone") == 1
    assert stats.get_value("drop/smartrecruiters/not_a_posting") == 1
    assert stats.get_value("drop/smartrecruiters/not_a_job") == 1
    assert stats.get_value("drop/smartrecruiters/no_content") == 1


def test_listing_fields_fill_what_the_detail_lacks(make_spider):
    spider = sr_spider(make_spider)
    listing = {"id": "9", "name": "Runner", "company": {"identifier": "NBCUniversal3",
                                                        "name": "NBCUniversal"}}
    response = TextResponse(f"{API}/9", body=b'{"id": "9", "jobAd": {"sections": {}}}')
    [found] = spider.parse_detail(response, listing=listing)
    assert (found["title"], found["company"], found["url"]) == ("Runner", "NBCUniversal",
                                                               SITE + "9")


def test_max_pages_and_empty_pages_stop_paging(make_spider, page):
    spider = sr_spider(make_spider, max_pages="1")
    requests = list(spider.parse(page(FIRST_PAGE, "smartrecruiters/nbcuniversal-postings-0.json")))
    assert len(requests) == 2  # the two details, no next page
    assert spider.crawler.stats.get_value("smartrecruiters/max_pages_reached") == 1
    empty = TextResponse(FIRST_PAGE, body=b'{"offset": 0, "limit": 2, "totalFound": 9, '
                                          b'"content": []}')
    assert list(spider.parse(empty)) == []


def test_detail_url_and_job_ad_text():
    assert detail_url({"id": "7", "ref": "not a url"}, f"{API}?limit=100&offset=0") == (
        f"{API}/7"
    )
    assert job_ad_text({"sections": {"jobDescription": {"text": "<p>Hi</p>"}}}) == "Hi"
    assert job_ad_text(None) == ""


def test_offline_parse_of_a_list_page_uses_list_fields():
    body = (FIXTURES / "smartrecruiters/nbcuniversal-postings-0.json").read_bytes()
    assert guess_kind(body) == "smartrecruiters"
    postings, dropped = parse_saved(body, url=FIRST_PAGE, source=SOURCE)
    assert [{**p, "scraped_at": SCRAPED_AT} for p in postings] == [SNL_PA_LISTED, PUBLICITY_LISTED]
    assert dropped == []


def test_offline_parse_of_details():
    body = (FIXTURES / "smartrecruiters/posting-744000098765432.json").read_bytes()
    assert guess_kind(body) == "smartrecruiters"
    postings, _ = parse_saved(body, url=f"{API}/744000098765432", source=SOURCE)
    assert [{**p, "scraped_at": SCRAPED_AT} for p in postings] == [SNL_PA]
    inactive = (FIXTURES / "smartrecruiters/posting-744000098765433.json").read_bytes()
    postings, dropped = parse_saved(inactive, url=f"{API}/744000098765433")
    assert postings == []
    assert dropped == [f"inactive: {API}/744000098765433"]


def test_smartrecruiters_crawl(ats_site, run_crawl):
    api = f"{ats_site.url}/v1/companies/NBCUniversal3/postings"
    run = run_crawl("smartrecruiters", source=SOURCE, urls=f"{api}?limit=2&offset=0")

    assert run.returncode == 0, run.log
    scraped_at = run.items[0]["scraped_at"]
    assert sorted(run.items, key=lambda p: p["source_id"]) == [
        {**SNL_PA, "scraped_at": scraped_at}, {**EDITOR, "scraped_at": scraped_at}
    ]
    assert run.stats["drop/smartrecruiters/inactive"] == 1
    assert run.stats["drop/smartrecruiters/gone"] == 1
    paths = [seen.path for seen in ats_site.requested("GET", "/v1/companies/NBCUniversal3")]
    assert "/v1/companies/NBCUniversal3/postings?limit=2&offset=2" in paths
    assert "/v1/companies/NBCUniversal3/postings/744000098765501" in paths  # built, then 404


def test_known_postings_are_not_fetched_again(make_spider, page, tmp_path):
    known = tmp_path / "known.json"
    known.write_text('{"744000098765432": "2026-11-14T15:02:11+00:00", '
                     '"744000098765433": "2026-11-01T00:00:00+00:00"}')
    spider = sr_spider(make_spider, known=str(known))
    requests = list(spider.parse(page(FIRST_PAGE, "smartrecruiters/nbcuniversal-postings-0.json")))
    # 433 was released again after the known date: fetched; 432 is unchanged: skipped
    assert [r.url for r in requests] == [f"{API}/744000098765433", f"{API}?limit=2&offset=2"]
    assert spider.crawler.stats.get_value("incremental/skipped_known") == 1
