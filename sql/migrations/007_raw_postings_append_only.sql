-- 007: raw_postings without its primary key on (landing_file, line_number).
-- The ledger (landing_files, by content hash) already loads a file once; keeping the key cost a
-- million-posting load most of its time, and a file re-landed under an old name with new
-- content lost the new observations to it. Without it, every observation is kept.

CREATE TABLE raw_postings_007 (
    landing_file    VARCHAR NOT NULL,
    line_number     INTEGER NOT NULL,
    source          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    content_hash    VARCHAR NOT NULL,
    raw_line        VARCHAR NOT NULL USING COMPRESSION zstd,
    observed_at     TIMESTAMPTZ NOT NULL
);

INSERT INTO raw_postings_007 SELECT * FROM raw_postings;

DROP TABLE raw_postings;

ALTER TABLE raw_postings_007 RENAME TO raw_postings;
