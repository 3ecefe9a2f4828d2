#!/bin/sh
# The HTML report in a real browser (issue 11, item 9): headless Chromium
# opens a month's report with many partners, long keys and long
# summaries at 1280x900 and at 390x844 (a phone).  At both sizes the page
# does not scroll sideways (document.documentElement.scrollWidth <=
# innerWidth) and no table reaches past the window (a table scrolling in
# a box of its own would); chart labels are at least 10 px.  The
# screenshots are kept (lines "# screenshot: PATH").  The headline names
# the period in local dates of the report zone, and ticket keys link to
# the helpdesk when a ticket_url is configured.  Chromium missing is a
# failure: `make deps` installs it.
. "$(dirname "$0")/../lib.sh"
CHECK="python3 $DATA/report/check.py"
BROWSER="sh $DATA/report/browser.sh"
OUT=${BUILD:-$TOP/build}/test-output/t042
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
export TZ=UTC SLATRACK_USER=alice
DB=$TMP/r.db
S="$SLATRACK --db $DB --now 2026-12-02T09:00:00Z"

long=$(printf 'x%.0s' $(seq 1 250))
for i in $(seq 1 14); do
	p=partner-$i-with-a-rather-long-key-that-does-not-fit
	$S partner add "$p" --name "Partner $i" --tz Europe/Berlin >/dev/null ||
		echo "partner add $p failed"
	for j in 1 2; do
		$S ticket add --partner "$p" --severity critical --created 2026-11-1${j}T10:00 \
			--key "SERVICEDESK-WITH-A-LONG-PROJECT-NAME-$i$j$i$j$i$j$i$j" \
			--assignee "first.last.$i@support.example.com" \
			--summary "Export <b>fails</b> & retries: java.lang.IllegalStateException:Unbroken$long then words" \
			>/dev/null || echo "ticket add $i/$j failed"
	done
done
$S ticket respond 1 --at 2026-11-11T11:00 >/dev/null
printf '[helpdesk]\nticket_url = https://support.example.com/browse/{key}\n' >"$TMP/conf"
run $S --config "$TMP/conf" report --month 2026-11 --tz Europe/Berlin --format html -o "$OUT/report.html"
if [ "$rc" -eq 0 ] && $CHECK html "$OUT/report.html" 2 >"$TMP/check"; then ok "html: a valid self-contained page"
else not_ok "html: structure" "exit $rc" "$(cat "$TMP/err" "$TMP/check")"; fi

# the headline: local dates in the report zone, not a UTC interval
got=$(python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print(root.find("head/title").text, "|", "".join(root.find("body/h1").itertext()))' "$OUT/report.html")
want="SLA report, 1–30 November 2026 (Europe/Berlin) | SLA report, 1–30 November 2026 (Europe/Berlin)"
if [ "$got" = "$want" ]; then ok "headline: the month in local dates and its zone"
else not_ok "headline" "want $want" "got  $got"; fi
run $S report --week 2026-W48 --tz America/New_York --format html
got=$(sed -n 's:.*<h1>\(.*\) <span.*:\1:p' "$TMP/out")
if [ "$got" = "SLA report, 23&#8211;29 November 2026" ]; then ok "headline: a week"
else not_ok "headline: a week" "$got"; fi
run $S report --since 2026-11-28T09:00 --until 2026-12-01T17:30 --tz Europe/Berlin --format html
got=$(sed -n 's:.*<h1>\(.*\) <span.*:\1:p' "$TMP/out")
if [ "$got" = "SLA report, 28 November 2026 09:00 &#8211; 1 December 2026 17:30" ]; then
	ok "headline: a range with its clock times"
else not_ok "headline: a range" "$got"; fi

# Cairo skips midnight on Fri 2026-04-24 (the day starts at 01:00): still that day
run $SLATRACK --db $DB --now 2026-04-25T09:00:00Z report --yesterday --tz Africa/Cairo --format html
got=$(sed -n 's:.*<h1>\(.*\) <span.*:\1:p' "$TMP/out")
if [ "$got" = "SLA report, Fri 24 April 2026" ]; then ok "headline: a day that starts at 01:00"
else not_ok "headline: a DST day" "$got"; fi

# links to the helpdesk: with the configuration, on every breach row
n=$(grep -c '<a href="https://support.example.com/browse/SERVICEDESK-WITH-A-LONG-PROJECT-NAME-' "$OUT/report.html")
run $S report --month 2026-11 --tz Europe/Berlin --format html
if [ "$n" -ge 27 ] && ! grep -q '<a href' "$TMP/out"; then
	ok "breach rows link to the helpdesk when ticket_url is set, not otherwise"
else not_ok "links" "$n links with the config; without: $(grep -c '<a href' "$TMP/out")"; fi
run $S --config "$TMP/conf" report --month 2026-11 --tz Europe/Berlin --format json --json-schema 1
got=$($CHECK get "$TMP/out" "[t['url'] for t in d['tickets']][:1]")
run $S report --month 2026-11 --tz Europe/Berlin --format json --json-schema 1
got2=$($CHECK get "$TMP/out" "set(t['url'] for t in d['tickets'])")
if [ "$got" = "['https://support.example.com/browse/SERVICEDESK-WITH-A-LONG-PROJECT-NAME-11111111']" ] &&
   [ "$got2" = "{None}" ]; then ok "json: url per ticket, null without a template"
else not_ok "json url" "$got" "$got2"; fi

# the browser
for size in 1280x900 390x844; do
	w=${size%x*} h=${size#*x}
	png=$OUT/report-$w.png
	m=$($BROWSER "$OUT/report.html" "$w" "$h" "$png" "$TMP/chromium-$w")
	brc=$?
	echo "# screenshot: $png"
	if [ "$brc" -ne 0 ]; then
		not_ok "chromium at ${size}" "$m"
		continue
	fi
	set -- $m
	if [ "$1" -le "$2" ] && [ "$3" -le "$2" ]; then
		ok "at $size the page does not scroll sideways (scrollWidth $1, innerWidth $2)"
	else not_ok "at $size: horizontal scrolling" "scrollWidth $1 innerWidth $2, a box reaches $3"; fi
	if [ "$4" -ge 10 ] && python3 -c 'import sys; sys.exit(float(sys.argv[1]) < 10)' "$5"; then
		ok "at $size chart labels are readable ($4 labels, smallest ${5} px)"
	else not_ok "at $size: chart labels" "$4 labels, smallest $5 px"; fi
done
