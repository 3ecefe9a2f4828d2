/* mail.c: RFC 5322/MIME composition and SMTP delivery via libcurl; see
 * mail.h.  With fetch.c and webhook.c, the only files including curl.h. */
#include "mail.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "civil.h"
#include "config.h"
#include "dynlib.h"
#include "fetch.h"
#include "secret.h"
#include "sha256.h"
#include "text.h"

#define LINE_MAX_OCTETS 78

/* ---- small encoders ------------------------------------------------------ */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_add(struct buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		size_t k = n - i;

		if (k > 1)
			v |= (unsigned)p[i + 1] << 8;
		if (k > 2)
			v |= p[i + 2];
		buf_addc(b, b64_alphabet[(v >> 18) & 63]);
		buf_addc(b, b64_alphabet[(v >> 12) & 63]);
		buf_addc(b, k > 1 ? b64_alphabet[(v >> 6) & 63] : '=');
		buf_addc(b, k > 2 ? b64_alphabet[v & 63] : '=');
	}
}

/* Header-safe text: valid UTF-8, every control character (CR and LF
 * above all) a space, runs of blanks one space, trimmed. */
static void clean_header_text(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	int space = 1;		/* drop leading blanks */

	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = text_utf8_len(p + i, len - i, &cp);

		if (n == 0) {
			buf_adds(out, "\xef\xbf\xbd");
			space = 0;
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == ' ' ||
		    cp == 0x2028 || cp == 0x2029) {
			if (!space)
				buf_addc(out, ' ');
			space = 1;
		} else {
			buf_add(out, p + i, n);
			space = 0;
		}
		i += n;
	}
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
}

static int all_printable_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* Whether an ASCII value can be folded at spaces into lines of at most
 * LINE_MAX_OCTETS (no word longer than what fits on a continuation line)
 * and does not look like an encoded word. */
static int foldable_ascii(const char *s, size_t first_room)
{
	size_t word = 0, first = 1;

	if (strstr(s, "=?") != NULL)
		return 0;
	for (; ; s++) {
		if (*s == ' ' || *s == '\0') {
			if (word > (first ? first_room : LINE_MAX_OCTETS - 1))
				return 0;
			first = 0;
			word = 0;
			if (*s == '\0')
				return 1;
		} else
			word++;
	}
}

/* Appends value (already clean) as a header body starting at column col,
 * folding at spaces. */
static void add_folded_words(struct buf *b, const char *v, size_t col)
{
	while (*v != '\0') {
		size_t w = strcspn(v, " ");

		if (col > 1 && col + 1 + w > LINE_MAX_OCTETS) {
			buf_adds(b, "\r\n");
			col = 0;
		}
		if (col > 0 || b->len == 0 || b->data[b->len - 1] == '\n')
			buf_addc(b, ' ');
		buf_add(b, v, w);
		col += w + 1;
		v += w;
		while (*v == ' ')
			v++;
	}
}

/* RFC 2047 B encoding of UTF-8 text, split on character boundaries into
 * encoded words of at most 75 characters, one per line after the first. */
static void add_encoded_words(struct buf *b, const char *v, size_t col)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t len = strlen(v), i = 0;

	while (i < len) {
		/* room for base64 on this line: 78 - col - " =?UTF-8?B?" - "?=" */
		size_t room = LINE_MAX_OCTETS - col - 1 - 10 - 2, max_bytes, n = 0;

		if (room > 60)
			room = 60;		/* encoded word <= 75 */
		max_bytes = room / 4 * 3;
		while (i + n < len) {
			unsigned cp;
			size_t k = text_utf8_len(p + i + n, len - i - n, &cp);

			if (k == 0)
				k = 1;		/* cannot happen: value is clean */
			if (n + k > max_bytes)
				break;
			n += k;
		}
		if (n == 0)
			n = 1;
		buf_adds(b, " =?UTF-8?B?");
		b64_add(b, p + i, n);
		buf_adds(b, "?=");
		i += n;
		if (i < len) {
			buf_adds(b, "\r\n");
			col = 0;
		}
	}
}

/* "Name: value\r\n" for unstructured text (Subject), cleaned, folded or
 * encoded as needed. */
static void add_text_header(struct buf *b, const char *name, const char *value)
{
	struct buf v = BUF_INIT;
	size_t col = strlen(name) + 1;

	clean_header_text(&v, value ? value : "");
	buf_adds(b, name);
	buf_addc(b, ':');
	if (v.len == 0)
		buf_addc(b, ' ');
	else if (all_printable_ascii(buf_str(&v)) &&
	    foldable_ascii(buf_str(&v), LINE_MAX_OCTETS - col - 1))
		add_folded_words(b, buf_str(&v), col);
	else
		add_encoded_words(b, buf_str(&v), col);
	buf_adds(b, "\r\n");
	if (buf_failed(&v))
		b->failed = 1;
	buf_release(&v);
}

/* A display name followed by <addr>: a quoted string when ASCII, else an
 * encoded word (RFC 2047 section 5(3)). */
