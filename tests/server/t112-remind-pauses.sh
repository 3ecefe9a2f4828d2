#!/bin/sh
# t112-remind-pauses.sh: `slatrack remind` and waits on the customer,
# against a real SMTP server on loopback.  A ticket whose wait stops its
# response clock (the partner's pause_response) gets nothing while it
# waits, not even past its original deadline; after `ticket resume` its
# reminders follow the moved deadline, each exactly once.  A wait that
# does not stop the response clock changes nothing.  A ticket with a
# resolution target gets the resolution clock's reminders after its first
# response, each once, saying "resolution".
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

start_smtp mx good
cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
[remind]
team = support@example.com
thresholds = 20,50,90
per_ticket = yes
[staff "bob"]
email = bob@example.com
[staff "carol"]
email = carol@example.com
[staff "dave"]
email = dave@example.com
EOF
# acme: Europe/Berlin, Mon-Fri whole days, 24 h; ACME-1 (bob) and ACME-2
# (team) created Mon 2026-03-02 09:00Z: 20 % at 13:48Z, 50 % at 21:00Z,
# 90 % Tue 06:36Z, deadline Tue 09:00Z
world
SL partner edit acme --pause-response yes >/dev/null 2>&1 ||
	sql "UPDATE partners SET pause_response = 1 WHERE key = 'acme'"
# globex keeps the default: a wait does not stop the response clock
SL --now 2026-03-02T08:00:00Z partner add globex --name "Globex" \
	--tz Europe/Berlin >/dev/null || echo "not ok - partner add globex"
SL --now 2026-03-02T09:00:00Z ticket add --partner globex --severity critical \
	--summary "Mail bounces" --key GLX-1 --assignee carol >/dev/null ||
	echo "not ok - ticket add GLX-1"

# initech: a 48 h resolution target; INI-1 answered at once, so only its
# resolution clock runs: deadline Wed 2026-03-04 09:00Z
SL --now 2026-03-02T08:00:00Z partner add initech --name "Initech" \
	--tz Europe/Berlin --target-resolve critical=48h >/dev/null ||
	echo "not ok - partner add initech"
SL --now 2026-03-02T09:00:00Z ticket add --partner initech --severity critical \
	--summary "Server down" --key INI-1 --assignee dave >/dev/null ||
	echo "not ok - ticket add INI-1"
SL --now 2026-03-02T10:00:00Z ticket respond INI-1 --by dave >/dev/null ||
	echo "not ok - respond INI-1"

# messages to anyone but dave (INI-1's resolution reminders are counted
# on their own at the end)
nother() { list_mail mx | grep -vc '^dave@'; }

# 20 %: ACME-1 gets its first reminder and a watch row (next: 50 % at 21:00Z)
run SL --now 2026-03-02T14:00:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && grep -q '^bob@example.com|.*\[slatrack\] 20% of SLA used: ACME-1 ' "$TMP/list"
then ok "20%: ACME-1 reminded before the wait"; else not_ok "20%: ACME-1 reminded before the wait" "rc=$rc" "$(cat "$TMP/err" "$TMP/list")"; fi
# the next run finds every channel handled and writes the watch row
SL --now 2026-03-02T14:30:00Z remind >/dev/null || echo "not ok - remind at 14:30Z"
if [ "$(sql "SELECT level || ' ' || next_at FROM remind_watch WHERE ticket_id = 1")" = \
	"20 $(date -u -d 2026-03-02T21:00:00Z +%s)" ]
then ok "watch: next level at 21:00Z"; else not_ok "watch: next level at 21:00Z" "$(sql "SELECT * FROM remind_watch")"; fi
sent_before=$(nother)

