/* sla.c: SLA status of a ticket and the partner schedule cache; see sla.h. */
#include "sla.h"

#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "config.h"

/* The clock's target, deadline, the instant it stopped for good and the
 * instant a wait froze it (STORE_NONE when none). */
struct clock_view {
	int64_t target_s, deadline_at, stopped_at, frozen_at;
};

int64_t sla_clock_target(const struct store_ticket *t, enum sla_clock clock)
{
	return clock == SLA_CLOCK_RESOLVE ? t->resolve_target_s : t->target_s;
}

int64_t sla_clock_deadline_at(const struct store_ticket *t, enum sla_clock clock)
{
	return clock == SLA_CLOCK_RESOLVE ? t->resolve_deadline_at : t->deadline_at;
}

static void clock_view(const struct store_ticket *t, enum sla_clock clock,
		       struct clock_view *v)
{
	v->target_s = sla_clock_target(t, clock);
	v->deadline_at = sla_clock_deadline_at(t, clock);
	if (clock == SLA_CLOCK_RESOLVE) {
		v->stopped_at = t->resolved_at;
		v->frozen_at = t->waiting_since;
	} else {
		v->stopped_at = t->first_response_at != STORE_NONE ? t->first_response_at :
		    t->resolved_at;
		v->frozen_at = t->waiting_response ? t->waiting_since : STORE_NONE;
	}
	if (v->stopped_at != STORE_NONE)
		v->frozen_at = STORE_NONE;
}

void sla_compute_clock(const struct store_ticket *t, enum sla_clock clock,
		       const struct cal *c, int64_t now_at, double at_risk,
		       struct sla_status *st)
{
	struct clock_view v;
	int64_t end;

	clock_view(t, clock, &v);
	memset(st, 0, sizeof *st);
	st->excused = t->excused_at != STORE_NONE;
	st->deadline_at = v.deadline_at;
	st->stopped_at = v.stopped_at;
	end = v.stopped_at != STORE_NONE ? v.stopped_at : now_at;
	if (v.frozen_at != STORE_NONE && v.frozen_at < end)
		end = v.frozen_at;
	if (end < t->created_at)
		end = t->created_at;
	if (v.deadline_at == STORE_NONE || v.target_s == STORE_NONE) {
		st->elapsed_s = cal_elapsed(c, t->created_at, end);
		st->deadline_at = STORE_NONE;
		st->state = v.stopped_at == STORE_NONE ? SLA_NOT_TIMED :
		    clock == SLA_CLOCK_RESOLVE ? SLA_NOT_TIMED : SLA_RESPONDED;
		return;
	}
	/* the stored deadline carries every pause: what is left of the target
	 * is the working time up to it, and the rest was used */
	st->remaining_s = cal_elapsed(c, end, v.deadline_at);
	st->elapsed_s = v.target_s - st->remaining_s;
	st->consumed = (double)st->elapsed_s / (double)v.target_s;
	if (end > v.deadline_at) {
		st->state = SLA_BREACHED;
		st->overrun_s = cal_elapsed(c, v.deadline_at, end);
		st->overrun_wall_s = end - v.deadline_at;
	} else if (v.stopped_at != STORE_NONE)
		st->state = SLA_MET;
	else if (v.frozen_at != STORE_NONE && v.frozen_at <= now_at)
		st->state = SLA_WAITING;
	else if (st->consumed >= at_risk)
		st->state = SLA_AT_RISK;
	else
		st->state = SLA_ON_TRACK;
}

void sla_compute(const struct store_ticket *t, const struct cal *c, int64_t now_at,
		 double at_risk, struct sla_status *st)
{
	sla_compute_clock(t, SLA_CLOCK_RESPONSE, c, now_at, at_risk, st);
}

void sla_compute_resolve(const struct store_ticket *t, const struct cal *c, int64_t now_at,
			 double at_risk, struct sla_status *st)
{
	sla_compute_clock(t, SLA_CLOCK_RESOLVE, c, now_at, at_risk, st);
}

/* ---- pauses ------------------------------------------------------------------ */

int sla_pause_applies(const struct store_pause *p, enum sla_clock clock)
{
	return clock == SLA_CLOCK_RESOLVE || p->response;
}

