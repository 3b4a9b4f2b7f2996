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
    -- min-hashes of the description's rarer sentences: large blocks compare only postings
    -- sharing one
    text_anchors    UBIGINT[],
    PRIMARY KEY (source, source_id)
);

-- The anchors again, one row each and keyed with their block, so a load finds the postings that
-- share an anchor with its own without reading every posting of the block.
CREATE TABLE grouping_anchors (
    anchor_key      UBIGINT NOT NULL,
    member_key      VARCHAR NOT NULL
);

-- How many postings each sentence (by hash) has appeared in: anchors skip common sentences, the
-- boilerplate that every posting of a company repeats.
CREATE TABLE sentence_counts (
    sentence_hash   UBIGINT PRIMARY KEY,
    postings        INTEGER NOT NULL
);

DROP INDEX postings_block_key;
