"""workday: Disney's Workday CXS site (POSTed list pages, then details), offline and over HTTP."""

import asyncio
import json
from datetime import date, timedelta

from scrapy import Request
from scrapy.http import JsonRequest, TextResponse
from twisted.python.failure import Failure

from scrapers.items import Posting
from scrapers.offline import guess_kind, parse_saved
from scrapers.spiders.workday import CxsSite, WorkdaySpider, workday_id, workday_location
from tests.scrapers.ats_site import FIXTURES

HOST = "https://disney.wd5.myworkdayjobs.com"
CXS = f"{HOST}/wday/cxs/disney/disneycareer"
JOBS = f"{CXS}/jobs"
SCRAPED_AT = "2026-11-20T18:00:00+00:00"
SOURCE = "workday:disney"
KIMMEL_PATH = "/job/Hollywood-CA-USA/Production-Assistant--Jimmy-Kimmel-Live-_10123456"
FINANCE_PATH = "/job/Burbank-CA-USA/Coordinator--Production-Finance_10123999"
POST_PATH = "/job/Glendale-CA-USA/Post-Production-Supervisor_10124100"
LONDON_PATH = (
    "/job/London-England-United-Kingdom/Production-Coordinator--Disney--Originals_10124333-1"
)


def posting(**fields):
    base = dict.fromkeys(Posting.model_fields)
    base.update(source=SOURCE, description="", scraped_at=SCRAPED_AT)
    return {**base, **fields}


KIMMEL = posting(
    source_id="10123456",
    url=f"{HOST}/disneycareer{KIMMEL_PATH}",  # externalUrl
    title="Production Assistant, Jimmy Kimmel Live!",
    company="ABC Inc.",  # hiringOrganization
    production="Jimmy Kimmel Live!",
    location="Hollywood, CA",
    remote=False,
    employment_type="full_time",
    pay_min=20, pay_max=22, pay_currency="USD", pay_unit="hour",
    posted_at="2026-11-20",
    description=(
        "About the role\n"
        'ABC is looking for a Production Assistant on "Jimmy Kimmel Live!" to support the '
        "segment producers.\n"
        "Prepare rundowns & scripts\n"
        "Escort guests to the studio\n"
        "The hiring range for this position in California is $20.00 to $22.00 per hour."
    ),
    raw={"postedOn": "Posted Today", "startDate": "2026-11-20", "timeType": "Full time",
         "remoteType": "On-site", "jobReqId": "10123456", "country": "US"},
)
FINANCE = posting(  # listed as "7 Locations"
    source_id="10123999",
    url=f"{HOST}/disneycareer{FINANCE_PATH}",
    title="Coordinator, Production Finance",
    company="Disney Entertainment",
    location=(
        "Burbank, CA; Glendale, CA; Los Angeles, CA; New York, NY; Atlanta, GA; London, UK; "
        "Vancouver, Canada"
    ),
    remote=False,  # Hybrid
    employment_type="full_time",
    pay_min=58000, pay_max=75000, pay_currency="USD", pay_unit="year",
    posted_at="2026-11-19",
    description=(
        "Support production accountants across our scripted series.\n"
        "The hiring range for this position in Burbank, CA is $58,000 to $75,000 per year."
    ),
    raw={"postedOn": "Posted Yesterday", "startDate": "2026-11-19", "timeType": "Full time",
         "remoteType": "Hybrid", "jobReqId": "10123999", "country": "US"},
)
POST_SUPERVISOR = posting(  # no startDate, no externalUrl
    source_id="10124100",
    url=f"{HOST}/en-US/disneycareer{POST_PATH}",
    title="Post Production Supervisor",
    company="Disney Entertainment",
    location="Glendale, CA",
    employment_type="part_time",
    posted_at="2026-10-21",  # "Posted 30+ Days Ago": 30 days before the crawl, at the latest
    description="Oversee picture and sound post for unscripted series.",
    raw={"postedOn": "Posted 30+ Days Ago", "timeType": "Part time", "jobReqId": "10124100",
         "country": "US"},
)
LONDON = posting(  # no hiringOrganization: the tenant's name
    source_id="10124333-1",
    url=f"{HOST}/en-US/disneycareer{LONDON_PATH}",
    title="Production Coordinator, Disney+ Originals",
    company="Disney",
    location="London, UK",
    remote=False,
    employment_type="full_time",
    pay_min=32000, pay_max=36000, pay_currency="GBP", pay_unit="year",
    posted_at="2026-11-18",
    valid_through="2026-12-18",
    description=(
        "Coordinate UK-produced originals from development to delivery.\n"
        "Salary: £32,000 - £36,000 per annum."
    ),
    raw={"postedOn": "Posted 2 Days Ago", "startDate": "2026-11-18", "endDate": "2026-12-18",
         "timeType": "Full time", "remoteType": "Hybrid", "jobReqId": "10124333",
         "country": "GB"},
)
DETAILS = [(KIMMEL_PATH, "10123456", KIMMEL), (FINANCE_PATH, "10123999", FINANCE),
           (POST_PATH, "10124100", POST_SUPERVISOR), (LONDON_PATH, "10124333-1", LONDON)]


