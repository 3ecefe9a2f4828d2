#!/bin/sh
# import-bench.sh BIN [KEEP_DB]: `slatrack import` of 100,000 tickets
# (issue 15: at most 1.5 s), printed in the format of every bench figure:
#
#   import: median X (of 5: a, b, c, d, e; cpu C s; peak M MB); target <= 1.5 s;
#     floor (sqlite3 ...): F
#
# Three partners with the shipped holiday calendars and a 100,000-row CSV,
# as bench/run.sh has always built them.  Each of the 5 runs imports into a
# fresh copy of the same database; the figure is the median wall time, the
# median CPU time (user + system) of the import alone and its largest
# resident set (wait4(2) of that child only, so nothing else running on
# the machine is counted in CPU and memory).
#
# The floor is the sqlite3 command-line tool writing the very rows the
# import wrote (its tickets and their ticket.import events, taken from the
# first run's result) into a fresh copy of the same database, with foreign
# keys on as slatrack has them, in one transaction, timed the same way:
# how far above the storage cost the import is.  ORDER BY keeps SQLite
# from copying the rows as raw records (its transfer optimisation, which
# checks no constraint), which no import could do.
#
# KEEP_DB, when given, gets the first run's database (100,000 open
# tickets) for the figures that follow.  Prints; asserts nothing.
set -eu
BIN=$1 KEEP=${2:-}
cd "$(dirname "$0")/.."
. bench/lib.sh
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
NOW=2026-02-01T00:00:00Z

bench_partners "$BIN" "$TMP/base.db"
bench_tickets_csv 100000 >"$TMP/import.csv"

python3 - "$BIN" "$TMP" "$NOW" "$KEEP" <<'PY'
import os, shutil, statistics, sys, time

binary, tmp, now, keep = sys.argv[1:5]
RUNS = 5


def fresh(dst):
    """A copy of the partners-only database at dst (no WAL left over)."""
    shutil.copy(f'{tmp}/base.db', dst)
    for ext in ('-wal', '-shm'):
        if os.path.exists(dst + ext):
            os.remove(dst + ext)


def run(argv):
    """Wall seconds, CPU seconds (user + system) and peak MB of argv alone."""
    exe = shutil.which(argv[0]) or argv[0]
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    t0 = time.monotonic()
    pid = os.posix_spawn(exe, argv, os.environ, file_actions=actions)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def measure(argv_for, db_for):
    walls, cpus, peaks, failed = [], [], [], 0
    for i in range(RUNS):
        fresh(db_for(i))
        wall, cpu, peak, rc = run(argv_for(i))
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        failed += rc != 0
    return walls, cpus, peaks, failed


walls, cpus, peaks, failed = measure(
    lambda i: [binary, '--db', f'{tmp}/import-{i}.db', '--now', now, 'import',
               f'{tmp}/import.csv'],
    lambda i: f'{tmp}/import-{i}.db')

# the floor: the same rows, written by sqlite3 alone
first_event = 0
if shutil.which('sqlite3'):
    import sqlite3
    with sqlite3.connect(f'{tmp}/base.db') as c:
        first_event = c.execute('SELECT coalesce(max(id), 0) FROM events').fetchone()[0]
sql = (f"PRAGMA foreign_keys = ON; ATTACH '{tmp}/import-0.db' AS src; BEGIN;"
       " INSERT INTO tickets SELECT * FROM src.tickets ORDER BY id;"
       f" INSERT INTO events SELECT * FROM src.events WHERE id > {first_event} ORDER BY id;"
       " COMMIT;")
shown = ("INSERT INTO tickets SELECT * FROM src.tickets ORDER BY id;"
         " INSERT INTO events SELECT * FROM src.events ...")
if not shutil.which('sqlite3'):
    floor = 'floor: n/a (no sqlite3 command-line tool)'
elif failed:
    floor = 'floor: n/a (the import failed, so there are no rows to write)'
else:
    fw, fc, _, ffail = measure(lambda i: ['sqlite3', f'{tmp}/floor-{i}.db', sql],
                               lambda i: f'{tmp}/floor-{i}.db')
    floor = (f'floor (sqlite3 "{shown}"): {statistics.median(fw):.2f} s'
             f' (cpu {statistics.median(fc):.2f} s{"; FAILED" if ffail else ""})')
bad = f'; {failed} run(s) FAILED' if failed else ''
print(f"import, 100,000 tickets: median {statistics.median(walls):.2f} s"
      f" (of {RUNS}: {', '.join(f'{w:.2f}' for w in walls)};"
      f" cpu {statistics.median(cpus):.2f} s; peak {max(peaks):.0f} MB{bad});"
      f" target <= 1.5 s; {floor}")
if keep and not failed:
    shutil.copy(f'{tmp}/import-0.db', keep)
PY
