"""HTTP and markup helpers shared by the demo board tests."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

from parsel import Selector


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, *, follow_redirects: bool = True, method: str = "GET") -> Fetched:
    """GET (or HEAD) over real HTTP; error statuses come back as values, not exceptions."""
    handlers = [] if follow_redirects else [_NoRedirect()]
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, method=method)
    try:
        with opener.open(request, timeout=10) as response:
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, error.headers, error.read())


def jsonld_scripts(page: str) -> list[str]:
    return Selector(text=page).css('script[type="application/ld+json"]::text').getall()


def jsonld_nodes(page: str) -> list[dict[str, Any]]:
    """Every top-level node of every JSON-LD block, unwrapping arrays and @graph."""
    nodes: list[dict[str, Any]] = []
    for script in jsonld_scripts(page):
        data = json.loads(script)
        for item in data if isinstance(data, list) else [data]:
            nodes.extend(item["@graph"] if "@graph" in item else [item])
    return nodes


def job_postings(page: str) -> list[dict[str, Any]]:
    return [node for node in jsonld_nodes(page) if node.get("@type") == "JobPosting"]
