#!/bin/sh
# bench/jira-bench.sh BIN: issue 13's figures: `sync jira` of 10,000 issues
# in 100 pages from the loopback Jira (tests/server/jirad.py), target
# <= 2 s; `import --map jira` of 100,000 Jira-CSV rows, target <= 3 s.
# Prints figures, asserts nothing.
set -eu
BIN=$1
cd "$(dirname "$0")/.."
TOP=$(pwd)
TMP=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT

echo "== sync jira, 10,000 issues in 100 pages (issue 13)"
mkdir -p "$TMP/jira"
python3 - 10000 >"$TMP/jira/issues.json" <<'PY'
import json, sys
n = int(sys.argv[1])
prio = ("Highest", "High", "Medium", "Low")
out = []
for i in range(n):
    day = 1 + i % 28
    c = [{"id": str(i * 2), "author": {"accountId": "c-%d" % i, "displayName": "Customer",
          "accountType": "customer"}, "created": "2026-11-%02dT10:05:00.000+0000" % day,
          "jsdPublic": True},
         {"id": str(i * 2 + 1), "author": {"accountId": "a-%d" % (i % 20),
          "displayName": "Agent %d" % (i % 20), "accountType": "atlassian"},
          "created": "2026-11-%02dT11:00:00.000+0000" % day, "jsdPublic": True}]
    out.append({"id": str(10000 + i), "key": "SUP-%d" % (i + 1), "fields": {
        "summary": "Ticket %d: login fails, error 500" % i,
        "created": "2026-11-%02dT10:00:00.000+0000" % day,
        "updated": "2026-11-%02dT12:00:00.000+0000" % day,
        "priority": {"name": prio[i % 4]},
        "assignee": {"accountId": "a-%d" % (i % 20), "displayName": "Agent %d" % (i % 20)},
        "reporter": {"accountId": "c-%d" % i, "displayName": "Customer"},
        "project": {"key": "SUP"},
        "resolutiondate": "2026-11-%02dT15:00:00.000+0000" % day if i % 3 == 0 else None,
        "comment": {"comments": c}}})
json.dump(out, sys.stdout)
PY
python3 "$TOP/tests/server/jirad.py" "$TMP/jira" 2>"$TMP/jirad.log" &
PID=$!
i=0
while [ ! -s "$TMP/jira/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
cat >"$TMP/conf" <<EOF
[jira]
url = http://127.0.0.1:$(cat "$TMP/jira/port")
email = bench@example.com
token_command = echo token
jql = project = SUP
page_size = 100
[partner "acme"]
jira = SUP
EOF
"$BIN" --db "$TMP/sync.db" --now 2026-10-01T00:00:00Z partner add acme --name Acme \
	--tz Europe/Berlin --calendar calendars/DE.ics >/dev/null
python3 - "$BIN" "$TMP/sync.db" "$TMP/conf" <<'PY'
import resource, subprocess, sys, time
binary, db, conf = sys.argv[1:4]
for label in ("first sync (all added)", "second sync (--full, nothing changes)"):
    args = [binary, '--db', db, '--config', conf, '--now', '2026-12-01T00:00:00Z', 'sync', 'jira']
    if label.startswith("second"):
        args.append('--full')
    t0 = time.monotonic()
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    t = time.monotonic() - t0
    last = r.stdout.decode().strip().splitlines()[-1:] or r.stderr.decode().strip().splitlines()[-1:]
    print(f"sync jira, {label}: 10,000 issues in {t:.2f} s (exit {r.returncode}; target <= 2 s"
          f"{': ok' if t <= 2 else ': OVER TARGET'}) [{last[0] if last else ''}]")
PY
kill "$PID" 2>/dev/null || true
wait "$PID" 2>/dev/null || true
PID=""

echo "== import --map jira, 100,000 Jira-CSV rows (issue 13)"
python3 - 100000 >"$TMP/jira.csv" <<'PY'
import random, sys
random.seed(13)
n = int(sys.argv[1])
mon = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
prio = ("Highest", "High", "Medium", "Low", "Lowest")
out = sys.stdout
out.write("Summary,Issue key,Issue id,Issue Type,Status,Project key,Project name,Priority,"
          "Resolution,Assignee,Assignee Id,Reporter,Reporter Id,Created,Updated,Resolved,"
          "Sprint,Sprint,Comment,Comment\r\n")
for i in range(n):
    m, d, h = random.randrange(12), 1 + random.randrange(28), 1 + random.randrange(12)
    ap = random.choice(("AM", "PM"))
    when = "%02d/%s/25 %d:%02d %s" % (d, mon[m], h, random.randrange(60), ap)
    out.write('"Ticket %d: login fails, error 500",SUP-%d,%d,Bug,Open,SUP,Support,%s,,Agent %d,'
              'a-%d,Customer,c-%d,%s,%s,,Sprint 1,,"%s;c-%d;still broken",\r\n' % (
                  i, i + 1, 10000 + i, prio[i % 5], i % 25, i % 25, i, when, when, when, i))
PY
printf '[partner "acme"]\njira = SUP\n' >"$TMP/conf2"
"$BIN" --db "$TMP/import.db" --now 2025-01-01T00:00:00Z partner add acme --name Acme \
	--tz Europe/Berlin --calendar calendars/DE.ics >/dev/null
python3 - "$BIN" "$TMP/import.db" "$TMP/conf2" "$TMP/jira.csv" <<'PY'
import subprocess, sys, time
binary, db, conf, csv = sys.argv[1:5]
t0 = time.monotonic()
r = subprocess.run([binary, '--db', db, '--config', conf, '--now', '2026-02-01T00:00:00Z',
                    'import', '--map', 'jira', csv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
t = time.monotonic() - t0
print(f"import --map jira: 100,000 rows in {t:.2f} s (exit {r.returncode}; target <= 3 s"
      f"{': ok' if t <= 3 else ': OVER TARGET'}) [{(r.stdout or r.stderr).decode().strip()[:120]}]")
PY
