from scrapy.http import TextResponse

from scrapers.spiders.greenhouse import GreenhouseSpider, board_display_name

API = "http://127.0.0.1:9/v1/boards/a24/jobs?content=true"


def test_board_response(make_spider, page):
    spider = make_spider(GreenhouseSpider, source="greenhouse:a24", urls=API)
    postings = {p["source_id"]: p for p in spider.parse(page(API, "greenhouse/a24-jobs.json"))}

    assert list(postings) == ["4823109007", "4830552007", "4831001007", "4831999007"]
    marketing = postings["4823109007"]
    assert marketing["url"] == "https://a24films.com/jobs?gh_jid=4823109007"
    assert marketing["title"] == "Marketing Coordinator"
    assert marketing["company"] == "A24"
    assert marketing["location"] == "New York, NY"
    assert marketing["employment_type"] == "full_time"
    assert marketing["posted_at"] == "2026-11-03T19:22:05+00:00"
    assert marketing["production"] is None
    assert marketing["description"].splitlines()[:3] == [
        "About A24",
        "A24 is an independent entertainment company.",
        "A24 is looking for a Marketing Coordinator to support theatrical campaigns.",
    ]
    assert "Coordinate screenings & press junkets" in marketing["description"]
    assert "&" + "lt;" not in marketing["description"]
    pay = (marketing["pay_min"], marketing["pay_max"], marketing["pay_unit"])
    assert pay == (65000, 75000, "year")


def test_production_from_title_or_department(make_spider, page):
    spider = make_spider(GreenhouseSpider, urls=API)
    postings = {p["source_id"]: p for p in spider.parse(page(API, "greenhouse/a24-jobs.json"))}
    pa = postings["4830552007"]
    assert pa["production"] == "Hundreds of Beavers 2"
    assert pa["posted_at"] == "2026-11-20T17:01:13+00:00"  # no first_published: updated_at
    assert (pa["pay_min"], pa["pay_unit"], pa["union"]) == (22, "hour", True)
    post = postings["4831001007"]
    assert post["production"] == "Untitled Ari Aster Project"
    assert post["company"] == "A24"  # no company_name: the board's name
    assert post["remote"] is True
    assert (post["pay_min"], post["pay_max"], post["pay_currency"]) == (25, 28, "USD")


def test_broken_or_unexpected_json_is_counted(make_spider):
    spider = make_spider(GreenhouseSpider, urls=API)
    assert list(spider.parse(TextResponse(API, body=b"<html>oops</html>"))) == []
    assert list(spider.parse(TextResponse(API, body=b'{"error": "not found"}'))) == []
    assert list(spider.parse(TextResponse(API, body=b'{"jobs": [42, null]}'))) == []
    stats = spider.crawler.stats
    assert stats.get_value("drop/greenhouse/broken_json") == 1
    assert stats.get_value("drop/greenhouse/no_jobs_list") == 1
    assert stats.get_value("drop/greenhouse/not_a_job") == 2


def test_job_without_id_or_fields_still_yields_fields(make_spider):
    spider = make_spider(GreenhouseSpider, urls=API)
    body = b'{"jobs": [{"title": "PA", "location": "LA", "content": 5, "departments": "x"}]}'
    [posting] = spider.parse(TextResponse(API, body=body))
    assert posting["source_id"] is None
    assert posting["title"] == "PA"
    assert posting["description"] == ""


def test_board_display_name():
    assert board_display_name(API) == "A24"
    url = "https://boards-api.greenhouse.io/v1/boards/dick-clark-productions/jobs"
    assert board_display_name(url) == "Dick Clark Productions"
    assert board_display_name("https://example.com/jobs") is None


def test_raw_values_are_kept_beside_the_parsed_ones(make_spider, page):
    spider = make_spider(GreenhouseSpider, source="greenhouse:a24", urls=API)
    postings = {p["source_id"]: p for p in spider.parse(page(API, "greenhouse/a24-jobs.json"))}
    raw = postings["4823109007"]["raw"]
    assert raw["location"] == "New York, New York, United States"
    assert postings["4823109007"]["location"] == "New York, NY"
    assert raw["first_published"].startswith("2026-11-03")
    assert all(value is not None for value in raw.values())
