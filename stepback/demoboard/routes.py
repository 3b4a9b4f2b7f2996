"""URL routing: turns a request path into a response, independent of the HTTP server."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from stepback.demoboard import render_greenhouse, render_html, render_rss
from stepback.demoboard.catalog import Catalog, Posting, detail_path, has_board_page

HTML_TYPE = "text/html; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\n"


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, list[str]]
    base_url: str

    @classmethod
    def from_target(cls, target: str, base_url: str) -> "Request":
        parts = urlsplit(target)
        return cls(unquote(parts.path) or "/", parse_qs(parts.query), base_url)

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


Match = dict[str, str]
View = Callable[[Request, Catalog, Match], Response]


def html_response(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"), HTML_TYPE)


def json_response(data: object, status: int = 200) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), JSON_TYPE)


def redirect(location: str) -> Response:
    return Response(301, b"", TEXT_TYPE, {"Location": location})


def not_found(message: str = "There is no page at this address.") -> Response:
    return html_response(render_html.error_page(404, "Not Found", message), 404)


def _home(request: Request, catalog: Catalog, match: Match) -> Response:
    return html_response(render_html.home_page(catalog, request.base_url))


def _robots(request: Request, catalog: Catalog, match: Match) -> Response:
    return Response(200, ROBOTS_TXT.encode(), TEXT_TYPE)


def _forbidden(request: Request, catalog: Catalog, match: Match) -> Response:
    page = render_html.error_page(403, "Forbidden", "The admin area is private.")
    return html_response(page, 403)


def _jobs_slash(request: Request, catalog: Catalog, match: Match) -> Response:
    return redirect("/jobs/")


def _listing(request: Request, catalog: Catalog, match: Match) -> Response:
    raw = request.param("page") or "1"
    page = render_html.listing_page(catalog, int(raw)) if raw.isdecimal() else None
    return html_response(page) if page is not None else not_found("No such page of jobs.")


def _board_posting(catalog: Catalog, posting_id: str) -> Posting | None:
    posting = catalog.get(posting_id)
    return posting if posting is not None and has_board_page(posting) else None


def _detail(request: Request, catalog: Catalog, match: Match) -> Response:
    posting = _board_posting(catalog, match["id"])
    if posting is None:
        return not_found("This job is not on the board.")
    if request.path != detail_path(posting):
        return redirect(detail_path(posting))
    return html_response(render_html.detail_page(posting, request.base_url))


def _ecn_detail(request: Request, catalog: Catalog, match: Match) -> Response:
    posting = _board_posting(catalog, match["id"])
    if posting is None:
        return not_found("This job is not on the board.")
    return html_response(render_html.detail_page(posting, request.base_url))


def _greenhouse_page(request: Request, catalog: Catalog, match: Match) -> Response:
    posting = catalog.get_greenhouse(match["token"], int(match["gid"]))
    if posting is None:
        return not_found("This job is no longer open.")
    return html_response(render_html.greenhouse_page(posting, match["token"]))


def _greenhouse_board(request: Request, catalog: Catalog, match: Match) -> Response:
    content = request.param("content") == "true"
    board = render_greenhouse.board_json(catalog, match["token"], request.base_url, content)
    return json_response(board) if board else json_response(render_greenhouse.NOT_FOUND, 404)


def _greenhouse_job(request: Request, catalog: Catalog, match: Match) -> Response:
    token = match["token"]
    posting = catalog.get_greenhouse(token, int(match["gid"]))
    if posting is None:
        return json_response(render_greenhouse.NOT_FOUND, 404)
    return json_response(render_greenhouse.job_json(posting, token, request.base_url, True))


def _rss(request: Request, catalog: Catalog, match: Match) -> Response:
    xml = render_rss.feed_xml(catalog, match["feed"], request.base_url)
    return Response(200, xml, RSS_TYPE) if xml is not None else not_found("No such feed.")


ROUTES: list[tuple[re.Pattern[str], View]] = [
    (re.compile(pattern), view)
    for pattern, view in [
        (r"/", _home),
        (r"/robots\.txt", _robots),
        (r"/admin(?:/.*)?", _forbidden),
        (r"/jobs", _jobs_slash),
        (r"/jobs/", _listing),
        (r"/jobs/(?P<id>\d+)/(?:[^/]+/?)?", _detail),
        (r"/[a-z0-9-]+/[a-z0-9-]+/job/(?P<id>\d+)/?", _ecn_detail),
        (r"/boards/(?P<token>[\w-]+)/jobs/(?P<gid>\d+)/?", _greenhouse_page),
        (r"/v1/boards/(?P<token>[\w-]+)/jobs/?", _greenhouse_board),
        (r"/v1/boards/(?P<token>[\w-]+)/jobs/(?P<gid>\d+)/?", _greenhouse_job),
        (r"/(?:rss/)?(?P<feed>ecnjcat\d+)(?:\.xml)?/?", _rss),
    ]
]


def dispatch(request: Request, catalog: Catalog) -> Response:
    for pattern, view in ROUTES:
        match = pattern.fullmatch(request.path)
        if match:
            return view(request, catalog, match.groupdict())
    return not_found()
