"""workday: Workday's candidate-experience (CXS) JSON API,
`https://{tenant}.wd{N}.myworkdayjobs.com/wday/cxs/{tenant}/{site}/jobs`.

The jobs endpoint takes a POSTed search and answers a page of listings; pages advance by the
page size while the offset is below the FIRST page's `total` (later pages may say 0) and the
last page was not empty. Each listing's detail (GET `.../{site}{externalPath}`) carries the
description, dates and organisation; a 404 detail means the posting is gone. With
`-a known=FILE` (scrapers.incremental) a landed posting's detail is not fetched again unless
the day its `postedOn` names is later than the one known.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field
from scrapy import Request
from scrapy.http import JsonRequest, Response

from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import location_from_parts, location_from_text
from scrapers.normalize.relative_dates import relative_date
from scrapers.normalize.remote import is_remote
from scrapers.normalize.text import clean_text, html_to_text
from scrapers.postings import PostingFields
from scrapers.spiders.json_api import (
    KEEP_404,
    AtsParams,
    JsonApiSpider,
    as_dict,
    as_int,
    as_list,
    text_id,
)

MAX_PAGE_SIZE = 20  # Workday rejects a larger limit
_CXS_PATH = re.compile(
    r"^(?P<prefix>.*?/wday/cxs/(?P<tenant>[^/]+)/(?P<site>[^/]+))(?P<rest>/.*)?$"
)
_LOCATION_COUNT = re.compile(r"^\s*\d+\s+Locations?\s*$", re.I)


class WorkdayParams(AtsParams):
    page_size: int = Field(default=MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@dataclass(frozen=True)
class CxsSite:
    """Where one Workday career site's API lives, and how its URLs are made."""

    origin: str  # scheme://host
    prefix: str  # path up to and including /wday/cxs/{tenant}/{site}
    tenant: str
    site: str

    @classmethod
    def from_url(cls, url: str) -> CxsSite | None:
        parts = urlsplit(url)
        match = _CXS_PATH.match(parts.path)
        if not match:
            return None
        return cls(f"{parts.scheme}://{parts.netloc}", match["prefix"], match["tenant"],
                   match["site"])

    def detail_url(self, external_path: str) -> str:
        return f"{self.origin}{self.prefix}{external_path}"

    def public_url(self, external_path: str) -> str:
        return f"{self.origin}/en-US/{self.site}{external_path}"

    def external_path(self, url: str) -> str | None:
        """The `/job/...` part of a detail URL."""
        match = _CXS_PATH.match(urlsplit(url).path)
        rest = match["rest"] if match else None
        return rest if rest and rest.startswith("/job/") else None


