-- 001: the warehouse as a DuckLake. Applied once by `stepback init`; recorded in
-- schema_migrations. DuckLake keeps no primary keys, unique or check constraints: the key
-- named above each table is kept by the code that writes it (MERGE on the key, inside a
-- guarded transaction: stepback.warehouse).

-- Every landing file the loader has loaded, by content hash: a file loaded once is skipped.
-- key: sha256
CREATE TABLE landing_files (
    sha256          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    source          VARCHAR,
    lines_read      INTEGER NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL
);

-- Current state of each posting.
-- key: (source, source_id)
CREATE TABLE postings (
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
    description     VARCHAR NOT NULL,
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
    -- closing: set when valid_through has passed, or when the posting has been missing from its
    -- source's complete crawls `missed_crawls` times in a row; cleared when it comes back
    closed_at       TIMESTAMPTZ,
    missed_crawls   INTEGER DEFAULT 0,
    -- the block (normalised company and title) its job is grouped within
    block_key       VARCHAR
);

-- Lines that failed validation, with every reason, so nothing is lost.
CREATE TABLE quarantine (
    landing_file    VARCHAR NOT NULL,
    line_number     INTEGER NOT NULL,
    source          VARCHAR,
    source_id       VARCHAR,
    reasons         VARCHAR[] NOT NULL,
    raw_line        VARCHAR NOT NULL,
    quarantined_at  TIMESTAMPTZ NOT NULL
);

-- One row per load of one landing file.
CREATE TABLE load_runs (
    landing_file    VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    source          VARCHAR,
    lines_read      INTEGER NOT NULL,
    inserted        INTEGER NOT NULL,
    updated         INTEGER NOT NULL,
    unchanged       INTEGER NOT NULL,
    quarantined     INTEGER NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL
);

-- One row per landing-file line that loaded: what a source said about a posting, and when.
-- Append-only; the ledger loads a file once.
CREATE TABLE raw_postings (
    landing_file    VARCHAR NOT NULL,
    line_number     INTEGER NOT NULL,
    source          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    content_hash    VARCHAR NOT NULL,
    raw_line        VARCHAR NOT NULL,
    observed_at     TIMESTAMPTZ NOT NULL
);

-- Subscribers: the profile file's fields. NULL send_time or timezone means "the [digest]
-- default in stepback.toml", so changing the file moves everyone who never chose.
-- key: email
CREATE TABLE subscribers (
    email           VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    departments     VARCHAR[] NOT NULL,
    locations       VARCHAR[] NOT NULL,
    remote_ok       BOOLEAN NOT NULL,
    exclude         VARCHAR[] NOT NULL,
    max_items       INTEGER,
    subscribed_at   TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    send_time       VARCHAR,
    timezone        VARCHAR,
    nothing_today   BOOLEAN NOT NULL DEFAULT false,
    min_pay         DOUBLE,
    min_pay_unit    VARCHAR
);

-- The classifier's verdict for each posting and subscriber, for the posting's current content.
-- key: (subscriber_email, source, source_id)
CREATE TABLE scores (
    subscriber_email VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    content_hash     VARCHAR NOT NULL,
    profile_hash     VARCHAR NOT NULL,
    model_version    VARCHAR NOT NULL,
    score            DOUBLE NOT NULL,
    step_back        BOOLEAN NOT NULL,
    level_gap        INTEGER,
    prestige         DOUBLE NOT NULL,
    reasons          VARCHAR[] NOT NULL,
    scored_at        TIMESTAMPTZ NOT NULL
);

-- Every job put in a digest, so no job is sent to the same subscriber twice.
-- key: (subscriber_email, job_key)
CREATE TABLE digest_items (
    subscriber_email VARCHAR NOT NULL,
    job_key          VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    digest_date      DATE NOT NULL,
    score            DOUBLE NOT NULL
);

-- One row per digest attempt: delivered to SMTP, written to the outbox, or failed.
CREATE TABLE digest_runs (
    subscriber_email VARCHAR NOT NULL,
    digest_date      DATE NOT NULL,
    items            INTEGER NOT NULL,
    status           VARCHAR NOT NULL,
    detail           VARCHAR,
    message_id       VARCHAR,
    finished_at      TIMESTAMPTZ NOT NULL
);

-- What subscribers said about the jobs they were sent, a label ('good' or 'bad') for the
-- classifier. A later click or command replaces an earlier one.
-- key: (subscriber_email, job_key)
CREATE TABLE feedback (
    subscriber_email VARCHAR NOT NULL,
    job_key          VARCHAR NOT NULL,
    label            VARCHAR NOT NULL,
    via              VARCHAR NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL
);

-- Each posting's grouping keys, kept beside it so a load compares only what it adds.
-- key: (source, source_id)
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
    text_anchors    UBIGINT[]
);

-- The anchors again, one row each and keyed with their block, so a load finds the postings that
-- share an anchor with its own without reading every posting of the block.
CREATE TABLE grouping_anchors (
    anchor_key      UBIGINT NOT NULL,
    member_key      VARCHAR NOT NULL
);

-- How many postings each sentence (by hash) has appeared in: anchors skip common sentences, the
-- boilerplate that every posting of a company repeats.
-- key: sentence_hash
CREATE TABLE sentence_counts (
    sentence_hash   UBIGINT NOT NULL,
    postings        INTEGER NOT NULL
);

-- One row per kind of writer that must not interleave with another of its kind (see
-- stepback.warehouse.Warehouse.transaction): a transaction updates its guard's row, so two at
-- once conflict and one is retried, whatever the catalog database.
CREATE TABLE write_guards (
    name            VARCHAR NOT NULL,
    holder          VARCHAR,
    taken_at        TIMESTAMPTZ
);
