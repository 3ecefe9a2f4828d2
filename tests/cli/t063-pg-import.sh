#!/bin/sh
# import on the test PostgreSQL server, where keys are looked up in
# batches and new tickets are numbered by the store and written without
# waiting for each answer: every row arrives once with consecutive ids,
# the chain verifies, a second import of the same file adds nothing, a
# file mixing old and new rows adds only the new ones, and ticket add
# goes on after the imported ids.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/pg/lib.sh"
pg_require t063-pg-import "import on PostgreSQL"
U=$(sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" t063_import)
S() { "$SLATRACK" --db "$U" --now 2026-03-02T12:00:00Z "$@"; }
S partner add acme --name Acme --tz Europe/Berlin >/dev/null
S partner add zen --name Zen --tz Asia/Tokyo >/dev/null

# rows FIRST..LAST of a CSV, keys I-FIRST.., alternating partners
rows() {
	echo "key,partner,severity,summary,created"
	i=$1
	while [ "$i" -le "$2" ]; do
		p=acme; [ $((i % 2)) -eq 0 ] && p=zen
		echo "I-$i,$p,high,Imported $i,2026-03-02T09:00:00Z"
		i=$((i + 1))
	done
}
rows 1 1250 >"$TMP/a.csv"
run S import "$TMP/a.csv"
expect_grep "1,250 rows imported (more than one batch of keys)" \
	"^imported 1250 tickets from .* \(0 rows already present\)$" "$TMP/out"
S ticket list --all --format csv | tail -n +2 | cut -d, -f1,2 | sort -n >"$TMP/ids"
check "ids 1..1250, each with its row's key" "1250 1,I-1 1250,I-1250" \
	"$(wc -l <"$TMP/ids" | tr -d ' ') $(head -n 1 "$TMP/ids") $(tail -n 1 "$TMP/ids")"
check "no id out of line" 0 "$(awk -F, '$2 != "I-" $1 { n++ } END { print n + 0 }' "$TMP/ids")"
expect_out "the audit chain verifies" "1252" \
	sh -c "\"$SLATRACK\" --db \"$U\" audit verify | sed -n 's/^audit trail intact: \([0-9]*\) events.*/\1/p'"

run S import "$TMP/a.csv"
expect_grep "the same file again adds nothing" "^imported 0 tickets .* \(1250 rows already present\)$" "$TMP/out"
rows 1200 1300 >"$TMP/b.csv"
run S import "$TMP/b.csv"
expect_grep "old and new rows: only the new ones" "^imported 50 tickets .* \(51 rows already present\)$" "$TMP/out"
expect_out "ticket add goes on after the imported ids" "ticket    #1301 NEW-1" \
	sh -c "\"$SLATRACK\" --db \"$U\" --now 2026-03-02T12:00:00Z ticket add --partner acme --severity high --summary new --key NEW-1 | head -n 1"
rows 1301 1310 >"$TMP/c.csv"
echo "I-1,acme,high,Changed summary,2026-03-02T09:00:00Z" >>"$TMP/c.csv"
run S import "$TMP/c.csv"
if [ $rc -ne 0 ] && grep -q "nothing imported" "$TMP/err"; then
	ok "a changed existing row fails the whole file"
else not_ok "a changed existing row fails the whole file" "exit $rc" "$(cat "$TMP/out" "$TMP/err")"; fi
check "and none of its new rows stayed" 1301 "$(S ticket list --all --format csv | tail -n +2 | wc -l | tr -d ' ')"
check "the chain still verifies after the refused file" 0 \
	"$("$SLATRACK" --db "$U" audit verify >/dev/null 2>&1; echo $?)"
