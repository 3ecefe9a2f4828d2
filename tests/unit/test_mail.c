/* test_mail.c: RFC 5322/MIME composition (headers, injection, RFC 2047,
 * line lengths, quoted-printable, attachments), URL and address rules,
 * transport settings from the config (password_command), and SMTP
 * failures against canned one-shot servers on loopback (a forked child):
 * the server's reply in the error, the password never in it, 5yz to RCPT
 * or DATA refused for good while 4yz and 5yz to AUTH are worth a retry,
 * a server silent after DATA's final dot (or after QUIT) and a
 * password_command that never ends both cut short by smtp.timeout.
 * Sessions (many messages over one connection) against scripted servers
 * taking one connection per script: reuse, a reconnect when a kept
 * connection is dropped, a new connection after a failure, timeouts and
 * refusals per message, a bounded QUIT at the close. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "mail.h"

/* ---- helpers ------------------------------------------------------------------ */

static const char *to1[] = { "bob@example.com" };

static void message_init(struct mail_message *m)
{
	memset(m, 0, sizeof *m);
	m->from = "sla@example.com";
	m->from_name = "slatrack";
	m->to = to1;
	m->nto = 1;
	m->subject = "Hello";
	m->message_id = "abc.1@example.com";
	m->date_at = 1772442000;	/* 2026-03-02T09:00:00Z, a Monday */
	m->text = "plain text\n";
	m->html = "<p>html</p>\n";
}

static char *compose(const struct mail_message *m)
{
	struct buf b = BUF_INIT;
	struct diag d;

	diag_clear(&d);
	cr_assert_eq(mail_compose(m, &b, &d), 0, "%s", d.msg);
	return buf_detach(&b);
}

/* Every line ends in CRLF, no bare CR or LF, none longer than max. */
static void expect_lines(const char *msg, size_t max)
{
	size_t col = 0, lineno = 1;

	for (const char *p = msg; *p != '\0'; p++) {
		if (*p == '\r') {
			cr_assert_eq(p[1], '\n', "bare CR in line %zu", lineno);
			p++;
			col = 0;
			lineno++;
			continue;
		}
		cr_assert_neq(*p, '\n', "bare LF in line %zu", lineno);
		col++;
		cr_assert_leq(col, max, "line %zu longer than %zu", lineno, max);
	}
}

/* The header block (up to the first empty line), unfolded: each header
 * one NUL-separated entry in out; returns the count. */
static size_t headers(const char *msg, char out[64][2048])
{
	const char *end = strstr(msg, "\r\n\r\n");
	size_t n = 0;

	cr_assert_not_null(end);
	for (const char *p = msg; p < end + 2;) {
		const char *nl = strstr(p, "\r\n");
		size_t l = (size_t)(nl - p);

		if (*p == ' ' || *p == '\t') {
			cr_assert_gt(n, 0, "folded first line");
			strncat(out[n - 1], p, l < 2047 - strlen(out[n - 1]) ? l :
			    2047 - strlen(out[n - 1]));
		} else {
			cr_assert_lt(n, 64);
			memcpy(out[n], p, l < 2047 ? l : 2047);
			out[n][l < 2047 ? l : 2047] = '\0';
			n++;
		}
		p = nl + 2;
	}
	return n;
}

static const char *header(char h[64][2048], size_t n, const char *name)
{
	size_t l = strlen(name);

	for (size_t i = 0; i < n; i++)
		if (strncasecmp(h[i], name, l) == 0 && h[i][l] == ':')
			return h[i] + l + 1;
	return NULL;
}

static int b64v(int c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(a, c);

	return c != '\0' && p != NULL ? (int)(p - a) : -1;
}

/* Decodes a header value made of =?UTF-8?B?...?= words (blanks between
 * words ignored, as RFC 2047 says). */
static void decode_words(const char *v, char *out, size_t size)
{
	size_t o = 0;

	while (*v != '\0') {
		const char *s, *e;
		unsigned acc = 0;
		int bits = 0;

		while (*v == ' ')
			v++;
		if (*v == '\0')
			break;
		cr_assert(strncmp(v, "=?UTF-8?B?", 10) == 0, "not an encoded word: %s", v);
		s = v + 10;
		e = strstr(s, "?=");
		cr_assert_not_null(e);
		cr_assert_leq((size_t)(e + 2 - v), 75, "encoded word longer than 75");
		for (const char *p = s; p < e; p++) {
			int k;

			if (*p == '=')
				break;
			cr_assert_geq(k = b64v(*p), 0);
			acc = (acc << 6) | (unsigned)k;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				cr_assert_lt(o + 1, size);
				out[o++] = (char)((acc >> bits) & 0xff);
			}
		}
		v = e + 2;
	}
	out[o] = '\0';
}

/* Quoted-printable decoding (soft breaks joined, CRLF -> LF). */
static void qp_decode(const char *s, size_t len, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		cr_assert_lt(o + 1, size);
		if (s[i] == '=' && i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;
		} else if (s[i] == '=' && i + 2 < len) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			out[o++] = '\n';
			i++;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
}

