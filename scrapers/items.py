"""The Posting item: one landing-file line, the posting contract every stage shares."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

EmploymentType = Literal[
    "full_time", "part_time", "contract", "temporary", "freelance", "internship", "per_diem",
    "other",
]
PayUnit = Literal["hour", "day", "week", "month", "year"]


class Posting(BaseModel):
    """Fields in contract order; the feed exporter writes them in this order."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: str = Field(min_length=1)
    source_id: str = Field(min_length=1)
    url: str
    title: str = Field(min_length=1)
    company: str | None = None
    production: str | None = None
    location: str | None = None
    remote: bool | None = None
    employment_type: EmploymentType | None = None
    pay_min: int | float | None = Field(default=None, ge=0)
    pay_max: int | float | None = Field(default=None, ge=0)
    pay_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    pay_unit: PayUnit | None = None
    union: bool | None = None
    posted_at: str | None = None
    valid_through: str | None = None
    description: str = ""
    scraped_at: str
    # The source's own values beside the parsed ones ("$250/12", "Posted Yesterday"), so a
    # parser fix can be replayed over old landing files. Not part of the warehouse contract.
    raw: dict[str, Any] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _absolute_http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL")
        return value


POSTING_FIELDS: tuple[str, ...] = tuple(Posting.model_fields)
