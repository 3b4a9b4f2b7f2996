"""ashby: Wrapbook's Ashby job board, parsed offline to exact postings and crawled over HTTP."""

from scrapy.http import TextResponse

from scrapers.items import Posting
from scrapers.offline import guess_kind, parse_saved
from scrapers.spiders.ashby import AshbySpider, ashby_location
from tests.scrapers.ats_site import FIXTURES

API = "https://api.ashbyhq.com/posting-api/job-board/wrapbook?includeCompensation=true"
SCRAPED_AT = "2026-11-20T18:00:00+00:00"
SOURCE = "ashby:wrapbook"
BOARD = "https://jobs.ashbyhq.com/wrapbook/"


def posting(**fields):
    base = dict.fromkeys(Posting.model_fields)
    base.update(source=SOURCE, company="Wrapbook", description="", scraped_at=SCRAPED_AT)
    return {**base, **fields}


PAYROLL = posting(
    source_id="0b7e3d52-6a1f-4c8e-9f0a-2d5b8c1e7a34",
    url=BOARD + "0b7e3d52-6a1f-4c8e-9f0a-2d5b8c1e7a34",
    title="Production Payroll Coordinator",
    location="Los Angeles, CA; New York, NY",
    remote=False,  # Hybrid
    employment_type="full_time",
    pay_min=65000, pay_max=85000, pay_currency="USD", pay_unit="year",
    posted_at="2026-11-12T17:04:31.218000+00:00",
    description=(
        "About Wrapbook\n"
        "Wrapbook pays the crews behind film, TV and commercial productions.\n"
        "What you'll do\n"
        "Process weekly payroll for union & non-union productions\n"
        "Answer crew questions about timecards"
    ),
    raw={
        "compensationTierSummary": "$65K – $85K • Offers Equity",
        "salarySummary": "$65K - $85K",
        "salaryComponent": {"compensationType": "Salary", "interval": "1 YEAR",
                            "currencyCode": "USD", "minValue": 65000, "maxValue": 85000},
        "publishedAt": "2026-11-12T17:04:31.218+00:00",
        "employmentType": "FullTime",
        "workplaceType": "Hybrid",
        "location": "Los Angeles",
    },
)
SUPPORT = posting(
    source_id="1c8f4e63-7b2a-4d9f-8a1b-3e6c9d2f8b45",
    url=BOARD + "1c8f4e63-7b2a-4d9f-8a1b-3e6c9d2f8b45",
    title="Crew Support Specialist",
    location="Remote - US",
    remote=True,
    employment_type="part_time",
    pay_min=24, pay_max=28, pay_currency="USD", pay_unit="hour",
    posted_at="2026-11-18T21:40:00+00:00",
    description="Help production accountants and crew members get paid on time, 20 hours a week.",
    raw={
        "compensationTierSummary": "$24 – $28 per hour",
        "salarySummary": "$24 - $28",
        "salaryComponent": {"compensationType": "Salary", "interval": "1 HOUR",
                            "currencyCode": "USD", "minValue": 24, "maxValue": 28},
        "publishedAt": "2026-11-18T21:40:00.000+00:00",
        "employmentType": "PartTime",
        "workplaceType": "Remote",
        "location": "Remote - US",
    },
)
INTERN = posting(  # no components: the pay comes from the tier summary text
    source_id="3eab6085-9d4c-4fb0-8c3d-5a8e1f4bad67",
    url=BOARD + "3eab6085-9d4c-4fb0-8c3d-5a8e1f4bad67",
    title="Production Accounting Intern",
    location="New York, NY",  # from the address, not "New York City Office"
    remote=False,
    employment_type="internship",
    pay_min=25, pay_max=25, pay_currency="USD", pay_unit="hour",
    posted_at="2026-11-20T14:05:12+00:00",
    description="A paid summer internship with our production accounting team.",
    raw={
        "compensationTierSummary": "$25/hr",
        "publishedAt": "2026-11-20T14:05:12.000+00:00",
        "employmentType": "Intern",
        "workplaceType": "OnSite",
        "location": "New York City Office",
    },
)
PRODUCER = posting(  # no pay published, no workplaceType
    source_id="4fbc7196-ae5d-40c1-9d4e-6b9f2a5cbe78",
    url=BOARD + "4fbc7196-ae5d-40c1-9d4e-6b9f2a5cbe78",
    title="Video Producer, Brand",
    location="Toronto, Canada",
    remote=False,  # isRemote false
    employment_type="contract",
    posted_at="2026-11-05T19:30:00+00:00",
    description="Produce customer stories on real sets, three-month contract.",
    raw={
        "publishedAt": "2026-11-05T19:30:00.000+00:00",
        "employmentType": "Contract",
        "location": "Toronto",
    },
)


