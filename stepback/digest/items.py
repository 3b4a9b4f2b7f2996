"""What a digest is made of: the subscriber and the flagged postings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, kw_only=True)
class DigestItem:
    """One flagged posting. Every text field is untrusted posting text."""

    source: str
    source_id: str
    title: str
    url: str
    company: str | None = None
    production: str | None = None
    location: str | None = None
    remote: bool | None = None
    pay_min: float | None = None
    pay_max: float | None = None
    pay_currency: str | None = None
    pay_unit: str | None = None
    posted_at: str | datetime.date | None = None
    other_urls: Sequence[str] = ()
    score: float = 0.0
    level_gap: int | None = None
    prestige: float = 0.0
    reasons: Sequence[str] = ()
    job_key: str | None = None  # the warehouse's job, for feedback links

    def __post_init__(self) -> None:
        # Callers pass lists (DuckDB rows, JSON); store tuples so the item stays immutable.
        object.__setattr__(self, "other_urls", _strings(self.other_urls))
        object.__setattr__(self, "reasons", _strings(self.reasons))

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.source_id)

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> DigestItem:
        """Build from a query row or Score object, ignoring columns that are not item fields."""
        return cls(**_known_fields(cls, row))


@dataclass(frozen=True, kw_only=True)
class Subscriber:
    """The Profile contract's fields that the digest shows. Name and title are untrusted."""

    name: str
    email: str
    title: str
    departments: tuple[str, ...] = ()
    profile_url: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "departments", _strings(self.departments))

    @classmethod
    def from_profile(cls, profile: Mapping[str, Any]) -> Subscriber:
        """Build from a parsed profile TOML; its filters (locations, exclude…) are ignored."""
        return cls(**_known_fields(cls, profile))


def _strings(values: Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(str(value) for value in values)


def _known_fields(cls: type, row: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {name: value for name, value in row.items() if name in names}
