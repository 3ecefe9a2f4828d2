/* buf.h: a growable byte string with a size cap and a sticky failure flag.
 *
 * Invariants: after buf_init, b->data is either NULL (nothing appended yet)
 * or NUL-terminated; b->len never counts the terminator.  An append that
 * would exceed b->cap or fails to allocate sets b->failed and is dropped;
 * later appends are ignored, so callers check buf_failed() once at the end.
 */
#ifndef SLATRACK_BUF_H
#define SLATRACK_BUF_H

#include <stddef.h>
#include <string.h>

#define BUF_DEFAULT_CAP ((size_t)16 << 20)	/* 16 MiB */

struct buf {
	char *data;
	size_t len, alloc, cap;
	int failed;
};

#define BUF_INIT { NULL, 0, 0, BUF_DEFAULT_CAP, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);	/* frees data; b may be reused after buf_init */
void buf_reset(struct buf *b);		/* len = 0, keeps memory, clears failure */
/* buf_add and buf_addc are inline where the bytes fit in what is already
 * allocated (a report appends a few bytes at a time, a hundred million
 * times); buf_add_grow does the rest. */
void buf_add_grow(struct buf *b, const void *data, size_t len);
static inline void buf_add(struct buf *b, const void *data, size_t len)
{
	/* room for the NUL too, within what is allocated and under the cap */
	if (!b->failed && len < b->alloc - b->len && b->len < b->cap &&
	    len < b->cap - b->len) {
		if (len > 0)	/* data may be NULL then */
			memcpy(b->data + b->len, data, len);
		b->len += len;
		b->data[b->len] = '\0';
	} else
		buf_add_grow(b, data, len);
}
/* Inline, so a literal's length is known when compiling. */
static inline void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}
/* Appends each string in turn up to a NULL: printf-free joining for
 * text built once per row of a big report. */
void buf_addl(struct buf *b, ...) __attribute__((sentinel));
static inline void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_failed(const struct buf *b);
/* Never NULL: "" when nothing was appended. Borrowed from b. */
const char *buf_str(const struct buf *b);
/* Hands the string to the caller (free() it) and re-inits b. NULL on failure. */
char *buf_detach(struct buf *b);

#endif
