#!/bin/sh
# t103-remind-webhook.sh: webhooks against a real HTTP server on loopback:
# breach notices (and thresholds when configured) POSTed as JSON, the
# Opsgenie alert shape (message, alias stable per ticket, priority P1 for
# a breach, description, the Authorization header), no helpdesk link when
# none is configured, a 503
# and a server that never answers leave the notice pending, and a later
# run delivers it once with the same alias.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

start_smtp mx good
start_web ops ok
OPS=$WPORT
start_web hook ok
HOOK=$WPORT
conf() {
	cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
[remind]
team = support@example.com
[webhook "ops"]
url = http://127.0.0.1:$1/v2/alerts
format = opsgenie
authorization = GenieKey 0000-secret-key
timeout = 2s
[webhook "hook"]
url = http://127.0.0.1:$HOOK/hook
events = breach,threshold
EOF
	chmod 600 "$TMP/conf"
}
conf "$OPS"
world
json() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
nposts() { ls "$TMP/$1" 2>/dev/null | grep -c '\.json$'; }

# 50 %: the threshold hook gets both tickets, Opsgenie (breach only) nothing;
# bob has no [staff] address here, so the team gets one digest of both
run SL --now 2026-03-02T21:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nposts hook)" = 2 ] && [ "$(nposts ops)" = 0 ] && [ "$(nmsg mx)" = 1 ]
then ok "thresholds: posted where configured"; else not_ok "thresholds: posted where configured" "rc=$rc hook=$(nposts hook) ops=$(nposts ops)" "$(cat "$TMP/err")"; fi
if [ "$(json "$TMP/hook/post-0001.json" "d['event'], d['threshold'], d['ticket']['key'], d['ticket']['severity'], d['open']")" = "('threshold', 50, 'ACME-1', 'critical', 'slatrack ticket show ACME-1')" ]
then ok "generic JSON: event, threshold, ticket, command"; else not_ok "generic JSON" "$(cat "$TMP/hook/post-0001.json")"; fi

# breach: Opsgenie's alert shape
run SL --now 2026-03-03T09:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nposts ops)" = 2 ] && [ "$(nposts hook)" = 4 ]
then ok "breach: posted to both hooks"; else not_ok "breach: posted to both hooks" "rc=$rc ops=$(nposts ops) hook=$(nposts hook)" "$(cat "$TMP/err")"; fi
f=$(grep -l '"ACME-1"' "$TMP"/ops/post-*.json | head -n 1)
if [ "$(json "$f" "d['message'], d['priority'], d['source']")" = "('SLA breached: ACME-1 Printer on fire', 'P1', 'slatrack')" ] &&
	json "$f" "d['alias']" | grep -E '^slatrack-[0-9a-f]{16}-1$' >/dev/null &&
	json "$f" "d['description']" | grep 'Open it: slatrack ticket show ACME-1' >/dev/null
then ok "opsgenie: message, alias, P1, description"; else not_ok "opsgenie: message, alias, P1, description" "$(cat "$f")"; fi
f2=$(grep -l '"ACME-2"' "$TMP"/ops/post-*.json | head -n 1)
if [ "$(json "$f2" "d['priority']")" = P1 ]; then ok "opsgenie: a breach is P1 whatever the severity"; else not_ok "opsgenie: a breach is P1 whatever the severity" "$(cat "$f2")"; fi
if [ "$(json "$f" "'helpdesk_url' in d['details'], d['description'].startswith('Helpdesk')")" = "(False, False)" ] &&
	[ "$(json "$TMP/hook/post-0001.json" "'url' in d['ticket']")" = False ]
then ok "no ticket_url: no helpdesk link"; else not_ok "no ticket_url: no helpdesk link" "$(cat "$f")"; fi
h=${f%.json}.hdr
if grep -q '^POST /v2/alerts' "$h" && grep -q '^Authorization: GenieKey 0000-secret-key' "$h" &&
	grep -q '^Content-Type: application/json' "$h"
