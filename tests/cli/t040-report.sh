#!/bin/sh
# `slatrack report` (issue 5): the figures of a hand-built week around a
# weekend, a holiday and a DST change, worked out below; the same rows in
# text, CSV (parsed back), JSON (checked against the documented structure)
# and HTML (parsed as XML, charts present); --fail-on-breach; -o written
# atomically; --mail as one multipart/alternative message; usage errors.
. "$(dirname "$0")/../lib.sh"
CHECK="python3 $DATA/report/check.py"
DB=$TMP/r.db
NOW=2026-04-28T09:00:00Z		# Tue 2026-04-28 11:00 CEST
export TZ=UTC SLATRACK_USER=alice
S="$SLATRACK --db $DB --now $NOW"
R="$S report --week 2026-W17 --tz Europe/Berlin"

# ---- the fixture ------------------------------------------------------------
# Three partners, 24 h targets, Mon-Fri.  The week 2026-W17 in
# Europe/Berlin is [Mon 2026-04-20 00:00 CEST, Mon 2026-04-27 00:00 CEST).
#   acme  Europe/Berlin
#   hol   Europe/Berlin, holiday "Test Day" on Wed 2026-04-22
#   nile  Africa/Cairo: DST starts at midnight Fri 2026-04-24, a 23-hour day
$S partner add acme --name "Acme GmbH" --tz Europe/Berlin >/dev/null
$S partner add hol --name "Holiday AG" --tz Europe/Berlin \
	--calendar "$DATA/report/holidays.ics" >/dev/null 2>&1
$S partner add nile --name "Nile Co" --tz Africa/Cairo >/dev/null
t() { $S ticket add "$@" >/dev/null || echo "ticket add $* failed"; }
# A1 Fri 04-17 12:00: 12 h Fri + weekend skipped + 12 h Mon -> Mon 04-20 12:00.
#    Answered Mon 11:00: MET, 23 h of working time.
t --partner acme --severity high --summary A1 --key A1 --assignee bob --created 2026-04-17T12:00
$S ticket respond A1 --at 2026-04-20T11:00 >/dev/null
# A2 Mon 04-20 09:00 -> Tue 04-21 09:00.  Answered Tue 12:30: BREACHED by 3:30
#    (working = wall), 27:30 to respond.
t --partner acme --severity critical --summary A2 --key A2 --assignee bob --created 2026-04-20T09:00
$S ticket respond A2 --at 2026-04-21T12:30 >/dev/null
# A3 Thu 04-23 15:00: 9 h Thu + 15 h Fri -> Fri 04-24 15:00.  Never answered:
#    OPEN AND OVERDUE.  At now (Tue 11:00): working 9 h Fri + 24 h Mon + 11 h
#    Tue = 44:00; wall Fri 15:00 -> Tue 11:00 = 92:00.
t --partner acme --severity high --summary 'A3 <b>&amp; "quoted"' --key A3 --assignee carol \
	--created 2026-04-23T15:00
