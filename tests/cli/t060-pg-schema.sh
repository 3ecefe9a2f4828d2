#!/bin/sh
# The PostgreSQL migrations (db/postgresql) give the schema of the SQLite
# ones (db/migrations): one per SQLite migration with the same name, the
# same tables, columns, keys, indexes and triggers
# (tests/pg/schema-columns.sh), and the same behaviour of the triggers:
# the audit trail is append-only, audit_head only moves forward.
. "$(dirname "$0")/../lib.sh"

. "$TOP/tests/pg/lib.sh"
pg_require t060-pg-schema "the PostgreSQL schema"

# the migration names, without their directory
names() { for f in "$1"/*.sql; do basename "$f"; done; }
names "$TOP/db/migrations" >"$TMP/names-sqlite"
names "$TOP/db/postgresql" >"$TMP/names-pg"
if cmp -s "$TMP/names-sqlite" "$TMP/names-pg"; then
	ok "one PostgreSQL migration per SQLite migration, same names"
else
	not_ok "one PostgreSQL migration per SQLite migration, same names" \
	    "$(diff "$TMP/names-sqlite" "$TMP/names-pg")"
fi

# the SQLite schema, as the store builds it: every migration in order
: >"$TMP/sqlite.err"
for f in "$TOP"/db/migrations/*.sql; do
	sqlite3 -batch "$TMP/s.db" <"$f" >/dev/null 2>>"$TMP/sqlite.err" ||
		echo "$f failed" >>"$TMP/sqlite.err"
done
if [ -s "$TMP/sqlite.err" ]; then
	not_ok "SQLite migrations apply" "$(head -c 600 "$TMP/sqlite.err")"
else ok "SQLite migrations apply"; fi

# a fresh database of the test server, each migration in one transaction
# (the store wraps each in one too)
URL=$(sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" t060_schema 2>"$TMP/url.err")
if [ -z "$URL" ]; then
	not_ok "PostgreSQL test database created" "$(head -c 600 "$TMP/url.err")"
	exit 0
fi
: >"$TMP/pg.err"
for f in "$TOP"/db/postgresql/*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$URL" -f "$f" \
	    >/dev/null 2>>"$TMP/pg.err" || echo "$f failed" >>"$TMP/pg.err"
done
if [ -s "$TMP/pg.err" ]; then
	not_ok "PostgreSQL migrations apply" "$(head -c 600 "$TMP/pg.err")"
else ok "PostgreSQL migrations apply"; fi

sh "$TOP/tests/pg/schema-columns.sh" sqlite "$TMP/s.db" >"$TMP/cols-sqlite" 2>&1
sh "$TOP/tests/pg/schema-columns.sh" pg "$URL" >"$TMP/cols-pg" 2>&1
if [ -s "$TMP/cols-sqlite" ] && cmp -s "$TMP/cols-sqlite" "$TMP/cols-pg"; then
	ok "same columns, keys, indexes and triggers on both"
else
	not_ok "same columns, keys, indexes and triggers on both" \
	    "$(diff "$TMP/cols-sqlite" "$TMP/cols-pg" | head -20)"
fi

# pg SQL: runs one statement; status and output in $TMP/out, $TMP/err
pg() { run psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$URL" -c "$1"; }
# pg_fails NAME PATTERN SQL: the statement fails with a message =~ PATTERN
pg_fails() {
	pg "$3"
	if [ "$rc" -ne 0 ] && grep -Eq -- "$2" "$TMP/err"; then ok "$1"
	else not_ok "$1" "status $rc" "$(head -c 600 "$TMP/err")"; fi
}
# pg_is NAME EXPECTED SQL: the statement prints EXPECTED
pg_is() {
	pg "$3"
	if [ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = "$2" ]; then ok "$1"
	else not_ok "$1" "status $rc, want [$2]" "got [$(cat "$TMP/out")]" "$(head -c 600 "$TMP/err")"; fi
}

pg_is "install_id is 32 lowercase hex digits" 1 \
	"SELECT count(*) FROM meta WHERE key = 'install_id' AND value ~ '^[0-9a-f]{32}\$'"
pg_is "audit_head starts at 0" "0|" "SELECT id, hash FROM audit_head"
pg_is "an explicit id is accepted" 7 \
	"INSERT INTO events (id, at, actor, kind, prev_hash, hash) VALUES (7, 1, 'a', 'k', '', 'h7') RETURNING id"
pg_is "audit_head moves forward on insert" "7|h7" "SELECT id, hash FROM audit_head"
pg "SELECT setval('events_id_seq', 7)"
pg_is "a generated id follows" 8 \
	"INSERT INTO events (at, actor, kind, prev_hash, hash) VALUES (2, 'a', 'k', 'h7', 'h8') RETURNING id"
pg_is "audit_head follows the generated id" "8|h8" "SELECT id, hash FROM audit_head"
pg_is "audit_sequence witnesses the highest id" 8 "SELECT seq FROM audit_sequence"
pg_fails "UPDATE events is refused" 'the audit trail is append-only' \
	"UPDATE events SET actor = 'b' WHERE id = 8"
pg_fails "DELETE FROM events is refused" 'the audit trail is append-only' \
	"DELETE FROM events WHERE id = 8"
pg_is "the events are unchanged" "7|a
8|a" "SELECT id, actor FROM events ORDER BY id"
pg_fails "audit_head refuses to go back" 'the recorded audit head only moves forward' \
	"UPDATE audit_head SET id = 7, hash = 'h7'"
pg_fails "audit_head refuses to stay" 'the recorded audit head only moves forward' \
	"UPDATE audit_head SET hash = 'x'"
pg_fails "TRUNCATE events is refused" 'events cannot be truncated' "TRUNCATE events"
pg_fails "TRUNCATE tickets CASCADE does not empty the trail" 'events cannot be truncated' \
	"TRUNCATE tickets CASCADE"
pg_fails "TRUNCATE audit_head is refused" 'audit_head cannot be truncated' "TRUNCATE audit_head"
pg_fails "audit_head cannot be deleted" 'the recorded audit head cannot be deleted' \
	"DELETE FROM audit_head"
pg_is "an older event does not move audit_head back" "8|h8" \
	"INSERT INTO events (id, at, actor, kind, prev_hash, hash) VALUES (3, 1, 'a', 'k', '', 'h3');
	 SELECT id, hash FROM audit_head"
pg_fails "tickets.severity is checked" 'tickets_severity_check' \
	"INSERT INTO partners (key, name, zone, created_at) VALUES ('p', 'P', 'UTC', 0);
	 INSERT INTO tickets (partner_id, severity, summary, created_at, updated_at)
	 SELECT id, 'urgent', 's', 0, 0 FROM partners"
