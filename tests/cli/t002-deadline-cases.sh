#!/bin/sh
# The worked cases of the engine issue through `slatrack deadline`, the
# human output, --explain, --batch behaviour and bad input.
. "$(dirname "$0")/../lib.sh"
S=$SLATRACK

cat >"$TMP/berlin.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//slatrack//test//EN
BEGIN:VEVENT
UID:xmas@test
DTSTART;VALUE=DATE:20251225
DTEND;VALUE=DATE:20251227
SUMMARY:Weihnachten
END:VEVENT
BEGIN:VEVENT
UID:eve@test
DTSTART;TZID=Europe/Berlin:20251224T120000
DTEND;TZID=Europe/Berlin:20251225T000000
SUMMARY:Heiligabend (closed from noon)
END:VEVENT
END:VCALENDAR
ICS

expect_out "London: Fri 23:30 BST over the Summer bank holiday" "2025-08-26T22:30:00Z" \
	$S deadline --tz Europe/London --calendar "$DATA/vectors/GB.ics" \
	--at 2025-08-22T23:30 --format iso
expect_out "New York: Fri 10:00 EST -> Mon 10:00 EDT" "2025-03-10T14:00:00Z" \
	$S deadline --tz America/New_York --at 2025-03-07T10:00:00-05:00 --format iso
expect_out "Cairo: 23-hour Friday" "2025-04-25T10:00:00Z" \
	$S deadline --tz Africa/Cairo --at 2025-04-24T12:00 --format iso
expect_out "Berlin: closure + holidays" "2025-12-29T05:00:00Z" \
	$S deadline --tz Europe/Berlin --calendar "$TMP/berlin.ics" --at 2025-12-23T18:00 --format iso
expect_out "Kathmandu: Fri 20:00 -> Mon 20:00" "2025-06-09T14:15:00Z" \
	$S deadline --tz Asia/Kathmandu --at 2025-06-06T20:00 --format iso
expect_out "09:00-17:00: 24 h is three business days" "2026-01-07T22:00:00Z" \
	$S deadline --tz America/New_York --hours 09:00-17:00 --at 2026-01-05T09:00 --format iso
expect_out "Sun-Thu week" "2026-01-11T10:00:00Z" \
	$S deadline --tz Asia/Jerusalem --workdays sun-thu --at 2026-01-08T12:00 --format iso
expect_out "target 90m" "2026-01-05T10:30:00Z" \
	$S deadline --tz UTC --target 90m --at 2026-01-05T09:00:00Z --format iso
expect_out "target 1h30m == 5400" "2026-01-05T10:30:00Z" \
	$S deadline --tz UTC --target 5400 --at 2026-01-05T09:00:00Z --format iso
expect_out "human line: local and UTC" \
	"Mon 2025-12-29 06:00:00 CET (Europe/Berlin) = 2025-12-29T05:00:00Z" \
	$S deadline --tz Europe/Berlin --calendar "$TMP/berlin.ics" --at 2025-12-23T18:00

run $S deadline --tz Europe/Berlin --calendar "$TMP/berlin.ics" --at 2025-12-23T18:00 --explain
expect_grep "explain: counted Tuesday evening" '^  Tue 2025-12-23  18:00-24:00  counted  6h 00m' "$TMP/out"
# working time in hours: "1d" would read as one working day
expect_grep "explain: the target in working hours, not days" \
	'^target    24h 00m of working time in Europe/Berlin$' "$TMP/out"
expect_grep "explain: closure named with its source line" \
	'Wed 2025-12-24  12:00-24:00  closed   Heiligabend \(closed from noon\) \(.*berlin.ics:10\)' "$TMP/out"
expect_grep "explain: holiday named" 'Thu 2025-12-25 .*skipped  holiday: Weihnachten' "$TMP/out"
expect_grep "explain: weekend" 'Sat 2025-12-27 .*skipped  weekend' "$TMP/out"
expect_grep "explain: running total reaches 24h" 'Mon 2025-12-29  00:00-06:00  counted  6h 00m +total 24h 00m' "$TMP/out"
expect_grep "explain: deadline line" '^deadline  Mon 2025-12-29 06:00:00 CET  2025-12-29T05:00:00Z' "$TMP/out"

printf '2026-01-05T09:00:00Z\nnot-a-date\n\n2026-01-09T00:00:00+01:00\n2026-01-10T12:00\n' >"$TMP/in"
run sh -c "$S deadline --tz Europe/Berlin --batch <'$TMP/in'"
printf '2026-01-05T09:00:00Z,2026-01-06T09:00:00Z\n2026-01-08T23:00:00Z,2026-01-09T23:00:00Z\n2026-01-10T11:00:00Z,2026-01-12T23:00:00Z\n' >"$TMP/want"
if cmp -s "$TMP/out" "$TMP/want"; then ok "batch: good lines answered in order"
else not_ok "batch: good lines answered in order" "$(cat "$TMP/out")"; fi
[ "$rc" -eq 3 ] && ok "batch: a bad line makes the status 3" || not_ok "batch status" "got $rc"
expect_grep "batch: the bad line is named by number" 'stdin:2: bad instant .not-a-date.' "$TMP/err"

expect_err "unknown zone" 3 "unknown timezone 'Mars/Base'" $S deadline --tz Mars/Base --at 2026-01-05T09:00:00Z
expect_err "bad --at" 2 "--at: bad instant '2026-13-01'" $S deadline --tz UTC --at 2026-13-01
expect_err "bad --hours" 2 "--hours: bad working hours '9-17'" $S deadline --tz UTC --hours 9-17 --at 2026-01-05T09:00:00Z
expect_err "bad --workdays" 2 "--workdays: bad working days 'funday'" $S deadline --tz UTC --workdays funday --at 2026-01-05T09:00:00Z
expect_err "bad --target" 2 "--target: bad duration '24x'" $S deadline --tz UTC --target 24x --at 2026-01-05T09:00:00Z
expect_err "missing --tz" 2 "--tz ZONE \(or --partner KEY\) is required" $S deadline --at 2026-01-05T09:00:00Z
expect_err "--at and --batch together" 2 "exactly one of" $S deadline --tz UTC --at 2026-01-05T09:00:00Z --batch
expect_err "missing calendar file" 3 "nope.ics" $S deadline --tz UTC --calendar nope.ics --at 2026-01-05T09:00:00Z
printf 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=SOMETIMES\nEND:VEVENT\nEND:VCALENDAR\n' >"$TMP/bad.ics"
expect_err "broken RRULE names FILE:LINE" 3 "bad.ics:4:" $S deadline --tz UTC --calendar "$TMP/bad.ics" --at 2026-01-05T09:00:00Z
expect_err "out of range" 3 "outside the supported range" $S deadline --tz UTC --at 2150-01-05T09:00:00Z

expect_status "help deadline" 0 $S help deadline
expect_grep "help lists --batch" '--batch' "$TMP/out"
expect_status "deadline --help" 0 $S deadline --help
expect_status "--version" 0 $S --version
expect_grep "--version prints the version" '^slatrack [0-9]+\.[0-9]+' "$TMP/out"
expect_err "unknown command" 2 "unknown command 'frobnicate'" $S frobnicate
expect_err "unknown global option" 2 "unknown or incomplete option" $S --frob deadline
