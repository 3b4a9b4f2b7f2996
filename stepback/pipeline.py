"""One function per pipeline step, shared by the CLI and the Airflow DAGs.

Each takes the settings (and the warehouse resource), does the step, logs what happened in
numbers, and returns a small JSON-able summary that DAG tasks put in their asset event's extra.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from stepback.config import Settings, keep_private
from stepback.warehouse import Warehouse

log = logging.getLogger(__name__)
Step = TypeVar("Step", bound=Callable[..., dict[str, Any]])


def private(step: Step) -> Step:
    """The step writes files its owner alone can read (`keep_private`), in a CLI or a task."""

    @functools.wraps(step)
    def run(*args: Any, **kwargs: Any) -> dict[str, Any]:
        keep_private()
        return step(*args, **kwargs)

    return run  # type: ignore[return-value]


def warehouse_for(settings: Settings) -> Warehouse:
    return Warehouse(settings.catalog, settings.data_path)


@private
def init_step(settings: Settings) -> dict[str, Any]:
    from stepback.legacy_import import import_legacy, pending_legacy

    warehouse = warehouse_for(settings)
    buckets = ensure_buckets(settings)
    applied = warehouse.init()
    log.info("warehouse %s ready; %d migrations applied", warehouse.name, len(applied))
    summary: dict[str, Any] = {"warehouse": warehouse.name, "migrations_applied": applied,
                               "buckets_created": buckets}
    legacy = pending_legacy(settings.data_dir)
    if legacy:
        summary["imported"] = {"from": str(legacy), "rows": import_legacy(warehouse, legacy)}
    return summary


def ensure_buckets(settings: Settings) -> list[str]:
    """The S3 buckets the lake's files, the landing area and the models use, made when missing
    (a fresh MinIO has none)."""
    from stepback import object_store

    urls = (settings.data_path, settings.landing_url, settings.models_url)
    created = sorted({url for url in urls if object_store.is_s3(url)
                      and object_store.ensure_bucket(url)})
    for url in created:
        log.info("created the bucket of %s", url)
    return created


@private
def maintain_step(settings: Settings, keep_days: int | None = None) -> dict[str, Any]:
    from datetime import timedelta

    from stepback.maintenance import maintain

    days = keep_days or settings.file.warehouse.keep_snapshots_days
    return maintain(warehouse_for(settings), timedelta(days=days)).as_dict()


@private
def crawl_step(settings: Settings, source_name: str) -> dict[str, Any]:
    from stepback.crawling import crawl

    result = crawl(settings, settings.source(source_name))
    coverage = ", ".join(f"{name} {share:.0%}" for name, share in result.coverage.items())
    dropped = ", ".join(f"{reason} {count}" for reason, count in result.dropped.items())
    log.info(
        "crawled %s: %d pages, %d postings, %d dropped%s, %d skipped as known (of %d known), "
        "%.1f s -> %s; coverage: %s",
        result.source, result.pages, result.items, result.dropped_total,
        f" ({dropped})" if dropped else "", result.skipped_known, result.known, result.seconds,
        result.landing_file, coverage or "none",
    )
    return result.as_extra()


@private
def load_step(
    settings: Settings, progress: Callable[[int, int, Any], None] | None = None
) -> dict[str, Any]:
    from stepback.landing import landing_for
    from stepback.loading import load_pending, totals, warn_stray

    warehouse = warehouse_for(settings)
    warehouse.init()
    landing_for(settings).pull()
    close_after = settings.file.warehouse.close_after_missed_crawls
    ignored = warn_stray(settings.landing_dir)
    summary = totals(load_pending(warehouse, settings.landing_dir, progress, close_after), ignored)
    log.info(
        "load: %d files loaded (%d already loaded, %d ignored); %d lines, %d new, %d updated, "
        "%d unchanged, %d quarantined, %d closed",
        summary["files_loaded"], summary["files_skipped"], summary["files_ignored"],
        summary["lines_read"], summary["inserted"], summary["updated"], summary["unchanged"],
        summary["quarantined"], summary["closed"],
    )
    return summary


@private
def classify_step(settings: Settings) -> dict[str, Any]:
    from stepback.classify import classify
    from stepback.model_files import models_for

    models = models_for(settings)
    models.pull()
    summary = classify(
        warehouse_for(settings), settings.models_dir, settings.file.classifier.threshold
    )
    models.push()
    log.info(
        "classify: %d scores written with model %s; flagged per subscriber: %s",
        summary["scored"], summary["model_version"], summary["flagged"],
    )
    return summary


@private
def train_step(settings: Settings) -> dict[str, Any]:
    from stepback.classify import train_and_store
    from stepback.model_files import models_for

    models = models_for(settings)
    models.pull()
    summary = train_and_store(
        settings.models_dir, warehouse_for(settings), settings.file.classifier.threshold
    )
    models.push()
    m = summary["metrics"]
    log.info(
        "train: model %s %s; test PR-AUC %s (rules %s), P@10 %s, recall of flagged %s, "
        "Brier %s; %d feedback and %d weak pairs; report %s",
        summary["model_version"], summary["decision"], m["pr_auc"], m["baseline_pr_auc"],
        m["precision_at_10"], m["recall_flagged"], m["brier"], m["n_feedback"], m["n_weak"],
        summary["report"],
    )
    return summary


@private
def digest_step(
    settings: Settings,
    digest_date: date | None = None,
    smtp: Any | None = None,
    due_only: bool = False,
) -> dict[str, Any]:
    from stepback.digesting import run_digest

    summary = run_digest(
        warehouse_for(settings), settings, digest_date=digest_date, smtp=smtp, due_only=due_only
    )
    log.info(
        "digest %s: %d subscribers, %d sent, %d written to outbox, %d failed, %d with nothing new",
        summary["digest_date"], summary["subscribers"], len(summary["sent"]),
        len(summary["written"]), len(summary["failed"]), summary["nothing_new"],
    )
    return summary
