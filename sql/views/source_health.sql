-- source_health: per source and load, what arrived, what was quarantined, and how complete the
-- loaded postings were (share of rows with each field). The lake stores a view as SQL text, so
-- JSON fields are read with json_extract_string, whose meaning no re-parse can shift.
CREATE OR REPLACE VIEW source_health AS
WITH observed AS (
    SELECT
        raw.landing_file,
        raw.source,
        raw.raw_line::JSON AS line
    FROM raw_postings AS raw
),

coverage AS (
    SELECT
        landing_file,
        avg((json_extract_string(line, 'company') IS NOT NULL)::INTEGER) AS company,
        avg((json_extract_string(line, 'location') IS NOT NULL)::INTEGER) AS location,
        avg((json_extract_string(line, 'pay_min') IS NOT NULL
             OR json_extract_string(line, 'pay_max') IS NOT NULL)::INTEGER) AS pay,
        avg((json_extract_string(line, 'posted_at') IS NOT NULL)::INTEGER) AS posted_at,
        avg((json_extract_string(line, 'employment_type') IS NOT NULL)::INTEGER) AS employment_type
    FROM observed
    GROUP BY landing_file
)

SELECT
    -- which load
    load_runs.source,
    load_runs.landing_file,
    load_runs.loaded_at,
    -- counts
    load_runs.lines_read AS items,
    load_runs.inserted,
    load_runs.updated,
    load_runs.unchanged,
    load_runs.quarantined,
    round(load_runs.quarantined / greatest(load_runs.lines_read, 1), 3) AS quarantined_share,
    -- field coverage of the lines that loaded
    round(coverage.company, 3) AS company_coverage,
    round(coverage.location, 3) AS location_coverage,
    round(coverage.pay, 3) AS pay_coverage,
    round(coverage.posted_at, 3) AS posted_at_coverage,
    round(coverage.employment_type, 3) AS employment_type_coverage
FROM load_runs
LEFT JOIN coverage USING (landing_file)
ORDER BY load_runs.loaded_at DESC, load_runs.source;
