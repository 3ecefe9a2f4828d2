#!/bin/sh
# A listing over more than 32,768 ticket ids reads its tickets on two
# connections at once, half of the ids each, both reading the same
# database: the write lock is held for the moment both begin.  None of
# that may show.  The listing is byte for byte the one read on a single
# connection (what a writer holding the lock leaves it, or one core),
# and a listing made while another process keeps rewriting two tickets,
# one in each half, in one transaction at a time, shows both alike.
. "$(dirname "$0")/../lib.sh"
# LeakSanitizer (make check SAN=1) cannot run under ptrace: off for traced runs
TRACE="env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f"
DB=$TMP/pair.db
NOW=2026-02-01T00:00:00Z
N=34000
export TZ=UTC SLATRACK_CONFIG=$TMP/config
: >"$SLATRACK_CONFIG"
S="$SLATRACK --db $DB --now $NOW"

three_partners $S
# the partners in runs of 5,000, so each half of the ids has each
awk -v n=$N 'BEGIN {
	split("acme nyc zen", p, " "); split("critical high medium low", s, " ")
	print "key,partner,severity,summary,customer,assignee,created"
	for (i = 1; i <= n; i++)
		printf "P-%d,%s,%s,Ticket %d: login fails,Customer %d,%s,2026-01-%02dT%02d:%02d:00Z\n",
		    i, p[int((i - 1) / 5000) % 3 + 1], s[i % 4 + 1], i, i % 37,
		    (i % 5 ? "agent" i % 9 : ""), i % 28 + 1, i % 24, i % 60
}' >"$TMP/pair.csv"
expect_out "import of $N tickets" \
	"imported $N tickets from $TMP/pair.csv (0 rows already present)" \
	$S import "$TMP/pair.csv"

$S ticket list --open >"$TMP/two.txt" 2>"$TMP/two.err"
check "the table: exit 0, nothing on stderr" "0:" "$?:$(cat "$TMP/two.err")"
check "the table: a heading and a line per ticket" $((N + 1)) "$(wc -l <"$TMP/two.txt")"
check "every ticket once" $N "$(awk 'NR > 1 { print $2 }' "$TMP/two.txt" | sort -u | grep -c '^P-')"
$S ticket list --open --format csv >"$TMP/two.csv"
$S ticket list --open --sort partner --reverse >"$TMP/two-sorted.txt"
# on one core (taskset) one thread does it all: the same bytes
taskset -c 0 $S ticket list --open >"$TMP/one-core.txt"
check "on one core, the same table" "" "$(cmp "$TMP/two.txt" "$TMP/one-core.txt" 2>&1)"
taskset -c 0 $S ticket list --open --format csv >"$TMP/one-core.csv"
check "and the same CSV" "" "$(cmp "$TMP/two.csv" "$TMP/one-core.csv" 2>&1)"

if ! sqlite_only "the second connection, the write lock"; then
	# the listing opens the file a second time, read-only: the twin
	$TRACE -e trace=openat -o "$TMP/trace" $S ticket list --open >/dev/null
	check "the listing reads on a second connection to the file" 1 \
		"$(grep -c "\"$DB\", O_RDONLY" "$TMP/trace")"
	taskset -c 0 $TRACE -e trace=openat,clone,clone3 -o "$TMP/trace" $S ticket list --open \
		>/dev/null
	check "on one core: no second connection, no thread" 0 \
		"$(grep -c "\"$DB\", O_RDONLY\|^[0-9]* *clone" "$TMP/trace")"

	# a writer holding the lock: one connection, the same bytes
	python3 - "$DB" "$TMP/locked" <<'EOF' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
while os.path.exists(sys.argv[2]):
    time.sleep(0.01)
c.execute("ROLLBACK")
EOF
	writer=$!
	k=0
	while [ ! -e "$TMP/locked" ] && [ $k -lt 500 ]; do sleep 0.01; k=$((k + 1)); done
	$TRACE -e trace=openat -o "$TMP/trace" $S ticket list --open >"$TMP/one.txt"
	check "a writer holding the lock: no second connection" 0 \
		"$(grep -c "\"$DB\", O_RDONLY" "$TMP/trace")"
	$S ticket list --open --format csv >"$TMP/one.csv"
	$S ticket list --open --sort partner --reverse >"$TMP/one-sorted.txt"
	rm -f "$TMP/locked"
	wait $writer
	check "the table read on two connections is the one read on one" "" \
		"$(cmp "$TMP/two.txt" "$TMP/one.txt" 2>&1)"
	check "the CSV too" "" "$(cmp "$TMP/two.csv" "$TMP/one.csv" 2>&1)"
	check "and another order" "" "$(cmp "$TMP/two-sorted.txt" "$TMP/one-sorted.txt" 2>&1)"

	# another process rewrites two tickets, one in each half of the ids,
	# in one transaction, a few hundred times a second while listings
	# run: every listing shows both with the same words
	python3 - "$DB" "$TMP/writing" >"$TMP/flips" <<'EOF' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
flips = 0
while flips == 0 or os.path.exists(sys.argv[2]):
    c.execute("BEGIN IMMEDIATE")
    c.execute("UPDATE tickets SET summary = ? WHERE key IN ('P-10', 'P-30000')",
              ("flip %d" % flips,))
    c.execute("COMMIT")
    if flips == 0:
        open(sys.argv[2], "w").close()
    flips += 1
    time.sleep(0.002)
print(flips)
EOF
	writer=$!
	k=0
	while [ ! -e "$TMP/writing" ] && [ $k -lt 500 ]; do sleep 0.01; k=$((k + 1)); done
	mixed=0 twins=0
	for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		$TRACE -e trace=openat -o "$TMP/trace" $S ticket list --open --format csv |
			tr -d '\r' | grep -E '^[0-9]+,P-(10|30000),' | cut -d, -f20 | sort -u >"$TMP/seen"
		[ "$(wc -l <"$TMP/seen")" -eq 1 ] || mixed=$((mixed + 1))
		grep -q "\"$DB\", O_RDONLY" "$TMP/trace" && twins=$((twins + 1))
	done
	rm -f "$TMP/writing"
	wait $writer
	check "16 listings during commits: both tickets alike in each" 0 "$mixed"
	check "some of them read on two connections" yes \
		"$([ $twins -ge 1 ] && echo yes || echo "no: $twins")"
	check "the writer committed meanwhile" yes \
		"$([ "$(cat "$TMP/flips")" -ge 20 ] && echo yes || echo "no: $(cat "$TMP/flips")")"
fi

# a partner whose zone no longer loads: the same failure as on one helper
sqlite3 "$DB" "UPDATE partners SET zone = 'Mars/Olympus' WHERE key = 'zen'"
$S ticket list --open >"$TMP/broken.out" 2>"$TMP/broken.err"
check "a partner that cannot be compiled: exit 3" 3 "$?"
expect_grep "the message names the partner and the zone" \
	"partner 'zen': unknown timezone 'Mars/Olympus'" "$TMP/broken.err"
check "and no half-written table" 0 "$(wc -c <"$TMP/broken.out")"
expect_status "without that partner, the list works" 0 \
	$S ticket list --open --partner acme
