"""jirad.py: a Jira Cloud REST API on loopback for the sync tests.

usage: jirad.py DIR
Serves the issues in DIR/issues.json (a JSON list of issues shaped as in
Jira's answers: {"id", "key", "fields": {...}}; fields.comment.comments
holds ALL of an issue's comments) the way Jira Cloud documents it:

  POST /rest/api/3/search/jql   {"jql", "fields", "maxResults",
        "nextPageToken"} -> {"issues": [...], "nextPageToken": "...",
        "isLast": false} ... {"issues": [...], "isLast": true}.  Only the
        fields asked for are returned; "fields" is required (400 without).
        A JQL condition updated >= "yyyy/MM/dd HH:mm" (read in UTC) is
        applied; the rest of the JQL is logged, not interpreted.  The
        comment field holds the first DIR/comment_limit comments (default
        all) with startAt, maxResults and total, as Jira pages them.
  GET /rest/api/3/issue/KEY/comment?startAt=N&maxResults=M -> a page of
        comments {"startAt", "maxResults", "total", "comments"}
  /rest/api/3/search (the removed endpoint) -> 410 with Jira's message

Basic authentication must match DIR/auth ("email:token"), else 401.
DIR/faults holds lines "KIND N [ARG]" that hit the next N requests to
search/jql, in order: "pass N" (answered normally), "429 N SECONDS"
(Retry-After), "500 N", "gone N" (410), "hang N [SECONDS]" (no answer for
SECONDS, default 30), "garbage N" (a malformed body).
Every request is logged as "METHOD PATH STATUS" in DIR/requests.log and
each search body as one JSON line in DIR/search.log.
Writes DIR/port once it listens and runs until killed.
"""
import base64
import datetime
import http.server
import json
import os
import re
import socketserver
import sys
import threading
import time
import urllib.parse

DIR = sys.argv[1]
LOCK = threading.Lock()
CACHE = {"mtime": None, "issues": []}


def path(name):
    return os.path.join(DIR, name)


def log(name, line):
    with LOCK:
        with open(path(name), "a") as f:
            f.write(line + "\n")


def issues():
    st = os.stat(path("issues.json"))
    if CACHE["mtime"] != st.st_mtime_ns:
        with open(path("issues.json")) as f:
            CACHE["issues"] = json.load(f)
        CACHE["mtime"] = st.st_mtime_ns
    return CACHE["issues"]


def take_fault():
    """The fault that hits this search request, if any (counted down)."""
    with LOCK:
        try:
            with open(path("faults")) as f:
                lines = [l.split() for l in f if l.strip()]
        except OSError:
            return None
        hit = None
        for words in lines:
            if int(words[1]) > 0:
                hit = list(words)
                words[1] = str(int(words[1]) - 1)
                break
        with open(path("faults"), "w") as f:
            for words in lines:
                f.write(" ".join(words) + "\n")
        return hit


def jira_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f%z")


def setting(name, default):
    try:
        with open(path(name)) as f:
            return int(f.read().strip())
    except OSError:
        return default


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, obj, headers=(), raw=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        log("requests.log", "%s %s %d" % (self.command, self.path, status))

    def authorised(self):
        try:
            with open(path("auth")) as f:
                want = f.read().strip()
        except OSError:
            return True
        got = self.headers.get("Authorization", "")
        ok = got == "Basic " + base64.b64encode(want.encode()).decode()
        if not ok:
            self.answer(401, {"errorMessages": [
                "Client must be authenticated to access this resource."], "errors": {}})
        return ok

    def body(self):
        n = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        data = self.body()
        if u.path == "/rest/api/3/search":
            return self.answer(410, {"errorMessages": [
                "The requested API has been removed. Please migrate to the "
                "/rest/api/3/search/jql API. A full migration guideline is "
                "available at https://developer.atlassian.com/changelog/#CHANGE-2046"],
                "errors": {}})
        if not self.authorised():
            return
        if u.path == "/rest/api/3/search/jql" and self.command == "POST":
            return self.search(data)
        m = re.fullmatch(r"/rest/api/3/issue/([^/]+)/comment", u.path)
        if m and self.command == "GET":
            return self.comments(urllib.parse.unquote(m.group(1)),
                                 urllib.parse.parse_qs(u.query))
        self.answer(404, {"errorMessages": ["not found"], "errors": {}})

    def search(self, data):
        fault = take_fault()
        if fault and fault[0] == "gone":
            return self.answer(410, {"errorMessages": ["gone"]})
        if fault and fault[0] == "429":
            return self.answer(429, {"errorMessages": ["Rate limit exceeded."]},
                               [("Retry-After", fault[2] if len(fault) > 2 else "1")])
        if fault and fault[0] == "500":
            return self.answer(500, {"errorMessages": ["Internal server error"]})
        if fault and fault[0] == "hang":
            log("requests.log", "POST %s hang" % self.path)
            time.sleep(int(fault[2]) if len(fault) > 2 else 30)
            return
        if fault and fault[0] == "garbage":
            return self.answer(200, None, raw=b'{"issues": [{"key": "SUP-1", "fields": {')
        req = json.loads(data)
        log("search.log", json.dumps(req))
        if not isinstance(req.get("fields"), list) or not req["fields"]:
            return self.answer(400, {"errorMessages": ["fields is required"]})
        jql = req.get("jql", "")
        m = re.search(r'updated >= "(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d)"', jql)
        since = None
        if m:
            since = datetime.datetime(*map(int, m.groups()), tzinfo=datetime.timezone.utc)
        found = [i for i in issues()
                 if since is None or jira_time(i["fields"]["updated"]) >= since]
        start = int(base64.b64decode(req["nextPageToken"]).decode()) \
            if req.get("nextPageToken") else 0
        size = min(int(req.get("maxResults", 50)), setting("max_results", 5000))
        page = found[start:start + size]
        limit = setting("comment_limit", 1000000)
        out = [self.issue_json(i, tuple(req["fields"]), limit) for i in page]
        last = start + size >= len(found)
        tail = b'], "isLast": true}' if last else (
            b'], "nextPageToken": "%s", "isLast": false}' %
            base64.b64encode(str(start + size).encode()))
        self.answer(200, None, raw=b'{"issues": [' + b", ".join(out) + tail)

    def issue_json(self, i, fields, limit):
        """One issue as Jira returns it, serialised once per file version
        (the benchmark pages through 10,000 of them)."""
        ck = (CACHE["mtime"], i["key"], fields, limit)
        hit = CACHE.get(ck)
        if hit is None:
            f = {k: v for k, v in i["fields"].items() if k in fields}
            if "comment" in f:
                allc = f["comment"]["comments"]
                f["comment"] = {"comments": allc[:limit], "self": "", "maxResults": limit,
                                "total": len(allc), "startAt": 0}
            hit = json.dumps({"expand": "", "id": i["id"], "self": "", "key": i["key"],
                              "fields": f}).encode()
            CACHE[ck] = hit
        return hit

    def comments(self, key, q):
        for i in issues():
            if i["key"] == key:
                allc = i["fields"]["comment"]["comments"]
                start = int(q.get("startAt", ["0"])[0])
                size = int(q.get("maxResults", ["50"])[0])
                return self.answer(200, {"startAt": start, "maxResults": size,
                                         "total": len(allc),
                                         "comments": allc[start:start + size]})
        self.answer(404, {"errorMessages": ["Issue does not exist or you do not have "
                                            "permission to see it."], "errors": {}})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
with open(path("port.tmp"), "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(path("port.tmp"), path("port"))
srv.serve_forever()
