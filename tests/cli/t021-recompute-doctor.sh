#!/bin/sh
# `slatrack recompute` and `slatrack doctor` (issue 3 item 4): deadlines
# that stay true after a partner's settings change, audited moves, and a
# doctor that finds drift, short calendars, broken foreign keys and a
# tampered audit trail.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/t.db
NOW=2026-01-12T06:00:00+01:00		# Monday 06:00 in Berlin
export TZ=Europe/London SLATRACK_USER=alice
S="$SLATRACK --db $DB --now $NOW"

cat >"$TMP/short.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//slatrack//test//EN
BEGIN:VEVENT
UID:xmas@test
DTSTART;VALUE=DATE:20261225
SUMMARY:Weihnachten
END:VEVENT
END:VCALENDAR
ICS
cat >"$TMP/long.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//slatrack//test//EN
BEGIN:VEVENT
UID:ny@test
DTSTART;VALUE=DATE:20260101
RRULE:FREQ=YEARLY
SUMMARY:Neujahr
END:VEVENT
END:VCALENDAR
ICS

events() { sqlite3 "$DB" 'SELECT count(*) FROM events'; }
deadlines() { sqlite3 "$DB" 'SELECT id, deadline_at FROM tickets ORDER BY id' | tr '\n' ' '; }

$S partner add acme --name "Acme GmbH" --tz Europe/Berlin >/dev/null
$S partner add globex --name "Globex" --tz America/New_York --calendar "$TMP/long.ics" >/dev/null
$S ticket add --partner acme --severity critical --summary a --key A-1 --created 2026-01-09T12:00 >/dev/null
$S ticket add --partner acme --severity high --summary b --key A-2 --created 2026-01-12T00:00 >/dev/null
$S ticket add --partner acme --severity critical --summary c --key A-3 --created 2026-01-09T09:00 >/dev/null
$S ticket respond A-3 --at 2026-01-09T10:00 >/dev/null
$S ticket add --partner globex --severity critical --summary d --key G-1 --created 2026-01-09T09:00 >/dev/null

run $S doctor
if [ "$rc" -eq 0 ] && grep -q '^doctor: all checks passed$' "$TMP/out"; then ok "doctor: a fresh database is clean (exit 0)"
else not_ok "doctor clean" "exit $rc" "$(cat "$TMP/out" "$TMP/err")"; fi
if on_pg; then	# the server checks its pages itself; doctor checks the guards and keys
	expect_grep "doctor: integrity line" "^integrity +ok: the audit trail's guards and foreign keys " "$TMP/out"
else
	expect_grep "doctor: integrity line" '^integrity +ok: integrity and foreign keys$' "$TMP/out"
fi
expect_grep "doctor: audit line with the head hash" '^audit +ok: [0-9]+ events, head [0-9a-f]{64}$' "$TMP/out"
expect_grep "doctor: an open-ended calendar is fine" '^calendars +ok: 2 active partners, 1 calendar, none ending' "$TMP/out"
expect_out "recompute: nothing to move" "no deadline moves: every open ticket matches its partner's settings" \
	$S recompute

$S partner edit acme --target critical=8h --target high=4h >/dev/null
before=$(deadlines) nev=$(events)
run $S doctor
if [ "$rc" -eq 3 ]; then ok "doctor: drift is a problem (exit 3)"; else not_ok "doctor drift status" "exit $rc"; fi
expect_grep "doctor: drift counted" "^deadlines +PROBLEM: 2 open tickets would move" "$TMP/out"
expect_grep "doctor: drift listed" '^    #1 A-1  2026-01-12 12:00 CET -> 2026-01-09 20:00 CET$' "$TMP/out"
expect_grep "doctor: summary line" '^doctor: 1 problem found$' "$TMP/out"

expect_out "recompute --dry-run: old -> new, and which would flip to breached" \
"#1 A-1  acme  critical  2026-01-12 12:00 CET -> 2026-01-09 20:00 CET  would become BREACHED
#2 A-2  acme  high  2026-01-13 00:00 CET -> 2026-01-12 04:00 CET  would become BREACHED
2 tickets would move, 2 would become breached; dry run, nothing changed" \
	$S recompute --dry-run
