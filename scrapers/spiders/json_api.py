"""What the JSON ATS spiders (lever, ashby, smartrecruiters, workday) share.

A `company` argument names the employer when the API does not (Lever, Ashby) and beats the
name guessed from the board's URL; a name the API gives wins over both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import Field
from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from scrapers.normalize.company import company_from_slug
from scrapers.normalize.text import clean_text
from scrapers.spiders.base import PostingSpider
from scrapers.spiders.params import CrawlParams

# Let a 404 reach the callback: for a detail request it means the posting is gone.
KEEP_404 = {"handle_httpstatus_list": [404]}


class AtsParams(CrawlParams):
    """CrawlParams plus company: the employer's name when the API does not give it."""

    company: str | None = Field(default=None, min_length=1)


class JsonApiSpider(PostingSpider):
    params_model = AtsParams

    @property
    def company_arg(self) -> str | None:
        return cast(AtsParams, self.params).company

    def load_json(self, response: Response) -> Any:
        """The decoded body, or None after counting `not_text` or `broken_json`."""
        if not isinstance(response, TextResponse):
            self.drop("not_text", response)
            return None
        try:
            return response.json()
        except ValueError as error:
            self.drop("broken_json", response, str(error))
            return None

    def load_detail(self, response: Response) -> Any:
        """A detail response's JSON; None after counting `gone` (404) or a decoding drop."""
        if response.status == 404:
            self.drop("gone", response)
            return None
        return self.load_json(response)

    def listings(
        self,
        data: Any,
        response: Response,
        key: str,
        missing: str,
        is_listing: Callable[[Any], bool],
    ) -> list[dict[str, Any]]:
        """The list under `key`: counts `missing` when there is none, `not_a_job` per bad item."""
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            if data is not None:
                self.drop(missing, response)
            return []
        listings = []
        for item in items:
            if isinstance(item, dict) and is_listing(item):
                listings.append(item)
            else:
                self.drop("not_a_job", response)
        return listings

    def skip_if_known(self, source_id: str | None, listed: Any, detail_url: str) -> bool:
        """With `-a known=FILE`: skip the detail request of a landed, unchanged posting."""
        if not self.known.unchanged(source_id=source_id, url=None, listed=listed):
            return False
        self.skip_known(detail_url)
        return True

    def company_name(self, own: Any = None, slug: str | None = None) -> str | None:
        return clean_text(own) or self.company_arg or company_from_slug(slug)

    def max_pages_reached(self, page: int) -> bool:
        if self.params.max_pages is not None and page >= self.params.max_pages:
            self.count("max_pages_reached")
            return True
        return False

    def detail_failed(self, failure: Failure) -> None:
        """Errback of detail requests: the listing is dropped, not kept without its detail."""
        request: Request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value(f"drop/{self.name}/detail_failed")
        reason = failure.getErrorMessage()
        self.logger.warning("dropped (detail_failed) %s: %s", request.url, reason)


def query_value(url: str, name: str) -> str | None:
    return dict(parse_qsl(urlsplit(url).query)).get(name)


def query_int(url: str, name: str) -> int | None:
    value = query_value(url, name)
    return int(value) if value is not None and value.isdigit() else None


def with_query(url: str, **params: Any) -> str:
    """The URL with these query parameters set (others kept in order)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({key: str(value) for key, value in params.items()})
    return urlunsplit(parts._replace(query=urlencode(query)))


def path_after(url: str, marker: str) -> str | None:
    """The path segment after `marker`: ("/v0/postings/skydance", "postings") -> "skydance"."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if marker in segments:
        index = segments.index(marker) + 1
        if index < len(segments):
            return segments[index]
    return None


def text_id(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    return text or None


def label(value: Any) -> Any:
    """`{"label": "Full-time"}` -> "Full-time"; other values unchanged."""
    return value.get("label") if isinstance(value, dict) else value


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
