#!/bin/sh
# The queue on a fixture database with --now: counts, order, colours and
# marks, the ticking countdown and clock, the footer; NO_COLOR.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
tui_start
wait_queue
# header: counts and the viewer's clock (Europe/Berlin from the config)
wait_for "header counts" '6 open +1 at risk +1 breached +2 due today'
wait_for "viewer clock in the viewer's zone" 'Tue 2026-12-01 10:0[0-9]:[0-5][0-9] CET'
# the triage order: at risk, breached, on track by remaining working time,
# untimed last (tests/tui/t014-queue-order.sh has the rest)
screen >"$TMP/s1"
order=$(grep -oE '(GLX|TEV|EVIL)-[0-9]' "$TMP/s1" | tr '\n' ' ')
if [ "$order" = "GLX-2 GLX-1 EVIL-1 TEV-2 GLX-3 TEV-1 " ]; then ok "the triage order"
else not_ok "the triage order" "got: $order"; fi
expect_grep "state marks and names" '^! GLX-1 .* BREACHED' "$TMP/s1"
expect_grep "at risk" '^\* GLX-2 .*at risk .* (3h 00m 00s|2h 5[0-9]m [0-5][0-9]s)' "$TMP/s1"
expect_grep "not timed" '^- TEV-1 .*not timed' "$TMP/s1"
expect_grep "legend" '! breached +\* at risk +\. on track +\+ met +- not timed' "$TMP/s1"
expect_grep "footer keys" 'Enter open +/ search +f filter +s sort +\+ new .*\? help +q quit' "$TMP/s1"
expect_grep "UTF-8 aligned by display width" \
	'TEV-2 +tevel +high ログインできません 🎉 Überweisung fehlt +- +on track' "$TMP/s1"
# the countdown ticks by itself
wait_for "countdown ticks without a key" 'GLX-2 .* 2h (59m (5[0-8]|[0-4][0-9])|5[0-8]m [0-5][0-9])s' 6
wait_for "the clock ticks" 'Tue 2026-12-01 10:(00:(0[3-9]|[1-5][0-9])|0[1-9]:[0-5][0-9]) CET' 6
# colours: state colours reach the terminal
tmux -L "$SOCK" capture-pane -p -e >"$TMP/esc"
if grep -q "$(printf '\033\\[[0-9;]*3[1-3]m')" "$TMP/esc" ||
	grep -q "$(printf '\033\\[[0-9;]*3[1-3];')" "$TMP/esc"; then ok "state colours"
else not_ok "state colours" "$(head -c 600 "$TMP/esc" | od -c | head)"; fi
keys q
wait_for "q quits and the terminal comes back" '^\[exit 0\]'

# NO_COLOR: no colour at all, the marks and bold still there
tui_start 120 40 NO_COLOR=1
wait_queue "the queue opens with NO_COLOR"
tmux -L "$SOCK" capture-pane -p -e >"$TMP/esc"
if grep -q "$(printf '\033\\[[0-9;]*3[0-7]m')" "$TMP/esc"; then
	not_ok "NO_COLOR: no colours" "$(grep -n "$(printf '\033\\[[0-9;]*3[0-7]m')" "$TMP/esc" | head -3)"
else ok "NO_COLOR: no colours"; fi
if grep -q "$(printf '\033\\[1m')" "$TMP/esc"; then ok "NO_COLOR: bold instead"
else not_ok "NO_COLOR: bold instead"; fi
wait_for "NO_COLOR: marks" '^! GLX-1 .* BREACHED'
keys q
wait_for "quit" '^\[exit 0\]'