# both wait on the customer at 15:00Z (6 h of 24 h used)
SL --now 2026-03-02T15:00:00Z ticket wait ACME-1 >/dev/null || echo "not ok - wait ACME-1"
SL --now 2026-03-02T15:00:00Z ticket wait GLX-1 >/dev/null || echo "not ok - wait GLX-1"
if [ "$(sql "SELECT key || ':' || waiting_response FROM tickets WHERE waiting_since IS NOT NULL ORDER BY id")" = \
	"$(printf 'ACME-1:1\nGLX-1:0')" ]
then ok "ACME-1's wait stops its response clock, GLX-1's does not"
else not_ok "ACME-1's wait stops its response clock, GLX-1's does not" "$(sql "SELECT key, waiting_since, waiting_response FROM tickets")"; fi

# past the original 50 %: ACME-2 and GLX-1 are reminded, ACME-1 is not
run SL --now 2026-03-02T21:30:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && [ "$(nother)" = $((sent_before + 2)) ] &&
	grep -q '^support@example.com|.*50% of SLA used: ACME-2 ' "$TMP/list" &&
	grep -q '^carol@example.com|.*50% of SLA used: GLX-1 ' "$TMP/list" &&
	! grep -q '50% of SLA used: ACME-1' "$TMP/list"
then ok "waiting (clock stopped): no 50% reminder; waiting (clock running): reminded"
else not_ok "waiting (clock stopped): no 50% reminder; waiting (clock running): reminded" "rc=$rc" "$(cat "$TMP/err" "$TMP/list")"; fi
if [ "$(sql "SELECT level || ' ' || next_at FROM remind_watch WHERE ticket_id = 1")" = \
	"20 $(date -u -d 2026-03-02T21:00:00Z +%s)" ]
then ok "watch of the waiting ticket kept as it was"; else not_ok "watch of the waiting ticket kept as it was" "$(sql "SELECT * FROM remind_watch WHERE ticket_id = 1")"; fi

# past the original deadline: breach notices for the others only
run SL --now 2026-03-03T09:30:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && [ "$(nother)" = $((sent_before + 4)) ] &&
	grep -q '^carol@example.com|.*SLA BREACHED: GLX-1 ' "$TMP/list" &&
	grep -q '^support@example.com|.*SLA BREACHED: ACME-2 ' "$TMP/list" &&
	[ "$(grep -c 'ACME-1' "$TMP/list")" = 1 ]
then ok "past the original deadline: no breach notice while waiting"
else not_ok "past the original deadline: no breach notice while waiting" "rc=$rc" "$(cat "$TMP/err" "$TMP/list")"; fi
if [ "$(sql "SELECT count(*) FROM reminders WHERE ticket_id = 1")" = 1 ]
then ok "no reminder row for the waiting ticket"; else not_ok "no reminder row for the waiting ticket" "$(sql "SELECT * FROM reminders WHERE ticket_id = 1")"; fi

# resume at Tue 10:00Z: 19 h of working time waited, deadline Wed 04:00Z;
# 18 h left, so 50 % falls at Tue 16:00Z
SL --now 2026-03-03T10:00:00Z ticket resume ACME-1 >/dev/null || echo "not ok - resume ACME-1"
if [ "$(sql "SELECT deadline_at FROM tickets WHERE id = 1")" = "$(date -u -d 2026-03-04T04:00:00Z +%s)" ]
then ok "resume moved the deadline to Wed 04:00Z"; else not_ok "resume moved the deadline to Wed 04:00Z" "$(sql "SELECT deadline_at FROM tickets WHERE id = 1")"; fi
n=$(nother)
run SL --now 2026-03-03T15:59:00Z remind
if [ $rc -eq 0 ] && [ "$(nother)" = "$n" ] &&
	[ "$(sql "SELECT level || ' ' || next_at FROM remind_watch WHERE ticket_id = 1")" = \
	"20 $(date -u -d 2026-03-03T16:00:00Z +%s)" ]
then ok "after the resume: nothing before the moved 50%, watch due at 16:00Z"
else not_ok "after the resume: nothing before the moved 50%, watch due at 16:00Z" "rc=$rc" "$(cat "$TMP/err")" "$(sql "SELECT * FROM remind_watch WHERE ticket_id = 1")" "$(list_mail mx)"; fi