then ok "opsgenie: POST with Authorization and JSON type"; else not_ok "opsgenie: POST with Authorization" "$(cat "$h")"; fi
run SL --now 2026-03-03T09:45:00Z remind
if [ "$(nposts ops)" = 2 ] && [ "$(nposts hook)" = 4 ]; then ok "breach posted once"; else not_ok "breach posted once"; fi

# hostile text stays valid JSON
SL --now 2026-03-03T09:00:00Z ticket add --partner acme --severity critical \
	--summary "$(printf 'Quote " back\\slash \033[31m tab\there\r\nline2 — ✓')" --key 'ACME-"3' >/dev/null
stop_servers
start_smtp mx good
start_web ops fail
start_web hook ok
HOOK=$WPORT
conf "$(cat "$TMP/ops/port")"
run SL --now 2026-03-04T09:30:00Z remind
if [ $rc -eq 4 ] && grep -q 'breach notice webhook:ops: http://127.0.0.1:[0-9]*/v2/alerts: HTTP 503: {"message":"service unavailable, try later","auth":"\*\**"}' "$TMP/err" &&
	! grep -q 'secret-key' "$TMP/err" &&
	[ "$(sql "SELECT state || ' ' || attempts FROM reminders WHERE ticket_id = 3 AND channel = 'webhook:ops'")" = "pending 1" ]
then ok "503: exit 4, status and body, pending"; else not_ok "503: exit 4, status and body, pending" "rc=$rc" "$(cat "$TMP/err")"; fi
alias=$(sql "SELECT message_id FROM reminders WHERE ticket_id = 3 AND channel = 'webhook:ops'")
good=1
for p in "$TMP"/hook/post-*.json; do "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$p" || good=0; done
if [ $good = 1 ] && [ "$(json "$(ls "$TMP"/hook/post-*.json | tail -n 1)" "d['ticket']['summary']")" = "$(printf 'Quote " back\\slash \033[31m tab\there\r\nline2 — ✓')" ]
then ok "hostile summary: valid JSON, text intact"; else not_ok "hostile summary: valid JSON" "$(tail -c 400 "$(ls "$TMP"/hook/post-*.json | tail -n 1)")"; fi

# never answers: the timeout
stop_servers
start_smtp mx good
start_web ops hang
start_web hook ok
HOOK=$WPORT
conf "$(cat "$TMP/ops/port")"
t0=$(date +%s)
run SL --now 2026-03-04T09:40:00Z remind
t1=$(date +%s)
if [ $rc -eq 4 ] && grep -qi 'timed out\|timeout' "$TMP/err" && [ $((t1 - t0)) -le 8 ]
then ok "no answer: timed out in $((t1 - t0)) s"; else not_ok "no answer: timed out" "rc=$rc $((t1 - t0)) s" "$(cat "$TMP/err")"; fi

# a working server: delivered once, same alias
stop_servers
start_smtp mx good
start_web ops ok
start_web hook ok
HOOK=$WPORT
conf "$(cat "$TMP/ops/port")"
run SL --now 2026-03-04T10:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nposts ops)" = 1 ] &&
	[ "$(json "$TMP/ops/post-0001.json" "d['alias']")" = "$alias" ]
then ok "retry delivers with the same alias"; else not_ok "retry delivers with the same alias" "rc=$rc $(nposts ops)" "$(cat "$TMP/err")"; fi
run SL --now 2026-03-04T12:30:00Z remind
if [ "$(nposts ops)" = 1 ]; then ok "and only once"; else not_ok "and only once"; fi

# an https-less URL off loopback is refused before anything is sent
sed -i "s|^url = http://127.0.0.1:$HOOK/hook|url = http://example.com/hook|" "$TMP/conf"
expect_err "plain http off loopback refused" 3 'webhook "hook"\] url.*use https://' \
	SL --now 2026-03-04T12:40:00Z remind
