#!/bin/sh
# make bench: prints figures against the issues' targets; asserts nothing.
set -eu
BIN=$1 BENCH=$2
cd "$(dirname "$0")/.."
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
echo "== engine"
"$BENCH" load calendars
"$BENCH" deadline calendars

echo "== slatrack deadline --batch, end to end"
N=2000000
python3 - "$N" >"$TMP/in" <<'PY'
import random, sys
random.seed(7)
n = int(sys.argv[1])
lo, hi = 1577836800, 1924905600   # 2020-01-01 .. 2030-12-31
out = sys.stdout
import time
for _ in range(n):
    out.write(time.strftime('%Y-%m-%dT%H:%M:%SZ\n', time.gmtime(random.randrange(lo, hi))))
PY
python3 - "$BIN" "$TMP/in" "$N" <<'PY'
import resource, subprocess, sys, time
binary, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, 'rb') as f:
    t0 = time.monotonic()
    r = subprocess.run([binary, 'deadline', '--tz', 'Europe/London', '--calendar',
                        'calendars/GB-ENG.ics', '--batch'], stdin=f,
                       stdout=subprocess.DEVNULL)
    t = time.monotonic() - t0
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"batch: {n / t:,.0f} lines per second ({n:,} lines in {t:.2f} s, exit {r.returncode},"
      f" peak {peak:.1f} MB; target >= 1,000,000)")
PY
