/* rowpair.c: see rowpair.h. */
#include "rowpair.h"

#include <pthread.h>

#include "cores.h"

#define ROWPAIR_CHUNK ((size_t)4096)	/* rows a thread renders at a turn */
#define ROWPAIR_MIN ROWPAIR_CHUNK	/* fewer: not worth a thread */

struct rowpair_helper {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	rowpair_fn *fn;
	const void *arg;
	size_t from, to;	/* the chunk asked for */
	int asked, done, quit;
	struct buf b;		/* what the helper rendered */
	pthread_t thread;
};

static void *helper_run(void *p)
{
	struct rowpair_helper *h = p;

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

static int helper_start(struct rowpair_helper *h, rowpair_fn *fn, const void *arg,
			size_t cap)
{
	h->fn = fn;
	h->arg = arg;
	h->asked = h->done = h->quit = 0;
	buf_init(&h->b);
	h->b.cap = cap;
	if (pthread_mutex_init(&h->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&h->cv, NULL) != 0) {
		pthread_mutex_destroy(&h->mu);
		return -1;
	}
	if (pthread_create(&h->thread, NULL, helper_run, h) != 0) {
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		return -1;
	}
	return 0;
}

static void helper_stop(struct rowpair_helper *h)
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

static void helper_ask(struct rowpair_helper *h, size_t from, size_t to)
{
	pthread_mutex_lock(&h->mu);
	h->from = from;
	h->to = to;
	h->asked = 1;
	h->done = 0;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static void helper_wait(struct rowpair_helper *h)
{
	pthread_mutex_lock(&h->mu);
	while (!h->done)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

static void rows_here(struct buf *own, size_t from, size_t to, rowpair_fn *fn,
		      const void *arg, size_t flush_at, rowpair_sink_fn *sink, void *sink_arg)
{
	for (size_t i = from; i < to; i++) {
		fn(own, i, arg);
		if (own->len >= flush_at)
			sink(own, sink_arg);
	}
}

void rowpair_render(struct buf *own, size_t n, rowpair_fn *fn, const void *arg,
		    size_t flush_at, rowpair_sink_fn *sink, void *sink_arg)
{
	struct rowpair_helper h;

	if (n < ROWPAIR_MIN || cores_usable() < 2 || helper_start(&h, fn, arg, own->cap) < 0) {
		rows_here(own, 0, n, fn, arg, flush_at, sink, sink_arg);
		return;
	}
	for (size_t c = 0; c < n; c += 2 * ROWPAIR_CHUNK) {
		size_t mid = c + ROWPAIR_CHUNK < n ? c + ROWPAIR_CHUNK : n;
		size_t end = mid + ROWPAIR_CHUNK < n ? mid + ROWPAIR_CHUNK : n;

		if (mid < end)
			helper_ask(&h, mid, end);
		rows_here(own, c, mid, fn, arg, flush_at, sink, sink_arg);
		if (mid < end) {
			helper_wait(&h);
			sink(own, sink_arg);	/* this thread's chunk first */
			sink(&h.b, sink_arg);
		}
	}
	helper_stop(&h);
}
