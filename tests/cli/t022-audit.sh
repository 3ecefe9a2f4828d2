#!/bin/sh
# `slatrack audit verify` and `slatrack audit log [TICKET]` (issue 3 item
# 5): every change is an event; the chain names an edited, inserted or
# deleted row; the log shows instants in the viewer's zone, sanitised.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/t.db
NOW=2026-01-12T06:00:00+01:00
export TZ=America/New_York SLATRACK_USER=alice	# the viewer's zone, the actor
S="$SLATRACK --db $DB --now $NOW"
# copy_db FROM TO: a copy of the database to tamper with (on PostgreSQL,
# a dump of FROM's server database loaded into the one standing for TO)
copy_db() {
	if on_pg; then pg_copy "$1" "$2"; else cp "$1" "$2"; fi
}
# ON TABLE: what DROP TRIGGER needs after the trigger's name on PostgreSQL
trig_on() { if on_pg; then echo "ON $1"; fi; }

$S init >/dev/null
expect_out "verify: an empty trail" "audit trail empty: 0 events" $S audit verify
expect_out "head: an empty trail's head is the genesis hash" \
	"0:0000000000000000000000000000000000000000000000000000000000000000" $S audit head
genesis=$(cat "$TMP/out")
expect_out "verify --head: an empty trail holds its own head" \
	"audit trail empty: 0 events
it holds the published head: event 0, the start of every trail" $S audit verify --head "$genesis"
expect_out "log: no events" "(no events)" $S audit log

$S partner add acme --name "Acme GmbH" --tz Europe/Berlin >/dev/null
$S ticket add --partner acme --severity critical --summary "Printer on fire" --key A-1 \
	--created 2026-01-09T12:00 >/dev/null
$S ticket add --partner acme --severity low --summary other --key A-2 >/dev/null
SLATRACK_USER=bob $S ticket respond A-1 --at 2026-01-09T13:00 >/dev/null
$S ticket note A-1 "$(printf 'customer says \033[31mRED\033[0m\nand a second line')" >/dev/null
$S ticket assign A-2 carol >/dev/null

run $S audit verify
expect_grep "verify: count and head hash" '^audit trail intact: 7 events, head [0-9a-f]{64}$' "$TMP/out"
[ "$rc" -eq 0 ] && ok "verify: exit 0 when the chain holds" || not_ok "verify status" "exit $rc"
head1=$(sed -n 's/.*head //p' "$TMP/out")

expect_out "log: one line per event" "7" sh -c "$S audit log | wc -l | tr -d ' '"
run $S audit log
expect_grep "log: the instant in the viewer's zone, actor, kind, ticket" \
	'^     2  2026-01-12 00:00 EST  alice  ticket.create  #1  partner=acme severity=critical created=2026-01-09T11:00:00Z target=24h deadline=2026-01-12T11:00:00Z$' "$TMP/out"
expect_grep "log: field old -> new, by the actor who did it" \
	'^     4  2026-01-12 00:00 EST  bob  ticket.respond  #1  first_response: none -> 2026-01-09T12:00:00Z$' "$TMP/out"
expect_grep "log: partner events name the partner" '^     1  .*  alice  partner.add  partner acme  ' "$TMP/out"
expect_grep "log: an assignment" 'ticket.assign  #2  assignee: none -> carol$' "$TMP/out"
if grep -q 'ticket.note  #1  note: customer says ^\[\[31mRED^\[\[0m and a second line$' "$TMP/out" &&
	! grep -q "$(printf '\033')" "$TMP/out"
then ok "log: note text sanitised (escapes shown, newline as a space)"
else not_ok "log: sanitised note" "$(grep note "$TMP/out")"; fi

run $S audit log A-1
if [ "$(wc -l <"$TMP/out")" -eq 4 ] && ! grep -q '#2' "$TMP/out"; then ok "log TICKET: only that ticket's events"
else not_ok "log TICKET" "$(cat "$TMP/out")"; fi
expect_out "log '#2' by number" "2" sh -c "$S audit log '#2' | wc -l | tr -d ' '"

expect_err "log: unknown ticket" 3 "no ticket with id or key 'NOPE'" $S audit log NOPE
expect_err "audit: no subcommand" 2 "which audit command" $S audit
expect_err "audit: unknown subcommand" 2 "unknown audit command 'check'" $S audit check
expect_err "audit verify: an option" 2 "unknown option '--fix'" $S audit verify --fix
expect_err "audit log: an option" 2 "unknown option '--fix'" $S audit log --fix
expect_err "audit: an option before the command" 2 "unknown option '--head'" $S audit --head x verify
expect_err "audit verify --head: no value" 2 "option '--head' needs a value" $S audit verify --head
expect_err "audit verify --head: not a head" 2 "--head: '8:abc' is not a head as 'audit head' prints it" \
	$S audit verify --head 8:abc
