# tests/pg/lib.sh: sourced after tests/lib.sh by the scripts that test
# slatrack on the test PostgreSQL server (tests/pg/server.sh, started by
# tests/run.sh, which exports SLATRACK_TEST_PG).

# pg_require SCRIPT WHAT: returns when the server runs; else, when the
# server binaries are installed, a failed check (the harness forgot it),
# and when they are not, a loud skip naming WHAT; then exits.
pg_require() {
	[ -n "${SLATRACK_TEST_PG-}" ] && return 0
	if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
		not_ok "PostgreSQL test server not started" \
		    "PostgreSQL is installed: run through tests/run.sh or set SLATRACK_TEST_PG"
	else
		echo "# SKIP $1: NO PostgreSQL SERVER BINARIES, $2 NOT TESTED"
	fi
	exit 0
}

# check NAME WANT GOT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want: $2" "got:  $3"; fi
}
