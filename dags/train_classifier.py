"""Train the step-back classifier, evaluate it and store a new version with its report.

Weekly and on demand (trigger it by hand). Training uses the committed labelled set, weak labels
from the rule functions, and subscribers' feedback read from a snapshot of the warehouse
(writers go on meanwhile). Every version is saved with skops under `data/models/<version>/`
with `report.md` and `report.json`; it becomes current only when it beats the current model on
the same employer-held-out test split, and `classify_postings` re-scores postings with it on
its next run.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, task

from stepback.config import load_settings
from stepback.orchestration import MODEL, cron, limits

with DAG(
    dag_id="train_classifier",
    schedule=cron("@weekly"),
    catchup=False,
    max_active_runs=1,
    **limits(timedelta(hours=2)),
    tags=["stepback", "classifier"],
    doc_md=__doc__,
):

    @task(outlets=[MODEL])
    def train(*, outlet_events=None) -> dict:
        from stepback.pipeline import train_step

        summary = train_step(load_settings())
        outlet_events[MODEL].extra = summary
        return summary

    train()