int sla_clock_deadline(const struct cal *c, int64_t start_at, int64_t target_s,
		       const struct store_pause *v, size_t n, enum sla_clock clock,
		       int64_t *deadline_at, struct diag *d)
{
	int64_t at = start_at, left = target_s;

	for (size_t i = 0; i < n; i++) {
		int64_t from, worked;

		if (!sla_pause_applies(&v[i], clock) || v[i].end_at == STORE_NONE)
			continue;
		if (v[i].end_at <= at)
			continue;	/* over before the clock got there */
		from = v[i].start_at > at ? v[i].start_at : at;
		worked = cal_elapsed(c, at, from);
		if (worked >= left)
			break;		/* the deadline comes before this pause */
		left -= worked;
		at = v[i].end_at;
	}
	return cal_deadline(c, at, left, deadline_at, d);
}

int64_t sla_paused_working(const struct cal *c, const struct store_pause *v, size_t n,
			   enum sla_clock clock, int64_t from_at, int64_t to_at)
{
	int64_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t a = v[i].start_at, b = v[i].end_at == STORE_NONE ? to_at : v[i].end_at;

		if (!sla_pause_applies(&v[i], clock))
			continue;
		if (a < from_at)
			a = from_at;
		if (b > to_at)
			b = to_at;
		if (b > a)
			sum += cal_elapsed(c, a, b);
	}
	return sum;
}

const char *sla_state_name(enum sla_state s)
{
	static const char *const names[] = {
		"not timed", "on track", "at risk", "BREACHED", "met", "responded", "waiting"
	};

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *sla_state_id(enum sla_state s)
{
	static const char *const names[] = {
		"not-timed", "on-track", "at-risk", "breached", "met", "responded", "waiting"
	};

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void sla_order_key(const struct sla_status *st, struct sla_order *o)
{
	o->deadline_at = st->deadline_at;
	o->primary = 0;
	switch (st->state) {
	case SLA_BREACHED:
		o->rank = 0;
		o->primary = -st->overrun_wall_s;	/* most overdue first */
		break;
	case SLA_AT_RISK:
	case SLA_ON_TRACK:
		o->rank = 1;
		o->primary = st->remaining_s;
		break;
	case SLA_WAITING:
		o->rank = 2;
		o->primary = st->remaining_s;
		break;
	case SLA_MET:
		o->rank = 3;
		break;
	case SLA_NOT_TIMED:
		o->rank = 4;
		break;
	default:
		o->rank = 5;
		break;
	}
}

int sla_compare(const struct sla_status *a, const struct sla_status *b)
{
	struct sla_order x, y;

	sla_order_key(a, &x);
	sla_order_key(b, &y);
	if (x.rank != y.rank)
		return x.rank < y.rank ? -1 : 1;
	if (x.primary != y.primary)
		return x.primary < y.primary ? -1 : 1;
	return x.deadline_at < y.deadline_at ? -1 : x.deadline_at > y.deadline_at;
}

/* ---- cache ------------------------------------------------------------------ */

struct sla_entry {
	int64_t id;
	struct sla_partner *p;		/* compiled at first use (sla_partner_ready) */
};

struct sla_cache {
	struct store *store;
	struct sla_entry *v;
	size_t n, cap;
	size_t last;			/* the entry found last: tickets come in runs */
};

struct sla_cache *sla_cache_new(struct store *s)
{
	struct sla_cache *c = calloc(1, sizeof *c);

	if (c != NULL)
		c->store = s;
	return c;
}

void sla_cache_free(struct sla_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].p->compiled > 0)
			schedule_close(&c->v[i].p->sched);
		store_partner_release(&c->v[i].p->partner);
		free(c->v[i].p);
	}
	free(c->v);
	free(c);
}

static struct sla_entry *find(struct sla_cache *c, int64_t id)
{
	if (c->last < c->n && c->v[c->last].id == id)
		return &c->v[c->last];
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].id == id) {
			c->last = i;
			return &c->v[i];
		}
	return NULL;
}

int sla_partner_ready(struct sla_partner *p, struct diag *d)
{
	if (p->compiled == 0) {
		diag_clear(&p->err);
		p->compiled = schedule_open_partner(&p->sched, &p->partner, NULL,
		    &p->err) < 0 ? -1 : 1;
	}
	if (p->compiled < 0) {
		*d = p->err;
		return -1;
	}
	return 0;
}

/* The entry's partner, compiled.  One that fails to compile fails each
 * time with the same message. */
static const struct sla_partner *answer(const struct sla_entry *e, struct diag *d)
{
	return sla_partner_ready(e->p, d) < 0 ? NULL : e->p;
}

/* A new entry for the partner held in *sp (taking it over), not yet
 * compiled. */
static struct sla_entry *add(struct sla_cache *c, int64_t id, struct store_partner *sp,
			     struct diag *d)
{
	struct sla_entry *e;
	struct sla_partner *p;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 8;
		struct sla_entry *q = realloc(c->v, ncap * sizeof *q);