expect_err "audit head: unknown format" 2 "--format: unknown format 'xml'" $S audit head --format xml
expect_err "audit head: an argument" 2 "unexpected argument 'now'" $S audit head now
expect_err "audit log: two tickets" 2 "unexpected argument 'A-2'" $S audit log A-1 A-2
expect_status "audit --help" 0 $S audit --help

# the head hash moves with every change, and a failed change adds nothing
$S ticket note A-2 "one more" >/dev/null
run $S audit verify
head2=$(sed -n 's/.*head //p' "$TMP/out")
[ -n "$head2" ] && [ "$head1" != "$head2" ] && ok "verify: the head moves with a change" || not_ok "head moved" "$head1 $head2"
$S ticket add --partner acme --severity high --summary "" >/dev/null 2>&1
run $S audit verify
expect_grep "verify: a failed change records nothing" "^audit trail intact: 8 events, head $head2\$" "$TMP/out"

# tampering, each on a copy of the database
copy_db "$DB" "$TMP/edit.db"
sqlite3 "$TMP/edit.db" "DROP TRIGGER events_no_update $(trig_on events); UPDATE events SET actor = 'mallory' WHERE id = 4"
run $SLATRACK --db "$TMP/edit.db" audit verify
if [ "$rc" -eq 3 ] && grep -q '^audit trail BROKEN at event 4 (4 events read)$' "$TMP/out" &&
	grep -q 'audit trail broken: event 4: its contents do not match its hash: the row was edited' "$TMP/err"
then ok "verify: an edited row is named (exit 3)"
else not_ok "verify edited" "exit $rc" "$(cat "$TMP/out" "$TMP/err")"; fi

copy_db "$DB" "$TMP/del.db"
sqlite3 "$TMP/del.db" "DROP TRIGGER events_no_delete $(trig_on events); DELETE FROM events WHERE id = 5"
expect_err "verify: a deleted row is found" 3 'event 6: events 5..5 before it are missing \(deleted\)' \
	$SLATRACK --db "$TMP/del.db" audit verify

copy_db "$DB" "$TMP/ins.db"
sqlite3 "$TMP/ins.db" "INSERT INTO events (id, at, actor, kind, ticket_id, field, new, prev_hash, hash) SELECT 9, 1768194000, 'mallory', 'ticket.note', 1, 'note', 'all fine', hash, 'x' FROM events WHERE id = 8"
expect_err "verify: an appended forgery is found" 3 'event 9: its contents do not match its hash' \
	$SLATRACK --db "$TMP/ins.db" audit verify

for sql in "UPDATE events SET actor = 'x' WHERE id = 1" "DELETE FROM events WHERE id = 1"; do
	run sqlite3 "$DB" "$sql"
	if [ "$rc" -ne 0 ] && grep -q 'append-only' "$TMP/err"; then ok "the database refuses: $sql"
	else not_ok "refuses $sql" "exit $rc"; fi
done

# -- the end of the trail (issue 10, item 8) ----------------------------------
# `audit head` prints the head to publish, exactly what --head takes
run $S audit head
published=$(cat "$TMP/out")
if [ "$rc" -eq 0 ] && [ "$published" = "8:$head2" ]; then ok "head: ID:HASH of the verified head"
else not_ok "audit head" "exit $rc" "got: $published" "want: 8:$head2"; fi
run $S audit head --format json
if on_pg; then	# the database is the server's URL, its dots and ? taken literally
	dbre=$(sh "$TOP/tests/pg/url-of" "$DB" | sed 's/[.?]/[&]/g')
else
	dbre=$DB
fi
expect_grep "head --format json" \
	"^\{\"head\": \"8:$head2\", \"id\": 8, \"hash\": \"$head2\", \"events\": 8, \"verified_at\": \"2026-01-12T05:00:00Z\", \"database\": \"$dbre\"\}\$" "$TMP/out"
run $S audit verify --head "$published"
if [ "$rc" -eq 0 ] && grep -q "^it holds the published head: event 8 has hash $head2\$" "$TMP/out"
then ok "verify --head ID:HASH: the trail holds it"
else not_ok "verify --head" "exit $rc" "$(cat "$TMP/out" "$TMP/err")"; fi
expect_status "verify --head HASH alone, in capitals" 0 \
	$S audit verify --head "$(echo "$head2" | tr a-f A-F)"
