"""Listing pages: the job links on them, with the id and date each job's card shows."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

from parsel import Selector
from scrapy.http import TextResponse

MARKED_LINKS = "a.job-link, a[data-job-link]"
NEXT_LINKS = "a[rel~=next]::attr(href), link[rel~=next]::attr(href)"
# The nearest element around a job link that holds one job: an id-carrying element or a row.
_CARD = (
    "ancestor-or-self::*[@data-job-id or @data-posting-id or @data-jobid or @data-id"
    " or self::li or self::article or self::tr][1]"
)
_ID_ATTRIBUTES = ("data-job-id", "data-posting-id", "data-jobid", "data-id")
_DATE_XPATHS = (
    "./@data-updated",
    "./@data-modified",
    "(.//time)[1]/@datetime",
    "(.//*[@itemprop='datePosted'])[1]/@content",
    "normalize-space((.//time)[1])",
)


@dataclass(frozen=True)
class ListedJob:
    url: str
    job_id: str | None = None
    listed: str | None = None  # the date (or other marker) the card shows

    def seen(self) -> dict[str, str]:
        """What the listing showed, for the posting's raw values."""
        return {"listing_date": self.listed} if self.listed else {}


def listed_jobs(response: TextResponse) -> list[ListedJob]:
    """Marked job links with their cards' ids and dates; failing those, links below the path."""
    marked = response.css(MARKED_LINKS)
    if marked:
        jobs = [_listed_job(response, anchor) for anchor in marked]
    else:
        jobs = [ListedJob(url) for url in unmarked_links(response)]
    unique: dict[str, ListedJob] = {}
    for job in jobs:
        if job is not None:
            unique.setdefault(job.url, job)
    return list(unique.values())


def detail_links(response: TextResponse) -> list[str]:
    return [job.url for job in listed_jobs(response)]


def unmarked_links(response: TextResponse) -> list[str]:
    """Same-site links that go deeper than the listing's path, except pagination."""
    listing = urlsplit(response.url)
    base_path = listing.path if listing.path.endswith("/") else listing.path.rsplit("/", 1)[0] + "/"
    next_urls = {response.urljoin(href) for href in response.css(NEXT_LINKS).getall()}
    links: list[str] = []
    for href in response.css("a[href]::attr(href)").getall():
        url = urldefrag(response.urljoin(href.strip()))[0]
        parts = urlsplit(url)
        deeper = parts.path.startswith(base_path) and len(parts.path) > len(base_path)
        if parts.hostname == listing.hostname and deeper and url not in next_urls:
            links.append(url)
    return links


def _listed_job(response: TextResponse, anchor: Selector) -> ListedJob | None:
    href = (anchor.attrib.get("href") or "").strip()
    if not href:
        return None
    url = urldefrag(response.urljoin(href))[0]
    card = _card(anchor, url, response)
    if card is None:
        return ListedJob(url)
    return ListedJob(url, _card_id(card), _card_date(card))


def _card(anchor: Selector, url: str, response: TextResponse) -> Selector | None:
    """The job's card, unless the element found holds links to other jobs too."""
    found = anchor.xpath(_CARD)
    if not found:
        return None
    hrefs = found[0].css(MARKED_LINKS).xpath("@href").getall()
    if any(urldefrag(response.urljoin(href.strip()))[0] != url for href in hrefs):
        return None
    return found[0]


def _card_id(card: Selector) -> str | None:
    for name in _ID_ATTRIBUTES:
        value = (card.attrib.get(name) or "").strip()
        if value:
            return value
    return None


def _card_date(card: Selector) -> str | None:
    for xpath in _DATE_XPATHS:
        value = (card.xpath(xpath).get() or "").strip()
        if value:
            return value
    return None
