#!/bin/sh
# Reading a ticket: a 1,000-character summary and long notes are wrapped
# to the width of the terminal (by display width, CJK whole) and scroll
# with Up/Down/j/k/PgUp/PgDn/Home/End, with a line that says there is
# more.  In the queue n goes to the next match of a search, as in vi,
# less and mutt; + is a new ticket.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
long="Start of the long summary."
i=1
while [ "$i" -le 90 ]; do long="$long word$i"; i=$((i + 1)); done
long="$long LASTWORD."		# about 1,000 characters in all
st ticket add --partner globex --severity high --key LONG-1 --summary "$long" \
	--created 2026-12-01T08:30:00Z >/dev/null || not_ok "long ticket"
note="A long note from the customer call:"
i=1
while [ "$i" -le 40 ]; do note="$note step$i"; i=$((i + 1)); done
st ticket note LONG-1 "$note ログインできませんログインできませんログインできません NOTE-END" \
	>/dev/null || not_ok "long note"

tui_start 80 24
wait_queue
keys : o p e n Space L O N G - 1 Enter
wait_for "the ticket opens" 'Summary +Start of the long summary\. word1 '
wait_for "the summary wraps: its last word is on the screen" '^ +word[0-9]+ .*LASTWORD\.'
screen >"$TMP/s1"
if grep -q 'word[0-9]*…' "$TMP/s1"; then not_ok "no summary line cut with an ellipsis" \
	"$(sed 's/^/| /' "$TMP/s1")"; else ok "no summary line cut with an ellipsis"; fi
# every word of the summary, in order, on the screen's summary lines
words=$(sed -n '/Summary/,/Partner/p' "$TMP/s1" | sed '$d' | sed 's/^ *Summary//' |
	tr -s ' \n' '  ' | sed 's/^ //; s/ $//')
if [ "$words" = "$long" ]; then ok "the whole summary, nothing lost at the breaks"
else not_ok "the whole summary, nothing lost at the breaks" "got: $words"; fi
wait_for "more below, and how to get there" 'lines 1-19 of [0-9]+, more below: j, PgDn'
wait_gone "the note is below the page" 'NOTE-END'
keys End
wait_for "End: the end of the long note" 'NOTE-END'
wait_for "End: more above" 'lines [0-9]+-([0-9]+) of \1, more above: k, PgUp'
wait_for "the note wraps (a continuation line)" '^ +step[0-9]+ step'
screen >"$TMP/s2"
# the CJK text is wrapped whole: no half character, no ellipsis
if grep -q '…' "$TMP/s2"; then not_ok "wrapped note, no ellipsis" "$(sed 's/^/| /' "$TMP/s2")"
else ok "wrapped note, no ellipsis"; fi
expect_grep "CJK kept whole in a wrapped line" 'ログインできませんログインできません' "$TMP/s2"
keys Home
wait_for "Home: back to the top" 'lines 1-19 of'
keys PgDn
wait_for "PgDn: a page down" 'lines 20-38 of'
keys k
wait_for "k: a line up" 'lines 19-37 of'
keys j j
wait_for "j: a line down" 'lines 21-39 of'
keys PgUp
wait_for "PgUp" 'lines 2-20 of'
keys Up
wait_for "Up" 'lines 1-19 of'
keys Down
wait_for "Down" 'lines 2-20 of'
# a wider terminal: fewer, longer lines
tmux -L "$SOCK" resize-window -x 200 -y 50
wait_for "200 columns: the page fits, no position line" 'NOTE-END'
wait_gone "no position line when everything fits" 'lines [0-9]+-[0-9]+ of'
tmux -L "$SOCK" resize-window -x 80 -y 24
keys q
wait_queue "back to the queue"

# n: the next match of the search, not a new ticket
keys n
wait_for "n without a search says how to search" 'no search: / searches'
wait_gone "n opens no form" 'New ticket'
keys / g l o b e x Enter
wait_for "search globex" 'search "globex" +\(4 of 7\)'
keys n
wait_for "n: the second match" 'match 2 of 4'
wait_gone "n still opens no form" 'New ticket'
keys Enter
wait_for "the second match is the one selected" 'Summary +Login fails with SSO'
keys q n n n
wait_for "n wraps after the last match" 'match 1 of 4 \(wrapped to the first\)'
keys Enter
wait_for "the first match again" 'Summary +Invoices show wrong VAT'
keys q '?'
wait_for "help: n" 'n +next ticket that matches the search'
wait_for "help: +" '\+ +new ticket'
keys q
wait_for "footer shows + new" 'Enter open +/ search +f filter +s sort +\+ new'
keys +
wait_for "+ opens the new-ticket form" 'New ticket'
keys Escape
wait_for "cancelled" 'new ticket cancelled'
keys q
wait_for "quit" '^\[exit 0\]'
