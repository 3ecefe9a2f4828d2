#!/bin/sh
# kill -9 during `backup` and `restore` (issue 10, item 9): the killed run
# leaves its temporary (as large as the database) beside the target; the
# next backup or restore into that directory, and doctor, remove it, and
# never the temporary of a run that is still alive.  The test hook stops
# the process (SIGSTOP) with its temporary written, so the kill lands
# there every time.
. "$(dirname "$0")/../lib.sh"
S=$SLATRACK
NOW=2026-02-01T00:00:00Z
# wait_stopped PID: until the process has stopped itself, at most 30 s
wait_stopped() {
	n=0
	while [ $n -lt 300 ]; do
		st=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
		[ "$st" = T ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
# stopped_run WHAT CMD...: runs CMD with the hook that stops it in WHAT;
# $pid is the stopped process (killed and reaped when it did not stop)
stopped_run() {
	what=$1; shift
	SLATRACK_TEST_HOOKS=1 SLATRACK_TEST_STOP_IN=$what "$@" >/dev/null 2>&1 &
	pid=$!
	if ! wait_stopped $pid; then
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		not_ok "$what: the process stopped at the hook"
		return 1
	fi
}
kill9() { kill -9 "$1"; wait "$1" 2>/dev/null; }
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# integrity DB: "ok" when the database passes the integrity check (on
# PostgreSQL the server checks its pages: doctor's check of the audit
# trail's guards and the foreign keys), else the problems
integrity() {
	if on_pg; then
		$S --db "$1" --now $NOW doctor 2>&1 | grep '^integrity ' | sed 's/^integrity *ok: .*/ok/'
	else sqlite3 "$1" 'PRAGMA integrity_check'; fi
}

mkdir -p "$TMP/live" "$TMP/bk"
DB=$TMP/live/live.db
$S --db "$DB" --now $NOW partner add acme --name Acme --tz Europe/Berlin >/dev/null
$S --db "$DB" --now $NOW ticket add --partner acme --severity high --summary one --key K-1 >/dev/null
# a few MB of tickets: the temporaries are as large as the database
if on_pg; then	# the store gives ids itself; 16000 random hex digits each
	sqlite3 "$DB" "INSERT INTO tickets (id, partner_id, severity, summary, created_at, updated_at)
		SELECT 1 + i, 1, 'low', (SELECT string_agg(md5(random()::text || i || j), '')
		FROM generate_series(1, 500) AS g(j)), 0, 0 FROM generate_series(1, 300) AS c(i)"
	# the size of the database: that of a whole backup of it
	$S --db "$DB" backup "$TMP/whole.db" >/dev/null
	dbsize=$(size "$TMP/whole.db")
else
	sqlite3 "$DB" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300)
		INSERT INTO tickets (partner_id, severity, summary, created_at, updated_at)
		SELECT 1, 'low', hex(randomblob(8000)), 0, 0 FROM c"
	dbsize=$(size "$DB")
fi

# -- backup ------------------------------------------------------------------
stopped_run backup $S --db "$DB" backup "$TMP/bk/b1.db" && {
	killed=$pid
	left=$TMP/bk/.b1.db.backup.$killed.tmp
	# a run that is alive (stopped, not killed) keeps its temporary
	run $S --db "$DB" backup "$TMP/bk/b2.db"
	check "a backup beside a live one succeeds" 0 "$rc"
	[ -f "$left" ] && ok "... and leaves the live run's temporary alone" ||
		not_ok "live temporary kept" "$(ls -a "$TMP/bk")"
	kill9 $killed
	if [ -f "$left" ] && [ "$(size "$left")" -ge $((dbsize / 2)) ]; then
		ok "kill -9 during backup leaves a full-size temporary ($(size "$left") bytes)"
	else not_ok "leftover after kill -9" "$(ls -la "$TMP/bk")"; fi
	[ -e "$TMP/bk/b1.db" ] && not_ok "the killed backup's target does not exist" ||
		ok "the killed backup's target does not exist"
	run $S --db "$DB" backup "$TMP/bk/b3.db"
	check "the next backup into that directory succeeds" 0 "$rc"
	expect_grep "... names what it removed" \
		"^slatrack: removed '$left' \([0-9]+ bytes\), left by an interrupted backup or restore \(process $killed\)\$" "$TMP/err"
	check "... and nothing is left over" "" "$(ls -a "$TMP/bk" | grep '\.tmp')"
	check "the backups are whole" "ok ok" \
		"$(sqlite3 "$TMP/bk/b2.db" 'PRAGMA integrity_check') $(sqlite3 "$TMP/bk/b3.db" 'PRAGMA integrity_check')"
	[ "$(sqlite3 "$TMP/bk/b2.db" 'SELECT count(*) FROM tickets')" = 301 ] && ok "the backups hold every ticket" ||
		not_ok "the backups hold every ticket"
}

# -- restore -----------------------------------------------------------------
# its check copy goes beside the database, or beside FILE for a server
# database (which doctor, having no directory, does not sweep: the next
# backup or restore into FILE's directory does)
SRC=$TMP/bk/b2.db
if on_pg; then near=$TMP/bk/.b2.db; else near=$TMP/live/.live.db; fi
before=$(sqlite3 "$DB" 'SELECT count(*) FROM tickets')
stopped_run restore $S --db "$DB" --now $NOW restore "$SRC" --force && {
	killed=$pid
	left=$near.restore.$killed.tmp
	kill9 $killed
	if [ -f "$left" ] && [ "$(size "$left")" -ge $((dbsize / 2)) ] && [ -f "$left-wal" ]; then
		ok "kill -9 during restore leaves a full-size temporary and its -wal"
	else not_ok "restore leftover after kill -9" "$(ls -la "$(dirname "$left")")"; fi
	check "the live database is untouched by the killed restore" "ok $before" \
		"$(integrity "$DB") $(sqlite3 "$DB" 'SELECT count(*) FROM tickets')"
	if on_pg; then
		run $S --db "$DB" backup "$TMP/bk/b4.db"
		expect_grep "the next backup beside it removes it and says so" \
			"^slatrack: removed '$left' \([0-9]+ bytes\), left by an interrupted backup or restore \(process $killed\)\$" "$TMP/err"
		check "... file and companions gone" "" "$(ls -a "$TMP/bk" | grep '\.tmp')"
		run $S --db "$DB" --now $NOW doctor
		expect_grep "doctor: nothing beside a server database" \
			'^leftovers +ok: none beside a server database$' "$TMP/out"
	else
		run $S --db "$DB" --now $NOW doctor
		expect_grep "doctor removes it and says so" \
			"^leftovers +removed '$left' \([0-9]+ bytes\), left by an interrupted backup or restore \(process $killed\)\$" "$TMP/out"
		check "... file and companions gone" "" "$(ls -a "$TMP/live" | grep '\.tmp')"
		run $S --db "$DB" --now $NOW doctor
		expect_grep "doctor: none left" \
			'^leftovers +ok: no temporary files of an interrupted backup or restore$' "$TMP/out"
	fi
}
stopped_run restore $S --db "$DB" --now $NOW restore "$SRC" --force && {
	killed=$pid
	kill9 $killed
	[ -f "$near.restore.$killed.tmp" ] && ok "a second killed restore leaves its temporary" ||
		not_ok "second restore leftover" "$(ls -a "$(dirname "$near")")"
	if on_pg; then	# a server database is restored into only while it holds no data
		run $S --db "$TMP/live/new.db" --now $NOW restore "$SRC"
	else
		run $S --db "$DB" --now $NOW restore "$SRC" --force
	fi
	check "the next restore succeeds" 0 "$rc"
	expect_grep "... names what it removed" \
		"^slatrack: removed '$near.restore.$killed.tmp' \([0-9]+ bytes\)" "$TMP/err"
	check "... and nothing is left over" "" "$(ls -a "$(dirname "$near")" | grep '\.tmp')"
}

# -- what is never removed -----------------------------------------------------
# a temporary whose process is alive (this shell), and one whose process
# is gone but whose lock another process holds (as in another PID
# namespace); and files that merely look alike
sh -c 'exit 0' & gone=$!; wait $gone
: >"$TMP/live/.x.db.restore.$$.tmp"
: >"$TMP/live/.notes.txt.backup.$gone"
: >"$TMP/live/.backup.$gone.tmp"
python3 - "$TMP/live/.y.db.backup.$gone.tmp" "$TMP/locked" <<'EOF' &
import fcntl, os, struct, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, 0, 1, 0))
open(sys.argv[2], "w").close()
for _ in range(600):
    if not os.path.exists(sys.argv[2]):
        break
    time.sleep(0.05)
EOF
holder=$!
n=0; while [ ! -e "$TMP/locked" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
if on_pg; then	# doctor sweeps no directory there: a backup into it does
	run $S --db "$DB" backup "$TMP/live/swept.db"
	rm -f "$TMP/locked"; wait $holder
	check "a backup beside them keeps the temporaries of live or locked runs and look-alikes" \
		"0 .backup.$gone.tmp .notes.txt.backup.$gone .x.db.restore.$$.tmp .y.db.backup.$gone.tmp" \
		"$rc $(ls -A "$TMP/live" | grep -v '^swept\.db$' | sort | tr '\n' ' ' | sed 's/ $//')"
else
	run $S --db "$DB" --now $NOW doctor
	rm -f "$TMP/locked"; wait $holder
	check "doctor keeps the temporaries of live or locked runs and look-alikes" \
		".backup.$gone.tmp .notes.txt.backup.$gone .x.db.restore.$$.tmp .y.db.backup.$gone.tmp" \
		"$(ls -A "$TMP/live" | grep -v '^live\.db' | sort | tr '\n' ' ' | sed 's/ $//')"
fi
