#!/bin/sh
# `slatrack partner add|list|show|edit|archive|unarchive`: the settings
# round-trip, every change is an audit event with old and new values,
# and bad input gets a clear error, the right exit status and no write.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/p.db
S="$SLATRACK --db $DB --now 2026-01-05T10:00:00Z"

cat >"$TMP/de.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//slatrack//test//EN
BEGIN:VEVENT
UID:ny@test
DTSTART;VALUE=DATE:20260101
RRULE:FREQ=YEARLY
SUMMARY:Neujahr
END:VEVENT
BEGIN:VEVENT
UID:epiphany@test
DTSTART;VALUE=DATE:20260106
SUMMARY:Heilige Drei Könige
END:VEVENT
BEGIN:VEVENT
UID:valentine@test
DTSTART;VALUE=DATE:20260107
SUMMARY:Valentine (not really)
DESCRIPTION:Observance
END:VEVENT
ICS
printf 'BEGIN:VEVENT\nUID:evil@test\nDTSTART;VALUE=DATE:20260108\nSUMMARY:Evil \033[2Jday\nEND:VEVENT\nEND:VCALENDAR\n' >>"$TMP/de.ics"
printf 'BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=SOMETIMES\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n' >"$TMP/bad.ics"

# state: the partner list (all, csv) and the number of audit events
state() {
	$SLATRACK --db "$DB" partner list --all --format csv 2>&1
	if command -v sqlite3 >/dev/null 2>&1; then sqlite3 "$DB" 'SELECT count(*) FROM events'; fi
}
# expect_nothing_written NAME STATUS PATTERN CMD...: fails as told, state unchanged
expect_nothing_written() {
	before=$(state)
	expect_err "$@"
	after=$(state)
	if [ "$before" = "$after" ]; then ok "$1: nothing written"
	else not_ok "$1: nothing written" "before: $before" "after: $after"; fi
}
events() { sqlite3 "$DB" "SELECT kind || ' ' || coalesce(field, '-') || ' ' || coalesce(old, '(null)') || ' -> ' || coalesce(new, '(null)') FROM events ORDER BY id" 2>/dev/null; }

# ---- add ------------------------------------------------------------------
expect_out "add with a calendar, a filter and targets" \
	"added partner 'acme': Acme Corp, Europe/Berlin, mon-fri, whole days, 1 calendar" \
	$S partner add acme --name "Acme Corp" --tz Europe/Berlin --calendar "$TMP/de.ics" \
	--exclude description:Observance --target medium=72h --target low=none \
	--contact ops@acme.example
expect_out "add with a Sun-Thu week, hours, an untimed critical" \
	"added partner 'beta': Beta Ltd, Asia/Jerusalem, sun-thu, 09:00-12:00,13:00-17:00, 0 calendars" \
	$S partner add beta --name "Beta Ltd" --tz Asia/Jerusalem --workdays sun-thu \
	--hours 09:00-12:00,13:00-17:00 --target critical=none
expect_out "add: options after KEY or before it" \
	"added partner 'gamma.eu_1-x': Gamma, UTC, mon-fri, whole days, 0 calendars" \
	$S partner add --name Gamma --tz UTC gamma.eu_1-x

# ---- list -----------------------------------------------------------------
run $S partner list
expect_grep "list: header" '^KEY +NAME +ZONE +WEEK +HOURS +CALENDARS +TARGETS$' "$TMP/out"
expect_grep "list: acme row aligned" '^acme +Acme Corp +Europe/Berlin +mon-fri +whole days +1 +critical=24h high=24h medium=72h$' "$TMP/out"
expect_grep "list: beta row" '^beta +Beta Ltd +Asia/Jerusalem +sun-thu +09:00-12:00,13:00-17:00 +0 +high=24h$' "$TMP/out"
col() { awk -v w="$1" 'NR==1 { print index($0, w) } NR>1 { exit }' "$TMP/out"; }
if [ "$(col ZONE)" = "$(awk 'NR==2 { print index($0, "Europe/Berlin") }' "$TMP/out")" ]; then ok "list: columns line up"
else not_ok "list: columns line up" "$(cat "$TMP/out")"; fi

expect_out "list --format csv" "key,name,zone,workdays,hours,contact,calendars,target_critical,target_high,target_medium,target_low,created_at,archived_at,resolve_critical,resolve_high,resolve_medium,resolve_low,pause_response
acme,Acme Corp,Europe/Berlin,mon-fri,,ops@acme.example,$TMP/de.ics,24h,24h,72h,none,2026-01-05T10:00:00Z,,none,none,none,none,no
beta,Beta Ltd,Asia/Jerusalem,sun-thu,\"09:00-12:00,13:00-17:00\",,,none,24h,none,none,2026-01-05T10:00:00Z,,none,none,none,none,no
gamma.eu_1-x,Gamma,UTC,mon-fri,,,,24h,24h,none,none,2026-01-05T10:00:00Z,,none,none,none,none,no" \
	$S partner list --format csv

