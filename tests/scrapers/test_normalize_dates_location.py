import pytest

from scrapers.normalize.dates import to_iso
from scrapers.normalize.location import (
    location_from_parts,
    location_from_schema,
    location_from_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20", "2026-11-20"),
        ("2026-11-20T08:55:24Z", "2026-11-20T08:55:24+00:00"),
        ("2026-11-03T14:22:05-04:00", "2026-11-03T18:22:05+00:00"),
        ("2026-11-20 10:00:00", "2026-11-20T10:00:00"),
        ("Thu, 20 Nov 2026 08:55:24 GMT", "2026-11-20T08:55:24+00:00"),
        ("Fri, 20 Nov 2026 09:15:00 PST", "2026-11-20T17:15:00+00:00"),
        ("Thu, 19 Nov 2026 16:02:11 -0800", "2026-11-20T00:02:11+00:00"),
        ("11/20/2026", "2026-11-20"),
        ("11/20/26", "2026-11-20"),
        ("11/20/2019 08:55:24 AM", "2019-11-20T08:55:24"),
        ("November 20, 2026", "2026-11-20"),
        ("Nov 20, 2026", "2026-11-20"),
        ("20 November 2026", "2026-11-20"),
        ("  2026-11-20  ", "2026-11-20"),
        (1763600000, "2025-11-20T00:53:20+00:00"),
        (1763600000000, "2025-11-20T00:53:20+00:00"),
    ],
)
def test_to_iso(value, expected):
    assert to_iso(value) == expected


@pytest.mark.parametrize(
    "garbage",
    [None, "", "garbage", "Posted Yesterday", "31/12/2026", "{{ job.posted }}", "0000-00-00",
     "2026-13-45", True, [], {}, float("inf"), 10**20, "1/1/0001"],
)
def test_to_iso_garbage(garbage):
    assert to_iso(garbage) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Los Angeles, CA", "Los Angeles, CA"),
        ("Los Angeles, California", "Los Angeles, CA"),
        ("Los Angeles, California, United States", "Los Angeles, CA"),
        ("Los Angeles, CA 90028", "Los Angeles, CA"),
        ("New York, NY, USA", "New York, NY"),
        ("New York, New York, United States", "New York, NY"),
        ("London, England, United Kingdom", "London, UK"),
        ("London, UK", "London, UK"),
        ("Toronto, Ontario, Canada", "Toronto, Canada"),
        ("  Atlanta ,  GA ", "Atlanta, GA"),
        ("Remote - US", "Remote - US"),
        ("New York City", "New York City"),
    ],
)
def test_location_from_text(text, expected):
    assert location_from_text(text) == expected


def test_location_from_parts():
    assert location_from_parts("Los Angeles", "CA") == "Los Angeles, CA"
    assert location_from_parts("Burbank", "California", "US") == "Burbank, CA"
    assert location_from_parts("London", "United Kingdom") == "London, UK"
    assert location_from_parts("London", "England", "GB") == "London, UK"
    assert location_from_parts("Toronto", "ON", "CA") == "Toronto, Canada"
    assert location_from_parts("Remote", "United States") == "Remote, US"
    assert location_from_parts(None, None, None) is None
    assert location_from_parts(["x"], {"y": 1}, 3.5) is None


def test_location_from_schema_places():
    places = [
        {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Los Angeles",
                                       "addressRegion": "California", "addressCountry": "US"}},
        {"@type": "Place", "address": {"addressLocality": "London",
                                       "addressCountry": {"@type": "Country", "name": "GB"}}},
        {"@type": "Place", "address": {"addressLocality": "Los Angeles", "addressRegion": "CA"}},
    ]
    assert location_from_schema(places) == "Los Angeles, CA; London, UK"
    assert location_from_schema({"address": "Atlanta, Georgia"}) == "Atlanta, GA"
    assert location_from_schema("New York, NY") == "New York, NY"


@pytest.mark.parametrize("garbage", [None, 5, [], [None, 3], {}, {"address": {}}, {"address": [1]}])
def test_location_garbage(garbage):
    assert location_from_schema(garbage) is None
    assert location_from_text(garbage if isinstance(garbage, str) else None) is None
