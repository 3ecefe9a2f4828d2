/* clocks.c: wait, resume, reopen, excuse; see clocks.h. */
#include "clocks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "ticketfmt.h"

/* DIAG_INPUT "ticket LABEL <what>". */
static int refuse(const struct store_ticket *t, const char *what, struct diag *d)
{
	struct buf b = BUF_INIT;

	ticketfmt_label(&b, t);
	diag_set(d, DIAG_INPUT, "ticket %s %s", buf_failed(&b) ? "?" : buf_str(&b), what);
	buf_release(&b);
	return -1;
}

static int refuse_at(const struct store_ticket *t, const char *what, int64_t at,
		     struct diag *d)
{
	char iso[CIVIL_ISO_LEN], msg[160];

	civil_format_utc(at, iso);
	snprintf(msg, sizeof msg, "%s %s", what, iso);
	return refuse(t, msg, d);
}

/* Moves *deadline_at by the working time of [from_at, to_at) when the
 * clock was still short of it at from_at. */
static int shift(const struct cal *c, int64_t *deadline_at, int64_t from_at, int64_t to_at,
		 struct diag *d)
{
	int64_t left;

	if (*deadline_at == STORE_NONE || from_at >= *deadline_at)
		return 0;
	if ((left = cal_elapsed(c, from_at, *deadline_at)) <= 0)
		return 0;
	return cal_deadline(c, to_at, left, deadline_at, d);
}

/* The end of the ticket's last pause (STORE_NONE when it has none). */
static int last_pause_end(struct store *s, int64_t ticket_id, int64_t *end_at,
			  struct diag *d)
{
	struct store_pause *v;
	size_t n;

	*end_at = STORE_NONE;
	if (store_pause_list(s, ticket_id, &v, &n, d) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].end_at != STORE_NONE && (*end_at == STORE_NONE || v[i].end_at > *end_at))
			*end_at = v[i].end_at;
	free(v);
	return 0;
}

int clocks_wait(struct store *s, const struct sla_partner *p, const struct store_ticket *old,
		struct store_ticket *t, int64_t at, struct diag *d)
{
	struct store_pause pause;
	int64_t last;

	if (old->resolved_at != STORE_NONE)
		return refuse(old, "is resolved: there is nothing to wait for", d);
	if (old->waiting_since != STORE_NONE)
		return refuse_at(old, "is already waiting on the customer, since",
		    old->waiting_since, d);
	if (at < old->created_at)
		return refuse_at(old, "was created after", at, d);
	if (last_pause_end(s, old->id, &last, d) < 0)
		return -1;
	if (last != STORE_NONE && at < last)
		return refuse_at(old, "resumed after that instant, at", last, d);
	t->waiting_since = at;
	t->waiting_response = p->partner.pause_response &&
	    old->first_response_at == STORE_NONE;
	memset(&pause, 0, sizeof pause);
	pause.ticket_id = old->id;
	snprintf(pause.kind, sizeof pause.kind, "wait");
	pause.response = t->waiting_response;
	pause.start_at = at;
	pause.end_at = STORE_NONE;
	return store_pause_add(s, &pause, d);
}

int clocks_resume(struct store *s, const struct sla_partner *p,
		  const struct store_ticket *old, struct store_ticket *t, int64_t at,
		  struct diag *d)
{
	const struct cal *c = p->sched.cal;

	if (old->waiting_since == STORE_NONE)
		return refuse(old, "is not waiting on the customer", d);
	if (at < old->waiting_since)
		return refuse_at(old, "has waited only since", old->waiting_since, d);
	if (store_pause_close(s, old->id, at, d) < 0)
		return -1;
	if (old->waiting_response && shift(c, &t->deadline_at, old->waiting_since, at, d) < 0)
		return -1;
	if (shift(c, &t->resolve_deadline_at, old->waiting_since, at, d) < 0)
		return -1;
	t->waiting_since = STORE_NONE;
	t->waiting_response = 0;
	return 0;
}

