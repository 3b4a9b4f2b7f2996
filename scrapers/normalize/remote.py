"""Remote: schema.org jobLocationType and the words people use."""

from __future__ import annotations

import re
from typing import Any

_REMOTE = re.compile(r"\b(?:remote|telecommute|work from home|wfh)\b", re.I)
_ON_SITE = re.compile(r"\b(?:on[- ]?site|in[- ]person|in[- ]office|hybrid)\b", re.I)
_NOT_REMOTE = re.compile(r"\b(?:not|no|non)[- ]remote\b", re.I)


def is_remote(location_type: Any = None, *texts: Any) -> bool | None:
    """True for TELECOMMUTE or a "Remote" location, False for on-site or hybrid, else None.

    Hybrid counts as not remote: the job still needs someone near the location.
    """
    if isinstance(location_type, list):
        location_type = " ".join(str(v) for v in location_type)
    if isinstance(location_type, str) and "TELECOMMUTE" in location_type.upper():
        return True
    for text in texts:
        if not isinstance(text, str):
            continue
        if _NOT_REMOTE.search(text) or _ON_SITE.search(text):
            return False
        if _REMOTE.search(text):
            return True
    return None
