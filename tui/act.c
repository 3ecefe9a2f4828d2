/* act.c: the TUI's changes to tickets, each written through the core in
 * one transaction with its audit events (store_ticket_update records one
 * event per changed field, store_ticket_note and store_ticket_add their
 * own), and the flows around them: confirmations, pickers, messages.
 *
 * A write that meets a busy database is retried by store_begin (busy
 * timeout, then quiet retries); when it still fails, the prompt that
 * carried the user's input stays open with the input in it.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "clocks.h"
#include "config.h"
#include "ticketfmt.h"
#include "timefmt.h"
#include "tz.h"

static const char *const kind_names[] = {
	[ACT_K_RESPOND] = "ticket.respond",
	[ACT_K_ASSIGN] = "ticket.assign",
	[ACT_K_RESOLVE] = "ticket.resolve",
	[ACT_K_REOPEN] = "ticket.reopen",
	[ACT_K_EDIT] = "ticket.edit",
	[ACT_K_WAIT] = "ticket.wait",
	[ACT_K_RESUME] = "ticket.resume",
	[ACT_K_EXCUSE] = "ticket.excuse",
	[ACT_K_UNEXCUSE] = "ticket.unexcuse",
};

static int dup_text(char **dst, const char *src, struct diag *d)
{
	*dst = NULL;
	if (src != NULL && (*dst = strdup(src)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

static void label(const struct store_ticket *t, char *out, size_t size)
{
	struct buf b = BUF_INIT;

	ticketfmt_label(&b, t);
	snprintf(out, size, "%s", buf_str(&b));
	buf_release(&b);
}

int act_get(struct tui_app *a, int64_t id, struct store_ticket *t,
	    const struct sla_partner **p, struct diag *d)
{
	char ref[32];

	snprintf(ref, sizeof ref, "#%lld", (long long)id);
	if (store_ticket_get(a->store, ref, t, d) < 0)
		return -1;
	if (p != NULL && (*p = sla_cache_get(a->model.cache, t->partner_id, d)) == NULL) {
		store_ticket_release(t);
		store_ticket_init(t);
		return -1;
	}
	return 0;
}

int act_plan(struct tui_app *a, int64_t partner_id, int severity, int64_t created_at,
	     int64_t *target_s, int64_t *deadline_at, struct diag *d)
{
	const struct sla_partner *p = sla_cache_get(a->model.cache, partner_id, d);

	if (p == NULL)
		return -1;
	return sla_plan(p, severity, created_at, target_s, deadline_at, d);
}

int act_plan_ticket(struct tui_app *a, struct store_ticket *t, struct diag *d)
{
	const struct sla_partner *p = sla_cache_get(a->model.cache, t->partner_id, d);

	if (p == NULL)
		return -1;
	return sla_replan(a->store, p, t, d);
}

/* The clocks' changes (clocks.h) at the TUI's now, never before the
 * ticket was created. */
static int apply_clocks(struct tui_app *a, const struct sla_partner *p,
			const struct store_ticket *old, struct store_ticket *t,
			const struct act_change *c, struct diag *d)
{
	int64_t at = a->now_at < old->created_at ? old->created_at : a->now_at;

	switch (c->kind) {
	case ACT_K_WAIT:
		return clocks_wait(a->store, p, old, t, at, d);
	case ACT_K_RESUME:
		return clocks_resume(a->store, p, old, t, at, d);
	case ACT_K_EXCUSE:
		return clocks_excuse(p, old, t, c->reason, c->ref, a->now_at, a->at_risk, d);
	case ACT_K_UNEXCUSE:
		return clocks_unexcuse(old, t, d);
	default:
		return diag_set(d, DIAG_USAGE, "unknown change");
	}
}

