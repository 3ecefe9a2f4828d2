#!/bin/sh
# `slatrack ticket wait|resume`: waiting on the customer stops the
# resolution clock, and the response clock when the partner says so
# (--pause-response yes); resuming moves each stopped deadline by the
# working time the wait lasted, no more: a weekend, a DST change or a
# holiday inside the wait moves nothing.  The deadlines below are worked
# out by hand (Berlin, 09:00-17:00 Mon-Fri, response 16h, resolution 24h).
. "$(dirname "$0")/../lib.sh"
DB=$TMP/t.db
export TZ=UTC SLATRACK_USER=alice	# the viewer's zone, the actor
S="$SLATRACK --db $DB"

cat >"$TMP/closed.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//slatrack//test//EN
BEGIN:VEVENT
UID:closed@test
DTSTART;VALUE=DATE:20260608
SUMMARY:Betriebsruhe
END:VEVENT
END:VCALENDAR
ICS

P0=2026-01-01T00:00:00Z
$S --now $P0 partner add acme --name "Acme GmbH" --tz Europe/Berlin --hours 09:00-17:00 \
	--workdays mon-fri --target critical=16h --target-resolve critical=24h \
	--pause-response yes >/dev/null
$S --now $P0 partner add beta --name "Beta AG" --tz Europe/Berlin --hours 09:00-17:00 \
	--workdays mon-fri --target critical=16h --target-resolve critical=24h >/dev/null
$S --now $P0 partner add gamma --name "Gamma KG" --tz Europe/Berlin --hours 09:00-17:00 \
	--workdays mon-fri --target critical=16h --target-resolve critical=24h \
	--pause-response yes --calendar "$TMP/closed.ics" >/dev/null 2>&1

# ---- over a weekend: Fri 15:00 .. Mon 11:00 = 2h + 2h of working time ------
# created Fri 2026-01-09 09:00 CET: response due Mon 17:00, resolution Tue 17:00
$S --now 2026-01-09T08:00:00Z ticket add --partner acme --severity critical \
	--summary "Paused both" --key A-1 >/dev/null
$S --now 2026-01-09T08:00:00Z ticket add --partner beta --severity critical \
	--summary "Paused resolution" --key B-1 >/dev/null
expect_out "wait (pause-response yes): both clocks stand still" \
"ticket #1 A-1 waiting on the customer since Fri 2026-01-09 15:00:00 CET (Europe/Berlin) = 2026-01-09T14:00:00Z
the response clock stands still
the resolution clock stands still" \
	$S --now 2026-01-09T14:00:00Z ticket wait A-1
expect_out "wait (pause-response no): the response clock runs on" \
"ticket #2 B-1 waiting on the customer since Fri 2026-01-09 15:00:00 CET (Europe/Berlin) = 2026-01-09T14:00:00Z
the response clock runs on: this partner's response target is not paused while waiting
the resolution clock stands still" \
	$S --now 2026-01-09T14:00:00Z ticket wait B-1

run $S --now 2026-01-10T10:00:00Z ticket list
expect_grep "list: STATE waiting when the response clock stands still" \
	'^ 1  A-1  acme +critical  waiting +2026-01-12 16:00 UTC +10h 00m ' "$TMP/out"
expect_grep "list: a wait that leaves the response clock running is marked" \
	'^ 2  B-1  beta +critical  on track \(waiting\) +2026-01-12 16:00 UTC +8h 00m ' "$TMP/out"
run sh -c "$S --now 2026-01-10T10:00:00Z ticket list --format csv | tr -d '\r'"
expect_grep "list csv: waiting_since and resolve_state appended" \
	',Paused both,2026-01-09T14:00:00Z,2026-01-13T16:00:00Z,waiting,false,,$' "$TMP/out"
run $S --now 2026-01-10T10:00:00Z ticket list --format json
if python3 -c '
import json, sys
v = {t["key"]: t for t in json.load(open(sys.argv[1]))}
a, b = v["A-1"], v["B-1"]
assert a["state"] == "waiting" and a["waiting_since"] == "2026-01-09T14:00:00Z", a
assert a["resolve_state"] == "waiting" and a["resolve_deadline"] == "2026-01-13T16:00:00Z", a
assert b["state"] == "on-track" and b["resolve_state"] == "waiting", b
assert a["excused"] is False and a["excuse_reason"] is None, a' "$TMP/out" 2>"$TMP/pyerr"
then ok "list json: waiting_since, resolve_deadline, resolve_state, excused"
else not_ok "list json: new fields" "$(cat "$TMP/pyerr")"; fi

run $S --now 2026-01-10T10:00:00Z ticket show A-1
expect_grep "show: waiting since" '^waiting since +Fri 2026-01-09 15:00:00 CET  2026-01-09T14:00:00Z$' "$TMP/out"
expect_grep "show: which clocks stand still" '^ +the response and resolution clocks stand still$' "$TMP/out"
expect_grep "show: remaining stands still" '^remaining +10h 00m of working time \(standing still while waiting\)$' "$TMP/out"
expect_grep "show: the open wait is listed" \
	'^  wait    2026-01-09 15:00 CET .. open  +response 2h 00m  resolution 2h 00m so far$' "$TMP/out"

