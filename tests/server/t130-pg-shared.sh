#!/bin/sh
# t130-pg-shared.sh: one database on a real PostgreSQL server, shared by
# separate processes (issue 14):
#   1. 8 writers x 500 changes (250 ticket add, 250 note or assign) while
#      a reader lists the queue: every change present, the audit chain
#      intact, no "busy" on anyone's stderr;
#   2. two `remind` runs at once (real SMTP on loopback): every notice
#      sent exactly once, and a third run finds nothing left to send;
#   3. `migrate` of a SQLite file to PostgreSQL and back: the same tickets
#      and the same audit head on all three.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"
if [ -z "${SLATRACK_TEST_PG:-}" ]; then
	if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
		echo "not ok - PostgreSQL test server not started (SLATRACK_TEST_PG unset)"
	else
		echo "# SKIP: PostgreSQL server binaries missing (apt-get install postgresql)"
	fi
	exit 0
fi
U=$(sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" t130_shared) ||
	{ echo "not ok - PostgreSQL test database created"; exit 1; }
P() { "$SLATRACK" --db "$U" --config "$TMP/conf" "$@"; }
NOW=2026-03-02T09:00:00Z

# ---- 1. eight writers ----------------------------------------------------------
start_smtp mx good
cat >"$TMP/conf" <<CONF
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
[remind]
team = support@example.com
CONF
P --now 2026-03-02T08:00:00Z partner add acme --name Acme --tz Europe/Berlin >/dev/null
P --now 2026-03-02T08:00:00Z partner add zen --name Zen --tz Asia/Tokyo >/dev/null
P --now $NOW remind >/dev/null || echo "not ok - first remind run"
writer() {
	w=$1 i=1 n=0
	while [ $i -le 250 ]; do
		p=acme; [ $((i % 2)) -eq 0 ] && p=zen
		P --now $NOW ticket add --partner $p --severity high --summary "writer $w ticket $i" \
			--key "W$w-$i" --created 2026-03-02T09:00:00Z >/dev/null 2>>"$TMP/err.w$w" ||
			n=$((n + 1))
		if [ $((i % 2)) -eq 1 ]; then
			P --now $NOW ticket note "W$w-$i" "note from writer $w" >/dev/null \
				2>>"$TMP/err.w$w" || n=$((n + 1))
		else
			P --now $NOW ticket assign "W$w-$i" "agent$w" >/dev/null \
				2>>"$TMP/err.w$w" || n=$((n + 1))
		fi
		i=$((i + 1))
	done
	echo $n >"$TMP/fail.w$w"
}
reader() {
	while [ ! -e "$TMP/stop" ]; do
		P --now $NOW ticket list --format csv >/dev/null 2>>"$TMP/err.r" ||
			echo x >>"$TMP/fail.r"
	done
}
reader & rpid=$!
pids=
for w in 1 2 3 4 5 6 7 8; do writer $w & pids="$pids $!"; done
for p in $pids; do wait "$p"; done
: >"$TMP/stop"
wait $rpid
fails=$(cat "$TMP"/fail.w1 "$TMP"/fail.w2 "$TMP"/fail.w3 "$TMP"/fail.w4 \
	"$TMP"/fail.w5 "$TMP"/fail.w6 "$TMP"/fail.w7 "$TMP"/fail.w8 | tr '\n' ' ' | sed 's/ $//')
if [ "$fails" = "0 0 0 0 0 0 0 0" ]; then ok "8 writers: no change failed"
else not_ok "8 writers: no change failed" "failures per writer: $fails" \
	"$(cat "$TMP"/err.w* | sort | uniq -c | sort -rn | head -n 5)"; fi
if [ ! -e "$TMP/fail.r" ]; then ok "the reader never failed"
else not_ok "the reader never failed" "$(wc -l <"$TMP/fail.r") failed lists" \
	"$(sort "$TMP/err.r" | uniq -c | sort -rn | head -n 5)"; fi
check "no busy or locked message reached anyone" "" \
	"$(cat "$TMP"/err.* 2>/dev/null | grep -i 'busy\|locked' | head -n 3)"
check "all 2,000 tickets present" 2000 "$(P ticket list --all --format csv | tail -n +2 | wc -l)"
check "every writer's assignments present" 1000 \
	"$(P ticket list --all --format csv | grep -c ',agent[1-8],')"
run P audit verify
# 2 partners + 2,000 adds + 1,000 notes + 1,000 assigns
if [ $rc -eq 0 ] && grep -q '^audit trail intact: 4002 events' "$TMP/out"; then
	ok "audit chain intact over the 4,002 events of 8 writers"
else not_ok "audit chain intact over the 4,002 events of 8 writers" "$(cat "$TMP/out" "$TMP/err")"; fi

# ---- 2. two remind runs at once -----------------------------------------------
# 09:00Z + 24 h of Berlin working time (Mon-Fri): 75 % at Tue 03:00Z
P --now 2026-03-03T03:30:00Z remind >"$TMP/a.out" 2>"$TMP/a.err" & a=$!
P --now 2026-03-03T03:30:00Z remind >"$TMP/b.out" 2>"$TMP/b.err" & b=$!
wait $a; ra=$?
wait $b; rb=$?
list_mail mx >"$TMP/list"
total=$(grep -vc '^bad:' "$TMP/list")
uniq=$(grep -v '^bad:' "$TMP/list" | cut -d'|' -f2 | sort -u | wc -l)
if [ $ra -eq 0 ] && [ $rb -eq 0 ] && [ "$total" -gt 0 ] && [ "$total" = "$uniq" ]; then
	ok "two remind runs at once: $total notices, each once"
else not_ok "two remind runs at once: each notice once" "exit $ra $rb, $total sent, $uniq distinct" \
	"$(cat "$TMP/a.err" "$TMP/b.err")"; fi
P --now 2026-03-03T03:31:00Z remind >/dev/null 2>"$TMP/c.err"
check "a third run finds nothing left to send" "$total" "$(list_mail mx | grep -vc '^bad:')"

# ---- 3. migrate ------------------------------------------------------------------
F=$TMP/file.db
"$SLATRACK" --db "$F" --now $NOW partner add acme --name Acme --tz Europe/Berlin >/dev/null
for k in 1 2 3; do
	"$SLATRACK" --db "$F" --now $NOW ticket add --partner acme --severity critical \
		--summary "file ticket $k" --key "F-$k" --assignee bob >/dev/null
done
"$SLATRACK" --db "$F" --now 2026-03-02T10:00:00Z ticket respond F-2 >/dev/null
M=$(sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" t130_migrated)
run "$SLATRACK" migrate --from "$F" --to "$M"
head_file=$("$SLATRACK" --db "$F" audit verify | sed -n 's/.*head \([0-9a-f]*\)$/\1/p')
head_pg=$("$SLATRACK" --db "$M" audit verify | sed -n 's/.*head \([0-9a-f]*\)$/\1/p')
if [ $rc -eq 0 ] && [ -n "$head_file" ] && [ "$head_file" = "$head_pg" ] &&
	grep -q "audit head $head_file on both" "$TMP/out"; then
	ok "migrate to PostgreSQL: the same audit head"
else not_ok "migrate to PostgreSQL: the same audit head" "exit $rc" "$(cat "$TMP/out" "$TMP/err")" \
	"file $head_file, pg $head_pg"; fi
"$SLATRACK" --db "$F" --now $NOW ticket list --all >"$TMP/l.file"
"$SLATRACK" --db "$M" --now $NOW ticket list --all >"$TMP/l.pg"
if cmp -s "$TMP/l.file" "$TMP/l.pg"; then ok "migrate: the same queue on both"
else not_ok "migrate: the same queue on both" "$(diff "$TMP/l.file" "$TMP/l.pg" | head -n 6)"; fi
expect_out "migrate: new ids continue after the copied ones" "ticket    #4 F-4" \
	sh -c "\"$SLATRACK\" --db \"$M\" --now $NOW ticket add --partner acme --severity high --summary more --key F-4 | head -n 1"
expect_err "migrate into a database with data is refused" 2 "already holds data" \
	"$SLATRACK" migrate --from "$F" --to "$M"
check "the refused migrate wrote nothing" 4 "$("$SLATRACK" --db "$M" ticket list --all --format csv | tail -n +2 | wc -l)"
run "$SLATRACK" migrate --from "$M" --to "$TMP/back.db"
head_back=$("$SLATRACK" --db "$TMP/back.db" audit verify | sed -n 's/.*head \([0-9a-f]*\)$/\1/p')
head_pg=$("$SLATRACK" --db "$M" audit verify | sed -n 's/.*head \([0-9a-f]*\)$/\1/p')
if [ $rc -eq 0 ] && [ -n "$head_back" ] && [ "$head_back" = "$head_pg" ]; then
	ok "migrate back to a SQLite file: the same audit head"
else not_ok "migrate back to a SQLite file: the same audit head" "$(cat "$TMP/err")"; fi
expect_err "migrate names a missing source" 4 "no database at" \
	"$SLATRACK" migrate --from "$TMP/none.db" --to "$TMP/x.db"
expect_err "migrate needs both ends" 2 "needs --from DB and --to DB" \
	"$SLATRACK" migrate --from "$F"
