"""One job, one row: group the postings of the same real job found on several sources.

Postings are first blocked on a normalised company and title (so only plausible pairs are
compared), then two postings in a block are the same job unless they disagree:

- both name a production and the productions differ (the same PA title on two NBC shows);
- both give a non-remote location and the cities differ;
- both have descriptions of some length and their word 3-gram shingles overlap (Jaccard) less
  than `MIN_SIMILARITY`. On the labelled pairs in tests/fixtures/grouping, copies of one job
  overlap 0.69-1.0 (boards wrap the studio's text in their own intro and outro) and different
  jobs in one block at most 0.25, so the threshold sits between them at 0.5.

A group's job key is the smallest member key, so grouping the same postings again gives the same
keys (re-running changes nothing).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_SIMILARITY = 0.5
MIN_WORDS_TO_COMPARE = 12
SHINGLE = 3
ABBREVIATIONS = {
    r"\bpa\b": "production assistant",
    r"\bpas\b": "production assistants",
    r"\bapoc\b": "assistant production office coordinator",
    r"\bpoc\b": "production office coordinator",
    r"\bap\b": "associate producer",
    r"\bep\b": "executive producer",
    r"\bco ep\b": "co executive producer",
    r"\bsr\b": "senior",
    r"\bjr\b": "junior",
    r"\basst\b": "assistant",
    r"\bcoord\b": "coordinator",
    r"\bexec\b": "executive",
    r"\b2nd\b": "second",
    r"\b1st\b": "first",
}
FILLER = re.compile(r"\b(the|a|an|for|on|at|of|and|to|with|job|role|position|opening)\b")
COMPANY_SUFFIXES = re.compile(
    r"\b(inc|llc|ltd|co|corp|corporation|company|studios?|productions?|entertainment|"
    r"films?|media|group|network|pictures|television|tv)\b"
)


def fold(text: str | None) -> str:
    """Lower case, accents and punctuation folded to single spaces."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower().replace("'", "")).strip()


def normal_title(title: str | None) -> str:
    text = fold(title)
    for pattern, replacement in ABBREVIATIONS.items():
        text = re.sub(pattern, replacement, text)
    return re.sub(r"\s+", " ", FILLER.sub(" ", text)).strip()


def normal_company(company: str | None) -> str:
    return re.sub(r"\s+", " ", COMPANY_SUFFIXES.sub(" ", fold(company))).strip()


def block_key(company: str | None, title: str | None) -> str:
    basis = f"{normal_company(company)}|{normal_title(title)}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def member_key(source: str, source_id: str) -> str:
    return hashlib.sha256(f"{source}|{source_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Member:
    source: str
    source_id: str
    production: str | None
    location: str | None
    remote: bool | None
    description: str | None

    @property
    def key(self) -> str:
        return member_key(self.source, self.source_id)


def shingles(text: str | None) -> frozenset[str]:
    words = fold(text).split()
    if len(words) < MIN_WORDS_TO_COMPARE:
        return frozenset()
    return frozenset(" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def _city(member: Member) -> str:
    return fold((member.location or "").split(",")[0])


def same_job(a: Member, b: Member, a_shingles: frozenset[str], b_shingles: frozenset[str]) -> bool:
    if a.production and b.production and fold(a.production) != fold(b.production):
        return False
    if not (a.remote or b.remote) and _city(a) and _city(b) and _city(a) != _city(b):
        return False
    if a_shingles and b_shingles:
        overlap = len(a_shingles & b_shingles) / len(a_shingles | b_shingles)
        return overlap >= MIN_SIMILARITY
    return True


def group(members: Sequence[Member]) -> dict[str, str]:
    """Map each member key to its job key within one block (union-find over same-job pairs)."""
    parent = {m.key: m.key for m in members}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    texts = [shingles(m.description) for m in members]
    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            if same_job(a, members[j], texts[i], texts[j]):
                low, high = sorted((root(a.key), root(members[j].key)))
                parent[high] = low
    return {m.key: root(m.key) for m in members}


def group_blocks(blocks: Iterable[Sequence[Member]]) -> dict[tuple[str, str], str]:
    """Job keys for every member of every block, keyed by (source, source_id)."""
    keys: dict[tuple[str, str], str] = {}
    for members in blocks:
        job_keys = group(members)
        keys.update({(m.source, m.source_id): job_keys[m.key] for m in members})
    return keys
