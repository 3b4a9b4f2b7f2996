"""Career ladders: which track and rung a job title sits on (data in `data/ladders.toml`)."""

from __future__ import annotations

import functools
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from models.text import tokens

MIN_RANK, MAX_RANK = 0, 12
_UP = {"senior", "lead"}
_DOWN = {"junior"}


@dataclass(frozen=True)
class Track:
    id: str
    label: str
    off_track: bool
    departments: tuple[tuple[str, ...], ...]
    context: tuple[tuple[str, ...], ...]
    adjacent: frozenset[str]


@dataclass(frozen=True)
class TitleMatch:
    track: str
    rank: int
    title: str
    off_track: bool = False
    door: bool = False


@dataclass(frozen=True)
class _Variant:
    words: tuple[str, ...]
    title: str
    rank: int
    track: str
    weak: bool
    door: bool
    order: int


@dataclass(frozen=True)
class _Hit:
    variant: _Variant
    start: int


class Ladders:
    def __init__(self, data: dict[str, Any]) -> None:
        self.updated: str = str(data["meta"]["updated"])
        self.tracks = _read_tracks(data["tracks"])
        self._by_first_word: dict[str, list[_Variant]] = defaultdict(list)
        for variant in _read_variants(data["titles"], self.tracks):
            self._by_first_word[variant.words[0]].append(variant)

    def track(self, track_id: str) -> Track:
        return self.tracks[track_id]

    def adjacent(self, seeker_track: str, posting_track: str) -> bool:
        """A seeker on `seeker_track` may step back onto `posting_track` (directed)."""
        return posting_track in self.tracks[seeker_track].adjacent

    def tracks_for_departments(self, departments: Iterable[str]) -> set[str]:
        """Tracks a profile's departments name, matched as whole normalised phrases."""
        wanted = {tokens(d) for d in departments}
        return {t.id for t in self.tracks.values() if wanted.intersection(t.departments)}

    def parse_title(
        self, title: str, context: str | Iterable[str] = (), headline: str | Iterable[str] = ()
    ) -> TitleMatch | None:
        words = tokens(title)
        hits = self._hits(words)
        if not hits:
            return None
        best = self._choose(hits, words, _words(headline), _words(context))
        rank = best.variant.rank + _modifier(words, best)
        track = self.tracks[best.variant.track]
        return TitleMatch(
            track=track.id,
            rank=max(MIN_RANK, min(MAX_RANK, rank)),
            title=best.variant.title,
            off_track=track.off_track,
            door=best.variant.door,
        )

    def _hits(self, words: tuple[str, ...]) -> list[_Hit]:
        hits = []
        for start, word in enumerate(words):
            for variant in self._by_first_word.get(word, ()):
                if words[start : start + len(variant.words)] == variant.words:
                    hits.append(_Hit(variant, start))
        return hits

    def _choose(
        self,
        hits: list[_Hit],
        words: tuple[str, ...],
        headline: tuple[str, ...],
        context: tuple[str, ...],
    ) -> _Hit:
        on = [h for h in hits if not self.tracks[h.variant.track].off_track]
        off = [h for h in hits if self.tracks[h.variant.track].off_track]
        if off and (not on or all(h.variant.weak for h in on)):
            hits = off

        def strength(hit: _Hit) -> tuple[bool, int]:
            return (not hit.variant.weak, len(hit.variant.words))

        top = max(strength(h) for h in hits)
        tied = [h for h in hits if strength(h) == top]

        if len({h.variant.track for h in tied}) == 1:
            return min(tied, key=lambda h: h.variant.order)
        padded = [(3, _padded(words)), (2, _padded(headline)), (1, _padded(context))]

        def preference(hit: _Hit) -> tuple[int, int]:
            phrases = self.tracks[hit.variant.track].context
            score = sum(w * (f" {' '.join(p)} " in text) for p in phrases for w, text in padded)
            return (-score, hit.variant.order)

        return min(tied, key=preference)


def _padded(words: tuple[str, ...]) -> str:
    return f" {' '.join(words)} "


def _words(text: str | Iterable[str]) -> tuple[str, ...]:
    return tokens(text if isinstance(text, str) else " ; ".join(text))


def _modifier(words: tuple[str, ...], hit: _Hit) -> int:
    before = words[hit.start - 1] if hit.start > 0 else ""
    if before in _UP:
        return 1
    if before in _DOWN:
        return -1
    return 0


def _read_tracks(raw: dict[str, Any]) -> dict[str, Track]:
    tracks: dict[str, Track] = {}
    for track_id, spec in raw.items():
        tracks[track_id] = Track(
            id=track_id,
            label=spec["label"],
            off_track=bool(spec.get("off_track", False)),
            departments=tuple(tokens(d) for d in spec.get("departments", [])),
            context=tuple(tokens(c) for c in spec.get("context", [])),
            adjacent=frozenset(spec.get("adjacent", [])),
        )
    # Adjacency is directed (see the file): an office PA is a door for a live-events producer,
    # a logger is not one for a production coordinator.
    for track in tracks.values():
        for other in track.adjacent:
            if other not in tracks:
                raise ValueError(f"ladders: track {track.id!r} is adjacent to unknown {other!r}")
    return tracks


def _read_variants(raw: list[dict[str, Any]], tracks: dict[str, Track]) -> list[_Variant]:
    variants = []
    order = 0
    for entry in raw:
        track_ids = entry.get("tracks") or [entry["track"]]
        for track_id in track_ids:
            if track_id not in tracks:
                raise ValueError(f"ladders: title {entry['title']!r} on unknown track {track_id!r}")
            for text in entry["variants"]:
                words = tokens(text)
                if words:
                    variants.append(
                        _Variant(
                            words=words,
                            title=entry["title"],
                            rank=int(entry["rank"]),
                            track=track_id,
                            weak=bool(entry.get("weak", False)),
                            door=bool(entry.get("door", False)),
                            order=order,
                        )
                    )
            order += 1
    return variants


@functools.cache
def default_ladders() -> Ladders:
    text = resources.files("models").joinpath("data", "ladders.toml").read_text(encoding="utf-8")
    return Ladders(tomllib.loads(text))


def parse_title(
    title: str, context: str | Iterable[str] = (), headline: str | Iterable[str] = ()
) -> TitleMatch | None:
    """The ladder track, rung and canonical title of a job title; None when no ladder knows it.

    `context` (a profile's departments, or a posting's description) and `headline` (a posting's
    production and company, which count double) decide between tracks that share a title,
    e.g. the scripted-TV "Producer" trap, or a PA at "NBC News" whose description says "live".
    """
    return default_ladders().parse_title(title, context, headline)
