#!/bin/sh
# `slatrack report` and the SLA model: excused breaches counted apart and
# left out of attainment, waiting tickets open (never breached), and the
# resolution target with its own figures, in text, CSV and JSON, on a
# database built with the binary (partner --target-resolve and
# --pause-response, ticket wait/resume/excuse); a report that uses none of
# it keeps the columns it always had.
. "$(dirname "$0")/../lib.sh"
CHECK="python3 $DATA/report/check.py"
DB=$TMP/m.db
NOW=2026-01-20T12:00:00Z
export TZ=UTC SLATRACK_USER=alice
S="$SLATRACK --db $DB --now $NOW"
R="$S report --week 2026-W02 --tz UTC"

# ---- the fixture ------------------------------------------------------------
# acme: UTC, Mon-Fri whole days, high: respond in 24 h, resolve in 48 h; a
# wait stops the response clock too.  plain: UTC, no resolution target.
# The week 2026-W02 is [Mon 01-05, Mon 01-12); now is Tue 01-20 12:00.
$S partner add acme --name "Acme" --tz UTC --target-resolve high=48h \
	--pause-response yes >/dev/null || echo "partner add acme failed"
$S partner add plain --name "Plain" --tz UTC >/dev/null || echo "partner add plain failed"
t() { $S ticket add "$@" >/dev/null || echo "ticket add $* failed"; }
do_() { $S ticket "$@" >/dev/null || echo "ticket $* failed"; }
# A1 Tue 01-06 00:00: respond by Wed 00:00, resolve by Thu 00:00.  Answered
#    Tue 01:00, resolved Wed 12:00: met, resolution met.
t --partner acme --severity high --summary A1 --key A1 --created 2026-01-06T00:00
do_ respond A1 --at 2026-01-06T01:00
do_ resolve A1 --at 2026-01-07T12:00
# A2 as A1, answered Tue 02:00, resolved Thu 06:00: met, resolution BREACHED.
t --partner acme --severity high --summary A2 --key A2 --created 2026-01-06T00:00
do_ respond A2 --at 2026-01-06T02:00
do_ resolve A2 --at 2026-01-08T06:00
# A3 Wed 01-07 00:00: respond by Thu 00:00, resolve by Fri 00:00.  Answered
#    Thu 02:00: BREACHED; resolved Thu 12:00: resolution met.
t --partner acme --severity high --summary A3 --key A3 --created 2026-01-07T00:00
do_ respond A3 --at 2026-01-08T02:00
do_ resolve A3 --at 2026-01-08T12:00
# A4 as A3, answered Thu 03:00, never resolved, and excused (with a control
#    character in the reason): EXCUSED on both clocks.
t --partner acme --severity high --summary A4 --key A4 --created 2026-01-07T00:00
do_ respond A4 --at 2026-01-08T03:00
do_ excuse A4 --reason "$(printf 'outage at the customer\033[31m')" --ref INC-7
# A5 Thu 01-08 00:00: respond by Fri 00:00.  Waiting on the customer since
#    Thu 10:00, before any response: both clocks stand still, so it is
#    pending and waiting, never breached, though now is long after.
t --partner acme --severity high --summary A5 --key A5 --created 2026-01-08T00:00
do_ wait A5 --at 2026-01-08T10:00
# A6 Thu 01-08 00:00, waited Thu 06:00-10:00: its deadlines move by those
#    4 h, to Fri 04:00 (respond) and Mon 01-12 04:00 (resolve).  Answered Fri
#    02:00: met thanks to the wait; resolved Fri 12:00: resolution met.
t --partner acme --severity high --summary A6 --key A6 --created 2026-01-08T00:00
do_ wait A6 --at 2026-01-08T06:00
do_ resume A6 --at 2026-01-08T10:00
do_ respond A6 --at 2026-01-09T02:00
do_ resolve A6 --at 2026-01-09T12:00
# P1 plain Tue 01-06 00:00, answered Tue 05:00: met; no resolution target.
t --partner plain --severity high --summary P1 --key P1 --created 2026-01-06T00:00
do_ respond P1 --at 2026-01-06T05:00

