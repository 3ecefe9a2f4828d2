#!/bin/sh
# t114-remind-batch.sh: `slatrack remind` records its deliveries in groups
# (remind.h: up to REMIND_MARK_DELIVERIES outcomes, or half a second's, in
# one transaction), against a real server on loopback (aiosmtpd).  The
# grouping loses nothing and sends nothing twice:
#   - a server that goes away after 130 of 250 messages: the run fails
#     loudly, the 130 are recorded sent and the 120 pending; the next run
#     sends exactly those 120; every ticket got one mail; a third run sends
#     nothing;
#   - a run killed (SIGKILL) right after its 200th delivery: what it had
#     recorded stays sent, the rest stays claimed (at most one group, 128
#     messages, delivered and unrecorded); the next run sends those again
#     with the same Message-IDs, plus the 50 never sent, and nothing else;
#   - a run asked to stop (SIGTERM) right after its 200th delivery, and one
#     sent SIGTERM from outside while it runs: each stops at the next
#     delivery with everything it sent recorded and exits as killed by
#     the signal; the next run sends the rest, nothing twice.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

N=250
conf() {
	cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$1
from = sla@example.com
timeout = 10s
[remind]
team = support@example.com
per_ticket = yes
EOF
}
# tickets PREFIX: N unassigned tickets PREFIX-1..PREFIX-N created Monday
# 2026-03-02 09:00Z (24 h of working time: breached from Tue 09:00Z)
tickets() {
	"$PY" - "$1" "$N" >"$TMP/import.csv" <<'PY'
import sys
print('key,partner,severity,summary,customer,assignee,created')
for i in range(1, int(sys.argv[2]) + 1):
    print('%s-%d,acme,high,"Ticket %d",Customer,,2026-03-02T09:00:00Z' % (sys.argv[1], i, i))
PY
	SL --now 2026-03-02T09:00:00Z import "$TMP/import.csv" >/dev/null || echo "not ok - import"
}
# rows PREFIX STATE: reminders of PREFIX's tickets in STATE
rows() {
	sql "SELECT count(*) FROM reminders r JOIN tickets t ON t.id = r.ticket_id
	     WHERE t.key LIKE '$1-%' AND r.state = '$2'"
}
# ids DIR...: the Message-IDs the servers got, one a line, in arrival order
ids() { for m in "$@"; do list_mail "$m"; done | grep -v '^bad:' | cut -d'|' -f2 | tr -d '<>'; }
# keys DIR...: the ticket keys in the subjects, one a line
keys() { for m in "$@"; do list_mail "$m"; done | grep -v '^bad:' | grep -o '[A-Z]*-[0-9]*'; }

# fresh NAME PREFIX: a new good server NAME and N new tickets PREFIX-*
fresh() {
	stop_servers
	start_smtp "$1" good
	conf "$PORT"
	tickets "$2"
}

conf 1
SL --now 2026-03-02T08:00:00Z partner add acme --name "Acme Corp" --tz Europe/Berlin \
	>/dev/null || echo "not ok - partner add"
tickets GA

# the server goes away after 130 messages: a failure, loudly; 130 sent
start_smtp gone good --fail-after 130
conf "$PORT"
run SL --now 2026-03-03T10:00:00Z remind --all
if [ $rc -eq 4 ] && grep -q 'deliveries failed; the reminders stay pending' "$TMP/err" &&
	[ "$(nmsg gone)" = 130 ] && [ "$(rows GA sent)" = 130 ] && [ "$(rows GA pending)" = 120 ] &&
	[ "$(rows GA claimed)" = 0 ]
then ok "server gone after 130: exit 4, 130 recorded sent, 120 pending, none left claimed"
else not_ok "server gone after 130: exit 4, 130 recorded sent, 120 pending, none left claimed" "rc=$rc mails=$(nmsg gone) sent=$(rows GA sent) pending=$(rows GA pending) claimed=$(rows GA claimed)" "$(tail -n 2 "$TMP/err")"; fi

