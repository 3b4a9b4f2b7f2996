"""One `crawl_<source>` DAG per source in stepback.toml.

Each runs the source's spider as a `scrapy crawl` subprocess on the `crawl` queue (any worker),
publishes a JSON-lines file to the landing area whole, and emits the source's landing asset with
the crawl's numbers in `extra`; `load_postings` is scheduled on those assets. Demo sources have
no clock: they run when triggered.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, task

from stepback.config import SourceConfig, load_settings
from stepback.orchestration import CRAWL_QUEUE, cron, landing, limits

SETTINGS = load_settings()


def crawl_dag(source: SourceConfig) -> DAG:
    asset = landing(source)
    with DAG(
        dag_id=source.dag_id,
        schedule=cron(source.schedule),
        catchup=False,
        max_active_runs=1,
        **limits(timedelta(seconds=SETTINGS.file.crawl.timeout_seconds + 300),
                 SETTINGS.file.alerts),
        tags=["stepback", "crawl", source.kind, *(["demo"] if source.demo else [])],
        doc_md=f"Crawl **{source.name}** ({source.kind}) into the landing area's "
        f"`{source.slug}/`.\n\n"
        + (__doc__ or ""),
    ) as dag:

        @task(outlets=[asset], queue=CRAWL_QUEUE)
        def crawl(*, outlet_events=None) -> dict:
            from stepback.pipeline import crawl_step

            summary = crawl_step(load_settings(), source.name)
            outlet_events[asset].extra = summary
            return summary

        crawl()
    return dag


for _source in SETTINGS.sources:
    globals()[_source.dag_id] = crawl_dag(_source)
