#!/bin/sh
# Which database a command uses: --db, else $SLATRACK_DB, else [store] url
# in the configuration, else the XDG default; a URL there reaches the
# PostgreSQL server like one given to --db.
. "$(dirname "$0")/../lib.sh"

NOW=2026-03-02T09:00:00Z
CONF=$TMP/config
printf '[store]\nurl = %s\n' "$TMP/conf.db" >"$CONF"

# count DB: the partners in DB
count() { "$SLATRACK" --db "$1" partner list --format csv 2>/dev/null | tail -n +2 | wc -l; }

run "$SLATRACK" --config "$CONF" --now $NOW partner add acme --name Acme --tz Europe/Berlin
if [ $rc -eq 0 ] && [ -f "$TMP/conf.db" ] && [ ! -e "$XDG_DATA_HOME/slatrack/slatrack.db" ]; then
	ok "[store] url names the database when --db and SLATRACK_DB do not"
else not_ok "[store] url names the database when --db and SLATRACK_DB do not" "exit $rc" \
	"$(cat "$TMP/err")" "$(ls -R "$TMP" | head -n 20)"; fi

SLATRACK_DB=$TMP/env.db run "$SLATRACK" --config "$CONF" --now $NOW partner add beta --name Beta --tz UTC
check "SLATRACK_DB wins over [store] url" "1 1" "$(count "$TMP/env.db") $(count "$TMP/conf.db")"

run "$SLATRACK" --config "$CONF" --db "$TMP/flag.db" --now $NOW partner add gamma --name Gamma --tz UTC
check "--db wins over [store] url" "1 1" "$(count "$TMP/flag.db") $(count "$TMP/conf.db")"

run "$SLATRACK" --now $NOW partner add delta --name Delta --tz UTC
check "without any, the XDG default" 1 "$(count "$XDG_DATA_HOME/slatrack/slatrack.db")"

printf '[store]\nurl = postgresql:///nodb?host=%s\n' "$TMP/no-server" >"$TMP/bad-config"
expect_err "a [store] url whose server is not there is a loud storage error" 4 \
	"cannot connect|connection to server" "$SLATRACK" --config "$TMP/bad-config" ticket list

if [ -n "${SLATRACK_TEST_PG-}" ]; then
	U=$(sh "$TOP/tests/pg/server.sh" url "$SLATRACK_TEST_PG" t061_store_url)
	printf '[store]\nurl = %s\n' "$U" >"$TMP/pg-config"
	run "$SLATRACK" --config "$TMP/pg-config" --now $NOW partner add acme --name Acme --tz UTC
	check "a postgresql:// [store] url reaches the server" 1 "$(count "$U")"
else
	echo "# SKIP t061 PostgreSQL part: NO TEST SERVER (SLATRACK_TEST_PG unset)"
fi
