"""HTML microdata items (itemscope, itemtype, itemprop) as JSON-LD-shaped dicts.

Values follow the HTML standard's microdata algorithm, with two departures real pages need:
a `content` attribute wins on any element (as Google reads it), and `description` keeps its
markup so paragraphs survive HTML-to-text. `itemref` is not followed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree
from parsel import Selector

_URL_ATTRIBUTES = {
    "a": "href", "area": "href", "link": "href", "audio": "src", "embed": "src", "iframe": "src",
    "img": "src", "source": "src", "track": "src", "video": "src", "object": "data",
    "data": "value", "meter": "value",
}
_MARKUP_PROPERTIES = {"description"}
_MAX_DEPTH = 8


def microdata_items(selector: Selector) -> list[dict[str, Any]]:
    """Top-level items (itemscope without itemprop), each {"@type": ..., name: value(s)}."""
    roots = selector.xpath("//*[@itemscope and not(@itemprop)]")
    return [_item(root.root, 0) for root in roots if isinstance(root.root, etree._Element)]


def _item(element: etree._Element, depth: int) -> dict[str, Any]:
    item: dict[str, Any] = {}
    types = (element.get("itemtype") or "").split()
    if types:
        item["@type"] = types[0] if len(types) == 1 else types
    for prop in _properties(element):
        names = (prop.get("itemprop") or "").split()
        value = _value(prop, names, depth)
        for name in names:
            _add(item, name, value)
    return item


def _properties(element: etree._Element) -> Iterator[etree._Element]:
    """Descendants with itemprop that belong to this item, not to an item nested in it."""
    for child in element.iterchildren():
        if not isinstance(child.tag, str):
            continue
        if child.get("itemprop") is not None:
            yield child
        if child.get("itemscope") is None:
            yield from _properties(child)


def _value(element: etree._Element, names: list[str], depth: int) -> Any:
    if element.get("itemscope") is not None:
        return _item(element, depth + 1) if depth < _MAX_DEPTH else None
    if element.get("content") is not None:
        return element.get("content")
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _URL_ATTRIBUTES:
        return element.get(_URL_ATTRIBUTES[tag]) or ""
    if tag == "time" and element.get("datetime"):
        return element.get("datetime")
    if _MARKUP_PROPERTIES.intersection(names):
        return _inner_html(element)
    return "".join(element.itertext())


def _inner_html(element: etree._Element) -> str:
    parts = [element.text or ""]
    parts += [etree.tostring(child, encoding="unicode", method="html") for child in element]
    return "".join(parts)


def _add(item: dict[str, Any], name: str, value: Any) -> None:
    if name not in item:
        item[name] = value
    elif isinstance(item[name], list):
        item[name].append(value)
    else:
        item[name] = [item[name], value]
