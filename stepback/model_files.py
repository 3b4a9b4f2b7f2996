"""The model store every machine shares: `[storage] models`, a directory or `s3://…`.

With S3, each machine keeps a copy under `<data dir>/models` (the layout `models.store`
documents). Before scoring or training it pulls the current version; after training it pushes
the versions the bucket lacks, each version's files first and the `current` pointer last, so a
machine that reads the pointer finds the whole version behind it. Pulled files are audited by
skops like any other before they are loaded.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from models.store import CURRENT_FILE, MODEL_FILE, current_version
from stepback import object_store
from stepback.object_store import Mirror

if TYPE_CHECKING:
    from stepback.config import Settings

log = logging.getLogger(__name__)


class ModelArea(Protocol):
    def pull(self) -> str | None:
        """Make the shared current version current here too; returns it (None: no model yet)."""

    def push(self) -> list[str]:
        """Share the versions trained here; returns those uploaded."""


@dataclass(frozen=True)
class LocalModels:
    local: Path

    def pull(self) -> str | None:
        return current_version(self.local)

    def push(self) -> list[str]:
        return []


@dataclass(frozen=True)
class S3Models(Mirror):
    def pull(self) -> str | None:
        location = self.location
        shared = (object_store.read_text(location, location.key(CURRENT_FILE)) or "").strip()
        if not shared:
            return current_version(self.local)
        if not (self.local / shared / MODEL_FILE).is_file():
            items = list(object_store.listing(location, f"{shared}/"))
            for item in items:
                object_store.download(location, item, self.local / item.key[len(location.prefix):])
            log.info("models: pulled version %s (%d files) from %s", shared, len(items), self.url)
        if current_version(self.local) != shared:
            _write_pointer(self.local, shared)
        return shared

    def push(self) -> list[str]:
        location = self.location
        relative = [item.key[len(location.prefix):] for item in object_store.listing(location)]
        shared = {key.split("/", 1)[0] for key in relative if "/" in key}
        local = sorted(p.parent.name for p in self.local.glob(f"*/{MODEL_FILE}"))
        pushed = [version for version in local if version not in shared]
        for version in pushed:
            for path in sorted((self.local / version).iterdir()):
                if path.is_file() and not path.name.startswith("."):
                    object_store.upload(path, location, location.key(f"{version}/{path.name}"))
        current = current_version(self.local)
        if current in pushed:
            object_store.upload(self.local / CURRENT_FILE, location, location.key(CURRENT_FILE))
        if pushed:
            log.info("models: pushed %s to %s (current %s)", ", ".join(pushed), self.url, current)
        return pushed


def _write_pointer(root: Path, version: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=root, prefix=f".{CURRENT_FILE}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(version + "\n")
    os.replace(temporary, root / CURRENT_FILE)


def models_for(settings: Settings) -> ModelArea:
    if object_store.is_s3(settings.models_url):
        return S3Models(settings.models_url, settings.models_dir)
    return LocalModels(settings.models_dir)
