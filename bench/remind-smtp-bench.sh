#!/bin/sh
# remind-smtp-bench.sh BIN: `slatrack remind` delivering 10,000 due notices
# (REMIND_SMTP_BENCH_N changes it) to the loopback test server
# (tests/server/smtpd.py good: aiosmtpd, saving every message), one mail
# per ticket: how many messages per second, over how many SMTP
# connections, and the peak resident set of the remind run.  The database
# (one partner, N unassigned tickets long past their deadline, so each has
# one breach notice for remind.team) is built with `import` and not timed.
# Prints figures; asserts nothing (but says when messages are missing).
# remind records each delivery in its own transaction (synchronous = FULL:
# an fsync per mail); TMPDIR=/dev/shm puts the database in memory and
# leaves the SMTP side alone in the figure.
set -eu
BIN=$1
cd "$(dirname "$0")/.."
N=${REMIND_SMTP_BENCH_N:-10000}
PY=""
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import aiosmtpd' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "remind: skipped (no python3 with aiosmtpd: install python3-aiosmtpd)"
	exit 0
fi
TMP=$(mktemp -d)
SMTPD=""
cleanup() {
	[ -z "$SMTPD" ] || { kill "$SMTPD" 2>/dev/null; wait "$SMTPD" 2>/dev/null || :; }
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

mkdir "$TMP/mx"
"$PY" tests/server/smtpd.py good "$TMP/mx" 2>"$TMP/smtpd.log" &
SMTPD=$!
i=0
while [ ! -s "$TMP/mx/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$TMP/mx/port")
cat >"$TMP/conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$PORT
from = sla@example.com
timeout = 30s
[remind]
team = support@example.com
EOF

"$BIN" --db "$TMP/db" --now 2025-01-01T00:00:00Z partner add acme --name Acme \
	--tz UTC >/dev/null
"$PY" - "$N" >"$TMP/import.csv" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
out.write('key,partner,severity,summary,customer,assignee,created\n')
for i in range(n):
    out.write('RB-%d,acme,high,"Ticket %d: login fails, error 500",Customer %d,,'
              '2025-06-02T09:00:00Z\n' % (i + 1, i + 1, i % 97))
PY
"$BIN" --db "$TMP/db" --now 2025-06-02T09:00:00Z import "$TMP/import.csv" >/dev/null

"$PY" - "$BIN" "$TMP" "$N" <<'PY'
import os, resource, subprocess, sys, time
binary, tmp, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
argv = [binary, '--db', f'{tmp}/db', '--config', f'{tmp}/conf',
        '--now', '2026-01-01T00:00:00Z', 'remind', '--all', '--per-ticket']
t0 = time.monotonic()
r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
t = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
got = sum(1 for f in os.listdir(f'{tmp}/mx') if f.endswith('.eml'))
with open(f'{tmp}/mx/connections') as f:
    conns = int(f.read())
note = '' if r.returncode == 0 and got == n else \
    f'; exit {r.returncode}, {got:,} of {n:,} received: {r.stderr.decode()[:300]}'
print(f"remind: {got:,} messages in {t:.2f} s = {got / t:,.0f} msg/s over {conns:,} "
      f"connection{'' if conns == 1 else 's'} (cpu {ru.ru_utime + ru.ru_stime:.2f} s; "
      f"peak {ru.ru_maxrss / 1024:.1f} MB; target >= 500 msg/s, <= 100 MB){note}")
PY
