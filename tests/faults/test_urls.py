"""Faults 7 and 14: URLs are read as browsers read them (WHATWG). An upper-case scheme is valid
input; a backslash-and-at URL is stored, labelled and linked as the host a browser would open."""

from __future__ import annotations

from datetime import date

import pytest

from stepback.config import Settings
from stepback.digest.formatting import link_label, safe_url
from stepback.loading import load_pending, totals
from stepback.urls import browser_url
from stepback.warehouse import Warehouse
from tests.conftest import posting, write_landing

DECEPTIVE = "https://evil.example\\@www.abc.com/jobs/1"


@pytest.mark.parametrize("given, read", [
    ("HTTPS://Jobs.Example.com/2", "https://jobs.example.com/2"),
    (DECEPTIVE, "https://evil.example/@www.abc.com/jobs/1"),
    ("https://jobs.example.com/a/../b", "https://jobs.example.com/b"),
    ("https://bücher.example/", "https://xn--bcher-kva.example/"),
    ("https://jobs.example.com/1\nSet-Cookie: x", None),
    ("javascript:alert(1)", None),
    ("https://exa mple.com/", None),
])
def test_urls_read_as_browsers_read_them(given: str, read: str | None) -> None:
    assert browser_url(given) == read
    assert safe_url(given) == read


def test_the_digest_labels_the_host_a_browser_would_open() -> None:
    assert link_label(DECEPTIVE) == "evil.example"
    assert link_label("https://www.ABC.com/jobs/1") == "abc.com"


def test_the_loader_stores_what_a_browser_would_open(settings: Settings) -> None:
    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    write_landing(settings.landing_dir / "jsonld_test", "run1.jsonl", [
        posting(source_id="1", url="HTTPS://Jobs.Example.com/1"),
        posting(source_id="2", url=DECEPTIVE),
        posting(source_id="3", url="javascript:alert(1)"),
    ])
    summary = totals(load_pending(warehouse, settings.landing_dir))
    with warehouse.reader() as con:
        urls = con.execute("SELECT source_id, url FROM postings ORDER BY 1").fetchall()
        [(reasons,)] = con.execute("SELECT reasons FROM quarantine").fetchall()
    assert (summary["inserted"], summary["quarantined"]) == (2, 1)
    assert urls == [("1", "https://jobs.example.com/1"),
                    ("2", "https://evil.example/@www.abc.com/jobs/1")]
    assert reasons[0].startswith("url: values_to_match_regex")


def test_a_digest_links_and_labels_the_deceptive_url_as_a_browser_would(
    settings: Settings, smtp_server
) -> None:
    from stepback.digest.smtp import parse_smtp_url
    from stepback.digesting import run_digest
    from tests.stepback.test_digesting import seed

    warehouse = Warehouse(settings.catalog, settings.data_path)
    warehouse.init()
    seed(warehouse, [posting(source_id="2", url=DECEPTIVE)], {"2": 0.9})
    run_digest(warehouse, settings, digest_date=date(2026, 11, 26),
               smtp=parse_smtp_url(smtp_server.url()))
    [received] = smtp_server.handler.received
    html = received.message.get_body(preferencelist=("html",)).get_content()
    assert 'href="https://evil.example/@www.abc.com/jobs/1"' in html
    assert "abc.com" not in html.replace("evil.example/@www.abc.com", "")