expect_status "verify --head: an older published head is still held" 0 $S audit verify --head "7:$head1"
expect_err "verify --head: a hash at the wrong event" 3 \
	"event 6 no longer has the published hash $head1: the trail up to it was rewritten" \
	$S audit verify --head "6:$head1"
expect_err "verify --head: a hash no event has" 3 "no event has the published hash 0{64}" \
	$S audit verify --head 0000000000000000000000000000000000000000000000000000000000000000
$S ticket note A-2 "after publishing" >/dev/null
expect_status "verify --head: events after the published head are fine" 0 \
	$S audit verify --head "$published"
expect_status "verify --head: ... and every trail holds the empty one's head" 0 \
	$S audit verify --head "$genesis"
expect_err "verify --head: event 0 with another hash" 2 "event 0 is the start of every trail" \
	$S audit verify --head "0:$head2"

# the last events deleted: the chain that is left holds, but the
# sequence and the head recorded with every append remember
copy_db "$DB" "$TMP/cut.db"
sqlite3 "$TMP/cut.db" "DROP TRIGGER events_no_delete $(trig_on events); DELETE FROM events WHERE id > 6"
run $SLATRACK --db "$TMP/cut.db" audit verify
if [ "$rc" -eq 3 ] && grep -q '^audit trail BROKEN at event 7 (6 events read)$' "$TMP/out" &&
	grep -q 'audit trail broken: event 7: events 7..9 at the end are missing (deleted): ids up to 9 were given out' "$TMP/err"
then ok "verify: events deleted at the end are found (exit 3)"
else not_ok "verify cut" "exit $rc" "$(cat "$TMP/out" "$TMP/err")"; fi
expect_err "head: refused for a cut trail" 3 "event 7: events 7..9 at the end are missing" \
	$SLATRACK --db "$TMP/cut.db" audit head
[ -s "$TMP/out" ] && not_ok "head: nothing on stdout for a cut trail" "$(cat "$TMP/out")" ||
	ok "head: nothing on stdout for a cut trail"
if on_pg; then	# audit_sequence is the server's sqlite_sequence
	sqlite3 "$TMP/cut.db" "UPDATE audit_sequence SET seq = 6 WHERE one = 1"
else
	sqlite3 "$TMP/cut.db" "UPDATE sqlite_sequence SET seq = 6 WHERE name = 'events'"
fi
expect_err "verify: ... also with the sequence set back (the recorded head)" 3 \
	'event 7: events 7..9 at the end are missing \(deleted\): the head recorded at the last append is event 9' \
	$SLATRACK --db "$TMP/cut.db" audit verify
run $SLATRACK --db "$TMP/cut.db" --now $NOW doctor
expect_grep "doctor: a cut trail is an audit problem" \
	'^audit +PROBLEM: event 7: events 7..9 at the end are missing' "$TMP/out"
[ "$rc" -eq 3 ] && ok "doctor: exit 3 for a cut trail" || not_ok "doctor cut" "exit $rc"
run $SLATRACK --db "$TMP/cut.db" --now $NOW report --today --evidence
expect_grep "report evidence: a cut trail is not called intact" \
	'BROKEN at event 7 \(6 events read\): events 7..9 at the end are missing' "$TMP/out"

# every witness rewritten to agree: the file alone cannot tell; only the
# head published before can (and the man page says so)
sqlite3 "$TMP/cut.db" "DROP TRIGGER audit_head_forward_only $(trig_on audit_head); UPDATE audit_head SET id = 6, hash = (SELECT hash FROM events WHERE id = 6)"
expect_status "verify: a consistent rewrite of the file verifies (no outside anchor)" 0 \
	$SLATRACK --db "$TMP/cut.db" audit verify
expect_err "verify --head: the published head catches it" 3 \
	"the published head, event 8, is beyond the end of the trail \(event 6\)" \
	$SLATRACK --db "$TMP/cut.db" audit verify --head "$published"
SLATRACK_USER=mallory $SLATRACK --db "$TMP/cut.db" --now $NOW ticket note A-1 "rewritten" >/dev/null
SLATRACK_USER=mallory $SLATRACK --db "$TMP/cut.db" --now $NOW ticket note A-1 "history" >/dev/null
expect_err "verify --head: ... and new history written over it" 3 \
	"event 8 no longer has the published hash $head2: the trail up to it was rewritten" \
	$SLATRACK --db "$TMP/cut.db" audit verify --head "$published"
