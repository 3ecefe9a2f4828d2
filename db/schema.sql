-- schema.sql: the current schema, for reference (what every migration in
-- db/migrations/ applied in order produces; tests/unit/test_store.c checks it).
-- Do not apply this file: slatrack migrates databases itself.
CREATE TABLE partners (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 64),
	name        TEXT NOT NULL CHECK (length(name) > 0),
	zone        TEXT NOT NULL,
	workdays    INTEGER NOT NULL DEFAULT 62 CHECK (workdays BETWEEN 1 AND 127),
	hours       TEXT NOT NULL DEFAULT '',
	contact     TEXT,
	created_at  INTEGER NOT NULL,
	archived_at INTEGER
, pause_response INTEGER NOT NULL DEFAULT 0
	CHECK (pause_response IN (0, 1))) STRICT;
CREATE TABLE partner_targets (
	partner_id  INTEGER NOT NULL REFERENCES partners(id),
	severity    TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
	target_s    INTEGER CHECK (target_s IS NULL OR target_s > 0), resolve_s INTEGER
	CHECK (resolve_s IS NULL OR resolve_s > 0),
	PRIMARY KEY (partner_id, severity)
) STRICT;
CREATE TABLE calendars (
	id            INTEGER PRIMARY KEY,
	partner_id    INTEGER NOT NULL REFERENCES partners(id),
	position      INTEGER NOT NULL,
	source        TEXT NOT NULL,
	filters       TEXT NOT NULL DEFAULT '',
	body          BLOB NOT NULL,
	digest        TEXT NOT NULL,
	etag          TEXT,
	last_modified TEXT,
	fetched_at    INTEGER NOT NULL,
	last_error    TEXT,
	horizon_day   INTEGER,
	UNIQUE (partner_id, position)
) STRICT;
CREATE TABLE tickets (
	id                INTEGER PRIMARY KEY,
	key               TEXT UNIQUE,
	partner_id        INTEGER NOT NULL REFERENCES partners(id),
	severity          TEXT NOT NULL CHECK (severity = 'critical' OR severity = 'high' OR severity = 'medium' OR severity = 'low'),
	summary           TEXT NOT NULL CHECK (length(summary) > 0),
	customer          TEXT,
	assignee          TEXT,
	created_at        INTEGER NOT NULL,
	target_s          INTEGER,
	deadline_at       INTEGER,
	first_response_at INTEGER,
	responded_by      TEXT,
	resolved_at       INTEGER,
	updated_at        INTEGER NOT NULL, resolve_target_s INTEGER, resolve_deadline_at INTEGER, waiting_since INTEGER, waiting_response INTEGER NOT NULL DEFAULT 0, excused_at INTEGER, excuse_reason TEXT, excuse_ref TEXT,
	CHECK (first_response_at IS NULL OR first_response_at >= created_at),
	CHECK ((target_s IS NULL) = (deadline_at IS NULL))
) STRICT;
CREATE INDEX tickets_open ON tickets (deadline_at) WHERE resolved_at IS NULL;
CREATE INDEX tickets_deadline ON tickets (deadline_at);
CREATE INDEX tickets_partner ON tickets (partner_id);
CREATE TABLE events (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	at          INTEGER NOT NULL,
	actor       TEXT NOT NULL,
	kind        TEXT NOT NULL,
	ticket_id   INTEGER REFERENCES tickets(id),
	partner_id  INTEGER REFERENCES partners(id),
	field       TEXT,
	old         TEXT,
	new         TEXT,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
) STRICT;
CREATE TABLE sqlite_sequence(name,seq);
CREATE INDEX events_ticket ON events (ticket_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TABLE reminders (
	ticket_id       INTEGER NOT NULL REFERENCES tickets(id),
	threshold       INTEGER NOT NULL,
	channel         TEXT NOT NULL DEFAULT 'mail',
	state           TEXT NOT NULL DEFAULT 'pending'
	                CHECK (state IN ('pending', 'claimed', 'sent', 'failed', 'skipped')),
	message_id      TEXT,
	attempts        INTEGER NOT NULL DEFAULT 0,
	claimed_at      INTEGER,
	next_attempt_at INTEGER,
	sent_at         INTEGER,
	last_error      TEXT, claimed_by TEXT,
	PRIMARY KEY (ticket_id, threshold, channel)
) STRICT;
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
CREATE INDEX reminders_open ON reminders (state) WHERE state IN ('pending', 'claimed');
CREATE TABLE remind_watch (
	ticket_id   INTEGER PRIMARY KEY REFERENCES tickets(id),
	level       INTEGER NOT NULL,
	plan        TEXT NOT NULL,
	deadline_at INTEGER,
	assignee    TEXT,
	next_at     INTEGER
, resolve_level INTEGER, resolve_plan TEXT, resolve_deadline_at INTEGER, resolve_assignee TEXT, resolve_next_at INTEGER) STRICT;
CREATE INDEX tickets_untimed_created ON tickets (created_at) WHERE deadline_at IS NULL;
CREATE TABLE audit_head (
	one   INTEGER PRIMARY KEY CHECK (one = 1),
	id    INTEGER NOT NULL,
	hash  TEXT NOT NULL
) STRICT;
CREATE TRIGGER events_move_head AFTER INSERT ON events
BEGIN
	UPDATE audit_head SET id = NEW.id, hash = NEW.hash WHERE one = 1 AND id < NEW.id;
END;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
	WHEN NEW.id <= OLD.id
BEGIN
	SELECT RAISE(ABORT, 'the recorded audit head only moves forward');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
	SELECT RAISE(ABORT, 'the recorded audit head cannot be deleted');
END;
CREATE TABLE remind_alerts (
	ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
	channel    TEXT NOT NULL,
	level      INTEGER NOT NULL,
	priority   TEXT,
	followed   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (ticket_id, channel)
) STRICT;
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
CREATE TABLE ticket_pauses (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
	kind        TEXT NOT NULL CHECK (kind IN ('wait', 'closed')),
	response    INTEGER NOT NULL DEFAULT 0 CHECK (response IN (0, 1)),
	started_at  INTEGER NOT NULL,
	ended_at    INTEGER,
	CHECK (ended_at IS NULL OR ended_at >= started_at)
) STRICT;
CREATE INDEX ticket_pauses_ticket ON ticket_pauses (ticket_id, started_at);
