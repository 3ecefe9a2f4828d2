#!/bin/sh
# Creating a ticket through the form: the partner picker, severity, the
# live deadline preview, validation that keeps the input, created-at in
# the partner's zone; the ticket is in the store with its audit event.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
tui_start
wait_queue
keys +
wait_for "+ opens the new-ticket form" 'New ticket'
wait_for "the form asks for a partner" 'Deadline +pick a partner'
# typing on Partner opens the picker, narrowed to what was typed
keys g l o
wait_for "partner picker narrows as you type" '> glo'
wait_for "picker lists globex" 'globex +Globex GmbH +\(Europe/Berlin\)'
keys Enter
wait_for "partner picked" 'Partner +globex +Globex GmbH'
# the deadline preview follows the fields: high, then critical
wait_for "deadline preview" 'Deadline +Wed 2026-12-02 10:00:0[0-9] CET \(partner\)'
keys c Enter
wait_for "severity picked" '\[critical\]'
# saving without a summary is refused and keeps the rest
keys F2
wait_for "a summary is required" 'a ticket needs a summary'
wait_for "input kept after a refusal" 'Partner +globex'
keys P r i n t e r Space o n Space f i r e Enter
keys G L X - 9 Enter
keys Z o ë Enter
# created at, in the partner's zone (no offset): 09:00 CET = 08:00Z
keys 2 0 2 6 - 1 2 - 0 1 T 0 9 : 0 0
wait_for "created-at preview in partner time" 'Deadline +Wed 2026-12-02 09:00:00 CET \(partner\), 2026-12-02T08:00:00Z'
keys Enter
wait_for "focus on Create" '\[ Create \]'
keys Enter
wait_for "created message" 'created #7 GLX-9, deadline Wed 2026-12-02 09:00:00 CET'
wait_for "back in the queue with the new ticket" '^\. GLX-9 +globex +crit Printer on fire'

run st ticket show GLX-9
expect_grep "stored: severity" '^severity +critical' "$TMP/out"
expect_grep "stored: customer" '^customer +Zoë' "$TMP/out"
expect_grep "stored: created in partner time" '^created +Tue 2026-12-01 09:00:00 CET' "$TMP/out"
expect_grep "stored: deadline" '^deadline +Wed 2026-12-02 09:00:00 CET' "$TMP/out"
expect_grep "audit: created by the TUI's user" 'alice +ticket.create' "$TMP/out"

# Esc cancels a form and writes nothing
keys +
wait_for "form again" 'New ticket'
keys Escape
wait_for "Esc cancels" 'new ticket cancelled'
run st ticket list --format csv
n=$(grep -c . "$TMP/out")
if [ "$n" -eq 8 ]; then ok "nothing written by a cancelled form"
else not_ok "nothing written by a cancelled form" "$n lines"; fi
keys q
wait_for "quit" '^\[exit 0\]'
