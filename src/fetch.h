/* fetch.h: one HTTPS GET with conditional-request validators, for holiday
 * calendars given as URLs (the working-time rules of slatrack(1)).  The only curl user
 * besides mail.
 *
 * Rules:
 *   - https:// only.  Plain http:// is accepted for loopback hosts alone
 *     (localhost, 127.0.0.0/8, [::1]) so tests and local mirrors work
 *     without TLS; anything else is refused before any connection.
 *   - Redirects are followed (at most FETCH_MAX_REDIRECTS), to https only.
 *   - The stored ETag goes out as If-None-Match and the stored
 *     Last-Modified as If-Modified-Since; a 304 answer means "unchanged".
 *   - A body larger than max_bytes, a connection that takes longer than
 *     the timeouts, or any status but 200/304 is a failure (DIAG_NET) whose
 *     message starts with the URL and names the HTTP status when there
 *     was one: "https://x/y.ics: HTTP 500 Internal Server Error".
 * No globals: libcurl's global initialisation happens on first use
 * (curl_easy_init does it); slatrack is single-threaded.
 */
#ifndef SLATRACK_FETCH_H
#define SLATRACK_FETCH_H

#include <stddef.h>

#include "diag.h"

#define FETCH_DEFAULT_TIMEOUT_S 60
#define FETCH_CONNECT_TIMEOUT_S 15
#define FETCH_DEFAULT_MAX_BYTES ((size_t)8 << 20)	/* 8 MiB */
#define FETCH_MAX_REDIRECTS 5

struct fetch_request {
	const char *url;
	const char *etag;		/* sent as If-None-Match; may be NULL */
	const char *last_modified;	/* sent as If-Modified-Since; may be NULL */
	long timeout_s;			/* whole transfer; 0 = FETCH_DEFAULT_TIMEOUT_S */
	size_t max_bytes;		/* 0 = FETCH_DEFAULT_MAX_BYTES */
};

struct fetch_result {
	long status;			/* the final HTTP status (200, 304) */
	int not_modified;		/* 1 on 304: body is NULL */
	char *body;			/* NUL-terminated; caller frees via release */
	size_t body_len;
	char *etag, *last_modified;	/* validators of the answer, may be NULL */
};

/* 1 when s looks like a URL (SCHEME://...), so it is not a file name. */
int fetch_is_url(const char *s);
/* Checks the rules above without connecting; DIAG_INPUT when refused. */
int fetch_check_url(const char *url, struct diag *d);

/* Performs the GET.  On success (200 or 304) fills r and returns 0; on
 * failure returns -1 with DIAG_NET (or DIAG_INPUT for a refused URL) and
 * r holds nothing to release. */
int fetch_get(const struct fetch_request *rq, struct fetch_result *r, struct diag *d);
void fetch_result_release(struct fetch_result *r);

/* "localhost", "::1" or an address in 127.0.0.0/8: traffic that never
 * leaves the machine (plain http:// and plain SMTP are allowed there). */
int fetch_host_is_loopback(const char *host);

#endif
