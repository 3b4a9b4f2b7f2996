-- Why lines were quarantined, by source and reason: where the scrapers need work.
WITH reasons AS (
    SELECT
        coalesce(source, '(unreadable line)') AS source,
        unnest(reasons) AS reason
    FROM quarantine
)

SELECT
    source,
    reason,
    count(*) AS lines
FROM reasons
GROUP BY source, reason
ORDER BY lines DESC, source, reason;
