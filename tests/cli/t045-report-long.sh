#!/bin/sh
# A long report: from 16,384 tickets due, a report without the evidence
# reads its rows on a second core while this one counts them, and from
# 32,768 on two more at once, each half of the ids on a connection of its
# own reading the same snapshot (a report with the evidence verifies the
# audit trail on the second core instead, and reads on this one).  Every
# way must give the same report: the text with the evidence is the text
# without it, then the EVIDENCE section; on one core (taskset) the same
# bytes; the JSON (every ticket listed) agrees with the CSV; a partner
# whose schedule cannot be compiled fails both the same way, with its
# message.
. "$(dirname "$0")/../lib.sh"
# LeakSanitizer (make check SAN=1) cannot run under ptrace: off for traced runs
TRACE="env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f"
DB=$TMP/long.db
N=34000
export TZ=UTC SLATRACK_CONFIG=$TMP/config
: >"$SLATRACK_CONFIG"
S="$SLATRACK --db $DB --now 2026-01-01T06:00:00Z"

three_partners $SLATRACK --db "$DB" --now 2025-01-01T00:00:00Z
# N tickets created through 2025, in runs of 3,000 per partner; every
# tenth untimed (medium), a few with long summaries
awk -v n=$N 'BEGIN {
	split("acme nyc zen", p, " ")
	print "key,partner,severity,summary,customer,assignee,created"
	for (i = 1; i <= n; i++) {
		sum = "Ticket " i ": login fails"
		if (i % 2000 == 11)
			for (k = 0; k < 400; k++)
				sum = sum " again"
		sev = i % 10 == 0 ? "medium" : (i % 3 ? "high" : "critical")
		printf "R-%d,%s,%s,%s,Customer %d,%s,2025-%02d-%02dT%02d:%02d:00Z\n", i,
		    p[int((i - 1) / 3000) % 3 + 1], sev, sum, i % 37,
		    (i % 5 ? "agent" i % 9 : ""), i % 12 + 1, i % 27 + 1, i % 24, i % 60
	}
}' >"$TMP/long.csv"
$SLATRACK --db "$DB" --now 2025-12-31T00:00:00Z import "$TMP/long.csv" >/dev/null ||
	echo "fixture: import failed" >&2
# twenty answered, late
for i in $(seq 8 8 160); do
	$S ticket respond "R-$i" --at 2025-12-30T10:00:00Z >/dev/null ||
		echo "fixture: respond R-$i" >&2
done

run $S report --year 2025 --format text
cp "$TMP/out" "$TMP/evidence.txt"
check "with the evidence: exit 0" 0 "$rc"
run $S report --year 2025 --format text --no-evidence
cp "$TMP/out" "$TMP/plain.txt"
check "without: exit 0" 0 "$rc"
check "without: nothing on stderr" "" "$(cat "$TMP/err")"
expect_grep "the report counts the timed ones due" \
	"due in the period  *$((N - N / 10)) " "$TMP/plain.txt"
# both end with the footnote on attainment; the evidence comes before it
check "the evidence report carries an EVIDENCE section" 1 "$(grep -c '^EVIDENCE$' "$TMP/evidence.txt")"
sed '/^EVIDENCE$/,/^attainment = met/{/^attainment = met/!d}' "$TMP/evidence.txt" \
	>"$TMP/evidence-cut.txt"
check "read on one core or two, the same report" "" \
	"$(diff "$TMP/evidence-cut.txt" "$TMP/plain.txt" | head -n 5)"
# on one core (taskset) one thread does it all: the same bytes
taskset -c 0 $S report --year 2025 --format text >"$TMP/one-core.txt"
check "on one core, the evidence report is the same" "" \
	"$(cmp "$TMP/evidence.txt" "$TMP/one-core.txt" 2>&1)"
taskset -c 0 $S report --year 2025 --format text --no-evidence >"$TMP/one-core.txt"
check "and the report without it" "" "$(cmp "$TMP/plain.txt" "$TMP/one-core.txt" 2>&1)"
$S report --year 2025 --format csv >"$TMP/two.csv"
taskset -c 0 $S report --year 2025 --format csv >"$TMP/one-core.csv"
check "and the CSV" "" "$(cmp "$TMP/two.csv" "$TMP/one-core.csv" 2>&1)"
if ! sqlite_only "the second connection"; then
	$TRACE -e trace=openat -o "$TMP/trace" $S report --year 2025 --format csv >/dev/null
	check "without the evidence, the period is read on a second connection too" 1 \
		"$(grep -c "\"$DB\", O_RDONLY" "$TMP/trace")"
	$TRACE -e trace=openat -o "$TMP/trace" $S report --year 2025 --format text >/dev/null
	check "with it, the second connection is the audit's" 1 \
		"$(grep -c "\"$DB\", O_RDONLY" "$TMP/trace")"
fi

# every ticket listed: the JSON's keys and outcomes are the CSV's
run $S report --year 2025 --format json --json-schema 1 --no-evidence
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for t in sorted(d["tickets"], key=lambda t: t["key"]):
    print(t["key"], t["outcome"])' "$TMP/out" >"$TMP/json.keys"
run $S report --year 2025 --format csv
python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for r in sorted(rows, key=lambda r: r["key"]):
    print(r["key"], r["outcome"])' "$TMP/out" >"$TMP/csv.keys"
check "JSON: a ticket for each one due" $((N - N / 10)) "$(wc -l <"$TMP/json.keys")"
check "the JSON's tickets and outcomes are the CSV's" "" \
	"$(cmp "$TMP/json.keys" "$TMP/csv.keys" 2>&1)"

# a partner whose zone no longer loads: the same failure both ways
sqlite3 "$DB" "UPDATE partners SET zone = 'Mars/Olympus' WHERE key = 'nyc'"
run $S report --year 2025 --format text --no-evidence
check "a partner that cannot be compiled: exit 3 (bad data)" 3 "$rc"
expect_grep "the message names the partner and the zone" \
	"partner 'nyc': unknown timezone 'Mars/Olympus'" "$TMP/err"
check "and nothing written" 0 "$(wc -c <"$TMP/out")"
cp "$TMP/err" "$TMP/plain.err"
run $S report --year 2025 --format text
check "with the evidence: the same exit status" 3 "$rc"
check "and the same message" "$(cat "$TMP/plain.err")" "$(cat "$TMP/err")"
