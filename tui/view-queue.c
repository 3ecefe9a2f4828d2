/* view-queue.c: the queue, the screen support staff live in.
 *
 *   row 0        header: counts and the viewer's clock
 *   row 1        sort, filters and search on the left, the legend right
 *   row 2        column headings
 *   rows 3..-3   the tickets waiting for a first response (H: the answered
 *                ones too), one per line, coloured by state, in the triage
 *                order (triage.h) or by a column
 *   row -2       messages, prompts
 *   row -1       the main keys
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "draw.h"

static size_t list_height(void)
{
	return LINES > 6 ? (size_t)(LINES - 5) : 1;
}

static void sync_sel(struct tui_app *a)
{
	struct queue_state *q = &a->q;
	const struct model *m = &a->model;
	size_t h = list_height();

	if (q->gen != m->generation) {
		size_t i = q->sel_id != 0 ? model_find_vis(a, q->sel_id) : (size_t)-1;

		if (i != (size_t)-1)
			q->sel = i;
		q->gen = m->generation;
	}
	if (q->sel >= m->nvis)
		q->sel = m->nvis ? m->nvis - 1 : 0;
	if (q->sel < q->top)
		q->top = q->sel;
	if (q->sel >= q->top + h)
		q->top = q->sel - h + 1;
	if (q->top + h > m->nvis)
		q->top = m->nvis > h ? m->nvis - h : 0;
	q->sel_id = m->nvis ? m->items[m->vis[q->sel]].t.id : 0;
}

static void move_sel(struct tui_app *a, long delta)
{
	struct queue_state *q = &a->q;
	size_t n = a->model.nvis;

	if (n == 0)
		return;
	if (delta < 0)
		q->sel = (size_t)-delta > q->sel ? 0 : q->sel - (size_t)-delta;
	else
		q->sel = q->sel + (size_t)delta >= n ? n - 1 : q->sel + (size_t)delta;
	q->sel_id = a->model.items[a->model.vis[q->sel]].t.id;
	q->gen = a->model.generation;
	sync_sel(a);
}

static const struct {
	enum sla_state state;
	const char *label;
} legend[] = {
	{ SLA_BREACHED, "breached" }, { SLA_AT_RISK, "at risk" },
	{ SLA_ON_TRACK, "on track" }, { SLA_MET, "met" },
	{ SLA_NOT_TIMED, "not timed" }, { SLA_WAITING, "waiting" },
};
/* The legend entries kept however narrow the screen: the others go first */
#define LEGEND_KEPT 5

static void draw_info(struct tui_app *a)
{
	struct buf b = BUF_INIT;
	const struct store_partner *p;
	size_t nl = sizeof legend / sizeof legend[0];
	int lw = 0, x;

	for (size_t i = 0; i < nl; i++)
		lw += 2 + (int)strlen(legend[i].label) + 2;
	buf_addf(&b, " sort: %s%s", triage_sort_name(a->sort),
	    a->sort_reverse ? " (reversed)" : "");
	if (a->filter.answered)
		buf_adds(&b, "  +answered");
	if (a->filter.partner_id != 0 && (p = tui_partner(a, a->filter.partner_id)) != NULL)
		buf_addf(&b, "  partner=%s", p->key);
	if (a->filter.assignee != NULL)
		buf_addf(&b, "  assignee=%s", *a->filter.assignee ? a->filter.assignee : "none");
	if (a->filter.severity >= 0)
		buf_addf(&b, "  severity=%s", store_severity_name(a->filter.severity));
	if (a->filter.state != ROWS_STATE_ANY)
		buf_addf(&b, "  state=%s", sla_state_id((enum sla_state)a->filter.state));
	if (a->filter.mine != NULL)
		buf_adds(&b, "  mine");
	if (a->search[0] != '\0')
		buf_addf(&b, "  search \"%s\"", a->search);
	if (rows_filter_active(&a->filter) || a->model.nvis != a->model.n)
		buf_addf(&b, "  (%zu of %zu)", a->model.nvis, a->model.n);
	/* the legend on the right while the sort and filters leave room; on
	 * a narrow screen the last entries (the rarer states) go first */
	while (nl > LEGEND_KEPT && (int)rows_width(buf_str(&b)) + 2 > COLS - lw) {
		nl--;
		lw -= 2 + (int)strlen(legend[nl].label) + 2;
	}
	x = COLS - lw;
	if ((int)rows_width(buf_str(&b)) + 2 > x)
		x = COLS;
	draw_text(1, 0, x - 1, buf_str(&b), color_attr(ROLE_DIM) | A_BOLD, 0);
	for (size_t i = 0; i < nl && x < COLS; i++) {
		char mark[2] = { rows_mark(legend[i].state), '\0' };
		attr_t at = color_attr(color_state_role(legend[i].state));

		x += draw_text(1, x, COLS - x, mark, at | A_BOLD, 0) + 1;
		x += draw_text(1, x, COLS - x, legend[i].label, at, 0) + 2;
	}
	buf_release(&b);
}

