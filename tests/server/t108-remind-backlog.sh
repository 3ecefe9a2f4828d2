#!/bin/sh
# t108-remind-backlog.sh: the first `remind` on a database with a backlog
# (issue 11, item 5), against real SMTP and HTTP servers on loopback.
# Without a start it sends nothing, says what would go out and exits 1,
# every time until someone decides; --all sends the backlog; --since and
# [remind] start record what fell due before the start as skipped, and
# no later run sends those, while later levels go out as usual.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

start_smtp mx good
start_web hook ok
conf() {
	cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
[remind]
team = support@example.com
$1
[report]
managers = boss@example.com
[staff "bob"]
email = bob@example.com
[webhook "hook"]
url = http://127.0.0.1:$WPORT/hook
events = breach,threshold
EOF
	chmod 600 "$TMP/conf"
}
nposts() { ls "$TMP/hook" 2>/dev/null | grep -c '\.json$'; }
# fresh: a new database with the backlog of world() on which remind never
# ran (ACME-1 for bob, ACME-2 unassigned: the team; deadline Tue 09:00Z),
# and no mail or post received yet
fresh() {
	if on_pg; then	# a new, empty server database in place of the one for $TMP/db
		pg_fresh "$TMP/db"
	else
		rm -f "$TMP"/db "$TMP"/db-*
	fi
	rm -f "$TMP"/mx/*.eml "$TMP"/hook/post-*
	SL --now 2026-03-02T08:00:00Z partner add acme --name "Acme Corp" \
		--tz Europe/Berlin >/dev/null || echo "not ok - partner add"
	SL --now 2026-03-02T09:00:00Z ticket add --partner acme --severity critical \
		--summary "Printer on fire" --key ACME-1 --assignee bob >/dev/null ||
		echo "not ok - ticket add 1"
	SL --now 2026-03-02T09:00:00Z ticket add --partner acme --severity high \
		--summary "Login fails" --key ACME-2 >/dev/null || echo "not ok - ticket add 2"
}
changes() { sql "SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM reminders) || '/' || (SELECT count(*) FROM remind_watch) || '/' || (SELECT count(*) FROM meta)"; }

# ---- the first run on a backlog: refused, loudly, and nothing changes
conf ""
fresh
before=$(changes)
run SL --now 2026-03-04T12:00:00Z remind
if [ $rc -eq 1 ] && [ "$(nmsg mx)" = 0 ] && [ "$(nposts)" = 0 ] && [ "$(changes)" = "$before" ] &&
	[ ! -s "$TMP/out" ]
then ok "first run on a backlog: nothing sent, nothing changed, exit 1"
else not_ok "first run on a backlog: nothing sent, nothing changed, exit 1" "rc=$rc mails=$(nmsg mx) posts=$(nposts) $before -> $(changes)" "$(cat "$TMP/err")"; fi
if grep -q "^slatrack: remind: first run on this database: 6 notices about 2 tickets would go out (3 mails, 2 webhook posts), the oldest due since 2026-03-03T09:00:00Z; nothing was sent" "$TMP/err" &&
	grep -q "nothing was sent; run 'slatrack remind --since now' to skip this backlog (recorded as skipped, never sent) or 'slatrack remind --all' to send it" "$TMP/err"
then ok "first run: says what would go out and the two ways on"
else not_ok "first run: says what would go out and the two ways on" "$(cat "$TMP/err")"; fi
run SL --now 2026-03-04T12:15:00Z remind
if [ $rc -eq 1 ] && [ "$(nmsg mx)" = 0 ] && [ "$(nposts)" = 0 ] && grep -q 'first run on this database' "$TMP/err"
then ok "first run: every cron run repeats it until someone decides"
else not_ok "first run: every cron run repeats it until someone decides" "rc=$rc" "$(cat "$TMP/err")"; fi
run SL --now 2026-03-04T12:15:00Z remind --dry-run
if [ $rc -eq 0 ] && grep -q '^==== mail 1: to ' "$TMP/out" && [ "$(changes)" = "$before" ]
then ok "first run: --dry-run prints the backlog as usual"
else not_ok "first run: --dry-run prints the backlog as usual" "rc=$rc" "$(cat "$TMP/err")"; fi

# ---- --all: the backlog goes out, once
run SL --now 2026-03-04T12:20:00Z remind --all
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 3 ] && [ "$(nposts)" = 2 ] &&
	[ "$(sql "SELECT count(*) FROM reminders WHERE state = 'sent'")" = 6 ]
then ok "--all: the backlog is sent"
else not_ok "--all: the backlog is sent" "rc=$rc mails=$(nmsg mx) posts=$(nposts)" "$(cat "$TMP/err")"; fi
run SL --now 2026-03-04T12:30:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 3 ] && [ "$(nposts)" = 2 ] && [ ! -s "$TMP/err" ]
then ok "after the first run: an ordinary run, nothing twice"
else not_ok "after the first run: an ordinary run, nothing twice" "rc=$rc mails=$(nmsg mx)" "$(cat "$TMP/err")"; fi

# ---- --since now: the backlog is recorded skipped and never goes out
fresh
run SL --now 2026-03-04T12:00:00Z remind --since now -v
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 0 ] && [ "$(nposts)" = 0 ] &&
	[ "$(sql "SELECT count(*) FROM reminders WHERE state = 'skipped' AND last_error LIKE '%before the start%'")" = 6 ] &&
	[ "$(sql "SELECT count(*) FROM reminders")" = 6 ] &&
	grep -q '^remind: 6 reminders due before the start skipped for good$' "$TMP/out"
then ok "--since now: the backlog is recorded skipped, nothing sent"
else not_ok "--since now: the backlog is recorded skipped, nothing sent" "rc=$rc mails=$(nmsg mx) posts=$(nposts)" "$(sql 'SELECT ticket_id, threshold, channel, state, last_error FROM reminders')" "$(cat "$TMP/out" "$TMP/err")"; fi
if [ "$(sql "SELECT count(*) FROM events WHERE kind = 'remind.skip' AND new LIKE '%before the start%'")" = 6 ]
then ok "--since: the skips are audit events"
else not_ok "--since: the skips are audit events" "$(sql "SELECT kind, field, new FROM events WHERE kind LIKE 'remind%'")"; fi
# a ticket raised after the start gets its reminders; the skipped ones
# never go out, not even from a run without --since
SL --now 2026-03-04T12:00:00Z ticket add --partner acme --severity critical \
	--summary "Disk full" --key ACME-3 --assignee bob >/dev/null
run SL --now 2026-03-05T00:30:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 1 ] && [ "$(nposts)" = 1 ] &&
	grep -q '^bob@example.com|.*|\[slatrack\] 50% of SLA used: ACME-3 Disk full|' "$TMP/list"
then ok "after --since: new due levels go out"
else not_ok "after --since: new due levels go out" "rc=$rc mails=$(nmsg mx) posts=$(nposts)" "$(list_mail mx)" "$(cat "$TMP/err")"; fi
run SL --now 2026-03-06T12:00:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && ! grep -q 'ACME-[12]' "$TMP/list" && ! grep -l 'ACME-[12]' "$TMP"/hook/post-*.json >/dev/null 2>&1 &&
	[ "$(sql "SELECT count(*) FROM reminders WHERE ticket_id IN (1, 2) AND state <> 'skipped'")" = 0 ]
then ok "skipped reminders never go out later"
else not_ok "skipped reminders never go out later" "$(list_mail mx)" "$(sql 'SELECT ticket_id, threshold, channel, state FROM reminders')"; fi

# ---- [remind] start: the 90 % reminder (Tue 06:36Z) falls before it and is
# skipped; the breach notice (Tue 09:00Z) after it goes out
conf "start = 2026-03-03T07:00:00Z"
fresh
run SL --now 2026-03-03T08:00:00Z remind
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 0 ] && [ "$(nposts)" = 0 ] &&
	[ "$(sql "SELECT threshold || ' ' || state FROM reminders ORDER BY ticket_id, channel" | paste -sd , -)" = "90 skipped,90 skipped,90 skipped,90 skipped" ]
then ok "remind.start: no first-run refusal, what fell due before it is skipped"
else not_ok "remind.start: no first-run refusal, what fell due before it is skipped" "rc=$rc mails=$(nmsg mx) posts=$(nposts)" "$(sql 'SELECT ticket_id, threshold, channel, state FROM reminders')" "$(cat "$TMP/err")"; fi
run SL --now 2026-03-03T09:30:00Z remind
list_mail mx >"$TMP/list"
if [ $rc -eq 0 ] && [ "$(nposts)" = 2 ] &&
	grep -q '^bob@example.com|.*SLA BREACHED: ACME-1' "$TMP/list" &&
	grep -q '^boss@example.com|.*2 tickets need a first response' "$TMP/list" &&
	! grep -q '90% of SLA used' "$TMP/list"
then ok "remind.start: levels crossed after it go out"
else not_ok "remind.start: levels crossed after it go out" "rc=$rc posts=$(nposts)" "$(list_mail mx)" "$(cat "$TMP/err")"; fi
# --since overrides it
fresh
run SL --now 2026-03-03T09:30:00Z remind --since 2026-03-03T10:00:00Z
if [ $rc -eq 0 ] && [ "$(nmsg mx)" = 0 ] && [ "$(nposts)" = 0 ] &&
	[ "$(sql "SELECT count(*) FROM reminders WHERE state = 'skipped'")" = 6 ]
then ok "--since overrides remind.start"
else not_ok "--since overrides remind.start" "rc=$rc mails=$(nmsg mx)" "$(cat "$TMP/err")"; fi

# ---- a database whose backlog is empty: the first run goes ahead
conf ""
fresh
run SL --now 2026-03-02T09:30:00Z remind
run2=$rc
run SL --now 2026-03-02T21:30:00Z remind
if [ $run2 -eq 0 ] && [ $rc -eq 0 ] && [ "$(nmsg mx)" = 2 ] &&
	[ -n "$(sql "SELECT value FROM meta WHERE key = 'remind_started_at'")" ]
then ok "first run with nothing due: goes ahead, later runs send"
else not_ok "first run with nothing due: goes ahead, later runs send" "rc=$run2/$rc mails=$(nmsg mx)" "$(cat "$TMP/err")"; fi

# ---- bad values
expect_err "--since: bad instant is a usage error" 2 "--since: bad instant 'soon'" \
	SL --now 2026-03-03T09:30:00Z remind --since soon
expect_err "--since and --all exclude each other" 2 "exclude each other" \
	SL --now 2026-03-03T09:30:00Z remind --since now --all
conf "start = 2026-03-03T07:00"
expect_err "remind.start without an offset is bad configuration" 3 "start.*expected an instant with Z or an offset" \
	SL --now 2026-03-03T09:30:00Z remind
