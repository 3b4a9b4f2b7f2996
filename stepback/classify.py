"""Score postings for subscribers with the current step-back classifier and keep the scores."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from stepback.config import Profile
from stepback.postings import FIELDS
from stepback.subscribers import profile_hash, subscribers
from stepback.warehouse import Warehouse

TO_SCORE = f"""
SELECT {", ".join(f'p."{f}"' for f in FIELDS)}, p.content_hash
FROM postings AS p
LEFT JOIN scores AS s
    ON s.subscriber_email = $email AND s.source = p.source AND s.source_id = p.source_id
WHERE s.source IS NULL
   OR s.content_hash <> p.content_hash
   OR s.profile_hash <> $profile_hash
   OR s.model_version <> $model_version
ORDER BY p.source, p.source_id
"""

# The scores of one subscriber's batch replace what was there for the same postings.
UPSERT_SCORES = """
MERGE INTO scores USING score_batch AS n USING (subscriber_email, source, source_id)
WHEN MATCHED THEN UPDATE
WHEN NOT MATCHED THEN INSERT
"""


def current_model(models_dir: Path) -> Any:
    from models import load_or_train

    return load_or_train(models_dir)


def profile_dict(profile: Profile) -> dict[str, Any]:
    return profile.model_dump()


def postings_to_score(
    con: duckdb.DuckDBPyConnection, profile: Profile, model_version: str
) -> list[dict[str, Any]]:
    cursor = con.execute(
        TO_SCORE,
        {"email": profile.email, "profile_hash": profile_hash(profile),
         "model_version": model_version},
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for key in ("posted_at", "valid_through", "scraped_at"):
            if row.get(key) is not None:
                row[key] = row[key].isoformat()
    return rows


def score(model: Any, postings: list[dict[str, Any]], profile: dict[str, Any], threshold: float):
    from models import score_postings

    return score_postings(model, postings, profile, threshold=threshold)


def classify(warehouse: Warehouse, models_dir: Path, threshold: float) -> dict[str, Any]:
    """Score every posting that is new or changed (or whose subscriber or model changed)."""
    flagged: Counter[str] = Counter()
    scored = 0
    with warehouse.writer() as con:
        model = current_model(models_dir)
        version = str(model.version)
        for profile in subscribers(con):
            postings = postings_to_score(con, profile, version)
            if not postings:
                continue
            results = score(model, postings, profile_dict(profile), threshold)
            now = datetime.now(UTC)
            rows = [
                [profile.email, p["source"], p["source_id"], p["content_hash"],
                 profile_hash(profile), version, r["score"], r["step_back"], r["level_gap"],
                 r["prestige"], list(r["reasons"]), now]
                for p, r in zip(postings, results, strict=True)
            ]
            warehouse.transaction(lambda c, rows=rows: write_scores(c, rows),
                                  f"scores for {profile.email}", guard="scores", con=con)
            scored += len(rows)
        for email, count in con.execute(
            "SELECT subscriber_email, count(*) FROM opportunities GROUP BY ALL"
        ).fetchall():
            flagged[email] = count
    return {"scored": scored, "model_version": version, "flagged": dict(flagged)}


def write_scores(con: duckdb.DuckDBPyConnection, rows: list[list[Any]]) -> None:
    """One bulk MERGE of a batch of scores (Arrow in, no row-at-a-time inserts)."""
    import pyarrow as pa

    schema = pa.schema([
        ("subscriber_email", pa.string()), ("source", pa.string()), ("source_id", pa.string()),
        ("content_hash", pa.string()), ("profile_hash", pa.string()),
        ("model_version", pa.string()), ("score", pa.float64()), ("step_back", pa.bool_()),
        ("level_gap", pa.int32()), ("prestige", pa.float64()),
        ("reasons", pa.list_(pa.string())), ("scored_at", pa.timestamp("us", tz="UTC")),
    ])
    batch = pa.Table.from_pylist([dict(zip(schema.names, row, strict=True)) for row in rows],
                                 schema=schema)
    con.register("score_batch", batch)
    try:
        con.execute(UPSERT_SCORES)
    finally:
        con.unregister("score_batch")


def warehouse_pairs(warehouse: Warehouse | None) -> list[dict[str, Any]]:
    """Feedback and weak pairs from the warehouse; none when there is no warehouse yet."""
    from stepback.training_pairs import feedback_pairs, weak_pairs

    if warehouse is None or not warehouse.exists():
        return []
    with warehouse.reader() as con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake'").fetchall()}
        if not {"feedback", "postings", "subscribers"} <= tables:
            return []
        return feedback_pairs(con) + weak_pairs(con)


def train_and_store(
    models_dir: Path, warehouse: Warehouse | None = None, threshold: float = 0.5
) -> dict[str, Any]:
    """Train with the warehouse's feedback and weak pairs; the version becomes current only
    when it beats the current one on the same test split."""
    from models import train_and_save
    from models.store import REPORT_MD

    trained = train_and_save(models_dir, extra=warehouse_pairs(warehouse), threshold=threshold)
    return {
        "model_version": str(trained.version),
        "promoted": bool(trained.metrics.get("promoted")),
        "decision": trained.metrics.get("decision"),
        "report": str(Path(models_dir) / str(trained.version) / REPORT_MD),
        "metrics": trained.metrics,
    }
