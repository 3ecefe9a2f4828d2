/* sla.c: SLA status of a ticket and the partner schedule cache; see sla.h. */
#include "sla.h"

#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "config.h"

void sla_compute(const struct store_ticket *t, const struct cal *c, int64_t now_at,
		 double at_risk, struct sla_status *st)
{
	int64_t end;

	memset(st, 0, sizeof *st);
	st->deadline_at = t->deadline_at;
	st->stopped_at = t->first_response_at != STORE_NONE ? t->first_response_at :
	    t->resolved_at;
	end = st->stopped_at != STORE_NONE ? st->stopped_at : now_at;
	if (end < t->created_at)
		end = t->created_at;
	st->elapsed_s = cal_elapsed(c, t->created_at, end);
	if (t->deadline_at == STORE_NONE || t->target_s == STORE_NONE) {
		st->deadline_at = STORE_NONE;
		st->state = st->stopped_at != STORE_NONE ? SLA_RESPONDED : SLA_NOT_TIMED;
		return;
	}
	st->remaining_s = cal_elapsed(c, end, t->deadline_at);
	st->consumed = (double)st->elapsed_s / (double)t->target_s;
	if (end > t->deadline_at) {
		st->state = SLA_BREACHED;
		st->overrun_s = cal_elapsed(c, t->deadline_at, end);
		st->overrun_wall_s = end - t->deadline_at;
	} else if (st->stopped_at != STORE_NONE)
		st->state = SLA_MET;
	else if (st->consumed >= at_risk)
		st->state = SLA_AT_RISK;
	else
		st->state = SLA_ON_TRACK;
}

const char *sla_state_name(enum sla_state s)
{
	static const char *const names[] = {
		"not timed", "on track", "at risk", "BREACHED", "met", "responded"
	};

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *sla_state_id(enum sla_state s)
{
	static const char *const names[] = {
		"not-timed", "on-track", "at-risk", "breached", "met", "responded"
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
	case SLA_MET:
		o->rank = 2;
		break;
	case SLA_NOT_TIMED:
		o->rank = 3;
		break;
	default:
		o->rank = 4;
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
	struct sla_partner *p;		/* NULL: failed, see err */
	struct diag err;
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
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].p != NULL) {
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

static const struct sla_partner *answer(const struct sla_entry *e, struct diag *d)
{
	if (e->p == NULL) {
		*d = e->err;
		return NULL;
	}
	return e->p;
}

/* Compiles the partner held in *p (taking it over) into a new entry. */
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
	diag_clear(&e->err);
	if (schedule_open_partner(&p->sched, &p->partner, NULL, &e->err) < 0) {
		store_partner_release(&p->partner);
		free(p);
		p = NULL;
	}
	e->p = p;
	c->last = c->n++;
	return e;
}

const struct sla_partner *sla_cache_get(struct sla_cache *c, int64_t partner_id,
					struct diag *d)
{
	struct sla_entry *e = find(c, partner_id);
	struct store_partner sp;

	if (e != NULL)
		return answer(e, d);
	store_partner_init(&sp);
	if (store_partner_get_id(c->store, partner_id, &sp, d) < 0)
		return NULL;
	if ((e = add(c, partner_id, &sp, d)) == NULL) {
		store_partner_release(&sp);
		return NULL;
	}
	return answer(e, d);
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

int sla_moves(struct store *s, struct sla_cache *c, const struct store_ticket_filter *f,
	      int include_stopped, int (*fn)(const struct sla_move *m, void *arg),
	      void *arg, struct diag *d)
{
	struct store_ticket *v;
	size_t n;
	int rc = 0;

	if (store_ticket_list(s, f, &v, &n, d) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct store_ticket *t = &v[i];
		struct sla_move m;

		if (!include_stopped && (t->first_response_at != STORE_NONE ||
		    t->resolved_at != STORE_NONE))
			continue;
		m.t = t;
		if ((m.p = sla_cache_get(c, t->partner_id, d)) == NULL ||
		    sla_plan(m.p, t->severity, t->created_at, &m.target_s, &m.deadline_at,
		    d) < 0) {
			diag_prefix(d, "ticket #%lld", (long long)t->id);
			rc = -1;
			break;
		}
		if (m.target_s == t->target_s && m.deadline_at == t->deadline_at)
			continue;
		rc = fn(&m, arg);
	}
	store_ticket_list_free(v, n);
	return rc;
}

double sla_at_risk(const struct config *cfg)
{
	int64_t pct = cfg != NULL ? config_get_int(cfg, "sla", NULL, "at_risk") : -1;

	return pct > 0 && pct <= 100 ? (double)pct / 100.0 : SLA_AT_RISK_DEFAULT;
}
