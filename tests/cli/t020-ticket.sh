#!/bin/sh
# `slatrack ticket add|list|show|respond|resolve|reopen|assign|note|edit`:
# deadlines stored at creation, the queue order and its formats, show's
# three zones, explanation and history, every change audited, and bad
# input (issue 3 item 9) with a clear error, the right status and no write.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/t.db
NOW=2026-01-12T06:00:00+01:00		# Monday 06:00 in Berlin, 05:00 in London
export TZ=Europe/London SLATRACK_USER=alice	# the viewer's zone, the actor
S="$SLATRACK --db $DB --now $NOW"

# state: every ticket (CSV) and the number of audit events
state() {
	$SLATRACK --db "$DB" --now $NOW ticket list --all --format csv 2>&1
	$SLATRACK --db "$DB" audit log 2>&1 | wc -l
}
# expect_nothing_written NAME STATUS PATTERN CMD...: fails as told, state unchanged
expect_nothing_written() {
	name=$1 want=$2 pat=$3; shift 3
	state >"$TMP/before"
	run "$@"
	state >"$TMP/after"
	if [ "$rc" -eq "$want" ] && grep -Eq -- "$pat" "$TMP/err" && cmp -s "$TMP/before" "$TMP/after"
	then ok "$name"
	else not_ok "$name" "want exit $want and stderr =~ /$pat/, nothing written" "got exit $rc" \
		"err: $(head -c 300 "$TMP/err")" "$(diff "$TMP/before" "$TMP/after" | head -n 5)"; fi
}

$S partner add acme --name "Acme GmbH" --tz Europe/Berlin --target medium=8h >/dev/null
$S partner add globex --name "Globex Inc" --tz America/New_York >/dev/null
$S partner add gone --name "Gone Ltd" --tz UTC >/dev/null
$S partner archive gone >/dev/null

# ---- add ------------------------------------------------------------------
expect_out "add: a local --created is read in the partner's zone" \
"ticket    #1 ACME-1
deadline  Mon 2026-01-12 12:00:00 CET (Europe/Berlin) = 2026-01-12T11:00:00Z" \
	$S ticket add --partner acme --severity critical --summary "Printer on fire" \
	--key ACME-1 --created 2026-01-09T12:00 --customer "Müller GmbH"
expect_out "add: the partner's target for the severity (medium=8h)" \
"ticket    #2 ACME-2
deadline  Fri 2026-01-09 16:00:00 CET (Europe/Berlin) = 2026-01-09T15:00:00Z" \
	$S ticket add --partner acme --severity medium --summary "Slow reports" --key ACME-2 \
	--created 2026-01-09T08:00 --assignee bob
expect_out "add: an instant with an offset, New York partner" \
"ticket    #3 GLX-7
deadline  Mon 2026-01-12 10:00:00 EST (America/New_York) = 2026-01-12T15:00:00Z" \
	$S ticket add --partner globex --severity high --summary "Login fails" --key GLX-7 \
	--created 2026-01-09T10:00:00-05:00
expect_out "add: untimed severity stores no deadline; created defaults to now" \
"ticket    #4
deadline  none: low tickets of partner 'globex' are tracked, not timed" \
	$S ticket add --partner globex --severity low --summary "Feature idea"
$S ticket add --partner acme --severity high --summary "Answered in time" --key ACME-3 \
	--created 2026-01-09T09:00 >/dev/null
sqlite3 "$DB" 'SELECT id, created_at, target_s, deadline_at FROM tickets ORDER BY id' >"$TMP/rows"
printf '1|1767956400|86400|1768215600\n2|1767942000|28800|1767970800\n3|1767970800|86400|1768230000\n4|1768194000||\n5|1767945600|86400|1768204800\n' >"$TMP/want"
if cmp -s "$TMP/rows" "$TMP/want"; then ok "add: instants and deadlines stored in UTC"
else not_ok "add: stored rows" "$(cat "$TMP/rows")"; fi

# ---- respond ---------------------------------------------------------------
expect_out "respond: in time, by someone else" \
"ticket #5 ACME-3: first response Fri 2026-01-09 10:00:00 CET (Europe/Berlin) = 2026-01-09T09:00:00Z by carol
SLA met with 23h 00m of working time to spare" \
	$S ticket respond ACME-3 --at 2026-01-09T10:00 --by carol

