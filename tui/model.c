/* model.c: the open tickets, their SLA status, order and filter.
 *
 * One scan of the store (store_ticket_scan, strings copied into a pool of
 * large blocks, no allocation per ticket), one sla_compute per ticket with
 * each partner compiled once (sla_cache), one sort.  After that the model
 * is kept true cheaply: every ticket knows the earliest instant its state
 * could change (rows_recheck_at), so a tick looks again only at those and
 * at the rows on screen; a full recompute and resort runs every minute
 * (every second for small queues) and at the viewer's midnight.  Another
 * connection's commit (PRAGMA data_version) or our own write reloads it.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bigmem.h"
#include "buf.h"
#include "civil.h"
#include "tz.h"

#define POOL_BLOCK ((size_t)1 << 20)	/* the first block; they double up to */
#define POOL_BLOCK_MAX ((size_t)8 << 20)	/* this, big enough for huge pages */
#define SMALL_QUEUE 5000	/* up to this many: full recompute every second */

struct pool_block {
	struct pool_block *next;
	size_t used, cap;
	char data[];
};

static void pool_free(struct pool_block *b)
{
	while (b != NULL) {
		struct pool_block *next = b->next;

		bigmem_free(b, sizeof *b + b->cap);
		b = next;
	}
}

/* A stable copy of s[0..len) (NUL added); NULL when out of memory. */
static char *pool_put(struct pool_block **head, const char *s, size_t len)
{
	struct pool_block *b = *head;
	char *out;

	if (b == NULL || b->cap - b->used < len + 1) {
		size_t cap = b == NULL ? POOL_BLOCK : b->cap < POOL_BLOCK_MAX ? 2 * b->cap :
		    POOL_BLOCK_MAX;

		if (cap < len + 1)
			cap = len + 1;
		if ((b = bigmem_resize(NULL, 0, sizeof *b + cap)) == NULL)
			return NULL;
		b->next = *head;
		b->used = 0;
		b->cap = cap;
		*head = b;
	}
	out = b->data + b->used;
	memcpy(out, s, len);
	out[len] = '\0';
	b->used += len + 1;
	return out;
}

static int pool_str(struct pool_block **head, char **field, const char *s)
{
	if (s == NULL) {
		*field = NULL;
		return 0;
	}
	return (*field = pool_put(head, s, strlen(s))) != NULL ? 0 : -1;
}

void model_free(struct model *m)
{
	sla_cache_free(m->cache);
	bigmem_free(m->items, m->cap * sizeof *m->items);
	free(m->order);
	free(m->vis);
	pool_free(m->pool);
	memset(m, 0, sizeof *m);
}

static void compute(struct tui_app *a, struct rows_item *it)
{
	if (it->p == NULL) {
		memset(&it->st, 0, sizeof it->st);
		it->st.state = SLA_NOT_TIMED;
		it->st.deadline_at = it->t.deadline_at;
		it->st.stopped_at = STORE_NONE;
		it->recheck_at = INT64_MAX;
		return;
	}
	sla_compute(&it->t, it->p->sched.cal, a->now_at, a->at_risk, &it->st);
	it->recheck_at = rows_recheck_at(it, a->at_risk, a->now_at);
}

struct loader {
	struct tui_app *a;
	struct model *m;
	struct diag *d;
};

