#!/bin/sh
# Waiting on the customer and excused breaches in the TUI: w stops the
# clocks (the row says waiting and its countdown stands still) and w
# again resumes, moving the deadlines by the working time waited; a
# waiting ticket sorts after the running ones; ':excuse' marks a breach
# excused (and ':unexcuse' takes it back); respond and resolve end a
# wait, reopen keeps the response outcome, as on the command line.
# Every change is in the ticket's audit trail.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

# acme: 09:00-17:00 Berlin, high = 4h to respond and 16h to resolve, and
# waiting stops the response clock too; plain: whole days, 24h, no pause
# of the response clock, no resolution target.  NOW is Tue 10:00 CET.
st partner add acme --name "Acme AG" --tz Europe/Berlin --hours 09:00-17:00 \
	--target high=4h --target-resolve high=16h --pause-response yes >/dev/null &&
st partner add plain --name "Plain Ltd" --tz Europe/Berlin --target high=24h >/dev/null &&
# due Tue 13:00 CET, to resolve by Wed 17:00 CET
st ticket add --partner acme --severity high --key ACM-1 --summary "Sync stalls" \
	--created 2026-12-01T08:00:00Z >/dev/null &&
# due Fri 2026-11-27 13:00 CET: breached
st ticket add --partner acme --severity high --key ACM-2 --summary "Outage fallout" \
	--created 2026-11-27T08:00:00Z >/dev/null &&
st ticket add --partner plain --severity high --key PLN-1 --summary "Plain one" \
	--created 2026-12-01T08:00:00Z >/dev/null || { not_ok "fixture"; exit 1; }

# ---- 10:00 CET: w on ACM-1 in the queue -------------------------------------
tui_start
wait_queue
keys / A C M - 1 Enter
wait_for "ACM-1 runs" '^\. ACM-1 .* on track +12-01 13:00 +(3h 00m 00s|2h 59m [0-9]{2}s)'
keys w
wait_for "w: the row says waiting" '^= ACM-1 .* waiting +12-01 13:00 +(3h 00m 00s|2h 59m [0-9]{2}s)'
wait_for "w: which clocks stand still" \
	'#1 ACM-1 waiting on the customer: the response and resolution clocks stand still'
keys Enter
wait_for "page: state waiting" 'SLA state += waiting'
wait_for "page: waiting since" 'Waiting since +Tue 2026-12-01 10:00:[0-9]{2} CET +partner'
wait_for "page: the resolution clock" 'Resolve by +Wed 2026-12-02 17:00:00 CET +partner'
wait_for "page: the resolution clock waits" 'Resolution += waiting: .* left, standing still'
keys q q
wait_for "quit" '^\[exit 0\]'

# ---- 12:00:30 CET: still waiting, after the running tickets; w resumes --------
NOW=2026-12-01T11:00:30Z
tui_start
wait_queue
order=$(screen | sed -n 's/^[-=.!*+~] \([A-Z]*-[0-9]*\) .*/\1/p' | tr '\n' ' ')
if [ "$order" = "ACM-2 PLN-1 ACM-1 " ]; then ok "the waiting ticket sorts after the running ones"
else not_ok "the waiting ticket sorts after the running ones" "order: $order"; fi
wait_for "still waiting, due 13:00" '^= ACM-1 .* waiting +12-01 13:00 '
keys / A C M - 1 Enter w
# 2h 00m 2x-3x s waited: 13:00 CET becomes 15:00 CET, Wed 17:00 Thu 11:00
wait_for "w again: running, the deadline moved" '^\. ACM-1 .* on track +12-01 15:00 '
wait_for "w again: what moved" '#1 ACM-1 resumed after 2h 00m of working time waited; deadline now 2026-12-01 15:00 CET; resolve by 2026-12-03 11:00 CET'
keys Enter
wait_for "page: the moved deadline" 'Deadline +Tue 2026-12-01 15:00:[0-9]{2} CET +partner'
wait_for "page: the moved resolution deadline" 'Resolve by +Thu 2026-12-03 11:00:[0-9]{2} CET'
wait_gone "page: no longer waiting" 'Waiting since'
wait_for "page: the pause in the explanation" \
	'paused +waiting on the customer +2026-12-01 10:00 CET \.\. 2026-12-01 12:00 CET +\+2h 00m of working time'