static int apply(struct tui_app *a, const struct sla_partner *p,
		 const struct store_ticket *old, struct store_ticket *t,
		 const struct act_change *c, struct diag *d)
{
	char iso[CIVIL_ISO_LEN], lab[128];
	const struct sla_partner *np;
	int64_t at;

	label(old, lab, sizeof lab);
	switch (c->kind) {
	case ACT_K_RESPOND:
		if (old->first_response_at != STORE_NONE) {
			civil_format_utc(old->first_response_at, iso);
			return diag_set(d, DIAG_INPUT, "ticket %s already had its first "
			    "response at %s", lab, iso);
		}
		at = c->at != 0 ? c->at : a->now_at;
		if (at > a->now_at)
			return diag_set(d, DIAG_INPUT, "a response cannot lie in the future");
		if (at < old->created_at) {
			civil_format_utc(old->created_at, iso);
			return diag_set(d, DIAG_INPUT, "ticket %s was created at %s, after "
			    "that response", lab, iso);
		}
		/* a wait that stops the response clock ends first, as in the CLI */
		if (clocks_respond(a->store, p, old, t, at, d) < 0)
			return -1;
		t->first_response_at = at;
		free(t->responded_by);
		return dup_text(&t->responded_by, a->me, d);
	case ACT_K_ASSIGN:
		if ((c->assignee == NULL && old->assignee == NULL) ||
		    (c->assignee != NULL && old->assignee != NULL &&
		    strcmp(c->assignee, old->assignee) == 0))
			return diag_set(d, DIAG_INPUT, "ticket %s is already %s", lab,
			    c->assignee ? "assigned so" : "unassigned");
		free(t->assignee);
		return dup_text(&t->assignee, c->assignee, d);
	case ACT_K_RESOLVE:
		if (old->resolved_at != STORE_NONE)
			return diag_set(d, DIAG_INPUT, "ticket %s is already resolved", lab);
		at = a->now_at < old->created_at ? old->created_at : a->now_at;
		/* any wait ends: its time moves the deadlines first */
		if (clocks_resolve(a->store, p, old, t, at, d) < 0)
			return -1;
		t->resolved_at = at;
		return 0;
	case ACT_K_REOPEN:
		/* the response outcome stays; the time resolved is a pause */
		return clocks_reopen(a->store, p, old, t, a->now_at, d);
	case ACT_K_EDIT:
		if ((np = sla_cache_get(a->model.cache, c->partner_id, d)) == NULL)
			return -1;
		if (np->partner.id != old->partner_id && np->partner.archived_at != STORE_NONE)
			return diag_set(d, DIAG_INPUT, "partner '%s' is archived and takes no "
			    "tickets", np->partner.key);
		t->severity = c->severity;
		t->partner_id = np->partner.id;
		free(t->partner_key);
		if (dup_text(&t->partner_key, np->partner.key, d) < 0)
			return -1;
		if (t->severity != old->severity || t->partner_id != old->partner_id)
			return sla_replan(a->store, np, t, d);
		return diag_set(d, DIAG_INPUT, "nothing to change");
	default:
		return apply_clocks(a, p, old, t, c, d);
	}
}

int act_change(struct tui_app *a, int64_t ticket_id, const struct act_change *c,
	       struct store_ticket *result, struct diag *d)
{
	struct store_ticket old, t;
	const struct sla_partner *p;
	int rc = -1;

	store_ticket_init(&old);
	store_ticket_init(&t);
	if (store_begin(a->store, d) < 0)
		return -1;
	if (act_get(a, ticket_id, &old, &p, d) < 0 || store_ticket_copy(&t, &old, d) < 0 ||
	    apply(a, p, &old, &t, c, d) < 0 ||
	    store_ticket_update(a->store, &old, &t, kind_names[c->kind], a->me, a->now_at,
	    d) < 0 || store_commit(a->store, d) < 0)
		goto out;
	rc = 0;
	a->reload_pending = 1;
	if (result != NULL) {
		*result = t;
		store_ticket_init(&t);
	}
out:
	store_rollback(a->store);
	store_ticket_release(&old);
	store_ticket_release(&t);
	return rc;
}

