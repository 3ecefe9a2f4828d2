/* report-out.c: where a renderer's bytes go (see report.h): a buffer
 * written to the sink every 64 KiB, and long runs of rows rendered on two
 * cores.
 *
 * A year's CSV or JSON holds a row per ticket: a million of them, a few
 * hundred megabytes.  report_out_rows renders such a run on two cores
 * (rowpair.h), the bytes exactly as one thread would write them. */
#include "report.h"

#include "rowpair.h"

#define REPORT_FLUSH_AT ((size_t)1 << 16)

void report_out_init(struct report_out *o, const struct report_sink *sink)
{
	buf_init(&o->b);
	o->sink = sink;
	o->failed = 0;
	o->errored = 0;
	diag_clear(&o->error);
}

static void out_write(struct report_out *o, const struct buf *b)
{
	if (b->len > 0 && !o->failed && !buf_failed(&o->b) &&
	    o->sink->write(o->sink->arg, b->data, b->len) < 0)
		o->failed = 1;
}

static void out_flush_all(struct report_out *o)
{
	out_write(o, &o->b);
	if (!buf_failed(&o->b))
		buf_reset(&o->b);
}

void report_out_flush(struct report_out *o)
{
	if (o->b.len >= REPORT_FLUSH_AT)
		out_flush_all(o);
}

int report_out_finish(struct report_out *o, struct diag *d)
{
	int nomem = buf_failed(&o->b);

	if (!nomem)
		out_flush_all(o);
	buf_release(&o->b);
	if (nomem)
		return diag_set(d, DIAG_NOMEM, "out of memory writing the report");
	if (o->errored) {
		*d = o->error;
		return -1;
	}
	if (o->failed)
		return diag_set(d, DIAG_STORE, "cannot write the report");
	return 0;
}

/* ---- rows on two cores ----------------------------------------------------- */

/* rowpair's sink: this thread's buffer as report_out_flush writes it;
 * the helper's written after it, its failure made the report's. */
static void out_sink(struct buf *b, void *arg)
{
	struct report_out *o = arg;

	if (b == &o->b) {
		out_flush_all(o);
		return;
	}
	if (buf_failed(b))
		o->b.failed = 1;	/* out of memory, as one thread would be */
	out_write(o, b);
	buf_reset(b);
}

void report_out_rows(struct report_out *o, size_t n, report_row_fn *fn, const void *arg)
{
	rowpair_render(&o->b, n, fn, arg, REPORT_FLUSH_AT, out_sink, o);
}
