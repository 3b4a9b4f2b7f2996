"""render_digest: structure, headers, content, escaping and link safety of the digest email."""

from __future__ import annotations

import datetime
import re
from email import message_from_bytes
from email.policy import default
from email.utils import parsedate_to_datetime
from importlib.resources import files

import pytest

from stepback.digest import DigestItem, Subscriber, digest_filename, digest_subject
from stepback.digest.formatting import pay_label, posted_label

HOSTILE_TITLE = "Runner <script>alert(1)</script> \"quoted\" 'single'\nBcc: victim@evil.example"


def parts(message):
    """(text, html) contents after a round trip through bytes, as a mail client sees them."""
    parsed = message_from_bytes(message.as_bytes(), policy=default)
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    return parsed, text, html


def test_message_is_multipart_alternative_with_plain_then_html(render, make_subscriber, make_item):
    parsed, text, html = parts(render(make_subscriber(), [make_item(1)]))

    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert "Production Assistant 1" in text
    assert html.lstrip().startswith("<!DOCTYPE html>")


def test_subject_counts_roles_with_singular_and_date(render, make_subscriber, make_item):
    four = render(make_subscriber(), [make_item(n) for n in range(1, 5)])
    one = render(make_subscriber(), [make_item(1)])

    assert four["Subject"] == "4 step-back roles on high-profile productions — Thu 26 Nov"
    assert one["Subject"] == "1 step-back role on a high-profile production — Thu 26 Nov"
    assert digest_subject(0, datetime.date(2026, 11, 27)) == "No new step-back roles — Fri 27 Nov"


def test_headers_identify_sender_recipient_date_and_message(render, make_subscriber, make_item):
    first = render(make_subscriber(), [make_item(1)])
    second = render(make_subscriber(), [make_item(1)])

    assert first["From"].addresses[0].addr_spec == "digest@stepback.example"
    assert first["To"].addresses[0].display_name == "Andrea Ruiz"
    assert first["To"].addresses[0].addr_spec == "andrea@example.com"
    assert parsedate_to_datetime(first["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^<>@\s]+@stepback\.example>", first["Message-ID"])
    assert first["Message-ID"] != second["Message-ID"]


def test_list_unsubscribe_headers_only_when_url_given(render, make_subscriber, make_item):
    url = "https://stepback.example/unsubscribe?token=abc&list=digest"
    with_url = render(make_subscriber(), [make_item(1)], unsubscribe_url=url)
    without = render(make_subscriber(), [make_item(1)])

    assert with_url["List-Unsubscribe"] == f"<{url}>"
    assert with_url["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert without["List-Unsubscribe"] is None and without["List-Unsubscribe-Post"] is None
    _, text, html = parts(with_url)
    assert url in text and url.replace("&", "&amp;") in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "mailto:x@example.com", "/relative"])
def test_unsubscribe_url_must_be_http(render, make_subscriber, make_item, url):
    with pytest.raises(ValueError, match="http"):
        render(make_subscriber(), [make_item(1)], unsubscribe_url=url)


def test_items_appear_in_given_order_with_same_content_in_both_parts(
    render, make_subscriber, make_item
):
    items = [make_item(3), make_item(1), make_item(4), make_item(2)]
    _, text, html = parts(render(make_subscriber(), items))

    for body in (text, html):
        titles = [body.index(f"Production Assistant {item.source_id[-1]}") for item in items]
        assert titles == sorted(titles), "items must keep the order the caller gave"
        for item in items:
            for expected in (item.company, item.production, item.url, *item.reasons):
                assert expected in body
        assert body.count("$250/day") == 4
        assert body.count("Posted Tue 24 Nov") == 4
        assert "4 step-back roles on high-profile productions" in body
        assert "4 productions · 4 companies" in body


def test_text_part_lists_reasons_as_bullets_and_link_lines(render, make_subscriber, make_item):
    _, text, _ = parts(render(make_subscriber(), [make_item(1)]))

    assert "   - Reason A for item 1.\n   - Reason B for item 1.\n" in text
    assert "View posting: https://jobs.example.com/postings/1" in text


