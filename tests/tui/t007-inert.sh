#!/bin/sh
# Customer text is untrusted: escape sequences and control characters in
# a summary, a customer or a note show inert, and so do bidi overrides and
# isolates (shown by name: they cannot reorder the row); UTF-8 (accents,
# CJK, emoji) is aligned by display width.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
st ticket note EVIL-1 "$(printf 'call \033[31mRED\033[0m now\a')" >/dev/null
st ticket edit EVIL-1 --customer "$(printf 'Mallory\302\233?1049l')" >/dev/null
RLO=$(printf '\342\200\256') LRI=$(printf '\342\201\246')
st ticket edit GLX-3 --summary "CSV ${RLO}fdp.exe times out" >/dev/null
st ticket note EVIL-1 "see ${LRI}attached" >/dev/null
# raw_bidi NAME: the screen holds no raw override or isolate
raw_bidi() {
	if screen | grep -q "$RLO\|$LRI"; then not_ok "$1" "$(screen | grep "$RLO\|$LRI")"
	else ok "$1"; fi
}
tmux_title() { tmux -L "$SOCK" display -p '#{pane_title}'; }
tui_start
wait_queue
wait_for "summary shown inert in the queue" 'EVIL-1 +tevel +high +\^\[\]0;pwned\^G\^\[\[2J'
wait_for "the screen was not cleared" 'slatrack · Queue'
wait_for "a right-to-left override shown by name in the queue" \
	'GLX-3 +globex +high +CSV <U\+202E>fdp\.exe times out'
raw_bidi "no raw bidi control in the queue"
case $(tmux_title) in
*pwned*) not_ok "the terminal title was not set" "title: $(tmux_title)" ;;
*) ok "the terminal title was not set" ;;
esac
keys / e v i l Enter Enter
wait_for "summary inert in the detail" 'Summary +\^\[\]0;pwned\^G\^\[\[2J'
wait_for "C1 control inert" 'Customer +Mallory<U\+009B>\?1049l'
wait_for "note inert in the history" 'note: call \^\[\[31mRED\^\[\[0m now\^G'
wait_for "an isolate shown by name in the history" 'note: see <U\+2066>attached'
raw_bidi "no raw bidi control in the detail"
case $(tmux_title) in
*pwned*) not_ok "still no title change" ;;
*) ok "still no title change" ;;
esac
keys q Escape
# alignment by display width: REMAINING is right-aligned to the last
# column, so every row is exactly as wide as the screen, whatever the
# summary holds, when CJK and emoji count two columns
wait_for "queue again" '^! GLX-1'
screen >"$TMP/s"
python3 - "$TMP/s" >"$TMP/cols" <<'PY'
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else
               0 if unicodedata.combining(c) else 1 for c in s)
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.rstrip('\n')
    if re.match(r'^[!*.+-] \S', line):
        print(line[:8].strip(), width(line))
PY
if [ "$(cut -d' ' -f3 "$TMP/cols" | sort -u)" = 120 ] &&
	[ "$(wc -l <"$TMP/cols")" -eq 6 ]; then ok "columns aligned by display width"
else not_ok "columns aligned by display width" "$(cat "$TMP/cols")"; fi
# narrow: CJK cut on a character boundary with an ellipsis
tmux -L "$SOCK" resize-window -x 80 -y 24
wait_for "CJK cut with an ellipsis at 80 columns" 'TEV-2 +tevel +high ログインできませ… +-'
tmux -L "$SOCK" resize-window -x 86 -y 24
wait_for "CJK never split" 'TEV-2 +tevel +high ログインできません …|ログインできません 🎉'
keys q
wait_for "quit" '^\[exit 0\]'
