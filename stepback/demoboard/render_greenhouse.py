"""The Greenhouse Job Board API (`/v1/boards/{token}/jobs`), shaped like the real one."""

import html
import zlib
from datetime import timedelta
from typing import Any

from stepback.demoboard.catalog import (
    Catalog,
    Posting,
    greenhouse_id,
    greenhouse_job_id,
    posted_at,
)
from stepback.demoboard.fields import (
    EMPLOYMENT_LABELS,
    full_location_text,
    location_text,
    money,
)

JsonObject = dict[str, Any]

NOT_FOUND: JsonObject = {"status": 404, "error": "Job not found"}
_REQUISITION_PREFIX = {"a24": "A24", "dickclarkproductions": "DCP"}
_BOARD_INTRO = {
    "dickclarkproductions": (
        "<p><strong>About Dick Clark Productions</strong></p>"
        "<p>Dick Clark Productions produces live event television, including the Golden "
        "Globes, the American Music Awards and New Year's Rockin' Eve.</p>"
    ),
}
_BOARD_OUTRO = {
    "a24": (
        "<p><em>A24 is an equal opportunity employer. We celebrate diversity and are "
        "committed to creating an inclusive environment for all employees.</em></p>"
    ),
    "dickclarkproductions": "<p>Dick Clark Productions is an equal opportunity employer.</p>",
}
_PAY_TITLES = {
    "hour": "Hourly Rate",
    "day": "Day Rate",
    "week": "Weekly Rate",
    "month": "Monthly Salary",
    "year": "Annual Salary",
}
_DATA_COMPLIANCE = [
    {
        "type": "gdpr",
        "requires_consent": False,
        "requires_processing_consent": False,
        "requires_retention_consent": False,
        "retention_period": None,
        "demographic_data_consent_applies": False,
    }
]


def escape_entities(text: str) -> str:
    """Entity-escape HTML the way the Job Board API does (`&lt;p&gt;`, `&quot;`, `&#39;`)."""
    return html.escape(text, quote=False).replace('"', "&quot;").replace("'", "&#39;")


def _stable_id(name: str) -> int:
    return 4_000_000 + zlib.crc32(name.encode()) % 1_000_000


def _pay_transparency(posting: Posting) -> str:
    if posting["pay_min"] is None:
        return ""
    currency = posting["pay_currency"]
    low = money(posting["pay_min"], currency)
    high = money(posting["pay_max"] or posting["pay_min"], currency)
    return (
        '<div class="content-pay-transparency"><div class="pay-input">'
        f'<div class="title">{_PAY_TITLES[posting["pay_unit"]]}</div>'
        f'<div class="pay-range"><span>{low}</span><span class="divider">&mdash;</span>'
        f"<span>{high} {currency}</span></div></div></div>"
    )


def content_html(posting: Posting, token: str) -> str:
    """The job's HTML before escaping: board intro, description, pay range, board outro."""
    parts = [
        _BOARD_INTRO.get(token, ""),
        posting["description_html"],
        _pay_transparency(posting),
        _BOARD_OUTRO.get(token, ""),
    ]
    return "\n".join(part for part in parts if part)


def _metadata(posting: Posting, token: str) -> list[JsonObject] | None:
    if token != "dickclarkproductions":
        return None
    return [
        {
            "id": 11734001,
            "name": "Employment Type",
            "value": EMPLOYMENT_LABELS[posting["employment_type"]],
            "value_type": "single_select",
        },
        {
            "id": 11734002,
            "name": "Show",
            "value": posting["production"],
            "value_type": "short_text",
        },
    ]


def _departments(posting: Posting) -> list[JsonObject]:
    name = posting["department"]
    return [{"id": _stable_id(name), "name": name, "parent_id": None, "child_ids": []}]


def _offices(posting: Posting) -> list[JsonObject]:
    name = "Remote" if posting["remote"] else posting["city"]
    office = {
        "id": _stable_id(f"office:{name}"),
        "name": name,
        "location": full_location_text(posting),
        "parent_id": None,
        "child_ids": [],
    }
    return [office]


def job_json(posting: Posting, token: str, base_url: str, content: bool) -> JsonObject:
    post_id = greenhouse_id(posting)
    published = posted_at(posting)
    job: JsonObject = {
        "absolute_url": f"{base_url}/boards/{token}/jobs/{post_id}",
        "data_compliance": _DATA_COMPLIANCE,
        "internal_job_id": greenhouse_job_id(posting),
        "location": {"name": location_text(posting)},
        "metadata": _metadata(posting, token),
        "id": post_id,
        "updated_at": (published + timedelta(hours=26)).isoformat(),
        "requisition_id": f"{_REQUISITION_PREFIX.get(token, 'REQ')}-{posting['id'][-3:]}",
        "title": posting["title"],
        "company_name": posting["company"],
        "first_published": published.isoformat(),
        "language": "en",
    }
    if content:
        job["content"] = escape_entities(content_html(posting, token))
        job["departments"] = _departments(posting)
        job["offices"] = _offices(posting)
    return job


def board_json(catalog: Catalog, token: str, base_url: str, content: bool) -> JsonObject | None:
    """The whole board, or None when the token is not one of ours."""
    postings = catalog.on_channel(f"greenhouse:{token}")
    if not postings:
        return None
    jobs = [job_json(p, token, base_url, content) for p in postings]
    return {"jobs": jobs, "meta": {"total": len(jobs)}}
