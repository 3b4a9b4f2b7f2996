"""Training pairs from the warehouse: subscribers' feedback, and weak labels for the rest.

Feedback joins `feedback` to one posting row of the job (the latest seen) and to the
subscriber's title and departments; "good" is a step back (1), "bad" is not (0). Weak pairs
are recent postings paired with subscribers, labelled by the rule functions in `models.weak`.
"""

from __future__ import annotations

from typing import Any

import duckdb

from stepback.postings import FIELDS

MAX_WEAK_POSTINGS = 500
TIMESTAMPS = ("posted_at", "valid_through", "scraped_at")
POSTING_COLUMNS = ", ".join(f'p."{f}"' for f in FIELDS)

ONE_POSTING_PER_JOB = """
SELECT * FROM postings
QUALIFY row_number() OVER (PARTITION BY job_key ORDER BY last_seen DESC, source, source_id) = 1
"""

FEEDBACK = f"""
SELECT f.label, f.via, s.title AS seeker_title, s.departments AS seeker_departments,
       {POSTING_COLUMNS}
FROM feedback AS f
JOIN subscribers AS s ON s.email = f.subscriber_email
JOIN ({ONE_POSTING_PER_JOB}) AS p ON p.job_key = f.job_key
ORDER BY f.recorded_at, f.subscriber_email, f.job_key
"""

RECENT = f"""
SELECT {POSTING_COLUMNS}
FROM ({ONE_POSTING_PER_JOB}) AS p
WHERE NOT EXISTS (SELECT 1 FROM feedback AS f WHERE f.job_key = p.job_key)
ORDER BY p.last_seen DESC, p.source, p.source_id
LIMIT $limit
"""


def _posting(row: dict[str, Any]) -> dict[str, Any]:
    posting = {f: row[f] for f in FIELDS}
    for key in TIMESTAMPS:
        if posting.get(key) is not None:
            posting[key] = posting[key].isoformat()
    return posting


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def feedback_pairs(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """One labelled row per feedback verdict, in the labelled-set shape."""
    out = []
    for row in _rows(con.execute(FEEDBACK)):
        out.append(
            {
                "origin": f"feedback:{row['via']}",
                "profile": {"title": row["seeker_title"],
                            "departments": list(row["seeker_departments"])},
                "posting": _posting(row),
                "label": 1 if row["label"] == "good" else 0,
                "note": f"subscriber said {row['label']}",
            }
        )
    return out


def weak_pairs(
    con: duckdb.DuckDBPyConnection, limit: int = MAX_WEAK_POSTINGS
) -> list[dict[str, Any]]:
    """Recent postings nobody gave feedback on, for every subscriber, where the rules agree."""
    from models.weak import weak_rows

    profiles = [
        {"title": title, "departments": list(departments)}
        for title, departments in con.execute(
            "SELECT title, departments FROM subscribers ORDER BY email"
        ).fetchall()
    ]
    postings = [_posting(row) for row in _rows(con.execute(RECENT, {"limit": limit}))]
    return weak_rows(((p, q) for p in postings for q in profiles), origin="weak:warehouse")
