"""Send each subscriber the step-back jobs flagged for them since their last digest.

Runs every quarter hour in the `[digest]` timezone of stepback.toml; each scheduled run sends
only to subscribers whose own send time (their profile's, else `[digest] time`) has passed
where they live and who have not had today's digest. A manual run sends to everyone not yet
served today. Sends through the Airflow connection `smtp_default` (the SMTP provider's hook)
when it exists, else through STEPBACK_SMTP_URL, else writes `.eml` and `.html` files to the
outbox. A job is never sent to the same subscriber twice, and nobody gets two digests for one
day: each is claimed in the warehouse before SMTP sees it. The task fails, with the count, when
any digest could not be delivered (an SMTP outage is red, not green); its retry sends only those.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, task

from stepback.config import load_settings
from stepback.orchestration import cron, limits

DIGEST = load_settings().file.digest

with DAG(
    dag_id="send_digest",
    schedule=cron("*/15 * * * *", DIGEST.timezone),
    catchup=False,
    max_active_runs=1,
    **limits(timedelta(hours=1)),
    tags=["stepback", "digest"],
    doc_md=__doc__,
):

    @task
    def send() -> dict:
        from airflow.sdk import Connection, get_current_context
        from airflow.sdk.exceptions import AirflowNotFoundException

        from stepback.digest.airflow_smtp import AirflowSmtp
        from stepback.pipeline import digest_step

        try:
            Connection.get("smtp_default")
            smtp = AirflowSmtp("smtp_default")
        except AirflowNotFoundException:
            smtp = None
        scheduled = get_current_context()["dag_run"].run_type == "scheduled"
        summary = digest_step(load_settings(), smtp=smtp, due_only=scheduled)
        if summary["failed"]:
            first = next(iter(summary["failed"].values()))
            raise RuntimeError(
                f"{len(summary['failed'])} of {summary['subscribers']} digests not delivered "
                f"({len(summary['sent'])} sent); first reason: {first}")
        return summary

    send()
