/* store-remind.h: the reminder bookkeeping tables (db/migrations 0001
 * `reminders`, 0002 `meta`, `remind_watch`, reminders.claimed_by, 0005
 * `remind_alerts`).  The SQL side of `slatrack remind` (remind.c decides,
 * these functions record).
 *
 * One row per (ticket, threshold, channel):
 *   threshold  percent of the working-time target consumed (50, 75, 90,
 *              ...); STORE_REMIND_BREACH (100) is the breach notice;
 *              STORE_REMIND_RESPONDED (101) and STORE_REMIND_RESOLVED
 *              (102) are a webhook's follow-ups (Opsgenie: the close of
 *              the ticket's alert; generic: the responded/resolved events).
 *              The resolution clock's reminders (migration 0008) are
 *              STORE_REMIND_RESOLVE + percent (1050, 1075, ...) and
 *              STORE_REMIND_RESOLVE + STORE_REMIND_BREACH (1100) for its
 *              breach notice: the two clocks never supersede each other
 *   channel    "mail:ADDRESS" or "webhook:NAME"
 *   state      pending   due, waiting for a retry (next_attempt_at)
 *              claimed   a run is delivering it (claimed_by = its run id)
 *              sent      delivered (sent_at)
 *              failed    gave up after max attempts (last_error says why)
 *              skipped   superseded by a higher threshold, the ticket
 *                        got its response first, or it fell due before
 *                        the start (remind --since, remind.start)
 *   message_id fixed at the first claim; every attempt uses it
 *   attempts   deliveries started (a claim counts one)
 *
 * Every state change records an audit event in the same transaction
 * ("remind.claim", "remind.sent", "remind.retry", "remind.failed",
 * "remind.skip", "remind.recover"; field = "THRESHOLD% CHANNEL" or
 * "breach CHANNEL", "resolution THRESHOLD% CHANNEL" or "resolution
 * breach CHANNEL", old/new = the states, new carrying the error when
 * there is one).
 */
#ifndef SLATRACK_STORE_REMIND_H
#define SLATRACK_STORE_REMIND_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "store.h"

#define STORE_REMIND_BREACH 100
#define STORE_REMIND_RESPONDED 101
#define STORE_REMIND_RESOLVED 102
#define STORE_REMIND_RESOLVE 1000	/* + percent: the resolution clock */

/* "responded" / "resolved" for a follow-up threshold, else NULL. */
const char *store_remind_followup_name(int threshold);
/* 1 when threshold is a reminder of the resolution clock (1001..1100). */
int store_remind_is_resolve(int threshold);
/* What a row is, for people: "50% reminder", "breach notice",
 * "responded", "resolved", "resolution 50%", "resolution breach". */
void store_remind_label(int threshold, char *out, size_t size);

enum store_remind_state {
	STORE_REMIND_PENDING,
	STORE_REMIND_CLAIMED,
	STORE_REMIND_SENT,
	STORE_REMIND_FAILED,
	STORE_REMIND_SKIPPED
};
const char *store_remind_state_name(int state);		/* "pending" ... */

struct store_reminder {
	int64_t ticket_id;
	int threshold;			/* percent; 100 = breach notice */
	char *channel;			/* "mail:ADDR" / "webhook:NAME" */
	int state;			/* enum store_remind_state */
	char *message_id;		/* may be NULL (never claimed) */
	int attempts;
	int64_t claimed_at, next_attempt_at, sent_at;	/* STORE_NONE when unset */
	char *last_error;		/* may be NULL */
	char *claimed_by;		/* run id of the claim, may be NULL */
};

void store_reminder_release(struct store_reminder *r);
void store_reminder_list_free(struct store_reminder *v, size_t n);

/* Every reminder row of one ticket, by threshold then channel (for
 * `ticket show` and the TUI: show the failed ones, with last_error). */
int store_reminder_list(struct store *s, int64_t ticket_id, struct store_reminder **v,
			size_t *n, struct diag *d);
/* The number of rows in each state (counts[STORE_REMIND_...]) over all
 * tickets, for `doctor`-style summaries. */
int store_reminder_counts(struct store *s, int64_t counts[5], struct diag *d);