run $S partner list --format json
if python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert [p["key"] for p in v]==["acme","beta","gamma.eu_1-x"]; assert v[0]["target_s"]=={"critical":86400,"high":86400,"medium":259200,"low":None}; assert v[0]["calendars"][0]["horizon"]=="2026-01-08"; assert v[1]["target_s"]["critical"] is None' "$TMP/out"
then ok "list --format json parses, with targets in seconds"
else not_ok "list --format json" "$(cat "$TMP/out")"; fi
expect_err "list: bad format" 2 "unknown format 'xml'" $S partner list --format xml

# ---- show -----------------------------------------------------------------
run $S partner show acme
expect_grep "show: name" '^name +Acme Corp$' "$TMP/out"
expect_grep "show: zone" '^zone +Europe/Berlin$' "$TMP/out"
expect_grep "show: week" '^week +mon-fri$' "$TMP/out"
expect_grep "show: hours" '^hours +whole days' "$TMP/out"
expect_grep "show: contact" '^contact +ops@acme.example$' "$TMP/out"
expect_grep "show: targets" '^targets +critical 24h, high 24h, medium 72h, low none' "$TMP/out"
expect_grep "show: calendar source" "^  1\\. $TMP/de.ics  \\(file\\)$" "$TMP/out"
expect_grep "show: calendar filter" '^     exclude +description:Observance$' "$TMP/out"
expect_grep "show: short digest" '^     digest +[0-9a-f]{12}  \([0-9]+ bytes\)$' "$TMP/out"
expect_grep "show: horizon as a date" '^     horizon +2026-01-08$' "$TMP/out"
expect_grep "show: last refresh" '^     refreshed +2026-01-05T10:00:00Z$' "$TMP/out"
expect_grep "show: no last error" '^     last error +none$' "$TMP/out"
expect_grep "show: local time now, working" '^now +Mon 2026-01-05 11:00:00 CET: working time$' "$TMP/out"
expect_grep "show: holiday with its name and FILE:LINE" "^  Tue 2026-01-06  holiday Heilige Drei Könige \\($TMP/de.ics:10\\)$" "$TMP/out"
expect_grep "show: weekend" '^  Sat 2026-01-10  weekend$' "$TMP/out"
if ! grep -q 'Valentine' "$TMP/out"; then ok "show: the excluded observance is no holiday"
else not_ok "show: the excluded observance is no holiday" "$(cat "$TMP/out")"; fi
expect_grep "show: calendar text is sanitised" 'holiday Evil \^\[\[2Jday' "$TMP/out"
if ! grep -q "$(printf '\033')" "$TMP/out"; then ok "show: no raw ESC reaches the terminal"
else not_ok "show: no raw ESC reaches the terminal"; fi
n=$(sed -n '/^next non-working days$/,$p' "$TMP/out" | grep -c '^  ')
[ "$n" -eq 10 ] && ok "show: ten non-working days" || not_ok "show: ten non-working days" "got $n"

run $SLATRACK --db "$DB" --now 2026-01-10T12:00:00Z partner show beta
expect_grep "show: Saturday in Jerusalem is not working time" '^now +Sat 2026-01-10 14:00:00 IST: not working time$' "$TMP/out"
expect_grep "show: when work resumes" 'working time resumes Sun 2026-01-11 09:00:00 IST' "$TMP/out"
expect_grep "show: Fri/Sat weekend" '^  Fri 2026-01-16  weekend$' "$TMP/out"
expect_grep "show: no calendars" '^  none$' "$TMP/out"
expect_grep "show: untimed critical" '^targets +critical none \(tracked, not timed\), high 24h' "$TMP/out"
expect_status "show by #ID" 0 $S partner show '#1'
expect_grep "show by #ID finds acme" '^partner +acme \(#1\)$' "$TMP/out"

# ---- the audit trail of add -------------------------------------------------
if command -v sqlite3 >/dev/null 2>&1; then
	events >"$TMP/ev"
	expect_grep "add: one partner.add event with the new values" \
		'^partner.add - \(null\) -> \{"key":"acme","name":"Acme Corp","zone":"Europe/Berlin","workdays":"mon-fri","hours":"","contact":"ops@acme.example","targets":\{"critical":"24h","high":"24h","medium":"72h","low":"none"\},"calendars":\[\{"source":".*de.ics","filters":\["-description:Observance"\],"digest":"[0-9a-f]{64}"\}\]\}$' "$TMP/ev"
fi

# ---- bad input: clear errors, exit status per slatrack(1) EXIT STATUS, nothing written ---
expect_nothing_written "unknown zone" 3 "unknown timezone 'Mars/Base'" \
	$S partner add x --name X --tz Mars/Base
