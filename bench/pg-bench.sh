#!/bin/sh
# bench/pg-bench.sh SLATRACK: the same commands on SQLite and on a
# PostgreSQL server of this machine, side by side (issue 14):
#   import of 100,000 tickets        PostgreSQL target <= 5 s
#   ticket list --open over them     PostgreSQL target <= 500 ms
#   the nightly report               PostgreSQL target <= 500 ms
# The server is a throwaway cluster (tests/pg/server.sh: unix socket,
# fsync on, 16 MB shared buffers) started and stopped here; each import
# run gets a new database with the three bench partners.  Every figure is
# one line of bench/measure.py (median of 5, own CPU, peak); the client's
# CPU and peak are slatrack's own, the server's work is in the wall time
# only.  Prints; asserts nothing.
set -eu
BIN=$1
N=${PG_BENCH_TICKETS:-100000}
NOW=2026-02-01T00:00:00Z
cd "$(dirname "$0")/.."
. bench/lib.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/slatrack-pg-bench.XXXXXX")
chmod 755 "$TMP"
PGDIR=$TMP/pg
trap 'sh tests/pg/server.sh stop "$PGDIR" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
export SLATRACK_CONFIG="$TMP/config"
: >"$SLATRACK_CONFIG"

echo "== SQLite and PostgreSQL side by side, $N tickets (issue 14)"
if ! sh tests/pg/server.sh start "$PGDIR" >"$TMP/pg.log" 2>&1; then
	echo "PostgreSQL: n/a ($(tail -n 1 "$TMP/pg.log"))"
	exit 0
fi
bench_tickets_csv "$N" >"$TMP/import.csv"
bench_partners "$BIN" "$TMP/base.db"

# import: 5 runs each, every run into a fresh database with the partners
python3 - "$BIN" "$TMP" "$NOW" "$N" <<'PY'
import os, shutil, statistics, subprocess, sys, time

binary, tmp, now, n = sys.argv[1:5]


def timed(argv):
    actions = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    t0 = time.monotonic()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, ru = os.wait4(pid, 0)
    return (time.monotonic() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024,
            os.waitstatus_to_exitcode(status))


def fresh_sqlite(i):
    db = f'{tmp}/import-{i}.db'
    shutil.copy(f'{tmp}/base.db', db)
    return db


def fresh_pg(i):
    url = subprocess.run(['sh', 'tests/pg/server.sh', 'url', f'{tmp}/pg', f'bench_import_{i}'],
                         check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run(['sh', '-c', '. bench/lib.sh; bench_partners "$0" "$1"', binary, url],
                   check=True)
    return url


for name, fresh, target in (('SQLite', fresh_sqlite, 'target <= 1.5 s (issue 15)'),
                            ('PostgreSQL', fresh_pg, 'target <= 5 s')):
    walls, cpus, peaks, failed = [], [], [], 0
    for i in range(5):
        db = fresh(i)
        w, c, p, rc = timed([binary, '--db', db, '--now', now, 'import', f'{tmp}/import.csv'])
        walls.append(w); cpus.append(c); peaks.append(p); failed += rc != 0
    if name == 'PostgreSQL' and not failed:
        with open(f'{tmp}/pg-url', 'w') as f:
            f.write(db)
    bad = f'; {failed} run(s) FAILED' if failed else ''
    print(f"{name}: import, {int(n):,} tickets: median {statistics.median(walls):.2f} s"
          f" (of 5: {', '.join(f'{w:.2f}' for w in walls)}; client cpu"
          f" {statistics.median(cpus):.2f} s; client peak {max(peaks):.0f} MB{bad}); {target}")
PY
[ -s "$TMP/pg-url" ] || { echo "PostgreSQL: the import failed; no further figures"; exit 0; }
PGURL=$(cat "$TMP/pg-url")
SQ=$TMP/import-4.db

side() {	# side LABEL SQLITE-TARGET PG-TARGET ARGS...: one line per backend
	label=$1 sq_target=$2 pg_target=$3; shift 3
	python3 bench/measure.py --label "SQLite: $label" --target "$sq_target" --warm "$SQ" \
		--floor-none "see bench/queue-bench.sh and report-bench.sh" \
		-- "$BIN" --db "$SQ" "$@"
	python3 bench/measure.py --label "PostgreSQL: $label" --target "$pg_target" \
		--floor-none "no psql floor" -- "$BIN" --db "$PGURL" "$@"
}
side "ticket list --open, $N tickets" "<= 100 ms (issue 15)" "<= 500 ms" \
	--now "$NOW" ticket list --open
side "nightly report (yesterday, text)" "<= 200 ms (issue 5)" "<= 500 ms" \
	--now 2025-07-02T06:00:00Z report --tz UTC
side "nightly report (yesterday, html)" "<= 200 ms (issue 5)" "<= 500 ms" \
	--now 2025-07-02T06:00:00Z report --tz UTC --format html
