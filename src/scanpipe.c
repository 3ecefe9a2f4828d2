/* scanpipe.c: see scanpipe.h. */
#include "scanpipe.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "cores.h"

/* Rows a chunk holds, and chunks in flight.  Each hand-over may wake the
 * other thread, which costs more than a few rows in a virtual machine, so
 * chunks are big; and the caller compiles each partner's schedule when
 * its first row arrives (sla_partner_ready), a few milliseconds during
 * which the scan must not stop: the ring holds 16,384 rows (4 MB).  All
 * of it is one mapping in huge pages (bigmem.h), a few page faults
 * instead of a thousand. */
#define CHUNK_ROWS 1024
#define NCHUNKS 16		/* a pair's two scans: half as many each */
#define CHUNK_TEXT ((size_t)64 << 10)	/* a chunk's strings; more for long rows */

/* Where a ticket's strings are, in the order they are copied. */
static const size_t string_at[] = {
	offsetof(struct store_ticket, key), offsetof(struct store_ticket, partner_key),
	offsetof(struct store_ticket, summary), offsetof(struct store_ticket, customer),
	offsetof(struct store_ticket, assignee), offsetof(struct store_ticket, responded_by),
	offsetof(struct store_ticket, excuse_reason), offsetof(struct store_ticket, excuse_ref),
};
#define NSTRINGS (sizeof string_at / sizeof string_at[0])

struct chunk {
	struct store_ticket t[CHUNK_ROWS];	/* strings in text */
	int tag[CHUNK_ROWS];
	void *extra[CHUNK_ROWS];
	size_t n;
	char *text;			/* own text, or grown on the heap */
	size_t used, cap;
	int full;			/* handed over to the caller, not yet back */
	char own[CHUNK_TEXT];
};

/* The lock and condition of the caller and its helpers (one or two). */
struct pipe_sync {
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

struct scanpipe {
	/* without a helper: scanpipe_put calls fn itself */
	int direct;
	scanpipe_row_fn fn;
	void *arg;
	scanpipe_scan_fn scan;
	void *scan_arg;
	struct chunk *c;		/* [nchunks], mapped */
	size_t nchunks;
	/* the helper's own: the chunk it fills, and how many it handed over */
	struct chunk *cur;
	size_t handed;
	/* the caller's own: how many chunks it took */
	size_t taken;
	pthread_t helper;
	/* shared, under sync->lock */
	struct pipe_sync *sync;
	int done;			/* the scan ended and handed over its last rows */
	int stop;			/* the caller wants no more rows */
	int rc;				/* the scan's answer, once done */
	struct diag d;			/* its diagnostic */
};

/* The chunk to fill, waiting until the caller gave it back; NULL when
 * the caller stopped. */
static struct chunk *pipe_chunk(struct scanpipe *p)
{
	struct chunk *c = &p->c[p->handed % p->nchunks];
	int stop;

