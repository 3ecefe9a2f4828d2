#!/usr/bin/env python3
"""measure.py: one benchmark figure, printed the way every figure of
`make bench` is printed (issue 15):

  LABEL: median X (of 5: a, b, c, d, e; cpu C; peak M MB); target T; floor (sqlite3 ...): F

usage: measure.py --label TEXT --target TEXT [--runs N] [--unit ms|s]
                  [--copy SRC DST] [--stdin FILE] [--per-second N WHAT]
                  [--warm FILE]... [--floor-none WHY]
                  [--floor-db DB --floor-sql SQL] -- COMMAND ARGS...

Each run starts COMMAND afresh (after copying SRC to DST when --copy is
given, untimed: a command that writes gets the same database every time)
and records its wall time, its own CPU time (user + system) and its own peak
resident set, from wait4(2), so nothing else on the machine is counted in
the CPU and memory figures.  The floor is the sqlite3 command-line tool
running the equivalent bare query on the same file, timed the same way: how
far above the storage cost the command is.  Prints; asserts nothing.

Before each run of either, the database (--floor-db, and each --warm FILE)
is read once, untimed, so every run starts with it in the page cache, as
on a machine where it is used all day.  Without that, a virtual machine
that hands idle page cache back to its host (this one does, within
seconds) makes some runs read the file from disk and the medians measure
the disk.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time


def run_once(argv, stdin_path):
    """Wall seconds, CPU seconds and peak MB of one run of argv.

    Linux starts a child's peak at its parent's resident set when it
    execs, so a peak under this Python's own (about 15 MB) shows as that;
    the targets are far above it."""
    exe = shutil.which(argv[0]) or argv[0]
    with tempfile.TemporaryFile() as err:
        actions = [(os.POSIX_SPAWN_OPEN, 0, stdin_path or os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        t0 = time.monotonic()
        pid = os.posix_spawn(exe, argv, os.environ, file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        wall = time.monotonic() - t0
        rc = os.waitstatus_to_exitcode(status)
        if rc != 0:
            err.seek(0)
            sys.stderr.write(f"measure: {argv[0]} exited {rc}: "
                             f"{err.read(400).decode(errors='replace')}\n")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, rc


def warm(paths):
    """Reads each file (and its -wal) once, so its pages are cached."""
    for path in paths:
        for p in (path, path + '-wal'):
            try:
                with open(p, 'rb', buffering=0) as f:
                    while f.read(1 << 20):
                        pass
            except OSError:
                pass


def fmt(seconds, unit):
    return f"{seconds * 1000:.0f} ms" if unit == 'ms' else f"{seconds:.2f} s"


def fresh_copy(src, dst):
    shutil.copy(src, dst)
    for ext in ('-wal', '-shm'):
        if os.path.exists(dst + ext):
            os.remove(dst + ext)


def floor(db, sql, runs, unit, copy, cached):
    """Median wall time of `sqlite3 DB SQL`, or a reason it has none.  A
    floor that writes runs on a fresh copy each time, as the command does."""
    if not shutil.which('sqlite3'):
        return 'n/a (no sqlite3 command-line tool)'
    times = []
    for _ in range(runs):
        if copy and copy[1] == db:
            fresh_copy(copy[0], copy[1])
        warm(cached)
        times.append(run_once(['sqlite3', db, sql], None)[0])
    short = sql if len(sql) <= 60 else sql[:57] + '...'
    return f"{fmt(statistics.median(times), unit)} (sqlite3 \"{short}\")"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--label', required=True)
    ap.add_argument('--target', required=True)
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--unit', choices=('ms', 's'), default='ms')
    ap.add_argument('--copy', nargs=2, metavar=('SRC', 'DST'))
    ap.add_argument('--stdin')
    ap.add_argument('--warm', action='append', default=[],
                    help='a file to have in the page cache before each run')
    ap.add_argument('--floor-db')
    ap.add_argument('--floor-sql')
    ap.add_argument('--floor-none', help='why there is no sqlite3 floor')
    ap.add_argument('--per-second', nargs=2, metavar=('N', 'WHAT'),
                    help='also print N / median as WHAT per second')
    ap.add_argument('command', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    argv = a.command[1:] if a.command[:1] == ['--'] else a.command
    cached = a.warm + ([a.floor_db] if a.floor_db else [])
    walls, cpus, peaks, failed = [], [], [], 0
    for _ in range(a.runs):
        if a.copy:
            fresh_copy(a.copy[0], a.copy[1])
        warm(cached)
        wall, cpu, peak, rc = run_once(argv, a.stdin)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        failed += rc != 0
    if a.floor_db and a.floor_sql:
        fl = floor(a.floor_db, a.floor_sql, a.runs, a.unit, a.copy, cached)
    else:
        fl = a.floor_none or 'n/a'
    runs = ', '.join(fmt(w, a.unit).split()[0] for w in walls)
    bad = f"; {failed} run(s) FAILED" if failed else ''
    rate = ''
    if a.per_second:
        rate = (f" = {int(a.per_second[0]) / statistics.median(walls):,.0f}"
                f" {a.per_second[1]} per second")
    print(f"{a.label}: median {fmt(statistics.median(walls), a.unit)}{rate} (of {a.runs}: {runs};"
          f" cpu {fmt(statistics.median(cpus), a.unit)}; peak {max(peaks):.0f} MB{bad});"
          f" target {a.target}; floor: {fl}")


if __name__ == '__main__':
    main()