# ---- list ------------------------------------------------------------------
expect_out "list: the queue in triage order, answered ones out, DUE in the viewer's zone" \
"ID  KEY     PARTNER  SEV       STATE      DUE (Europe/London)   REMAINING  ASSIGNEE  SUMMARY
 1  ACME-1  acme     critical  at risk    2026-01-12 11:00 GMT     6h 00m  -         Printer on fire
 2  ACME-2  acme     medium    BREACHED   2026-01-09 15:00 GMT   -14h 00m  bob       Slow reports
 3  GLX-7   globex   high      on track   2026-01-12 15:00 GMT    10h 00m  -         Login fails
 4  -       globex   low       not timed  -                             -  -         Feature idea" \
	$S ticket list
expect_out "list --all: the answered ones last" \
"ID  KEY     PARTNER  SEV       STATE      DUE (Europe/London)   REMAINING  ASSIGNEE  SUMMARY
 1  ACME-1  acme     critical  at risk    2026-01-12 11:00 GMT     6h 00m  -         Printer on fire
 2  ACME-2  acme     medium    BREACHED   2026-01-09 15:00 GMT   -14h 00m  bob       Slow reports
 3  GLX-7   globex   high      on track   2026-01-12 15:00 GMT    10h 00m  -         Login fails
 4  -       globex   low       not timed  -                             -  -         Feature idea
 5  ACME-3  acme     high      met        2026-01-12 08:00 GMT          -  -         Answered in time" \
	$S ticket list --all
expect_out "list --format csv: RFC 4180 with a header" \
"id,key,partner,severity,state,created,deadline,deadline_local,target_s,elapsed_s,remaining_s,consumed,overrun_s,overrun_wall_s,first_response,responded_by,resolved,assignee,customer,summary,waiting_since,resolve_deadline,resolve_state,excused,excuse_reason,excuse_ref
1,ACME-1,acme,critical,at-risk,2026-01-09T11:00:00Z,2026-01-12T11:00:00Z,2026-01-12T12:00:00+01:00,86400,64800,21600,0.750,0,0,,,,,Müller GmbH,Printer on fire,,,not-timed,false,,
2,ACME-2,acme,medium,breached,2026-01-09T07:00:00Z,2026-01-09T15:00:00Z,2026-01-09T16:00:00+01:00,28800,79200,-50400,2.750,50400,223200,,,,bob,,Slow reports,,,not-timed,false,,
3,GLX-7,globex,high,on-track,2026-01-09T15:00:00Z,2026-01-12T15:00:00Z,2026-01-12T10:00:00-05:00,86400,50400,36000,0.583,0,0,,,,,,Login fails,,,not-timed,false,,
4,,globex,low,not-timed,2026-01-12T05:00:00Z,,,,0,,,,,,,,,,Feature idea,,,not-timed,false,,
5,ACME-3,acme,high,met,2026-01-09T08:00:00Z,2026-01-12T08:00:00Z,2026-01-12T09:00:00+01:00,86400,3600,82800,0.042,0,0,2026-01-09T09:00:00Z,carol,,,,Answered in time,,,not-timed,false,," \
	sh -c "$S ticket list --all --format csv | tr -d '\r'"
run $S ticket list --all --format csv
if [ "$(grep -c "$(printf '\r')\$" "$TMP/out")" -eq 6 ]; then ok "list csv: CRLF line ends"
else not_ok "list csv: CRLF line ends"; fi

ids() { "$@" --format csv | tr -d '\r' | sed 1d | cut -d, -f1 | tr '\n' ' '; }
expect_out "list --open --breached" "2 " ids $S ticket list --open --breached
expect_out "list --at-risk" "1 " ids $S ticket list --at-risk
expect_out "list --breached --at-risk: either" "1 2 " ids $S ticket list --breached --at-risk
expect_out "list --partner" "3 4 " ids $S ticket list --partner globex
expect_out "list --assignee" "2 " ids $S ticket list --assignee bob
expect_out "list --severity: the queue" "3 " ids $S ticket list --severity high
expect_out "list --severity --all" "3 5 " ids $S ticket list --severity high --all
expect_out "list --answered" "5 " ids $S ticket list --answered
expect_out "list: later, every unanswered one is breached, most working time over first" \
	"2 1 3 4 " ids $SLATRACK --db "$DB" --now 2026-01-20T00:00:00Z ticket list

run $S ticket list --all --format json
if python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert len(v)==5 and v[0]["customer"]=="Müller GmbH" and v[1]["remaining_s"]==-50400 and v[3]["deadline"] is None' "$TMP/out" 2>"$TMP/pyerr"
then ok "list --format json: valid JSON, numbers and nulls"
else not_ok "list json" "$(cat "$TMP/pyerr")" "$(head -c 400 "$TMP/out")"; fi

