/* fetch.c: HTTPS GET with ETag/Last-Modified revalidation; see fetch.h. */
#include "fetch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "dynlib.h"

#ifndef SLATRACK_VERSION
#define SLATRACK_VERSION "dev"
#endif

struct fetch_state {
	struct buf body;
	size_t max_bytes;
	int too_large;
	char *etag, *last_modified;
	char reason[96];		/* reason phrase of the last status line */
};

int fetch_is_url(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return strncmp(p, "://", 3) == 0;
}

int fetch_host_is_loopback(const char *host)
{
	unsigned a, b, c, e;
	char tail;

	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0)
		return 1;
	return sscanf(host, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &e, &tail) == 4 &&
	    a == 127 && b < 256 && c < 256 && e < 256;
}

/* Checks scheme and host with libcurl's own URL parser, so what is
 * checked is what curl will connect to. */
static int check_url(const char *url, int *loopback_http, struct diag *d)
{
	char *scheme = NULL, *host = NULL;
	int rc = 0;
	CURLU *h;

	*loopback_http = 0;
	if (dynlib_curl_need(d) < 0)
		return -1;
	if ((h = curl_url()) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (curl_url_set(h, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		rc = diag_set(d, DIAG_INPUT, "%s: not a valid URL", url);
	else if (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0)
		rc = diag_set(d, DIAG_INPUT, "%s: unsupported URL scheme '%s'; use https://",
		    url, scheme);
	else if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		rc = diag_set(d, DIAG_INPUT, "%s: not a valid URL (no host)", url);
	else if (strcasecmp(scheme, "http") == 0) {
		if (fetch_host_is_loopback(host))
			*loopback_http = 1;
		else
			rc = diag_set(d, DIAG_INPUT, "%s: plain http:// is refused; use https:// "
			    "(http:// is allowed only for localhost)", url);
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(h);
	return rc;
}

int fetch_check_url(const char *url, struct diag *d)
{
	int loopback;

	return check_url(url, &loopback, d);
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_state *st = arg;
	size_t len = size * n;

	if (st->body.len + len > st->max_bytes) {
		st->too_large = 1;
		return 0;			/* aborts the transfer */
	}
	buf_add(&st->body, data, len);
	return buf_failed(&st->body) ? 0 : len;
}

/* A header value, trimmed; NULL when it holds control characters (it
 * would be unsafe to send back in a request header). */
static char *header_value(const char *v, size_t len)
{
	char *out;

	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
	    v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (len == 0 || len > 512)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return NULL;
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(out, v, len);
	out[len] = '\0';
	return out;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_state *st = arg;
	size_t len = size * n;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after a redirect or 100): forget the last one */
		const char *p = memchr(data, ' ', len), *q;
		size_t k = 0;

		free(st->etag);
		free(st->last_modified);
		st->etag = st->last_modified = NULL;
		st->reason[0] = '\0';
		if (p != NULL && (q = memchr(p + 1, ' ', len - (size_t)(p + 1 - data))) != NULL) {
			for (q++; q < data + len && k + 1 < sizeof st->reason; q++)
				if (*q >= 0x20 && *q < 0x7f)	/* printable ASCII only */
					st->reason[k++] = *q;
			while (k > 0 && st->reason[k - 1] == ' ')
				k--;
			st->reason[k] = '\0';
		}
	} else if (len > 5 && strncasecmp(data, "ETag:", 5) == 0) {
		free(st->etag);
		st->etag = header_value(data + 5, len - 5);
	} else if (len > 14 && strncasecmp(data, "Last-Modified:", 14) == 0) {
		free(st->last_modified);
		st->last_modified = header_value(data + 14, len - 14);
	}
	return len;
}

static int safe_validator(const char *v)
{
	if (v == NULL || *v == '\0')
		return 0;
	for (; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return 0;
	return 1;
}

static int add_header(struct curl_slist **h, const char *name, const char *value)
{
	struct buf b = BUF_INIT;
	struct curl_slist *n;

	buf_addf(&b, "%s: %s", name, value);
	if (buf_failed(&b)) {
		buf_release(&b);
		return -1;
	}
	n = curl_slist_append(*h, buf_str(&b));
	buf_release(&b);
	if (n == NULL)
		return -1;
	*h = n;
	return 0;
}

static void state_release(struct fetch_state *st)
{
	buf_release(&st->body);
	free(st->etag);
	free(st->last_modified);
	st->etag = st->last_modified = NULL;
}

int fetch_get(const struct fetch_request *rq, struct fetch_result *r, struct diag *d)
{
	struct fetch_state st;
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE];
	long timeout_s = rq->timeout_s > 0 ? rq->timeout_s : FETCH_DEFAULT_TIMEOUT_S;
	int loopback, sent_validators = 0, rc = -1;
	CURLcode cc;
	CURL *h;

	memset(r, 0, sizeof *r);
	if (check_url(rq->url, &loopback, d) < 0)
		return -1;
	memset(&st, 0, sizeof st);
	buf_init(&st.body);
	st.max_bytes = rq->max_bytes ? rq->max_bytes : FETCH_DEFAULT_MAX_BYTES;
	if ((h = curl_easy_init()) == NULL)
		return diag_set(d, DIAG_NET, "%s: cannot initialise libcurl", rq->url);
	if (safe_validator(rq->etag)) {
		if (add_header(&headers, "If-None-Match", rq->etag) < 0)
			goto nomem;
		sent_validators = 1;
	}
	if (safe_validator(rq->last_modified)) {
		if (add_header(&headers, "If-Modified-Since", rq->last_modified) < 0)
			goto nomem;
		sent_validators = 1;
	}
	errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, rq->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, loopback ? "http" : "https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRECTS);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)FETCH_CONNECT_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)st.max_bytes);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "slatrack/" SLATRACK_VERSION);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &st);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &st);
	if (headers != NULL)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	if (loopback)	/* a proxy from the environment must not see loopback */
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (st.too_large || cc == CURLE_FILESIZE_EXCEEDED) {
		diag_set(d, DIAG_NET, "%s: larger than %zu bytes", rq->url, st.max_bytes);
		goto out;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		diag_set(d, DIAG_NET, "%s: timed out (limit %ld s)", rq->url, timeout_s);
		goto out;
	}
	if (cc == CURLE_WRITE_ERROR && buf_failed(&st.body))
		goto nomem;
	if (cc != CURLE_OK) {
		diag_set(d, DIAG_NET, "%s: %s", rq->url,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	if (r->status == 304 && sent_validators) {
		r->not_modified = 1;
	} else if (r->status == 200) {
		r->body_len = st.body.len;
		if ((r->body = buf_detach(&st.body)) == NULL)
			goto nomem;
	} else {
		diag_set(d, DIAG_NET, "%s: HTTP %ld%s%s", rq->url, r->status,
		    st.reason[0] != '\0' ? " " : "", st.reason);
		goto out;
	}
	r->etag = st.etag;
	r->last_modified = st.last_modified;
	st.etag = st.last_modified = NULL;
	rc = 0;
	goto out;
nomem:
	diag_set(d, DIAG_NOMEM, "%s: out of memory", rq->url);
out:
	if (rc < 0) {
		long status = r->status;

		fetch_result_release(r);
		r->status = status;
	}
	state_release(&st);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return rc;
}

void fetch_result_release(struct fetch_result *r)
{
	free(r->body);
	free(r->etag);
	free(r->last_modified);
	memset(r, 0, sizeof *r);
}