/* The decoded body of the part with content type `type`. */
static void part_body(const char *msg, const char *type, char *out, size_t size)
{
	char want[128];
	const char *p, *start, *end;

	snprintf(want, sizeof want, "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type);
	cr_assert_not_null(p = strstr(msg, want), "no %s part", type);
	start = p + strlen(want);
	cr_assert_not_null(end = strstr(start, "\r\n--=_slatrack_"));
	qp_decode(start, (size_t)(end - start) + 2, out, size);
}

/* ---- composition --------------------------------------------------------------- */

Test(mail, compose_headers_and_parts)
{
	struct mail_message m;
	const char *refs[] = { "ticket.1@example.com" };
	char h[64][2048], body[4096];
	char *msg;
	size_t n;

	message_init(&m);
	m.in_reply_to = "ticket.1@example.com";
	m.references = refs;
	m.nreferences = 1;
	msg = compose(&m);
	expect_lines(msg, 78);
	n = headers(msg, h);
	cr_expect_str_eq(header(h, n, "Date"), " Mon, 02 Mar 2026 09:00:00 +0000");
	cr_expect_str_eq(header(h, n, "From"), " \"slatrack\" <sla@example.com>");
	cr_expect_str_eq(header(h, n, "To"), " bob@example.com");
	cr_expect_str_eq(header(h, n, "Subject"), " Hello");
	cr_expect_str_eq(header(h, n, "Message-ID"), " <abc.1@example.com>");
	cr_expect_str_eq(header(h, n, "In-Reply-To"), " <ticket.1@example.com>");
	cr_expect_str_eq(header(h, n, "References"), " <ticket.1@example.com>");
	cr_expect_str_eq(header(h, n, "MIME-Version"), " 1.0");
	cr_expect_str_eq(header(h, n, "Auto-Submitted"), " auto-generated");
	cr_expect(strstr(header(h, n, "Content-Type"), "multipart/alternative;") != NULL);
	part_body(msg, "text/plain", body, sizeof body);
	cr_expect_str_eq(body, "plain text\n");
	part_body(msg, "text/html", body, sizeof body);
	cr_expect_str_eq(body, "<p>html</p>\n");
	/* text first, HTML last (the preferred part, RFC 2046) */
	cr_expect(strstr(msg, "text/plain") < strstr(msg, "text/html"));
	free(msg);
}

Test(mail, text_only_without_html)
{
	struct mail_message m;
	char h[64][2048];
	char *msg;
	size_t n;

	message_init(&m);
	m.html = NULL;
	msg = compose(&m);
	n = headers(msg, h);
	cr_expect_str_eq(header(h, n, "Content-Type"), " text/plain; charset=UTF-8");
	cr_expect_null(strstr(msg, "multipart"));
	free(msg);
}

Test(mail, crlf_in_subject_cannot_inject_headers)
{
	static const char *const evil[] = {
		"Hello\r\nBcc: victim@example.org",
		"Hello\nBcc: victim@example.org\n\nbody",
		"Hello\rBcc: victim@example.org",
		"x\r\n\r\nContent-Type: text/html\r\n",
		"Gr\xc3\xbc\xc3\x9f" "e\r\nBcc: victim@example.org",	/* non-ASCII too */
	};

	for (size_t i = 0; i < sizeof evil / sizeof evil[0]; i++) {
		struct mail_message m;
		char h[64][2048], dec[1024];
		char *msg;
		size_t n;

		message_init(&m);
		m.subject = evil[i];
		msg = compose(&m);
		expect_lines(msg, 78);
		n = headers(msg, h);
		cr_expect_null(header(h, n, "Bcc"), "case %zu injected a Bcc", i);
		/* exactly the headers mail_compose writes, nothing smuggled in */
		cr_expect_eq(n, 8, "case %zu: %zu headers", i, n);
		for (size_t k = 0; k < n; k++)
			cr_expect(strncmp(h[k], "Date:", 5) == 0 || strncmp(h[k], "From:", 5) == 0 ||
			    strncmp(h[k], "To:", 3) == 0 || strncmp(h[k], "Subject:", 8) == 0 ||
			    strncmp(h[k], "Message-ID:", 11) == 0 ||
			    strncmp(h[k], "Auto-Submitted:", 15) == 0 ||
			    strncmp(h[k], "MIME-Version:", 13) == 0 ||
			    strncmp(h[k], "Content-Type:", 13) == 0, "case %zu: %s", i, h[k]);
		if (strstr(header(h, n, "Subject"), "=?UTF-8?B?") != NULL) {
			decode_words(header(h, n, "Subject"), dec, sizeof dec);
			cr_expect_null(strpbrk(dec, "\r\n"), "case %zu", i);
		} else
			cr_expect_null(strpbrk(header(h, n, "Subject"), "\r\n"), "case %zu", i);
		free(msg);
	}
}

Test(mail, non_ascii_subject_is_rfc2047_encoded)
{
	static const char *const subjects[] = {
		"Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6\xe5\x90\x8d "
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6\xe5\x90\x8d "
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6\xe5\x90\x8d "
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6\xe5\x90\x8d "
		"\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5 end",
		"looks =?UTF-8?B?ZXZpbA==?= encoded",
	};

	for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
		struct mail_message m;
		char h[64][2048], dec[2048];
		char *msg;
		size_t n;

		message_init(&m);
		m.subject = subjects[i];
		msg = compose(&m);
		expect_lines(msg, 78);
		n = headers(msg, h);
		decode_words(header(h, n, "Subject"), dec, sizeof dec);
		cr_expect_str_eq(dec, subjects[i], "case %zu", i);
		free(msg);
	}
}

Test(mail, invalid_utf8_and_controls_in_subject)
{
	struct mail_message m;
	char h[64][2048], dec[1024];
	char *msg;
	size_t n;

	message_init(&m);
	m.subject = "bad \xff byte\x1b[31m red\x7f";
	msg = compose(&m);
	n = headers(msg, h);
	decode_words(header(h, n, "Subject"), dec, sizeof dec);
	cr_expect_str_eq(dec, "bad \xef\xbf\xbd byte [31m red");
	free(msg);
}

Test(mail, long_lines_stay_short)
{
	struct mail_message m;
	struct buf longtext = BUF_INIT, longsubj = BUF_INIT;
	char body[32768];
	char *msg;

	for (int i = 0; i < 3000; i++)
		buf_addc(&longtext, (char)('a' + i % 26));
	buf_adds(&longtext, " \xc3\xa9t\xc3\xa9 =equals= trailing space \nFrom the start\n.dot\n");
	for (int i = 0; i < 1200; i++)
		buf_addc(&longsubj, 'x');
	message_init(&m);
	m.text = buf_str(&longtext);
	m.subject = buf_str(&longsubj);
	msg = compose(&m);
	expect_lines(msg, 78);
	part_body(msg, "text/plain", body, sizeof body);
	cr_expect_str_eq(body, buf_str(&longtext));
	/* a line starting with "From " or "." is encoded */
	cr_expect_null(strstr(msg, "\r\nFrom the"));
	cr_expect_null(strstr(msg, "\r\n.dot"));
	free(msg);
	buf_release(&longtext);
	buf_release(&longsubj);
}