int act_note(struct tui_app *a, int64_t ticket_id, const char *text, struct diag *d)
{
	struct store_ticket t;
	int rc = -1;

	if (text == NULL || *text == '\0')
		return diag_set(d, DIAG_INPUT, "an empty note is not saved");
	store_ticket_init(&t);
	if (store_begin(a->store, d) < 0)
		return -1;
	if (act_get(a, ticket_id, &t, NULL, d) == 0 &&
	    store_ticket_note(a->store, t.id, text, a->me, a->now_at, d) == 0 &&
	    store_commit(a->store, d) == 0) {
		rc = 0;
		a->reload_pending = 1;
	}
	store_rollback(a->store);
	store_ticket_release(&t);
	return rc;
}

int act_add(struct tui_app *a, struct store_ticket *t, struct diag *d)
{
	if (store_ticket_add(a->store, t, a->me, a->now_at, d) < 0)
		return -1;
	a->reload_pending = 1;
	return 0;
}

/* ---- flows ------------------------------------------------------------------ */

static void fail(struct tui_app *a, const struct diag *d)
{
	tui_message(a, ROLE_ERROR, "%s", d->msg);
}

/* "#12 ACME-1" of ticket id, or 0 with a message. */
static int ticket_label(struct tui_app *a, int64_t id, char *out, size_t size,
			struct store_ticket *keep)
{
	struct store_ticket t;
	struct diag d;

	diag_clear(&d);
	store_ticket_init(&t);
	if (id == 0) {
		tui_message(a, ROLE_ERROR, "no ticket selected");
		return 0;
	}
	if (act_get(a, id, &t, NULL, &d) < 0) {
		fail(a, &d);
		return 0;
	}
	label(&t, out, size);
	if (keep != NULL)
		*keep = t;
	else
		store_ticket_release(&t);
	return 1;
}

static int respond_done(struct tui_app *a, int64_t id, int ok, const char *text,
			const struct pick_item *it)
{
	struct act_change c = { .kind = ACT_K_RESPOND, .at = a->respond_at };
	struct store_ticket t;
	const struct sla_partner *p;
	struct sla_status st;
	struct diag d;
	char lab[128], w[TIMEFMT_LEN], wall[CIVIL_ISO_LEN];

	(void)text;
	(void)it;
	if (!ok) {
		tui_message(a, ROLE_DIM, "no response recorded");
		return 0;
	}
	diag_clear(&d);
	store_ticket_init(&t);
	if (act_change(a, id, &c, &t, &d) < 0) {
		fail(a, &d);
		return 0;
	}
	label(&t, lab, sizeof lab);
	if ((p = sla_cache_get(a->model.cache, t.partner_id, &d)) == NULL)
		tui_message(a, ROLE_OK, "%s: first response recorded", lab);
	else {
		sla_compute(&t, p->sched.cal, a->now_at, a->at_risk, &st);
		if (st.state == SLA_MET) {
			ticketfmt_work(st.remaining_s, w);
			tui_message(a, ROLE_OK, "%s: first response recorded, SLA met with %s "
			    "of working time to spare", lab, w);
		} else if (st.state == SLA_BREACHED) {
			ticketfmt_overrun(st.overrun_s, w);
			civil_format_duration(st.overrun_wall_s, wall);
			tui_message(a, ROLE_BREACHED, "%s: first response recorded, SLA "
			    "BREACHED by %s of working time (%s wall-clock)", lab, w, wall);
		} else
			tui_message(a, ROLE_OK, "%s: first response recorded (not timed)", lab);
	}
	store_ticket_release(&t);
	return 0;
}

/* The instant typed after r: empty or "now" is now; an instant without
 * an offset is read in the viewer's zone.  0, or -1 with d filled. */
static int respond_instant(struct tui_app *a, const char *text, int64_t *at,
			   struct diag *d)
{
	enum civil_instant_kind kind;
	int64_t v;

