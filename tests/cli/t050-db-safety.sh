#!/bin/sh
# No command destroys data or stays silent on a typo (issue 10, items 2-5
# and the full disk): report -o never replaces the database, the
# configuration, a symlink or a device; a missing database is an error
# for every command that does not create data; a read-only database still
# serves the commands that only read; new databases are private (0600);
# a full disk says so and names the path.
. "$(dirname "$0")/../lib.sh"
NOW=2026-01-12T10:00:00Z
export SLATRACK_USER=alice
DB=$TMP/data/t.db
CONF=$TMP/config
printf '[me]\nname = alice\nzone = Europe/Berlin\n' >"$CONF"
S="$SLATRACK --db $DB --config $CONF --now $NOW"

sum() { sha256sum "$1" | cut -d' ' -f1; }
if on_pg; then
	# the server database tests/pg/on-pg gives $DB
	URL=$(sh "$TOP/tests/pg/url-of" "$DB")
	db_sum() { pg_digest "$URL"; }
	# the databases on the server whose names start with $1
	server_dbs() {
		psql -X -At "postgresql:///postgres?host=$SLATRACK_TEST_PG&user=slatrack" \
			-c "SELECT datname FROM pg_database WHERE datname LIKE '$1%'"
	}
else
	db_sum() { sum "$DB"; }
fi

# ---- item 3: a missing database ------------------------------------------
if on_pg; then
	# on the server a mistyped --db names a database the server does not
	# have (tests/pg/on-pg would make one for any path: the URL goes as is)
	TYPO="postgresql:///t050_typo?host=$SLATRACK_TEST_PG&user=slatrack"
	typo() { SLATRACK_DB=$TYPO "$SLATRACK" --config "$CONF" --now $NOW "$@"; }
	typo_err='database "t050_typo" does not exist'
	TYPO2="postgresql:///t050_typo2?host=$SLATRACK_TEST_PG&user=slatrack" typo2_err=t050_typo2
	made_nothing() { [ ! -e "$TMP/typo" ] && [ -z "$(server_dbs t050_typo)" ]; }
else
	TYPO=$TMP/typo/t.db
	typo() { "$SLATRACK" --db "$TMP/typo/t.db" --config "$CONF" --now $NOW "$@"; }
	typo_err="no database at '$TMP/typo/t.db'"
	TYPO2=$TMP/typo2.db typo2_err=typo2.db
	made_nothing() { [ ! -e "$TMP/typo" ]; }
fi
for c in "remind" "remind --dry-run" "report --today" "report --today --fail-on-breach" \
	"doctor" "audit verify" "ticket list" "ticket add --partner acme --severity high --summary x" \
	"export" "recompute" "partner list" "partner show acme"; do
	expect_err "on a missing database '$c' fails with exit 4 naming the path" 4 \
		"$typo_err" typo $c
done
if made_nothing; then ok "those commands created nothing (no directory, no file)"
else not_ok "those commands created nothing (no directory, no file)" "$(ls -R "$TMP/typo")"; fi
SLATRACK_DB=$TYPO2 expect_err "a mistyped SLATRACK_DB is loud too" 4 "$typo2_err" \
	$SLATRACK --config "$CONF" remind
if on_pg; then
	run sh -c "cd '$TMP' && SLATRACK_DB='$TYPO' $SLATRACK --config '$CONF' </dev/null"
else
	run sh -c "cd '$TMP' && $SLATRACK --config '$CONF' --db '$TMP/typo/t.db' </dev/null"
fi
made_nothing && ok "no command and no terminal creates nothing" ||
	not_ok "no command and no terminal creates nothing"

if on_pg; then
	# an empty server database: init makes slatrack's tables in it
	where=$URL
	made() { [ "$(sqlite3 "$1" "SELECT count(*) FROM tickets")" = 0 ]; }
else
	where=$DB
	made() { [ -f "$1" ]; }
fi
run $S init
if [ "$rc" -eq 0 ] && made "$DB" && grep -q "^database $where: schema version [0-9]" "$TMP/out"; then
	ok "init creates a new database and says its schema version"
else not_ok "init creates a new database and says its schema version" "exit $rc" "$(cat "$TMP/err")"; fi
before=$(db_sum)
run $S init
[ "$rc" -eq 0 ] && [ "$(db_sum)" = "$before" ] && ok "init again changes nothing" ||
	not_ok "init again changes nothing" "exit $rc"
expect_err "init takes no arguments" 2 "no arguments" $S init extra
rm -rf "$TMP/data"
expect_status "partner add creates the database" 0 \
	$S partner add acme --name "Acme" --tz Europe/Berlin
expect_status "import creates a database" 0 sh -c "printf 'key,partner,severity,summary,created\n' |
	$SLATRACK --db $TMP/imp/i.db --config $CONF import -"
