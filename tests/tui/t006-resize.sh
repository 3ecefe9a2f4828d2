#!/bin/sh
# Resizing at any moment: below 80x24 a clear notice instead of garbage,
# back to a full layout when the terminal grows again (KEY_RESIZE).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

resize() { tmux -L "$SOCK" resize-window -x "$1" -y "$2"; }

tui_fixture || { not_ok "fixture"; exit 1; }
tui_start 120 40
wait_queue
wait_for "wide: the STATE column" 'STATE +DUE \(CET\) +REMAINING'
resize 60 20
wait_for "60x20: too small" 'terminal too small: 60x20'
wait_for "60x20: what is needed" 'slatrack needs at least 80x24'
wait_gone "60x20: no queue drawn" 'GLX-1'
resize 80 24
wait_for "80x24: the queue again" '^! GLX-1 +globex +high'
wait_gone "80x24: no STATE column" 'STATE'
wait_for "80x24: footer" '\? help +q quit'
resize 79 24
wait_for "79x24: too small" 'terminal too small: 79x24'
resize 80 23
wait_for "80x23: too small" 'terminal too small: 80x23'
resize 120 40
wait_for "back to 120x40" 'STATE +DUE \(CET\) +REMAINING'
# keys work after a resize, and a resize inside a screen and a prompt
keys j k Enter
wait_for "detail after resize" 'Summary +Invoices show wrong VAT'
resize 60 20
wait_for "detail: too small" 'terminal too small: 60x20'
resize 100 30
wait_for "detail redrawn at 100x30" 'Summary +Invoices show wrong VAT'
keys q /
wait_for "search prompt" '^/ ?$'
resize 60 20
wait_for "prompt: too small" 'terminal too small'
resize 90 30
keys S S O
wait_for "typing survived the resize" 'search "sso"'
keys Enter q
wait_for "quit" '^\[exit 0\]'
