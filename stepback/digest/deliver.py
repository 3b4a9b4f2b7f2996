"""Send rendered digests over one SMTP connection, or write them to the outbox."""

from __future__ import annotations

import itertools
import os
import smtplib
import ssl
import tempfile
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from stepback.digest.formatting import one_line, short_hash, slug
from stepback.digest.render import DIGEST_ID_HEADER
from stepback.digest.smtp import SmtpSettings, SmtpTarget, parse_smtp_url

# Hears of each message as soon as its fate is known: None when delivered (or written), else
# why not.
AfterEach = Callable[[EmailMessage, str | None], None]


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def deliver(
    messages: Iterable[EmailMessage],
    *,
    outbox: Path,
    smtp_url: str | None = None,
    smtp: SmtpTarget | None = None,
    after: AfterEach | None = None,
) -> DeliveryReport:
    """Send over SMTP when configured, else write `.eml` and `.html` files to `outbox`.

    Delivery failures land in the report; only a malformed `smtp_url` raises (ValueError).
    `messages` may be a generator: each is rendered, sent and dropped in turn, and `after`
    hears of each one as soon as it is delivered or has failed.
    """
    if smtp_url is not None and smtp is not None:
        raise ValueError("pass smtp_url or smtp, not both")
    settings = parse_smtp_url(smtp_url) if smtp_url is not None else smtp
    if settings is None:
        return write_outbox(messages, Path(outbox), after)
    return send_all(messages, settings, after)


def write_outbox(
    messages: Iterable[EmailMessage], outbox: Path, after: AfterEach | None = None
) -> DeliveryReport:
    """Write `<stem>.eml` and `<stem>.html` per message; the same digest overwrites its files."""
    outbox.mkdir(parents=True, exist_ok=True)
    report = DeliveryReport()
    for message in messages:
        stem = outbox_stem(message)
        eml = outbox / f"{stem}.eml"
        _write_atomic(eml, message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        report.written.append(eml)
        html = message.get_body(preferencelist=("html",))
        if html is not None:
            page = outbox / f"{stem}.html"
            _write_atomic(page, html.get_content().encode("utf-8"))
            report.written.append(page)
        if after:
            after(message, None)
    return report


def outbox_stem(message: EmailMessage) -> str:
    """The stem render_digest chose, re-checked; never a path, whatever the header holds."""
    stem = slug(str(message.get(DIGEST_ID_HEADER, "")), limit=120)
    if stem:
        return stem
    recipients = ",".join(recipients_of(message))
    return f"{slug(recipients) or 'message'}-{short_hash(str(message.get('Message-ID', '')))}"


def _write_atomic(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def recipients_of(message: EmailMessage) -> list[str]:
    headers = [str(message[name]) for name in ("To", "Cc", "Bcc") if message[name] is not None]
    return [address for _name, address in getaddresses(headers) if address]


def send_all(
    messages: Iterable[EmailMessage], settings: SmtpTarget, after: AfterEach | None = None
) -> DeliveryReport:
    """Send every message over one connection; nothing raises, failures are recorded.

    `settings` is an SMTP URL's settings, or anything that opens a connection itself (the
    Airflow SMTP hook): a failure to connect, log in or keep the connection fails every
    message not yet accepted. No message, no connection.
    """
    report = DeliveryReport()
    pending = iter(messages)
    current = next(pending, None)
    if current is None:
        return report
    try:
        with _open(settings) as client:
            while current is not None:
                failure = _send_one(client, current, report)
                if after:
                    after(current, failure)
                current = next(pending, None)
    except Exception as exc:  # noqa: BLE001 - hooks raise their own types; all mean "not sent"
        reason = _connection_reason(exc, settings)
        done = set(report.sent) | set(report.failed)
        unsent = pending if current is None else itertools.chain([current], pending)
        for message in unsent:
            for address in recipients_of(message) or [_unaddressed(message)]:
                if address not in done:
                    report.failed[address] = reason
            if after:
                after(message, reason)
    return report


def _open(target: SmtpTarget) -> AbstractContextManager[smtplib.SMTP]:
    if isinstance(target, SmtpSettings):
        return _connect(target)
    return target.connect()


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    client: smtplib.SMTP
    if settings.ssl:
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=_tls_context()
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            client.starttls(context=_tls_context())
        if settings.user:
            client.login(settings.user, settings.password or "")
    except BaseException:
        client.close()
        raise
    return client


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _send_one(
    client: smtplib.SMTP, message: EmailMessage, report: DeliveryReport
) -> str | None:
    """Send one message; returns why it failed (for its first refused recipient), or None."""
    recipients = recipients_of(message)
    if not recipients:
        report.failed[_unaddressed(message)] = "message has no recipient"
        return "message has no recipient"
    try:
        refused = client.send_message(message, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        for address in recipients:
            report.failed[address] = _refusal(exc.recipients.get(address))
        return report.failed[recipients[0]]
    except smtplib.SMTPServerDisconnected:
        raise
    except (smtplib.SMTPResponseException, smtplib.SMTPNotSupportedError) as exc:
        for address in recipients:
            report.failed[address] = _response_reason(exc)
        return report.failed[recipients[0]]
    for address in recipients:
        if address in refused:
            report.failed[address] = _refusal(refused[address])
        else:
            report.sent.append(address)
    failures = [report.failed[a] for a in recipients if a in refused]
    return failures[0] if failures else None


def _refusal(response: tuple[int, bytes] | None) -> str:
    if response is None:
        return "recipient refused by the SMTP server"
    code, text = response
    return one_line(f"recipient refused: {code} {_decode(text)}")


def _response_reason(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        response = f"{exc.smtp_code} {_decode(exc.smtp_error)}"
        return one_line(f"SMTP server refused the message: {response}")
    return one_line(f"SMTP server cannot take the message: {exc}")


def _connection_reason(exc: BaseException, settings: SmtpTarget) -> str:
    where = settings.address
    if isinstance(exc, ConnectionRefusedError):
        return f"SMTP server {where} refused the connection (is it running?)"
    if isinstance(exc, TimeoutError):
        return f"SMTP server {where} did not answer within {settings.timeout:g} s"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return one_line(f"SMTP login to {where} failed: {exc.smtp_code} {_decode(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return one_line(f"SMTP server {where}: {exc} Nothing was sent.")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return one_line(f"SMTP server {where} closed the connection: {exc}")
    if isinstance(exc, ssl.SSLError):
        return one_line(f"TLS with SMTP server {where} failed: {exc.reason or exc}")
    return one_line(f"SMTP delivery via {where} failed: {type(exc).__name__}: {exc}")


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def _unaddressed(message: EmailMessage) -> str:
    return f"<no recipient: {one_line(message.get('Message-ID', ''), limit=100)}>"