if [ "$(deadlines)" = "$before" ] && [ "$(events)" = "$nev" ]; then ok "recompute --dry-run writes nothing"
else not_ok "dry run wrote" "$(deadlines)"; fi
expect_out "recompute --partner globex: nothing of acme's moves" \
	"no deadline moves: every open ticket matches its partner's settings" $S recompute --partner globex --dry-run
expect_err "recompute --partner unknown" 3 "--partner: unknown partner 'nope'" $S recompute --partner nope
expect_err "recompute: a bad option" 2 "unknown or incomplete option '--force'" $S recompute --force

expect_out "recompute applies, in one go" \
"#1 A-1  acme  critical  2026-01-12 12:00 CET -> 2026-01-09 20:00 CET  now BREACHED
#2 A-2  acme  high  2026-01-13 00:00 CET -> 2026-01-12 04:00 CET  now BREACHED
2 tickets moved, 2 became breached" \
	$S recompute --partner acme
expect_out "the stored deadlines moved; the responded ticket kept its own" \
	"1|1767985200 2|1768186800 3|1768204800 4|1768226400 " deadlines
run $SLATRACK --db "$DB" audit log A-1
expect_grep "recompute: one event, old -> new target and deadline" \
	'alice  ticket.recompute  #1  deadlines: target=24h deadline=2026-01-12T11:00:00Z -> target=8h deadline=2026-01-09T19:00:00Z$' "$TMP/out"
expect_out "recompute: one event per moved ticket" "1 2 " \
	sh -c "sqlite3 '$DB' \"SELECT ticket_id FROM events WHERE kind = 'ticket.recompute' ORDER BY id\" | tr '\n' ' '"
run $S ticket show A-2
expect_grep "ticket show: the recompute in the history" \
	'ticket.recompute  deadlines: target=24h deadline=2026-01-12T23:00:00Z -> target=4h deadline=2026-01-12T03:00:00Z$' "$TMP/out"
expect_err "undo: a recompute is not undone" 3 "the last change is a ticket.recompute" \
	$S ticket undo A-2
expect_out "list: the moved tickets are breached" "1 2 " \
	sh -c "$S ticket list --breached --format csv | tr -d '\r' | sed 1d | cut -d, -f1 | sort | tr '\n' ' '"
run $S doctor
if [ "$rc" -eq 0 ]; then ok "doctor: clean again after recompute"; else not_ok "doctor after recompute" "$(cat "$TMP/out")"; fi

expect_out "recompute --all: responded tickets too" \
"#3 A-3  acme  critical  2026-01-12 09:00 CET -> 2026-01-09 17:00 CET
1 ticket would move; dry run, nothing changed" \
	$S recompute --all --dry-run
$S partner edit acme --target critical=1h >/dev/null
expect_out "recompute --all: a met SLA can become a breach" \
"#1 A-1  acme  critical  2026-01-09 20:00 CET -> 2026-01-09 13:00 CET
#3 A-3  acme  critical  2026-01-12 09:00 CET -> 2026-01-09 10:00 CET
2 tickets would move; dry run, nothing changed" \
	$S recompute --all --dry-run
$S partner edit acme --target critical=30m >/dev/null
run $S recompute --all --dry-run
expect_grep "recompute --all: flips met to breached" '^#3 A-3 .* -> 2026-01-09 09:30 CET  would become BREACHED$' "$TMP/out"
$S partner edit acme --target critical=8h >/dev/null
$S recompute --all >/dev/null

# a holiday calendar that ends within twelve months
$S partner edit acme --calendar "$TMP/short.ics" >/dev/null 2>&1
run $S doctor
if [ "$rc" -eq 3 ]; then ok "doctor: a short calendar is a problem"; else not_ok "doctor short calendar" "exit $rc"; fi
expect_grep "doctor: names the calendar and its end" \
	"^calendars +PROBLEM: partner acme: calendar '.*short.ics' ends on 2026-12-25, within twelve months" "$TMP/out"
