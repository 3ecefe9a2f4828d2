/* buf.c: growable strings; see buf.h. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->cap = BUF_DEFAULT_CAP;
	b->failed = 0;
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int buf_grow(struct buf *b, size_t extra)
{
	size_t want, n;
	char *p;

	if (b->failed)
		return -1;
	if (extra > b->cap || b->len + extra + 1 > b->cap) {
		b->failed = 1;
		return -1;
	}
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 64;
	while (n < want)
		n *= 2;
	if (n > b->cap)
		n = b->cap;
	p = realloc(b->data, n);
	if (p == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->alloc = n;
	return 0;
}

void buf_add_grow(struct buf *b, const void *data, size_t len)
{
	if (buf_grow(b, len) < 0)
		return;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_addl(struct buf *b, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, b);
	while ((s = va_arg(ap, const char *)) != NULL)
		buf_adds(b, s);
	va_end(ap);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (buf_grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int buf_failed(const struct buf *b)
{
	return b->failed;
}

const char *buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *buf_detach(struct buf *b)
{
	char *s;

	if (b->failed) {
		buf_release(b);
		return NULL;
	}
	s = b->data != NULL ? b->data : strdup("");
	buf_init(b);
	return s;
}
