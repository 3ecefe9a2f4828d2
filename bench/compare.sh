#!/bin/sh
# bench/compare.sh OLD NEW: the same figures of two slatrack binaries, run
# alternately (old, new, old, new, ...) on databases each binary built
# itself, so a busy machine slows both alike and the ratio stays fair.
# For "did this change make anything slower?": prints medians of CPU and
# wall time and the new/old ratio; asserts nothing.
#   git archive REV | tar -x -C /tmp/old && make -C /tmp/old
#   sh bench/compare.sh /tmp/old/build/slatrack build/slatrack
# COMPARE_TICKETS (default 100000) sizes the queue, COMPARE_REPORT
# (default 300000) the report's database.
set -eu
OLD=$1 NEW=$2
N=${COMPARE_TICKETS:-100000}
RN=${COMPARE_REPORT:-300000}
cd "$(dirname "$0")/.."
. bench/lib.sh
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

python3 - "$N" >"$TMP/import.csv" <<'PY'
import random, sys, time
random.seed(11)
n = int(sys.argv[1])
hi = 1773403200                   # 2026-03-13T12:00:00Z
lo = hi - 10 * 86400
out = sys.stdout
out.write('key,partner,severity,summary,customer,assignee,created\n')
for i in range(n):
    out.write('CP-%d,%s,%s,"Ticket %d: login fails",Customer %d,agent%d,%s\n' % (
        i, ('acme', 'zen', 'usa')[i % 3], ('critical', 'high', 'medium')[i % 3], i, i % 997,
        i % 25, time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(random.randrange(lo, hi)))))
PY
for v in old new; do
	eval "bin=\$$(echo "$v" | tr a-z A-Z)"
	bench_partners "$bin" "$TMP/base-$v.db"
	cp "$TMP/base-$v.db" "$TMP/queue-$v.db"
	"$bin" --db "$TMP/queue-$v.db" --now 2026-03-13T12:00:00Z import "$TMP/import.csv" >/dev/null
	printf '[remind]\nthresholds = 50,75,90\n' >"$TMP/remind.conf"
	for i in 1 2; do
		"$bin" --db "$TMP/queue-$v.db" --config "$TMP/remind.conf" \
			--now 2026-03-13T12:00:00Z remind >/dev/null 2>&1 || true
	done
done
# the report's database: bench/report-gen.py and its ten partners
for v in old new; do
	eval "bin=\$$(echo "$v" | tr a-z A-Z)"
	while read -r key zone cal week hours; do
		set -- --db "$TMP/rep-$v.db" --now 2025-01-01T00:00:00Z partner add "$key" \
			--name "Partner $key" --tz "$zone" --calendar "calendars/$cal" --workdays "$week"
		[ "$hours" = - ] || set -- "$@" --hours "$hours"
		"$bin" "$@" >/dev/null
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
	python3 bench/report-gen.py "$bin" "$TMP/rep-$v.db" "$RN" $((RN / 10)) 2025 \
		2026-01-01T06:00:00Z >/dev/null
done

python3 - "$OLD" "$NEW" "$TMP" "$N" "$RN" <<'PY'
import os, resource, shutil, statistics, subprocess, sys, time
old, new, tmp, n, rn = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def run(argv, fresh=None):
    if fresh:
        shutil.copy(*fresh)
    u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode not in (0, 1):
        print(f"   exit {r.returncode}: {' '.join(argv)}")
    return wall, u1.ru_utime - u0.ru_utime + u1.ru_stime - u0.ru_stime

def figure(label, runs, argv_of, fresh_of=None):
    res = {'old': [], 'new': []}
    for _ in range(runs):
        for v, b in (('old', old), ('new', new)):
            res[v].append(run(argv_of(v, b), fresh_of(v) if fresh_of else None))
    med = {v: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
           for v, r in res.items()}
    ratio = med['new'][1] / med['old'][1] if med['old'][1] > 0 else float('nan')
    print(f"{label}: cpu {med['old'][1] * 1000:,.0f} -> {med['new'][1] * 1000:,.0f} ms"
          f" ({ratio:.2f}x), wall {med['old'][0] * 1000:,.0f} -> {med['new'][0] * 1000:,.0f} ms"
          f" (medians of {runs}, alternating)")

now = '2026-03-13T12:00:00Z'
figure(f"import {n:,}", 3,
       lambda v, b: [b, '--db', f'{tmp}/imp-{v}.db', '--now', now, 'import', f'{tmp}/import.csv'],
       lambda v: (f'{tmp}/base-{v}.db', f'{tmp}/imp-{v}.db'))
figure(f"ticket list --open, {n:,} open", 5,
       lambda v, b: [b, '--db', f'{tmp}/queue-{v}.db', '--now', now, 'ticket', 'list', '--open'])
figure(f"remind, nothing due, {n:,} open", 5,
       lambda v, b: [b, '--db', f'{tmp}/queue-{v}.db', '--config', f'{tmp}/remind.conf',
                     '--now', now, 'remind'])
rnow = '2026-01-01T06:00:00Z'
figure(f"report --year 2025, {rn + rn // 10:,} tickets", 3,
       lambda v, b: [b, '--db', f'{tmp}/rep-{v}.db', '--now', rnow, 'report', '--tz', 'UTC',
                     '--year', '2025'])
figure("report --year 2025 --format json", 3,
       lambda v, b: [b, '--db', f'{tmp}/rep-{v}.db', '--now', rnow, 'report', '--tz', 'UTC',
                     '--year', '2025', '--format', 'json'])
figure("nightly report", 5,
       lambda v, b: [b, '--db', f'{tmp}/rep-{v}.db', '--now', rnow, 'report', '--tz', 'UTC'])
PY
