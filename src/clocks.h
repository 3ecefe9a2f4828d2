/* clocks.h: the changes to a ticket's clocks that every front end makes:
 * waiting on the customer and resuming, reopening, excusing a breach.
 *
 * Each takes the ticket as stored (old) and the caller's copy t, checks
 * that the change makes sense (DIAG_INPUT naming the ticket otherwise),
 * sets t's fields and writes the pause rows inside the caller's open
 * transaction.  The caller then writes t with store_ticket_update, whose
 * events (kind "ticket.wait", "ticket.resume", "ticket.reopen",
 * "ticket.excuse", "ticket.unexcuse") tell the story field by field.
 *
 * Waiting stops the resolution clock, and the response clock when the
 * partner's pause_response is set and the ticket has no response yet.
 * Resuming moves each stopped clock's deadline by the working time the
 * wait lasted (a wait over a weekend or holiday moves it by the working
 * time in it only; a wait that began after a deadline moves nothing).
 *
 * A reopened ticket keeps its response outcome: when it was resolved
 * without a recorded response, the resolution counted as the response
 * (it stopped the response clock) and becomes its first response.  The
 * resolution clock continues from where it stopped: the time spent
 * resolved is a pause of the resolution clock (kind "closed").
 *
 * A first response ends a wait that stops the response clock, and a
 * resolution ends any wait: the wait up to then moves the deadlines.
 */
#ifndef SLATRACK_CLOCKS_H
#define SLATRACK_CLOCKS_H

#include <stdint.h>

#include "diag.h"
#include "sla.h"
#include "store.h"

int clocks_wait(struct store *s, const struct sla_partner *p, const struct store_ticket *old,
		struct store_ticket *t, int64_t at, struct diag *d);
int clocks_resume(struct store *s, const struct sla_partner *p,
		  const struct store_ticket *old, struct store_ticket *t, int64_t at,
		  struct diag *d);
int clocks_reopen(struct store *s, const struct sla_partner *p,
		  const struct store_ticket *old, struct store_ticket *t, int64_t at,
		  struct diag *d);
/* Before a first response at `at`: a wait that stops the response clock
 * ends (as clocks_resume), so the response is judged against the moved
 * deadline.  Before a resolution at `at`: any wait ends.  Nothing to do
 * when the ticket is not waiting. */
int clocks_respond(struct store *s, const struct sla_partner *p,
		   const struct store_ticket *old, struct store_ticket *t, int64_t at,
		   struct diag *d);
int clocks_resolve(struct store *s, const struct sla_partner *p,
		   const struct store_ticket *old, struct store_ticket *t, int64_t at,
		   struct diag *d);
/* Only a ticket with a clock breached or at risk at `at` (a response or
 * resolution that came late counts) can be excused; excusing an excused
 * ticket again replaces its reason and reference.  reason must not be
 * empty; ref (the incident ticket) may be NULL. */
int clocks_excuse(const struct sla_partner *p, const struct store_ticket *old,
		  struct store_ticket *t, const char *reason, const char *ref, int64_t at,
		  double at_risk, struct diag *d);
int clocks_unexcuse(const struct store_ticket *old, struct store_ticket *t,
		    struct diag *d);

#endif
