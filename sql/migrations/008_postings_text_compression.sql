-- 008: postings keep their descriptions ZSTD-compressed, as raw_postings keeps its raw lines
-- (007). DuckDB's default string compression cost a large load a tenth of its insert time and
-- stored descriptions at twice the size. Same columns, same order, same key.

CREATE TABLE postings_008 (
    -- keys
    source          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    job_key         VARCHAR NOT NULL,
    -- what the posting says
    url             VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    company         VARCHAR,
    production      VARCHAR,
    location        VARCHAR,
    remote          BOOLEAN,
    employment_type VARCHAR,
    "union"         BOOLEAN,
    description     VARCHAR NOT NULL USING COMPRESSION zstd,
    -- pay
    pay_min         DOUBLE,
    pay_max         DOUBLE,
    pay_currency    VARCHAR,
    pay_unit        VARCHAR,
    -- timestamps
    posted_at       TIMESTAMPTZ,
    valid_through   TIMESTAMPTZ,
    scraped_at      TIMESTAMPTZ NOT NULL,
    first_seen      TIMESTAMPTZ NOT NULL,
    last_seen       TIMESTAMPTZ NOT NULL,
    changed_at      TIMESTAMPTZ NOT NULL,
    -- bookkeeping
    content_hash    VARCHAR NOT NULL,
    landing_file    VARCHAR NOT NULL,
    -- closing (002) and grouping (003)
    closed_at       TIMESTAMPTZ,
    missed_crawls   INTEGER DEFAULT 0,
    block_key       VARCHAR,
    PRIMARY KEY (source, source_id)
);

INSERT INTO postings_008 SELECT * FROM postings;

DROP TABLE postings;

ALTER TABLE postings_008 RENAME TO postings;
