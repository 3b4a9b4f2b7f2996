-- 002: each quarantined line names the content hash of the file it came from (a file re-landed
-- under the same name keeps both loads' bad lines apart, each tied to its load_runs row), and
-- keeps its bytes when they are not valid UTF-8 (raw_line then shows U+FFFD in their place).
-- key: (sha256, line_number); rows quarantined before 002 have no sha256.
ALTER TABLE quarantine ADD COLUMN sha256 VARCHAR;
ALTER TABLE quarantine ADD COLUMN raw_bytes BLOB;
