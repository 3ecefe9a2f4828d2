#!/bin/sh
# bench/queue-bench.sh SLATRACK: `ticket list --open` over 100,000 open
# tickets (issues 3 and 15), in the table, CSV and JSON formats.  Prints
# one line per figure (bench/measure.py); asserts nothing.
#   table: target <= 100 ms
# Three partners with the shipped holiday calendars; every ticket open and
# unanswered, so the queue shows all of them.  QUEUE_BENCH_DB=FILE keeps
# the database there (built when missing) for repeated runs.
set -eu
BIN=$1
N=${QUEUE_BENCH_TICKETS:-100000}
NOW=2026-02-01T00:00:00Z
cd "$(dirname "$0")/.."
. bench/lib.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/slatrack-queue-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
DB=${QUEUE_BENCH_DB:-$TMP/queue.db}
# no user configuration: the viewer's zone is UTC
export SLATRACK_CONFIG="$TMP/config"
: >"$SLATRACK_CONFIG"

echo "== ticket list --open, $N open tickets (issues 3, 15)"
if [ ! -e "$DB" ]; then
	t0=$(date +%s)
	bench_partners "$BIN" "$DB"
	bench_tickets_csv "$N" >"$TMP/import.csv"
	"$BIN" --db "$DB" --now "$NOW" import "$TMP/import.csv" >/dev/null
	rm -f "$TMP/import.csv"
	echo "(database built in $(( $(date +%s) - t0 )) s)"
fi

# the floor: the columns a listing reads, bare
COLS="id, key, partner_id, severity, summary, customer, assignee, created_at, target_s,
deadline_at, first_response_at, resolved_at, waiting_since, waiting_response, excused_at"
COLS=$(echo $COLS)
for fmt in table csv json; do
	case $fmt in
	table) target="<= 100 ms" ;;
	*) target="none (issue 15 names the table)" ;;
	esac
	python3 bench/measure.py --label "ticket list --open --format $fmt, $N open tickets" \
		--target "$target" --floor-db "$DB" \
		--floor-sql "SELECT $COLS FROM tickets WHERE resolved_at IS NULL" \
		-- "$BIN" --db "$DB" --now "$NOW" ticket list --open --format "$fmt"
done
