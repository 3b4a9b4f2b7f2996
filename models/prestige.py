"""How high-profile a posting is: named entities, union cues, low-budget and unpaid cues.

The lexicon lives in `data/prestige.toml`.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from models.phrases import Phrase, PhraseMatcher
from models.text import clean

# A name found only in the description counts for less than one in the company or production
# field: "experience on network shows a plus" is not a network show.
BODY_WEIGHT = 0.7
UNION_FLOOR = 0.4
UNION_BONUS = 0.1
BREADTH_BONUS = 0.05
BREADTH_MAX = 0.1

_MONEY = r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|million|thousand)?(?![\w])"
_BUDGET_PATTERNS = (
    re.compile(r"budget[^.\n$]{0,30}?" + _MONEY, re.IGNORECASE),
    re.compile(_MONEY + r"\s*(?:total\s+|all-in\s+)?budget", re.IGNORECASE),
)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6}


@dataclass(frozen=True)
class EntityMatch:
    name: str
    kind: str
    tier: int
    text: str
    start: int
    end: int
    note: str | None = None


@dataclass(frozen=True)
class Cue:
    """A union, negative (low-profile or unpaid), budget or student-only cue."""

    kind: str
    name: str
    text: str
    severity: float = 0.0
    unpaid: bool = False


@dataclass(frozen=True)
class _Entity:
    name: str
    kind: str
    tier: int
    note: str | None
    group: bool


@dataclass(frozen=True)
class _Budget:
    name: str
    below_usd: float
    severity: float


class Lexicon:
    def __init__(self, data: dict[str, Any]) -> None:
        self.updated = str(data["meta"]["updated"])
        self.tier_weights = {int(k): float(v) for k, v in data["tiers"].items()}
        self.kind_labels: dict[str, str] = dict(data["kinds"])
        self._entities = PhraseMatcher(_entity_phrases(data["entity"]))
        self._unions = PhraseMatcher(_cue_phrases(data["union"], "union"))
        self._negatives = PhraseMatcher(_cue_phrases(data["negative"], "negative"))
        self._students = PhraseMatcher(_cue_phrases(data["student_only"], "student_only"))
        budgets = [
            _Budget(b["name"], float(b["below_usd"]), float(b["severity"])) for b in data["budget"]
        ]
        self._budgets = sorted(budgets, key=lambda b: b.below_usd)

    def match_entities(self, text: str | None) -> list[EntityMatch]:
        matches = []
        for hit in self._entities.find(text):
            entity, alias = hit.phrase.payload
            matches.append(
                EntityMatch(
                    name=alias if entity.group else entity.name,
                    kind=entity.kind,
                    tier=entity.tier,
                    text=hit.text,
                    start=hit.start,
                    end=hit.end,
                    note=entity.note,
                )
            )
        return matches

    def union_cues(self, text: str | None) -> list[Cue]:
        cues = [h.phrase.payload for h in self._unions.find(text)]
        return [c for c in cues if c.kind == "union"]

    def negative_cues(self, text: str | None) -> list[Cue]:
        cues = [h.phrase.payload for h in self._negatives.find(text)]
        return cues + self.budget_cues(text)

    def student_only_cues(self, text: str | None) -> list[Cue]:
        return [h.phrase.payload for h in self._students.find(text)]

    def budget_cues(self, text: str | None) -> list[Cue]:
        """An explicit budget under a union low-budget cap, e.g. "budget: $40K"."""
        cues = []
        for amount, found in _budgets(clean(text)):
            tier = next((b for b in self._budgets if amount < b.below_usd), None)
            if tier:
                name = f"${amount:,.0f} budget (under the {tier.name} cap)"
                cues.append(Cue("negative", name, found, tier.severity))
        return cues

    def weight(self, match: EntityMatch) -> float:
        return self.tier_weights.get(match.tier, 0.0)


def _entity_phrases(raw: list[dict[str, Any]]) -> list[Phrase[tuple[_Entity, str]]]:
    phrases = []
    for spec in raw:
        entity = _Entity(
            name=spec["name"],
            kind=spec["kind"],
            tier=int(spec["tier"]),
            note=spec.get("note"),
            group=bool(spec.get("group", False)),
        )
        for alias in spec["aliases"]:
            phrases.append(
                Phrase(
                    text=alias,
                    payload=(entity, alias),
                    case_sensitive=bool(spec.get("case_sensitive", False)),
                    context=tuple(w.lower() for w in spec.get("context", [])),
                )
            )
    return phrases


def _cue_phrases(raw: list[dict[str, Any]], kind: str) -> list[Phrase[Cue]]:
    phrases = []
    for spec in raw:
        cue_kind = "negates" if spec.get("negates") else kind
        for alias in spec["aliases"]:
            cue = Cue(
                kind=cue_kind,
                name=spec["name"],
                text=alias,
                severity=float(spec.get("severity", 0.0)),
                unpaid=bool(spec.get("unpaid", False)),
            )
            phrases.append(Phrase(text=alias, payload=cue, case_sensitive=alias.isupper()))
    return phrases


def _budgets(text: str) -> list[tuple[float, str]]:
    found = []
    for pattern in _BUDGET_PATTERNS:
        for m in pattern.finditer(text):
            try:
                amount = float(m.group(1).replace(",", ""))
            except ValueError:
                continue
            amount *= _SCALE.get((m.group(2) or "").lower(), 1.0)
            found.append((amount, m.group(0)))
    return found


@functools.cache
def default_lexicon() -> Lexicon:
    text = resources.files("models").joinpath("data", "prestige.toml").read_text(encoding="utf-8")
    return Lexicon(tomllib.loads(text))


def match_entities(text: str | None) -> list[EntityMatch]:
    """Studios, networks, streamers, companies, shows, events and leagues named in `text`."""
    return default_lexicon().match_entities(text)


def prestige_score(
    headline: Sequence[EntityMatch],
    body: Sequence[EntityMatch] = (),
    *,
    union: bool = False,
    negatives: Sequence[Cue] = (),
) -> float:
    """0 to 1. `headline`: entities in the company, production or title; `body`: in the description.

    The best entity's tier weight (body matches discounted), a small bonus for several distinct
    names and for a union production, then multiplied by (1 - the worst negative severity).
    """
    lexicon = default_lexicon()
    weights = [lexicon.weight(m) for m in headline]
    weights += [BODY_WEIGHT * lexicon.weight(m) for m in body]
    score = max(weights, default=0.0)
    names = {m.name for m in (*headline, *body) if m.kind != "cue"}
    score += min(BREADTH_MAX, BREADTH_BONUS * max(0, len(names) - 1))
    if union:
        score = max(score + UNION_BONUS, UNION_FLOOR)
    score *= 1.0 - max((c.severity for c in negatives), default=0.0)
    return round(min(1.0, max(0.0, score)), 3)
