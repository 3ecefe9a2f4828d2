#!/bin/sh
# doctor on a database on the test PostgreSQL server: every check runs
# and passes on a sound database; a guard of the audit trail that an
# administrator disabled or dropped is a problem (exit 3) named on its
# line; there are no leftovers beside a server database.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/pg/lib.sh"
pg_require t064-pg-doctor "doctor on PostgreSQL"
U=$(sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" t064_doctor)
# SQL as an administrator would type it (psql, from postgresql-client)
pg() { psql -X -q -v ON_ERROR_STOP=1 "$U" -c "$1" >/dev/null 2>&1; }
"$SLATRACK" --db "$U" --now 2026-03-02T08:00:00Z partner add acme --name Acme --tz Europe/Berlin >/dev/null
"$SLATRACK" --db "$U" --now 2026-03-02T09:00:00Z ticket add --partner acme --severity high \
	--summary one --key D-1 >/dev/null

run "$SLATRACK" --db "$U" --now 2026-03-02T10:00:00Z doctor
if [ $rc -eq 0 ] && grep -q '^integrity *ok: the audit trail.s guards' "$TMP/out" &&
	grep -q '^audit *ok: 2 events' "$TMP/out" && grep -q '^leftovers *ok: none beside a server' "$TMP/out" &&
	grep -q '^doctor: all checks passed' "$TMP/out"; then
	ok "doctor passes on a sound server database"
else not_ok "doctor passes on a sound server database" "exit $rc" "$(cat "$TMP/out" "$TMP/err")"; fi

if pg "ALTER TABLE events DISABLE TRIGGER events_no_delete"; then
	run "$SLATRACK" --db "$U" --now 2026-03-02T10:00:00Z doctor
	if [ $rc -eq 3 ] && grep -q '^integrity *PROBLEM: guard: trigger events_no_delete is disabled' "$TMP/out"; then
		ok "a disabled guard trigger is a problem"
	else not_ok "a disabled guard trigger is a problem" "exit $rc" "$(cat "$TMP/out")"; fi
else not_ok "a disabled guard trigger is a problem" "psql could not disable the trigger"; fi
if pg "ALTER TABLE events ENABLE TRIGGER events_no_delete; DROP TRIGGER audit_head_no_truncate ON audit_head"; then
	run "$SLATRACK" --db "$U" --now 2026-03-02T10:00:00Z doctor
	if [ $rc -eq 3 ] && grep -q 'guard: trigger audit_head_no_truncate is missing' "$TMP/out" &&
		! grep -q 'events_no_delete' "$TMP/out"; then
		ok "a dropped guard trigger is a problem"
	else not_ok "a dropped guard trigger is a problem" "exit $rc" "$(cat "$TMP/out")"; fi
else not_ok "a dropped guard trigger is a problem" "psql could not drop the trigger"; fi
