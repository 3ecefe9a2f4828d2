#!/bin/sh
# slatrack backup / restore: online copies, no overwriting, a restore
# checked (integrity, audit chain) before the live database is touched.
. "$(dirname "$0")/../lib.sh"
S=$SLATRACK
NOW=2026-02-01T00:00:00Z
q() { sqlite3 "$1" "$2"; }
# shown PATH: how slatrack names the database PATH (in the PostgreSQL
# pass, the URL of the server database standing for it)
shown() { if on_pg; then sh "$TOP/tests/pg/url-of" "$1"; else echo "$1"; fi; }
# sqlite_file FILE SQL: the real sqlite3, for a SQLite file in both passes
sqlite_file() { (PATH=$(printf '%s' "$PATH" | sed "s|$TOP/tests/pg/bin:||g"); sqlite3 "$@"); }

DB=$TMP/live.db
$S --db "$DB" --now 2026-01-01T00:00:00Z partner add acme --name Acme --tz Europe/Berlin >/dev/null
i=1
while [ $i -le 20 ]; do
	$S --db "$DB" --now $NOW ticket add --partner acme --severity high --summary "ticket $i" \
		--key "K-$i" --created 2026-01-05T09:00:00Z >/dev/null
	i=$((i + 1))
done
check "setup: 20 tickets" 20 "$(q "$DB" 'SELECT count(*) FROM tickets')"

# -- backup ------------------------------------------------------------------
expect_out "backup" "backed up $(shown "$DB") to $TMP/b1.db" $S --db "$DB" backup "$TMP/b1.db"
check "backup holds the tickets" 20 "$(q "$TMP/b1.db" 'SELECT count(*) FROM tickets')"
check "backup passes integrity_check" ok "$(q "$TMP/b1.db" 'PRAGMA integrity_check')"
check "backup holds the whole audit trail" "$(q "$DB" 'SELECT count(*), max(hash) FROM events')" \
	"$(q "$TMP/b1.db" 'SELECT count(*), max(hash) FROM events')"
expect_status "backup verifies with audit verify" 0 $S --db "$TMP/b1.db" audit verify
left=$(ls -a "$TMP" | grep -c '\.backup\.')
check "no temporary file left" 0 "$left"
before=$(cksum <"$TMP/b1.db")
expect_err "backup never overwrites" 2 "b1.db' exists: backup never overwrites" \
	$S --db "$DB" backup "$TMP/b1.db"
check "... the existing file is untouched" "$before" "$(cksum <"$TMP/b1.db")"
expect_err "backup: no file" 2 "no file given" $S --db "$DB" backup
expect_err "backup: unwritable directory" 4 "cannot create" $S --db "$DB" backup "$TMP/no/such/dir/b.db"

# backup while four writers add tickets: a consistent copy, nobody fails
for w in 1 2 3 4; do
	( j=1; while [ $j -le 40 ]; do
		$S --db "$DB" --now $NOW ticket add --partner acme --severity high --summary "w$w $j" \
			--key "W$w-$j" --created 2026-01-05T09:00:00Z >/dev/null 2>>"$TMP/werr" || echo fail >>"$TMP/werr"
		j=$((j + 1)); done ) &
done
k=1; bfail=0
while [ $k -le 5 ]; do
	$S --db "$DB" backup "$TMP/live-$k.db" >/dev/null 2>>"$TMP/berr" || bfail=$((bfail + 1))
	k=$((k + 1))
done
wait
check "backups during writes all succeed" "0 " "$bfail $(cat "$TMP/berr" 2>/dev/null)"
check "writers undisturbed by backups" "" "$(cat "$TMP/werr" 2>/dev/null)"
check "every write present" 180 "$(q "$DB" 'SELECT count(*) FROM tickets')"
bad=0
for k in 1 2 3 4 5; do
	n=$(q "$TMP/live-$k.db" 'SELECT count(*) FROM tickets')
	e=$(q "$TMP/live-$k.db" "SELECT count(*) FROM events WHERE kind = 'ticket.create'")
	[ "$(q "$TMP/live-$k.db" 'PRAGMA integrity_check')" = ok ] && [ "$n" = "$e" ] &&
		$S --db "$TMP/live-$k.db" audit verify >/dev/null 2>&1 || bad=$((bad + 1))
done
check "each copy made during writes is consistent (tickets = create events, chain verifies)" 0 "$bad"

# -- restore -----------------------------------------------------------------
NEW=$TMP/new/restored.db
run $S --db "$NEW" --now $NOW restore "$TMP/b1.db"
check "restore into a missing database: exit 0" 0 "$rc"
if on_pg; then	# the server database's URL, its dots and ? taken literally
	restored=$(shown "$NEW" | sed 's/[.?]/[&]/g')
else
	restored='.*restored.db'
fi
expect_grep "restore reports the verified chain" "restored $restored from .*b1.db \([0-9]+ audit events verified\)" "$TMP/out"
check "restored tickets" 20 "$(q "$NEW" 'SELECT count(*) FROM tickets')"
check "the restore is on the record" "database.restore|$TMP/b1.db" \
	"$(q "$NEW" "SELECT kind, new FROM events ORDER BY id DESC LIMIT 1" | tr -d '\n')"
expect_status "restored audit trail verifies" 0 $S --db "$NEW" audit verify
if on_pg; then	# into a server database the check copy goes beside FILE
	check "no temporary file left" 0 "$(ls -a "$TMP" | grep -c '\.restore\.')"
