#!/bin/sh
# `slatrack calendar refresh` and URL calendars against a real HTTP server
# on loopback (tests/data/ics-server.py): ETag/If-None-Match and 304, a
# changed feed recorded with old and new digest, and failures (HTTP 500,
# a body that is not iCalendar, a missing file, nobody listening) that
# keep the last good copy, say so on stderr and set the exit status.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/r.db
S="$SLATRACK --db $DB --now 2026-01-05T10:00:00Z"
WWW=$TMP/www
mkdir -p "$WWW"

if ! command -v python3 >/dev/null 2>&1; then
	ok "# SKIP no python3 for the HTTP server"
	exit 0
fi
python3 "$DATA/ics-server.py" "$WWW" &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$WWW/.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$WWW/.port" 2>/dev/null)
if [ -z "$PORT" ]; then not_ok "the test HTTP server started"; exit 1; fi
URL=http://127.0.0.1:$PORT/h.ics

ics() {	# ics FILE SUMMARY DATE...
	f=$1 s=$2; shift 2
	{
		printf 'BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//slatrack//test//EN\n'
		for d in "$@"; do
			printf 'BEGIN:VEVENT\nUID:%s@test\nDTSTART;VALUE=DATE:%s\nSUMMARY:%s\nEND:VEVENT\n' "$d" "$d" "$s"
		done
		printf 'END:VCALENDAR\n'
	} >"$f"
}
events() { sqlite3 "$DB" "SELECT kind || ' ' || coalesce(field, '-') || ' ' || coalesce(old, '(null)') || ' -> ' || coalesce(new, '(null)') FROM events ORDER BY id" 2>/dev/null; }
state() { $SLATRACK --db "$DB" partner list --all --format csv 2>&1; sqlite3 "$DB" 'SELECT count(*) FROM events' 2>/dev/null; }
digest() { sqlite3 "$DB" "SELECT digest FROM calendars c JOIN partners p ON p.id = c.partner_id WHERE p.key = '$1'" 2>/dev/null; }

ics "$WWW/h.ics" "Feiertag" 20260106 20261225
ics "$TMP/local.ics" "Local day" 20260107

# ---- add with a URL -----------------------------------------------------------
expect_out "add: a loopback http:// calendar is fetched" \
	"added partner 'web': Web, Europe/Berlin, mon-fri, whole days, 1 calendar" \
	$S partner add web --name Web --tz Europe/Berlin --calendar "$URL"
expect_out "add: a file calendar" \
	"added partner 'file': File, UTC, mon-fri, whole days, 1 calendar" \
	$S partner add file --name File --tz UTC --calendar "$TMP/local.ics"
run $S partner show web
expect_grep "show: the URL" "^  1\\. $URL  \\(URL\\)$" "$TMP/out"
expect_grep "show: the ETag is kept" '^     validators +ETag "[0-9a-f]{16}", Last-Modified ' "$TMP/out"
expect_grep "show: horizon from the feed" '^     horizon +2026-12-25$' "$TMP/out"
expect_grep "show: the fetched holiday counts" '^  Tue 2026-01-06  holiday Feiertag \(http://127.0.0.1:[0-9]+/h.ics:[0-9]+\)$' "$TMP/out"
old_digest=$(digest web)

# ---- refresh: unchanged (304) -----------------------------------------------
: >"$WWW/.log"
run $S calendar refresh
[ "$rc" -eq 0 ] && ok "refresh all: exit 0" || not_ok "refresh all: exit 0" "exit $rc" "$(cat "$TMP/err")"
expect_grep "refresh: URL unchanged" "^web: $URL: unchanged$" "$TMP/out"
expect_grep "refresh: file unchanged" "^file: $TMP/local.ics: unchanged$" "$TMP/out"
expect_grep "refresh sends the stored ETag and gets 304" '^/h.ics If-None-Match="[0-9a-f]{16}" If-Modified-Since=[A-Z].* 304$' "$WWW/.log"
if grep -q recompute "$TMP/out"; then not_ok "no recompute hint when nothing changed" "$(cat "$TMP/out")"
else ok "no recompute hint when nothing changed"; fi
before=$(events | wc -l)

