"""The digest's HTML in headless Chromium: PNGs at phone and desktop width, no sideways scroll.

Chromium is Debian's `chromium` package; the fixture installs it with apt-get when it is
missing and skips, saying why, where it cannot. `STEPBACK_RENDER_DOCS=1` also writes the
README's example images to docs/.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stepback.digest import DigestItem, Subscriber, render_digest
from stepback.digest.links import DigestLinks
from stepback.digest.signing import Signer
from tests.conftest import REPO
from tests.digest.chromium import Browser, install_chromium, png_size

PHONE, DESKTOP = 375, 1024
ANDREA = Subscriber(name="Andrea", email="andrea@example.com", title="Associate Producer",
                    departments=("unscripted", "live events"))
LINKS = DigestLinks("https://stepback.example", Signer(b"d" * 32))


def example_items() -> list[DigestItem]:
    """The README's example: what Andrea's digest looks like on a good morning."""
    rows = [
        ("Production Assistant – 99th Oscars", "ABC", "The Oscars", "Los Angeles, CA",
         250, 250, "day", 0.94, 2,
         ["2 levels below your Associate Producer: a way in, not a step down",
          "The Oscars: the most-watched awards telecast, run by people who hire for years"],
         ["https://www.entertainmentcareers.net/abc/pa-oscars/job/1"]),
        ("Talent Production Assistant", "NBC", "Saturday Night Live", "New York, NY",
         275, 275, "day", 0.9, 2,
         ["Saturday Night Live: a flagship live show; its PAs become its coordinators",
          "Union production (DGA, IATSE)"], []),
        ("Logger – Survivor", "CBS", "Survivor", "Los Angeles, CA", 22, 24, "hour", 0.81, 1,
         ["1 level below your Associate Producer", "Survivor: a long-running unscripted hit"],
         []),
        ("Office PA – Shondaland drama", "Shondaland", None, "Los Angeles, CA", None, None,
         None, 0.74, 2, ["Shondaland: a prestige drama producer"], []),
    ]
    return [
        DigestItem(source="jsonld:demo-board", source_id=str(n), job_key=f"job-{n}",
                   title=title, company=company, production=production, location=location,
                   pay_min=low, pay_max=high, pay_currency="USD", pay_unit=unit,
                   posted_at=datetime.date(2026, 11, 24), score=score, level_gap=gap,
                   reasons=reasons, url=f"https://jobs.example.com/postings/{n}",
                   other_urls=others)
        for n, (title, company, production, location, low, high, unit, score, gap, reasons,
                others) in enumerate(rows, start=1)
    ]


def hostile_items() -> list[DigestItem]:
    """Long words and hostile text, the things that push a phone layout sideways."""
    return [
        DigestItem(source="s", source_id="1", job_key="k1", url="https://x.example/" + "a" * 300,
                   title="Runner <script>alert('x')</script> \"q\"\n" + "Supercalifragilistic" * 8,
                   company="Acme" + "Z" * 120, production="https://" + "long" * 40,
                   location="Los Angeles, CA", reasons=["Why" * 60],
                   other_urls=["https://other.example/" + "b" * 200]),
    ]


def html_of(items: list[DigestItem]) -> str:
    message = render_digest(ANDREA, items, digest_date=datetime.date(2026, 11, 26),
                            sender="stepback digest <digest@stepback.example>", links=LINKS)
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable, why = install_chromium()
    if executable is None:
        pytest.skip(f"headless Chromium unavailable: {why}")
    chromium = Browser(executable)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.mark.parametrize("items", [example_items, hostile_items], ids=["example", "hostile"])
def test_digest_fits_a_phone_and_renders_on_desktop(browser: Browser, tmp_path: Path, items
                                                    ) -> None:
    page = tmp_path / "digest.html"
    page.write_text(html_of(items()), "utf-8")

    phone = browser.render(page, PHONE)
    desktop = browser.render(page, DESKTOP)

    assert phone.viewport_width == PHONE
    assert phone.scroll_width <= PHONE, "the digest scrolls sideways at phone width"
    assert desktop.scroll_width <= DESKTOP
    assert png_size(phone.png) == (PHONE, phone.height)
    assert png_size(desktop.png) == (DESKTOP, desktop.height)
    assert phone.height > desktop.height, "the single column wraps taller on a phone"
    assert len(set(phone.png[100:])) > 50, "the screenshot is not blank"
    if os.environ.get("STEPBACK_RENDER_DOCS") and items is example_items:
        (REPO / "docs").mkdir(exist_ok=True)
        (REPO / "docs" / "digest-phone.png").write_bytes(phone.png)
        (REPO / "docs" / "digest-desktop.png").write_bytes(desktop.png)


def test_the_check_catches_a_layout_that_overflows(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text(html_of(example_items()).replace("max-width:600px", "min-width:700px"),
                    "utf-8")
    assert browser.render(page, PHONE).scroll_width > PHONE
