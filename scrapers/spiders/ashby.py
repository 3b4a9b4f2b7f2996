"""ashby: the Ashby public job posting API,
`https://api.ashbyhq.com/posting-api/job-board/{name}?includeCompensation=true`.

One response holds the whole board (no paging); an unknown board, or one whose owner turned
the API off, answers 404. Jobs with `isListed: false` are dropped.
Ashby names no company: the `company` argument does, else the board name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response

from scrapers.normalize.ats import ashby_salary_component, pay_from_ashby
from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import location_from_parts, location_from_text
from scrapers.normalize.remote import is_remote
from scrapers.normalize.teams import production_from_team
from scrapers.normalize.text import clean_lines, clean_text, html_to_text
from scrapers.postings import PostingFields, pay_fields
from scrapers.spiders.json_api import (
    KEEP_404,
    JsonApiSpider,
    as_dict,
    as_list,
    path_after,
    text_id,
)


class AshbySpider(JsonApiSpider):
    name = "ashby"

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse, dont_filter=True, meta=KEEP_404)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[PostingFields]:
        if response.status == 404:
            self.drop("board_not_found", response)
            return
        company = self.company_name(slug=path_after(response.url, "job-board"))
        for job in self.jobs_in(response):
            if not isinstance(job, dict):
                self.drop("not_a_job", response)
            elif job.get("isListed") is False:
                self.drop("unlisted", response, str(job.get("id") or job.get("title")))
            else:
                yield self.posting_from_job(job, company)

    def jobs_in(self, response: Response) -> list[Any]:
        data = self.load_json(response)
        jobs = data.get("jobs") if isinstance(data, dict) else None
        if not isinstance(jobs, list):
            if data is not None:
                self.drop("no_jobs_list", response)
            return []
        return jobs

    def posting_from_job(self, job: dict[str, Any], company: str | None) -> PostingFields:
        compensation = as_dict(job.get("compensation"))
        location = ashby_location(job)
        return self.posting(
            source_id=text_id(job.get("id")) or job.get("jobUrl"),
            url=job.get("jobUrl") or job.get("applyUrl"),
            title=clean_text(job.get("title")),
            company=company,
            production=production_from_team(
                job.get("team"), job.get("department"), company=company
            ),
            location=location,
            remote=_remote(job, location),
            employment_type=employment_type(job.get("employmentType")),
            posted_at=to_iso(job.get("publishedAt")),
            description=html_to_text(job.get("descriptionHtml"))
            or clean_lines(job.get("descriptionPlain")),
            raw={
                "compensationTierSummary": compensation.get("compensationTierSummary"),
                "salarySummary": compensation.get("scrapeableCompensationSalarySummary"),
                "salaryComponent": ashby_salary_component(compensation),
                "publishedAt": job.get("publishedAt"),
                "employmentType": job.get("employmentType"),
                "workplaceType": job.get("workplaceType"),
                "location": job.get("location"),
            },
            **pay_fields(pay_from_ashby(compensation)),
        )


def ashby_location(job: dict[str, Any]) -> str | None:
    """The primary location, then the secondary ones, "; "-separated; addresses beat names."""
    primary = _place(job.get("location"), as_dict(job.get("address")))
    others = [
        _place(item.get("location"), as_dict(item.get("address")))
        for item in as_list(job.get("secondaryLocations"))
        if isinstance(item, dict)
    ]
    labels = [label for label in [primary, *others] if label]
    return "; ".join(dict.fromkeys(labels)) or None


def _place(name: Any, address: dict[str, Any]) -> str | None:
    postal = as_dict(address.get("postalAddress")) or address
    if isinstance(postal.get("addressLocality"), str) and postal["addressLocality"].strip():
        return location_from_parts(
            postal.get("addressLocality"), postal.get("addressRegion"),
            postal.get("addressCountry"),
        )
    return location_from_text(name)


def _remote(job: dict[str, Any], location: str | None) -> bool | None:
    """workplaceType (Remote, Hybrid, OnSite) first, then isRemote, then the location words."""
    remote = is_remote(None, job.get("workplaceType"))
    if remote is None and isinstance(job.get("isRemote"), bool):
        remote = job["isRemote"]
    return remote if remote is not None else is_remote(None, job.get("location"), location)

