#!/bin/sh
# A big queue is painted before it is all read (issue 15): the first
# screen from the most urgent tickets alone (by deadline, through an
# index), then the whole queue, painted again before the first key.  The
# screen after that is the one a whole first load gives: the triage order
# of `ticket list`, the counts in the header, the top row selected.  A
# queue whose first screen is not all at risk or breached is read whole
# first, as before.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"
order() { screen | grep -oE '^[!*.+-] [A-Z0-9-]+' | cut -c3- | head -"$1" | tr '\n' ' '; }

st partner add acme --name Acme --tz Europe/Berlin >/dev/null
# NOW is Tuesday 09:00Z; acme works whole weekdays, high is due in 24 h.
# 300 at risk (created 18 h 10 m to 23 h 10 m ago, a minute apart, so
# the order holds while the test's seconds pass), 300 breached (25 to 30 h
# ago), 100 on track.
python3 - >"$TMP/q.csv" <<'PY'
import time
now = 1796115600            # 2026-12-01T09:00:00Z
iso = lambda t: time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))
print('key,partner,severity,summary,created')
for i in range(300):
    print('RISK-%d,acme,high,At risk %d,%s' % (i, i, iso(now - 65400 - 60 * i)))
for i in range(300):
    print('LATE-%d,acme,high,Breached %d,%s' % (i, i, iso(now - 90000 - 60 * i)))
for i in range(100):
    print('OK-%d,acme,high,On track %d,%s' % (i, i, iso(now - 3600 - 60 * i)))
PY
st import "$TMP/q.csv" >/dev/null || not_ok "import the queue"
WANT=$(st ticket list --format csv | tr -d '\r' | sed 1d | cut -d, -f2 | head -30 | tr '\n' ' ')

tui_start 120 40 SLATRACK_TUI_BENCH="'$TMP/bench.log'"
wait_queue "the whole queue's counts in the header"
wait_for "every ticket counted" 'Queue +700 open +300 at risk +300 breached'
if grep -q '^full_paint_ms' "$TMP/bench.log"; then ok "painted from the first screen first"
else not_ok "painted from the first screen first" "$(cat "$TMP/bench.log")"; fi
got=$(order 30)
if [ "$got" = "$WANT" ]; then ok "the triage order of ticket list"
else not_ok "the triage order of ticket list" "want: $WANT" "got:  $got"; fi
keys Enter
wait_for "the top row selected: Enter opens it" "Summary +At risk 299"
keys q
wait_queue "back to the queue"
keys G
wait_for "G: the last row of the whole queue" '^\. OK-0 '
keys q
wait_for "quits" '\[exit 0\]'

# a queue whose first screen reaches tickets on track: read whole first
DB=$TMP/small.db
st partner add acme --name Acme --tz Europe/Berlin >/dev/null
sed -n '1p;300,310p;602,640p' "$TMP/q.csv" >"$TMP/s.csv"
st import "$TMP/s.csv" >/dev/null || not_ok "import the small queue"
tui_start 120 40 SLATRACK_TUI_BENCH="'$TMP/bench2.log'"
wait_queue "a small queue opens"
if grep -q '^full_paint_ms' "$TMP/bench2.log"; then
	not_ok "a small queue is read whole first" "$(cat "$TMP/bench2.log")"
else ok "a small queue is read whole first"; fi
keys q
wait_for "quits" '\[exit 0\]'
