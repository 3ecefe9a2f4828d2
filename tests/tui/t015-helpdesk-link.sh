#!/bin/sh
# The ticket screen shows the ticket's helpdesk link ([helpdesk] or
# [partner "KEY"] ticket_url); o puts it on the status line and writes it
# to the terminal as an OSC 8 hyperlink and an OSC 52 clipboard offer.
# pipe-pane records the bytes the program really wrote.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
cat >>"$SLATRACK_CONFIG" <<'EOF2'
[helpdesk]
ticket_url = https://support.example.com/browse/{key}
[partner "tevel"]
ticket_url = https://tevel.example.org/t/{id}?p={partner}
EOF2

tui_start 120 40
tmux -L "$SOCK" pipe-pane -o "cat >'$TMP/raw'"
wait_queue
keys : o p e n Space G L X - 2 Enter
wait_for "the ticket opens" 'Summary +Invoices show wrong VAT'
wait_for "the global link, with the key" '^ *Link \(o\) +https://support\.example\.com/browse/GLX-2 *$'
keys o
wait_for "o puts the link on the status line" '^link: https://support\.example\.com/browse/GLX-2 *$'
_raw_has() { grep -qF "$1" "$TMP/raw"; }
i=0
until _raw_has "$(printf '\033]8;;https://support.example.com/browse/GLX-2\033\\')" || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1))
done
if _raw_has "$(printf '\033]8;;https://support.example.com/browse/GLX-2\033\\https://support.example.com/browse/GLX-2\033]8;;\033\\')"; then
	ok "an OSC 8 hyperlink around the link"
else
	not_ok "an OSC 8 hyperlink around the link"
fi
b64=$(printf '%s' https://support.example.com/browse/GLX-2 | base64 -w0)
if _raw_has "$(printf '\033]52;c;%s\007' "$b64")"; then
	ok "offered to the clipboard (OSC 52)"
else
	not_ok "offered to the clipboard (OSC 52)"
fi
keys q
wait_queue "back to the queue"
# the partner's own template wins; o works on the selected queue row too
keys : o p e n Space T E V - 1 Enter
wait_for "tevel's own link" '^ *Link \(o\) +https://tevel\.example\.org/t/4\?p=tevel *$'
keys q
wait_queue "back again"
keys Q
wait_for "quit" '^\[exit 0\]'

# no template for a partner, no key: o says what to set
printf '[me]\nname = alice\nzone = Europe/Berlin\n[partner "tevel"]\nticket_url = https://t.example/{key}\n' >"$SLATRACK_CONFIG"
st ticket add --partner globex --severity high --summary "No key here" \
	--created 2026-12-01T08:30:00Z >/dev/null || not_ok "ticket without key"
tui_start 120 40
wait_queue
keys : o p e n Space GLX-1 Enter
wait_for "GLX-1 opens" 'Summary +Login fails with SSO'
wait_gone "no link line without a template" '^ *Link \(o\)'
keys o
wait_for "o explains what is missing" 'has no helpdesk link: set ticket_url in \[helpdesk\] or \[partner "globex"\]'
keys Q
wait_for "quit" '^\[exit 0\]'
