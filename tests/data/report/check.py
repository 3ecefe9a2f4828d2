#!/usr/bin/env python3
"""check.py: checkers for the report tests (tests/cli/t040-report*.sh).

    check.py json FILE            the documented structure (man slatrack-report,
                                  JSON OUTPUT), schema_version 2, or 1 with its
                                  "tickets", every type
    check.py csv CSV JSON         the CSV parses (RFC 4180) and says what the
                                  JSON's "tickets" say, row for row
    check.py html FILE [N]        well-formed XHTML-style markup, no script, no
                                  external resource (links to http(s) pages are
                                  fine), at least N charts (class "chart")
    check.py width FILE [MAX]     no line wider than MAX (100) columns
    check.py get FILE EXPR        prints a Python expression over the JSON (d)

Prints nothing and exits 0 when all is well; otherwise says what is wrong
on stdout and exits 1.
"""
import csv
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ISO_LOCAL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
OUTCOMES = {"met", "breached", "open-overdue", "pending", "excused"}
SEVERITIES = {"critical", "high", "medium", "low"}

STATS = {
    "due": int, "met": int, "breached": int, "open_overdue": int, "pending": int,
    "untimed": int, "attainment_pct": (float, int, type(None)), "responses": int,
    "first_response_median_s": (int, type(None)), "first_response_p90_s": (int, type(None)),
    "worst_overrun_s": (int, type(None)), "worst_overrun_wall_s": (int, type(None)),
    "worst_ticket": (int, type(None)),
}
TICKET = {
    "id": int, "key": (str, type(None)), "partner": str, "severity": str,
    "assignee": (str, type(None)), "outcome": str, "created": str, "deadline": str,
    "first_response": (str, type(None)), "resolved": (str, type(None)),
    "created_local": str, "deadline_local": str,
    "first_response_local": (str, type(None)), "partner_zone": str, "target_s": int,
    "response_working_s": (int, type(None)), "overrun_working_s": int,
    "overrun_wall_s": int, "url": (str, type(None)),
}
BUCKET = dict(STATS, label=str, **{"from": str, "to": str})
# An extended report (a ticket with a resolution target, an excused breach
# or a clock stopped while waiting) adds these members, documented in
# slatrack-report(1); a plain report has none of them.
STATS_EXT = ("waiting", "excused", "resolution")
RESOLUTION = {"timed": int, "met": int, "breached": int, "open_overdue": int, "pending": int,
              "waiting": int, "excused": int, "attainment_pct": (float, int, type(None))}
TICKET_EXT = ("waiting", "excuse_reason", "excuse_ref", "resolve_target_s", "resolve_deadline",
              "resolve_deadline_local", "resolution_outcome")

errors = []


def fail(msg):
    errors.append(msg)


def shape(obj, spec, where, extra_ok=()):
    if not isinstance(obj, dict):
        fail("%s: not an object" % where)
        return
    for k, t in spec.items():
        if k not in obj:
            fail("%s: missing %r" % (where, k))
        elif (isinstance(obj[k], bool) and t is not bool) or not isinstance(obj[k], t):
            fail("%s.%s: %r is not %s" % (where, k, obj[k], t))
    for k in obj:
        if k not in spec and k not in extra_ok:
            fail("%s: undocumented member %r" % (where, k))


def stats(obj, where):
    shape(obj, STATS, where, ("partner", "name", "assignee", "severity", "label",
                              "from", "to") + STATS_EXT)
    if isinstance(obj, dict) and "resolution" in obj:
        r = obj["resolution"]
        shape(r, RESOLUTION, where + ".resolution")
        if isinstance(r, dict) and all(isinstance(r.get(k), int) for k in RESOLUTION
                                       if k != "attainment_pct"):
            if r["timed"] != r["met"] + r["breached"] + r["open_overdue"] + r["pending"] + \
                    r["excused"]:
                fail("%s.resolution: timed != met + breached + open_overdue + pending + "
                     "excused" % where)
            decided = r["met"] + r["breached"] + r["open_overdue"]
            want = round(100.0 * r["met"] / decided, 2) if decided else None
            if r.get("attainment_pct") != want:
                fail("%s.resolution: attainment_pct %r, want %r" % (where, r.get("attainment_pct"),
                                                                     want))
    if isinstance(obj, dict) and all(isinstance(obj.get(k), int) for k in
                                     ("due", "met", "breached", "open_overdue", "pending")):
        excused = obj.get("excused", 0)
        if obj["due"] != obj["met"] + obj["breached"] + obj["open_overdue"] + obj["pending"] + \
                excused:
            fail("%s: due != met + breached + open_overdue + pending (+ excused)" % where)
        decided = obj["met"] + obj["breached"] + obj["open_overdue"]
        want = round(100.0 * obj["met"] / decided, 2) if decided else None
        if obj.get("attainment_pct") != want:
            fail("%s: attainment_pct %r, want %r" % (where, obj.get("attainment_pct"), want))