/* The text part's encoded lines: none over 76 characters, none starting
 * with '.' or "From ", none ending in a space or tab, only printable
 * ASCII; and decoded, the text itself (LF for CRLF). */
static void expect_qp_of(const char *text)
{
	struct mail_message m;
	char body[8192];
	const char *start, *end, *line;
	char *msg;

	message_init(&m);
	m.text = text;
	m.html = NULL;
	msg = compose(&m);
	cr_assert_not_null(start = strstr(msg, "quoted-printable\r\n\r\n"));
	start += strlen("quoted-printable\r\n\r\n");
	end = start + strlen(start);
	for (line = start; line < end;) {
		const char *eol = strstr(line, "\r\n");
		size_t n = eol != NULL ? (size_t)(eol - line) : (size_t)(end - line);

		cr_assert_leq(n, 76, "a line of %zu: %.*s", n, (int)n, line);
		cr_assert(n == 0 || (line[n - 1] != ' ' && line[n - 1] != '\t'),
		    "a line ends in blank: %.*s", (int)n, line);
		cr_assert(line[0] != '.' && strncmp(line, "From ", 5) != 0, "%.*s", (int)n, line);
		for (size_t i = 0; i < n; i++)
			cr_assert((line[i] >= 32 && line[i] <= 126) || line[i] == '\t', "byte %d",
			    (unsigned char)line[i]);
		if (eol == NULL)
			break;
		line = eol + 2;
	}
	qp_decode(start, (size_t)(end - start), body, sizeof body);
	{
		/* the text with CRLF as LF, and the line break the part ends with */
		char want[8192];
		size_t o = 0;

		for (const char *t = text; *t != '\0'; t++)
			if (!(t[0] == '\r' && t[1] == '\n'))
				want[o++] = *t;
		if (o > 0 && want[o - 1] != '\n')
			want[o++] = '\n';
		want[o] = '\0';
		cr_assert_str_eq(body, want);
	}
	free(msg);
}

/* Random texts of the pieces quoted-printable must take care of: blanks
 * before a line break, '.', "From " and 'F' at a line's start, '=',
 * UTF-8, CRLF and LF, long runs that need soft breaks at every column. */
Test(mail, quoted_printable_of_random_text)
{
	static const char *const piece[] = {
		"a", "b", "z", " ", "\t", ".", "F", "From ", "Fro", "=", "\n", "\r\n",
		"\xc3\xa9", "~", "!", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"  \n", "\t\r\n", ".\n", "==",
	};
	uint32_t seed = 12345;
	char text[4096];

	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 0, want;

		seed = seed * 1103515245u + 12345u;
		want = (seed >> 8) % 600;
		while (len < want) {
			const char *pc;

			seed = seed * 1103515245u + 12345u;
			pc = piece[(seed >> 8) % (sizeof piece / sizeof *piece)];
			if (len + strlen(pc) >= sizeof text)
				break;
			memcpy(text + len, pc, strlen(pc));
			len += strlen(pc);
		}
		text[len] = '\0';
		expect_qp_of(text);
	}
}

Test(mail, long_ascii_subject_folds_at_spaces)
{
	struct mail_message m;
	char h[64][2048];
	const char *subj = "[slatrack] 12 tickets need a first response (3 breached) and "
	    "this subject goes on and on well past seventy-eight characters";
	char *msg;
	size_t n;

	message_init(&m);
	m.subject = subj;
	msg = compose(&m);
	expect_lines(msg, 78);
	n = headers(msg, h);
	cr_expect_str_eq(header(h, n, "Subject") + 1, subj);
	free(msg);
}

Test(mail, many_recipients_and_references_fold)
{
	const char *to[12], *refs[12];
	char addr[12][64], ref[12][64], h[64][2048];
	struct mail_message m;
	char *msg;
	size_t n;

	for (int i = 0; i < 12; i++) {
		snprintf(addr[i], sizeof addr[i], "person.number.%d@example.com", i);
		snprintf(ref[i], sizeof ref[i], "ticket.%d.0123456789abcdef@example.com", i);
		to[i] = addr[i];
		refs[i] = ref[i];
	}
	message_init(&m);
	m.to = to;
	m.nto = 12;
	m.references = refs;
	m.nreferences = 12;
	msg = compose(&m);
	expect_lines(msg, 78);
	n = headers(msg, h);
	cr_expect(strstr(header(h, n, "To"), "person.number.11@example.com") != NULL);
	cr_expect(strstr(header(h, n, "References"), "<ticket.11.0123456789abcdef@") != NULL);
	free(msg);
}

Test(mail, non_ascii_display_name)
{
	struct mail_message m;
	char h[64][2048];
	char *msg;
	size_t n;

	message_init(&m);
	m.from_name = "SLA W\xc3\xa4" "chter";
	msg = compose(&m);
	expect_lines(msg, 78);
	n = headers(msg, h);
	cr_expect(strstr(header(h, n, "From"), "=?UTF-8?B?") != NULL);
	cr_expect(strstr(header(h, n, "From"), "<sla@example.com>") != NULL);
	free(msg);
}

