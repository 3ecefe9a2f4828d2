/* view-form.c: the new-ticket form (partner picker, severity, summary,
 * external key, customer, created-at defaulting to now) and the edit
 * form (severity and partner), both showing the deadline the core
 * computes as the fields change.  An edit that moves the deadline says
 * from where to where and asks before it writes.  A failed save keeps
 * everything typed. */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "draw.h"
#include "ticketfmt.h"
#include "timefmt.h"
#include "tz.h"

enum { K_TAB = 9, K_LF = 10, K_CR = 13, K_ESC = 27 };

#define LABEL_W 15

static const char *const labels[FF_NFIELDS] = {
	"Partner", "Severity", "Summary", "External key", "Customer", "Created at", "", ""
};

static int in_form(const struct form_state *f, int field)
{
	if (!f->edit)
		return 1;
	return field == FF_PARTNER || field == FF_SEVERITY || field == FF_SAVE ||
	    field == FF_CANCEL;
}

static void step(struct form_state *f, int dir)
{
	int k = f->field;

	do
		k = (k + dir + FF_NFIELDS) % FF_NFIELDS;
	while (!in_form(f, k));
	f->field = k;
}

static struct tui_line *text_field(struct form_state *f, int field)
{
	switch (field) {
	case FF_SUMMARY: return &f->summary;
	case FF_KEY: return &f->key;
	case FF_CUSTOMER: return &f->customer;
	case FF_CREATED: return &f->created;
	default: return NULL;
	}
}

static void say(struct form_state *f, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct form_state *f, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof f->msg, fmt, ap);
	va_end(ap);
	f->msg_error = error;
}

void form_open_new(struct tui_app *a)
{
	struct form_state *f = &a->fv;

	memset(f, 0, sizeof *f);
	f->severity = STORE_SEV_HIGH;
	f->partner_id = a->filter.partner_id;
	f->field = f->partner_id ? FF_SEVERITY : FF_PARTNER;
	tui_push(a, &view_form);
}

void form_open_edit(struct tui_app *a, int64_t ticket_id)
{
	struct form_state *f = &a->fv;
	struct store_ticket t;
	struct diag d;

	diag_clear(&d);
	store_ticket_init(&t);
	if (act_get(a, ticket_id, &t, NULL, &d) < 0) {
		tui_message(a, ROLE_ERROR, "%s", d.msg);
		return;
	}
	memset(f, 0, sizeof *f);
	f->edit = 1;
	f->ticket_id = ticket_id;
	f->partner_id = f->old_partner_id = t.partner_id;
	f->severity = f->old_severity = t.severity;
	f->old_deadline_at = t.deadline_at;
	line_set(&f->summary, t.summary);
	f->field = FF_SEVERITY;
	store_ticket_release(&t);
	tui_push(a, &view_form);
}

/* The creation instant typed (empty: now), read in the partner's zone
 * when it has no offset.  -1 with f->msg set when it is not usable. */
static int created_at(struct tui_app *a, struct form_state *f, int64_t *at)
{
	char text[LINE_MAX * 4 + 1];
	enum civil_instant_kind kind;
	const struct sla_partner *p;
	struct diag d;
	int64_t v;

	line_utf8(&f->created, text, sizeof text);
	if (f->edit || text[0] == '\0') {
		*at = a->now_at;
		return 0;
	}
	if (civil_parse_instant(text, &v, &kind) < 0) {
		say(f, 1, "Created at: not an instant; write 2026-12-01T09:30 (partner time) "
		    "or 2026-12-01T08:30:00Z, or leave it empty for now");
		return -1;
	}
	if (kind == CIVIL_INSTANT_LOCAL) {
		diag_clear(&d);
		if (f->partner_id == 0 ||
		    (p = sla_cache_get(a->model.cache, f->partner_id, &d)) == NULL) {
			say(f, 1, "Created at: pick the partner first (the time is in its zone)");
			return -1;
		}
		v = tz_local_to_utc(p->sched.tz, v);
	}
	if (v > a->now_at) {
		say(f, 1, "Created at: that is in the future");
		return -1;
	}
	*at = v;
	return 0;
}

