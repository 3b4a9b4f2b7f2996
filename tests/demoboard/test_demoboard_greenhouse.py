"""The Greenhouse Job Board API: the real response shape, entity-escaped content, 404s."""

import html
from datetime import datetime
from typing import Any

import pytest
from parsel import Selector

from stepback.demoboard import DemoBoard

from .support import fetch

Posting = dict[str, Any]
TOKENS = ["a24", "dickclarkproductions"]


def _board(board: DemoBoard, token: str, content: bool = True) -> dict[str, Any]:
    query = "?content=true" if content else ""
    response = fetch(f"{board.url}/v1/boards/{token}/jobs{query}")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def _on_board(postings: list[Posting], token: str) -> list[Posting]:
    return [p for p in postings if f"greenhouse:{token}" in p["channels"]]


@pytest.mark.parametrize("token", TOKENS)
def test_board_lists_exactly_its_postings(
    board: DemoBoard, postings: list[Posting], token: str
) -> None:
    data = _board(board, token)
    expected = _on_board(postings, token)
    assert data["meta"] == {"total": len(expected)}
    assert sorted(job["title"] for job in data["jobs"]) == sorted(p["title"] for p in expected)
    assert {job["company_name"] for job in data["jobs"]} == {p["company"] for p in expected}


@pytest.mark.parametrize("token", TOKENS)
def test_job_fields_have_the_api_types(board: DemoBoard, token: str) -> None:
    jobs = _board(board, token)["jobs"]
    assert len({job["id"] for job in jobs}) == len(jobs)
    for job in jobs:
        assert isinstance(job["id"], int) and isinstance(job["internal_job_id"], int)
        updated = datetime.fromisoformat(job["updated_at"])
        published = datetime.fromisoformat(job["first_published"])
        assert updated.tzinfo is not None and published <= updated
        assert isinstance(job["requisition_id"], str)
        assert job["location"]["name"]
        assert job["language"] == "en"
        assert job["metadata"] is None or isinstance(job["metadata"], list)
        assert job["absolute_url"] == f"{board.url}/boards/{token}/jobs/{job['id']}"
        for department in job["departments"]:
            assert set(department) == {"id", "name", "parent_id", "child_ids"}
        for office in job["offices"]:
            assert set(office) == {"id", "name", "location", "parent_id", "child_ids"}


def test_content_is_entity_escaped_and_decodes_to_the_description(
    board: DemoBoard, postings: list[Posting]
) -> None:
    descriptions = {(p["title"], p["company"]): p["description_html"] for p in postings}
    for token in TOKENS:
        for job in _board(board, token)["jobs"]:
            raw = job["content"]
            assert "<" not in raw and ">" not in raw
            assert raw.startswith("&lt;p&gt;")
            decoded = html.unescape(raw)
            assert descriptions[job["title"], job["company_name"]] in decoded
            assert Selector(text=decoded).css("li::text").get()


def test_existing_entities_are_escaped_once_more(board: DemoBoard) -> None:
    jobs = _board(board, "dickclarkproductions")["jobs"]
    office_pa = next(job for job in jobs if job["title"] == "Office Production Assistant")
    assert "&amp;nbsp;" in office_pa["content"]
    assert "&#39;" in jobs[0]["content"] or "&quot;" in jobs[0]["content"]


def test_pay_range_is_in_the_content(board: DemoBoard, postings: list[Posting]) -> None:
    jobs = _board(board, "a24")["jobs"]
    engineer = next(job for job in jobs if job["title"] == "Software Engineer, Platform")
    decoded = html.unescape(engineer["content"])
    spans = Selector(text=decoded).css(".pay-range span::text").getall()
    assert spans == ["$150,000", "—", "$180,000 USD"]


def test_without_content_the_heavy_fields_are_omitted(board: DemoBoard) -> None:
    for job in _board(board, "a24", content=False)["jobs"]:
        assert not {"content", "departments", "offices"} & set(job)
        assert job["title"] and job["absolute_url"]


def test_absolute_url_serves_the_hosted_job_page(board: DemoBoard) -> None:
    job = _board(board, "dickclarkproductions")["jobs"][0]
    response = fetch(job["absolute_url"])
    assert response.status == 200
    page = Selector(text=response.text)
    assert page.css("h1.app-title::text").get() == job["title"]
    assert page.css("#content ul")


def test_single_job_endpoint(board: DemoBoard) -> None:
    job = _board(board, "a24")["jobs"][0]
    response = fetch(f"{board.url}/v1/boards/a24/jobs/{job['id']}")
    assert response.status == 200
    assert response.json() == job
    wrong_board = fetch(f"{board.url}/v1/boards/dickclarkproductions/jobs/{job['id']}")
    assert wrong_board.status == 404


def test_unknown_board_and_job_are_404_json(board: DemoBoard) -> None:
    for path in ["/v1/boards/paramount/jobs?content=true", "/v1/boards/a24/jobs/1"]:
        response = fetch(board.url + path)
        assert response.status == 404
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json() == {"status": 404, "error": "Job not found"}
    assert fetch(board.url + "/boards/a24/jobs/1").status == 404
