-- Step-back roles on awards shows first seen this month, for every subscriber, best first.
SELECT
    subscriber_email,
    title,
    company,
    round(score, 2) AS score,
    reasons,
    url
FROM opportunities
WHERE len(list_filter(reasons, lambda reason: reason LIKE '%awards show%')) > 0
  AND first_seen >= date_trunc('month', now())
ORDER BY subscriber_email, score DESC;
