"""digest_10k: digests per second, rendered and sent to a local SMTP server for 10,000 people.

The server is aiosmtpd's Sink handler on 127.0.0.1, in its own process so it does not share
this one's interpreter. Each subscriber gets five of fifty sample postings, in their own order,
with signed feedback and unsubscribe links; rendering (Jinja, escaping, MIME) and sending
(`deliver`, one connection, every reply checked) are both timed. The baseline is the same
server taking 10,000 copies of one already-built digest from `smtplib.sendmail` over one
connection: the ratio is how close the digest gets to the wire's own rate.
"""

from __future__ import annotations

import datetime
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

from bench.report import BenchError, BenchResult, progress
from stepback.digest import DigestItem, Subscriber, deliver, render_digest
from stepback.digest.links import DigestLinks
from stepback.digest.signing import Signer
from stepback.digest.smtp import SmtpSettings

DAY = datetime.date(2026, 11, 26)
SENDER = "stepback digest <digest@stepback.example>"
LINKS = DigestLinks("http://127.0.0.1:8766", Signer(b"bench-secret-0123456789"))
SHOWS = ["The Oscars", "Saturday Night Live", "Survivor", "The Voice", "Jeopardy!",
         "Grey's Anatomy", "Monday Night Football", "The Tonight Show", "Top Chef", "Abbott"]
ROLES = ["Production Assistant", "Set PA", "Logger", "Office PA", "Runner"]


def sample_items() -> list[DigestItem]:
    return [
        DigestItem(
            source="jsonld:bench", source_id=str(n), job_key=f"job-{n:04d}",
            title=f"{ROLES[n % len(ROLES)]} – {SHOWS[n % len(SHOWS)]}",
            company=f"Studio {n % 17}", production=SHOWS[n % len(SHOWS)],
            location="Los Angeles, CA", remote=n % 7 == 0, pay_min=200 + n, pay_max=250 + n,
            pay_currency="USD", pay_unit="day", posted_at=DAY - datetime.timedelta(days=n % 5),
            score=0.95 - n / 100, level_gap=1 + n % 3, prestige=0.8,
            reasons=[f"{1 + n % 3} levels below your Associate Producer",
                     f"{SHOWS[n % len(SHOWS)]}: a production whose crew hires for years"],
            url=f"https://jobs.example.com/postings/{n}",
            other_urls=[f"https://board.example.com/jobs/{n}"] if n % 3 == 0 else [],
        )
        for n in range(50)
    ]


def rendered(count: int, items: list[DigestItem]) -> Iterator[EmailMessage]:
    """Subscriber k's digest: five of the sample postings, starting at a different one."""
    for k in range(count):
        yield render_digest(
            Subscriber(name=f"Person {k}", email=f"person{k}@example.com",
                       title="Associate Producer", departments=("unscripted",)),
            [items[(k + j * 7) % len(items)] for j in range(5)],
            digest_date=DAY, sender=SENDER, links=LINKS,
        )


def digest_10k(count: int = 10_000) -> BenchResult:
    items = sample_items()
    with sink_server() as smtp:
        sample = next(rendered(1, items))
        fixed = sample.as_bytes(policy=sample.policy.clone(linesep="\r\n"))
        started = time.perf_counter()
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as client:
            for k in range(count):
                client.sendmail("digest@stepback.example", [f"person{k}@example.com"], fixed)
        baseline = count / (time.perf_counter() - started)
        progress(f"digest_10k baseline: {count} fixed messages, {baseline:.0f} messages/s")

        started = time.perf_counter()
        # As run_digest does: each digest rendered just before it is sent, one connection.
        report = deliver(rendered(count, items), outbox=Path("unused"), smtp=smtp)
        value = count / (time.perf_counter() - started)
    if len(report.sent) != count or report.failed:
        raise BenchError(f"digest_10k: {len(report.sent)} of {count} accepted; "
                         f"first failure {next(iter(report.failed.values()), None)}")
    progress(f"digest_10k: {count} digests rendered and sent, {value:.0f} messages/s")
    return BenchResult("digest_10k", value, "messages/s", baseline)


@contextmanager
def sink_server() -> Iterator[SmtpSettings]:
    """aiosmtpd's Sink (accepts and discards) on a free 127.0.0.1 port, in a subprocess."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, process)
        yield SmtpSettings(host="127.0.0.1", port=port, timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"digest_10k: aiosmtpd exited: {process.stderr.read()[-300:]!r}"
                             if process.stderr else "digest_10k: aiosmtpd exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise BenchError("digest_10k: aiosmtpd did not start within 20 s")
