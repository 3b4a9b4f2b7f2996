"""`[digest]` and profile settings for the digest: times, timezones, the links' address."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from stepback.config import DigestConfig, Profile


def test_links_point_at_serve_unless_a_public_url_is_set() -> None:
    assert DigestConfig().links_url == "http://127.0.0.1:8766"
    assert DigestConfig(serve_port=9000).links_url == "http://127.0.0.1:9000"
    public = DigestConfig(public_url="https://stepback.example.com/links/")
    assert public.links_url == "https://stepback.example.com/links"


@pytest.mark.parametrize("zone", ["Mars/Base", "America", "../etc/passwd", ""])
def test_unknown_timezones_are_refused(zone: str) -> None:
    with pytest.raises(ValidationError, match="timezone"):
        DigestConfig(timezone=zone)
    with pytest.raises(ValidationError, match="timezone"):
        Profile(name="A", email="a@example.com", title="PA", timezone=zone)


@pytest.mark.parametrize("time", ["7:00", "24:00", "07:60", "0700"])
def test_send_times_are_hh_mm(time: str) -> None:
    with pytest.raises(ValidationError, match="HH:MM"):
        Profile(name="A", email="a@example.com", title="PA", send_time=time)


def test_existing_profiles_need_none_of_the_new_fields() -> None:
    profile = Profile(name="A", email="a@example.com", title="PA")
    assert (profile.send_time, profile.timezone, profile.nothing_today, profile.min_pay) == (
        None, None, False, None)
    with pytest.raises(ValidationError):
        Profile(name="A", email="a@example.com", title="PA", min_pay_unit="fortnight")