run $SLATRACK --db "$DB" --now 2025-12-20T00:00:00Z doctor
if grep -q 'short.ics' "$TMP/out"; then not_ok "doctor: twelve months counted from now" "$(cat "$TMP/out")"
else ok "doctor: twelve months counted from --now (2025-12-20: 2026-12-25 is far enough)"; fi
$S partner edit acme --calendar "$TMP/long.ics" >/dev/null 2>&1

# a broken foreign key and a tampered audit trail
if on_pg; then	# the server enforces the key; an administrator drops the trail's guard
	if sqlite3 "$DB" "INSERT INTO tickets (id, partner_id, severity, summary, created_at, updated_at) VALUES (99, 99, 'low', 'orphan', 1767956400, 1767956400)" 2>"$TMP/fk.err"
	then not_ok "the server refuses a ticket of a missing partner"
	else expect_grep "the server refuses a ticket of a missing partner" 'foreign key' "$TMP/fk.err"; fi
	sqlite3 "$DB" "DROP TRIGGER events_no_update ON events; UPDATE events SET new = 'forged' WHERE id = 3"
else
	sqlite3 "$DB" "INSERT INTO tickets (partner_id, severity, summary, created_at, updated_at) VALUES (99, 'low', 'orphan', 1767956400, 1767956400)"
	sqlite3 "$DB" "DROP TRIGGER events_no_update; UPDATE events SET new = 'forged' WHERE id = 3"
fi
run $S doctor
if [ "$rc" -eq 3 ]; then ok "doctor: exit 3 on damage"; else not_ok "doctor damage status" "exit $rc"; fi
if on_pg; then
	expect_grep "doctor: the dropped guard" '^integrity +PROBLEM: guard: trigger events_no_update is missing$' "$TMP/out"
else
	expect_grep "doctor: the foreign key" '^integrity +PROBLEM: foreign key: tickets row [0-9]+ refers to a missing partners row$' "$TMP/out"
fi
expect_grep "doctor: the edited event" '^audit +PROBLEM: event 3: its contents do not match its hash: the row was edited$' "$TMP/out"
expect_grep "doctor: counts every problem" '^doctor: 2 problems found$' "$TMP/out"

# a stored calendar that no longer compiles
if on_pg; then	# chr() and bytea for char() and BLOB
	sqlite3 "$DB" "UPDATE calendars SET body = convert_to('BEGIN:VCALENDAR' || chr(10) || 'BEGIN:VEVENT' || chr(10) || 'DTSTART;VALUE=DATE:2026XXXX' || chr(10) || 'END:VEVENT' || chr(10) || 'END:VCALENDAR' || chr(10), 'UTF8') WHERE partner_id = (SELECT id FROM partners WHERE key = 'globex')"
else
	sqlite3 "$DB" "DELETE FROM tickets WHERE partner_id = 99; UPDATE calendars SET body = CAST('BEGIN:VCALENDAR' || char(10) || 'BEGIN:VEVENT' || char(10) || 'DTSTART;VALUE=DATE:2026XXXX' || char(10) || 'END:VEVENT' || char(10) || 'END:VCALENDAR' || char(10) AS BLOB) WHERE partner_id = (SELECT id FROM partners WHERE key = 'globex')"
fi
run $S doctor
expect_grep "doctor: a partner whose calendar no longer compiles" "^partners +PROBLEM: partner 'globex'" "$TMP/out"
nev=$(events)
expect_err "recompute: a broken partner stops it, exit 3" 3 "partner 'globex'" $S recompute
if [ "$(events)" = "$nev" ]; then ok "recompute: nothing written when it fails"; else not_ok "recompute wrote"; fi

expect_status "doctor --help" 0 $S doctor --help
expect_status "recompute --help" 0 $S recompute --help
expect_grep "recompute help names --all" '--all' "$TMP/out"