/* ---- installation ------------------------------------------------------ */

/* meta.install_id (32 hex digits), made by migration 0002. */
int store_install_id(struct store *s, char out[65], struct diag *d);

/* ---- the first run --------------------------------------------------------- */

/* 1 when remind ran on this database before (the meta row
 * remind_started_at, or any reminder or watch row), 0 when not, -1. */
int store_remind_ran(struct store *s, struct diag *d);
/* Records the first run (meta remind_started_at, ISO UTC; kept when set). */
int store_remind_mark_ran(struct store *s, int64_t now_at, struct diag *d);

/* ---- what remind looks at ----------------------------------------------- */

/* A ticket remind must look at: open, with a clock that needs a look.
 * The response clock (response_due): timed, no first response, not
 * frozen by a wait (waiting since at or before now with waiting_response
 * set, and the deadline not passed when the wait began: sla_compute's
 * SLA_WAITING), and either never looked at (no watch, level -1) and past
 * min_pct of its target in wall-clock time (working time never runs
 * faster), or its watch is stale (deadline, assignee or plan changed) or
 * due (next_at <= now).  The resolution clock (resolve_due): the same
 * with its own target, deadline and watch (the resolve_ columns), frozen
 * by any wait.  While a ticket waits its watch is left alone; resuming
 * moves its deadlines, which makes the watch stale.
 * Only tickets with an id above after_id, in id order: fn returning
 * non-zero stops the walk (the statement is reset, so the caller may
 * write before it asks for the tickets after the last one it saw) and
 * that value is returned.  Strings are borrowed for the duration of the
 * callback. */
struct store_remind_candidate {
	int64_t id;
	const char *key;		/* may be NULL */
	int64_t partner_id;
	int severity;
	const char *summary, *assignee;	/* assignee may be NULL */
	int64_t created_at, target_s, deadline_at;
	int watch_level;		/* -1 when no watch of the response clock */
	int64_t waiting_since;		/* STORE_NONE when not waiting */
	int waiting_response;		/* that wait stops the response clock */
	int64_t first_response_at;	/* STORE_NONE */
	int64_t resolve_target_s, resolve_deadline_at;	/* STORE_NONE: no such clock */
	int resolve_watch_level;	/* -1 when no watch of the resolution clock;
					   else its percent level (0..100) */
	int response_due, resolve_due;	/* which clock needs a look */
};
int store_remind_candidates(struct store *s, int64_t now_at, int min_pct, const char *plan,
			    int64_t after_id,
			    int (*fn)(const struct store_remind_candidate *c, void *arg),
			    void *arg, struct diag *d);

/* Notice rows (threshold <= 100) in state pending whose ticket no longer
 * needs them (responded, resolved, or no longer timed): fn sees each.
 * Follow-ups are never stale. */
int store_remind_stale(struct store *s,
		       int (*fn)(const struct store_reminder *r, void *arg), void *arg,
		       struct diag *d);

/* The distinct run ids holding claims. */
int store_remind_claimers(struct store *s, char ***ids, size_t *n, struct diag *d);
/* Rows claimed by run_id, by message_id then ticket and threshold. */
int store_remind_claimed_by(struct store *s, const char *run_id, struct store_reminder **v,
			    size_t *n, struct diag *d);

/* ---- changes (inside store_begin/store_commit) ------------------------------ */

/* Claims (ticket, threshold, channel) for run_id when the row is absent
 * (inserted with message_id, which may be NULL: see
 * store_remind_set_message_id), or pending with next_attempt_at <= now_at
 * (its stored message id is kept), and no row of the same ticket and
 * channel has a higher threshold.  attempts + 1, written to *attempts.
 * The row's message id after the claim goes to message_id_out ("" when
 * none).  Returns 1 claimed, 0 not (someone else has it, or it is done),
 * -1. */
int store_remind_claim(struct store *s, int64_t ticket_id, int threshold,
		       const char *channel, const char *message_id, const char *run_id,
		       int64_t now_at, const char *actor, char *message_id_out,
		       size_t out_size, int *attempts, struct diag *d);
/* Sets the message id of a row claimed by run_id that has none yet
 * (a digest's id is known once all its rows are claimed). */
