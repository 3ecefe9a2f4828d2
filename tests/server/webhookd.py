"""webhookd.py: an HTTP server on loopback for the webhook tests.

usage: webhookd.py MODE DIR
  ok    answers 202 and saves each POST as DIR/post-NNNN.json (the body)
        and DIR/post-NNNN.hdr (method, path, headers)
  fail  answers 503 with a short body echoing the Authorization header,
        saves nothing
  hang  reads the request and never answers
Writes DIR/port once it listens and runs until killed.
"""
import http.server
import os
import socketserver
import sys
import threading
import time

MODE = sys.argv[1]
DIR = sys.argv[2]
LOCK = threading.Lock()
COUNT = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if MODE == "hang":
            time.sleep(3600)
            return
        if MODE == "fail":
            # echoes the Authorization header: slatrack must not show it
            out = ('{"message":"service unavailable, try later","auth":"%s"}' %
                   self.headers.get("Authorization", "")).encode()
            self.send_response(503)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
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
        out = b'{"result":"Request will be processed","took":0.1,"requestId":"x"}'
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


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
