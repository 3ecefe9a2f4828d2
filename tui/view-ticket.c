/* view-ticket.c: one ticket, every field: the deadline in the partner's
 * zone, the viewer's and UTC; elapsed, remaining and consumed working
 * time (ticking) with a progress bar; the engine's explanation of the
 * deadline; the audit history with the notes.  Everything is wrapped to
 * the width of the terminal, so a 1,000-character summary or a long note
 * is read whole, and the page scrolls under a line that says where. */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "draw.h"
#include "explain.h"
#include "cli/explain.h"	/* explain_pause_added: the pauses' share */
#include "remind.h"
#include "ticketfmt.h"
#include "timefmt.h"
#include "ticketurl.h"
#include "tz.h"

#define LABEL_W 16

static void lines_clear(struct ticket_state *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i].text);
	free(s->lines);
	s->lines = NULL;
	s->nlines = s->cap = 0;
}

static void add_line(struct ticket_state *s, enum tui_role role, int indent,
		     const char *text)
{
	if (s->nlines == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 32;
		struct detail_line *v = realloc(s->lines, ncap * sizeof *v);

		if (v == NULL)
			return;
		s->lines = v;
		s->cap = ncap;
	}
	if ((s->lines[s->nlines].text = strdup(text)) == NULL)
		return;
	s->lines[s->nlines].role = role;
	s->lines[s->nlines].indent = indent;
	s->nlines++;
}

struct history {
	struct tui_app *a;
	struct buf b;
};

static int history_one(const struct store_event *e, void *arg)
{
	struct history *h = arg;
	char when[TIMEFMT_LEN];
	int note = strcmp(e->kind, "ticket.note") == 0;

	buf_reset(&h->b);
	ticketfmt_short(h->a->viewer_tz, e->at, when);
	buf_addf(&h->b, "%s  ", when);
	buf_adds(&h->b, e->actor);
	buf_addf(&h->b, "  %s", note ? "note" : e->kind);
	if (note) {
		buf_adds(&h->b, ": ");
		buf_adds(&h->b, e->new_value ? e->new_value : "");
	} else if (e->field != NULL) {
		buf_addf(&h->b, "  %s: %s -> %s", e->field, e->old_value ? e->old_value : "none",
		    e->new_value ? e->new_value : "none");
	} else if (e->new_value != NULL) {
		buf_adds(&h->b, "  ");
		buf_adds(&h->b, e->new_value);
	}
	/* the text is sanitised when drawn */
	add_line(&h->a->tv, note ? ROLE_NORMAL : ROLE_DIM, 2, buf_str(&h->b));
	return 0;
}

static void link_clear(struct ticket_state *s)
{
	free(s->link);
	s->link = NULL;
}

/* The ticket's helpdesk link (ticketurl.h), kept while it is shown. */
static void link_load(struct tui_app *a)
{
	struct buf b = BUF_INIT;

	if (ticketurl_format(a->cfg, a->tv.t.partner_key, a->tv.t.key, a->tv.t.id, &b) &&
	    !buf_failed(&b))
		a->tv.link = b.data;	/* taken over */
	else
		buf_release(&b);
}

/* The pauses of v[0..n) that stop clock, each with the working time it
 * added to the deadline (added, explain_pause_added's); an open wait
 * moves the deadline on while it lasts. */
static void explain_pauses(struct ticket_state *s, struct buf *b,
			   const struct store_pause *v, size_t n, enum sla_clock clock,
			   const int64_t *added)
{
	for (size_t i = 0; i < n; i++) {
		buf_reset(b);
		if (explain_pause_text(b, s->p->sched.tz, &v[i], clock, added[i],
		    strcmp(v[i].kind, "wait") == 0 ? "waiting on the customer" :
		    "resolved, then reopened") != 0)
			add_line(s, ROLE_NOT_TIMED, 2, buf_str(b));
	}
}

/* How a clock's deadline is counted: the engine's steps from creation,
 * the pauses that moved it, and a note when the partner's current
 * settings give another deadline than the stored one. */