static void draw_row(const struct rows_item *it, const struct rows_layout *l, int y,
		     int selected, struct buf *cell)
{
	attr_t st = color_attr(color_state_role(rows_state(&it->t, &it->st)));
	attr_t rev = selected ? A_REVERSE : 0;

	if (selected)
		draw_fill(y, 0, COLS, A_REVERSE);
	for (int c = 0; c < ROWS_NCOLS; c++) {
		attr_t at = A_NORMAL;

		if (l->w[c] == 0)
			continue;
		buf_reset(cell);
		rows_cell(it, (enum rows_col)c, l, cell);
		if (c == ROWS_COL_MARK || c == ROWS_COL_STATE || c == ROWS_COL_REMAINING)
			at = st;
		else if (c == ROWS_COL_SEV && it->t.severity == STORE_SEV_CRITICAL)
			at = A_BOLD;
		draw_text(y, l->x[c], l->w[c], buf_str(cell), at | rev,
		    DRAW_PAD | (c == ROWS_COL_REMAINING ? DRAW_RIGHT : 0));
	}
}

static void queue_draw(struct tui_app *a)
{
	const struct model *m = &a->model;
	struct rows_layout l;
	struct buf cell = BUF_INIT;
	size_t h = list_height();

	sync_sel(a);
	tui_draw_header(a, "Queue");
	draw_info(a);
	rows_layout(COLS, &l);
	rows_layout_zone(&l, a->viewer_tz, a->now_at);
	/* the widest cells, measured again when the rows or the second change
	 * (a key that only moves the selection costs nothing on 100,000) */
	if (a->q.widths_gen != m->generation || a->q.widths_at != a->now_at ||
	    !a->q.widths_valid) {
		rows_measure(&l, m->items, m->vis, m->nvis, &a->q.widths);
		a->q.widths_gen = m->generation;
		a->q.widths_at = a->now_at;
		a->q.widths_valid = 1;
	}
	rows_layout_widen(&l, COLS, &a->q.widths);
	for (int c = 0; c < ROWS_NCOLS; c++)
		if (l.w[c] > 0)
			draw_text(2, l.x[c], l.w[c], rows_col_title(&l, (enum rows_col)c),
			    color_attr(ROLE_HEADING), DRAW_PAD |
			    (c == ROWS_COL_REMAINING ? DRAW_RIGHT : 0));
	for (size_t i = 0; i < h && a->q.top + i < m->nvis; i++) {
		size_t k = a->q.top + i;

		draw_row(&m->items[m->vis[k]], &l, 3 + (int)i, k == a->q.sel, &cell);
	}
	if (m->nvis == 0)
		draw_text(4, 2, COLS - 4, m->n == 0 ? "No open tickets. + creates one." :
		    !rows_filter_active(&a->filter) ? "Every open ticket has its first "
		    "response. H shows them." :
		    "No ticket matches the search and filters. F clears them.",
		    color_attr(ROLE_DIM), 0);
	buf_release(&cell);
	tui_draw_footer(a, KS_QUEUE);
}