def test_html_is_inline_styled_single_column_without_style_block(
    render, make_subscriber, make_item
):
    _, _, html = parts(render(make_subscriber(), [make_item(1), make_item(2)]))

    assert "<style" not in html.lower()
    assert "max-width:600px" in html
    assert 'name="viewport"' in html
    assert html.count("<li ") == 4 and html.count('<li style="') == 4
    assert '<a href="https://jobs.example.com/postings/2"' in html


def test_hostile_posting_is_escaped_and_kept_on_one_line(render, make_subscriber, make_item):
    item = make_item(1, title=HOSTILE_TITLE, company='Acme "<b>"', reasons=["<img src=x>"])
    message = render(make_subscriber(), [item])
    parsed, text, html = parts(message)

    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;quoted&#34;" in html and "&#39;single&#39;" in html
    title_line = next(line for line in text.splitlines() if "Runner" in line)
    assert title_line.endswith("Bcc: victim@evil.example")
    assert not any(line.startswith("Bcc:") for line in text.splitlines())
    assert parsed["Bcc"] is None
    assert "\n" not in parsed["Subject"] and "\r" not in parsed["Subject"]


def test_profile_name_cannot_add_a_header(render, make_subscriber, make_item):
    subscriber = make_subscriber(name="Eve\r\nBcc: x@evil.example\r\nX-Injected: 1")
    raw = render(subscriber, [make_item(1)]).as_bytes()
    parsed = message_from_bytes(raw, policy=default)

    assert parsed["Bcc"] is None and parsed["X-Injected"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["andrea@example.com"]
    assert parsed["To"].addresses[0].display_name == "Eve Bcc: x@evil.example X-Injected: 1"
    assert not re.search(rb"^(Bcc|X-Injected):", raw, flags=re.MULTILINE)


def test_control_and_bidi_characters_are_removed(render, make_subscriber, make_item):
    title = "Grip\x00 \x1b[31mred\x1b[0m \u202eevil\u202c\u2028next"
    subscriber = make_subscriber(name="Eve\x00\x0bSmith\u2029")
    message = render(subscriber, [make_item(1, title=title, reasons=["a\x85b"])])
    _, text, html = parts(message)

    for body in (text, html):
        assert not any(ch in body for ch in "\x00\x1b\x0b\x85\u202e\u202c\u2028\u2029")
        assert "Grip [31mred [0m evil next" in body and "a b" in body
    assert message["To"].addresses[0].display_name == "Eve Smith"


def test_subscriber_email_with_line_break_is_rejected(render, make_subscriber, make_item):
    with pytest.raises(ValueError):
        render(make_subscriber(email="a@example.com\r\nBcc: x@evil.example"), [make_item(1)])


def test_non_http_links_are_dropped_and_item_shows_no_link(render, make_subscriber, make_item):
    bad = make_item(1, url="javascript:alert(document.cookie)", other_urls=["data:text/html,x"])
    mixed = make_item(
        2,
        other_urls=[
            "JAVASCRIPT:alert(2)",
            "javascript://www.mandy.com/%0Aalert(3)",
            "https://www.mandy.com/job/2",
            "https://www.mandy.com/job/2 onmouseover=alert(4)",
        ],
    )
    _, text, html = parts(render(make_subscriber(), [bad, mixed]))

    for body in (text, html):
        assert "javascript" not in body.lower() and "data:" not in body
        assert body.count("No safe link to this posting.") == 1
    assert html.count("href=") == 3
    assert '<a href="https://www.mandy.com/job/2" style="color:#1d4ed8;">mandy.com</a>' in html
    assert "Also on: https://www.mandy.com/job/2" in text


def test_footer_says_why_and_how_to_change_profile(render, make_subscriber, make_item):
    _, text, html = parts(render(make_subscriber(), [make_item(1)]))

    for body in (text, html):
        assert "Associate Producer in unscripted, live events" in body
        assert "stepback subscribe" in body


def test_profile_link_replaces_cli_hint_when_given(render, make_subscriber, make_item):
    subscriber = make_subscriber(profile_url="https://stepback.example/profile")
    _, text, html = parts(render(subscriber, [make_item(1)]))

    assert "Change your profile: https://stepback.example/profile" in text
    assert '<a href="https://stepback.example/profile"' in html
    assert "stepback subscribe" not in text


def test_empty_digest_still_renders(render, make_subscriber):
    message = render(make_subscriber(), [])
    _, text, html = parts(message)

    assert message["Subject"].startswith("No new step-back roles")
    assert "No new step-back roles matched your profile today." in text
    assert "View posting" not in html


@pytest.mark.parametrize(
    ("low", "high", "currency", "unit", "expected"),
    [
        (250, 250, "USD", "day", "$250/day"),
        (18, 22, "USD", "hour", "$18–22/hr"),
        (65000, 75000, "USD", "year", "$65,000–75,000/yr"),
        (75000, 65000, "usd", "year", "$65,000–75,000/yr"),
        (18.5, None, "USD", "hour", "From $18.50/hr"),
        (None, 1200, "GBP", "week", "Up to £1,200/wk"),
        (3000, 3500, "SEK", "month", "3,000–3,500 SEK/mo"),
        (None, None, "USD", "day", "Pay not listed"),
        (0, None, None, None, "Pay not listed"),
        (40, 40, None, None, "40"),
    ],
)
def test_pay_is_formatted_for_people(low, high, currency, unit, expected):
    assert pay_label(low, high, currency, unit) == expected


def test_posted_date_and_location_labels(render, make_subscriber, make_item):
    today = datetime.date(2026, 11, 26)
    assert posted_label("2026-11-24T09:30:00Z", today) == "Posted Tue 24 Nov"
    assert posted_label(datetime.date(2025, 12, 31), today) == "Posted Wed 31 Dec 2025"
    assert posted_label("not a date", today) is None

    items = [
        make_item(1, location=None, remote=True),
        make_item(2, location="Atlanta, GA", remote=True),
        make_item(3, location=None, remote=None, posted_at=None),
    ]
    _, text, _ = parts(render(make_subscriber(), items))
    assert "   Remote · $250/day" in text
    assert "   Atlanta, GA (remote possible) · $250/day" in text
    assert "   Location not listed · $250/day\n" in text


def test_items_and_subscribers_accept_lists_and_rows():
    item = DigestItem.from_mapping(
        {
            "source": "s",
            "source_id": "1",
            "title": "T",
            "url": "https://x.example/1",
            "reasons": ["r"],
            "other_urls": ["https://y.example/1"],
            "step_back": True,
        }
    )
    subscriber = Subscriber.from_profile(
        {
            "name": "A",
            "email": "a@example.com",
            "title": "Grip",
            "departments": ["film"],
            "exclude": ["unpaid"],
            "max_items": 5,
        }
    )
    assert item.reasons == ("r",) and item.key == ("s", "1")
    assert hash(item) == hash(DigestItem.from_mapping(vars(item)))
    assert subscriber.departments == ("film",)


def test_digest_filename_is_a_safe_stable_stem(make_subscriber):
    day = datetime.date(2026, 11, 26)
    andrea = digest_filename(make_subscriber(), day)
    sneaky = digest_filename(make_subscriber(email="../../etc/passwd@Example.COM"), day)
    look_alike = digest_filename(make_subscriber(email="andrea.example@com"), day)

    assert andrea == digest_filename(make_subscriber(email="Andrea@Example.com"), day)
    assert re.fullmatch(r"andrea-example-com-[0-9a-f]{8}-2026-11-26", andrea)
    assert re.fullmatch(r"[a-z0-9-]+", sneaky) and sneaky.startswith("etc-passwd-example-com-")
    assert look_alike != andrea


def test_templates_ship_inside_the_package():
    templates = files("stepback.digest") / "templates"
    assert (templates / "digest.html").is_file() and (templates / "digest.txt").is_file()


def test_one_line_pattern_matches_the_control_definition():
    import sys

    from stepback.digest.formatting import _CONTROLS, _is_control

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert {m.group() for m in _CONTROLS.finditer(every)} == {c for c in every if _is_control(c)}
