"""Score every new or changed posting for every subscriber with the current classifier.

Scheduled on the `postings` asset that `load_postings` emits. A posting is re-scored only when
its content, the subscriber's title or departments, or the model version changed. Emits the
`scores` asset with the number scored and flagged per subscriber.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, task

from stepback.config import load_settings
from stepback.orchestration import POSTINGS, SCORES, limits

with DAG(
    dag_id="classify_postings",
    schedule=[POSTINGS],
    catchup=False,
    max_active_runs=1,
    **limits(timedelta(hours=2)),
    tags=["stepback", "classifier"],
    doc_md=__doc__,
):

    @task(outlets=[SCORES])
    def classify(*, outlet_events=None) -> dict:
        from stepback.pipeline import classify_step

        summary = classify_step(load_settings())
        outlet_events[SCORES].extra = summary
        return summary

    classify()
