-- 0006-jira-sync.sql: `slatrack sync jira` (issue 13).
--
-- sync_state: per helpdesk ('jira'), the instant the last complete sync
-- started; the next one asks only for issues updated since then (less
-- jira.overlap).  A run that fails or finds a conflict leaves it alone,
-- so the next run reads the same issues again (a sync is idempotent).
--
-- sync_issues: per synced ticket, the helpdesk's issue key and the
-- values sync last wrote (base: one "field=value" line per field).  A
-- ticket whose value differs from its base was edited in slatrack since;
-- when the helpdesk changed that field too, sync reports a conflict and
-- leaves the ticket alone instead of overwriting the hand edit.
CREATE TABLE sync_state (
	source     TEXT PRIMARY KEY,
	synced_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_issues (
	ticket_id  INTEGER PRIMARY KEY REFERENCES tickets(id),
	source     TEXT NOT NULL,
	issue_key  TEXT NOT NULL,
	updated    TEXT NOT NULL,
	base       TEXT NOT NULL,
	UNIQUE (source, issue_key)
) STRICT;