# the edit form previews a new severity's deadline with the pause in it:
# critical (24h) from Tue 09:00 is Thu 17:00 CET, and 2h later for the wait
keys e
wait_for "edit: the deadline now" 'now +Tue 2026-12-01 15:00:[0-9]{2} CET'
keys Left
wait_for "edit: the preview keeps the pause" 'after +Fri 2026-12-04 11:00:[0-9]{2} CET'
keys Escape
wait_for "edit cancelled" 'Deadline +Tue 2026-12-01 15:00:[0-9]{2} CET +partner'
keys :
keys -l 'resume'
keys Enter
wait_for ":resume when not waiting is refused" 'ticket #1 ACM-1 is not waiting on the customer'
# a first response ends a wait that stops the response clock
keys :
keys -l 'wait'
keys Enter
wait_for ":wait" '#1 ACM-1 waiting on the customer'
keys r Enter
wait_for "respond asks" 'Record the first response to #1 ACM-1 now'
keys y
wait_for "responded" '#1 ACM-1: first response recorded, SLA met'
wait_gone "the response ended the wait" 'Waiting since'
keys q

# ---- ':excuse' on the breached ACM-2 -------------------------------------------------
keys Escape / A C M - 2 Enter
wait_for "ACM-2 breached" '^! ACM-2 .* BREACHED '
keys :
keys -l 'excuse'
keys Enter
wait_for ":excuse needs a reason" "say why: ':excuse \[ref=KEY\] REASON'"
keys :
keys -l 'excuse ref=INC-7 platform outage'
keys Enter
wait_for ":excuse: the row says excused" '^~ ACM-2 .* excused '
wait_for ":excuse: the message" '#2 ACM-2: breach excused: platform outage \(incident INC-7\)'
keys Enter
wait_for "page: excused breach" 'SLA state +~ BREACHED \(excused\)'
wait_for "page: the incident" 'Excused +at 2026-12-01 12:00 CET +\(incident INC-7\)'
wait_for "page: the reason" 'Excuse reason +platform outage'
keys :
keys -l 'unexcuse'
keys Enter
wait_for ":unexcuse" '#2 ACM-2: the breach is no longer excused'
wait_for "page: breached again" 'SLA state +! BREACHED *$'
keys q

# ---- PLN-1: the response clock runs on; resolve ends the wait; reopen ----------
keys Escape / P L N Enter
wait_for "PLN-1 runs" '^\. PLN-1 .* on track '
keys :
keys -l 'excuse too early'
keys Enter
wait_for ":excuse on a ticket on track is refused" \
	'ticket #3 PLN-1 is on track: only a breached or at-risk ticket can be excused'
keys w
wait_for "w: the response clock runs on" \
	'#3 PLN-1 waiting on the customer: the response clock runs on \(not paused for this partner\)'
wait_for "so the row stays on track" '^\. PLN-1 .* on track '
keys x
wait_for "resolve says it ends the wait" 'Resolve #3 PLN-1 \(no first response yet: this stops its SLA clock\) \(this ends the wait on the customer\)\?'
keys y
wait_for "resolved" '#3 PLN-1 resolved'
keys :
keys -l 'reopen PLN-1'
keys Enter
wait_for "reopen asks" 'Reopen #3 PLN-1\?'
keys y
wait_for "reopened" '#3 PLN-1 reopened'
keys q
wait_for "quit" '^\[exit 0\]'

# ---- an excuse written elsewhere shows inert ------------------------------------------
st ticket excuse ACM-2 --reason "$(printf 'outage \033]0;pwned\007 here\033[2J')" \
	--ref INC-9 >/dev/null || not_ok "excuse with the CLI"
tui_start
wait_queue
wait_for "excused in the queue" '^~ ACM-2 .* excused '
keys :
keys -l 'open ACM-2'
keys Enter
wait_for "the reason shown inert" 'Excuse reason +outage \^\[\]0;pwned\^G here\^\[\[2J'
wait_for "the screen was not cleared" 'slatrack · Ticket'
keys Q
wait_for "quit" '^\[exit 0\]'

# ---- the audit trail -----------------------------------------------------------------
run st ticket show ACM-1
for ev in 'ticket.wait +waiting' 'ticket.resume +waiting' 'ticket.resume +deadline' \
	'ticket.resume +resolve_deadline' 'ticket.respond +waiting'; do
	expect_grep "ACM-1 audit: $ev" "alice +$ev" "$TMP/out"
done
run st ticket show ACM-2
for ev in 'ticket.excuse +excused' 'ticket.excuse +excuse_reason' \
	'ticket.excuse +excuse_ref' 'ticket.unexcuse +excused'; do
	expect_grep "ACM-2 audit: $ev" "alice +$ev" "$TMP/out"
done
run st ticket show PLN-1
for ev in 'ticket.wait +waiting' 'ticket.resolve +waiting' 'ticket.reopen +resolved' \
	'ticket.reopen +first_response'; do
	expect_grep "PLN-1 audit: $ev" "alice +$ev" "$TMP/out"
done
