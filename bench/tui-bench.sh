#!/bin/sh
# bench/tui-bench.sh SLATRACK: the TUI on 100,000 open tickets (issues 4
# and 15), then its first paint on 1,000,000.  Prints figures against the
# targets (bench/fmt: median of 5, CPU, peak, floor); asserts nothing.
#   first paint <= 100 ms at 100,000, <= 500 ms at 1,000,000;
#   peak memory <= 100 MB, a keystroke (move, filter) redrawn <= 16 ms
# The TUI measures itself: SLATRACK_TUI_BENCH=FILE makes it log the first
# paint (the first screen: the whole queue is loaded and painted again
# right after it, before the first key is read), that full paint, each
# key's handling and redraw (until doupdate returns) and its peak RSS.  It
# runs in a private tmux server that sends the keys.
# TUI_BENCH_TICKETS changes the first size, TUI_BENCH_BIG the second (0:
# skipped); TUI_BENCH_DB=FILE and TUI_BENCH_BIG_DB=FILE keep the databases
# there (built when missing) for repeated runs.
set -eu
BIN=$1
N=${TUI_BENCH_TICKETS:-100000}
BIG=${TUI_BENCH_BIG:-1000000}
NOW=2026-12-01T09:00:00Z
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tui-bench: tmux is not installed; skipped"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/slatrack-tui-bench.XXXXXX")
SOCK=tb$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT
export SLATRACK_CONFIG="$TMP/config"
printf '[me]\nname = alice\nzone = Europe/Berlin\n' >"$SLATRACK_CONFIG"
DB=${TUI_BENCH_DB:-$TMP/bench.db}

# build DB N: the demo database with N open tickets, unless it exists
build() {
	[ -e "$1" ] && return 0
	t0=$(date +%s)
	sh scripts/demo-db.sh -n "$2" -o -t "$NOW" -s "$BIN" "$1"
	echo "(database of $2 tickets built in $(( $(date +%s) - t0 )) s)"
}
# The floors: sqlite3 on the queries of the first screen (the soonest
# deadlines through tickets_open) and of the whole load.
FIRST_SQL="SELECT id, key, partner_id, severity, summary, customer, assignee, created_at,
target_s, deadline_at, first_response_at, waiting_since, excused_at FROM tickets
WHERE resolved_at IS NULL AND first_response_at IS NULL AND deadline_at >= 1796115600
ORDER BY deadline_at LIMIT 1024"
FULL_SQL="SELECT id, key, partner_id, severity, summary, customer, assignee, created_at,
target_s, deadline_at, first_response_at, waiting_since, excused_at FROM tickets
WHERE resolved_at IS NULL"
# floor DB SQL: median of 5 wall times of sqlite3 running SQL, in ms
floor() {
	command -v sqlite3 >/dev/null || { echo "n/a (no sqlite3 command-line tool)"; return; }
	python3 - "$1" "$2" <<'PY'
import os, statistics, subprocess, sys, time
db, sql = sys.argv[1], ' '.join(sys.argv[2].split())
times = []
for _ in range(5):
    with open(db, 'rb', buffering=0) as f:     # cached, as for the TUI's runs
        while f.read(1 << 20):
            pass
    t0 = time.monotonic()
    subprocess.run(['sqlite3', db, sql], stdout=subprocess.DEVNULL)
    times.append(time.monotonic() - t0)
short = sql if len(sql) <= 60 else sql[:57] + '...'
print('%.0f ms (sqlite3 "%s")' % (statistics.median(times) * 1000, short))
PY
}

echo "== TUI: $N open tickets, 120x40 terminal"
build "$DB" "$N"

