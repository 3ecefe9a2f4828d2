#!/bin/sh
# A ticket crossing into at-risk or breached changes colour, mark and the
# header counts on its own, with no key pressed.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

st partner add globex --name "Globex GmbH" --tz Europe/Berlin >/dev/null || not_ok "partner"
# due Tue 10:00:08 CET: at risk, eight seconds left at NOW (10:00:00 CET)
st ticket add --partner globex --severity high --key SOON-1 --summary "About to breach" \
	--created 2026-11-30T09:00:08Z >/dev/null
# 17h 59m 52s of 24 h used at NOW: at risk eight seconds later
st ticket add --partner globex --severity high --key RISK-1 --summary "About to be at risk" \
	--created 2026-11-30T15:00:08Z >/dev/null
tui_start
wait_for "at first: one at risk, none breached" '2 open +1 at risk +0 breached'
wait_for "SOON-1 at risk" '^\* SOON-1 .* at risk '
wait_for "RISK-1 on track" '^\. RISK-1 .* on track '
tmux -L "$SOCK" capture-pane -p -e >"$TMP/before"
wait_for "SOON-1 breaches by itself" '^! SOON-1 .* BREACHED +12-01 10:00 +-' 15
wait_for "RISK-1 turns at risk by itself" '^\* RISK-1 .* at risk ' 15
wait_for "the header counts follow" '2 open +1 at risk +1 breached' 5
tmux -L "$SOCK" capture-pane -p -e >"$TMP/after"
red=$(printf '\033\\[[0-9;]*31m')
if ! grep "SOON-1" "$TMP/before" | grep -q "$red" && grep "SOON-1" "$TMP/after" | grep -q "$red"
then ok "the row turned red"
else not_ok "the row turned red" "$(grep SOON-1 "$TMP/before" "$TMP/after" | od -c | head -20)"; fi
keys q
wait_for "quit" '^\[exit 0\]'
