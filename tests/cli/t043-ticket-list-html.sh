#!/bin/sh
# `slatrack ticket list --format html [-o FILE]` (issue 11, item 10): a
# static "queue now" page for cron to publish.  The same rows in the same
# order as the table for the same options; the time it was made and its
# zone in the headline; customer text escaped; helpdesk links from
# ticket_url (global and per partner) and none without; -o refuses the
# database and a symlink, replaces a file atomically (a new inode, no
# temporary file left behind); the page fits 1280 px and 390 px in
# headless Chromium (screenshots kept, "# screenshot: PATH").
. "$(dirname "$0")/../lib.sh"
CHECK="python3 $DATA/report/check.py"
BROWSER="sh $DATA/report/browser.sh"
OUT=${BUILD:-$TOP/build}/test-output/t043
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
export TZ=Europe/Berlin SLATRACK_USER=alice
DB=$TMP/q.db
NOW=2026-01-14T10:00:00Z		# Wed 11:00 CET
S="$SLATRACK --db $DB --now $NOW"

$S partner add acme --name "Acme GmbH" --tz Europe/Berlin >/dev/null
$S partner add beta --name "Beta Inc" --tz America/New_York >/dev/null
t() { $S ticket add "$@" >/dev/null || echo "ticket add $* failed"; }
t --partner acme --severity critical --key ACME-1 --summary 'Login broken' --created 2026-01-12T08:00
t --partner acme --severity critical --key ACME-2 --summary '<script>alert(1)</script> & "q"' \
	--assignee bob --created 2026-01-13T16:00
t --partner acme --severity high --summary 'no key here' --created 2026-01-14T09:00
t --partner beta --severity critical --key 'BETA 7/x' --summary 'Slow exports' --created 2026-01-13T09:00
t --partner beta --severity low --key BETA-8 --summary 'Docs typo' --created 2026-01-13T09:00
t --partner acme --severity high --key ACME-9 --summary 'answered already' --created 2026-01-13T09:00
$S ticket respond ACME-9 --at 2026-01-13T10:00 >/dev/null
cat >"$TMP/conf" <<'CONF'
[helpdesk]
ticket_url = https://hd.example.com/browse/{key}
[partner "beta"]
ticket_url = https://beta.zendesk.example/agent/tickets/{id}
CONF

# ids, states and remaining cells of the page, in page order
page_rows() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for tr in root.iter("tr"):
    cells = {td.get("data-l"): td for td in tr.findall("td")}
    if not cells:
        continue
    key = cells["Key"]
    ident = "".join(key.find("span").itertext()).lstrip("#")
    print(ident, cells["State"].text, "|", cells["Remaining"].text)
