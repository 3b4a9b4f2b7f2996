"""Production names (show, film or event) when a title or text names one. Conservative."""

from __future__ import annotations

import re
from typing import Any

from scrapers.normalize.employment import employment_type
from scrapers.normalize.location import location_from_text
from scrapers.normalize.union import union_status

_TITLE_SEPARATOR = re.compile(r"\s+[-–—|]\s+|\s*[–—]\s*|:\s+")
_PARENTHESES = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_GENERIC_WORDS = frozenset(
    """
    the a an and of & + / - tv film films movie movies television series feature features
    scripted unscripted drama comedy documentary documentaries docuseries reality live events
    event sports sport post production productions development animation digital news media
    content marketing publicity communications finance accounting legal business affairs
    operations sales hr human resources people technology engineering creative music games
    gaming studio studios programming acquisitions distribution administration admin executive
    general corporate product design data it security facilities talent casting research
    strategy partnerships brand social editorial payroll recruiting department team crew staff
    entry level entry-level internship internships paid unpaid union non-union nonunion day rate
    immediate start urgent hiring now new remote hybrid on-site onsite in-person office
    offices headquarters hq spring summer fall autumn winter season student thesis short shorts
    musical true crime animated community access desk national assignment commercial commercials
    spot spots promo promos pilot project projects show shows broadway channel
    """.split()
)
# Generic words that name a function, not a show: a department holding one is no production.
_FUNCTION_WORDS = _GENERIC_WORDS - {
    "the", "a", "an", "and", "of", "&", "+", "/", "-", "live", "new", "now", "day", "rate",
    "level", "season", "spring", "summer", "fall", "autumn", "winter",
}
_PLACES = frozenset(
    {
        "los angeles", "la", "l.a", "new york", "new york city", "nyc", "atlanta", "london",
        "toronto", "vancouver", "chicago", "burbank", "hollywood", "santa monica", "culver city",
        "studio city", "nashville", "austin", "miami", "las vegas", "albuquerque",
        "san francisco", "boston", "washington", "washington dc", "orlando", "anywhere",
        "nationwide", "various", "multiple locations", "us", "usa", "uk",
    }
)
_CORPORATE_WORDS = frozenset(
    {"inc", "llc", "ltd", "co", "company", "corp", "entertainment", "pictures", "group", "network"}
)
_ROLE_ENDING = re.compile(
    r"\b(?:assistant|coordinator|manager|producer|editor|intern|associate|supervisor|"
    r"technician|operator|director|writer|designer|specialist|analyst|engineer|pa|"
    r"runner|driver|agent|executive|lead|head|chief|officer|artist|mixer|grip|gaffer)s?$",
    re.I,
)
_QUOTED = re.compile(r"[\"“”]([^\"“”\n]{2,60})[\"“”]")
_QUOTE_CONTEXT = re.compile(
    r"\b(?:on|for|of|join|joining|show|series|film|feature|production|season|docuseries|"
    r"special|event|pilot|titled|called|untitled)\W*$",
    re.I,
)
_SMALL = frozenset({"the", "a", "an", "and", "of", "on", "in", "at", "for", "to", "with", "de",
                    "la", "le", "vs", "vs.", "&", "-", "–", "+", "x"})
_NUMBER = re.compile(r"^\d+$")
_MAX_WORDS = 8


def production_from_title(title: Any, company: Any = None) -> str | None:
    """The first title segment after a dash or colon that is not the company, a place or a term.

    "Production Assistant – 98th Oscars" -> "98th Oscars".
    """
    if not isinstance(title, str):
        return None
    segments = [s.strip() for s in _TITLE_SEPARATOR.split(title) if s and s.strip()]
    for segment in segments[1:]:
        name = _PARENTHESES.sub("", segment).strip(" -–—:|,")
        if _looks_like_production(name, company):
            return name
    return None


def production_from_text(text: Any, company: Any = None) -> str | None:
    """A quoted, capitalised name after a word like "on", "for" or "series": 'PA on "Hacks"'."""
    if not isinstance(text, str):
        return None
    for match in _QUOTED.finditer(text):
        name = match[1].strip()
        before = text[max(0, match.start() - 40) : match.start()]
        if _QUOTE_CONTEXT.search(before) and _looks_like_production(name, company):
            return name
    return None


def production_from_department(department: Any, company: Any = None) -> str | None:
    """A department that names a show rather than a function ("Saturday Night Live", not "Film")."""
    if not isinstance(department, str):
        return None
    name = department.strip()
    if any(word in _FUNCTION_WORDS for word in _words(name)):
        return None
    return name if _looks_like_production(name, company) else None


def _looks_like_production(name: str, company: Any) -> bool:
    words = name.split()
    if not words or len(words) > _MAX_WORDS or len(name) > 60:
        return False
    if not _title_case(words) or name.endswith("."):
        return False
    if _all_generic(name):
        return False
    if _ROLE_ENDING.search(name) or employment_type(name) or union_status(name) is not None:
        return False
    if _is_place(name):
        return False
    return not _same_name(name, company)


def _title_case(words: list[str]) -> bool:
    """Every word but the small ones starts with a capital, a digit or a quote: a name."""
    return all(
        word[0].isupper() or word[0].isdigit() or word[0] in "\"“'&(" or word.lower() in _SMALL
        for word in words
    ) and words[0].lower() not in _SMALL - {"the", "a"}


def _all_generic(name: str) -> bool:
    return all(word in _GENERIC_WORDS or _NUMBER.match(word) for word in _words(name))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9'-]*|&", text.lower())


def _is_place(name: str) -> bool:
    core = " ".join(w for w in _words(name) if w not in _GENERIC_WORDS).strip(".")
    if core in _PLACES:
        return True
    if "," in name:
        return location_from_text(name) != name or len(name.split(",")) == 2
    return location_from_text(f"X, {name}") != f"X, {name}"


def _same_name(name: str, company: Any) -> bool:
    """The name is the company, or the company plus generic words ("A24 Films" for "A24")."""
    if not isinstance(company, str) or not _key(company):
        return False
    if _key(name) in _key(company):
        return True
    company_words = set(_words(company))
    rest = [w for w in _words(name) if w not in company_words]
    return all(w in _GENERIC_WORDS or w in _CORPORATE_WORDS for w in rest)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
