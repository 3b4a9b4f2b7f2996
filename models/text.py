"""Text clean-up shared by title parsing and phrase matching."""

from __future__ import annotations

import re

_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)

# Title abbreviations: "Sr. Prod. Coord." reads as "senior production coordinator".
_SYNONYMS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "asst": "assistant",
    "assist": "assistant",
    "assoc": "associate",
    "coord": "coordinator",
    "prod": "production",
    "exec": "executive",
    "mgr": "manager",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "writers": "writer",
    "postproduction": "post production",
    "coordinators": "coordinator",
    "assistants": "assistant",
}
_DROP = {"the"}


def clean(text: str | None) -> str:
    """Straight quotes and dashes, no non-breaking spaces."""
    return (text or "").translate(_PUNCT)


def tokens(text: str | None) -> tuple[str, ...]:
    """Lower-case words of a title with abbreviations expanded and possessives dropped."""
    lowered = clean(text).lower().replace("&", " and ")
    lowered = re.sub(r"'s\b", "", lowered).replace("'", "")
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", lowered):
        if word in _DROP:
            continue
        words.extend(_SYNONYMS.get(word, word).split())
    return tuple(words)


def contains_phrase(haystack: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    if not phrase:
        return False
    padded = f" {' '.join(haystack)} "
    return f" {' '.join(phrase)} " in padded
