#!/bin/sh
# t120-sync-jira.sh: `slatrack sync jira` against a Jira Cloud REST API on
# loopback (tests/server/jirad.py): paging by nextPageToken, the mapping
# (priority table, partner by project, staff by e-mail, first public agent
# comment, also from the comment endpoint), audit events of sync:jira,
# idempotency, incremental JQL, hand edits kept and conflicts reported,
# --dry-run, 429 with Retry-After, 500, 410, a hang, a malformed body, 401,
# one transaction per page, and loud configuration errors.
. "$(dirname "$0")/../lib.sh"
HERE=$TOP/tests/server
PY=python3
SERVERS=""
stop_servers() {
	for pid in $SERVERS; do kill "$pid" 2>/dev/null; done
	for pid in $SERVERS; do wait "$pid" 2>/dev/null; done
	SERVERS=""
}
trap 'stop_servers; rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT PIPE TERM

J=$TMP/jira
mkdir -p "$J"
echo "bot@example.com:tok-secret" >"$J/auth"
echo 2 >"$J/comment_limit"

# issues as Jira returns them (comment lists complete here; jirad.py pages them)
issues() {
	# $1: SUP-1's priority, $2: SUP-2's priority, $3: SUP-2's updated, $4: SUP-1's updated
	cat >"$J/issues.json.tmp" <<EOF
[
 {"id": "10001", "key": "SUP-1", "fields": {
  "summary": "Checkout page returns 500",
  "created": "2026-12-01T09:30:00.000+0100", "updated": "${4:-2026-12-01T11:00:00.000+0100}",
  "priority": {"name": "$1", "id": "2"},
  "assignee": {"accountId": "a-bob", "displayName": "Bob Builder", "emailAddress": "bob@example.com"},
  "reporter": {"accountId": "c-1", "displayName": "Carla Customer", "accountType": "customer"},
  "project": {"key": "SUP", "name": "Support"},
  "resolutiondate": null,
  "comment": {"comments": [
   {"id": "1", "author": {"accountId": "c-1", "displayName": "Carla Customer", "accountType": "customer"}, "created": "2026-12-01T09:40:00.000+0100", "jsdPublic": true},
   {"id": "2", "author": {"accountId": "a-ann", "displayName": "Ann Agent", "accountType": "atlassian"}, "created": "2026-12-01T09:50:00.000+0100", "jsdPublic": false},
   {"id": "3", "author": {"accountId": "a-ann", "displayName": "Ann Agent", "accountType": "atlassian"}, "created": "2026-12-01T10:15:00.000+0100", "jsdPublic": true}
  ]}}},
 {"id": "10002", "key": "SUP-2", "fields": {
  "summary": "Invoices missing",
  "created": "2026-12-02T14:00:00.000+0000", "updated": "$3",
  "priority": {"name": "$2", "id": "1"},
  "assignee": null,
  "reporter": {"accountId": "c-2", "displayName": "Dan", "accountType": "customer"},
  "project": {"key": "SUP", "name": "Support"},
  "resolutiondate": "2026-12-03T09:00:00.000+0000",
  "comment": {"comments": [
   {"id": "4", "author": {"accountId": "a-bob", "displayName": "Bob Builder", "accountType": "atlassian"}, "created": "2026-12-02T14:30:00.000+0000", "jsdPublic": true}
  ]}}},
 {"id": "10003", "key": "GLX-1", "fields": {
  "summary": "SSO login loops",
  "created": "2026-12-02T08:00:00.000-0500", "updated": "2026-12-02T16:00:00.000-0500",
  "priority": {"name": "Medium", "id": "3"},
  "assignee": {"accountId": "a-zoe", "displayName": "Zoe Zed"},
  "reporter": {"accountId": "c-3", "displayName": "Eve", "accountType": "customer"},
  "project": {"key": "GLX", "name": "Globex"},
  "resolutiondate": null,
  "comment": {"comments": [
   {"id": "5", "author": {"accountId": "c-3", "displayName": "Eve", "accountType": "customer"}, "created": "2026-12-02T08:05:00.000-0500", "jsdPublic": true},
   {"id": "6", "author": {"accountId": "a-zoe", "displayName": "Zoe Zed", "accountType": "atlassian"}, "created": "2026-12-02T08:10:00.000-0500", "jsdPublic": false},
   {"id": "7", "author": {"accountId": "a-zoe", "displayName": "Zoe Zed", "accountType": "atlassian"}, "created": "2026-12-02T09:00:00.000-0500", "jsdPublic": true}
  ]}}}${5:-}
]
EOF
	mv "$J/issues.json.tmp" "$J/issues.json"
}
issues High Highest 2026-12-03T09:00:00.000+0000

