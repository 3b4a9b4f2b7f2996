"""URLs as browsers read them: the WHATWG URL standard (the `ada` parser).

A posting's URL is untrusted text. Python's urllib reads `https://evil.example\\@www.abc.com/`
as a link to www.abc.com, while every browser goes to evil.example; labelling or linking by
urllib's reading would mislead. Every URL the loader stores and the digest links or labels
passes through `browser_url` first.
"""

from __future__ import annotations

import re

import ada_url

# A browser drops tabs and newlines inside a URL and trims spaces around it; a URL holding any
# is refused rather than silently rewritten.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
WEB_SCHEMES = ("http:", "https:")


def browser_url(url: object) -> str | None:
    """The absolute http(s) URL a browser would open (scheme and host lower-cased, `\\` read as
    `/`, dot segments resolved, international hosts in IDNA), or None: not a string, white
    space or control characters anywhere, not http(s), or no host."""
    if not isinstance(url, str) or not url or _SPACE_OR_CONTROL.search(url):
        return None
    try:
        parsed = ada_url.URL(url)
    except ValueError:
        return None
    if parsed.protocol not in WEB_SCHEMES or not parsed.hostname:
        return None
    return parsed.href


def host(url: str) -> str | None:
    """The host a browser would contact for this URL."""
    checked = browser_url(url)
    return ada_url.URL(checked).hostname if checked else None


def normalised_or_given(url: str | None) -> str | None:
    """For the loader: the browser's reading when there is one, else the text as given (so the
    quality suite quarantines it with its own reason)."""
    return browser_url(url) or url
