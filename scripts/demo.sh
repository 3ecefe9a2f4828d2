#!/bin/sh
# make demo: a short guided run of slatrack on the shipped calendars.
# (Until the TUI lands this shows the deadline calculator; it never
# touches the user's own database.)
set -eu
S=${1:-./slatrack}
cd "$(dirname "$0")/.."
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
run $S deadline --tz Europe/London --calendar calendars/GB-ENG.ics --at "$NOW"
run $S deadline --tz America/New_York --calendar calendars/US.ics --hours 09:00-17:00 --at "$NOW"
run $S deadline --tz Asia/Jerusalem --calendar calendars/IL.ics --workdays sun-thu --at "$NOW"
run $S deadline --tz Europe/Berlin --calendar calendars/DE.ics --at 2026-12-23T18:00 --explain
run $S deadline --tz Asia/Shanghai --calendar calendars/CN.ics --at 2026-02-13T12:00 --explain
say "printf '2026-12-24T15:00:00Z\\n2026-12-31T09:00:00Z\\n' | $S deadline --tz Europe/London --calendar calendars/GB-ENG.ics --batch"
printf '2026-12-24T15:00:00Z\n2026-12-31T09:00:00Z\n' |
	$S deadline --tz Europe/London --calendar calendars/GB-ENG.ics --batch
run $S calendar check calendars/CN.ics --from 2026 --to 2026 --tz Asia/Shanghai
