"""Spider arguments (`scrapy crawl NAME -a key=value`), validated by pydantic."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails


class CrawlParams(BaseModel):
    """source: e.g. "jsonld:demo-board"; urls: comma-separated start URLs; max_pages: optional;
    known: optional path of the known-postings file (see scrapers.incremental). Spiders that
    read a whole board in one response ignore `known`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1, pattern=r"^\S+$")
    urls: list[str] = Field(min_length=1)
    max_pages: int | None = Field(default=None, ge=1)
    known: str | None = None

    @field_validator("urls", mode="before")
    @classmethod
    def _split_urls(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [url.strip() for url in value.split(",") if url.strip()]
        return value

    @field_validator("urls")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        return urls

    @property
    def allowed_domains(self) -> list[str]:
        hosts = (urlsplit(url).hostname for url in self.urls)
        return sorted({host for host in hosts if host})


class SitemapParams(CrawlParams):
    """url_pattern: optional regular expression; only sitemap URLs it matches are fetched."""

    url_pattern: str | None = None

    @field_validator("url_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(f"not a regular expression ({error})") from None
        return value


class SpiderArgumentError(ValueError):
    """Raised with one readable line per invalid argument."""


def parse_params(model: type[CrawlParams], spider_name: str, args: dict[str, Any]) -> CrawlParams:
    try:
        return model.model_validate(args)
    except ValidationError as error:
        problems = "; ".join(_describe(e) for e in error.errors())
        message = f"invalid arguments for spider {spider_name}: {problems}"
        raise SpiderArgumentError(message) from None


def _describe(error: ErrorDetails) -> str:
    name = ".".join(str(part) for part in error["loc"]) or "arguments"
    if error["type"] == "missing":
        return f"{name} is required (-a {name}=...)"
    if error["type"] == "extra_forbidden":
        return f"unknown argument {name}"
    return f"{name}: {error['msg'].removeprefix('Value error, ')}"
