/* test_rowpair.c: rows rendered on two threads (rowpair.h) reach the
 * sink in order, a chunk at a time, never the whole run at once; a
 * buffer that fails on either thread reaches the sink failed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "rowpair.h"

struct sink_state {
	struct buf got;
	size_t calls, largest;	/* the most bytes handed over at once */
	int saw_failed;
};

static void sink(struct buf *b, void *arg)
{
	struct sink_state *s = arg;

	s->calls++;
	if (buf_failed(b)) {
		s->saw_failed = 1;
		return;
	}
	if (b->len > s->largest)
		s->largest = b->len;
	buf_add(&s->got, b->data, b->len);
	buf_reset(b);
}

/* Row i: its number and a length that varies, so chunks differ in size;
 * arg (when not NULL) the row that fails its buffer. */
static void numbered(struct buf *b, size_t i, const void *arg)
{
	const size_t *fail_row = arg;
	char t[64];

	snprintf(t, sizeof t, "row %zu %.*s\n", i, (int)(i % 37),
	    "....................................");
	buf_adds(b, t);
	if (fail_row != NULL && i == *fail_row)
		b->failed = 1;
}

Test(rowpair, rows_reach_the_sink_in_order_a_chunk_at_a_time)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, 6000, 8192, 8193, 100001 };

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct sink_state st = { BUF_INIT, 0, 0, 0 };
		struct buf own = BUF_INIT, want = BUF_INIT;

		st.got.cap = want.cap = (size_t)1 << 30;
		for (size_t i = 0; i < sizes[k]; i++)
			numbered(&want, i, NULL);
		rowpair_render(&own, sizes[k], numbered, NULL, 1 << 16, sink, &st);
		sink(&own, &st);	/* what is left in own */
		cr_expect_eq(st.got.len, want.len, "%zu rows", sizes[k]);
		cr_expect(memcmp(buf_str(&st.got), buf_str(&want), want.len) == 0,
		    "%zu rows: bytes differ", sizes[k]);
		cr_expect_not(st.saw_failed, "%zu rows", sizes[k]);
		/* a chunk of rows (4096 of at most 50 bytes) at most, however
		 * long the run: the output is never held whole */
		cr_expect_leq(st.largest, (size_t)4096 * 50, "%zu rows: %zu bytes at once",
		    sizes[k], st.largest);
		buf_release(&own);
		buf_release(&want);
		buf_release(&st.got);
	}
}

/* Row 10 fails this thread's buffer (the first chunk), row 5000 the
 * helper's (the second). */
Test(rowpair, a_failed_buffer_reaches_the_sink_failed)
{
	static const size_t fail_rows[] = { 10, 5000 };

	for (size_t k = 0; k < sizeof fail_rows / sizeof fail_rows[0]; k++) {
		struct sink_state st = { BUF_INIT, 0, 0, 0 };
		struct buf own = BUF_INIT;

		st.got.cap = (size_t)1 << 30;
		rowpair_render(&own, 20000, numbered, &fail_rows[k], 1 << 16, sink, &st);
		char failed[32];

		cr_expect(st.saw_failed, "row %zu", fail_rows[k]);
		/* the failed buffer's rows never reach the sink as if whole */
		snprintf(failed, sizeof failed, "row %zu ", fail_rows[k]);
		cr_expect_null(strstr(buf_str(&st.got), failed), "row %zu", fail_rows[k]);
		buf_release(&own);
		buf_release(&st.got);
	}
}

/* Rows of the first chunk short, the second chunk's (the helper's)
 * longer than the cap. */
static void long_on_the_helper(struct buf *b, size_t i, const void *arg)
{
	(void)arg;
	buf_adds(b, i < 4096 ? "x\n" : "a row longer than forty bytes, on the helper\n");
}

/* The helper's buffer has this thread's cap: a row over it fails there
 * as it would here. */
Test(rowpair, the_helper_keeps_the_callers_cap)
{
	struct sink_state st = { BUF_INIT, 0, 0, 0 };
	struct buf own = BUF_INIT;

	st.got.cap = (size_t)1 << 30;
	own.cap = 40;
	rowpair_render(&own, 8192, long_on_the_helper, NULL, 16, sink, &st);
	cr_expect(st.saw_failed);
	cr_expect_eq(st.got.len, (size_t)4096 * 2, "the first chunk whole: %zu", st.got.len);
	buf_release(&own);
	buf_release(&st.got);
}
