#!/bin/sh
# slatrack import / export: RFC 4180 details, all-or-nothing, every bad row
# reported as FILE:LINE, re-import changes nothing, export round-trips.
. "$(dirname "$0")/../lib.sh"
S=$SLATRACK
FIX=$DATA/import
NOW=2026-02-01T00:00:00Z

add_partner() {
	"$S" --db "$1" --now 2026-01-01T00:00:00Z partner add "$2" --name "$2" --tz "$3" \
		>/dev/null || echo "partner add $2 failed" >&2
}
new_db() { add_partner "$1" acme Europe/Berlin; add_partner "$1" zen Asia/Tokyo; }
q() { sqlite3 "$1" "$2"; }
# iso COLUMN: SQL for the epoch seconds in COLUMN as YYYY-MM-DDTHH:MM:SSZ
iso() {
	if on_pg; then echo "to_char(to_timestamp($1) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
	else echo "strftime('%Y-%m-%dT%H:%M:%SZ', $1, 'unixepoch')"; fi
}

DB=$TMP/a.db
new_db "$DB"

# -- a good file -----------------------------------------------------------
expect_out "import good.csv" "imported 5 tickets from $FIX/good.csv (0 rows already present)" \
	$S --db "$DB" --now $NOW import "$FIX/good.csv"
check "five tickets stored" 5 "$(q "$DB" 'SELECT count(*) FROM tickets')"
check "one ticket.import event per ticket" 5 \
	"$(q "$DB" "SELECT count(DISTINCT ticket_id) FROM events WHERE kind = 'ticket.import'")"
if on_pg; then instr=strpos; else instr=instr; fi	# the position of ': ' in new
check "import event names FILE:LINE" "good.csv:4" \
	"$(q "$DB" "SELECT substr(e.new, 1, $instr(e.new, ': ') - 1) FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE t.key = 'MP-1003' AND e.kind = 'ticket.import'")"
check "one event per imported ticket, no separate ticket.create" 0 \
	"$(q "$DB" "SELECT count(*) FROM events WHERE kind = 'ticket.create'")"
check "quoted comma and doubled quotes" 'Export "stuck" at 99%' \
	"$(q "$DB" "SELECT summary FROM tickets WHERE key = 'MP-1002'")"
check "quoted CRLF kept inside the field" "$(printf 'Two lines:\r\nsecond line, with comma')" \
	"$(q "$DB" "SELECT summary FROM tickets WHERE key = 'MP-1003'")"
check "UTF-8 text kept" "Grüße aus Tokyo 日本" \
	"$(q "$DB" "SELECT summary FROM tickets WHERE key = 'MP-1005'")"
check "empty optional fields are NULL" "1|1" \
	"$(q "$DB" "SELECT CAST(assignee IS NULL AS INTEGER), CAST(first_response_at IS NULL AS INTEGER) FROM tickets WHERE key = 'MP-1002'")"
# Berlin, Mon 10:00 CET + 24 h of Mon-Fri -> Tue 10:00 CET
check "deadline from the partner schedule" "2026-01-06T09:00:00Z" \
	"$(q "$DB" "SELECT $(iso deadline_at) FROM tickets WHERE key = 'MP-1001'")"
# Tokyo, Fri 12:00 JST (local: no offset in the file) -> Mon 12:00 JST
check "local instant read in the partner's zone" "2026-01-09T03:00:00Z|2026-01-12T03:00:00Z" \
	"$(q "$DB" "SELECT $(iso created_at) || '|' || $(iso deadline_at) FROM tickets WHERE key = '42'")"
check "medium is tracked, not timed" "" \
	"$(q "$DB" "SELECT deadline_at FROM tickets WHERE key = 'MP-1003'")"
check "first response and resolution imported" "1|1" \
	"$(q "$DB" "SELECT CAST(first_response_at IS NOT NULL AS INTEGER), (SELECT CAST(resolved_at IS NOT NULL AS INTEGER) FROM tickets WHERE key = 'MP-1003') FROM tickets WHERE key = 'MP-1001'")"

# -- importing again changes nothing -----------------------------------------
before=$(q "$DB" 'SELECT count(*) FROM events')
expect_out "re-import is a no-op" "imported 0 tickets from $FIX/good.csv (5 rows already present)" \
	$S --db "$DB" --now $NOW import "$FIX/good.csv"
