import asyncio

import pytest

from scrapers.spiders.greenhouse import GreenhouseSpider
from scrapers.spiders.jsonld import JsonLdSpider
from scrapers.spiders.params import CrawlParams, SpiderArgumentError, parse_params
from scrapers.spiders.rss import RssSpider


def test_urls_are_split_and_domains_derived():
    params = parse_params(
        CrawlParams,
        "rss",
        {"source": "rss:demo-ecn",
         "urls": " http://127.0.0.1:8765/rss/a , https://www.example.com/feed,http://127.0.0.1:8765/b"},
    )
    assert params.urls == [
        "http://127.0.0.1:8765/rss/a", "https://www.example.com/feed", "http://127.0.0.1:8765/b"
    ]
    assert params.allowed_domains == ["127.0.0.1", "www.example.com"]
    assert params.max_pages is None


def test_max_pages_is_parsed_from_text():
    args = {"source": "s", "urls": "http://a/", "max_pages": "3"}
    params = parse_params(CrawlParams, "jsonld", args)
    assert params.max_pages == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"urls": "http://a/"}, "source is required (-a source=...)"),
        ({"source": "s"}, "urls is required"),
        ({"source": "s", "urls": ""}, "urls"),
        ({"source": "s", "urls": " , "}, "urls"),
        ({"source": "s", "urls": "ftp://a/file"}, "not an http(s) URL: 'ftp://a/file'"),
        ({"source": "s", "urls": "example.com/jobs"}, "not an http(s) URL"),
        ({"source": "has space", "urls": "http://a/"}, "source"),
        ({"source": "s", "urls": "http://a/", "max_pages": "0"}, "max_pages"),
        ({"source": "s", "urls": "http://a/", "max_pages": "many"}, "max_pages"),
        ({"source": "s", "urls": "http://a/", "url": "http://b/"}, "unknown argument url"),
    ],
)
def test_invalid_arguments_give_one_clear_error(args, message):
    with pytest.raises(SpiderArgumentError) as caught:
        parse_params(CrawlParams, "jsonld", args)
    assert str(caught.value).startswith("invalid arguments for spider jsonld: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("spidercls", [JsonLdSpider, GreenhouseSpider, RssSpider])
def test_spiders_take_the_arguments(make_spider, spidercls):
    spider = make_spider(spidercls, source="x:y", urls="http://127.0.0.1:9/a,https://b.example/c")
    assert spider.source == "x:y"
    assert spider.start_urls == ["http://127.0.0.1:9/a", "https://b.example/c"]
    assert spider.allowed_domains == ["127.0.0.1", "b.example"]
    assert spider.scraped_at.endswith("+00:00")


@pytest.mark.parametrize("spidercls", [JsonLdSpider, GreenhouseSpider, RssSpider])
def test_spiders_refuse_bad_arguments(make_spider, spidercls):
    with pytest.raises(SpiderArgumentError, match=spidercls.name):
        make_spider(spidercls, urls="javascript:alert(1)")


async def _collect(spider):
    return [request async for request in spider.start()]


def test_start_yields_one_request_per_url(make_spider):
    spider = make_spider(JsonLdSpider, urls="http://a.example/jobs/,http://b.example/jobs/")
    requests = asyncio.run(_collect(spider))
    assert [r.url for r in requests] == ["http://a.example/jobs/", "http://b.example/jobs/"]
    assert all(r.dont_filter for r in requests)