static void explain_clock(struct tui_app *a, struct buf *b, enum sla_clock clock,
			  const struct store_pause *v, size_t n)
{
	struct ticket_state *s = &a->tv;
	const struct cal *c = s->p->sched.cal;
	int resp = clock == SLA_CLOCK_RESPONSE;
	int64_t target = sla_clock_target(&s->t, clock);
	int64_t stored = sla_clock_deadline_at(&s->t, clock), live;
	struct cal_step *steps = NULL;
	int64_t *added = calloc(n ? n : 1, sizeof *added);
	size_t ns = 0;
	struct diag d;

	diag_clear(&d);
	add_line(s, ROLE_NORMAL, 0, "");
	buf_reset(b);
	buf_addf(b, "How the %s is counted (partner %s's current settings, %s time):",
	    resp ? "deadline" : "resolution deadline", s->p->partner.key,
	    tz_name(s->p->sched.tz));
	add_line(s, ROLE_HEADING, 0, buf_str(b));
	if (added == NULL || cal_explain(c, s->t.created_at, target, &steps, &ns, &d) < 0 ||
	    explain_pause_added(c, s->t.created_at, target, v, n, clock, added, &live,
	    &d) < 0) {
		buf_reset(b);
		buf_addf(b, "cannot explain: %s", added == NULL ? "out of memory" : d.msg);
		add_line(s, ROLE_ERROR, 2, buf_str(b));
		free(steps);
		free(added);
		return;
	}
	for (size_t i = 0; i < ns; i++) {
		buf_reset(b);
		explain_line(b, c, &steps[i]);
		add_line(s, steps[i].kind == CAL_STEP_COUNTED ? ROLE_NORMAL :
		    steps[i].kind == CAL_STEP_HOLIDAY ? ROLE_HOLIDAY :
		    steps[i].kind == CAL_STEP_MAKEUP ? ROLE_MAKEUP :
		    steps[i].kind == CAL_STEP_CLOSURE ? ROLE_CLOSURE : ROLE_WEEKEND,
		    2, buf_str(b));
	}
	explain_pauses(s, b, v, n, clock, added);
	if (live != stored) {
		char t[TIMEFMT_LEN];

		timefmt_local(s->p->sched.tz, live, t);
		buf_reset(b);
		buf_addf(b, "note: these settings give %s, not the stored deadline; "
		    "'slatrack recompute' moves it", t);
		add_line(s, ROLE_AT_RISK, 2, buf_str(b));
	}
	free(steps);
	free(added);
}

static void load(struct tui_app *a)
{
	struct ticket_state *s = &a->tv;
	struct history h = { a, BUF_INIT };
	struct store_pause *pv = NULL;
	size_t pn = 0;
	struct diag d;

	if (s->loaded)
		store_ticket_release(&s->t);
	lines_clear(s);
	link_clear(s);
	s->loaded = 0;
	s->error[0] = '\0';
	diag_clear(&d);
	store_ticket_init(&s->t);
	if (act_get(a, s->id, &s->t, &s->p, &d) < 0) {
		snprintf(s->error, sizeof s->error, "%s", d.msg);
		return;
	}
	s->loaded = 1;
	link_load(a);
	if (store_pause_list(a->store, s->id, &pv, &pn, &d) < 0) {
		buf_addf(&h.b, "cannot read the pauses: %s", d.msg);
		add_line(s, ROLE_ERROR, 2, buf_str(&h.b));
		pn = 0;
	}
	if (s->t.deadline_at != STORE_NONE && s->t.target_s != STORE_NONE)
		explain_clock(a, &h.b, SLA_CLOCK_RESPONSE, pv, pn);
	if (s->t.resolve_deadline_at != STORE_NONE && s->t.resolve_target_s != STORE_NONE)
		explain_clock(a, &h.b, SLA_CLOCK_RESOLVE, pv, pn);
	free(pv);
	add_line(s, ROLE_NORMAL, 0, "");
	add_line(s, ROLE_HEADING, 0, "History and notes (your time):");
	if (store_event_each(a->store, s->id, history_one, &h, &d) < 0) {
		buf_reset(&h.b);
		buf_addf(&h.b, "cannot read the history: %s", d.msg);
		add_line(s, ROLE_ERROR, 2, buf_str(&h.b));
	}
	buf_release(&h.b);
}

void ticket_open(struct tui_app *a, int64_t id)
{
	a->tv.id = id;
	a->tv.scroll = 0;
	if (!tui_push(a, &view_ticket))
		load(a);
}

/* ---- fields, recomputed every frame ------------------------------------------- */

#define NFIELDS 40

struct field {
	const char *label;
	char value[320];
	const char *text;		/* long text shown instead of value, or NULL */
	enum tui_role role;
	int bar;			/* draw the progress bar before value */
};

