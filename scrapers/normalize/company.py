"""Company names from the board, site or tenant name in an ATS URL."""

from __future__ import annotations

import re
from typing import Any

_SEPARATORS = re.compile(r"[-_\s.]+")
_TRAILING_DIGITS = re.compile(r"(?<=\D)\d+$")
_MIN_NAME_LENGTH = 3


def company_from_slug(slug: Any) -> str | None:
    """ "skydance" -> "Skydance", "dick-clark-productions" -> "Dick Clark Productions",
    "a24" -> "A24", "NBCUniversal3" -> "NBCUniversal" (a numbered duplicate account)."""
    if not isinstance(slug, str):
        return None
    text = slug.strip()
    stripped = _TRAILING_DIGITS.sub("", text)
    if len(stripped) >= _MIN_NAME_LENGTH:
        text = stripped
    words = [_word(word) for word in _SEPARATORS.split(text) if word]
    return " ".join(words) or None


def _word(word: str) -> str:
    if any(c.isupper() for c in word):
        return word
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        return word.upper()
    return word.title()