# Due in the week: A1..A6, P1 = 7; met A1 A2 A6 P1 = 4; breached A3 = 1;
# excused A4 = 1; pending A5 = 1 (waiting 1): attainment 4 / (4 + 1) = 80.0%.
# Resolution (acme's six): met A1 A3 A6 = 3, breached A2 = 1, excused A4 = 1,
# pending A5 = 1 (waiting): 3 / (3 + 1) = 75.0%.

if on_pg; then	# no strftime() there
	iso() { echo "to_char(to_timestamp($1) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"; }
else
	iso() { echo "strftime('%Y-%m-%dT%H:%M:%SZ', $1, 'unixepoch')"; }
fi
sqlite3 "$DB" "SELECT 'deadline ' || $(iso deadline_at), 'resolve ' || $(iso resolve_deadline_at) FROM tickets WHERE key = 'A6'" >"$TMP/a6" 2>"$TMP/a6.err"
expect_out "the wait moved A6's deadlines by 4 h" \
	"$(printf '%s\n' 'deadline 2026-01-09T04:00:00Z' 'resolve 2026-01-12T04:00:00Z')" \
	sh -c "cat '$TMP/a6.err' >&2; tr '|' '\n' <'$TMP/a6'"

# ---- text ---------------------------------------------------------------------
run $R
cp "$TMP/out" "$TMP/week.txt"
[ -n "${T044_SHOW:-}" ] && cat "$TMP/week.txt" >&2
if [ "$rc" -eq 0 ] &&
   grep -q '^  due in the period  *7 ' "$TMP/out" &&
   grep -q '^  met  *4 ' "$TMP/out" &&
   grep -q '^  breached  *1 ' "$TMP/out" &&
   grep -q '^  open and overdue  *0 ' "$TMP/out" &&
   grep -q '^  pending  *1 ' "$TMP/out" &&
   grep -q '^    of which waiting  *1 ' "$TMP/out" &&
   grep -q '^  excused  *1 ' "$TMP/out" &&
   grep -q '^  attainment  *80.0% ' "$TMP/out"
then ok "text: 7 due, 4 met, 1 breached, 1 excused, 1 waiting: 80.0%"
else not_ok "text: summary" "exit $rc" "$(sed -n '/SUMMARY/,/^$/p' "$TMP/out")" "$(cat "$TMP/err")"; fi

sed -n '/^RESOLUTION:/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1, $2, $3, $4, $5, $6, $7, $8, $9 }' >"$TMP/got"
printf '%s\n' "acme 6 3 1 0 1 1 1 75.0%" "(all) 6 3 1 0 1 1 1 75.0%" >"$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then ok "text: resolution per partner and overall (3 / 4 = 75.0%)"
else not_ok "text: resolution" "$(cat "$TMP/got")"; fi
sed -n '/^RESOLUTION BREACHES/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1, $NF }' >"$TMP/got"
if [ "$(cat "$TMP/got")" = "A2 BREACHED" ]; then ok "text: the resolution breach listed with its state"
else not_ok "text: resolution breaches" "$(cat "$TMP/got")"; fi
sed -n '/^BREACHES IN THE PERIOD/,/^$/p' "$TMP/week.txt" | awk 'NR > 2 && NF { print $1 }' >"$TMP/got"
if [ "$(cat "$TMP/got")" = "A3" ]; then ok "text: the excused breach is not among the breaches"
else not_ok "text: breaches" "$(cat "$TMP/got")"; fi
sed -n '/^EXCUSED BREACHES IN THE PERIOD/,/^$/p' "$TMP/week.txt" >"$TMP/got"
if grep -q '^A4  *acme  *high both  *2026-01-08 00:00 2026-01-08 03:00  *INC-7$' "$TMP/got" &&
   grep -q '^  *reason: outage at the customer' "$TMP/got"
