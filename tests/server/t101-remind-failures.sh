#!/bin/sh
# t101-remind-failures.sh: delivery failures against real servers on
# loopback: a recipient refused for now (451), the connection dropped
# mid-DATA, a server that never answers (timeout).  Each failure leaves the
# reminder pending with the server's reply, exit status 4 and a line on
# stderr; later runs retry with backoff and deliver: nothing lost, nothing
# doubled, the same Message-ID every time.  After max_attempts it is
# marked failed.  (Permanent refusals, 5yz: t105-remind-refused.sh.)
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

conf() {
	cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$1
from = sla@example.com
timeout = 2s
connect_timeout = 2s
[remind]
team = support@example.com
max_attempts = ${2:-8}
retry = 5m
[staff "bob"]
email = bob@example.com
EOF
}
row() { sql "SELECT state || ' ' || attempts FROM reminders WHERE ticket_id = $1 AND channel = 'mail:$2'"; }

start_smtp refuse refuse --refuse bob@ --code 451
conf "$PORT"
world

# 451 for bob: exit 4, the reply on stderr and in last_error; the team's
# mail still goes out
run SL --now 2026-03-02T21:30:00Z remind
if [ $rc -eq 4 ] && grep -q 'ACME-1: reminder mail:bob@example.com: smtp://127.0.0.1:[0-9]*: RCPT failed: 451.*451 4.3.0 <bob@example.com>: Temporary lookup failure' "$TMP/err" &&
	grep -q 'attempt 1 of 8; next try after 2026-03-02T21:35:00Z' "$TMP/err"
then ok "451: exit 4, the server's reply, the next try"; else not_ok "451: exit 4, the server's reply, the next try" "rc=$rc" "$(cat "$TMP/err")"; fi
if [ "$(row 1 bob@example.com)" = "pending 1" ] &&
	sql "SELECT last_error FROM reminders WHERE ticket_id = 1" | grep -q '451 4.3.0'
then ok "451: pending with the reply recorded"; else not_ok "451: pending with the reply recorded" "$(sql 'SELECT * FROM reminders')"; fi
if [ "$(nmsg refuse)" = 1 ] && [ "$(row 2 support@example.com)" = "sent 1" ]
then ok "451: the other recipient delivered"; else not_ok "451: the other recipient delivered"; fi
first_id=$(sql "SELECT message_id FROM reminders WHERE ticket_id = 1")

# before the backoff: nothing attempted, silent
run SL --now 2026-03-02T21:33:00Z remind
if [ $rc -eq 0 ] && [ ! -s "$TMP/err" ] && [ "$(row 1 bob@example.com)" = "pending 1" ]
then ok "backoff: no attempt before the next try"; else not_ok "backoff: no attempt before the next try" "rc=$rc" "$(cat "$TMP/err")"; fi

# dropped mid-DATA
stop_servers
start_smtp drop drop
conf "$PORT"
run SL --now 2026-03-02T21:36:00Z remind
if [ $rc -eq 4 ] && grep -q 'mail:bob@example.com: smtp://127.0.0.1:[0-9]*: .*attempt 2 of 8; next try after 2026-03-02T21:46:00Z' "$TMP/err" &&
	[ "$(row 1 bob@example.com)" = "pending 2" ]
then ok "dropped mid-DATA: pending, backoff doubled"; else not_ok "dropped mid-DATA: pending, backoff doubled" "rc=$rc" "$(cat "$TMP/err")"; fi

# never answers: the timeout ends it
stop_servers
start_smtp hang hang
conf "$PORT"
t0=$(date +%s)
run SL --now 2026-03-02T21:47:00Z remind
t1=$(date +%s)
if [ $rc -eq 4 ] && grep -qi 'time' "$TMP/err" && [ $((t1 - t0)) -le 8 ] &&
	[ "$(row 1 bob@example.com)" = "pending 3" ]
then ok "no answer: timed out in $((t1 - t0)) s, pending"; else not_ok "no answer: timed out, pending" "rc=$rc $((t1 - t0)) s" "$(cat "$TMP/err")"; fi
sql "SELECT last_error FROM reminders WHERE ticket_id = 1" >"$TMP/le"
expect_grep "no answer: last_error says so" 'timeout|timed out' "$TMP/le"

# a good server at last: delivered once, with the Message-ID of the first try
stop_servers
start_smtp good good
conf "$PORT"
run SL --now 2026-03-02T22:10:00Z remind
list_mail good >"$TMP/list"
if [ $rc -eq 0 ] && [ ! -s "$TMP/err" ] && [ "$(nmsg good)" = 1 ] &&
	grep -q "^bob@example.com|<$first_id>|" "$TMP/list" && [ "$(row 1 bob@example.com)" = "sent 4" ]
then ok "retry delivers, same Message-ID"; else not_ok "retry delivers, same Message-ID" "rc=$rc" "$(cat "$TMP/err" "$TMP/list")" "$first_id"; fi
run SL --now 2026-03-02T22:20:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg good)" = 1 ]; then ok "delivered once only"; else not_ok "delivered once only"; fi

