"""JSON-LD blocks as found in the wild: several per page, @graph, arrays, raw control characters."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_COMMENTS = re.compile(r"<!--|-->|^\s*//\s*<!\[CDATA\[|//\s*\]\]>\s*$|<!\[CDATA\[|\]\]>", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_TRAILING_SEMICOLON = re.compile(r";\s*$")
_NESTED_KEYS = ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item")


def load_block(text: str) -> Any:
    """Parse one <script type="application/ld+json"> body; raises ValueError when broken."""
    cleaned = _CONTROL.sub(" ", _COMMENTS.sub("", text)).strip().lstrip("\ufeff")
    cleaned = _TRAILING_SEMICOLON.sub("", cleaned)
    try:
        return json.loads(cleaned, strict=False)
    except json.JSONDecodeError as first_error:
        try:
            return json.loads(_TRAILING_COMMA.sub(r"\1", cleaned), strict=False)
        except json.JSONDecodeError:
            raise first_error from None


def job_postings(data: Any) -> list[dict[str, Any]]:
    """Every JobPosting object in a parsed block, however it is wrapped."""
    return [node for node in _nodes(data) if has_type(node, "JobPosting")]


def has_type(node: dict[str, Any], name: str) -> bool:
    types = node.get("@type")
    values = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == name
               for t in values)


def _nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 5:
        return
    if isinstance(data, list):
        for element in data:
            yield from _nodes(element, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in _NESTED_KEYS:
            if key in data:
                yield from _nodes(data[key], depth + 1)