# a server that works: the next run (after the retry delay) sends exactly
# the 120 missing ones
start_smtp back good
conf "$PORT"
run SL --now 2026-03-03T10:10:00Z remind
if [ $rc -eq 0 ] && [ ! -s "$TMP/err" ] && [ "$(nmsg back)" = 120 ] && [ "$(rows GA sent)" = $N ]
then ok "the next run sends the 120 missing ones, all $N recorded sent"
else not_ok "the next run sends the 120 missing ones, all $N recorded sent" "rc=$rc mails=$(nmsg back) sent=$(rows GA sent)" "$(head -n 3 "$TMP/err")"; fi
if [ "$(ids gone back | wc -l)" = $N ] && [ "$(ids gone back | sort -u | wc -l)" = $N ] &&
	[ "$(keys gone back | sort -u | wc -l)" = $N ] && [ "$(keys gone back | grep -c '^GA-')" = $N ]
then ok "every ticket got exactly one mail"
else not_ok "every ticket got exactly one mail" "$(ids gone back | wc -l) mails, $(ids gone back | sort -u | wc -l) ids, $(keys gone back | sort -u | wc -l) tickets"; fi
run SL --now 2026-03-03T10:40:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg back)" = 120 ] && [ "$(nmsg gone)" = 130 ]
then ok "a third run sends nothing"
else not_ok "a third run sends nothing" "rc=$rc mails=$(nmsg gone)+$(nmsg back)"; fi

# killed right after the 200th delivery, before it is recorded
fresh kill KB
SLATRACK_TEST_HOOKS=1 SLATRACK_TEST_KILL_AFTER_SEND=200 SL --now 2026-03-04T10:00:00Z remind \
	>"$TMP/k.out" 2>"$TMP/k.err"
krc=$?
sent=$(rows KB sent)
claimed=$(rows KB claimed)
held=$((200 - sent))
if [ $krc -eq 137 ] && [ "$(nmsg kill)" = 200 ] && [ $((sent + claimed)) = $N ] &&
	[ $held -ge 1 ] && [ $held -le 128 ]
then ok "SIGKILL after 200 deliveries: the recorded stay sent, at most one group (128) unrecorded"
else not_ok "SIGKILL after 200 deliveries: the recorded stay sent, at most one group (128) unrecorded" "exit $krc, $(nmsg kill) mails, sent=$sent claimed=$claimed" "$(cat "$TMP/k.err")"; fi
sql "SELECT r.message_id FROM reminders r JOIN tickets t ON t.id = r.ticket_id
     WHERE t.key LIKE 'KB-%' AND r.state = 'claimed'" | sort >"$TMP/claimed-ids"

# the next run takes the claims over: the unrecorded ones again with the
# same Message-IDs, the 50 never sent, nothing that was recorded sent
run SL --now 2026-03-04T10:05:00Z remind
ids kill | sort | uniq -d >"$TMP/dups"
if [ $rc -eq 0 ] && [ "$(nmsg kill)" = $((200 + N - sent)) ] && [ "$(rows KB sent)" = $N ] &&
	[ "$(ids kill | sort -u | wc -l)" = $N ] && [ "$(wc -l <"$TMP/dups")" = $held ]
then ok "after the crash: the $held unrecorded sent again, the 50 others once, $N distinct"
else not_ok "after the crash: the unrecorded sent again, the others once" "rc=$rc mails=$(nmsg kill) sent=$(rows KB sent) distinct=$(ids kill | sort -u | wc -l) dups=$(wc -l <"$TMP/dups") held=$held" "$(head -n 3 "$TMP/err")"; fi
if [ -s "$TMP/dups" ] && [ -z "$(comm -23 "$TMP/dups" "$TMP/claimed-ids")" ] &&
	[ "$(keys kill | sort -u | wc -l)" = $N ]
