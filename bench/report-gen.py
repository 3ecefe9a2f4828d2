#!/usr/bin/env python3
"""report-gen.py: fills a slatrack database with many tickets, fast, for
bench/report-bench.sh.

    report-gen.py SLATRACK DB TIMED UNTIMED YEAR NOW

The partners must already exist (created with `slatrack partner add`, so
their calendars are stored as slatrack stores them).  For each partner the
deadlines come from the engine itself (`slatrack deadline --batch` with the
partner's zone, calendar, week and hours), so every stored deadline is the
one slatrack would have stored.  Rows are written the way `slatrack
import` writes them: one ticket row and one hash-chained "ticket.create"
event per ticket (the audit trail verifies), in one transaction.

TIMED critical/high tickets are created through YEAR so that their
deadlines fall inside it; UNTIMED medium/low tickets are spread over the
same year.  Responses: about 91% in time, 9% late, and a handful never
answered; every response lies before NOW, so a ticket whose response
would come later is still open.  Deterministic (fixed seed).
"""
import calendar
import hashlib
import random
import sqlite3
import subprocess
import sys
import time

GENESIS = "0" * 64

# (key, zone, calendar file, workdays text, workdays mask, hours)
PARTNERS = [
    ("p-us", "America/New_York", "US.ics", "mon-fri", 62, ""),
    ("p-gb", "Europe/London", "GB-ENG.ics", "mon-fri", 62, ""),
    ("p-de", "Europe/Berlin", "DE.ics", "mon-fri", 62, "09:00-17:00"),
    ("p-fr", "Europe/Paris", "FR.ics", "mon-fri", 62, ""),
    ("p-in", "Asia/Kolkata", "IN.ics", "mon-fri", 62, "09:30-18:30"),
    ("p-au", "Australia/Sydney", "AU-NSW.ics", "mon-fri", 62, ""),
    ("p-br", "America/Sao_Paulo", "BR.ics", "mon-fri", 62, ""),
    ("p-jp", "Asia/Tokyo", "JP.ics", "mon-fri", 62, "09:00-12:00,13:00-18:00"),
    ("p-il", "Asia/Jerusalem", "IL.ics", "sun-thu", 31, ""),
    ("p-pl", "Europe/Warsaw", "PL.ics", "mon-fri", 62, ""),
]

ASSIGNEES = ["agent%02d" % i for i in range(40)]


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def field(h, v):
    if v is None:
        h.update(b"-,")
    else:
        b = v.encode()
        h.update(b"%d:" % len(b))
        h.update(b)
        h.update(b",")


def event_hash(prev, eid, at, actor, kind, ticket_id, partner_id, fld, old, new):
    h = hashlib.sha256()
    field(h, "slatrack-event-v1")
    field(h, prev)
    for v in (eid, at):
        field(h, str(v))
    field(h, actor)
    field(h, kind)
    for v in (ticket_id, partner_id):
        field(h, str(v))
    field(h, fld)
    field(h, old)
    field(h, new)
    return h.hexdigest()


