"""smtpd.py: SMTP servers on loopback for the `slatrack remind` tests.

usage: smtpd.py MODE DIR [options]

MODE
  good     aiosmtpd: saves every message (DIR/msg-NNNN.eml + .json with the
           envelope, whether TLS and AUTH were used); with --cert/--key it
           offers STARTTLS and requires it; with --user/--password it
           requires AUTH (PLAIN or LOGIN); with --drop-after N it closes
           the connection without a word at the first MAIL FROM after N
           messages taken on that connection (as a server that drops a
           long-lived connection mid-run); with --fail-after N, once N
           messages were taken in all (over any connections) it answers
           every MAIL FROM with 421 and closes the connection, for good
           (as a server that goes away mid-run)
  refuse   like good, but RCPT TO an address containing --refuse TEXT
           (default: every address) gets "550 5.1.1 ... User unknown"
           (--code 451: "451 4.3.0 ... try again later"); with
           --at data the RCPT is accepted and the message is refused
           after DATA's final dot instead ("554 5.6.0" / "451 4.3.0")
  drop     speaks SMTP until DATA, reads part of the message, then closes
           the connection (mid-DATA)
  hang     accepts connections and never says a word
  mute     speaks SMTP and stores the message (DIR/msg-NNNN.eml), then
           never answers: with --at data (the default) not after DATA's
           final dot, with --at quit not after QUIT (the message was
           acknowledged with 250)
--implicit-tls: TLS from the first byte (smtps://) with --cert/--key.
--host ADDR listens elsewhere than 127.0.0.1 (good and refuse modes).
Writes DIR/port once it listens, DIR/pid, and runs until killed.  Every
mode also keeps DIR/connections: the number of connections accepted so far
(rewritten at each one).
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


class Connections:
    """Counts accepted connections into DIR/connections (atomic rename, so
    a reader never sees a half-written number)."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "connections")
        self.n = 0
        self.lock = threading.Lock()
        self.write()

    def write(self):
        with open(self.path + ".tmp", "w") as f:
            f.write("%d\n" % self.n)
        os.rename(self.path + ".tmp", self.path)

    def bump(self):
        with self.lock:
            self.n += 1
            self.write()

    def reset(self):
        with self.lock:
            self.n = 0
            self.write()


class Saver:
    def __init__(self, directory, refuse, delay, code=550, at="rcpt", drop_after=0,
                 fail_after=0):
        self.directory = directory
        self.drop_after = drop_after
        self.fail_after = fail_after
        self.refuse = refuse
        self.delay = delay
        self.code = code
        self.at = at
        self.n = 0
        self.lock = threading.Lock()

    def refused(self, address):
        return self.refuse is not None and (self.refuse == "*" or self.refuse in address)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.drop_after and getattr(session, "taken", 0) >= self.drop_after:
            server.transport.close()
            return "421 4.4.2 closing (not sent: the connection is gone)"
        if self.fail_after and self.n >= self.fail_after:
            server.transport.close()
            return "421 4.3.2 service shutting down"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.at == "rcpt" and self.refused(address):
            if self.code >= 500:
                return "%d 5.1.1 <%s>: Recipient address rejected: User unknown" % (
                    self.code, address)
            return "%d 4.3.0 <%s>: Temporary lookup failure, try again later" % (
                self.code, address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.at == "data" and any(self.refused(a) for a in envelope.rcpt_tos):
            if self.code >= 500:
                return "%d 5.6.0 Message content rejected" % self.code
            return "%d 4.3.0 Mail server temporarily unavailable" % self.code
        session.taken = getattr(session, "taken", 0) + 1
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
    at = args.at if args.at in ("rcpt", "data") else "rcpt"
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

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
    connections = Connections(args.dir)

    class CountingSMTP(SMTP):
        def connection_made(self, transport):
            if self.transport is None:     # not again after STARTTLS
                connections.bump()
            super().connection_made(transport)

    class CountingController(Controller):
        def factory(self):
            return CountingSMTP(self.handler, **self.SMTP_kwargs)

    port = free_port(args.host)
    saver = Saver(args.dir, refuse, args.delay, args.code, at, args.drop_after,
                  args.fail_after)
    controller = CountingController(saver, hostname=args.host, port=port,
                                    ssl_context=ssl_context, **kwargs)
    controller.start()
    connections.reset()     # start() checks itself with a connection of its own
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
    connections = Connections(args.dir)
    announce(args.dir, srv.getsockname()[1])
    held = []
    while True:
        conn, _ = srv.accept()
        connections.bump()
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


class Muter:
    """mute mode: stores each message, then stops answering."""

    def __init__(self, directory, at):
        self.directory = directory
        self.at = at
        self.n = 0
        self.lock = threading.Lock()

    def save(self, data):
        with self.lock:
            self.n += 1
            base = os.path.join(self.directory, "msg-%04d" % self.n)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(data)
        os.rename(base + ".eml.tmp", base + ".eml")

    def __call__(self, conn):
        f = conn.makefile("rb")
        try:
            conn.sendall(b"220 mute.test ESMTP\r\n")
            while True:
                line = f.readline()
                if not line:
                    return
                cmd = line[:4].upper()
                if cmd in (b"EHLO", b"HELO"):
                    conn.sendall(b"250-mute.test\r\n250 8BITMIME\r\n")
                elif cmd == b"DATA":
                    conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    data = b""
                    while True:
                        l = f.readline()
                        if not l or l == b".\r\n":
                            break
                        data += l[1:] if l.startswith(b"..") else l
                    self.save(data)
                    if self.at == "data":
                        time.sleep(3600)
                        return
                    conn.sendall(b"250 2.0.0 Ok: queued\r\n")
                elif cmd == b"QUIT":
                    time.sleep(3600)
                    return
                else:
                    conn.sendall(b"250 OK\r\n")
        except OSError:
            return


def hang_handler(conn):
    time.sleep(3600)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["good", "refuse", "drop", "hang", "mute"])
    ap.add_argument("dir")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--refuse", default="*")
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--code", type=int, default=550,
                    help="refuse: the reply code (550, 451, ...)")
    ap.add_argument("--at", default=None, choices=["rcpt", "data", "quit"],
                    help="refuse: rcpt (default) or data; mute: data (default) or quit")
    ap.add_argument("--drop-after", type=int, default=0,
                    help="good/refuse: drop a connection after N messages on it")
    ap.add_argument("--fail-after", type=int, default=0,
                    help="good/refuse: 421 to every MAIL FROM after N messages in all")
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
    elif args.mode == "mute":
        serve_raw(args, Muter(args.dir, args.at or "data"))
    else:
        serve_raw(args, hang_handler)


if __name__ == "__main__":
    sys.exit(main())
