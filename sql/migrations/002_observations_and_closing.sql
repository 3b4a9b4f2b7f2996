-- 002: every observation kept append-only; postings learn when they closed.

-- One row per landing-file line that loaded: what a source said about a posting, and when.
CREATE TABLE raw_postings (
    landing_file    VARCHAR NOT NULL,
    line_number     INTEGER NOT NULL,
    source          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    content_hash    VARCHAR NOT NULL,
    raw_line        VARCHAR NOT NULL,
    observed_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (landing_file, line_number)
);

-- closed_at: set when the posting's valid_through has passed, or when it has been missing from
-- its source's complete crawls `missed_crawls` times in a row; cleared when it comes back.
ALTER TABLE postings ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE postings ADD COLUMN missed_crawls INTEGER DEFAULT 0;
