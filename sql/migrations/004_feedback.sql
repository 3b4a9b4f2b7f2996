-- 004: what subscribers said about the jobs they were sent, a label for the classifier.

-- One verdict per subscriber and job; a later click or command replaces an earlier one.
CREATE TABLE feedback (
    subscriber_email VARCHAR NOT NULL,
    job_key          VARCHAR NOT NULL,
    label            VARCHAR NOT NULL CHECK (label IN ('good', 'bad')),
    via              VARCHAR NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscriber_email, job_key)
);
