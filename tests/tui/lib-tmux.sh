# tests/tui/lib-tmux.sh: driving the real binary in a real terminal (tmux),
# in the style of tmux's own regress tests.  Sourced after tests/lib.sh.
#
#   tui_fixture              a small database in $DB (see below), timed
#                            against NOW=2026-12-01T09:00:00Z (a Tuesday)
#   tui_start [W H] [ENV..]  slatrack on $DB in a private tmux server
#   keys KEY...              tmux send-keys
#   screen                   the visible screen as text (capture-pane -p)
#   wait_for NAME REGEX [S]  ok when the screen matches within S seconds
#                            (default 10), polling; not ok with the screen
#   wait_gone NAME REGEX [S] the same, for text that must go away
# Every wait polls: no bare sleep is the only synchronisation.
SOCK=t$$
NSTART=0
NOW=2026-12-01T09:00:00Z
DB=$TMP/t.db
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT
export SLATRACK_CONFIG=$TMP/config
printf '[me]\nname = alice\nzone = Europe/Berlin\n' >"$SLATRACK_CONFIG"

command -v tmux >/dev/null || { not_ok "tmux is installed"; exit 1; }

st() { "$SLATRACK" --db "$DB" --now "$NOW" "$@"; }

tui_fixture() {
	st partner add globex --name "Globex GmbH" --tz Europe/Berlin \
		--calendar "$TOP/calendars/DE.ics" --calendar "$TOP/tests/tui/office.ics" \
		>/dev/null 2>"$TMP/fixture.err" &&
	st partner add tevel --name "Tevel Ltd" --tz Asia/Jerusalem --workdays sun-thu \
		--calendar "$TOP/calendars/IL.ics" >/dev/null &&
	# breached at NOW: created Mon 09:00 CET, due Tue 09:00 CET (08:00Z)
	st ticket add --partner globex --severity high --key GLX-1 \
		--summary "Login fails with SSO" --customer "Ada Lovelace" \
		--created 2026-11-30T08:00:00Z >/dev/null &&
	# at risk: 21 of 24 working hours used
	st ticket add --partner globex --severity critical --key GLX-2 \
		--summary "Invoices show wrong VAT" --assignee bob \
		--created 2026-11-30T12:00:00Z >/dev/null &&
	# on track: one hour used
	st ticket add --partner globex --severity high --key GLX-3 \
		--summary "Export to CSV times out" --created 2026-12-01T08:00:00Z >/dev/null &&
	st ticket add --partner tevel --severity medium --key TEV-1 \
		--summary "Dashboard loads slowly" --customer "Zoë Ørsted" \
		--created 2026-12-01T07:00:00Z >/dev/null &&
	st ticket add --partner tevel --severity high --key TEV-2 \
		--summary "ログインできません 🎉 Überweisung fehlt" \
		--created 2026-12-01T07:30:00Z >/dev/null &&
	st ticket add --partner tevel --severity high --key EVIL-1 \
		--summary "$(printf '\033]0;pwned\007\033[2J')" \
		--created 2026-12-01T06:00:00Z >/dev/null
}

# tui_start [WIDTH HEIGHT] [VAR=VALUE...]: the shell line ends with a marker
# so tests can see the exit status once the TUI has quit.
tui_start() {
	# a fresh server each time: reusing a socket name races with its exit
	tmux -L "$SOCK" kill-server 2>/dev/null
	NSTART=$((NSTART + 1))
	SOCK=t$$-$NSTART
	w=120 h=40
	case ${1:-} in [0-9]*) w=$1 h=$2; shift 2 ;; esac
	tmux -L "$SOCK" -f /dev/null new-session -d -x "$w" -y "$h" \
		"env LC_ALL=C.UTF-8 TERM=xterm-256color $* SLATRACK_CONFIG='$SLATRACK_CONFIG' \
		'$SLATRACK' --db '$DB' --now $NOW 2>'$TMP/stderr'; echo \"[exit \$?]\"; sleep 600"
}

keys() { tmux -L "$SOCK" send-keys "$@"; }
screen() { tmux -L "$SOCK" capture-pane -p 2>&1; }

# poll until the screen matches (or, with -v, stops matching)
_poll() {
	inv=$1 re=$2 secs=$3 i=0
	while [ "$i" -lt $((secs * 10)) ]; do
		if screen | grep -Eq -- "$re"; then
			[ "$inv" = 0 ] && return 0
		else
			[ "$inv" = 1 ] && return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

wait_for() {
	if _poll 0 "$2" "${3:-10}"; then ok "$1"
	else not_ok "$1" "screen never matched /$2/:" "$(screen | sed 's/^/| /')"; fi
}

wait_gone() {
	if _poll 1 "$2" "${3:-10}"; then ok "$1"
	else not_ok "$1" "screen still matches /$2/:" "$(screen | sed 's/^/| /')"; fi
}

# The queue is up (its header shows the counts).
wait_queue() { wait_for "${1:-the queue opens}" 'open .* at risk .* breached'; }
