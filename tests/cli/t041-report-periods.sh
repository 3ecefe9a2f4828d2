#!/bin/sh
# `slatrack report` periods (issue 5 item 1): boundaries are local midnights
# in the report zone, east and west of UTC (a ticket due at 23:30 local
# lands on its local day, not on the UTC one); DST days of 23 and 25 hours;
# --today with pending tickets; --week/--month/--year without an argument;
# the zone from --tz, else report.zone, else the viewer's zone.
. "$(dirname "$0")/../lib.sh"
CHECK="python3 $DATA/report/check.py"
DB=$TMP/p.db
export TZ=UTC SLATRACK_USER=alice
S="$SLATRACK --db $DB --now 2026-06-12T12:00:00Z"

# Two partners, Mon-Fri, 24 h: one far east of UTC, one west.
$S partner add kiwi --name "Kiwi Ltd" --tz Pacific/Auckland >/dev/null	# NZST +12:00
$S partner add surf --name "Surf Inc" --tz America/Los_Angeles >/dev/null	# PDT -07:00
t() { $S ticket add "$@" >/dev/null || echo "ticket add $* failed"; }
# created Tue 2026-06-09 23:30 local -> due Wed 2026-06-10 23:30 local
#   K2330: 2026-06-10T11:30Z (the same UTC date)
#   S2330: 2026-06-11T06:30Z (the next UTC date)
t --partner kiwi --severity high --summary K2330 --key K2330 --created 2026-06-09T23:30
t --partner surf --severity high --summary S2330 --key S2330 --created 2026-06-09T23:30
# created Wed 2026-06-10 00:30 local -> due Thu 2026-06-11 00:30 local
#   K0030: 2026-06-10T12:30Z (the previous UTC date)
#   S0030: 2026-06-11T07:30Z
t --partner kiwi --severity high --summary K0030 --key K0030 --created 2026-06-10T00:30
t --partner surf --severity high --summary S0030 --key S0030 --created 2026-06-10T00:30
# K0800: created Tue 08:00 NZST, due Wed 2026-06-10 08:00 NZST, answered 07:00: met
t --partner kiwi --severity high --summary K0800 --key K0800 --created 2026-06-09T08:00
$S ticket respond K0800 --at 2026-06-10T07:00 >/dev/null

# keys of the tickets due in a report (JSON)
keys() {
	run "$@" --format json --json-schema 1
	[ "$rc" -eq 0 ] || { echo "exit $rc: $(cat "$TMP/err")"; return; }
	$CHECK get "$TMP/out" "sorted(t['key'] for t in d['tickets'])"
}
check() {
	name=$1 want=$2; shift 2
	got=$(keys "$@")
	if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name" "want $want" "got  $got"; fi
}

# East: Wed 2026-06-10 in Auckland is [2026-06-09T12:00Z, 2026-06-10T12:00Z).
check "east: --yesterday in Pacific/Auckland holds the 23:30 ticket, not the next 00:30" \
	"['K0800', 'K2330']" \
	$SLATRACK --db "$DB" --now 2026-06-11T09:00:00+12:00 report --tz Pacific/Auckland
check "east: Thu in Auckland holds the 00:30 ticket (UTC says Wednesday)" \
	"['K0030']" \
	$SLATRACK --db "$DB" --now 2026-06-12T09:00:00+12:00 report --tz Pacific/Auckland --partner kiwi
# West: Wed 2026-06-10 in Los Angeles is [2026-06-10T07:00Z, 2026-06-11T07:00Z).
check "west: --yesterday in America/Los_Angeles holds the 23:30 ticket (UTC says Thursday)" \
	"['K0030', 'K2330', 'S2330']" \
	$SLATRACK --db "$DB" --now 2026-06-11T09:00:00-07:00 report --tz America/Los_Angeles
# (K0800, due 2026-06-09T20:00Z, is Tuesday in UTC)
check "west: the same day in UTC leaves S2330 for Thursday" \
	"['K0030', 'K2330']" \
	$SLATRACK --db "$DB" --now 2026-06-11T09:00:00Z report --tz UTC
check "west: Thu in Los Angeles holds S0030 at 00:30" \
	"['S0030']" \
	$SLATRACK --db "$DB" --now 2026-06-12T09:00:00-07:00 report --tz America/Los_Angeles --partner surf
run $SLATRACK --db "$DB" --now 2026-06-15T09:00:00-07:00 report --tz America/Los_Angeles --week --format json
got=$($CHECK get "$TMP/out" "[(b['label'], b['due']) for b in d['trend']['buckets']][:5]")
# K0800 (Tue 13:00 PDT), then K2330 04:30, K0030 05:30 and S2330 23:30 on Wed
want="[('Mon 2026-06-08', 0), ('Tue 2026-06-09', 1), ('Wed 2026-06-10', 3), ('Thu 2026-06-11', 1), ('Fri 2026-06-12', 0)]"
if [ "$got" = "$want" ]; then ok "west: the week's trend puts S2330 on Wednesday, local days"
else not_ok "west trend" "want $want" "got  $got"; fi

