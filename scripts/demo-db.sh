#!/bin/sh
# demo-db.sh: builds a demo database for `make demo`, the TUI tests and the
# TUI benchmark.  It only ever writes the file it is given, which must not
# exist yet (so the user's own database is never touched).
#
#   scripts/demo-db.sh [-n TICKETS] [-o] [-t NOW] [-s SLATRACK] DB
#
#   -n TICKETS   how many tickets (default 200)
#   -o           every ticket open and unanswered (the benchmark's queue)
#   -t NOW       the instant the tickets are timed against (ISO 8601 UTC,
#                default the clock): some are breached and some at risk
#                at that instant, whatever the weekday
#   -s SLATRACK  the binary (default ./slatrack)
#
# Partners: nine, across America/New_York, Europe/Berlin, Asia/Kolkata,
# Australia/Sydney, Asia/Kathmandu, Asia/Jerusalem (Sun-Thu),
# Europe/London (09:00-17:30), Asia/Shanghai (with make-up working days)
# and Asia/Tokyo, with the shipped calendars/.  Tickets come in every
# state: breached, at risk, on track, met, responded, not timed, resolved.
set -eu
N=200 OPEN=0 NOW= S=./slatrack
while getopts n:ot:s: o; do
	case $o in
	n) N=$OPTARG ;;
	o) OPEN=1 ;;
	t) NOW=$OPTARG ;;
	s) S=$OPTARG ;;
	*) echo "usage: $0 [-n TICKETS] [-o] [-t NOW] [-s SLATRACK] DB" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: $0 [-n TICKETS] [-o] [-t NOW] [-s SLATRACK] DB" >&2; exit 2; }
DB=$1
if [ -e "$DB" ]; then
	echo "demo-db.sh: '$DB' exists; give a new file" >&2
	exit 2
fi
TOP=$(cd "$(dirname "$0")/.." && pwd)
CAL=$TOP/calendars
[ -n "$NOW" ] || NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# the config of whoever runs this must not leak in (actor aside)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slatrack-demo.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
unset SLATRACK_DB SLATRACK_CONFIG
export XDG_CONFIG_HOME=$WORK

p() { "$S" --db "$DB" --now "$NOW" partner add "$@" >/dev/null; }
p acme --name "ACME Corp." --tz America/New_York --calendar "$CAL/US.ics"
p globex --name "Globex GmbH" --tz Europe/Berlin --calendar "$CAL/DE.ics"
p initech --name "Initech India" --tz Asia/Kolkata --calendar "$CAL/IN.ics"
p umbrella --name "Umbrella Pty" --tz Australia/Sydney --calendar "$CAL/AU-NSW.ics"
p himal --name "Himal Traders" --tz Asia/Kathmandu --workdays sun-fri
p tevel --name "Tevel Ltd" --tz Asia/Jerusalem --workdays sun-thu --calendar "$CAL/IL.ics"
p hooli --name "Hooli UK" --tz Europe/London --hours 09:00-17:30 --calendar "$CAL/GB-ENG.ics" \
	--target medium=48h
p longwei --name "Longwei 龙威" --tz Asia/Shanghai --calendar "$CAL/CN.ics"
p sakura --name "Sakura KK" --tz Asia/Tokyo --calendar "$CAL/JP.ics" --target critical=8h

# Tickets as CSV, timed relative to NOW.  Working time runs only on the
# partner's working days, so "created N working hours ago" is approximated
# by wall-clock offsets spread over the last week: with 24 h targets that
# gives a spread of breached, at-risk and on-track tickets on any weekday.
awk -v n="$N" -v open="$OPEN" -v now="$NOW" '
function days(y, m, d,    era, yoe, doy, doe) {
	y -= m <= 2; era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
function iso(t,    z, era, doe, yoe, y, doy, mp, d, m, s) {
	s = t % 86400; z = (t - s) / 86400 + 719468
	era = int((z >= 0 ? z : z - 146096) / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
	m = mp + (mp < 10 ? 3 : -9); y += m <= 2
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, int(s / 3600), int(s % 3600 / 60), s % 60)
}
function pick(a, k) { return a[int(rand() * k) + 1] }
BEGIN {
	srand(20261201)
	split(now, p, /[-T:Z]/)
	t0 = days(p[1] + 0, p[2] + 0, p[3] + 0) * 86400 + p[4] * 3600 + p[5] * 60 + p[6]
	np = split("acme globex initech umbrella himal tevel hooli longwei sakura", part, " ")
	split("ACME GLX INI UMB HIM TEV HOO LW SAK", pre, " ")
	ns = split("Login fails with SSO|Export to CSV times out|Invoices show wrong VAT|" \
	    "App crashes on start|Webhook deliveries delayed|Password reset mail missing|" \
	    "Dashboard loads slowly|Cannot add new users|API returns 500 on /orders|" \
	    "Sync stuck at 99%|Report totals differ from UI|Billing page blank|" \
	    "Données manquantes après la mise à jour|Überweisung wird nicht angezeigt|" \
	    "ログインできません|支付页面无法加载|Emoji in names break search 🎉|" \
	    "SAML assertion rejected|Mobile push not received|Timezone of reminders wrong", summ, "|")
	nc = split("Ada Lovelace|Grace Hopper|Linus T.|Zoë Ørsted|山田 太郎|Priya Nair|" \
	    "Noam Levi|Chen Wei|Olivia Brown|Hans Müller", cust, "|")
	na = split("alice|bob|carol|dave||||", asg, "|")
	ne = split("critical|critical|high|high|high|medium|low", sev, "|")
	print "key,partner,severity,summary,created,customer,assignee,first_response,resolved,responded_by"
	for (i = 1; i <= n; i++) {
		k = int(rand() * np) + 1
		s = pick(sev, ne)
		# up to three days back, more of them recent
		age = int(rand() * rand() * 3 * 86400) + 60
		if (rand() < 0.15)	# 18-23 h ago: at risk on a working day
			age = 64800 + int(rand() * 18000)
		c = t0 - age
		fr = ""; rs = ""; by = ""
		if (!open) {
			r = rand()
			if (r < 0.12) { fr = c + int(rand() * age); by = pick(asg, 4) }
			else if (r < 0.18) { rs = c + int(rand() * age) }
		}
		a = pick(asg, na)
		printf "%s-%d,%s,%s,\"%s\",%s,%s,%s,%s,%s,%s\n", pre[k], 1000 + i, part[k], s,
		    summ[int(rand() * ns) + 1], iso(c), cust[int(rand() * nc) + 1], a,
		    fr == "" ? "" : iso(fr), rs == "" ? "" : iso(rs), by
	}
}' >"$WORK/tickets.csv"
"$S" --db "$DB" --now "$NOW" import "$WORK/tickets.csv" >/dev/null
