#!/bin/sh
# report-bench.sh BIN: the figures of issue 5 item 8 (called by bench/run.sh).
#   - a database of 1,100,000 tickets: 1,000,000 timed tickets due in 2025
#     across ten partners with their holiday calendars, 100,000 untimed;
#   - `report --year 2025` over it (target: at most 2 s, at most 200 MB);
#   - the nightly `report` (yesterday) over the same database (target: at
#     most 200 ms: an index serves the period).
# Each figure is the median of several runs, with the largest peak RSS.
# Prints figures; asserts nothing.  REPORT_BENCH_TIMED and
# REPORT_BENCH_UNTIMED change the size.
set -eu
BIN=$1
cd "$(dirname "$0")/.."
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
DB=$TMP/report.db
NOW=2026-01-01T06:00:00Z
TIMED=${REPORT_BENCH_TIMED:-1000000}
UNTIMED=${REPORT_BENCH_UNTIMED:-100000}

echo "== slatrack report over $TIMED timed + $UNTIMED untimed tickets"
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

# measure LABEL RUNS TARGET_S TARGET_MB ARGS...: median wall time, peak RSS
measure() {
	python3 - "$@" <<'PY'
import os, resource, subprocess, sys, tempfile, time
label, runs, target_s, target_mb, argv = sys.argv[1], int(sys.argv[2]), \
    float(sys.argv[3]), float(sys.argv[4]), sys.argv[5:]
times, cpus, peak, rc, size = [], [], 0.0, 0, 0
for _ in range(runs):
    u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    # output to a file, not into this process: a child forked from a big
    # Python would count that memory as its own peak
    with tempfile.TemporaryFile() as out:
        r = subprocess.run(argv, stdout=out, stderr=subprocess.DEVNULL)
        times.append(time.monotonic() - t0)
        size = out.seek(0, os.SEEK_END)
    u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(u1.ru_utime - u0.ru_utime + u1.ru_stime - u0.ru_stime)
    rc = r.returncode
    peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
times.sort()
cpus.sort()
med = times[len(times) // 2]
cpu = cpus[len(cpus) // 2]
mem = f", peak {peak:.0f} MB" + (f" (target <= {target_mb:.0f} MB)" if target_mb > 0 else "")
if target_s > 0:
    ok = ": ok" if med <= target_s and (target_mb <= 0 or peak <= target_mb) else ": OVER TARGET"
    tgt = f" (target <= {target_s * 1000:,.0f} ms)"
else:
    ok, tgt = "", ""
print(f"{label}: {med * 1000:,.0f} ms median of {runs}{tgt} (cpu {cpu * 1000:,.0f} ms){mem},"
      f" {size / 1e6:.1f} MB out, exit {rc}{ok}")
PY
}

S="$BIN --db $DB --now $NOW"
# the evidence verifies the audit chain on the second core; SHA-256 uses
# the x86 SHA extensions where the CPU has them
echo "   ($(nproc) cores; SHA extensions: $(grep -qw sha_ni /proc/cpuinfo 2>/dev/null && echo yes || echo no))"
measure "audit verify (every event hashed, one core)" 3 0 0 \
	$S audit verify
measure "report --year 2025 (text, evidence incl. audit verify)" 5 2 200 \
	$S report --tz UTC --year 2025
measure "report --year 2025 --no-evidence" 3 2 200 \
	$S report --tz UTC --year 2025 --no-evidence
measure "report --year 2025 --format html" 5 2 200 \
	$S report --tz UTC --year 2025 --format html
measure "report --year 2025 --format csv" 3 0 0 \
	$S report --tz UTC --year 2025 --format csv
measure "report --year 2025 --format json" 3 0 0 \
	$S report --tz UTC --year 2025 --format json
measure "nightly report (yesterday, text)" 7 0.2 0 \
	$S report --tz UTC
measure "nightly report (yesterday, html)" 7 0.2 0 \
	$S report --tz UTC --format html
measure "nightly report --partner p-de --fail-on-breach" 7 0.2 0 \
	$S report --tz Europe/Berlin --partner p-de --fail-on-breach