	if (p->cur != NULL)
		return p->cur;
	pthread_mutex_lock(&p->sync->lock);
	while (c->full && !p->stop)
		pthread_cond_wait(&p->sync->changed, &p->sync->lock);
	stop = p->stop;
	pthread_mutex_unlock(&p->sync->lock);
	if (stop)
		return NULL;
	c->n = c->used = 0;
	return p->cur = c;
}

static void pipe_hand_over(struct scanpipe *p)
{
	pthread_mutex_lock(&p->sync->lock);
	p->cur->full = 1;
	pthread_cond_broadcast(&p->sync->changed);
	pthread_mutex_unlock(&p->sync->lock);
	p->cur = NULL;
	p->handed++;
}

/* Room for need bytes of strings in an empty chunk. */
static int chunk_fit(struct chunk *c, size_t need)
{
	size_t cap = c->cap;
	char *q;

	if (need <= cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if ((q = malloc(cap)) == NULL)
		return -1;
	if (c->text != c->own)
		free(c->text);
	c->text = q;
	c->cap = cap;
	return 0;
}

int scanpipe_put(struct scanpipe *p, const struct store_ticket *t, int tag, void *extra)
{
	struct chunk *c;
	struct store_ticket *r;
	size_t len[NSTRINGS], need = 0;

	if (p->direct)
		return p->fn(t, tag, extra, p->arg);
	if ((c = pipe_chunk(p)) == NULL)
		return 1;	/* the caller stopped: so does the scan */
	for (size_t i = 0; i < NSTRINGS; i++) {
		const char *s = *(char *const *)((const char *)t + string_at[i]);

		len[i] = s != NULL ? strlen(s) + 1 : 0;
		need += len[i];
	}
	if (c->used + need > c->cap && c->n > 0) {
		pipe_hand_over(p);
		if ((c = pipe_chunk(p)) == NULL)
			return 1;
	}
	if (chunk_fit(c, need) < 0)
		return diag_set(&p->d, DIAG_NOMEM, "out of memory");
	r = &c->t[c->n];
	*r = *t;
	for (size_t i = 0; i < NSTRINGS; i++) {
		char **field = (char **)((char *)r + string_at[i]);

		if (*field == NULL)
			continue;
		memcpy(c->text + c->used, *field, len[i]);
		*field = c->text + c->used;
		c->used += len[i];
	}
	c->tag[c->n] = tag;
	c->extra[c->n++] = extra;
	if (c->n == CHUNK_ROWS)
		pipe_hand_over(p);
	return 0;
}

static void *pipe_run(void *arg)
{
	struct scanpipe *p = arg;
	int rc = p->scan(p, p->scan_arg, &p->d);

	/* the rows read before the end (or a failure) go to the caller */
	if (p->cur != NULL && p->cur->n > 0)
		pipe_hand_over(p);
	pthread_mutex_lock(&p->sync->lock);
	p->done = 1;
	p->rc = rc;
	pthread_cond_broadcast(&p->sync->changed);
	pthread_mutex_unlock(&p->sync->lock);
	return NULL;
}

/* The next chunk handed over by any of the np pipes (the first pipe's
 * first), waiting for one; NULL when each of them is done.  Under the
 * lock. */
static struct chunk *pipe_next(struct scanpipe **p, size_t np, size_t *which)
{
	for (;;) {
		int running = 0;

		for (size_t i = 0; i < np; i++) {
			struct chunk *c = &p[i]->c[p[i]->taken % p[i]->nchunks];

			if (c->full) {
				*which = i;
				return c;
			}
			running |= !p[i]->done;
		}
		if (!running)
			return NULL;
		pthread_cond_wait(&p[0]->sync->changed, &p[0]->sync->lock);
	}
}

/* On the caller's thread: fn on every row handed over, each pipe's in
 * its order, each chunk given back once done.  The pipes are in order
 * (a pair's lower ids first): fn's non-zero value on a pipe's rows stops
 * that pipe and the later ones, while the earlier ones go on to their end
 * or to a stop of their own, which is then the answer.  So the answer is
 * the one a single scan in that order gives (say the first ticket of a
 * partner whose schedule fails), whatever order the chunks came in. */
static int pipe_drain(struct scanpipe **p, size_t np, scanpipe_row_fn fn, void *arg)
{
	struct pipe_sync *sync = p[0]->sync;
	size_t live = np;	/* the pipes still read: p[0..live) */
	int rc = 0;

	while (live > 0) {
		struct chunk *c;
		size_t which = 0;
		int stop = 0;

		pthread_mutex_lock(&sync->lock);
		c = pipe_next(p, live, &which);
		pthread_mutex_unlock(&sync->lock);
		if (c == NULL)
			break;
		for (size_t i = 0; i < c->n && stop == 0; i++)
			stop = fn(&c->t[i], c->tag[i], c->extra[i], arg);
		pthread_mutex_lock(&sync->lock);
		c->full = 0;
		p[which]->taken++;
		if (stop != 0) {
			rc = stop;
			live = which;
			for (size_t i = which; i < np; i++)
				p[i]->stop = 1;
		}
		pthread_cond_broadcast(&sync->changed);
		pthread_mutex_unlock(&sync->lock);
	}
	return rc;
}

static struct scanpipe *pipe_new(size_t nchunks, scanpipe_scan_fn scan, void *scan_arg,
				  scanpipe_row_fn fn, void *arg)
{
	struct scanpipe *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	if ((p->c = bigmem_resize(NULL, 0, nchunks * sizeof *p->c)) == NULL) {
		free(p);
		return NULL;
	}
	p->nchunks = nchunks;
	p->scan = scan;
	p->scan_arg = scan_arg;
	p->fn = fn;
	p->arg = arg;
	for (size_t i = 0; i < nchunks; i++) {
		p->c[i].text = p->c[i].own;
		p->c[i].cap = CHUNK_TEXT;
	}
	diag_clear(&p->d);
	return p;
}

static void pipe_free(struct scanpipe *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nchunks; i++)
		if (p->c[i].text != p->c[i].own)
			free(p->c[i].text);
	bigmem_free(p->c, p->nchunks * sizeof *p->c);
	free(p);
}

static int sync_init(struct pipe_sync *y)
{
	if (pthread_mutex_init(&y->lock, NULL) != 0)
		return -1;
	if (pthread_cond_init(&y->changed, NULL) != 0) {
		pthread_mutex_destroy(&y->lock);
		return -1;
	}
	return 0;
}

static void sync_destroy(struct pipe_sync *y)
{
	pthread_cond_destroy(&y->changed);
	pthread_mutex_destroy(&y->lock);
}

/* The helpers of p[0..np), all or none: -1 when one cannot be had. */
static int pipes_start(struct scanpipe **p, size_t np, struct pipe_sync *y)
{
	size_t i;

	for (i = 0; i < np; i++) {
		p[i]->sync = y;
		if (pthread_create(&p[i]->helper, NULL, pipe_run, p[i]) != 0)
			break;
	}
	if (i == np)
		return 0;
	/* the ones started stop at their first chunk's hand-over */
	pthread_mutex_lock(&y->lock);
	for (size_t k = 0; k < i; k++)
		p[k]->stop = 1;
	pthread_cond_broadcast(&y->changed);
	pthread_mutex_unlock(&y->lock);
	for (size_t k = 0; k < i; k++)
		pthread_join(p[k]->helper, NULL);
	return -1;
}

/* Every row of the np scans through fn, then the helpers joined: fn's
 * stop first, else the first scan's failure (in pipe order). */
static int pipes_run(struct scanpipe **p, size_t np, scanpipe_row_fn fn, void *arg,
		     struct diag *d)
{
	int rc = pipe_drain(p, np, fn, arg);

