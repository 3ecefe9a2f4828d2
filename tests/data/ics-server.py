#!/usr/bin/env python3
"""A tiny HTTP server for the calendar-refresh tests, on loopback only.

    python3 ics-server.py DIR

Serves the files in DIR.  Each answer carries an ETag (a digest of the
body) and a Last-Modified; a request whose If-None-Match matches gets 304.
The file DIR/.mode (read on every request) changes the behaviour:
    ok        (or missing) serve as above
    500       answer 500 Internal Server Error
    garbage   answer 200 with a body that is not iCalendar
    noetag    serve without validators (no ETag, no Last-Modified)
Every request is appended to DIR/.log as "PATH If-None-Match=VALUE STATUS".
The port (chosen by the system) is written to DIR/.port once listening.
"""
import hashlib
import http.server
import os
import sys

ROOT = sys.argv[1]


def mode():
    try:
        with open(os.path.join(ROOT, ".mode")) as f:
            return f.read().strip() or "ok"
    except OSError:
        return "ok"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def note(self, status):
        with open(os.path.join(ROOT, ".log"), "a") as f:
            f.write("%s If-None-Match=%s If-Modified-Since=%s %d\n" % (
                self.path, self.headers.get("If-None-Match", "-"),
                self.headers.get("If-Modified-Since", "-"), status))

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)
        self.note(status)

    def do_GET(self):
        m = mode()
        name = os.path.basename(self.path.split("?")[0])
        path = os.path.join(ROOT, name)
        if m == "500":
            return self.answer(500, b"boom\n")
        if m == "garbage":
            return self.answer(200, b"<html>this is not a calendar</html>\n",
                               [("Content-Type", "text/html")])
        if not name or name.startswith(".") or not os.path.isfile(path):
            return self.answer(404, b"not found\n")
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        lm = self.date_time_string(int(os.path.getmtime(path)))
        validators = [] if m == "noetag" else [("ETag", etag), ("Last-Modified", lm)]
        if m != "noetag" and self.headers.get("If-None-Match") == etag:
            return self.answer(304, b"", validators)
        return self.answer(200, body, [("Content-Type", "text/calendar")] + validators)


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
tmp = os.path.join(ROOT, ".port.tmp")
with open(tmp, "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(tmp, os.path.join(ROOT, ".port"))
server.serve_forever()
