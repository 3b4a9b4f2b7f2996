"""Employment type: schema.org enum values and free text to the contract's enum."""

from __future__ import annotations

import re
from typing import Any

_PATTERNS = [
    ("internship", r"intern|internship|INTERN"),
    ("per_diem", r"per[ _-]?diem"),
    ("freelance", r"freelance|freelancer|free-lance|gig|day[ _-]?player"),
    ("part_time", r"part[ _-]?time"),
    ("full_time", r"full[ _-]?time|permanent"),
    ("contract", r"contract|contractor|contract[ _-]?to[ _-]?hire|fixed[ _-]?term"),
    ("temporary", r"temporary|temp|seasonal|project[ _-]?based|short[ _-]?term"),
    ("other", r"volunteer|other"),
]
_COMPILED = [(kind, re.compile(rf"^(?:{words})$", re.I)) for kind, words in _PATTERNS]
_SEARCH = [(kind, re.compile(rf"\b(?:{words})\b", re.I)) for kind, words in _PATTERNS]


def employment_type(value: Any) -> str | None:
    """Map FULL_TIME, "Full Time", "Freelance", ["CONTRACTOR", "TEMPORARY"] ... to one enum value.

    An exact match on any element wins over a word found inside a longer phrase.
    """
    values = [v.strip() for v in _as_list(value) if isinstance(v, str) and v.strip()]
    for patterns in (_COMPILED, _SEARCH):
        for text in values:
            for kind, pattern in patterns:
                if pattern.search(text):
                    return kind
    return None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str) and "," in value:
        return value.split(",")
    return [value]
