from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from models import store
from models.training import TrainedModel, load_labelled


def pairs() -> list[tuple[dict, dict]]:
    return [(r["posting"], r["profile"]) for r in load_labelled()[:20]]


def test_round_trip(tmp_path: Path, trained: TrainedModel) -> None:
    model = TrainedModel(trained.pipeline, dict(trained.metrics))
    folder = store.save(model, tmp_path, version="v1")
    assert (folder / store.MODEL_FILE).is_file() and (folder / store.METRICS_FILE).is_file()
    assert store.current_version(tmp_path) == "v1"
    assert sorted(sio.get_untrusted_types(file=folder / store.MODEL_FILE)) == sorted(
        store.TRUSTED_TYPES
    )
    loaded = store.load(tmp_path)
    assert loaded.version == "v1" and loaded.metrics["pr_auc"] == trained.metrics["pr_auc"]
    np.testing.assert_array_equal(
        loaded.pipeline.predict_proba(pairs()), trained.pipeline.predict_proba(pairs())
    )


def test_new_versions_move_current(tmp_path: Path, trained: TrainedModel) -> None:
    first = store.save(TrainedModel(trained.pipeline, {}), tmp_path)
    second = store.save(TrainedModel(trained.pipeline, {}), tmp_path)
    assert first != second
    assert store.current_version(tmp_path) == second.name


def test_refuses_a_file_with_an_untrusted_type(tmp_path: Path) -> None:
    evil = Pipeline([("run", FunctionTransformer(os.system))])
    (tmp_path / "bad").mkdir()
    sio.dump(evil, tmp_path / "bad" / store.MODEL_FILE)
    (tmp_path / store.CURRENT_FILE).write_text("bad\n", encoding="utf-8")
    with pytest.raises(store.UntrustedModelError, match="system"):
        store.load(tmp_path)
    with pytest.raises(store.UntrustedModelError):
        store.load_or_train(tmp_path)


def test_empty_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(store.ModelStoreError, match="no current model"):
        store.load(tmp_path)


def test_load_or_train_trains_once(
    tmp_path: Path, trained: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    def fake_train(labelled_path: object = None) -> TrainedModel:
        calls.append(labelled_path)
        return TrainedModel(trained.pipeline, dict(trained.metrics))

    monkeypatch.setattr(store, "train", fake_train)
    first = store.load_or_train(tmp_path / "models")
    second = store.load_or_train(tmp_path / "models")
    assert len(calls) == 1
    assert first.version == second.version is not None


def test_train_and_save_makes_a_new_current_version(
    tmp_path: Path, trained: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "train", lambda labelled_path=None: TrainedModel(trained.pipeline))
    first = store.train_and_save(tmp_path)
    second = store.train_and_save(tmp_path)
    assert first.version != second.version
    assert store.current_version(tmp_path) == second.version
    saved = json.loads((tmp_path / str(second.version) / store.METRICS_FILE).read_text())
    assert saved["version"] == second.version