	for (size_t i = 0; i < np; i++)
		pthread_join(p[i]->helper, NULL);
	for (size_t i = 0; i < np && rc == 0; i++)
		if (p[i]->rc != 0) {
			*d = p[i]->d;
			rc = p[i]->rc;
		}
	return rc;
}

int scanpipe_direct(scanpipe_scan_fn scan, void *scan_arg, scanpipe_row_fn fn, void *arg,
		    struct diag *d)
{
	struct scanpipe direct;

	memset(&direct, 0, sizeof direct);
	direct.direct = 1;
	direct.fn = fn;
	direct.arg = arg;
	return scan(&direct, scan_arg, d);
}

int scanpipe_run(scanpipe_scan_fn scan, void *scan_arg, scanpipe_row_fn fn, void *arg,
		 struct diag *d)
{
	struct scanpipe *p;
	struct pipe_sync y;
	int rc;

	if (cores_usable() < 2)		/* one core: the hand-overs only cost */
		return scanpipe_direct(scan, scan_arg, fn, arg, d);
	if ((p = pipe_new(NCHUNKS, scan, scan_arg, fn, arg)) == NULL || sync_init(&y) < 0) {
		pipe_free(p);
		return scanpipe_direct(scan, scan_arg, fn, arg, d);
	}
	if (pipes_start(&p, 1, &y) < 0) {
		sync_destroy(&y);
		pipe_free(p);
		return scanpipe_direct(scan, scan_arg, fn, arg, d);
	}
	rc = pipes_run(&p, 1, fn, arg, d);
	sync_destroy(&y);
	pipe_free(p);
	return rc;
}

int scanpipe_run_pair(scanpipe_scan_fn scan[2], void *scan_arg[2], scanpipe_row_fn fn,
		      void *arg, struct diag *d)
{
	struct scanpipe *p[2];
	struct pipe_sync y;
	int rc;

	p[0] = pipe_new(NCHUNKS / 2, scan[0], scan_arg[0], fn, arg);
	p[1] = p[0] != NULL ? pipe_new(NCHUNKS / 2, scan[1], scan_arg[1], fn, arg) : NULL;
	if (p[1] == NULL || sync_init(&y) < 0) {
		pipe_free(p[0]);
		pipe_free(p[1]);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	if (pipes_start(p, 2, &y) < 0)
		rc = diag_set(d, DIAG_NOMEM, "cannot start a thread");
	else
		rc = pipes_run(p, 2, fn, arg, d);
	sync_destroy(&y);
	pipe_free(p[0]);
	pipe_free(p[1]);
	return rc;
}

/* scanpipe_scan: store_ticket_scan, each row put with what attach says. */
struct ticket_scan {
	struct store *s;
	const struct store_ticket_filter *f;
	scanpipe_attach_fn attach;
	void *arg;
	struct scanpipe *p;
	struct diag *d;
};

static int ticket_put(const struct store_ticket *t, void *arg)
{
	struct ticket_scan *x = arg;
	void *extra = x->attach(t, x->arg, x->d);

	return extra == NULL ? -1 : scanpipe_put(x->p, t, 0, extra);
}

static int ticket_scan(struct scanpipe *p, void *arg, struct diag *d)
{
	struct ticket_scan *x = arg;

	x->p = p;
	x->d = d;
	return store_ticket_scan(x->s, x->f, ticket_put, x, d);
}

int scanpipe_scan(struct store *s, const struct store_ticket_filter *f,
		  scanpipe_attach_fn attach, scanpipe_row_fn fn, void *arg, struct diag *d)
{
	struct ticket_scan x = { s, f, attach, arg, NULL, NULL };

	return scanpipe_run(ticket_scan, &x, fn, arg, d);
}

int scanpipe_scan_pair(struct store *s, struct store *twin, const struct store_ticket_filter *f,
		       int64_t split, scanpipe_attach_fn attach, void *attach_arg[2],
		       scanpipe_row_fn fn, void *arg, struct diag *d)
{
	struct store_ticket_filter half[2] = { *f, *f };
	struct ticket_scan x[2] = {
		{ s, &half[0], attach, attach_arg[0], NULL, NULL },
		{ twin, &half[1], attach, attach_arg[1], NULL, NULL },
	};
	scanpipe_scan_fn scan[2] = { ticket_scan, ticket_scan };
	void *scan_arg[2] = { &x[0], &x[1] };

	if (f->id_to == STORE_NONE || split < f->id_to)
		half[0].id_to = split;
	if (f->id_from == STORE_NONE || split > f->id_from)
		half[1].id_from = split;
	return scanpipe_run_pair(scan, scan_arg, fn, arg, d);
}