def workday_spider(make_spider, **args):
    spider = make_spider(WorkdaySpider, source=SOURCE, urls=JOBS, **args)
    spider.scraped_at = SCRAPED_AT
    return spider


def list_page(page, offset):
    return page(JOBS, f"workday/disney-jobs-offset-{offset}.json")


async def first_request(spider):
    return [request async for request in spider.start()][0]


def test_start_posts_the_search(make_spider):
    spider = workday_spider(make_spider)
    request = asyncio.run(first_request(spider))
    assert isinstance(request, JsonRequest)
    assert request.method == "POST"
    assert request.headers[b"Content-Type"] == b"application/json"
    assert json.loads(request.body) == {"appliedFacets": {}, "limit": 20, "offset": 0,
                                        "searchText": ""}


def test_first_page_asks_for_details_and_the_next_page(make_spider, page):
    spider = workday_spider(make_spider, page_size="2")
    requests = list(spider.parse(list_page(page, 0), offset=0, total=None, page=1))

    assert [r.url for r in requests] == [f"{CXS}{KIMMEL_PATH}", f"{CXS}{FINANCE_PATH}", JOBS]
    detail, next_page = requests[0], requests[2]
    assert detail.method == "GET" and detail.meta["handle_httpstatus_list"] == [404]
    assert detail.cb_kwargs["listing"]["bulletFields"] == ["10123456"]
    assert json.loads(next_page.body)["offset"] == 2
    assert next_page.cb_kwargs == {"offset": 2, "total": 5, "page": 2}


def test_later_pages_keep_the_first_total(make_spider, page):
    spider = workday_spider(make_spider, page_size="2")
    second = list(spider.parse(list_page(page, 2), offset=2, total=5, page=2))
    assert [json.loads(r.body)["offset"] for r in second if r.method == "POST"] == [4]
    third = list(spider.parse(list_page(page, 4), offset=4, total=5, page=3))
    assert [r.method for r in third] == ["GET"]  # offset 6 would pass the total of 5


def test_empty_page_or_max_pages_stops(make_spider, page):
    spider = workday_spider(make_spider, page_size="2", max_pages="1")
    requests = list(spider.parse(list_page(page, 0), offset=0, total=None, page=1))
    assert all(r.method == "GET" for r in requests)
    assert spider.crawler.stats.get_value("workday/max_pages_reached") == 1
    empty = TextResponse(JOBS, body=b'{"total": 0, "jobPostings": []}')
    assert list(spider.parse(empty, offset=20, total=500, page=2)) == []


def test_details_give_exact_postings(make_spider, page):
    spider = workday_spider(make_spider)
    for path, fixture, expected in DETAILS:
        listing = {"externalPath": path}
        found = list(spider.parse_detail(page(f"{CXS}{path}", f"workday/job-{fixture}.json"),
                                         listing=listing))
        assert found == [expected]
        Posting.model_validate(expected)


def test_gone_and_broken_details_are_counted(make_spider):
    spider = workday_spider(make_spider)
    gone = TextResponse(f"{CXS}/job/Burbank-CA-USA/Runner_10124222", status=404, body=b"")
    assert list(spider.parse_detail(gone)) == []
    assert list(spider.parse_detail(TextResponse(f"{CXS}/job/x_1", body=b'{"x": 1}'))) == []
    assert list(spider.parse(TextResponse(JOBS, body=b'{"errorCode": "HTTP_422"}'))) == []
    odd = b'{"total": 2, "jobPostings": [{"title": "No path"}, 7]}'
    assert list(spider.parse(TextResponse(JOBS, body=odd))) == []
    stats = spider.crawler.stats
    assert stats.get_value("drop/workday/gone") == 1
    assert stats.get_value("drop/workday/no_job_posting_info") == 1
    assert stats.get_value("drop/workday/no_job_postings") == 1
    assert stats.get_value("drop/workday/not_a_job") == 2


def test_cxs_site_and_ids():
    site = CxsSite.from_url(JOBS)
    assert site == CxsSite(HOST, "/wday/cxs/disney/disneycareer", "disney", "disneycareer")
    assert site.external_path(f"{CXS}{KIMMEL_PATH}") == KIMMEL_PATH
    assert site.public_url(KIMMEL_PATH) == f"{HOST}/en-US/disneycareer{KIMMEL_PATH}"
    assert CxsSite.from_url("https://disney.wd5.myworkdayjobs.com/en-US/disneycareer") is None
    assert workday_id(LONDON_PATH) == "10124333-1"
    assert workday_id("/job/Somewhere/No-Id") == "/job/Somewhere/No-Id"
    assert workday_id(None) is None