# ---- refresh: changed ------------------------------------------------------------
ics "$WWW/h.ics" "Feiertag" 20260106 20261225 20270101
run $S calendar refresh web
[ "$rc" -eq 0 ] && ok "refresh KEY: exit 0" || not_ok "refresh KEY: exit 0" "exit $rc" "$(cat "$TMP/err")"
expect_grep "refresh: changed feed is updated" "^web: $URL: updated \\([0-9a-f]{12} -> [0-9a-f]{12}\\), horizon 2027-01-01$" "$TMP/out"
expect_grep "refresh: says recompute is needed" "run 'slatrack recompute'" "$TMP/out"
if grep -q '^file:' "$TMP/out"; then not_ok "refresh KEY touches only that partner" "$(cat "$TMP/out")"
else ok "refresh KEY touches only that partner"; fi
new_digest=$(digest web)
[ "$old_digest" != "$new_digest" ] && ok "refresh: the new body is stored" || not_ok "refresh: the new body is stored"
if command -v sqlite3 >/dev/null 2>&1; then
	events >"$TMP/ev"
	expect_grep "refresh: event with old and new digest" "^calendar.refresh calendars\\[0\\].digest $old_digest -> $new_digest\$" "$TMP/ev"
fi
run $S partner show web
expect_grep "refresh: the new holiday counts" 'holiday Feiertag' "$TMP/out"

# ---- refresh: HTTP 500 keeps the last good copy ---------------------------------
echo 500 >"$WWW/.mode"
run $SLATRACK --db "$DB" --now 2026-01-06T10:00:00Z calendar refresh
[ "$rc" -eq 4 ] && ok "refresh: HTTP 500 exits 4" || not_ok "refresh: HTTP 500 exits 4" "exit $rc"
expect_grep "refresh: loud message with URL, status and the copy kept" \
	"^slatrack: calendar refresh: web: $URL: HTTP 500 Internal Server Error — keeping the copy from 2026-01-05$" "$TMP/err"
expect_grep "refresh: the other partners are still refreshed" "^file: $TMP/local.ics: unchanged$" "$TMP/out"
[ "$(digest web)" = "$new_digest" ] && ok "refresh: 500 keeps the body" || not_ok "refresh: 500 keeps the body"
run $S partner show web
expect_grep "show: the last error" "^     last error +$URL: HTTP 500 Internal Server Error$" "$TMP/out"
expect_grep "show: the last good refresh stays" '^     refreshed +2026-01-05T10:00:00Z$' "$TMP/out"
if command -v sqlite3 >/dev/null 2>&1; then
	events >"$TMP/ev"
	expect_grep "refresh: the failure is an event" "^calendar.error calendars\\[0\\].last_error \\(null\\) -> $URL: HTTP 500 Internal Server Error\$" "$TMP/ev"
fi

# ---- refresh: a body that is not iCalendar ----------------------------------------
echo garbage >"$WWW/.mode"
run $S calendar refresh web
[ "$rc" -eq 3 ] && ok "refresh: malformed feed exits 3" || not_ok "refresh: malformed feed exits 3" "exit $rc"
expect_grep "refresh: malformed names URL:LINE and keeps the copy" \
	"^slatrack: calendar refresh: web: $URL:1: .* — keeping the copy from 2026-01-05$" "$TMP/err"
[ "$(digest web)" = "$new_digest" ] && ok "refresh: garbage keeps the body" || not_ok "refresh: garbage keeps the body"

# ---- both kinds at once: network wins -----------------------------------------------
echo 500 >"$WWW/.mode"
mv "$TMP/local.ics" "$TMP/local.ics.gone"
run $S calendar refresh
[ "$rc" -eq 4 ] && ok "refresh: 500 and a missing file: exit 4" || not_ok "refresh: 500 and a missing file: exit 4" "exit $rc"
expect_grep "refresh: missing file reported" "^slatrack: calendar refresh: file: $TMP/local.ics: cannot open .* — keeping the copy from 2026-01-0[56]$" "$TMP/err"
expect_grep "refresh: and the URL too" "^slatrack: calendar refresh: web: $URL: HTTP 500" "$TMP/err"
run $S calendar refresh file
[ "$rc" -eq 3 ] && ok "refresh: missing file alone: exit 3" || not_ok "refresh: missing file alone: exit 3" "exit $rc"
mv "$TMP/local.ics.gone" "$TMP/local.ics"