		if (q == NULL) {
			diag_set(d, DIAG_NOMEM, "out of memory");
			return NULL;
		}
		c->v = q;
		c->cap = ncap;
	}
	if ((p = calloc(1, sizeof *p)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	e = &c->v[c->n];
	memset(e, 0, sizeof *e);
	e->id = id;
	p->partner = *sp;
	store_partner_init(sp);
	e->p = p;
	c->last = c->n++;
	return e;
}

/* The entry of partner_id, read from the store on first use. */
static struct sla_entry *entry(struct sla_cache *c, int64_t partner_id, struct diag *d)
{
	struct sla_entry *e = find(c, partner_id);
	struct store_partner sp;

	if (e != NULL)
		return e;
	store_partner_init(&sp);
	if (store_partner_get_id(c->store, partner_id, &sp, d) < 0)
		return NULL;
	if ((e = add(c, partner_id, &sp, d)) == NULL)
		store_partner_release(&sp);
	return e;
}

const struct sla_partner *sla_cache_get(struct sla_cache *c, int64_t partner_id,
					struct diag *d)
{
	struct sla_entry *e = entry(c, partner_id, d);

	return e == NULL ? NULL : answer(e, d);
}

struct sla_partner *sla_cache_load(struct sla_cache *c, int64_t partner_id, struct diag *d)
{
	struct sla_entry *e = entry(c, partner_id, d);

	return e == NULL ? NULL : e->p;
}

int sla_cache_load_all(struct sla_cache *c, struct diag *d)
{
	struct store_partner *v;
	size_t n;
	int rc = 0;

	if (store_partner_list(c->store, 1, &v, &n, d) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (find(c, v[i].id) == NULL && add(c, v[i].id, &v[i], d) == NULL)
			rc = -1;
	store_partner_list_free(v, n);
	return rc;
}

struct sla_partner *sla_cache_find(const struct sla_cache *c, int64_t partner_id,
				   size_t *hint)
{
	if (*hint < c->n && c->v[*hint].id == partner_id)
		return c->v[*hint].p;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].id == partner_id) {
			*hint = i;
			return c->v[i].p;
		}
	return NULL;
}

const struct sla_partner *sla_cache_get_key(struct sla_cache *c, const char *key,
					    struct diag *d)
{
	struct store_partner sp;
	struct sla_entry *e;

	store_partner_init(&sp);
	if (store_partner_get(c->store, key, &sp, d) < 0)
		return NULL;
	if ((e = find(c, sp.id)) != NULL) {
		store_partner_release(&sp);
		return answer(e, d);
	}
	if ((e = add(c, sp.id, &sp, d)) == NULL) {
		store_partner_release(&sp);
		return NULL;
	}
	return answer(e, d);
}

int sla_plan(const struct sla_partner *p, int severity, int64_t created_at,
	     int64_t *target_s, int64_t *deadline_at, struct diag *d)
{
	*target_s = STORE_NONE;
	*deadline_at = STORE_NONE;
	if (severity < 0 || severity >= STORE_NSEV)
		return diag_set(d, DIAG_INPUT, "severity: unknown severity %d", severity);
	if (p->partner.target_s[severity] == STORE_NONE)
		return 0;
	if (cal_deadline(p->sched.cal, created_at, p->partner.target_s[severity],
	    deadline_at, d) < 0) {
		*deadline_at = STORE_NONE;
		return -1;
	}
	*target_s = p->partner.target_s[severity];
	return 0;
}

static int plan_clock(const struct sla_partner *p, const struct store_ticket *t,
		      int64_t target_s, const struct store_pause *v, size_t n,
		      enum sla_clock clock, int64_t *target_out, int64_t *deadline_at,
		      struct diag *d)
{
	*target_out = STORE_NONE;
	*deadline_at = STORE_NONE;
	if (target_s == STORE_NONE)
		return 0;
	if (sla_clock_deadline(p->sched.cal, t->created_at, target_s, v, n, clock,
	    deadline_at, d) < 0) {
		*deadline_at = STORE_NONE;
		return -1;
	}
	*target_out = target_s;
	return 0;
}

int sla_plan_ticket(const struct sla_partner *p, struct store_ticket *t,
		    const struct store_pause *v, size_t n, struct diag *d)
{
	int sev = t->severity;

	if (sev < 0 || sev >= STORE_NSEV)
		return diag_set(d, DIAG_INPUT, "severity: unknown severity %d", sev);
	if (plan_clock(p, t, p->partner.target_s[sev], v, n, SLA_CLOCK_RESPONSE,
	    &t->target_s, &t->deadline_at, d) < 0 ||
	    plan_clock(p, t, p->partner.resolve_s[sev], v, n, SLA_CLOCK_RESOLVE,
	    &t->resolve_target_s, &t->resolve_deadline_at, d) < 0)
		return -1;
	return 0;
}

