/* scanpipe.c: see scanpipe.h. */
#include "scanpipe.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"

/* Rows a chunk holds, and chunks in flight.  Each hand-over may wake the
 * other thread, which costs more than a few rows in a virtual machine, so
 * chunks are big; and the caller compiles each partner's schedule when
 * its first row arrives (sla_partner_ready), a few milliseconds during
 * which the scan must not stop: the ring holds 16,384 rows (4 MB).  All
 * of it is one mapping in huge pages (bigmem.h), a few page faults
 * instead of a thousand. */
#define CHUNK_ROWS 1024
#define NCHUNKS 16
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

struct scanpipe {
	/* without a helper: scanpipe_put calls fn itself */
	int direct;
	scanpipe_row_fn fn;
	void *arg;
	scanpipe_scan_fn scan;
	void *scan_arg;
	struct chunk *c;		/* [NCHUNKS], mapped */
	/* the helper's own: the chunk it fills, and how many it handed over */
	struct chunk *cur;
	size_t handed;
	/* shared, under lock */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int done;			/* the scan ended and handed over its last rows */
	int stop;			/* the caller wants no more rows */
	int rc;				/* the scan's answer, once done */
	struct diag d;			/* its diagnostic */
};

/* The chunk to fill, waiting until the caller gave it back; NULL when
 * the caller stopped. */
static struct chunk *pipe_chunk(struct scanpipe *p)
{
	struct chunk *c = &p->c[p->handed % NCHUNKS];
	int stop;

	if (p->cur != NULL)
		return p->cur;
	pthread_mutex_lock(&p->lock);
	while (c->full && !p->stop)
		pthread_cond_wait(&p->changed, &p->lock);
	stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	if (stop)
		return NULL;
	c->n = c->used = 0;
	return p->cur = c;
}

static void pipe_hand_over(struct scanpipe *p)
{
	pthread_mutex_lock(&p->lock);
	p->cur->full = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
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
	pthread_mutex_lock(&p->lock);
	p->done = 1;
	p->rc = rc;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* On the caller's thread: fn on every row handed over, in order, each
 * chunk given back once done; fn's non-zero value stops the helper. */
static int pipe_drain(struct scanpipe *p, scanpipe_row_fn fn, void *arg)
{
	int rc = 0;

	for (size_t taken = 0; rc == 0; taken++) {
		struct chunk *c = &p->c[taken % NCHUNKS];
		int more;

		pthread_mutex_lock(&p->lock);
		while (!c->full && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		more = c->full;
		pthread_mutex_unlock(&p->lock);
		if (!more)
			break;
		for (size_t i = 0; i < c->n && rc == 0; i++)
			rc = fn(&c->t[i], c->tag[i], c->extra[i], arg);
		pthread_mutex_lock(&p->lock);
		c->full = 0;
		p->stop = rc != 0;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
	return rc;
}

static struct scanpipe *pipe_new(void)
{
	struct scanpipe *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	if ((p->c = bigmem_resize(NULL, 0, NCHUNKS * sizeof *p->c)) == NULL) {
		free(p);
		return NULL;
	}
	for (int i = 0; i < NCHUNKS; i++) {
		p->c[i].text = p->c[i].own;
		p->c[i].cap = CHUNK_TEXT;
	}
	diag_clear(&p->d);
	return p;
}

static void pipe_free(struct scanpipe *p)
{
	for (int i = 0; i < NCHUNKS; i++)
		if (p->c[i].text != p->c[i].own)
			free(p->c[i].text);
	bigmem_free(p->c, NCHUNKS * sizeof *p->c);
	free(p);
}

/* The lock, its condition and the helper; -1 (nothing left to undo)
 * when one cannot be had. */
static int pipe_start(struct scanpipe *p, pthread_t *helper)
{
	if (pthread_mutex_init(&p->lock, NULL) != 0)
		return -1;
	if (pthread_cond_init(&p->changed, NULL) == 0) {
		if (pthread_create(helper, NULL, pipe_run, p) == 0)
			return 0;
		pthread_cond_destroy(&p->changed);
	}
	pthread_mutex_destroy(&p->lock);
	return -1;
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
	struct scanpipe *p = pipe_new();
	pthread_t helper;
	int rc;

	if (p == NULL)
		return scanpipe_direct(scan, scan_arg, fn, arg, d);
	p->fn = fn;
	p->arg = arg;
	p->scan = scan;
	p->scan_arg = scan_arg;
	if (pipe_start(p, &helper) < 0) {
		pipe_free(p);
		return scanpipe_direct(scan, scan_arg, fn, arg, d);
	}
	rc = pipe_drain(p, fn, arg);
	pthread_join(helper, NULL);
	/* the caller's stop first; else the scan's failure, after the rows
	 * read before it */
	if (rc == 0 && p->rc != 0) {
		*d = p->d;
		rc = p->rc;
	}
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->lock);
	pipe_free(p);
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