check "re-import writes no event" "$before" "$(q "$DB" 'SELECT count(*) FROM events')"

# a key that exists with different data is an error naming the fields
printf 'key,partner,severity,summary,created\nNEW-1,acme,high,new,2026-01-05T09:00:00Z\nMP-1001,acme,high,Login fails,2026-01-05T09:00:00Z\n' >"$TMP/conflict.csv"
expect_err "existing key with other data is refused" 3 \
	"conflict.csv:3: ticket 'MP-1001' \(#[0-9]+\) already exists with a different severity, summary" \
	$S --db "$DB" --now $NOW import "$TMP/conflict.csv"
check "... and nothing of the file is written" 0 "$(q "$DB" "SELECT count(*) FROM tickets WHERE key = 'NEW-1'")"

# new rows are written first and a key looked up only when the write is
# refused: an existing key is still matched (skipped when the same, named
# when its text is bad), a new row's bad text still named, nothing written
printf 'key,partner,severity,summary,assignee,created\nNEW-2,acme,high,new,,2026-01-05T09:00:00Z\n42,zen,high,Numeric key,,2026-01-09T12:00\nMP-1005,zen,low,\377bad,,2026-01-06T00:00:00Z\nNEW-3,acme,low,x,a\001b,2026-01-05T09:00:00Z\nNEW-4,acme,low,y,,2026-01-05T09:00:00Z\n' >"$TMP/mixed.csv"
n0=$(q "$DB" 'SELECT count(*) FROM tickets'); e0=$(q "$DB" 'SELECT count(*) FROM events')
run $S --db "$DB" --now $NOW import "$TMP/mixed.csv"
check "mixed.csv: exit 3, two problems" "3 4 5" \
	"$rc $(sed -n "s|^$TMP/mixed.csv:\([0-9]*\): .*|\1|p" "$TMP/err" | tr '\n' ' ' | sed 's/ $//')"
expect_grep "existing key with bad text: the difference is named" \
	"mixed.csv:4: ticket 'MP-1005' \(#[0-9]+\) already exists with a different summary" "$TMP/err"
expect_grep "new row with bad text: the text is named" \
	"mixed.csv:5: assignee: control character at byte 2" "$TMP/err"
check "mixed.csv: nothing written" "$n0 $e0" "$(q "$DB" 'SELECT count(*) FROM tickets') $(q "$DB" 'SELECT count(*) FROM events')"

# a row leaving an optional field empty matches a ticket that has it since
sqlite3 "$DB" "UPDATE tickets SET assignee = 'carol' WHERE key = 'MP-1002'"
expect_out "empty optional field is not compared" \
	"imported 0 tickets from $FIX/good.csv (5 rows already present)" \
	$S --db "$DB" --now $NOW import "$FIX/good.csv"

# -- bad files: every problem, FILE:LINE, nothing written ---------------------
n0=$(q "$DB" 'SELECT count(*) FROM tickets'); e0=$(q "$DB" 'SELECT count(*) FROM events')
run $S --db "$DB" --now $NOW import "$FIX/bad.csv"
check "bad.csv: exit 3" 3 "$rc"
check "bad.csv: eleven problems, one per bad line, in line order" \
	"2 3 4 5 6 7 8 9 10 12 13" \
	"$(sed -n "s|^$FIX/bad.csv:\([0-9]*\): .*|\1|p" "$TMP/err" | tr '\n' ' ' | sed 's/ $//')"
