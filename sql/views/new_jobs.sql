-- new_jobs: jobs first seen in the last day, newest first.
CREATE OR REPLACE VIEW new_jobs AS
SELECT *
FROM jobs
WHERE first_seen >= now() - INTERVAL 1 DAY
ORDER BY first_seen DESC, title;
