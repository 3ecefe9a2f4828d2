-- 0002-remind.sql: bookkeeping for `slatrack remind` (issue 6).
--
-- meta: facts about this installation.  install_id is random, made once
-- when the database is created or upgraded; Message-IDs and webhook
-- aliases are derived from it, so a resend after a crash carries the same
-- Message-ID and two installations never collide.
--
-- reminders.claimed_by: the run that holds a claim.  Each `remind` run
-- holds an OFD lock on one byte of DB-remind.lock (the byte's offset is
-- its run id) for its whole life; a claim whose run no longer holds its
-- lock belongs to a run that died and is taken over (and resent with the
-- same Message-ID) by the next run.
--
-- remind_watch: per open ticket, what `remind` already handled and when
-- the next threshold falls due, so a run over many tickets with nothing
-- due reads one row per ticket and computes nothing.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

INSERT INTO meta (key, value) VALUES ('install_id', lower(hex(randomblob(16))));

ALTER TABLE reminders ADD COLUMN claimed_by TEXT;

CREATE INDEX reminders_open ON reminders (state) WHERE state IN ('pending', 'claimed');

CREATE TABLE remind_watch (
	ticket_id   INTEGER PRIMARY KEY REFERENCES tickets(id),
	level       INTEGER NOT NULL,
	plan        TEXT NOT NULL,
	deadline_at INTEGER,
	assignee    TEXT,
	next_at     INTEGER
) STRICT;
