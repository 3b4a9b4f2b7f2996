-- jobs_by_company: how many jobs each company has open, and when it last posted one.
CREATE OR REPLACE VIEW jobs_by_company AS
WITH open_jobs AS (
    SELECT
        jobs.job_key,
        coalesce(jobs.company, '(not named)') AS company,
        jobs.posted_at,
        jobs.first_seen
    FROM jobs
    INNER JOIN postings USING (source, source_id)
    WHERE postings.closed_at IS NULL
)

SELECT
    company,
    count(*) AS open_jobs,
    max(posted_at) AS last_posted_at,
    max(first_seen) AS last_seen_new
FROM open_jobs
GROUP BY company
ORDER BY open_jobs DESC, company;
