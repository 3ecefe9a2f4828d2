#!/bin/sh
# remind-smtp-bench.sh BIN: `slatrack remind` against the loopback test
# server (tests/server/smtpd.py good: aiosmtpd, saving every message).
# Prints figures (the line format of issue 15); asserts nothing, but says
# when messages are missing or a run failed.
#
# 1. The rate (issue 15: >= 500 messages/s, one connection): 10,000 due
#    notices (REMIND_SMTP_BENCH_N changes it), one mail per ticket, median
#    of 5 runs, each on a fresh copy of the database and an empty mailbox.
#    The database (one partner, N unassigned tickets long past their
#    deadline, so each has one breach notice for remind.team) is built
#    with `import` and not timed.  The floor is the server alone: a Python
#    smtplib client sending N copies of one of those mails over one
#    connection, no slatrack and no database (there is no SQL equivalent).
# 2. Memory at REMIND_BENCH_BIG (default 1,000,000) due tickets (issue 15:
#    <= 100 MB in every mode), REMIND_BENCH_BIG_RUNS runs each (default 3:
#    a real run over a million takes minutes): remind --dry-run (digests,
#    then --per-ticket), a real remind sending the digests (100 tickets a
#    mail) to the loopback server on a fresh copy, and remind with nothing
#    due on the database that run left.  Floors: the sqlite3 tool reading
#    the open tickets of the same file.  REMIND_BENCH_BIG=0 skips this part.
#
# remind claims a batch of tickets in one transaction and records its
# deliveries in groups (remind.h), so a run makes a few dozen fsyncs, not
# one per mail (synchronous = FULL).
set -eu
BIN=$1
cd "$(dirname "$0")/.."
N=${REMIND_SMTP_BENCH_N:-10000}
BIG=${REMIND_BENCH_BIG:-1000000}
BIGRUNS=${REMIND_BENCH_BIG_RUNS:-3}
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

# make_db DB COUNT: one partner, COUNT unassigned tickets breached long ago
make_db() {
	"$BIN" --db "$1" --now 2025-01-01T00:00:00Z partner add acme --name Acme \
		--tz UTC >/dev/null
	"$PY" - "$2" >"$TMP/import.csv" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
out.write('key,partner,severity,summary,customer,assignee,created\n')
for i in range(n):
    out.write('RB-%d,acme,high,"Ticket %d: login fails, error 500",Customer %d,,'
              '2025-06-02T09:00:00Z\n' % (i + 1, i + 1, i % 97))
PY
	"$BIN" --db "$1" --now 2025-06-02T09:00:00Z import "$TMP/import.csv" >/dev/null
	rm -f "$TMP/import.csv"
}

cat >"$TMP/bench.py" <<'PY'
"""The measurements: python3 bench.py rate|big BIN TMP N PORT RUNS."""
import os, shutil, smtplib, statistics, sys, time

mode, binary, tmp, n, port, runs = sys.argv[1:7]
n, port, runs = int(n), int(port), int(runs)
mx = os.path.join(tmp, 'mx')
conf = os.path.join(tmp, 'conf')
NOW = '2026-01-01T00:00:00Z'
OPEN_SQL = 'SELECT id, key, summary, deadline_at FROM tickets WHERE resolved_at IS NULL'


