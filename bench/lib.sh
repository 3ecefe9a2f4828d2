# bench/lib.sh: the set-up the benchmarks share (sourced, not run).

# bench_partners BIN DB: the three partners of the queue benchmarks, each
# with a shipped holiday calendar (Berlin, Tokyo with 09:00-18:00, New York).
bench_partners() {
	"$1" --db "$2" --now 2025-01-01T00:00:00Z partner add acme --name Acme \
		--tz Europe/Berlin --calendar calendars/DE.ics >/dev/null
	"$1" --db "$2" --now 2025-01-01T00:00:00Z partner add zen --name Zen \
		--tz Asia/Tokyo --calendar calendars/JP.ics --hours 09:00-18:00 >/dev/null
	"$1" --db "$2" --now 2025-01-01T00:00:00Z partner add usa --name Usa \
		--tz America/New_York --calendar calendars/US.ics >/dev/null
}

# bench_tickets_csv N: an import CSV of N tickets (MP-100000...) for those
# partners, every severity, created at random instants of 2025 (seed 11,
# so every run and every binary gets the same file).
bench_tickets_csv() {
	python3 - "$1" <<'PY'
import random, sys, time
random.seed(11)
n = int(sys.argv[1])
lo, hi = 1735689600, 1767225600   # 2025
sev = ('critical', 'high', 'medium', 'low')
out = sys.stdout
out.write('key,partner,severity,summary,customer,assignee,created\n')
for i in range(n):
    out.write('MP-%d,%s,%s,"Ticket %d: login fails, error 500",Customer %d,agent%d,%s\n' % (
        100000 + i, ('acme', 'zen', 'usa')[i % 3], sev[random.randrange(4)], i, i % 997,
        i % 25, time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(random.randrange(lo, hi)))))
PY
}