else
	check "no temporary file left" 0 "$(ls -a "$TMP/new" | grep -c '\.restore\.')"
fi

if on_pg; then	# a server database is restored into only while it holds no data
	expect_err "restore refuses an existing database" 2 "already holds data: .*only into a new, empty database" \
		$S --db "$DB" restore "$TMP/b1.db"
	check "... which is untouched" 180 "$(q "$DB" 'SELECT count(*) FROM tickets')"
	run $S --db "$DB" --now $NOW restore "$TMP/b1.db" --force
	check "restore --force does not replace a server database holding data" "2 180" \
		"$rc $(q "$DB" 'SELECT count(*) FROM tickets')"
	run $S --db "$NEW" --now $NOW doctor
	expect_grep "restored database passes the integrity check (doctor's, on the server)" \
		'^integrity +ok: ' "$TMP/out"
else
	expect_err "restore refuses an existing database" 2 "exists: restore replaces it only with --force" \
		$S --db "$DB" restore "$TMP/b1.db"
	check "... which is untouched" 180 "$(q "$DB" 'SELECT count(*) FROM tickets')"
	run $S --db "$DB" --now $NOW restore "$TMP/b1.db" --force
	check "restore --force replaces it" "0 20" "$rc $(q "$DB" 'SELECT count(*) FROM tickets')"
	check "restored database passes integrity_check" ok "$(q "$DB" 'PRAGMA integrity_check')"
fi
expect_status "and its audit trail verifies" 0 $S --db "$DB" audit verify
if ! sqlite_only "restoring the database file over itself"; then
	expect_err "restore: the live database itself" 2 "is the live database itself" \
		$S --db "$DB" restore "$DB" --force
fi

# a tampered backup is refused before anything is touched
cp "$TMP/b1.db" "$TMP/tampered.db"
sqlite3 "$TMP/tampered.db" "DROP TRIGGER events_no_update; UPDATE events SET new = 'forged' WHERE id = 3"
sum=$(q "$DB" 'SELECT count(*), max(hash) FROM events')
expect_err "tampered backup refused, event named" 3 "audit trail does not verify at event 3" \
	$S --db "$DB" --now $NOW restore "$TMP/tampered.db" --force
check "... the live database untouched" "$sum" "$(q "$DB" 'SELECT count(*), max(hash) FROM events')"
cp "$TMP/b1.db" "$TMP/deleted.db"
sqlite3 "$TMP/deleted.db" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 5"
expect_err "backup with a deleted event refused" 3 "does not verify at event 6" \
	$S --db "$DB" --now $NOW restore "$TMP/deleted.db" --force
cp "$TMP/b1.db" "$TMP/cut.db"
sqlite3 "$TMP/cut.db" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 5"
expect_err "backup with its newest events deleted refused" 3 \
	"does not verify at event 6: events 6\.\.21 at the end are missing \(deleted\)" \
	$S --db "$DB" --now $NOW restore "$TMP/cut.db" --force
echo "not a database at all, just text" >"$TMP/junk.db"
expect_err "a non-database is refused" 3 "junk.db' is not a slatrack database" \
	$S --db "$DB" restore "$TMP/junk.db" --force
sqlite_file "$TMP/other.db" "CREATE TABLE t (x); PRAGMA user_version = 1"
expect_err "another program's database is refused" 3 "not a slatrack one" \
	$S --db "$DB" restore "$TMP/other.db" --force
cp "$TMP/b1.db" "$TMP/future.db"
sqlite3 "$TMP/future.db" "PRAGMA user_version = 999"
expect_err "a newer schema is refused" 3 "schema version 999, newer than this slatrack" \
	$S --db "$DB" restore "$TMP/future.db" --force
expect_err "a missing backup" 3 "cannot read '$TMP/nope.db'" $S --db "$DB" restore "$TMP/nope.db"
check "after all the refusals the live database is as restored" "$sum" \
	"$(q "$DB" 'SELECT count(*), max(hash) FROM events')"

# --force over a damaged database that does not even open
if ! sqlite_only "a damaged database file"; then
	printf 'garbage garbage garbage garbage' >"$TMP/broken.db"
	run $S --db "$TMP/broken.db" --now $NOW restore "$TMP/b1.db" --force
	check "restore --force over a damaged file" "0 20" "$rc $(q "$TMP/broken.db" 'SELECT count(*) FROM tickets' 2>&1)"
fi

# a reader during restore sees the old or the new database, never a mix
if on_pg; then	# a server database is restored into only when new: the reader watches it fill
	src=$TMP/live-5.db
else
	cp "$TMP/live-5.db" "$TMP/big.db"
	$S --db "$TMP/big.db" backup "$TMP/big-copy.db" >/dev/null
	src=$TMP/b1.db
fi
( n=0; while [ $n -lt 30 ]; do
	sqlite3 "$TMP/big.db" "SELECT CASE WHEN (SELECT count(*) FROM tickets) = (SELECT count(*) FROM events WHERE kind = 'ticket.create') THEN 1 ELSE 0 END" 2>/dev/null >>"$TMP/reads"
	n=$((n + 1)); done ) &
$S --db "$TMP/big.db" --now $NOW restore "$src" --force >/dev/null 2>"$TMP/rerr"; rrc=$?
wait
check "restore with a concurrent reader" 0 "$rrc"
check "the reader never saw a mix" "" "$(grep -v '^1$' "$TMP/reads")"