/* ---- search --------------------------------------------------------------- */

static void set_search(struct tui_app *a, const char *text)
{
	struct buf b = BUF_INIT;

	rows_fold(text, &b);
	snprintf(a->search, sizeof a->search, "%s", buf_str(&b));
	buf_release(&b);
	model_refilter(a);
}

static void search_changed(struct tui_app *a, const char *text)
{
	set_search(a, text);
	a->q.sel = a->q.top = 0;
	a->q.sel_id = 0;
	a->q.gen = a->model.generation;
}

static int search_done(struct tui_app *a, int64_t arg, int ok, const char *text,
		       const struct pick_item *it)
{
	(void)arg;
	(void)it;
	(void)text;
	if (!ok) {
		snprintf(a->search, sizeof a->search, "%s", a->search_saved);
		model_refilter(a);
		return 0;
	}
	if (a->search[0] != '\0')
		tui_message(a, ROLE_DIM, "%zu %s; F or Esc clears the search",
		    a->model.nvis, a->model.nvis == 1 ? "ticket matches" : "tickets match");
	return 0;
}

/* n: the queue shows only the tickets that match, so the next match is
 * the next line, and after the last one the first again. */
static void next_match(struct tui_app *a)
{
	size_t n = a->model.nvis;

	if (a->search[0] == '\0') {
		tui_message(a, ROLE_DIM, "no search: / searches, n then goes to the next "
		    "match (+ is a new ticket)");
		return;
	}
	if (n == 0) {
		tui_message(a, ROLE_ERROR, "no ticket matches \"%s\"", a->search);
		return;
	}
	sync_sel(a);
	move_sel(a, a->q.sel + 1 < n ? 1 : -(long)n);
	tui_message(a, ROLE_DIM, "match %zu of %zu%s", a->q.sel + 1, n,
	    a->q.sel == 0 && n > 1 ? " (wrapped to the first)" : "");
}

/* ---- filters ------------------------------------------------------------------ */

static void set_assignee(struct tui_app *a, const char *who)
{
	if (who == NULL)
		a->filter.assignee = NULL;
	else {
		snprintf(a->assignee, sizeof a->assignee, "%s", who);
		a->filter.assignee = a->assignee;
	}
}

static void filtered(struct tui_app *a)
{
	model_refilter(a);
	tui_message(a, ROLE_DIM, "%zu of %zu open tickets shown", a->model.nvis, a->model.n);
}

static int pick_add(struct pick_item *v, size_t *n, const char *label, const char *value,
		    int64_t id)
{
	v[*n].label = strdup(label);
	v[*n].value = value ? strdup(value) : NULL;
	v[*n].id = id;
	if (v[*n].label == NULL)
		return -1;
	(*n)++;
	return 0;
}

static int partner_done(struct tui_app *a, int64_t arg, int ok, const char *text,
			const struct pick_item *it)
{
	(void)arg;
	(void)text;
	if (ok && it != NULL) {
		a->filter.partner_id = it->id;
		filtered(a);
	}
	return 0;
}

static int assignee_done(struct tui_app *a, int64_t arg, int ok, const char *text,
			 const struct pick_item *it)
{
	(void)arg;
	if (!ok)
		return 0;
	if (it == NULL)
		set_assignee(a, text);
	else if (it->id == 1)
		set_assignee(a, NULL);
	else if (it->id == 2)
		set_assignee(a, "");
	else
		set_assignee(a, it->value);
	filtered(a);
	return 0;
}