PY
}
# the same from the table: the ID column, and whether the line holds
# the page's state and remaining
same_as_table() {
	page_rows "$1" >"$TMP/rows" || return 1
	awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' "$2" >"$TMP/tids"
	cut -d' ' -f1 "$TMP/rows" >"$TMP/pids"
	cmp -s "$TMP/tids" "$TMP/pids" || return 1
	while read -r id rest; do
		state=${rest%% | *} rem=${rest#* | }
		grep -E "^ *$id " "$2" | grep -qF -- "$state" || return 1
		grep -E "^ *$id " "$2" | grep -qF -- "$rem" || return 1
	done <"$TMP/rows"
}

for opts in "" "--open" "--partner acme" "--all" "--severity critical"; do
	COLUMNS=300 $S ticket list $opts >"$TMP/table" 2>&1
	run $S ticket list $opts --format html
	cp "$TMP/out" "$TMP/page.html"
	if [ "$rc" -eq 0 ] && same_as_table "$TMP/page.html" "$TMP/table"; then
		ok "list ${opts:-(default)}: the table's rows in the table's order"
	else not_ok "list ${opts:-(default)}: rows" "exit $rc $(cat "$TMP/err")" \
		"table: $(cat "$TMP/table")" "page: $(page_rows "$TMP/page.html")"; fi
done

run $S --config "$TMP/conf" ticket list --all --format html -o "$OUT/queue.html"
if [ "$rc" -eq 0 ] && [ ! -s "$TMP/out" ] && $CHECK html "$OUT/queue.html" 0 >"$TMP/check"; then
	ok "-o: a valid self-contained page, nothing on standard output"
else not_ok "-o page" "exit $rc" "$(cat "$TMP/err" "$TMP/check")"; fi
got=$(python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print("".join(root.find("body/h1").itertext()))' "$OUT/queue.html")
if [ "$got" = "Ticket queue at 2026-01-14 11:00 CET (Europe/Berlin)" ]; then
	ok "headline: the time the page was made and its zone"
else not_ok "headline" "$got"; fi
if grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;' "$OUT/queue.html" &&
   ! grep -q '<script' "$OUT/queue.html"; then ok "customer text escaped"
else not_ok "escaping" "$(grep -n 'alert' "$OUT/queue.html")"; fi
links=$(grep -o '<a href="[^"]*">[^<]*</a>' "$OUT/queue.html" | sort | tr '\n' ' ')
want='<a href="https://beta.zendesk.example/agent/tickets/4">BETA 7/x</a> <a href="https://beta.zendesk.example/agent/tickets/5">BETA-8</a> <a href="https://hd.example.com/browse/ACME-1">ACME-1</a> <a href="https://hd.example.com/browse/ACME-2">ACME-2</a> <a href="https://hd.example.com/browse/ACME-9">ACME-9</a> '
if [ "$links" = "$want" ]; then ok "keys link to the helpdesk (the partner's template wins; no key, no link)"
else not_ok "links" "want $want" "got  $links"; fi
run $S ticket list --all --format html -o -
if [ "$rc" -eq 0 ] && grep -q 'ACME-1' "$TMP/out" && ! grep -q '<a ' "$TMP/out"; then
	ok "without ticket_url: no links; -o - is standard output"
else not_ok "no links" "exit $rc" "$(grep -c '<a ' "$TMP/out")"; fi

# -o safety and atomicity
if ! sqlite_only "-o naming the database file"; then
	cp "$DB" "$TMP/db.copy"
	run $S ticket list --format html -o "$DB"
	if [ "$rc" -eq 4 ] && grep -q 'database' "$TMP/err" && cmp -s "$DB" "$TMP/db.copy"; then
		ok "-o refuses the database"
	else not_ok "-o database" "exit $rc" "$(cat "$TMP/err")"; fi
fi
ln -s "$TMP/elsewhere.html" "$TMP/link.html"
expect_err "-o refuses a symbolic link" 4 "symbolic link" $S ticket list --format html -o "$TMP/link.html"
expect_err "-o only with --format html" 2 "only with --format html" $S ticket list -o "$TMP/x.txt"
mkdir "$TMP/pub"
echo old >"$TMP/pub/queue.html"
before=$(stat -c %i "$TMP/pub/queue.html")
run $S ticket list --format html -o "$TMP/pub/queue.html"
after=$(stat -c %i "$TMP/pub/queue.html")
if [ "$rc" -eq 0 ] && [ "$before" != "$after" ] && grep -q '</html>' "$TMP/pub/queue.html" &&
   [ "$(ls -A "$TMP/pub")" = queue.html ]; then
	ok "-o replaces the file by a rename (new inode, no temporary file left)"
else not_ok "-o atomic" "exit $rc inode $before -> $after" "$(ls -A "$TMP/pub")"; fi

# the browser
for size in 1280x900 390x844; do
	w=${size%x*} h=${size#*x}
	png=$OUT/queue-$w.png
	m=$($BROWSER "$OUT/queue.html" "$w" "$h" "$png" "$TMP/chromium-$w")
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
done

# A big queue: 45,000 open tickets make a page of about 19 MB, over the
# 16 MiB a text buffer may hold by default; the page is written whole, one
# row per ticket, not refused as "out of memory".
BIG=$TMP/big.db
$SLATRACK --db "$BIG" --now 2026-01-01T00:00:00Z partner add acme --name Acme \
	--tz Europe/Berlin >/dev/null
python3 - 45000 >"$TMP/big.csv" <<'PY'
import sys
n = int(sys.argv[1])
print('key,partner,severity,summary,customer,assignee,created')
for i in range(n):
    print('BIG-%d,acme,%s,"Ticket %d: login fails",Customer %d,agent%d,2026-01-%02dT%02d:00:00Z'
          % (i, ('critical', 'high')[i % 2], i, i % 97, i % 7, 5 + i % 9, 8 + i % 9))
PY
$SLATRACK --db "$BIG" --now "$NOW" import "$TMP/big.csv" >/dev/null || echo "# big import failed"
run $SLATRACK --db "$BIG" --now "$NOW" ticket list --open --format html -o "$TMP/big.html"
size=$(wc -c <"$TMP/big.html" 2>/dev/null || echo 0)
rows=$(grep -o '<tr' "$TMP/big.html" 2>/dev/null | wc -l)
if [ "$rc" -eq 0 ] && [ "$size" -gt 16777216 ] && [ "$rows" -eq 45001 ]; then
	ok "45,000 tickets: a page of $size bytes with every row"
else not_ok "45,000 tickets as html" "exit $rc, $size bytes, $rows <tr>" "$(cat "$TMP/err")"; fi
