/* view-calendar.c: one partner's month, the picture of its working time:
 * weekends, holidays with their names, timed closures, make-up working
 * days, today, and the deadlines of its unanswered open tickets on their
 * days.  < and > move between months; the arrows move a day cursor whose
 * details (names, sources, closures, tickets due) show below the grid.
 * A line shows the partner's local time now and whether it is working
 * time. */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "draw.h"
#include "ticketfmt.h"
#include "timefmt.h"
#include "tz.h"

static const struct sla_partner *partner(struct tui_app *a)
{
	struct diag d;
	const struct sla_partner *p;

	diag_clear(&d);
	if ((p = sla_cache_get(a->model.cache, a->cv.partner_id, &d)) == NULL)
		snprintf(a->cv.error, sizeof a->cv.error, "%s", d.msg);
	return p;
}

static int32_t local_day(const struct sla_partner *p, int64_t at)
{
	return (int32_t)civil_div(tz_utc_to_local(p->sched.tz, at), CIVIL_DAY_S);
}

static void goto_day(struct calendar_state *s, int32_t day)
{
	int m, d;

	s->cursor = day;
	civil_ymd_from_days(day, &s->year, &m, &d);
	s->month = m;
}

void calendar_open(struct tui_app *a, int64_t partner_id)
{
	const struct sla_partner *p;

	a->cv.partner_id = partner_id;
	a->cv.error[0] = '\0';
	if ((p = partner(a)) != NULL)
		goto_day(&a->cv, local_day(p, a->now_at));
	tui_push(a, &view_calendar);
}

/* The deadlines of the partner's open, unanswered tickets. */
static int64_t *deadlines(struct tui_app *a, size_t *n)
{
	int64_t *v = NULL;
	size_t k = 0, cap = 0;

	for (size_t i = 0; i < a->model.n; i++) {
		const struct rows_item *it = &a->model.items[i];

		if (it->t.partner_id != a->cv.partner_id || it->t.deadline_at == STORE_NONE ||
		    it->st.stopped_at != STORE_NONE)
			continue;
		if (k == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			int64_t *q = realloc(v, ncap * sizeof *q);

			if (q == NULL)
				break;
			v = q;
			cap = ncap;
		}
		v[k++] = it->t.deadline_at;
	}
	*n = k;
	return v;
}

static enum tui_role day_role(const struct rows_day *d)
{
	if (!d->in_month)
		return ROLE_DIM;
	switch (d->reason) {
	case CAL_HOLIDAY: return ROLE_HOLIDAY;
	case CAL_WEEKEND: return ROLE_WEEKEND;
	case CAL_MAKEUP_DAY: return ROLE_MAKEUP;
	default: return d->closures ? ROLE_CLOSURE : ROLE_NORMAL;
	}
}

static const char *day_tag(const struct rows_day *d)
{
	switch (d->reason) {
	case CAL_HOLIDAY: return "H";
	case CAL_MAKEUP_DAY: return "M";
	case CAL_WEEKEND: return "w";
	default: return d->closures ? "C" : "";
	}
}

/* A cell: the day number in columns 0-1, its tag (H, M, w, C, HC) in 3-4,
 * the count of tickets due from DUE_X. */
#define DUE_X 6

static void draw_cell(struct tui_app *a, const struct rows_day *d, int y, int x, int cw,
		      int cursor)
{
	attr_t rev = cursor ? A_REVERSE : 0, at = color_attr(day_role(d)) | rev;
	char num[8], tag[8], due[16];
	const char *name = d->name ? d->name : d->closure;

	snprintf(num, sizeof num, "%2d", d->mday);
	snprintf(tag, sizeof tag, "%s%s", day_tag(d),
	    d->closures && d->reason != CAL_HOLIDAY && *day_tag(d) != 'C' ? "C" : "");
	draw_fill(y, x, cw - 1, at);
	draw_text(y, x, 2, num, d->today ? color_attr(ROLE_TODAY) | rev : at | A_BOLD, 0);
	draw_text(y, x + 3, 3, tag, at | A_BOLD, 0);
	if (d->deadlines > 0 && cw - 1 > DUE_X) {
		/* with its own day: at the cell's right edge it would sit
		 * against the next day's number and read as that day's */
		snprintf(due, sizeof due, "%s%d", a->utf8 ? "\xe2\x97\x8f" : "*", d->deadlines);
		draw_text(y, x + DUE_X, cw - 1 - DUE_X, due, color_attr(ROLE_DEADLINE) | rev, 0);
	}
	if (name != NULL && d->in_month)
		draw_text(y + 1, x, cw - 1, name, color_attr(day_role(d)), 0);
	else if (d->today)
		draw_text(y + 1, x, cw - 1, "today", color_attr(ROLE_TODAY), 0);
}

