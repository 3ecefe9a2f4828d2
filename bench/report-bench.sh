#!/bin/sh
# report-bench.sh BIN: the figures of issue 5 item 8 (called by bench/run.sh).
#   - a database of 1,100,000 tickets: 1,000,000 timed tickets due in 2025
#     across ten partners with their holiday calendars, 100,000 untimed;
#   - `report --year 2025` over it in every format, with the evidence
#     (issue 15 target: at most 1.0 s, at most 200 MB);
#   - the nightly `report` (yesterday) over the same database (target: at
#     most 200 ms: an index serves the period).
# Each figure is one line of bench/measure.py: the median of 5 runs, CPU,
# peak RSS, the target, and the floor (sqlite3 running the report's query
# bare on the same file).  Prints figures; asserts nothing.
# REPORT_BENCH_TIMED and REPORT_BENCH_UNTIMED change the size;
# REPORT_BENCH_DB=FILE keeps the database there and reuses it when it
# exists (generating it takes a minute or two).
set -eu
BIN=$1
cd "$(dirname "$0")/.."
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
DB=${REPORT_BENCH_DB:-$TMP/report.db}
NOW=2026-01-01T06:00:00Z
TIMED=${REPORT_BENCH_TIMED:-1000000}
UNTIMED=${REPORT_BENCH_UNTIMED:-100000}

echo "== slatrack report over $TIMED timed + $UNTIMED untimed tickets"
if [ -n "${REPORT_BENCH_DB:-}" ] && [ -s "$DB" ]; then
	echo "   (reusing $DB)"
else
while read -r key zone cal week hours; do
	set -- --db "$DB" --now 2025-01-01T00:00:00Z partner add "$key" --name "Partner $key" \
		--tz "$zone" --calendar "calendars/$cal" --workdays "$week"
	[ "$hours" = - ] || set -- "$@" --hours "$hours"
	"$BIN" "$@" >/dev/null
done <<'EOF'
p-us America/New_York US.ics mon-fri -
p-gb Europe/London GB-ENG.ics mon-fri -
p-de Europe/Berlin DE.ics mon-fri 09:00-17:00
p-fr Europe/Paris FR.ics mon-fri -
p-in Asia/Kolkata IN.ics mon-fri 09:30-18:30
p-au Australia/Sydney AU-NSW.ics mon-fri -
p-br America/Sao_Paulo BR.ics mon-fri -
p-jp Asia/Tokyo JP.ics mon-fri 09:00-12:00,13:00-18:00
p-il Asia/Jerusalem IL.ics sun-thu -
p-pl Europe/Warsaw PL.ics mon-fri -
EOF
t0=$(date +%s)
python3 bench/report-gen.py "$BIN" "$DB" "$TIMED" "$UNTIMED" 2025 "$NOW"
echo "   (generated in $(( $(date +%s) - t0 )) s; database $(du -m "$DB" | cut -f1) MB)"
fi

# The floor of every figure: the sqlite3 command-line tool running the
# report's own query, bare, on the same file (bench/measure.py).
COLS="t.id, t.key, t.partner_id, t.severity, t.summary, t.assignee, t.created_at,\
 t.target_s, t.deadline_at, t.first_response_at, t.resolved_at, t.resolve_target_s,\
 t.resolve_deadline_at, t.waiting_since, t.waiting_response, t.excused_at,\
 t.excuse_reason, t.excuse_ref"
YEAR_SQL="SELECT $COLS FROM tickets t NOT INDEXED WHERE ((t.deadline_at >= 1735689600\
 AND t.deadline_at < 1767225600) OR (t.deadline_at IS NULL AND t.created_at >= 1735689600\
 AND t.created_at < 1767225600)) ORDER BY t.id"
DAY_SQL="SELECT $COLS FROM tickets t INDEXED BY tickets_deadline WHERE\
 t.deadline_at >= 1767139200 AND t.deadline_at < 1767225600 ORDER BY t.deadline_at, t.id"
EVENTS_SQL="SELECT id, at, actor, kind, ticket_id, partner_id, field, old, new, prev_hash, hash\
 FROM events ORDER BY id"

# measure LABEL TARGET SQL ARGS...: one line in the format of issue 15
measure() {
	label=$1 target=$2 sql=$3
	shift 3
	python3 bench/measure.py --label "$label" --unit s --target "$target" \
		--floor-db "$DB" --floor-sql "$sql" -- "$@"
}

S="$BIN --db $DB --now $NOW"
# the evidence verifies the audit chain on threads of its own; SHA-256
# takes sixteen events at once on AVX-512, else the x86 SHA extensions
echo "   ($(nproc) cores; SHA extensions: $(grep -qw sha_ni /proc/cpuinfo 2>/dev/null && echo yes || echo no);" \
	"AVX-512: $(grep -qw avx512bw /proc/cpuinfo 2>/dev/null && echo yes || echo no);" \
	"load average $(cut -d' ' -f1-3 /proc/loadavg))"
measure "audit verify (every event hashed, one core)" "n/a (part of the evidence)" \
	"$EVENTS_SQL" $S audit verify
for f in text html json; do
	measure "report --year 2025 --format $f (evidence incl. audit verify)" \
		"<= 1.0 s, <= 200 MB" "$YEAR_SQL" $S report --tz UTC --year 2025 --format $f
done
# JSON schema 1 lists every ticket too (680 MB for a year); kept for a
# release, it has no target of its own
measure "report --year 2025 --format json --json-schema 1 (every ticket listed)" \
	"none (schema 2 is the target's)" "$YEAR_SQL" $S report --tz UTC --year 2025 --format json \
	--json-schema 1
# CSV never carries the evidence (one record per ticket, nothing else)
measure "report --year 2025 --format csv (no evidence in CSV)" "<= 1.0 s, <= 200 MB" \
	"$YEAR_SQL" $S report --tz UTC --year 2025 --format csv
for f in text json; do
	measure "report --year 2025 --format $f --no-evidence" "<= 1.0 s, <= 200 MB" \
		"$YEAR_SQL" $S report --tz UTC --year 2025 --format $f --no-evidence
done
measure "nightly report (yesterday, text)" "<= 0.2 s" "$DAY_SQL" $S report --tz UTC
measure "nightly report (yesterday, html)" "<= 0.2 s" "$DAY_SQL" $S report --tz UTC --format html
# the day holds breaches: exit 1 is the answer (sh counts it a success)
measure "nightly report --partner p-de --fail-on-breach" "<= 0.2 s" "$DAY_SQL" \
	sh -c '"$0" "$@"; [ $? -le 1 ]' $S report --tz Europe/Berlin --partner p-de \
	--fail-on-breach
