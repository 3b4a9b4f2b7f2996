from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from models import store
from models.features import PairFeaturizer
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


def _prior_only(trained: TrainedModel) -> Pipeline:
    """A weak current model: the base rate for every pair (plain scikit-learn parts)."""
    rows = load_labelled()
    pipeline = Pipeline(
        [
            ("pairs", PairFeaturizer()),
            ("columns", ColumnTransformer([("structured", DictVectorizer(), "structured")])),
            ("classifier", DummyClassifier(strategy="prior")),
        ]
    )
    return pipeline.fit([(r["posting"], r["profile"]) for r in rows], [r["label"] for r in rows])


def _retrain_as(monkeypatch: pytest.MonkeyPatch, trained: TrainedModel) -> None:
    def fake_train(labelled_path: object = None, **_: object) -> TrainedModel:
        return TrainedModel(
            trained.pipeline, dict(trained.metrics), report=dict(trained.report),
            held_out=trained.held_out,
        )

    monkeypatch.setattr(store, "train", fake_train)


def test_a_better_model_becomes_current(
    tmp_path: Path, trained: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    weak = TrainedModel(_prior_only(trained), {"split": trained.metrics["split"]})
    store.save(weak, tmp_path, version="weak")
    _retrain_as(monkeypatch, trained)
    model = store.train_and_save(tmp_path)
    assert model.metrics["promoted"] is True
    assert store.current_version(tmp_path) == model.version
    assert model.metrics["decision"].startswith("promoted: becomes current (PR-AUC")
    report = json.loads((tmp_path / str(model.version) / store.REPORT_JSON).read_text())
    assert report["current"]["version"] == "weak"
    assert report["current"]["metrics"]["pr_auc"] < report["model"]["pr_auc"]
    markdown = (tmp_path / str(model.version) / store.REPORT_MD).read_text()
    assert "current (weak)" in markdown and "rules only" in markdown


def test_a_model_that_does_not_beat_current_is_kept_but_not_current(
    tmp_path: Path, trained: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    _retrain_as(monkeypatch, trained)
    first = store.train_and_save(tmp_path)
    second = store.train_and_save(tmp_path)
    assert first.metrics["promoted"] and first.metrics["decision"].endswith("(no current model)")
    assert second.metrics["promoted"] is False
    assert second.metrics["decision"].startswith(f"not promoted: {first.version} stays current")
    assert store.current_version(tmp_path) == first.version
    kept = json.loads((tmp_path / str(second.version) / store.METRICS_FILE).read_text())
    assert kept["version"] == second.version and kept["promoted"] is False


def test_a_current_model_from_another_split_is_replaced(
    tmp_path: Path, trained: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(TrainedModel(trained.pipeline, {"split": "GroupShuffleSplit"}), tmp_path, "old")
    _retrain_as(monkeypatch, trained)
    model = store.train_and_save(tmp_path)
    assert model.metrics["promoted"] and "another test split" in model.metrics["decision"]
    assert store.current_version(tmp_path) == model.version