"$PY" "$HERE/jirad.py" "$J" 2>"$TMP/jirad.log" &
SERVERS="$SERVERS $!"
i=0
while [ ! -s "$J/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
JPORT=$(cat "$J/port")

conf() {
	cat >"$TMP/conf" <<EOF
[jira]
url = http://127.0.0.1:$JPORT
email = bot@example.com
token = ${TOKEN:-tok-secret}
jql = project in (SUP, GLX) ORDER BY key
page_size = 2
timeout = 2s
[partner "acme"]
jira = SUP
[partner "globex"]
jira = GLX
[staff "bob"]
email = bob@example.com
EOF
	chmod 600 "$TMP/conf"
}
conf
SL() { "$SLATRACK" --db "$TMP/db" --config "$TMP/conf" "$@"; }
NOW="--now 2026-12-04T12:00:00Z"
sql() { sqlite3 "$TMP/db" "$1"; }
nevents() { sql "SELECT count(*) FROM events WHERE actor = 'sync:jira'"; }

SL --now 2026-11-01T00:00:00Z partner add acme --name Acme --tz Europe/Berlin >/dev/null &&
	SL --now 2026-11-01T00:00:00Z partner add globex --name Globex --tz America/New_York >/dev/null ||
	echo "not ok - partner add"

# the old endpoint is gone (the fixture answers as Jira does)
if "$PY" -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=10)
except urllib.error.HTTPError as e:
    sys.exit(e.code != 410)
sys.exit(1)' "http://127.0.0.1:$JPORT/rest/api/3/search?jql=x"
then ok "fixture: /rest/api/3/search answers 410"; else not_ok "fixture: /rest/api/3/search answers 410"; fi

# --dry-run: what would change, nothing written
run SL $NOW sync jira --dry-run
if [ $rc -eq 0 ] && grep -q '^SUP-1: added (partner acme, high, created 2026-12-01T08:30:00Z, responded 2026-12-01T09:15:00Z)' "$TMP/out" &&
	grep -q 'dry run: nothing written' "$TMP/out" && [ "$(sql 'SELECT count(*) FROM tickets')" = 0 ] &&
	[ "$(nevents)" = 0 ] && [ "$(sql 'SELECT count(*) FROM sync_state')" = 0 ]
then ok "dry run: lists the additions, writes nothing"; else not_ok "dry run: lists the additions, writes nothing" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi

# the first sync
: >"$J/requests.log"; : >"$J/search.log"
run SL $NOW sync jira
if [ $rc -eq 0 ] && grep -q '^jira: 3 issues in 2 pages (all of jira.jql): 3 added, 0 updated, 0 unchanged, 0 conflicts, 0 skipped$' "$TMP/out"
then ok "first sync: 3 issues in 2 pages added"; else not_ok "first sync: 3 issues in 2 pages added" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi
if on_pg; then	# no strftime() there
	iso() { echo "ifnull(to_char(to_timestamp($1) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-')"; }
else
	iso() { echo "ifnull(strftime('%Y-%m-%dT%H:%M:%SZ', $1, 'unixepoch'), '-')"; }
