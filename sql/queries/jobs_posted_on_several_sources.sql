-- Jobs found on more than one source (a studio's own ATS and a board, say), with every link.
SELECT
    title,
    company,
    len(urls) AS sources_seen,
    sources,
    urls
FROM jobs
WHERE len(urls) > 1
ORDER BY sources_seen DESC, company, title;