	while (*text == ' ')
		text++;
	if (*text == '\0' || strcmp(text, "now") == 0) {
		*at = 0;
		return 0;
	}
	if (civil_parse_instant(text, &v, &kind) < 0)
		return diag_set(d, DIAG_INPUT, "'%.60s' is not an instant: type e.g. "
		    "2026-12-01 09:30 (your zone) or 2026-12-01T08:30Z, or Enter for now",
		    text);
	if (kind == CIVIL_INSTANT_LOCAL)
		v = tz_local_to_utc(a->viewer_tz, v);
	if (v > a->now_at)
		return diag_set(d, DIAG_INPUT, "a response cannot lie in the future");
	*at = v;
	return 0;
}

static int respond_when_done(struct tui_app *a, int64_t id, int ok, const char *text,
			     const struct pick_item *it)
{
	char lab[128], q[320], when[TIMEFMT_LEN], iso[CIVIL_ISO_LEN];
	struct diag d;

	(void)it;
	if (!ok) {
		tui_message(a, ROLE_DIM, "no response recorded");
		return 0;
	}
	diag_clear(&d);
	if (respond_instant(a, text, &a->respond_at, &d) < 0) {
		fail(a, &d);	/* the prompt closes so the message shows: r again */
		return 0;
	}
	if (!ticket_label(a, id, lab, sizeof lab, NULL))
		return 0;
	if (a->respond_at == 0) {
		ticketfmt_short(a->viewer_tz, a->now_at, when);
		snprintf(q, sizeof q, "Record the first response to %s now (%s)?", lab, when);
	} else {
		timefmt_local(a->viewer_tz, a->respond_at, when);
		civil_format_utc(a->respond_at, iso);
		snprintf(q, sizeof q, "Record the first response to %s at %s (%s)?", lab,
		    when, iso);
	}
	modal_confirm(a, q, respond_done, id);
	return 0;
}

void act_respond_flow(struct tui_app *a, int64_t id)
{
	struct store_ticket t;
	char lab[128], q[320], iso[CIVIL_ISO_LEN];

	store_ticket_init(&t);
	if (!ticket_label(a, id, lab, sizeof lab, &t))
		return;
	if (t.first_response_at != STORE_NONE) {
		civil_format_utc(t.first_response_at, iso);
		tui_message(a, ROLE_ERROR, "%s already had its first response at %s", lab, iso);
	} else {
		/* the line shows at most half the width: the formats are in the
		 * help (?) and in the message when what is typed is not one */
		snprintf(q, sizeof q, "First response to %s at (Enter: now):", lab);
		a->respond_at = 0;
		modal_line(a, q, "", respond_when_done, NULL, id);
	}
	store_ticket_release(&t);
}

static void assign_to(struct tui_app *a, int64_t id, const char *who)
{
	struct act_change c = { .kind = ACT_K_ASSIGN, .assignee = who };
	struct store_ticket t;
	struct diag d;
	char lab[128];

	diag_clear(&d);
	store_ticket_init(&t);
	if (act_change(a, id, &c, &t, &d) < 0) {
		fail(a, &d);
		return;
	}
	label(&t, lab, sizeof lab);
	if (who == NULL)
		tui_message(a, ROLE_OK, "%s unassigned", lab);
	else
		tui_message(a, ROLE_OK, "%s assigned to %s", lab, who);
	store_ticket_release(&t);
}

static int assign_done(struct tui_app *a, int64_t id, int ok, const char *text,
		       const struct pick_item *it)
{
	if (!ok)
		return 0;
	if (it != NULL)
		assign_to(a, id, it->id == 1 ? NULL : it->value);
	else
		assign_to(a, id, text);
	return 0;
}