# A4 Fri 04-24 20:00: 4 h Fri + 20 h Mon -> Mon 04-27 20:00: after the week,
#    not due in it; open, so listed as open and overdue now (15:00 both ways).
t --partner acme --severity high --summary A4 --key A4 --created 2026-04-24T20:00
# A5 Wed 04-22 10:00 -> Thu 04-23 10:00; resolved Wed 18:00 without a
#    response: the resolution stops the clock, MET; no response time.
t --partner acme --severity high --summary A5 --key A5 --created 2026-04-22T10:00
$S ticket resolve A5 --at 2026-04-22T18:00 >/dev/null
# A6 low: not timed, created in the week: counts only.
t --partner acme --severity low --summary A6 --key A6 --created 2026-04-22T10:00
# H1 Tue 04-21 12:00: 12 h Tue + holiday Wed + 12 h Thu -> Thu 04-23 12:00.
#    Answered Thu 13:00: BREACHED by 1:00 (working = wall); 25:00 to respond.
t --partner hol --severity high --summary H1 --key H1 --created 2026-04-21T12:00
$S ticket respond H1 --at 2026-04-23T13:00 >/dev/null
# H2 Tue 04-21 00:00: all of Tuesday -> Wed 04-22 00:00 (the end of a working
#    period stays there).  Answered Thu 01:00: BREACHED; working overrun 1:00
#    (Wed is a holiday), wall 25:00; 25:00 to respond.
t --partner hol --severity high --summary H2 --key H2 --created 2026-04-21T00:00
$S ticket respond H2 --at 2026-04-23T01:00 >/dev/null
# N1 Thu 04-23 12:00 EET: 12 h Thu + 12 h of the 23-hour Friday (which starts
#    at 01:00 EEST) -> Fri 13:00 EEST.  Answered Fri 12:00: MET, 23:00.
t --partner nile --severity high --summary N1 --key N1 --created 2026-04-23T12:00
$S ticket respond N1 --at 2026-04-24T12:00 >/dev/null
# N2 Thu 04-23 20:00 EET: 4 h Thu + 20 h Fri -> Fri 21:00 EEST (18:00Z).
#    Answered Sat 10:00: BREACHED; working 3:00 (Fri 21-24), wall 13:00;
#    27:00 to respond (4 h + the whole 23-hour Friday).
t --partner nile --severity high --summary N2 --key N2 --created 2026-04-23T20:00
$S ticket respond N2 --at 2026-04-25T10:00 >/dev/null

# Due in the week: A1 A2 A3 A5 H1 H2 N1 N2 = 8; met A1 A5 N1 = 3; breached
# A2 H1 H2 N2 = 4; open and overdue A3 = 1; attainment 3 / (3 + 4 + 1) = 37.5%.
# Responses (working): 23:00 A1, 23:00 N1, 25:00 H1, 25:00 H2, 27:00 N2,
# 27:30 A2: median = the 3rd of 6 (nearest rank, ceil(0.5 * 6)) = 25:00;
# p90 = the 6th (ceil(0.9 * 6)) = 27:30.  Worst overrun: A3, 44:00 / 92:00.
# Breaches worst first (working, then wall): A3 44:00, A2 3:30, N2 3:00,
# H2 1:00 (wall 25:00), H1 1:00 (wall 1:00).

# ---- text ---------------------------------------------------------------------
run $R
cp "$TMP/out" "$TMP/week.txt"
if [ "$rc" -eq 0 ] &&
   grep -q '^  due in the period  *8 ' "$TMP/out" &&
   grep -q '^  met  *3 ' "$TMP/out" &&
   grep -q '^  breached  *4 ' "$TMP/out" &&
   grep -q '^  open and overdue  *1 ' "$TMP/out" &&
   grep -q '^  pending  *0 ' "$TMP/out" &&
   grep -q '^  attainment  *37.5% ' "$TMP/out" &&
   grep -q '^  first response, median  *25:00 .*6 responses' "$TMP/out" &&
   grep -q '^  first response, p90  *27:30' "$TMP/out" &&
   grep -q '^  worst overrun  *44:00  working (92:00 wall clock): A3 (acme)' "$TMP/out" &&
   grep -q '^  not timed  *1 ' "$TMP/out"
then ok "text: summary of the week (8 due, 3 met, 4 breached, 1 overdue, 37.5%)"
else not_ok "text: summary" "exit $rc" "$(sed -n '/SUMMARY/,/^$/p' "$TMP/out")" "$(cat "$TMP/err")"; fi

sed -n '/^BREACHES IN THE PERIOD/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1, $NF, $(NF-1) }' >"$TMP/got"
printf '%s\n' "A3 92:00 44:00" "A2 3:30 3:30" "N2 13:00 3:00" "H2 25:00 1:00" "H1 1:00 1:00" >"$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then ok "text: breaches worst first, overrun working and wall"
else not_ok "text: breach table" "$(cat "$TMP/got")"; fi

expect_grep "text: the breach table shows OPEN and partner-local times" \
	'^A3 +acme +high carol +2026-04-23 15:00 2026-04-24 15:00 OPEN ' "$TMP/week.txt"