int clocks_respond(struct store *s, const struct sla_partner *p,
		   const struct store_ticket *old, struct store_ticket *t, int64_t at,
		   struct diag *d)
{
	if (old->waiting_since == STORE_NONE || !old->waiting_response)
		return 0;
	return clocks_resume(s, p, old, t, at, d);
}

int clocks_resolve(struct store *s, const struct sla_partner *p,
		   const struct store_ticket *old, struct store_ticket *t, int64_t at,
		   struct diag *d)
{
	if (old->waiting_since == STORE_NONE)
		return 0;
	return clocks_resume(s, p, old, t, at, d);
}

int clocks_reopen(struct store *s, const struct sla_partner *p,
		  const struct store_ticket *old, struct store_ticket *t, int64_t at,
		  struct diag *d)
{
	struct store_pause pause;

	if (old->resolved_at == STORE_NONE)
		return refuse(old, "is not resolved", d);
	if (at < old->resolved_at)
		return refuse_at(old, "was resolved after that instant, at", old->resolved_at, d);
	/* the resolution answered the ticket: the response outcome stays */
	if (old->first_response_at == STORE_NONE && old->deadline_at != STORE_NONE)
		t->first_response_at = old->resolved_at;
	if (shift(p->sched.cal, &t->resolve_deadline_at, old->resolved_at, at, d) < 0)
		return -1;
	memset(&pause, 0, sizeof pause);
	pause.ticket_id = old->id;
	snprintf(pause.kind, sizeof pause.kind, "closed");
	pause.response = 0;
	pause.start_at = old->resolved_at;
	pause.end_at = at;
	if (store_pause_add(s, &pause, d) < 0)
		return -1;
	t->resolved_at = STORE_NONE;
	return 0;
}

static int set_text(char **field, const char *v, struct diag *d)
{
	char *c = NULL;

	if (v != NULL && (c = strdup(v)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	free(*field);
	*field = c;
	return 0;
}

static int may_excuse(enum sla_state s)
{
	return s == SLA_BREACHED || s == SLA_AT_RISK;
}

int clocks_excuse(const struct sla_partner *p, const struct store_ticket *old,
		  struct store_ticket *t, const char *reason, const char *ref, int64_t at,
		  double at_risk, struct diag *d)
{
	struct sla_status r, q;

	if (reason == NULL || *reason == '\0')
		return diag_set(d, DIAG_USAGE, "--reason: say why the breach is excused");
	if (ref != NULL && *ref == '\0')
		ref = NULL;
	sla_compute(old, p->sched.cal, at, at_risk, &r);
	sla_compute_resolve(old, p->sched.cal, at, at_risk, &q);
	if (!may_excuse(r.state) && !may_excuse(q.state)) {
		char what[160];

		if (q.state == SLA_NOT_TIMED)
			snprintf(what, sizeof what, "is %s: only a breached or at-risk ticket "
			    "can be excused", sla_state_name(r.state));
		else
			snprintf(what, sizeof what, "is %s (resolution %s): only a breached or "
			    "at-risk ticket can be excused", sla_state_name(r.state),
			    sla_state_name(q.state));
		return refuse(old, what, d);
	}
	if (old->excused_at == STORE_NONE)
		t->excused_at = at;
	if (set_text(&t->excuse_reason, reason, d) < 0 || set_text(&t->excuse_ref, ref, d) < 0)
		return -1;
	return 0;
}

int clocks_unexcuse(const struct store_ticket *old, struct store_ticket *t, struct diag *d)
{
	if (old->excused_at == STORE_NONE)
		return refuse(old, "is not excused", d);
	t->excused_at = STORE_NONE;
	if (set_text(&t->excuse_reason, NULL, d) < 0 || set_text(&t->excuse_ref, NULL, d) < 0)
		return -1;
	return 0;
}
