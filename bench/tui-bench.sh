#!/bin/sh
# bench/tui-bench.sh SLATRACK: the TUI on 100,000 open tickets (issue 4,
# item 10).  Prints figures against the targets; asserts nothing.
#   first paint <= 300 ms, peak memory <= 100 MB,
#   a keystroke (move, filter) redrawn <= 16 ms
# The TUI measures itself: SLATRACK_TUI_BENCH=FILE makes it log the first
# paint, each key's handling and redraw (until doupdate returns) and its
# peak RSS.  It runs in a private tmux server that sends the keys.
set -eu
BIN=$1
N=${TUI_BENCH_TICKETS:-100000}
NOW=2026-12-01T09:00:00Z
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tui-bench: tmux is not installed; skipped"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/slatrack-tui-bench.XXXXXX")
SOCK=tb$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT
export SLATRACK_CONFIG="$TMP/config"
printf '[me]\nname = alice\nzone = Europe/Berlin\n' >"$SLATRACK_CONFIG"

echo "== TUI: $N open tickets, 120x40 terminal"
t0=$(date +%s)
sh scripts/demo-db.sh -n "$N" -o -t "$NOW" -s "$BIN" "$TMP/bench.db"
echo "(database built in $(( $(date +%s) - t0 )) s)"

start() {
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	SOCK=tb$$-$1
	: >"$TMP/log"
	tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 \
		"env LC_ALL=C.UTF-8 TERM=xterm-256color SLATRACK_TUI_BENCH='$TMP/log' \
		SLATRACK_CONFIG='$SLATRACK_CONFIG' '$BIN' --db '$TMP/bench.db' --now $NOW"
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

# first paint, three times (the first one right after the import)
for run in 1 2 3; do
	start "$run"
	wait_log '^first_paint_ms'
	sleep 0.3
	tmux -L "$SOCK" send-keys q
	wait_log '^peak_rss_kb'
	cat "$TMP/log" >>"$TMP/paints"
done

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
cat "$TMP/log" >>"$TMP/paints"

python3 - "$TMP/paints" "$TMP/keys" <<'PY'
import statistics, sys
paints, keys = sys.argv[1], sys.argv[2]
fp, fpe, load, rss = [], [], [], []
for line in open(paints):
    k, _, v = line.partition(' ')
    if k == 'first_paint_ms': fp.append(float(v))
    elif k == 'first_paint_since_exec_ms': fpe.append(float(v))
    elif k == 'load_ms': load.append(float(v))
    elif k == 'peak_rss_kb': rss.append(int(v))
runs = len(fpe) - 1
print("first paint (process start to the queue on screen), %d runs: %s ms; median %.0f ms "
      "(target <= 300)" % (runs, ", ".join("%.0f" % x for x in fpe[:runs]),
                           statistics.median(fpe[:runs])))
print("  of which reading the store and computing every SLA: median %.0f ms"
      % statistics.median(load[:runs]))
print("peak memory: %.1f MB (target <= 100)" % (max(rss) / 1024))
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
