"""score_100k and train_time: the step-back classifier's throughput and training cost.

score_100k scores 100,000 postings (the committed labelled postings, repeated with new ids)
for one profile through `models.score_postings`: features, calibrated model, gate and reasons.
Its baseline, in the same run on the same postings, is a bare `TfidfVectorizer` +
`LogisticRegression` fitted on the labelled texts, predicting on the same texts: what the
ladders, lexicon and reasons cost on top of the plainest text classifier.

train_time is the seconds `models.training.train()` takes on the committed labelled set
(features, weak labels, calibrated fit, evaluation on the test split). Its baseline is fitting
that same bare TF-IDF + logistic regression on the same labelled texts, timed in the same run.
Here a ratio above 1 means slower than the baseline.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bench.report import BenchError, BenchResult, progress
from models import score_postings
from models.training import load_labelled, train

PROFILE = {"title": "Associate Producer", "departments": ["unscripted", "live events"]}
TEXT_FIELDS = ("title", "company", "production", "description")


def text_of(posting: Mapping[str, Any]) -> str:
    return "\n".join(str(posting[f]) for f in TEXT_FIELDS if posting.get(f))


def bare_text_model(rows: Sequence[Mapping[str, Any]]) -> Pipeline:
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=5000),
        LogisticRegression(max_iter=5000),
    )
    return model.fit([text_of(r["posting"]) for r in rows], [int(r["label"]) for r in rows])


def postings(n: int) -> list[dict[str, Any]]:
    rows = load_labelled()
    out = []
    for i in range(n):
        posting = dict(rows[i % len(rows)]["posting"])
        posting["source_id"] = f"bench-{i}"
        out.append(posting)
    return out


def _seconds(work: Any) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def score_100k(n: int = 100_000) -> BenchResult:
    rows = load_labelled()
    progress(f"score_100k: training the classifier on {len(rows)} pairs…")
    model = train()
    baseline = bare_text_model(rows)
    items = postings(n)
    progress(f"score_100k: scoring {n} postings for one profile…")
    scored: list[dict[str, Any]] = []
    value_s = _seconds(lambda: scored.extend(score_postings(model, items, PROFILE)))
    if len(scored) != n:
        raise BenchError(f"score_100k: scored {len(scored)} of {n} postings")
    base_s = _seconds(lambda: baseline.predict_proba([text_of(p) for p in items]))
    return BenchResult("score_100k", n / value_s, "postings/s", n / base_s)


def train_time() -> BenchResult:
    rows = load_labelled()
    value_s = _seconds(train)
    base_s = _seconds(lambda: bare_text_model(rows))
    progress(f"train_time: {len(rows)} labelled pairs, {value_s:.2f} s vs {base_s:.3f} s bare")
    return BenchResult("train_time", value_s, "s", base_s)