static void add_mailbox(struct buf *b, const char *name, const char *addr, size_t *col)
{
	struct buf v = BUF_INIT;

	if (name != NULL)
		clean_header_text(&v, name);
	if (v.len == 0) {
		buf_addf(b, " %s", addr);
		*col += 1 + strlen(addr);
	} else if (all_printable_ascii(buf_str(&v)) && v.len < 40) {
		buf_adds(b, " \"");
		for (const char *p = buf_str(&v); *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(b, '\\');
			buf_addc(b, *p);
		}
		buf_addf(b, "\" <%s>", addr);
		*col = LINE_MAX_OCTETS;	/* start the next item on a new line */
	} else {
		add_encoded_words(b, buf_str(&v), *col);
		buf_addf(b, "\r\n <%s>", addr);
		*col = LINE_MAX_OCTETS;
	}
	if (buf_failed(&v))
		b->failed = 1;
	buf_release(&v);
}

/* ---- addresses and ids --------------------------------------------------- */

int mail_check_address(const char *addr, const char *what, struct diag *d)
{
	const char *at;

	if (addr == NULL || *addr == '\0')
		return diag_set(d, DIAG_INPUT, "%s: no e-mail address", what);
	at = strrchr(addr, '@');
	if (strlen(addr) > 254 || at == NULL || at == addr || at[1] == '\0')
		return diag_set(d, DIAG_INPUT, "%s: not an e-mail address", what);
	for (const char *p = addr; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>()[],;:\\\"", *p) != NULL)
			return diag_set(d, DIAG_INPUT, "%s: not a plain e-mail address "
			    "(local@domain, ASCII, no blanks or brackets)", what);
	return 0;
}

const char *mail_address_domain(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;

	return at != NULL && at[1] != '\0' ? at + 1 : "localhost";
}

static int check_id(const char *id, const char *what, struct diag *d)
{
	if (id == NULL || *id == '\0' || strlen(id) > MAIL_ID_MAX || strchr(id, '@') == NULL)
		return diag_set(d, DIAG_INPUT, "%s: not a message id (local@domain)", what);
	for (const char *p = id; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>()[],;:\\\"", *p) != NULL)
			return diag_set(d, DIAG_INPUT, "%s: bad character in message id", what);
	return 0;
}

