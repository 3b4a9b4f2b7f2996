"""lever: Skydance's Lever postings, parsed offline to exact postings and crawled over HTTP."""

from scrapy import Request
from scrapy.http import TextResponse

from scrapers.items import Posting
from scrapers.offline import guess_kind, parse_saved
from scrapers.spiders.lever import LeverSpider, lever_description
from tests.scrapers.ats_site import FIXTURES

API = "https://api.lever.co/v0/postings/skydance?mode=json&limit=3"
SCRAPED_AT = "2026-11-20T18:00:00+00:00"
SOURCE = "lever:skydance"
HOSTED = "https://jobs.lever.co/skydance/"


def posting(**fields):
    base = dict.fromkeys(Posting.model_fields)
    base.update(source=SOURCE, company="Skydance", description="", scraped_at=SCRAPED_AT)
    return {**base, **fields}


COORDINATOR = posting(
    source_id="5f2d6a1e-8c3b-4e7a-9d21-0b6f3c8e4a10",
    url=HOSTED + "5f2d6a1e-8c3b-4e7a-9d21-0b6f3c8e4a10",
    title="Production Coordinator",
    location="Santa Monica, CA",
    remote=False,
    employment_type="full_time",
    pay_min=70000, pay_max=85000, pay_currency="USD", pay_unit="year",
    posted_at="2026-11-10T18:30:00+00:00",
    description=(
        "Skydance Animation is looking for a Production Coordinator to support our next feature.\n"
        "You will keep schedules, notes and artists moving.\n"
        "What you'll do\n"
        "Track shot status in ShotGrid\n"
        "Schedule reviews & dailies\n"
        "Who you are\n"
        "1+ years in animation or VFX production\n"
        "Skydance is an equal opportunity employer.\n"
        "The base salary range for this position in Santa Monica is listed above."
    ),
    raw={
        "salaryRange": {"currency": "USD", "interval": "per-year-salary", "min": 70000,
                        "max": 85000},
        "salaryDescription": (
            "The base salary range for this position in Santa Monica is listed above."
        ),
        "createdAt": 1794335400000,
        "workplaceType": "on-site",
        "commitment": "Full-time",
        "location": "Santa Monica, CA",
    },
)
OFFICE_PA = posting(
    source_id="a81c03f4-2be9-4f65-8a7e-77d0c9e1b2c3",
    url=HOSTED + "a81c03f4-2be9-4f65-8a7e-77d0c9e1b2c3",
    title="Office Production Assistant",
    production="Jack Ryan",  # the team names the show
    location="Los Angeles, CA",
    remote=False,
    employment_type="temporary",
    pay_min=20, pay_max=22.5, pay_currency="USD", pay_unit="hour",
    union=True,
    posted_at="2026-11-18T16:45:00+00:00",
    description=(
        "Office PA for the writers' room of a returning drama. This is a union (IATSE) show."
    ),
    raw={
        "salaryRange": {"currency": "USD", "interval": "per-hour-wage", "min": 20, "max": 22.5},
        "createdAt": 1795020300000,
        "workplaceType": "on-site",
        "commitment": "Temporary",
        "location": "Los Angeles, California",
    },
)
MOTION_DESIGNER = posting(  # salaryRange null: the day rate comes from the text
    source_id="c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c",
    url=HOSTED + "c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c",
    title="Motion Graphics Designer (Freelance)",
    location="Los Angeles, CA; Vancouver, BC",
    remote=True,
    employment_type="freelance",
    pay_min=450, pay_max=450, pay_currency="USD", pay_unit="day",
    posted_at="2026-11-03T20:20:00+00:00",
    description=(
        "Freelance motion designer for theatrical campaigns, about 6 weeks.\n"
        "The day rate is $450/day."
    ),
    raw={
        "createdAt": 1793737200000,
        "workplaceType": "remote",
        "commitment": "Freelance",
        "location": "Los Angeles, CA",
        "allLocations": ["Los Angeles, CA", "Vancouver, BC"],
    },
)
INTERN = posting(  # paid every two weeks: given per week
    source_id="d4e5f6a7-0000-4bcd-8ef0-123456789abc",
    url=HOSTED + "d4e5f6a7-0000-4bcd-8ef0-123456789abc",
    title="Post Production Intern",
    location="Santa Monica, CA",
    remote=False,
    employment_type="internship",
    pay_min=800, pay_max=800, pay_currency="USD", pay_unit="week",
    posted_at="2026-11-19T17:00:00+00:00",
    description="Spring internship in our post production department.",
    raw={
        "salaryRange": {"currency": "USD", "interval": "bi-week-salary", "min": 1600,
                        "max": 1600},
        "createdAt": 1795107600000,
        "workplaceType": "hybrid",
        "commitment": "Intern",
        "location": "Santa Monica, CA",
    },
)


def lever_spider(make_spider, **args):
    spider = make_spider(LeverSpider, source=SOURCE, urls=API, **args)
    spider.scraped_at = SCRAPED_AT
    return spider


