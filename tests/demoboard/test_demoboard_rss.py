"""EntertainmentCareers.net-style category feeds: valid RSS 2.0 in ECN's item shape."""

import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from stepback.demoboard import DemoBoard

from .support import fetch, job_postings

Posting = dict[str, Any]
FEEDS = ["ecnjcat112", "ecnjcat127", "ecnjcat124"]


def _items(board: DemoBoard, feed: str) -> list[ET.Element]:
    response = fetch(f"{board.url}/rss/{feed}")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None and channel.findtext("title")
    return channel.findall("item")


def _split_title(title: str) -> tuple[str, str]:
    role, _, company = title.rpartition(" - ")
    return role, company


def _by_title(items: list[ET.Element]) -> dict[str, ET.Element]:
    return {item.findtext("title", ""): item for item in items}


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_lists_its_postings_newest_first(
    board: DemoBoard, postings: list[Posting], feed: str
) -> None:
    items = _items(board, feed)
    expected = [p for p in postings if f"rss:{feed}" in p["channels"]]
    titles = sorted(_split_title(item.findtext("title", "")) for item in items)
    assert titles == sorted((p["title"], p["company"]) for p in expected)
    dates = [parsedate_to_datetime(item.findtext("pubDate", "")) for item in items]
    assert dates == sorted(dates, reverse=True)


def test_items_have_ecn_fields(board: DemoBoard, postings: list[Posting]) -> None:
    records = {(p["title"], p["company"]): p for p in postings}
    for feed in FEEDS:
        for item in _items(board, feed):
            posting = records[_split_title(item.findtext("title", ""))]
            categories = [c.text for c in item.findall("category")]
            assert len(categories) == 6 and categories[-1] == posting["company"]
            published = parsedate_to_datetime(item.findtext("pubDate", ""))
            assert published == datetime.fromisoformat(posting["date_posted"])
            description = item.findtext("description", "")
            assert description and "<p>" not in description and "<li>" not in description
            guid = item.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "false"
            assert guid.text and guid.text.endswith(f"utm_content={feed}")
            assert f"/job/{posting['id']}/" in item.findtext("link", "")


def test_categories_come_in_ecn_order(board: DemoBoard) -> None:
    live = _by_title(_items(board, "ecnjcat124"))
    cases = {
        "Production Assistant – 99th Oscars - ABC":
            ["Los Angeles", "CA", "Temporary", "Paid", "Featured", "ABC"],
        "Runner – EE BAFTA Film Awards - BBC Studios":
            ["London", "United Kingdom", "Temporary", "Paid", "Standard", "BBC Studios"],
    }  # fmt: skip
    for title, expected in cases.items():
        assert [c.text for c in live[title].findall("category")] == expected
    film = _by_title(_items(board, "ecnjcat112"))
    student = film["Production Assistant – student thesis film - USC School of Cinematic Arts"]
    assert [c.text for c in student.findall("category")] == [
        "Los Angeles", "CA", "Temporary", "Deferred Pay", "Standard",
        "USC School of Cinematic Arts",
    ]  # fmt: skip
    remote = film["Logger – Unscripted Docuseries (Remote) - Netflix"]
    assert [c.text for c in remote.findall("category")][:4] == [
        "Remote", "United States", "Freelance", "Paid",
    ]  # fmt: skip


def test_a_job_in_two_feeds_has_a_different_guid_in_each(
    board: DemoBoard, postings: list[Posting]
) -> None:
    doubled = [p for p in postings if {"rss:ecnjcat112", "rss:ecnjcat124"} <= set(p["channels"])]
    assert doubled
    film = _by_title(_items(board, "ecnjcat112"))
    live = _by_title(_items(board, "ecnjcat124"))
    for posting in doubled:
        title = f"{posting['title']} - {posting['company']}"
        assert film[title].findtext("guid") != live[title].findtext("guid")
        assert film[title].findtext("link") == live[title].findtext("link")


def test_special_characters_are_escaped(board: DemoBoard) -> None:
    response = fetch(f"{board.url}/rss/ecnjcat112")
    assert b"A&amp;E Networks" in response.body
    assert b"utm_source=rss&amp;utm_medium" in response.body
    titles = _by_title(_items(board, "ecnjcat112"))
    assert "Logger – Storage Wars - A&E Networks" in titles


def test_item_link_serves_a_page_with_the_job_posting(board: DemoBoard) -> None:
    item = _items(board, "ecnjcat127")[0]
    response = fetch(item.findtext("link", ""))
    assert response.status == 200
    role, company = _split_title(item.findtext("title", ""))
    (job,) = job_postings(response.text)
    assert (job["title"], job["hiringOrganization"]["name"]) == (role, company)


def test_unknown_feed_is_404(board: DemoBoard) -> None:
    assert fetch(f"{board.url}/rss/ecnjcat999").status == 404
    assert fetch(f"{board.url}/rss/").status == 404
