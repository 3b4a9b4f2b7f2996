"""Send each subscriber the step-back jobs flagged for them since their last digest.

Runs daily at the time and timezone in stepback.toml (`[digest]`). Sends through the Airflow
connection `smtp_default` when it exists, else through STEPBACK_SMTP_URL, else writes `.eml`
and `.html` files to the outbox. A job is never sent to the same subscriber twice.
"""

from __future__ import annotations

from airflow.sdk import DAG, task

from stepback.config import load_settings
from stepback.orchestration import DEFAULT_ARGS, WAREHOUSE_POOL, cron

DIGEST = load_settings().file.digest

with DAG(
    dag_id="send_digest",
    schedule=cron(DIGEST.cron, DIGEST.timezone),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["stepback", "digest"],
    doc_md=__doc__,
):

    @task(pool=WAREHOUSE_POOL)
    def send() -> dict:
        from airflow.sdk import Connection
        from airflow.sdk.exceptions import AirflowNotFoundException

        from stepback.digest import smtp_settings_from_airflow_connection
        from stepback.pipeline import digest_step

        try:
            smtp = smtp_settings_from_airflow_connection(Connection.get("smtp_default"))
        except AirflowNotFoundException:
            smtp = None
        return digest_step(load_settings(), smtp=smtp)

    send()