then ok "resends only of claimed rows, same Message-ID; every ticket has its mail"
else not_ok "resends only of claimed rows, same Message-ID; every ticket has its mail" "$(comm -23 "$TMP/dups" "$TMP/claimed-ids" | head -n 3)"; fi
if [ "$(sql "SELECT count(*) FROM events WHERE kind = 'remind.recover'")" = "$claimed" ] &&
	SL audit verify >/dev/null 2>&1
then ok "taken-over claims recorded as remind.recover; audit chain intact"
else not_ok "taken-over claims recorded as remind.recover; audit chain intact" "$(sql "SELECT count(*) FROM events WHERE kind = 'remind.recover'") recovered, $claimed claimed"; fi
run SL --now 2026-03-04T10:40:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg kill)" = $((200 + N - sent)) ]
then ok "after the crash: a later run sends nothing"
else not_ok "after the crash: a later run sends nothing" "rc=$rc mails=$(nmsg kill)"; fi

# SIGTERM right after the 200th delivery (test hook: the run raises it
# itself): it stops there, with all 200 recorded sent
fresh term TB
SLATRACK_TEST_HOOKS=1 SLATRACK_TEST_TERM_AFTER_SEND=200 SL --now 2026-03-05T10:00:00Z remind \
	>"$TMP/t.out" 2>"$TMP/t.err"
trc=$?
if [ $trc -eq 143 ] && [ "$(nmsg term)" = 200 ] && [ "$(rows TB sent)" = 200 ] &&
	[ "$(rows TB claimed)" = $((N - 200)) ] &&
	grep -q 'remind: stopped by Terminated after 200 mails and 0 posts, every one of them recorded' "$TMP/t.err"
then ok "SIGTERM after 200 deliveries: stops at once, all 200 recorded, exit 143, says so"
else not_ok "SIGTERM after 200 deliveries" "exit $trc, $(nmsg term) mails, sent=$(rows TB sent) claimed=$(rows TB claimed)" "$(cat "$TMP/t.err")"; fi
run SL --now 2026-03-05T10:05:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg term)" = $N ] && [ "$(ids term | sort -u | wc -l)" = $N ] &&
	[ "$(rows TB sent)" = $N ] && [ "$(keys term | sort -u | wc -l)" = $N ]
then ok "after SIGTERM: the next run sends the $((N - 200)) left, nothing twice"
else not_ok "after SIGTERM: the next run" "rc=$rc mails=$(nmsg term) distinct=$(ids term | sort -u | wc -l) sent=$(rows TB sent)" "$(head -n 3 "$TMP/err")"; fi

# kill -TERM from outside, mid-run, as systemd or timeout(1) would
N=2000
fresh ext TX
"$SLATRACK" --db "$TMP/db" --config "$TMP/conf" --now 2026-03-06T10:00:00Z remind \
	>"$TMP/x.out" 2>"$TMP/x.err" &
rpid=$!
tries=0
while [ "$(nmsg ext)" -lt 100 ] && [ $tries -lt 400 ]; do sleep 0.05; tries=$((tries + 1)); done
kill -TERM "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
xrc=$?
got=$(nmsg ext)
if [ $xrc -eq 143 ] && [ "$got" -ge 100 ] && [ "$got" -lt $N ] && [ "$(rows TX sent)" = "$got" ] &&
	grep -q 'remind: stopped by Terminated after' "$TMP/x.err"
then ok "kill -TERM mid-run: exit 143, every one of its $got mails recorded sent"
else not_ok "kill -TERM mid-run" "exit $xrc, $got mails, sent=$(rows TX sent)" "$(cat "$TMP/x.err")"; fi
run SL --now 2026-03-06T10:05:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg ext)" = $N ] && [ "$(ids ext | sort -u | wc -l)" = $N ] &&
	[ "$(rows TX sent)" = $N ]
then ok "after kill -TERM: the next run sends the rest, $N mails, nothing twice"
else not_ok "after kill -TERM: the next run" "rc=$rc mails=$(nmsg ext) distinct=$(ids ext | sort -u | wc -l) sent=$(rows TX sent)" "$(head -n 3 "$TMP/err")"; fi
