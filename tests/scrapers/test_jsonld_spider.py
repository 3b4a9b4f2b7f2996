from scrapy import Request
from scrapy.http import HtmlResponse

from scrapers.jsonld import job_postings, load_block
from scrapers.spiders.jsonld import JsonLdSpider, detail_links

BOARD = "http://board.example"


def test_messy_page_with_two_blocks(make_spider, page):
    spider = make_spider(JsonLdSpider, source="jsonld:demo-board")
    response = page(f"{BOARD}/jobs/1041/", "jsonld/job-two-blocks.html")

    [posting] = list(spider.parse_detail(response))

    assert posting == {
        "source": "jsonld:demo-board",
        "source_id": "DCP-2026-0098",
        "url": f"{BOARD}/jobs/1041/",
        "title": "Production Assistant – 98th Oscars",
        "company": "Dick Clark Productions",
        "production": "98th Oscars",
        "location": "Los Angeles, CA",
        "remote": None,
        "employment_type": "temporary",
        "pay_min": 250,
        "pay_max": 250,
        "pay_currency": "USD",
        "pay_unit": "day",
        "union": True,
        "posted_at": "2026-11-20T08:55:24",
        "valid_through": "2026-12-20T23:59:00",
        "description": (
            "Dick Clark Productions is hiring Production Assistants for the 98th Academy Awards"
            " telecast.\nRun paperwork between the production office & stage\n"
            "Support the talent department during rehearsals\n"
            "This is an IATSE Local 871 covered show. Rate: $250/12."
        ),
        "scraped_at": spider.scraped_at,
        "raw": {
            "identifier": {"@type": "PropertyValue", "name": "Dick Clark Productions",
                           "value": "DCP-2026-0098"},
            "datePosted": "11/20/2026 08:55:24 AM",
            "validThrough": "2026-12-20T23:59",
            "employmentType": ["TEMPORARY", "FULL_TIME"],
            "hiringOrganization": {"@type": "Organization", "name": "Dick Clark Productions",
                                   "sameAs": "https://www.dickclark.com"},
            "jobLocation": {"@type": "Place", "address": {
                "@type": "PostalAddress", "streetAddress": "6801 Hollywood Blvd",
                "addressLocality": "Los Angeles", "addressRegion": "California",
                "postalCode": "90028", "addressCountry": "US"}},
            "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {
                "@type": "QuantitativeValue", "value": 250, "unitText": "DAY"}},
        },
    }


def test_graph_wrapper(make_spider, page):
    spider = make_spider(JsonLdSpider)
    [posting] = spider.parse_detail(page(f"{BOARD}/jobs/1042/", "jsonld/job-graph.html"))
    assert posting["source_id"] == "1042"
    assert posting["url"] == f"{BOARD}/jobs/1042-writers-pa-untitled-shondaland-drama/"
    assert posting["company"] == "Shondaland"
    assert posting["production"] == "Untitled Shondaland Drama"
    assert posting["remote"] is True
    assert posting["employment_type"] == "full_time"
    assert (posting["pay_min"], posting["pay_unit"]) == (1200, "week")
    assert posting["union"] is True
    assert posting["posted_at"] == "2026-11-18"


def test_raw_newlines_and_control_characters_in_strings(make_spider, page):
    spider = make_spider(JsonLdSpider)
    [posting] = spider.parse_detail(page(f"{BOARD}/jobs/1043/", "jsonld/job-raw-newlines.html"))
    assert posting["title"] == "Post Production Coordinator"
    assert posting["source_id"] == "1043"
    assert posting["description"].splitlines() == [
        "Coordinate deliverables for a 10-episode docuseries.",
        "Schedule online and color sessions. Track QC notes.",
        "Non-union. $65,000 - $75,000 a year.",
    ]
    assert posting["union"] is False
    assert (posting["pay_min"], posting["pay_max"], posting["pay_unit"]) == (65000, 75000, "year")
    assert posting["employment_type"] == "contract"
    assert posting["posted_at"] == "2026-11-20T01:30:00+00:00"