expect_grep "text: Cairo times in Cairo (EEST after the DST change)" \
	'^N2 +nile +high - +2026-04-23 20:00 2026-04-24 21:00 2026-04-25 10:00 ' "$TMP/week.txt"
sed -n '/^OPEN AND OVERDUE NOW/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1, $(NF-1) }' >"$TMP/got"
printf '%s\n' "A3 44:00" "A4 15:00" >"$TMP/got2"
if cmp -s "$TMP/got" "$TMP/got2"; then ok "text: open and overdue now lists A4 too, though due after the week"
else not_ok "text: open and overdue now" "$(cat "$TMP/got")"; fi

sed -n '/^BY PARTNER/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1, $2, $3, $4, $5, $7 }' >"$TMP/got"
printf '%s\n' "acme 4 2 1 1 50.0%" "hol 2 0 2 0 0.0%" "nile 2 1 1 0 50.0%" >"$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then ok "text: per partner"
else not_ok "text: per partner" "$(cat "$TMP/got")"; fi
sed -n '/^BY ASSIGNEE/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1, $2, $3, $4, $5, $7, $NF }' >"$TMP/got"
printf '%s\n' "bob 2 1 1 0 50.0% 0" "carol 1 0 0 1 0.0% 0" "(unassigned) 5 2 3 0 40.0% 1" >"$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then ok "text: per assignee, unassigned last, untimed counted"
else not_ok "text: per assignee" "$(cat "$TMP/got")"; fi
sed -n '/^BY SEVERITY/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1, $2, $7 }' >"$TMP/got"
printf '%s\n' "critical 1 0.0%" "high 7 42.9%" "low 0 -" >"$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then ok "text: per severity (high: 3 / 7 = 42.9%)"
else not_ok "text: per severity" "$(cat "$TMP/got")"; fi
# Trend by deadline day in Berlin: Mon A1 met; Tue A2; Wed H2 (Wed 00:00
# belongs to Wednesday); Thu A5 met + H1; Fri A3, N1 met, N2 = 1 of 3.
sed -n '/^TREND/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1, $3, $8 }' >"$TMP/got"
printf '%s\n' "Mon 1 100.0%" "Tue 1 0.0%" "Wed 1 0.0%" "Thu 2 50.0%" "Fri 3 33.3%" "Sat 0 -" "Sun 0 -" >"$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then ok "text: trend per day"
else not_ok "text: trend" "$(cat "$TMP/got")"; fi
run $CHECK width "$TMP/week.txt" 100
if [ "$rc" -eq 0 ]; then ok "text: no line over 100 columns, no control character"
else not_ok "text: width" "$(cat "$TMP/out")"; fi

# ---- JSON -----------------------------------------------------------------------
run $R --format json --json-schema 1
cp "$TMP/out" "$TMP/week.json"
run $CHECK json "$TMP/week.json"
if [ "$rc" -eq 0 ]; then ok "json: parses and matches the documented structure"
else not_ok "json: structure" "$(cat "$TMP/out")"; fi
got=$($CHECK get "$TMP/week.json" "[d['summary'][k] for k in ('due','met','breached','open_overdue','pending','untimed','attainment_pct','first_response_median_s','first_response_p90_s','worst_overrun_s','worst_overrun_wall_s')]")
want="[8, 3, 4, 1, 0, 1, 37.5, 90000, 99000, 158400, 331200]"
if [ "$got" = "$want" ]; then ok "json: summary figures in seconds"
else not_ok "json: summary" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "[(t['key'], t['outcome'], t['overrun_working_s'], t['overrun_wall_s']) for t in d['breaches']]")
want="[('A3', 'open-overdue', 158400, 331200), ('A2', 'breached', 12600, 12600), ('N2', 'breached', 10800, 46800), ('H2', 'breached', 3600, 90000), ('H1', 'breached', 3600, 3600)]"
if [ "$got" = "$want" ]; then ok "json: breaches worst first"
else not_ok "json: breaches" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "[(t['key'], t['outcome'], t['response_working_s']) for t in d['tickets']]")
want="[('A1', 'met', 82800), ('A2', 'breached', 99000), ('A3', 'open-overdue', None), ('A5', 'met', None), ('H1', 'breached', 90000), ('H2', 'breached', 90000), ('N1', 'met', 82800), ('N2', 'breached', 97200)]"
if [ "$got" = "$want" ]; then ok "json: every ticket due, in id order, A4 left out"
else not_ok "json: tickets" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "(d['period'], d['trend']['unit'], len(d['trend']['buckets']), d['evidence'], [t['key'] for t in d['open_overdue_now']])")
want="({'kind': 'week', 'label': '2026-W17', 'zone': 'Europe/Berlin', 'from': '2026-04-19T22:00:00Z', 'to': '2026-04-26T22:00:00Z', 'from_local': '2026-04-20T00:00:00+02:00', 'to_local': '2026-04-27T00:00:00+02:00'}, 'day', 7, None, ['A3', 'A4'])"
if [ "$got" = "$want" ]; then ok "json: period, trend, no evidence for a week, open and overdue now"
else not_ok "json: period" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "[t['summary'] for t in d['breaches'] if t['key'] == 'A3'] + [t['deadline_local'] for t in d['tickets'] if t['key'] == 'N2']")
want="['A3 <b>&amp; \"quoted\"', '2026-04-24T21:00:00+03:00']"
if [ "$got" = "$want" ]; then ok "json: customer text as given; local times with their offset"
else not_ok "json: text" "want $want" "got  $got"; fi