int sla_replan(struct store *s, const struct sla_partner *p, struct store_ticket *t,
	       struct diag *d)
{
	struct store_pause *v = NULL;
	size_t n = 0;
	int rc;

	if (t->id > 0 && store_pause_list(s, t->id, &v, &n, d) < 0)
		return -1;
	rc = sla_plan_ticket(p, t, v, n, d);
	free(v);
	return rc;
}

/* The pauses of ticket id within v[*at..n) (both in ticket order): *first
 * and *count; *at moves past them. */
static void pauses_of(const struct store_pause *v, size_t n, size_t *at, int64_t id,
		      size_t *first, size_t *count)
{
	while (*at < n && v[*at].ticket_id < id)
		(*at)++;
	*first = *at;
	while (*at < n && v[*at].ticket_id == id)
		(*at)++;
	*count = *at - *first;
}

/* What sla_moves carries from one scanned ticket to the next. */
struct moves_state {
	struct sla_cache *c;
	const struct store_pause *pv;	/* every pause, in ticket order */
	size_t pn, pat;
	int include_stopped;
	int (*fn)(const struct sla_move *m, void *arg);
	void *arg;
	struct diag *d;
};

/* Whether both of t's clocks have stopped: resolved, or responded with
 * no resolution clock running.  A partner that does not compile says 0:
 * the ticket's plan then reports it. */
static int clocks_stopped(struct moves_state *ms, const struct store_ticket *t)
{
	const struct sla_partner *p;

	if (t->resolved_at != STORE_NONE)
		return 1;
	if (t->first_response_at == STORE_NONE || t->resolve_target_s != STORE_NONE)
		return 0;
	p = sla_cache_get(ms->c, t->partner_id, ms->d);
	return p != NULL && p->partner.resolve_s[t->severity] == STORE_NONE;
}

static int move_one(const struct store_ticket *t, void *arg)
{
	struct moves_state *ms = arg;
	int responded = t->first_response_at != STORE_NONE;
	struct store_ticket live;
	size_t first, count;
	struct sla_move m;

	pauses_of(ms->pv, ms->pn, &ms->pat, t->id, &first, &count);
	if (!ms->include_stopped && clocks_stopped(ms, t))
		return 0;
	m.t = t;
	live = *t;
	if ((m.p = sla_cache_get(ms->c, t->partner_id, ms->d)) == NULL ||
	    sla_plan_ticket(m.p, &live, ms->pv + first, count, ms->d) < 0) {
		diag_prefix(ms->d, "ticket #%lld", (long long)t->id);
		return -1;
	}
	if (!ms->include_stopped && responded) {
		/* the response clock has stopped: its outcome stays */
		live.target_s = t->target_s;
		live.deadline_at = t->deadline_at;
	}
	m.target_s = live.target_s;
	m.deadline_at = live.deadline_at;
	m.resolve_target_s = live.resolve_target_s;
	m.resolve_deadline_at = live.resolve_deadline_at;
	if (m.target_s == t->target_s && m.deadline_at == t->deadline_at &&
	    m.resolve_target_s == t->resolve_target_s &&
	    m.resolve_deadline_at == t->resolve_deadline_at)
		return 0;
	return ms->fn(&m, ms->arg);
}

int sla_moves(struct store *s, struct sla_cache *c, const struct store_ticket_filter *f,
	      int include_stopped, int (*fn)(const struct sla_move *m, void *arg),
	      void *arg, struct diag *d)
{
	struct store_pause *pv = NULL;
	struct moves_state ms;
	size_t pn = 0;
	int rc;

	if (store_pause_list(s, 0, &pv, &pn, d) < 0)
		return -1;
	memset(&ms, 0, sizeof ms);
	ms.c = c;
	ms.pv = pv;
	ms.pn = pn;
	ms.include_stopped = include_stopped;
	ms.fn = fn;
	ms.arg = arg;
	ms.d = d;
	/* a scan, not a list: no copy of every ticket's strings (the moved
	 * ones are a fraction, and fn copies what it keeps) */
	rc = store_ticket_scan(s, f, move_one, &ms, d);
	free(pv);
	return rc;
}

double sla_at_risk(const struct config *cfg)
{
	int64_t pct = cfg != NULL ? config_get_int(cfg, "sla", NULL, "at_risk") : -1;

	return pct > 0 && pct <= 100 ? (double)pct / 100.0 : SLA_AT_RISK_DEFAULT;
}
