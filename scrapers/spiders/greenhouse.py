"""greenhouse: the Greenhouse Job Board API, `.../v1/boards/{token}/jobs?content=true`.

One response holds the whole board (the API does not paginate).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response, TextResponse

from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import location_from_text
from scrapers.normalize.pay import Pay, pay_from_cents
from scrapers.normalize.production import production_from_department
from scrapers.normalize.remote import is_remote
from scrapers.normalize.text import clean_text, html_to_text
from scrapers.postings import PostingFields, pay_fields
from scrapers.spiders.base import PostingSpider

_BOARD_TOKEN = re.compile(r"/boards/([^/?#]+)")


class GreenhouseSpider(PostingSpider):
    name = "greenhouse"

    def parse(self, response: Response, **kwargs: Any) -> Iterator[PostingFields]:
        jobs = self.jobs_in(response)
        company = board_display_name(response.url)
        for job in jobs:
            if isinstance(job, dict):
                yield self.posting_from_job(job, company)
            else:
                self.drop("not_a_job", response)

    def jobs_in(self, response: Response) -> list[Any]:
        if not isinstance(response, TextResponse):
            self.drop("not_text", response)
            return []
        try:
            data = response.json()
        except ValueError as error:
            self.drop("broken_json", response, str(error))
            return []
        jobs = data.get("jobs") if isinstance(data, dict) else None
        if not isinstance(jobs, list):
            self.drop("no_jobs_list", response)
            return []
        return jobs

    def posting_from_job(self, job: dict[str, Any], board_name: str | None) -> PostingFields:
        company = clean_text(job.get("company_name")) or board_name
        location_name = clean_text(_name(job.get("location")))
        return self.posting(
            source_id=str(job["id"]) if job.get("id") is not None else None,
            url=job.get("absolute_url"),
            title=clean_text(job.get("title")),
            company=company,
            production=_production(job.get("departments"), company),
            location=location_from_text(location_name),
            remote=is_remote(None, location_name),
            employment_type=employment_type(_metadata_values(job, "employment", "type")),
            posted_at=to_iso(job.get("first_published") or job.get("updated_at")),
            valid_through=to_iso(job.get("application_deadline")),
            description=html_to_text(job.get("content")),
            **pay_fields(_pay_range(job.get("pay_input_ranges"))),
            raw={
                "location": location_name,
                "first_published": job.get("first_published"),
                "updated_at": job.get("updated_at"),
                "application_deadline": job.get("application_deadline"),
                "departments": [_name(d) for d in job.get("departments") or []] or None,
                "metadata": job.get("metadata") or None,
                "pay_input_ranges": job.get("pay_input_ranges") or None,
            },
        )


def board_display_name(url: str) -> str | None:
    """ "a24" -> "A24", "dick-clark-productions" -> "Dick Clark Productions"."""
    match = _BOARD_TOKEN.search(url)
    if not match:
        return None
    words = re.split(r"[-_]+", match[1])
    return " ".join(w.upper() if w[:1].isalpha() and any(c.isdigit() for c in w) else w.title()
                    for w in words if w) or None


def _name(value: Any) -> Any:
    return value.get("name") if isinstance(value, dict) else value


def _production(departments: Any, company: str | None) -> str | None:
    if not isinstance(departments, list):
        return None
    for department in departments:
        name = production_from_department(clean_text(_name(department)), company)
        if name:
            return name
    return None


def _metadata_values(job: dict[str, Any], *words: str) -> list[str]:
    """Values of custom fields such as "Employment Type" (metadata is a list of name/value)."""
    values: list[str] = []
    for field in job.get("metadata") or []:
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            continue
        if all(word in field["name"].lower() for word in words):
            value = field.get("value")
            values.extend(v for v in (value if isinstance(value, list) else [value])
                          if isinstance(v, str))
    return values


def _pay_range(ranges: Any) -> Pay | None:
    """pay_input_ranges, present when the board publishes pay (pay transparency)."""
    if not isinstance(ranges, list) or not ranges or not isinstance(ranges[0], dict):
        return None
    first = ranges[0]
    return pay_from_cents(
        first.get("min_cents"), first.get("max_cents"), first.get("currency_type"),
        first.get("title"),
    )
