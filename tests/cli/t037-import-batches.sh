#!/bin/sh
# slatrack import in batches: on SQLite an import adds its rows 32 at a
# time (one insert for the tickets, one for their events).  The result
# must be what adding them one by one gives: ids and events in row order,
# one intact audit chain, and a batch that one row spoils (a key already
# stored, a bad field) taken back whole, its rows then added or refused
# one by one with the row's own line.
. "$(dirname "$0")/../lib.sh"
S=$SLATRACK
NOW=2026-02-01T00:00:00Z

q() { sqlite3 "$1" "$2"; }
new_db() {
	for p in acme zen; do
		"$S" --db "$1" --now 2026-01-01T00:00:00Z partner add $p --name $p \
			--tz Europe/Berlin >/dev/null || echo "partner add $p failed" >&2
	done
}
# rows FIRST LAST [SUMMARY]: import lines for keys B-FIRST..B-LAST, the
# partners alternating, one minute apart
rows() {
	awk -v a="$1" -v b="$2" -v s="${3:-Login fails}" 'BEGIN {
		for (i = a; i <= b; i++)
			printf "B-%d,%s,%s,%s %d,Customer %d,,2026-01-05T09:%02d:00Z\n", i,
			    (i % 2 ? "acme" : "zen"), (i % 3 ? "high" : "critical"), s, i, i,
			    i % 60
	}'
}
HEAD=key,partner,severity,summary,customer,assignee,created

# -- 70 rows: two batches and six rows one by one --------------------------
DB=$TMP/a.db
new_db "$DB"
{ echo $HEAD; rows 1 70; } >"$TMP/seventy.csv"
expect_out "import of 70 rows" \
	"imported 70 tickets from $TMP/seventy.csv (0 rows already present)" \
	$S --db "$DB" --now $NOW import "$TMP/seventy.csv"
check "ids follow the rows" 70 \
	"$(q "$DB" "SELECT count(*) FROM tickets WHERE key = 'B-' || id")"
check "one import event per ticket, in row order" 70 \
	"$(q "$DB" "SELECT count(*) FROM events e JOIN tickets t ON t.id = e.ticket_id
		WHERE e.kind = 'ticket.import' AND e.id = t.id + 2
		AND e.new LIKE 'seventy.csv:' || (t.id + 1) || ': partner=%'")"
check "each event names its ticket's partner" 70 \
	"$(q "$DB" "SELECT count(*) FROM events e JOIN tickets t ON t.id = e.ticket_id
		JOIN partners p ON p.id = t.partner_id
		WHERE e.partner_id = t.partner_id AND e.new LIKE '%: partner=' || p.key || ' %'")"
check "deadlines computed in a batch as one by one" \
	"$(q "$DB" "SELECT count(*) FROM tickets WHERE target_s IS NOT NULL")" \
	"$(q "$DB" "SELECT count(*) FROM tickets WHERE deadline_at > created_at AND severity IN ('critical', 'high')")"
run $S --db "$DB" audit verify
expect_grep "audit chain intact after batches" "audit trail intact: 72 events" "$TMP/out"

# -- a batch with a row already stored: taken back, then row by row --------
# rows 1-70 are stored; 71-130 are new, but 100 repeats B-5 exactly
{ echo $HEAD; rows 71 99; rows 5 5; rows 100 130; } >"$TMP/mixed.csv"
expect_out "a repeated row inside a batch" \
	"imported 60 tickets from $TMP/mixed.csv (1 row already present)" \
	$S --db "$DB" --now $NOW import "$TMP/mixed.csv"
check "no id skipped or reused" "130 130 130" \
	"$(q "$DB" "SELECT count(*) FROM tickets WHERE key = 'B-' || id") $(q "$DB" \
	"SELECT max(id) FROM tickets") $(q "$DB" "SELECT count(*) FROM tickets")"
check "B-5 kept its one event" 1 \
	"$(q "$DB" "SELECT count(*) FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE t.key = 'B-5'")"
run $S --db "$DB" audit verify
expect_grep "audit chain intact after a batch taken back" "audit trail intact: 132 events" \
	"$TMP/out"

# -- a bad row among batches: nothing imported, its line named -------------
DB2=$TMP/b.db
new_db "$DB2"
{ echo $HEAD; rows 1 40; echo 'B-41,acme,urgent,Bad severity,C,,2026-01-05T09:00:00Z'
  rows 42 80; } >"$TMP/bad.csv"
expect_err "a bad row inside a batch fails the import, naming its line" 3 "bad.csv:42:" \
	$S --db "$DB2" --now $NOW import "$TMP/bad.csv"
check "nothing imported" 0 "$(q "$DB2" "SELECT count(*) FROM tickets")"
check "no event written" 2 "$(q "$DB2" "SELECT count(*) FROM events")"

# -- a changed row inside a batch: a conflict, nothing imported -------------
{ echo $HEAD; rows 131 150; rows 7 7 "Changed summary"; rows 151 190; } >"$TMP/conflict.csv"
before=$(q "$DB" "SELECT count(*) FROM tickets") events=$(q "$DB" "SELECT count(*) FROM events")
expect_err "a changed row inside a batch fails the import" 3 "conflict.csv:22: ticket .B-7." \
	$S --db "$DB" --now $NOW import "$TMP/conflict.csv"
check "nothing added by the refused import" "$before $events" \
	"$(q "$DB" "SELECT count(*) FROM tickets") $(q "$DB" "SELECT count(*) FROM events")"

# -- the same file again changes nothing ---------------------------------------
expect_out "re-import of 70 rows" \
	"imported 0 tickets from $TMP/seventy.csv (70 rows already present)" \
	$S --db "$DB" --now $NOW import "$TMP/seventy.csv"
check "re-import wrote no event" "$events" "$(q "$DB" "SELECT count(*) FROM events")"
