#!/bin/sh
# t105-remind-refused.sh: RFC 5321 4.2.1 against real servers on loopback:
# a 5yz reply to RCPT TO (550) or after DATA's final dot (554) refuses the
# message for good: the reminder is marked failed at the first attempt,
# the run exits 4 saying so, and later runs never retry it.  A 4yz (451)
# at the same places stays pending for a retry.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

conf() {
	cat >"$TMP/conf" <<EOF2
[smtp]
url = smtp://127.0.0.1:$1
from = sla@example.com
timeout = 5s
[remind]
team = support@example.com
retry = 5m
[staff "bob"]
email = bob@example.com
EOF2
}
# rowk KEY ADDR THRESHOLD: "state attempts" of one reminder
rowk() {
	sql "SELECT r.state || ' ' || r.attempts FROM reminders r JOIN tickets t ON t.id = r.ticket_id WHERE t.key = '$1' AND r.channel = 'mail:$2' AND r.threshold = $3"
}

start_smtp rcpt550 refuse --refuse bob@
conf "$PORT"
world

# 550 to RCPT TO for bob (50 %): failed at once; the team's mail goes out
run SL --now 2026-03-02T21:30:00Z remind
if [ $rc -eq 4 ] &&
	grep -q 'ACME-1: reminder mail:bob@example.com: smtp://127.0.0.1:[0-9]*: .*550 5.1.1 <bob@example.com>: Recipient address rejected.*(attempt 1 of 8; refused for good, not retried)' "$TMP/err" &&
	grep -q '1 delivery failed; 0 reminders stay pending for a retry, 1 is marked failed' "$TMP/err" &&
	[ "$(rowk ACME-1 bob@example.com 50)" = "failed 1" ]
then ok "550 to RCPT TO: failed at the first attempt"
else not_ok "550 to RCPT TO: failed at the first attempt" "rc=$rc" "$(cat "$TMP/err")" "$(rowk ACME-1 bob@example.com 50)"; fi
if [ "$(rowk ACME-2 support@example.com 50)" = "sent 1" ] && [ "$(nmsg rcpt550)" = 1 ]
then ok "550 to RCPT TO: the other recipient delivered"; else not_ok "550 to RCPT TO: the other recipient delivered"; fi
kinds=$(sql "SELECT kind FROM events WHERE ticket_id = 1 AND kind LIKE 'remind.%' ORDER BY id" | paste -sd ' ' -)
if [ "$kinds" = "remind.claim remind.failed" ]
then ok "550 to RCPT TO: audit claim, failed"; else not_ok "550 to RCPT TO: audit claim, failed" "$kinds"; fi

# well after the backoff, same threshold: nothing tried again, silent
run SL --now 2026-03-02T23:00:00Z remind
if [ $rc -eq 0 ] && [ ! -s "$TMP/err" ] && [ "$(rowk ACME-1 bob@example.com 50)" = "failed 1" ] &&
	[ "$(nmsg rcpt550)" = 1 ]
then ok "550 to RCPT TO: never retried"; else not_ok "550 to RCPT TO: never retried" "rc=$rc" "$(cat "$TMP/err")"; fi

# 554 after DATA's final dot (75 %): also for good, nothing stored
stop_servers
start_smtp data554 refuse --refuse bob@ --at data --code 554
conf "$PORT"
run SL --now 2026-03-03T03:30:00Z remind
if [ $rc -eq 4 ] &&
	grep -q 'ACME-1: reminder mail:bob@example.com: .*the message was refused after DATA; server said: 554 5.6.0 Message content rejected (attempt 1 of 8; refused for good, not retried)' "$TMP/err" &&
	[ "$(rowk ACME-1 bob@example.com 75)" = "failed 1" ] && [ "$(nmsg data554)" = 1 ]
then ok "554 after DATA: failed at the first attempt"
else not_ok "554 after DATA: failed at the first attempt" "rc=$rc" "$(cat "$TMP/err")" "$(rowk ACME-1 bob@example.com 75)"; fi

# 451 after DATA (90 %) and to RCPT TO: pending, retried later
stop_servers
start_smtp data451 refuse --refuse bob@ --at data --code 451
conf "$PORT"
run SL --now 2026-03-03T06:40:00Z remind
if [ $rc -eq 4 ] &&
	grep -q 'ACME-1: reminder mail:bob@example.com: .*451 4.3.0 Mail server temporarily unavailable (attempt 1 of 8; next try after 2026-03-03T06:45:00Z)' "$TMP/err" &&
	[ "$(rowk ACME-1 bob@example.com 90)" = "pending 1" ]
then ok "451 after DATA: pending for a retry"
else not_ok "451 after DATA: pending for a retry" "rc=$rc" "$(cat "$TMP/err")" "$(rowk ACME-1 bob@example.com 90)"; fi
stop_servers
start_smtp rcpt451 refuse --refuse bob@ --code 451
conf "$PORT"
run SL --now 2026-03-03T06:46:00Z remind
if [ $rc -eq 4 ] && grep -q 'attempt 2 of 8; next try after 2026-03-03T06:56:00Z' "$TMP/err" &&
	[ "$(rowk ACME-1 bob@example.com 90)" = "pending 2" ]
then ok "451 to RCPT TO: pending for a retry"
else not_ok "451 to RCPT TO: pending for a retry" "rc=$rc" "$(cat "$TMP/err")" "$(rowk ACME-1 bob@example.com 90)"; fi

# the server takes it again: the retry delivers
stop_servers
start_smtp good good
conf "$PORT"
run SL --now 2026-03-03T06:57:00Z remind
if [ $rc -eq 0 ] && [ "$(rowk ACME-1 bob@example.com 90)" = "sent 3" ] && [ "$(nmsg good)" = 1 ]
then ok "after 451: the retry delivers"; else not_ok "after 451: the retry delivers" "rc=$rc" "$(cat "$TMP/err")"; fi
