#!/bin/sh
# A partner's month: the count of tickets due on a day sits with that
# day's own number, not right before the next day's (80, 120 and 200
# columns).  A status line belongs to the screen it was made on: it does
# not carry over to the next one.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
for size in "80 24" "120 40" "200 50"; do
	# shellcheck disable=SC2086
	tui_start $size
	wait_queue "queue at $size"
	keys p
	wait_for "partners at $size" 'Partners .*open'
	keys Enter
	wait_for "month at $size" '<  December 2026  >'
	got=$(screen | grep -E '^ *30 ' | head -n 1)
	# GLX-1 and GLX-2 are due Tue 1 December, GLX-3 on Wed 2 December:
	# "1 ... ●2" then "2 ... ●1", each count close after its own day
	if printf '%s\n' "$got" | grep -Eq '(^| )1 {1,4}●2 {2,}2 {1,4}●1( |$)'; then
		ok "counts next to their own day at $size"
	else
		not_ok "counts next to their own day at $size" "week line: '$got'"
	fi
	keys Q
	wait_for "quit at $size" '^\[exit 0\]'
done

# status lines do not carry over from one screen to the next
tui_start
wait_queue
keys s
wait_for "a message in the queue" 'sorted by key'
keys p
wait_for "the partners screen" 'Partners .*open'
if screen | grep -q 'sorted by'; then
	not_ok "the queue's message is not on the partners screen" "$(screen | sed 's/^/| /')"
else ok "the queue's message is not on the partners screen"; fi
keys Enter : n o p e Enter
wait_for "an error in the calendar" "unknown or ambiguous command 'nope'"
keys q
wait_for "back on the partners screen" 'Partners .*open'
if screen | grep -q 'unknown or ambiguous'; then
	not_ok "the calendar's error is not on the partners screen" "$(screen | sed 's/^/| /')"
else ok "the calendar's error is not on the partners screen"; fi
# a message made by the key that changes the screen stays
keys q +
wait_for "the new-ticket form" 'New ticket'
keys Escape
wait_for "a form's own outcome shows on the screen below" 'new ticket cancelled'
keys Q
wait_for "quit" '^\[exit 0\]'