static struct field *field(struct field *f, size_t *n, const char *label, enum tui_role r)
{
	struct field *x = &f[(*n)++];

	x->label = label;
	x->value[0] = '\0';
	x->text = NULL;
	x->role = r;
	x->bar = 0;
	return x;
}

static void instant(char *out, size_t size, const struct tz *tz, int64_t at, const char *who)
{
	char t[TIMEFMT_LEN];

	if (at == STORE_NONE) {
		snprintf(out, size, "-");
		return;
	}
	timefmt_local(tz, at, t);
	snprintf(out, size, "%s  %s (%s)", t, who, tz_name(tz));
}

/* The partner's contact, and who besides the assignee or team and the
 * managers gets this ticket's reminders ([partner "KEY"] notify). */
static void partner_people(struct tui_app *a, struct field *f, size_t *n)
{
	const struct store_partner *p = &a->tv.p->partner;
	struct buf who = BUF_INIT;

	snprintf(field(f, n, "Partner contact", ROLE_NORMAL)->value, 320, "%s",
	    p->contact ? p->contact : "-");
	remind_partner_recipients(a->cfg, p->key, p->contact, &who);
	snprintf(field(f, n, "Notified", ROLE_NORMAL)->value, 320, "%s",
	    who.len > 0 ? buf_str(&who) : "- (the assignee or team, and managers on a breach)");
	buf_release(&who);
}

/* The queue's state name, except that the page says of an excused breach
 * both what it is and that it is excused. */
static const char *page_state_name(const struct store_ticket *t, const struct sla_status *st)
{
	return st->excused && st->state == SLA_BREACHED ? "BREACHED (excused)" :
	    rows_state_name(t, st);
}

/* While the ticket waits on the customer: since when, and which clocks
 * stand still. */
static void wait_fields(struct tui_app *a, struct field *f, size_t *n)
{
	const struct store_ticket *t = &a->tv.t;
	struct buf b = BUF_INIT;

	if (t->waiting_since == STORE_NONE)
		return;
	instant(field(f, n, "Waiting since", ROLE_NOT_TIMED)->value, 320, a->tv.p->sched.tz,
	    t->waiting_since, "partner");
	rows_wait_words(t, &b);
	snprintf(field(f, n, "", ROLE_NOT_TIMED)->value, 320, "%s (w resumes)",
	    buf_failed(&b) ? "" : buf_str(&b));
	buf_release(&b);
}

/* An excused breach: when, the incident, and the reason in full (drawn
 * sanitised, like every text of the page). */
static void excuse_fields(struct tui_app *a, struct field *f, size_t *n)
{
	const struct store_ticket *t = &a->tv.t;
	struct field *x;
	char when[TIMEFMT_LEN];

	if (t->excused_at == STORE_NONE)
		return;
	ticketfmt_short(a->viewer_tz, t->excused_at, when);
	x = field(f, n, "Excused", ROLE_NORMAL);
	snprintf(x->value, sizeof x->value, "at %s%s%.200s%s", when,
	    t->excuse_ref != NULL ? "  (incident " : "", t->excuse_ref ? t->excuse_ref : "",
	    t->excuse_ref != NULL ? ")" : "");
	field(f, n, "Excuse reason", ROLE_NORMAL)->text = t->excuse_reason ?
	    t->excuse_reason : "-";
}

/* The resolution clock, when the partner sets a resolution target for
 * the severity: target, deadline, and where it stands. */