static int add_pick(struct pick_item **v, size_t *n, size_t *cap, const char *value,
		    const char *note, int64_t id)
{
	char lab[256];

	for (size_t i = 0; i < *n; i++)
		if (value != NULL && (*v)[i].value != NULL && strcmp((*v)[i].value, value) == 0)
			return 0;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct pick_item *q = realloc(*v, ncap * sizeof *q);

		if (q == NULL)
			return -1;
		*v = q;
		*cap = ncap;
	}
	snprintf(lab, sizeof lab, "%s%s%s", value ? value : "", note ? "  " : "",
	    note ? note : "");
	(*v)[*n].label = strdup(lab);
	(*v)[*n].value = value ? strdup(value) : NULL;
	(*v)[*n].id = id;
	(*n)++;
	return 0;
}

static int take_done(struct tui_app *a, int64_t id, int ok, const char *text,
		     const struct pick_item *it)
{
	(void)text;
	(void)it;
	if (!ok) {
		tui_message(a, ROLE_DIM, "not taken");
		return 0;
	}
	assign_to(a, id, a->me);
	return 0;
}

void act_assign_flow(struct tui_app *a, int64_t id, const char *who, int pick)
{
	struct pick_item *v = NULL;
	size_t n = 0, cap = 0, ns;
	const char *staff[64];
	char lab[128], title[260];
	struct store_ticket t;

	store_ticket_init(&t);
	if (!ticket_label(a, id, lab, sizeof lab, &t))
		return;
	if (!pick && who != NULL && who == a->me && t.assignee != NULL &&
	    strcmp(t.assignee, a->me) != 0) {
		/* a colleague's ticket is taken only when asked */
		snprintf(title, sizeof title, "%s is %.60s's: take it?", lab, t.assignee);
		store_ticket_release(&t);
		modal_confirm(a, title, take_done, id);
		return;
	}
	store_ticket_release(&t);
	if (!pick) {
		assign_to(a, id, who);
		return;
	}
	add_pick(&v, &n, &cap, a->me, "(me)", 0);
	ns = config_subsections(a->cfg, "staff", staff, 64);
	for (size_t i = 0; i < ns && i < 64; i++)
		add_pick(&v, &n, &cap, staff[i], "(staff)", 0);
	for (size_t i = 0; i < a->model.n && n < 200; i++)
		if (a->model.items[i].t.assignee != NULL)
			add_pick(&v, &n, &cap, a->model.items[i].t.assignee, NULL, 0);
	add_pick(&v, &n, &cap, NULL, "(nobody: unassign)", 1);
	snprintf(title, sizeof title, "Assign %s to (type a name or pick)", lab);
	modal_pick(a, title, v, n, 1, assign_done, id);
}

static int note_done(struct tui_app *a, int64_t id, int ok, const char *text,
		     const struct pick_item *it)
{
	struct diag d;

	(void)it;
	if (!ok) {
		tui_message(a, ROLE_DIM, "note discarded");
		return 0;
	}
	diag_clear(&d);
	if (act_note(a, id, text, &d) < 0) {
		fail(a, &d);
		return *text != '\0';	/* keep what was typed */
	}
	tui_message(a, ROLE_OK, "note added");
	return 0;
}

void act_note_flow(struct tui_app *a, int64_t id, const char *text)
{
	char lab[128], title[200];
	struct diag d;

	if (!ticket_label(a, id, lab, sizeof lab, NULL))
		return;
	if (text != NULL && *text != '\0') {
		diag_clear(&d);
		if (act_note(a, id, text, &d) < 0)
			fail(a, &d);
		else
			tui_message(a, ROLE_OK, "%s: note added", lab);
		return;
	}
	snprintf(title, sizeof title, "Note for %s:", lab);
	modal_line(a, title, "", note_done, NULL, id);
}

