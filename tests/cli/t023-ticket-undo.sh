#!/bin/sh
# `slatrack ticket undo` (issue 11 item 6): each undoable change (respond,
# resolve, reopen, assign, edit) is reverted as new "ticket.undo" events
# naming the event reverted, nothing deleted; a restored severity brings
# the deadline back; a note, an undo and a fresh ticket are refused with
# exit 3 and nothing written.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/t.db
NOW=2026-01-12T06:00:00+01:00		# Monday 06:00 in Berlin
export TZ=Europe/London SLATRACK_USER=alice
S="$SLATRACK --db $DB --now $NOW"

# row: the stored columns of ticket 1 (the numbers as text, for '-' when NULL)
row() { sqlite3 "$DB" "SELECT severity, summary, ifnull(customer,'-'), ifnull(key,'-'),
	ifnull(assignee,'-'), target_s, deadline_at, ifnull(CAST(first_response_at AS TEXT),'-'),
	ifnull(responded_by,'-'), ifnull(CAST(resolved_at AS TEXT),'-'), partner_id FROM tickets WHERE id = 1"; }
nevents() { sqlite3 "$DB" 'SELECT count(*) FROM events'; }
# undone NAME CMD...: CMD changes ticket 1, undo brings the row back
undone() {
	name=$1; shift
	row >"$TMP/before"
	n0=$(nevents)
	"$@" >/dev/null 2>"$TMP/err0" || { not_ok "$name" "change failed: $(cat "$TMP/err0")"; return; }
	row >"$TMP/changed"
	n1=$(nevents)
	last=$(sqlite3 "$DB" 'SELECT max(id) FROM events')
	first=$((n0 + 1))
	run $S ticket undo 1
	row >"$TMP/after"
	n2=$(nevents)
	reverts=$(sqlite3 "$DB" "SELECT kind || ' ' || new FROM events WHERE id = $((last + 1))")
	kinds=$(sqlite3 "$DB" "SELECT DISTINCT kind FROM events WHERE id > $last")
	if [ "$rc" -eq 0 ] && cmp -s "$TMP/before" "$TMP/after" && ! cmp -s "$TMP/before" "$TMP/changed" &&
	    [ "$n2" -eq $((n1 + 1 + n1 - n0)) ] && [ "$kinds" = ticket.undo ] &&
	    echo "$reverts" | grep -q "^ticket.undo event $first: "
	then ok "$name"
	else not_ok "$name" "exit $rc" "before $(cat "$TMP/before")" "after  $(cat "$TMP/after")" \
		"events $n0 $n1 $n2, reverts: $reverts, kinds: $kinds" "err: $(cat "$TMP/err")"; fi
}

$S partner add acme --name "Acme GmbH" --tz Europe/Berlin --target medium=8h >/dev/null
$S partner add globex --name "Globex Inc" --tz America/New_York >/dev/null
$S ticket add --partner acme --severity critical --summary "Printer on fire" \
	--key ACME-1 --created 2026-01-09T12:00 >/dev/null

expect_err "undo: nothing to undo on a fresh ticket" 3 "nothing to undo" $S ticket undo 1
undone "undo: a respond" $S ticket respond 1 --at 2026-01-09T13:00 --by bob
undone "undo: a resolve" $S ticket resolve 1 --at 2026-01-09T14:00
$S ticket resolve 1 --at 2026-01-09T14:00 >/dev/null
# the reopen also records the resolution as the first response (the
# response outcome stays), and its undo takes that back too
undone "undo: a reopen" $S ticket reopen 1
undone "undo: an assign" $S ticket assign 1 carol
undone "undo: an edit of summary, customer and key" \
	$S ticket edit 1 --summary "Printer smoking" --customer "Müller" --key ACME-9
undone "undo: an edit of severity (deadline restored)" $S ticket edit 1 --severity medium
undone "undo: an edit of partner (deadline restored)" $S ticket edit 1 --partner globex

# the deadline comes back with the severity, and undo says so
$S ticket edit 1 --severity medium >/dev/null
expect_out "undo: output names the event, the fields and the deadline" \
"ticket #1 ACME-1: undid event 38, ticket.edit by alice at 2026-01-12T05:00:00Z
  severity        critical  (was medium)
  target          24h  (was 8h)
  deadline        2026-01-12T11:00:00Z  (was 2026-01-09T19:00:00Z)
deadline  Mon 2026-01-12 12:00:00 CET (Europe/Berlin) = 2026-01-12T11:00:00Z" \
	$S ticket undo ACME-1
got=$(sqlite3 "$DB" 'SELECT deadline_at FROM tickets WHERE id = 1')
if [ "$got" = 1768215600 ]; then ok "undo: deadline stored again"
else not_ok "undo: deadline stored again" "got $got"; fi

# refusals write nothing
expect_nothing() {
	name=$1 want=$2 pat=$3; shift 3
	n0=$(nevents); row >"$TMP/before"
	run "$@"
	n1=$(nevents); row >"$TMP/after"
	if [ "$rc" -eq "$want" ] && grep -Eq -- "$pat" "$TMP/err" && [ "$n0" = "$n1" ] &&
	    cmp -s "$TMP/before" "$TMP/after"
	then ok "$name"
	else not_ok "$name" "want exit $want, /$pat/" "got exit $rc" "err: $(cat "$TMP/err")"; fi
}
expect_nothing "undo: an undo is not undone" 3 "last change is an undo \(event [0-9]+\)" \
	$S ticket undo 1
$S ticket note 1 "called the customer" >/dev/null
expect_nothing "undo: a note cannot be undone" 3 "last change is a note.*cannot be undone" \
	$S ticket undo 1
expect_nothing "undo: unknown ticket" 3 "no ticket" $S ticket undo 99
expect_nothing "undo: no ticket given" 2 "which ticket" $S ticket undo
expect_nothing "undo: an unknown option" 2 "" $S ticket undo 1 --force
if on_pg; then	# the server's missing database: a URL naming one it does not have
	none=none$$
	SLATRACK_DB="postgresql:///$none?host=$SLATRACK_TEST_PG&user=slatrack" $SLATRACK ticket undo 1 \
		>/dev/null 2>"$TMP/err"
	if [ $? -eq 4 ] && grep -q "database \"$none\" does not exist" "$TMP/err" &&
	    ! pg_has_db "$none"
	then ok "undo: a missing database is exit 4"
	else not_ok "undo: a missing database is exit 4" "$(cat "$TMP/err")"; fi
else
	$SLATRACK --db "$TMP/none.db" ticket undo 1 >/dev/null 2>&1
	if [ $? -eq 4 ] && [ ! -e "$TMP/none.db" ]; then ok "undo: a missing database is exit 4"
	else not_ok "undo: a missing database is exit 4"; fi
fi

# the audit chain still holds: undo appends, never deletes
expect_status "undo: audit verify passes" 0 $S audit verify
got=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'ticket.undo' AND field = 'reverts'")
if [ "$got" = 8 ]; then ok "undo: one reverts event per undo"
else not_ok "undo: one reverts event per undo" "got $got"; fi
$S ticket show 1 >"$TMP/show" 2>&1
expect_grep "undo: ticket show lists the undo in the history" "ticket.undo" "$TMP/show"
