#!/bin/sh
# Calendar files that are not what they seem: a FIFO, a directory or a
# device given as --calendar is refused at once (it used to block for
# ever), and iCalendar corner cases as slatrack-calendars(5) describes
# them: DURATION days across a DST change, a DATE value carrying a time,
# the occurrence limit, old Mozilla TZIDs.
. "$(dirname "$0")/../lib.sh"
S="$SLATRACK --db $TMP/t.db --now 2026-03-02T09:00:00Z"
T="timeout 30"	# the files below must be refused at once, not hang

ics() {	# ics FILE BODY: a VCALENDAR around BODY
	printf 'BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//slatrack//test//EN\n%bEND:VCALENDAR\n' "$2" >"$1"
}

# ---- not a regular file ------------------------------------------------------
mkfifo "$TMP/fifo.ics"
mkdir "$TMP/dir.ics"
expect_err "deadline: a FIFO calendar is refused, naming it" 3 \
	"'$TMP/fifo.ics' is not a regular file \\(a FIFO\\)" \
	$T $SLATRACK deadline --tz UTC --calendar "$TMP/fifo.ics" --at 2026-03-02T10:00
expect_err "calendar check: a FIFO is refused" 3 \
	"'$TMP/fifo.ics' is not a regular file \\(a FIFO\\)" \
	$T $SLATRACK calendar check "$TMP/fifo.ics"
expect_err "calendar check: a directory is refused" 3 \
	"'$TMP/dir.ics' is not a regular file \\(a directory\\)" \
	$T $SLATRACK calendar check "$TMP/dir.ics"
expect_err "calendar check: a device is refused" 3 \
	"'/dev/zero' is not a regular file \\(a device\\)" \
	$T $SLATRACK calendar check /dev/zero
expect_err "calendar check: a missing file, the same exit status" 3 \
	"cannot open '$TMP/none.ics': No such file" \
	$T $SLATRACK calendar check "$TMP/none.ics"
expect_err "partner add: a FIFO calendar is refused" 3 \
	"'$TMP/fifo.ics' is not a regular file \\(a FIFO\\)" \
	$T $S partner add fifo --name F --tz UTC --calendar "$TMP/fifo.ics"
$S partner add p --name P --tz UTC >/dev/null 2>&1
expect_err "partner edit: a FIFO calendar is refused" 3 \
	"'$TMP/fifo.ics' is not a regular file \\(a FIFO\\)" \
	$T $S partner edit p --calendar "$TMP/fifo.ics"
ics "$TMP/ok.ics" 'BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20260305\nSUMMARY:Day off\nEND:VEVENT\n'
$S partner add q --name Q --tz UTC --calendar "$TMP/ok.ics" >/dev/null 2>&1
rm "$TMP/ok.ics"
mkfifo "$TMP/ok.ics"
run $T $S calendar refresh q
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -q "is not a regular file (a FIFO)" "$TMP/err"; then
	ok "calendar refresh: a calendar file replaced by a FIFO fails, at once"
else
	not_ok "calendar refresh: a calendar file replaced by a FIFO fails, at once" \
		"exit $rc" "$(head -c 400 "$TMP/err")"
fi

# ---- DURATION:P1D is a calendar day (23 hours on 2026-03-29 in Berlin) ----------
# Closed from Saturday 12:00 for one day: until Sunday 12:00 CEST (10:00Z),
# not 24 hours later (11:00Z).  One hour of work is then due at 11:00Z.
ics "$TMP/dur.ics" 'BEGIN:VEVENT\nUID:d\nDTSTART;TZID=Europe/Berlin:20260328T120000\nDURATION:P1D\nSUMMARY:Closed\nEND:VEVENT\n'
expect_out "DURATION:P1D across the change to summer time is 23 hours" \
	"2026-03-29T11:00:00Z" \
	$SLATRACK deadline --tz Europe/Berlin --workdays mon-sun --calendar "$TMP/dur.ics" \
	--target 1h --at 2026-03-28T12:00 --format iso

# ---- a DATE value carrying a time is an error, not a vanished holiday ------------
ics "$TMP/xmas.ics" 'BEGIN:VEVENT\nUID:x\nDTSTART;VALUE=DATE:20261225T000000\nSUMMARY:Christmas\nEND:VEVENT\n'
expect_err "calendar check: VALUE=DATE with a time names FILE:LINE" 3 \
	"xmas.ics:6: DTSTART is VALUE=DATE but '20261225T000000' is not a date \\(YYYYMMDD\\)" \
	$SLATRACK calendar check --from 2026 "$TMP/xmas.ics"
expect_err "deadline: the same error" 3 "xmas.ics:6: DTSTART is VALUE=DATE" \
	$SLATRACK deadline --tz UTC --calendar "$TMP/xmas.ics" --at 2026-12-24T10:00

# ---- the occurrence limit: 100,000 -----------------------------------------------
ics "$TMP/many.ics" 'BEGIN:VEVENT\nUID:m\nDTSTART:20260101T000000Z\nDURATION:PT1M\nRRULE:FREQ=HOURLY;COUNT=100001\nSUMMARY:M\nEND:VEVENT\n'
expect_err "calendar check: more than 100000 occurrences is an error" 3 \
	"many.ics:8: RRULE has more than 100000 occurrences up to 2040" \
	$SLATRACK calendar check --from 2040 --to 2040 "$TMP/many.ics"
ics "$TMP/many.ics" 'BEGIN:VEVENT\nUID:m\nDTSTART:20260101T000000Z\nDURATION:PT1M\nRRULE:FREQ=HOURLY;COUNT=100000\nSUMMARY:M\nEND:VEVENT\n'
expect_status "calendar check: 100000 occurrences are fine" 0 \
	$SLATRACK calendar check --from 2040 --to 2040 "$TMP/many.ics"

# ---- an old Mozilla TZID names its IANA zone ----------------------------------------
ics "$TMP/moz.ics" 'BEGIN:VEVENT\nUID:z\nDTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260612T120000\nDTEND;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260612T170000\nSUMMARY:Offsite\nEND:VEVENT\n'
run $SLATRACK calendar check --from 2026 --tz UTC "$TMP/moz.ics"
expect_grep "a /mozilla.org/.../Europe/Berlin TZID is Europe/Berlin" \
	"^2026-06-12 10:00:00 UTC - 15:00 +closed +Offsite" "$TMP/out"
