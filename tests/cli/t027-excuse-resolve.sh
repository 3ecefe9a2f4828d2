#!/bin/sh
# Resolution targets (`partner --target-resolve`), the resolution clock in
# `ticket show` and `ticket list`, excused breaches (`ticket excuse`,
# `ticket unexcuse`) and a reopened ticket whose resolution clock goes on.
# Deadlines worked out by hand: Berlin, 09:00-17:00 Mon-Fri, response 8h,
# resolution 16h for critical tickets, none for high ones.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/t.db
export TZ=UTC SLATRACK_USER=alice
S="$SLATRACK --db $DB"
C=2026-01-12T08:00:00Z			# Monday 09:00 in Berlin

$S --now 2026-01-01T00:00:00Z partner add acme --name "Acme GmbH" --tz Europe/Berlin \
	--hours 09:00-17:00 --workdays mon-fri --target critical=8h \
	--target-resolve critical=16h >/dev/null

# ---- the partner --------------------------------------------------------------
run $S partner show acme
expect_grep "partner show: resolution targets per severity" \
	'^resolution  critical 16h, high none, medium none, low none$' "$TMP/out"
expect_grep "partner show: pause response" '^waiting     pause response: no ' "$TMP/out"
run sh -c "$S partner list --format csv | tr -d '\r'"
expect_grep "partner list csv: new columns appended" \
	',archived_at,resolve_critical,resolve_high,resolve_medium,resolve_low,pause_response$' "$TMP/out"
expect_grep "partner list csv: the values" ',16h,none,none,none,no$' "$TMP/out"
run $S partner list --format json
if python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))[0]; assert p["resolve_s"]=={"critical":57600,"high":None,"medium":None,"low":None} and p["pause_response"] is False and p["target_s"]["critical"]==28800, p' "$TMP/out" 2>"$TMP/pyerr"
then ok "partner list json: resolve_s and pause_response"
else not_ok "partner list json" "$(cat "$TMP/pyerr")"; fi
expect_err "partner: a bad --target-resolve" 2 "--target-resolve: bad duration 'soon'" \
	$S partner edit acme --target-resolve critical=soon
expect_err "partner: a bad --pause-response" 2 "--pause-response: expected yes or no, not 'maybe'" \
	$S partner edit acme --pause-response maybe
expect_out "partner edit --target-resolve and --pause-response: recorded" \
"partner 'acme': 2 changes recorded
existing deadlines do not move by themselves: run 'slatrack recompute --partner acme' to update open tickets
--pause-response applies to waits that begin from now on; a ticket waiting now keeps its clocks as they are until it resumes" \
	$S partner edit acme --target-resolve high=40h --pause-response yes
run $S audit log
expect_grep "partner edit: audited" 'partner.edit  partner acme  resolve.high: none -> 40h$' "$TMP/out"
$S partner edit acme --target-resolve high=none --pause-response no >/dev/null

# ---- new tickets get a resolution deadline ----------------------------------------
expect_out "add: prints the resolution deadline" \
"ticket    #1 ACME-1
deadline  Mon 2026-01-12 17:00:00 CET (Europe/Berlin) = 2026-01-12T16:00:00Z
resolve   Tue 2026-01-13 17:00:00 CET (Europe/Berlin) = 2026-01-13T16:00:00Z" \
	$S --now $C ticket add --partner acme --severity critical --summary "Ticket 1" --key ACME-1
for k in 2 3 4 5; do
	$S --now $C ticket add --partner acme --severity critical --summary "Ticket $k" \
		--key ACME-$k >/dev/null
done
$S --now $C ticket add --partner acme --severity high --summary "No resolution target" \
	--key ACME-6 >/dev/null
expect_out "add: the resolution deadline is stored (Tue 17:00 CET)" \
	"1768320000 57600" sqlite3 -separator ' ' "$DB" \
	"SELECT resolve_deadline_at, resolve_target_s FROM tickets WHERE key = 'ACME-1'"
