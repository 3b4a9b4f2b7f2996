"""Train the step-back classifier on the committed labelled set and store a new version.

Weekly and on demand. The model is saved with skops under `data/models/<version>/` and
becomes current; `classify_postings` re-scores postings with it on its next run.
"""

from __future__ import annotations

from airflow.sdk import DAG, task

from stepback.config import load_settings
from stepback.orchestration import DEFAULT_ARGS, MODEL, cron

with DAG(
    dag_id="train_classifier",
    schedule=cron("@weekly"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
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