static int simple_done(struct tui_app *a, int64_t id, int ok, enum act_kind kind,
		       const char *what)
{
	struct act_change c = { .kind = kind };
	struct store_ticket t;
	struct diag d;
	char lab[128];

	if (!ok) {
		tui_message(a, ROLE_DIM, "nothing changed");
		return 0;
	}
	diag_clear(&d);
	store_ticket_init(&t);
	if (act_change(a, id, &c, &t, &d) < 0) {
		fail(a, &d);
		return 0;
	}
	label(&t, lab, sizeof lab);
	tui_message(a, ROLE_OK, "%s %s", lab, what);
	store_ticket_release(&t);
	return 0;
}

static int resolve_done(struct tui_app *a, int64_t id, int ok, const char *text,
			const struct pick_item *it)
{
	(void)text;
	(void)it;
	return simple_done(a, id, ok, ACT_K_RESOLVE, "resolved");
}

static int reopen_done(struct tui_app *a, int64_t id, int ok, const char *text,
		       const struct pick_item *it)
{
	(void)text;
	(void)it;
	return simple_done(a, id, ok, ACT_K_REOPEN, "reopened");
}

void act_resolve_flow(struct tui_app *a, int64_t id)
{
	struct store_ticket t;
	char lab[128], q[288];

	store_ticket_init(&t);
	if (!ticket_label(a, id, lab, sizeof lab, &t))
		return;
	if (t.resolved_at != STORE_NONE)
		tui_message(a, ROLE_ERROR, "%s is already resolved (R reopens it)", lab);
	else {
		snprintf(q, sizeof q, "Resolve %s%s%s?", lab, t.first_response_at == STORE_NONE &&
		    t.deadline_at != STORE_NONE ? " (no first response yet: this stops its "
		    "SLA clock)" : "", t.waiting_since != STORE_NONE ? " (this ends the wait "
		    "on the customer)" : "");
		modal_confirm(a, q, resolve_done, id);
	}
	store_ticket_release(&t);
}

void act_reopen_flow(struct tui_app *a, int64_t id)
{
	struct store_ticket t;
	char lab[128], q[200];

	store_ticket_init(&t);
	if (!ticket_label(a, id, lab, sizeof lab, &t))
		return;
	if (t.resolved_at == STORE_NONE)
		tui_message(a, ROLE_ERROR, "%s is not resolved", lab);
	else {
		snprintf(q, sizeof q, "Reopen %s?", lab);
		modal_confirm(a, q, reopen_done, id);
	}
	store_ticket_release(&t);
}

/* ---- waiting on the customer, excused breaches ------------------------------ */

static void waited_msg(struct tui_app *a, const struct store_ticket *t)
{
	struct buf b = BUF_INIT;
	char lab[128];

	label(t, lab, sizeof lab);
	buf_addf(&b, "%s waiting on the customer: ", lab);
	rows_wait_words(t, &b);
	buf_adds(&b, " (w resumes)");
	tui_message(a, ROLE_OK, "%s", buf_failed(&b) ? "waiting" : buf_str(&b));
	buf_release(&b);
}

/* "#3 GLX-3 resumed after 1h 00m of working time waited; deadline now
 * 2026-12-01 14:00 CET" */
static void resumed_msg(struct tui_app *a, const struct store_ticket *old,
			const struct store_ticket *t)
{
	const struct sla_partner *p;
	struct buf b = BUF_INIT;
	struct diag d;
	char lab[128], w[TIMEFMT_LEN], when[TIMEFMT_LEN];

	diag_clear(&d);
	label(t, lab, sizeof lab);
	buf_addf(&b, "%s resumed", lab);
	if ((p = sla_cache_get(a->model.cache, t->partner_id, &d)) != NULL) {
		ticketfmt_work(cal_elapsed(p->sched.cal, old->waiting_since,
		    a->now_at < old->waiting_since ? old->waiting_since : a->now_at), w);
		buf_addf(&b, " after %s of working time waited", w);
	}
	if (t->deadline_at != old->deadline_at && t->deadline_at != STORE_NONE) {
		ticketfmt_short(a->viewer_tz, t->deadline_at, when);
		buf_addf(&b, "; deadline now %s", when);
	}
	if (t->resolve_deadline_at != old->resolve_deadline_at &&
	    t->resolve_deadline_at != STORE_NONE) {
		ticketfmt_short(a->viewer_tz, t->resolve_deadline_at, when);
		buf_addf(&b, "; resolve by %s", when);
	}
	tui_message(a, ROLE_OK, "%s", buf_failed(&b) ? "resumed" : buf_str(&b));
	buf_release(&b);
}