run $S --now 2026-01-12T09:00:00Z ticket show ACME-1
expect_grep "show: resolution state" '^resolution +on track$' "$TMP/out"
expect_grep "show: resolution target" '^  target +16h 00m of working time$' "$TMP/out"
expect_grep "show: resolution deadline, partner's zone" '^  deadline +Tue 2026-01-13 17:00:00 CET  partner \(Europe/Berlin\)$' "$TMP/out"
expect_grep "show: resolution deadline, viewer's zone" '^ +Tue 2026-01-13 16:00:00 UTC  yours \(UTC\)$' "$TMP/out"
expect_grep "show: resolution deadline, UTC" '^ +2026-01-13T16:00:00Z$' "$TMP/out"
expect_grep "show: resolution elapsed" '^  elapsed +1h 00m of working time \(6% of the target\)$' "$TMP/out"
expect_grep "show: resolution remaining" '^  remaining +15h 00m of working time$' "$TMP/out"
run $S --now 2026-01-12T09:00:00Z ticket show ACME-6
expect_grep "show: no resolution target" '^resolution +not timed: no resolution target for high tickets$' "$TMP/out"

# ---- met and breached -------------------------------------------------------------------
$S --now 2026-01-12T09:00:00Z ticket respond ACME-1 >/dev/null
$S --now 2026-01-13T11:00:00Z ticket resolve ACME-1 >/dev/null
$S --now 2026-01-12T09:00:00Z ticket respond ACME-2 >/dev/null
$S --now 2026-01-14T10:00:00Z ticket resolve ACME-2 >/dev/null
run $S --now 2026-01-14T12:00:00Z ticket show ACME-1
expect_grep "resolution met, with the time to spare" '^resolution +met$' "$TMP/out"
expect_grep "resolution met: to spare" '^  remaining +5h 00m of working time \(to spare when the clock stopped\)$' "$TMP/out"
run $S --now 2026-01-14T12:00:00Z ticket show ACME-2
expect_grep "resolution breached" '^resolution +BREACHED$' "$TMP/out"
expect_grep "resolution breached: the overrun" \
	'^  overrun +2h 00m of working time, 18h 00m wall-clock past the deadline$' "$TMP/out"
run sh -c "$S --now 2026-01-14T12:00:00Z ticket list --all --format csv | tr -d '\r'"
expect_grep "list csv: resolution met" '^1,ACME-1,.*,2026-01-13T16:00:00Z,met,false,,$' "$TMP/out"
expect_grep "list csv: resolution breached" '^2,ACME-2,.*,2026-01-13T16:00:00Z,breached,false,,$' "$TMP/out"
expect_grep "list csv: no resolution target" '^6,ACME-6,.*,No resolution target,,,not-timed,false,,$' "$TMP/out"

# ---- excuse -------------------------------------------------------------------------------
events() { sqlite3 "$DB" 'SELECT count(*) FROM events'; }
before=$(events)
expect_err "excuse: an on-track ticket is refused" 3 \
	'ticket #3 ACME-3 is on track \(resolution on track\): only a breached or at-risk ticket can be excused' \
	$S --now 2026-01-12T09:00:00Z ticket excuse ACME-3 --reason "Platform outage"
expect_err "excuse: --reason is required" 2 '--reason: say why the breach is excused' \
	$S --now 2026-01-12T09:00:00Z ticket excuse ACME-3
expect_err "excuse: an empty --reason is refused" 2 '--reason: say why the breach is excused' \
	$S --now 2026-01-12T09:00:00Z ticket excuse ACME-3 --reason ''
expect_err "unexcuse: a ticket not excused" 3 'ticket #3 ACME-3 is not excused' \
	$S --now 2026-01-12T09:00:00Z ticket unexcuse ACME-3
if [ "$(events)" -eq "$before" ]; then ok "refused excuses write nothing"
else not_ok "refused excuses write nothing" "events $before -> $(events)"; fi

# ACME-4 has no response: its response clock is breached from Mon 17:00
expect_out "excuse a breached ticket with a reason and an incident" \
"ticket #4 ACME-4: breach excused: Platform outage (incident INC-7)
it counts apart in the report and not against attainment" \
	$S --now 2026-01-13T09:00:00Z ticket excuse ACME-4 --reason "Platform outage" --ref INC-7
# ACME-2: the response was met, the resolution breached
$S --now 2026-01-14T12:00:00Z ticket excuse ACME-2 \
	--reason "$(printf 'Fix \033[2Jwaited on the vendor')" >/dev/null
