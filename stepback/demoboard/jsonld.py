"""schema.org JobPosting markup for detail pages, in the shapes real boards ship.

`jsonld_shape` picks the shape: "single" (one JobPosting block), "breadcrumbs" (a
BreadcrumbList block before the JobPosting block), "graph" (an @graph wrapper) or
"array" (a top-level JSON array).
"""

import json
from typing import Any

from stepback.demoboard.catalog import Posting, detail_path
from stepback.demoboard.fields import COUNTRY_NAMES, SCHEMA_EMPLOYMENT_TYPES

CONTEXT = "https://schema.org"
BOARD_NAME = "stepback demo board"
_UNIT_TEXT = {"hour": "HOUR", "day": "DAY", "week": "WEEK", "month": "MONTH", "year": "YEAR"}

JsonObject = dict[str, Any]


def script_json(data: object) -> str:
    """JSON that is safe between <script> tags: no `</` or `<!--` survives."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")


def _location(posting: Posting) -> JsonObject:
    if posting["remote"]:
        country = COUNTRY_NAMES.get(posting["country"], posting["country"])
        return {
            "jobLocationType": "TELECOMMUTE",
            "applicantLocationRequirements": {"@type": "Country", "name": country},
        }
    address = {"@type": "PostalAddress", "addressLocality": posting["city"]}
    if posting["region"]:
        address["addressRegion"] = posting["region"]
    address["addressCountry"] = posting["country"]
    return {"jobLocation": {"@type": "Place", "address": address}}


def _salary(posting: Posting) -> JsonObject:
    if posting["pay_min"] is None:
        return {}
    value = {
        "@type": "QuantitativeValue",
        "minValue": posting["pay_min"],
        "maxValue": posting["pay_max"],
        "unitText": _UNIT_TEXT[posting["pay_unit"]],
    }
    amount = {"@type": "MonetaryAmount", "currency": posting["pay_currency"], "value": value}
    return {"baseSalary": amount}


def job_posting(posting: Posting, base_url: str) -> JsonObject:
    data: JsonObject = {
        "@context": CONTEXT,
        "@type": "JobPosting",
        "title": posting["title"],
        "description": posting["description_html"],
        "identifier": {"@type": "PropertyValue", "name": BOARD_NAME, "value": posting["id"]},
        "datePosted": posting["date_posted"],
        "employmentType": SCHEMA_EMPLOYMENT_TYPES[posting["employment_type"]],
        "hiringOrganization": {"@type": "Organization", "name": posting["company"]},
        **_location(posting),
        **_salary(posting),
        "url": base_url + detail_path(posting),
        "directApply": False,
    }
    if posting["valid_through"]:
        data["validThrough"] = posting["valid_through"]
    return data


def _breadcrumbs(posting: Posting, base_url: str) -> JsonObject:
    trail = [("Home", "/"), ("Jobs", "/jobs/"), (posting["title"], detail_path(posting))]
    items = [
        {"@type": "ListItem", "position": n, "name": name, "item": base_url + path}
        for n, (name, path) in enumerate(trail, start=1)
    ]
    return {"@context": CONTEXT, "@type": "BreadcrumbList", "itemListElement": items}


def _web_page(posting: Posting, base_url: str) -> JsonObject:
    url = base_url + detail_path(posting)
    return {"@type": "WebPage", "@id": url, "url": url, "name": posting["title"]}


def script_blocks(posting: Posting, base_url: str) -> list[str]:
    """The JSON text of each `application/ld+json` block on the posting's page."""
    job = job_posting(posting, base_url)
    shape = posting.get("jsonld_shape", "single")
    if shape == "breadcrumbs":
        return [script_json(_breadcrumbs(posting, base_url)), script_json(job)]
    if shape == "graph":
        del job["@context"]
        graph = [_web_page(posting, base_url), job]
        return [script_json({"@context": CONTEXT, "@graph": graph})]
    if shape == "array":
        org = {"@context": CONTEXT, "@type": "Organization", "name": posting["company"]}
        return [script_json([job, org])]
    return [script_json(job)]


def website_block(base_url: str) -> str:
    site = {"@context": CONTEXT, "@type": "WebSite", "name": BOARD_NAME, "url": base_url + "/"}
    return script_json(site)
