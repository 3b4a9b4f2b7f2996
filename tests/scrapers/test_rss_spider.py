from scrapy.http import TextResponse

from scrapers.feeds import parse_feed
from scrapers.spiders.rss import RssSpider, canonical_url, job_id, split_title, stable_id

FEED = "http://127.0.0.1:9/rss/ecnjcat112"


def test_ecn_feed(make_spider, page):
    spider = make_spider(RssSpider, source="rss:demo-ecn", urls=FEED)
    postings = list(spider.parse(page(FEED, "rss/ecnjcat112.xml")))
    by_id = {p["source_id"]: p for p in postings}

    snl = by_id["412345"]
    assert snl["url"] == (
        "https://www.entertainmentcareers.net/nbcuniversal/"
        "production-assistant-saturday-night-live/job/412345/"
    )
    assert snl["title"] == "Production Assistant - Saturday Night Live"
    assert snl["company"] == "NBCUniversal"
    assert snl["production"] == "Saturday Night Live"
    assert snl["location"] == "New York, NY"
    assert snl["employment_type"] == "full_time"
    assert (snl["pay_min"], snl["pay_currency"], snl["pay_unit"]) == (18, "USD", "hour")
    assert snl["union"] is True
    assert snl["posted_at"] == "2026-11-20T17:15:00+00:00"
    assert snl["description"].startswith('NBCUniversal is seeking a Production Assistant for "Sat')

    intern = by_id["412400"]
    assert intern["company"] == "Bunim/Murray Productions"
    assert intern["location"] == "Glendale, CA"
    assert intern["employment_type"] == "internship"
    assert (intern["pay_min"], intern["pay_max"]) == (0, 0)
    assert intern["production"] is None


def test_item_without_job_id_gets_a_stable_hash(make_spider, page):
    spider = make_spider(RssSpider, urls=FEED)
    postings = list(spider.parse(page(FEED, "rss/ecnjcat112.xml")))
    camera = next(p for p in postings if p["title"] == "Camera Utility - Local 600")
    assert camera["source_id"] == stable_id("Camera Utility - Local 600", "Indie Feature")
    assert camera["company"] == "Indie Feature"
    assert (camera["pay_min"], camera["pay_unit"], camera["union"]) == (350, "day", True)
    assert camera["employment_type"] == "freelance"
    no_link = next(p for p in postings if p["title"] == "Office PA")
    assert no_link["url"] is None  # the pipeline drops it as missing_url


def test_same_job_in_two_feeds_is_kept_once(make_spider, page):
    spider = make_spider(RssSpider, urls=FEED)
    first = list(spider.parse(page(FEED, "rss/ecnjcat112.xml")))
    second = list(spider.parse(page("http://127.0.0.1:9/rss/ecnjcat127", "rss/ecnjcat127.xml")))
    assert "412345" in {p["source_id"] for p in first}
    assert [p["source_id"] for p in second] == ["412777"]
    assert spider.crawler.stats.get_value("drop/rss/duplicate") == 1
    london = second[0]
    where_and_pay = (london["location"], london["pay_currency"], london["pay_unit"])
    assert where_and_pay == ("London, UK", "GBP", "year")
    assert london["production"] is None


def test_atom_feed(make_spider, page):
    spider = make_spider(RssSpider, urls="http://127.0.0.1:9/atom/jobs")
    [posting] = spider.parse(page("http://127.0.0.1:9/atom/jobs", "rss/jobs-atom.xml"))
    assert posting["source_id"] == "5510"
    assert posting["url"] == "https://stagecrew.example/jobs/job/5510/"
    assert posting["company"] == "Broadway Crew Co"
    assert posting["production"] == "Hadestown Tour"
    assert posting["location"] == "Chicago, IL"
    assert posting["employment_type"] == "part_time"
    assert posting["union"] is True
    assert posting["description"] == (
        "Load-in crew for the national tour. IATSE Local 1 jurisdiction. $42/hr."
    )


def test_garbage_feed_is_counted(make_spider):
    spider = make_spider(RssSpider, urls=FEED)
    assert list(spider.parse(TextResponse(FEED, body=b"<html><p>not a feed</p></html>"))) == []
    assert list(spider.parse(TextResponse(FEED, body=b"\x00\xff garbage"))) == []
    assert spider.crawler.stats.get_value("drop/rss/empty_feed") == 2


def test_helpers():
    assert split_title("E-Commerce Manager - Sony Music") == ("E-Commerce Manager", "Sony Music")
    assert split_title("Runner") == ("Runner", None)
    assert split_title(" - Sony") == (" - Sony", None)
    assert split_title(None) == (None, None)
    assert job_id("https://x.example/co/title/job/12345/?utm_content=a", None) == "12345"
    assert job_id(None, "https://x.example/co/title/job/777") == "777"
    assert job_id("https://x.example/jobs/12345/", "abc") is None
    assert stable_id("PA", "NBC") == stable_id(" pa ", "nbc")
    assert stable_id(None, "NBC") is None
    assert canonical_url("https://x.example/j/1/?utm_source=rss&id=4&utm_content=c#top") == (
        "https://x.example/j/1/?id=4"
    )
    assert parse_feed("") == []


def test_raw_title_date_and_categories_are_kept(make_spider, page):
    spider = make_spider(RssSpider, urls="http://127.0.0.1:9/atom/jobs")
    [posting] = spider.parse(page("http://127.0.0.1:9/atom/jobs", "rss/jobs-atom.xml"))
    raw = posting["raw"]
    assert raw["title"].startswith("Load-in") or " - " in raw["title"]
    assert raw["pubDate"] and posting["posted_at"]
