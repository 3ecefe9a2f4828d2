/* view-partners.c: the partners and their time: zone, week, hours, the
 * local time now and whether it is working time, open and breached
 * tickets.  Enter opens a partner's month calendar. */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "draw.h"
#include "timefmt.h"
#include "tz.h"

enum { PC_KEY, PC_NAME, PC_ZONE, PC_WEEK, PC_HOURS, PC_LOCAL, PC_NOW, PC_OPEN, PC_BREACHED,
	PC_N };

static const char *const titles[PC_N] = {
	"KEY", "NAME", "ZONE", "WEEK", "HOURS", "LOCAL NOW", "NOW", "OPEN", "BREACH"
};

static void layout(int cols, int *x, int *w)
{
	int fixed = 0, pos = 0, gaps = 0;

	w[PC_KEY] = cols >= 100 ? 10 : 9;
	w[PC_NAME] = 1;			/* takes what is left */
	w[PC_ZONE] = cols >= 100 ? 18 : 16;
	w[PC_WEEK] = cols >= 100 ? 7 : 0;
	w[PC_HOURS] = cols >= 120 ? 12 : 0;
	w[PC_LOCAL] = cols >= 150 ? 27 : 13;
	w[PC_NOW] = cols >= 120 ? 20 : 12;
	w[PC_OPEN] = 5;
	w[PC_BREACHED] = 6;
	for (int c = 0; c < PC_N; c++)
		if (w[c] > 0) {
			fixed += w[c];
			gaps++;
		}
	fixed -= w[PC_NAME];
	w[PC_NAME] = cols - fixed - gaps > 8 ? cols - fixed - gaps : 8;
	if (w[PC_NAME] > 30)
		w[PC_NAME] = 30;
	for (int c = 0; c < PC_N; c++) {
		x[c] = pos;
		if (w[c] > 0)
			pos += w[c] + 1;
	}
}

static size_t list_height(void)
{
	return LINES > 6 ? (size_t)(LINES - 5) : 1;
}

/* "working", "weekend", "holiday: NAME", "off hours" at now. */
static void now_text(struct tui_app *a, const struct sla_partner *sp, char *out,
		     size_t size, enum tui_role *role)
{
	int32_t day = (int32_t)civil_div(tz_utc_to_local(sp->sched.tz, a->now_at), CIVIL_DAY_S);
	const struct cal_day *e = NULL;
	enum cal_reason r;

	if (cal_is_working(sp->sched.cal, a->now_at)) {
		snprintf(out, size, "working");
		*role = ROLE_OK;
		return;
	}
	*role = ROLE_DIM;
	r = cal_day_reason(sp->sched.cal, day, &e);
	if (r == CAL_HOLIDAY) {
		snprintf(out, size, "holiday: %s", e && e->name ? e->name : "");
		*role = ROLE_HOLIDAY;
	} else if (r == CAL_WEEKEND)
		snprintf(out, size, "weekend");
	else
		snprintf(out, size, "off hours");
}