def run_once(argv):
    """Wall s, CPU s (user + system) and peak MB of argv alone (wait4),
    its exit status and the head of its stderr."""
    with open(os.path.join(tmp, 'err'), 'w+b') as err:
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        t0 = time.monotonic()
        pid = os.posix_spawn(shutil.which(argv[0]) or argv[0], argv, os.environ,
                             file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        wall = time.monotonic() - t0
        err.seek(0)
        msg = err.read(300).decode(errors='replace').strip()
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, \
        os.waitstatus_to_exitcode(status), msg


def fresh_copy(src, dst):
    shutil.copy(src, dst)
    for ext in ('-wal', '-shm', '-remind.lock'):
        if os.path.exists(dst + ext):
            os.remove(dst + ext)


def empty_mailbox():
    for f in os.listdir(mx):
        if f.startswith('msg-'):
            os.remove(os.path.join(mx, f))


def received():
    return sum(1 for f in os.listdir(mx) if f.endswith('.eml'))


def connections():
    with open(os.path.join(mx, 'connections')) as f:
        return int(f.read())


def remind(db, *args):
    return [binary, '--db', db, '--config', conf, '--now', NOW, 'remind'] + list(args)


def sqlite_floor(db):
    if not shutil.which('sqlite3'):
        return ': n/a (no sqlite3 command-line tool)'
    t = statistics.median(run_once(['sqlite3', db, OPEN_SQL])[0] for _ in range(runs))
    return f'(sqlite3 "{OPEN_SQL}"): {t:.2f} s'


def line(what, walls, cpus, peaks, target, floor, rate=None, notes=()):
    """One figure: median wall (and rate), the runs, median CPU, peak."""
    if rate:
        rates = [rate / w for w in walls]
        head = f'median {statistics.median(rates):,.0f} msg/s, {statistics.median(walls):.2f} s'
        each = ', '.join(f'{r:,.0f}' for r in rates) + ' msg/s'
    else:
        head = f'median {statistics.median(walls):.2f} s'
        each = ', '.join(f'{w:.2f}' for w in walls) + ' s'
    bad = ''.join(f'; {x}' for x in notes if x)
    print(f'{what}: {head} (of {len(walls)}: {each}; cpu {statistics.median(cpus):.2f} s; '
          f'peak {max(peaks):.0f} MB{bad}); target {target}; floor {floor}', flush=True)


def check(rc, msg, got, want):
    if rc != 0 or got != want:
        return f'exit {rc}, {got:,} of {want:,} received: {msg[:200]}'
    return ''


def rate_mode():
    walls, cpus, peaks, notes, conns = [], [], [], [], set()
    src, db = os.path.join(tmp, 'rate.db'), os.path.join(tmp, 'run.db')
    for _ in range(runs):
        fresh_copy(src, db)
        empty_mailbox()
        c0 = connections()
        wall, cpu, peak, rc, msg = run_once(remind(db, '--all', '--per-ticket'))
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        conns.add(connections() - c0)
        notes.append(check(rc, msg, received(), n))
    notes.append(f"{'/'.join(str(c) for c in sorted(conns))} connection"
                 f"{'' if conns == {1} else 's'} a run")
    # the server alone: one of those mails, n times over one connection
    sample = sorted(f for f in os.listdir(mx) if f.endswith('.eml'))[0]
    with open(os.path.join(mx, sample), 'rb') as f:
        data = f.read()
    fl = []
    for _ in range(runs):
        empty_mailbox()
        t0 = time.monotonic()
        s = smtplib.SMTP('127.0.0.1', port)
        for _ in range(n):
            s.sendmail('sla@example.com', ['support@example.com'], data)
        s.quit()
        fl.append(n / (time.monotonic() - t0))
    line(f'remind --per-ticket, {n:,} due notices to the loopback SMTP server',
         walls, cpus, peaks, '>= 500 msg/s, <= 100 MB',
         f'(the server alone: Python smtplib sending {n:,} of those mails over one '
         f'connection, no slatrack): {statistics.median(fl):,.0f} msg/s',
         rate=n, notes=notes)


def big_mode():
    big, db, done = (os.path.join(tmp, x) for x in ('big.db', 'run.db', 'done.db'))
    floor = sqlite_floor(big)
    for what, args in (('remind --dry-run (digests)', ['--dry-run', '--all']),
                       ('remind --dry-run --per-ticket', ['--dry-run', '--all',
                                                          '--per-ticket'])):
        walls, cpus, peaks, notes = [], [], [], []
        for _ in range(runs):
            wall, cpu, peak, rc, msg = run_once(remind(big, *args))
            walls.append(wall)
            cpus.append(cpu)
            peaks.append(peak)
            notes.append(f'exit {rc}: {msg[:200]}' if rc else '')
        line(f'{what}, {n:,} due tickets', walls, cpus, peaks, '<= 100 MB peak', floor,
             notes=notes)
    walls, cpus, peaks, notes = [], [], [], []
    want = (n + 99) // 100
    for _ in range(runs):
        fresh_copy(big, db)
        empty_mailbox()
        wall, cpu, peak, rc, msg = run_once(remind(db, '--all'))
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        notes.append(check(rc, msg, received(), want))
    line(f'remind (digests of 100: {want:,} mails to the loopback SMTP server), '
         f'{n:,} due tickets', walls, cpus, peaks, '<= 100 MB peak', floor, notes=notes)
    fresh_copy(db, done)
    empty_mailbox()
    walls, cpus, peaks, notes = [], [], [], []
    for _ in range(runs):
        fresh_copy(done, db)
        wall, cpu, peak, rc, msg = run_once(remind(db))
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        notes.append(check(rc, msg, received(), 0))
    line(f'remind, nothing due (all notified), {n:,} open tickets', walls, cpus, peaks,
         '<= 100 MB peak', sqlite_floor(done), notes=notes)


rate_mode() if mode == 'rate' else big_mode()
PY

make_db "$TMP/rate.db" "$N"
"$PY" "$TMP/bench.py" rate "$BIN" "$TMP" "$N" "$PORT" 5
if [ "$BIG" -gt 0 ]; then
	make_db "$TMP/big.db" "$BIG"
	"$PY" "$TMP/bench.py" big "$BIN" "$TMP" "$BIG" "$PORT" "$BIGRUNS"
fi
