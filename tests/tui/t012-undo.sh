#!/bin/sh
# Undo and safety in the TUI (issue 11 item 6): `a` asks before taking a
# colleague's ticket; `r` takes the instant of the response (Enter: now,
# or a time in the viewer's zone), refusing text that is not one and the
# future; `u` names the change it reverts and asks [y/N], on the detail
# and in the queue; a note or an undo is not undone.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
col() { sqlite3 "$DB" "SELECT ifnull(CAST($1 AS TEXT), '-') FROM tickets WHERE key = '$2'"; }
check() {	# check NAME WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want $2" "got $3"; fi
}
tui_start
wait_queue

# GLX-2 is bob's: a asks, n keeps it bob's, y takes it
keys : o p e n Space G L X - 2 Enter
wait_for "detail of GLX-2" 'Assignee +bob'
keys a
wait_for "a asks before taking bob's ticket" "#2 GLX-2 is bob's: take it\? \[y/N\]"
keys n
wait_for "n: not taken" 'not taken'
check "still bob's" bob "$(col assignee GLX-2)"
keys a
wait_for "asked again" "is bob's: take it\?"
keys y
wait_for "y: taken" '#2 GLX-2 assigned to alice'
check "now alice's" alice "$(col assignee GLX-2)"

# respond at an earlier time: 09:30 in the viewer's zone (Berlin) = 08:30Z
keys r
wait_for "r asks when" 'First response to #2 GLX-2 at \(Enter: now\):'
keys l a t e r Enter
wait_for "not an instant: said so" "'later' is not an instant"
check "nothing recorded" - "$(col first_response_at GLX-2)"
keys r 2 0 2 6 - 1 2 - 0 1 Space 1 1 : 0 0 Enter
wait_for "the future is refused" 'cannot lie in the future'
keys r
wait_for "r asks again" 'First response to #2 GLX-2 at \(Enter: now\):'
keys 2 0 2 6 - 1 2 - 0 1 Space 0 9 : 3 0 Enter
wait_for "the instant is confirmed" 'Record the first response to #2 GLX-2 at .*2026-12-01 09:30.*2026-12-01T08:30:00Z.*\[y/N\]'
keys y
wait_for "recorded" '#2 GLX-2: first response recorded'
check "stored at 08:30Z" "$(date -u -d 2026-12-01T08:30:00Z +%s)" "$(col first_response_at GLX-2)"

# u names the change and asks
keys u
wait_for "u names what it reverts" "Undo #2 GLX-2's respond by alice at .*\(first_response, responded_by\)\? \[y/N\]"
keys n
wait_for "n: nothing undone" 'nothing undone'
check "n leaves the response" "$(date -u -d 2026-12-01T08:30:00Z +%s)" "$(col first_response_at GLX-2)"
keys u
wait_for "asked again" "Undo #2 GLX-2's respond"
keys y
wait_for "y: undone" '#2 GLX-2: last change undone'
check "the response is gone" - "$(col first_response_at GLX-2)"
check "audit: a ticket.undo naming the respond" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM events
	WHERE kind = 'ticket.undo' AND field = 'reverts' AND new LIKE 'event %: ticket.respond by alice'")"
keys u
wait_for "an undo is not undone" 'last change is an undo'
keys N h i Enter
wait_for "note added" 'note added'
keys u
wait_for "a note cannot be undone" 'a note cannot be undone'
check "nothing else undone" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE field = 'reverts'")"

# in the queue: take GLX-3 (nobody's: no question), then u
keys q
wait_queue "back to the queue"
keys / E x p o r t Enter
wait_for "GLX-3 found" 'search "[Ee]xport" +\(1 of'
keys a
wait_for "an unassigned ticket is taken at once" '#3 GLX-3 assigned to alice'
keys u
wait_for "u in the queue" "Undo #3 GLX-3's assign by alice at .*\(assignee\)\? \[y/N\]"
keys y
wait_for "queue: undone" '#3 GLX-3: last change undone'
check "GLX-3 unassigned again" - "$(col assignee GLX-3)"
keys u
wait_for "queue: an undo is not undone" 'last change is an undo'
keys '?'
wait_for "the help lists u" 'u +undo the ticket.s last change'
keys Q
wait_for "it quits cleanly" '\[exit 0\]'