made "$TMP/imp/i.db" && ok "import made the file" || not_ok "import made the file"

# ---- item 5: permissions -----------------------------------------------------
if ! sqlite_only "the modes of the database file, its -wal, -shm and directory"; then
	mode() { stat -c %a "$1"; }
	[ "$(mode "$DB")" = 600 ] && ok "a new database is 0600" || not_ok "a new database is 0600" "$(mode "$DB")"
	[ "$(mode "$DB-wal")" = 600 ] && [ "$(mode "$DB-shm")" = 600 ] &&
		ok "its -wal and -shm are 0600" || not_ok "its -wal and -shm are 0600" "$(ls -l "$DB"*)"
	[ "$(mode "$TMP/data")" = 700 ] && ok "its new directory is 0700" ||
		not_ok "its new directory is 0700" "$(mode "$TMP/data")"
	$S backup "$TMP/b.db" >/dev/null
	$SLATRACK --db "$TMP/restored/r.db" --config "$CONF" restore "$TMP/b.db" >/dev/null
	[ "$(mode "$TMP/restored/r.db")" = 600 ] && ok "a database made by restore is 0600" ||
		not_ok "a database made by restore is 0600" "$(mode "$TMP/restored/r.db")"
	(umask 077; $S init >/dev/null; rm -f "$TMP/u.db"; $SLATRACK --db "$TMP/u.db" init >/dev/null)
	[ "$(mode "$TMP/u.db")" = 600 ] && ok "a strict umask still gives 0600" ||
		not_ok "a strict umask still gives 0600" "$(mode "$TMP/u.db")"
fi

$S ticket add --partner acme --severity high --summary "Printer on fire" \
	--created 2026-01-09T08:00:00Z >/dev/null
$S ticket add --partner acme --severity critical --summary "Login down" \
	--created 2026-01-12T09:00:00Z >/dev/null

# ---- item 2: report -o -------------------------------------------------------
if ! sqlite_only "report -o naming the database file, its -wal or a hard link to it"; then
	db_before=$(sum "$DB")
	expect_err "report -o the database is refused" 4 "is the database" $S report --today -o "$DB"
	expect_err "report -o the database's -wal is refused" 4 "is the database" $S report --today -o "$DB-wal"
	ln "$DB" "$TMP/hardlink.db"
	expect_err "report -o a hard link to the database is refused" 4 "is the database" \
		$S report --today -o "$TMP/hardlink.db"
	[ "$(sum "$DB")" = "$db_before" ] && $S ticket list >/dev/null &&
		ok "the database is untouched and still works" || not_ok "the database is untouched and still works"
fi
conf_before=$(sum "$CONF")
expect_err "report -o the configuration is refused" 4 "is the configuration" \
	$S report --today -o "$CONF"
[ "$(sum "$CONF")" = "$conf_before" ] && ok "the configuration is untouched" ||
	not_ok "the configuration is untouched"
printf 'keep me\n' >"$TMP/target.txt"
ln -s "$TMP/target.txt" "$TMP/link.txt"
expect_err "report -o a symlink is refused" 4 "symbolic link" $S report --today -o "$TMP/link.txt"
[ -L "$TMP/link.txt" ] && [ "$(cat "$TMP/target.txt")" = "keep me" ] &&
	ok "the symlink and its target are untouched" || not_ok "the symlink and its target are untouched"
mkdir "$TMP/adir"
expect_err "report -o a directory is refused" 4 "not a regular file" $S report --today -o "$TMP/adir"
expect_err "report -o '' is a usage error" 2 "empty file name" $S report --today -o ""
run $S report --today -o -
[ "$rc" -eq 0 ] && grep -q "BREACHES IN THE PERIOD (1)" "$TMP/out" && [ ! -e ./- ] &&
	ok "report -o - writes standard output" || not_ok "report -o - writes standard output" "exit $rc"
expect_status "report -o a new file works" 0 $S report --today -o "$TMP/r.txt"
grep -q "BREACHES IN THE PERIOD (1)" "$TMP/r.txt" && ok "the new file holds the report" ||
	not_ok "the new file holds the report"
expect_status "report -o an existing regular file replaces it" 0 $S report --today -o "$TMP/target.txt"
grep -q "BREACHES IN THE PERIOD (1)" "$TMP/target.txt" && ok "the regular file holds the report" ||
	not_ok "the regular file holds the report"
mkfifo "$TMP/fifo"
timeout 30 cat "$TMP/fifo" >"$TMP/fifo.out" &
expect_status "report -o a FIFO writes into it" 0 $S report --today -o "$TMP/fifo"
wait
[ -p "$TMP/fifo" ] && grep -q "BREACHES IN THE PERIOD (1)" "$TMP/fifo.out" &&
	ok "the FIFO stays a FIFO and the reader got the report" ||
	not_ok "the FIFO stays a FIFO and the reader got the report"