static void resolve_fields(struct tui_app *a, struct field *f, size_t *n)
{
	const struct ticket_state *s = &a->tv;
	const struct store_ticket *t = &s->t;
	const struct tz *ptz = s->p->sched.tz;
	struct sla_status r;
	enum tui_role rr;
	char w[ROWS_TEXT_LEN], wall[CIVIL_ISO_LEN];
	struct field *x;

	if (t->resolve_deadline_at == STORE_NONE || t->resolve_target_s == STORE_NONE)
		return;
	sla_compute_resolve(t, s->p->sched.cal, a->now_at, a->at_risk, &r);
	rr = color_state_role(r.state);
	ticketfmt_work(t->resolve_target_s, w);
	snprintf(field(f, n, "Resolve target", ROLE_NORMAL)->value, 320, "%s of working time",
	    w);
	instant(field(f, n, "Resolve by", rr)->value, 320, ptz, t->resolve_deadline_at,
	    "partner");
	instant(field(f, n, "", ROLE_NORMAL)->value, 320, a->viewer_tz,
	    t->resolve_deadline_at, "yours");
	x = field(f, n, "Resolution", rr);
	if (r.state == SLA_BREACHED) {
		if (r.overrun_s > 0)
			rows_work_hms(r.overrun_s, w);
		else
			ticketfmt_overrun(r.overrun_s, w);
		civil_format_duration(r.overrun_wall_s, wall);
		snprintf(x->value, sizeof x->value, "%c %s%s: %s of working time, %s "
		    "wall-clock past the deadline", rows_mark(r.state), sla_state_name(r.state),
		    r.excused ? " (excused)" : "", w, wall);
	} else {
		rows_work_hms(r.remaining_s, w);
		snprintf(x->value, sizeof x->value, "%c %s: %s of working time %s",
		    rows_mark(r.state), sla_state_name(r.state), w,
		    r.state == SLA_MET ? "to spare" : r.state == SLA_WAITING ?
		    "left, standing still while waiting" : "left");
	}
}

static size_t fields(struct tui_app *a, struct field *f)
{
	const struct ticket_state *s = &a->tv;
	const struct store_ticket *t = &s->t;
	const struct sla_status *st = &s->st;
	const struct tz *ptz = s->p->sched.tz;
	enum tui_role sr = color_state_role(st->state);
	char w[ROWS_TEXT_LEN], iso[CIVIL_ISO_LEN], wall[CIVIL_ISO_LEN];
	size_t n = 0;
	struct field *x;

	field(f, &n, "Summary", ROLE_NORMAL)->text = t->summary;	/* any length: wrapped */
	if (s->link != NULL)
		field(f, &n, "Link (o)", ROLE_NORMAL)->text = s->link;
	x = field(f, &n, "Partner", ROLE_NORMAL);
	snprintf(x->value, sizeof x->value, "%s  %s  (%s)%s", s->p->partner.key,
	    s->p->partner.name, tz_name(ptz),
	    s->p->partner.archived_at != STORE_NONE ? "  archived" : "");
	partner_people(a, f, &n);
	field(f, &n, "Customer", ROLE_NORMAL)->text = t->customer ? t->customer : "-";
	snprintf(field(f, &n, "Assignee", ROLE_NORMAL)->value, 320, "%s",
	    t->assignee ? t->assignee : "- (a takes it)");
	snprintf(field(f, &n, "Severity", t->severity == STORE_SEV_CRITICAL ? ROLE_HEADING :
	    ROLE_NORMAL)->value, 320, "%s", store_severity_name(t->severity));
	x = field(f, &n, "SLA state", sr);
	snprintf(x->value, sizeof x->value, "%c %s%s", rows_state_mark(t, st),
	    page_state_name(t, st), t->resolved_at != STORE_NONE ? "  (resolved)" : "");
	wait_fields(a, f, &n);
	excuse_fields(a, f, &n);
	x = field(f, &n, "Created", ROLE_NORMAL);
	instant(x->value, sizeof x->value, ptz, t->created_at, "partner");
	if (t->deadline_at == STORE_NONE) {
		snprintf(field(f, &n, "Target", ROLE_NOT_TIMED)->value, 320, "none: %s tickets "
		    "of %s are tracked, not timed", store_severity_name(t->severity),
		    s->p->partner.key);
		snprintf(field(f, &n, "Deadline", ROLE_NOT_TIMED)->value, 320, "-");
	} else {
		ticketfmt_work(t->target_s, w);
		snprintf(field(f, &n, "Target", ROLE_NORMAL)->value, 320, "%s of working time", w);
		instant(field(f, &n, "Deadline", sr)->value, 320, ptz, t->deadline_at, "partner");
		instant(field(f, &n, "", ROLE_NORMAL)->value, 320, a->viewer_tz, t->deadline_at,
		    "yours");
		civil_format_utc(t->deadline_at, iso);
		snprintf(field(f, &n, "", ROLE_NORMAL)->value, 320, "%s  UTC", iso);
	}
	rows_work_hms(st->elapsed_s, w);
	snprintf(field(f, &n, "Elapsed", ROLE_NORMAL)->value, 320, "%s of working time%s", w,
	    st->stopped_at != STORE_NONE ? " (the clock has stopped)" :
	    st->state == SLA_WAITING ? " (stands still while waiting)" : "");
	if (t->deadline_at != STORE_NONE) {
		if (st->state == SLA_BREACHED) {
			if (st->overrun_s > 0)
				rows_work_hms(st->overrun_s, w);
			else	/* past the deadline outside working time */
				ticketfmt_overrun(st->overrun_s, w);
			civil_format_duration(st->overrun_wall_s, wall);
			snprintf(field(f, &n, "Overrun", sr)->value, 320, "%s of working time, %s "
			    "wall-clock past the deadline", w, wall);
		} else {
			rows_work_hms(st->remaining_s, w);
			snprintf(field(f, &n, "Remaining", sr)->value, 320, "%s of working time%s",
			    w, st->stopped_at != STORE_NONE ? " to spare" :
			    st->state == SLA_WAITING ? " (stands still while waiting)" : "");
		}
		x = field(f, &n, "Consumed", sr);
		x->bar = 1;
		snprintf(x->value, sizeof x->value, " %.0f%% of the target (at risk from %.0f%%)",
		    st->consumed * 100.0, a->at_risk * 100.0);
	}
	x = field(f, &n, "First response", ROLE_NORMAL);
	instant(x->value, sizeof x->value, ptz, t->first_response_at, "partner");
	if (t->first_response_at != STORE_NONE && t->responded_by != NULL) {
		size_t k = strlen(x->value);

		snprintf(x->value + k, sizeof x->value - k, "  by %s", t->responded_by);
	}
	resolve_fields(a, f, &n);
	x = field(f, &n, "Resolved", ROLE_NORMAL);
	instant(x->value, sizeof x->value, ptz, t->resolved_at, "partner");
	return n;
}

