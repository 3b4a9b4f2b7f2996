"""Features of a (posting, profile) pair, and the transformer that feeds them to the model."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from models import rules
from models.ladders import TitleMatch, default_ladders
from models.prestige import Cue, EntityMatch, default_lexicon, prestige_score

Posting = Mapping[str, Any]
Profile = Mapping[str, Any]
CONTEXT_CHARS = 600


@dataclass(frozen=True)
class Seeker:
    title: str
    match: TitleMatch | None
    tracks: frozenset[str]


@dataclass(frozen=True)
class PairFeatures:
    seeker_title: str
    seeker_track: str | None
    seeker_rank: int | None
    seeker_tracks: tuple[str, ...]
    posting_title: str
    posting_canonical: str | None
    posting_track: str | None
    posting_rank: int | None
    level_gap: int | None
    relation: str  # same | adjacent | other | off | unknown
    door: bool
    entities: tuple[EntityMatch, ...]
    headline_entities: int
    prestige: float
    prestige_tier: int
    union: bool
    union_cues: tuple[str, ...]
    negatives: tuple[Cue, ...]
    internship: bool
    student_only: bool
    unpaid: bool
    gate: bool
    rule_score: float
    text: str

    @property
    def same_track(self) -> bool:
        return self.relation == "same"

    @property
    def adjacent_track(self) -> bool:
        return self.relation == "adjacent"

    @property
    def off_track(self) -> bool:
        return self.relation == "off"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data |= {
            "same_track": self.same_track,
            "adjacent_track": self.adjacent_track,
            "off_track": self.off_track,
        }
        return data

    def vector(self) -> dict[str, float]:
        """Structured inputs for a DictVectorizer: all values in [0, 1]."""
        v: dict[str, float] = {
            f"relation={self.relation}": 1.0,
            f"gap={_gap_bin(self.level_gap)}": 1.0,
            f"posting_track={self.posting_track or 'unknown'}": 1.0,
            f"tier={self.prestige_tier}": 1.0,
            "prestige": self.prestige,
            "rule_score": self.rule_score,
            "gate": float(self.gate),
            "in_window": float(rules.in_window(self.level_gap, self.door)),
            "union": float(self.union),
            "door": float(self.door),
            "internship": float(self.internship),
            "student_only": float(self.student_only),
            "unpaid": float(self.unpaid),
            "negative_severity": max((c.severity for c in self.negatives), default=0.0),
            "headline_entity": float(self.headline_entities > 0),
        }
        for entity in self.entities:
            v[f"kind={entity.kind}"] = 1.0
        for cue in self.negatives:
            v[f"negative={cue.name if cue.kind == 'negative' else 'explicit budget'}"] = 1.0
        return v


def _gap_bin(gap: int | None) -> str:
    if gap is None:
        return "unknown"
    if gap < 0:
        return "above"
    return str(gap) if gap <= 4 else "5+"


@functools.lru_cache(maxsize=256)
def _seeker(title: str, departments: tuple[str, ...]) -> Seeker:
    ladders = default_ladders()
    match = ladders.parse_title(title, departments)
    if match and match.off_track:  # an accountant has no rung on the production ladders
        match = None
    tracks = ladders.tracks_for_departments(departments)
    if match:
        tracks.add(match.track)
    return Seeker(title=title, match=match, tracks=frozenset(tracks))


def seeker_from_profile(profile: Profile) -> Seeker:
    return _seeker(str(profile.get("title") or ""), tuple(profile.get("departments") or ()))


def _relation(seeker: Seeker, posting: TitleMatch | None) -> str:
    if posting is None or not seeker.tracks:
        return "unknown"
    if posting.off_track:
        return "off"
    if posting.track in seeker.tracks:
        return "same"
    ladders = default_ladders()
    if any(ladders.adjacent(t, posting.track) for t in seeker.tracks):
        return "adjacent"
    return "other"


def _field(posting: Posting, name: str) -> str:
    value = posting.get(name)
    return str(value) if value else ""


def _unpaid_by_pay(posting: Posting) -> bool:
    pay = [posting.get("pay_min"), posting.get("pay_max")]
    known = [p for p in pay if isinstance(p, int | float)]
    return bool(known) and max(known) <= 0


def pair_features(posting: Posting, profile: Profile) -> PairFeatures:
    """Everything the model and the reasons need about one posting for one seeker."""
    lexicon = default_lexicon()
    seeker = seeker_from_profile(profile)
    title, company = _field(posting, "title"), _field(posting, "company")
    production, description = _field(posting, "production"), _field(posting, "description")

    match = default_ladders().parse_title(
        title, description[:CONTEXT_CHARS], headline=f"{production} ; {company}"
    )
    relation = _relation(seeker, match)
    level_gap = None
    if match and not match.off_track and seeker.match and relation != "unknown":
        level_gap = seeker.match.rank - match.rank

    headline_text = " \n ".join((title, company, production))
    everything = f"{headline_text} \n {description}"
    headline = lexicon.match_entities(headline_text)
    seen = {m.name for m in headline}
    body = [m for m in lexicon.match_entities(description) if m.name not in seen]

    union_cues = tuple(dict.fromkeys(c.name for c in lexicon.union_cues(everything)))
    declared = posting.get("union")
    union = bool(declared) if declared is not None else bool(union_cues)
    negatives = tuple({c.name: c for c in lexicon.negative_cues(everything)}.values())
    student_only = bool(lexicon.student_only_cues(everything))
    internship = posting.get("employment_type") == "internship" or bool(match and match.rank == 0)
    unpaid = _unpaid_by_pay(posting) or any(c.unpaid for c in negatives)
    door = bool(match and match.door)

    prestige = prestige_score(headline, body, union=union, negatives=negatives)
    entities = tuple(_distinct([*headline, *body]))
    passes = rules.gate(relation, level_gap, door, student_only, unpaid)
    return PairFeatures(
        seeker_title=seeker.title,
        seeker_track=seeker.match.track if seeker.match else None,
        seeker_rank=seeker.match.rank if seeker.match else None,
        seeker_tracks=tuple(sorted(seeker.tracks)),
        posting_title=title,
        posting_canonical=match.title if match else None,
        posting_track=match.track if match else None,
        posting_rank=match.rank if match else None,
        level_gap=level_gap,
        relation=relation,
        door=door,
        entities=entities,
        headline_entities=len(headline),
        prestige=prestige,
        prestige_tier=min((e.tier for e in entities), default=0),
        union=union,
        union_cues=union_cues,
        negatives=negatives,
        internship=internship,
        student_only=student_only,
        unpaid=unpaid,
        gate=passes,
        rule_score=rules.rule_score(passes, prestige),
        text="\n".join(t for t in (title, company, production, description) if t),
    )


def _distinct(matches: Iterable[EntityMatch]) -> list[EntityMatch]:
    first: dict[str, EntityMatch] = {}
    for match in matches:
        first.setdefault(match.name, match)
    return list(first.values())


Pair = tuple[Posting, Profile]


def as_pair_features(X: Any) -> list[PairFeatures]:
    """Accepts (posting, profile) pairs, PairFeatures, or a DataFrame with those two columns."""
    if isinstance(X, pd.DataFrame):
        rows: Sequence[Any] = list(zip(X["posting"], X["profile"], strict=True))
    else:
        rows = list(X)
    return [row if isinstance(row, PairFeatures) else pair_features(*row) for row in rows]


class PairFeaturizer(TransformerMixin, BaseEstimator):
    """(posting, profile) pairs -> DataFrame with a `text` column and a `structured` dict column.

    Stateless; the ladders and the lexicon come from the package data, so a saved model holds
    no copy of them.
    """

    def fit(self, X: Any, y: Any = None) -> PairFeaturizer:
        return self

    def transform(self, X: Any) -> pd.DataFrame:
        features = as_pair_features(X)
        return pd.DataFrame(
            {"text": [f.text for f in features], "structured": [f.vector() for f in features]}
        )