class WorkdaySpider(JsonApiSpider):
    name = "workday"
    params_model = WorkdayParams

    @property
    def page_size(self) -> int:
        return self.params.page_size if isinstance(self.params, WorkdayParams) else MAX_PAGE_SIZE

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield self.list_request(url, offset=0, total=None, page=1)

    def list_request(self, url: str, offset: int, total: int | None, page: int) -> JsonRequest:
        search = {"appliedFacets": {}, "limit": self.page_size, "offset": offset, "searchText": ""}
        return JsonRequest(
            url, data=search, callback=self.parse, dont_filter=page == 1,
            cb_kwargs={"offset": offset, "total": total, "page": page},
        )

    def parse(
        self, response: Response, offset: int = 0, total: int | None = None, page: int = 1
    ) -> Iterator[Request]:
        data = self.load_json(response)
        listings = self.listings_in(data, response)
        if total is None:
            total = as_int(as_dict(data).get("total")) or 0
        site = CxsSite.from_url(response.url)
        if site is None:
            if listings:
                self.drop("not_a_cxs_url", response)
            return
        for listing in listings:
            if self.is_known(listing, site):
                continue
            yield Request(
                site.detail_url(listing["externalPath"]), callback=self.parse_detail,
                errback=self.detail_failed, cb_kwargs={"listing": listing}, meta=KEEP_404,
                headers={"Accept": "application/json"},
            )
        yield from self.next_page(response.url, offset, total, len(listings), page)

    def is_known(self, listing: dict[str, Any], site: CxsSite) -> bool:
        """With `-a known=FILE`: landed, and the day `postedOn` names is no later than known."""
        path = listing["externalPath"]
        listed = relative_date(listing.get("postedOn"), self.scraped_at)
        return self.skip_if_known(workday_id(path), listed, site.detail_url(path))

    def listings_in(self, data: Any, response: Response) -> list[dict[str, Any]]:
        return self.listings(data, response, "jobPostings", "no_job_postings", _has_path)

    def next_page(
        self, url: str, offset: int, total: int, count: int, page: int
    ) -> Iterator[JsonRequest]:
        next_offset = offset + self.page_size
        if not count or next_offset >= total or self.max_pages_reached(page):
            return
        yield self.list_request(url, offset=next_offset, total=total, page=page + 1)

    def parse_detail(
        self, response: Response, listing: dict[str, Any] | None = None
    ) -> Iterator[PostingFields]:
        data = self.load_detail(response)
        info = as_dict(data).get("jobPostingInfo")
        if not isinstance(info, dict):
            if data is not None:
                self.drop("no_job_posting_info", response)
            return
        site = CxsSite.from_url(response.url)
        listing = listing or {}
        path = listing.get("externalPath") or (site.external_path(response.url) if site else None)
        organisation = as_dict(as_dict(data).get("hiringOrganization")).get("name")
        yield self.posting_from(info, listing, site, path, organisation)

    def offline_postings(self, response: Response) -> Iterator[PostingFields]:
        """A saved list page gives postings from list fields only; a saved detail, the posting."""
        data = self.load_json(response)
        if isinstance(data, dict) and "jobPostings" in data:
            site = CxsSite.from_url(response.url)
            for listing in self.listings_in(data, response):
                yield self.posting_from({}, listing, site, listing["externalPath"], None)
        elif data is not None:
            yield from self.parse_detail(response)

    def posting_from(
        self, info: dict[str, Any], listing: dict[str, Any], site: CxsSite | None,
        path: str | None, organisation: Any,
    ) -> PostingFields:
        """A posting from the detail's jobPostingInfo, the listing filling what it lacks."""
        location = workday_location(info, listing)
        posted_on = info.get("postedOn") or listing.get("postedOn")
        return self.posting(
            source_id=workday_id(path) or text_id(info.get("jobReqId")),
            url=info.get("externalUrl") or (site.public_url(path) if site and path else None),
            title=clean_text(info.get("title") or listing.get("title")),
            company=self.company_name(organisation, site.tenant if site else None),
            location=location,
            remote=is_remote(None, info.get("remoteType"), location),
            employment_type=employment_type(info.get("timeType")),
            posted_at=to_iso(info.get("startDate")) or relative_date(posted_on, self.scraped_at),
            valid_through=to_iso(info.get("endDate")),
            description=html_to_text(info.get("jobDescription")),
            raw={
                "postedOn": posted_on,
                "startDate": info.get("startDate"),
                "endDate": info.get("endDate"),
                "timeType": info.get("timeType"),
                "remoteType": info.get("remoteType"),
                "jobReqId": info.get("jobReqId") or _first(listing.get("bulletFields")),
                "locationsText": listing.get("locationsText"),
                "country": as_dict(info.get("country")).get("alpha2Code"),
            },
        )


def workday_id(external_path: Any) -> str | None:
    """ "/job/Burbank-CA/Production-Assistant_10123456-1" -> "10123456-1"; else the path.

    The tail is the requisition id, suffixed when one requisition is posted more than once,
    so it stays the same when a title (and so the path) is edited.
    """
    if not isinstance(external_path, str) or not external_path.strip():
        return None
    tail = external_path.rstrip("/").rsplit("/", 1)[-1]
    _, underscore, req = tail.rpartition("_")
    return req if underscore and any(c.isdigit() for c in req) else external_path


def workday_location(info: dict[str, Any], listing: dict[str, Any]) -> str | None:
    """Detail locations, "; "-separated; else the listing's text unless it is "7 Locations"."""
    names = [info.get("location"), *as_list(info.get("additionalLocations"))]
    country = as_dict(info.get("country")).get("alpha2Code")
    labels = [_place(name, country) for name in names if isinstance(name, str)]
    joined = "; ".join(dict.fromkeys(label for label in labels if label))
    if joined:
        return joined
    text = listing.get("locationsText")
    if isinstance(text, str) and not _LOCATION_COUNT.match(text):
        return location_from_text(text)
    return None


def _place(name: str, country: Any) -> str | None:
    """A bare city gets its country ("London" + GB -> "London, UK"), but not in the US."""
    if "," not in name and isinstance(country, str) and country.upper() not in ("US", "USA"):
        return location_from_parts(name, None, country)
    return location_from_text(name)


def _first(values: Any) -> Any:
    items = as_list(values)
    return items[0] if items else None


def _has_path(item: dict[str, Any]) -> bool:
    path = item.get("externalPath")
    return isinstance(path, str) and path.startswith("/")
