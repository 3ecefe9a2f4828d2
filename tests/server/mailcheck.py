"""mailcheck.py: parses the messages smtpd.py saved and checks them.

usage: mailcheck.py list DIR
           one line per message, in arrival order:
           RCPT|MESSAGE-ID|SUBJECT (decoded)|IN-REPLY-TO|tls=0/1|auth=0/1
           and exits 1 (after printing "bad: ...") when a message breaks
           RFC 5322 / MIME: a line over 998 octets (or over 78, which
           slatrack promises), a bare CR or LF, a missing or repeated
           Date/From/To/Subject/Message-ID, a header not in the set
           slatrack writes (an injected Bcc, say), or no text/plain and
           text/html parts in a multipart/alternative
       mailcheck.py text DIR N     the decoded text/plain part of message N
       mailcheck.py html DIR N     the decoded text/html part
       mailcheck.py raw DIR N      the raw message
"""
import email
import email.policy
import glob
import json
import os
import sys

ALLOWED = {"date", "from", "to", "subject", "message-id", "in-reply-to", "references",
           "auto-submitted", "mime-version", "content-type"}
SINGLE = ["date", "from", "to", "subject", "message-id"]


def messages(directory):
    return sorted(glob.glob(os.path.join(directory, "msg-*.eml")))


def problems(raw):
    bad = []
    for i, line in enumerate(raw.split(b"\r\n")):
        if len(line) > 78:
            bad.append("line %d has %d octets" % (i + 1, len(line)))
        if b"\r" in line or b"\n" in line:
            bad.append("line %d has a bare CR or LF" % (i + 1))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    names = [k.lower() for k in msg.keys()]
    for k in SINGLE:
        if names.count(k) != 1:
            bad.append("%d %s headers" % (names.count(k), k))
    for k in names:
        if k not in ALLOWED:
            bad.append("unexpected header %s" % k)
    if msg.get_content_type() != "multipart/alternative":
        bad.append("content type %s" % msg.get_content_type())
    else:
        types = [p.get_content_type() for p in msg.iter_parts()]
        if types != ["text/plain", "text/html"]:
            bad.append("parts %s" % types)
    return msg, bad


def part(msg, ctype):
    for p in msg.walk():
        if p.get_content_type() == ctype:
            return p.get_content()
    return ""


def main():
    what, directory = sys.argv[1], sys.argv[2]
    files = messages(directory)
    if what == "list":
        status = 0
        for f in files:
            raw = open(f, "rb").read()
            meta = json.load(open(f[:-4] + ".json"))
            msg, bad = problems(raw)
            for b in bad:
                print("bad: %s: %s" % (os.path.basename(f), b))
                status = 1
            print("%s|%s|%s|%s|tls=%d|auth=%d" % (
                ",".join(meta["to"]), msg["message-id"], str(msg["subject"]),
                msg["in-reply-to"] or "", meta["tls"], meta["auth"]))
        return status
    raw = open(files[int(sys.argv[3]) - 1], "rb").read()
    if what == "raw":
        sys.stdout.write(raw.decode("utf-8", "replace"))
        return 0
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    sys.stdout.write(part(msg, "text/plain" if what == "text" else "text/html"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
