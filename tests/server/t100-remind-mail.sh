#!/bin/sh
# t100-remind-mail.sh: `slatrack remind` against a real SMTP server on
# loopback (aiosmtpd, STARTTLS on a self-signed certificate made here with
# openssl, AUTH required): what is due and when, digests, no flood, breach
# notices to managers, the message itself (RFC 5322, parsed back), hostile
# summaries, --dry-run, -v, silence, and the 0600 rule for the password.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

make_cert || { echo "not ok - openssl req"; exit 1; }
start_smtp mx good --cert "$TMP/cert.pem" --key "$TMP/key.pem" --user slabot \
	--password 'pa$$ word'
cat >"$TMP/conf" <<EOF
[me]
name = cron
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
user = slabot
password = pa\$\$ word
cafile = $TMP/cert.pem
timeout = 10s
[remind]
team = support@example.com
[staff "bob"]
email = bob@example.com
zone = Asia/Kolkata
[report]
managers = boss@example.com, cto@example.com
zone = Europe/Dublin
EOF
chmod 600 "$TMP/conf"
world

# nothing due: silent, exit 0, nothing sent
run SL --now 2026-03-02T12:00:00Z remind
if [ $rc -eq 0 ] && [ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ] && [ "$(nmsg mx)" = 0 ]
then ok "nothing due: silent"; else not_ok "nothing due: silent" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi

# -v gives one line even then
run SL --now 2026-03-02T12:00:00Z remind -v
if [ $rc -eq 0 ] && [ "$(wc -l <"$TMP/out")" = 1 ] && grep -q '^remind: 0 tickets checked' "$TMP/out"
then ok "-v: one summary line"; else not_ok "-v: one summary line" "$(cat "$TMP/out")"; fi

# --dry-run at 50 %: prints both messages in full, sends and changes nothing
events_before=$(sql "SELECT count(*) FROM events")
run SL --now 2026-03-02T21:30:00Z remind --dry-run
if [ $rc -eq 0 ] && grep -q '^==== mail 1: to bob@example.com' "$TMP/out" &&
	grep -q '^==== mail 2: to support@example.com' "$TMP/out" &&
	grep -q '^Message-ID: <digest\.' "$TMP/out" && grep -q '^Subject: ' "$TMP/out" &&
	[ "$(nmsg mx)" = 0 ] && [ "$(sql "SELECT count(*) FROM reminders")" = 0 ] &&
	[ "$(sql "SELECT count(*) FROM events")" = "$events_before" ]
then ok "dry run prints full messages, changes nothing"
else not_ok "dry run prints full messages, changes nothing" "rc=$rc" "$(head -c 600 "$TMP/out")" "$(cat "$TMP/err")"; fi
dry_id=$(grep -m1 '^Message-ID: ' "$TMP/out")

# 50 %: one digest each to bob (assignee) and the team (unassigned)
run SL --now 2026-03-02T21:30:00Z remind
list_mail mx >"$TMP/list"; lrc=$?
if [ $rc -eq 0 ] && [ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ] && [ "$(nmsg mx)" = 2 ] && [ $lrc -eq 0 ]
then ok "50%: two mails, silent"; else not_ok "50%: two mails, silent" "rc=$rc" "$(cat "$TMP/err" "$TMP/list")"; fi
expect_grep "50%: bob gets ACME-1 over STARTTLS with AUTH" \
	'^bob@example.com\|<digest\.[0-9a-f]{20}\.[0-9a-f]{16}@example\.com>\|\[slatrack\] 50% of SLA used: ACME-1 Printer on fire\|<ticket\.1\.[0-9a-f]{16}@example\.com>\|tls=1\|auth=1$' "$TMP/list"
expect_grep "50%: team gets the unassigned ACME-2" \
	'^support@example.com\|.*50% of SLA used: ACME-2 Login fails\|<ticket\.2\.' "$TMP/list"