def ticket(obj, where, summary):
    spec = dict(TICKET, summary=(str, type(None))) if summary else TICKET
    shape(obj, spec, where, TICKET_EXT)
    if not isinstance(obj, dict):
        return
    if obj.get("outcome") not in OUTCOMES:
        fail("%s: outcome %r" % (where, obj.get("outcome")))
    if obj.get("severity") not in SEVERITIES:
        fail("%s: severity %r" % (where, obj.get("severity")))
    for k in ("created", "deadline", "first_response", "resolved"):
        v = obj.get(k)
        if v is not None and not ISO_UTC.match(v):
            fail("%s.%s: %r is not YYYY-MM-DDTHH:MM:SSZ" % (where, k, v))
    for k in ("created_local", "deadline_local", "first_response_local"):
        v = obj.get(k)
        if v is not None and not ISO_LOCAL.match(v):
            fail("%s.%s: %r is not local ISO 8601 with an offset" % (where, k, v))


def check_json(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    top = ["schema_version", "generator", "now", "period", "scope", "definitions",
           "summary", "by_partner", "by_assignee", "by_severity", "trend", "breaches",
           "open_overdue_now", "tickets", "evidence"]
    if d.get("schema_version") not in (1, 2):
        fail("schema_version %r" % d.get("schema_version"))
    if d.get("schema_version") == 2:
        top.remove("tickets")
    if "excused" in d:
        i = top.index("open_overdue_now") + 1
        top[i:i] = ["excused", "resolution_breaches"]
    if list(d.keys()) != top:
        fail("top-level members %r, want %r" % (list(d.keys()), top))
    p = d.get("period", {})
    shape(p, {"kind": str, "label": str, "zone": str, "from": str, "to": str,
              "from_local": str, "to_local": str}, "period")
    if p.get("kind") not in ("yesterday", "today", "week", "month", "year", "range"):
        fail("period.kind %r" % p.get("kind"))
    shape(d.get("scope"), {"partner": (str, type(None)), "assignee": (str, type(None)),
                           "severity": (str, type(None))}, "scope")
    shape(d.get("definitions"), {"attainment": str}, "definitions", ("excused", "resolution"))
    stats(d.get("summary"), "summary")
    for i, g in enumerate(d.get("by_partner", [])):
        stats(g, "by_partner[%d]" % i)
        if not isinstance(g.get("partner"), str) or not isinstance(g.get("name"), str):
            fail("by_partner[%d]: partner and name" % i)
    for i, g in enumerate(d.get("by_assignee", [])):
        stats(g, "by_assignee[%d]" % i)
        if "assignee" not in g:
            fail("by_assignee[%d]: assignee" % i)
    for i, g in enumerate(d.get("by_severity", [])):
        stats(g, "by_severity[%d]" % i)
        if g.get("severity") not in SEVERITIES:
            fail("by_severity[%d]: severity" % i)
    tr = d.get("trend", {})
    if tr.get("unit") not in ("day", "week", "month"):
        fail("trend.unit %r" % tr.get("unit"))
    for i, b in enumerate(tr.get("buckets", [])):
        shape(b, BUCKET, "trend.buckets[%d]" % i, STATS_EXT)
        stats(b, "trend.buckets[%d]" % i)
    for name, summ in (("breaches", True), ("open_overdue_now", True), ("tickets", False),
                       ("excused", True), ("resolution_breaches", True)):
        for i, t in enumerate(d.get(name, [])):
            ticket(t, "%s[%d]" % (name, i), summ)
    s = d.get("summary", {})
    if d.get("schema_version") == 1 and len(d.get("tickets", [])) != s.get("due"):
        fail("tickets: %d, summary.due %r" % (len(d.get("tickets", [])), s.get("due")))
    if len(d.get("breaches", [])) != s.get("breached", 0) + s.get("open_overdue", 0):
        fail("breaches: not breached + open_overdue")
    ov = [(t["overrun_working_s"], t["overrun_wall_s"]) for t in d.get("breaches", [])]
    if ov != sorted(ov, reverse=True):
        fail("breaches: not worst first")
    ids = [t["id"] for t in d.get("tickets", [])]
    if ids != sorted(ids):
        fail("tickets: not in id order")
    ev = d.get("evidence")
    if ev is not None:
        shape(ev, {"partners": list, "deadline_rule": str, "months": list,
                   "explanations": list, "audit": dict}, "evidence")
        for i, pa in enumerate(ev.get("partners", [])):
            shape(pa, {"key": str, "name": str, "zone": str, "workdays": str, "hours": str,
                       "targets_s": dict, "archived": bool, "calendars": list},
                  "evidence.partners[%d]" % i, ("resolve_targets_s",))
            for j, c in enumerate(pa.get("calendars", [])):
                shape(c, {"position": int, "source": str, "sha256": str, "read_at": str,
                          "last_error": (str, type(None))},
                      "evidence.partners[%d].calendars[%d]" % (i, j))
                if not re.match(r"^[0-9a-f]{64}$", c.get("sha256", "")):
                    fail("calendar sha256 %r" % c.get("sha256"))
        for i, b in enumerate(ev.get("months", [])):
            shape(b, BUCKET, "evidence.months[%d]" % i, STATS_EXT)
        for i, x in enumerate(ev.get("explanations", [])):
            shape(x, {"id": int, "key": (str, type(None)), "deadline": str,
                      "computed_deadline": (str, type(None)), "error": (str, type(None)),
                      "steps": list}, "evidence.explanations[%d]" % i)
            for j, st in enumerate(x.get("steps", [])):
                shape(st, {"kind": str, "day": str, "start": str, "end": str,
                           "total_s": int, "name": (str, type(None)),
                           "source": (str, type(None)), "line": int},
                      "evidence.explanations[%d].steps[%d]" % (i, j))
                if st.get("kind") not in ("counted", "weekend", "holiday", "closure",
                                          "makeup"):
                    fail("step kind %r" % st.get("kind"))
        shape(ev.get("audit"), {"verified_at": str, "intact": bool, "events": int,
                                "head_hash": (str, type(None)),
                                "bad_event": (int, type(None)),
                                "problem": (str, type(None))}, "evidence.audit")


CSV_COLUMNS = ["id", "key", "partner", "severity", "assignee", "outcome", "created",
               "deadline", "first_response", "resolved", "created_local",
               "deadline_local", "first_response_local", "partner_zone", "target_s",
               "response_working_s", "overrun_working_s", "overrun_wall_s"]


def check_csv(path, json_path):
    with open(path, newline="", encoding="utf-8") as f:
        raw = f.read()
    if raw and not raw.endswith("\r\n"):
        fail("records do not end with CRLF")
    rows = list(csv.reader(raw.splitlines(keepends=True), strict=True))
    if not rows or rows[0] != CSV_COLUMNS:
        fail("header %r" % (rows[0] if rows else None))
        return
    with open(json_path, encoding="utf-8") as f:
        tickets = json.load(f)["tickets"]
    if len(rows) - 1 != len(tickets):
        fail("%d CSV records, %d JSON tickets" % (len(rows) - 1, len(tickets)))
    for n, (row, t) in enumerate(zip(rows[1:], tickets), 1):
        if len(row) != len(CSV_COLUMNS):
            fail("record %d: %d fields" % (n, len(row)))
            continue
        for col, v in zip(CSV_COLUMNS, row):
            want = t[col]
            want = "" if want is None else str(want)
            if v != want:
                fail("record %d (%s): %s %r, JSON says %r" % (n, t["id"], col, v, want))


class Html:
    def __init__(self, path, ncharts):
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.ncharts = ncharts

    def run(self):
        if not self.text.startswith("<!DOCTYPE html>"):
            fail("no <!DOCTYPE html>")
        try:
            root = ET.fromstring(self.text)
        except ET.ParseError as e:
            fail("not well-formed: %s" % e)
            return
        if root.tag != "html":
            fail("root element %r" % root.tag)
        charts = [el for el in root.iter() if "chart" in el.get("class", "").split()]
        if len(charts) < self.ncharts:
            fail("%d charts, want at least %d" % (len(charts), self.ncharts))
        for el in root.iter():
            name = el.tag.split("}")[-1]
            if name in ("script", "iframe", "object", "embed", "link", "img", "base"):
                fail("<%s> present" % name)
            for a, v in el.attrib.items():
                a = a.split("}")[-1]
                if a.startswith("on"):
                    fail("event handler attribute %s" % a)
                if name == "a" and a == "href" and re.match(r"https?://[!-~]+$", v):
                    continue    # a link to the helpdesk, not a resource
                if a in ("src", "href") or (a == "style" and "url(" in v):
                    fail("external resource %s=%r" % (a, v))
        for st in root.iter("style"):
            if "url(" in (st.text or "") or "@import" in (st.text or ""):
                fail("external resource in <style>")
        if root.find("head/meta[@name='viewport']") is None:
            fail("no viewport meta (phones)")
        if root.find("head/meta[@charset]") is None:
            fail("no charset meta")


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def check_width(path, most):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            w = sum(width(c) for c in line.rstrip("\n"))
            if w > most:
                fail("line %d is %d columns wide: %r" % (n, w, line[:120]))
            if any(ord(c) < 0x20 and c != "\n" or 0x7f <= ord(c) <= 0x9f for c in line):
                fail("line %d holds a control character: %r" % (n, line[:120]))


def main():
    what = sys.argv[1]
    if what == "json":
        check_json(sys.argv[2])
    elif what == "csv":
        check_csv(sys.argv[2], sys.argv[3])
    elif what == "html":
        Html(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1).run()
    elif what == "width":
        check_width(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 100)
    elif what == "get":
        with open(sys.argv[2], encoding="utf-8") as f:
            d = json.load(f)
        print(eval(sys.argv[3], {"d": d}))
        return
    else:
        sys.exit("unknown check %r" % what)
    for e in errors[:20]:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
