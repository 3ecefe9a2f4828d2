#!/bin/sh
# Helpdesk links: [helpdesk] ticket_url and [partner "KEY"] ticket_url
# (which wins) give `ticket show` a link line with {key}, {id} and
# {partner} filled in percent-encoded; a ticket without a key gets none
# from a {key} template; a bad template is refused naming FILE:LINE.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/t.db
NOW=2026-01-12T09:00:00Z
export SLATRACK_CONFIG=$TMP/config SLATRACK_USER=alice
S="$SLATRACK --db $DB --now $NOW"
: >"$SLATRACK_CONFIG"

$S partner add acme --name Acme --tz Europe/Berlin >/dev/null &&
$S partner add globex --name Globex --tz UTC >/dev/null &&
$S ticket add --partner acme --severity high --summary one --key 'ACME-1' >/dev/null &&
$S ticket add --partner acme --severity high --summary two --key 'a b/ü?&#' >/dev/null &&
$S ticket add --partner acme --severity high --summary three >/dev/null &&
$S ticket add --partner globex --severity high --summary four --key G-4 >/dev/null ||
	not_ok "setup"

link() { $S ticket show "$1" | sed -n 's/^link  *//p'; }

expect_out "no template, no link line" "" link 1
cat >"$SLATRACK_CONFIG" <<'EOF2'
[helpdesk]
ticket_url = https://support.example.com/browse/{key}
[partner "globex"]
ticket_url = https://globex.zendesk.example/agent/tickets/{id}?from={partner}
EOF2
expect_out "the global template fills in the key" \
	"https://support.example.com/browse/ACME-1" link 1
expect_out "the key is percent-encoded (UTF-8 bytes too)" \
	"https://support.example.com/browse/a%20b%2F%C3%BC%3F%26%23" link 2
expect_out "a {key} template gives no link without a key" "" link 3
expect_out "the partner's template wins, with {id} and {partner}" \
	"https://globex.zendesk.example/agent/tickets/4?from=globex" link 4

bad() {
	name=$1 line=$2 pat=$3
	printf '[helpdesk]\n# comment\nticket_url = %s\n' "$line" >"$SLATRACK_CONFIG"
	expect_err "$name" 3 "config:3: .*$pat" $S ticket show 1
}
bad "a template must be http(s)" 'ftp://x/{key}' 'https://'
bad "an unknown placeholder is named" 'https://x/{ticket}' 'unknown placeholder'
bad "no blanks in a template" 'https://x/a b/{key}' 'no spaces'
bad "no quotes in a template" 'https://x/"{key}"' 'quotes'
bad "a lone brace" 'https://x/{key}}' 'without its'
