#!/bin/sh
# The queue's top is what to answer next (issue 11 item 1): the triage
# order, the same as `ticket list`; an answered ticket leaves the queue and
# H brings it back; s and S sort by each column and reverse; DUE in the
# viewer's zone, named in the heading; REMAINING whole at 80, 120 and 200
# columns; a breach outside working time reads "-<1m", never "-0s".
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"
resize() { tmux -L "$SOCK" resize-window -x "$1" -y "$2"; }
order() { screen | grep -oE '^[!*.+-] [A-Z0-9-]+' | cut -c3- | tr '\n' ' '; }
# expect_order NAME WANT: the rows on screen, polled until they match
expect_order() {
	i=0
	while [ "$(order)" != "$2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if [ "$(order)" = "$2" ]; then ok "$1"; else not_ok "$1" "want: $2" "got:  $(order)"; fi
}
printf '[me]\nname = alice\nzone = America/New_York\n' >"$SLATRACK_CONFIG"
add() { st ticket add "$@" >/dev/null || echo "fixture: ticket add $*" >&2; }

# NOW is Tuesday 2026-12-01 10:00 in Berlin, 04:00 in New York
st partner add acme --name Acme --tz Europe/Berlin >/dev/null
st partner add nyc --name "NYC Inc" --tz America/New_York --hours 09:00-17:00 \
	--target high=8h >/dev/null
add --partner acme --severity critical --key ATRISK-2 --summary "Two hours left" \
	--created 2026-11-30T12:00
add --partner acme --severity high --key ATRISK-1 --summary "Five hours left" \
	--created 2026-11-30T15:00
add --partner acme --severity high --key LATE-BIG --summary "Waiting since last week" \
	--created 2026-11-20T16:03
add --partner nyc --severity high --key LATE-ZERO --summary "Due at last night's close" \
	--created 2026-11-30T09:00
add --partner acme --severity high --key ONTRACK-1 --summary "An hour old" \
	--created 2026-12-01T09:00
add --partner acme --severity low --key UNTIMED --summary "Feature idea" --created 2026-11-30T09:00
QUEUE="ATRISK-2 ATRISK-1 LATE-BIG LATE-ZERO ONTRACK-1 UNTIMED "
CLI=$(st ticket list --format csv | tr -d '\r' | sed 1d | cut -d, -f2 | tr '\n' ' ')
if [ "$CLI" = "$QUEUE" ]; then ok "ticket list: the triage order"
else not_ok "ticket list: the triage order" "got: $CLI"; fi

tui_start 120 40
wait_queue
expect_order "the same order on screen" "$QUEUE"
wait_for "DUE names the viewer's zone" 'STATE +DUE \(EST\) +REMAINING'
wait_for "DUE in the viewer's time" '^\* ATRISK-2 .* 12-01 06:00 +(2h 00m|1h 59m) '
wait_for "a breach outside working time reads -<1m" '^! LATE-ZERO .* BREACHED +11-30 17:00 +-<1m$'
if screen | grep -Eq -- '-0s|late 0m'; then not_ok "no -0s" "$(screen)"; else ok "no -0s"; fi

# REMAINING whole at every width; the summary gives way
for size in "80 24" "120 40" "200 50"; do
	set -- $size
	resize "$1" "$2"
	wait_for "REMAINING whole at $1 columns" '^! LATE-BIG .* -137h 5[78]m [0-9]{2}s$'
done
resize 80 24
wait_for "80 columns: DUE still named" 'DUE \(EST\) +REMAINING$'
resize 120 40

# sorting: s the next column, S reverses, :sort by name; back to triage
keys s
wait_for "s: by key" 'sort: key'
expect_order "sorted by key" "ATRISK-1 ATRISK-2 LATE-BIG LATE-ZERO ONTRACK-1 UNTIMED "
keys S
wait_for "S: reversed" 'sort: key \(reversed\)'
expect_order "sorted by key, reversed" "UNTIMED ONTRACK-1 LATE-ZERO LATE-BIG ATRISK-2 ATRISK-1 "
keys : s o r t Space r e m a i n i n g Enter
wait_for ":sort remaining" 'sort: remaining'
expect_order "least working time left first" "LATE-BIG LATE-ZERO ATRISK-2 ATRISK-1 ONTRACK-1 UNTIMED "
keys : s o r t Space t r i a g e Enter
expect_order ":sort triage: back to the triage order" "$QUEUE"

# answering the top ticket takes it out of the queue; H shows it again
keys g r Enter
wait_for "respond asks" 'Record the first response to #1 ATRISK-2 now .*\[y/N\]'
keys y
wait_for "recorded" '#1 ATRISK-2: first response recorded, SLA met'
expect_order "the answered ticket leaves the queue" \
	"ATRISK-1 LATE-BIG LATE-ZERO ONTRACK-1 UNTIMED "
wait_for "the header says how many are shown" '\(5 of 6\)'
keys H
wait_for "H: answered ones shown" '\+answered'
expect_order "H: the answered one comes back, last" \
	"ATRISK-1 LATE-BIG LATE-ZERO ONTRACK-1 UNTIMED ATRISK-2 "
wait_for "shown as met" '^\+ ATRISK-2 .* met .* met$'
keys H
expect_order "H again: hidden" "ATRISK-1 LATE-BIG LATE-ZERO ONTRACK-1 UNTIMED "
keys '?'
wait_for "help: H" 'H +show or hide the answered tickets'
keys q q
wait_for "quit" '^\[exit 0\]'
