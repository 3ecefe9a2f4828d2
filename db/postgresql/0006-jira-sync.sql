-- 0006-jira-sync.sql (PostgreSQL): `slatrack sync jira` (issue 13), as
-- db/migrations/0006-jira-sync.sql: sync_state (per helpdesk, when the
-- last complete sync started) and sync_issues (per synced ticket, the
-- issue key and the values sync last wrote).  sync_issues.ticket_id is
-- SQLite's rowid but always given (a ticket's id): a plain BIGINT key here.
CREATE TABLE sync_state (
	source     TEXT PRIMARY KEY,
	synced_at  BIGINT NOT NULL
);

CREATE TABLE sync_issues (
	ticket_id  BIGINT PRIMARY KEY REFERENCES tickets(id),
	source     TEXT NOT NULL,
	issue_key  TEXT NOT NULL,
	updated    TEXT NOT NULL,
	base       TEXT NOT NULL,
	UNIQUE (source, issue_key)
);
