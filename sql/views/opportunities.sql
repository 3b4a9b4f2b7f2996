-- opportunities: each job flagged as a step back for a subscriber, best first.
CREATE OR REPLACE VIEW opportunities AS
WITH flagged AS (
    SELECT
        scores.subscriber_email,
        postings.job_key,
        max(scores.score) AS score,
        arg_max(scores.reasons, scores.score) AS reasons,
        arg_max(scores.level_gap, scores.score) AS level_gap,
        max(scores.prestige) AS prestige
    FROM scores
    INNER JOIN postings USING (source, source_id)
    WHERE scores.step_back
    GROUP BY scores.subscriber_email, postings.job_key
)

SELECT
    -- who and what
    flagged.subscriber_email,
    jobs.job_key,
    jobs.title,
    jobs.company,
    jobs.production,
    jobs.location,
    jobs.remote,
    -- why
    flagged.score,
    flagged.level_gap,
    flagged.prestige,
    flagged.reasons,
    -- pay and links
    jobs.pay_min,
    jobs.pay_max,
    jobs.pay_currency,
    jobs.pay_unit,
    jobs.url,
    jobs.urls,
    jobs.posted_at,
    jobs.first_seen
FROM flagged
INNER JOIN jobs USING (job_key)
ORDER BY flagged.subscriber_email, flagged.score DESC;
