#!/bin/sh
# The ticket detail names the partner's contact and who besides the
# assignee or team gets its reminders ([partner "KEY"] notify,
# notify_contact), and says so when that is nobody.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
st partner edit globex --contact support@globex.example >/dev/null || not_ok "partner edit"
cat >>"$SLATRACK_CONFIG" <<'EOF'
[partner "globex"]
notify_contact = yes
notify = l2@example.com
EOF

tui_start 120 40
wait_queue
keys : o p e n Space G L X - 2 Enter
wait_for "the ticket opens" 'Summary +Invoices show wrong VAT'
wait_for "the partner's contact" '^ *Partner contact +support@globex\.example *$'
wait_for "who is notified: the contact and the list" \
	'^ *Notified +support@globex\.example, l2@example\.com *$'
keys Q
wait_for "quit" '^\[exit 0\]'

# a partner with neither: the lines say so
tui_start 120 40
wait_queue
keys : o p e n Space T E V - 1 Enter
wait_for "tevel opens" 'Summary +Dashboard loads slowly'
wait_for "no contact" '^ *Partner contact +- *$'
wait_for "nobody beyond the usual" '^ *Notified +- \(the assignee or team, and managers on a breach\)'
keys Q
wait_for "quit" '^\[exit 0\]'