expect_nothing_written "malformed calendar names FILE:LINE" 3 "bad.ics:5: " \
	$S partner add x --name X --tz UTC --calendar "$TMP/bad.ics"
expect_nothing_written "second calendar bad, first good" 3 "bad.ics:5: " \
	$S partner add x --name X --tz UTC --calendar "$TMP/de.ics" --calendar "$TMP/bad.ics"
expect_nothing_written "missing calendar file" 3 "cannot open '.*nope.ics'" \
	$S partner add x --name X --tz UTC --calendar "$TMP/nope.ics"
expect_nothing_written "bad --target duration" 2 "--target: bad duration '24x'" \
	$S partner add x --name X --tz UTC --target critical=24x
expect_nothing_written "bad --target severity" 2 "--target: unknown severity 'urgent'" \
	$S partner add x --name X --tz UTC --target urgent=1h
expect_nothing_written "bad --target form" 2 "--target: bad value 'critical'" \
	$S partner add x --name X --tz UTC --target critical
expect_nothing_written "duplicate key" 3 "partner 'acme' already exists" \
	$S partner add acme --name Other --tz UTC
expect_nothing_written "bad key" 2 "bad partner key 'a/b'" \
	$S partner add a/b --name X --tz UTC
expect_nothing_written "key too long" 2 "bad partner key" \
	$S partner add a2345678901234567890123456789012345678901234567890123456789012345 --name X --tz UTC
expect_nothing_written "missing --name" 2 "--name NAME is required" $S partner add x --tz UTC
expect_nothing_written "missing --tz" 2 "--tz ZONE is required" $S partner add x --name X
expect_nothing_written "missing KEY" 2 "no partner KEY given" $S partner add --name X --tz UTC
expect_nothing_written "name with an escape sequence" 2 "--name: control characters" \
	$S partner add x --name "$(printf 'X\033[31m')" --tz UTC
expect_nothing_written "name not UTF-8" 2 "--name: not valid UTF-8" \
	$S partner add x --name "$(printf 'X\377')" --tz UTC
expect_nothing_written "bad contact" 2 "--contact: bad e-mail address 'nobody'" \
	$S partner add x --name X --tz UTC --contact nobody
expect_nothing_written "bad hours" 2 "--hours: bad working hours '9-17'" \
	$S partner add x --name X --tz UTC --hours 9-17
expect_nothing_written "bad workdays" 2 "--workdays: bad working days 'funday'" \
	$S partner add x --name X --tz UTC --workdays funday
expect_nothing_written "filter before any calendar" 2 "must follow the --calendar" \
	$S partner add x --name X --tz UTC --include Holiday
expect_nothing_written "plain http refused" 3 "plain http:// is refused" \
	$S partner add x --name X --tz UTC --calendar http://example.com/h.ics
expect_nothing_written "unsupported scheme" 3 "unsupported URL scheme 'file'" \
	$S partner add x --name X --tz UTC --calendar file:///etc/passwd
expect_nothing_written "add --clear-calendars" 2 "unknown or incomplete option '--clear-calendars'" \
	$S partner add x --name X --tz UTC --clear-calendars
expect_nothing_written "unknown subcommand" 2 "unknown partner command 'frob'" $S partner frob
expect_nothing_written "no subcommand" 2 "which partner command" $S partner
expect_nothing_written "show unknown partner" 3 "unknown partner 'nobody'" $S partner show nobody
expect_nothing_written "edit unknown partner" 3 "unknown partner 'nobody'" $S partner edit nobody --name X
expect_nothing_written "archive unknown partner" 3 "unknown partner 'nobody'" $S partner archive nobody
expect_nothing_written "edit with nothing to change" 2 "nothing to change" $S partner edit acme
expect_nothing_written "edit: unknown zone" 3 "unknown timezone 'Mars/Base'" \
	$S partner edit acme --tz Mars/Base
expect_nothing_written "edit: malformed calendar" 3 "bad.ics:5: " \
	$S partner edit acme --calendar "$TMP/bad.ics"
expect_nothing_written "edit: bad target" 2 "--target: bad duration" \
	$S partner edit acme --target high=soon
expect_nothing_written "show: extra argument" 2 "unexpected argument 'beta'" \
	$S partner show acme beta

# ---- edit -----------------------------------------------------------------
expect_out "edit: one change" "partner 'acme': 1 change recorded" \
	$S partner edit acme --name "Acme GmbH"
expect_out "edit: the same value again changes nothing" "partner 'acme': nothing changed" \
	$S partner edit acme --name "Acme GmbH"
run $S partner edit acme --tz Europe/Vienna --workdays mon-thu --hours 08:00-16:00 \
	--target high=8h --target low=90m --contact ''
