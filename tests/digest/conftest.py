"""A real SMTP server on 127.0.0.1 (aiosmtpd) and sample digest data."""

from __future__ import annotations

import datetime
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from stepback.digest import DigestItem, Subscriber, render_digest

DIGEST_DATE = datetime.date(2026, 11, 26)
SENDER = "stepback digest <digest@stepback.example>"


def free_port() -> int:
    """A port nothing listens on right now (aiosmtpd cannot always bind port 0 itself)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    peer: Any
    message: EmailMessage


@dataclass
class RecordingHandler:
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=default)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), session.peer, parsed)
        )
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: RecordingHandler

    def url(self, userinfo: str = "", query: str = "") -> str:
        at = f"{userinfo}@" if userinfo else ""
        return f"smtp://{at}{self.host}:{self.port}{query}"


def _authenticator(login: str, password: str) -> Callable[..., AuthResult]:
    def check(server, session, envelope, mechanism, auth_data) -> AuthResult:
        good = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (login, password)
        return AuthResult(success=good, handled=False)

    return check


@pytest.fixture
def start_smtp() -> Iterator[Callable[..., SmtpServer]]:
    """Start real SMTP servers on free ports; `credentials=(user, pass)` requires AUTH."""
    controllers: list[Controller] = []

    def start(credentials: tuple[str, str] | None = None) -> SmtpServer:
        handler = RecordingHandler()
        port = free_port()
        options: dict[str, Any] = {}
        if credentials is not None:
            options = {"authenticator": _authenticator(*credentials), "auth_require_tls": False}
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return SmtpServer("127.0.0.1", port, handler)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 with no server: connections are refused."""
    return free_port()


@pytest.fixture
def smtp_server(start_smtp: Callable[..., SmtpServer]) -> SmtpServer:
    return start_smtp()


def _subscriber(**changes: Any) -> Subscriber:
    fields: dict[str, Any] = {
        "name": "Andrea Ruiz",
        "email": "andrea@example.com",
        "title": "Associate Producer",
        "departments": ("unscripted", "live events"),
    }
    return Subscriber(**(fields | changes))


def _item(number: int, **changes: Any) -> DigestItem:
    fields: dict[str, Any] = {
        "source": "jsonld:demo-board",
        "source_id": f"job-{number}",
        "title": f"Production Assistant {number}",
        "url": f"https://jobs.example.com/postings/{number}",
        "company": f"Studio {number}",
        "production": f"Show {number}",
        "location": "Los Angeles, CA",
        "remote": False,
        "pay_min": 250,
        "pay_max": 250,
        "pay_currency": "USD",
        "pay_unit": "day",
        "posted_at": "2026-11-24T09:30:00Z",
        "score": 0.9,
        "level_gap": 2,
        "prestige": 0.8,
        "reasons": [f"Reason A for item {number}.", f"Reason B for item {number}."],
    }
    return DigestItem(**(fields | changes))


@pytest.fixture
def make_subscriber() -> Callable[..., Subscriber]:
    """Andrea, an associate producer; keyword arguments replace fields."""
    return _subscriber


@pytest.fixture
def make_item() -> Callable[..., DigestItem]:
    """Posting number N with distinct title, URL, company and reasons; keywords replace fields."""
    return _item


@pytest.fixture
def render() -> Callable[..., EmailMessage]:
    """render_digest with the test date and sender."""

    def run(subscriber: Subscriber, items: list[DigestItem], **options: Any) -> EmailMessage:
        return render_digest(subscriber, items, digest_date=DIGEST_DATE, sender=SENDER, **options)

    return run
