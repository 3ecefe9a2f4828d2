-- 0002-remind.sql (PostgreSQL): bookkeeping for `slatrack remind` (issue 6),
-- as db/migrations/0002-remind.sql: the meta table with a random
-- install_id (32 lowercase hex digits, like SQLite's
-- lower(hex(randomblob(16)))), reminders.claimed_by, the reminders_open
-- partial index and remind_watch.  remind_watch.ticket_id is SQLite's
-- rowid but always given (it is a ticket's id): a plain BIGINT key here.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- gen_random_uuid() is core since PostgreSQL 13; version 4: 122 random bits.
INSERT INTO meta (key, value) VALUES ('install_id', replace(gen_random_uuid()::text, '-', ''));

ALTER TABLE reminders ADD COLUMN claimed_by TEXT;

CREATE INDEX reminders_open ON reminders (state) WHERE state IN ('pending', 'claimed');

CREATE TABLE remind_watch (
	ticket_id   BIGINT PRIMARY KEY REFERENCES tickets(id),
	level       BIGINT NOT NULL,
	plan        TEXT NOT NULL,
	deadline_at BIGINT,
	assignee    TEXT,
	next_at     BIGINT
);
