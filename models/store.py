"""Versioned model store: `<models_dir>/<version>/` holds `model.skops`, `metrics.json`,
`report.json` and `report.md`; the file `current` names the version in use.

Models are saved with skops, never pickle. Before loading, the file's types are audited with
`skops.io.get_untrusted_types` against TRUSTED_TYPES; anything else is refused. Every trained
version is kept; it becomes current only when it beats the current one on the same test split.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import skops.io as sio
from filelock import FileLock
from sklearn.pipeline import Pipeline

from models.report import beats, render_markdown
from models.training import THRESHOLD, TrainedModel, measure_model, train

MODEL_FILE = "model.skops"
METRICS_FILE = "metrics.json"
REPORT_JSON = "report.json"
REPORT_MD = "report.md"
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


def save(
    model: TrainedModel,
    models_dir: str | Path,
    version: str | None = None,
    *,
    make_current: bool = True,
) -> Path:
    """Write a new version (and its report, when it has one); returns the version directory."""
    root = Path(models_dir)
    root.mkdir(parents=True, exist_ok=True)
    version = version or _new_version(root)
    target = root / version
    target.mkdir()
    with _quiet_module_scan():
        sio.dump(model.pipeline, target / MODEL_FILE)
    saved_at = datetime.now(UTC).isoformat()
    metrics = {**model.metrics, "version": version, "saved_at": saved_at}
    _atomic_write(target / METRICS_FILE, json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    if model.report:
        report = {**model.report, "version": version, "saved_at": saved_at}
        _atomic_write(target / REPORT_JSON, json.dumps(report, indent=2) + "\n")
        _atomic_write(target / REPORT_MD, render_markdown(report))
        model.report = report
    if make_current:
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


def promotion(root: Path, model: TrainedModel, threshold: float) -> tuple[bool, str, dict | None]:
    """Should `model` replace the current version? (yes/no, why, the current one's figures)."""
    version = current_version(root)
    if version is None:
        return True, "no current model", None
    try:
        current = load(root, version)
    except ModelStoreError as exc:
        return True, f"current model {version} cannot be loaded ({exc})", None
    if model.held_out is None:
        return True, "no test split to compare on", None
    if current.metrics.get("split") != model.metrics.get("split"):
        return True, f"current model {version} was measured on another test split", None
    figures = measure_model(current.pipeline, model.held_out, threshold)
    better, why = beats(model.report.get("model", model.metrics), figures)
    return better, f"{why} of current {version}", {"version": version, "metrics": figures}


def train_and_save(
    models_dir: str | Path,
    labelled_path: str | Path | None = None,
    *,
    extra: Sequence[Mapping[str, object]] = (),
    threshold: float = THRESHOLD,
) -> TrainedModel:
    """Train, compare with the current version on the same test split, keep the new version,
    and make it current only if it beats the current one. `metrics["promoted"]` says which."""
    root = Path(models_dir)
    with _lock(root):
        model = train(labelled_path, extra=extra, threshold=threshold)
        promoted, why, current = promotion(root, model, threshold)
        previous = current_version(root)
        decision = (
            f"promoted: becomes current ({why})"
            if promoted
            else f"not promoted: {previous} stays current ({why})"
        )
        model.metrics |= {"promoted": promoted, "decision": decision}
        if model.report:
            model.report |= {"promoted": promoted, "decision": decision, "current": current}
        save(model, root, make_current=promoted)
        return model


def load_or_train(models_dir: str | Path, labelled_path: str | Path | None = None) -> TrainedModel:
    """The current model; trains and saves one first when the store has none."""
    root = Path(models_dir)
    with _lock(root):
        if current_version(root) is None:
            save(train(labelled_path), root)
        return load(root)
