#!/bin/sh
# Runs every test suite and ends with one line "N passed, N failed".
#   criterion units   $BUILD/tests/test_*   (counted per test)
#   CLI scripts       tests/cli/t*.sh       (counted per "ok"/"not ok" line)
#   TUI scripts       tests/tui/t*.sh       (tmux; same counting)
#   server tests      tests/server/t*.sh    (real SMTP/HTTP on loopback)
#   build tests       tests/make/t*.sh      (a fresh machine's first make)
# Environment: SLATRACK_BIN (the binary under test), BUILD (build dir).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export SLATRACK_BIN=${SLATRACK_BIN:-$PWD/$BUILD/slatrack}
export LC_ALL=C.UTF-8
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# One PostgreSQL server for the whole run (tests/pg/server.sh); the
# PostgreSQL tests find it through SLATRACK_TEST_PG.
pgdir=$(mktemp -d)
sh tests/pg/server.sh start "$pgdir" >"$log" 2>&1
pgrc=$?
if [ $pgrc -eq 0 ]; then
	export SLATRACK_TEST_PG="$pgdir"
	trap 'sh tests/pg/server.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$pgdir" "$log"' EXIT
	trap 'exit 130' INT TERM
else
	unset SLATRACK_TEST_PG
	rm -rf "$pgdir"
	if [ $pgrc -eq 3 ]; then
		echo "NOTICE: PostgreSQL server binaries missing: the PostgreSQL tests are skipped"
	else
		echo "FAIL tests/pg/server.sh start (exit $pgrc)"; cat "$log"
	fi
fi

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" --jobs=2 >"$log" 2>&1
	rc=$?
	line=$(grep 'Synthesis:' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL unit $name (no synthesis, exit $rc)"; cat "$log"
		failed=$((failed + 1)); continue
	fi
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	passed=$((passed + p)); failed=$((failed + f + c))
	if [ $((f + c)) -gt 0 ] || [ $rc -ne 0 ]; then
		echo "FAIL unit $name"; grep -v '^\[----\]' "$log" | head -n 60
		[ $((f + c)) -eq 0 ] && failed=$((failed + 1))
	else
		echo "ok   unit $name ($p tests)"
	fi
done

# script LABEL FILE: runs one test script, counts its ok / not ok lines
script() {
	sh "$2" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -gt 0 ] || [ $rc -ne 0 ] || [ "$p" -eq 0 ]; then
		echo "FAIL $1$2 (exit $rc)"; grep -v '^ok ' "$log" | head -n 60
		[ "$f" -eq 0 ] && failed=$((failed + 1))
	else
		echo "ok   $1$2 ($p checks)"
	fi
}
for t in tests/cli/t*.sh tests/tui/t*.sh tests/server/t*.sh tests/make/t*.sh; do
	[ -f "$t" ] || continue
	script "" "$t"
done
# The scripts of tests/pg/suites once more, with every database on the
# PostgreSQL server (tests/pg/on-pg stands in for the binary).
if [ -n "${SLATRACK_TEST_PG:-}" ]; then
	export SLATRACK_REAL_BIN="$SLATRACK_BIN"
	SLATRACK_BIN=$PWD/tests/pg/on-pg
	plain_path=$PATH
	PATH=$PWD/tests/pg/bin:$PATH	# sqlite3 looks into the server's database
	for t in $(grep -v '^#' tests/pg/suites); do
		script "postgresql " "$t"
	done
	PATH=$plain_path
	SLATRACK_BIN=$SLATRACK_REAL_BIN
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
