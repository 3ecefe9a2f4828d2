"""webhookd.py: an HTTP server on loopback for the webhook tests.

usage: webhookd.py MODE DIR
  ok    answers 202 like Opsgenie's alert API ({"result":"Request will be
        processed","took":0.01,"requestId":"..."}) and saves each request
        (POST or PUT) as DIR/post-NNNN.json (the body) and DIR/post-NNNN.hdr
        (method, path, headers)
  fail  answers 503 with a short body echoing the Authorization header,
        saves nothing
  hang  reads the request and never answers
Every request, whatever the answer, is also logged as one line
"METHOD PATH STATUS" in DIR/requests.log (STATUS "hang" when never
answered).  In mode ok, a file DIR/fail-next holding "N [TEXT]" makes the
next N requests whose path contains TEXT (any request without TEXT) fail
with 503, and DIR/hang-next the same with no answer.
Writes DIR/port once it listens and runs until killed.
"""
import http.server
import os
import socketserver
import sys
import threading
import time
import uuid

MODE = sys.argv[1]
DIR = sys.argv[2]
LOCK = threading.Lock()
COUNT = [0]


def log(method, path, status):
    with LOCK:
        with open(os.path.join(DIR, "requests.log"), "a") as f:
            f.write("%s %s %s\n" % (method, path, status))


def take(name, path):
    """True when DIR/name asks for this request (and counts it down)."""
    p = os.path.join(DIR, name)
    with LOCK:
        try:
            with open(p) as f:
                words = f.read().split()
        except OSError:
            return False
        if not words:
            return False
        n = int(words[0])
        text = words[1] if len(words) > 1 else ""
        if n <= 0 or text not in path:
            return False
        with open(p, "w") as f:
            f.write("%d %s\n" % (n - 1, text))
        return True


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def answer(self, status, out, ctype="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if MODE == "hang" or (MODE == "ok" and take("hang-next", self.path)):
            log(self.command, self.path, "hang")
            time.sleep(3600)
            return
        if MODE == "fail" or (MODE == "ok" and take("fail-next", self.path)):
            # echoes the Authorization header: slatrack must not show it
            out = ('{"message":"service unavailable, try later","auth":"%s"}' %
                   self.headers.get("Authorization", "")).encode()
            log(self.command, self.path, 503)
            self.answer(503, out)
            return
        with LOCK:
            COUNT[0] += 1
            base = os.path.join(DIR, "post-%04d" % COUNT[0])
        with open(base + ".hdr", "w") as f:
            f.write("%s %s\n" % (self.command, self.path))
            for k, v in self.headers.items():
                f.write("%s: %s\n" % (k, v))
        with open(base + ".json.tmp", "wb") as f:
            f.write(body)
        os.rename(base + ".json.tmp", base + ".json")
        log(self.command, self.path, 202)
        out = ('{"result":"Request will be processed","took":0.01,"requestId":"%s"}' %
               uuid.uuid4()).encode()
        self.answer(202, out)

    do_POST = handle_any
    do_PUT = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    os.makedirs(DIR, exist_ok=True)
    srv = Server(("127.0.0.1", 0), Handler)
    with open(os.path.join(DIR, "port.tmp"), "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
    srv.serve_forever()


if __name__ == "__main__":
    main()
