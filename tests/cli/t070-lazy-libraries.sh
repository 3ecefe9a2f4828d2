#!/bin/sh
# libcurl and libpq are loaded when first needed, not at start-up: the
# binary does not list them as needed, every command that needs neither
# runs on a machine without them, and one that needs one says which
# library and which package, exit 4, with nothing lost (a reminder due
# stays pending).  "A machine without them" is this one with the library
# file covered by /dev/null in a private mount namespace (unshare -m as
# root, else in a user namespace, unshare -rm).
. "$(dirname "$0")/../lib.sh"

# libfile SONAME: the file the dynamic loader opens for SONAME
libfile() {
	f=$(ldconfig -p | awk -v so="$1" '$1 == so && /x86-64|64bit/ { print $NF; exit }')
	[ -n "$f" ] || f=$(ldconfig -p | awk -v so="$1" '$1 == so { print $NF; exit }')
	[ -n "$f" ] && readlink -f "$f"
}
# without SONAME CMD...: CMD with SONAME's file empty (run's conventions)
without() {
	lib=$(libfile "$1") || { rc=99; echo "no $1 on this machine" >"$TMP/err"; return; }
	shift
	for u in "unshare -m" "unshare -rm"; do
		$u sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' sh "$lib" "$@" \
			>"$TMP/out" 2>"$TMP/err"
		rc=$?
		grep -q "unshare\|mount:" "$TMP/err" || return
	done
}

# refused NAME PATTERN: the command just run exited 4 and said PATTERN
refused() {
	if [ $rc -eq 4 ] && grep -q -- "$2" "$TMP/err"; then ok "$1"
	else not_ok "$1" "rc=$rc" "$(cat "$TMP/err")"; fi
}

run readelf -d "$SLATRACK"
if [ $rc -eq 0 ] && grep -q 'NEEDED.*libsqlite3' "$TMP/out" &&
	! grep -q 'NEEDED.*\(libcurl\|libpq\)' "$TMP/out"; then
	ok "the binary needs neither libcurl nor libpq at start-up"
else
	not_ok "the binary needs neither libcurl nor libpq at start-up" "rc=$rc" "$(grep NEEDED "$TMP/out")"
fi

SL() { "$SLATRACK" --db "$TMP/db" --config "$TMP/conf" "$@"; }
cat >"$TMP/conf" <<CONF
[smtp]
url = smtp://127.0.0.1:9
from = sla@example.com
[remind]
team = support@example.com
CONF
SL --now 2026-03-02T08:00:00Z partner add acme --name Acme --tz Europe/Berlin >/dev/null &&
	SL --now 2026-03-02T09:00:00Z ticket add --partner acme --severity critical \
		--summary "Printer on fire" --key ACME-1 >/dev/null &&
	SL --now 2026-03-02T09:00:00Z remind >/dev/null ||
	not_ok "set-up: a partner, a ticket, a first remind run"

without libcurl.so.4 "$SLATRACK" --db "$TMP/db" --config "$TMP/conf" \
	--now 2026-03-02T10:00:00Z ticket list
if [ $rc -eq 0 ] && grep -q 'ACME-1' "$TMP/out" && [ ! -s "$TMP/err" ]; then
	ok "without libcurl: ticket list works"
else
	not_ok "without libcurl: ticket list works" "rc=$rc" "$(cat "$TMP/err")"
fi

without libcurl.so.4 "$SLATRACK" --db "$TMP/db" --config "$TMP/conf" \
	--now 2026-03-02T10:00:00Z partner add web --name Web --tz UTC \
	--calendar https://calendars.example.com/web.ics
if [ $rc -eq 4 ] && grep -q 'cannot load libcurl.so.4 (.*); install the libcurl4 package' "$TMP/err" &&
	[ "$(SL partner list --format csv | grep -c '^web,')" = 0 ]; then
	ok "without libcurl: a calendar URL is refused naming libcurl4, no partner added"
else
	not_ok "without libcurl: a calendar URL is refused naming libcurl4, no partner added" \
		"rc=$rc" "$(cat "$TMP/err")"
fi

# 21:30Z is past the 50 % threshold (Mon 21:00Z) of a 24 h target
without libcurl.so.4 "$SLATRACK" --db "$TMP/db" --config "$TMP/conf" \
	--now 2026-03-02T21:30:00Z remind
sent=$(sqlite3 "$TMP/db" "SELECT count(*) FROM reminders WHERE state = 'sent'")
if [ $rc -eq 4 ] && grep -q '^slatrack: remind: cannot load libcurl.so.4' "$TMP/err" && [ "$sent" = 0 ]; then
	ok "without libcurl: remind fails loudly, exit 4, nothing marked sent"
else
	not_ok "without libcurl: remind fails loudly, exit 4, nothing marked sent" "rc=$rc sent=$sent" \
		"$(cat "$TMP/err")"
fi
run SL --now 2026-03-02T21:30:00Z remind --dry-run
if [ $rc -eq 0 ] && grep -q 'ACME-1' "$TMP/out"; then
	ok "without libcurl: the reminder is still due for the next run"
else
	not_ok "without libcurl: the reminder is still due for the next run" "rc=$rc" \
		"$(cat "$TMP/out" "$TMP/err")"
fi

cat >"$TMP/jira.conf" <<CONF
[jira]
url = https://example.atlassian.net
jql = project = SUP
email = bot@example.com
token = secret
CONF
chmod 600 "$TMP/jira.conf"	# it holds a secret
without libcurl.so.4 "$SLATRACK" --db "$TMP/db" --config "$TMP/jira.conf" \
	--now 2026-03-02T10:00:00Z sync jira
refused "without libcurl: sync jira names libcurl4, not jira.url" \
	'^slatrack: sync: cannot load libcurl.so.4 (.*); install the libcurl4 package'

without libpq.so.5 "$SLATRACK" --db "$TMP/db" --config "$TMP/conf" \
	--now 2026-03-02T10:00:00Z ticket list
if [ $rc -eq 0 ] && grep -q 'ACME-1' "$TMP/out"; then
	ok "without libpq: a SQLite database works"
else
	not_ok "without libpq: a SQLite database works" "rc=$rc" "$(cat "$TMP/err")"
fi

without libpq.so.5 "$SLATRACK" --db postgresql://127.0.0.1:9/slatrack ticket list
refused "without libpq: a PostgreSQL URL is refused naming libpq5" \
	'cannot load libpq.so.5 (.*); install the libpq5 package'