/* "Wed 2026-12-02 09:00:00 CET (partner time), 2026-12-02T08:00:00Z" */
static void deadline_text(struct tui_app *a, int64_t partner_id, int64_t at, char *out,
			  size_t size)
{
	const struct sla_partner *p;
	char loc[TIMEFMT_LEN], iso[CIVIL_ISO_LEN];
	struct diag d;

	diag_clear(&d);
	if (at == STORE_NONE) {
		snprintf(out, size, "none (tracked, not timed)");
		return;
	}
	if ((p = sla_cache_get(a->model.cache, partner_id, &d)) == NULL) {
		snprintf(out, size, "?");
		return;
	}
	timefmt_local(p->sched.tz, at, loc);
	civil_format_utc(at, iso);
	snprintf(out, size, "%s (partner), %s", loc, iso);
}

/* The deadline the current fields give; 0, or -1 with *why set. */
static int plan(struct tui_app *a, struct form_state *f, int64_t *deadline,
		char *why, size_t size)
{
	int64_t at, target;
	struct diag d;

	if (f->partner_id == 0) {
		snprintf(why, size, "pick a partner (Enter on Partner)");
		return -1;
	}
	if (created_at(a, f, &at) < 0) {
		snprintf(why, size, "-");
		return -1;
	}
	if (f->edit) {
		struct store_ticket t;
		int rc;

		/* an edit keeps the creation instant, and the ticket's pauses
		 * still move the deadline, as saving it will */
		store_ticket_init(&t);
		diag_clear(&d);
		if (act_get(a, f->ticket_id, &t, NULL, &d) < 0) {
			snprintf(why, size, "%s", d.msg);
			return -1;
		}
		t.severity = f->severity;
		t.partner_id = f->partner_id;
		if ((rc = act_plan_ticket(a, &t, &d)) < 0)
			snprintf(why, size, "%s", d.msg);
		*deadline = t.deadline_at;
		store_ticket_release(&t);
		return rc;
	}
	diag_clear(&d);
	if (act_plan(a, f->partner_id, f->severity, at, &target, deadline, &d) < 0) {
		snprintf(why, size, "%s", d.msg);
		return -1;
	}
	return 0;
}

/* ---- drawing -------------------------------------------------------------- */

static void draw_field(struct tui_app *a, struct form_state *f, int field, int y)
{
	int focus = f->field == field, x = 2 + LABEL_W + 1, w = COLS - x - 2;
	attr_t lab = focus ? color_attr(ROLE_SELECTED) | A_BOLD : color_attr(ROLE_DIM);
	struct tui_line *l = text_field(f, field);
	char text[400];

	draw_text(y, 2, LABEL_W, labels[field], lab, DRAW_PAD);
	if (field == FF_PARTNER) {
		const struct store_partner *p = tui_partner(a, f->partner_id);

		if (p != NULL)
			snprintf(text, sizeof text, "%s  %s  (%s)", p->key, p->name, p->zone);
		else
			snprintf(text, sizeof text, "(Enter, or type, to pick a partner)");
		draw_text(y, x, w, text, focus ? color_attr(ROLE_INPUT) | A_BOLD :
		    color_attr(ROLE_INPUT), DRAW_PAD);
	} else if (field == FF_SEVERITY) {
		int k = x;

		for (int s = 0; s < STORE_NSEV; s++) {
			snprintf(text, sizeof text, s == f->severity ? "[%s]" : " %s ",
			    store_severity_name(s));
			k += draw_text(y, k, COLS - k, text, s == f->severity ?
			    (focus ? A_REVERSE | A_BOLD : A_BOLD) : color_attr(ROLE_DIM), 0) + 1;
		}
		if (focus)
			draw_text(y, k + 1, COLS - k - 2, "(Left/Right, or c h m l)",
			    color_attr(ROLE_DIM), 0);
	} else if (l != NULL) {
		if (focus) {
			a->cursor_y = y;
			a->cursor_x = line_draw(l, y, x, w, color_attr(ROLE_INPUT));
		} else
			line_draw(l, y, x, w, color_attr(ROLE_INPUT));
		if (l->len == 0 && field == FF_CREATED) {
			char now[TIMEFMT_LEN];

			tui_clock_text(a, now, sizeof now);
			snprintf(text, sizeof text, "now (%s); or 2026-12-01T09:30 in the "
			    "partner's zone", now);
			draw_text(y, x + (focus ? 1 : 0), w - 1, text, color_attr(ROLE_DIM), 0);
		}
	}
}