static void draw_legend(struct tui_app *a, int y)
{
	static const struct {
		enum tui_role role;
		const char *mark, *text;
	} items[] = {
		{ ROLE_HOLIDAY, "H", "holiday" }, { ROLE_MAKEUP, "M", "make-up working day" },
		{ ROLE_CLOSURE, "C", "closure" }, { ROLE_WEEKEND, "w", "weekend" },
		{ ROLE_DEADLINE, NULL, "tickets due" }, { ROLE_TODAY, "", "today" },
	};
	int x = 1;

	for (size_t i = 0; i < sizeof items / sizeof items[0] && x < COLS - 2; i++) {
		const char *mark = items[i].mark ? items[i].mark :
		    a->utf8 ? "\xe2\x97\x8fN" : "*N";

		if (*mark != '\0')
			x += draw_text(y, x, COLS - x, mark, color_attr(items[i].role) | A_BOLD,
			    0) + 1;
		x += draw_text(y, x, COLS - x, items[i].text, color_attr(items[i].role), 0) + 3;
	}
}

/* The cursor day's story, from line y to y_end (exclusive). */
static void draw_details(struct tui_app *a, const struct sla_partner *p, int y, int y_end)
{
	const struct cal_day *e = NULL;
	enum cal_reason r = cal_day_reason(p->sched.cal, a->cv.cursor, &e);
	struct buf b = BUF_INIT;
	char day[CIVIL_ISO_LEN];
	size_t n, due = 0, shown = 0;
	const struct cal_closure *cl = p->sched.rules ?
	    cal_rules_closures(p->sched.rules, &n) : NULL;

	if (cl == NULL)
		n = 0;
	civil_format_day(a->cv.cursor, day);
	buf_addf(&b, "%s %s: ", civil_weekday_name(civil_weekday(a->cv.cursor)), day);
	switch (r) {
	case CAL_HOLIDAY:
	case CAL_MAKEUP_DAY:
		buf_adds(&b, r == CAL_HOLIDAY ? "holiday: " : "make-up working day: ");
		buf_adds(&b, e && e->name ? e->name : "");
		if (e && e->source)
			buf_addf(&b, " (%s:%d)", e->source, e->line);
		break;
	case CAL_WEEKEND:
		buf_adds(&b, "weekend (not a working weekday)");
		break;
	default:
		buf_adds(&b, "working day");
		if (p->partner.hours[0] != '\0')
			buf_addf(&b, ", hours %s", p->partner.hours);
		break;
	}
	draw_text(y++, 1, COLS - 2, buf_str(&b), color_attr(ROLE_HEADING), 0);
	for (size_t i = 0; i < n && y < y_end; i++) {
		int32_t a0 = local_day(p, cl[i].start_at), a1 = local_day(p, cl[i].end_at - 1);
		char from[TIMEFMT_LEN], to[TIMEFMT_LEN];

		if (a->cv.cursor < a0 || a->cv.cursor > a1)
			continue;
		timefmt_clock(p->sched.tz, cl[i].start_at < 0 ? 0 : cl[i].start_at,
		    a->cv.cursor, from);
		timefmt_clock(p->sched.tz, cl[i].end_at, a->cv.cursor, to);
		buf_reset(&b);
		buf_addf(&b, "closed %s-%s  %s", a0 < a->cv.cursor ? "00:00" : from,
		    a1 > a->cv.cursor ? "24:00" : to, cl[i].name ? cl[i].name : "");
		draw_text(y++, 3, COLS - 4, buf_str(&b), color_attr(ROLE_CLOSURE), 0);
	}
	for (size_t i = 0; i < a->model.n; i++) {
		const struct rows_item *it = &a->model.items[i];

		if (it->t.partner_id == a->cv.partner_id && it->t.deadline_at != STORE_NONE &&
		    it->st.stopped_at == STORE_NONE &&
		    local_day(p, it->t.deadline_at - 1) == a->cv.cursor)
			due++;
	}
	for (size_t i = 0; i < a->model.n && y < y_end; i++) {
		const struct rows_item *it = &a->model.items[i];
		char when[TIMEFMT_LEN];

		if (it->t.partner_id != a->cv.partner_id || it->t.deadline_at == STORE_NONE ||
		    it->st.stopped_at != STORE_NONE ||
		    local_day(p, it->t.deadline_at - 1) != a->cv.cursor)
			continue;
		if (y == y_end - 1 && due - shown > 1) {
			buf_reset(&b);
			buf_addf(&b, "... and %zu more due this day", due - shown);
			draw_text(y++, 3, COLS - 4, buf_str(&b), color_attr(ROLE_DIM), 0);
			break;
		}
		timefmt_clock(p->sched.tz, it->t.deadline_at, a->cv.cursor, when);
		buf_reset(&b);
		buf_addf(&b, "due %s  ", when);
		ticketfmt_label(&b, &it->t);
		buf_addf(&b, "  %s  %s  ", store_severity_name(it->t.severity),
		    rows_state_name(&it->t, &it->st));
		buf_adds(&b, it->t.summary);
		draw_text(y++, 3, COLS - 4, buf_str(&b),
		    color_attr(color_state_role(rows_state(&it->t, &it->st))), 0);
		shown++;
	}
	buf_release(&b);
}