static int severity_done(struct tui_app *a, int64_t arg, int ok, const char *text,
			 const struct pick_item *it)
{
	(void)arg;
	(void)text;
	if (ok && it != NULL) {
		a->filter.severity = (int)it->id - 1;
		filtered(a);
	}
	return 0;
}

static int state_done(struct tui_app *a, int64_t arg, int ok, const char *text,
		      const struct pick_item *it)
{
	(void)arg;
	(void)text;
	if (ok && it != NULL) {
		a->filter.state = (int)it->id - 1;
		filtered(a);
	}
	return 0;
}

/* Clears the search and the filters; the answered switch (H) stays. */
static void clear_all(struct tui_app *a)
{
	int answered = a->filter.answered;

	a->search[0] = a->search_saved[0] = '\0';
	rows_filter_init(&a->filter);
	a->filter.answered = answered;
	model_refilter(a);
}

static int menu_done(struct tui_app *a, int64_t arg, int ok, const char *text,
		     const struct pick_item *it)
{
	size_t n = 0, cap;
	struct pick_item *v;
	char lab[300];

	(void)arg;
	(void)text;
	if (!ok || it == NULL)
		return 0;
	switch (it->id) {
	case 1:
		cap = a->npartners + 1;
		if ((v = calloc(cap, sizeof *v)) == NULL)
			break;
		pick_add(v, &n, "(any partner)", NULL, 0);
		for (size_t i = 0; i < a->npartners; i++) {
			snprintf(lab, sizeof lab, "%s  %s  (%s)", a->partners[i].key,
			    a->partners[i].name, a->partners[i].zone);
			pick_add(v, &n, lab, a->partners[i].key, a->partners[i].id);
		}
		modal_pick(a, "Filter by partner", v, n, 0, partner_done, 0);
		break;
	case 2: {
		const char *staff[64];
		size_t ns = config_subsections(a->cfg, "staff", staff, 64);

		cap = 3 + (ns < 64 ? ns : 64) + 200;
		if ((v = calloc(cap, sizeof *v)) == NULL)
			break;
		pick_add(v, &n, "(anyone)", NULL, 1);
		pick_add(v, &n, "(unassigned)", NULL, 2);
		pick_add(v, &n, a->me, a->me, 0);
		for (size_t i = 0; i < ns && i < 64; i++)
			if (strcmp(staff[i], a->me) != 0)
				pick_add(v, &n, staff[i], staff[i], 0);
		for (size_t i = 0; i < a->model.n && n < cap; i++) {
			const char *who = a->model.items[i].t.assignee;
			int seen = 0;

			if (who == NULL)
				continue;
			for (size_t k = 2; k < n && !seen; k++)
				seen = v[k].value != NULL && strcmp(v[k].value, who) == 0;
			if (!seen)
				pick_add(v, &n, who, who, 0);
		}
		modal_pick(a, "Filter by assignee (or type a name)", v, n, 1, assignee_done, 0);
		break;
	}
	case 3:
		if ((v = calloc(STORE_NSEV + 1, sizeof *v)) == NULL)
			break;
		pick_add(v, &n, "(any severity)", NULL, 0);
		for (int s = 0; s < STORE_NSEV; s++)
			pick_add(v, &n, store_severity_name(s), NULL, s + 1);
		modal_pick(a, "Filter by severity", v, n, 0, severity_done, 0);
		break;
	case 4:
		if ((v = calloc(SLA_WAITING + 2, sizeof *v)) == NULL)
			break;
		pick_add(v, &n, "(any state)", NULL, 0);
		for (int s = SLA_NOT_TIMED; s <= SLA_WAITING; s++)
			pick_add(v, &n, sla_state_name((enum sla_state)s), NULL, s + 1);
		modal_pick(a, "Filter by state", v, n, 0, state_done, 0);
		break;
	case 5:
		a->filter.mine = a->filter.mine ? NULL : a->me;
		filtered(a);
		break;
	case 6:
		clear_all(a);
		tui_message(a, ROLE_DIM, a->filter.answered ? "showing every open ticket" :
		    "showing every open ticket waiting for a first response (H: answered too)");
		break;
	}
	return 0;
}

