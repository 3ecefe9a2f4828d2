#!/bin/sh
# A shared database, live: changes by the command line and by another TUI
# show within a second or two without a key press; a write that meets a
# locked database waits and keeps the input; the terminal comes back on
# Ctrl-C, SIGTERM and a crash; stderr written meanwhile is replayed.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_pid() {
	sh_pid=$(tmux -L "$SOCK" display -p '#{pane_pid}')
	ps -o pid= --ppid "$sh_pid" | head -n 1 | tr -d ' '
}

tui_fixture || { not_ok "fixture"; exit 1; }
tui_start
wait_queue
# the command line adds and answers tickets: the queue follows by itself
st ticket add --partner globex --severity critical --key GLX-77 \
	--summary "Added from the command line" >/dev/null
wait_for "a ticket added elsewhere appears" 'GLX-77 +globex +crit Added from the command line' 3
wait_for "the counts follow" '7 open'
st ticket respond GLX-2 >/dev/null
wait_gone "a response elsewhere takes the row out of the queue" '^. GLX-2 ' 3
wait_for "at-risk count drops" '7 open +0 at risk'

# a second TUI on the same file: a note written there shows here
keys / g l x - 3 Enter Enter
wait_for "detail of GLX-3" 'Summary +Export to CSV times out'
SOCK1=$SOCK
tmux -L "$SOCK1-b" -f /dev/null new-session -d -x 100 -y 30 \
	"env LC_ALL=C.UTF-8 TERM=xterm-256color SLATRACK_CONFIG='$SLATRACK_CONFIG' \
	'$SLATRACK' --db '$DB' --now $NOW"
SOCK=$SOCK1-b
wait_queue "a second TUI opens"
keys : n o t e Space f r o m Space t h e Space o t h e r Space T U I Enter
wait_for "':note TEXT' notes the selected ticket" 'note added'
keys / g l x - 3 Enter
keys N h e l l o Space f r o m Space b Enter
wait_for "second TUI wrote a note" 'note added'
tmux -L "$SOCK" kill-server
SOCK=$SOCK1
wait_for "the first TUI's detail shows the other's note" 'alice +note: hello from b' 3

# a write that meets a locked database waits, then lands; nothing typed is lost
python3 - "$DB" >"$TMP/lock.log" 2>&1 <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(2.5)
c.execute("COMMIT")
print("released", flush=True)
PY
lock_pid=$!
i=0; while ! grep -q locked "$TMP/lock.log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
keys N w r i t t e n Space w h i l e Space l o c k e d Enter
wait_for "the note waits for the lock and lands" 'alice +note: written while locked' 10
wait "$lock_pid"
if grep -q released "$TMP/lock.log"; then ok "the lock was held meanwhile"
else not_ok "the lock was held meanwhile" "$(cat "$TMP/lock.log")"; fi

# Ctrl-C restores the terminal and exits cleanly
keys C-c
wait_for "Ctrl-C quits" '^\[exit 0\]'
# SIGTERM likewise
tui_start
wait_queue
kill -TERM "$(tui_pid)"
wait_for "SIGTERM quits and restores the terminal" '^\[exit 0\]'
# a crash: best-effort endwin, then the signal's own exit
tui_start
wait_queue
kill -SEGV "$(tui_pid)"
wait_for "a crash restores the terminal and re-raises" '^\[exit 139\]'
if tmux -L "$SOCK" capture-pane -p -a 2>/dev/null | grep -q 'open .* at risk'; then
	not_ok "left the alternate screen"
else ok "left the alternate screen"; fi
# stderr while curses runs is held and replayed after
tui_start 120 40 SLATRACK_TUI_STDERR_TEST=1
wait_queue
keys q
wait_for "quit after stderr" '^\[exit 0\]'
if grep -q 'stderr test: written while curses ran' "$TMP/stderr"; then
	ok "stderr replayed after endwin"
else not_ok "stderr replayed after endwin" "$(cat "$TMP/stderr")"; fi
if screen | grep -q 'stderr test'; then not_ok "stderr kept off the screen"
else ok "stderr kept off the screen"; fi
