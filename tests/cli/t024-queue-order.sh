#!/bin/sh
# `ticket list` is the queue in the triage order (issue 11 item 1): at risk
# (least working time left first), breached and unanswered (most working
# time over first), on track, not timed; answered and resolved tickets out
# unless asked for (--all, --open, --answered); --sort by any column, -COL
# and --reverse; DUE in the viewer's zone, named in the heading; REMAINING
# never cut, whatever the width; no "-0m" for a breach outside working time.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/q.db
NOW=2026-01-14T12:00:00+01:00		# Wednesday noon in Berlin, 06:00 in New York
export TZ=UTC SLATRACK_USER=alice SLATRACK_CONFIG=$TMP/config
printf '[me]\nname = alice\nzone = America/New_York\n' >"$SLATRACK_CONFIG"
S="$SLATRACK --db $DB --now $NOW"
add() { $S ticket add "$@" >/dev/null || echo "fixture: ticket add $*" >&2; }

$S partner add acme --name Acme --tz Europe/Berlin >/dev/null		# Mon-Fri, all day
$S partner add nyc --name "NYC Inc" --tz America/New_York --hours 09:00-17:00 \
	--target high=8h >/dev/null
# at risk: 2h and 5h of 24h left
add --partner acme --severity high --key ATRISK-1 --summary "Five hours left" \
	--created 2026-01-13T17:00 --assignee zed
add --partner acme --severity critical --key ATRISK-2 --summary "Two hours left" \
	--created 2026-01-13T14:00 --assignee bob
# breached: 137h 57m, 2h and no working time over (NYC is closed at 06:00)
add --partner acme --severity high --key LATE-BIG --summary "Waiting since last week" \
	--created 2026-01-05T18:03
add --partner acme --severity high --key LATE-SMALL --summary "Two hours late" \
	--created 2026-01-13T10:00 --assignee amy
add --partner nyc --severity high --key LATE-ZERO --summary "Due at last night's close" \
	--created 2026-01-13T09:00
# on track: 23h and 20h left
add --partner acme --severity high --key ONTRACK-1 --summary "An hour old" \
	--created 2026-01-14T11:00
add --partner acme --severity high --key ONTRACK-2 --summary "Four hours old" \
	--created 2026-01-14T08:00
add --partner acme --severity low --key UNTIMED --summary "Feature idea" --created 2026-01-12T09:00
# answered late, answered in time, resolved without a response
add --partner acme --severity high --key ANSWERED-LATE --summary "Answered late" \
	--created 2026-01-12T08:00
add --partner acme --severity high --key ANSWERED-OK --summary "Answered in time" \
	--created 2026-01-14T09:00
add --partner acme --severity high --key RESOLVED --summary "Closed at once" \
	--created 2026-01-13T12:00
$S ticket respond ANSWERED-LATE --at 2026-01-14T09:00 >/dev/null
$S ticket respond ANSWERED-OK --at 2026-01-14T10:00 >/dev/null
$S ticket resolve RESOLVED --at 2026-01-14T11:00 >/dev/null

keys() { "$@" --format csv | tr -d '\r' | sed 1d | cut -d, -f2 | tr '\n' ' '; }
QUEUE="ATRISK-2 ATRISK-1 LATE-BIG LATE-SMALL LATE-ZERO ONTRACK-2 ONTRACK-1 UNTIMED "

# ---- the triage order -------------------------------------------------------------
expect_out "the queue: at risk, breached, on track, not timed; answered ones out" \
	"$QUEUE" keys $S ticket list
expect_out "--all: the answered and resolved ones last (late first, then by time to spare)" \
	"${QUEUE}ANSWERED-LATE RESOLVED ANSWERED-OK " keys $S ticket list --all
expect_out "--open: every unresolved ticket, answered ones too" \
	"${QUEUE}ANSWERED-LATE ANSWERED-OK " keys $S ticket list --open
expect_out "--answered: only those" "ANSWERED-LATE RESOLVED ANSWERED-OK " \
	keys $S ticket list --answered
expect_out "--breached: only the unanswered ones" "LATE-BIG LATE-SMALL LATE-ZERO " \
	keys $S ticket list --breached
expect_out "--breached --all: answered late too" "LATE-BIG LATE-SMALL LATE-ZERO ANSWERED-LATE " \
	keys $S ticket list --breached --all
expect_out "json: the same rows in the same order" "$QUEUE" sh -c "$S ticket list --format json |
	python3 -c 'import json,sys; print(\" \".join(t[\"key\"] for t in json.load(sys.stdin)), end=\" \")'"

# the text table: REMAINING grows down each group, DUE in the viewer's zone
COLUMNS=120 $S ticket list >"$TMP/table"
expect_out "the table, in the triage order" \
"ID  KEY         PARTNER  SEV       STATE      DUE (America/New_York)  REMAINING  ASSIGNEE  SUMMARY
 2  ATRISK-2    acme     critical  at risk    2026-01-14 08:00 EST       2h 00m  bob       Two hours left
 1  ATRISK-1    acme     high      at risk    2026-01-14 11:00 EST       5h 00m  zed       Five hours left
 3  LATE-BIG    acme     high      BREACHED   2026-01-06 12:03 EST    -137h 57m  -         Waiting since last week
 4  LATE-SMALL  acme     high      BREACHED   2026-01-14 04:00 EST      -2h 00m  amy       Two hours late
 5  LATE-ZERO   nyc      high      BREACHED   2026-01-13 17:00 EST         -<1m  -         Due at last night's close
 7  ONTRACK-2   acme     high      on track   2026-01-15 02:00 EST      20h 00m  -         Four hours old
 6  ONTRACK-1   acme     high      on track   2026-01-15 05:00 EST      23h 00m  -         An hour old
 8  UNTIMED     acme     low       not timed  -                               -  -         Feature idea" \
	cat "$TMP/table"
