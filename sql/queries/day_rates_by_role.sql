-- What a day pays, by role: the median and range of advertised US day rates.
WITH day_rates AS (
    SELECT
        regexp_replace(title, '\s*[–—:(-].*$', '') AS role,
        coalesce(pay_max, pay_min) AS day_rate
    FROM jobs
    WHERE pay_unit = 'day' AND pay_currency = 'USD' AND coalesce(pay_max, pay_min) > 0
)

SELECT
    role,
    count(*) AS postings,
    median(day_rate) AS median_day_rate,
    min(day_rate) AS lowest,
    max(day_rate) AS highest
FROM day_rates
GROUP BY role
ORDER BY postings DESC, role;
