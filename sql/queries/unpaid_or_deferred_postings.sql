-- Postings that pay nothing or defer pay: the ones to skip, whatever their title says.
SELECT
    jobs.title,
    jobs.company,
    jobs.location,
    jobs.url
FROM jobs
INNER JOIN postings USING (source, source_id)
WHERE (jobs.pay_max = 0 AND jobs.pay_min = 0)
   OR postings.description ILIKE '%unpaid%'
   OR postings.description ILIKE '%deferred pay%'
ORDER BY jobs.company, jobs.title;