fi
got=$(sql "SELECT t.key, p.key, t.severity, t.summary, ifnull(t.assignee,'-'), $(iso t.created_at), $(iso t.first_response_at), ifnull(t.responded_by,'-'), $(iso t.resolved_at) FROM tickets t JOIN partners p ON p.id = t.partner_id ORDER BY t.key")
want="GLX-1|globex|medium|SSO login loops|Zoe Zed|2026-12-02T13:00:00Z|2026-12-02T14:00:00Z|Zoe Zed|-
SUP-1|acme|high|Checkout page returns 500|bob|2026-12-01T08:30:00Z|2026-12-01T09:15:00Z|Ann Agent|-
SUP-2|acme|critical|Invoices missing|-|2026-12-02T14:00:00Z|2026-12-02T14:30:00Z|Bob Builder|2026-12-03T09:00:00Z"
if [ "$got" = "$want" ]; then ok "mapping: partner, priority, staff by e-mail, first public agent comment, resolutiondate"
else not_ok "mapping" "want: $want" "got:  $got"; fi
if [ "$(sql "SELECT count(*) FROM tickets WHERE key = 'SUP-1' AND deadline_at IS NOT NULL")" = 1 ] &&
	[ "$(sql "SELECT count(*) FROM tickets WHERE key = 'GLX-1' AND deadline_at IS NULL")" = 1 ]
then ok "deadlines from the partner's targets"; else not_ok "deadlines from the partner's targets"; fi
if grep -q '^GET /rest/api/3/issue/GLX-1/comment?startAt=2&maxResults=100&orderBy=created 200$' "$J/requests.log" &&
	grep -q '^GET /rest/api/3/issue/SUP-1/comment?startAt=2&' "$J/requests.log" &&
	! grep -q 'SUP-2/comment' "$J/requests.log"
then ok "comments beyond the search's page come from the comment endpoint, only when needed"
else not_ok "comment endpoint" "$(cat "$J/requests.log")"; fi
if [ "$(wc -l <"$J/search.log")" = 2 ] &&
	"$PY" -c 'import json,sys
l=[json.loads(x) for x in open(sys.argv[1])]
assert l[0]["jql"]=="project in (SUP, GLX) ORDER BY key" and "nextPageToken" not in l[0]
assert l[1]["nextPageToken"] and l[0]["maxResults"]==2
assert {"summary","created","updated","priority","assignee","reporter","project","resolutiondate","comment"} <= set(l[0]["fields"])' "$J/search.log" &&
	! grep -q ' /rest/api/3/search ' "$J/requests.log"
then ok "POST search/jql with explicit fields, paged by nextPageToken; the old endpoint unused"
else not_ok "search requests" "$(cat "$J/search.log" "$J/requests.log")"; fi
if [ "$(sql "SELECT count(*) FROM events WHERE actor = 'sync:jira' AND kind = 'ticket.sync'")" = 3 ] &&
	[ "$(sql "SELECT count(*) FROM events WHERE actor <> 'sync:jira' AND ticket_id IS NOT NULL")" = 0 ]
then ok "audit: one ticket.sync event per added ticket, actor sync:jira"; else not_ok "audit events" "$(sql 'SELECT actor, kind, field FROM events')"; fi
run SL audit verify
if [ $rc -eq 0 ]; then ok "audit chain holds"; else not_ok "audit chain holds" "$(cat "$TMP/out" "$TMP/err")"; fi

# idempotent; the second run asks only for what changed since
before=$(nevents)
run SL $NOW sync jira --full
if [ $rc -eq 0 ] && grep -q '0 added, 0 updated, 3 unchanged' "$TMP/out" && [ "$(nevents)" = "$before" ] &&
	[ "$(sql 'SELECT count(*) FROM tickets')" = 3 ]
then ok "a second run over every issue changes nothing, no new events"; else not_ok "second run changes nothing" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi
: >"$J/search.log"
run SL --now 2026-12-04T12:30:00Z sync jira
if grep -q '"jql": "(project in (SUP, GLX)) AND updated >= \\"2026/12/04 11:50\\" ORDER BY key"' "$J/search.log"
then ok "incremental: updated >= the last sync less jira.overlap, before ORDER BY"; else not_ok "incremental JQL" "$(cat "$J/search.log")"; fi

# Jira changes SUP-2's priority: the severity follows, the deadline too
issues High Medium 2026-12-04T12:40:00.000+0000
run SL --now 2026-12-04T13:00:00Z sync jira --dry-run
if [ $rc -eq 0 ] && grep -q '^SUP-2: severity critical -> medium$' "$TMP/out" &&
	[ "$(sql "SELECT severity FROM tickets WHERE key = 'SUP-2'")" = critical ]
