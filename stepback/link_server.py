"""`stepback serve`: the small HTTP endpoint behind the digest's feedback and unsubscribe links.

GET on a link shows a one-button confirmation page and changes nothing, so mail scanners that
prefetch links record no verdicts. POST records: the button, or a mail client's RFC 8058
one-click unsubscribe (`List-Unsubscribe=One-Click`). Every link is signed (digest/signing.py).
Each POST is one small transaction on the shared warehouse: it does not wait for loads or
digests, and when other writers of its kind keep committing first for LOCK_WAIT seconds the
endpoint answers 503 with Retry-After.
"""

from __future__ import annotations

import html
import logging
import threading
from contextlib import ExitStack
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb

from stepback.digest.links import FEEDBACK_LABELS
from stepback.digest.signing import Action, BadToken, LinkClaim, Signer
from stepback.feedback import UnknownFeedbackTarget, record_feedback_in
from stepback.subscribers import unsubscribe_in
from stepback.warehouse import Warehouse, WarehouseBusy

log = logging.getLogger(__name__)
ROUTES: dict[str, Action] = {"/feedback/": "feedback", "/unsubscribe/": "unsubscribe"}
MAX_BODY = 4096
LOCK_WAIT = 5.0
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


@dataclass(frozen=True)
class Page:
    status: HTTPStatus
    title: str
    body: str  # already-escaped HTML
    retry_after: int | None = None


class LinkHandler(BaseHTTPRequestHandler):
    server_version = "stepback"
    sys_version = ""
    server: LinkServer

    def do_GET(self) -> None:  # noqa: N802
        self._respond(self._handle(post=False))

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(self._handle(post=False), head=True)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._respond(Page(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Too large", "<p>No.</p>"))
            return
        self.rfile.read(length)  # the form or "List-Unsubscribe=One-Click": nothing to read
        self._respond(self._handle(post=True))

    def _handle(self, *, post: bool) -> Page:
        path = self.path.split("?", 1)[0]
        if path == "/" and not post:
            return Page(HTTPStatus.OK, "stepback", "<p>stepback feedback and unsubscribe links."
                        "</p>")
        for prefix, action in ROUTES.items():
            if path.startswith(prefix):
                try:
                    claim = self.server.signer.verify(path[len(prefix):], action)
                except BadToken:
                    return Page(HTTPStatus.FORBIDDEN, "Link not valid",
                                "<p>This link is not valid. Use the links in your digest.</p>")
                return self.server.act(claim) if post else confirm_page(claim, path)
        return Page(HTTPStatus.NOT_FOUND, "Not found", "<p>Nothing here.</p>")

    def _respond(self, page: Page, *, head: bool = False) -> None:
        data = render_page(page).encode("utf-8")
        self.send_response(page.status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in HEADERS.items():
            self.send_header(name, value)
        if page.retry_after is not None:
            self.send_header("Retry-After", str(page.retry_after))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        # Paths hold tokens (and so addresses): log only the method and status.
        log.debug("%s %s", self.command, args[1] if len(args) > 1 else "")


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        warehouse: Warehouse,
        signer: Signer,
        lock_wait: float = LOCK_WAIT,
    ) -> None:
        super().__init__(address, LinkHandler)
        self.warehouse = replace(warehouse, retry_for=lock_wait)
        self.signer = signer
        # One lake session for the server's life, opened at the first click; clicks take turns
        # on it (each is a few milliseconds), so they never race each other to commit.
        self._session: ExitStack | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._turn = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def act(self, claim: LinkClaim) -> Page:
        if not self.warehouse.exists():  # never create an empty warehouse from a click
            return _unavailable("stepback has no warehouse yet")
        try:
            with self._turn:
                return _apply(self.warehouse, claim, self._connection())
        except (WarehouseBusy, duckdb.IOException):
            return _unavailable("stepback is busy sending or loading")
        except duckdb.Error as exc:
            log.error("could not record a %s link: %s", claim.action, exc)
            self._disconnect()
            return _unavailable("stepback could not record that")

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            stack = ExitStack()
            self._con = stack.enter_context(self.warehouse.connect())
            self._session = stack
        return self._con

    def _disconnect(self) -> None:
        with self._turn:
            if self._session is not None:
                self._session.close()
            self._session, self._con = None, None

    def server_close(self) -> None:
        self._disconnect()
        super().server_close()


def _unavailable(why: str) -> Page:
    return Page(HTTPStatus.SERVICE_UNAVAILABLE, "Try again soon",
                f"<p>{_e(why)}; try again in a minute.</p>", retry_after=30)


def _apply(warehouse: Warehouse, claim: LinkClaim, con: duckdb.DuckDBPyConnection) -> Page:
    if claim.action == "unsubscribe":
        unsubscribe_in(warehouse, claim.email, con)
        return Page(HTTPStatus.OK, "Unsubscribed",
                    f"<p>{_e(claim.email)} will get no more stepback digests.</p>"
                    "<p>Changed your mind? Run <code>stepback subscribe</code> with your "
                    "profile file.</p>")
    try:
        record_feedback_in(warehouse, claim.email, claim.job_key, claim.label, "email", con)
    except UnknownFeedbackTarget:
        return Page(HTTPStatus.GONE, "No longer here",
                    "<p>That job or subscription is no longer in stepback.</p>")
    return Page(HTTPStatus.OK, "Thank you",
                f"<p>Recorded “{_e(FEEDBACK_LABELS.get(claim.label, claim.label))}”. It helps "
                "stepback pick better roles for you.</p>")


def confirm_page(claim: LinkClaim, path: str) -> Page:
    if claim.action == "unsubscribe":
        question = f"Stop sending the stepback digest to {_e(claim.email)}?"
        button = "Unsubscribe"
    else:
        question = f"Record “{_e(FEEDBACK_LABELS.get(claim.label, claim.label))}” for this role?"
        button = "Yes, record it"
    form = (f'<form method="post" action="{_e(path)}"><button type="submit" style="padding:10px '
            f'18px;font-size:16px;">{button}</button></form>')
    return Page(HTTPStatus.OK, "Confirm", f"<p>{question}</p>{form}")


def render_page(page: Page) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(page.title)} · stepback</title></head>"
        '<body style="font-family:Helvetica,Arial,sans-serif;max-width:480px;margin:40px auto;'
        f'padding:0 16px;color:#18181b;"><h1 style="font-size:20px;">{_e(page.title)}</h1>'
        f"{page.body}</body></html>"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def start(server: LinkServer) -> threading.Thread:
    """Serve in a background thread (tests, benchmarks); `server.shutdown()` stops it."""
    thread = threading.Thread(target=server.serve_forever, name="stepback-links", daemon=True)
    thread.start()
    return thread
