"""What the DAG files share: assets that carry a run from crawl to digest, defaults, the pool."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset

from stepback.config import SourceConfig

WAREHOUSE_POOL = "duckdb"
START_DATE = datetime(2026, 1, 1)
DEFAULT_ARGS = {
    "owner": "stepback",
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
}

POSTINGS = Asset(name="postings", uri="stepback://warehouse/postings", group="warehouse")
SCORES = Asset(name="scores", uri="stepback://warehouse/scores", group="warehouse")
MODEL = Asset(name="classifier_model", uri="stepback://models/current", group="models")


def landing(source: SourceConfig) -> Asset:
    return Asset(
        name=f"landing_{source.slug}", uri=f"stepback://landing/{source.slug}", group="landing"
    )