void mail_format_date(int64_t at, char out[MAIL_DATE_LEN])
{
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	int64_t day = civil_div(at, CIVIL_DAY_S), sec = civil_mod(at, CIVIL_DAY_S), y;
	int m, dd;

	civil_ymd_from_days(day, &y, &m, &dd);
	snprintf(out, MAIL_DATE_LEN, "%s, %02d %s %04lld %02d:%02d:%02d +0000",
	    civil_weekday_name(civil_weekday(day)), dd, months[m - 1], (long long)y,
	    (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

/* ---- bodies ---------------------------------------------------------------- */

/* Quoted-printable (RFC 2045 6.7) of UTF-8 text; "\n" or "\r\n" are hard
 * line breaks (CRLF), output lines at most 76 characters.  A leading '.'
 * or "From " is encoded too, for dot-stuffing-naive relays and mboxes. */
static int qp_at_eol(const unsigned char *p)
{
	return p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
}

/* How many bytes from p go out as they are, without a soft break, on a
 * line at column col: printable ASCII but '=', and a space or tab with
 * more of the line after it.  A line's first '.' or 'F' is left to the
 * careful path (qp_add). */
static size_t qp_plain_run(const unsigned char *p, size_t col)
{
	size_t n = 0;

	if (col == 0 && (*p == '.' || *p == 'F'))
		return 0;
	for (; col + n < 75; n++) {
		unsigned char c = p[n];

		if (!((c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && !qp_at_eol(p + n))))
			break;
	}
	return n;
}

static void qp_add(struct buf *b, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;

	while (*p != '\0') {
		char enc[4];
		size_t n;
		int at_eol;

		if (*p == '\r' && p[1] == '\n')
			p++;
		if (*p == '\n') {
			buf_adds(b, "\r\n");
			col = 0;
			p++;
			continue;
		}
		/* most of a reminder's text: whole runs at once */
		if ((n = qp_plain_run(p, col)) > 0) {
			buf_add(b, p, n);
			col += n;
			p += n;
			continue;
		}
		at_eol = qp_at_eol(p);
		if ((*p >= 33 && *p <= 126 && *p != '=' && !(col == 0 && *p == '.') &&
		    !(col == 0 && strncmp((const char *)p, "From ", 5) == 0)) ||
		    ((*p == ' ' || *p == '\t') && !at_eol)) {
			enc[0] = (char)*p;
			n = 1;
		} else {
			enc[0] = '=';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 15];
			n = 3;
		}
		/* a soft break keeps the line at 76 including the '=' */
		if (col + n > 75 && !(at_eol && col + n <= 76)) {
			buf_adds(b, "=\r\n");
			col = 0;
			if (n == 1 && (enc[0] == '.' || (enc[0] == 'F' &&
			    strncmp((const char *)p, "From ", 5) == 0))) {
				enc[0] = '=';
				enc[1] = hex[*p >> 4];
				enc[2] = hex[*p & 15];
				n = 3;
			}
		}
		buf_add(b, enc, n);
		col += n;
		p++;
	}
	if (col > 0)
		buf_adds(b, "\r\n");
}

static void b64_lines_add(struct buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 57) {
		b64_add(b, p + i, n - i < 57 ? n - i : 57);
		buf_adds(b, "\r\n");
	}
}

/* A filename parameter: plain when safe ASCII, else RFC 2231 UTF-8''. */
static void add_filename(struct buf *b, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	int plain = 1;

	for (const char *p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("._-+ ", *p) == NULL)
			plain = 0;
	if (plain && strlen(name) < 60) {
		buf_addf(b, ";\r\n filename=\"%s\"", name);
		return;
	}
	buf_adds(b, ";\r\n filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
		if (isalnum(*p) || strchr("._-", *p) != NULL)
			buf_addc(b, (char)*p);
		else if (*p >= 0x20 && *p != 0x7f) {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}

static void add_text_part(struct buf *b, const char *type, const char *body)
{
	buf_addf(b, "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type);
	qp_add(b, body);
}

static void add_alternative(struct buf *b, const struct mail_message *m,
			    const char *boundary)
{
	if (m->html == NULL) {
		add_text_part(b, "text/plain", m->text);
		return;
	}
	buf_addf(b, "Content-Type: multipart/alternative;\r\n boundary=\"%s-alt\"\r\n\r\n",
	    boundary);
	buf_addf(b, "--%s-alt\r\n", boundary);
	add_text_part(b, "text/plain", m->text);
	buf_addf(b, "--%s-alt\r\n", boundary);
	add_text_part(b, "text/html", m->html);
	buf_addf(b, "--%s-alt--\r\n", boundary);
}

/* ---- compose --------------------------------------------------------------- */

/* "Name: <id>", the id on a line of its own when the whole would pass 78
 * octets (an id cannot be folded inside). */
static void add_id_header(struct buf *b, const char *name, const char *id)
{
	if (strlen(name) + 4 + strlen(id) > LINE_MAX_OCTETS)
		buf_addf(b, "%s:\r\n <%s>\r\n", name, id);
	else
		buf_addf(b, "%s: <%s>\r\n", name, id);
}

int mail_compose(const struct mail_message *m, struct buf *out, struct diag *d)
{
	char date[MAIL_DATE_LEN], boundary[40], hash[65];
	struct sha256 h;
	size_t col;

	if (mail_check_address(m->from, "from", d) < 0)
		return -1;
	if (m->nto == 0)
		return diag_set(d, DIAG_INPUT, "a message needs at least one recipient");
	for (size_t i = 0; i < m->nto; i++)
		if (mail_check_address(m->to[i], "to", d) < 0)
			return -1;
	if (check_id(m->message_id, "message_id", d) < 0 ||
	    (m->in_reply_to != NULL && check_id(m->in_reply_to, "in_reply_to", d) < 0))
		return -1;
	for (size_t i = 0; i < m->nreferences; i++)
		if (check_id(m->references[i], "references", d) < 0)
			return -1;
	if (m->text == NULL)
		return diag_set(d, DIAG_INPUT, "a message needs a text body");
	for (size_t i = 0; i < m->nattachments; i++)
		if (m->attachments[i].filename == NULL || m->attachments[i].content_type == NULL ||
		    strpbrk(m->attachments[i].content_type, "\r\n\"") != NULL)
			return diag_set(d, DIAG_INPUT, "attachment %zu: bad name or type", i + 1);

	/* "=_" never occurs in quoted-printable or base64 text */
	sha256_init(&h);
	sha256_update(&h, m->message_id, strlen(m->message_id));
	sha256_final_hex(&h, hash);
	snprintf(boundary, sizeof boundary, "=_slatrack_%.24s", hash);

	mail_format_date(m->date_at, date);
	buf_addf(out, "Date: %s\r\n", date);
	buf_adds(out, "From:");
	col = 5;
	add_mailbox(out, m->from_name, m->from, &col);
	buf_adds(out, "\r\nTo:");
	col = 3;
	for (size_t i = 0; i < m->nto; i++) {
		size_t w = strlen(m->to[i]) + 2;

		if (col + w > LINE_MAX_OCTETS) {
			buf_adds(out, "\r\n");
			col = 0;
		}
		buf_addf(out, " %s%s", m->to[i], i + 1 < m->nto ? "," : "");
		col += w;
	}
	buf_adds(out, "\r\n");
	add_text_header(out, "Subject", m->subject);
	add_id_header(out, "Message-ID", m->message_id);
	if (m->in_reply_to != NULL)
		add_id_header(out, "In-Reply-To", m->in_reply_to);
	if (m->nreferences > 0) {
		buf_adds(out, "References:");
		col = 11;
		for (size_t i = 0; i < m->nreferences; i++) {
			size_t w = strlen(m->references[i]) + 3;

			if (col + w > LINE_MAX_OCTETS) {
				buf_adds(out, "\r\n");
				col = 0;
			}
			buf_addf(out, " <%s>", m->references[i]);
			col += w;
		}
		buf_adds(out, "\r\n");
	}
	buf_adds(out, "Auto-Submitted: auto-generated\r\n");
	buf_adds(out, "MIME-Version: 1.0\r\n");
	if (m->nattachments == 0) {
		add_alternative(out, m, boundary);
	} else {
		buf_addf(out, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n"
		    "This is a multi-part message in MIME format.\r\n", boundary);
		buf_addf(out, "--%s\r\n", boundary);
		add_alternative(out, m, boundary);
		for (size_t i = 0; i < m->nattachments; i++) {
			const struct mail_attachment *a = &m->attachments[i];

			buf_addf(out, "--%s\r\nContent-Type: %s\r\n"
			    "Content-Transfer-Encoding: base64\r\n"
			    "Content-Disposition: attachment", boundary, a->content_type);
			add_filename(out, a->filename);
			buf_adds(out, "\r\n\r\n");
			b64_lines_add(out, a->data, a->len);
		}
		buf_addf(out, "--%s--\r\n", boundary);
	}
	if (buf_failed(out))
		return diag_set(d, DIAG_NOMEM, "message too large or out of memory");
	return 0;
}

/* ---- transport ------------------------------------------------------------- */

void mail_transport_init(struct mail_transport *t)
{
	memset(t, 0, sizeof *t);
	t->tls = MAIL_TLS_REQUIRED;
	t->timeout_s = 30;
	t->connect_timeout_s = 10;
}

static void wipe_free(char *s)
{
	if (s != NULL) {
		volatile char *v = s;

		while (*v != '\0')
			*v++ = '\0';
		free(s);
	}
}

void mail_transport_release(struct mail_transport *t)
{
	free(t->url);
	free(t->user);
	wipe_free(t->password);
	free(t->cafile);
	mail_transport_init(t);
}

/* Parses url: scheme into *smtps, loopback into *loopback.  0 or -1. */
static int parse_url(const char *url, int *smtps, int *loopback, struct diag *d)
{
	CURLU *h;
	char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL, *query = NULL;
	int rc = 0;

	if (url == NULL || *url == '\0')
		return diag_set(d, DIAG_INPUT, "smtp.url is not set");
	if (dynlib_curl_need(d) < 0)
		return -1;
	if ((h = curl_url()) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (curl_url_set(h, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		rc = diag_set(d, DIAG_INPUT, "smtp.url '%s' is not a valid URL", url);
	else if (strcasecmp(scheme, "smtp") != 0 && strcasecmp(scheme, "smtps") != 0)
		rc = diag_set(d, DIAG_INPUT, "smtp.url '%s': use smtp:// (STARTTLS) or "
		    "smtps://", url);
	else if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK || *host == '\0')
		rc = diag_set(d, DIAG_INPUT, "smtp.url '%s' has no host", url);
	else if (curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(h, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK)
		/* never echo a URL that may hold a password */
		rc = diag_set(d, DIAG_INPUT, "smtp.url must not hold a user or password: "
		    "set smtp.user and smtp.password (or password_command)");
	else if (curl_url_get(h, CURLUPART_QUERY, &query, 0) == CURLUE_OK)
		rc = diag_set(d, DIAG_INPUT, "smtp.url '%s': no query allowed", url);
	if (rc == 0) {
		*smtps = strcasecmp(scheme, "smtps") == 0;
		*loopback = fetch_host_is_loopback(host);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(pass);
	curl_free(query);
	curl_url_cleanup(h);
	return rc;
}

int mail_check_url(const char *url, struct diag *d)
{
	int smtps, loopback;

	return parse_url(url, &smtps, &loopback, d);
}

int mail_url_is_loopback(const char *url)
{
	struct diag d;
	int smtps, loopback;

	return parse_url(url, &smtps, &loopback, &d) == 0 && loopback;
}

/* ---- password_command: src/secret.c ------------------------------------------ */

static int dup_opt(char **dst, const char *v)
{
	if (v == NULL || *v == '\0') {
		*dst = NULL;
		return 0;
	}
	return (*dst = strdup(v)) != NULL ? 0 : -1;
}

int mail_transport_from_config(struct mail_transport *t, const struct config *cfg,
			       struct diag *d)
{
	const char *pw = config_get(cfg, "smtp", NULL, "password");
	const char *pwcmd = config_get(cfg, "smtp", NULL, "password_command");
	const char *tls = config_get(cfg, "smtp", NULL, "tls");
	int64_t v;

	mail_transport_init(t);
	if (dup_opt(&t->url, config_get(cfg, "smtp", NULL, "url")) < 0 ||
	    dup_opt(&t->user, config_get(cfg, "smtp", NULL, "user")) < 0 ||
	    dup_opt(&t->cafile, config_get(cfg, "smtp", NULL, "cafile")) < 0) {
		mail_transport_release(t);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	t->tls = tls != NULL && strcmp(tls, "none") == 0 ? MAIL_TLS_NONE : MAIL_TLS_REQUIRED;
	if ((v = config_get_duration(cfg, "smtp", NULL, "timeout")) > 0)
		t->timeout_s = (long)v;
	if ((v = config_get_duration(cfg, "smtp", NULL, "connect_timeout")) > 0)
		t->connect_timeout_s = (long)v;
	if (t->connect_timeout_s > t->timeout_s)
		t->connect_timeout_s = t->timeout_s;
	if (mail_check_url(t->url, d) < 0) {
		mail_transport_release(t);
		return -1;
	}
	if (pw != NULL && *pw != '\0') {
		if (dup_opt(&t->password, pw) < 0) {
			mail_transport_release(t);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
	} else if (pwcmd != NULL && *pwcmd != '\0') {
		if (secret_from_command(pwcmd, "smtp.password_command", config_line(cfg, "smtp",
		    NULL, "password_command"), "smtp.timeout", t->timeout_s, &t->password,
		    d) < 0) {
			mail_transport_release(t);
			return -1;
		}
	}
	if (t->password != NULL && t->user == NULL) {
		mail_transport_release(t);
		return diag_set(d, DIAG_INPUT, "smtp: a password is set but smtp.user is not");
	}
	return 0;
}

/* ---- send ------------------------------------------------------------------ */

/* Where the conversation stands: the command whose reply is awaited. */
#define PHASE_GREETING "the greeting"
#define PHASE_END_OF_DATA "the end of DATA"

struct send_state {
	const char *data;
	size_t len, off;
	char reply[MAIL_REPLY_MAX];	/* the server's last reply, printable ASCII */
	int reply_done;			/* the last line of a reply was seen */
	char failure[MAIL_REPLY_MAX];	/* the first 4xx/5xx reply, if any */
	const char *phase;		/* the command awaiting its reply */
	const char *failure_phase;	/* the command failure answered */
	struct timespec deadline;	/* monotonic: the end of the whole budget */
	int out_of_time;		/* on_progress ended the transfer */
};

static size_t on_read(char *dst, size_t size, size_t n, void *arg)
{
	struct send_state *st = arg;
	size_t room = size * n, left = st->len - st->off;

	if (room > left)
		room = left;
	memcpy(dst, st->data + st->off, room);
	st->off += room;
	if (room == 0)
		st->phase = PHASE_END_OF_DATA;	/* curl sends the final dot now */
	return room;
}

/* The command curl just sent, by its verb only: an AUTH exchange's
 * continuation lines (credentials) are never looked at further.  QUIT
 * leaves the phase alone: after a failure it is the failure that counts,
 * and after a success a QUIT left unanswered changes nothing. */
static void on_command(struct send_state *st, const char *data, size_t size)
{
	static const struct { const char *verb, *phase; } verbs[] = {
		{ "EHLO", "EHLO" }, { "HELO", "HELO" }, { "STARTTLS", "STARTTLS" },
		{ "AUTH", "AUTH" }, { "MAIL", "MAIL FROM" }, { "RCPT", "RCPT TO" },
		{ "DATA", "DATA" }, { "RSET", "RSET" }, { "NOOP", "NOOP" }
	};
	size_t w = 0;

	while (w < size && data[w] != ' ' && data[w] != '\r' && data[w] != '\n')
		w++;
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strlen(verbs[i].verb) == w && strncasecmp(data, verbs[i].verb, w) == 0) {
			st->phase = verbs[i].phase;
			break;
		}
}

/* Keeps the server's last reply (all lines of a multi-line one). */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct send_state *st = arg;
	size_t k;

	(void)h;
	if (type == CURLINFO_HEADER_OUT)
		on_command(st, data, size);
	if (type != CURLINFO_HEADER_IN)
		return 0;
	while (size > 0 && (data[size - 1] == '\n' || data[size - 1] == '\r'))
		size--;
	if (size == 0)
		return 0;
	if (st->reply_done) {
		st->reply[0] = '\0';
		st->reply_done = 0;
	}
	k = strlen(st->reply);
	if (k > 0 && k + 3 < sizeof st->reply) {
		st->reply[k++] = ' ';
		st->reply[k++] = '|';
		st->reply[k++] = ' ';
	}
	for (size_t i = 0; i < size && k + 1 < sizeof st->reply; i++)
		if ((unsigned char)data[i] >= 0x20 && (unsigned char)data[i] < 0x7f)
			st->reply[k++] = data[i];
	st->reply[k] = '\0';
	/* "250-..." continues a reply; "250 ..." (or a bare code) ends it */
	st->reply_done = !(size > 3 && data[3] == '-');
	if (st->reply_done && st->failure[0] == '\0' && (st->reply[0] == '4' ||
	    st->reply[0] == '5')) {
		snprintf(st->failure, sizeof st->failure, "%s", st->reply);
		st->failure_phase = st->phase;
	}
	return 0;
}

/* Ends the transfer once the whole budget (smtp.timeout) is spent, in
 * every phase: libcurl's own CURLOPT_TIMEOUT does not cover the QUIT that
 * closes the connection. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct send_state *st = arg;
	struct timespec now;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > st->deadline.tv_sec || (now.tv_sec == st->deadline.tv_sec &&
	    now.tv_nsec >= st->deadline.tv_nsec)) {
		st->out_of_time = 1;
		return 1;
	}
	return 0;
}

/* Replaces every occurrence of secret in s (in place) by "***". */
static void redact(char *s, size_t cap, const char *secret)
{
	size_t sl = secret ? strlen(secret) : 0;
	char *p;

	if (sl == 0)
		return;
	while ((p = strstr(s, secret)) != NULL) {
		size_t tail = strlen(p + sl);

		if (3 + tail + (size_t)(p - s) >= cap)
			tail = cap - (size_t)(p - s) - 4;
		memmove(p + 3, p + sl, tail);
		p[3 + tail] = '\0';
		memcpy(p, "***", 3);
	}
}

/* RFC 5321 4.2.1: a 5yz reply is permanent.  Only the refusal of this
 * message (its recipient, or its content) counts: a 5yz to EHLO, AUTH,
 * STARTTLS or MAIL FROM says the settings are wrong, and the message is
 * retried once they are fixed. */
static int refused_for_good(const struct send_state *st)
{
	return st->failure[0] == '5' && st->failure_phase != NULL &&
	    (strcmp(st->failure_phase, "RCPT TO") == 0 || strcmp(st->failure_phase, "DATA") == 0 ||
	    strcmp(st->failure_phase, PHASE_END_OF_DATA) == 0);
}

/* The diagnostic of a transfer that ran out of time; fresh: it had to
 * open its connection (a kept one was connected long ago). */
static void timeout_diag(const struct mail_transport *t, CURL *h, const struct send_state *st,
			 int fresh, struct diag *d)
{
	curl_off_t connect_us = 0;

	if (fresh && (curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us) != CURLE_OK ||
	    connect_us <= 0))
		diag_set(d, DIAG_NET, "%s: cannot connect within %ld s (smtp.connect_timeout)",
		    t->url, t->connect_timeout_s);
	else if (strcmp(st->phase, PHASE_END_OF_DATA) == 0)
		diag_set(d, DIAG_NET, "%s: no reply to the end of DATA within smtp.timeout "
		    "(%ld s): the server may have kept the message", t->url, t->timeout_s);
	else
		diag_set(d, DIAG_NET, "%s: no reply to %s within smtp.timeout (%ld s)%s%s",
		    t->url, st->phase, t->timeout_s, st->reply[0] != '\0' ?
		    "; the server said last: " : "", st->reply);
}

/* A session: one easy handle, so that libcurl keeps the connection open
 * from one message to the next (its SMTP sends MAIL FROM again on the
 * same connection).  The send_state and the error buffer the handle
 * points to live here, reset for each message. */
struct mail_session {
	const struct mail_transport *t;	/* borrowed */
	CURL *h;			/* NULL: the next message opens a connection */
	struct send_state st;
	char errbuf[CURL_ERROR_SIZE];
	size_t connections;		/* connections opened so far */
};

struct mail_session *mail_session_open(const struct mail_transport *t, struct diag *d)
{
	struct mail_session *s = calloc(1, sizeof *s);

	if (s == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	s->t = t;
	return s;
}

/* Ends the connection, if one is open.  A connection curl still holds
 * gets its QUIT here; libcurl waits for the reply at most
 * CURLOPT_SERVER_RESPONSE_TIMEOUT (smtp.timeout), the only limit that
 * applies to a connection closed outside a transfer. */
static void session_drop(struct mail_session *s)
{
	if (s->h != NULL)
		curl_easy_cleanup(s->h);
	s->h = NULL;
}

void mail_session_close(struct mail_session *s)
{
	if (s == NULL)
		return;
	session_drop(s);
	free(s);
}

size_t mail_session_connections(const struct mail_session *s)
{
	return s->connections;
}

/* The handle with everything that does not change between messages. */
static CURL *session_handle(struct mail_session *s, int smtps, int loopback, struct diag *d)
{
	const struct mail_transport *t = s->t;
	long curl_tls;
	CURL *h;

	if (s->h != NULL)
		return s->h;
	if ((h = curl_easy_init()) == NULL) {
		diag_set(d, DIAG_NET, "%s: cannot initialise libcurl", t->url);
		return NULL;
	}
	/* STARTTLS required, except towards a loopback server (used when
	 * offered) or with tls = none; smtps:// is TLS from the start */
	curl_tls = smtps ? CURLUSESSL_ALL : t->tls == MAIL_TLS_NONE ? CURLUSESSL_NONE :
	    loopback ? CURLUSESSL_TRY : CURLUSESSL_ALL;
	curl_easy_setopt(h, CURLOPT_URL, t->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, curl_tls);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	/* libcurl's smallest: its SMTP dot-stuffing takes twice this for each
	 * message, and at the 64 KiB default those 128 KiB are malloc's
	 * threshold, which grows and trims the heap with every message of a
	 * session (two brk calls a mail) */
	curl_easy_setopt(h, CURLOPT_UPLOAD_BUFFERSIZE, 16384L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &s->st);
	/* smtp.timeout bounds every phase and the whole: the connect, each
	 * reply (libcurl waits 120 s by default, after the final dot of DATA
	 * too), and, through on_progress, the sum, including the QUIT of a
	 * connection closed before curl_easy_perform returns (mail_send:
	 * FORBID_REUSE).  A session's last QUIT, in curl_easy_cleanup, is
	 * bounded by the response timeout alone. */
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, t->connect_timeout_s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, t->timeout_s);
	curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, t->timeout_s);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &s->st);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);	/* replies go to on_debug only */
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &s->st);
	if (t->cafile != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, t->cafile);
	if (t->user != NULL) {
		curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, t->password ? t->password : "");
	}
	s->h = h;
	return h;
}

/* The envelope's recipients as "<addr>" lines for CURLOPT_MAIL_RCPT, each
 * checked.  0 or -1 (DIAG_INPUT, DIAG_NOMEM); *list is freed by the
 * caller either way. */
static int rcpt_list(const char *const *rcpt, size_t nrcpt, struct curl_slist **list,
		     struct diag *d)
{
	char addr[300];

	*list = NULL;
	if (nrcpt == 0)
		return diag_set(d, DIAG_INPUT, "no recipient");
	for (size_t i = 0; i < nrcpt; i++) {
		struct curl_slist *n;

		if (mail_check_address(rcpt[i], "recipient", d) < 0)
			return -1;
		snprintf(addr, sizeof addr, "<%s>", rcpt[i]);
		if ((n = curl_slist_append(*list, addr)) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		*list = n;
	}
	return 0;
}

/* One transfer of the message in s->st on s->h; *fresh says whether it
 * opened a connection (rather than reusing the session's). */
static CURLcode perform(struct mail_session *s, const char *from, struct curl_slist *list,
			int last, int *fresh)
{
	char addr[300];
	long nconn = 0;
	CURLcode cc;

	snprintf(addr, sizeof addr, "<%s>", from);
	s->errbuf[0] = '\0';
	curl_easy_setopt(s->h, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(s->h, CURLOPT_MAIL_RCPT, list);
	/* the last message of a session closes its connection inside the
	 * transfer, so that its QUIT counts against its smtp.timeout */
	curl_easy_setopt(s->h, CURLOPT_FORBID_REUSE, last ? 1L : 0L);
	cc = curl_easy_perform(s->h);
	if (curl_easy_getinfo(s->h, CURLINFO_NUM_CONNECTS, &nconn) != CURLE_OK)
		nconn = 1;
	*fresh = nconn > 0;
	s->connections += (size_t)(nconn > 0 ? nconn : 0);
	return cc;
}

/* Whether a failed transfer on a kept connection should go again at once
 * on a new one: the server closed the connection (an idle timeout, a
 * limit of messages per connection) before it answered this message's
 * MAIL FROM, with no reply or with 421 ("closing"), so it took nothing of
 * this message.  A timeout is not retried: its budget is spent. */
static int worth_a_new_connection(const struct send_state *st, CURLcode cc, int fresh)
{
	if (fresh || cc == CURLE_OK || cc == CURLE_OPERATION_TIMEDOUT || st->out_of_time)
		return 0;
	if (st->reply[0] == '\0' && st->failure[0] == '\0')
		return 1;
	return strncmp(st->failure, "421", 3) == 0 && st->failure_phase != NULL &&
	    strcmp(st->failure_phase, "MAIL FROM") == 0;
}

/* The diagnostic of a failed transfer; MAIL_REFUSED or -1. */
static int failure(const struct mail_session *s, CURLcode cc, int fresh, struct diag *d)
{
	const struct mail_transport *t = s->t;
	const struct send_state *st = &s->st;
	const char *what = s->errbuf[0] != '\0' ? s->errbuf : curl_easy_strerror(cc);
	char hint[160] = "";

	if (cc == CURLE_OPERATION_TIMEDOUT || (cc == CURLE_ABORTED_BY_CALLBACK && st->out_of_time)) {
		timeout_diag(t, s->h, st, fresh, d);
		return -1;
	}
	if (st->failure[0] != '\0' && st->failure_phase != NULL &&
	    strcmp(st->failure_phase, PHASE_END_OF_DATA) == 0)
		what = "the message was refused after DATA";
	if (cc == CURLE_USE_SSL_FAILED)
		snprintf(hint, sizeof hint, " (STARTTLS is required: the server must "
		    "offer it, or set smtp.tls = none)");
	else if (cc == CURLE_LOGIN_DENIED)
		snprintf(hint, sizeof hint, " (check smtp.user and the password)");
	if (st->reply[0] != '\0' && strstr(what, st->reply) == NULL)
		diag_set(d, DIAG_NET, "%s: %s%s; server said: %s", t->url, what, hint, st->reply);
	else
		diag_set(d, DIAG_NET, "%s: %s%s%s", t->url, what, hint,
		    st->reply[0] == '\0' ? "; no reply from the server" : "");
	return refused_for_good(st) ? MAIL_REFUSED : -1;
}

/* mail_session_send; last: close the connection within this message's
 * budget (mail_send). */
static int session_send(struct mail_session *s, const char *from, const char *const *rcpt,
			size_t nrcpt, const char *data, size_t len, int last,
			char reply[MAIL_REPLY_MAX], struct diag *d)
{
	const struct mail_transport *t = s->t;
	struct curl_slist *list = NULL;
	struct timespec deadline;
	int smtps, loopback, fresh = 1, rc = -1;
	CURLcode cc = CURLE_OK;

	if (reply != NULL)
		reply[0] = '\0';
	if (parse_url(t->url, &smtps, &loopback, d) < 0)
		return -1;
	if (smtps && t->tls == MAIL_TLS_NONE)
		return diag_set(d, DIAG_INPUT, "smtp.tls = none contradicts %s (smtps:// is "
		    "TLS): use smtp:// or tls = required", t->url);
	if (mail_check_address(from, "smtp.from", d) < 0)
		return -1;
	if (rcpt_list(rcpt, nrcpt, &list, d) < 0)
		goto out;
	/* smtp.timeout is the budget of the message, a retry on a new
	 * connection included */
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += t->timeout_s;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (session_handle(s, smtps, loopback, d) == NULL)
			goto out;
		memset(&s->st, 0, sizeof s->st);
		s->st.data = data;
		s->st.len = len;
		s->st.phase = PHASE_GREETING;
		s->st.deadline = deadline;
		cc = perform(s, from, list, last, &fresh);
		if (!worth_a_new_connection(&s->st, cc, fresh))
			break;
		session_drop(s);
	}
	/* the reply that explains a failure, not the "221 bye" after it */
	if (cc != CURLE_OK && s->st.failure[0] != '\0')
		snprintf(s->st.reply, sizeof s->st.reply, "%s", s->st.failure);
	redact(s->st.reply, sizeof s->st.reply, t->password);
	redact(s->errbuf, sizeof s->errbuf, t->password);
	if (reply != NULL)
		snprintf(reply, MAIL_REPLY_MAX, "%s", s->st.reply);
	rc = cc == CURLE_OK ? 0 : failure(s, cc, fresh, d);
	/* after a failure, whatever state the connection is in, the next
	 * message starts on a new one */
	if (rc != 0 || last)
		session_drop(s);
out:
	curl_slist_free_all(list);
	return rc;
}

int mail_session_send(struct mail_session *s, const char *from, const char *const *rcpt,
		      size_t nrcpt, const char *data, size_t len, char reply[MAIL_REPLY_MAX],
		      struct diag *d)
{
	return session_send(s, from, rcpt, nrcpt, data, len, 0, reply, d);
}

int mail_send(const struct mail_transport *t, const char *from,
	      const char *const *rcpt, size_t nrcpt, const char *data, size_t len,
	      char reply[MAIL_REPLY_MAX], struct diag *d)
{
	struct mail_session *s;
	int rc;

	if (reply != NULL)
		reply[0] = '\0';
	if ((s = mail_session_open(t, d)) == NULL)
		return -1;
	rc = session_send(s, from, rcpt, nrcpt, data, len, 1, reply, d);
	mail_session_close(s);
	return rc;
}

/* mail_compose into a buffer, then send: the same returns as mail_send. */
static int send_composed(struct mail_session *s, const struct mail_message *m, int last,
			 char reply[MAIL_REPLY_MAX], struct diag *d)
{
	struct buf b = BUF_INIT;
	int rc;

	if (reply != NULL)
		reply[0] = '\0';
	if (mail_compose(m, &b, d) < 0) {
		buf_release(&b);
		return -1;
	}
	rc = session_send(s, m->from, m->to, m->nto, buf_str(&b), b.len, last, reply, d);
	buf_release(&b);
	return rc;
}

int mail_session_send_message(struct mail_session *s, const struct mail_message *m,
			      char reply[MAIL_REPLY_MAX], struct diag *d)
{
	return send_composed(s, m, 0, reply, d);
}

int mail_send_message(const struct mail_transport *t, const struct mail_message *m,
		      char reply[MAIL_REPLY_MAX], struct diag *d)
{
	struct mail_session *s;
	int rc;

	if (reply != NULL)
		reply[0] = '\0';
	if ((s = mail_session_open(t, d)) == NULL)
		return -1;
	rc = send_composed(s, m, 1, reply, d);
	mail_session_close(s);
	return rc;
}