[ "$rc" -eq 0 ] && ok "edit: several fields" || not_ok "edit: several fields" "exit $rc" "$(cat "$TMP/err")"
expect_grep "edit: six changes" "^partner 'acme': 6 changes recorded$" "$TMP/out"
expect_grep "edit: says recompute is needed" "run 'slatrack recompute --partner acme'" "$TMP/out"
run $S partner show acme
expect_grep "edit: new zone shown" '^zone +Europe/Vienna$' "$TMP/out"
expect_grep "edit: new week shown" '^week +mon-thu$' "$TMP/out"
expect_grep "edit: new hours shown" '^hours +08:00-16:00$' "$TMP/out"
expect_grep "edit: contact removed" '^contact +none$' "$TMP/out"
expect_grep "edit: targets" '^targets +critical 24h, high 8h, medium 72h, low 1h30m$' "$TMP/out"
expect_grep "edit: calendars kept" '^  1\. .*de.ics  \(file\)$' "$TMP/out"
expect_grep "edit: Friday is now a weekend day" '^  Fri 2026-01-09  weekend$' "$TMP/out"
if command -v sqlite3 >/dev/null 2>&1; then
	events >"$TMP/ev"
	for want in 'partner.edit name Acme Corp -> Acme GmbH' \
		'partner.edit zone Europe/Berlin -> Europe/Vienna' \
		'partner.edit workdays mon-fri -> mon-thu' \
		'partner.edit hours  -> 08:00-16:00' \
		'partner.edit contact ops@acme.example -> (null)' \
		'partner.edit target.high 24h -> 8h' \
		'partner.edit target.low none -> 1h30m'; do
		if grep -qxF "$want" "$TMP/ev"; then ok "event: $want"
		else not_ok "event: $want" "$(cat "$TMP/ev")"; fi
	done
fi
expect_out "edit: replace the calendar list" "partner 'acme': 1 change recorded
existing deadlines do not move by themselves: run 'slatrack recompute --partner acme' to update open tickets" \
	$S partner edit acme --calendar "$TMP/de.ics"
run $S partner show acme
expect_grep "edit: the filter went with the old list" '^  Wed 2026-01-07  holiday Valentine' "$TMP/out"
if command -v sqlite3 >/dev/null 2>&1; then
	events >"$TMP/ev"
	expect_grep "event: calendars old and new" '^partner.edit calendars \[\{"source":".*","filters":\["-description:Observance"\].*\] -> \[\{"source":".*","filters":\[\],' "$TMP/ev"
fi
run $S partner edit acme --clear-calendars
expect_grep "edit --clear-calendars" "^partner 'acme': 1 change recorded$" "$TMP/out"
run $S partner show acme
expect_grep "edit: no calendars left" '^  none$' "$TMP/out"

# ---- archive ------------------------------------------------------------------
expect_status "archive" 0 $S partner archive beta
expect_grep "archive: says what it means" "archived partner 'beta'" "$TMP/out"
run $S partner list
if grep -q '^beta ' "$TMP/out"; then not_ok "archived partner hidden from list" "$(cat "$TMP/out")"
else ok "archived partner hidden from list"; fi
run $S partner list --all
expect_grep "list --all shows it, archived" '^beta .* archived$' "$TMP/out"
expect_grep "list --all: active ones say so" '^acme .* active$' "$TMP/out"
expect_out "archive again is harmless" "partner 'beta' is already archived (since 2026-01-05T10:00:00Z)" \
	$S partner archive beta
run $S partner show beta
expect_grep "show: archived status" '^status +archived since 2026-01-05T10:00:00Z' "$TMP/out"
if command -v sqlite3 >/dev/null 2>&1; then
	events >"$TMP/ev"
	expect_grep "event: partner.archive" '^partner.archive archived_at \(null\) -> 2026-01-05T10:00:00Z$' "$TMP/ev"
	n=$(grep -c '^partner.archive' "$TMP/ev")
	[ "$n" -eq 1 ] && ok "archive twice records one event" || not_ok "archive twice records one event" "got $n"
fi
expect_out "unarchive" "partner 'beta' is active again" $S partner unarchive beta
run $S partner list
expect_grep "unarchived partner listed again" '^beta ' "$TMP/out"

# ---- help -------------------------------------------------------------------
expect_status "help partner" 0 $SLATRACK help partner
expect_grep "help mentions --target" '--target SEV=DUR' "$TMP/out"
expect_status "partner --help" 0 $SLATRACK partner --help

if command -v sqlite3 >/dev/null 2>&1; then
	if $SLATRACK --db "$DB" audit verify >/dev/null 2>&1 || ! $SLATRACK help audit >/dev/null 2>&1; then
		ok "the audit chain holds"
	else not_ok "the audit chain holds"; fi
fi