def ashby_spider(make_spider, **args):
    spider = make_spider(AshbySpider, source=SOURCE, urls=API, **args)
    spider.scraped_at = SCRAPED_AT
    return spider


def test_board(make_spider, page):
    spider = ashby_spider(make_spider)
    postings = list(spider.parse(page(API, "ashby/wrapbook-jobs.json")))

    assert postings == [PAYROLL, SUPPORT, INTERN, PRODUCER]
    assert spider.crawler.stats.get_value("drop/ashby/unlisted") == 1  # Senior Accountant
    for item in postings:
        Posting.model_validate(item)


def test_company_argument_beats_the_board_name(make_spider, page):
    spider = ashby_spider(make_spider, company="Wrapbook Inc.")
    postings = list(spider.parse(page(API, "ashby/wrapbook-jobs.json")))
    assert {p["company"] for p in postings} == {"Wrapbook Inc."}


def test_errors_are_counted(make_spider):
    spider = ashby_spider(make_spider)
    assert list(spider.parse(TextResponse(API, status=404, body=b"Not Found"))) == []
    assert list(spider.parse(TextResponse(API, body=b"{"))) == []
    assert list(spider.parse(TextResponse(API, body=b'{"apiVersion": "1"}'))) == []
    assert list(spider.parse(TextResponse(API, body=b'{"jobs": ["x"]}'))) == []
    stats = spider.crawler.stats
    assert stats.get_value("drop/ashby/board_not_found") == 1
    assert stats.get_value("drop/ashby/broken_json") == 1
    assert stats.get_value("drop/ashby/no_jobs_list") == 1
    assert stats.get_value("drop/ashby/not_a_job") == 1


def test_location_from_names_when_addresses_are_missing():
    job = {"location": "Los Angeles, California",
           "secondaryLocations": [{"location": "Atlanta, GA"}, {"location": "Los Angeles, CA"},
                                  "odd"]}
    assert ashby_location(job) == "Los Angeles, CA; Atlanta, GA"
    assert ashby_location({}) is None


def test_offline_parse_guesses_ashby():
    body = (FIXTURES / "ashby/wrapbook-jobs.json").read_bytes()
    assert guess_kind(body) == "ashby"
    postings, dropped = parse_saved(body, url=API, source=SOURCE)
    assert [{**p, "scraped_at": SCRAPED_AT} for p in postings] == [
        PAYROLL, SUPPORT, INTERN, PRODUCER
    ]
    assert dropped == [f"unlisted: {API}"]


def test_ashby_crawl(ats_site, run_crawl):
    url = f"{ats_site.url}/posting-api/job-board/wrapbook?includeCompensation=true"
    missing = f"{ats_site.url}/posting-api/job-board/nobody?includeCompensation=true"
    run = run_crawl("ashby", source=SOURCE, urls=f"{url},{missing}")

    assert run.returncode == 0, run.log
    scraped_at = run.items[0]["scraped_at"]
    assert run.items == [{**p, "scraped_at": scraped_at}
                         for p in (PAYROLL, SUPPORT, INTERN, PRODUCER)]
    assert run.stats["drop/ashby/unlisted"] == 1
    assert run.stats["drop/ashby/board_not_found"] == 1
