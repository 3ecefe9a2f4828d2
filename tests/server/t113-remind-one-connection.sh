#!/bin/sh
# t113-remind-one-connection.sh: `slatrack remind` sends all its mails over
# one SMTP connection (mail.h: sessions), against a real server on
# loopback (aiosmtpd with STARTTLS and AUTH, which count connections in
# DIR/connections): 30 due notices arrive, each exactly once, over one
# connection.  A server that drops the connection every few messages
# (before answering MAIL FROM): the rest go out at once on new
# connections, nothing lost, nothing twice.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

conns() { cat "$TMP/$1/connections"; }
conf() {
	cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$1
from = sla@example.com
${2:-}
timeout = 10s
[remind]
team = support@example.com
EOF
	chmod 600 "$TMP/conf"
}
# tickets FIRST LAST: unassigned tickets RB-FIRST..RB-LAST created Monday
# 2026-03-02 09:00Z (24 h of working time: breached from Tue 09:00Z)
tickets() {
	"$PY" - "$1" "$2" >"$TMP/import.csv" <<'PY'
import sys
print('key,partner,severity,summary,customer,assignee,created')
for i in range(int(sys.argv[1]), int(sys.argv[2]) + 1):
    print('RB-%d,acme,high,"Ticket %d",Customer,,2026-03-02T09:00:00Z' % (i, i))
PY
	SL --now 2026-03-02T09:00:00Z import "$TMP/import.csv" >/dev/null || echo "not ok - import"
}
# each RB ticket's notice exactly once: "count distinct-ids distinct-keys"
tally() {
	list_mail "$1" >"$TMP/list" || echo "not ok - list_mail $1"
	printf '%s %s %s\n' "$(wc -l <"$TMP/list")" "$(cut -d'|' -f2 "$TMP/list" | sort -u | wc -l)" \
		"$(grep -o 'RB-[0-9]*' "$TMP/list" | sort -u | wc -l)"
}
sent() { sql "SELECT count(*) FROM reminders WHERE state = 'sent' AND attempts = 1"; }

make_cert || { echo "not ok - openssl req"; exit 1; }
start_smtp mx good --cert "$TMP/cert.pem" --key "$TMP/key.pem" --user slabot \
	--password 'pa$$ word'
conf "$PORT" "user = slabot
password = pa\$\$ word
cafile = $TMP/cert.pem"
SL --now 2026-03-02T08:00:00Z partner add acme --name "Acme Corp" --tz Europe/Berlin \
	>/dev/null || echo "not ok - partner add"
tickets 1 30

# 30 breach notices, one mail each: one connection, STARTTLS and AUTH once
run SL --now 2026-03-03T10:00:00Z remind --all --per-ticket
if [ $rc -eq 0 ] && [ ! -s "$TMP/err" ] && [ "$(nmsg mx)" = 30 ] && [ "$(conns mx)" = 1 ]
then ok "30 notices over one connection"
else not_ok "30 notices over one connection" "rc=$rc mails=$(nmsg mx) connections=$(conns mx)" "$(cat "$TMP/err")"; fi
if [ "$(tally mx)" = "30 30 30" ] && [ "$(grep -c '|tls=1|auth=1$' "$TMP/list")" = 30 ] &&
	[ "$(sent)" = 30 ]
then ok "each notice once, all over STARTTLS with AUTH, all recorded sent"
else not_ok "each notice once, all over STARTTLS with AUTH, all recorded sent" "$(tally mx) sent=$(sent)" "$(head -n 3 "$TMP/list")"; fi

# again: nothing due, no connection at all
run SL --now 2026-03-03T10:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 30 ] && [ "$(conns mx)" = 1 ]
then ok "nothing due: nothing sent, no connection"
else not_ok "nothing due: nothing sent, no connection" "rc=$rc mails=$(nmsg mx) connections=$(conns mx)"; fi

# a server that closes the connection without a word at the MAIL FROM
# after its 7th message: each dropped message goes again on a new
# connection at once; 30 mails, 5 connections, none twice
stop_servers
start_smtp drop good --drop-after 7
conf "$PORT"
tickets 31 60
run SL --now 2026-03-04T10:00:00Z remind --per-ticket
if [ $rc -eq 0 ] && [ ! -s "$TMP/err" ] && [ "$(nmsg drop)" = 30 ] && [ "$(conns drop)" = 5 ]
then ok "dropped every 7 messages: all 30 delivered over 5 connections"
else not_ok "dropped every 7 messages: all 30 delivered over 5 connections" "rc=$rc mails=$(nmsg drop) connections=$(conns drop)" "$(cat "$TMP/err")"; fi
if [ "$(tally drop)" = "30 30 30" ] && [ "$(sent)" = 60 ]
then ok "dropped: each notice once, recorded sent at the first attempt"
else not_ok "dropped: each notice once, recorded sent at the first attempt" "$(tally drop) sent=$(sent)"; fi
run SL --now 2026-03-04T10:30:00Z remind --per-ticket
if [ $rc -eq 0 ] && [ "$(nmsg drop)" = 30 ]
then ok "dropped: a later run sends nothing again"
else not_ok "dropped: a later run sends nothing again" "rc=$rc mails=$(nmsg drop)"; fi

# a message refused mid-run (451 to its recipient) fails alone: the
# connection is closed, the next message opens a new one, the refused one
# stays pending for the next run, which delivers it once
stop_servers
start_smtp half refuse --refuse team-b@ --code 451
cat >>"$TMP/conf" <<EOF
[staff "a"]
email = team-a@example.com
[staff "b"]
email = team-b@example.com
[staff "c"]
email = team-c@example.com
EOF
sed -i "s|^url = .*|url = smtp://127.0.0.1:$PORT|" "$TMP/conf"
for who in a b c; do
	SL --now 2026-03-04T09:00:00Z ticket add --partner acme --severity high \
		--summary "For $who" --key "RB-$who" --assignee "$who" >/dev/null ||
		echo "not ok - ticket add $who"
done
# sent in the order of their addresses: a, b (refused), c
run SL --now 2026-03-05T10:00:00Z remind --per-ticket
if [ $rc -eq 4 ] && grep -q 'RB-b: .*451 4.3.0 <team-b@example.com>' "$TMP/err" &&
	[ "$(nmsg half)" = 2 ] && [ "$(conns half)" = 2 ] &&
	[ "$(sql "SELECT state FROM reminders r JOIN tickets t ON t.id = r.ticket_id WHERE t.key = 'RB-b'")" = pending ]
then ok "451 mid-run: that one pending, the next delivered on a new connection"
else not_ok "451 mid-run: that one pending, the next delivered on a new connection" "rc=$rc mails=$(nmsg half) connections=$(conns half)" "$(cat "$TMP/err")"; fi
list_mail half >"$TMP/list"
if grep -q "^team-a@example.com|" "$TMP/list" && grep -q "^team-c@example.com|" "$TMP/list"
then ok "451 mid-run: a and c delivered"
else not_ok "451 mid-run: a and c delivered" "$(list_mail half)"; fi