expect_out "resume (pause-response yes): both deadlines move by 4h of working time" \
"ticket #1 A-1 resumed; waited 4h 00m of working time
deadline          Tue 2026-01-13 13:00:00 CET (Europe/Berlin) = 2026-01-13T12:00:00Z
resolve deadline  Wed 2026-01-14 13:00:00 CET (Europe/Berlin) = 2026-01-14T12:00:00Z" \
	$S --now 2026-01-12T10:00:00Z ticket resume A-1
expect_out "resume (pause-response no): only the resolution deadline moves" \
"ticket #2 B-1 resumed; waited 4h 00m of working time
resolve deadline  Wed 2026-01-14 13:00:00 CET (Europe/Berlin) = 2026-01-14T12:00:00Z" \
	$S --now 2026-01-12T10:00:00Z ticket resume B-1
sqlite3 "$DB" 'SELECT id, deadline_at, resolve_deadline_at, CASE WHEN waiting_since IS NULL THEN 1 ELSE 0 END FROM tickets ORDER BY id' >"$TMP/rows"
# 2026-01-13T12:00Z 1768305600, 2026-01-14T12:00Z 1768392000, 2026-01-12T16:00Z 1768233600
printf '1|1768305600|1768392000|1\n2|1768233600|1768392000|1\n' >"$TMP/want"
if cmp -s "$TMP/rows" "$TMP/want"; then ok "resume: the moved deadlines are stored"
else not_ok "resume: stored deadlines" "$(cat "$TMP/rows")"; fi

run $S --now 2026-01-12T11:00:00Z ticket show A-1
expect_grep "show: the closed wait and the working time it covered on each clock" \
	'^  wait    2026-01-09 15:00 CET .. 2026-01-12 11:00 CET  response 4h 00m  resolution 4h 00m$' "$TMP/out"
expect_grep "show: the explanation names the pause and what it added" \
	'^  paused  wait    2026-01-09 15:00 CET .. 2026-01-12 11:00 CET  \+4h 00m of working time$' "$TMP/out"
expect_grep "show: the explanation ends at the stored deadline" \
	'^  deadline after the pauses: Tue 2026-01-13 13:00:00 CET$' "$TMP/out"
expect_grep "show: the resolution deadline in three forms" \
	'^  deadline +Wed 2026-01-14 13:00:00 CET  partner \(Europe/Berlin\)$' "$TMP/out"
if grep -q 'not the stored deadline' "$TMP/out"; then
	not_ok "show: the pauses do not read as a stale deadline" "$(grep 'note:' "$TMP/out")"
else ok "show: the pauses do not read as a stale deadline"; fi
run $S --now 2026-01-12T11:00:00Z ticket show B-1
expect_grep "show: a wait that left the response clock running" \
	'^  wait    2026-01-09 15:00 CET .. 2026-01-12 11:00 CET  response runs  resolution 4h 00m$' "$TMP/out"
expect_grep "show: the response deadline did not move" \
	'^deadline +Mon 2026-01-12 17:00:00 CET  partner \(Europe/Berlin\)$' "$TMP/out"

run $S audit log A-1
expect_grep "audit: the wait" 'ticket.wait  #1  waiting: none -> 2026-01-09T14:00:00Z$' "$TMP/out"
expect_grep "audit: the wait stops the response clock" 'ticket.wait  #1  waiting_response: no -> yes$' "$TMP/out"
expect_grep "audit: the resume moves the deadline" \
	'ticket.resume  #1  deadline: 2026-01-12T16:00:00Z -> 2026-01-13T12:00:00Z$' "$TMP/out"
expect_grep "audit: the resume moves the resolution deadline" \
	'ticket.resume  #1  resolve_deadline: 2026-01-13T16:00:00Z -> 2026-01-14T12:00:00Z$' "$TMP/out"

# ---- over the change to summer time: still 2h + 2h ------------------------
# created Fri 2026-03-27 09:00 CET; Sunday 29 March loses an hour of the
# night, none of the working day: the wall-clock wait is 67h, not 68h
$S --now 2026-03-27T08:00:00Z ticket add --partner acme --severity critical \
	--summary "Over DST" --key A-2 >/dev/null
$S --now 2026-03-27T14:00:00Z ticket wait A-2 >/dev/null
expect_out "resume across DST: deadlines move by working time only" \
"ticket #3 A-2 resumed; waited 4h 00m of working time
deadline          Tue 2026-03-31 13:00:00 CEST (Europe/Berlin) = 2026-03-31T11:00:00Z
resolve deadline  Wed 2026-04-01 13:00:00 CEST (Europe/Berlin) = 2026-04-01T11:00:00Z" \
	$S --now 2026-03-30T09:00:00Z ticket resume A-2

