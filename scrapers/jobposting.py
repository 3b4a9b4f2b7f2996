"""A schema.org JobPosting (from JSON-LD or microdata) as posting fields, raw values kept."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import (
    location_from_applicant_requirements,
    location_from_schema,
)
from scrapers.normalize.pay import Pay, pay_from_schema
from scrapers.normalize.remote import is_remote
from scrapers.normalize.text import clean_text, html_to_text
from scrapers.postings import PostingFields, pay_fields

# Properties whose source values go to the posting's `raw`, so a parser fix can be replayed.
RAW_PROPERTIES = (
    "identifier", "datePosted", "validThrough", "employmentType", "hiringOrganization",
    "jobLocation", "jobLocationType", "applicantLocationRequirements", "baseSalary",
    "estimatedSalary", "salaryCurrency",
)


def posting_fields(job: dict[str, Any], page_url: str) -> PostingFields:
    """Posting fields (all but source and scraped_at) for one JobPosting found on page_url."""
    url = job_url(job.get("url"), page_url)
    location = location_from_schema(job.get("jobLocation")) or (
        location_from_applicant_requirements(job.get("applicantLocationRequirements"))
    )
    return {
        "source_id": identifier(job.get("identifier")) or url,
        "url": url,
        "title": clean_text(job.get("title") or job.get("name")),
        "company": organisation_name(job.get("hiringOrganization")),
        "location": location,
        "remote": is_remote(job.get("jobLocationType"), location),
        "employment_type": employment_type(job.get("employmentType")),
        "posted_at": to_iso(job.get("datePosted")),
        "valid_through": to_iso(job.get("validThrough")),
        "description": html_to_text(job.get("description")),
        "raw": raw_values(job),
        **pay_fields(job_pay(job)),
    }


def job_pay(job: dict[str, Any]) -> Pay | None:
    currency = job.get("salaryCurrency")
    return pay_from_schema(job.get("baseSalary"), currency) or pay_from_schema(
        job.get("estimatedSalary"), currency
    )


def raw_values(job: dict[str, Any]) -> dict[str, Any]:
    return {name: job[name] for name in RAW_PROPERTIES if job.get(name) not in (None, "", [])}


def job_url(value: Any, page_url: str) -> str:
    """The posting's own URL when it gives a usable one, else the page it was found on."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, str) and value.strip():
        url = urljoin(page_url, value.strip())
        if urlsplit(url).scheme in ("http", "https"):
            return url
    return page_url


def identifier(value: Any) -> str | None:
    """identifier as PropertyValue, Text, URL or a list of those."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("value") or value.get("@id") or value.get("name")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text or None


def organisation_name(value: Any) -> str | None:
    """hiringOrganization as Organization, Text or a list of those."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("legalName")
    return clean_text(value)
