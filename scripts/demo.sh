#!/bin/sh
# make demo: a demo database, then the TUI on it.
#
# The database goes to a new temporary directory (or to $DEMO_DB, which
# must not exist yet); the user's own database and configuration are
# never touched: --db and SLATRACK_CONFIG point at the demo's own files.
# About 200 tickets across nine partners in six continents' zones, timed
# against the clock now, so some are breached and some at risk as you
# watch (scripts/demo-db.sh builds them).
set -eu
S=${1:-./slatrack}
cd "$(dirname "$0")/.."
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slatrack-demo.XXXXXX")
DB=${DEMO_DB:-$WORK/demo.db}
trap 'rm -rf "$WORK"' EXIT
case $DB in
"$WORK"/*) ;;
*) [ ! -e "$DB" ] || { echo "demo: '$DB' exists; the demo only writes a new file" >&2; exit 2; } ;;
esac
cat >"$WORK/config" <<CONF
# the demo's own configuration
[me]
name = ${USER:-you}

[staff "alice"]
zone = Europe/Dublin
[staff "bob"]
zone = Asia/Kolkata
[staff "carol"]
zone = America/New_York
[staff "dave"]
zone = Australia/Sydney
CONF
export SLATRACK_CONFIG="$WORK/config"
unset SLATRACK_DB
printf 'demo: building %s ...\n' "$DB"
sh scripts/demo-db.sh -s "$S" "$DB"
"$S" --db "$DB" ticket list --open --format csv | cut -d, -f5 | sed 1d | sort | uniq -c |
	sed 's/^/demo:   /'
if [ -t 0 ] && [ -t 1 ]; then
	printf 'demo: opening the TUI (? lists the keys, q quits)\n'
	"$S" --db "$DB"
else
	echo "demo: not on a terminal, so no TUI; run: $S --db $DB"
	[ -n "${DEMO_DB:-}" ] || "$S" --db "$DB" ticket list --open | head -n 15
fi
