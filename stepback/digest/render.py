"""Render one subscriber's digest as a multipart/alternative email (plain text and HTML)."""

from __future__ import annotations

import datetime
import email.policy
import re
from dataclasses import dataclass
from email.headerregistry import Address, BaseHeader
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from stepback.digest.formatting import (
    link_label,
    location_label,
    one_line,
    pay_label,
    posted_label,
    safe_url,
    safe_urls,
    short_date,
    short_hash,
    slug,
)
from stepback.digest.items import DigestItem, Subscriber
from stepback.digest.links import FEEDBACK_LABELS, DigestLinks

DIGEST_ID_HEADER = "X-Stepback-Digest"
# Headers fold only past RFC 5322's hard limit: at 78 columns Python's default policy turns a
# long List-Unsubscribe URL into RFC 2047 encoded words, and RFC 2369/8058 (and Gmail's and
# Yahoo's one-click unsubscribe) need the literal `<https://…>` on the wire.
MESSAGE_POLICY = email.policy.default.clone(max_line_length=998)
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class ItemView:
    """An item as both templates show it: every string already one safe line."""

    number: int
    title: str
    byline: str
    location: str
    pay: str
    posted: str | None
    facts: str
    reasons: tuple[str, ...]
    link: Link | None
    also: tuple[Link, ...]
    feedback: tuple[Link, ...]


@dataclass(frozen=True)
class DigestView:
    summary: str
    details: str
    greeting: str
    items: tuple[ItemView, ...]
    footer_why: str
    profile_url: str | None
    unsubscribe_url: str | None
    date_label: str


def render_digest(
    subscriber: Subscriber,
    items: list[DigestItem],
    *,
    digest_date: datetime.date,
    sender: str,
    unsubscribe_url: str | None = None,
    links: DigestLinks | None = None,
) -> EmailMessage:
    """Build the digest email; items are shown in the order given.

    With `links`, each item gets signed feedback links and the footer a one-click unsubscribe
    (unless `unsubscribe_url` names another).
    """
    if unsubscribe_url is None and links is not None:
        unsubscribe_url = links.unsubscribe(subscriber.email)
    unsubscribe = _checked_unsubscribe(unsubscribe_url)
    view = _digest_view(subscriber, items, digest_date, unsubscribe, links)
    message = EmailMessage(policy=MESSAGE_POLICY)
    _set_headers(message, subscriber, sender, digest_subject(len(items), digest_date))
    message[DIGEST_ID_HEADER] = digest_filename(subscriber, digest_date)
    if unsubscribe is not None:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_render("digest.txt", view), cte="quoted-printable")
    message.add_alternative(_render("digest.html", view), subtype="html", cte="quoted-printable")
    return message


def digest_subject(count: int, digest_date: datetime.date | None) -> str:
    day = f" — {short_date(digest_date)}" if digest_date is not None else ""
    if count == 0:
        return f"No new step-back roles{day}"
    if count == 1:
        return f"1 step-back role on a high-profile production{day}"
    return f"{count} step-back roles on high-profile productions{day}"


def digest_filename(subscriber: Subscriber, digest_date: datetime.date) -> str:
    """`andrea-example-com-1a2b3c4d-2026-11-26`: the hash keeps look-alike addresses apart."""
    address = subscriber.email.strip().lower()
    stem = slug(address) or "subscriber"
    return f"{stem}-{short_hash(address)}-{digest_date.isoformat()}"


def _checked_unsubscribe(url: str | None) -> str | None:
    if url is None:
        return None
    checked = safe_url(url)
    if checked is None:
        raise ValueError("unsubscribe_url must be an absolute http(s) URL")
    return checked


def _set_headers(message: EmailMessage, subscriber: Subscriber, sender: str, subject: str) -> None:
    message["From"] = _from_header(sender)
    message["To"] = _recipient(subscriber)
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(datetime.datetime.now(datetime.UTC))
    message["Message-ID"] = make_msgid(idstring="digest", domain=_sender_domain(sender))
    message["Auto-Submitted"] = "auto-generated"


@lru_cache(maxsize=8)
def _from_header(sender: str) -> BaseHeader:
    """Parsed once per sender: header parsing is most of the cost of building a message."""
    return email.policy.default.header_factory("From", one_line(sender))


