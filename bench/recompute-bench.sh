#!/bin/sh
# recompute-bench.sh BIN: `slatrack recompute` over 100,000 open tickets
# after a change of targets (issue 15: at most 1 s).
#   - the import set-up of bench/run.sh: three partners with the shipped
#     holiday calendars, 100,000 open tickets created in 2025;
#   - each partner's targets change (critical 16h, high 20h), so every
#     critical and high ticket moves (about half of them);
#   - `recompute`, the median of 3 runs, each on a fresh copy;
#   - the floor: sqlite3 running the bare UPDATE of the same rows' clock
#     columns on a fresh copy (no calendar work, no audit events).
# Prints figures; asserts nothing.  RECOMPUTE_BENCH_TICKETS changes the size.
set -eu
BIN=$1
cd "$(dirname "$0")/.."
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
N=${RECOMPUTE_BENCH_TICKETS:-100000}
NOW=2026-02-01T00:00:00Z
DB=$TMP/base.db

echo "== recompute over $N open tickets after a change of targets (issue 15)"
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
for p in acme zen usa; do
	"$BIN" --db "$DB" --now "$NOW" partner edit "$p" --target critical=16h \
		--target high=20h >/dev/null
done

python3 - "$BIN" "$TMP" "$NOW" <<'PY'
import os, re, resource, shutil, statistics, subprocess, sys, tempfile, time
binary, tmp, now = sys.argv[1:4]
base = f'{tmp}/base.db'

def fresh(name):
    db = f'{tmp}/{name}.db'
    shutil.copy(base, db)
    return db

def run(argv):
    """wall and cpu seconds of argv, its exit status and its output"""
    u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    # output to a file, not a pipe into this process: it is 50,000 lines
    with tempfile.TemporaryFile() as out:
        r = subprocess.run(argv, stdout=out, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - t0
        out.seek(0)
        text = out.read().decode('utf-8', 'replace')
    u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = u1.ru_utime - u0.ru_utime + u1.ru_stime - u0.ru_stime
    return wall, cpu, r.returncode, text

walls, cpus, moved, rc = [], [], 0, 0
for i in range(3):
    wall, cpu, rc, text = run([binary, '--db', fresh(f'run-{i}'), '--now', now, 'recompute'])
    walls.append(wall)
    cpus.append(cpu)
    m = re.search(r'^(\d+) tickets? moved', text, re.M)
    moved = int(m.group(1)) if m else -1
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

# the same rows, the same four clock columns and updated_at, nothing else
floor_sql = ("UPDATE tickets SET target_s = target_s - 3600, deadline_at = deadline_at - 1,"
             " resolve_target_s = resolve_target_s, resolve_deadline_at = resolve_deadline_at,"
             " updated_at = 1769904000"
             " WHERE resolved_at IS NULL AND severity IN ('critical', 'high');")
floors = []
for i in range(3):
    wall, cpu, frc, _ = run(['sqlite3', fresh(f'floor-{i}'), floor_sql])
    floors.append(wall if frc == 0 else float('nan'))
med = statistics.median(walls)
ok = ': ok' if rc == 0 and med <= 1.0 else ': OVER TARGET'
print(f"recompute: {moved:,} tickets moved in {med:.2f} s (median of 3:"
      f" {', '.join(f'{t:.2f}' for t in walls)}; exit {rc}; cpu {statistics.median(cpus):.2f} s;"
      f" peak {peak:.1f} MB; target <= 1 s; sqlite3 floor: {statistics.median(floors):.2f} s){ok}")
PY
