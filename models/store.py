"""Versioned model store: `<models_dir>/<version>/model.skops` + `metrics.json`, and `current`.

Models are saved with skops, never pickle. Before loading, the file's types are audited with
`skops.io.get_untrusted_types` against TRUSTED_TYPES; anything else is refused.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import skops.io as sio
from filelock import FileLock
from sklearn.pipeline import Pipeline

from models.training import TrainedModel, train

MODEL_FILE = "model.skops"
METRICS_FILE = "metrics.json"
CURRENT_FILE = "current"
LOCK_FILE = ".lock"

# Types in a saved step-back pipeline that skops does not trust by default. Adding one here is
# a security decision: it lets skops construct that type from a file.
TRUSTED_TYPES: tuple[str, ...] = (
    "models.features.PairFeaturizer",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
)


class ModelStoreError(RuntimeError):
    """The store is empty, damaged, or holds a file we refuse to load."""


class UntrustedModelError(ModelStoreError):
    pass


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _new_version(models_dir: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    version, n = stamp, 1
    while (models_dir / version).exists():
        n += 1
        version = f"{stamp}-{n}"
    return version


def save(model: TrainedModel, models_dir: str | Path, version: str | None = None) -> Path:
    """Write a new version and point `current` at it; returns the version directory."""
    root = Path(models_dir)
    root.mkdir(parents=True, exist_ok=True)
    version = version or _new_version(root)
    target = root / version
    target.mkdir()
    with _quiet_module_scan():
        sio.dump(model.pipeline, target / MODEL_FILE)
    metrics = {**model.metrics, "version": version, "saved_at": datetime.now(UTC).isoformat()}
    _atomic_write(target / METRICS_FILE, json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    _atomic_write(root / CURRENT_FILE, version + "\n")
    model.version = version
    model.metrics = metrics
    return target


def current_version(models_dir: str | Path) -> str | None:
    pointer = Path(models_dir) / CURRENT_FILE
    if not pointer.is_file():
        return None
    return pointer.read_text(encoding="utf-8").strip() or None


@contextmanager
def _quiet_module_scan() -> Iterator[None]:
    """skops looks up some objects by scanning every loaded module's attributes; inside
    Airflow that touches hundreds of deprecated aliases, each warning once per lookup."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def load_pipeline(path: str | Path) -> Pipeline:
    """Audit a .skops file against TRUSTED_TYPES, then load it."""
    path = Path(path)
    if not path.is_file():
        raise ModelStoreError(f"no model file at {path}")
    with _quiet_module_scan():
        untrusted = sio.get_untrusted_types(file=path)
    refused = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if refused:
        raise UntrustedModelError(
            f"refusing to load {path.name}: untrusted types {', '.join(refused)}"
        )
    with _quiet_module_scan():
        pipeline = sio.load(path, trusted=list(TRUSTED_TYPES))
    if not isinstance(pipeline, Pipeline):
        raise ModelStoreError(f"{path.name} holds a {type(pipeline).__name__}, not a Pipeline")
    return pipeline


def load(models_dir: str | Path, version: str | None = None) -> TrainedModel:
    root = Path(models_dir)
    version = version or current_version(root)
    if version is None:
        raise ModelStoreError(f"no current model in {root}")
    folder = root / version
    pipeline = load_pipeline(folder / MODEL_FILE)
    metrics: dict[str, Any] = {}
    if (folder / METRICS_FILE).is_file():
        metrics = json.loads((folder / METRICS_FILE).read_text(encoding="utf-8"))
    return TrainedModel(pipeline=pipeline, metrics=metrics, version=version)


def _lock(root: Path) -> FileLock:
    """Keeps two processes (say, two Airflow tasks) from training into one store at once."""
    root.mkdir(parents=True, exist_ok=True)
    return FileLock(str(root / LOCK_FILE))


def train_and_save(models_dir: str | Path, labelled_path: str | Path | None = None) -> TrainedModel:
    """Train on the labelled set and make the result the current version."""
    root = Path(models_dir)
    with _lock(root):
        model = train(labelled_path)
        save(model, root)
        return model


def load_or_train(models_dir: str | Path, labelled_path: str | Path | None = None) -> TrainedModel:
    """The current model; trains and saves one first when the store has none."""
    root = Path(models_dir)
    with _lock(root):
        if current_version(root) is None:
            save(train(labelled_path), root)
        return load(root)
