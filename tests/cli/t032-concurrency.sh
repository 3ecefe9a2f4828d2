#!/bin/sh
# Real processes on one real database file:
#   1. four writers making 500 ticket changes each while a reader lists
#      the queue in a loop: every change present afterwards, and no
#      "database is locked" or "busy" ever reaches anyone's stderr;
#   2. kill -9 in the middle of importing 50,000 rows, at several moments:
#      the integrity check passes and the import is wholly present or
#      wholly absent.
. "$(dirname "$0")/../lib.sh"
S=$SLATRACK
NOW=2026-02-01T00:00:00Z
q() { sqlite3 "$1" "$2"; }
# integrity DB: "ok" when the database passes the integrity check (on
# PostgreSQL the server checks its pages: doctor's check of the audit
# trail's guards and the foreign keys), else the problems
integrity() {
	if on_pg; then
		$S --db "$1" --now $NOW doctor 2>&1 | grep '^integrity ' | sed 's/^integrity *ok: .*/ok/'
	else q "$1" 'PRAGMA integrity_check'; fi
}

DB=$TMP/c.db
$S --db "$DB" --now 2026-01-01T00:00:00Z partner add acme --name Acme --tz Europe/Berlin >/dev/null
$S --db "$DB" --now 2026-01-01T00:00:00Z partner add zen --name Zen --tz Asia/Tokyo >/dev/null

# writer W: 500 changes = 250 ticket add, 125 note, 125 assign, interleaved
writer() {
	w=$1 i=1 n=0
	while [ $i -le 250 ]; do
		p=acme; [ $((i % 2)) -eq 0 ] && p=zen
		$S --db "$DB" --now $NOW ticket add --partner $p --severity high \
			--summary "writer $w ticket $i" --key "W$w-$i" --created 2026-01-05T09:00:00Z \
			>/dev/null 2>>"$TMP/err.w$w" || n=$((n + 1))
		if [ $((i % 2)) -eq 1 ]; then
			$S --db "$DB" --now $NOW ticket note "W$w-$i" "note from writer $w" \
				>/dev/null 2>>"$TMP/err.w$w" || n=$((n + 1))
		else
			$S --db "$DB" --now $NOW ticket assign "W$w-$i" "agent$w" \
				>/dev/null 2>>"$TMP/err.w$w" || n=$((n + 1))
		fi
		i=$((i + 1))
	done
	echo $n >"$TMP/fail.w$w"
}
reader() {
	r=0 n=0
	while [ ! -f "$TMP/writers-done" ]; do
		$S --db "$DB" --now $NOW ticket list --open >/dev/null 2>>"$TMP/err.r" || n=$((n + 1))
		r=$((r + 1))
	done
	echo "$r $n" >"$TMP/reads"
}

reader &
rpid=$!
for w in 1 2 3 4; do writer $w & eval "wpid$w=\$!"; done
wait "$wpid1" "$wpid2" "$wpid3" "$wpid4"
touch "$TMP/writers-done"
wait "$rpid"

check "writers: no command failed" "0 0 0 0" \
	"$(cat "$TMP/fail.w1") $(cat "$TMP/fail.w2") $(cat "$TMP/fail.w3") $(cat "$TMP/fail.w4")"
check "every ticket present" 1000 "$(q "$DB" 'SELECT count(*) FROM tickets')"
check "every ticket per writer" "250 250 250 250" \
	"$(for w in 1 2 3 4; do q "$DB" "SELECT count(*) FROM tickets WHERE key LIKE 'W$w-%'"; done | tr '\n' ' ' | sed 's/ $//')"
check "every create event" 1000 "$(q "$DB" "SELECT count(*) FROM events WHERE kind = 'ticket.create'")"
check "every note" 500 "$(q "$DB" "SELECT count(*) FROM events WHERE kind = 'ticket.note'")"
check "every assignment" 500 "$(q "$DB" "SELECT count(*) FROM tickets WHERE assignee IS NOT NULL")"
check "every assignment recorded" 500 "$(q "$DB" "SELECT count(*) FROM events WHERE kind = 'ticket.assign'")"
check "assignee matches its writer" 0 \
	"$(q "$DB" "SELECT count(*) FROM tickets WHERE assignee IS NOT NULL AND assignee <> 'agent' || substr(key, 2, 1)")"
