-- jobs: one row per real job. The same job found on several sources (a studio's ATS and a
-- board) shares a job_key; the freshest observation speaks for it and every URL is kept.
CREATE OR REPLACE VIEW jobs AS
WITH ranked AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY job_key ORDER BY changed_at DESC, source) AS freshness
    FROM postings
),

urls AS (
    SELECT
        job_key,
        list(url ORDER BY source) AS urls,
        list(source ORDER BY source) AS sources,
        min(first_seen) AS first_seen,
        max(last_seen) AS last_seen
    FROM postings
    GROUP BY job_key
)

SELECT
    -- keys
    ranked.job_key,
    ranked.source,
    ranked.source_id,
    -- the job
    ranked.title,
    ranked.company,
    ranked.production,
    ranked.location,
    ranked.remote,
    ranked.employment_type,
    ranked."union",
    -- pay
    ranked.pay_min,
    ranked.pay_max,
    ranked.pay_currency,
    ranked.pay_unit,
    -- where it was seen
    ranked.url,
    urls.urls,
    urls.sources,
    -- timestamps
    ranked.posted_at,
    ranked.valid_through,
    urls.first_seen,
    urls.last_seen
FROM ranked
INNER JOIN urls USING (job_key)
WHERE ranked.freshness = 1;