then ok "dry run: shows the change, keeps the ticket"; else not_ok "dry run of a change" "$(cat "$TMP/out" "$TMP/err")"; fi
run SL --now 2026-12-04T13:00:00Z sync jira
if [ $rc -eq 0 ] && grep -q '1 issue in 1 page (updated since the last sync): 0 added, 1 updated' "$TMP/out" &&
	[ "$(sql "SELECT severity, CASE WHEN deadline_at IS NULL THEN 1 ELSE 0 END FROM tickets WHERE key = 'SUP-2'")" = "medium|1" ] &&
	[ "$(sql "SELECT count(*) FROM events WHERE actor = 'sync:jira' AND kind = 'ticket.sync' AND field = 'severity' AND old = 'critical' AND new = 'medium'")" = 1 ]
then ok "a Jira change is written, with its event and the new deadline"; else not_ok "a Jira change" "$(cat "$TMP/out" "$TMP/err")" "$(sql 'SELECT id, actor, field, old, new FROM events ORDER BY id DESC LIMIT 4')"; fi

# a hand edit in slatrack that Jira did not touch stays
SL --now 2026-12-04T13:10:00Z ticket edit SUP-1 --summary "Checkout 500 (EU only)" >/dev/null || echo "not ok - ticket edit"
issues High Medium 2026-12-04T12:40:00.000+0000 2026-12-04T13:15:00.000+0000
run SL --now 2026-12-04T13:20:00Z sync jira
if [ $rc -eq 0 ] && [ "$(sql "SELECT summary FROM tickets WHERE key = 'SUP-1'")" = "Checkout 500 (EU only)" ]
then ok "a hand edit of a field Jira did not change is kept"; else not_ok "hand edit kept" "$(cat "$TMP/out" "$TMP/err")"; fi

# both changed the severity: a conflict, reported, the ticket left alone
SL --now 2026-12-04T13:30:00Z ticket edit SUP-1 --severity critical >/dev/null || echo "not ok - ticket edit"
issues Low Medium 2026-12-04T12:40:00.000+0000 2026-12-04T13:35:00.000+0000
before=$(nevents)
run SL --now 2026-12-04T13:40:00Z sync jira
if [ $rc -eq 1 ] && grep -q '^SUP-1: conflict: severity critical in slatrack, low in Jira (was high); ticket #[0-9]* left alone' "$TMP/err" &&
	grep -q '1 issue not synced' "$TMP/err" &&
	[ "$(sql "SELECT severity FROM tickets WHERE key = 'SUP-1'")" = critical ] && [ "$(nevents)" = "$before" ]
then ok "conflict: reported, exit 1, the hand edit not overwritten"; else not_ok "conflict" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi
last=$(sql "SELECT synced_at FROM sync_state WHERE source = 'jira'")
if [ "$last" = "$(date -u -d 2026-12-04T13:20:00Z +%s)" ]; then ok "a run with a conflict does not move the last-sync mark"; else not_ok "mark after conflict" "$last"; fi
# Jira agrees again: no conflict any more
issues Critical Medium 2026-12-04T12:40:00.000+0000 2026-12-04T13:45:00.000+0000
sed -i 's/^jql = .*/&\nseverity = Critical=critical,High=high,Medium=medium,Low=low/' "$TMP/conf"
run SL --now 2026-12-04T13:50:00Z sync jira
if [ $rc -eq 0 ] && [ "$(sql "SELECT severity FROM tickets WHERE key = 'SUP-1'")" = critical ]
then ok "when both say the same, the conflict is gone"; else not_ok "conflict resolved" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi

# an issue of a project no partner maps: skipped and named, the rest written
issues Critical Medium 2026-12-04T12:40:00.000+0000 2026-12-04T13:45:00.000+0000 ',
 {"id": "10009", "key": "ZZZ-1", "fields": {"summary": "Who am I", "created": "2026-12-04T10:00:00.000+0000", "updated": "2026-12-04T14:00:00.000+0000", "priority": {"name": "High"}, "assignee": null, "reporter": null, "project": {"key": "ZZZ"}, "resolutiondate": null, "comment": {"comments": [], "total": 0}}},
 {"id": "10010", "key": "SUP-9", "fields": {"summary": "Fine", "created": "2026-12-04T10:00:00.000+0000", "updated": "2026-12-04T14:00:00.000+0000", "priority": {"name": "Blocker"}, "assignee": null, "reporter": null, "project": {"key": "SUP"}, "resolutiondate": null, "comment": {"comments": [], "total": 0}}}'