def test_broken_json_is_counted_and_skipped(make_spider, page, caplog):
    spider = make_spider(JsonLdSpider)
    postings = list(spider.parse_detail(page(f"{BOARD}/jobs/1044/", "jsonld/job-broken.html")))
    assert postings == []
    stats = spider.crawler.stats
    assert stats.get_value("drop/jsonld/broken_json") == 1
    assert stats.get_value("jsonld/pages_without_jobposting") == 1
    [warning] = [r for r in caplog.records if "broken_json" in r.getMessage()]
    assert f"{BOARD}/jobs/1044/" in warning.getMessage()
    assert "\n" not in warning.getMessage()


def test_missing_title_is_left_to_the_pipeline(make_spider, page):
    spider = make_spider(JsonLdSpider)
    [posting] = spider.parse_detail(page(f"{BOARD}/jobs/1045/", "jsonld/job-no-title.html"))
    assert posting["title"] is None
    assert posting["source_id"] == f"{BOARD}/jobs/1045/"
    assert (posting["pay_min"], posting["pay_max"]) == (0, 0)


def test_listing_follows_job_links_and_next_page(make_spider, page):
    spider = make_spider(JsonLdSpider)
    results = list(spider.parse(page(f"{BOARD}/jobs/", "jsonld/listing-1.html"), page=1))
    assert all(isinstance(r, Request) for r in results)
    assert [r.url for r in results] == [
        f"{BOARD}/jobs/1041-production-assistant-98th-oscars/",
        f"{BOARD}/jobs/1042-writers-pa-untitled-shondaland-drama/",
        "https://offsite.example.com/jobs/9/",
        f"{BOARD}/jobs/?page=2",
    ]
    assert results[0].callback == spider.parse_detail
    assert results[-1].callback == spider.parse
    assert results[-1].cb_kwargs == {"page": 2}


def test_max_pages_stops_pagination(make_spider, page):
    spider = make_spider(JsonLdSpider, max_pages="1")
    results = list(spider.parse(page(f"{BOARD}/jobs/", "jsonld/listing-1.html"), page=1))
    assert f"{BOARD}/jobs/?page=2" not in [r.url for r in results]
    assert spider.crawler.stats.get_value("jsonld/max_pages_reached") == 1


def test_unmarked_listing_follows_links_below_its_path(page):
    html = b"""<html><body>
      <a href="/">Home</a> <a href="/jobs/">All jobs</a> <a href="/about/">About</a>
      <a href="/jobs/77-grip/">Grip</a> <a href="/jobs/78-gaffer/#apply">Gaffer</a>
      <a href="https://other.example/jobs/1/">Elsewhere</a>
      <a rel="next" href="/jobs/page/2/">Next</a>
    </body></html>"""
    response = HtmlResponse(f"{BOARD}/jobs/", body=html, encoding="utf-8")
    assert detail_links(response) == [f"{BOARD}/jobs/77-grip/", f"{BOARD}/jobs/78-gaffer/"]


def test_load_block_shapes():
    array = '[{"@type": "JobPosting", "title": "A"}, {"@type": "Thing"}]'
    assert job_postings(load_block(array)) == [{"@type": "JobPosting", "title": "A"}]
    graph = '{"@graph": [{"@type": "WebPage", "mainEntity": {"@type": "schema:JobPosting"}}]}'
    assert job_postings(load_block(graph)) == [{"@type": "schema:JobPosting"}]
    assert load_block('<!-- {"@type": "JobPosting", "title": "B",} -->') == {
        "@type": "JobPosting", "title": "B"
    }
    assert load_block('{"description": "line one\nline two\ttab"}') == {
        "description": "line one\nline two\ttab"
    }


def test_job_postings_ignores_garbage():
    for data in (None, 3, "JobPosting", [], [None, [1, 2]], {"@type": None}, {"@type": ["Thing"]}):
        assert job_postings(data) == []
