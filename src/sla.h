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
 * A ticket waiting on the customer (store_ticket.waiting_since) stops its
 * resolution clock, and its response clock when the partner says so
 * (waiting_response): a stopped clock is "waiting" and its remaining
 * working time stands still; each pause moves the clock's deadline by
 * the working time it lasted (sla_clock_deadline), so the stored
 * deadlines are always true once the ticket resumes.
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
 *   waiting     timed, the clock stopped while waiting on the customer,
 *               deadline not passed before the wait began
 *
 * An excused breach (store_ticket.excused_at) keeps its state; `excused`
 * says so, and the report leaves it out of attainment.
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
	SLA_RESPONDED,
	SLA_WAITING
};

/* The two clocks of a ticket: created .. first response (or resolution),
 * and created .. resolution. */
enum sla_clock { SLA_CLOCK_RESPONSE, SLA_CLOCK_RESOLVE };

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
	int excused;		/* the ticket's breach is excused (any state) */
};

/* at_risk is the fraction (0 < at_risk <= 1) from which a running ticket
 * is at risk.  c is the ticket's partner's engine. */
void sla_compute(const struct store_ticket *t, const struct cal *c, int64_t now_at,
		 double at_risk, struct sla_status *st);
/* The same for the resolution clock (resolve_target_s/resolve_deadline_at,
 * stopped by the resolution, always stopped while waiting): never
 * SLA_RESPONDED; not timed when the ticket has no resolution target. */
void sla_compute_resolve(const struct store_ticket *t, const struct cal *c, int64_t now_at,
			 double at_risk, struct sla_status *st);
/* One clock's stored target and deadline (STORE_NONE when not timed). */
int64_t sla_clock_target(const struct store_ticket *t, enum sla_clock clock);
int64_t sla_clock_deadline_at(const struct store_ticket *t, enum sla_clock clock);
/* Either clock. */
void sla_compute_clock(const struct store_ticket *t, enum sla_clock clock,
		       const struct cal *c, int64_t now_at, double at_risk,
		       struct sla_status *st);

/* ---- pauses --------------------------------------------------------------- */

/* 1 when pause p stops `clock`: every pause stops the resolution clock,
 * only those marked response the response clock. */
int sla_pause_applies(const struct store_pause *p, enum sla_clock clock);
/* The deadline of a clock of target_s working seconds from start_at that
 * stands still in the pauses of v[0..n) that apply to it (sorted by
 * start, not overlapping).  The working time inside a pause is added
 * after it: a pause over a weekend or a holiday moves the deadline by
 * the working time it covered, nothing more; a pause that begins after
 * the deadline moves nothing.  An open pause (end_at STORE_NONE) is
 * left out: the deadline is the one the clock has if it resumes at
 * once, which is what is stored while a ticket waits. */
int sla_clock_deadline(const struct cal *c, int64_t start_at, int64_t target_s,
		       const struct store_pause *v, size_t n, enum sla_clock clock,
		       int64_t *deadline_at, struct diag *d);
/* The working time of [from_at, to_at) inside the pauses of v[0..n) that
 * apply to clock (an open pause counted up to to_at). */
int64_t sla_paused_working(const struct cal *c, const struct store_pause *v, size_t n,
			   enum sla_clock clock, int64_t from_at, int64_t to_at);

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
	/* sla.c's own: compiled yet (1), failed to (-1, err says why) */
	int compiled;
	struct diag err;
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
/* For a scan on another thread (scanpipe.h): the partner read from the
 * store but maybe not compiled yet, so the scan does not wait for the
 * compile.  sla_partner_ready compiles it, on the thread that uses its
 * schedule; the scan's thread only ever loads. */
struct sla_partner *sla_cache_load(struct sla_cache *c, int64_t partner_id, struct diag *d);
/* For scans on two threads at once: every partner loaded first (none
 * compiled), then found without the store, by any number of threads
 * (hint: the thread's own, 0 at first). */
int sla_cache_load_all(struct sla_cache *c, struct diag *d);
struct sla_partner *sla_cache_find(const struct sla_cache *c, int64_t partner_id,
				   size_t *hint);
int sla_partner_ready(struct sla_partner *p, struct diag *d);

/* The target and deadline the partner's current settings give a ticket of
 * `severity` created at created_at: both STORE_NONE when the severity is
 * not timed. */
int sla_plan(const struct sla_partner *p, int severity, int64_t created_at,
	     int64_t *target_s, int64_t *deadline_at, struct diag *d);

/* Both clocks of t from p's current settings, replaying the ticket's
 * pauses v[0..n): t's target_s, deadline_at, resolve_target_s and
 * resolve_deadline_at are set (STORE_NONE when the severity has no such
 * target).  A new ticket has no pauses (v NULL, n 0). */
int sla_plan_ticket(const struct sla_partner *p, struct store_ticket *t,
		    const struct store_pause *v, size_t n, struct diag *d);
/* The same, reading t's pauses from the store (t->id 0: none). */
int sla_replan(struct store *s, const struct sla_partner *p, struct store_ticket *t,
	       struct diag *d);

/* ---- deadlines that stay true -------------------------------------------- */

/* A ticket whose stored target or deadline differs from what its
 * partner's current settings give (calendar, zone, hours or target
 * changed since it was computed), replaying its pauses.  A stopped
 * clock keeps its stored values unless include_stopped. */
struct sla_move {
	const struct store_ticket *t;		/* as stored; strings valid during fn only */
	const struct sla_partner *p;
	int64_t target_s, deadline_at;		/* live; STORE_NONE when not timed */
	int64_t resolve_target_s, resolve_deadline_at;	/* live, the resolution clock */
};

/* Calls fn for every moved ticket matching f, in id order.  Tickets whose
 * clocks have both stopped (resolved, or responded without a resolution
 * target) are skipped unless include_stopped.  fn returns non-zero to stop (that value is returned);
 * -1 with d filled on failure.  The tickets are scanned, not copied
 * (store_ticket_scan): fn must not write to the tickets table; it
 * collects what it needs and writes after the scan. */
int sla_moves(struct store *s, struct sla_cache *c, const struct store_ticket_filter *f,
	      int include_stopped, int (*fn)(const struct sla_move *m, void *arg),
	      void *arg, struct diag *d);

#endif
