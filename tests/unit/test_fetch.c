/* test_fetch.c: URL rules and the HTTP exchange of fetch.c against a
 * one-shot server on loopback (a forked child with a canned answer). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fetch.h"

Test(fetch, url_rules)
{
	static const struct { const char *url; int ok; const char *msg; } v[] = {
		{ "https://example.com/h.ics", 1, NULL },
		{ "HTTPS://example.com/h.ics", 1, NULL },
		{ "http://127.0.0.1:8080/h.ics", 1, NULL },
		{ "http://127.1.2.3/h.ics", 1, NULL },
		{ "http://localhost/h.ics", 1, NULL },
		{ "http://[::1]:99/h.ics", 1, NULL },
		{ "http://example.com/h.ics", 0, "plain http:// is refused" },
		{ "http://127.0.0.1.evil.com/h.ics", 0, "plain http:// is refused" },
		{ "http://128.0.0.1/h.ics", 0, "plain http:// is refused" },
		{ "ftp://example.com/h.ics", 0, "unsupported URL scheme 'ftp'" },
		{ "file:///etc/passwd", 0, "unsupported URL scheme 'file'" },
		{ "https://", 0, "not a valid URL" },
	};
	struct diag d;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		diag_clear(&d);
		cr_expect_eq(fetch_check_url(v[i].url, &d), v[i].ok ? 0 : -1, "%s", v[i].url);
		if (!v[i].ok) {
			cr_expect_eq(d.code, DIAG_INPUT, "%s", v[i].url);
			cr_expect(strstr(d.msg, v[i].msg) != NULL, "%s: %s", v[i].url, d.msg);
			cr_expect(strncmp(d.msg, v[i].url, strlen(v[i].url)) == 0, "%s", d.msg);
		}
	}
	cr_expect(fetch_is_url("https://x/y"));
	cr_expect(fetch_is_url("ftp://x/y"));
	cr_expect(!fetch_is_url("/etc/holidays/de.ics"));
	cr_expect(!fetch_is_url("de.ics"));
	cr_expect(!fetch_is_url("C:/x"));
}

/* One connection: reads the request into `request` (via a pipe), sends
 * `answer`, closes.  Returns the child's pid; *port is the port. */
static pid_t serve_once(const char *answer, int *port, int *req_fd)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM, 0), p[2];
	pid_t pid;

	cr_assert_geq(s, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(listen(s, 1), 0);
	cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char buf[8192];
		size_t n = 0;
		int c = accept(s, NULL, NULL);

		close(p[0]);
		while (c >= 0 && n < sizeof buf - 1) {
			ssize_t r = read(c, buf + n, sizeof buf - 1 - n);

			if (r <= 0)
				break;
			n += (size_t)r;
			buf[n] = '\0';
			if (strstr(buf, "\r\n\r\n") != NULL)
				break;
		}
		if (write(p[1], buf, n) < 0)
			_exit(1);
		close(p[1]);
		if (c >= 0 && write(c, answer, strlen(answer)) < 0)
			_exit(1);
		if (c >= 0)
			close(c);
		_exit(0);
	}
	close(s);
	close(p[1]);
	*req_fd = p[0];
	return pid;
}

static char *read_all(int fd)
{
	static char buf[8192];
	size_t n = 0;
	ssize_t r;

	while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(fd);
	return buf;
}

static int exchange(const char *answer, struct fetch_request *rq, struct fetch_result *r,
		    struct diag *d, char **request)
{
	char url[64];
	int port, fd, rc;
	pid_t pid = serve_once(answer, &port, &fd);

	snprintf(url, sizeof url, "http://127.0.0.1:%d/h.ics", port);
	rq->url = url;
	rc = fetch_get(rq, r, d);
	*request = read_all(fd);
	waitpid(pid, NULL, 0);
	rq->url = NULL;
	return rc;
}

Test(fetch, ok_with_validators)
{
	struct fetch_request rq = { 0 };
	struct fetch_result r;
	struct diag d;
	char *req;

	cr_assert_eq(exchange("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"abc\"\r\n"
	    "Last-Modified: Mon, 05 Jan 2026 10:00:00 GMT\r\nConnection: close\r\n\r\nhello",
	    &rq, &r, &d, &req), 0, "%s", d.msg);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(r.not_modified, 0);
	cr_expect_eq(r.body_len, 5);
	cr_expect_str_eq(r.body, "hello");
	cr_expect_str_eq(r.etag, "\"abc\"");
	cr_expect_str_eq(r.last_modified, "Mon, 05 Jan 2026 10:00:00 GMT");
	cr_expect(strstr(req, "GET /h.ics HTTP/1.1\r\n") == req, "%s", req);
	cr_expect(strstr(req, "If-None-Match") == NULL, "%s", req);
	cr_expect(strstr(req, "User-Agent: slatrack/") != NULL, "%s", req);
	fetch_result_release(&r);
}

