"""Keep the warehouse small and fast: flush small writes into files, merge small files, expire
snapshots older than `[warehouse] keep_snapshots_days` and delete the files nothing uses.

Daily. Loads, clicks and digests go on meanwhile; a step that meets a concurrent commit is
retried. The counts (files before and after, snapshots expired, files deleted) are the task's
return value and its log line.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, task

from stepback.config import load_settings
from stepback.orchestration import cron, limits

with DAG(
    dag_id="maintain_warehouse",
    schedule=cron("30 3 * * *"),
    catchup=False,
    max_active_runs=1,
    **limits(timedelta(hours=1)),
    tags=["stepback", "warehouse"],
    doc_md=__doc__,
):

    @task
    def maintain() -> dict:
        from stepback.pipeline import maintain_step

        return maintain_step(load_settings())

    maintain()
