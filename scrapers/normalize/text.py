"""HTML to plain text for posting descriptions."""

from __future__ import annotations

import html
import re
from typing import Any

# Escaped markup such as "&lt;p&gt;" or, double-encoded, "&amp;lt;p&amp;gt;".
_ESCAPED_TAG = re.compile(r"&(?:amp;)*lt;/?[a-zA-Z]")
_INVISIBLE = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINE_BREAK = re.compile(
    r"<br\s*/?>|</?(?:p|div|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|dd|dt|pre)\b[^>]*>",
    re.I,
)
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SPACES = re.compile(r"[^\S\n]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_C1 = re.compile(r"[\x80-\x9f]")
_LEFT_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")
_MAX_DECODE_ROUNDS = 3


def _cp1252_table() -> dict[int, str]:
    """C1 controls are Windows-1252 bytes read as Latin-1: map each to the character meant
    (0x92 to a right quote, 0x80 to the euro sign); the five bytes cp1252 leaves undefined go."""
    table: dict[int, str] = {}
    for code in range(0x80, 0xA0):
        try:
            table[code] = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            table[code] = ""
    return table


_C1_AS_CP1252 = _cp1252_table()


def html_to_text(value: Any) -> str | None:
    """Decode entities (again while markup is still escaped), strip tags, keep blocks as lines."""
    if not isinstance(value, str):
        return None
    text = value
    for _ in range(_MAX_DECODE_ROUNDS):
        if not _ESCAPED_TAG.search(text):
            break
        text = html.unescape(text)
    return clean_lines(_strip_markup(_unescape(_strip_markup(text))))


def clean_lines(value: Any) -> str | None:
    """Collapse runs of spaces, trim each line and drop empty lines."""
    if not isinstance(value, str):
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if _C1.search(text):
        text = text.translate(_C1_AS_CP1252)
    text = _CONTROL.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def clean_text(value: Any) -> str | None:
    """One-line text: entities decoded, tags stripped, whitespace collapsed; None when empty."""
    text = html_to_text(value)
    if not text:
        return None
    return " ".join(text.split())


def _strip_markup(text: str) -> str:
    """Strip until nothing is left to strip: removing one tag can join the pieces of another
    ("<<b>b>"). Run again after entities are decoded, as "&#60;b&#62;" is a tag by then."""
    while "<" in text:
        stripped = _COMMENT.sub(" ", _INVISIBLE.sub(" ", text))
        stripped = _TAG.sub("", _CELL_END.sub(" ", _LINE_BREAK.sub("\n", stripped)))
        if stripped == text:
            break
        text = stripped
    return text


def _unescape(text: str) -> str:
    """Decode entities; again while double-encoded ones ("&amp;ndash;") are left."""
    for _ in range(_MAX_DECODE_ROUNDS):
        text = html.unescape(text)
        if not _LEFT_ENTITY.search(text):
            break
    return text
