"""deliver: a real SMTP server on 127.0.0.1, refusals, a server that is down, and the outbox."""

from __future__ import annotations

import time
from email import message_from_bytes
from email.policy import default

import pytest

from stepback.digest import deliver, parse_smtp_url
from stepback.digest.render import DIGEST_ID_HEADER

EMAILS = ["andrea@example.com", "bo@example.com", "cy@example.com"]


@pytest.fixture
def digests(render, make_subscriber, make_item):
    """One digest per address; subscriber k gets k+1 items."""
    return [
        render(
            make_subscriber(name=f"Person {k}", email=email),
            [make_item(n) for n in range(1, k + 2)],
            unsubscribe_url=f"https://stepback.example/u/{k}",
        )
        for k, email in enumerate(EMAILS)
    ]


def test_sends_every_digest_over_one_connection(smtp_server, digests, tmp_path):
    report = deliver(digests, smtp_url=smtp_server.url(), outbox=tmp_path)

    assert report.sent == EMAILS and report.failed == {} and report.written == []
    received = smtp_server.handler.received
    assert [r.rcpt_tos for r in received] == [[e] for e in EMAILS]
    assert {r.peer for r in received} == {received[0].peer}, "one connection for all messages"
    assert {r.mail_from for r in received} == {"digest@stepback.example"}
    assert list(tmp_path.iterdir()) == []