def _recipient(subscriber: Subscriber) -> Address:
    addr_spec = subscriber.email.strip()
    if one_line(addr_spec) != addr_spec:
        raise ValueError("subscriber email must not contain spaces or control characters")
    return Address(display_name=one_line(subscriber.name, limit=80), addr_spec=addr_spec)


def _sender_domain(sender: str) -> str:
    domain = parseaddr(one_line(sender))[1].rpartition("@")[2]
    return domain if _DOMAIN.fullmatch(domain) else "stepback.localhost"


def _digest_view(
    subscriber: Subscriber,
    items: list[DigestItem],
    digest_date: datetime.date,
    unsubscribe_url: str | None,
    links: DigestLinks | None,
) -> DigestView:
    return DigestView(
        summary=_summary(items),
        details=_details(items),
        greeting=_greeting(subscriber),
        items=tuple(
            _item_view(n, item, digest_date, _feedback(links, subscriber, item))
            for n, item in enumerate(items, start=1)
        ),
        footer_why=_footer_why(subscriber),
        profile_url=safe_url(subscriber.profile_url),
        unsubscribe_url=unsubscribe_url,
        date_label=short_date(digest_date),
    )


def _summary(items: list[DigestItem]) -> str:
    """The header line: the subject's count without the date."""
    if not items:
        return "No new step-back roles matched your profile today."
    return digest_subject(len(items), None)


def _details(items: list[DigestItem]) -> str:
    if not items:
        return "Nothing new since your last digest; we will write when there is."
    productions = {one_line(i.production).casefold() for i in items if one_line(i.production)}
    companies = {one_line(i.company).casefold() for i in items if one_line(i.company)}
    parts = []
    for count, noun in ((len(productions), "production"), (len(companies), "company")):
        if count:
            plural = "companies" if noun == "company" else f"{noun}s"
            parts.append(f"{count} {noun if count == 1 else plural}")
    remote = sum(1 for item in items if item.remote)
    if remote:
        parts.append(f"{remote} remote")
    return " · ".join(parts)


def _greeting(subscriber: Subscriber) -> str:
    name = one_line(subscriber.name, limit=80)
    return f"Hi {name}, here are today's roles worth a step back." if name else "Hi,"


def _footer_why(subscriber: Subscriber) -> str:
    title = one_line(subscriber.title, limit=80) or "no title set"
    departments = ", ".join(filter(None, (one_line(d, limit=60) for d in subscriber.departments)))
    where = f" in {departments}" if departments else ""
    return (
        f"You get this digest because your stepback profile says you are: {title}{where}. "
        "Each role is below that level on a production whose people are worth meeting."
    )


def _feedback(
    links: DigestLinks | None, subscriber: Subscriber, item: DigestItem
) -> tuple[Link, ...]:
    if links is None or not item.job_key:
        return ()
    return tuple(
        Link(url=links.feedback(subscriber.email, item.job_key, label), label=text)
        for label, text in FEEDBACK_LABELS.items()
    )


def _item_view(
    number: int, item: DigestItem, today: datetime.date, feedback: tuple[Link, ...] = ()
) -> ItemView:
    urls = safe_urls([item.url, *item.other_urls])
    links = tuple(Link(url=url, label=link_label(url)) for url in urls)
    return ItemView(
        number=number,
        title=one_line(item.title, limit=200) or "Untitled posting",
        byline=_byline(item),
        location=location_label(item.location, item.remote),
        pay=pay_label(item.pay_min, item.pay_max, item.pay_currency, item.pay_unit),
        posted=posted_label(item.posted_at, today),
        facts=_facts(item),
        reasons=tuple(filter(None, (one_line(reason) for reason in item.reasons))),
        link=links[0] if links else None,
        also=links[1:],
        feedback=feedback,
    )


def _byline(item: DigestItem) -> str:
    company = one_line(item.company, limit=120)
    production = one_line(item.production, limit=120)
    return " · ".join(filter(None, (company, production))) or "Company not listed"


def _facts(item: DigestItem) -> str:
    parts = [f"Step-back score {round(max(0.0, min(1.0, item.score)) * 100)}%"]
    if item.level_gap is not None and item.level_gap > 0:
        parts.append(f"{item.level_gap} level{'s' if item.level_gap != 1 else ''} below yours")
    return " · ".join(parts)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("stepback.digest", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(name: str, view: DigestView) -> str:
    return _environment().get_template(name).render(digest=view)
