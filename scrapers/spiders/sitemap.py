"""sitemap: job detail pages listed in a sitemap, read as the jsonld spider reads them.

Start URLs are sitemaps (`urlset`), sitemap indexes, or robots.txt files whose `Sitemap:`
lines name them; gzipped sitemaps are read too. `-a url_pattern=REGEX` keeps only matching
page URLs. Each page's `<lastmod>` goes to the posting's `raw.lastmod`, and with `-a known=FILE`
(see scrapers.incremental) a page whose URL is known with a `lastmod` no later is not fetched.
`max_pages` does not apply: a sitemap is not paged.

Scrapy's SitemapSpider is not used because its callbacks cannot receive an entry's `lastmod`.
Its parsing helpers (scrapy.utils.sitemap) are.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar, cast
from urllib.parse import urlsplit

from lxml import etree
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from scrapers.spiders.detail import DetailPageSpider
from scrapers.spiders.params import CrawlParams, SitemapParams

# The sitemap protocol allows 50 MB uncompressed, more than DOWNLOAD_MAXSIZE allows a page.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024


class SitemapJobsSpider(DetailPageSpider):
    name = "sitemap"
    params_model: ClassVar[type[CrawlParams]] = SitemapParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pattern = cast(SitemapParams, self.params).url_pattern
        self.url_pattern = re.compile(pattern) if pattern else None

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield self.sitemap_request(url, dont_filter=True)

    def sitemap_request(self, url: str, dont_filter: bool = False) -> Request:
        return Request(
            url, callback=self.parse, dont_filter=dont_filter,
            meta={"download_maxsize": SITEMAP_MAX_BYTES},
        )

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Request]:
        """A robots.txt, sitemap index or sitemap: follow what it lists."""
        if urlsplit(response.url).path.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                yield self.sitemap_request(url)
            return
        sitemap = read_sitemap(response)
        if sitemap is None:
            self.drop("not_a_sitemap", response)
        elif sitemap.type == "sitemapindex":
            for entry in sitemap:
                self.count("sitemaps_followed")
                yield self.sitemap_request(entry["loc"])
        else:
            for entry in sitemap:
                yield from self.page_request(entry)

    def page_request(self, entry: dict[str, Any]) -> Iterator[Request]:
        url, lastmod = entry.get("loc") or "", entry.get("lastmod") or None
        if self.url_pattern is not None and not self.url_pattern.search(url):
            self.count("not_matching_pattern")
            return
        if self.known.unchanged(source_id=None, url=url, listed=lastmod):
            self.skip_known(url)
            return
        seen = {"lastmod": lastmod} if lastmod else {}
        yield Request(url, callback=self.parse_detail, cb_kwargs={"seen": seen})


def read_sitemap(response: Response) -> Sitemap | None:
    """The response as a urlset or sitemap index, gunzipped if need be; None if it is neither."""
    body = response.body
    if gzip_magic_number(response):
        try:
            body = gunzip(body, max_size=SITEMAP_MAX_BYTES)
        except (OSError, EOFError, ValueError):
            return None
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, StopIteration):
        return None
    return sitemap if sitemap.type in ("urlset", "sitemapindex") else None