def test_received_digest_is_complete_multipart_email(smtp_server, digests, tmp_path):
    deliver(digests, smtp_url=smtp_server.url(), outbox=tmp_path)
    last = smtp_server.handler.received[-1].message

    assert last.get_content_type() == "multipart/alternative"
    assert last["Subject"] == "3 step-back roles on high-profile productions — Thu 26 Nov"
    assert last["To"].addresses[0].addr_spec == "cy@example.com"
    assert last["Message-ID"] == digests[-1]["Message-ID"] and last["Date"]
    assert last["List-Unsubscribe"] == "<https://stepback.example/u/2>"
    assert last["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = last.get_body(preferencelist=("plain",)).get_content()
    html = last.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        positions = [body.index(f"Production Assistant {n}") for n in (1, 2, 3)]
        assert positions == sorted(positions)
        assert "Reason B for item 3." in body


def test_refused_recipient_fails_alone(smtp_server, digests, tmp_path):
    smtp_server.handler.refuse.add("bo@example.com")

    report = deliver(digests, smtp_url=smtp_server.url(), outbox=tmp_path)

    assert report.sent == ["andrea@example.com", "cy@example.com"]
    assert list(report.failed) == ["bo@example.com"]
    assert "550" in report.failed["bo@example.com"]
    assert "\n" not in report.failed["bo@example.com"]
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [
        ["andrea@example.com"],
        ["cy@example.com"],
    ]


def test_server_down_fails_every_message_without_raising(closed_port, digests, tmp_path):
    port = closed_port
    started = time.monotonic()

    report = deliver(digests, smtp_url=f"smtp://user:s3cret@127.0.0.1:{port}", outbox=tmp_path)

    assert time.monotonic() - started < 10
    assert report.sent == [] and list(report.failed) == EMAILS
    reason = report.failed["andrea@example.com"]
    assert f"127.0.0.1:{port}" in reason and "refused the connection" in reason
    assert "s3cret" not in reason and "\n" not in reason
    assert list(tmp_path.iterdir()) == [], "a failed send must not fall back to the outbox"


def test_login_with_credentials_from_url(start_smtp, digests, tmp_path):
    server = start_smtp(credentials=("mailer", "p@ss word"))

    good = deliver(digests[:1], smtp_url=server.url("mailer:p%40ss%20word"), outbox=tmp_path)
    bad = deliver(digests[:1], smtp_url=server.url("mailer:wrong"), outbox=tmp_path)

    assert good.sent == ["andrea@example.com"] and good.failed == {}
    assert bad.sent == [] and "login" in bad.failed["andrea@example.com"]
    assert "535" in bad.failed["andrea@example.com"]
    assert len(server.handler.received) == 1


def test_starttls_required_but_unsupported_sends_nothing(smtp_server, digests, tmp_path):
    report = deliver(digests, smtp_url=smtp_server.url(query="?starttls=true"), outbox=tmp_path)

    assert report.sent == [] and list(report.failed) == EMAILS
    assert "STARTTLS" in report.failed["cy@example.com"]
    assert smtp_server.handler.received == []


def test_deliver_accepts_settings_object(smtp_server, digests, tmp_path):
    settings = parse_smtp_url(smtp_server.url())

    report = deliver(digests[:2], smtp=settings, outbox=tmp_path)

    assert report.sent == EMAILS[:2]
    with pytest.raises(ValueError, match="not both"):
        deliver(digests, smtp_url=smtp_server.url(), smtp=settings, outbox=tmp_path)


def test_bad_smtp_url_raises_before_sending(smtp_server, digests, tmp_path):
    with pytest.raises(ValueError, match="scheme"):
        deliver(digests, smtp_url=f"http://127.0.0.1:{smtp_server.port}", outbox=tmp_path)
    assert smtp_server.handler.received == []


def test_hostile_profile_and_posting_cannot_add_recipients(
    smtp_server, render, make_subscriber, make_item, tmp_path
):
    subscriber = make_subscriber(name='Eve "x"\r\nBcc: x@evil.example')
    item = make_item(1, title="<script>alert(1)</script>\r\nBcc: y@evil.example")

    report = deliver([render(subscriber, [item])], smtp_url=smtp_server.url(), outbox=tmp_path)

    (received,) = smtp_server.handler.received
    assert report.sent == ["andrea@example.com"]
    assert received.rcpt_tos == ["andrea@example.com"]
    assert received.message["Bcc"] is None
    html = received.message.get_body(preferencelist=("html",)).get_content()
    assert "<script" not in html and "&lt;script&gt;" in html


def test_outbox_gets_eml_and_html_when_no_smtp(digests, tmp_path):
    outbox = tmp_path / "outbox"

    report = deliver(digests, smtp_url=None, outbox=outbox)

    assert report.sent == [] and report.failed == {}
    assert len(report.written) == 6 and all(path.parent == outbox for path in report.written)
    assert sorted(p.name for p in outbox.iterdir()) == sorted(p.name for p in report.written)
    eml, page = report.written[0], report.written[1]
    assert eml.suffix == ".eml" and page.suffix == ".html" and eml.stem == page.stem
    assert eml.stem == digests[0][DIGEST_ID_HEADER]
    saved = message_from_bytes(eml.read_bytes(), policy=default)
    assert saved["Subject"] == digests[0]["Subject"]
    assert saved.get_content_type() == "multipart/alternative"
    html = digests[0].get_body(preferencelist=("html",)).get_content()
    assert page.read_text(encoding="utf-8") == html


def test_outbox_rerun_overwrites_instead_of_doubling(
    render, make_subscriber, make_item, digests, tmp_path
):
    deliver(digests, smtp_url=None, outbox=tmp_path)
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = [
        render(make_subscriber(name=f"Person {k}", email=e), [make_item(9)])
        for k, e in enumerate(EMAILS)
    ]

    deliver(again, smtp_url=None, outbox=tmp_path)

    second = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert second.keys() == first.keys(), "same names, no temp files left, nothing doubled"
    assert all(b"Production Assistant 9" in second[name] for name in second)


def test_outbox_name_from_a_tampered_header_stays_inside(digests, tmp_path):
    message = digests[0]
    del message[DIGEST_ID_HEADER]
    message[DIGEST_ID_HEADER] = "../../escape"

    report = deliver([message], smtp_url=None, outbox=tmp_path / "outbox")

    assert [p.name for p in report.written] == ["escape.eml", "escape.html"]
    assert all(p.parent == tmp_path / "outbox" for p in report.written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outbox"]


def test_a_generator_is_sent_one_by_one_and_failures_cover_the_rest(
    smtp_server, closed_port, digests, tmp_path
):
    taken = []

    def one_by_one():
        for message in digests:
            taken.append(message)
            yield message

    assert deliver(one_by_one(), smtp_url=smtp_server.url(), outbox=tmp_path).sent == EMAILS
    report = deliver(iter(digests), smtp_url=f"smtp://127.0.0.1:{closed_port}", outbox=tmp_path)
    assert list(report.failed) == EMAILS and report.sent == []
    nothing = deliver(iter([]), smtp_url=f"smtp://127.0.0.1:{closed_port}", outbox=tmp_path)
    assert nothing.failed == {} and nothing.sent == [], "no message, no connection"
    assert len(taken) == 3
