#!/bin/sh
# The triage screen on a database this user may only read (issue 10 item
# 4): it opens, shows the queue, and an action says the database is
# read-only instead of failing obscurely or changing anything.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tui/lib-tmux.sh"

tui_fixture || { not_ok "fixture"; exit 1; }
st init >/dev/null		# the -wal and -shm a reader needs stay beside it
if on_pg; then
	# the server's counterpart of a file this user may only read: a role
	# that may only SELECT, on the same database
	URL=$(sh "$TOP/tests/pg/url-of" "$DB")
	db_sum() { pg_digest "$URL"; }
	refused='read-only to you'
	reader=t020_reader_$$
	READER_URL=$(pg_reader "$URL" "$reader")
else
	db_sum() { sha256sum "$DB" | cut -d' ' -f1; }
	refused='read-?only'
fi
before=$(db_sum)
if on_pg; then
	# the binary itself on the reader's URL (tests/pg/on-pg maps every
	# --db, a URL too, to a database of its own)
	db=$DB slatrack=$SLATRACK
	DB=$READER_URL SLATRACK=$SLATRACK_REAL_BIN
	tui_start
	DB=$db SLATRACK=$slatrack
elif [ "$(id -u)" -eq 0 ]; then
	chmod 755 "$TMP"
	chmod 644 "$DB" "$DB-wal" "$DB-shm" "$SLATRACK_CONFIG"
	tui_start 120 40 HOME="$TMP" setpriv --reuid=nobody --regid=nogroup --clear-groups env
else
	chmod 555 "$TMP"
	chmod 444 "$DB" "$DB-wal" "$DB-shm"
	tui_start
fi
wait_queue "the queue opens on a read-only database"
wait_for "it lists the tickets" 'GLX-1'
keys r Enter
wait_for "respond asks first" '\[y/N\]'
keys y
wait_for "the action says the database is read-only" "$refused"
keys q
wait_for "it quits cleanly" '\[exit 0\]'
[ "$(db_sum)" = "$before" ] && ok "the database is unchanged" ||
	not_ok "the database is unchanged"
if on_pg; then
	pg_drop_reader "$URL" "$reader"
elif [ "$(id -u)" -ne 0 ]; then
	chmod 755 "$TMP"
fi