then ok "text: the excused breach with its clocks, reason and reference"
else not_ok "text: excused list" "$(cat "$TMP/got")"; fi
if ! grep -q "$(printf '\033')" "$TMP/week.txt"; then ok "text: the reason's escape character is not printed raw"
else not_ok "text: raw escape in the reason"; fi
sed -n '/^OPEN AND OVERDUE NOW/,/^$/p' "$TMP/week.txt" >"$TMP/got"
if grep -q '^  none$' "$TMP/got"; then ok "text: the waiting A5 is not open and overdue"
else not_ok "text: open and overdue now" "$(cat "$TMP/got")"; fi
run $CHECK width "$TMP/week.txt" 100
if [ "$rc" -eq 0 ]; then ok "text: no line over 100 columns, no control character"
else not_ok "text: width" "$(cat "$TMP/out")"; fi

# ---- JSON -----------------------------------------------------------------------
run $R --format json --json-schema 1
cp "$TMP/out" "$TMP/week.json"
run $CHECK json "$TMP/week.json"
if [ "$rc" -eq 0 ]; then ok "json: the extended report passes the documented shape"
else not_ok "json: extended shape" "$(cat "$TMP/out")"; fi
got=$($CHECK get "$TMP/week.json" "[d['summary'][k] for k in ('due','met','breached','open_overdue','pending','waiting','excused','attainment_pct')]")
want="[7, 4, 1, 0, 1, 1, 1, 80.0]"
if [ "$got" = "$want" ]; then ok "json: summary with waiting and excused"
else not_ok "json: summary" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "d['summary']['resolution']")
want="{'timed': 6, 'met': 3, 'breached': 1, 'open_overdue': 0, 'pending': 1, 'waiting': 1, 'excused': 1, 'attainment_pct': 75.0}"
if [ "$got" = "$want" ]; then ok "json: resolution figures"
else not_ok "json: resolution" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "[(p['partner'], p['resolution']['timed'], p['resolution']['attainment_pct']) for p in d['by_partner']]")
want="[('acme', 6, 75.0), ('plain', 0, None)]"
if [ "$got" = "$want" ]; then ok "json: resolution per partner"
else not_ok "json: by partner" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "[(t['key'], t['outcome'], t['resolution_outcome'], t['waiting']) for t in d['tickets']]")
want="[('A1', 'met', 'met', False), ('A2', 'met', 'breached', False), ('A3', 'breached', 'met', False), ('A4', 'excused', 'excused', False), ('A5', 'pending', 'pending', True), ('A6', 'met', 'met', False), ('P1', 'met', None, False)]"
if [ "$got" = "$want" ]; then ok "json: each ticket's response and resolution outcome"
else not_ok "json: tickets" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "[(t['key'], t['excuse_reason'], t['excuse_ref']) for t in d['excused']] + [t['key'] for t in d['resolution_breaches']] + [t['key'] for t in d['breaches']]")
want="[('A4', 'outage at the customer\\x1b[31m', 'INC-7'), 'A2', 'A3']"
if [ "$got" = "$want" ]; then ok "json: excused, resolution breaches and breaches listed apart"
else not_ok "json: lists" "want $want" "got  $got"; fi
got=$($CHECK get "$TMP/week.json" "[(t['key'], t['resolve_deadline'], t['resolve_target_s']) for t in d['tickets'] if t['key'] in ('A6', 'P1')]")
want="[('A6', '2026-01-12T04:00:00Z', 172800), ('P1', None, None)]"
if [ "$got" = "$want" ]; then ok "json: resolution deadline and target"
else not_ok "json: resolve deadline" "want $want" "got  $got"; fi