def test_location_from_the_listing_unless_it_only_counts():
    assert workday_location({}, {"locationsText": "Burbank, CA, USA"}) == "Burbank, CA"
    assert workday_location({}, {"locationsText": "7 Locations"}) is None
    assert workday_location({"location": "Toronto", "country": {"alpha2Code": "CA"}}, {}) == (
        "Toronto, Canada"
    )


def test_offline_parse_of_a_list_page_uses_list_fields():
    body = (FIXTURES / "workday/disney-jobs-offset-0.json").read_bytes()
    assert guess_kind(body) == "workday"
    postings, dropped = parse_saved(body, url=JOBS, source=SOURCE, company="The Walt Disney Co.")
    crawled_on = date.fromisoformat(postings[0]["scraped_at"][:10])
    assert dropped == []
    assert postings == [
        posting(source_id="10123456", url=f"{HOST}/en-US/disneycareer{KIMMEL_PATH}",
                title="Production Assistant, Jimmy Kimmel Live!", company="The Walt Disney Co.",
                location="Hollywood, CA", posted_at=crawled_on.isoformat(),
                scraped_at=postings[0]["scraped_at"],
                raw={"postedOn": "Posted Today", "jobReqId": "10123456",
                     "locationsText": "Hollywood, CA, USA"}),
        posting(source_id="10123999", url=f"{HOST}/en-US/disneycareer{FINANCE_PATH}",
                title="Coordinator, Production Finance", company="The Walt Disney Co.",
                posted_at=(crawled_on - timedelta(days=1)).isoformat(),
                scraped_at=postings[1]["scraped_at"],
                raw={"postedOn": "Posted Yesterday", "jobReqId": "10123999",
                     "locationsText": "7 Locations"}),
    ]


def test_offline_parse_of_a_detail():
    body = (FIXTURES / "workday/job-10123456.json").read_bytes()
    assert guess_kind(body) == "workday"
    postings, dropped = parse_saved(body, url=f"{CXS}{KIMMEL_PATH}", source=SOURCE,
                                    company="The Walt Disney Co.")
    assert [{**p, "scraped_at": SCRAPED_AT} for p in postings] == [KIMMEL]  # its own company
    assert dropped == []


def test_workday_crawl(ats_site, run_crawl):
    run = run_crawl("workday", source=SOURCE, page_size="2",
                    urls=f"{ats_site.url}/wday/cxs/disney/disneycareer/jobs")

    assert run.returncode == 0, run.log
    scraped_at = run.items[0]["scraped_at"]
    thirty_days_back = date.fromisoformat(scraped_at[:10]) - timedelta(days=30)
    listed_as = ["Hollywood, CA, USA", "7 Locations", "Glendale, CA, USA",
                 "London, England, United Kingdom"]
    expected = [
        KIMMEL,
        FINANCE,
        {**POST_SUPERVISOR, "posted_at": thirty_days_back.isoformat(),
         "url": f"{ats_site.url}/en-US/disneycareer{POST_PATH}"},
        {**LONDON, "url": f"{ats_site.url}/en-US/disneycareer{LONDON_PATH}"},
    ]
    expected = [  # the listing's own locationsText joins the detail's raw values
        {**p, "scraped_at": scraped_at, "raw": {**p["raw"], "locationsText": text}}
        for p, text in zip(expected, listed_as, strict=True)
    ]
    assert sorted(run.items, key=lambda p: p["source_id"]) == expected
    assert run.stats["drop/workday/gone"] == 1  # the Runner's detail answers 404
    searches = ats_site.requested("POST", "/wday/cxs/disney/disneycareer/jobs")
    assert [seen.body["offset"] for seen in searches] == [0, 2, 4]
    assert all(seen.content_type == "application/json" for seen in searches)
    assert all(seen.body["limit"] == 2 and seen.body["appliedFacets"] == {} for seen in searches)


def test_known_postings_are_not_fetched_again(make_spider, page, tmp_path):
    known = tmp_path / "known.json"
    known.write_text('{"10123456": "2026-11-20", "10123999": "2026-11-01"}')
    spider = workday_spider(make_spider, page_size="2", known=str(known))
    requests = list(spider.parse(list_page(page, 0), offset=0, total=None, page=1))
    # "Posted Today" is no later than known; "Posted Yesterday" (11-19) is later than 11-01
    assert [r.url for r in requests] == [f"{CXS}{FINANCE_PATH}", JOBS]
    assert spider.crawler.stats.get_value("incremental/skipped_known") == 1


def test_failed_detail_is_counted(make_spider):
    spider = workday_spider(make_spider)
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = Request(f"{CXS}{KIMMEL_PATH}")
    spider.detail_failed(failure)
    assert spider.crawler.stats.get_value("drop/workday/detail_failed") == 1
