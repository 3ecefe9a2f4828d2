#!/bin/sh
# recompute-bench.sh BIN: `slatrack recompute` over 100,000 open tickets
# after a change of targets (issue 15: at most 1 s).
#   - the import set-up of bench/run.sh: three partners with the shipped
#     holiday calendars, 100,000 open tickets created in 2025;
#   - each partner's targets change (critical 16h, high 20h), so every
#     critical and high ticket moves (about half of them);
#   - `recompute`, the median of 5 runs, each on a fresh copy;
#   - the floor: sqlite3 running the bare UPDATE of the same rows' clock
#     columns on a fresh copy (no calendar work, no audit events).
# Prints figures; asserts nothing.  RECOMPUTE_BENCH_TICKETS changes the size.
set -eu
BIN=$1
cd "$(dirname "$0")/.."
. bench/lib.sh
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
N=${RECOMPUTE_BENCH_TICKETS:-100000}
NOW=2026-02-01T00:00:00Z
DB=$TMP/base.db

echo "== recompute over $N open tickets after a change of targets (issue 15)"
bench_partners "$BIN" "$DB"
bench_tickets_csv "$N" >"$TMP/import.csv"
"$BIN" --db "$DB" --now "$NOW" import "$TMP/import.csv" >/dev/null
rm -f "$TMP/import.csv"
for p in acme zen usa; do
	"$BIN" --db "$DB" --now "$NOW" partner edit "$p" --target critical=16h \
		--target high=20h >/dev/null
done

cp "$DB" "$TMP/count.db"
MOVED=$("$BIN" --db "$TMP/count.db" --now "$NOW" recompute | sed -n 's/^\([0-9]*\) tickets\{0,1\} moved.*/\1/p')
rm -f "$TMP/count.db"
# the floor: the same rows, the same four clock columns and updated_at,
# nothing else
python3 bench/measure.py --label "recompute, $MOVED of $N tickets moved" --unit s \
	--target "<= 1 s" --copy "$DB" "$TMP/run.db" --floor-db "$TMP/run.db" \
	--floor-sql "UPDATE tickets SET target_s = target_s - 3600, deadline_at = deadline_at - 1, resolve_target_s = resolve_target_s, resolve_deadline_at = resolve_deadline_at, updated_at = 1769904000 WHERE resolved_at IS NULL AND severity IN ('critical', 'high');" \
	-- "$BIN" --db "$TMP/run.db" --now "$NOW" recompute
