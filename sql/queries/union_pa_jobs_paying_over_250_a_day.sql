-- Union production-assistant jobs paying more than $250 a day, best paid first.
SELECT
    title,
    company,
    location,
    pay_min,
    pay_max,
    url
FROM jobs
WHERE "union"
  AND (title ILIKE '%production assistant%' OR regexp_matches(title, '\bPA\b'))
  AND pay_unit = 'day'
  AND pay_currency = 'USD'
  AND coalesce(pay_max, pay_min) > 250
ORDER BY coalesce(pay_max, pay_min) DESC, title;
