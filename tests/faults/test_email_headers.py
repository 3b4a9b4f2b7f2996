"""Fault 13: List-Unsubscribe must reach the SMTP server as the literal `<https://…>` (RFC 2369,
RFC 8058 one-click), not folded into RFC 2047 encoded words. Checked on the bytes the server
received, not on the parsed header."""

from __future__ import annotations

from datetime import date

from stepback.config import Settings
from stepback.digest.smtp import parse_smtp_url
from stepback.digesting import run_digest
from stepback.warehouse import Warehouse
from tests.conftest import posting
from tests.stepback.test_digesting import seed


def header_lines(raw: bytes, name: bytes) -> list[bytes]:
    """A header's physical lines as sent: its first line and any folded continuation."""
    lines = raw.split(b"\r\n") if b"\r\n" in raw else raw.split(b"\n")
    found: list[bytes] = []
    for line in lines[: lines.index(b"")]:
        if line.lower().startswith(name.lower() + b":"):
            found.append(line)
        elif found and line[:1] in (b" ", b"\t") and len(found) == 1:
            found.append(line)
        elif found:
            break
    return found


def test_list_unsubscribe_is_literal_on_the_wire(settings: Settings, smtp_server) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="1")], {"1": 0.9})
    run_digest(warehouse, settings, digest_date=date(2026, 11, 26),
               smtp=parse_smtp_url(smtp_server.url()))

    [received] = smtp_server.handler.received
    [line] = header_lines(received.raw, b"List-Unsubscribe")
    assert line.startswith(b"List-Unsubscribe: <http") and line.endswith(b">"), line
    assert b"=?" not in line
    assert len(line) > 78, "long enough that a 78-column fold would have encoded it"
    assert line.decode("ascii").removeprefix("List-Unsubscribe: ") == (
        received.message["List-Unsubscribe"])
    assert header_lines(received.raw, b"List-Unsubscribe-Post") == [
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
