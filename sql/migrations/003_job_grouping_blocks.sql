-- 003: postings carry the block (normalised company and title) their job is grouped within.
-- Rows from before this migration get their block on the next load (stepback.grouping).
ALTER TABLE postings ADD COLUMN block_key VARCHAR;
CREATE INDEX postings_block_key ON postings (block_key);