# customer text with escapes and wide characters
$S ticket add --partner acme --severity low --key EVIL-1 --customer "$(printf 'Ev\033]0;x\007il')" \
	--summary "$(printf 'Clear \033[2J screen, \302\233 csi, 日本語のとても長いテキストです, "quoted", tab\there, and a long tail of words')" >/dev/null
run $S ticket list
if ! grep -q "$(printf '\033')" "$TMP/out" && ! grep -q "$(printf '\302\233')" "$TMP/out" &&
	grep -q 'Clear ^\[\[2J screen, <U+009B> csi' "$TMP/out"
then ok "list: escape sequences shown, never sent"; else not_ok "list: sanitised" "$(grep EVIL "$TMP/out")"; fi
COLUMNS=100 $S ticket list --partner acme >"$TMP/out"
if python3 - "$TMP/out" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
evil = [l for l in lines if "EVIL-1" in l][0]
assert all(width(l) <= 100 for l in lines), [width(l) for l in lines]
assert evil.endswith("\u2026"), evil
assert width(evil) in (99, 100), width(evil)
PY
then ok "list: summary cut to the width by display columns, with an ellipsis"
else not_ok "list: truncation" "$(cat "$TMP/out")"; fi
run $S ticket list --format json
if python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); e=[t for t in v if t["key"]=="EVIL-1"][0]; assert e["summary"].startswith("Clear \x1b[2J screen, \x9b csi") and e["customer"]=="Ev\x1b]0;x\x07il"' "$TMP/out" &&
	! grep -q "$(printf '\033')" "$TMP/out"
then ok "list json: control characters escaped, text round-trips"
else not_ok "list json escapes" "$(grep EVIL "$TMP/out")"; fi
run sh -c "$S ticket list --format csv --partner acme | tr -d '\r' | grep EVIL"
if grep -q '"Clear .*""quoted"".*words"' "$TMP/out"; then ok "list csv: quotes doubled, field quoted"
else not_ok "list csv quoting" "$(cat "$TMP/out")"; fi

# ---- show ------------------------------------------------------------------
$S ticket note ACME-1 "called the customer, they are rebooting" >/dev/null
run $S ticket show ACME-1
expect_grep "show: key and partner with its zone" '^partner +acme \(Acme GmbH, Europe/Berlin\)$' "$TMP/out"
expect_grep "show: state" '^state +at risk$' "$TMP/out"
expect_grep "show: deadline in the partner's zone" '^deadline +Mon 2026-01-12 12:00:00 CET  partner \(Europe/Berlin\)$' "$TMP/out"
expect_grep "show: deadline in the viewer's zone" '^ +Mon 2026-01-12 11:00:00 GMT  yours \(Europe/London\)$' "$TMP/out"
expect_grep "show: deadline in UTC" '^ +2026-01-12T11:00:00Z$' "$TMP/out"
expect_grep "show: elapsed and consumed" '^elapsed +18h 00m of working time \(75% of the target\)$' "$TMP/out"
expect_grep "show: remaining" '^remaining +6h 00m of working time$' "$TMP/out"
expect_grep "show: customer" '^customer +Müller GmbH$' "$TMP/out"
expect_grep "show: explanation counts Friday" '^  Fri 2026-01-09  12:00-24:00  counted  12h 00m' "$TMP/out"
expect_grep "show: explanation skips the weekend" '^  Sat 2026-01-10 .*skipped  weekend' "$TMP/out"
expect_grep "show: explanation reaches 24h on Monday" '^  Mon 2026-01-12  00:00-12:00  counted  12h 00m +total 24h 00m' "$TMP/out"
expect_grep "show: history has the creation" '^  2026-01-12 05:00 GMT  alice  ticket.create  partner=acme severity=critical created=2026-01-09T11:00:00Z target=24h deadline=2026-01-12T11:00:00Z' "$TMP/out"
expect_grep "show: history has the note" 'alice  ticket.note  called the customer, they are rebooting$' "$TMP/out"
run $S ticket show 3
expect_grep "show by number: New York zone" '^deadline +Mon 2026-01-12 10:00:00 EST  partner \(America/New_York\)$' "$TMP/out"
run $S ticket show EVIL-1
if ! grep -q "$(printf '\033')" "$TMP/out" && grep -Eq '^customer +Ev\^\[\]0;x\^Gil$' "$TMP/out"
then ok "show: customer text sanitised"; else not_ok "show sanitised" "$(grep customer "$TMP/out")"; fi
run $S ticket show 2
expect_grep "show: breached overrun in working and wall-clock time" \
	'^overrun +14h 00m of working time, 2d 14h 00m wall-clock past the deadline$' "$TMP/out"

