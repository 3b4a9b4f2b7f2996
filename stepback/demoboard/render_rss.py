"""EntertainmentCareers.net-style category feeds (RSS 2.0)."""

import xml.etree.ElementTree as ET
from email.utils import format_datetime

from stepback.demoboard.catalog import RSS_FEEDS, Catalog, Posting, ecn_path, posted_at
from stepback.demoboard.fields import (
    COMPENSATION_LABELS,
    COUNTRY_NAMES,
    EMPLOYMENT_LABELS,
    html_to_text,
)

_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def item_title(posting: Posting) -> str:
    return f"{posting['title']} - {posting['company']}"


def categories(posting: Posting) -> list[str]:
    """City, state or country, employment type twice, listing type, company: ECN's order."""
    country = COUNTRY_NAMES.get(posting["country"], posting["country"])
    city = "Remote" if posting["remote"] else posting["city"]
    region = posting["region"] if posting["region"] and not posting["remote"] else country
    return [
        city,
        region,
        EMPLOYMENT_LABELS[posting["employment_type"]],
        COMPENSATION_LABELS[posting["compensation"]],
        "Featured" if posting["featured"] else "Standard",
        posting["company"],
    ]


def guid(posting: Posting, feed: str, base_url: str) -> str:
    """Per-feed GUID: the same job in two category feeds gets two GUIDs, as on ECN."""
    return f"{base_url}{ecn_path(posting)}?utm_source=rss&utm_medium=feed&utm_content={feed}"


def _sub(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _item(channel: ET.Element, posting: Posting, feed: str, base_url: str) -> None:
    item = ET.SubElement(channel, "item")
    _sub(item, "title", item_title(posting))
    _sub(item, "link", base_url + ecn_path(posting))
    _sub(item, "description", html_to_text(posting["description_html"]))
    for category in categories(posting):
        _sub(item, "category", category)
    _sub(item, "pubDate", format_datetime(posted_at(posting)))
    _sub(item, "guid", guid(posting, feed, base_url), isPermaLink="false")


def feed_xml(catalog: Catalog, feed: str, base_url: str) -> bytes | None:
    """The feed's XML, or None for a feed the board does not have."""
    if feed not in RSS_FEEDS:
        return None
    postings = catalog.on_channel(f"rss:{feed}")
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _sub(channel, "title", f"{RSS_FEEDS[feed]} Jobs - stepback demo board")
    _sub(channel, "link", f"{base_url}/jobs/")
    _sub(channel, "description", f"The latest {RSS_FEEDS[feed]} jobs on the demo board.")
    _sub(channel, "language", "en-us")
    if postings:
        _sub(channel, "lastBuildDate", format_datetime(posted_at(postings[0])))
    for posting in postings:
        _item(channel, posting, feed, base_url)
    ET.indent(rss)
    return _DECLARATION + ET.tostring(rss, encoding="unicode").encode("utf-8") + b"\n"