# ---- over a holiday: Fri 15:00 .. Tue 11:00 with Monday closed -------------
# created Fri 2026-06-05 09:00 CEST: response due Tue 17:00, resolution Wed
# 17:00 (Monday 8 June is a holiday); the wait adds Fri 2h + Tue 2h
$S --now 2026-06-05T07:00:00Z ticket add --partner gamma --severity critical \
	--summary "Over a holiday" --key G-1 >/dev/null
$S --now 2026-06-05T13:00:00Z ticket wait G-1 >/dev/null
expect_out "resume across a holiday: the holiday adds nothing" \
"ticket #4 G-1 resumed; waited 4h 00m of working time
deadline          Wed 2026-06-10 13:00:00 CEST (Europe/Berlin) = 2026-06-10T11:00:00Z
resolve deadline  Thu 2026-06-11 13:00:00 CEST (Europe/Berlin) = 2026-06-11T11:00:00Z" \
	$S --now 2026-06-09T09:00:00Z ticket resume G-1

# ---- a first response ends a wait that stops the response clock ------------
# created Mon 2026-01-19 09:00 CET, waits 10:00-12:00: 2h, answered at 12:00
$S --now 2026-01-19T08:00:00Z ticket add --partner acme --severity critical \
	--summary "Answered while waiting" --key A-3 >/dev/null
$S --now 2026-01-19T09:00:00Z ticket wait A-3 >/dev/null
expect_out "respond while waiting: the wait ends, the deadlines move, judged against them" \
"ticket #5 A-3: first response Mon 2026-01-19 12:00:00 CET (Europe/Berlin) = 2026-01-19T11:00:00Z by alice
the wait on the customer ends here; it lasted 2h 00m of working time
deadline          Wed 2026-01-21 11:00:00 CET (Europe/Berlin) = 2026-01-21T10:00:00Z
resolve deadline  Thu 2026-01-22 11:00:00 CET (Europe/Berlin) = 2026-01-22T10:00:00Z
SLA met with 15h 00m of working time to spare" \
	$S --now 2026-01-19T11:00:00Z ticket respond A-3
expect_out "respond while waiting: no longer waiting" "" \
	sqlite3 "$DB" "SELECT waiting_since FROM tickets WHERE key = 'A-3'"

# ---- refused, with nothing written ----------------------------------------
events() { sqlite3 "$DB" 'SELECT count(*) FROM events'; }
before=$(events)
expect_err "resume when not waiting" 3 'ticket #1 A-1 is not waiting on the customer' \
	$S --now 2026-01-12T12:00:00Z ticket resume A-1
$S --now 2026-01-12T12:00:00Z ticket wait A-1 >/dev/null
expect_err "wait twice" 3 'ticket #1 A-1 is already waiting on the customer, since 2026-01-12T12:00:00Z' \
	$S --now 2026-01-12T13:00:00Z ticket wait A-1
expect_err "resume before the wait began" 3 'ticket #1 A-1 has waited only since 2026-01-12T12:00:00Z' \
	$S --now 2026-01-12T13:00:00Z ticket resume A-1 --at 2026-01-12T11:00:00Z
$S --now 2026-01-12T13:00:00Z ticket resolve B-1 >/dev/null
expect_err "wait on a resolved ticket" 3 'ticket #2 B-1 is resolved: there is nothing to wait for' \
	$S --now 2026-01-12T14:00:00Z ticket wait B-1
expect_err "wait --at in the future" 3 '--at: 2026-01-13T00:00:00Z is in the future' \
	$S --now 2026-01-12T14:00:00Z ticket wait A-3 --at 2026-01-13T00:00:00Z
expect_err "wait --force is not an option" 2 "unknown or incomplete option '--force'" \
	$S --now 2026-01-12T14:00:00Z ticket wait A-3 --force
# the wait of A-1 (3 events), the resolve of B-1 (1): nothing from the refusals
if [ "$(events)" -eq $((before + 3)) ]; then ok "refusals write nothing"
else not_ok "refusals write nothing" "events $before -> $(events)"; fi

# ---- a wait that begins after the deadlines moves nothing ---------------------
# created Mon 2026-01-19 09:00 CET: response due Tue 17:00, resolution Wed
# 17:00; it waits Thursday 09:00-11:00, after both
$S --now 2026-01-19T08:00:00Z ticket add --partner beta --severity critical \
	--summary "Late wait" --key B-2 >/dev/null
$S --now 2026-01-22T08:00:00Z ticket wait B-2 >/dev/null
expect_out "resume after the deadlines: nothing moves" \
	"ticket #6 B-2 resumed; waited 2h 00m of working time" \
	$S --now 2026-01-22T10:00:00Z ticket resume B-2
run sh -c "$S --now 2026-01-22T10:00:00Z ticket list --format csv | tr -d '\r'"
expect_grep "resume after the deadlines: both clocks still breached" \
	'^6,B-2,beta,critical,breached,.*,Late wait,,2026-01-21T16:00:00Z,breached,false,,$' "$TMP/out"