if grep -Eq -- '-0m|-0s|late 0m' "$TMP/table"; then not_ok "no breach reads -0m" "$(cat "$TMP/table")"
else ok "no breach reads -0m"; fi
COLUMNS=120 $S ticket list --answered >"$TMP/answered"
expect_grep "answered late: 'late', not a countdown" '^ *9  ANSWERED-LATE .* late 25h 00m ' "$TMP/answered"

# the zone follows the viewer: UTC without [me] zone (TZ=UTC)
: >"$TMP/empty.conf"
SLATRACK_CONFIG=$TMP/empty.conf COLUMNS=120 $S ticket list >"$TMP/utc"
expect_grep "DUE names the system zone without [me] zone" '^ID .* DUE \(UTC\) ' "$TMP/utc"
expect_grep "and shows its time" ' ATRISK-2 .* 2026-01-14 13:00 UTC ' "$TMP/utc"

# REMAINING whole at any width; only the summary is cut
for cols in 80 120 200; do
	COLUMNS=$cols $S ticket list >"$TMP/w$cols"
	if grep -q -- ' -137h 57m  ' "$TMP/w$cols" && grep -q -- ' -<1m  ' "$TMP/w$cols"
	then ok "REMAINING whole at $cols columns"
	else not_ok "REMAINING whole at $cols columns" "$(cat "$TMP/w$cols")"; fi
done
COLUMNS=80 $S ticket list >"$TMP/narrow"
expect_grep "at 80 columns the summary is cut instead" 'LATE-BIG .* -137h 57m  -  +Wait.*…$' "$TMP/narrow"

# ---- --sort ------------------------------------------------------------------------
expect_out "--sort due: earliest first, untimed last" \
	"LATE-BIG LATE-ZERO LATE-SMALL ATRISK-2 ATRISK-1 ONTRACK-2 ONTRACK-1 UNTIMED " \
	keys $S ticket list --sort due
expect_out "--sort -due: reversed" \
	"UNTIMED ONTRACK-1 ONTRACK-2 ATRISK-1 ATRISK-2 LATE-SMALL LATE-ZERO LATE-BIG " \
	keys $S ticket list --sort -due
expect_out "--sort due --reverse: the same" \
	"UNTIMED ONTRACK-1 ONTRACK-2 ATRISK-1 ATRISK-2 LATE-SMALL LATE-ZERO LATE-BIG " \
	keys $S ticket list --sort due --reverse
expect_out "--sort remaining: least working time left first" \
	"LATE-BIG LATE-SMALL LATE-ZERO ATRISK-2 ATRISK-1 ONTRACK-2 ONTRACK-1 UNTIMED " \
	keys $S ticket list --sort remaining
expect_out "--sort key" \
	"ATRISK-1 ATRISK-2 LATE-BIG LATE-SMALL LATE-ZERO ONTRACK-1 ONTRACK-2 UNTIMED " \
	keys $S ticket list --sort key
expect_out "--sort assignee: unassigned first, ties in the triage order" \
	"LATE-BIG LATE-ZERO ONTRACK-2 ONTRACK-1 UNTIMED LATE-SMALL ATRISK-2 ATRISK-1 " \
	keys $S ticket list --sort assignee
expect_out "--sort severity: critical first, ties in the triage order" \
	"ATRISK-2 ATRISK-1 LATE-BIG LATE-SMALL LATE-ZERO ONTRACK-2 ONTRACK-1 UNTIMED " \
	keys $S ticket list --sort severity
expect_out "--sort -partner" \
	"LATE-ZERO ATRISK-2 ATRISK-1 LATE-BIG LATE-SMALL ONTRACK-2 ONTRACK-1 UNTIMED " \
	keys $S ticket list --sort -partner
expect_out "--sort -triage: the whole order reversed" \
	"UNTIMED ONTRACK-1 ONTRACK-2 LATE-ZERO LATE-SMALL LATE-BIG ATRISK-1 ATRISK-2 " \
	keys $S ticket list --sort -triage
expect_out "--sort applies to --all as well" \
	"LATE-BIG ANSWERED-LATE LATE-ZERO LATE-SMALL RESOLVED ATRISK-2 ATRISK-1 ONTRACK-2 ANSWERED-OK ONTRACK-1 UNTIMED " \
	keys $S ticket list --all --sort due
expect_err "--sort: an unknown column" 2 "--sort: unknown column 'colour' \(triage, id, key" \
	$S ticket list --sort colour

# ---- help --------------------------------------------------------------------------
run $S help ticket
expect_grep "help: the triage order" 'triage order: at risk \(least working time left first\)' "$TMP/out"
expect_grep "help: --sort" '--sort' "$TMP/out"
expect_grep "help: --all" '--all' "$TMP/out"

# ---- answered outside working time: late, by less than a minute --------------------
run $S ticket respond LATE-ZERO
expect_grep "respond: no '0m' overrun" '^SLA BREACHED: <1m of working time \(13h 00m wall-clock\) after the deadline$' "$TMP/out"
COLUMNS=120 $S ticket list --answered >"$TMP/answered"
expect_grep "answered outside working time: 'late <1m', not 'late 0m'" '^ *5  LATE-ZERO .* late <1m  ' "$TMP/answered"
expect_out "it left the queue" "ATRISK-2 ATRISK-1 LATE-BIG LATE-SMALL ONTRACK-2 ONTRACK-1 UNTIMED " \
	keys $S ticket list