static void form_draw(struct tui_app *a)
{
	struct form_state *f = &a->fv;
	char why[DIAG_MSG_LEN], now_dl[400], old_dl[400], line[900], summary[LINE_MAX * 4 + 1];
	int64_t dl = STORE_NONE;
	int y = 2, ok;

	tui_draw_header(a, f->edit ? "Edit ticket" : "New ticket");
	if (f->edit) {
		line_utf8(&f->summary, summary, sizeof summary);
		snprintf(line, sizeof line, "Ticket #%lld: %.500s", (long long)f->ticket_id, summary);
		draw_text(1, 2, COLS - 4, line, A_BOLD, 0);
	} else
		draw_text(1, 2, COLS - 4, "A ticket from a partner; its deadline comes from "
		    "the partner's working time.", color_attr(ROLE_DIM), 0);
	for (int k = FF_PARTNER; k <= FF_CREATED; k++)
		if (in_form(f, k))
			draw_field(a, f, k, ++y);
	y += 2;
	ok = plan(a, f, &dl, why, sizeof why) == 0;
	if (f->edit) {
		deadline_text(a, f->old_partner_id, f->old_deadline_at, old_dl, sizeof old_dl);
		snprintf(line, sizeof line, "now    %s", old_dl);
		draw_text(y, 2, LABEL_W, "Deadline", color_attr(ROLE_DIM), DRAW_PAD);
		draw_text(y++, 2 + LABEL_W + 1, COLS - LABEL_W - 5, line, A_NORMAL, 0);
		if (ok) {
			deadline_text(a, f->partner_id, dl, now_dl, sizeof now_dl);
			snprintf(line, sizeof line, "after  %s%s", now_dl, dl == f->old_deadline_at ?
			    "  (unchanged)" : "");
		} else
			snprintf(line, sizeof line, "after  %s", why);
		draw_text(y++, 2 + LABEL_W + 1, COLS - LABEL_W - 5, line,
		    dl != f->old_deadline_at ? color_attr(ROLE_AT_RISK) : A_NORMAL, 0);
	} else {
		if (ok)
			deadline_text(a, f->partner_id, dl, now_dl, sizeof now_dl);
		draw_text(y, 2, LABEL_W, "Deadline", color_attr(ROLE_DIM), DRAW_PAD);
		draw_text(y++, 2 + LABEL_W + 1, COLS - LABEL_W - 5, ok ? now_dl : why,
		    ok ? A_BOLD : color_attr(ROLE_DIM), 0);
	}
	y += 1;
	draw_text(y, 2 + LABEL_W + 1, 12, f->edit ? "[ Save ]" : "[ Create ]",
	    f->field == FF_SAVE ? A_REVERSE | A_BOLD : A_BOLD, 0);
	draw_text(y, 2 + LABEL_W + 14, 12, "[ Cancel ]",
	    f->field == FF_CANCEL ? A_REVERSE | A_BOLD : A_NORMAL, 0);
	y += 2;
	if (f->msg[0] != '\0')
		draw_text(y, 2, COLS - 4, f->msg, color_attr(f->msg_error ? ROLE_ERROR : ROLE_OK),
		    0);
	draw_text(LINES - 2, 0, COLS, " Tab, Enter: next field   Shift-Tab: previous   "
	    "F2 or Enter on the button: save   Esc: cancel", color_attr(ROLE_DIM), 0);
	tui_draw_footer(a, KS_FORM);
}

/* ---- picking a partner -------------------------------------------------------------- */

