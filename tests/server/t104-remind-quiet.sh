#!/bin/sh
# t104-remind-quiet.sh: quiet hours per recipient, in the recipient's zone,
# hold threshold reminders (which then give way to the highest one due)
# but never breach notices; a reassigned ticket's new assignee hears from
# the next threshold on.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

start_smtp mx good
cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
[remind]
team = support@example.com
[staff "bob"]
email = bob@example.com
zone = Asia/Kolkata
quiet = 20:00-08:00
[staff "carol"]
email = carol@example.com
zone = UTC
quiet = 00:00-23:59
[staff "dave"]
email = dave@example.com
EOF
world
SL --now 2026-03-02T09:00:00Z ticket add --partner acme --severity critical \
	--summary "Always quiet" --key ACME-3 --assignee carol >/dev/null

# 21:30Z is 03:00 in Kolkata: bob's 50 % waits; the team's goes
run SL --now 2026-03-02T21:30:00Z remind -v
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 1 ] && grep -q '^support@' "$TMP/list" &&
	grep -q '2 held (quiet hours)' "$TMP/out"
then ok "quiet hours hold threshold reminders"; else not_ok "quiet hours hold threshold reminders" "$(cat "$TMP/out" "$TMP/list")"; fi
if [ "$(sql "SELECT count(*) FROM reminders WHERE channel IN ('mail:bob@example.com', 'mail:carol@example.com')")" = 0 ]
then ok "held: nothing recorded, nothing lost"; else not_ok "held: nothing recorded"; fi

# 02:20Z is 07:50 there: still quiet
run SL --now 2026-03-03T02:20:00Z remind
if [ "$(nmsg mx)" = 1 ]; then ok "still quiet at 07:50 local"; else not_ok "still quiet at 07:50 local"; fi

# 03:10Z is 08:40 there: the window is over and the ticket is past 75 %:
# only the 75 % reminder goes, the held 50 % gives way
run SL --now 2026-03-03T03:10:00Z remind
list_mail mx >"$TMP/list"
if [ "$(grep -c '^bob@' "$TMP/list")" = 1 ] && grep -q '^bob@.*75% of SLA used: ACME-1' "$TMP/list"
then ok "after the window: the highest threshold only"; else not_ok "after the window: the highest threshold only" "$(cat "$TMP/list")"; fi

# reassigned: dave hears from the next threshold (90 %) on, not 75 % again
SL --now 2026-03-03T03:20:00Z ticket assign ACME-1 dave >/dev/null
n=$(nmsg mx)
run SL --now 2026-03-03T03:30:00Z remind
list_mail mx >"$TMP/list"
if ! grep -q '^dave@' "$TMP/list" && [ "$(nmsg mx)" = "$n" ]
then ok "reassigned: no repeat of the level already sent"; else not_ok "reassigned: no repeat" "$(cat "$TMP/list")" "$(sql "select * from remind_watch")" "$(sql "select ticket_id,threshold,channel,state from reminders")"; fi
run SL --now 2026-03-03T06:40:00Z remind
list_mail mx >"$TMP/list"
if grep -q '^dave@.*90% of SLA used: ACME-1' "$TMP/list" && ! grep -q '^bob@.*90%' "$TMP/list"
then ok "reassigned: the new assignee gets the next threshold"; else not_ok "reassigned: next threshold to dave" "$(cat "$TMP/list")"; fi

# breach notices are never held: carol (always quiet) gets hers
run SL --now 2026-03-03T09:30:00Z remind
list_mail mx >"$TMP/list"
if grep -q '^carol@.*SLA BREACHED: ACME-3' "$TMP/list" && [ "$(grep -c '^carol@' "$TMP/list")" = 1 ]
then ok "breach notices ignore quiet hours"; else not_ok "breach notices ignore quiet hours" "$(cat "$TMP/list")"; fi
