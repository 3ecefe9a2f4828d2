# tests/server/remind-lib.sh: shared by tests/server/t1*-remind-*.sh (sourced
# after tests/lib.sh).  Starts real servers on loopback (smtpd.py,
# webhookd.py), stops them on exit, and builds a small world of partners
# and tickets with the CLI.
HERE=$TOP/tests/server
SERVERS=""

# a Python with aiosmtpd (Debian's python3-aiosmtpd lives in /usr/bin/python3)
PY=""
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import aiosmtpd' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "not ok - python3 with aiosmtpd (install python3-aiosmtpd)"
	exit 1
fi

stop_servers() {
	for pid in $SERVERS; do kill "$pid" 2>/dev/null; done
	for pid in $SERVERS; do wait "$pid" 2>/dev/null; done
	SERVERS=""
}
trap 'stop_servers; rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT PIPE TERM		# so the servers stop on a signal too

# wait_port DIR: waits (up to 10 s) for DIR/port; prints the port
wait_port() {
	i=0
	while [ ! -s "$1/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	cat "$1/port"
}

# start_smtp NAME MODE [OPTIONS]: a server saving into $TMP/NAME; sets PORT
start_smtp() {
	name=$1 mode=$2; shift 2
	rm -rf "$TMP/$name"
	mkdir -p "$TMP/$name"
	"$PY" "$HERE/smtpd.py" "$mode" "$TMP/$name" "$@" 2>"$TMP/$name.log" &
	SERVERS="$SERVERS $!"
	PORT=$(wait_port "$TMP/$name")
}

# start_web NAME MODE: the webhook server; sets WPORT
start_web() {
	rm -rf "$TMP/$1"
	mkdir -p "$TMP/$1"
	"$PY" "$HERE/webhookd.py" "$2" "$TMP/$1" 2>"$TMP/$1.log" &
	SERVERS="$SERVERS $!"
	WPORT=$(wait_port "$TMP/$1")
}

# the self-signed certificate the STARTTLS server presents
make_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
}

nmsg() { ls "$TMP/$1" 2>/dev/null | grep -c '\.eml$'; }
list_mail() { "$PY" "$HERE/mailcheck.py" list "$TMP/$1"; }
mail_text() { "$PY" "$HERE/mailcheck.py" text "$TMP/$1" "$2"; }
sql() { sqlite3 "$TMP/db" "$1"; }

SL() { "$SLATRACK" --db "$TMP/db" --config "$TMP/conf" "$@"; }

# world: partner acme (Europe/Berlin, Mon-Fri, whole days, 24 h targets);
# ACME-1 critical for bob, ACME-2 high unassigned, both created Monday
# 2026-03-02 10:00 Berlin (09:00Z): deadline Tue 09:00Z.  Thresholds:
# 50 % at Mon 21:00Z, 75 % Tue 03:00Z, 90 % Tue 06:36Z, breach after 09:00Z.
world() {
	SL --now 2026-03-02T08:00:00Z partner add acme --name "Acme Corp" \
		--tz Europe/Berlin >/dev/null || echo "not ok - partner add"
	SL --now 2026-03-02T09:00:00Z ticket add --partner acme --severity critical \
		--summary "Printer on fire" --key ACME-1 --assignee bob >/dev/null ||
		echo "not ok - ticket add 1"
	SL --now 2026-03-02T09:00:00Z ticket add --partner acme --severity high \
		--summary "Login fails" --key ACME-2 >/dev/null || echo "not ok - ticket add 2"
	first_run 2026-03-02T09:00:00Z
}

# first_run INSTANT: the first `remind` on the database, while nothing is
# due: it goes ahead (nothing to send) and later runs are not first runs
first_run() {
	SL --now "$1" remind >/dev/null || echo "not ok - first remind run"
}
