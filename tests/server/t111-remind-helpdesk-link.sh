#!/bin/sh
# t111-remind-helpdesk-link.sh: the helpdesk link of a ticket ([helpdesk]
# ticket_url, a partner's own ticket_url winning) in what remind sends, to
# real servers on loopback: the text and HTML of digests, per-ticket mails
# and breach notices, the generic webhook's ticket object and Opsgenie's
# details and description.  Without a template there is no such line.
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
[report]
managers = boss@example.com
[helpdesk]
ticket_url = https://support.example.com/browse/{key}
[partner "beta"]
ticket_url = https://beta.example.org/tickets/{id}?p={partner}
[webhook "ops"]
url = http://127.0.0.1:$OPS/v2/alerts
format = opsgenie
[webhook "hook"]
url = http://127.0.0.1:$HOOK/hook
events = breach,threshold
EOF
chmod 600 "$TMP/conf"
world
SL --now 2026-03-02T08:00:00Z partner add beta --name "Beta Ltd" --tz UTC >/dev/null
SL --now 2026-03-02T09:00:00Z ticket add --partner beta --severity critical \
	--summary "Beta is down" --key BETA-1 >/dev/null
json() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

# 50 %: one digest to the team (ACME-2, BETA-1) and one to bob's fallback
run SL --now 2026-03-02T21:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg mx)" -ge 1 ]; then ok "50 %: delivered"; else not_ok "50 %: delivered" "rc=$rc" "$(cat "$TMP/err")"; fi
: >"$TMP/all"
i=1
while [ $i -le "$(nmsg mx)" ]; do mail_text mx $i | tr -d "\r" >>"$TMP/all"; i=$((i + 1)); done
expect_grep "digest: the global link" '^  Helpdesk   https://support\.example\.com/browse/ACME-2$' "$TMP/all"
expect_grep "digest: the partner's own link" '^  Helpdesk   https://beta\.example\.org/tickets/3\?p=beta$' "$TMP/all"
n=$(nmsg mx)
"$PY" "$HERE/mailcheck.py" html "$TMP/mx" "$n" >"$TMP/html"
expect_grep "html: the link is a link" '<a href="https://(support\.example\.com/browse/ACME-[12]|beta\.example\.org/tickets/3\?p=beta)">' "$TMP/html"
g=$(grep -l '"BETA-1"' "$TMP"/hook/post-*.json | head -n 1)
if [ -n "$g" ] && [ "$(json "$g" "d['ticket']['url']")" = "https://beta.example.org/tickets/3?p=beta" ]
then ok "generic: the partner's link in the ticket"; else not_ok "generic: the partner's link" "$(cat "$g")"; fi

# 75 % per ticket, then the breach: the link in every mail and the alert
before=$(nmsg mx)
run SL --now 2026-03-03T03:30:00Z remind --per-ticket
if [ $rc -eq 0 ] && [ "$(nmsg mx)" -gt "$before" ] && mail_text mx "$((before + 1))" | grep -q '^  Helpdesk   https://'
then ok "per-ticket mail: the link"; else not_ok "per-ticket mail: the link" "rc=$rc" "$(mail_text mx "$((before + 1))")"; fi
before=$(nmsg mx)
run SL --now 2026-03-03T09:30:00Z remind
list_mail mx | sed -n "$((before + 1)),\$p" >"$TMP/list"
k=$(grep -n '^boss@example.com' "$TMP/list" | head -n 1 | cut -d: -f1)
if [ $rc -eq 0 ] && [ -n "$k" ] && mail_text mx "$((before + k))" | tr -d "\r" >"$TMP/breach" &&
	grep -q '^  Helpdesk   https://support\.example\.com/browse/ACME-1$' "$TMP/breach"
then ok "breach notice to the manager: the link"; else not_ok "breach notice to the manager: the link" "rc=$rc" "$(cat "$TMP/list")"; fi
f=$(grep -l '"BETA-1"' "$TMP"/ops/post-*.json | head -n 1)
if [ -n "$f" ] && [ "$(json "$f" "d['details']['helpdesk_url'], d['description'].splitlines()[0]")" = "('https://beta.example.org/tickets/3?p=beta', 'Helpdesk: https://beta.example.org/tickets/3?p=beta')" ]
then ok "opsgenie: the link in details and description"; else not_ok "opsgenie: the link" "$(cat "$f")"; fi

# no template: no line, no field
sed -i '/^\[helpdesk\]/,/^ticket_url/d; /^\[partner "beta"\]/,/^ticket_url/d' "$TMP/conf"
SL --now 2026-03-03T09:00:00Z ticket add --partner acme --severity critical \
	--summary "No link" --key ACME-5 >/dev/null
before=$(nmsg mx)
run SL --now 2026-03-04T09:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg mx)" -gt "$before" ] && ! mail_text mx "$((before + 1))" | grep -q 'Helpdesk' &&
	! grep -q 'helpdesk_url' "$(grep -l '"ACME-5"' "$TMP"/ops/post-*.json | head -n 1)"
then ok "no ticket_url: no Helpdesk line, no helpdesk_url"; else not_ok "no ticket_url: no Helpdesk line" "rc=$rc" "$(mail_text mx "$((before + 1))")"; fi
