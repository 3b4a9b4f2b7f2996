"""One job, one row: group the postings of the same real job found on several sources.

Postings are first blocked on a normalised company and title (so only plausible pairs are
compared), then two postings in a block are the same job unless they disagree:

- both name a production and the productions differ (the same PA title on two NBC shows);
- both give a non-remote location and the cities differ;
- both have descriptions of some length and their word 3-gram shingles overlap (Jaccard) less
  than `MIN_SIMILARITY`. On the labelled pairs in tests/fixtures/grouping, copies of one job
  overlap 0.69-1.0 (boards wrap the studio's text in their own intro and outro) and different
  jobs in one block at most 0.25, so the threshold sits between them at 0.5.

Same-job pairs join into groups (union-find); a group's job key is its smallest member key, so
grouping the same postings again gives the same keys.

Keys are computed in DuckDB by the SQL macros below (the one definition of each normalisation)
and kept in `grouping_keys` beside the posting. A block of up to `EXHAUSTIVE_BLOCK_SIZE`
postings compares every pair; a larger one (the "Production Assistant" at a big studio, with
hundreds of postings) compares only postings that share a text anchor: a min-hash of the
description's sentences, leaving out sentences seen in more than `COMMON_SENTENCE` postings
(boilerplate). Candidates are checked on their shingles in SQL and joined by union-find.

Grouping is incremental: a load compares its new and changed postings with their block, and
rebuilds from scratch the old group of a posting that changed, so a load costs what it adds,
not what is stored.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd

from stepback.scratch import Scratch
from stepback.warehouse import session

MIN_SIMILARITY = 0.5
MIN_WORDS_TO_COMPARE = 12
SHINGLE = 3
# Blocks up to this size compare every pair; larger ones only pairs that share a text anchor.
EXHAUSTIVE_BLOCK_SIZE = 8
ANCHORS = 3
# A sentence in more postings than this is boilerplate, not a trace of one job.
COMMON_SENTENCE = 5
MIN_SENTENCE = 20
ABBREVIATIONS = {
    "pa": "production assistant",
    "pas": "production assistants",
    "apoc": "assistant production office coordinator",
    "poc": "production office coordinator",
    "ap": "associate producer",
    "ep": "executive producer",
    "sr": "senior",
    "jr": "junior",
    "asst": "assistant",
    "coord": "coordinator",
    "exec": "executive",
    "2nd": "second",
    "1st": "first",
}
FILLER = ["the", "a", "an", "for", "on", "at", "of", "and", "to", "with", "job", "role",
          "position", "opening"]
COMPANY_SUFFIXES = [
    "inc", "llc", "ltd", "co", "corp", "corporation", "company", "studio", "studios",
    "production", "productions", "entertainment", "film", "films", "media", "group", "network",
    "pictures", "television", "tv",
]


# Punctuation a description's words shed before shingling; apostrophes join ("writer's").
TEXT_PUNCTUATION = {c: " " for c in ",.:;()[]!?\"/-&*+#|\n\t\r–—•“”"} | {
    c: "" for c in "'’"
}


def _sql_list(words: Iterable[str]) -> str:
    return "[" + ", ".join(f"'{w}'" for w in words) + "]"


def _text_words() -> str:
    """Words of a long text, cheaply: lower case, accents stripped, punctuation to spaces
    (apostrophes dropped), split on spaces. Plain `replace` passes are ten times faster than
    `sb_fold`'s regexes on a description."""
    text = "lower(strip_accents(coalesce(t, '')))"
    for character, replacement in TEXT_PUNCTUATION.items():
        quoted = character.replace("'", "''")
        text = f"replace({text}, '{quoted}', '{replacement}')"
    return f"list_filter(string_split({text}, ' '), lambda w: w <> '')"


def _word_map() -> str:
    cases = " ".join(f"WHEN '{short}' THEN '{long}'" for short, long in ABBREVIATIONS.items())
    return f"CASE w {cases} ELSE w END"


MACROS = f"""
CREATE OR REPLACE TEMP MACRO sb_fold(t) AS trim(regexp_replace(
    replace(regexp_replace(lower(strip_accents(coalesce(t, ''))), '[^\\x00-\\x7f]', '', 'g'),
            '''', ''),
    '[^a-z0-9]+', ' ', 'g'));
CREATE OR REPLACE TEMP MACRO sb_words(t) AS
    list_filter(string_split(sb_fold(t), ' '), lambda w: w <> '');
CREATE OR REPLACE TEMP MACRO sb_normal_title(t) AS array_to_string(list_filter(
    flatten(list_transform(sb_words(t), lambda w: string_split({_word_map()}, ' '))),
    lambda w: NOT list_contains({_sql_list(FILLER)}, w)), ' ');
CREATE OR REPLACE TEMP MACRO sb_normal_company(t) AS array_to_string(list_filter(
    sb_words(t), lambda w: NOT list_contains({_sql_list(COMPANY_SUFFIXES)}, w)), ' ');
CREATE OR REPLACE TEMP MACRO sb_block_key(company, title, production) AS
    left(sha256(sb_normal_company(company) || '|' || sb_normal_title(
        CASE WHEN length(production) > 2
             THEN replace(lower(title), lower(production), ' ') ELSE title END)), 16);
CREATE OR REPLACE TEMP MACRO sb_member_key(source, source_id) AS
    left(sha256(source || '|' || source_id), 16);
CREATE OR REPLACE TEMP MACRO sb_city(location) AS sb_fold(split_part(location, ',', 1));
CREATE OR REPLACE TEMP MACRO sb_text_words(t) AS {_text_words()};
CREATE OR REPLACE TEMP MACRO sb_sentences(t) AS
    list_filter(string_split(t, '. '), lambda s: length(s) >= {MIN_SENTENCE});
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)


@functools.cache
def _scratch() -> duckdb.DuckDBPyConnection:
    con = session()
    install_macros(con)
    return con


def _evaluate(expression: str, *values: str | None) -> str:
    return _scratch().execute(f"SELECT {expression}", list(values)).fetchone()[0]


def normal_title(title: str | None) -> str:
    return _evaluate("sb_normal_title(?)", title)


def normal_company(company: str | None) -> str:
    return _evaluate("sb_normal_company(?)", company)


def block_key(company: str | None, title: str | None, production: str | None = None) -> str:
    """The block of a posting: its company and title, less the production a title may name
    ("PA - 99th Oscars" on one board is "Production Assistant" on the studio's own)."""
    return _evaluate("sb_block_key(?, ?, ?)", company, title, production)


def member_key(source: str, source_id: str) -> str:
    return _evaluate("sb_member_key(?, ?)", source, source_id)


# Min-hashes of a posting's rare sentences (all of them when none is rare), one per seed.
ANCHOR_EXPRESSIONS = ", ".join(
    f"list_min(list_transform(t.hashes, lambda x: hash(x, {seed})))" for seed in range(ANCHORS)
)
ANCHOR_KEY = "hash(block_key, anchor)"
CREATE_KEYS = """
WITH titles AS (
    SELECT company, title, production, sb_block_key(company, title, production) AS block_key
    FROM (SELECT DISTINCT company, title, production FROM {source})
),

productions AS (
    SELECT production, sb_fold(production) AS production_key
    FROM (SELECT DISTINCT production FROM {source})
),

cities AS (
    SELECT location, sb_city(location) AS city_key
    FROM (SELECT DISTINCT location FROM {source})
),

counted AS (
    SELECT s.source, s.source_id, s.sentence_hash, c.postings
    FROM batch_sentences AS s
    INNER JOIN sentence_counts AS c USING (sentence_hash)
),

texts AS (
    SELECT
        source, source_id,
        coalesce(list(sentence_hash) FILTER (WHERE postings <= {common}), list(sentence_hash))
            AS hashes
    FROM counted
    GROUP BY source, source_id
)

SELECT
    s.source,
    s.source_id,
    sb_member_key(s.source, s.source_id) AS member_key,
    titles.block_key,
    productions.production_key,
    cities.city_key,
    [{anchors}] AS text_anchors
FROM {source} AS s
LEFT JOIN titles
    ON titles.company IS NOT DISTINCT FROM s.company AND titles.title IS NOT DISTINCT FROM s.title
    AND titles.production IS NOT DISTINCT FROM s.production
LEFT JOIN productions ON productions.production IS NOT DISTINCT FROM s.production
LEFT JOIN cities ON cities.location IS NOT DISTINCT FROM s.location
LEFT JOIN texts AS t USING (source, source_id)
"""

# Each sentence (by hash) of the postings being keyed, one row per occurrence.
BATCH_SENTENCES = """
SELECT source, source_id, hash(unnest(sb_sentences(description))) AS sentence_hash
FROM {source}
"""

COUNT_SENTENCES = """
MERGE INTO sentence_counts
USING (SELECT sentence_hash, count(*) AS postings FROM batch_sentences GROUP BY sentence_hash)
    AS n USING (sentence_hash)
WHEN MATCHED THEN UPDATE SET postings = sentence_counts.postings + n.postings
WHEN NOT MATCHED THEN INSERT
"""

# Pairs of an active posting with the postings of its block that productions and cities allow:
# every such pair in a small block, only pairs sharing a text anchor in a large one. A partner
# outside the active set stands for its group (its job key); two active postings pair once.
CANDIDATES = f"""
WITH active AS (
    SELECT k.* FROM grouping_keys AS k SEMI JOIN grouping_active USING (source, source_id)
),

sizes AS (
    SELECT block_key, count(*) > {EXHAUSTIVE_BLOCK_SIZE} AS large
    FROM grouping_keys
    WHERE block_key IN (SELECT block_key FROM active)
    GROUP BY block_key
),

small_pairs AS (
    SELECT a.member_key AS a_key, k.member_key AS b_key
    FROM active AS a
    INNER JOIN sizes USING (block_key)
    INNER JOIN grouping_keys AS k ON k.block_key = a.block_key
    WHERE NOT sizes.large AND k.member_key <> a.member_key
),

active_anchors AS (
    SELECT member_key, {ANCHOR_KEY} AS anchor_key
    FROM (
        SELECT a.member_key, a.block_key, unnest(a.text_anchors) AS anchor
        FROM active AS a
        INNER JOIN sizes USING (block_key)
        WHERE sizes.large
    )
),

large_pairs AS (
    SELECT DISTINCT aa.member_key AS a_key, g.member_key AS b_key
    FROM active_anchors AS aa
    INNER JOIN grouping_anchors AS g USING (anchor_key)
    WHERE g.member_key <> aa.member_key
),

pairs AS (
    SELECT * FROM small_pairs UNION SELECT * FROM large_pairs
),

ends AS (
    SELECT
        k.member_key, k.production_key, k.city_key,
        coalesce(p.remote, false) AS remote,
        p.job_key,
        a.source IS NOT NULL AS active
    FROM grouping_keys AS k
    INNER JOIN postings AS p USING (source, source_id)
    LEFT JOIN grouping_active AS a USING (source, source_id)
    WHERE k.member_key IN (SELECT a_key FROM pairs UNION SELECT b_key FROM pairs)
)

SELECT
    a.member_key AS a_key,
    b.member_key AS b_key,
    b.active AS b_active,
    b.job_key AS b_job
FROM pairs
INNER JOIN ends AS a ON a.member_key = pairs.a_key
INNER JOIN ends AS b ON b.member_key = pairs.b_key
WHERE (NOT b.active OR a.member_key < b.member_key)
  AND (a.production_key = '' OR b.production_key = '' OR a.production_key = b.production_key)
  AND (a.remote OR b.remote OR a.city_key = '' OR b.city_key = '' OR a.city_key = b.city_key)
"""

# The word 3-grams (hashed) of every description a candidate pair compares; a description of
# fewer than MIN_WORDS_TO_COMPARE words has none and says nothing against a pair. A 3-gram a
# text repeats counts each time (deduplicating costs more than the rest): it only lowers the
# overlap of a text that repeats itself.
SHINGLES = f"""
WITH texts AS (
    SELECT k.member_key, sb_text_words(p.description) AS words
    FROM grouping_keys AS k
    INNER JOIN postings AS p USING (source, source_id)
    WHERE k.member_key IN (
        SELECT a_key FROM grouping_candidates UNION SELECT b_key FROM grouping_candidates
    )
)

SELECT
    member_key,
    CASE WHEN len(words) >= {MIN_WORDS_TO_COMPARE} THEN list_transform(
        range(1, len(words) - {SHINGLE - 2}),
        lambda i: hash({", ".join(f"words[i + {n}]" for n in range(SHINGLE))})
    ) ELSE [] END AS shingles
FROM texts
"""

# Candidate pairs whose descriptions overlap enough (Jaccard of their shingles), as edges from
# the active posting to its partner (or the partner's group, when the partner is not active).
SAME_JOB = f"""
WITH compared AS (
    SELECT
        c.a_key,
        CASE WHEN c.b_active THEN c.b_key ELSE c.b_job END AS node,
        len(a.shingles) AS a_size,
        len(b.shingles) AS b_size,
        len(list_intersect(a.shingles, b.shingles)) AS common
    FROM grouping_candidates AS c
    INNER JOIN grouping_shingles AS a ON a.member_key = c.a_key
    INNER JOIN grouping_shingles AS b ON b.member_key = c.b_key
)

SELECT a_key, node
FROM compared
WHERE a_size = 0 OR b_size = 0 OR common >= {MIN_SIMILARITY} * (a_size + b_size - common)
"""


def components(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find: each node's component, named by its smallest node."""
    parent: dict[str, str] = {node: node for node in nodes}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        low, high = sorted((root(a), root(b)))
        parent[high] = low
    return {node: root(node) for node in list(parent)}


def store_keys(scratch: Scratch, source: str) -> None:
    """Count the sentences of the postings in relation `source`, then compute their grouping
    keys into `batch_keys` (anchors skip sentences common with these counts included)."""
    scratch.make("batch_sentences", BATCH_SENTENCES.format(source=source))
    scratch.con.execute(COUNT_SENTENCES)
    scratch.make("batch_keys", CREATE_KEYS.format(source=source, anchors=ANCHOR_EXPRESSIONS,
                                                  common=COMMON_SENTENCE))
    scratch.drop("batch_sentences")


def save_keys(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("MERGE INTO grouping_keys USING batch_keys AS n USING (source, source_id) "
                "WHEN MATCHED THEN UPDATE WHEN NOT MATCHED THEN INSERT")
    con.execute(
        "DELETE FROM grouping_anchors WHERE member_key IN (SELECT member_key FROM batch_keys)"
    )
    con.execute(f"INSERT INTO grouping_anchors SELECT {ANCHOR_KEY}, member_key FROM ("
                "SELECT member_key, block_key, unnest(text_anchors) AS anchor FROM batch_keys)")


def same_job_edges(scratch: Scratch) -> list[tuple[str, str]]:
    with scratch.scope():
        scratch.make("grouping_candidates", CANDIDATES)
        scratch.make("grouping_shingles", SHINGLES)
        return scratch.con.execute(SAME_JOB).fetchall()


def regroup_active(scratch: Scratch) -> int:
    """Group the postings listed in `grouping_active(source, source_id)` with their blocks;
    returns how many postings changed job key.

    Active postings start apart (their own member key) and join each other and the existing
    groups of their blocks through same-job pairs. Callers make every member of a group that
    lost or changed a posting active, so such groups are rebuilt, not patched.
    """
    con = scratch.con
    active = con.execute(
        "SELECT k.source, k.source_id, k.member_key "
        "FROM grouping_keys AS k SEMI JOIN grouping_active USING (source, source_id)"
    ).fetchall()
    if not active:
        return 0
    edges = same_job_edges(scratch)
    keys = components((key for _, _, key in active), edges)
    old_jobs = {node for _, node in edges} - {key for _, _, key in active}
    _register(con, "grouping_members", ["source", "source_id", "job_key"],
              [(s, i, keys[k]) for s, i, k in active])
    _register(con, "grouping_relabel", ["old_key", "job_key"],
              [(j, keys[j]) for j in old_jobs if keys[j] != j])
    [(changed,)] = con.execute(
        "UPDATE postings SET job_key = m.job_key FROM grouping_members AS m "
        "WHERE postings.source = m.source AND postings.source_id = m.source_id "
        "AND postings.job_key <> m.job_key"
    ).fetchall()
    [(relabelled,)] = con.execute(
        "UPDATE postings SET job_key = r.job_key FROM grouping_relabel AS r "
        "WHERE postings.job_key = r.old_key"
    ).fetchall()
    con.unregister("grouping_members")
    con.unregister("grouping_relabel")
    return changed + relabelled


def _register(
    con: duckdb.DuckDBPyConnection, name: str, columns: list[str], rows: list[tuple[str, ...]]
) -> None:
    con.register(name, pd.DataFrame(rows, columns=columns, dtype="object"))


STAND_IN_TABLES = """
CREATE TEMP TABLE postings (
    source VARCHAR, source_id VARCHAR, company VARCHAR, title VARCHAR, production VARCHAR,
    location VARCHAR, remote BOOLEAN, description VARCHAR, job_key VARCHAR, block_key VARCHAR
);
CREATE TEMP TABLE sentence_counts (sentence_hash UBIGINT, postings INTEGER);
CREATE TEMP TABLE grouping_anchors (anchor_key UBIGINT, member_key VARCHAR);
CREATE TEMP TABLE grouping_keys (
    source VARCHAR, source_id VARCHAR, member_key VARCHAR, block_key VARCHAR,
    production_key VARCHAR, city_key VARCHAR, text_anchors UBIGINT[]
);
"""


def group_rows(rows: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Job keys for postings given as dicts, grouped from scratch in a scratch database, by the
    same SQL as a load."""
    con = session()
    install_macros(con)
    con.execute(STAND_IN_TABLES)
    columns = ["source", "source_id", "company", "title", "production", "location", "remote",
               "description"]
    _register(con, "given", columns, [tuple(row.get(c) for c in columns) for row in rows])
    con.execute("INSERT INTO postings BY NAME SELECT *, sb_member_key(source, source_id) AS "
                "job_key FROM given")
    scratch = Scratch(con)
    store_keys(scratch, "postings")
    save_keys(con)
    scratch.make("grouping_active", "SELECT source, source_id FROM postings")
    regroup_active(scratch)
    keys = con.execute("SELECT source, source_id, job_key FROM postings").fetchall()
    con.close()
    return {(source, source_id): key for source, source_id, key in keys}
