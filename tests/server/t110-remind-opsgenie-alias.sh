#!/bin/sh
# t110-remind-opsgenie-alias.sh: Opsgenie alerts follow the ticket, against
# a real HTTP server on loopback.  One alias per ticket across the 50, 75,
# 90 % and breach notices; the priority goes P3 -> P2 -> P1 through the
# update-priority call (a 50 % notice on a critical ticket is P3); the
# alert is closed by alias once the ticket is answered or resolved, exactly
# once (a 503 and a timeout are retried; two runs at once close it once),
# and a ticket that never had an alert gets no close.  A generic webhook
# gets "responded" and "resolved" events for the tickets it was told
# about.  The helpdesk link is in both payloads; --dry-run lists the
# closes and priority updates it would make.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

start_smtp mx good
start_web ops ok
OPS=$WPORT
start_web hook ok
HOOK=$WPORT
cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
[remind]
team = support@example.com
[helpdesk]
ticket_url = https://support.example.com/browse/{key}
[webhook "ops"]
url = http://127.0.0.1:$OPS/v2/alerts
format = opsgenie
events = breach,threshold
authorization = GenieKey 0000-secret-key
timeout = 2s
[webhook "hook"]
url = http://127.0.0.1:$HOOK/hook
events = breach,threshold
EOF
chmod 600 "$TMP/conf"
world
json() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
# reqs NAME: the requests the server got, "METHOD PATH STATUS" a line
reqs() { cat "$TMP/$1/requests.log" 2>/dev/null; }
nreq() { reqs "$1" | grep -c -- "$2"; }
# the body of the last saved request whose first line matches PATTERN
body_of() {
	f=$(grep -l -- "$2" "$TMP/$1"/post-*.hdr 2>/dev/null | tail -n 1)
	[ -n "$f" ] && cat "${f%.hdr}.json"
}
A1=slatrack-$(sql "SELECT substr(value, 1, 16) FROM meta WHERE key = 'install_id'")-1
A2=${A1%-1}-2

# 50 %: one create per ticket, P3 even for the critical one
run SL --now 2026-03-02T21:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nreq ops 'POST /v2/alerts 202')" = 2 ]
then ok "50 %: one create per ticket"; else not_ok "50 %: one create per ticket" "rc=$rc" "$(reqs ops)" "$(cat "$TMP/err")"; fi
f=$(grep -l '"ACME-1"' "$TMP"/ops/post-*.json | head -n 1)
if [ "$(json "$f" "d['alias'], d['priority'], d['message']")" = "('$A1', 'P3', 'SLA 50% used: ACME-1 Printer on fire')" ]
then ok "50 % on a critical ticket: alias per ticket, P3"; else not_ok "50 % on a critical ticket: alias per ticket, P3" "$(cat "$f")"; fi
if [ "$(json "$f" "d['details']['helpdesk_url']")" = https://support.example.com/browse/ACME-1 ] &&
	[ "$(json "$f" "d['description'].splitlines()[0]")" = 'Helpdesk: https://support.example.com/browse/ACME-1' ]
then ok "opsgenie: helpdesk link in details and description"; else not_ok "opsgenie: helpdesk link" "$(cat "$f")"; fi
g=$(grep -l '"ACME-1"' "$TMP"/hook/post-*.json | head -n 1)
if [ "$(json "$g" "d['ticket']['url'], d['alert'], d['event']")" = "('https://support.example.com/browse/ACME-1', '$A1', 'threshold')" ]
then ok "generic: helpdesk url and the alert id"; else not_ok "generic: helpdesk url and the alert id" "$(cat "$g")"; fi
if [ "$(sql "SELECT ticket_id || ':' || level || ':' || priority FROM remind_alerts WHERE channel = 'webhook:ops' ORDER BY ticket_id, level" | paste -sd ' ' -)" = "1:50:P3 2:50:P3" ]
then ok "the open alerts are recorded"; else not_ok "the open alerts are recorded" "$(sql "SELECT * FROM remind_alerts")"; fi

# 75 %: same alias, still P3: no priority call
run SL --now 2026-03-03T03:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nreq ops 'POST /v2/alerts 202')" = 4 ] && [ "$(nreq ops '^PUT')" = 0 ] &&
	[ "$(grep -h '"alias"' "$TMP"/ops/post-*.json | "$PY" -c 'import json,sys; print(sorted(set(json.loads(l)["alias"] for l in sys.stdin)))')" = "['$A1', '$A2']" ]
then ok "75 %: the same two aliases, no priority change"; else not_ok "75 %: the same two aliases" "rc=$rc" "$(reqs ops)"; fi

# --dry-run at 90 %: lists the creates and the priority updates
run SL --now 2026-03-03T06:40:00Z remind --dry-run
if [ $rc -eq 0 ] && grep -q "^==== webhook [0-9]*: PUT to http://127.0.0.1:$OPS/v2/alerts/$A1/priority?identifierType=alias" "$TMP/out" &&
	grep -q '^{"priority":"P2"}$' "$TMP/out" && [ "$(nreq ops .)" = 4 ]