expect_grep "unknown partner named" "bad.csv:2: partner: unknown partner 'nope'" "$TMP/err"
expect_grep "bad severity named" "bad.csv:3: severity: 'urgent' is not one of" "$TMP/err"
expect_grep "empty summary" "bad.csv:4: summary: must not be empty" "$TMP/err"
expect_grep "future instant" "bad.csv:5: created: 2099-01-05T09:00:00Z is in the future" "$TMP/err"
expect_grep "bad instant" "bad.csv:6: created: bad instant 'yesterday'" "$TMP/err"
expect_grep "resolved before created" "bad.csv:7: resolved: .* is before the ticket was created" "$TMP/err"
expect_grep "invalid UTF-8" "bad.csv:8: summary: invalid UTF-8" "$TMP/err"
expect_grep "short row" "bad.csv:9: 4 fields, but the header has 6" "$TMP/err"
expect_grep "missing key" "bad.csv:10: key: missing" "$TMP/err"
expect_grep "contradicting duplicate key" "bad.csv:12: key 'B-9' is also on line 11, with a different severity" "$TMP/err"
expect_grep "unterminated quote at the line it starts" "bad.csv:13: quoted field has no closing quote" "$TMP/err"
expect_grep "summary line" "slatrack: import: 11 problems in .*bad.csv: nothing imported" "$TMP/err"
check "bad.csv: nothing written" "$n0 $e0" "$(q "$DB" 'SELECT count(*) FROM tickets') $(q "$DB" 'SELECT count(*) FROM events')"

expect_err "unknown columns named" 3 "unknown-columns.csv:1: unknown columns 'priority', 'Owner'" \
	$S --db "$DB" --now $NOW import "$FIX/unknown-columns.csv"
printf 'key,partner,summary\nX,acme,y\n' >"$TMP/missing.csv"
expect_err "missing required columns named" 3 "missing.csv:1: missing columns 'severity', 'created'" \
	$S --db "$DB" --now $NOW import "$TMP/missing.csv"
run $S --db "$DB" --now $NOW import "$FIX/one-bad-row.csv"
check "one bad row: exit 3" 3 "$rc"
expect_grep "one bad row: the row named" "one-bad-row.csv:4: severity: 'hgih'" "$TMP/err"
check "one bad row: none of the good rows written" 0 "$(q "$DB" "SELECT count(*) FROM tickets WHERE key LIKE 'OK-%'")"
: >"$TMP/empty.csv"
expect_err "empty file" 3 "empty.csv: no header line" $S --db "$DB" --now $NOW import "$TMP/empty.csv"
expect_err "missing file" 3 "cannot open '$TMP/nope.csv'" $S --db "$DB" --now $NOW import "$TMP/nope.csv"
expect_err "no file argument" 2 "no CSV file given" $S --db "$DB" import

# the cap: 150 bad rows -> 100 listed, then a note
{ echo "key,partner,severity,summary,created"; i=0
  while [ $i -lt 150 ]; do echo "K$i,acme,bogus,x,2026-01-05T09:00:00Z"; i=$((i + 1)); done; } >"$TMP/many.csv"
run $S --db "$DB" --now $NOW import "$TMP/many.csv"
check "error cap: 100 listed" 100 "$(grep -c "^$TMP/many.csv:[0-9]*: severity" "$TMP/err")"
expect_grep "error cap: says it stopped" "stopped after 100 problems" "$TMP/err"

# customer-controlled text never reaches the terminal raw
printf 'key,partner,severity,summary,created\n"K\033[31mX",acme,urgent\033]0;pwn\007,x,2026-01-05T09:00:00Z\n' >"$TMP/esc.csv"
run $S --db "$DB" --now $NOW import "$TMP/esc.csv"
if [ "$rc" -eq 3 ] && ! grep -q "$(printf '\033')" "$TMP/err"; then ok "escape sequences in messages are neutralised"
else not_ok "escape sequences in messages are neutralised" "exit $rc" "$(od -c "$TMP/err" | head -5)"; fi

# -- dry run, stdin ------------------------------------------------------------
DB2=$TMP/b.db
new_db "$DB2"
expect_out "dry run reports" \
	"$FIX/good.csv: 5 rows checked: 5 tickets would be added, 0 already present (dry run: nothing written)" \
	$S --db "$DB2" --now $NOW import --dry-run "$FIX/good.csv"
check "dry run writes nothing" "0 0" "$(q "$DB2" 'SELECT count(*) FROM tickets') $(q "$DB2" "SELECT count(*) FROM events WHERE kind LIKE 'ticket.%'")"
run sh -c "$S --db '$DB2' --now $NOW import - <'$FIX/good.csv'"
check "import from stdin" "0 imported 5 tickets from stdin (0 rows already present)" "$rc $(cat "$TMP/out")"

