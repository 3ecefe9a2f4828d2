#!/bin/sh
# t107-remind-dry-run.sh: `remind --dry-run` (digests and --per-ticket,
# mails to owners, the team and managers, a webhook) prints exactly what
# it printed before remind took the due tickets a batch at a time (the
# golden file remind-dry-run.golden, with the installation's random id
# and the hashes derived from it normalised), and changes nothing.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/server/remind-lib.sh"

cat >"$TMP/conf" <<EOF2
[smtp]
url = smtp://127.0.0.1:1
from = sla@example.com
[remind]
team = support@example.com
[report]
managers = boss@example.com, cto@example.com
zone = Europe/Dublin
[staff "bob"]
email = bob@example.com
zone = Asia/Kolkata
[webhook "ops"]
url = http://127.0.0.1:1/hook
format = opsgenie
EOF2
world
SL --now 2026-03-02T09:30:00Z ticket add --partner acme --severity high \
	--summary "Export stuck at 99 %" --key ACME-3 --assignee bob >/dev/null
SL --now 2026-03-02T10:00:00Z ticket add --partner acme --severity critical \
	--summary "Answered in time" --key ACME-4 --assignee bob >/dev/null
SL --now 2026-03-02T11:00:00Z ticket respond ACME-4 >/dev/null
install=$(sql "SELECT value FROM meta WHERE key = 'install_id'")
norm() {
	sed -e "s/$install/INSTALL/g" -e "s/${install%????????????????}/INSTALL16/g" \
		-e 's/=_slatrack_[0-9a-f]\{24\}/=_slatrack_BOUNDARY/g' \
		-e 's/digest\.[0-9a-f]\{20\}\./digest.HASH./g' \
		-e 's/^\(Message-ID\|In-Reply-To\|References\): <remind\.\([0-9]*\)\.\([0-9]*\)\.[0-9a-f]\{8\}\./\1: <remind.\2.\3.HASH./' \
		-e 's/remind\.\([0-9]*\)\.\([0-9]*\)\.[0-9a-f]\{8\}\./remind.\1.\2.HASH./g'
}
events=$(sql "SELECT count(*) FROM events")
{
	for at in 2026-03-02T21:30:00Z 2026-03-03T09:30:00Z; do
		for mode in --digest --per-ticket; do
			echo "######## remind --dry-run $mode at $at"
			SL --now $at remind --dry-run $mode -v 2>&1
			echo "######## exit $?"
		done
	done
} | norm >"$TMP/got"
if cmp -s "$TMP/got" "$HERE/remind-dry-run.golden"
then ok "dry run: the same output as before batches"
else not_ok "dry run: the same output as before batches" "$(diff "$HERE/remind-dry-run.golden" "$TMP/got" | head -n 20)"; fi
if [ "$(sql "SELECT count(*) FROM events")" = "$events" ] && [ "$(sql "SELECT count(*) FROM reminders")" = 0 ]
then ok "dry run: nothing changed"; else not_ok "dry run: nothing changed"; fi