int store_remind_set_message_id(struct store *s, int64_t ticket_id, int threshold,
				const char *channel, const char *run_id,
				const char *message_id, struct diag *d);
/* A row claimed by run_id that is no longer needed (the ticket was
 * answered while the claim waited): skipped, why in last_error. */
int store_remind_drop(struct store *s, int64_t ticket_id, int threshold,
		      const char *channel, const char *run_id, const char *why,
		      int64_t now_at, const char *actor, struct diag *d);
/* Marks a row skipped (from pending, or absent: a row is inserted) with
 * why in last_error.  Returns 1 changed, 0 not (not pending/absent). */
int store_remind_skip(struct store *s, int64_t ticket_id, int threshold,
		      const char *channel, const char *why, int64_t now_at,
		      const char *actor, struct diag *d);
/* A row claimed by run_id: delivered. 1 changed, 0 not claimed by run_id. */
int store_remind_sent(struct store *s, int64_t ticket_id, int threshold,
		      const char *channel, const char *run_id, int64_t now_at,
		      const char *actor, struct diag *d);
/* A row claimed by run_id: the attempt failed with error.  Pending again
 * with next_attempt_at, or failed when next_attempt_at is STORE_NONE.
 * 1 changed, 0 not claimed by run_id. */
int store_remind_attempt_failed(struct store *s, int64_t ticket_id, int threshold,
				const char *channel, const char *run_id, const char *error,
				int64_t next_attempt_at, int64_t now_at, const char *actor,
				struct diag *d);
/* Moves the claims of dead run `from` to run `to` (one "remind.recover"
 * event each).  Returns the number of rows moved, or -1. */
int store_remind_adopt(struct store *s, const char *from, const char *to, int64_t now_at,
		       const char *actor, struct diag *d);
/* Records what remind handled of a ticket: the highest threshold fully
 * handled, the plan and ticket fields it holds for, and when the next
 * threshold falls due (STORE_NONE: never). */
int store_remind_watch(struct store *s, int64_t ticket_id, int level, const char *plan,
		       int64_t deadline_at, const char *assignee, int64_t next_at,
		       struct diag *d);
/* The same for the resolution clock: level is its percent level (0..100),
 * deadline_at its deadline.  The response clock's watch is kept (level -1
 * when the row is new). */
int store_remind_watch_resolve(struct store *s, int64_t ticket_id, int level,
			       const char *plan, int64_t deadline_at, const char *assignee,
			       int64_t next_at, struct diag *d);

/* ---- alerts that follow their ticket (remind_alerts) ------------------------ */

struct store_remind_alert {
	int64_t ticket_id;
	char *channel;			/* "webhook:NAME" */
	int level;			/* the highest notice delivered */
	char priority[8];		/* "P1".."P5", "" when not known */
	int followed;			/* 0, or STORE_REMIND_RESPONDED done */
	int64_t first_response_at, resolved_at;	/* the ticket's; STORE_NONE */
};

/* The alert of (ticket, channel): 1 found (a filled, a->channel NULL),
 * 0 none, -1. */
int store_remind_alert_get(struct store *s, int64_t ticket_id, const char *channel,
			   struct store_remind_alert *a, struct diag *d);
/* Alerts whose ticket got a follow-up not yet done: its first response
 * (followed < 101) or its resolution (followed < 102), by ticket and
 * channel.  fn returning non-zero stops the walk; that value is
 * returned.  Strings are borrowed for the callback. */
int store_remind_alerts_due(struct store *s,
			    int (*fn)(const struct store_remind_alert *a, void *arg),
			    void *arg, struct diag *d);

/* Inside a transaction: a notice of `level` was delivered (or may have
 * been) to channel: the alert is open at level (the higher one is kept)
 * with priority (NULL: keep the one recorded). */
int store_remind_alert_opened(struct store *s, int64_t ticket_id, const char *channel,
			      int level, const char *priority, struct diag *d);
/* Inside a transaction: follow-up `followed` of the alert is done (sent,
 * or given up); done = 1 when nothing else follows: the row goes. */
int store_remind_alert_followed(struct store *s, int64_t ticket_id, const char *channel,
				int followed, int done, struct diag *d);

#endif