static int partner_done(struct tui_app *a, int64_t arg, int ok, const char *text,
			const struct pick_item *it)
{
	(void)arg;
	(void)text;
	if (ok && it != NULL) {
		a->fv.partner_id = it->id;
		a->fv.field = FF_SEVERITY;
		a->fv.msg[0] = '\0';
	}
	return 0;
}

static void pick_partner(struct tui_app *a, int is_key, wint_t first)
{
	struct pick_item *v = calloc(a->npartners ? a->npartners : 1, sizeof *v);
	size_t n = 0;
	char lab[300];

	if (v == NULL)
		return;
	for (size_t i = 0; i < a->npartners; i++) {
		const struct store_partner *p = &a->partners[i];

		if (p->archived_at != STORE_NONE && p->id != a->fv.old_partner_id)
			continue;
		snprintf(lab, sizeof lab, "%s  %s  (%s)", p->key, p->name, p->zone);
		v[n].label = strdup(lab);
		v[n].value = strdup(p->key);
		v[n].id = p->id;
		n++;
	}
	modal_pick(a, "Partner (type to narrow, Enter picks)", v, n, 0, partner_done, 0);
	if (first != 0)
		modal_key(a, is_key, first);
}

/* ---- saving ------------------------------------------------------------------------- */

static char *dup_or_null(const struct tui_line *l)
{
	char text[LINE_MAX * 4 + 1];

	line_utf8(l, text, sizeof text);
	return text[0] != '\0' ? strdup(text) : NULL;
}

static void save_new(struct tui_app *a)
{
	struct form_state *f = &a->fv;
	const struct store_partner *sp = tui_partner(a, f->partner_id);
	struct store_ticket t;
	struct diag d;
	char dl[400], lab[160];
	struct buf b = BUF_INIT;

	if (sp == NULL) {
		say(f, 1, "pick a partner first");
		f->field = FF_PARTNER;
		return;
	}
	if (sp->archived_at != STORE_NONE) {
		say(f, 1, "partner '%s' is archived and takes no new tickets", sp->key);
		return;
	}
	if (f->summary.len == 0) {
		say(f, 1, "a ticket needs a summary");
		f->field = FF_SUMMARY;
		return;
	}
	store_ticket_init(&t);
	diag_clear(&d);
	if (created_at(a, f, &t.created_at) < 0) {
		f->field = FF_CREATED;
		return;
	}
	t.partner_id = f->partner_id;
	t.severity = f->severity;
	t.summary = dup_or_null(&f->summary);
	t.key = dup_or_null(&f->key);
	t.customer = dup_or_null(&f->customer);
	if (act_plan_ticket(a, &t, &d) < 0 || act_add(a, &t, &d) < 0) {
		/* everything typed stays; the message says why */
		say(f, 1, "not saved: %s", d.msg);
		store_ticket_release(&t);
		return;
	}
	ticketfmt_label(&b, &t);
	snprintf(lab, sizeof lab, "%s", buf_str(&b));
	buf_release(&b);
	deadline_text(a, t.partner_id, t.deadline_at, dl, sizeof dl);
	tui_message(a, ROLE_OK, "created %s, deadline %s", lab, dl);
	a->q.sel_id = t.id;
	a->q.gen = 0;
	store_ticket_release(&t);
	tui_pop(a);
}

static int edit_done(struct tui_app *a, int64_t arg, int ok, const char *text,
		     const struct pick_item *it)
{
	struct form_state *f = &a->fv;
	struct act_change c = { .kind = ACT_K_EDIT, .severity = f->severity,
	    .partner_id = f->partner_id };
	struct store_ticket t;
	struct diag d;
	struct buf b = BUF_INIT;

	(void)arg;
	(void)text;
	(void)it;
	if (!ok) {
		say(f, 0, "not saved");
		return 0;
	}
	diag_clear(&d);
	store_ticket_init(&t);
	if (act_change(a, f->ticket_id, &c, &t, &d) < 0) {
		say(f, 1, "not saved: %s", d.msg);
		return 0;
	}
	ticketfmt_label(&b, &t);
	tui_message(a, ROLE_OK, "%s: severity %s, partner %s saved", buf_str(&b),
	    store_severity_name(t.severity), t.partner_key ? t.partner_key : "?");
	buf_release(&b);
	store_ticket_release(&t);
	tui_pop(a);
	return 0;
}

