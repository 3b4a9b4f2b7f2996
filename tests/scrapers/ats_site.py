"""A stdlib HTTP server on 127.0.0.1 that plays the ATS APIs from saved responses.

Unlike conftest's FixtureSite it matches GET queries in any order, answers POSTed Workday
searches by the body's `offset`, records each request (method, path, body, content type), and
rewrites the real API hosts in what it serves to its own URL, so `ref` links stay on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.local_http import QuietHandler, serve, stop, url_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scrapers"
JSON = "application/json;charset=UTF-8"
REWRITTEN_HOSTS = (b"https://api.smartrecruiters.com",)

LEVER = "/v0/postings/skydance"
ASHBY = "/posting-api/job-board/wrapbook"
SMARTRECRUITERS = "/v1/companies/NBCUniversal3/postings"
WORKDAY = "/wday/cxs/disney/disneycareer"

# (path, sorted query items) -> fixture; a missing route is a 404.
GET_ROUTES: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {
    (LEVER, (("limit", "3"), ("mode", "json"))): "lever/skydance-postings-0.json",
    (LEVER, (("limit", "3"), ("mode", "json"), ("skip", "3"))): "lever/skydance-postings-3.json",
    ("/v0/postings/gone", (("mode", "json"),)): "lever/not-found.json",
    (ASHBY, (("includeCompensation", "true"),)): "ashby/wrapbook-jobs.json",
    (SMARTRECRUITERS, (("limit", "2"), ("offset", "0"))): (
        "smartrecruiters/nbcuniversal-postings-0.json"
    ),
    (SMARTRECRUITERS, (("limit", "2"), ("offset", "2"))): (
        "smartrecruiters/nbcuniversal-postings-2.json"
    ),
    **{
        (f"{SMARTRECRUITERS}/{posting}", ()): f"smartrecruiters/posting-{posting}.json"
        for posting in ("744000098765432", "744000098765433", "744000098765502")
    },
    **{
        (f"{WORKDAY}/job/{where}/{slug}_{req}", ()): f"workday/job-{req}.json"
        for where, slug, req in [
            ("Hollywood-CA-USA", "Production-Assistant--Jimmy-Kimmel-Live-", "10123456"),
            ("Burbank-CA-USA", "Coordinator--Production-Finance", "10123999"),
            ("Glendale-CA-USA", "Post-Production-Supervisor", "10124100"),
            ("London-England-United-Kingdom", "Production-Coordinator--Disney--Originals",
             "10124333-1"),
        ]
    },
}
# Fixtures served with an error status, as the real API does.
STATUS = {"lever/not-found.json": 404}
# (path, offset in the POSTed search) -> fixture
POST_ROUTES: dict[tuple[str, int], str] = {
    (f"{WORKDAY}/jobs", offset): f"workday/disney-jobs-offset-{offset}.json"
    for offset in (0, 2, 4)
}


@dataclass
class Seen:
    method: str
    path: str
    body: Any = None
    content_type: str | None = None


@dataclass
class AtsSite:
    requests: list[Seen] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return url_of(self.server)

    def requested(self, method: str, prefix: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.method == method
                and seen.path.startswith(prefix)]

    def body_for(self, fixture: str) -> bytes:
        body = (FIXTURES / fixture).read_bytes()
        for host in REWRITTEN_HOSTS:
            body = body.replace(host, self.url.encode())
        return body

    def start(self) -> None:
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                site.requests.append(Seen("GET", self.path))
                if self.path == "/robots.txt":
                    self.answer(b"User-agent: *\nDisallow: /private/\n", "text/plain")
                    return
                parts = urlsplit(self.path)
                key = (parts.path, tuple(sorted(parse_qsl(parts.query))))
                self.answer_fixture(GET_ROUTES.get(key))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"null")
                except ValueError:
                    body = None
                content_type = self.headers.get("Content-Type")
                site.requests.append(Seen("POST", self.path, body, content_type))
                if not isinstance(body, dict) or content_type != "application/json":
                    self.send_error(422)  # as Workday answers a search it cannot read
                    return
                self.answer_fixture(POST_ROUTES.get((self.path, body.get("offset"))))

            def answer_fixture(self, fixture: str | None) -> None:
                if fixture is None:
                    self.send_error(404)
                    return
                self.answer(site.body_for(fixture), JSON, STATUS.get(fixture, 200))

        self.server = serve(Handler)

    def stop(self) -> None:
        assert self.server is not None
        stop(self.server)
