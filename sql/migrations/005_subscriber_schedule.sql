-- 005: each subscriber's own send time and timezone, the "nothing today" note, and minimum pay.
-- NULL time or timezone means "the [digest] default in stepback.toml", so changing the file
-- moves everyone who never chose. Existing subscribers keep working unchanged.

ALTER TABLE subscribers ADD COLUMN send_time VARCHAR;
ALTER TABLE subscribers ADD COLUMN timezone VARCHAR;
ALTER TABLE subscribers ADD COLUMN nothing_today BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE subscribers ADD COLUMN min_pay DOUBLE;
ALTER TABLE subscribers ADD COLUMN min_pay_unit VARCHAR;