# ---- recovery -------------------------------------------------------------------------
echo ok >"$WWW/.mode"
run $S calendar refresh
[ "$rc" -eq 0 ] && ok "refresh: recovered" || not_ok "refresh: recovered" "exit $rc" "$(cat "$TMP/err")"
run $S partner show web
expect_grep "show: the error is cleared" '^     last error +none$' "$TMP/out"

# ---- a feed without validators ------------------------------------------------------------
echo noetag >"$WWW/.mode"
: >"$WWW/.log"
run $S calendar refresh web
expect_grep "refresh: no validators, same body: unchanged" "^web: $URL: unchanged$" "$TMP/out"
expect_grep "refresh: a 200 without validators" ' 200$' "$WWW/.log"
echo ok >"$WWW/.mode"

# ---- bad input at add time: nothing written ------------------------------------------------
st=$(state)
echo 500 >"$WWW/.mode"
expect_err "add: a URL answering 500 exits 4" 4 "$URL: HTTP 500 Internal Server Error" \
	$S partner add bad1 --name X --tz UTC --calendar "$URL"
echo garbage >"$WWW/.mode"
expect_err "add: a URL that is not iCalendar exits 3 naming URL:LINE" 3 "$URL:1: " \
	$S partner add bad2 --name X --tz UTC --calendar "$URL"
echo ok >"$WWW/.mode"
expect_err "add: 404" 4 "HTTP 404 Not Found" \
	$S partner add bad3 --name X --tz UTC --calendar "http://127.0.0.1:$PORT/none.ics"
expect_err "add: nobody listening" 4 "http://127.0.0.1:1/h.ics: " \
	$S partner add bad4 --name X --tz UTC --calendar "http://127.0.0.1:1/h.ics"
expect_err "add: plain http to another host refused" 3 "plain http:// is refused" \
	$S partner add bad5 --name X --tz UTC --calendar "http://example.com/h.ics"
[ "$st" = "$(state)" ] && ok "failed adds wrote nothing" || not_ok "failed adds wrote nothing"

# ---- refresh: bad use --------------------------------------------------------------------
expect_err "refresh: unknown partner" 3 "unknown partner 'nobody'" $S calendar refresh nobody
expect_err "refresh: two keys" 2 "unexpected argument" $S calendar refresh web file
expect_err "refresh: unknown option" 2 "unknown or incomplete option" $S calendar refresh --all
if on_pg; then	# the server's missing database: a URL naming one it does not have
	none=none$$
	SLATRACK_DB="postgresql:///$none?host=$SLATRACK_TEST_PG&user=slatrack"
	export SLATRACK_DB
	expect_err "refresh on a missing database fails naming it" 4 "database \"$none\" does not exist" \
		$SLATRACK calendar refresh
	unset SLATRACK_DB
	! pg_has_db "$none" && ok "refresh creates no database" ||
		not_ok "refresh creates no database"
else
	expect_err "refresh on a missing database fails naming it" 4 "no database at '$TMP/empty.db'" \
		$SLATRACK --db "$TMP/empty.db" calendar refresh
	[ ! -e "$TMP/empty.db" ] && ok "refresh creates no database" || not_ok "refresh creates no database"
fi
$SLATRACK --db "$TMP/empty.db" init >/dev/null
run $SLATRACK --db "$TMP/empty.db" calendar refresh
[ "$rc" -eq 0 ] && ok "refresh with no partners: exit 0" || not_ok "refresh with no partners" "exit $rc"
expect_grep "refresh with no partners says so" '^no active partners$' "$TMP/out"
expect_status "help calendar" 0 $SLATRACK help calendar
expect_grep "help mentions refresh" 'refresh \[KEY\]' "$TMP/out"