# ---- respond, resolve, reopen ---------------------------------------------------
expect_nothing_written "respond: second response refused" 3 'already had its first response at 2026-01-09T09:00:00Z; --force replaces it' \
	$S ticket respond ACME-3
expect_out "respond --force replaces it" \
"ticket #5 ACME-3: first response Fri 2026-01-09 11:00:00 CET (Europe/Berlin) = 2026-01-09T10:00:00Z by alice
SLA met with 22h 00m of working time to spare" \
	$S ticket respond ACME-3 --force --at 2026-01-09T11:00
expect_out "respond late: breached, overrun in both times" \
"ticket #2 ACME-2: first response Mon 2026-01-12 05:00:00 CET (Europe/Berlin) = 2026-01-12T04:00:00Z by alice
SLA BREACHED: 13h 00m of working time (2d 13h 00m wall-clock) after the deadline" \
	$S ticket respond ACME-2 --at 2026-01-12T05:00
expect_out "resolve" "ticket #3 GLX-7 resolved Mon 2026-01-12 00:00:00 EST (America/New_York) = 2026-01-12T05:00:00Z
no first response was recorded: the resolution stops the SLA clock" $S ticket resolve GLX-7
expect_out "list --open: every unresolved one, answered last" "1 4 6 2 5 " ids $S ticket list --open
expect_nothing_written "resolve twice" 3 'ticket #3 GLX-7 is already resolved' $S ticket resolve 3
expect_out "reopen" "ticket #3 GLX-7 reopened" $S ticket reopen '#3'
expect_nothing_written "reopen an open ticket" 3 'ticket #3 GLX-7 is not resolved' $S ticket reopen 3

# ---- assign, note, edit ------------------------------------------------------
expect_out "assign USER" "ticket #1 ACME-1 assigned to dave" $S ticket assign ACME-1 dave
expect_out "assign --me" "ticket #1 ACME-1 assigned to alice" $S ticket assign ACME-1 --me
expect_out "assign: the same again writes nothing" "ticket #1 ACME-1 is already assigned to alice" \
	$S ticket assign ACME-1 --me
expect_out "assign --none" "ticket #1 ACME-1 unassigned" $S ticket assign ACME-1 --none
expect_out "note" "ticket #4: note added" $S ticket note 4 please follow up
expect_out "edit severity: deadline recomputed from the creation instant" \
"ticket #1 ACME-1 edited
deadline  Fri 2026-01-09 20:00:00 CET (Europe/Berlin) = 2026-01-09T19:00:00Z" \
	$S ticket edit ACME-1 --severity medium
run $SLATRACK --db "$DB" audit log ACME-1
expect_grep "edit: old and new deadline in the audit trail" \
	'ticket.edit  #1  deadline: 2026-01-12T11:00:00Z -> 2026-01-09T19:00:00Z$' "$TMP/out"
expect_grep "edit: old and new target" 'ticket.edit  #1  target: 24h -> 8h$' "$TMP/out"
expect_grep "assign: audited" 'ticket.assign  #1  assignee: dave -> alice$' "$TMP/out"
expect_out "edit partner: the deadline in the new partner's zone" \
"ticket #1 ACME-1 edited
deadline  Mon 2026-01-12 06:00:00 EST (America/New_York) = 2026-01-12T11:00:00Z" \
	$S ticket edit ACME-1 --partner globex --severity critical
run $SLATRACK --db "$DB" audit log 1
expect_grep "edit partner: audited" 'ticket.edit  #1  partner: acme -> globex$' "$TMP/out"
expect_out "edit summary, customer and key" "ticket #1 ACME-1b edited" \
	$S ticket edit 1 --summary "Printer fixed?" --customer "" --key ACME-1b
run $S ticket show ACME-1b
expect_grep "edit: an empty --customer removes it" '^customer +-$' "$TMP/out"
expect_nothing_written "edit: nothing to change" 2 'nothing to change' $S ticket edit 1
expect_nothing_written "edit: archived partner refused" 3 "partner 'gone' is archived" \
	$S ticket edit 1 --partner gone
