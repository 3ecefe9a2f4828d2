#!/bin/sh
# Actions through the core, each in the audit trail: record a response
# (with its confirmation), assign to me, add a note, edit the severity
# (the deadline move shown before confirming), resolve and reopen.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
tui_start
wait_queue
# the at-risk GLX-2 is first (the triage order): respond to it
keys r Enter
wait_for "respond asks first" 'Record the first response to #2 GLX-2 now .*\[y/N\]'
keys n
wait_for "n answers no" 'no response recorded'
keys r Enter
wait_for "asked again" '\[y/N\]'
keys y
wait_for "response recorded, SLA met" '#2 GLX-2: first response recorded, SLA met with (3h 00m|2h 59m)'
wait_gone "answered, it leaves the queue" '^. GLX-2 '
keys H
wait_for "H shows it, met" '^\+ GLX-2 .* met'
keys H
wait_gone "H hides it again" '^. GLX-2 '
run st ticket show GLX-2
expect_grep "stored: first response by alice" '^responded by +alice' "$TMP/out"
expect_grep "audit: ticket.respond" 'alice +ticket.respond +first_response' "$TMP/out"

# open GLX-1 (breached, first line), take it, note, look at the detail
keys g Enter
wait_for "ticket detail" 'Ticket .*open'
wait_for "detail: deadline in three zones" 'Tue 2026-12-01 09:00:00 CET +partner \(Europe/Berlin\)'
wait_for "detail: yours" 'yours \(Europe/Berlin\)'
wait_for "detail: UTC" '2026-12-01T08:00:00Z +UTC'
wait_for "detail: overrun ticking" 'Overrun +1h 0[0-9]m [0-9]{2}s of working time'
wait_for "detail: progress bar" 'Consumed +\[█+\] 10[45]% of the target'
wait_for "detail: explanation" 'Mon 2026-11-30 +09:00-24:00 +counted +15h 00m'
wait_for "detail: history" 'alice +ticket.create'
keys a
wait_for "assign to me" '#1 GLX-1 assigned to alice'
wait_for "assignee shown" 'Assignee +alice'
keys N
wait_for "note prompt" 'Note for #1 GLX-1:'
keys C a l l e d Space t h e Space c u s t o m e r Enter
wait_for "note added" 'note added'
wait_for "note in the history" 'alice +note: Called the customer'

# edit: severity high -> medium is not timed; the move is shown first
keys e
wait_for "edit form" 'Edit ticket'
wait_for "old deadline" 'now +Tue 2026-12-01 09:00:00 CET'
keys Right
wait_for "new deadline previewed" 'after +none \(tracked, not timed\)'
keys Left Left
wait_for "critical keeps the deadline" 'after +Tue 2026-12-01 09:00:00 CET .*\(unchanged\)'
keys Right Right F2
wait_for "confirmation shows the move" 'Move the deadline from Tue 2026-12-01 09:00:00 CET .* to none'
keys y
wait_for "edit saved" 'severity medium, partner globex saved'
wait_for "detail shows not timed" 'SLA state +- not timed'

# resolve asks, then the ticket leaves the queue; reopen brings it back
keys x
wait_for "resolve asks" 'Resolve #1 GLX-1.*\[y/N\]'
keys y
wait_for "resolved" '#1 GLX-1 resolved'
keys q
wait_gone "resolved ticket left the queue" '^. GLX-1 '
keys : r e o p e n Space G L X - 1 Enter
wait_for "reopen asks" 'Reopen #1 GLX-1\?'
keys y
wait_for "reopened" '#1 GLX-1 reopened'
wait_for "back in the queue" '^- GLX-1 +globex +med'

run st audit --ticket GLX-1
run st ticket show GLX-1
for k in ticket.assign ticket.note ticket.edit ticket.resolve ticket.reopen; do
	expect_grep "audit: $k" "alice +$k" "$TMP/out"
done
keys q
wait_for "quit" '^\[exit 0\]'
