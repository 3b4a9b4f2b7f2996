"""What the DAG files share: assets that carry a run from crawl to digest, and defaults."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import Asset, CronTriggerTimetable

from stepback.config import AlertsConfig, SourceConfig, load_settings

__all__ = ["CRAWL_QUEUE", "DEFAULT_ARGS", "MODEL", "POSTINGS", "SCORES", "cron", "landing",
           "limits"]
DEFAULT_ARGS = {
    "owner": "stepback",
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
}

def limits(task: timedelta, alerts: AlertsConfig | None = None) -> dict[str, Any]:
    """A DAG's `default_args` and `dagrun_timeout`: each try of a task may take `task`, a run
    all its tries and their waits; a task that fails for good alerts the operator
    (`stepback.alerts`; `alerts` from the settings the DAG file already read, else read here)."""
    from stepback.alerts import failure_notifiers

    alerts = alerts or load_settings().file.alerts
    tries = int(DEFAULT_ARGS["retries"]) + 1
    return {
        "default_args": {**DEFAULT_ARGS, "execution_timeout": task,
                         "on_failure_callback": failure_notifiers(alerts)},
        "dagrun_timeout": task * tries + timedelta(minutes=30),
    }


# Crawls wait on the network, not on the warehouse: with Celery they go to their own queue and
# spread over every worker that serves it. Other tasks use the default queue.
CRAWL_QUEUE = "crawl"

POSTINGS = Asset(name="postings", uri="stepback://warehouse/postings", group="warehouse")
SCORES = Asset(name="scores", uri="stepback://warehouse/scores", group="warehouse")
MODEL = Asset(name="classifier_model", uri="stepback://models/current", group="models")


def cron(expression: str | None, timezone: str = "UTC") -> CronTriggerTimetable | None:
    """A clock that fires at the next tick, never for a tick already past.

    A plain cron string would give a data-interval timetable, which runs the latest interval
    as soon as a DAG is unpaused: a surprise crawl or digest on every fresh start.
    """
    return CronTriggerTimetable(expression, timezone=timezone) if expression else None


def landing(source: SourceConfig) -> Asset:
    return Asset(
        name=f"landing_{source.slug}", uri=f"stepback://landing/{source.slug}", group="landing"
    )
