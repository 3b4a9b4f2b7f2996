"""Failure alerts: every task that fails for good (after its retries) tells the operator.

An email to `[alerts] email` through Airflow's `smtp_default` connection (the SMTP provider's
notifier), and, with `[alerts] webhook`, a JSON POST naming the DAG, the task, the run, the try
and the error's first line. An alert that cannot be delivered is logged; it never hides the
task's own failure.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

from airflow.providers.common.compat.notifier import BaseNotifier

from stepback.config import AlertsConfig

log = logging.getLogger(__name__)
SUBJECT = "stepback: {{ ti.dag_id }}.{{ ti.task_id }} failed ({{ run_id }})"
WEBHOOK_TIMEOUT = 10


class WebhookNotifier(BaseNotifier):
    """POST a small JSON summary of the failure to a URL (chat webhooks, pagers)."""

    template_fields = ()

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def notify(self, context: dict[str, Any]) -> None:
        ti = context["ti"]
        error = context.get("exception")
        body = {
            "text": f"stepback: {ti.dag_id}.{ti.task_id} failed ({context.get('run_id')})",
            "dag_id": ti.dag_id, "task_id": ti.task_id, "run_id": context.get("run_id"),
            "try_number": ti.try_number,
            "error": (str(error).splitlines() or [type(error).__name__])[0][:500]
            if error else None,
        }
        request = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "stepback-alerts"})
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
                response.read()
        except OSError as exc:
            log.error("alert webhook failed: %s", exc)


def failure_notifiers(alerts: AlertsConfig) -> list[BaseNotifier]:
    notifiers: list[BaseNotifier] = []
    if alerts.email:
        from airflow.providers.smtp.notifications.smtp import SmtpNotifier

        notifiers.append(SmtpNotifier(to=alerts.email, subject=SUBJECT))
    if alerts.webhook:
        notifiers.append(WebhookNotifier(str(alerts.webhook)))
    return notifiers
