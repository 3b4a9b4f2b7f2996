"""Incremental crawls: leave out detail pages of postings already landed and unchanged.

The runner writes a JSON file and passes its path as `-a known=PATH`. The file is one object
mapping a posting key to the fingerprint last seen for it (or null):

    {
      "DCP-2026-0098": "2026-11-20",
      "https://board.example/jobs/1042-writers-pa/": "2026-11-18T09:30:00+00:00",
      "1043": null
    }

- A key is a posting's `source_id` or its URL (absolute, fragment ignored). Writing both for
  each posting is fine; a listing match on either counts.
- A fingerprint is what a listing shows without the detail page: the sitemap `<lastmod>` or the
  date on the listing card. Spiders copy what they saw into the posting's `raw` (`lastmod`,
  `listing_date`), so the runner can take it from the last landing file; `posted_at` also works.
  null means "known; skip it whatever the listing says".

A listed posting is known unchanged when its id or URL is a key and either side has no
fingerprint, or both read as dates and the listed one is not later than the known one, or both
are the same text. Anything else (new key, later date, different marker) is fetched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from scrapers.normalize.dates import to_iso

Fingerprint = str | None


class KnownFileError(ValueError):
    """The known-postings file is missing or not in the documented format."""


@dataclass(frozen=True)
class KnownPostings:
    fingerprints: dict[str, Fingerprint] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fingerprints)

    def unchanged(self, *, source_id: str | None, url: str | None, listed: Fingerprint) -> bool:
        """True when the posting is known and what the listing shows does not say it changed."""
        for key in (source_id, _url_key(url)):
            if key and key in self.fingerprints:
                return not is_newer(listed, self.fingerprints[key])
        return False


def load_known(path: str | Path | None) -> KnownPostings:
    if path is None or not str(path).strip():
        return KnownPostings()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise KnownFileError(f"cannot read known file {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise KnownFileError(f"known file {path} is not JSON: {error.msg}") from None
    return KnownPostings(parse_fingerprints(data))


def parse_fingerprints(data: Any) -> dict[str, Fingerprint]:
    if not isinstance(data, dict):
        raise KnownFileError("known file must hold one JSON object: key -> fingerprint or null")
    fingerprints: dict[str, Fingerprint] = {}
    for key, value in data.items():
        if value is not None and not isinstance(value, str | int | float):
            raise KnownFileError(f"fingerprint of {key!r} must be text or null")
        clean = key.strip()
        fingerprints[_url_key(clean) or clean] = None if value is None else str(value)
    return fingerprints


def is_newer(listed: Fingerprint, known: Fingerprint) -> bool:
    """Whether a listed fingerprint says the posting changed since the known one."""
    if not listed or not known:
        return False
    listed_time, known_time = _as_time(listed), _as_time(known)
    if listed_time is not None and known_time is not None:
        if isinstance(listed_time, datetime) and isinstance(known_time, datetime):
            return listed_time > known_time
        return _day(listed_time) > _day(known_time)
    return listed.strip() != known.strip()


def _as_time(text: str) -> date | datetime | None:
    iso = to_iso(text)
    if iso is None:
        return None
    if len(iso) == len("2026-01-01"):
        return date.fromisoformat(iso)
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _url_key(url: str | None) -> str | None:
    if not url or not url.startswith(("http://", "https://")):
        return None
    return urldefrag(url)[0]
