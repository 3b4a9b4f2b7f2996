"""Productions from ATS team and department names, which far more often name a function."""

from __future__ import annotations

import re
from typing import Any

from scrapers.normalize.production import production_from_department
from scrapers.normalize.text import clean_text

# Function words that ATS teams use and production.py does not know as generic.
_TEAM_WORDS = frozenset(
    """
    support success customer customers client clients growth platform people talent ops
    partnerships partner partners revenue account accounts payroll insurance risk compliance
    workplace experience quality assurance care service services solutions member members
    community brand infrastructure product products enablement learning training benefits
    total rewards analytics insights procurement logistics supply chain it systems office
    """.split()
)


def production_from_team(*names: Any, company: Any = None) -> str | None:
    """The first name that is a show ("Jack Ryan", "Saturday Night Live"), not "Support"."""
    for name in names:
        text = clean_text(name)
        if not text or set(re.findall(r"[a-z]+", text.lower())) & _TEAM_WORDS:
            continue
        production = production_from_department(text, company)
        if production:
            return production
    return None
