-- 0004-audit-head.sql (PostgreSQL): the audit trail's head, recorded with
-- every append (issue 10, item 8), as db/migrations/0004-audit-head.sql.
--
-- SQLite's second witness is sqlite_sequence (the highest id AUTOINCREMENT
-- ever gave out).  PostgreSQL's sequences are not transactional (a rolled
-- back append would leave the sequence ahead of the trail, a false alarm),
-- and the store gives events their ids itself, so the witness here is the
-- table audit_sequence, moved by the same trigger as audit_head: the
-- counterpart of sqlite_sequence, which is why the schema comparison
-- skips it.  audit_head is moved in the same transaction (at its
-- commit), and only forward.  audit_head.one is a plain key (always 1), not an identity.
CREATE TABLE audit_head (
	one   BIGINT PRIMARY KEY CHECK (one = 1),
	id    BIGINT NOT NULL,
	hash  TEXT NOT NULL
);

INSERT INTO audit_head (one, id, hash)
	SELECT 1, coalesce(max(id), 0),
	       coalesce((SELECT hash FROM events ORDER BY id DESC LIMIT 1), '')
	FROM events;

CREATE TABLE audit_sequence (
	one   BIGINT PRIMARY KEY CHECK (one = 1),
	seq   BIGINT NOT NULL
);

INSERT INTO audit_sequence (one, seq) SELECT 1, coalesce(max(id), 0) FROM events;

-- The head moves once per transaction, at its commit: a trigger that
-- updated the one row of audit_head per appended event would leave a
-- chain of row versions that every later update in the same transaction
-- walks (an import of 100,000 tickets took minutes).  So the trigger is
-- deferred, and its first firing at commit moves both rows to the newest
-- event; the others see the transaction's mark and return.
CREATE FUNCTION events_move_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	top_id BIGINT;
	top_hash TEXT;
BEGIN
	IF current_setting('slatrack.audit_head_moved', true) = 'on' THEN
		RETURN NULL;
	END IF;
	SELECT id, hash INTO top_id, top_hash FROM events ORDER BY id DESC LIMIT 1;
	UPDATE audit_sequence SET seq = top_id WHERE one = 1 AND seq < top_id;
	UPDATE audit_head SET id = top_id, hash = top_hash WHERE one = 1 AND id < top_id;
	PERFORM set_config('slatrack.audit_head_moved', 'on', true);
	RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER events_move_head AFTER INSERT ON events
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION events_move_head();

CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the recorded audit head only moves forward';
END;
$$;

CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
	FOR EACH ROW WHEN (NEW.id <= OLD.id)
	EXECUTE FUNCTION audit_head_forward_only();

CREATE FUNCTION audit_head_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the recorded audit head cannot be deleted';
END;
$$;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
	FOR EACH ROW EXECUTE FUNCTION audit_head_no_delete();

-- TRUNCATE fires no row trigger: without these, one statement could
-- empty the trail (or its recorded head) past every guard above.  SQLite
-- has no TRUNCATE, so the schema comparison leaves *_no_truncate out.
CREATE FUNCTION trail_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit trail is append-only: % cannot be truncated', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
	FOR EACH STATEMENT EXECUTE FUNCTION trail_no_truncate();

CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
	FOR EACH STATEMENT EXECUTE FUNCTION trail_no_truncate();