# --today: at Wed 2026-06-10 12:00 NZST, K0800 is met and K2330 is pending.
run $SLATRACK --db "$DB" --now 2026-06-10T12:00:00+12:00 report --tz Pacific/Auckland --today --format json
got=$($CHECK get "$TMP/out" "(d['period']['label'], [d['summary'][k] for k in ('due', 'met', 'pending', 'attainment_pct')])")
if [ "$got" = "('2026-06-10', [2, 1, 1, 100.0])" ]; then
	ok "--today: a ticket not yet due is pending and left out of attainment (1 / 1)"
else not_ok "--today" "$got"; fi
run $SLATRACK --db "$DB" --now 2026-06-10T12:00:00+12:00 report --tz Pacific/Auckland --today --partner kiwi --severity high --assignee nobody --format json
got=$($CHECK get "$TMP/out" "(d['summary']['due'], d['summary']['attainment_pct'])")
if [ "$got" = "(0, None)" ]; then ok "nothing due: attainment is null, not 0 or 100"
else not_ok "empty attainment" "$got"; fi

# ---- DST: the period is local midnight to local midnight ------------------
period() {
	run "$@" --format json
	$CHECK get "$TMP/out" "(d['period']['label'], d['period']['from'], d['period']['to'])"
}
got=$(period $SLATRACK --db "$DB" --now 2026-03-30T06:00:00+02:00 report --tz Europe/Berlin)
want="('2026-03-29', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z')"
if [ "$got" = "$want" ]; then ok "DST: Sun 2026-03-29 in Berlin is 23 hours long"
else not_ok "DST spring" "want $want" "got  $got"; fi
got=$(period $SLATRACK --db "$DB" --now 2026-10-26T06:00:00+01:00 report --tz Europe/Berlin)
want="('2026-10-25', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z')"
if [ "$got" = "$want" ]; then ok "DST: Sun 2026-10-25 in Berlin is 25 hours long"
else not_ok "DST autumn" "want $want" "got  $got"; fi
# Cairo skips local midnight on Fri 2026-04-24: the day starts at 01:00 EEST
got=$(period $SLATRACK --db "$DB" --now 2026-04-25T06:00:00+03:00 report --tz Africa/Cairo)
want="('2026-04-24', '2026-04-23T22:00:00Z', '2026-04-24T21:00:00Z')"
if [ "$got" = "$want" ]; then ok "DST: a day without midnight starts when the clock jumps"
else not_ok "DST Cairo" "want $want" "got  $got"; fi

# ---- periods without an argument contain yesterday ---------------------------
got=$(period $SLATRACK --db "$DB" --now 2026-07-01T01:00:00+12:00 report --tz Pacific/Auckland --month)
want="('2026-06', '2026-05-31T12:00:00Z', '2026-06-30T12:00:00Z')"
if [ "$got" = "$want" ]; then ok "--month just after midnight on the 1st: the month that ended"
else not_ok "--month default" "want $want" "got  $got"; fi
got=$(period $SLATRACK --db "$DB" --now 2026-06-12T10:00:00-07:00 report --tz America/Los_Angeles --month 2026-02)
want="('2026-02', '2026-02-01T08:00:00Z', '2026-03-01T08:00:00Z')"
if [ "$got" = "$want" ]; then ok "--month YYYY-MM"; else not_ok "--month arg" "want $want" "got  $got"; fi
got=$(period $SLATRACK --db "$DB" --now 2027-01-01T02:00:00-08:00 report --tz America/Los_Angeles --year)
want="('2026', '2026-01-01T08:00:00Z', '2027-01-01T08:00:00Z')"
if [ "$got" = "$want" ]; then ok "--year on New Year's night: the year that ended"
else not_ok "--year default" "want $want" "got  $got"; fi
got=$(period $SLATRACK --db "$DB" --now 2026-06-15T06:00:00+12:00 report --tz Pacific/Auckland --week)
want="('2026-W24', '2026-06-07T12:00:00Z', '2026-06-14T12:00:00Z')"
if [ "$got" = "$want" ]; then ok "--week on a Monday morning: last week, Monday to Monday"
else not_ok "--week default" "want $want" "got  $got"; fi
got=$(period $SLATRACK --db "$DB" --now 2026-06-15T06:00:00Z report --tz UTC --week 2026-W01)
want="('2026-W01', '2025-12-29T00:00:00Z', '2026-01-05T00:00:00Z')"
if [ "$got" = "$want" ]; then ok "--week 2026-W01 starts in 2025 (ISO 8601)"
else not_ok "--week arg" "want $want" "got  $got"; fi
got=$(period $SLATRACK --db "$DB" --now 2026-06-15T06:00:00Z report --tz Pacific/Auckland --since 2026-06-10 --until 2026-06-10T12:00)
want="('2026-06-09T12:00:00Z/2026-06-10T00:00:00Z', '2026-06-09T12:00:00Z', '2026-06-10T00:00:00Z')"
if [ "$got" = "$want" ]; then ok "--since/--until: local instants read in the report zone"
else not_ok "--since/--until" "want $want" "got  $got"; fi
run $SLATRACK --db "$DB" --now 2026-06-15T06:00:00Z report --since 2026-01-01T00:00Z --until 2026-12-01T00:00Z --format json
got=$($CHECK get "$TMP/out" "(d['trend']['unit'], len(d['trend']['buckets']))")
if [ "$got" = "('month', 11)" ]; then ok "a long period (over 190 days) trends per month"
else not_ok "trend unit month" "$got"; fi
run $SLATRACK --db "$DB" --now 2026-06-15T06:00:00Z report --since 2026-04-01T00:00Z --until 2026-06-01T00:00Z --format json
got=$($CHECK get "$TMP/out" "(d['trend']['unit'], d['trend']['buckets'][0]['label'], len(d['trend']['buckets']))")
if [ "$got" = "('week', '2026-W14', 9)" ]; then ok "two months (up to 190 days) trend per week"
else not_ok "trend unit week" "$got"; fi