# the audit trail tells the story
kinds=$(sql "SELECT kind FROM events WHERE ticket_id = 1 AND kind LIKE 'remind.%' ORDER BY id" | paste -sd ' ' -)
if [ "$kinds" = "remind.claim remind.retry remind.claim remind.retry remind.claim remind.retry remind.claim remind.sent" ]
then ok "audit: claim/retry x3, claim/sent"; else not_ok "audit: claim/retry x3, claim/sent" "$kinds"; fi

# the later thresholds keep working after all that
run SL --now 2026-03-03T03:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg good)" = 3 ]; then ok "75%: both delivered"; else not_ok "75%: both delivered" "$(nmsg good)"; fi

# max_attempts = 2: refused for now twice, then failed (shown by ticket show)
stop_servers
start_smtp refuse2 refuse --refuse bob@ --code 451
conf "$PORT" 2
SL --now 2026-03-03T09:00:00Z ticket add --partner acme --severity critical \
	--summary "Mail loops" --key ACME-3 --assignee bob >/dev/null
run SL --now 2026-03-03T21:30:00Z remind
run SL --now 2026-03-03T21:40:00Z remind
if [ $rc -eq 4 ] && grep -q 'ACME-3: reminder mail:bob@example.com: .*451.*attempt 2 of 2; gave up' "$TMP/err" &&
	[ "$(row 3 bob@example.com)" = "failed 2" ]
then ok "max_attempts: marked failed"; else not_ok "max_attempts: marked failed" "rc=$rc" "$(cat "$TMP/err")" "$(row 3 bob@example.com)"; fi
run SL --now 2026-03-03T23:40:00Z remind
if [ $rc -eq 0 ] && [ ! -s "$TMP/err" ] && [ "$(row 3 bob@example.com)" = "failed 2" ]
then ok "failed: not retried"; else not_ok "failed: not retried" "rc=$rc" "$(cat "$TMP/err")"; fi
run SL --now 2026-03-03T23:45:00Z ticket show ACME-3
if [ $rc -eq 0 ] && grep -q '^   50% reminder  FAILED   mail:bob@example.com  2 attempts' "$TMP/out" &&
	grep -q '^      last error: .*451' "$TMP/out"
then ok "ticket show: the failed reminder with the server's reply"
else not_ok "ticket show: the failed reminder with the server's reply" "rc=$rc" "$(cat "$TMP/out")"; fi

# no address at all: unassigned and no team: a failed reminder, exit 3
sed -i '/^team = /d' "$TMP/conf"
SL --now 2026-03-04T08:00:00Z ticket resolve ACME-3 >/dev/null
SL --now 2026-03-04T09:00:00Z ticket add --partner acme --severity critical \
	--summary "Nobody's" --key ACME-4 >/dev/null
run SL --now 2026-03-04T21:30:00Z remind
if [ $rc -eq 3 ] && grep -q 'ACME-4: threshold reminder: no address: the ticket is unassigned and remind.team is not set' "$TMP/err" &&
	[ "$(row 4 '')" = "failed 1" ]
then ok "no address: recorded as failed, exit 3"; else not_ok "no address: recorded as failed, exit 3" "rc=$rc" "$(cat "$TMP/err")"; fi

# STARTTLS is required off loopback: a plain server on this host's own
# non-loopback address is refused before anything is sent; tls = none
# sends in plain text
ip=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | grep -v '^127\.' | head -n 1)
if [ -z "$ip" ]; then
	ok "plain server off loopback refused # SKIP no non-loopback IPv4 address"
	ok "tls = none sends in plain text # SKIP no non-loopback IPv4 address"
else
	stop_servers
	start_smtp plain good --host "$ip"
	conf "$PORT"
	sed -i "s|^url = smtp://127.0.0.1:$PORT|url = smtp://$ip:$PORT|" "$TMP/conf"
	SL --now 2026-03-05T09:00:00Z ticket add --partner acme --severity critical \
		--summary "Plain" --key ACME-5 --assignee bob >/dev/null
	run SL --now 2026-03-05T21:30:00Z remind
	if [ $rc -eq 4 ] && grep -q "ACME-5: reminder mail:bob@example.com: smtp://$ip:$PORT: .*STARTTLS is required" "$TMP/err" &&
		[ "$(nmsg plain)" = 0 ]
	then ok "plain server off loopback refused"; else not_ok "plain server off loopback refused" "rc=$rc" "$(cat "$TMP/err")"; fi
	sed -i 's/^\[smtp\]$/[smtp]\ntls = none/' "$TMP/conf"
	run SL --now 2026-03-05T21:40:00Z remind
	if [ $rc -eq 0 ] && [ "$(list_mail plain | grep -c '^bob@example.com|.*ACME-5.*|tls=0|auth=0$')" = 1 ]
	then ok "tls = none sends in plain text"; else not_ok "tls = none sends in plain text" "rc=$rc" "$(cat "$TMP/err")" "$(list_mail plain)"; fi
fi