void act_wait_flow(struct tui_app *a, int64_t id, enum act_wait_mode mode)
{
	struct act_change c = { .kind = ACT_K_WAIT };
	struct store_ticket old, t;
	struct diag d;
	char lab[128];

	diag_clear(&d);
	store_ticket_init(&old);
	store_ticket_init(&t);
	if (!ticket_label(a, id, lab, sizeof lab, &old))
		return;
	if (mode == ACT_W_END || (mode == ACT_W_TOGGLE && old.waiting_since != STORE_NONE))
		c.kind = ACT_K_RESUME;
	if (act_change(a, id, &c, &t, &d) < 0)
		fail(a, &d);
	else if (c.kind == ACT_K_WAIT)
		waited_msg(a, &t);
	else
		resumed_msg(a, &old, &t);
	store_ticket_release(&old);
	store_ticket_release(&t);
}

/* ':excuse [ref=KEY] REASON': the reference, then the reason (the rest of
 * the line, as typed).  0, or -1 with d filled. */
static int excuse_args(const char *args, char *ref, size_t ref_size, const char **reason,
		       struct diag *d)
{
	size_t n;

	*ref = '\0';
	while (args != NULL && *args == ' ')
		args++;
	if (args != NULL && strncmp(args, "ref=", 4) == 0) {
		args += 4;
		n = strcspn(args, " ");
		if (n == 0 || n >= ref_size)
			return diag_set(d, DIAG_USAGE, "ref=: the incident ticket's key, e.g. "
			    "ref=INC-42 (at most %zu characters)", ref_size - 1);
		memcpy(ref, args, n);
		ref[n] = '\0';
		args += n;
		while (*args == ' ')
			args++;
	}
	if (args == NULL || *args == '\0')
		return diag_set(d, DIAG_USAGE, "say why: ':excuse [ref=KEY] REASON', e.g. "
		    "':excuse ref=INC-42 platform outage'");
	*reason = args;
	return 0;
}

void act_excuse_flow(struct tui_app *a, int64_t id, const char *args)
{
	struct act_change c = { .kind = ACT_K_EXCUSE };
	struct store_ticket t;
	struct buf b = BUF_INIT;
	struct diag d;
	char lab[128], ref[128];

	diag_clear(&d);
	store_ticket_init(&t);
	if (excuse_args(args, ref, sizeof ref, &c.reason, &d) < 0) {
		fail(a, &d);
		return;
	}
	c.ref = ref[0] != '\0' ? ref : NULL;
	if (!ticket_label(a, id, lab, sizeof lab, NULL))
		return;
	if (act_change(a, id, &c, &t, &d) < 0) {
		fail(a, &d);
		return;
	}
	/* the reason and reference are sanitised when the line is drawn */
	buf_addf(&b, "%s: breach excused: %s", lab, t.excuse_reason);
	if (t.excuse_ref != NULL)
		buf_addf(&b, " (incident %s)", t.excuse_ref);
	buf_adds(&b, "; it counts apart in the report");
	tui_message(a, ROLE_OK, "%s", buf_failed(&b) ? "excused" : buf_str(&b));
	buf_release(&b);
	store_ticket_release(&t);
}

