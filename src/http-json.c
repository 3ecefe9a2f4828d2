/* http-json.c: JSON over HTTPS with libcurl; see http-json.h. */
#include "http-json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "dynlib.h"
#include "fetch.h"

#ifndef SLATRACK_VERSION
#define SLATRACK_VERSION "dev"
#endif

struct http_client {
	CURL *h;
	char *user, *password, *cafile;
	long timeout_s;
};

struct answer_state {
	struct buf body;
	long retry_after_s;
};

static void wipe_free(char *s)
{
	if (s != NULL) {
		volatile char *p = s;

		while (*p != '\0')
			*p++ = '\0';
		free(s);
	}
}

static char *dup_or_null(const char *s, int *fail)
{
	char *r;

	if (s == NULL)
		return NULL;
	if ((r = strdup(s)) == NULL)
		*fail = 1;
	return r;
}

struct http_client *http_client_new(const char *user, const char *password,
				    const char *cafile, long timeout_s, struct diag *d)
{
	struct http_client *c = calloc(1, sizeof *c);
	int fail = 0;

	if (c == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	c->user = dup_or_null(user, &fail);
	c->password = dup_or_null(password, &fail);
	c->cafile = dup_or_null(cafile, &fail);
	c->timeout_s = timeout_s > 0 ? timeout_s : 30;
	if (!fail && dynlib_curl_need(d) < 0) {
		http_client_free(c);
		return NULL;
	}
	if (fail || (c->h = curl_easy_init()) == NULL) {
		http_client_free(c);
		diag_set(d, fail ? DIAG_NOMEM : DIAG_NET, fail ? "out of memory" :
		    "cannot initialise libcurl");
		return NULL;
	}
	return c;
}

void http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	if (c->h != NULL)
		curl_easy_cleanup(c->h);
	free(c->user);
	wipe_free(c->password);
	free(c->cafile);
	free(c);
}

void http_answer_release(struct http_answer *a)
{
	free(a->body);
	memset(a, 0, sizeof *a);
}

static size_t on_write(char *p, size_t size, size_t n, void *arg)
{
	struct answer_state *st = arg;

	buf_add(&st->body, p, size * n);
	return buf_failed(&st->body) ? 0 : size * n;
}

/* Retry-After: delay-seconds (an HTTP-date is read as "soon": 5 s). */
static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct answer_state *st = arg;
	size_t len = size * n;

	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		const char *v = p + 12;
		const char *end = p + len;
		long s = 0;
		int digits = 0;

		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (v < end && isdigit((unsigned char)*v) && s < 1000000) {
			s = s * 10 + (*v++ - '0');
			digits++;
		}
		st->retry_after_s = digits ? s : 5;
	} else if (len >= 5 && strncmp(p, "HTTP/", 5) == 0)
		st->retry_after_s = -1;	/* a new response (after 100 Continue) */
	return len;
}

int http_json_request(struct http_client *c, const char *method, const char *url,
		      const char *body, struct http_answer *a, struct diag *d)
{
	struct answer_state st;
	struct curl_slist *headers = NULL, *h2;
	char errbuf[CURL_ERROR_SIZE];
	long status = 0;
	int plain;
	CURLcode cc;
	CURL *h = c->h;

	memset(a, 0, sizeof *a);
	if (fetch_check_url(url, d) < 0)
		return -1;
	plain = strncasecmp(url, "http:", 5) == 0;	/* loopback, checked above */
	memset(&st, 0, sizeof st);
	buf_init(&st.body);
	st.body.cap = HTTP_JSON_MAX_BYTES;
	st.retry_after_s = -1;
	errbuf[0] = '\0';
	if ((h2 = curl_slist_append(headers, "Accept: application/json")) != NULL)
		headers = h2;
	if (body != NULL && (h2 = curl_slist_append(headers,
	    "Content-Type: application/json")) != NULL)
		headers = h2;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, plain ? "http" : "https");
	if (body != NULL) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	}
	if (strcmp(method, body != NULL ? "POST" : "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (c->user != NULL) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->password != NULL ? c->password : "");
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &st);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &st);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->timeout_s < 10 ? c->timeout_s : 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "slatrack/" SLATRACK_VERSION);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	if (plain)
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	if (c->cafile != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cafile);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	if (cc != CURLE_OK) {
		const char *what = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc);
		int big = cc == CURLE_WRITE_ERROR && buf_failed(&st.body);

		buf_release(&st.body);
		if (big)
			return diag_set(d, DIAG_NET, "%s: answer larger than %zu MiB", url,
			    HTTP_JSON_MAX_BYTES >> 20);
		return diag_set(d, DIAG_NET, "%s: %s%s", url, what,
		    cc == CURLE_OPERATION_TIMEDOUT ? " (no answer in time)" : "");
	}
	a->status = status;
	a->retry_after_s = st.retry_after_s;
	a->len = st.body.len;
	if ((a->body = buf_detach(&st.body)) == NULL && (a->body = strdup("")) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

void http_url_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~')
			buf_addc(b, (char)ch);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[ch >> 4]);
			buf_addc(b, hex[ch & 15]);
		}
	}
}