run SL --now 2026-03-03T16:00:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && [ "$(nother)" = $((n + 1)) ] &&
	[ "$(tail -n 1 "$TMP/list" | cut -d'|' -f1,3)" = "bob@example.com|[slatrack] 50% of SLA used: ACME-1 Printer on fire" ]
then ok "at the moved 50%: exactly one mail, to bob"
else not_ok "at the moved 50%: exactly one mail, to bob" "rc=$rc" "$(cat "$TMP/err")" "$(cat "$TMP/list")"; fi

run SL --now 2026-03-03T16:05:00Z remind
if [ $rc -eq 0 ] && [ "$(nother)" = $((n + 1)) ]
then ok "again: nothing sent twice"; else not_ok "again: nothing sent twice" "rc=$rc $(nother)"; fi

# the moved deadline: the breach notice after Wed 04:00Z, not before
run SL --now 2026-03-04T03:59:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && ! grep -q 'SLA BREACHED: ACME-1' "$TMP/list" &&
	tail -n 1 "$TMP/list" | grep -q '^bob@example.com|.*90% of SLA used: ACME-1 '
then ok "before the moved deadline: 90%, no breach"; else not_ok "before the moved deadline: 90%, no breach" "$(cat "$TMP/list")"; fi
n=$(nother)
run SL --now 2026-03-04T04:01:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && [ "$(nother)" = $((n + 1)) ] &&
	tail -n 1 "$TMP/list" | grep -q '^bob@example.com|.*SLA BREACHED: ACME-1 '
then ok "after the moved deadline: one breach notice"; else not_ok "after the moved deadline: one breach notice" "$(cat "$TMP/list")"; fi
if SL audit verify >/dev/null 2>&1
then ok "audit chain verifies"; else not_ok "audit chain verifies"; fi

# the resolution clock of INI-1: 20 %, 50 %, 90 % and its breach notice,
# each once, told apart from the response clock's
# (90 % of 48 h falls at Wed 04:12Z)
SL --now 2026-03-04T05:00:00Z remind >/dev/null || echo "not ok - remind Wed 05:00Z"
SL --now 2026-03-04T09:30:00Z remind >/dev/null || echo "not ok - remind Wed 09:30Z"
SL --now 2026-03-04T10:00:00Z remind >/dev/null || echo "not ok - remind Wed 10:00Z"
list_mail mx | grep '^dave@' | cut -d'|' -f3 >"$TMP/dave"
if [ "$(cat "$TMP/dave")" = "$(printf '%s\n' \
	'[slatrack] resolution 20% of SLA used: INI-1 Server down' \
	'[slatrack] resolution 50% of SLA used: INI-1 Server down' \
	'[slatrack] resolution 90% of SLA used: INI-1 Server down' \
	'[slatrack] resolution SLA BREACHED: INI-1 Server down')" ]
then ok "resolution clock: each threshold and the breach once"
else not_ok "resolution clock: each threshold and the breach once" "$(cat "$TMP/dave")"; fi
n=$(list_mail mx | grep -n '^dave@' | tail -n 1 | cut -d: -f1)
mail_text mx "$n" >"$TMP/body"
expect_grep "resolution breach body: says resolution" \
	'passed its resolution deadline without being resolved' "$TMP/body"
expect_grep "resolution breach body: the resolution deadline" \
	'^  Resolve by 2026-03-04 ' "$TMP/body"
if [ "$(sql "SELECT threshold FROM reminders WHERE ticket_id = 4 AND state = 'sent' ORDER BY threshold" | paste -sd , -)" = "1020,1050,1090,1100" ]
then ok "resolution rows: 1000 + percent"; else not_ok "resolution rows: 1000 + percent" "$(sql "SELECT * FROM reminders WHERE ticket_id = 4")"; fi
