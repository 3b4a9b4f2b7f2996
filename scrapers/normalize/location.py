"""Locations as a person writes them: "Los Angeles, CA", "New York, NY", "London, UK"."""

from __future__ import annotations

import re
from typing import Any

US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
    "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
    "puerto rico": "PR",
}
_STATE_CODES = set(US_STATES.values())
_US_NAMES = {"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america"}
_COUNTRIES = {
    "gb": "UK", "uk": "UK", "gbr": "UK", "united kingdom": "UK", "great britain": "UK",
    "england": "UK", "scotland": "UK", "wales": "UK", "northern ireland": "UK",
    "ca": "Canada", "can": "Canada", "canada": "Canada", "au": "Australia", "aus": "Australia",
    "australia": "Australia", "ie": "Ireland", "ireland": "Ireland", "nz": "New Zealand",
    "new zealand": "New Zealand", "de": "Germany", "germany": "Germany", "fr": "France",
    "france": "France", "es": "Spain", "spain": "Spain", "it": "Italy", "italy": "Italy",
    "mx": "Mexico", "mexico": "Mexico", "in": "India", "india": "India", "jp": "Japan",
    "japan": "Japan", "kr": "South Korea", "south korea": "South Korea",
}
_ZIP = re.compile(r"\s+\d{5}(?:-\d{4})?$")
_UK_REGIONS = {"england", "scotland", "wales", "northern ireland", "greater london"}


def location_from_parts(city: Any = None, region: Any = None, country: Any = None) -> str | None:
    """Join city, region and country the way a person would."""
    city_text, region_text, country_text = (_clean(v) for v in (city, region, country))
    state = _us_state(region_text)
    country_name = _country(country_text)
    if state and (country_text is None or _is_us(country_text)):
        return ", ".join(p for p in (city_text, state) if p)
    if country_text is None or _is_us(country_text):
        if region_text and _is_us(region_text) or country_text and not region_text:
            return ", ".join(p for p in (city_text, "US") if p)
        if region_text and _country(region_text):
            return ", ".join(p for p in (city_text, _country(region_text)) if p)
        return ", ".join(p for p in (city_text, region_text) if p) or None
    country_label = country_name or country_text
    if city_text:
        return f"{city_text}, {country_label}"
    if region_text and region_text.lower() not in _UK_REGIONS:
        return f"{region_text}, {country_label}"
    return country_label


def location_from_text(value: Any) -> str | None:
    """Tidy a free-text location: "Los Angeles, California, United States" -> "Los Angeles, CA"."""
    text = _clean(value)
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not 2 <= len(parts) <= 4:
        return text
    parts[-1] = _ZIP.sub("", parts[-1])
    if len(parts) >= 2 and _is_us(parts[-1]):
        parts = parts[:-1]
    if len(parts) == 2 and (_us_state(parts[1]) or _country(parts[1])):
        if _us_state(parts[1]):
            return location_from_parts(parts[0], parts[1])
        return location_from_parts(parts[0], None, parts[1])
    if len(parts) == 3 and (_us_state(parts[1]) or _country(parts[2])):
        return location_from_parts(parts[0], parts[1], parts[2])
    return ", ".join(parts)


def location_from_schema(job_location: Any) -> str | None:
    """schema.org jobLocation: a Place, a list of Places, a PostalAddress or plain text."""
    places = job_location if isinstance(job_location, list) else [job_location]
    labels: list[str] = []
    for place in places:
        label = _place_label(place)
        if label and label not in labels:
            labels.append(label)
    return "; ".join(labels) or None


def _place_label(place: Any) -> str | None:
    if isinstance(place, str):
        return location_from_text(place)
    if not isinstance(place, dict):
        return None
    address = place.get("address", place)
    if isinstance(address, list):
        address = next((a for a in address if a), None)
    if isinstance(address, str):
        return location_from_text(address)
    if not isinstance(address, dict):
        return location_from_text(place.get("name"))
    country = address.get("addressCountry")
    if isinstance(country, dict):
        country = country.get("name") or country.get("identifier")
    label = location_from_parts(
        address.get("addressLocality"), address.get("addressRegion"), country
    )
    return label or location_from_text(place.get("name"))


def _us_state(value: str | None) -> str | None:
    if value is None:
        return None
    text = _ZIP.sub("", value).strip().rstrip(".")
    if text.upper() in _STATE_CODES and len(text) == 2:
        return text.upper()
    return US_STATES.get(text.lower())


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    return _COUNTRIES.get(value.strip().rstrip(".").lower())


def _is_us(value: str) -> bool:
    return value.strip().lower() in _US_NAMES


def _clean(value: Any) -> str | None:
    if not isinstance(value, str | int):
        return None
    text = " ".join(str(value).split()).strip(" ,;")
    return text or None


def location_from_applicant_requirements(requirements: Any) -> str | None:
    """schema.org applicantLocationRequirements (Country, State, AdministrativeArea or text,
    one or a list), as the places a remote hire may live: "US", "US; Canada"."""
    areas = requirements if isinstance(requirements, list) else [requirements]
    labels: list[str] = []
    for area in areas:
        label = _area_label(area)
        if label and label not in labels:
            labels.append(label)
    return "; ".join(labels) or None


def _area_label(area: Any) -> str | None:
    if isinstance(area, dict):
        kind = area.get("@type")
        area = area.get("name") or area.get("identifier") or area.get("addressCountry")
        if isinstance(kind, str) and kind.rsplit("/", 1)[-1] == "State":
            return location_from_parts(None, area)
    text = _clean(area)
    if text is None:
        return None
    if _us_state(text) and not _country(text):
        return location_from_parts(None, text)
    if _is_us(text) or _country(text):
        return location_from_parts(None, None, text)
    return location_from_text(text)
