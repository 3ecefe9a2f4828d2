#!/bin/sh
# The deadline vectors (computed by an independent implementation of
# the working-time rules of slatrack(1)) through the command line, both ways:
#   one `deadline --at ... --format iso` per vector, and
#   one `deadline --batch` per schedule.
. "$(dirname "$0")/../lib.sh"
VEC=$DATA/vectors.txt
CALS=$DATA/vectors

grep -v '^#' "$VEC" | grep . >"$TMP/vectors"
n=0
bad=0
while IFS=';' read -r zone cal days hours target created want; do
	n=$((n + 1))
	set -- --tz "$zone" --workdays "$days" --hours "$hours" --target "$target"
	[ -n "$cal" ] && set -- "$@" --calendar "$CALS/$cal"
	got=$("$SLATRACK" deadline "$@" --at "$created" --format iso 2>&1)
	if [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		not_ok "vector $n: $zone $cal $days $hours $created" "want $want" "got  $got"
	fi
done <"$TMP/vectors"
[ "$bad" -eq 0 ] && ok "all $n vectors with --at --format iso"

# --batch, one run per schedule, answers in input order
cut -d';' -f1-5 "$TMP/vectors" | sort -u >"$TMP/schedules"
while IFS=';' read -r zone cal days hours target; do
	key="$zone;$cal;$days;$hours;$target;"
	grep -F "$key" "$TMP/vectors" | cut -d';' -f6,7 | tr ';' ',' >"$TMP/want"
	set -- --tz "$zone" --workdays "$days" --hours "$hours" --target "$target"
	[ -n "$cal" ] && set -- "$@" --calendar "$CALS/$cal"
	cut -d, -f1 "$TMP/want" | "$SLATRACK" deadline "$@" --batch >"$TMP/got" 2>"$TMP/err"
	if cmp -s "$TMP/want" "$TMP/got"; then ok "batch $zone $cal $days $hours"
	else not_ok "batch $zone $cal $days $hours" "$(diff "$TMP/want" "$TMP/got" | head -5)" \
		"$(head -3 "$TMP/err")"; fi
done <"$TMP/schedules"
