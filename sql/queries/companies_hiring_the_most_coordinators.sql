-- Companies hiring the most coordinators (production, post, travel, APOC...) right now.
SELECT
    coalesce(jobs.company, '(not named)') AS company,
    count(*) AS coordinator_jobs,
    list(jobs.title ORDER BY jobs.title) AS titles
FROM jobs
INNER JOIN postings USING (source, source_id)
WHERE postings.closed_at IS NULL
  AND (jobs.title ILIKE '%coordinator%' OR regexp_matches(jobs.title, '\b(APOC|POC)\b'))
GROUP BY ALL
ORDER BY coordinator_jobs DESC, company;
