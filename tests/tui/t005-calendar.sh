#!/bin/sh
# The partners screen and one partner's month: weekends, holidays with
# their names, timed closures, make-up working days, today, the open
# tickets' deadlines; < > between months; the local time line.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
st partner add longwei --name "Longwei" --tz Asia/Shanghai \
	--calendar "$TOP/calendars/CN.ics" >/dev/null || not_ok "CN partner"
tui_start
wait_queue
keys p
wait_for "p opens the partners screen" 'Partners .*open'
wait_for "partner row: zone, local time, working" \
	'globex +Globex GmbH +Europe/Berlin +mon-fri .*Tue 10:00 CET +working +3 +1'
wait_for "Sun-Thu partner" 'tevel +Tevel Ltd +Asia/Jerusalem +sun-thu'
wait_for "the local time in each zone" 'longwei .*Tue 17:00 CST'
keys Enter
wait_for "Enter opens the month" '<  December 2026  >'
wait_for "local time now and working" 'local time now: Tue 2026-12-01 10:00:[0-9]{2} CET, working time'
wait_for "weekday header" 'Mon +Tue +Wed +Thu +Fri +Sat +Sun'
wait_for "today" '^ +today'
wait_for "holidays with their names" 'Christmas Day +Boxing Day'
wait_for "holiday marks" '25 H +26 H'
wait_for "weekend marks" '5 w +6 w'
wait_for "an all-day company holiday" 'Company offsite'
wait_for "a timed closure" '11 C'
wait_for "closure named" 'Office party'
wait_for "deadline marks (GLX-1 today, GLX-2 today, GLX-3 tomorrow)" '1 +●2 +2 +●1'
wait_for "today's tickets due listed" 'due 09:00 +#1 GLX-1 +high +BREACHED +Login fails with SSO'
wait_for "legend" 'H holiday +M make-up working day +C closure +w weekend +●N tickets due'
# the cursor to Thu 24 Dec: three weeks down, two days right
keys j j j l l
wait_for "the closure of the cursor's day" 'Thu 2026-12-24: working day'
wait_for "closed hours" 'closed 12:00-24:00 +Christmas Eve afternoon'
keys l
wait_for "a holiday's source" 'Fri 2026-12-25: holiday: Christmas Day \(.*DE.ics:[0-9]+\)'
keys '>'
wait_for "> next month" '<  January 2027  >'
wait_for "New Year" "New Year's Day"
keys '<' '<'
wait_for "< previous month" '<  November 2026  >'
keys t
wait_for "t back to today" '<  December 2026  >'
# a partner whose week is Sun-Thu, and one with make-up days
keys q j j Enter
wait_for "tevel's month" 'tevel +Tevel Ltd +Asia/Jerusalem +sun-thu'
wait_for "Fri and Sat are its weekend" '4 w +5 w +6$'
wait_for "its local time" 'local time now: Tue 2026-12-01 11:00:[0-9]{2} IST, working time'
keys : c a l e n d a r Space l o n g w e i Enter
wait_for ":calendar PARTNER" 'longwei +Longwei +Asia/Shanghai'
keys '<' '<' '<' '<' '<' '<' '<' '<' '<' '<'
wait_for "February 2026" '<  February 2026  >'
wait_for "make-up working day (a Saturday)" '14 M'
wait_for "make-up named" '14 M .*|Spring Festiva… +Spring Festival$'
wait_for "holidays run on" '16 H +17 H +18 H'
keys Q
wait_for "Q quits from anywhere" '^\[exit 0\]'
