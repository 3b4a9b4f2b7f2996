"""Union status: guild and local names, "union" and "non-union" words."""

from __future__ import annotations

import re
from typing import Any

_EITHER = re.compile(r"\bunion\s*(?:/|or|and|&)\s*non[- ]?union\b", re.I)
_NON_UNION = re.compile(r"\bnon[- ]?union\b|\bnot union\b", re.I)
_GUILDS = re.compile(
    r"\b(?:DGA|IATSE|I\.A\.T\.S\.E\.?|SAG-AFTRA|SAG|AFTRA|WGA|WGAE|WGAW|NABET|NABET-CWA|AEA|"
    r"(?i:teamsters?|iatse)|Actors'? Equity|Local\s*#?\s*\d{1,4})\b"
)
_UNION_WORD = re.compile(
    r"\bunion\b(?=\s+(?:production|project|show|shoot|gig|job|position|role|rates?|scale|crew|"
    r"film|series|feature|members?|membership|signatory|contract|pilot|commercial|only)\b)"
    r"|^\W*union\W*$|\b(?:this is an?|is an?|under an?|fully|a)\s+union\b",
    re.I,
)


def union_status(*texts: Any) -> bool | None:
    """True for a union or guild production, False for non-union, None when unsaid or both."""
    joined = " \n ".join(t for t in texts if isinstance(t, str))
    if not joined.strip() or _EITHER.search(joined):
        return None
    if _NON_UNION.search(joined):
        return False
    if _GUILDS.search(joined) or any(
        isinstance(t, str) and _UNION_WORD.search(t) for t in texts
    ):
        return True
    return None
