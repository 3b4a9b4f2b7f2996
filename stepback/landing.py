"""The landing area: where crawls publish finished files and loads find them.

`[storage] landing` in stepback.toml (or STEPBACK_LANDING) is a directory (the default,
`<data dir>/landing`) or `s3://bucket/prefix/`, so a crawl on one machine and a load on another
meet. Either way every machine works on a local copy, `Settings.landing_dir`: a crawl writes its
feed there and publishes it; a load first pulls the finished files it lacks, then reads local
files only.

A load never sees half a file. Locally a crawl's `.part` file is renamed into place. On S3 the
run's stats and log are put first and its `.jsonl` last, each by one PUT (S3 shows an object
whole or not at all), so whoever sees a `.jsonl` sees its stats too; a pull downloads under a
temporary name and renames.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from stepback import object_store
from stepback.object_store import Location, Mirror, StoredObject

if TYPE_CHECKING:
    from stepback.config import Settings

log = logging.getLogger(__name__)
FINISHED_SUFFIX = ".jsonl"
# What a pull brings: the finished files and the stats the loader and the next crawl read.
PULLED_SUFFIXES = (".stats.json", FINISHED_SUFFIX)


class LandingArea(Protocol):
    url: str
    local: Path

    def publish(self, part: Path, final: Path, companions: tuple[Path, ...] = ()) -> None:
        """Make `final` (written as `part`) visible to every loader, its companions first."""

    def pull(self, folder: str | None = None) -> int:
        """Bring finished files published elsewhere into `local`; the number fetched."""


@dataclass(frozen=True)
class LocalLanding:
    local: Path

    @property
    def url(self) -> str:
        return str(self.local)

    def publish(self, part: Path, final: Path, companions: tuple[Path, ...] = ()) -> None:
        os.replace(part, final)

    def pull(self, folder: str | None = None) -> int:
        return 0


@dataclass(frozen=True)
class S3Landing(Mirror):
    def _relative(self, path: Path) -> str:
        return path.relative_to(self.local).as_posix()

    def publish(self, part: Path, final: Path, companions: tuple[Path, ...] = ()) -> None:
        location = self.location
        for path in companions:
            if path.exists():
                object_store.upload(path, location, location.key(self._relative(path)))
        modified = object_store.upload(part, location, location.key(self._relative(final)))
        stamp = modified.timestamp()
        os.utime(part, (stamp, stamp))
        os.replace(part, final)

    def pull(self, folder: str | None = None) -> int:
        location = self.location
        wanted = [item for item in object_store.listing(location, f"{folder}/" if folder else "")
                  if self._pulled(location, item)]
        # Stats before the files they describe, oldest first.
        wanted.sort(key=lambda item: (item.key.endswith(FINISHED_SUFFIX), item.modified))
        for item in wanted:
            object_store.download(location, item, self.local / item.key[len(location.prefix):])
        if wanted:
            log.info("landing: pulled %d files from %s", len(wanted), self.url)
        return len(wanted)

    def _pulled(self, location: Location, item: StoredObject) -> bool:
        """Whether a listed object is a landing file this copy lacks (or has other bytes of)."""
        relative = item.key[len(location.prefix):]
        if relative.count("/") != 1 or not relative.endswith(PULLED_SUFFIXES):
            return False
        local = self.local / relative
        try:
            stat = local.stat()
        except FileNotFoundError:
            return True
        return stat.st_size != item.size or int(stat.st_mtime) != int(item.modified.timestamp())


def landing_area(url: str, local: Path) -> LandingArea:
    if object_store.is_s3(url):
        return S3Landing(url, local)
    return LocalLanding(local)


def landing_for(settings: Settings) -> LandingArea:
    return landing_area(settings.landing_url, settings.landing_dir)
