-- Postings that closed, and how many days they were open from first sight to closing.
SELECT
    title,
    company,
    source,
    first_seen::DATE AS first_seen,
    closed_at::DATE AS closed,
    date_diff('day', first_seen, closed_at) AS days_open
FROM postings
WHERE closed_at IS NOT NULL
ORDER BY closed_at DESC, title;