run $S --now 2026-01-13T10:00:00Z ticket show ACME-4
expect_grep "show: excused at" '^excused +Tue 2026-01-13 10:00:00 CET  2026-01-13T09:00:00Z$' "$TMP/out"
expect_grep "show: excuse reason" '^excuse reason +Platform outage$' "$TMP/out"
expect_grep "show: incident" '^incident +INC-7$' "$TMP/out"
expect_grep "show: the state stays" '^state +BREACHED$' "$TMP/out"
run $S --now 2026-01-14T12:00:00Z ticket show ACME-2
if ! grep -q "$(printf '\033')" "$TMP/out" && grep -q '^excuse reason   Fix ^\[\[2Jwaited on the vendor$' "$TMP/out"
then ok "show: the excuse reason sanitised"
else not_ok "show: excuse sanitised" "$(grep excuse "$TMP/out")"; fi
run $S --now 2026-01-13T10:00:00Z ticket list
expect_grep "list: an excused breach is marked" '^ 4  ACME-4  acme +critical  BREACHED \(excused\) ' "$TMP/out"
run sh -c "$S --now 2026-01-13T10:00:00Z ticket list --format csv | tr -d '\r'"
expect_grep "list csv: excused, reason and ref" '^4,ACME-4,acme,critical,breached,.*,Ticket 4,,2026-01-13T16:00:00Z,on-track,true,Platform outage,INC-7$' "$TMP/out"
run $S --now 2026-01-13T10:00:00Z ticket list --format json
if python3 -c 'import json,sys; t=[t for t in json.load(open(sys.argv[1])) if t["key"]=="ACME-4"][0]; assert t["excused"] is True and t["excuse_reason"]=="Platform outage" and t["excuse_ref"]=="INC-7" and t["state"]=="breached", t' "$TMP/out" 2>"$TMP/pyerr"
then ok "list json: excused, reason and ref"
else not_ok "list json: excused" "$(cat "$TMP/pyerr")"; fi
run $S audit log ACME-4
expect_grep "audit: the excuse" 'ticket.excuse  #4  excuse_reason: none -> Platform outage$' "$TMP/out"
expect_out "unexcuse" "ticket #4 ACME-4: the breach is no longer excused" \
	$S --now 2026-01-13T11:00:00Z ticket unexcuse ACME-4
run $S --now 2026-01-13T11:00:00Z ticket list
expect_grep "list: no longer marked" '^ 4  ACME-4  acme +critical  BREACHED +2026' "$TMP/out"
run $S audit log ACME-4
expect_grep "audit: the unexcuse" 'ticket.unexcuse  #4  excuse_ref: INC-7 -> none$' "$TMP/out"

# ---- reopen: the response outcome stays, the resolution clock goes on ---------------
# ACME-5 resolved Mon 11:00 CET without a response (the resolution answered
# it), reopened Tue 10:00: the 7h of working time it spent resolved move
# its resolution deadline from Tue 17:00 to Wed 16:00 CET
$S --now 2026-01-12T10:00:00Z ticket resolve ACME-5 >/dev/null
expect_out "reopen: the resolution deadline moves by the time spent resolved" \
"ticket #5 ACME-5 reopened
the resolution clock goes on; the time the ticket spent resolved is left out
resolve deadline  Wed 2026-01-14 16:00:00 CET (Europe/Berlin) = 2026-01-14T15:00:00Z" \
	$S --now 2026-01-13T09:00:00Z ticket reopen ACME-5
run $S --now 2026-01-13T09:30:00Z ticket show ACME-5
expect_grep "reopen: the resolution became the first response" \
	'^first response +Mon 2026-01-12 11:00:00 CET  2026-01-12T10:00:00Z$' "$TMP/out"
expect_grep "reopen: the response outcome stays" '^state +met$' "$TMP/out"
expect_grep "reopen: the closed interval is listed" \
	'^  closed  2026-01-12 11:00 CET .. 2026-01-13 10:00 CET  response -  resolution 7h 00m$' "$TMP/out"
expect_grep "reopen: the explanation names it" \
	'^  paused  closed  2026-01-12 11:00 CET .. 2026-01-13 10:00 CET  \+7h 00m of working time$' "$TMP/out"
$S --now 2026-01-14T14:00:00Z ticket resolve ACME-5 >/dev/null
run $S --now 2026-01-14T14:00:00Z ticket show ACME-5
expect_grep "reopen: resolved again before the moved deadline is met" '^resolution +met$' "$TMP/out"
expect_err "reopen: an open ticket" 3 'ticket #3 ACME-3 is not resolved' \
	$S --now 2026-01-14T14:00:00Z ticket reopen ACME-3