/* ---- drawing and keys ------------------------------------------------------------------ */

/* The page as screen rows: every field and line wrapped to the width of
 * the terminal, so that a long summary or note is read whole. */
struct vrow {
	const char *label;		/* a field's first row: its label; else NULL */
	int bar;			/* the progress bar before the text */
	int x;
	enum tui_role role;
	size_t off;			/* the text, in page.text */
};

struct page {
	struct vrow *v;
	size_t n, cap;
	struct buf text;		/* NUL-separated row texts */
	struct buf tmp;
};

static void page_row(struct page *pg, const char *label, int bar, int x, enum tui_role role,
		     const char *s, size_t len)
{
	if (pg->n == pg->cap) {
		size_t ncap = pg->cap ? pg->cap * 2 : 64;
		struct vrow *v = realloc(pg->v, ncap * sizeof *v);

		if (v == NULL)
			return;
		pg->v = v;
		pg->cap = ncap;
	}
	pg->v[pg->n] = (struct vrow){ label, bar, x, role, pg->text.len };
	buf_add(&pg->text, s, len);
	buf_add(&pg->text, "", 1);
	pg->n++;
}

/* text wrapped from column x to the right margin; rows after the first
 * start `hang` columns further right */
static void page_text(struct page *pg, const char *label, int x, int hang,
		      enum tui_role role, const char *text)
{
	int w = COLS - 1 - x;
	const char *p;

