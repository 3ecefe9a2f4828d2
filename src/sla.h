/* sla.h: where a ticket stands against its SLA (the working-time rules of slatrack(1)).
 *
 * sla_compute is pure: a ticket, its partner's compiled working-time
 * engine and an instant `now_at` in, a struct sla_status out.  It never
 * reads the clock; every caller passes the instant it was given (--now or
 * the clock read once in main.c).
 *
 * The SLA clock of a ticket runs from its creation until its first
 * response; a ticket resolved without a recorded response stops at its
 * resolution (closing a ticket answers it).  The stored deadline is the
 * truth for met/breached; elapsed and remaining working time are counted
 * with the partner's current schedule.
 *
 * States:
 *   not timed   the severity has no target for this partner, no response
 *   on track    timed, clock running, less than the at-risk fraction used
 *   at risk     timed, clock running, at least the at-risk fraction used
 *               (default 75 %), deadline not yet passed
 *   breached    no response and now is after the deadline, or the response
 *               came after the deadline
 *   met         responded at or before the deadline
 *   responded   not timed, and responded (or resolved)
 *
 * sla_cache compiles each partner's schedule once, however many of its
 * tickets are looked at (listing 100,000 tickets compiles each partner
 * once).
 */
#ifndef SLATRACK_SLA_H
#define SLATRACK_SLA_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "schedule.h"
#include "store.h"

struct cal;

#define SLA_AT_RISK_DEFAULT 0.75

enum sla_state {
	SLA_NOT_TIMED,
	SLA_ON_TRACK,
	SLA_AT_RISK,
	SLA_BREACHED,
	SLA_MET,
	SLA_RESPONDED
};

struct sla_status {
	enum sla_state state;
	int64_t deadline_at;	/* the stored deadline; STORE_NONE when not timed */
	int64_t stopped_at;	/* first response, else resolution, else STORE_NONE */
	int64_t elapsed_s;	/* working, creation .. min(now, stopped) */
	int64_t remaining_s;	/* working, min(now, stopped) .. deadline; < 0 past
				   it; 0 when not timed */
	double consumed;	/* elapsed_s / target_s; 0 when not timed */
	int64_t overrun_s;	/* breached: working time past the deadline, else 0 */
	int64_t overrun_wall_s;	/* breached: wall-clock time past the deadline, else 0 */
};

/* at_risk is the fraction (0 < at_risk <= 1) from which a running ticket
 * is at risk.  c is the ticket's partner's engine. */
void sla_compute(const struct store_ticket *t, const struct cal *c, int64_t now_at,
		 double at_risk, struct sla_status *st);

/* The at-risk fraction the configuration sets (sla.at_risk, a
 * percentage), else SLA_AT_RISK_DEFAULT.  cfg may be NULL. */
struct config;
double sla_at_risk(const struct config *cfg);

/* "not timed", "on track", "at risk", "BREACHED", "met", "responded". */
const char *sla_state_name(enum sla_state s);
/* "not-timed", "on-track", "at-risk", "breached", "met", "responded":
 * for CSV and JSON. */
const char *sla_state_id(enum sla_state s);

/* The queue order: breached first (most overdue in wall-clock time
 * first), then running tickets by remaining working time (least first),
 * then met, then not timed, then responded (not timed); ties by deadline.
 * A qsort-style comparison; callers break remaining ties by id. */
int sla_compare(const struct sla_status *a, const struct sla_status *b);
/* The same order as a key compared field by field (rank, primary,
 * deadline_at), for sorting many rows without touching their statuses. */
struct sla_order {
	int rank;
	int64_t primary, deadline_at;
};
void sla_order_key(const struct sla_status *st, struct sla_order *o);

/* ---- partners, compiled once -------------------------------------------- */

struct sla_partner {
	struct store_partner partner;
	struct schedule sched;		/* sched.tz, sched.cal */
};

struct sla_cache;

struct sla_cache *sla_cache_new(struct store *s);
void sla_cache_free(struct sla_cache *c);		/* NULL-safe */
/* The partner with id and its compiled schedule, loaded on first use and
 * borrowed until sla_cache_free.  A partner that fails to load or compile
 * (say a broken stored calendar) fails every time with the same message. */
const struct sla_partner *sla_cache_get(struct sla_cache *c, int64_t partner_id,
					struct diag *d);
/* Same, by key or "#ID" (the store's lookup rules). */
const struct sla_partner *sla_cache_get_key(struct sla_cache *c, const char *key,
					    struct diag *d);

/* The target and deadline the partner's current settings give a ticket of
 * `severity` created at created_at: both STORE_NONE when the severity is
 * not timed. */
int sla_plan(const struct sla_partner *p, int severity, int64_t created_at,
	     int64_t *target_s, int64_t *deadline_at, struct diag *d);

/* ---- deadlines that stay true -------------------------------------------- */

/* A ticket whose stored target or deadline differs from what its
 * partner's current settings give (calendar, zone, hours or target
 * changed since it was computed). */
struct sla_move {
	const struct store_ticket *t;		/* as stored */
	const struct sla_partner *p;
	int64_t target_s, deadline_at;		/* live; STORE_NONE when not timed */
};

/* Calls fn for every moved ticket matching f, in id order.  Tickets whose
 * SLA clock has stopped (a first response, or resolved) are skipped unless
 * include_stopped.  fn returns non-zero to stop (that value is returned);
 * -1 with d filled on failure. */
int sla_moves(struct store *s, struct sla_cache *c, const struct store_ticket_filter *f,
	      int include_stopped, int (*fn)(const struct sla_move *m, void *arg),
	      void *arg, struct diag *d);

#endif
