#!/bin/sh
# browser.sh: opens an HTML page in headless Chromium at one window size,
# saves a screenshot and prints what the page measures there (for
# tests/cli/t042-report-html-browser.sh and t043-ticket-list-html.sh).
#
#   sh browser.sh PAGE WIDTH HEIGHT PNG WORKDIR
#
# prints one line "SCROLLWIDTH INNERWIDTH MAXRIGHT NLABELS MINLABELPX":
#   SCROLLWIDTH, INNERWIDTH  document.documentElement.scrollWidth and
#                            window.innerWidth (no horizontal scrolling:
#                            the first is at most the second)
#   MAXRIGHT    the right edge of the furthest box outside the charts (a
#               table that scrolls inside a box of its own shows here)
#   NLABELS     chart labels (.lbl, or SVG text)
#   MINLABELPX  the smallest of their font sizes in px as drawn (SVG text
#               scaled by its transform to the screen, so text shrunk with
#               a viewBox counts at the size it is seen); 0 without labels
# or exits 1 saying why.  The page itself needs no script: a copy of it
# gets a probe appended, and is shown in an iframe of exactly WIDTH x
# HEIGHT CSS pixels (headless Chromium will not make its window narrower
# than 500 px); the probe posts its numbers to the wrapper page, whose
# DOM is dumped.  Chromium runs without its sandbox (needed as root, and
# harmless for local files), with a throw-away profile under WORKDIR.
set -u
page=$1 w=$2 h=$3 png=$4 work=$5
browser=$(command -v chromium || command -v chromium-browser) || {
	echo "chromium is not installed: run 'make deps' (scripts/install-deps.sh)"
	exit 1
}
mkdir -p "$work" || exit 1
copy=$work/probe-$w.html wrap=$work/wrap-$w.html
probe='<script>addEventListener("load",function(){
var de=document.documentElement,right=0,n=0,min=1e9;
document.querySelectorAll("body *").forEach(function(e){
if(e.closest(".chart")&&!e.classList.contains("chart"))return;
var r=e.getBoundingClientRect();if(r.width>0&&r.right>right)right=r.right;});
document.querySelectorAll(".chart .lbl").forEach(function(e){
n++;min=Math.min(min,parseFloat(getComputedStyle(e).fontSize));});
document.querySelectorAll("svg text").forEach(function(e){
var m=e.getScreenCTM(),k=m?Math.sqrt(m.a*m.a+m.b*m.b):1;
n++;min=Math.min(min,parseFloat(getComputedStyle(e).fontSize)*k);});
parent.postMessage(de.scrollWidth+" "+innerWidth+" "+Math.ceil(right)+" "+n+" "+(n?min:0),"*");});
</script>'
python3 - "$page" "$copy" "$probe" <<'PY' || exit 1
import sys
text = open(sys.argv[1], encoding="utf-8").read()
if "</body>" not in text:
    sys.exit("no </body> in " + sys.argv[1])
open(sys.argv[2], "w", encoding="utf-8").write(text.replace("</body>", sys.argv[3] + "</body>", 1))
PY
cat >"$wrap" <<HTML
<!DOCTYPE html><html><head><meta charset="utf-8"/><style>body{margin:0}
iframe{border:0;display:block;width:${w}px;height:${h}px}</style></head><body>
<iframe src="probe-$w.html"></iframe><pre id="m">no answer</pre><script>
addEventListener("message",function(e){document.getElementById("m").textContent="M "+e.data;});
</script></body></html>
HTML
run_browser() {
	timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
		--hide-scrollbars --user-data-dir="$work/profile" --window-size="$w,$h" "$@" \
		"file://$wrap" 2>>"$work/chromium.log"
}
out=$(run_browser --virtual-time-budget=10000 --dump-dom) || {
	echo "chromium failed (exit $?): $(tail -3 "$work/chromium.log")"
	exit 1
}
line=$(printf '%s\n' "$out" | sed -n 's/.*<pre id="m">M \([0-9. ]*\)<\/pre>.*/\1/p')
[ -n "$line" ] || { echo "no measurement from the page: $(printf '%s' "$out" | tail -c 300)"; exit 1; }
run_browser --screenshot="$png" >/dev/null || { echo "chromium: no screenshot"; exit 1; }
[ -s "$png" ] || { echo "chromium: empty screenshot $png"; exit 1; }
echo "$line"
