-- 0004-audit-head.sql: the audit trail's head, recorded with every append
-- (issue 10, item 8).
--
-- The hash chain finds an edited, inserted or deleted event, but not the
-- last events deleted: what is left is still a valid chain.  Two witnesses
-- remember how far the trail went: sqlite_sequence (events is
-- AUTOINCREMENT, so it holds the highest id ever given out) and audit_head,
-- which the trigger below moves to every event appended, in the same
-- transaction.  `audit verify` compares both with the last event.
--
-- Someone who can write the file can rewrite all three consistently; only
-- a head published elsewhere (`audit head`, `audit verify --head`) catches
-- that.  The triggers only make it take deliberate work.
CREATE TABLE audit_head (
	one   INTEGER PRIMARY KEY CHECK (one = 1),
	id    INTEGER NOT NULL,
	hash  TEXT NOT NULL
) STRICT;

INSERT INTO audit_head (one, id, hash)
	SELECT 1, coalesce(max(id), 0),
	       coalesce((SELECT hash FROM events ORDER BY id DESC LIMIT 1), '')
	FROM events;

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