Test(fetch, not_modified_sends_validators)
{
	struct fetch_request rq = { .etag = "\"abc\"", .last_modified = "Mon, 05 Jan 2026 10:00:00 GMT" };
	struct fetch_result r;
	struct diag d;
	char *req;

	cr_assert_eq(exchange("HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\nConnection: close\r\n\r\n",
	    &rq, &r, &d, &req), 0, "%s", d.msg);
	cr_expect_eq(r.status, 304);
	cr_expect_eq(r.not_modified, 1);
	cr_expect_null(r.body);
	cr_expect(strstr(req, "\r\nIf-None-Match: \"abc\"\r\n") != NULL, "%s", req);
	cr_expect(strstr(req, "\r\nIf-Modified-Since: Mon, 05 Jan 2026 10:00:00 GMT\r\n") != NULL, "%s", req);
	fetch_result_release(&r);
}

Test(fetch, validators_with_line_breaks_are_not_sent)
{
	struct fetch_request rq = { .etag = "\"a\"\r\nX-Evil: 1" };
	struct fetch_result r;
	struct diag d;
	char *req;

	cr_assert_eq(exchange("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
	    &rq, &r, &d, &req), 0, "%s", d.msg);
	cr_expect(strstr(req, "X-Evil") == NULL, "%s", req);
	cr_expect(strstr(req, "If-None-Match") == NULL, "%s", req);
	fetch_result_release(&r);
}

Test(fetch, http_error_names_url_and_status)
{
	struct fetch_request rq = { 0 };
	struct fetch_result r;
	struct diag d;
	char *req;

	cr_expect_eq(exchange("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n"
	    "Connection: close\r\n\r\nboom", &rq, &r, &d, &req), -1);
	cr_expect_eq(d.code, DIAG_NET);
	cr_expect(strstr(d.msg, "http://127.0.0.1:") == d.msg, "%s", d.msg);
	cr_expect(strstr(d.msg, "/h.ics: HTTP 500 Internal Server Error") != NULL, "%s", d.msg);
	cr_expect_null(r.body);
	cr_expect_eq(r.status, 500);
}

Test(fetch, reason_phrase_is_sanitised)
{
	struct fetch_request rq = { 0 };
	struct fetch_result r;
	struct diag d;
	char *req;

	cr_expect_eq(exchange("HTTP/1.1 503 Go \033[2J away\r\nContent-Length: 0\r\n"
	    "Connection: close\r\n\r\n", &rq, &r, &d, &req), -1);
	cr_expect(strchr(d.msg, '\033') == NULL, "%s", d.msg);
	cr_expect(strstr(d.msg, "HTTP 503 Go [2J away") != NULL, "%s", d.msg);
}

Test(fetch, unexpected_304_without_validators_is_an_error)
{
	struct fetch_request rq = { 0 };
	struct fetch_result r;
	struct diag d;
	char *req;

	cr_expect_eq(exchange("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n",
	    &rq, &r, &d, &req), -1);
	cr_expect(strstr(d.msg, "HTTP 304") != NULL, "%s", d.msg);
}

Test(fetch, too_large)
{
	struct fetch_request rq = { .max_bytes = 10 };
	struct fetch_result r;
	struct diag d;
	char *req;

	cr_expect_eq(exchange("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789abcdef",
	    &rq, &r, &d, &req), -1);
	cr_expect_eq(d.code, DIAG_NET);
	cr_expect(strstr(d.msg, "larger than 10 bytes") != NULL, "%s", d.msg);
	cr_expect_null(r.body);
}

Test(fetch, nobody_listening)
{
	struct fetch_request rq = { .url = "http://127.0.0.1:1/h.ics" };
	struct fetch_result r;
	struct diag d;

	cr_expect_eq(fetch_get(&rq, &r, &d), -1);
	cr_expect_eq(d.code, DIAG_NET);
	cr_expect(strstr(d.msg, "http://127.0.0.1:1/h.ics: ") == d.msg, "%s", d.msg);
}

Test(fetch, refused_url_never_connects)
{
	struct fetch_request rq = { .url = "http://example.com/h.ics" };
	struct fetch_result r;
	struct diag d;

	cr_expect_eq(fetch_get(&rq, &r, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
}
