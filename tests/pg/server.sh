#!/bin/sh
# A throwaway PostgreSQL cluster for the tests, on a unix socket in DIR only.
#   server.sh start DIR       initdb (first time) and start; 0 when up,
#                             3 when the server binaries are missing
#   server.sh stop DIR        pg_ctl stop -m fast
#   server.sh url DIR NAME    create database NAME, print its URL
# As root the cluster runs as `postgres` (else `nobody`): postgres refuses root.
set -u
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR [NAME]" >&2; exit 2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
	echo "PostgreSQL server binaries not found (Debian: apt-get install postgresql)" >&2
	exit 3
fi

if [ "$(id -u)" -eq 0 ]; then
	user=postgres
	id -u "$user" >/dev/null 2>&1 || user=nobody
	as() { runuser -u "$user" -- "$@"; }
else
	user=$(id -un)
	as() { "$@"; }
fi

data=$dir/data
log=$dir/server.log

ready() { as "$bindir/pg_isready" -q -h "$dir" -U slatrack -d postgres; }

start() {
	mkdir -p "$dir" || exit 1
	[ "$(id -u)" -eq 0 ] && chown "$user" "$dir"
	if [ ! -f "$data/PG_VERSION" ]; then
		as "$bindir/initdb" -D "$data" -U slatrack --auth=trust -E UTF8 --no-locale \
			>"$dir/initdb.log" 2>&1 || { echo "initdb failed:" >&2; tail -n 20 "$dir/initdb.log" >&2; exit 1; }
	fi
	ready && exit 0
	as "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 -s \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=100 -c shared_buffers=16MB" \
		start >/dev/null 2>&1
	i=0
	while ! ready; do
		i=$((i + 1))
		if [ $i -gt 30 ]; then
			echo "PostgreSQL did not start within 30 s in $dir; log tail:" >&2
			tail -n 30 "$log" >&2
			exit 1
		fi
		sleep 1
	done
}

case $cmd in
start) start ;;
stop) [ -f "$data/postmaster.pid" ] || exit 0
	as "$bindir/pg_ctl" -D "$data" -m fast -w -s stop ;;
url) name=${3:?database name}	# a fresh, empty database each time
	psql=$bindir/psql; [ -x "$psql" ] || psql=psql
	PGOPTIONS="-c client_min_messages=warning" \
	"$psql" -q -X -v ON_ERROR_STOP=1 -h "$dir" -U slatrack -d postgres \
		-c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" \
		-c "CREATE DATABASE \"$name\"" >/dev/null || exit 1
	echo "postgresql:///$name?host=$dir&user=slatrack" ;;
*) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