Test(mail, attachments_make_multipart_mixed)
{
	struct mail_message m;
	struct mail_attachment a = { "breaches 2026-03.csv", "text/csv; charset=UTF-8",
		"key,partner\nACME-1,acme\n", 25 };
	char h[64][2048];
	char *msg;
	size_t n;

	message_init(&m);
	m.attachments = &a;
	m.nattachments = 1;
	msg = compose(&m);
	expect_lines(msg, 78);
	n = headers(msg, h);
	cr_expect(strstr(header(h, n, "Content-Type"), "multipart/mixed;") != NULL);
	cr_expect(strstr(msg, "multipart/alternative") != NULL);
	cr_expect(strstr(msg, "filename=\"breaches 2026-03.csv\"") != NULL);
	cr_expect(strstr(msg, "a2V5LHBhcnRuZXIKQUNNRS0xLGFjbWUK") != NULL);
	free(msg);
}

Test(mail, bad_addresses_and_ids_refused)
{
	static const char *const bad[] = {
		"", "no-at-sign", "@example.com", "bob@", "bob@example.com\r\nBcc: x@y",
		"<bob@example.com>", "bob smith@example.com", "b\"ob@example.com",
		"bob@example.com,eve@example.com",
	};
	struct mail_message m;
	struct buf b = BUF_INIT;
	struct diag d;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *to[] = { bad[i] };

		message_init(&m);
		m.to = to;
		diag_clear(&d);
		cr_expect_eq(mail_compose(&m, &b, &d), -1, "to '%s'", bad[i]);
		cr_expect_eq(d.code, DIAG_INPUT);
		message_init(&m);
		m.from = bad[i];
		cr_expect_eq(mail_compose(&m, &b, &d), -1, "from '%s'", bad[i]);
	}
	message_init(&m);
	m.message_id = "x@y>\r\nBcc: z@w";
	cr_expect_eq(mail_compose(&m, &b, &d), -1);
	message_init(&m);
	m.in_reply_to = "no-at";
	cr_expect_eq(mail_compose(&m, &b, &d), -1);
	message_init(&m);
	m.nto = 0;
	cr_expect_eq(mail_compose(&m, &b, &d), -1);
	buf_release(&b);
}

Test(mail, date_format)
{
	static const struct { int64_t at; const char *want; } v[] = {
		{ 0, "Thu, 01 Jan 1970 00:00:00 +0000" },
		{ 1772442000, "Mon, 02 Mar 2026 09:00:00 +0000" },
		{ 1798761599, "Thu, 31 Dec 2026 23:59:59 +0000" },
		{ 951782400, "Tue, 29 Feb 2000 00:00:00 +0000" },
	};
	char out[MAIL_DATE_LEN];

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		mail_format_date(v[i].at, out);
		cr_expect_str_eq(out, v[i].want);
	}
	cr_expect_str_eq(mail_address_domain("a@b.example"), "b.example");
	cr_expect_str_eq(mail_address_domain("nodomain"), "localhost");
}

/* ---- urls and settings -------------------------------------------------------------- */

Test(mail, url_rules)
{
	static const struct { const char *url; int ok; int loopback; } v[] = {
		{ "smtp://mail.example.com", 1, 0 },
		{ "smtp://mail.example.com:587", 1, 0 },
		{ "smtps://mail.example.com:465", 1, 0 },
		{ "smtp://127.0.0.1:2525", 1, 1 },
		{ "smtp://localhost", 1, 1 },
		{ "smtp://[::1]:25", 1, 1 },
		{ "smtp://127.0.0.1.evil.example", 1, 0 },
		{ "http://mail.example.com", 0, 0 },
		{ "smtp://bob:hunter2@mail.example.com", 0, 0 },
		{ "smtp://", 0, 0 },
		{ "", 0, 0 },
	};
	struct diag d;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		diag_clear(&d);
		cr_expect_eq(mail_check_url(v[i].url, &d), v[i].ok ? 0 : -1, "%s", v[i].url);
		if (!v[i].ok)
			cr_expect_eq(d.code, DIAG_INPUT, "%s", v[i].url);
		cr_expect_null(strstr(d.msg, "hunter2"), "%s", d.msg);
		cr_expect_eq(mail_url_is_loopback(v[i].url), v[i].loopback, "%s", v[i].url);
	}
}

static struct config *conf(const char *text)
{
	struct diag d;
	struct config *c = config_parse(text, strlen(text), "test.conf", 0600, &d);

	cr_assert_not_null(c, "%s", d.msg);
	return c;
}