run SL --now 2026-12-04T14:10:00Z sync jira
if [ $rc -eq 1 ] && grep -q "^SUP-9: skipped: priority 'Blocker' is not in jira.severity" "$TMP/err" &&
	grep -q "ZZZ-1: skipped: .*add jira = ZZZ to the \[partner \"KEY\"\] section of $TMP/conf" "$TMP/err" &&
	grep -q '0 conflicts, 2 skipped' "$TMP/out" && ! grep -q skipped: "$TMP/out"
then ok "unknown priority and unmapped project: skipped, naming the keys to set"; else not_ok "unmapped" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi
issues High Medium 2026-12-04T12:40:00.000+0000 2026-12-04T13:45:00.000+0000
conf
sql "DELETE FROM sync_state" 2>/dev/null

# failures: 429 honoured, 500, 410, a hang, a malformed body, 401
echo "429 1 1" >"$J/faults"
: >"$J/requests.log"
run SL --now 2026-12-04T15:00:00Z sync jira --full
if [ $rc -eq 0 ] && grep -q '^POST /rest/api/3/search/jql 429$' "$J/requests.log" &&
	[ "$(grep -c '^POST /rest/api/3/search/jql 200$' "$J/requests.log")" = 2 ]
then ok "429 with Retry-After: waited and retried"; else not_ok "429" "rc=$rc" "$(cat "$J/requests.log" "$TMP/err")"; fi
echo "429 1 3600" >"$J/faults"
t0=$(date +%s)
run SL --now 2026-12-04T16:00:00Z sync jira --full
t1=$(date +%s)
if [ $rc -eq 4 ] && grep -q 'HTTP 429: Jira asks to wait 3600 s' "$TMP/err" && [ $((t1 - t0)) -lt 30 ]
then ok "429 asking for an hour: gives up at once"; else not_ok "429 long" "rc=$rc" "$(cat "$TMP/err")"; fi
echo "429 1 2" >"$J/faults"
sed -i 's/^\[jira\]$/&\nlimit = 1s/' "$TMP/conf"
run SL --now 2026-12-04T16:00:00Z sync jira --full
conf
if [ $rc -eq 4 ] && grep -q 'Jira asks to wait 2 s (Retry-After) after 0 waits: gave up (it would run past jira.limit)' "$TMP/err"
then ok "a wait past jira.limit is not started"; else not_ok "jira.limit" "rc=$rc" "$(cat "$TMP/err")"; fi
echo "500 9" >"$J/faults"
run SL --now 2026-12-04T16:00:00Z sync jira --full
if [ $rc -eq 4 ] && grep -q 'search/jql: HTTP 500: Internal server error' "$TMP/err"
then ok "500: retried, then exit 4 naming the status"; else not_ok "500" "rc=$rc" "$(cat "$TMP/err")"; fi
echo "gone 1" >"$J/faults"
run SL --now 2026-12-04T16:00:00Z sync jira --full
if [ $rc -eq 4 ] && grep -q 'HTTP 410 Gone: Jira removed this API endpoint' "$TMP/err"
then ok "410: named"; else not_ok "410" "rc=$rc" "$(cat "$TMP/err")"; fi
echo "hang 1 20" >"$J/faults"
t0=$(date +%s)
run SL --now 2026-12-04T16:00:00Z sync jira --full
t1=$(date +%s)
if [ $rc -eq 4 ] && grep -q 'no answer in time' "$TMP/err" && [ $((t1 - t0)) -lt 30 ]
then ok "a server that never answers: jira.timeout, exit 4"; else not_ok "hang" "rc=$rc $((t1 - t0)) s" "$(cat "$TMP/err")"; fi
echo "garbage 1" >"$J/faults"
run SL --now 2026-12-04T16:00:00Z sync jira --full
if [ $rc -eq 4 ] && grep -q 'malformed JSON at line 1' "$TMP/err"
then ok "malformed body: exit 4"; else not_ok "malformed" "rc=$rc" "$(cat "$TMP/err")"; fi
: >"$J/faults"
TOKEN=wrong conf
run SL --now 2026-12-04T16:00:00Z sync jira
if [ $rc -eq 3 ] && grep -q 'HTTP 401: Jira refused the account: check jira.email and jira.token' "$TMP/err" &&
	! grep -q wrong "$TMP/err"
