#!/bin/sh
# backup and restore of a database on the test PostgreSQL server: the
# backup is a SQLite file with the same audit head; restore fills an empty
# server database from it (and records itself), and refuses one that holds
# data, with or without --force, leaving it as it was.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/pg/lib.sh"
pg_require t062-pg-backup "backup on PostgreSQL"
head_of() { "$SLATRACK" --db "$1" audit verify | sed -n 's/.*head \([0-9a-f]*\)$/\1/p'; }

U=$(sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" t062_live)
"$SLATRACK" --db "$U" --now 2026-03-02T08:00:00Z partner add acme --name Acme --tz Europe/Berlin >/dev/null
for k in 1 2 3; do
	"$SLATRACK" --db "$U" --now 2026-03-02T09:00:00Z ticket add --partner acme --severity high \
		--summary "ticket $k" --key "K-$k" >/dev/null
done
"$SLATRACK" --db "$U" --now 2026-03-02T10:00:00Z ticket respond K-2 >/dev/null

run "$SLATRACK" --db "$U" backup "$TMP/b.db"
if [ $rc -eq 0 ] && [ -n "$(head_of "$U")" ] && [ "$(head_of "$U")" = "$(head_of "$TMP/b.db")" ]; then
	ok "backup of a server database: a SQLite file with the same audit head"
else not_ok "backup of a server database: a SQLite file with the same audit head" "exit $rc" \
	"$(cat "$TMP/err")"; fi
"$SLATRACK" --db "$U" --now 2026-03-02T12:00:00Z ticket list --all >"$TMP/l.live"
"$SLATRACK" --db "$TMP/b.db" --now 2026-03-02T12:00:00Z ticket list --all >"$TMP/l.backup"
if cmp -s "$TMP/l.live" "$TMP/l.backup"; then ok "the backup holds the same queue"
else not_ok "the backup holds the same queue" "$(diff "$TMP/l.live" "$TMP/l.backup" | head -n 6)"; fi
expect_err "backup never overwrites a file" 2 "exists" "$SLATRACK" --db "$U" backup "$TMP/b.db"

R=$(sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" t062_restored)
n=$("$SLATRACK" --db "$U" audit verify | sed -n 's/^audit trail intact: \([0-9]*\) events.*/\1/p')
run "$SLATRACK" --db "$R" restore "$TMP/b.db"
expect_grep "restore into an empty server database" "^restored .* \($n audit events verified\)$" "$TMP/out"
"$SLATRACK" --db "$R" --now 2026-03-02T12:00:00Z ticket list --all >"$TMP/l.restored"
if cmp -s "$TMP/l.live" "$TMP/l.restored"; then ok "the restored server database holds the same queue"
else not_ok "the restored server database holds the same queue" \
	"$(diff "$TMP/l.live" "$TMP/l.restored" | head -n 6)"; fi
"$SLATRACK" --db "$R" audit log >"$TMP/last" 2>&1
expect_grep "the restore is on the record" "database.restore" "$TMP/last"

before=$(head_of "$U")
expect_err "restore over a server database with data is refused" 2 "already holds data" \
	"$SLATRACK" --db "$U" restore "$TMP/b.db"
expect_err "--force does not make it replace one either" 2 "already holds data" \
	"$SLATRACK" --db "$U" restore --force "$TMP/b.db"
check "the refused restores left the live database as it was" "$before" "$(head_of "$U")"
check "and left no temporary beside the backup" "" "$(ls -A "$TMP" | grep 'restore\.' || true)"