Test(mail, transport_from_config)
{
	struct config *c = conf("[smtp]\nurl = smtps://mail.example.com\nuser = bob\n"
	    "password_command = printf 's3cret\\nsecond line'\ntimeout = 20s\n"
	    "connect_timeout = 5s\ncafile = /tmp/ca.pem\n");
	struct mail_transport t;
	struct diag d;

	cr_assert_eq(mail_transport_from_config(&t, c, &d), 0, "%s", d.msg);
	cr_expect_str_eq(t.url, "smtps://mail.example.com");
	cr_expect_str_eq(t.user, "bob");
	cr_expect_str_eq(t.password, "s3cret");
	cr_expect_str_eq(t.cafile, "/tmp/ca.pem");
	cr_expect_eq(t.timeout_s, 20);
	cr_expect_eq(t.connect_timeout_s, 5);
	cr_expect_eq(t.tls, MAIL_TLS_REQUIRED);
	mail_transport_release(&t);
	cr_expect_null(t.password);
	config_free(c);

	c = conf("[smtp]\nurl = smtp://mx.example.com\nuser = bob\n"
	    "password_command = echo hunter2; exit 3\ntls = none\n");
	diag_clear(&d);
	cr_expect_eq(mail_transport_from_config(&t, c, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect(strstr(d.msg, "password_command (line 4) failed with exit status 3") != NULL,
	    "%s", d.msg);
	cr_expect_null(strstr(d.msg, "hunter2"));
	config_free(c);

	c = conf("[smtp]\nurl = smtp://mx.example.com\ntls = none\n");
	cr_assert_eq(mail_transport_from_config(&t, c, &d), 0, "%s", d.msg);
	cr_expect_eq(t.tls, MAIL_TLS_NONE);
	cr_expect_null(t.user);
	cr_expect_null(t.password);
	cr_expect_eq(t.timeout_s, 30);
	cr_expect_eq(t.connect_timeout_s, 10);
	mail_transport_release(&t);
	config_free(c);

	c = conf("[smtp]\nurl = smtp://mx.example.com\npassword = x\n");
	cr_expect_eq(mail_transport_from_config(&t, c, &d), -1);
	cr_expect(strstr(d.msg, "smtp.user is not") != NULL, "%s", d.msg);
	config_free(c);
}

/* ---- SMTP against canned servers ----------------------------------------------------- */

/* A one-shot SMTP server: answers each command with the next line of
 * script (after the greeting); "*" reads the DATA lines up to "." first;
 * "=" says nothing more (the last command, or the final dot, waits for
 * its reply for ever). */
static pid_t serve(const char *const *script, int *port)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	pid_t pid;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(listen(s, 1), 0);
	getsockname(s, (struct sockaddr *)&a, &alen);
	*port = ntohs(a.sin_port);
	if ((pid = fork()) == 0) {
		int c = accept(s, NULL, NULL);
		FILE *in = fdopen(c, "r");
		char line[1024];

		dprintf(c, "%s\r\n", script[0]);
		for (size_t i = 1; script[i] != NULL; i++) {
			if (strcmp(script[i], "=") == 0) {
				/* silent: not a word more */
				sleep(300);
				_exit(0);
			}
			if (strcmp(script[i], "*") == 0) {
				while (fgets(line, sizeof line, in) != NULL && strcmp(line, ".\r\n") != 0)
					;
				if (script[++i] == NULL)
					break;
			} else if (fgets(line, sizeof line, in) == NULL)
				break;
			dprintf(c, "%s\r\n", script[i]);
		}
		sleep(1);
		_exit(0);
	}
	close(s);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static void transport(struct mail_transport *t, int port, const char *user,
		      const char *password)
{
	char url[64];

	mail_transport_init(t);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
	t->url = strdup(url);
	t->user = user ? strdup(user) : NULL;
	t->password = password ? strdup(password) : NULL;
	t->timeout_s = 5;
	t->connect_timeout_s = 5;
}

Test(mail, send_delivers_to_plain_loopback)
{
	static const char *const script[] = {
		"220 test ESMTP", "250 test", "250 sender ok", "250 rcpt ok", "354 go on",
		"*", "250 2.0.0 queued as 42", "221 bye", NULL
	};
	struct mail_transport t;
	struct mail_message m;
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	int port;
	pid_t pid = serve(script, &port);

	transport(&t, port, NULL, NULL);
	message_init(&m);
	diag_clear(&d);
	cr_expect_eq(mail_send_message(&t, &m, reply, &d), 0, "%s", d.msg);
	mail_transport_release(&t);
	reap(pid);
}

Test(mail, refused_recipient_reports_the_server_reply)
{
	static const char *const script[] = {
		"220 test ESMTP", "250 test", "250 sender ok",
		"550 5.1.1 <bob@example.com>: Recipient address rejected", "221 bye", NULL
	};
	struct mail_transport t;
	struct mail_message m;
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	int port;
	pid_t pid = serve(script, &port);

	transport(&t, port, NULL, NULL);
	message_init(&m);
	diag_clear(&d);
	cr_expect_eq(mail_send_message(&t, &m, reply, &d), MAIL_REFUSED, "%s", d.msg);
	cr_expect_eq(d.code, DIAG_NET);
	cr_expect(strstr(d.msg, "smtp://127.0.0.1:") == d.msg, "%s", d.msg);
	cr_expect(strstr(d.msg, "550 5.1.1 <bob@example.com>: Recipient address rejected") !=
	    NULL, "%s", d.msg);
	cr_expect(strstr(reply, "550 5.1.1") != NULL, "%s", reply);
	mail_transport_release(&t);
	reap(pid);
}

Test(mail, auth_failure_never_shows_the_password)
{
	static const char *const script[] = {
		"220 test ESMTP", "250-test\r\n250 AUTH PLAIN LOGIN",
		"535 5.7.8 credentials bob/hunter2pass rejected", "221 bye", NULL
	};
	struct mail_transport t;
	struct mail_message m;
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	int port;
	pid_t pid = serve(script, &port);

	transport(&t, port, "bob", "hunter2pass");
	message_init(&m);
	diag_clear(&d);
	cr_expect_eq(mail_send_message(&t, &m, reply, &d), -1);
	cr_expect_eq(d.code, DIAG_NET);
	cr_expect(strstr(d.msg, "535 5.7.8") != NULL, "%s", d.msg);
	cr_expect_null(strstr(d.msg, "hunter2pass"), "%s", d.msg);
	cr_expect_null(strstr(reply, "hunter2pass"), "%s", reply);
	cr_expect(strstr(d.msg, "***") != NULL, "%s", d.msg);
	mail_transport_release(&t);
	reap(pid);
}

Test(mail, starttls_required_off_loopback)
{
	struct mail_transport t;
	struct mail_message m;
	struct diag d;

	/* smtps with tls = none is a contradiction, refused before connecting */
	mail_transport_init(&t);
	t.url = strdup("smtps://mail.example.com");
	t.tls = MAIL_TLS_NONE;
	message_init(&m);
	cr_expect_eq(mail_send_message(&t, &m, NULL, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	mail_transport_release(&t);
}

Test(mail, connection_refused_names_the_server)
{
	struct mail_transport t;
	struct mail_message m;
	struct diag d;

	transport(&t, 1, NULL, NULL);
	message_init(&m);
	cr_expect_eq(mail_send_message(&t, &m, NULL, &d), -1);
	cr_expect_eq(d.code, DIAG_NET);
	cr_expect(strstr(d.msg, "smtp://127.0.0.1:1: ") == d.msg, "%s", d.msg);
	mail_transport_release(&t);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* mail_send_message against script with a 1 s smtp.timeout: its return,
 * d and reply filled, the seconds it took in *secs. */
static int send_scripted(const char *const *script, const char *user, const char *password,
			 char reply[MAIL_REPLY_MAX], struct diag *d, double *secs)
{
	struct mail_transport t;
	struct mail_message m;
	int port, rc;
	int64_t t0;
	pid_t pid = serve(script, &port);

	transport(&t, port, user, password);
	t.timeout_s = 1;
	t.connect_timeout_s = 1;
	message_init(&m);
	diag_clear(d);
	t0 = now_ms();
	rc = mail_send_message(&t, &m, reply, d);
	*secs = (double)(now_ms() - t0) / 1000.0;
	mail_transport_release(&t);
	reap(pid);
	return rc;
}

/* RFC 5321 4.2.1: 5yz to RCPT TO or DATA is permanent, 4yz transient, and
 * a 5yz to AUTH or MAIL FROM says the settings are wrong: retried. */
Test(mail, permanent_and_transient_replies)
{
	static const char *const rcpt451[] = {
		"220 test ESMTP", "250 test", "250 sender ok",
		"451 4.3.0 <bob@example.com>: try again later", "221 bye", NULL
	};
	static const char *const data554[] = {
		"220 test ESMTP", "250 test", "250 sender ok", "250 rcpt ok", "354 go on",
		"*", "554 5.6.0 message content rejected", "221 bye", NULL
	};
	static const char *const data452[] = {
		"220 test ESMTP", "250 test", "250 sender ok", "250 rcpt ok", "354 go on",
		"*", "452 4.3.1 insufficient system storage", "221 bye", NULL
	};
	static const char *const data550[] = {
		"220 test ESMTP", "250 test", "250 sender ok", "250 rcpt ok",
		"550 5.7.1 DATA not allowed", "221 bye", NULL
	};
	static const char *const mail550[] = {
		"220 test ESMTP", "250 test", "550 5.7.1 sender not allowed", "221 bye", NULL
	};
	static const char *const auth535[] = {
		"220 test ESMTP", "250-test\r\n250 AUTH PLAIN LOGIN",
		"535 5.7.8 authentication failed", "221 bye", NULL
	};
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	double secs;

	cr_expect_eq(send_scripted(rcpt451, NULL, NULL, reply, &d, &secs), -1, "%s", d.msg);
	cr_expect(strstr(d.msg, "451 4.3.0") != NULL, "%s", d.msg);
	cr_expect_eq(send_scripted(data554, NULL, NULL, reply, &d, &secs), MAIL_REFUSED, "%s",
	    d.msg);
	cr_expect(strstr(reply, "554 5.6.0") != NULL, "%s", reply);
	cr_expect_eq(send_scripted(data452, NULL, NULL, reply, &d, &secs), -1, "%s", d.msg);
	cr_expect(strstr(reply, "452 4.3.1") != NULL, "%s", reply);
	cr_expect_eq(send_scripted(data550, NULL, NULL, reply, &d, &secs), MAIL_REFUSED, "%s",
	    d.msg);
	cr_expect_eq(send_scripted(mail550, NULL, NULL, reply, &d, &secs), -1, "%s", d.msg);
	cr_expect(strstr(d.msg, "550 5.7.1 sender not allowed") != NULL, "%s", d.msg);
	cr_expect_eq(send_scripted(auth535, "bob", "pw", reply, &d, &secs), -1, "%s", d.msg);
}

/* The server keeps the message but never acknowledges its final dot
 * (libcurl's own default is to wait 120 s for a reply, and as long again
 * for the QUIT after it: tests/server/t106-remind-timeouts.sh).
 * smtp.timeout (1 s here) must end it, saying which reply never came;
 * 20 s is a generous bound. */
Test(mail, silent_after_data_times_out, .timeout = 60)
{
	static const char *const script[] = {
		"220 test ESMTP", "250 test", "250 sender ok", "250 rcpt ok", "354 go on",
		"*", "=", NULL
	};
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	double secs;

	cr_expect_eq(send_scripted(script, NULL, NULL, reply, &d, &secs), -1, "%s", d.msg);
	cr_expect_lt(secs, 20.0, "took %.1f s", secs);
	cr_expect_eq(d.code, DIAG_NET);
	cr_expect(strstr(d.msg, "no reply to the end of DATA within smtp.timeout (1 s)") != NULL,
	    "%s", d.msg);
}

/* Silent after RCPT TO: the same bound, naming the command. */
Test(mail, silent_after_a_command_times_out, .timeout = 60)
{
	static const char *const script[] = {
		"220 test ESMTP", "250 test", "250 sender ok", "=", NULL
	};
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	double secs;

	cr_expect_eq(send_scripted(script, NULL, NULL, reply, &d, &secs), -1, "%s", d.msg);
	cr_expect_lt(secs, 20.0, "took %.1f s", secs);
	cr_expect(strstr(d.msg, "no reply to RCPT TO within smtp.timeout (1 s)") != NULL, "%s",
	    d.msg);
}

/* The message was acknowledged; a QUIT left unanswered neither fails it
 * nor holds the run. */
Test(mail, silent_after_quit_still_delivered, .timeout = 60)
{
	static const char *const script[] = {
		"220 test ESMTP", "250 test", "250 sender ok", "250 rcpt ok", "354 go on",
		"*", "250 2.0.0 queued", "=", NULL
	};
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	double secs;

	cr_expect_eq(send_scripted(script, NULL, NULL, reply, &d, &secs), 0, "%s", d.msg);
	cr_expect_lt(secs, 20.0, "took %.1f s", secs);
}

/* Whether pid is gone (or a zombie nobody reaped yet). */
static int gone(pid_t pid)
{
	char path[64], buf[256];
	FILE *f;
	char *p;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 1;
	p = fgets(buf, sizeof buf, f);
	fclose(f);
	return p == NULL || ((p = strrchr(buf, ')')) != NULL && p[1] == ' ' && p[2] == 'Z');
}

/* A password_command that never ends is stopped after smtp.timeout, with
 * everything it started, even when it ignores SIGTERM. */
Test(mail, password_command_that_hangs_is_killed, .timeout = 60)
{
	char dir[64], text[512], pidfile[128], line[32];
	struct config *c;
	struct mail_transport t;
	struct diag d;
	int64_t t0;
	FILE *f;
	int npids = 0;
	pid_t pids[4];

	c = conf("[smtp]\nurl = smtp://mx.example.com\nuser = bob\n"
	    "password_command = sleep 1000\ntimeout = 1s\n");
	t0 = now_ms();
	cr_expect_eq(mail_transport_from_config(&t, c, &d), -1);
	cr_expect_lt(now_ms() - t0, 20000);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect(strstr(d.msg, "smtp.password_command (line 4) did not finish within "
	    "smtp.timeout (1 s)") != NULL, "%s", d.msg);
	config_free(c);

	snprintf(dir, sizeof dir, "/tmp/slatrack-mail.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(pidfile, sizeof pidfile, "%s/pids", dir);
	snprintf(text, sizeof text, "[smtp]\nurl = smtp://mx.example.com\nuser = bob\n"
	    "password_command = trap '' TERM; sleep 1000 & echo $$ $! >%s; wait\n"
	    "timeout = 1s\n", pidfile);
	c = conf(text);
	t0 = now_ms();
	cr_expect_eq(mail_transport_from_config(&t, c, &d), -1);
	cr_expect_lt(now_ms() - t0, 20000);
	cr_expect(strstr(d.msg, "did not finish within smtp.timeout (1 s)") != NULL, "%s",
	    d.msg);
	config_free(c);
	cr_assert_not_null(f = fopen(pidfile, "r"));
	while (npids < 4 && fscanf(f, "%31s", line) == 1)
		pids[npids++] = (pid_t)strtol(line, NULL, 10);
	fclose(f);
	cr_expect_eq(npids, 2);
	for (int i = 0; i < npids; i++) {
		for (int k = 0; k < 100 && !gone(pids[i]); k++)
			usleep(50000);
		cr_expect(gone(pids[i]), "process %d still runs", (int)pids[i]);
	}
	unlink(pidfile);
	rmdir(dir);
}

/* ---- sessions: many messages over one connection ------------------------------ */

/* Plays script on connection c as serve() does, plus "!": close the
 * connection at once, without a word, once the next command arrived
 * ("=", likewise, reads the next command first, then says nothing). */
static void play(int c, const char *const *script)
{
	FILE *in = fdopen(c, "r");
	char line[1024];

	dprintf(c, "%s\r\n", script[0]);
	for (size_t i = 1; script[i] != NULL; i++) {
		if (strcmp(script[i], "*") == 0) {
			while (fgets(line, sizeof line, in) != NULL && strcmp(line, ".\r\n") != 0)
				;
			if (script[++i] == NULL)
				break;
		} else if (fgets(line, sizeof line, in) == NULL)
			break;
		if (strcmp(script[i], "!") == 0)
			break;
		if (strcmp(script[i], "=") == 0) {
			sleep(300);
			_exit(0);
		}
		dprintf(c, "%s\r\n", script[i]);
	}
	fclose(in);
}

/* A server that takes one connection per script, in turn (a connection
 * more than scripted waits in the backlog and is never answered). */
static pid_t serve_each(const char *const *const *scripts, int *port)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	pid_t pid;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(listen(s, 4), 0);
	getsockname(s, (struct sockaddr *)&a, &alen);
	*port = ntohs(a.sin_port);
	if ((pid = fork()) == 0) {
		for (size_t k = 0; scripts[k] != NULL; k++)
			play(accept(s, NULL, NULL), scripts[k]);
		sleep(300);
		_exit(0);
	}
	close(s);
	return pid;
}

#define ONE_MESSAGE "250 sender ok", "250 rcpt ok", "354 go on", "*", "250 2.0.0 queued"

/* Three messages, one connection: MAIL FROM again after each message,
 * one QUIT at the close. */
Test(mail, session_sends_many_messages_over_one_connection, .timeout = 60)
{
	static const char *const script[] = {
		"220 test ESMTP", "250 test", ONE_MESSAGE, ONE_MESSAGE, ONE_MESSAGE, "221 bye", NULL
	};
	static const char *const *const scripts[] = { script, NULL };
	struct mail_transport t;
	struct mail_session *s;
	struct mail_message m;
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	int port;
	pid_t pid = serve_each(scripts, &port);

	transport(&t, port, NULL, NULL);
	message_init(&m);
	diag_clear(&d);
	cr_assert_not_null(s = mail_session_open(&t, &d));
	for (int i = 0; i < 3; i++) {
		cr_expect_eq(mail_session_send_message(s, &m, reply, &d), 0, "%d: %s", i, d.msg);
		cr_expect(strstr(reply, "250 2.0.0 queued") != NULL, "%s", reply);
	}
	cr_expect_eq(mail_session_connections(s), 1);
	mail_session_close(s);
	mail_transport_release(&t);
	reap(pid);
}

/* The server closes the kept connection when the second message's MAIL
 * FROM arrives (no reply: nothing taken): the message goes again at once
 * on a new connection. */
Test(mail, session_reconnects_when_a_kept_connection_is_dropped, .timeout = 60)
{
	static const char *const first[] = {
		"220 test ESMTP", "250 test", ONE_MESSAGE, "!", NULL
	};
	static const char *const second[] = {
		"220 test ESMTP", "250 test", ONE_MESSAGE, "221 bye", NULL
	};
	static const char *const *const scripts[] = { first, second, NULL };
	struct mail_transport t;
	struct mail_session *s;
	struct mail_message m;
	struct diag d;
	int port;
	pid_t pid = serve_each(scripts, &port);

	transport(&t, port, NULL, NULL);
	message_init(&m);
	diag_clear(&d);
	cr_assert_not_null(s = mail_session_open(&t, &d));
	cr_expect_eq(mail_session_send_message(s, &m, NULL, &d), 0, "%s", d.msg);
	cr_expect_eq(mail_session_send_message(s, &m, NULL, &d), 0, "%s", d.msg);
	cr_expect_eq(mail_session_connections(s), 2);
	mail_session_close(s);
	mail_transport_release(&t);
	reap(pid);
}

/* A failure (451 to RCPT TO) is that message's alone: reported as with
 * mail_send, not retried, and the next message opens a new connection. */
Test(mail, session_after_a_failure_starts_a_new_connection, .timeout = 60)
{
	static const char *const first[] = {
		"220 test ESMTP", "250 test", ONE_MESSAGE, "250 sender ok",
		"451 4.3.0 <bob@example.com>: try again later", "221 bye", NULL
	};
	static const char *const second[] = {
		"220 test ESMTP", "250 test", ONE_MESSAGE, "221 bye", NULL
	};
	static const char *const *const scripts[] = { first, second, NULL };
	struct mail_transport t;
	struct mail_session *s;
	struct mail_message m;
	char reply[MAIL_REPLY_MAX];
	struct diag d;
	int port;
	pid_t pid = serve_each(scripts, &port);

	transport(&t, port, NULL, NULL);
	message_init(&m);
	diag_clear(&d);
	cr_assert_not_null(s = mail_session_open(&t, &d));
	cr_expect_eq(mail_session_send_message(s, &m, reply, &d), 0, "%s", d.msg);
	cr_expect_eq(mail_session_send_message(s, &m, reply, &d), -1);
	cr_expect(strstr(d.msg, "451 4.3.0") != NULL, "%s", d.msg);
	cr_expect(strstr(reply, "451 4.3.0") != NULL, "%s", reply);
	diag_clear(&d);
	cr_expect_eq(mail_session_send_message(s, &m, reply, &d), 0, "%s", d.msg);
	cr_expect_eq(mail_session_connections(s), 2);
	mail_session_close(s);
	mail_transport_release(&t);
	reap(pid);
}

/* On a kept connection, smtp.timeout (1 s) still bounds each message and
 * names the reply that never came (not "cannot connect"); a 5yz to RCPT
 * on a kept connection is still MAIL_REFUSED. */
Test(mail, session_timeouts_and_refusals_per_message, .timeout = 60)
{
	static const char *const silent[] = {
		"220 test ESMTP", "250 test", ONE_MESSAGE, "250 sender ok", "250 rcpt ok",
		"354 go on", "*", "=", NULL
	};
	static const char *const refusing[] = {
		"220 test ESMTP", "250 test", ONE_MESSAGE, "250 sender ok",
		"550 5.1.1 <bob@example.com>: no such user", "221 bye", NULL
	};
	static const char *const *const scripts1[] = { silent, NULL };
	static const char *const *const scripts2[] = { refusing, NULL };
	struct mail_transport t;
	struct mail_session *s;
	struct mail_message m;
	struct diag d;
	int port;
	int64_t t0;
	pid_t pid = serve_each(scripts1, &port);

	transport(&t, port, NULL, NULL);
	t.timeout_s = 1;
	t.connect_timeout_s = 1;
	message_init(&m);
	diag_clear(&d);
	cr_assert_not_null(s = mail_session_open(&t, &d));
	cr_expect_eq(mail_session_send_message(s, &m, NULL, &d), 0, "%s", d.msg);
	t0 = now_ms();
	cr_expect_eq(mail_session_send_message(s, &m, NULL, &d), -1);
	cr_expect_lt(now_ms() - t0, 20000);
	cr_expect(strstr(d.msg, "no reply to the end of DATA within smtp.timeout (1 s)") != NULL,
	    "%s", d.msg);
	mail_session_close(s);
	mail_transport_release(&t);
	reap(pid);

	pid = serve_each(scripts2, &port);
	transport(&t, port, NULL, NULL);
	cr_assert_not_null(s = mail_session_open(&t, &d));
	cr_expect_eq(mail_session_send_message(s, &m, NULL, &d), 0, "%s", d.msg);
	cr_expect_eq(mail_session_send_message(s, &m, NULL, &d), MAIL_REFUSED, "%s", d.msg);
	cr_expect(strstr(d.msg, "550 5.1.1") != NULL, "%s", d.msg);
	mail_session_close(s);
	mail_transport_release(&t);
	reap(pid);
}

/* The QUIT at the close is left unanswered: the close waits for it at
 * most smtp.timeout (1 s), not libcurl's 120 s. */
Test(mail, session_close_with_a_silent_quit_is_bounded, .timeout = 60)
{
	static const char *const script[] = {
		"220 test ESMTP", "250 test", ONE_MESSAGE, "=", NULL
	};
	static const char *const *const scripts[] = { script, NULL };
	struct mail_transport t;
	struct mail_session *s;
	struct mail_message m;
	struct diag d;
	int port;
	int64_t t0;
	pid_t pid = serve_each(scripts, &port);

	transport(&t, port, NULL, NULL);
	t.timeout_s = 1;
	t.connect_timeout_s = 1;
	message_init(&m);
	diag_clear(&d);
	cr_assert_not_null(s = mail_session_open(&t, &d));
	cr_expect_eq(mail_session_send_message(s, &m, NULL, &d), 0, "%s", d.msg);
	t0 = now_ms();
	mail_session_close(s);
	cr_expect_lt(now_ms() - t0, 5000, "close took %lld ms", (long long)(now_ms() - t0));
	mail_transport_release(&t);
	reap(pid);
}
