-- 001: the core tables. Applied once by `stepback init`; recorded in schema_migrations.

-- Every landing file the loader has seen, keyed by content hash: a file loaded once is skipped.
CREATE TABLE landing_files (
    sha256          VARCHAR PRIMARY KEY,
    path            VARCHAR NOT NULL,
    source          VARCHAR,
    lines_read      INTEGER NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL
);

-- Current state of each posting, one row per (source, source_id).
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
    PRIMARY KEY (source, source_id)
);

-- Lines that failed validation, with every reason, so nothing is lost.
CREATE TABLE quarantine (
    landing_file    VARCHAR NOT NULL,
    line_number     INTEGER NOT NULL,
    source          VARCHAR,
    source_id       VARCHAR,
    reasons         VARCHAR[] NOT NULL,
    raw_line        VARCHAR NOT NULL,
    quarantined_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (landing_file, line_number)
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

-- Subscribers: the profile file's fields.
CREATE TABLE subscribers (
    email           VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    departments     VARCHAR[] NOT NULL,
    locations       VARCHAR[] NOT NULL,
    remote_ok       BOOLEAN NOT NULL,
    exclude         VARCHAR[] NOT NULL,
    max_items       INTEGER,
    subscribed_at   TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- The classifier's verdict for each posting and subscriber, for the posting's current content.
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
    scored_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscriber_email, source, source_id)
);

-- Every job put in a digest, so no job is sent to the same subscriber twice.
CREATE TABLE digest_items (
    subscriber_email VARCHAR NOT NULL,
    job_key          VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    digest_date      DATE NOT NULL,
    score            DOUBLE NOT NULL,
    PRIMARY KEY (subscriber_email, job_key)
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
