"""Find known phrases in free text on word boundaries, longest match first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from models.text import clean

T = TypeVar("T")
CONTEXT_WINDOW = 120


@dataclass(frozen=True)
class Phrase(Generic[T]):
    text: str
    payload: T
    case_sensitive: bool = False
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhraseHit(Generic[T]):
    start: int
    end: int
    text: str
    phrase: Phrase[T]


def _key(text: str, case_sensitive: bool) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if case_sensitive else text.lower()


_WORD = re.compile(r"\w+")


def _pattern(phrase: Phrase[T]) -> re.Pattern[str]:
    body = re.escape(clean(phrase.text)).replace(r"\ ", r"\s+")
    flags = 0 if phrase.case_sensitive else re.IGNORECASE
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", flags)


def _index_word(text: str) -> str | None:
    """The phrase's longest word: any of its words must occur in a text it matches, and the
    longest is the rarest ("The Tonight Show" is looked for only in texts saying "tonight")."""
    words = _WORD.findall(clean(text).lower())
    return max(words, key=len) if words else None


class PhraseMatcher(Generic[T]):
    """Matches many phrases at once; "ABC" never matches inside "ABCD" or "cabc".

    A phrase with `context` counts only when one of those words occurs within
    CONTEXT_WINDOW characters of it ("Max" next to "streaming", not "max 10 lbs").
    Phrases are indexed by one of their words, so a text is only searched for the phrases
    whose word it contains (one alternation of thousands of phrases was the cost of scoring).
    """

    def __init__(self, phrases: Iterable[Phrase[T]]) -> None:
        seen: set[tuple[bool, str]] = set()
        self._by_word: dict[str, list[tuple[Phrase[T], re.Pattern[str]]]] = {}
        self._anywhere: list[tuple[Phrase[T], re.Pattern[str]]] = []
        for phrase in phrases:
            key = (phrase.case_sensitive, _key(clean(phrase.text), phrase.case_sensitive))
            if key in seen:
                continue
            seen.add(key)
            entry = (phrase, _pattern(phrase))
            word = _index_word(phrase.text)
            if word is None:
                self._anywhere.append(entry)
            else:
                self._by_word.setdefault(word, []).append(entry)

    def find(self, text: str | None) -> list[PhraseHit[T]]:
        text = clean(text)
        words = set(_WORD.findall(text.lower()))
        candidates = [e for w in words for e in self._by_word.get(w, ())] + self._anywhere
        hits: list[PhraseHit[T]] = []
        for phrase, pattern in candidates:
            for m in pattern.finditer(text):
                if _in_context(text, m.start(), m.end(), phrase.context):
                    hits.append(PhraseHit(m.start(), m.end(), m.group(), phrase))
        return _without_overlaps(hits)


def _in_context(text: str, start: int, end: int, context: tuple[str, ...]) -> bool:
    if not context:
        return True
    before = text[max(0, start - CONTEXT_WINDOW) : start]
    after = text[end : end + CONTEXT_WINDOW]
    window = f"{before} {after}".lower()
    return any(re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", window) for word in context)


def _without_overlaps(hits: list[PhraseHit[T]]) -> list[PhraseHit[T]]:
    kept: list[PhraseHit[T]] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept
