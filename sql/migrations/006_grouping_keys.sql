-- 006: each posting's grouping keys, kept beside it so a load compares only what it adds.
-- Rows from before this migration get their keys (and a content hash computed the new way, in
-- SQL) on the next load (stepback.loading.backfill).

CREATE TABLE grouping_keys (
    source          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    member_key      VARCHAR NOT NULL,
    -- normalised company and title: only postings in one block are compared
    block_key       VARCHAR NOT NULL,
    -- folded production and city: two postings that both name one and differ are two jobs
    production_key  VARCHAR,
    city_key        VARCHAR,
    -- min-hashes of the description's sentences: large blocks compare only postings sharing one
    text_anchors    UBIGINT[],
    PRIMARY KEY (source, source_id)
);

DROP INDEX postings_block_key;
