"""The board's HTML pages: home, paged listing, job detail, hosted Greenhouse job, errors."""

from functools import cache
from typing import Any

import jinja2

from stepback.demoboard import jsonld
from stepback.demoboard.catalog import (
    HTML_CHANNEL,
    RSS_FEEDS,
    Catalog,
    Posting,
    detail_path,
)
from stepback.demoboard.fields import (
    EMPLOYMENT_LABELS,
    date_label,
    location_text,
    pay_text,
    union_text,
)
from stepback.demoboard.render_greenhouse import content_html

PAGE_SIZE = 10


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("stepback.demoboard", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["feeds"] = RSS_FEEDS
    return env


def _render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _card(posting: Posting) -> dict[str, str]:
    return {
        "id": posting["id"],
        "title": posting["title"],
        "company": posting["company"],
        "location": location_text(posting),
        "path": detail_path(posting),
        "posted": posting["date_posted"],
        "posted_label": date_label(posting["date_posted"]),
    }


def listing_page(catalog: Catalog, page: int) -> str | None:
    """Page `page` (from 1) of the board's postings, or None past either end."""
    postings = catalog.on_channel(HTML_CHANNEL)
    pages = page_count(len(postings))
    if not 1 <= page <= pages:
        return None
    shown = postings[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    cards = [_card(p) for p in shown]
    return _render("listing.html", cards=cards, page=page, pages=pages, total=len(postings))


def _job_view(posting: Posting) -> dict[str, Any]:
    valid = posting["valid_through"]
    return posting | {
        "location": location_text(posting),
        "employment_type": EMPLOYMENT_LABELS[posting["employment_type"]],
        "pay": pay_text(posting),
        "union": union_text(posting),
        "posted_label": date_label(posting["date_posted"]),
        "valid_label": date_label(valid) if valid else None,
    }


def detail_page(posting: Posting, base_url: str) -> str:
    return _render(
        "detail.html",
        job=_job_view(posting),
        canonical=base_url + detail_path(posting),
        jsonld_blocks=jsonld.script_blocks(posting, base_url),
        breadcrumbs=posting.get("jsonld_shape") == "breadcrumbs",
    )


def greenhouse_page(posting: Posting, token: str) -> str:
    return _render(
        "greenhouse_job.html",
        title=posting["title"],
        company=posting["company"],
        location=location_text(posting),
        content_html=content_html(posting, token),
    )


def home_page(catalog: Catalog, base_url: str) -> str:
    total = len(catalog.on_channel(HTML_CHANNEL))
    return _render("home.html", total=total, website_json=jsonld.website_block(base_url))


def error_page(status: int, reason: str, message: str) -> str:
    return _render("error.html", status=status, reason=reason, message=message)
