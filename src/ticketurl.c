/* ticketurl.c: helpdesk links; see ticketurl.h. */
#include "ticketurl.h"

#include <string.h>

#include "buf.h"
#include "config.h"
#include "ticketfmt.h"

static const char *const ticketurl_names[] = { "key", "id", "partner" };

/* The index of the placeholder {name} starting at p ('{'), or -1. */
static int ticketurl_placeholder(const char *p, size_t *len)
{
	for (size_t i = 0; i < sizeof ticketurl_names / sizeof ticketurl_names[0]; i++) {
		size_t l = strlen(ticketurl_names[i]);

		if (strncmp(p + 1, ticketurl_names[i], l) == 0 && p[1 + l] == '}') {
			*len = l + 2;
			return (int)i;
		}
	}
	return -1;
}

const char *ticketurl_check(const char *tmpl)
{
	if (strncmp(tmpl, "https://", 8) != 0 && strncmp(tmpl, "http://", 7) != 0)
		return "expected a URL starting with https:// or http://";
	for (const char *p = tmpl; *p != '\0'; p++) {
		size_t len;

		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("\"'<>\\`", *p) != NULL)
			return "a URL holds no spaces, quotes, <, >, \\ or non-ASCII characters";
		if (*p == '}')
			return "a } without its {";
		if (*p == '{') {
			if (ticketurl_placeholder(p, &len) < 0)
				return "unknown placeholder: use {key}, {id} or {partner}";
			p += len - 1;
		}
	}
	return NULL;
}

/* RFC 3986 unreserved characters pass; every other byte is %XX. */
static void ticketurl_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL) {
			buf_addc(out, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			buf_add(out, e, 3);
		}
	}
}

const char *ticketurl_template(const struct config *c, const char *partner_key)
{
	const char *t = NULL;

	if (c == NULL)
		return NULL;
	if (partner_key != NULL)
		t = config_get(c, "partner", partner_key, "ticket_url");
	if (t == NULL)
		t = config_get(c, "helpdesk", NULL, "ticket_url");
	return t != NULL && *t != '\0' ? t : NULL;
}

int ticketurl_format(const struct config *c, const char *partner_key, const char *key,
		     int64_t id, struct buf *out)
{
	return ticketurl_format_with(ticketurl_template(c, partner_key), partner_key, key, id,
	    out);
}

int ticketurl_format_with(const char *t, const char *partner_key, const char *key, int64_t id,
			  struct buf *out)
{
	char num[24];
	size_t start, len;

	if (t == NULL)
		return 0;
	num[ticketfmt_i64(id, num)] = '\0';
	start = out->len;
	for (const char *p = t; *p != '\0'; p++) {
		int which = *p == '{' ? ticketurl_placeholder(p, &len) : -1;
		const char *v = which == 0 ? key : which == 1 ? num : partner_key;

		if (which < 0) {
			buf_addc(out, *p);
			continue;
		}
		if (v == NULL || *v == '\0') {
			/* {key} of a ticket without one: no link at all */
			out->len = start;
			if (out->data != NULL)
				out->data[start] = '\0';
			return 0;
		}
		ticketurl_encode(out, v);
		p += len - 1;
	}
	return 1;
}