then ok "dry run lists the priority updates"; else not_ok "dry run lists the priority updates" "rc=$rc" "$(cat "$TMP/out")"; fi

# 90 %: the last threshold: create, then update priority to P2
run SL --now 2026-03-03T06:40:00Z remind
if [ $rc -eq 0 ] && [ "$(nreq ops "^PUT /v2/alerts/$A1/priority?identifierType=alias 202")" = 1 ] &&
	[ "$(body_of ops "^PUT /v2/alerts/$A1/priority")" = '{"priority":"P2"}' ] &&
	[ "$(json "$(grep -l '"SLA 90% used: ACME-1' "$TMP"/ops/post-*.json)" "d['priority']")" = P2 ]
then ok "90 %: P2 by the update-priority call"; else not_ok "90 %: P2 by the update-priority call" "rc=$rc" "$(reqs ops)"; fi
if [ "$(sed -n '1p' "$(grep -l "^PUT /v2/alerts/$A1/priority" "$TMP"/ops/post-*.hdr)")" = "PUT /v2/alerts/$A1/priority?identifierType=alias" ] &&
	grep -q '^Authorization: GenieKey 0000-secret-key' "$(grep -l "^PUT /v2/alerts/$A1/priority" "$TMP"/ops/post-*.hdr)"
then ok "priority call: PUT with the key"; else not_ok "priority call: PUT with the key"; fi

# ACME-1 answered: the dry run lists the close, the run closes it once; a
# 503 on the first try leaves it pending and exit 4
SL --now 2026-03-03T08:00:00Z ticket respond ACME-1 >/dev/null
run SL --now 2026-03-03T08:05:00Z remind --dry-run
if [ $rc -eq 0 ] && grep -q "^==== webhook [0-9]*: POST to http://127.0.0.1:$OPS/v2/alerts/$A1/close?identifierType=alias" "$TMP/out"
then ok "dry run lists the close"; else not_ok "dry run lists the close" "rc=$rc" "$(cat "$TMP/out")"; fi
echo "1 /close" >"$TMP/ops/fail-next"
run SL --now 2026-03-03T08:05:00Z remind
if [ $rc -eq 4 ] && [ "$(nreq ops "POST /v2/alerts/$A1/close?identifierType=alias 503")" = 1 ] &&
	grep -q "follow-up (responded) webhook:ops: .*HTTP 503" "$TMP/err" &&
	[ "$(sql "SELECT state || ' ' || attempts FROM reminders WHERE ticket_id = 1 AND threshold = 101 AND channel = 'webhook:ops'")" = "pending 1" ]
then ok "close: a 503 leaves it pending, exit 4"; else not_ok "close: a 503 leaves it pending, exit 4" "rc=$rc" "$(reqs ops)" "$(cat "$TMP/err")"; fi
g=$(grep -l '"event":"responded"' "$TMP"/hook/post-*.json | head -n 1)
if [ -n "$g" ] && [ "$(json "$g" "d['ticket']['key'], d['alert'], d['threshold'], d['ticket']['responded']")" = "('ACME-1', '$A1', 90, '2026-03-03T08:00:00Z')" ]
then ok "generic: responded event"; else not_ok "generic: responded event" "$(cat "$TMP"/hook/post-*.json | tail -c 600)"; fi
run SL --now 2026-03-03T08:06:00Z remind
if [ $rc -eq 0 ] && [ "$(nreq ops "/close")" = 1 ]; then ok "close: not retried before its time"; else not_ok "close: not retried before its time" "$(reqs ops)"; fi
run SL --now 2026-03-03T08:11:00Z remind
b=$(body_of ops "^POST /v2/alerts/$A1/close")
if [ $rc -eq 0 ] && [ "$(nreq ops "POST /v2/alerts/$A1/close?identifierType=alias 202")" = 1 ] &&
	[ "$(printf "%s\n" "$b" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["source"], d["note"].splitlines()[0])')" = "slatrack ACME-1 got its first response at 2026-03-03T08:00:00Z" ]
then ok "close: retried, by alias, with a note"; else not_ok "close: retried, by alias, with a note" "rc=$rc" "$(reqs ops)" "$b"; fi
run SL --now 2026-03-03T08:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nreq ops "/close")" = 2 ] && [ "$(nreq hook responded)" = 0 ] &&
	[ "$(grep -l '"event":"responded"' "$TMP"/hook/post-*.json | wc -l)" = 1 ] &&
	[ "$(sql "SELECT count(*) FROM remind_alerts WHERE ticket_id = 1 AND channel = 'webhook:ops'")" = 0 ]
then ok "close: exactly once"; else not_ok "close: exactly once" "$(reqs ops)"; fi

# the breach of ACME-2: P1 by the update call; ACME-1 (answered) nothing
run SL --now 2026-03-03T09:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nreq ops "^PUT /v2/alerts/$A2/priority?identifierType=alias 202")" = 2 ] &&
	[ "$(body_of ops "^PUT /v2/alerts/$A2/priority")" = '{"priority":"P1"}' ] &&
	[ "$(json "$(grep -l '"SLA breached: ACME-2' "$TMP"/ops/post-*.json)" "d['priority'], d['alias']")" = "('P1', '$A2')" ] &&
	[ "$(grep -l "\"$A1\"" "$TMP"/ops/post-*.json | wc -l)" = 3 ]
