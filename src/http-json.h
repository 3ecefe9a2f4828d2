/* http-json.h: JSON requests to a REST API over HTTPS with basic
 * authentication, for `slatrack sync jira` (src/jira.c).
 *
 * Rules (those of fetch.h): https:// only, plain http:// for loopback
 * hosts alone; no redirects (an API that redirects is misconfigured);
 * connect and whole-request timeouts; the answer's body is capped.  One
 * client keeps its connection open between requests (a sync pages
 * through hundreds).  Any HTTP status is returned to the caller, who
 * decides; transport failures (refused, timed out, too large) are
 * DIAG_NET naming the URL.  The password never appears in a message.
 */
#ifndef SLATRACK_HTTP_JSON_H
#define SLATRACK_HTTP_JSON_H

#include <stddef.h>

#include "diag.h"

#define HTTP_JSON_MAX_BYTES ((size_t)64 << 20)	/* 64 MiB */

struct http_client;

/* user/password: basic authentication (both or neither); cafile may be
 * NULL (the system's CAs). */
struct http_client *http_client_new(const char *user, const char *password,
				    const char *cafile, long timeout_s, struct diag *d);
void http_client_free(struct http_client *c);		/* NULL-safe; wipes the password */

struct http_answer {
	long status;		/* 200, 429, ... */
	long retry_after_s;	/* Retry-After in seconds, -1 when absent */
	char *body;		/* NUL-terminated; free() it */
	size_t len;
};

/* method "GET" (body NULL) or "POST" (body: JSON).  0 with a filled
 * answer whatever the status; -1 with d (DIAG_NET, or DIAG_INPUT for a
 * refused URL). */
int http_json_request(struct http_client *c, const char *method, const char *url,
		      const char *body, struct http_answer *a, struct diag *d);
void http_answer_release(struct http_answer *a);

/* Appends s percent-encoded for a URL query value or path segment. */
struct buf;
void http_url_escape(struct buf *b, const char *s);

#endif
