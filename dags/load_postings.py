"""Load every finished landing file into the warehouse.

Scheduled on the landing assets of all sources (any one of them triggers a run). Each file is
validated with the Great Expectations suite; failing lines go to `quarantine` with their
reasons, the rest are upserted into `postings` keyed by (source, source_id), a chunk of files
per transaction, so no file is ever half loaded. Files already loaded (same content hash) are
skipped, so re-running changes nothing.
Emits the `postings` asset, with the load's counts, when something was new or changed.
"""

from __future__ import annotations

from datetime import timedelta
from functools import reduce

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException

from stepback.config import load_settings
from stepback.orchestration import POSTINGS, landing, limits

LANDING_ASSETS = [landing(source) for source in load_settings().sources]

with DAG(
    dag_id="load_postings",
    schedule=reduce(lambda a, b: a | b, LANDING_ASSETS) if LANDING_ASSETS else None,
    catchup=False,
    max_active_runs=1,
    **limits(timedelta(hours=2)),
    tags=["stepback", "warehouse"],
    doc_md=__doc__,
):

    @task(outlets=[POSTINGS])
    def load(*, outlet_events=None, triggering_asset_events=None) -> dict:
        from stepback.pipeline import load_step

        summary = load_step(load_settings())
        if summary["inserted"] + summary["updated"] == 0:
            raise AirflowSkipException(
                f"nothing new: {summary['files_loaded']} files loaded, "
                f"{summary['quarantined']} lines quarantined"
            )
        outlet_events[POSTINGS].extra = summary
        return summary

    load()
