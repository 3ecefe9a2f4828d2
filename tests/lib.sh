# tests/lib.sh: helpers for the CLI, TUI and server test scripts.
# Each check prints "ok - NAME" or "not ok - NAME" (counted by tests/run.sh).
set -u
SLATRACK=${SLATRACK_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/slatrack}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$TOP/tests/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/slatrack-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8
unset SLATRACK_DB SLATRACK_CONFIG
export XDG_DATA_HOME=$TMP/xdg-data XDG_CONFIG_HOME=$TMP/xdg-config
cd "$TMP" || exit 1

ok() { echo "ok - $1"; }
# on_pg: whether this run has its databases on the PostgreSQL server
# (the second pass of tests/run.sh, tests/pg/run-one)
on_pg() { [ -n "${SLATRACK_REAL_BIN:-}" ]; }
# sqlite_only WHAT: says, in the PostgreSQL pass, that the checks about
# WHAT are about the SQLite file itself (its bytes, locks, modes, path)
# and have no server counterpart; returns 0 then (the caller skips them)
sqlite_only() {
	on_pg || return 1
	echo "# n/a on PostgreSQL: $1 (about the SQLite file)"
}
# three_partners CMD...: the partners of the long-listing tests, added
# with CMD (slatrack and its options): acme (Europe/Berlin), nyc
# (America/New_York, 09:00-17:00), zen (Asia/Tokyo)
three_partners() {
	"$@" partner add acme --name Acme --tz Europe/Berlin >/dev/null
	"$@" partner add nyc --name NYC --tz America/New_York --hours 09:00-17:00 >/dev/null
	"$@" partner add zen --name Zen --tz Asia/Tokyo >/dev/null
}
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; }
# check NAME WANT GOT: ok when GOT is WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want: $2" "got:  $3"; fi
}
# pg_fresh PATH: in the PostgreSQL pass, the server database standing for
# the file PATH dropped and created empty (what rm PATH is on SQLite)
pg_fresh() {
	pg_url=$(sh "$TOP/tests/pg/url-of" "$1") && pg_name=${pg_url#postgresql:///} &&
		sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" "${pg_name%%\?*}" >/dev/null ||
		not_ok "a new server database for $1"
}
# pg_digest URL: the digest of a server database, its dump's (less the
# random key of pg_dump's \restrict lines, new in every dump)
pg_digest() {
	pg_dump --no-owner "$1" | grep -v '^\\\(un\)\{0,1\}restrict ' | sha256sum | cut -d' ' -f1
}
# pg_copy PATH TO: the server database standing for PATH loaded into the
# one standing for TO (what cp PATH TO is on SQLite)
pg_copy() {
	pg_dump --no-owner "$(sh "$TOP/tests/pg/url-of" "$1")" | sqlite3 "$2" >/dev/null
}
# pg_reader URL ROLE: a login role that may only SELECT on the database
# URL, the server's counterpart of a file the user may only read; prints
# the URL to connect as it (drop it with pg_drop_reader URL ROLE)
pg_reader() {
	psql -X -q -v ON_ERROR_STOP=1 "$1" -c "CREATE ROLE $2 LOGIN" \
		-c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO $2" >/dev/null ||
		not_ok "a role that may only read" "psql could not create it" >&2
	printf '%s\n' "$1" | sed "s/user=slatrack/user=$2/"
}
pg_drop_reader() {
	psql -X -q "$1" -c "DROP OWNED BY $2" -c "DROP ROLE $2" >/dev/null ||
		echo "# could not drop the role $2"
}
# pg_has_db NAME: whether the test PostgreSQL server holds a database NAME
pg_has_db() {
	[ "$(psql -X -At -h "$SLATRACK_TEST_PG" -U slatrack -d postgres \
		-c "SELECT count(*) FROM pg_database WHERE datname = '$1'")" != 0 ]
}

# run CMD...: stdout in $TMP/out, stderr in $TMP/err, status in $rc
run() { "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }

# expect_out NAME EXPECTED CMD...: stdout equals EXPECTED and exit 0
expect_out() {
	name=$1 want=$2; shift 2
	run "$@"
	got=$(cat "$TMP/out")
	if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then ok "$name"
	else not_ok "$name" "exit $rc" "want: $want" "got:  $got" "err:  $(head -c 400 "$TMP/err")"; fi
}

# expect_status NAME STATUS CMD...
expect_status() {
	name=$1 want=$2; shift 2
	run "$@"
	if [ "$rc" -eq "$want" ]; then ok "$name"
	else not_ok "$name" "want exit $want, got $rc" "err: $(head -c 400 "$TMP/err")"; fi
}

# expect_err NAME STATUS PATTERN CMD...: exit STATUS and stderr matches PATTERN (grep -E)
expect_err() {
	name=$1 want=$2 pat=$3; shift 3
	run "$@"
	if [ "$rc" -eq "$want" ] && grep -Eq -- "$pat" "$TMP/err"; then ok "$name"
	else not_ok "$name" "want exit $want and stderr =~ /$pat/" "got exit $rc" \
		"err: $(head -c 400 "$TMP/err")"; fi
}

# expect_grep NAME PATTERN FILE: FILE has a line matching PATTERN
expect_grep() {
	if grep -Eq -- "$2" "$3"; then ok "$1"
	else not_ok "$1" "no line =~ /$2/ in $3" "$(head -c 600 "$3")"; fi
}