if grep -q "^Message-ID: $(grep '^bob' "$TMP/list" | cut -d'|' -f2)" "$TMP/out" 2>/dev/null ||
	[ "$dry_id" = "Message-ID: $(grep '^bob' "$TMP/list" | cut -d'|' -f2)" ]
then ok "dry run shows the Message-ID the real run uses"
else not_ok "dry run shows the Message-ID the real run uses" "$dry_id" "$(cat "$TMP/list")"; fi

# the body: key, partner, severity, summary, assignee, deadline in bob's
# zone and the partner's, remaining working time, the command to open it
mail_text mx 1 >"$TMP/body"
for want in '50% USED  ACME-1: Printer on fire' 'Partner    Acme Corp \(acme\)' \
	'Severity   critical' 'Assignee   bob' \
	'Deadline   2026-03-03 14:30 IST \(Asia/Kolkata\)' \
	'2026-03-03 10:00 CET \(Europe/Berlin\), the partner.s time' \
	'Remaining  11h 30m of working time' 'Open it    slatrack ticket show ACME-1'; do
	expect_grep "body: $want" "$want" "$TMP/body"
done
"$PY" "$HERE/mailcheck.py" html "$TMP/mx" 1 >"$TMP/html"
expect_grep "html part: escaped, with the command" '<code>slatrack ticket show ACME-1</code>' "$TMP/html"

# the same instant again: nothing new
run SL --now 2026-03-02T21:45:00Z remind
if [ $rc -eq 0 ] && [ ! -s "$TMP/out" ] && [ "$(nmsg mx)" = 2 ]
then ok "again: nothing sent twice"; else not_ok "again: nothing sent twice" "rc=$rc $(nmsg mx)"; fi

# every state change is an audit event; the chain still verifies
if [ "$(sql "SELECT count(*) FROM events WHERE kind = 'remind.claim'")" = 2 ] &&
	[ "$(sql "SELECT count(*) FROM events WHERE kind = 'remind.sent'")" = 2 ] &&
	SL audit verify >/dev/null 2>&1
then ok "claims and sends are audit events"; else not_ok "claims and sends are audit events" "$(sql "SELECT kind, field FROM events WHERE kind LIKE 'remind%'")"; fi

# no flood: nobody ran during the night; at 08:00Z the tickets are past 75 %
# and 90 %: only the 90 % reminder goes out
run SL --now 2026-03-03T08:00:00Z remind -v
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 4 ] && [ "$(grep -c '90% of SLA used' "$TMP/list")" = 2 ] &&
	! grep -q '75% of SLA used' "$TMP/list"
then ok "after an outage only the highest threshold"; else not_ok "after an outage only the highest threshold" "$(cat "$TMP/list" "$TMP/err")"; fi
if [ "$(sql "SELECT count(*) FROM reminders WHERE threshold = 75")" = 0 ]
then ok "the skipped threshold is never sent later"; else not_ok "the skipped threshold is never sent later"; fi
expect_grep "-v summary counts" 'remind: 2 tickets checked; 2 reminders sent in 2 mails' "$TMP/out"

# a new ticket with a hostile summary: CR/LF and non-ASCII, created so that
# it is already at 50 % at 09:30Z... and the breach notices: bob, team, and
# both managers, each one digest
SL --now 2026-03-02T21:00:00Z ticket add --partner acme --severity critical \
	--summary "$(printf 'Über Ärger\r\nBcc: victim@example.org\r\n\r\nX-Evil: 1 — ünïcödé ✓ %s' "$(printf 'x%.0s' $(seq 1 300))")" \
	--key ACME-3 --assignee bob >/dev/null
run SL --now 2026-03-03T09:30:00Z remind
list_mail mx >"$TMP/list"; lrc=$?
if [ $rc -eq 0 ] && [ $lrc -eq 0 ] && [ "$(nmsg mx)" = 8 ]
then ok "breach: four digests, all well-formed"; else not_ok "breach: four digests, all well-formed" "rc=$rc lrc=$lrc n=$(nmsg mx)" "$(cat "$TMP/list" "$TMP/err")"; fi
expect_grep "breach: bob's digest has both his tickets" \
	'^bob@example.com\|<digest\..*\|\[slatrack\] 2 tickets need a first response \(1 breached\)\|\|' "$TMP/list"