# schema 2 (the default) is schema 1 without "tickets"; --json-schema goes
# with JSON only, and names a schema that exists
run $R --format json
cp "$TMP/out" "$TMP/week2.json"
run $CHECK json "$TMP/week2.json"
got=$(python3 -c '
import json, sys
one, two = (json.load(open(p)) for p in sys.argv[1:3])
print(two["schema_version"], "tickets" in two, len(one.pop("tickets")),
      {k: v for k, v in one.items() if k != "schema_version"} ==
      {k: v for k, v in two.items() if k != "schema_version"})' "$TMP/week.json" "$TMP/week2.json")
if [ "$rc" -eq 0 ] && [ "$got" = "2 False 8 True" ]; then
	ok "json: schema 2 by default, schema 1 without its 8 tickets, the rest equal"
else not_ok "json: schema 2" "$got" "$(cat "$TMP/out")"; fi
run $R --format text --json-schema 1
if [ "$rc" -eq 2 ] && grep -q -- "--json-schema goes with --format json" "$TMP/err"; then
	ok "--json-schema with another format: usage error, exit 2"
else not_ok "--json-schema text" "exit $rc: $(cat "$TMP/err")"; fi
run $R --format json --json-schema 3
if [ "$rc" -eq 2 ] && grep -q -- "--json-schema: unknown schema '3' (1 or 2)" "$TMP/err"; then
	ok "--json-schema 3: usage error that names the schemas"
else not_ok "--json-schema 3" "exit $rc: $(cat "$TMP/err")"; fi

# ---- CSV --------------------------------------------------------------------------
run $R --format csv
cp "$TMP/out" "$TMP/week.csv"
run $CHECK csv "$TMP/week.csv" "$TMP/week.json"
if [ "$rc" -eq 0 ]; then ok "csv: RFC 4180 (CRLF), parsed back, equal to the JSON tickets"
else not_ok "csv: parse back" "$(cat "$TMP/out")"; fi
got=$(python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(len(rows), sorted(r["key"] for r in rows if r["outcome"] == "breached"))' "$TMP/week.csv")
if [ "$got" = "8 ['A2', 'H1', 'H2', 'N2']" ]; then ok "csv: one row per ticket due in the week"
else not_ok "csv: rows" "$got"; fi

# ---- HTML ---------------------------------------------------------------------------
run $R --format html
cp "$TMP/out" "$TMP/week.html"
run $CHECK html "$TMP/week.html" 2
if [ "$rc" -eq 0 ]; then ok "html: well-formed, self-contained, two charts"
else not_ok "html: structure" "$(cat "$TMP/out")"; fi
if grep -q 'A3 &lt;b&gt;&amp;amp; &quot;quoted&quot;' "$TMP/week.html" && ! grep -q '<b>&amp;' "$TMP/week.html"
then ok "html: customer text escaped"
else not_ok "html: escaping" "$(grep -n 'A3' "$TMP/week.html" | head -3)"; fi
got=$(python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cls = lambda e: e.get("class", "").split()
chart = [e for e in root.iter() if "chart" in cls(e)]
bars = [e for e in chart[0].iter() if "bar" in cls(e) and e.get("title")]
line = [e for e in chart[0].iter() if "goal" in cls(e)]
print(len(bars), len(line), [e.text for e in chart[1].iter() if "lbl" in cls(e)])' "$TMP/week.html")
if [ "$got" = "7 1 ['acme', '2', 'hol', '2', 'nile', '1']" ]; then
	ok "html: attainment bars per day against a 100% line; breaches per partner"
else not_ok "html: charts" "$got"; fi

# ---- narrowing ------------------------------------------------------------------------
run $R --partner hol --format json
got=$($CHECK get "$TMP/out" "(d['scope']['partner'], d['summary']['due'], d['summary']['breached'], [t['key'] for t in d['open_overdue_now']])")
if [ "$got" = "('hol', 2, 2, [])" ]; then ok "--partner narrows everything, the overdue list too"
else not_ok "--partner" "$got"; fi
run $R --assignee bob --format json
got=$($CHECK get "$TMP/out" "(d['summary']['due'], d['summary']['attainment_pct'])")
if [ "$got" = "(2, 50.0)" ]; then ok "--assignee"; else not_ok "--assignee" "$got"; fi
run $R --unassigned --format json
got=$($CHECK get "$TMP/out" "(d['summary']['due'], d['summary']['untimed'], d['scope']['assignee'])")
if [ "$got" = "(5, 1, '')" ]; then ok "--unassigned"; else not_ok "--unassigned" "$got"; fi
run $R --severity critical --format json --json-schema 1
got=$($CHECK get "$TMP/out" "(d['summary']['due'], [t['key'] for t in d['tickets']])")
if [ "$got" = "(1, ['A2'])" ]; then ok "--severity"; else not_ok "--severity" "$got"; fi

# ---- --fail-on-breach ------------------------------------------------------------------
run $R --fail-on-breach
if [ "$rc" -eq 1 ] && grep -q '^SLA report 2026-W17' "$TMP/out" &&
   grep -q 'report: 5 breaches in the period 2026-W17' "$TMP/err"
then ok "--fail-on-breach: exit 1 with the report when the period holds a breach"
else not_ok "--fail-on-breach breach" "exit $rc" "$(cat "$TMP/err")"; fi
# a CSV alone skips the counting; with --fail-on-breach it still counts
run $R --format csv --fail-on-breach
if [ "$rc" -eq 1 ] && cmp -s "$TMP/out" "$TMP/week.csv" &&
   grep -q 'report: 5 breaches in the period 2026-W17' "$TMP/err"
then ok "--fail-on-breach --format csv: exit 1, the breaches counted, the same CSV"
else not_ok "--fail-on-breach csv" "exit $rc" "$(cat "$TMP/err")"; fi
# Mon 04-20 holds only A1, met
run $S report --since 2026-04-20 --until 2026-04-21 --tz Europe/Berlin --fail-on-breach
if [ "$rc" -eq 0 ] && [ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ]
then ok "--fail-on-breach: quiet success (exit 0, no output) without a breach"
else not_ok "--fail-on-breach quiet" "exit $rc" "$(head -3 "$TMP/out")" "$(cat "$TMP/err")"; fi

# ---- -o FILE ----------------------------------------------------------------------------
mkdir -p "$TMP/o"
run $R --format html -o "$TMP/o/week.html"
if [ "$rc" -eq 0 ] && [ ! -s "$TMP/out" ] && cmp -s "$TMP/o/week.html" "$TMP/week.html" &&
   [ "$(ls -A "$TMP/o")" = week.html ]
then ok "-o: the same bytes in the file, nothing on stdout, no temporary left"
else not_ok "-o" "exit $rc" "$(ls -A "$TMP/o")"; fi
echo "old report" >"$TMP/o/keep.txt"
run $R --partner nosuch -o "$TMP/o/keep.txt"
if [ "$rc" -eq 3 ] && [ "$(cat "$TMP/o/keep.txt")" = "old report" ] &&
   [ "$(ls -A "$TMP/o" | sort | tr '\n' ' ')" = "keep.txt week.html " ]
then ok "-o: a failed run leaves the old file untouched and no temporary"
else not_ok "-o failed run" "exit $rc" "$(ls -A "$TMP/o")" "$(cat "$TMP/err")"; fi
run $R -o "$TMP/nodir/week.txt"
if [ "$rc" -eq 4 ] && [ ! -e "$TMP/nodir" ] && grep -q "cannot create" "$TMP/err"
then ok "-o: an unwritable place is a file failure (exit 4)"
else not_ok "-o nodir" "exit $rc" "$(cat "$TMP/err")"; fi
chmod 0555 "$TMP/o"
if [ "$(id -u)" -ne 0 ]; then
	run $R -o "$TMP/o/new.txt"
	if [ "$rc" -eq 4 ] && [ ! -e "$TMP/o/new.txt" ]; then ok "-o: a read-only directory (exit 4)"
	else not_ok "-o read-only" "exit $rc"; fi
else ok "-o: a read-only directory (skipped as root)"; fi
chmod 0755 "$TMP/o"

# ---- --mail -------------------------------------------------------------------------------
mkdir -p "$TMP/mail"
ONE=1 python3 "$DATA/report/smtp-sink.py" "$TMP/port" "$TMP/mail" &
sink=$!
i=0	# up to 10 s: python starts slowly on a busy machine
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
printf '[smtp]\nurl = smtp://127.0.0.1:%s\ntls = none\nfrom = sla@example.com\n[report]\nmanagers = boss@example.com, deputy@example.com\n' \
	"$(cat "$TMP/port")" >"$TMP/conf"
run $SLATRACK --config "$TMP/conf" --db "$DB" --now $NOW report --week 2026-W17 --tz Europe/Berlin --mail
wait $sink
got=$(python3 - "$TMP/mail/1.eml" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
parts = [p.get_content_type() for p in m.iter_parts()]
text = m.get_body(("plain",)).get_content()
html = m.get_body(("html",)).get_content()
print(m.get_content_type(), parts, m["To"], "|", m["Subject"], "|",
      "attainment                37.5%" in text, "class=\"chart" in html)
PY
)
want="multipart/alternative ['text/plain', 'text/html'] boss@example.com, deputy@example.com | SLA report 2026-W17: 37.5% attainment, 5 breaches, 2 open and overdue now | True True"
if [ "$rc" -eq 0 ] && [ "$got" = "$want" ] && [ ! -s "$TMP/out" ]
then ok "--mail: one multipart/alternative mail (text, HTML) to report.managers"
else not_ok "--mail" "exit $rc" "want $want" "got  $got" "$(cat "$TMP/err")"; fi
run $S report --week 2026-W17 --tz Europe/Berlin --mail
if [ "$rc" -eq 2 ] && grep -q "no address given and no report.managers" "$TMP/err"
then ok "--mail: no address anywhere is a usage error"
else not_ok "--mail no address" "exit $rc" "$(cat "$TMP/err")"; fi
run $SLATRACK --config "$TMP/conf" --db "$DB" --now $NOW report --mail 'bad address'
if [ "$rc" -eq 3 ]; then ok "--mail: a bad address is bad input (exit 3)"
else not_ok "--mail bad address" "exit $rc" "$(cat "$TMP/err")"; fi

# ---- evidence: --year ------------------------------------------------------------------------
run $S report --year 2026 --tz Europe/Berlin --format html
cp "$TMP/out" "$TMP/year.html"
digest=$(sha256sum "$DATA/report/holidays.ics" | cut -d' ' -f1)
head=$($S audit verify | sed -n 's/.*head \([0-9a-f]*\).*/\1/p')
if [ "$rc" -eq 0 ] && $CHECK html "$TMP/year.html" 3 >/dev/null &&
   grep -q "holidays.ics" "$TMP/year.html" && grep -q "$digest" "$TMP/year.html" &&
   grep -q "earliest instant at which the working time" "$TMP/year.html" &&
   grep -q "Evidence: attainment per month" "$TMP/year.html" &&
   grep -q "skipped: holiday: Test Day, a holiday whose name is long enough to test how wide a line gets" "$TMP/year.html" &&
   grep -q "intact: [0-9]* events" "$TMP/year.html" && [ -n "$head" ] &&
   grep -q "$head" "$TMP/year.html"
then ok "evidence: calendars with digests, the rule, months, explanations, audit head"
else not_ok "evidence html" "exit $rc" "digest $digest head $head" "$($CHECK html "$TMP/year.html" 3)"; fi
run $S report --year 2026 --tz Europe/Berlin --format json
# the year also holds A4 (due Mon 04-27, open and overdue): April has 9
# due, 6 breaches; H1 is the last of them (1:00 working, 1:00 wall)
got=$($CHECK get "$TMP/out" "(len(d['evidence']['months']), [m['due'] for m in d['evidence']['months']][3], len(d['evidence']['explanations']), d['evidence']['explanations'][5]['key'], [s['kind'] for s in d['evidence']['explanations'][5]['steps']], d['evidence']['audit']['intact'])")
if $CHECK json "$TMP/out" >/dev/null && [ "$got" = "(12, 9, 6, 'H1', ['counted', 'holiday', 'counted'], True)" ]
then ok "evidence json: 12 months, April's 9, H1 explained around the holiday"
else not_ok "evidence json" "$got" "$($CHECK json "$TMP/out")"; fi
run $S report --year 2026 --tz Europe/Berlin
if grep -q "^EVERY BREACH EXPLAINED (6)" "$TMP/out" &&
   grep -q "skipped  holiday: Test Day, a holiday whose name … (holidays.ics:4)$" "$TMP/out" &&
   $CHECK width "$TMP/out" 100 >/dev/null
then ok "evidence text: every breach explained, within 100 columns"
else not_ok "evidence text" "$(grep -n 'EXPLAINED\|holiday' "$TMP/out" | head -5)"; fi
run $S report --week 2026-W17 --tz Europe/Berlin --evidence --format json
got=$($CHECK get "$TMP/out" "d['evidence'] is not None")
run $S report --year 2026 --tz Europe/Berlin --no-evidence --format json
got="$got $($CHECK get "$TMP/out" "d['evidence'] is None")"
if [ "$got" = "True True" ]; then ok "--evidence and --no-evidence"
else not_ok "--evidence" "$got"; fi

# an edited event in a copy of the database: the evidence says where the
# chain breaks (verified on a second connection while the report is built)
if on_pg; then	# a copy of the server database, its guard dropped by an administrator
	pg_copy "$DB" "$TMP/forged.db"
	sqlite3 "$TMP/forged.db" "DROP TRIGGER events_no_update ON events; UPDATE events SET new = 'forged' WHERE id = 5"
else
	cp "$DB" "$TMP/forged.db"
	sqlite3 "$TMP/forged.db" "DROP TRIGGER events_no_update; UPDATE events SET new = 'forged' WHERE id = 5"
fi
run $SLATRACK --db "$TMP/forged.db" --now $NOW report --year 2026 --tz Europe/Berlin
txt_rc=$rc
grep -q "^  result     BROKEN at event 5 (5 events read): its contents do not match its hash" "$TMP/out" &&
	txt=ok || txt="$(grep -A2 '^AUDIT TRAIL' "$TMP/out")"
run $SLATRACK --db "$TMP/forged.db" --now $NOW report --year 2026 --tz Europe/Berlin --format json
got=$($CHECK get "$TMP/out" "(d['evidence']['audit']['intact'], d['evidence']['audit']['bad_event'], d['evidence']['audit']['events'])")
if [ "$txt_rc" -eq 0 ] && [ "$txt" = ok ] && [ "$got" = "(False, 5, 5)" ]
then ok "evidence: an edited event is named as where the audit trail breaks"
else not_ok "evidence: forged trail" "exit $txt_rc" "$txt" "$got"; fi

# ---- usage and bad input ------------------------------------------------------------------------
expect_err "two periods are a usage error" 2 "give one period" $S report --today --week
expect_err "a bad month" 2 "bad month '2026-13'" $S report --month 2026-13
expect_err "a bad week" 2 "bad week" $S report --week 2026-W54
expect_err "--since without --until" 2 "go together" $S report --since 2026-04-20T00:00Z
expect_err "--until before --since" 2 "must come after" $S report --since 2026-04-21T00:00Z --until 2026-04-20T00:00Z
expect_err "an unknown format" 2 "unknown format 'pdf'" $S report --format pdf
expect_err "an unknown severity" 2 "unknown severity" $S report --severity urgent
expect_err "an unknown partner is bad input" 3 "unknown partner 'nosuch'" $S report --partner nosuch
expect_err "an unknown zone is bad input" 3 "unknown timezone" $S report --tz Mars/Base
expect_err "an unexpected argument" 2 "unexpected argument" $S report --yesterday extra
expect_out "help report" "$($SLATRACK help report)" $SLATRACK report --help

# ---- customer text never reaches a terminal or a page raw -----------------------------
DB2=$TMP/text.db
S2="$SLATRACK --db $DB2 --now $NOW"
$S2 partner add a-partner-with-a-long-key --name "Long" --tz UTC >/dev/null
$S2 ticket add --partner a-partner-with-a-long-key --severity high --key "KEY-WITH-A-VERY-LONG-NAME-1" \
	--assignee "someone-with-a-long-name" --created 2026-04-20T09:00Z \
	--summary "$(printf 'evil \033[31mred\033[0m\nsecond line \342\200\256 <script>x</script>')" >/dev/null
$S2 ticket respond KEY-WITH-A-VERY-LONG-NAME-1 --at 2026-04-21T10:00Z >/dev/null
# resolved late without any response: the resolution stops the clock (*)
$S2 ticket add --partner a-partner-with-a-long-key --severity high --key R1 \
	--created 2026-04-20T10:00Z --summary "closed without a word" >/dev/null
$S2 ticket resolve R1 --at 2026-04-22T10:00Z >/dev/null
run $S2 report --week 2026-W17 --tz UTC
cp "$TMP/out" "$TMP/t.txt"
if [ "$rc" -eq 0 ] && $CHECK width "$TMP/t.txt" 100 >/dev/null &&
   grep -q '^KEY-WITH-… a-partn… high someon… ' "$TMP/t.txt" &&
   grep -q '^R1 .* 2026-04-22 10:00\* ' "$TMP/t.txt"
then ok "text: long names cut with an ellipsis; a resolution without response marked *"
else not_ok "text: cells" "exit $rc" "$($CHECK width "$TMP/t.txt" 100)" "$(grep -A4 '^BREACHES' "$TMP/t.txt")"; fi
run $S2 report --week 2026-W17 --tz UTC --format html
cp "$TMP/out" "$TMP/t.html"
if $CHECK html "$TMP/t.html" 2 >/dev/null && ! grep -q "$(printf '\033')" "$TMP/t.html" &&
   grep -q 'evil ^\[\[31mred' "$TMP/t.html" && grep -q '&lt;script&gt;' "$TMP/t.html"
then ok "html: escape sequences made visible, markup escaped"
else not_ok "html: customer text" "$($CHECK html "$TMP/t.html" 2)"; fi
run $S2 report --week 2026-W17 --tz UTC --format json
got=$($CHECK get "$TMP/out" "[t['summary'] for t in d['breaches'] if t['key'] != 'R1'][0] == 'evil \x1b[31mred\x1b[0m\nsecond line \u202e <script>x</script>'")
if [ "$got" = True ] && grep -q '\\u001b\[31m' "$TMP/out"; then ok "json: customer text exact, controls escaped"
else not_ok "json: customer text" "$got"; fi
