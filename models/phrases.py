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


def _compile(phrases: list[Phrase[T]], flags: int) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = sorted({re.escape(p.text).replace(r"\ ", r"\s+") for p in phrases}, key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(reversed(alternatives)) + r")(?!\w)", flags)


class PhraseMatcher(Generic[T]):
    """Matches many phrases at once; "ABC" never matches inside "ABCD" or "cabc".

    A phrase with `context` counts only when one of those words occurs within
    CONTEXT_WINDOW characters of it ("Max" next to "streaming", not "max 10 lbs").
    """

    def __init__(self, phrases: Iterable[Phrase[T]]) -> None:
        self._lookup: dict[tuple[bool, str], Phrase[T]] = {}
        by_case: dict[bool, list[Phrase[T]]] = {True: [], False: []}
        for phrase in phrases:
            key = (phrase.case_sensitive, _key(clean(phrase.text), phrase.case_sensitive))
            if key not in self._lookup:
                self._lookup[key] = phrase
                by_case[phrase.case_sensitive].append(phrase)
        self._patterns = [
            (True, _compile(by_case[True], 0)),
            (False, _compile(by_case[False], re.IGNORECASE)),
        ]

    def find(self, text: str | None) -> list[PhraseHit[T]]:
        text = clean(text)
        hits: list[PhraseHit[T]] = []
        for case_sensitive, pattern in self._patterns:
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                phrase = self._lookup.get((case_sensitive, _key(m.group(), case_sensitive)))
                if phrase and _in_context(text, m.start(), m.end(), phrase.context):
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
