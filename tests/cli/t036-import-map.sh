#!/bin/sh
# t036-import-map.sh: import --map jira|zendesk|FILE: helpdesk CSV exports
# (tests/data/import/README.md), their dates, repeated columns and value
# tables; all or nothing with the export's FILE:LINE in every error.
. "$(dirname "$0")/../lib.sh"
D=$DATA/import
printf '[partner "acme"]\njira = SUP\nzendesk = Acme Corp\n' >"$TMP/conf"
SL() { "$SLATRACK" --db "$TMP/db" --config "$TMP/conf" --now 2026-12-05T00:00:00Z "$@"; }
sql() { sqlite3 "$TMP/db" "$1"; }
if on_pg; then	# no strftime() there
	iso() { echo "ifnull(to_char(to_timestamp($1) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-')"; }
else
	iso() { echo "ifnull(strftime('%Y-%m-%dT%H:%M:%SZ', $1, 'unixepoch'), '-')"; }
fi
rows() { sql "SELECT key, severity, summary, ifnull(assignee,'-'), ifnull(customer,'-'), $(iso created_at), $(iso first_response_at), $(iso resolved_at) FROM tickets WHERE key LIKE '$1%' ORDER BY id"; }
SL partner add acme --name Acme --tz Europe/Berlin >/dev/null || echo "not ok - partner add"

expect_out "jira: dry run" "$D/jira-export.csv: 3 rows checked: 3 tickets would be added, 0 already present (dry run: nothing written)" \
	SL import --dry-run --map jira "$D/jira-export.csv"
expect_out "jira: imported" "imported 3 tickets from $D/jira-export.csv (0 rows already present)" \
	SL import --map jira "$D/jira-export.csv"
want="SUP-1|high|Checkout page returns 500|Bob Builder|-|2026-12-01T08:30:00Z|2026-12-01T09:15:00Z|-
SUP-2|critical|Invoices missing|-|-|2026-12-02T13:00:00Z|2026-12-02T13:30:00Z|2026-12-03T09:00:00Z
SUP-3|low|Question about SSO|-|-|2026-12-04T11:05:00Z|-|-"
got=$(rows SUP-)
if [ "$got" = "$want" ]; then ok "jira: dates in the partner's zone, priorities, first comment not by the reporter"
else not_ok "jira: mapping" "want: $want" "got:  $got"; fi
expect_out "jira: a second import changes nothing" "imported 0 tickets from $D/jira-export.csv (3 rows already present)" \
	SL import --map jira "$D/jira-export.csv"
if [ "$(sql "SELECT count(*) FROM events WHERE kind = 'ticket.import'")" = 3 ] &&
	[ "$(sql "SELECT substr(new, 1, 19) FROM events WHERE kind = 'ticket.import' ORDER BY id LIMIT 1 OFFSET 1")" = "jira-export.csv:4: " ]
then ok "jira: one ticket.import event per ticket, naming the export's line"; else not_ok "jira: events" "$(sql "SELECT new FROM events WHERE kind = 'ticket.import'")"; fi

n=$(sql 'SELECT count(*) FROM tickets')
run SL import --map jira "$D/jira-bad.csv"
if [ $rc -eq 3 ] && grep -q "^$D/jira-bad.csv:4: Priority: 'Blocker' has no severity (add it to jira.severity" "$TMP/err" &&
	grep -q "^$D/jira-bad.csv:5: Created: bad date '2026-13-45' (expected %d/%b/%y %I:%M %p)" "$TMP/err" &&
	grep -q "2 problems in $D/jira-bad.csv: nothing imported" "$TMP/err" &&
	[ "$(sql 'SELECT count(*) FROM tickets')" = "$n" ]
then ok "jira: bad rows named by the export's own lines, nothing imported"; else not_ok "jira: bad rows" "rc=$rc" "$(cat "$TMP/err")"; fi
run SL import --map jira "$D/jira-unknown-project.csv"
if [ $rc -eq 3 ] && grep -q "^$D/jira-unknown-project.csv:4: .*NOPE" "$TMP/err" &&
	[ "$(sql "SELECT count(*) FROM tickets WHERE key LIKE 'UNK-%'")" = 0 ]
then ok "jira: an unknown partner is named with the export's line"; else not_ok "jira: unknown partner" "rc=$rc" "$(cat "$TMP/err")"; fi

expect_out "zendesk: imported" "imported 2 tickets from $D/zendesk-export.csv (0 rows already present)" \
	SL import --map zendesk "$D/zendesk-export.csv"
want="ZD-101|critical|Cannot log in|Bob Builder|Alice Buyer|2026-12-01T08:30:00Z|2026-12-01T09:15:00Z|2026-12-02T09:00:00Z
ZD-102|low|Export is slow|-|Carl|2026-12-03T15:00:00Z|-|-"
got=$(rows ZD-)
if [ "$got" = "$want" ]; then ok "zendesk: organization, priority, requester, first reply minutes, solved at"
else not_ok "zendesk: mapping" "want: $want" "got:  $got"; fi

expect_out "mapping file: imported" "imported 2 tickets from $D/helpdesk-export.csv (0 rows already present)" \
	SL import --map "$D/helpdesk.map" "$D/helpdesk-export.csv"
want="FD-7|critical|Printer jam|-|-|2026-12-01T08:30:00Z|2026-12-01T09:00:00Z|-
FD-8|low|Toner|-|-|2026-12-02T13:00:00Z|-|2026-12-03T07:00:00Z"
got=$(rows FD-)
if [ "$got" = "$want" ]; then ok "mapping file: columns, value tables, date format, key prefix"
else not_ok "mapping file" "want: $want" "got:  $got"; fi

printf 'column key = Id\ncolumn summary = S\nwhat = ever\n' >"$TMP/bad.map"
expect_err "mapping file: an unknown setting names FILE:LINE" 3 "bad.map:3: unknown setting 'what'" \
	SL import --map "$TMP/bad.map" "$D/helpdesk-export.csv"
printf 'column key = Id\ncolumn summary = S\ncolumn severity = P\ncolumn created = C\ncolumn partner = X\nseverity P1 = urgent\n' >"$TMP/bad.map"
expect_err "mapping file: a bad severity names FILE:LINE" 3 "bad.map:6: 'urgent' is not one of critical" \
	SL import --map "$TMP/bad.map" "$D/helpdesk-export.csv"
expect_err "a mapped export without its key column" 3 "helpdesk-export.csv:1: no column 'Issue key' \\(the jira map reads key from it\\)" \
	SL import --map jira "$D/helpdesk-export.csv"
expect_err "--map with a missing file" 3 "cannot open 'nope.map' \\(expected jira, zendesk or a mapping file\\)" \
	SL import --map nope.map "$D/helpdesk-export.csv"