start() {
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	cat "$DB" >/dev/null	# in the page cache, as bench/measure.py has it
	SOCK=tb$$-$1
	: >"$TMP/log"
	tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 \
		"env LC_ALL=C.UTF-8 TERM=xterm-256color SLATRACK_TUI_BENCH='$TMP/log' \
		SLATRACK_CONFIG='$SLATRACK_CONFIG' '$BIN' --db '$DB' --now $NOW"
}
# wait until the log has a line matching $1 (at most 60 s)
wait_log() {
	i=0
	while ! grep -q "$1" "$TMP/log" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
		[ $i -lt 1200 ] || { echo "tui-bench: timed out waiting for '$1'" >&2; exit 1; }
	done
}
nkeys() { grep -c '^key ' "$TMP/log" 2>/dev/null || true; }
# phase NAME KEY...: sends the keys, waits until each was handled, and
# keeps their timings under NAME
phase() {
	name=$1; shift
	before=$(nkeys)
	tmux -L "$SOCK" send-keys "$@"
	want=$((before + $#))
	i=0
	while [ "$(nkeys)" -lt "$want" ]; do
		sleep 0.02
		i=$((i + 1))
		[ $i -lt 3000 ] || { echo "tui-bench: keys of '$name' not handled" >&2; exit 1; }
	done
	grep '^key ' "$TMP/log" | sed -n "$((before + 1)),${want}p" |
		sed "s/^/$name /" >>"$TMP/keys"
	sleep 0.2	# let the idle tick pass between phases
}

# first paint, five times
paints() {
	: >"$TMP/paints"
	for run in 1 2 3 4 5; do
		start "$run"
		wait_log '^first_paint_ms'
		sleep 0.3
		tmux -L "$SOCK" send-keys q
		wait_log '^peak_rss_kb'
		cat "$TMP/log" >>"$TMP/paints"
	done
}
# report N TARGET FLOOR_FIRST FLOOR_FULL: the first paint's figures
report() {
	python3 - "$TMP/paints" "$@" <<'PY'
import statistics, sys
path, n, target, ffirst, ffull = sys.argv[1:6]
v = {}
for line in open(path):
    k, _, x = line.partition(' ')
    v.setdefault(k, []).append(float(x))
def line(what, key, cpu_key, tgt, fl):
    w = v.get(key, [])
    if not w:
        return
    c = v.get(cpu_key, [])
    cpu = ("%.0f ms" % statistics.median(c)) if c else "n/a"
    print("%s: median %.0f ms (of %d: %s; cpu %s; peak %.0f MB); target %s; floor: %s" % (
        what, statistics.median(w), len(w), ", ".join("%.0f" % x for x in w), cpu,
        max(v.get('peak_rss_kb', [0])) / 1024, tgt, fl))
line("TUI first paint, %s open tickets (process start to the first screen)" % n,
     'first_paint_since_exec_ms', 'first_paint_cpu_ms', target, ffirst)
line("TUI whole queue painted, %s open tickets (process start to the full repaint)" % n,
     'full_paint_since_exec_ms', 'full_paint_cpu_ms', "none (before the first key)", ffull)
PY
}
paints
report "$N" "<= 100 ms" "$(floor "$DB" "$FIRST_SQL")" "$(floor "$DB" "$FULL_SQL")"
cp "$TMP/paints" "$TMP/paints-small"

# keystrokes
start keys
wait_log '^first_paint_ms'
sleep 1		# the search text is built while idle after the first paint
: >"$TMP/keys"
phase move j j j j j j j j j j k k k k k NPage NPage NPage PPage G g Down Down Up End Home
phase filter f Enter g l o Enter
phase filter f Down Down Down Enter a t Space r i s k Enter
phase filter m m F
phase filter : f i l t e r Space s e v e r i t y = c r i t i c a l Enter F
phase search / g l o b a l Escape
phase search / i n v BSpace BSpace x Enter Escape
phase sort s s s s s s
tmux -L "$SOCK" send-keys q
wait_log '^peak_rss_kb'
cat "$TMP/log" >>"$TMP/paints-small"

python3 - "$TMP/paints-small" "$TMP/keys" <<'PY'
import statistics, sys
paints, keys = sys.argv[1], sys.argv[2]
rss = []
for line in open(paints):
    k, _, v = line.partition(' ')
    if k == 'peak_rss_kb': rss.append(int(v))
print("TUI peak memory, 100,000 tickets, a session of keys: %.1f MB (target <= 100)"
      % (max(rss) / 1024))
phases = {}
for line in open(keys):
    f = line.split()
    phases.setdefault(f[0], []).append(float(f[-1]))
notes = {'move': 'j k Down Up PgDn PgUp G g Home End',
         'filter': 'filter menu: partner, state; mine; :filter; clear',
         'search': '/ incremental search, typing and deleting',
         'sort': 's through every sort order'}
for name in ('move', 'filter', 'search', 'sort'):
    v = phases.get(name, [])
    if not v:
        continue
    target = " (target <= 16)" if name in ('move', 'filter') else ""
    p90 = sorted(v)[max(0, int(len(v) * 0.9) - 1)]
    print("keystroke, %-7s %3d keys: median %5.1f ms, p90 %5.1f ms, max %5.1f ms%s  [%s]" % (
        name + ":", len(v), statistics.median(v), p90, max(v), target, notes[name]))
PY

if [ "$BIG" -gt 0 ]; then
	echo "== TUI: $BIG open tickets, 120x40 terminal"
	DB=${TUI_BENCH_BIG_DB:-$TMP/big.db}
	build "$DB" "$BIG"
	paints
	report "$BIG" "<= 500 ms" "$(floor "$DB" "$FIRST_SQL")" "$(floor "$DB" "$FULL_SQL")"
fi
