"""Weak labels: plain labelling rules over pair features, combined by majority vote.

They extend the hand-checked set with pairs nobody labelled (committed postings paired with
other seekers, postings in the warehouse paired with subscribers). Each rule votes 1, 0 or
abstains; a pair gets a weak label only when the votes do not tie. Weak pairs only ever train,
with a lower weight than gold pairs, and never enter the test split.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from models import rules
from models.features import PairFeatures, pair_features

WEAK_WEIGHT = 0.3
LOW_PROFILE_SEVERITY = 0.5

Vote = int | None


def off_track(f: PairFeatures) -> Vote:
    return 0 if f.relation in ("off", "other") else None


def not_below(f: PairFeatures) -> Vote:
    return 0 if f.level_gap is not None and f.level_gap <= 0 else None


def too_far_below(f: PairFeatures) -> Vote:
    if f.level_gap is None or f.level_gap <= 0:
        return None
    return 0 if not rules.in_window(f.level_gap, f.door) else None


def closed_to_seeker(f: PairFeatures) -> Vote:
    return 0 if f.student_only or f.unpaid else None


def low_profile(f: PairFeatures) -> Vote:
    return 0 if any(c.severity >= LOW_PROFILE_SEVERITY for c in f.negatives) else None


def high_profile_step_back(f: PairFeatures) -> Vote:
    named = f.headline_entities > 0 or f.union
    return 1 if f.gate and named and rules.rule_flag(f.gate, f.prestige) else None


def nobody_known(f: PairFeatures) -> Vote:
    return 0 if f.gate and not f.entities and not f.union else None


LABELLING_FUNCTIONS: tuple[Callable[[PairFeatures], Vote], ...] = (
    off_track,
    not_below,
    too_far_below,
    closed_to_seeker,
    low_profile,
    high_profile_step_back,
    nobody_known,
)


@dataclass(frozen=True)
class WeakLabel:
    label: int
    rules: tuple[str, ...]


def weak_label(f: PairFeatures) -> WeakLabel | None:
    """Majority vote of the labelling functions; None when all abstain or the vote ties."""
    votes = {lf.__name__: lf(f) for lf in LABELLING_FUNCTIONS}
    cast = {name: v for name, v in votes.items() if v is not None}
    ones = sum(1 for v in cast.values() if v == 1)
    zeros = len(cast) - ones
    if ones == zeros:
        return None
    label = int(ones > zeros)
    return WeakLabel(label, tuple(name for name, v in cast.items() if v == label))


def weak_rows(
    pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]], origin: str = "weak"
) -> list[dict[str, Any]]:
    """Labelled rows (the `labelled.jsonl` shape) for the pairs the rules agree on."""
    rows = []
    for posting, profile in pairs:
        found = weak_label(pair_features(posting, profile))
        if found is None:
            continue
        rows.append(
            {
                "origin": origin,
                "posting": dict(posting),
                "profile": dict(profile),
                "label": found.label,
                "note": "weak label: " + ", ".join(found.rules),
            }
        )
    return rows


def cross_pairs(
    rows: Sequence[Mapping[str, Any]], per_posting: int = 2, seed: int = 0
) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Each labelled posting with `per_posting` other seekers from the set: unlabelled pairs."""
    profiles: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        profiles.setdefault(profile_key(row["profile"]), row["profile"])
    rng = random.Random(seed)
    out = []
    for row in rows:
        own = profile_key(row["profile"])
        others = sorted(k for k in profiles if k != own)
        for key in rng.sample(others, min(per_posting, len(others))):
            out.append((row["posting"], profiles[key]))
    return out


def profile_key(profile: Mapping[str, Any]) -> str:
    departments = ",".join(sorted(str(d) for d in profile.get("departments") or ()))
    return f"{profile.get('title')}|{departments}"