# ---- CSV ------------------------------------------------------------------------------
run $R --format csv
cp "$TMP/out" "$TMP/week.csv"
got=$(python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(len(rows), [(r["key"], r["outcome"], r["resolution_outcome"], r["waiting"], r["excuse_ref"]) for r in rows if r["key"] in ("A2", "A4", "A5", "P1")])
print(rows[3]["excuse_reason"].startswith("outage at the customer"), "\x1b" in open(sys.argv[1]).read())' "$TMP/week.csv")
want="7 [('A2', 'met', 'breached', '0', ''), ('A4', 'excused', 'excused', '0', 'INC-7'), ('A5', 'pending', 'pending', '1', ''), ('P1', 'met', '', '0', '')]
True False"
if [ "$got" = "$want" ]; then ok "csv: the new columns, the reason made visible"
else not_ok "csv: rows" "want $want" "got  $got"; fi

# ---- HTML -------------------------------------------------------------------------------
run $R --format html
cp "$TMP/out" "$TMP/week.html"
run $CHECK html "$TMP/week.html" 2
if [ "$rc" -eq 0 ]; then ok "html: well-formed with the new sections"
else not_ok "html: structure" "$(cat "$TMP/out")"; fi

# ---- evidence ------------------------------------------------------------------------------
run $R --evidence
cp "$TMP/out" "$TMP/evidence.txt"
if [ "$rc" -eq 0 ] && grep -q '^EVERY EXCUSED BREACH (1), left out of attainment$' "$TMP/out" &&
   grep -q 'resolution targets high 48h' "$TMP/out"
then ok "evidence: every excused breach, and the partner's resolution targets"
else not_ok "evidence: text" "exit $rc" "$(grep -n 'EXCUSED\|resolution targets' "$TMP/out")" "$(cat "$TMP/err")"; fi
run $R --evidence --format json
cp "$TMP/out" "$TMP/evidence.json"
run $CHECK json "$TMP/evidence.json"
if [ "$rc" -eq 0 ]; then ok "evidence json: the extended report passes the documented shape"
else not_ok "evidence json: extended shape" "$(cat "$TMP/out")"; fi
cp "$TMP/evidence.json" "$TMP/out"
got=$($CHECK get "$TMP/out" "[(p['key'], p['resolve_targets_s']['high']) for p in d['evidence']['partners']]")
if [ "$got" = "[('acme', 172800), ('plain', None)]" ]; then ok "evidence: JSON resolution targets per partner"
else not_ok "evidence: json" "$got"; fi
run $R --evidence --format html
cp "$TMP/out" "$TMP/evidence.html"; [ -n "${T044_KEEP:-}" ] && cp "$TMP/evidence.html" "$T044_KEEP"
run $CHECK html "$TMP/evidence.html" 2
if [ "$rc" -eq 0 ] && grep -q 'Evidence: every excused breach (1)' "$TMP/evidence.html"
then ok "evidence: HTML well-formed, the excused breach listed"
else not_ok "evidence: html" "$(cat "$TMP/out")"; fi

# ---- what the figures mean for --fail-on-breach and a plain report ----------------------
expect_status "--fail-on-breach: A3 is a breach" 1 $R --fail-on-breach
run $S report --week 2026-W02 --tz UTC --partner plain --format csv
if [ "$(head -n 1 "$TMP/out")" = "$(printf 'id,key,partner,severity,assignee,outcome,created,deadline,first_response,resolved,created_local,deadline_local,first_response_local,partner_zone,target_s,response_working_s,overrun_working_s,overrun_wall_s\r')" ]
then ok "csv: a report without any of it keeps its columns"
else not_ok "csv: plain header" "$(head -n 1 "$TMP/out")"; fi
run $S report --week 2026-W02 --tz UTC --partner plain --format json
cp "$TMP/out" "$TMP/plain.json"
run $CHECK json "$TMP/plain.json"
if [ "$rc" -eq 0 ]; then ok "json: a report without any of it is the documented version-1 document"
else not_ok "json: plain" "$(cat "$TMP/out")"; fi
# after unexcuse, A4 is a breach again on both clocks: 4 / 6 and 3 / 5
do_ unexcuse A4
run $R --format json
got=$($CHECK get "$TMP/out" "(d['summary']['breached'], d['summary']['excused'], d['summary']['attainment_pct'], d['summary']['resolution']['open_overdue'], d['summary']['resolution']['attainment_pct'])")
if [ "$got" = "(2, 0, 66.67, 1, 60.0)" ]; then ok "unexcuse: back into attainment on both clocks"
else not_ok "unexcuse" "$got"; fi
