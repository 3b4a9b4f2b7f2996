"""Short sentences a person reads in the digest, built from the features (never the model)."""

from __future__ import annotations

from models.features import PairFeatures
from models.ladders import default_ladders
from models.prestige import default_lexicon

MAX_ENTITIES = 3


def _levels(n: int) -> str:
    return f"{n} level{'s' if n != 1 else ''}"


def level_reason(f: PairFeatures) -> str | None:
    if f.level_gap is None:
        if f.posting_track is None:
            return "title not on a known ladder"
        if f.seeker_rank is None:
            return "your title is not on a known ladder"
        return None
    yours = f"your {f.seeker_title}"
    if f.level_gap > 0:
        return f"{_levels(f.level_gap)} below {yours}"
    if f.level_gap == 0:
        return f"same level as {yours}"
    return f"{_levels(-f.level_gap)} above {yours}"


def track_reason(f: PairFeatures) -> str | None:
    if f.posting_track is None:
        return None
    label = default_ladders().track(f.posting_track).label
    return {
        "same": f"on your track: {label}",
        "adjacent": f"adjacent track: {label}",
        "other": f"different ladder: {label}",
        "off": f"off your track: {label}",
    }.get(f.relation)


def entity_reasons(f: PairFeatures) -> list[str]:
    labels = default_lexicon().kind_labels
    out = []
    ranked = sorted(f.entities, key=lambda e: (e.kind == "cue", e.tier))
    for entity in ranked[:MAX_ENTITIES]:
        name = f"{entity.name} ({entity.note})" if entity.note else entity.name
        out.append(f"{name}: {labels.get(entity.kind, entity.kind)}")
    return out


def union_reason(f: PairFeatures) -> str | None:
    if not f.union:
        return None
    named = [c for c in f.union_cues if c != "union"]
    return f"{', '.join(named)} production" if named else "union production"


def negative_reasons(f: PairFeatures) -> list[str]:
    return [f"{c.name}: {'unpaid' if c.unpaid else 'low profile'}" for c in f.negatives]


def reasons(f: PairFeatures) -> list[str]:
    out = [level_reason(f), track_reason(f)]
    if f.door and f.relation in ("same", "adjacent"):
        out.append("assistant to a decision maker: close to the people who hire")
    out += entity_reasons(f)
    out.append(union_reason(f))
    out += negative_reasons(f)
    if f.student_only:
        out.append("students only: not open to you")
    elif f.unpaid and not any(c.unpaid for c in f.negatives):
        out.append("unpaid")
    return [r for r in out if r]