then ok "401: exit 3 naming the keys, not the token"; else not_ok "401" "rc=$rc" "$(cat "$TMP/err")"; fi
conf
if [ "$(sql "SELECT synced_at FROM sync_state")" = "$(date -u -d 2026-12-04T15:00:00Z +%s)" ]
then ok "failed runs do not move the last-sync mark"; else not_ok "failed runs do not move the mark" "$(sql 'SELECT * FROM sync_state')"; fi

# one transaction per page: page 1 stays when page 2 fails
if on_pg; then	# a new, empty server database in place of the one for $TMP/db
	pg_fresh "$TMP/db"
else
	rm -f "$TMP/db"
fi
SL --now 2026-11-01T00:00:00Z partner add acme --name Acme --tz Europe/Berlin >/dev/null
SL --now 2026-11-01T00:00:00Z partner add globex --name Globex --tz America/New_York >/dev/null
printf 'pass 1\ngarbage 1\n' >"$J/faults"
run SL $NOW sync jira
if [ $rc -eq 4 ] && [ "$(sql 'SELECT key FROM tickets ORDER BY key' | paste -sd , -)" = "SUP-1,SUP-2" ] &&
	[ "$(sql 'SELECT count(*) FROM sync_state')" = 0 ]
then ok "page 2 fails: page 1 is written, no last-sync mark"; else not_ok "per page" "rc=$rc" "$(sql 'SELECT key FROM tickets')" "$(cat "$TMP/err")"; fi
run SL $NOW sync jira
if [ $rc -eq 0 ] && grep -q '1 added, 0 updated, 2 unchanged' "$TMP/out"
then ok "the next run completes it"; else not_ok "next run" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi

# token_command instead of a token in the file
echo tok-secret >"$TMP/tok"
sed -i "s|^token = .*|token_command = cat $TMP/tok|" "$TMP/conf"
chmod 644 "$TMP/conf"
run SL $NOW sync jira
if [ $rc -eq 0 ]; then ok "token_command"; else not_ok "token_command" "$(cat "$TMP/err")"; fi

# loud configuration errors
sed -i '/^jql = /d' "$TMP/conf"
expect_err "missing jira.jql: exit 3 naming it" 3 "jira.jql is not set in $TMP/conf" SL $NOW sync jira
printf '[jira]\njql = x\nemail = a@b.c\ntoken_command = true\n' >"$TMP/conf2"
run "$SLATRACK" --db "$TMP/db" --config "$TMP/conf2" sync jira
if [ $rc -eq 3 ] && grep -q 'jira.url is not set' "$TMP/err"; then ok "missing jira.url: exit 3 naming it"; else not_ok "missing url" "rc=$rc $(cat "$TMP/err")"; fi
printf '[jira]\nurl = http://jira.example.com\njql = x\nemail = a@b.c\ntoken_command = true\n' >"$TMP/conf2"
expect_err "plain http:// to a remote host is refused" 3 "jira.url: .*plain http:// is refused" "$SLATRACK" --db "$TMP/db" --config "$TMP/conf2" sync jira
if on_pg; then	# a database the server does not have (tests/pg/on-pg would make one for any path)
	SLATRACK_DB="postgresql:///t120_nodb?host=$SLATRACK_TEST_PG&user=slatrack" \
		expect_err "sync on a missing database: exit 4" 4 'database "t120_nodb" does not exist' \
		"$SLATRACK" --config "$TMP/conf" sync jira
else
	expect_err "sync on a missing database: exit 4" 4 "" "$SLATRACK" --db "$TMP/nodb" --config "$TMP/conf" sync jira
fi
expect_err "sync without a helpdesk: usage" 2 "sync jira" SL sync
