#!/bin/sh
# `deadline --partner KEY`: the calculator on a stored partner's schedule.
. "$(dirname "$0")/../lib.sh"
S="$SLATRACK --db $TMP/t.db --now 2026-12-01T09:00:00Z"

$S partner add gb --name "GB Ltd" --tz Europe/London --calendar "$TOP/calendars/GB-ENG.ics" \
	--target high=8h >/dev/null 2>&1
$S partner add il --name "IL Ltd" --tz Asia/Jerusalem --workdays sun-thu >/dev/null 2>&1
expect_out "partner's calendar and default critical target" "2026-12-29T10:00:00Z" \
	$S deadline --partner gb --at 2026-12-24T10:00 --format iso
expect_out "--severity picks the partner's target" "2026-12-29T04:00:00Z" \
	$S deadline --partner gb --severity high --at 2026-12-24T20:00 --format iso
expect_out "--target overrides it" "2026-12-24T11:00:00Z" \
	$S deadline --partner gb --target 1h --at 2026-12-24T10:00 --format iso
expect_out "partner's working week (Sun-Thu)" "2026-12-06T10:00:00Z" \
	$S deadline --partner il --at 2026-12-03T12:00 --format iso
printf '2026-12-24T10:00:00Z\n' >"$TMP/in"
run sh -c "$S deadline --partner gb --batch <'$TMP/in'"
[ "$(cat "$TMP/out")" = "2026-12-24T10:00:00Z,2026-12-29T10:00:00Z" ] &&
	ok "--partner with --batch" || not_ok "--partner with --batch" "$(cat "$TMP/out" "$TMP/err")"
expect_err "untimed severity needs --target" 3 "no target for low tickets" \
	$S deadline --partner gb --severity low --at 2026-12-24T10:00
expect_err "unknown partner" 3 "unknown partner 'nope'" $S deadline --partner nope --at 2026-12-24T10:00
expect_err "--partner with --tz is ambiguous" 2 "either --partner or --tz" \
	$S deadline --partner gb --tz UTC --at 2026-12-24T10:00
if on_pg; then	# the server's missing database: a URL naming one it does not have
	none=none$$
	SLATRACK_DB="postgresql:///$none?host=$SLATRACK_TEST_PG&user=slatrack"
	export SLATRACK_DB
	expect_err "no database (exit 4, as for every command)" 4 "database \"$none\" does not exist" \
		$SLATRACK deadline --partner gb --at 2026-12-24T10:00
	unset SLATRACK_DB
	! pg_has_db "$none" && ok "a missing database is not created" ||
		not_ok "a missing database is not created"
else
	expect_err "no database (exit 4, as for every command)" 4 "no database at" \
		$SLATRACK --db "$TMP/none.db" deadline --partner gb --at 2026-12-24T10:00
	[ ! -e "$TMP/none.db" ] && ok "a missing database is not created" || not_ok "a missing database is not created"
fi
