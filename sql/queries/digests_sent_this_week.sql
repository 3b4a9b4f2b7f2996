-- Digests of the last seven days: how many jobs each subscriber got, and any failures.
SELECT
    digest_date,
    subscriber_email,
    items,
    status,
    detail
FROM digest_runs
WHERE digest_date >= current_date - 7
ORDER BY digest_date DESC, subscriber_email;
