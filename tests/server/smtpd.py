"""smtpd.py: SMTP servers on loopback for the `slatrack remind` tests.

usage: smtpd.py MODE DIR [options]

MODE
  good     aiosmtpd: saves every message (DIR/msg-NNNN.eml + .json with the
           envelope, whether TLS and AUTH were used); with --cert/--key it
           offers STARTTLS and requires it; with --user/--password it
           requires AUTH (PLAIN or LOGIN)
  refuse   like good, but RCPT TO an address containing --refuse TEXT
           (default: every address) gets "550 5.1.1 ... User unknown"
  drop     speaks SMTP until DATA, reads part of the message, then closes
           the connection (mid-DATA)
  hang     accepts connections and never says a word
--implicit-tls: TLS from the first byte (smtps://) with --cert/--key.
--host ADDR listens elsewhere than 127.0.0.1 (good and refuse modes).
Writes DIR/port once it listens, DIR/pid, and runs until killed.
"""
import argparse
import asyncio
import json
import os
import socket
import ssl
import sys
import threading
import time


def free_port(host="127.0.0.1"):
    s = socket.socket()
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def announce(directory, port):
    with open(os.path.join(directory, "port.tmp"), "w") as f:
        f.write("%d\n" % port)
    os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))


class Saver:
    def __init__(self, directory, refuse, delay):
        self.directory = directory
        self.refuse = refuse
        self.delay = delay
        self.n = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse is not None and (self.refuse == "*" or self.refuse in address):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.n += 1
            base = os.path.join(self.directory, "msg-%04d" % self.n)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        meta = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "tls": bool(session.ssl) or (server.transport is not None and
                    server.transport.get_extra_info("ssl_object") is not None),
            "auth": bool(session.authenticated),
        }
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Ok: queued as %04d" % self.n


def run_good(args, refuse):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    kwargs = {}
    ssl_context = None
    if args.cert and args.implicit_tls:
        ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ssl_context.load_cert_chain(args.cert, args.key)
    elif args.cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.cert, args.key)
        kwargs["tls_context"] = ctx
        kwargs["require_starttls"] = True
    if args.user:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == args.user.encode()
                  and auth_data.password == args.password.encode())
            return AuthResult(success=ok, handled=False)
        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = bool(args.cert) and not args.implicit_tls
    port = free_port(args.host)
    controller = Controller(Saver(args.dir, refuse, args.delay), hostname=args.host,
                            port=port, ssl_context=ssl_context, **kwargs)
    controller.start()
    announce(args.dir, port)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def serve_raw(args, handler):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    announce(args.dir, srv.getsockname()[1])
    held = []
    while True:
        conn, _ = srv.accept()
        held.append(conn)
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


def drop_handler(conn):
    f = conn.makefile("rb")
    conn.sendall(b"220 drop.test ESMTP\r\n")
    try:
        while True:
            line = f.readline()
            if not line:
                return
            cmd = line[:4].upper()
            if cmd in (b"EHLO", b"HELO"):
                conn.sendall(b"250-drop.test\r\n250 8BITMIME\r\n")
            elif cmd == b"DATA":
                conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                f.readline()
                f.readline()
                conn.shutdown(socket.SHUT_RDWR)
                conn.close()
                return
            elif cmd == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")
    except OSError:
        return


def hang_handler(conn):
    time.sleep(3600)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["good", "refuse", "drop", "hang"])
    ap.add_argument("dir")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--refuse", default="*")
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--implicit-tls", action="store_true",
                    help="TLS from the first byte (smtps) instead of STARTTLS")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (good/refuse; default loopback)")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(args.dir, "pid"), "w") as f:
        f.write("%d\n" % os.getpid())
    if args.mode == "good":
        run_good(args, None)
    elif args.mode == "refuse":
        run_good(args, args.refuse)
    elif args.mode == "drop":
        serve_raw(args, drop_handler)
    else:
        serve_raw(args, hang_handler)


if __name__ == "__main__":
    sys.exit(main())
