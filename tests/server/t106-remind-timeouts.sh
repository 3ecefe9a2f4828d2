#!/bin/sh
# t106-remind-timeouts.sh: smtp.timeout bounds every wait of `remind`.
# A real server on loopback that keeps the message but never answers the
# end of DATA (libcurl alone waits 120 s there and 120 s more for QUIT):
# the run ends within the timeout per mail, exit 4, the reminder stays
# pending (the server may have it: the retry uses the same Message-ID).
# A server silent only after QUIT: the mail counts as delivered.  A
# password_command that never ends (even one ignoring SIGTERM) is killed
# with what it started, named in the error, and nothing is claimed.
# Bounds are generous (30 s for a 2 s timeout): they prove "no hang".
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

conf() {
	cat >"$TMP/conf" <<EOF2
[smtp]
url = smtp://127.0.0.1:$1
from = sla@example.com
timeout = 2s
connect_timeout = 2s
${2:-}
[remind]
team = support@example.com
retry = 5m
[staff "bob"]
email = bob@example.com
EOF2
}
rowk() {
	sql "SELECT r.state || ' ' || r.attempts FROM reminders r JOIN tickets t ON t.id = r.ticket_id WHERE t.key = '$1' AND r.channel = 'mail:$2' AND r.threshold = $3"
}

# silent after the final dot: two mails, each cut short
start_smtp mute mute --at data
conf "$PORT"
world
t0=$(date +%s)
run SL --now 2026-03-02T21:30:00Z remind
t1=$(date +%s)
if [ $rc -eq 4 ] && [ $((t1 - t0)) -le 30 ] &&
	grep -q 'ACME-1: reminder mail:bob@example.com: smtp://127.0.0.1:[0-9]*: no reply to the end of DATA within smtp.timeout (2 s): the server may have kept the message (attempt 1 of 8; next try after 2026-03-02T21:35:00Z)' "$TMP/err"
then ok "silent after DATA: cut short in $((t1 - t0)) s, exit 4, said why"
else not_ok "silent after DATA: cut short, exit 4, said why" "rc=$rc $((t1 - t0)) s" "$(cat "$TMP/err")"; fi
if [ "$(rowk ACME-1 bob@example.com 50)" = "pending 1" ] && [ "$(rowk ACME-2 support@example.com 50)" = "pending 1" ] &&
	[ "$(nmsg mute)" = 2 ]
then ok "silent after DATA: stored by the server, pending for a retry"
else not_ok "silent after DATA: stored by the server, pending for a retry" "$(sql 'SELECT * FROM reminders')" "$(nmsg mute)"; fi
first_id=$(sql "SELECT message_id FROM reminders WHERE ticket_id = 1")
if grep -q "^Message-ID: <$first_id>" "$TMP/mute/msg-0001.eml" "$TMP/mute/msg-0002.eml"
then ok "silent after DATA: the stored copy has the recorded Message-ID"
else not_ok "silent after DATA: the stored copy has the recorded Message-ID" "$first_id"; fi

# silent after QUIT only: the message was acknowledged, so it was delivered
stop_servers
start_smtp quiet mute --at quit
conf "$PORT"
t0=$(date +%s)
run SL --now 2026-03-02T21:36:00Z remind
t1=$(date +%s)
if [ $rc -eq 0 ] && [ $((t1 - t0)) -le 30 ] && [ ! -s "$TMP/err" ] &&
	[ "$(rowk ACME-1 bob@example.com 50)" = "sent 2" ] && [ "$(nmsg quiet)" = 2 ] &&
	grep -q "^Message-ID: <$first_id>" "$TMP/quiet/msg-0001.eml" "$TMP/quiet/msg-0002.eml"
then ok "silent after QUIT: delivered in $((t1 - t0)) s, same Message-ID"
else not_ok "silent after QUIT: delivered, same Message-ID" "rc=$rc $((t1 - t0)) s" "$(cat "$TMP/err")" "$(sql 'SELECT * FROM reminders')"; fi

# a password_command that never ends
stop_servers
start_smtp good good
conf "$PORT" "user = bob
password_command = sleep 1000"
t0=$(date +%s)
run SL --now 2026-03-03T03:30:00Z remind
t1=$(date +%s)
if [ $rc -eq 3 ] && [ $((t1 - t0)) -le 30 ] &&
	grep -q 'smtp.password_command (line 7) did not finish within smtp.timeout (2 s): stopped' "$TMP/err"
then ok "password_command hangs: stopped in $((t1 - t0)) s, named"
else not_ok "password_command hangs: stopped, named" "rc=$rc $((t1 - t0)) s" "$(cat "$TMP/err")"; fi
if [ -z "$(rowk ACME-1 bob@example.com 75)" ] && [ "$(nmsg good)" = 0 ]
then ok "password_command hangs: nothing claimed, nothing sent"
else not_ok "password_command hangs: nothing claimed, nothing sent" "$(sql 'SELECT * FROM reminders')"; fi

# ... and one that ignores SIGTERM and starts a child: both are gone
conf "$PORT" "user = bob
password_command = trap '' TERM; sleep 1000 & echo \$\$ \$! >$TMP/pids; wait"
t0=$(date +%s)
run SL --now 2026-03-03T03:30:00Z remind
t1=$(date +%s)
if [ $rc -eq 3 ] && [ $((t1 - t0)) -le 30 ] && grep -q 'did not finish within smtp.timeout (2 s)' "$TMP/err"
then ok "password_command ignoring SIGTERM: stopped in $((t1 - t0)) s"
else not_ok "password_command ignoring SIGTERM: stopped" "rc=$rc $((t1 - t0)) s" "$(cat "$TMP/err")"; fi
alive=""
for pid in $(cat "$TMP/pids" 2>/dev/null); do
	i=0
	while [ $i -lt 100 ] && [ -e /proc/$pid ] && ! grep -q '^[0-9]* ([^)]*) Z' /proc/$pid/stat 2>/dev/null; do
		sleep 0.05; i=$((i + 1))
	done
	if [ -e /proc/$pid ] && ! grep -q '^[0-9]* ([^)]*) Z' /proc/$pid/stat 2>/dev/null; then alive="$alive $pid"; fi
done
if [ -s "$TMP/pids" ] && [ -z "$alive" ]
then ok "password_command ignoring SIGTERM: it and its child are gone"
else not_ok "password_command ignoring SIGTERM: it and its child are gone" "alive:$alive" "$(cat "$TMP/pids" 2>/dev/null)"; for pid in $alive; do kill -9 "$pid" 2>/dev/null; done; fi
