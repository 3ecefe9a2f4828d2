/* mail.h: composing and sending e-mail (RFC 5322 + MIME, SMTP via
 * libcurl).  Used by `slatrack remind` and `slatrack report --mail`.
 *
 * Two halves that can be used apart:
 *
 *   mail_compose   builds the bytes of one message from a struct
 *                  mail_message: pure, no I/O, no clock (the Date comes
 *                  from m->date_at).
 *   mail_send      hands bytes to an SMTP server with the settings of a
 *                  struct mail_transport (usually from the [smtp] section:
 *                  mail_transport_from_config).
 *   mail_send_message  does both.
 *
 * What mail_compose guarantees, whatever the caller passes in:
 *   - Headers: Date, From, To, Subject, Message-ID, MIME-Version,
 *     Content-Type, Auto-Submitted: auto-generated (RFC 3834: no
 *     auto-replies), and In-Reply-To / References when given.
 *   - No header injection: CR, LF and other control characters in any
 *     header value (subject, display names, ids) become spaces before the
 *     value is written; addresses holding them, or '<', '>', ',', ';',
 *     '"', blanks, or no '@', are refused (DIAG_INPUT).
 *   - A non-ASCII Subject (or display name) is RFC 2047 encoded
 *     (=?UTF-8?B?...?=, split on character boundaries, each encoded word
 *     at most 75 characters); invalid UTF-8 becomes U+FFFD first.
 *   - No line exceeds 78 octets (headers are folded, bodies are
 *     quoted-printable, attachments base64), far under RFC 5322's 998;
 *     the one exception is an id or address longer than 75 characters,
 *     which cannot be folded and gets a line of its own (ids are at most
 *     MAIL_ID_MAX, addresses 254, so still far under 998).  Lines end in
 *     CRLF.
 *   - Bodies are UTF-8.  Text and HTML: multipart/alternative (text
 *     first, as RFC 2046 wants the preferred part last); text only when
 *     html is NULL.  With attachments the whole is multipart/mixed.
 *     Boundaries are derived from the Message-ID and checked not to occur
 *     in any part.
 *   The caller is responsible for what the text says: mail_compose does
 *   not sanitise body text (use text_add_safe on customer text).
 *
 * What mail_send guarantees:
 *   - smtp://HOST[:PORT]: STARTTLS is required (the connection fails
 *     before MAIL FROM without it), except that a loopback server
 *     (localhost, 127.0.0.0/8, ::1) may answer in plain text (STARTTLS is
 *     still used when offered), and tls = none sends in plain text.
 *     smtps://HOST[:PORT]: TLS from the first byte.  Certificates are
 *     verified (against cafile when set, else the system's store).
 *   - AUTH (PLAIN or LOGIN, whichever the server offers) when a user is
 *     set.  The password travels only inside libcurl: never in a URL, an
 *     argument vector, a log line or an error message (a server reply
 *     that echoes it is redacted).
 *   - smtp.timeout bounds everything one message takes: the connect
 *     (smtp.connect_timeout, at most smtp.timeout), the wait for each
 *     reply (the greeting, every command, the end of DATA) and the whole,
 *     including the QUIT that ends the session; nothing waits on
 *     libcurl's default 120 s.  A server that takes the message but never
 *     acknowledges its end is a failure ("no reply to the end of DATA"):
 *     the caller retries with the same Message-ID.
 *   - A 5yz reply to RCPT TO or to DATA (the command or the end of the
 *     message) refuses the message for good (RFC 5321 4.2.1): mail_send
 *     returns MAIL_REFUSED instead of -1.  Every other failure (4yz, a 5yz
 *     to EHLO, STARTTLS, AUTH or MAIL FROM, which says the settings are
 *     wrong, a timeout, a dropped connection) returns -1: worth a retry.
 *   - Every failure is DIAG_NET and names the server and what failed, with
 *     the server's last reply when there was one:
 *       "smtp://mx:25: RCPT TO <bob@example.com> refused: 550 5.1.1 no such user"
 *     d->msg holds it; mail_send also copies the bare server reply to
 *     *reply when reply is not NULL (for a reminder's last_error).
 *
 * No globals.  libcurl's global initialisation happens on first use
 * (curl_easy_init does it); slatrack is single-threaded.
 */
#ifndef SLATRACK_MAIL_H
#define SLATRACK_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct buf;
struct config;

/* Longest Message-ID (without <>) mail_compose accepts. */
#define MAIL_ID_MAX 250
#define MAIL_REPLY_MAX 512
/* mail_send's return when the server refused the message for good. */
#define MAIL_REFUSED (-2)

/* An attachment (multipart/mixed part, base64). */
struct mail_attachment {
	const char *filename;		/* ASCII or UTF-8 (RFC 2231 encoded) */
	const char *content_type;	/* "text/csv; charset=UTF-8", ... */
	const void *data;
	size_t len;
};

/* One message.  Every pointer is borrowed; NULL means absent. */
struct mail_message {
	const char *from;		/* addr-spec "sla@example.com" (required) */
	const char *from_name;		/* display name, e.g. "slatrack"; may be NULL */
	const char *const *to;		/* addr-specs (at least one) */
	size_t nto;
	const char *subject;		/* UTF-8, any characters */
	const char *message_id;		/* "local@domain", no <>; required */
	const char *in_reply_to;	/* "local@domain", no <> */
	const char *const *references;	/* ids, no <>, oldest first */
	size_t nreferences;
	int64_t date_at;		/* the Date header (written in UTC, +0000) */
	const char *text;		/* text/plain body, UTF-8 (required) */
	const char *html;		/* text/html body, UTF-8 */
	const struct mail_attachment *attachments;
	size_t nattachments;
};