then ok "breach: same alias, P1 by the update call"; else not_ok "breach: same alias, P1 by the update call" "rc=$rc" "$(reqs ops)"; fi

# a ticket answered before any notice: no close, no event
SL --now 2026-03-03T09:00:00Z ticket add --partner acme --severity critical \
	--summary "Quick one" --key ACME-3 >/dev/null
SL --now 2026-03-03T09:40:00Z ticket respond ACME-3 >/dev/null
# ACME-2 resolved: its close goes after a timeout (no answer in 2 s)
SL --now 2026-03-03T09:45:00Z ticket resolve ACME-2 >/dev/null
echo "1 /close" >"$TMP/ops/hang-next"
t0=$(date +%s)
run SL --now 2026-03-03T09:50:00Z remind
t1=$(date +%s)
if [ $rc -eq 4 ] && grep -qi 'timed out\|timeout' "$TMP/err" && [ $((t1 - t0)) -le 30 ] &&
	[ "$(sql "SELECT state FROM reminders WHERE ticket_id = 2 AND threshold = 102 AND channel = 'webhook:ops'")" = pending ]
then ok "close: no answer in time, pending"; else not_ok "close: no answer in time, pending" "rc=$rc" "$(cat "$TMP/err")"; fi
run SL --now 2026-03-03T10:00:00Z remind
if [ $rc -eq 0 ] && [ "$(nreq ops "POST /v2/alerts/$A2/close?identifierType=alias 202")" = 1 ] &&
	[ "$(body_of ops "^POST /v2/alerts/$A2/close" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["note"].splitlines()[0])')" = "ACME-2 was resolved at 2026-03-03T09:45:00Z" ]
then ok "close after a timeout: retried, once"; else not_ok "close after a timeout: retried, once" "rc=$rc" "$(reqs ops)" "$(cat "$TMP/err")"; fi
g=$(grep -l '"event":"resolved"' "$TMP"/hook/post-*.json | head -n 1)
if [ -n "$g" ] && [ "$(json "$g" "d['ticket']['key'], d['threshold'], d['ticket']['resolved']")" = "('ACME-2', 100, '2026-03-03T09:45:00Z')" ]
then ok "generic: resolved event"; else not_ok "generic: resolved event" "$(tail -c 400 "$(ls "$TMP"/hook/post-*.json | tail -n 1)")"; fi
SL --now 2026-03-03T10:10:00Z ticket resolve ACME-1 >/dev/null
run SL --now 2026-03-03T10:20:00Z remind
if [ $rc -eq 0 ] && [ "$(nreq ops "/close")" = 4 ] && ! reqs ops | grep -q -- "-3/close" &&
	! grep -l '"ACME-3"' "$TMP"/hook/post-*.json >/dev/null 2>&1 &&
	[ "$(grep -l '"event":"resolved"' "$TMP"/hook/post-*.json | wc -l)" = 2 ]
then ok "no close for a ticket without an alert; one close per alert"
else not_ok "no close for a ticket without an alert; one close per alert" "$(reqs ops)"; fi
if [ "$(sql "SELECT count(*) FROM remind_alerts")" = 0 ] && SL audit verify >/dev/null 2>&1
then ok "every alert followed up; audit chain intact"; else not_ok "every alert followed up" "$(sql "SELECT * FROM remind_alerts")"; fi
SL ticket show ACME-1 >"$TMP/show" 2>&1
expect_grep "ticket show lists the follow-ups" '^  responded      sent     webhook:ops' "$TMP/show"

# two runs at once: each of eight alerts closed once
i=1
while [ $i -le 8 ]; do
	SL --now 2026-03-04T09:00:00Z ticket add --partner acme --severity critical \
		--summary "Many $i" --key "M-$i" >/dev/null
	i=$((i + 1))
done
run SL --now 2026-03-04T21:30:00Z remind
i=1
while [ $i -le 8 ]; do SL --now 2026-03-04T21:40:00Z ticket respond "M-$i" >/dev/null; i=$((i + 1)); done
before=$(nreq ops "/close")
SL --now 2026-03-04T21:45:00Z remind >/dev/null 2>"$TMP/a.err" & a=$!
SL --now 2026-03-04T21:45:00Z remind >/dev/null 2>"$TMP/b.err" & b=$!
wait $a; ra=$?
wait $b; rb=$?
closes=$(reqs ops | grep '/close' | sed -n "$((before + 1)),\$p")
if [ $ra -eq 0 ] && [ $rb -eq 0 ] && [ "$(echo "$closes" | grep -c ' 202$')" = 8 ] &&
	[ "$(echo "$closes" | sort -u | wc -l)" = 8 ]
then ok "two runs at once: eight closes, each once"
else not_ok "two runs at once: eight closes, each once" "exit $ra $rb" "$closes" "$(cat "$TMP/a.err" "$TMP/b.err")"; fi