	if (w < 1)
		w = 1;
	buf_reset(&pg->tmp);
	rows_wrap(text, (size_t)w, w - hang > 8 ? (size_t)(w - hang) : (size_t)w, &pg->tmp);
	p = buf_str(&pg->tmp);
	for (int first = 1;; first = 0) {
		size_t n = strcspn(p, "\n");

		page_row(pg, first ? label : NULL, 0, first || w - hang <= 8 ? x : x + hang,
		    role, p, n);
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
}

static void page_build(struct tui_app *a, struct page *pg)
{
	struct ticket_state *s = &a->tv;
	struct field f[NFIELDS];
	size_t nf = fields(a, f);

	for (size_t k = 0; k < nf; k++) {
		if (f[k].bar)
			page_row(pg, f[k].label, 1, 1 + LABEL_W, f[k].role, f[k].value,
			    strlen(f[k].value));
		else
			page_text(pg, f[k].label, 1 + LABEL_W, 0, f[k].role,
			    f[k].text ? f[k].text : f[k].value);
	}
	for (size_t k = 0; k < s->nlines; k++)
		page_text(pg, NULL, 1 + s->lines[k].indent, 4, s->lines[k].role,
		    s->lines[k].text);
}

static void page_release(struct page *pg)
{
	free(pg->v);
	buf_release(&pg->text);
	buf_release(&pg->tmp);
}

/* "lines 1-35 of 80, more below: j, PgDn" on the line under the page */
static void draw_position(size_t top, size_t h, size_t total)
{
	char pos[120];
	int w;
	size_t last = top + h < total ? top + h : total;

	if (total <= h)
		return;
	snprintf(pos, sizeof pos, "lines %zu-%zu of %zu, more %s", top + 1, last, total,
	    top == 0 ? "below: j, PgDn" : last == total ? "above: k, PgUp" :
	    "above and below: k/j, PgUp/PgDn");
	w = (int)strlen(pos);
	if (w > COLS - 2)
		w = COLS - 2;
	draw_text(LINES - 3, COLS - 1 - w, w, pos, color_attr(ROLE_DIM) | A_BOLD, 0);
}

static int body_height(void)
{
	return LINES - 5;
}

static void ticket_draw(struct tui_app *a)
{
	struct ticket_state *s = &a->tv;
	struct page pg = { NULL, 0, 0, BUF_INIT, BUF_INIT };
	struct buf b = BUF_INIT;
	int h = body_height();

	tui_draw_header(a, "Ticket");
	if (!s->loaded) {
		draw_text(2, 1, COLS - 2, s->error[0] ? s->error : "loading...",
		    color_attr(ROLE_ERROR), 0);
		tui_draw_footer(a, KS_TICKET);
		return;
	}
	sla_compute(&s->t, s->p->sched.cal, a->now_at, a->at_risk, &s->st);
	ticketfmt_label(&b, &s->t);
	buf_addf(&b, "  %s  %s  %s", s->p->partner.key, store_severity_name(s->t.severity),
	    page_state_name(&s->t, &s->st));
	draw_text(1, 1, COLS - 2, buf_str(&b), color_attr(color_state_role(rows_state(&s->t,
	    &s->st))) | A_BOLD, 0);
	page_build(a, &pg);
	if (s->scroll + (size_t)h > pg.n)
		s->scroll = pg.n > (size_t)h ? pg.n - (size_t)h : 0;
	for (int i = 0; i < h && s->scroll + (size_t)i < pg.n; i++) {
		const struct vrow *r = &pg.v[s->scroll + (size_t)i];
		const char *text = buf_failed(&pg.text) ? "" : pg.text.data + r->off;
		int y = 2 + i, x = r->x;

		if (r->label != NULL)
			draw_text(y, 1, LABEL_W, r->label, color_attr(ROLE_DIM), DRAW_PAD);
		if (r->bar) {
			int bw = COLS >= 100 ? 40 : 24;

			buf_reset(&b);
			rows_progress(s->st.consumed, bw, a->utf8, &b);
			x += draw_text(y, x, bw, buf_str(&b), color_attr(r->role), 0);
		}
		draw_text(y, x, COLS - x - 1, text, color_attr(r->role), 0);
	}
	draw_position(s->scroll, (size_t)h, pg.n);
	page_release(&pg);
	buf_release(&b);
	tui_draw_footer(a, KS_TICKET);
}

static int ticket_action(struct tui_app *a, enum tui_action act, const char *arg)
{
	struct ticket_state *s = &a->tv;
	size_t h = (size_t)body_height();

	(void)arg;
	switch (act) {
	case ACT_UP:
		if (s->scroll > 0)
			s->scroll--;
		return 1;
	case ACT_DOWN:
		s->scroll++;		/* clamped when drawn */
		return 1;
	case ACT_PGUP:
		s->scroll = s->scroll > h ? s->scroll - h : 0;
		return 1;
	case ACT_PGDN:
		s->scroll += h;
		return 1;
	case ACT_TOP:
		s->scroll = 0;
		return 1;
	case ACT_BOTTOM:
		s->scroll = (size_t)-1 / 2;
		return 1;
	default:
		return 0;
	}
}

static void ticket_leave(struct tui_app *a)
{
	if (a->tv.loaded)
		store_ticket_release(&a->tv.t);
	lines_clear(&a->tv);
	link_clear(&a->tv);
	a->tv.loaded = 0;
}

const struct tui_view view_ticket = {
	.name = "ticket",
	.scope = KS_TICKET,
	.enter = load,
	.draw = ticket_draw,
	.action = ticket_action,
	.reload = load,
	.leave = ticket_leave,
};
