/* report-out.c: where a renderer's bytes go (see report.h): a buffer
 * written to the sink every 64 KiB, and long runs of rows rendered on two
 * cores.
 *
 * A year's CSV or JSON holds a row per ticket: a million of them, a few
 * hundred megabytes.  report_out_rows renders such a run a chunk at a
 * time, this thread one chunk while a helper thread renders the next into
 * a buffer of its own; the helper's chunk is written after this thread's,
 * so the bytes come out exactly as one thread would write them. */
#include "report.h"

#include <pthread.h>

#define REPORT_FLUSH_AT ((size_t)1 << 16)
#define ROWS_CHUNK ((size_t)4096)		/* rows a thread renders at a turn */
#define ROWS_PARALLEL_MIN (4 * ROWS_CHUNK)	/* fewer: not worth a thread */

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

struct rows_helper {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	report_row_fn *fn;
	const void *arg;
	size_t from, to;	/* the chunk asked for */
	int asked, done, quit;
	struct buf b;		/* what the helper rendered */
	pthread_t thread;
};

static void *rows_helper_run(void *p)
{
	struct rows_helper *h = p;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		size_t from, to;

		while (!h->asked && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (!h->asked)
			break;
		from = h->from;
		to = h->to;
		pthread_mutex_unlock(&h->mu);
		for (size_t i = from; i < to; i++)
			h->fn(&h->b, i, h->arg);
		pthread_mutex_lock(&h->mu);
		h->asked = 0;
		h->done = 1;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static void rows_here(struct report_out *o, size_t from, size_t to, report_row_fn *fn,
		      const void *arg)
{
	for (size_t i = from; i < to; i++) {
		fn(&o->b, i, arg);
		report_out_flush(o);
	}
}

static int rows_helper_start(struct rows_helper *h, report_row_fn *fn, const void *arg)
{
	h->fn = fn;
	h->arg = arg;
	h->asked = h->done = h->quit = 0;
	buf_init(&h->b);
	h->b.cap = (size_t)1 << 30;	/* a chunk of rows, not a whole report */
	if (pthread_mutex_init(&h->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&h->cv, NULL) != 0) {
		pthread_mutex_destroy(&h->mu);
		return -1;
	}
	if (pthread_create(&h->thread, NULL, rows_helper_run, h) != 0) {
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		return -1;
	}
	return 0;
}

static void rows_helper_stop(struct rows_helper *h)
{
	pthread_mutex_lock(&h->mu);
	h->quit = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	buf_release(&h->b);
}

void report_out_rows(struct report_out *o, size_t n, report_row_fn *fn, const void *arg)
{
	struct rows_helper h;

	if (n < ROWS_PARALLEL_MIN || rows_helper_start(&h, fn, arg) < 0) {
		rows_here(o, 0, n, fn, arg);	/* one thread gives the same bytes */
		return;
	}
	for (size_t c = 0; c < n; c += 2 * ROWS_CHUNK) {
		size_t mid = c + ROWS_CHUNK < n ? c + ROWS_CHUNK : n;
		size_t end = mid + ROWS_CHUNK < n ? mid + ROWS_CHUNK : n;

		if (mid < end) {
			pthread_mutex_lock(&h.mu);
			h.from = mid;
			h.to = end;
			h.asked = 1;
			h.done = 0;
			pthread_cond_broadcast(&h.cv);
			pthread_mutex_unlock(&h.mu);
		}
		rows_here(o, c, mid, fn, arg);
		if (mid < end) {
			pthread_mutex_lock(&h.mu);
			while (!h.done)
				pthread_cond_wait(&h.cv, &h.mu);
			pthread_mutex_unlock(&h.mu);
			out_flush_all(o);		/* this thread's chunk first */
			if (buf_failed(&h.b))
				o->b.failed = 1;	/* out of memory, as one thread would be */
			out_write(o, &h.b);
			buf_reset(&h.b);
		}
	}
	rows_helper_stop(&h);
}
