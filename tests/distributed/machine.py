"""`[core] hostname_callable` for the distributed test: each Celery worker runs on this one
machine, so each is given a name (STEPBACK_TEST_MACHINE) to stand for its host, and Airflow
records that name on every task instance the worker runs."""

from __future__ import annotations

import os
import socket


def name() -> str:
    return os.environ.get("STEPBACK_TEST_MACHINE") or socket.getfqdn()