static int load_one(const struct store_ticket *t, void *arg)
{
	struct loader *l = arg;
	struct model *m = l->m;
	struct rows_item *it;
	struct diag pd;

	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 1024;
		struct rows_item *v = bigmem_resize(m->items, m->cap * sizeof *v, ncap * sizeof *v);

		if (v == NULL)
			return diag_set(l->d, DIAG_NOMEM, "out of memory");
		m->items = v;
		m->cap = ncap;
	}
	it = &m->items[m->n];
	memset(it, 0, sizeof *it);
	it->t = *t;
	if (pool_str(&m->pool, &it->t.key, t->key) < 0 ||
	    pool_str(&m->pool, &it->t.partner_key, t->partner_key) < 0 ||
	    pool_str(&m->pool, &it->t.summary, t->summary) < 0 ||
	    pool_str(&m->pool, &it->t.customer, t->customer) < 0 ||
	    pool_str(&m->pool, &it->t.assignee, t->assignee) < 0 ||
	    pool_str(&m->pool, &it->t.responded_by, t->responded_by) < 0 ||
	    pool_str(&m->pool, &it->t.excuse_reason, t->excuse_reason) < 0 ||
	    pool_str(&m->pool, &it->t.excuse_ref, t->excuse_ref) < 0)
		return diag_set(l->d, DIAG_NOMEM, "out of memory");
	diag_clear(&pd);
	it->p = sla_cache_get(m->cache, t->partner_id, &pd);	/* NULL: shown untimed */
	compute(l->a, it);
	rows_count_one(it, m->day_start_at, m->day_end_at, &m->counts);
	m->n++;		/* the search text comes later: model_build_hay */
	return 0;
}

size_t model_build_hay(struct tui_app *a, size_t max)
{
	struct model *m = &a->model;
	struct buf b = BUF_INIT;
	size_t end = m->hay_done + (max < m->n - m->hay_done ? max : m->n - m->hay_done);

	for (; m->hay_done < end; m->hay_done++) {
		struct rows_item *it = &m->items[m->hay_done];
		const char *h;

		buf_reset(&b);
		rows_hay(&it->t, it->p != NULL ? &it->p->partner : NULL, &b);
		if (buf_failed(&b) || (h = pool_put(&m->pool, buf_str(&b), b.len)) == NULL)
			break;	/* out of memory: that ticket is not found by searches */
		rows_set_hay(it, h, b.len);
	}
	buf_release(&b);
	return m->n - m->hay_done;
}

static void viewer_day(struct tui_app *a, struct model *m)
{
	int64_t day = civil_div(tz_utc_to_local(a->viewer_tz, a->now_at), CIVIL_DAY_S);

	m->day_start_at = tz_local_to_utc(a->viewer_tz, day * CIVIL_DAY_S);
	m->day_end_at = tz_local_to_utc(a->viewer_tz, (day + 1) * CIVIL_DAY_S);
}

