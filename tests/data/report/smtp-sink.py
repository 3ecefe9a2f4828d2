#!/usr/bin/env python3
"""smtp-sink.py PORTFILE OUTDIR: a minimal SMTP server on 127.0.0.1 for the
report tests.  Listens on a free port (written to PORTFILE), accepts
messages in plain text (no TLS, no AUTH) and writes each one to
OUTDIR/N.eml with the envelope in OUTDIR/N.env.  Exits after 30 seconds
without a connection, or on QUIT after the first message when ONE is set."""
import os
import socket
import sys


def serve(conn, outdir, n):
    f = conn.makefile("rwb", buffering=0)

    def say(line):
        f.write(line.encode() + b"\r\n")

    say("220 sink ESMTP")
    mail_from, rcpt, got = None, [], 0
    while True:
        line = f.readline()
        if not line:
            return got
        cmd = line.decode("utf-8", "replace").strip()
        up = cmd.upper()
        if up.startswith("EHLO"):
            f.write(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 100000000\r\n")
        elif up.startswith("HELO"):
            say("250 sink")
        elif up.startswith("MAIL FROM:"):
            mail_from, rcpt = cmd[10:].strip(), []
            say("250 ok")
        elif up.startswith("RCPT TO:"):
            rcpt.append(cmd[8:].strip())
            say("250 ok")
        elif up == "DATA":
            say("354 go on")
            data = []
            while True:
                l = f.readline()
                if not l or l in (b".\r\n", b".\n"):
                    break
                if l.startswith(b".."):
                    l = l[1:]
                data.append(l)
            n += 1
            got += 1
            with open(os.path.join(outdir, "%d.eml" % n), "wb") as out:
                out.write(b"".join(data))
            with open(os.path.join(outdir, "%d.env" % n), "w") as out:
                out.write("from %s\n" % mail_from)
                for r in rcpt:
                    out.write("to %s\n" % r)
            say("250 queued")
        elif up in ("RSET", "NOOP"):
            say("250 ok")
        elif up == "QUIT":
            say("221 bye")
            return got
        else:
            say("502 not implemented")


def main():
    portfile, outdir = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(5)
    s.settimeout(30)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    n = 0
    while True:
        try:
            conn, _ = s.accept()
        except socket.timeout:
            return
        conn.settimeout(30)
        try:
            n += serve(conn, outdir, n)
        except (OSError, socket.timeout):
            pass
        conn.close()
        if os.environ.get("ONE") and n > 0:
            return


if __name__ == "__main__":
    main()
