-- Open remote jobs that say what they pay.
SELECT
    jobs.title,
    jobs.company,
    jobs.pay_min,
    jobs.pay_max,
    jobs.pay_currency,
    jobs.pay_unit,
    jobs.url
FROM jobs
INNER JOIN postings USING (source, source_id)
WHERE jobs.remote
  AND postings.closed_at IS NULL
  AND coalesce(jobs.pay_min, jobs.pay_max) > 0
ORDER BY jobs.pay_unit, coalesce(jobs.pay_max, jobs.pay_min) DESC;
