#!/bin/sh
# A long `ticket list`: the scan is read on a second thread while the
# rows are worked on, each partner compiled when its first row arrives,
# and a table of 4,096 rows or more is written a chunk of 4,096 lines at
# a time on two threads.  None of that may show: every ticket once, in
# the order the CSV gives, the chunks joined where they meet; a
# partner whose schedule cannot be compiled fails the listing with its
# message and no half-written table.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/long.db
NOW=2026-02-01T00:00:00Z
N=6000
export TZ=UTC SLATRACK_CONFIG=$TMP/config
: >"$SLATRACK_CONFIG"
S="$SLATRACK --db $DB --now $NOW"

three_partners $S
# N tickets, the partners in runs of 700 (each partner's first row far
# into the scan), every severity, some answered, a few long summaries
awk -v n=$N 'BEGIN {
	split("acme nyc zen", p, " "); split("critical high medium low", s, " ")
	print "key,partner,severity,summary,customer,assignee,created"
	for (i = 1; i <= n; i++) {
		sum = "Ticket " i ": login fails"
		if (i % 1000 == 7)
			for (k = 0; k < 300; k++)
				sum = sum " and more"
		printf "L-%d,%s,%s,%s,Customer %d,%s,2026-01-%02dT%02d:%02d:00Z\n", i,
		    p[int((i - 1) / 700) % 3 + 1], s[i % 4 + 1], sum, i % 37,
		    (i % 5 ? "agent" i % 9 : ""), i % 28 + 1, i % 24, i % 60
	}
}' >"$TMP/long.csv"
expect_out "import of $N tickets" \
	"imported $N tickets from $TMP/long.csv (0 rows already present)" \
	$S import "$TMP/long.csv"
for i in 11 2222 4444; do
	$S ticket respond "L-$i" --at 2026-01-30T10:00:00Z >/dev/null ||
		echo "fixture: respond L-$i" >&2
done

# the keys as the table shows them, and as the CSV does
$S ticket list --open >"$TMP/table.txt" 2>"$TMP/table.err"
echo $? >"$TMP/table.rc"
check "the table: exit 0" 0 "$(cat "$TMP/table.rc")"
check "the table: nothing on stderr" "" "$(cat "$TMP/table.err")"
check "the table: a heading and a line per ticket" $((N + 1)) "$(wc -l <"$TMP/table.txt")"
awk 'NR > 1 { print $2 }' "$TMP/table.txt" >"$TMP/table.keys"
$S ticket list --open --format csv | tr -d '\r' | sed 1d | cut -d, -f2 >"$TMP/csv.keys"
check "every ticket once" $N "$(sort -u "$TMP/table.keys" | grep -c '^L-')"
check "the table's order is the CSV's, across the chunks" "" \
	"$(cmp "$TMP/table.keys" "$TMP/csv.keys" 2>&1)"
check "the three answered ones after the others" "L-11 L-2222 L-4444" \
	"$(tail -n 3 "$TMP/table.keys" | sort | tr '\n' ' ' | sed 's/ $//')"
# the lines where the two threads' chunks meet are whole lines
half=$((4096 + 1))
expect_grep "the line before the join is whole" \
	"^ *[0-9][0-9]*  L-[0-9]*  *[a-z]*  " "$TMP/table.txt"
check "the lines at the join are whole" 2 "$(sed -n "${half},$((half + 1))p" "$TMP/table.txt" |
	grep -c '^ *[0-9][0-9]*  L-[0-9][0-9]*  *\(acme\|nyc\|zen\) ')"
# a filter that leaves fewer rows than the split takes one piece
expect_status "--partner nyc: exit 0" 0 $S ticket list --open --partner nyc
check "--partner nyc: its tickets only" 0 \
	"$($S ticket list --open --partner nyc | sed 1d | grep -vc ' nyc ')"

# a partner whose zone no longer loads, its first row past the start
sqlite3 "$DB" "UPDATE partners SET zone = 'Mars/Olympus' WHERE key = 'zen'"
$S ticket list --open >"$TMP/broken.out" 2>"$TMP/broken.err"
echo $? >"$TMP/broken.rc"
check "a partner that cannot be compiled: exit 3 (bad data)" 3 "$(cat "$TMP/broken.rc")"
expect_grep "the message names the partner and the zone" \
	"partner 'zen': unknown timezone 'Mars/Olympus'" "$TMP/broken.err"
check "and no half-written table" 0 "$(wc -c <"$TMP/broken.out")"
check "the CSV as well" 3 \
	"$($S ticket list --open --format csv >/dev/null 2>&1; echo $?)"
expect_status "without that partner, the list works" 0 \
	$S ticket list --open --partner acme