/* Appends the whole message (headers, blank line, body; CRLF lines) to
 * out.  Returns 0, or -1 with DIAG_INPUT (a bad address or id) or
 * DIAG_NOMEM. */
int mail_compose(const struct mail_message *m, struct buf *out, struct diag *d);

/* Checks an addr-spec the way mail_compose does: 0 or -1 (DIAG_INPUT
 * naming `what`, e.g. "staff.bob.email"). */
int mail_check_address(const char *addr, const char *what, struct diag *d);

/* The domain of an address ("example.com"), for Message-IDs; borrowed
 * from addr, "localhost" when it has none. */
const char *mail_address_domain(const char *addr);

/* An RFC 5322 date: "Tue, 01 Dec 2026 10:00:00 +0000". */
#define MAIL_DATE_LEN 40
void mail_format_date(int64_t at, char out[MAIL_DATE_LEN]);

/* ---- transport ----------------------------------------------------------- */

enum mail_tls {
	MAIL_TLS_REQUIRED,		/* tls = required (the default) */
	MAIL_TLS_NONE			/* tls = none: plain text */
};

struct mail_transport {
	char *url;			/* smtp://HOST[:PORT] or smtps://HOST[:PORT] */
	char *user;			/* NULL: no AUTH */
	char *password;			/* NULL: none; wiped by _release */
	char *cafile;			/* PEM bundle to verify the server; NULL: system's */
	enum mail_tls tls;
	long timeout_s;			/* whole message; > 0 */
	long connect_timeout_s;		/* connect (incl. TLS handshake); > 0 */
};

/* Zeroes t with the defaults (no url, tls required, 30 s / 10 s). */
void mail_transport_init(struct mail_transport *t);
/* Fills t from [smtp]: url, user, password or password_command (run with
 * /bin/sh -c in a process group of its own, stdin /dev/null; its first
 * output line is the password; a failure names the key and line, never
 * the output), tls, timeout, connect_timeout, cafile.  password_command
 * must finish within smtp.timeout: else its whole process group is
 * killed (SIGTERM, SIGKILL a second later) and it is a failure.
 * DIAG_INPUT for a bad url or a failing password_command. */
int mail_transport_from_config(struct mail_transport *t, const struct config *cfg,
			       struct diag *d);
/* Frees the strings; the password is overwritten with zeros first. */
void mail_transport_release(struct mail_transport *t);

/* Checks the url (scheme smtp or smtps, a host, nothing after the
 * port but an optional "/" or "/DOMAIN" for the EHLO name).  DIAG_INPUT. */
int mail_check_url(const char *url, struct diag *d);
/* Whether the host of url is a loopback address (localhost, 127/8, ::1). */
int mail_url_is_loopback(const char *url);

/* Sends data (a composed message) from `from` to each of rcpt.  Returns 0
 * when the server accepted the message for every recipient, else -1 with
 * DIAG_NET (DIAG_INPUT for a bad url or address), or MAIL_REFUSED with
 * DIAG_NET when the server refused the message for good (a 5yz reply to
 * RCPT TO or DATA); reply (may be NULL) receives the server's last reply
 * line(s), "" when there was none. */
int mail_send(const struct mail_transport *t, const char *from,
	      const char *const *rcpt, size_t nrcpt, const char *data, size_t len,
	      char reply[MAIL_REPLY_MAX], struct diag *d);

/* mail_compose + mail_send to m->to (the same returns). */
int mail_send_message(const struct mail_transport *t, const struct mail_message *m,
		      char reply[MAIL_REPLY_MAX], struct diag *d);

/* ---- sessions: many messages over one connection ---------------------------- *
 *
 * mail_send opens a connection per message (greeting, EHLO, STARTTLS,
 * AUTH, ..., QUIT).  A session keeps one open from a message to the next
 * (MAIL FROM again on the same connection), for a run that sends many:
 *
 *   s = mail_session_open(&t, d);
 *   for each message: mail_session_send(s, ...) (or _send_message)
 *   mail_session_close(s);
 *
 * Each message has mail_send's guarantees and returns (STARTTLS rules,
 * AUTH, redaction, MAIL_REFUSED, diagnostics), with two differences:
 *   - smtp.timeout bounds each message from its MAIL FROM (or its connect,
 *     when it opens the connection) to the reply to its final dot; the
 *     QUIT is sent once, by mail_session_close, which waits for its reply
 *     at most smtp.timeout (libcurl's response timeout) and ignores it:
 *     every message was acknowledged before.
 *   - After any failure (a timeout, a dropped connection, a refusal) the
 *     connection is closed and the next message opens a new one.  When
 *     the server closed a kept connection before answering a message's
 *     MAIL FROM (no reply, or 421: an idle timeout or a limit of messages
 *     per connection), nothing of the message was taken: it goes again at
 *     once, once, on a new connection, within the same smtp.timeout.
 * There is no limit of messages per connection of our own: a server that
 * has one closes the connection (or answers 421), and the next message
 * reconnects as above.
 * The transport is borrowed and must outlive the session.  No network I/O
 * until the first message.  mail_session_open returns NULL only with
 * DIAG_NOMEM. */
struct mail_session;

struct mail_session *mail_session_open(const struct mail_transport *t, struct diag *d);
int mail_session_send(struct mail_session *s, const char *from, const char *const *rcpt,
		      size_t nrcpt, const char *data, size_t len, char reply[MAIL_REPLY_MAX],
		      struct diag *d);
int mail_session_send_message(struct mail_session *s, const struct mail_message *m,
			      char reply[MAIL_REPLY_MAX], struct diag *d);
/* Connections the session opened so far (for tests and benchmarks). */
size_t mail_session_connections(const struct mail_session *s);
/* Sends QUIT on the open connection, if any, and frees s (NULL: nothing). */
void mail_session_close(struct mail_session *s);

#endif
