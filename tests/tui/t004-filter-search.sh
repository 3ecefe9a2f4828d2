#!/bin/sh
# Incremental search over key, summary, customer and partner; the filter
# menu (partner, state, mine), ':filter', the sort orders, Esc clearing.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
tui_start
wait_queue
# search narrows with every key
keys /
wait_for "/ opens the search line" '^/ ?$'
keys l o
wait_for "search 'lo' matches as you type" 'search "lo" +\(4 of 6\)'
keys g
wait_for "search 'log': one ticket left" 'search "log" +\(1 of 6\)'
wait_gone "the others are hidden" '^. (GLX-[23]|TEV|EVIL)'
keys Escape
wait_gone "Esc in the search line restores the old search" 'search "'
keys / z o ë Enter
wait_for "search by customer, UTF-8" '^- TEV-1 +tevel +med +Dashboard loads slowly'
wait_for "one match" '1 ticket matches'
wait_gone "others hidden" '^! GLX-1 '
keys Escape
wait_for "Esc in the queue clears the search" '^! GLX-1 '
keys / t e v e l Enter
wait_for "search by partner" 'search "tevel" +\(3 of 6\)'
keys F
wait_for "F clears" 'showing every open ticket'

# the filter menu: partner, then state
keys f
wait_for "f opens the filter menu" 'Filter'
wait_for "menu lists partner" 'partner\.\.\.'
keys Enter
wait_for "partner list" 'Filter by partner'
keys g l o Enter
wait_for "partner filter shown" 'partner=globex +\(3 of 6\)'
wait_gone "other partners hidden" '^. TEV-'
keys f Down Down Down Enter
wait_for "state list" 'Filter by state'
keys a t Space r i s k Enter
wait_for "partner and state combine" 'partner=globex +state=at-risk +\(1 of 6\)'
wait_for "only the at-risk globex ticket" '^\* GLX-2 '
keys F
# mine: tickets assigned to alice (none yet), then take one
keys m
wait_for "mine: none" 'No ticket matches the search and filters'
keys m
wait_for "mine off" '^! GLX-1 '
keys : f i l t e r Space s e v e r i t y = c r i t i c a l Enter
wait_for ":filter severity=critical" 'severity=critical +\(1 of 6\)'
keys : c l e a r Enter
wait_for ":clear" 'showing every open ticket'
keys s
wait_for "s: the next column, the key" 'sort: key'
keys s
wait_for "then the partner" 'sort: partner'
keys : s o r t Space n e w e s t Enter
wait_for ":sort newest: created, reversed" 'sort: created \(reversed\)'
screen | grep -oE '^. (GLX|TEV|EVIL)-[0-9]' | tr -d '!*.+ -' >"$TMP/order"
if [ "$(tr '\n' ' ' <"$TMP/order")" = "GLX3 TEV2 TEV1 EVIL1 GLX2 GLX1 " ]; then ok "newest first"
else not_ok "newest first" "$(tr '\n' ' ' <"$TMP/order")"; fi
keys q
wait_for "quit" '^\[exit 0\]'