def test_full_page_gives_postings_and_the_next_page(make_spider, page):
    spider = lever_spider(make_spider)
    output = list(spider.parse(page(API, "lever/skydance-postings-0.json")))

    postings = [item for item in output if isinstance(item, dict)]
    assert postings == [COORDINATOR, OFFICE_PA, MOTION_DESIGNER]
    [next_page] = [item for item in output if isinstance(item, Request)]
    assert next_page.url == f"{API}&skip=3"
    assert next_page.cb_kwargs == {"page": 2}
    for item in postings:
        Posting.model_validate(item)


def test_short_page_is_the_last(make_spider, page):
    spider = lever_spider(make_spider)
    output = list(spider.parse(page(f"{API}&skip=3", "lever/skydance-postings-3.json")))
    assert output == [INTERN]


def test_without_limit_the_whole_board_is_one_page(make_spider, page):
    url = "https://api.lever.co/v0/postings/skydance?mode=json"
    spider = make_spider(LeverSpider, source=SOURCE, urls=url)
    output = list(spider.parse(page(url, "lever/skydance-postings-0.json")))
    assert len(output) == 3
    assert not any(isinstance(item, Request) for item in output)


def test_max_pages_stops_paging(make_spider, page):
    spider = lever_spider(make_spider, max_pages="1")
    output = list(spider.parse(page(API, "lever/skydance-postings-0.json"), page=1))
    assert not any(isinstance(item, Request) for item in output)
    assert spider.crawler.stats.get_value("lever/max_pages_reached") == 1


def test_company_argument_beats_the_site_name(make_spider, page):
    spider = lever_spider(make_spider, company="Skydance Media")
    postings = [p for p in spider.parse(page(API, "lever/skydance-postings-0.json"))
                if isinstance(p, dict)]
    assert {p["company"] for p in postings} == {"Skydance Media"}


def test_errors_and_odd_items_are_counted(make_spider):
    spider = lever_spider(make_spider)
    body = b'{"ok":false,"error":"Document not found"}'
    assert list(spider.parse(TextResponse(API, status=404, body=body))) == []
    assert list(spider.parse(TextResponse(API, body=b"<html>oops</html>"))) == []
    assert list(spider.parse(TextResponse(API, body=b'{"postings": []}'))) == []
    assert list(spider.parse(TextResponse(API, body=b"[42, null]"))) == []
    stats = spider.crawler.stats
    assert stats.get_value("drop/lever/api_error") == 1
    assert stats.get_value("drop/lever/broken_json") == 1
    assert stats.get_value("drop/lever/not_a_list") == 1
    assert stats.get_value("drop/lever/not_a_job") == 2


def test_description_reads_html_when_plain_is_missing():
    job = {"description": "<p>Line one</p><p>Line two</p>",
           "lists": [{"text": "Perks", "content": "<li>Screenings</li>"}, "odd"],
           "additional": "<div>EEO</div>"}
    assert lever_description(job) == "Line one\nLine two\nPerks\nScreenings\nEEO"


def test_offline_parse_guesses_lever():
    body = (FIXTURES / "lever/skydance-postings-0.json").read_bytes()
    assert guess_kind(body) == "lever"
    postings, dropped = parse_saved(body, url=API, source=SOURCE, company="Skydance")
    assert dropped == []
    assert [p["source_id"] for p in postings] == [
        COORDINATOR["source_id"], OFFICE_PA["source_id"], MOTION_DESIGNER["source_id"]
    ]
    assert postings[0] == {**COORDINATOR, "scraped_at": postings[0]["scraped_at"]}


def test_offline_parse_of_an_error_says_why():
    body = (FIXTURES / "lever/not-found.json").read_bytes()
    assert guess_kind(body) == "lever"
    postings, dropped = parse_saved(body, url="https://api.lever.co/v0/postings/gone?mode=json")
    assert postings == []
    assert dropped == ["api_error: https://api.lever.co/v0/postings/gone?mode=json"]


def test_lever_crawl(ats_site, run_crawl):
    skydance = f"{ats_site.url}/v0/postings/skydance?mode=json&limit=3"
    gone = f"{ats_site.url}/v0/postings/gone?mode=json"
    run = run_crawl("lever", source=SOURCE, urls=f"{skydance},{gone}")

    assert run.returncode == 0, run.log
    expected = [COORDINATOR, OFFICE_PA, MOTION_DESIGNER, INTERN]
    scraped_at = run.items[0]["scraped_at"]
    assert sorted(run.items, key=lambda p: p["source_id"]) == sorted(
        ({**p, "scraped_at": scraped_at} for p in expected), key=lambda p: p["source_id"]
    )
    assert run.stats["drop/lever/api_error"] == 1
    assert "[lever] WARNING: dropped (api_error)" in run.log
    lever_gets = [seen.path for seen in ats_site.requested("GET", "/v0/postings/skydance")]
    assert lever_gets.count("/v0/postings/skydance?mode=json&limit=3&skip=3") == 1

