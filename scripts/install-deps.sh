#!/bin/sh
# Installs the Debian packages slatrack needs to build and test, when they
# are missing.  As root it runs apt-get; otherwise it prints the command.
set -u
PKGS="build-essential pkg-config libsqlite3-dev libical-dev libncurses-dev \
libcurl4-openssl-dev libjansson-dev libcriterion-dev tzdata tmux python3 python3-aiosmtpd \
sqlite3 mandoc openssl chromium libpq-dev postgresql strace"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "install-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing ||
		{ echo "install-deps: apt-get failed" >&2; exit 1; }
else
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