static void calendar_draw(struct tui_app *a)
{
	struct calendar_state *s = &a->cv;
	const struct sla_partner *p = partner(a);
	struct rows_month g;
	struct buf b = BUF_INIT;
	char now[TIMEFMT_LEN], week[STORE_TEXT_LEN], title[64];
	int64_t *dl;
	size_t ndl;
	int cw, x0, y;
	enum tui_role role;

	tui_draw_header(a, "Calendar");
	if (p == NULL) {
		draw_text(2, 1, COLS - 2, s->error, color_attr(ROLE_ERROR), 0);
		tui_draw_footer(a, KS_CALENDAR);
		return;
	}
	store_workdays_format(p->partner.workdays, week);
	buf_addf(&b, " %s  %s  %s  %s  %s", p->partner.key, p->partner.name,
	    tz_name(p->sched.tz), week, p->partner.hours[0] ? p->partner.hours : "whole days");
	draw_text(1, 0, COLS, buf_str(&b), A_BOLD, 0);
	timefmt_local(p->sched.tz, a->now_at, now);
	buf_reset(&b);
	if (cal_is_working(p->sched.cal, a->now_at)) {
		buf_addf(&b, " local time now: %s, working time", now);
		role = ROLE_OK;
	} else {
		const struct cal_day *e = NULL;
		enum cal_reason r = cal_day_reason(p->sched.cal, local_day(p, a->now_at), &e);

		buf_addf(&b, " local time now: %s, not working time (%s%s)", now,
		    r == CAL_HOLIDAY ? "holiday: " : r == CAL_WEEKEND ? "weekend" :
		    "outside working hours", r == CAL_HOLIDAY && e && e->name ? e->name : "");
		role = ROLE_DIM;
	}
	draw_text(2, 0, COLS, buf_str(&b), color_attr(role) | A_BOLD, 0);

	dl = deadlines(a, &ndl);
	rows_month(p->sched.cal, p->sched.rules, s->year, s->month, local_day(p, a->now_at),
	    dl, ndl, &g);
	free(dl);
	snprintf(title, sizeof title, "<  %s %lld  >", rows_month_name(s->month),
	    (long long)s->year);
	draw_text(3, (COLS - (int)strlen(title)) / 2, (int)strlen(title), title,
	    color_attr(ROLE_HEADING), 0);
	cw = (COLS - 2) / 7;
	if (cw > 18)
		cw = 18;
	x0 = (COLS - cw * 7) / 2;
	for (int c = 0; c < 7; c++) {
		int wd = (c + 1) % 7;	/* Monday first */
		attr_t at = (p->partner.workdays & (1u << wd)) ? color_attr(ROLE_HEADING) :
		    color_attr(ROLE_WEEKEND);

		draw_text(4, x0 + c * cw, cw - 1, civil_weekday_name(wd), at, 0);
	}
	y = 5;
	for (int wk = 0; wk < g.weeks; wk++, y += 2)
		for (int c = 0; c < 7; c++) {
			const struct rows_day *d = &g.cells[wk * 7 + c];

			draw_cell(a, d, y, x0 + c * cw, cw, d->day == s->cursor);
		}
	draw_legend(a, y);
	draw_details(a, p, y + 1, LINES - 2);
	buf_release(&b);
	tui_draw_footer(a, KS_CALENDAR);
}

static void add_months(struct calendar_state *s, int delta)
{
	int64_t y = s->year;
	int m = s->month + delta, d, dim;
	int64_t cy;
	int cm;

	while (m < 1) {
		m += 12;
		y--;
	}
	while (m > 12) {
		m -= 12;
		y++;
	}
	civil_ymd_from_days(s->cursor, &cy, &cm, &d);
	dim = civil_days_in_month(y, m);
	if (d > dim)
		d = dim;
	if (y < CAL_FIRST_YEAR || y > CAL_LAST_YEAR)
		return;
	goto_day(s, (int32_t)civil_days_from_ymd(y, m, d));
}

static int calendar_action(struct tui_app *a, enum tui_action act, const char *arg)
{
	struct calendar_state *s = &a->cv;
	const struct sla_partner *p;

	(void)arg;
	switch (act) {
	case ACT_LEFT: goto_day(s, s->cursor - 1); return 1;
	case ACT_RIGHT: goto_day(s, s->cursor + 1); return 1;
	case ACT_UP: goto_day(s, s->cursor - 7); return 1;
	case ACT_DOWN: goto_day(s, s->cursor + 7); return 1;
	case ACT_PREV_MONTH: add_months(s, -1); return 1;
	case ACT_NEXT_MONTH: add_months(s, 1); return 1;
	case ACT_TODAY:
		if ((p = partner(a)) != NULL)
			goto_day(s, local_day(p, a->now_at));
		return 1;
	default:
		return 0;
	}
}

const struct tui_view view_calendar = {
	.name = "calendar",
	.scope = KS_CALENDAR,
	.draw = calendar_draw,
	.action = calendar_action,
};