expect_nothing_written "edit: duplicate key" 3 "key: duplicate key 'ACME-2'" \
	$S ticket edit 1 --key ACME-2

# ---- bad input (item 9): clear error naming the field, status, no write --------
expect_nothing_written "unknown partner" 3 "--partner: unknown partner 'nope'" \
	$S ticket add --partner nope --severity high --summary x
expect_nothing_written "archived partner refuses new tickets" 3 "partner 'gone' is archived" \
	$S ticket add --partner gone --severity high --summary x
expect_nothing_written "duplicate key" 3 "key: duplicate key 'ACME-2' \\(ticket #2 has it\\)" \
	$S ticket add --partner acme --severity high --summary x --key ACME-2
expect_nothing_written "bad severity" 2 "--severity: unknown severity 'urgent' \\(critical, high, medium or low\\)" \
	$S ticket add --partner acme --severity urgent --summary x
expect_nothing_written "empty summary" 3 "summary: must not be empty" \
	$S ticket add --partner acme --severity high --summary ""
expect_nothing_written "missing summary" 2 "--summary TEXT is required" \
	$S ticket add --partner acme --severity high
expect_nothing_written "invalid UTF-8 in the summary" 3 "summary: invalid UTF-8 at byte 6" \
	$S ticket add --partner acme --severity high --summary "$(printf 'caf\303\251\377')"
expect_nothing_written "invalid UTF-8 in the customer" 3 "customer: invalid UTF-8 at byte 2" \
	$S ticket add --partner acme --severity high --summary x --customer "$(printf 'M\374ller')"
expect_nothing_written "invalid UTF-8 in the key" 3 "key: invalid UTF-8 at byte 1" \
	$S ticket add --partner acme --severity high --summary x --key "$(printf '\300\257')"
expect_nothing_written "control character in the key" 3 "key: control character at byte 2" \
	$S ticket add --partner acme --severity high --summary x --key "$(printf 'A\033B')"
expect_nothing_written "invalid UTF-8 in the assignee" 3 "assignee: invalid UTF-8" \
	$S ticket add --partner acme --severity high --summary x --assignee "$(printf 'b\377b')"
expect_nothing_written "invalid UTF-8 in a note" 3 "note: invalid UTF-8 at byte 3" \
	$S ticket note 2 "$(printf 'ok\376')"
expect_nothing_written "invalid UTF-8 in an edit" 3 "summary: invalid UTF-8" \
	$S ticket edit 2 --summary "$(printf '\342\202')"
expect_nothing_written "empty note" 3 "note: must not be empty" $S ticket note 2 ""
expect_nothing_written "response before creation" 3 \
	"--at: the response \\(2026-01-09T10:59:00Z\\) is before the ticket was created \\(2026-01-09T11:00:00Z\\)" \
	$S ticket respond 1 --at 2026-01-09T05:59:00-05:00
expect_nothing_written "response in the future" 3 "--at: 2026-01-13T09:00:00Z is in the future" \
	$S ticket respond 1 --at 2026-01-13T09:00:00Z
expect_nothing_written "created in the future" 3 "--created: 2026-02-01T00:00:00Z is in the future" \
	$S ticket add --partner acme --severity high --summary x --created 2026-02-01T00:00:00Z
expect_nothing_written "bad instant" 2 "--created: bad instant 'yesterday'" \
	$S ticket add --partner acme --severity high --summary x --created yesterday
expect_nothing_written "unknown ticket" 3 "no ticket with id or key 'NOPE-1'" $S ticket respond NOPE-1
expect_nothing_written "unknown ticket number" 3 "no ticket #99" $S ticket show '#99'
expect_nothing_written "bad format" 2 "--format: unknown format 'xml'" $S ticket list --format xml
expect_nothing_written "unknown subcommand" 2 "unknown ticket command 'frobnicate'" $S ticket frobnicate
expect_nothing_written "unknown option" 2 "unknown or incomplete option '--colour'" $S ticket list --colour
expect_nothing_written "assign without a user" 2 "give the ticket and USER" $S ticket assign 1

expect_status "ticket --help" 0 $S ticket --help
expect_grep "help lists every subcommand" 'respond TICKET \[--at INSTANT\] \[--by USER\] \[--force\]' "$TMP/out"
run $SLATRACK --db "$DB" audit verify
expect_grep "the audit chain holds after all of it" '^audit trail intact: [0-9]+ events, head [0-9a-f]{64}$' "$TMP/out"
