#!/bin/sh
# t109-remind-partner-contact.sh: a partner's own recipients (issue 11,
# item 4) against a real SMTP server on loopback.  [partner "KEY"]
# notify_contact = yes sends the partner's reminders and breach notices to
# its contact (partner --contact), notify = ADDR, ... to a team list, both
# besides the assignee or team and the managers; each recipient once per
# ticket and level, however often remind runs; an address that already
# gets the ticket (the assignee, a manager) gets no second copy; without
# the section nothing changes; a recipient added later hears from the next
# level on.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

start_smtp mx good
conf() {
	cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
[remind]
team = support@example.com
[report]
managers = boss@example.com
[staff "bob"]
email = bob@example.com
$1
EOF
	chmod 600 "$TMP/conf"
}
# fresh: world() (ACME-1 for bob, ACME-2 unassigned; 50 % Mon 21:00Z,
# 75 % Tue 03:00Z, breach after Tue 09:00Z) with the contact
# ops@acme.example, and no mail received yet
fresh() {
	if on_pg; then	# a new, empty server database in place of the one for $TMP/db
		pg_fresh "$TMP/db"
	else
		rm -f "$TMP"/db "$TMP"/db-*
	fi
	rm -f "$TMP"/mx/*.eml
	world
	SL partner edit acme --contact ops@acme.example >/dev/null || echo "not ok - partner edit"
}
# got: the recipients of the mails received since the last call, sorted
got() {
	list_mail mx | cut -d'|' -f1 | sort | tr '\n' ' ' | sed 's/ $//'
	rm -f "$TMP"/mx/*.eml
}
# remind_at INSTANT: one run; a failure is reported
remind_at() {
	run SL --now "$1" remind
	[ $rc -eq 0 ] || not_ok "remind at $1" "rc=$rc" "$(cat "$TMP/err")"
}

# ---- without a [partner] section: exactly the recipients of before
conf ""
fresh
remind_at 2026-03-02T21:30:00Z
r=$(got)
if [ "$r" = "bob@example.com support@example.com" ]; then ok "unset: 50% to bob and the team only"
else not_ok "unset: 50% to bob and the team only" "got: $r"; fi
remind_at 2026-03-03T09:30:00Z
r=$(got)
if [ "$r" = "bob@example.com boss@example.com support@example.com" ]
then ok "unset: the breach to bob, the team and the manager only"
else not_ok "unset: the breach to bob, the team and the manager only" "got: $r"; fi
if [ "$(sql "SELECT count(*) FROM reminders WHERE channel LIKE '%acme.example'")" = 0 ]
then ok "unset: no reminder row for the contact"
else not_ok "unset: no reminder row for the contact" "$(sql "SELECT * FROM reminders")"; fi

# ---- the contact and a team list, one of them bob again in capitals
conf '[partner "acme"]
notify_contact = yes
notify = l2@example.com, BOB@example.com, OPS@acme.example'
fresh
remind_at 2026-03-02T21:30:00Z
r=$(got)
if [ "$r" = "bob@example.com l2@example.com ops@acme.example support@example.com" ]
then ok "50%: the contact and the team list too, each once"
else not_ok "50%: the contact and the team list too, each once" "got: $r"; fi
remind_at 2026-03-02T21:30:00Z
remind_at 2026-03-02T23:00:00Z
r=$(got)
if [ -z "$r" ]; then ok "runs again at 50%: no duplicates"; else not_ok "runs again at 50%: no duplicates" "got: $r"; fi
remind_at 2026-03-03T09:30:00Z
r=$(got)
if [ "$r" = "bob@example.com boss@example.com l2@example.com ops@acme.example support@example.com" ]
then ok "breach: the contact and the list, besides bob, the team and the manager"
else not_ok "breach: the contact and the list, besides bob, the team and the manager" "got: $r"; fi
remind_at 2026-03-03T09:30:00Z
remind_at 2026-03-03T12:00:00Z
r=$(got)
if [ -z "$r" ]; then ok "runs again after the breach: no duplicates"
else not_ok "runs again after the breach: no duplicates" "got: $r"; fi
# one row per ticket and level for the contact, all sent
rows=$(sql "SELECT ticket_id || ':' || threshold || ':' || state FROM reminders WHERE channel = 'mail:ops@acme.example' ORDER BY 1" | tr '\n' ' ')
if [ "$rows" = "1:100:sent 1:50:sent 2:100:sent 2:50:sent " ]
then ok "the contact's rows: one per ticket and level"
else not_ok "the contact's rows: one per ticket and level" "$rows"; fi
if [ "$(sql "SELECT count(*) FROM reminders WHERE lower(channel) = 'mail:bob@example.com' GROUP BY ticket_id, threshold HAVING count(*) > 1")" = "" ]
then ok "bob in the list: no second row for him"
else not_ok "bob in the list: no second row for him" "$(sql "SELECT * FROM reminders")"; fi

# ---- notify_contact = no (the default): the list only
conf '[partner "acme"]
notify = l2@example.com'
fresh
remind_at 2026-03-02T21:30:00Z
r=$(got)
if [ "$r" = "bob@example.com l2@example.com support@example.com" ]
then ok "notify_contact unset: the list, not the contact"
else not_ok "notify_contact unset: the list, not the contact" "got: $r"; fi

# ---- the contact only, enabled after the 50 % reminders went out: it
# hears from the next level on, and nobody gets the 50 % again
conf '[partner "acme"]
notify_contact = yes'
remind_at 2026-03-02T22:00:00Z
r=$(got)
if [ -z "$r" ]; then ok "enabled later: no 50% for the contact, none again for others"
else not_ok "enabled later: no 50% for the contact, none again for others" "got: $r"; fi
remind_at 2026-03-03T03:30:00Z
r=$(got)
if [ "$r" = "bob@example.com ops@acme.example support@example.com" ]
then ok "enabled later: the contact gets the 75% reminders"
else not_ok "enabled later: the contact gets the 75% reminders" "got: $r"; fi
remind_at 2026-03-03T03:30:00Z
r=$(got)
if [ -z "$r" ]; then ok "75% again: no duplicates"; else not_ok "75% again: no duplicates" "got: $r"; fi

# ---- a partner without a contact, notify_contact = yes: nobody extra,
# no failed row for a missing address
conf '[partner "acme"]
notify_contact = yes'
fresh
SL partner edit acme --contact '' >/dev/null || not_ok "partner edit --contact ''"
remind_at 2026-03-02T21:30:00Z
r=$(got)
if [ "$r" = "bob@example.com support@example.com" ] &&
	[ "$(sql "SELECT count(*) FROM reminders WHERE state = 'failed'")" = 0 ]
then ok "no contact: nobody extra, nothing failed"
else not_ok "no contact: nobody extra, nothing failed" "got: $r" "$(sql "SELECT * FROM reminders")"; fi

# ---- partner show says who gets the partner's reminders
conf '[partner "acme"]
notify_contact = yes
notify = l2@example.com'
SL partner edit acme --contact ops@acme.example >/dev/null || not_ok "partner edit --contact"
run SL partner show acme
expect_grep "partner show: the contact" '^contact +ops@acme\.example$' "$TMP/out"
expect_grep "partner show: who is notified" \
	'^notified +ops@acme\.example, l2@example\.com \(every reminder and breach notice\)$' "$TMP/out"
conf ""
run SL partner show acme
expect_grep "partner show without a [partner] section: nobody extra" \
	'^notified +none besides the assignee or team and the managers$' "$TMP/out"
run SL help config
expect_grep "help config: the [partner \"KEY\"] keys" '^\[partner "KEY"\]$' "$TMP/out"
expect_grep "help config: notify_contact defaults to no" '^  notify_contact .*default no$' "$TMP/out"