void queue_filter_menu(struct tui_app *a)
{
	struct pick_item *v = calloc(6, sizeof *v);
	size_t n = 0;
	char mine[200];

	if (v == NULL)
		return;
	snprintf(mine, sizeof mine, "mine: only tickets assigned to %s (%s)", a->me,
	    a->filter.mine ? "on, Enter turns off" : "off, Enter turns on");
	pick_add(v, &n, "partner...", NULL, 1);
	pick_add(v, &n, "assignee...", NULL, 2);
	pick_add(v, &n, "severity...", NULL, 3);
	pick_add(v, &n, "state...", NULL, 4);
	pick_add(v, &n, mine, NULL, 5);
	pick_add(v, &n, "clear every filter and the search", NULL, 6);
	modal_pick(a, "Filter", v, n, 0, menu_done, 0);
}

int queue_filter_args(struct tui_app *a, const char *args)
{
	char w[256];

	while (*args != '\0') {
		size_t n;
		const char *v;

		while (*args == ' ')
			args++;
		n = strcspn(args, " ");
		if (n == 0)
			break;
		snprintf(w, sizeof w, "%.*s", (int)n, args);
		args += n;
		v = strchr(w, '=');
		v = v ? v + 1 : "";
		if (strcmp(w, "mine") == 0)
			a->filter.mine = a->me;
		else if (strcmp(w, "clear") == 0 || strcmp(w, "any") == 0)
			clear_all(a);
		else if (strncmp(w, "partner=", 8) == 0) {
			a->filter.partner_id = 0;
			for (size_t i = 0; i < a->npartners; i++)
				if (strcmp(a->partners[i].key, v) == 0)
					a->filter.partner_id = a->partners[i].id;
			if (a->filter.partner_id == 0 && strcmp(v, "any") != 0) {
				tui_message(a, ROLE_ERROR, "unknown partner '%s'", v);
				return -1;
			}
		} else if (strncmp(w, "assignee=", 9) == 0)
			set_assignee(a, strcmp(v, "any") == 0 ? NULL :
			    strcmp(v, "none") == 0 ? "" : v);
		else if (strncmp(w, "severity=", 9) == 0) {
			int s = -1;

			if (strcmp(v, "any") != 0 && store_severity_parse(v, &s) < 0) {
				tui_message(a, ROLE_ERROR, "unknown severity '%s'", v);
				return -1;
			}
			a->filter.severity = s;
		} else if (strncmp(w, "state=", 6) == 0) {
			int s = ROWS_STATE_ANY;

			for (int k = SLA_NOT_TIMED; k <= SLA_WAITING; k++)
				if (strcmp(v, sla_state_id((enum sla_state)k)) == 0)
					s = k;
			if (s == ROWS_STATE_ANY && strcmp(v, "any") != 0) {
				tui_message(a, ROLE_ERROR, "unknown state '%s' (breached, at-risk, "
				    "on-track, met, not-timed, responded, waiting)", v);
				return -1;
			}
			a->filter.state = s;
		} else {
			tui_message(a, ROLE_ERROR, "filter: expected partner=, assignee=, "
			    "severity=, state= or mine, not '%s'", w);
			return -1;
		}
	}
	filtered(a);
	return 0;
}

/* ---- actions ---------------------------------------------------------------------- */

/* s: the triage order, then each column left to right, then when created
 * and the ticket number. */
static enum triage_sort next_sort(enum triage_sort s)
{
	static const enum triage_sort cycle[] = {
		TRIAGE_SORT_TRIAGE, TRIAGE_SORT_KEY, TRIAGE_SORT_PARTNER,
		TRIAGE_SORT_SEVERITY, TRIAGE_SORT_SUMMARY, TRIAGE_SORT_ASSIGNEE,
		TRIAGE_SORT_STATE, TRIAGE_SORT_DUE, TRIAGE_SORT_REMAINING,
		TRIAGE_SORT_CREATED, TRIAGE_SORT_ID,
	};
	size_t n = sizeof cycle / sizeof cycle[0];