def main():
    slatrack, db, ntimed, nuntimed, year, now = sys.argv[1:7]
    ntimed, nuntimed, year = int(ntimed), int(nuntimed), int(year)
    now = calendar.timegm(time.strptime(now, "%Y-%m-%dT%H:%M:%SZ"))
    rnd = random.Random(5)
    lo = calendar.timegm((year, 1, 1, 0, 0, 0))
    hi = calendar.timegm((year + 1, 1, 1, 0, 0, 0))
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    ids = dict(con.execute("SELECT key, id FROM partners"))
    tickets = []        # (partner index, severity, created, deadline)
    per = ntimed // len(PARTNERS)
    for pi, (key, zone, cal, wd, _mask, hours) in enumerate(PARTNERS):
        n = per if pi < len(PARTNERS) - 1 else ntimed - per * (len(PARTNERS) - 1)
        # deadlines of tickets created in the first ~51 weeks stay in the year
        # (a few more than needed: a deadline past a long holiday may leave the year)
        created = sorted(rnd.randrange(lo, hi - 6 * 86400) for _ in range(n + n // 50))
        cmd = [slatrack, "deadline", "--tz", zone, "--calendar", "calendars/" + cal,
               "--workdays", wd, "--batch"]
        if hours:
            cmd[-1:-1] = ["--hours", hours]
        out = subprocess.run(cmd, input="".join(iso(c) + "\n" for c in created),
                             capture_output=True, text=True, check=True).stdout
        inside = []
        for c, line in zip(created, out.splitlines()):
            d = calendar.timegm(time.strptime(line.split(",")[1], "%Y-%m-%dT%H:%M:%SZ"))
            if d < hi:
                inside.append((c, d))
        for c, d in rnd.sample(inside, n):
            tickets.append((pi, "critical" if rnd.random() < 0.25 else "high", c, d))
    for _ in range(nuntimed):
        tickets.append((rnd.randrange(len(PARTNERS)),
                        "medium" if rnd.random() < 0.7 else "low",
                        rnd.randrange(lo, hi), None))
    tickets.sort(key=lambda t: t[2])

    row = con.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    eid, prev = row if row else (0, GENESIS)
    tid = con.execute("SELECT coalesce(max(id), 0) FROM tickets").fetchone()[0]
    trows, erows = [], []
    for pi, sev, c, d in tickets:
        tid += 1
        key = "%s-%d" % (PARTNERS[pi][0][2:].upper(), tid)
        assignee = None if rnd.random() < 0.05 else rnd.choice(ASSIGNEES)
        x = rnd.random()
        if d is not None:
            span = max(d - c, 600)
            if x < 0.91:
                resp = c + rnd.randrange(60, span + 1)
            elif x < 0.9999:
                resp = d + rnd.randrange(60, 3 * 86400)
            else:
                resp = None                     # never answered: open and overdue
        else:
            resp = c + rnd.randrange(60, 5 * 86400)
        if resp is not None and resp > now:
            resp = None
        resolved = resp + rnd.randrange(600, 7 * 86400) if resp is not None else None
        if resolved is not None and resolved > now:
            resolved = None
        target = 86400 if d is not None else None
        desc = "partner=%s severity=%s created=%s" % (PARTNERS[pi][0], sev, iso(c))
        desc += " target=24h deadline=%s" % iso(d) if d is not None else " target=none"
        if resp is not None:
            desc += " first_response=%s" % iso(resp)
        if resolved is not None:
            desc += " resolved=%s" % iso(resolved)
        at = max(c, resolved or resp or c)
        trows.append((tid, key, ids[PARTNERS[pi][0]], sev,
                      "Customer cannot complete checkout in region %d" % (tid % 97),
                      "Customer %d" % (tid % 5000), assignee, c, target, d, resp,
                      assignee if resp is not None else None, resolved, at))
        eid += 1
        h = event_hash(prev, eid, at, "import", "ticket.create", tid,
                       ids[PARTNERS[pi][0]], None, None, desc)
        erows.append((eid, at, "import", "ticket.create", tid, ids[PARTNERS[pi][0]],
                      None, None, desc, prev, h))
        prev = h
    con.execute("BEGIN")
    con.executemany("INSERT INTO tickets (id, key, partner_id, severity, summary, customer,"
                    " assignee, created_at, target_s, deadline_at, first_response_at,"
                    " responded_by, resolved_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", trows)
    con.executemany("INSERT INTO events (id, at, actor, kind, ticket_id, partner_id, field,"
                    " old, new, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", erows)
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    timed = sum(1 for t in tickets if t[3] is not None)
    print("generated %d tickets (%d timed, due in %d; %d untimed), %d events"
          % (len(tickets), timed, year, len(tickets) - timed, len(erows)))


if __name__ == "__main__":
    main()
