"""rss: RSS 2.0 (or Atom) job feeds shaped like EntertainmentCareers.net category feeds.

Titles read "Role - Company"; categories come in a fixed order: city, state or country,
employment type twice, listing type, company. The same job recurs across category feeds under
different guids, so postings are keyed by the job URL's numeric id and deduplicated per crawl.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import Response, TextResponse

from scrapers.feeds import FeedEntry, parse_feed
from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import location_from_parts
from scrapers.normalize.pay import find_pay_in_text
from scrapers.normalize.text import clean_text, html_to_text
from scrapers.normalize.union import union_status
from scrapers.postings import PostingFields, pay_fields
from scrapers.spiders.base import PostingSpider

_JOB_ID = re.compile(r"/job/(\d+)(?:/|$)")
_MIN_CATEGORIES_FOR_LOCATION = 2
_COMPANY_CATEGORY = 5


class RssSpider(PostingSpider):
    name = "rss"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen_ids: set[str] = set()

    def parse(self, response: Response, **kwargs: Any) -> Iterator[PostingFields]:
        if not isinstance(response, TextResponse):
            self.drop("not_text", response)
            return
        entries = parse_feed(response.text)
        if not entries:
            self.drop("empty_feed", response)
        for entry in entries:
            posting = self.posting_from_entry(entry, response)
            if posting["source_id"] in self.seen_ids:
                self.drop("duplicate", response, str(posting["source_id"]))
                continue
            self.seen_ids.add(posting["source_id"])
            yield posting

    def posting_from_entry(self, entry: FeedEntry, response: TextResponse) -> PostingFields:
        categories = entry.categories
        role, company = split_title(clean_text(entry.title))
        if len(categories) > _COMPANY_CATEGORY:
            company = clean_text(categories[_COMPANY_CATEGORY]) or company
        url = canonical_url(response.urljoin(entry.link)) if entry.link else None
        description = html_to_text(entry.description)
        return self.posting(
            source_id=job_id(url, entry.guid) or stable_id(role, company),
            url=url,
            title=role,
            company=company,
            location=_location(categories),
            employment_type=employment_type(categories[2:5]),
            union=union_status(" ".join(categories), role, description),
            posted_at=to_iso(entry.published),
            description=description,
            **pay_fields(find_pay_in_text(" ".join(categories[2:5]))),
            raw={"title": entry.title, "pubDate": entry.published, "guid": entry.guid,
                 "categories": categories or None},
        )


def split_title(title: str | None) -> tuple[str | None, str | None]:
    """ "Production Assistant - Late Show - CBS" -> ("Production Assistant - Late Show", "CBS")."""
    if not title:
        return None, None
    role, separator, company = title.rpartition(" - ")
    if not separator or not role.strip() or not company.strip():
        return title, None
    return role.strip(), company.strip()


def job_id(url: str | None, guid: str | None) -> str | None:
    """The numeric id in `/company-slug/title-slug/job/12345/`."""
    for candidate in (url, guid):
        if candidate:
            match = _JOB_ID.search(urlsplit(candidate).path)
            if match:
                return match[1]
    return None


def stable_id(role: str | None, company: str | None) -> str | None:
    if not role:
        return None
    key = f"{role.strip().lower()}|{(company or '').strip().lower()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def canonical_url(url: str) -> str:
    """The URL without tracking parameters (utm_*) that differ from one feed to the next."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_")]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def _location(categories: list[str]) -> str | None:
    if len(categories) < _MIN_CATEGORIES_FOR_LOCATION:
        return None
    return location_from_parts(categories[0], categories[1])