if [ "$(id -u)" -eq 0 ]; then
	# as root a rename over /dev/null would replace the device for everyone:
	# a device made for the test stands in for it
	mknod "$TMP/null" c 1 3
	expect_status "report -o a character device writes into it" 0 $S report --today -o "$TMP/null"
	[ -c "$TMP/null" ] && ok "the device stays a device" || not_ok "the device stays a device"
else
	expect_status "report -o /dev/null writes into it" 0 $S report --today -o /dev/null
	[ -c /dev/null ] && ok "the device stays a device" || not_ok "the device stays a device"
fi
ls -a "$TMP" | grep -q '^\.r\.txt\.\|^\.target\.txt\.' &&
	not_ok "no temporary files are left" "$(ls -a "$TMP")" || ok "no temporary files are left"

# ---- item 4: a database this user may only read -------------------------------
RO=$TMP/ro
mkdir -p "$RO"
cp "$CONF" "$RO/config"
if on_pg; then
	# the server's counterpart of a file this user may only read: a role
	# that may only SELECT, on the same database
	reader=t050_reader_$$
	READER_URL=$(pg_reader "$URL" "$reader")
	as_reader() { SLATRACK_DB=$READER_URL "$@"; }
	R="$SLATRACK --config $RO/config --now $NOW"
	ro_sum() { db_sum; }
	refused='read-only to you'
else
	cp "$DB" "$RO/t.db"
	$SLATRACK --db "$RO/t.db" --config "$CONF" init >/dev/null	# -wal and -shm beside it
	if [ "$(id -u)" -eq 0 ]; then
		chmod 755 "$TMP" "$RO"
		chmod 644 "$RO/t.db" "$RO/t.db-wal" "$RO/t.db-shm"
		as_reader() { env HOME="$RO" setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	else
		chmod 555 "$RO"
		chmod 444 "$RO/t.db" "$RO/t.db-wal" "$RO/t.db-shm"
		as_reader() { "$@"; }
	fi
	R="$SLATRACK --db $RO/t.db --config $RO/config --now $NOW"
	ro_sum() { sum "$RO/t.db"; }
	refused='read-only to you'
fi
ro_before=$(ro_sum)
for c in "ticket list" "ticket show 1" "report --today" "report --today --format csv" \
	"export" "audit verify" "doctor" "partner list" "partner show acme"; do
	run as_reader $R $c
	if [ "$rc" -eq 0 ] && [ -s "$TMP/out" ]; then ok "read-only: $c works"
	else not_ok "read-only: $c works" "exit $rc" "$(head -c 400 "$TMP/err")"; fi
done
run as_reader $R ticket list
grep -q "Printer on fire" "$TMP/out" && ok "read-only: the list shows the tickets" ||
	not_ok "read-only: the list shows the tickets"
run as_reader $R ticket note 1 "hello"
if [ "$rc" -eq 4 ] && grep -q "$refused" "$TMP/err"; then
	ok "read-only: a command that writes says the database is read-only"
else not_ok "read-only: a command that writes says the database is read-only" "exit $rc" "$(cat "$TMP/err")"; fi
[ "$(ro_sum)" = "$ro_before" ] && ok "read-only: the file is unchanged" ||
	not_ok "read-only: the file is unchanged"
if on_pg; then
	pg_drop_reader "$URL" "$reader"
fi

# ---- a full disk ----------------------------------------------------------------
if sqlite_only "a full disk under the database file (a tmpfs)"; then
	:
elif [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	cat >"$TMP/full.sh" <<SH
set -u
mount -t tmpfs -o size=2m tmpfs "$TMP/full" || exit 99
cp "$DB" "$TMP/full/t.db"
$SLATRACK --db "$TMP/full/t.db" --config "$CONF" init >/dev/null || exit 98
dd if=/dev/zero of="$TMP/full/filler" bs=4k 2>/dev/null
for i in \$(seq 1 40); do
	$SLATRACK --db "$TMP/full/t.db" --config "$CONF" --now $NOW ticket add --partner acme \
		--severity high --summary "\$(head -c 3000 /dev/zero | tr '\\\\0' x) \$i" \
		>/dev/null 2>"$TMP/full.err" || exit \$?
done
exit 0
SH
	mkdir -p "$TMP/full"
	run unshare -m sh "$TMP/full.sh"
	if [ "$rc" -eq 4 ] && grep -q "disk full" "$TMP/full.err" && grep -q "$TMP/full/t.db" "$TMP/full.err"; then
		ok "a full disk says disk full and names the database"
	else
		not_ok "a full disk says disk full and names the database" "exit $rc" "$(cat "$TMP/full.err" 2>/dev/null)"
	fi
else
	echo "# not root: the full-disk check needs a tmpfs (mount) and runs in CI"
fi