expect_grep "breach: managers told" '^boss@example.com\|.*SLA BREACHED|2 tickets' "$TMP/list"
expect_grep "breach: second manager told" '^cto@example.com\|' "$TMP/list"
expect_grep "breach: team told" '^support@example.com\|.*SLA BREACHED: ACME-2' "$TMP/list"
if ! grep -qi 'victim\|x-evil' "$TMP/mx"/*.json && ! grep -il '^bcc:\|^x-evil:' "$TMP/mx"/*.eml >/dev/null
then ok "CR/LF in a summary injects no header"; else not_ok "CR/LF in a summary injects no header"; fi
n=$(grep -v '^bad:' "$TMP/list" | grep -n '^bob' | tail -n 1 | cut -d: -f1)
mail_text mx "$((n))" >"$TMP/body"
expect_grep "non-ASCII summary survives in the body" 'ACME-3: Über Ärger +Bcc: victim@example.org +X-Evil: 1 — ünïcödé ✓ xxx' "$TMP/body"
expect_grep "breach body: overdue" 'Remaining  none: overdue by 30m of working time' "$TMP/body"

# subject of a single hostile ticket, per-ticket mode: RFC 2047, decoded intact
SL --now 2026-03-03T09:00:00Z ticket add --partner acme --severity high \
	--summary "$(printf 'Straße\r\nBcc: x@example.org')" --key ACME-4 >/dev/null
run SL --now 2026-03-03T21:30:00Z remind --per-ticket
list_mail mx >"$TMP/list"; lrc=$?
if [ $lrc -eq 0 ] && grep -q '^support@example.com|<remind\.4\.50\.[0-9a-f]\{8\}\.[0-9a-f]\{16\}@example.com>|\[slatrack\] 50% of SLA used: ACME-4 Straße Bcc: x@example.org|<ticket\.4\.' "$TMP/list" &&
	grep -q '^Subject: =?UTF-8?B?' "$(ls "$TMP"/mx/*.eml | tail -n 1)"
then ok "per-ticket: RFC 2047 subject, no injection"; else not_ok "per-ticket: RFC 2047 subject, no injection" "$(tail -n 2 "$TMP/list")"; fi

# reminders about one ticket thread together
t1=$(grep 'ACME-1 Printer' "$TMP/list" | cut -d'|' -f4 | sort -u)
if [ "$(echo "$t1" | wc -l)" = 1 ] && [ -n "$t1" ]
then ok "reminders of one ticket share In-Reply-To"; else not_ok "reminders of one ticket share In-Reply-To" "$t1"; fi

# the password rule: a config holding a password with mode 0644 is refused
cp "$TMP/conf" "$TMP/conf644"
chmod 644 "$TMP/conf644"
run "$SLATRACK" --db "$TMP/db" --config "$TMP/conf644" --now 2026-03-03T22:00:00Z remind
if [ $rc -eq 3 ] && grep -q "conf644: holds a password (line 7) but its mode 0644" "$TMP/err" &&
	! grep -q 'pa\$\$' "$TMP/err"
then ok "mode 0644 with a password refused, naming file and mode"
else not_ok "mode 0644 with a password refused, naming file and mode" "rc=$rc" "$(cat "$TMP/err")"; fi

# password_command instead; a wrong password: the server's reply, never the password
printf 'wrong pass\n' >"$TMP/pw"
sed -e '/^password = /d' -e "s|^user = slabot|user = slabot\npassword_command = cat $TMP/pw|" \
	"$TMP/conf" >"$TMP/conf-cmd"
chmod 644 "$TMP/conf-cmd"
SL --now 2026-03-04T09:00:00Z ticket add --partner acme --severity critical \
	--summary "Disk full" --key ACME-5 --assignee bob >/dev/null
run "$SLATRACK" --db "$TMP/db" --config "$TMP/conf-cmd" --now 2026-03-04T21:30:00Z remind
if [ $rc -eq 4 ] && grep -q '535' "$TMP/err" && ! grep -q 'wrong pass' "$TMP/err" &&
	! grep -q 'wrong pass' "$TMP/out"
then ok "bad password: server reply shown, password not"
else not_ok "bad password: server reply shown, password not" "rc=$rc" "$(cat "$TMP/err")"; fi
if [ "$(sql "SELECT state || ' ' || attempts FROM reminders WHERE ticket_id = 5")" = "pending 1" ] &&
	sql "SELECT last_error FROM reminders WHERE ticket_id = 5" | grep -q 535
then ok "failed attempt stays pending with the reply"; else not_ok "failed attempt stays pending with the reply" "$(sql "SELECT * FROM reminders WHERE ticket_id = 5")"; fi
printf 'pa$$ word\n' >"$TMP/pw"
run "$SLATRACK" --db "$TMP/db" --config "$TMP/conf-cmd" --now 2026-03-04T21:40:00Z remind
if [ $rc -eq 0 ] && [ "$(sql "SELECT state FROM reminders WHERE ticket_id = 5")" = sent ]
then ok "password_command: delivered on the retry"; else not_ok "password_command: delivered on the retry" "rc=$rc" "$(cat "$TMP/err")"; fi

# ticket answered: no more reminders for it
SL --now 2026-03-04T22:00:00Z ticket respond ACME-5 --by bob >/dev/null
run SL --now 2026-03-05T09:30:00Z remind
if ! list_mail mx | grep -q 'ACME-5.*BREACHED\|BREACHED.*ACME-5'
then ok "answered ticket: no breach notice"; else not_ok "answered ticket: no breach notice"; fi

# smtps:// (TLS from the first byte), verified against the same certificate
start_smtp tls good --cert "$TMP/cert.pem" --key "$TMP/key.pem" --implicit-tls \
	--user slabot --password 'pa$$ word'
sed "s|^url = smtp://127.0.0.1:[0-9]*|url = smtps://localhost:$PORT|" "$TMP/conf" >"$TMP/conf-tls"
chmod 600 "$TMP/conf-tls"
SL --now 2026-03-05T09:00:00Z ticket add --partner acme --severity critical \
	--summary "Over smtps" --key ACME-6 --assignee bob >/dev/null
run "$SLATRACK" --db "$TMP/db" --config "$TMP/conf-tls" --now 2026-03-05T21:30:00Z remind
if [ $rc -eq 0 ] && list_mail tls | grep -q '^bob@example.com|.*ACME-6 Over smtps|.*|tls=1|auth=1$'
then ok "smtps: implicit TLS and AUTH"; else not_ok "smtps: implicit TLS and AUTH" "rc=$rc" "$(cat "$TMP/err")" "$(list_mail tls)" "$(cat $TMP/tls.log)"; fi

# an unverifiable certificate is refused (no cafile: the system's CAs)
grep -v '^cafile' "$TMP/conf-tls" >"$TMP/conf-noca"
chmod 600 "$TMP/conf-noca"
SL --now 2026-03-06T09:00:00Z ticket add --partner acme --severity critical \
	--summary "Untrusted" --key ACME-7 --assignee bob >/dev/null
run "$SLATRACK" --db "$TMP/db" --config "$TMP/conf-noca" --now 2026-03-06T21:30:00Z remind
if [ $rc -eq 4 ] && grep -qi 'certificate' "$TMP/err" && ! list_mail tls | grep -q 'ACME-7'
then ok "self-signed certificate without cafile refused"; else not_ok "self-signed certificate without cafile refused" "rc=$rc" "$(cat "$TMP/err")"; fi