static void schedule_full(struct tui_app *a, struct model *m)
{
	int64_t next = a->now_at + (m->n <= SMALL_QUEUE ? 1 : 60);

	if (next > m->day_end_at)
		next = m->day_end_at;
	m->full_at = next;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A failed load's model freed; a first screen's partners handed back:
 * its rows point into them. */
static void load_abandon(struct tui_app *a, struct model *m)
{
	if (a->model.partial && a->model.cache == NULL) {
		a->model.cache = m->cache;
		m->cache = NULL;
	}
	model_free(m);
}

int model_load(struct tui_app *a, struct diag *d)
{
	struct model m;
	struct loader l;
	struct store_ticket_filter f;
	struct store_partner *pv = NULL;
	size_t pn = 0;
	struct timespec t0;
	/* the first load (tui_run): the first screen first, see below */
	int first = a->model.items == NULL && a->model.generation == 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&m, 0, sizeof m);
	/* after a first screen (model_load_first), at once: its partners are
	 * compiled already, and compiling costs milliseconds each */
	if (a->model.partial) {
		m.cache = a->model.cache;
		a->model.cache = NULL;
	} else if ((m.cache = sla_cache_new(a->store)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (store_partner_list(a->store, 1, &pv, &pn, d) < 0) {
		load_abandon(a, &m);
		return -1;
	}
	l.a = a;
	l.m = &m;
	l.d = d;
	viewer_day(a, &m);	/* the counts are taken as the tickets are read */
	store_ticket_filter_init(&f);
	f.open_only = 1;
	if (store_ticket_scan(a->store, &f, load_one, &l, d) != 0) {
		store_partner_list_free(pv, pn);
		load_abandon(a, &m);
		return -1;
	}
	if ((m.order = malloc((m.n ? m.n : 1) * sizeof *m.order)) == NULL ||
	    (m.vis = malloc((m.n ? m.n : 1) * sizeof *m.vis)) == NULL) {
		store_partner_list_free(pv, pn);
		load_abandon(a, &m);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < m.n; i++)
		m.order[i] = (uint32_t)i;
	if (!first)
		rows_sort(m.items, m.order, m.n, a->sort, a->sort_reverse);
	schedule_full(a, &m);
	m.generation = a->model.generation + 1;
	model_free(&a->model);
	store_partner_list_free(a->partners, a->npartners);
	a->partners = pv;
	a->npartners = pn;
	a->model = m;
	model_refilter(a);
	/* Before the first paint only the rows a screen can show are put in
	 * order: the whole sort waits until they are painted (tui_run calls
	 * model_resort then, before it reads a key).  The counts and the
	 * widths never depended on the order. */
	if (first)
		rows_sort_top(a->model.items, a->model.vis, a->model.nvis, ROWS_FIRST_SCREEN,
		    a->sort, a->sort_reverse);
	a->model.load_ms = ms_since(&t0);
	return 0;
}

/* Rows read for the first screen, of each kind (due, past due): a screen
 * is at most ROWS_FIRST_SCREEN rows, and the triage order within a kind
 * follows the deadline but for the partners' calendars, so a margin. */
#define FIRST_READ (2 * ROWS_FIRST_SCREEN)

/* The top ROWS_FIRST_SCREEN rows are at risk or breached, with their clock
 * running: ranks whose candidates the first read found (not on track,
 * not timed nor waiting, which it does not read in order). */
static int first_screen_urgent(const struct model *m)
{
	if (m->nvis < ROWS_FIRST_SCREEN)
		return 0;
	for (size_t i = 0; i < ROWS_FIRST_SCREEN; i++) {
		const struct rows_item *it = &m->items[m->vis[i]];

		if (it->st.stopped_at != STORE_NONE ||
		    (it->st.state != SLA_AT_RISK && it->st.state != SLA_BREACHED))
			return 0;
	}
	return 1;
}

int model_load_first(struct tui_app *a, struct diag *d)
{
	struct model m;
	struct loader l;
	struct store_partner *pv = NULL;
	size_t pn = 0;
	struct timespec t0;

	/* only the default view: the triage order, no filter */
	if (a->model.items != NULL || a->sort != TRIAGE_SORT_TRIAGE || a->sort_reverse ||
	    a->filter.answered || rows_filter_active(&a->filter) || a->search[0] != '\0')
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&m, 0, sizeof m);
	if ((m.cache = sla_cache_new(a->store)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (store_partner_list(a->store, 1, &pv, &pn, d) < 0) {
		model_free(&m);
		return -1;
	}
	l.a = a;
	l.m = &m;
	l.d = d;
	viewer_day(a, &m);
	if (store_ticket_scan_first(a->store, a->now_at, FIRST_READ, load_one, &l, d) != 0) {
		store_partner_list_free(pv, pn);
		model_free(&m);
		return -1;
	}
	if ((m.order = malloc((m.n ? m.n : 1) * sizeof *m.order)) == NULL ||
	    (m.vis = malloc((m.n ? m.n : 1) * sizeof *m.vis)) == NULL) {
		store_partner_list_free(pv, pn);
		model_free(&m);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < m.n; i++)
		m.order[i] = (uint32_t)i;
	rows_sort(m.items, m.order, m.n, a->sort, a->sort_reverse);
	m.partial = 1;
	m.generation = a->model.generation + 1;
	m.full_at = INT64_MAX;		/* the whole load follows the paint */
	model_free(&a->model);
	a->model = m;
	model_refilter(a);
	if (!first_screen_urgent(&a->model)) {
		/* the first screen reaches ranks not read in order: read it all
		 * (model_load), with the partners compiled so far */
		struct sla_cache *c = a->model.cache;

		a->model.cache = NULL;
		model_free(&a->model);
		a->model.cache = c;
		a->model.partial = 1;	/* no rows: only the partners */
		store_partner_list_free(pv, pn);
		return 0;
	}
	store_partner_list_free(a->partners, a->npartners);
	a->partners = pv;
	a->npartners = pn;
	a->model.load_ms = ms_since(&t0);
	return 1;
}

void model_refilter(struct tui_app *a)
{
	struct model *m = &a->model;

	a->filter.search = a->search[0] ? a->search : NULL;
	if (a->filter.search != NULL)
		model_build_hay(a, (size_t)-1);
	m->nvis = rows_filter_all(m->items, m->n, m->order, &a->filter, m->vis);
	m->generation++;
}

void model_resort(struct tui_app *a)
{
	struct model *m = &a->model;

	rows_sort(m->items, m->order, m->n, a->sort, a->sort_reverse);
	model_refilter(a);
}

static void full_recompute(struct tui_app *a)
{
	struct model *m = &a->model;

	for (size_t i = 0; i < m->n; i++)
		compute(a, &m->items[i]);
	viewer_day(a, m);
	rows_count(m->items, m->n, m->day_start_at, m->day_end_at, &m->counts);
	schedule_full(a, m);
	model_resort(a);
}

void model_tick(struct tui_app *a, size_t vis_from, size_t vis_to)
{
	struct model *m = &a->model;
	int changed = 0, rank = 0;

	if (a->now_at >= m->full_at) {
		full_recompute(a);
		return;
	}
	/* tickets whose state may have changed by now */
	for (size_t i = 0; i < m->n; i++) {
		struct rows_item *it = &m->items[i];

		if (it->recheck_at <= a->now_at) {
			enum sla_state before = it->st.state;

			compute(a, it);
			if (it->st.state != before) {
				changed = 1;
				rank |= it->st.state == SLA_BREACHED;
			}
		}
	}
	/* the rows on screen: their countdown moves every second */
	for (size_t i = vis_from; i < vis_to && i < m->nvis; i++) {
		struct rows_item *it = &m->items[m->vis[i]];
		enum sla_state before = it->st.state;

		compute(a, it);
		if (it->st.state != before) {
			changed = 1;
			rank |= it->st.state == SLA_BREACHED;
		}
	}
	if (!changed)
		return;
	rows_count(m->items, m->n, m->day_start_at, m->day_end_at, &m->counts);
	if (a->filter.state != ROWS_STATE_ANY)
		model_refilter(a);
	/* a breach moves a ticket to the top: resort soon, not on every one */
	if (rank && m->full_at > a->now_at + 5)
		m->full_at = a->now_at + 5;
}

size_t model_find_vis(const struct tui_app *a, int64_t id)
{
	const struct model *m = &a->model;

	for (size_t i = 0; i < m->nvis; i++)
		if (m->items[m->vis[i]].t.id == id)
			return i;
	return (size_t)-1;
}

const struct rows_item *model_item_by_id(const struct tui_app *a, int64_t id)
{
	const struct model *m = &a->model;

	for (size_t i = 0; i < m->n; i++)
		if (m->items[i].t.id == id)
			return &m->items[i];
	return NULL;
}

int model_poll(struct tui_app *a)
{
	int64_t v = store_data_version(a->store);
	struct diag d;

	if (v == a->data_version && !a->reload_pending)
		return 0;
	diag_clear(&d);
	if (model_load(a, &d) < 0) {
		/* keep showing what we have; try again on the next tick */
		tui_message(a, ROLE_ERROR, "cannot read the database: %s", d.msg);
		return 0;
	}
	a->data_version = v;
	a->reload_pending = 0;
	for (int i = 0; i < a->depth; i++)
		if (a->stack[i]->reload != NULL)
			a->stack[i]->reload(a);
	return 1;
}
