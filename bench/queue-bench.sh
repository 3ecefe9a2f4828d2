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
TMP=$(mktemp -d "${TMPDIR:-/tmp}/slatrack-queue-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
DB=${QUEUE_BENCH_DB:-$TMP/queue.db}
# no user configuration: the viewer's zone is UTC
export SLATRACK_CONFIG="$TMP/config"
: >"$SLATRACK_CONFIG"

echo "== ticket list --open, $N open tickets (issues 3, 15)"
if [ ! -e "$DB" ]; then
	t0=$(date +%s)
	"$BIN" --db "$DB" --now 2025-01-01T00:00:00Z partner add acme --name Acme \
		--tz Europe/Berlin --calendar calendars/DE.ics >/dev/null
	"$BIN" --db "$DB" --now 2025-01-01T00:00:00Z partner add zen --name Zen \
		--tz Asia/Tokyo --calendar calendars/JP.ics --hours 09:00-18:00 >/dev/null
	"$BIN" --db "$DB" --now 2025-01-01T00:00:00Z partner add usa --name Usa \
		--tz America/New_York --calendar calendars/US.ics >/dev/null
	python3 - "$N" >"$TMP/import.csv" <<'PY'
import random, sys, time
random.seed(11)
n = int(sys.argv[1])
lo, hi = 1735689600, 1767225600   # 2025
sev = ('critical', 'high', 'medium', 'low')
out = sys.stdout
out.write('key,partner,severity,summary,customer,assignee,created\n')
for i in range(n):
    out.write('MP-%d,%s,%s,"Ticket %d: login fails, error 500",Customer %d,agent%d,%s\n' % (
        100000 + i, ('acme', 'zen', 'usa')[i % 3], sev[random.randrange(4)], i, i % 997,
        i % 25, time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(random.randrange(lo, hi)))))
PY
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