static void partners_draw(struct tui_app *a)
{
	struct partners_state *s = &a->pv;
	size_t h = list_height(), *open = NULL, *breached = NULL;
	int x[PC_N], w[PC_N];
	struct buf b = BUF_INIT;

	tui_draw_header(a, "Partners");
	if (s->sel >= a->npartners)
		s->sel = a->npartners ? a->npartners - 1 : 0;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + h)
		s->top = s->sel - h + 1;
	layout(COLS, x, w);
	buf_addf(&b, " %zu partners; Enter shows a partner's month: holidays, closures, "
	    "make-up days and due tickets", a->npartners);
	draw_text(1, 0, COLS, buf_str(&b), color_attr(ROLE_DIM) | A_BOLD, 0);
	for (int c = 0; c < PC_N; c++)
		if (w[c] > 0)
			draw_text(2, x[c], w[c], titles[c], color_attr(ROLE_HEADING),
			    DRAW_PAD | (c >= PC_OPEN ? DRAW_RIGHT : 0));
	if (a->npartners > 0) {
		open = calloc(a->npartners, sizeof *open);
		breached = calloc(a->npartners, sizeof *breached);
	}
	if (open != NULL && breached != NULL) {
		for (size_t i = 0; i < a->model.n; i++) {
			const struct rows_item *it = &a->model.items[i];

			for (size_t k = 0; k < a->npartners; k++)
				if (a->partners[k].id == it->t.partner_id) {
					open[k]++;
					breached[k] += it->st.state == SLA_BREACHED;
					break;
				}
		}
	}
	for (size_t i = 0; i < h && s->top + i < a->npartners; i++) {
		size_t k = s->top + i;
		const struct store_partner *p = &a->partners[k];
		const struct sla_partner *sp;
		int y = 3 + (int)i, sel = k == s->sel;
		attr_t rev = sel ? A_REVERSE : 0, dim = p->archived_at != STORE_NONE ?
		    color_attr(ROLE_DIM) : A_NORMAL;
		char tmp[TIMEFMT_LEN + 64], week[STORE_TEXT_LEN];
		enum tui_role role = ROLE_NORMAL;
		struct diag d;

		diag_clear(&d);
		if (sel)
			draw_fill(y, 0, COLS, A_REVERSE);
		draw_text(y, x[PC_KEY], w[PC_KEY], p->key, dim | rev | A_BOLD, DRAW_PAD);
		buf_reset(&b);
		buf_adds(&b, p->name);
		if (p->archived_at != STORE_NONE)
			buf_adds(&b, " (archived)");
		draw_text(y, x[PC_NAME], w[PC_NAME], buf_str(&b), dim | rev, DRAW_PAD);
		draw_text(y, x[PC_ZONE], w[PC_ZONE], p->zone, dim | rev, DRAW_PAD);
		store_workdays_format(p->workdays, week);
		draw_text(y, x[PC_WEEK], w[PC_WEEK], week, dim | rev, DRAW_PAD);
		if (w[PC_HOURS] > 0)
			draw_text(y, x[PC_HOURS], w[PC_HOURS], p->hours[0] ? p->hours :
			    "whole days", dim | rev, DRAW_PAD);
		if ((sp = sla_cache_get(a->model.cache, p->id, &d)) == NULL) {
			draw_text(y, x[PC_LOCAL], w[PC_LOCAL] + 1 + w[PC_NOW], d.msg,
			    color_attr(ROLE_ERROR), DRAW_PAD);
		} else {
			char full[TIMEFMT_LEN];

			/* "Tue 2026-12-01 10:00:05 CET", or "Tue 10:00 CET" */
			timefmt_local(sp->sched.tz, a->now_at, full);
			if (w[PC_LOCAL] < 27 && strlen(full) > 24)
				snprintf(tmp, sizeof tmp, "%.4s%.5s %s", full, full + 15, full + 24);
			else
				snprintf(tmp, sizeof tmp, "%s", full);
			draw_text(y, x[PC_LOCAL], w[PC_LOCAL], tmp, dim | rev, DRAW_PAD);
			now_text(a, sp, tmp, sizeof tmp, &role);
			draw_text(y, x[PC_NOW], w[PC_NOW], tmp, color_attr(role) | rev, DRAW_PAD);
		}
		if (open != NULL && breached != NULL) {
			snprintf(tmp, sizeof tmp, "%zu", open[k]);
			draw_text(y, x[PC_OPEN], w[PC_OPEN], tmp, dim | rev, DRAW_PAD | DRAW_RIGHT);
			snprintf(tmp, sizeof tmp, "%zu", breached[k]);
			draw_text(y, x[PC_BREACHED], w[PC_BREACHED], tmp, (breached[k] ?
			    color_attr(ROLE_BREACHED) : dim) | rev, DRAW_PAD | DRAW_RIGHT);
		}
	}
	if (a->npartners == 0)
		draw_text(4, 2, COLS - 4, "No partners yet: 'slatrack partner add' creates one.",
		    color_attr(ROLE_DIM), 0);
	free(open);
	free(breached);
	buf_release(&b);
	tui_draw_footer(a, KS_PARTNERS);
}

static int partners_action(struct tui_app *a, enum tui_action act, const char *arg)
{
	struct partners_state *s = &a->pv;
	size_t h = list_height(), n = a->npartners;

	switch (act) {
	case ACT_UP:
		if (s->sel > 0)
			s->sel--;
		return 1;
	case ACT_DOWN:
		if (s->sel + 1 < n)
			s->sel++;
		return 1;
	case ACT_PGUP:
		s->sel = s->sel > h ? s->sel - h : 0;
		return 1;
	case ACT_PGDN:
		s->sel = s->sel + h < n ? s->sel + h : (n ? n - 1 : 0);
		return 1;
	case ACT_TOP:
		s->sel = 0;
		return 1;
	case ACT_BOTTOM:
		s->sel = n ? n - 1 : 0;
		return 1;
	case ACT_CALENDAR:
		if (arg != NULL)
			return 0;
		if (s->sel < n)
			calendar_open(a, a->partners[s->sel].id);
		return 1;
	default:
		return 0;
	}
}

const struct tui_view view_partners = {
	.name = "partners",
	.scope = KS_PARTNERS,
	.draw = partners_draw,
	.action = partners_action,
};