# -- export round trip ------------------------------------------------------
run $S --db "$DB" export
check "export csv: exit 0" 0 "$rc"
cp "$TMP/out" "$TMP/export1.csv"
check "export csv: header" "key,partner,severity,summary,customer,assignee,created,first_response,resolved,responded_by" \
	"$(head -n 1 "$TMP/export1.csv")"
expect_grep "export csv: instants in UTC" '^MP-1001,acme,critical,"Login fails, error 500",Globex Corp,alice,2026-01-05T09:00:00Z,2026-01-05T10:30:00Z,,$' "$TMP/export1.csv"
expect_grep "export csv: local instant written in UTC" '^42,zen,high,Numeric key,Ümlaut GmbH,,2026-01-09T03:00:00Z,,,$' "$TMP/export1.csv"
DB3=$TMP/c.db
new_db "$DB3"
expect_out "export -> import into an empty database" \
	"imported 5 tickets from $TMP/export1.csv (0 rows already present)" \
	$S --db "$DB3" --now $NOW import "$TMP/export1.csv"
$S --db "$DB3" export >"$TMP/export2.csv"
if cmp -s "$TMP/export1.csv" "$TMP/export2.csv"; then ok "export round-trips byte for byte"
else not_ok "export round-trips byte for byte" "$(diff "$TMP/export1.csv" "$TMP/export2.csv" | head -10)"; fi
if on_pg; then	# string_agg for group_concat
	deadlines="SELECT string_agg(key || deadline_at, ',' ORDER BY key) FROM tickets"
else
	deadlines='SELECT group_concat(key || deadline_at) FROM (SELECT * FROM tickets ORDER BY key)'
fi
dl1=$(q "$DB" "$deadlines") dl3=$(q "$DB3" "$deadlines")
if [ -n "$dl1" ] && [ "$dl1" = "$dl3" ]; then ok "same deadlines after the round trip"
else not_ok "same deadlines after the round trip" "want: $dl1" "got:  $dl3"; fi
expect_out "re-importing the export changes nothing" \
	"imported 0 tickets from $TMP/export1.csv (5 rows already present)" \
	$S --db "$DB3" --now $NOW import "$TMP/export1.csv"

run $S --db "$DB" export --format json
check "export json: exit 0" 0 "$rc"
check "export json: parses, 5 objects, nulls, same columns" "5 None MP-1002 Export \"stuck\" at 99% 2026-01-06T09:00:00Z" \
	"$(python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
by = {t["key"]: t for t in v}
print(len(v), by["MP-1002"]["first_response"], by["MP-1002"]["key"], by["MP-1002"]["summary"], by["MP-1001"]["deadline"])' "$TMP/out")"
run $S --db "$DB" export --format json --partner zen
check "export --partner" "42 MP-1005" "$(python3 -c 'import json,sys; print(*sorted(t["key"] for t in json.load(open(sys.argv[1]))))' "$TMP/out")"
DB4=$TMP/empty.db
new_db "$DB4"
expect_out "export json of no tickets" "[]" $S --db "$DB4" export --format json
expect_err "export: bad format" 2 "unknown format 'xml'" $S --db "$DB" export --format xml
expect_err "export: unknown partner" 3 "unknown partner 'nope'" $S --db "$DB" export --partner nope

# -- what the import columns cannot carry is said, not lost silently -----------
run $S --db "$DB" export
check "export of tickets without pauses or excuses says nothing" "0 " "$rc $(cat "$TMP/err")"
$S --db "$DB" --now 2026-01-09T13:00:00Z ticket wait 42 >/dev/null
$S --db "$DB" --now 2026-01-12T09:00:00Z ticket resume 42 >/dev/null
$S --db "$DB" --now $NOW ticket excuse MP-1002 --reason "Platform outage" >/dev/null
run $S --db "$DB" export
check "export with a pause and an excuse: exit 0, rows as before" "0 7" "$rc $(wc -l <"$TMP/out")"
expect_grep "export names the tickets whose pauses and excuses it drops" \
	"^slatrack: export: 1 ticket has pauses .* and 1 has an excused breach, which the import columns do not carry: .*slatrack backup FILE copies everything$" \
	"$TMP/err"
run $S --db "$DB" export --partner acme
expect_grep "export --partner counts that partner's only" \
	"^slatrack: export: 1 ticket has an excused breach, which the import columns" "$TMP/err"
