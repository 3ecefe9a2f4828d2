/* test_report_out.c: a renderer's output plumbing, and long runs of rows
 * rendered on two threads coming out exactly as one thread writes them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "report.h"

struct sink_state {
	struct buf got;
	size_t writes;
	size_t fail_at;		/* the write that fails (1-based), 0 never */
};

static int sink_write(void *arg, const char *data, size_t len)
{
	struct sink_state *s = arg;

	s->writes++;
	if (s->fail_at != 0 && s->writes >= s->fail_at)
		return -1;
	buf_add(&s->got, data, len);
	return 0;
}

/* Row i: its number, and a length that varies so chunks differ in size. */
static void numbered(struct buf *b, size_t i, const void *arg)
{
	const size_t *fail_row = arg;
	char t[64];

	snprintf(t, sizeof t, "row %zu %.*s\n", i, (int)(i % 37), "....................................");
	buf_adds(b, t);
	if (fail_row != NULL && i == *fail_row)
		b->failed = 1;
}

static void expected(struct buf *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		numbered(b, i, NULL);
}

Test(report_out, rows_come_out_in_order_whatever_their_number)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 16383, 16384, 16385, 50000, 123457 };

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct sink_state st = { BUF_INIT, 0, 0 };
		struct report_sink sink = { sink_write, &st };
		struct buf want = BUF_INIT;
		struct report_out o;
		struct diag d;

		st.got.cap = want.cap = (size_t)1 << 30;
		report_out_init(&o, &sink);
		buf_adds(&o.b, "head\n");
		report_out_rows(&o, sizes[k], numbered, NULL);
		buf_adds(&o.b, "tail\n");
		cr_assert_eq(report_out_finish(&o, &d), 0, "%s", d.msg);
		buf_adds(&want, "head\n");
		expected(&want, sizes[k]);
		buf_adds(&want, "tail\n");
		cr_expect_eq(st.got.len, want.len, "%zu rows", sizes[k]);
		cr_expect(memcmp(buf_str(&st.got), buf_str(&want), want.len) == 0,
		    "%zu rows: bytes differ", sizes[k]);
		buf_release(&st.got);
		buf_release(&want);
	}
}

/* A row that fails on the helper's side (an odd chunk) or on this
 * thread's (an even one) fails the whole report as out of memory. */
Test(report_out, a_failed_row_fails_the_report)
{
	static const size_t fail_rows[] = { 10, 5000, 40000 };

	for (size_t k = 0; k < sizeof fail_rows / sizeof fail_rows[0]; k++) {
		struct sink_state st = { BUF_INIT, 0, 0 };
		struct report_sink sink = { sink_write, &st };
		struct report_out o;
		struct diag d;

		st.got.cap = (size_t)1 << 30;
		report_out_init(&o, &sink);
		report_out_rows(&o, 60000, numbered, &fail_rows[k]);
		cr_expect_eq(report_out_finish(&o, &d), -1, "row %zu", fail_rows[k]);
		cr_expect_eq(d.code, DIAG_NOMEM, "row %zu: %s", fail_rows[k], d.msg);
		buf_release(&st.got);
	}
}

Test(report_out, a_refused_write_fails_the_report)
{
	struct sink_state st = { BUF_INIT, 0, 3 };
	struct report_sink sink = { sink_write, &st };
	struct report_out o;
	struct diag d;

	st.got.cap = (size_t)1 << 30;
	report_out_init(&o, &sink);
	report_out_rows(&o, 60000, numbered, NULL);
	cr_expect_eq(report_out_finish(&o, &d), -1);
	cr_expect_eq(d.code, DIAG_STORE, "%s", d.msg);
	cr_expect(strstr(d.msg, "cannot write") != NULL, "%s", d.msg);
	buf_release(&st.got);
}