void act_unexcuse_flow(struct tui_app *a, int64_t id)
{
	struct act_change c = { .kind = ACT_K_UNEXCUSE };
	struct store_ticket t;
	struct diag d;
	char lab[128];

	diag_clear(&d);
	store_ticket_init(&t);
	if (!ticket_label(a, id, lab, sizeof lab, NULL))
		return;
	if (act_change(a, id, &c, &t, &d) < 0) {
		fail(a, &d);
		return;
	}
	tui_message(a, ROLE_OK, "%s: the breach is no longer excused", lab);
	store_ticket_release(&t);
}

/* ---- undo ------------------------------------------------------------------- */

int act_undo(struct tui_app *a, int64_t ticket_id, struct store_ticket *result,
	     struct diag *d)
{
	struct store_ticket old, t;
	struct store_ticket_change c = { NULL, 0 };
	int rc = -1;

	store_ticket_init(&old);
	store_ticket_init(&t);
	if (store_begin(a->store, d) < 0)
		return -1;
	if (act_get(a, ticket_id, &old, NULL, d) < 0 || store_ticket_copy(&t, &old, d) < 0 ||
	    store_ticket_undo_plan(a->store, &old, &t, &c, d) < 0)
		goto out;
	/* a severity or partner coming back recomputes the deadline */
	if ((t.severity != old.severity || t.partner_id != old.partner_id) &&
	    act_plan_ticket(a, &t, d) < 0)
		goto out;
	if (store_ticket_undo(a->store, &old, &t, &c, a->me, a->now_at, d) < 0 ||
	    store_commit(a->store, d) < 0)
		goto out;
	rc = 0;
	a->reload_pending = 1;
	if (result != NULL) {
		*result = t;
		store_ticket_init(&t);
	}
out:
	store_rollback(a->store);
	store_ticket_change_release(&c);
	store_ticket_release(&old);
	store_ticket_release(&t);
	return rc;
}

static int undo_done(struct tui_app *a, int64_t id, int ok, const char *text,
		     const struct pick_item *it)
{
	struct store_ticket t;
	struct diag d;
	char lab[128];

	(void)text;
	(void)it;
	if (!ok) {
		tui_message(a, ROLE_DIM, "nothing undone");
		return 0;
	}
	diag_clear(&d);
	store_ticket_init(&t);
	if (act_undo(a, id, &t, &d) < 0) {
		fail(a, &d);
		return 0;
	}
	label(&t, lab, sizeof lab);
	tui_message(a, ROLE_OK, "%s: last change undone", lab);
	store_ticket_release(&t);
	return 0;
}

void act_undo_flow(struct tui_app *a, int64_t id)
{
	struct store_ticket t, u;
	struct store_ticket_change c = { NULL, 0 };
	struct buf q = BUF_INIT;
	struct diag d;
	char lab[128], when[TIMEFMT_LEN];

	store_ticket_init(&t);
	store_ticket_init(&u);
	diag_clear(&d);
	if (!ticket_label(a, id, lab, sizeof lab, &t))
		return;
	if (store_ticket_copy(&u, &t, &d) < 0 ||
	    store_ticket_undo_plan(a->store, &t, &u, &c, &d) < 0) {
		fail(a, &d);
		goto out;
	}
	ticketfmt_short(a->viewer_tz, c.ev[0].at, when);
	/* "Undo #3 GLX-1's respond by alice at 12-01 10:00 (first_response,
	 * responded_by)?": short, so the [y/N] stays on the line */
	buf_addf(&q, "Undo %s's %s by %.40s at %s (", lab,
	    c.ev[0].kind + strlen("ticket."), c.ev[0].actor ? c.ev[0].actor : "?", when);
	for (size_t i = 0; i < c.n; i++)
		buf_addf(&q, "%s%s", i ? ", " : "", c.ev[i].field);
	buf_adds(&q, ")?");
	if (buf_failed(&q))
		tui_message(a, ROLE_ERROR, "out of memory");
	else
		modal_confirm(a, buf_str(&q), undo_done, id);
out:
	buf_release(&q);
	store_ticket_change_release(&c);
	store_ticket_release(&t);
	store_ticket_release(&u);
}
