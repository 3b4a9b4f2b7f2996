"""lever: the Lever Postings API, `https://api.lever.co/v0/postings/{site}?mode=json`.

The response is a bare JSON array; an unknown site answers 404 with `{"ok": false, "error"}`.
With `limit` in the start URL, a full page is followed by the next one (`skip` advanced by the
page's length). Lever names no company: the `company` argument does, else the site name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response

from scrapers.normalize.ats import pay_from_lever
from scrapers.normalize.dates import to_iso
from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import location_from_text
from scrapers.normalize.pay import find_pay_in_text
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
    query_int,
    text_id,
    with_query,
)


class LeverSpider(JsonApiSpider):
    name = "lever"

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(
                url, callback=self.parse, dont_filter=True, cb_kwargs={"page": 1}, meta=KEEP_404
            )

    def parse(self, response: Response, page: int = 1) -> Iterator[Request | PostingFields]:
        jobs = self.jobs_in(response)
        company = self.company_name(slug=path_after(response.url, "postings"))
        for job in jobs:
            if isinstance(job, dict):
                yield self.posting_from_job(job, company)
            else:
                self.drop("not_a_job", response)
        yield from self.next_page(response, len(jobs), page)

    def jobs_in(self, response: Response) -> list[Any]:
        data = self.load_json(response)
        if isinstance(data, dict) and data.get("ok") is False:
            self.drop("api_error", response, str(data.get("error") or ""))
            return []
        if not isinstance(data, list):
            if data is not None:
                self.drop("not_a_list", response)
            return []
        return data

    def next_page(self, response: Response, count: int, page: int) -> Iterator[Request]:
        """Lever pages only when asked to (`limit`); a short page is the last one."""
        limit = query_int(response.url, "limit")
        if not limit or count < limit or self.max_pages_reached(page):
            return
        skip = (query_int(response.url, "skip") or 0) + count
        url = with_query(response.url, skip=skip)
        yield Request(url, callback=self.parse, cb_kwargs={"page": page + 1})

    def posting_from_job(self, job: dict[str, Any], company: str | None) -> PostingFields:
        categories = as_dict(job.get("categories"))
        places = _places(categories)
        salary_text = clean_text(job.get("salaryDescriptionPlain") or job.get("salaryDescription"))
        pay = pay_from_lever(job.get("salaryRange")) or find_pay_in_text(salary_text)
        return self.posting(
            source_id=text_id(job.get("id")),
            url=job.get("hostedUrl") or job.get("applyUrl"),
            title=clean_text(job.get("text")),
            company=company,
            production=production_from_team(
                categories.get("team"), categories.get("department"), company=company
            ),
            location="; ".join(filter(None, map(location_from_text, places))) or None,
            remote=is_remote(None, job.get("workplaceType"), *places),
            employment_type=employment_type(categories.get("commitment")),
            posted_at=to_iso(job.get("createdAt")),
            description=lever_description(job),
            raw={
                "salaryRange": job.get("salaryRange"),
                "salaryDescription": salary_text,
                "createdAt": job.get("createdAt"),
                "workplaceType": job.get("workplaceType"),
                "commitment": categories.get("commitment"),
                "location": categories.get("location"),
                "allLocations": places if len(places) > 1 else None,
            },
            **pay_fields(pay),
        )


def lever_description(job: dict[str, Any]) -> str:
    """Opening and body, each extra list under its heading, the closing, the pay note."""
    parts = [_plain_or_html(job, "descriptionPlain", "description")]
    for item in as_list(job.get("lists")):
        if isinstance(item, dict):
            parts += [clean_text(item.get("text")), html_to_text(item.get("content"))]
    parts += [
        _plain_or_html(job, "additionalPlain", "additional"),
        _plain_or_html(job, "salaryDescriptionPlain", "salaryDescription"),
    ]
    return "\n".join(part for part in parts if part)


def _plain_or_html(job: dict[str, Any], plain: str, html: str) -> str | None:
    return clean_lines(job.get(plain)) or html_to_text(job.get(html))


def _places(categories: dict[str, Any]) -> list[str]:
    """`allLocations` when the posting has several, else `location`."""
    every = categories.get("allLocations")
    names = every if isinstance(every, list) and every else [categories.get("location")]
    return list(dict.fromkeys(name for name in names if isinstance(name, str) and name.strip()))