static void save_edit(struct tui_app *a)
{
	struct form_state *f = &a->fv;
	char why[DIAG_MSG_LEN], from[400], to[400], q[900];
	int64_t dl;

	if (f->severity == f->old_severity && f->partner_id == f->old_partner_id) {
		say(f, 1, "nothing to change");
		return;
	}
	if (plan(a, f, &dl, why, sizeof why) < 0) {
		say(f, 1, "%s", why);
		return;
	}
	if (dl == f->old_deadline_at)
		snprintf(q, sizeof q, "Save the change (the deadline stays where it is)?");
	else {
		deadline_text(a, f->old_partner_id, f->old_deadline_at, from, sizeof from);
		deadline_text(a, f->partner_id, dl, to, sizeof to);
		snprintf(q, sizeof q, "Move the deadline from %s to %s?", from, to);
	}
	modal_confirm(a, q, edit_done, f->ticket_id);
}

static void save(struct tui_app *a)
{
	if (a->fv.edit)
		save_edit(a);
	else
		save_new(a);
}

/* ---- keys ---------------------------------------------------------------------------------- */

static int form_input(struct tui_app *a, int is_key, wint_t ch)
{
	struct form_state *f = &a->fv;
	struct tui_line *l = text_field(f, f->field);
	int enter = (!is_key && (ch == K_LF || ch == K_CR)) || (is_key && ch == KEY_ENTER);

	if (is_key && ch == KEY_RESIZE)
		return 0;
	if (!is_key && ch == K_ESC) {
		tui_pop(a);
		tui_message(a, ROLE_DIM, f->edit ? "edit cancelled" : "new ticket cancelled");
		return 1;
	}
	if (is_key && ch == KEY_F(2)) {
		save(a);
		return 1;
	}
	if ((!is_key && ch == K_TAB) || (is_key && ch == KEY_DOWN)) {
		step(f, 1);
		return 1;
	}
	if (is_key && (ch == KEY_BTAB || ch == KEY_UP)) {
		step(f, -1);
		return 1;
	}
	switch (f->field) {
	case FF_PARTNER:
		if (enter)
			pick_partner(a, 0, 0);
		else if (!is_key && ch > ' ' && ch != 0x7f)
			pick_partner(a, is_key, ch);
		return 1;
	case FF_SEVERITY:
		if (enter)
			step(f, 1);
		else if ((is_key && ch == KEY_LEFT) || (!is_key && ch == 'k'))
			f->severity = (f->severity + STORE_NSEV - 1) % STORE_NSEV;
		else if ((is_key && ch == KEY_RIGHT) || (!is_key && ch == ' '))
			f->severity = (f->severity + 1) % STORE_NSEV;
		else if (!is_key && (ch == 'c' || ch == 'h' || ch == 'm' || ch == 'l'))
			f->severity = ch == 'c' ? STORE_SEV_CRITICAL : ch == 'h' ? STORE_SEV_HIGH :
			    ch == 'm' ? STORE_SEV_MEDIUM : STORE_SEV_LOW;
		return 1;
	case FF_SAVE:
	case FF_CANCEL:
		if (enter) {
			if (f->field == FF_SAVE)
				save(a);
			else {
				tui_pop(a);
				tui_message(a, ROLE_DIM, "cancelled");
			}
		} else if (is_key && (ch == KEY_LEFT || ch == KEY_RIGHT))
			f->field = f->field == FF_SAVE ? FF_CANCEL : FF_SAVE;
		return 1;
	default:
		break;
	}
	if (l == NULL)
		return 1;
	if (enter) {
		step(f, 1);
		return 1;
	}
	line_key(l, is_key, ch);
	return 1;
}

const struct tui_view view_form = {
	.name = "form",
	.scope = KS_FORM,
	.draw = form_draw,
	.input = form_input,
};