	for (size_t i = 0; i < n; i++)
		if (cycle[i] == s)
			return cycle[(i + 1) % n];
	return TRIAGE_SORT_TRIAGE;
}

static void sorted(struct tui_app *a)
{
	model_resort(a);
	tui_message(a, ROLE_DIM, "sorted by %s%s (s: next column, S: reverse)",
	    triage_sort_name(a->sort), a->sort_reverse ? ", reversed" : "");
}

static int queue_action(struct tui_app *a, enum tui_action act, const char *arg)
{
	size_t h = list_height();

	switch (act) {
	case ACT_UP: move_sel(a, -1); return 1;
	case ACT_DOWN: move_sel(a, 1); return 1;
	case ACT_PGUP: move_sel(a, -(long)h); return 1;
	case ACT_PGDN: move_sel(a, (long)h); return 1;
	case ACT_TOP: move_sel(a, -(long)a->model.nvis); return 1;
	case ACT_BOTTOM: move_sel(a, (long)a->model.nvis); return 1;
	case ACT_OPEN:
		if (arg != NULL)
			return 0;
		sync_sel(a);
		if (a->model.nvis > 0)
			ticket_open(a, a->q.sel_id);
		return 1;
	case ACT_SEARCH:
		if (arg != NULL) {
			search_changed(a, arg);
			tui_message(a, ROLE_DIM, "%zu %s", a->model.nvis, a->model.nvis == 1 ?
			    "ticket matches" : "tickets match");
		} else {
			snprintf(a->search_saved, sizeof a->search_saved, "%s", a->search);
			modal_line(a, "/", a->search, search_done, search_changed, 0);
		}
		return 1;
	case ACT_NEXT_MATCH:
		next_match(a);
		return 1;
	case ACT_FILTER:
		if (arg != NULL)
			queue_filter_args(a, arg);
		else
			queue_filter_menu(a);
		return 1;
	case ACT_MINE:
		a->filter.mine = a->filter.mine ? NULL : a->me;
		model_refilter(a);
		tui_message(a, ROLE_DIM, a->filter.mine ? "only tickets assigned to you" :
		    "every assignee");
		return 1;
	case ACT_CLEAR:
		if (!rows_filter_active(&a->filter) && a->search[0] == '\0')
			return 1;
		clear_all(a);
		tui_message(a, ROLE_DIM, a->filter.answered ? "showing every open ticket" :
		    "showing every open ticket waiting for a first response (H: answered too)");
		return 1;
	case ACT_SORT:
		if (arg != NULL) {
			enum triage_sort by;
			int rev;

			if (triage_sort_parse(arg, &by, &rev) < 0) {
				tui_message(a, ROLE_ERROR, "unknown sort '%s' (%s)", arg,
				    triage_sort_names());
				return 1;
			}
			a->sort = by;
			a->sort_reverse = rev;
		} else {
			a->sort = next_sort(a->sort);
			a->sort_reverse = 0;
		}
		sorted(a);
		return 1;
	case ACT_SORT_REVERSE:
		a->sort_reverse = !a->sort_reverse;
		sorted(a);
		return 1;
	case ACT_ANSWERED:
		a->filter.answered = !a->filter.answered;
		model_refilter(a);
		tui_message(a, ROLE_DIM, a->filter.answered ? "answered tickets shown too "
		    "(H hides them)" : "only tickets waiting for a first response (H shows "
		    "the answered ones)");
		return 1;
	default:
		return 0;
	}
}

const struct tui_view view_queue = {
	.name = "queue",
	.scope = KS_QUEUE,
	.draw = queue_draw,
	.action = queue_action,
};
