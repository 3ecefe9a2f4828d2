#!/bin/sh
# make-v6.sh: how v6.db was made: by the release before the SLA model
# (schema version 6, commit eab5ea7), so tests/unit/test_pause.c can check
# that a database of that release migrates with nothing lost.
#   git archive eab5ea7 | tar -x -C /tmp/old && make -C /tmp/old
#   sh make-v6.sh /tmp/old/build/slatrack
set -e
S=${1:?usage: make-v6.sh OLD_SLATRACK}
export SLATRACK_DB="$(dirname "$0")/v6.db"
rm -f "$SLATRACK_DB"
$S --now 2026-01-05T08:00Z partner add acme --name "Acme GmbH" --tz Europe/Berlin --target medium=48h
$S --now 2026-01-05T08:00Z partner add globex --name "Globex" --tz America/New_York --hours 09:00-17:00
$S --now 2026-01-09T11:00Z ticket add --partner acme --severity critical --summary "Login broken" --key ACME-1
$S --now 2026-01-09T12:00Z ticket add --partner acme --severity medium --summary "Slow export" --key ACME-2
$S --now 2026-01-09T15:00Z ticket add --partner globex --severity high --summary "Invoices wrong" --key GLX-7
$S --now 2026-01-09T16:00Z ticket respond ACME-1 --by alice
$S --now 2026-01-13T16:00Z ticket resolve ACME-2
$S --now 2026-01-13T17:00Z ticket note GLX-7 "customer called"
$S audit verify
