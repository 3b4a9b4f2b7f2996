"""RSS 2.0 and Atom entries, read leniently."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsel import Selector


@dataclass(frozen=True)
class FeedEntry:
    title: str | None
    link: str | None
    guid: str | None
    description: str | None
    published: str | None
    categories: list[str] = field(default_factory=list)


def parse_feed(text: str) -> list[FeedEntry]:
    """Entries of an RSS 2.0 or Atom document; an unreadable document gives no entries."""
    selector = Selector(text=text, type="xml")
    selector.remove_namespaces()
    rss_items = selector.xpath("//channel/item | /rss/item | //*[local-name()='RDF']/item")
    if rss_items:
        return [_rss_entry(item) for item in rss_items]
    return [_atom_entry(entry) for entry in selector.xpath("//feed/entry")]


def _rss_entry(item: Selector) -> FeedEntry:
    return FeedEntry(
        title=_text(item, "title"),
        link=_text(item, "link"),
        guid=_text(item, "guid"),
        description=_text(item, "encoded") or _text(item, "description"),
        published=_text(item, "pubDate") or _text(item, "date"),
        categories=_texts(item, "category"),
    )


def _atom_entry(entry: Selector) -> FeedEntry:
    link = entry.xpath(
        "link[@rel='alternate' or not(@rel)]/@href"
    ).get() or entry.xpath("link/@href").get()
    return FeedEntry(
        title=_text(entry, "title"),
        link=link.strip() if link else None,
        guid=_text(entry, "id"),
        description=_text(entry, "content") or _text(entry, "summary"),
        published=_text(entry, "published") or _text(entry, "updated"),
        categories=[c.strip() for c in entry.xpath("category/@term").getall() if c.strip()],
    )


def _text(node: Selector, name: str) -> str | None:
    value = "".join(node.xpath(f"{name}[1]//text()").getall()).strip()
    return value or None


def _texts(node: Selector, name: str) -> list[str]:
    values = ("".join(n.xpath(".//text()").getall()).strip() for n in node.xpath(name))
    return [v for v in values if v]