read reads rfail <"$TMP/reads"
if [ "$reads" -gt 0 ] && [ "$rfail" -eq 0 ]; then ok "reader: $reads ticket lists, none failed"
else not_ok "reader: lists ran and none failed" "reads $reads, failed $rfail"; fi
cat "$TMP"/err.* >"$TMP/allerr" 2>/dev/null
if grep -Eiq 'locked|busy' "$TMP/allerr"; then
	not_ok "no 'database is locked' or 'busy' on any stderr" "$(grep -Ei 'locked|busy' "$TMP/allerr" | head -5)"
else ok "no 'database is locked' or 'busy' on any stderr"; fi
check "no stderr output at all" "" "$(head -c 400 "$TMP/allerr")"
check "integrity after the storm" ok "$(integrity "$DB")"
expect_status "audit chain verifies after the storm" 0 $S --db "$DB" audit verify

# -- kill -9 during a 50,000-row import ----------------------------------------
N=50000
python3 - "$N" >"$TMP/big.csv" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
out.write("key,partner,severity,summary,customer,created\n")
for i in range(n):
    out.write('IMP-%d,%s,%s,"Imported ticket %d, with a comma",Customer %d,2025-%02d-%02dT%02d:%02d:00Z\n'
              % (i, "acme" if i % 3 else "zen", ("critical", "high", "medium", "low")[i % 4],
                 i, i % 97, i % 12 + 1, i % 28 + 1, i % 24, i % 60))
PY

size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# written: the bytes the import has written so far: the WAL of the file
# $K; on PostgreSQL, what the server database $K grew by since $size0
# (uncommitted rows take room in it too)
if on_pg; then
	grew=grown
	written() { echo $(($(q "$K" 'SELECT pg_database_size(current_database())') - size0)); }
else
	grew=wal
	written() { size "$K-wal"; }
fi

# kill_run NAME WAL_BYTES: import into a fresh copy of the database, kill -9
# once its WAL has grown past WAL_BYTES (0: as soon as it starts writing)
kill_run() {
	kname=$1 limit=$2	# not $name: the lib.sh helpers use it
	K=$TMP/k-$kname.db
	if on_pg; then	# a new server database, restored from a backup
		$S --db "$DB" backup "$TMP/k-$kname.backup" >/dev/null
		$S --db "$K" --now $NOW restore "$TMP/k-$kname.backup" >/dev/null
		size0=$(q "$K" 'SELECT pg_database_size(current_database())')
	else
		$S --db "$DB" backup "$K" >/dev/null
	fi
	base=$(q "$K" 'SELECT count(*) FROM tickets')
	$S --db "$K" --now $NOW import "$TMP/big.csv" >/dev/null 2>"$TMP/kerr" &
	pid=$!
	t=0
	while [ "$(written)" -le "$limit" ] && kill -0 $pid 2>/dev/null && [ $t -lt 3000 ]; do
		sleep 0.01; t=$((t + 1))
	done
	walsz=$(written)
	kill -9 $pid 2>/dev/null; killed=$?
	wait $pid 2>/dev/null
	check "kill -9 ($kname, $grew $walsz bytes, killed=$((killed == 0))): integrity_check" ok \
		"$(integrity "$K")"
	got=$(($(q "$K" 'SELECT count(*) FROM tickets') - base))
	ev=$(q "$K" "SELECT count(*) FROM events WHERE kind = 'ticket.import'")
	if { [ "$got" -eq 0 ] && [ "$ev" -eq 0 ]; } || { [ "$got" -eq $N ] && [ "$ev" -eq $N ]; }; then
		ok "kill -9 ($kname): import wholly absent or present ($got rows, $ev events)"
	else not_ok "kill -9 ($kname): import wholly absent or present" "$got rows, $ev import events"; fi
	expect_status "kill -9 ($kname): audit chain verifies" 0 $S --db "$K" audit verify
	echo "$got" >"$TMP/got-$kname"
}
kill_run early 0
kill_run $grew-1M 1048576
kill_run $grew-8M 8388608
kill_run $grew-24M 25165824

# after a kill the import can simply be run again
K=$TMP/k-early.db
if [ "$(cat "$TMP/got-early")" -eq 0 ]; then
	run $S --db "$K" --now $NOW import "$TMP/big.csv"
	check "after the kill, importing again brings all $N rows" "0 $N" \
		"$rc $(q "$K" "SELECT count(*) FROM tickets WHERE key LIKE 'IMP-%'")"
else
	ok "after the kill, importing again brings all $N rows (the kill came after the commit)"
fi