# ---- which zone ------------------------------------------------------------------
printf '[report]\nzone = Pacific/Auckland\n[me]\nzone = Europe/Dublin\n' >"$TMP/conf"
got=$(period $SLATRACK --config "$TMP/conf" --db "$DB" --now 2026-06-11T09:00:00+12:00 report)
want="('2026-06-10', '2026-06-09T12:00:00Z', '2026-06-10T12:00:00Z')"
if [ "$got" = "$want" ]; then ok "zone: report.zone from the configuration"
else not_ok "report.zone" "want $want" "got  $got"; fi
printf '[me]\nzone = America/Los_Angeles\n' >"$TMP/conf2"
got=$(period $SLATRACK --config "$TMP/conf2" --db "$DB" --now 2026-06-11T09:00:00-07:00 report)
want="('2026-06-10', '2026-06-10T07:00:00Z', '2026-06-11T07:00:00Z')"
if [ "$got" = "$want" ]; then ok "zone: else the viewer's zone"
else not_ok "viewer zone" "want $want" "got  $got"; fi
got=$(TZ=Asia/Kolkata period $SLATRACK --db "$DB" --now 2026-06-11T09:00:00+05:30 report)
want="('2026-06-10', '2026-06-09T18:30:00Z', '2026-06-10T18:30:00Z')"
if [ "$got" = "$want" ]; then ok "zone: else the system's"
else not_ok "system zone" "want $want" "got  $got"; fi

# ---- CSV local times across a DST change -----------------------------------
# Berlin and Sydney tickets interleaved around Berlin's spring change and
# Sydney's autumn one (both 2026-04-05 / 03-29): every local column of the
# CSV (written from a memo of the last day and offset) says what the JSON,
# which works each one out alone, says
$S partner add berlin --name "Berlin GmbH" --tz Europe/Berlin >/dev/null
$S partner add sydney --name "Sydney Pty" --tz Australia/Sydney >/dev/null
for d in 2026-03-27T21:30 2026-03-28T23:30 2026-03-29T00:30 2026-03-29T01:30 2026-03-30T09:00 \
	2026-04-03T12:00 2026-04-04T15:30 2026-04-04T16:30 2026-04-06T08:00; do
	k=$(echo "$d" | tr -d ':T-')
	t --partner berlin --severity high --summary "B$k" --key "B$k" --created "$d"
	t --partner sydney --severity high --summary "Y$k" --key "Y$k" --created "$d"
	$S ticket respond "Y$k" --at "$d" >/dev/null 2>&1
done
run $S report --since 2026-03-26T00:00Z --until 2026-04-12T00:00Z --tz UTC --format csv
cp "$TMP/out" "$TMP/dst.csv"
run $S report --since 2026-03-26T00:00Z --until 2026-04-12T00:00Z --tz UTC --format json \
	--json-schema 1
cp "$TMP/out" "$TMP/dst.json"
run $CHECK csv "$TMP/dst.csv" "$TMP/dst.json"
n=$(grep -c '+02:00\|+01:00\|+11:00\|+10:00' "$TMP/dst.csv")
if [ "$rc" -eq 0 ] && [ "$n" -eq 18 ] && grep -q '+01:00' "$TMP/dst.csv" &&
	grep -q '+02:00' "$TMP/dst.csv" && grep -q '+11:00' "$TMP/dst.csv" &&
	grep -q '+10:00' "$TMP/dst.csv"
then ok "csv: local times and offsets across DST changes, equal to the JSON's"
else not_ok "csv across DST" "$(cat "$TMP/out")" "$n records with an offset"; fi
