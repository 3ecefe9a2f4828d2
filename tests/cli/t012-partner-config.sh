#!/bin/sh
# The configuration feeds new partners' targets; calendar files are kept
# by absolute path so a refresh from another directory (cron) finds them;
# `help config` lists the keys the parser knows.
. "$(dirname "$0")/../lib.sh"
printf '[sla]\ncritical = 8h\nmedium = 48h\n' >"$TMP/conf"
S="$SLATRACK --db $TMP/t.db --config $TMP/conf --now 2026-12-01T09:00:00Z"
mkdir -p "$TMP/cals" && cp "$TOP/calendars/GB-ENG.ics" "$TMP/cals/gb.ics"
(cd "$TMP/cals" && $S partner add gb --name GB --tz Europe/London --calendar gb.ics >/dev/null)
run $S partner show gb
expect_grep "config [sla] targets are a new partner's defaults" \
	'targets +critical 8h, high 24h, medium 48h, low none' "$TMP/out"
expect_grep "a relative calendar path is stored absolute" "$TMP/cals/gb.ics" "$TMP/out"
mkdir -p "$TMP/elsewhere"
(cd "$TMP/elsewhere" && $S calendar refresh gb >"$TMP/out" 2>"$TMP/err"); rc=$?
[ "$rc" -eq 0 ] && ok "refresh from another directory finds the file" ||
	not_ok "refresh from another directory finds the file" "exit $rc" "$(cat "$TMP/err")"
expect_out "--target still overrides the config" "2026-12-01T13:00:00Z" \
	$S deadline --partner gb --at 2026-12-01T09:00 --target 4h --format iso
$S partner add us --name US --tz America/New_York --target critical=2h >/dev/null 2>&1
expect_out "an explicit --target beats the config default" "2026-12-01T16:00:00Z" \
	$S deadline --partner us --at 2026-12-01T09:00 --format iso
expect_status "help config" 0 $S help config
expect_grep "help config lists a key with its default" 'thresholds +percent-list .*default 50,75,90' "$TMP/out"
expect_status "doctor --help" 0 $S doctor --help
expect_grep "a command without operands still has a usage line" '^usage: slatrack doctor$' "$TMP/out"
