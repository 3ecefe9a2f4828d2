/* report-text.c: the report as aligned plain text, at most 100 columns
 * wide, fit for a plain-text mail (see report.h).  Every string a
 * customer, partner or user supplied goes through text_add_safe. */
#include "report.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "cal.h"
#include "civil.h"
#include "sla.h"
#include "text.h"
#include "tz.h"

#define WIDTH 100

static const char *const sev_short[STORE_NSEV] = { "crit", "high", "med", "low" };

static const char *period_name(enum report_period p)
{
	static const char *const v[] = {
		"yesterday", "today", "week", "month", "year", "range"
	};

	return (unsigned)p < sizeof v / sizeof v[0] ? v[p] : "?";
}

/* Display columns of sanitised UTF-8 (wcwidth; 1 for what it does not
 * know, so a C locale counts one column per character). */
static size_t columns(const char *s, size_t len, size_t max, size_t *cut)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;

	*cut = len;
	while (i < len) {
		unsigned cp;
		size_t n = text_utf8_len(p + i, len - i, &cp);
		int cw;

		if (n == 0)
			n = 1;
		cw = wcwidth((wchar_t)cp);
		if (cw < 0)
			cw = 1;
		if (w + (size_t)cw > max && *cut == len)
			*cut = i;
		w += (size_t)cw;
		i += n;
	}
	return w;
}

/* Appends s sanitised in a cell of `width` columns: cut with an ellipsis
 * when longer, padded with blanks (on the left when right-aligned). */
static void pad(struct buf *b, size_t n)
{
	static const char blanks[] = "                                ";

	for (; n > sizeof blanks - 1; n -= sizeof blanks - 1)
		buf_add(b, blanks, sizeof blanks - 1);
	buf_add(b, blanks, n);
}

static void cell(struct buf *b, const char *s, size_t width, int right)
{
	struct buf t = BUF_INIT;
	size_t w, cut, n = s != NULL ? strlen(s) : 0;

	if (n <= width && text_plain_span(s, n) == n) {	/* one column a byte */
		if (right)
			pad(b, width - n);
		buf_add(b, s, n);
		if (!right)
			pad(b, width - n);
		return;
	}
	text_add_safe(&t, s != NULL ? s : "", 0);
	w = columns(buf_str(&t), t.len, width, &cut);
	if (w > width) {
		/* the longest prefix that leaves a column for the ellipsis */
		columns(buf_str(&t), t.len, width - 1, &cut);
		buf_add(b, buf_str(&t), cut);
		buf_adds(b, "\xe2\x80\xa6");
		for (w = columns(buf_str(&t), cut, (size_t)-1, &cut) + 1; w < width; w++)
			buf_addc(b, ' ');
		buf_release(&t);
		return;
	}
	if (right && w < width)
		pad(b, width - w);
	buf_add(b, buf_str(&t), t.len);
	if (!right && w < width)
		pad(b, width - w);
	buf_release(&t);
}

/* Appends s sanitised, cut to at most max columns, without padding. */
static void put(struct buf *b, const char *s, size_t max)
{
	struct buf t = BUF_INIT;
	size_t w, cut, n = s != NULL ? strlen(s) : 0;

	if (n <= max && text_plain_span(s, n) == n) {
		buf_add(b, s, n);
		return;
	}
	text_add_safe(&t, s != NULL ? s : "", 0);
	w = columns(buf_str(&t), t.len, max, &cut);
	buf_release(&t);
	if (w <= max) {
		text_add_safe(b, s != NULL ? s : "", 0);
		return;
	}
	cell(b, s, max, 0);
}

/* Columns left on the current (last) line of b, at least 1. */
static size_t rest(const struct buf *b)
{
	const char *start = b->data, *p;
	size_t used, cut;

	if (start == NULL)
		return WIDTH;
	for (p = start + b->len; p > start && p[-1] != '\n'; p--)
		;
	used = columns(p, (size_t)(start + b->len - p), (size_t)-1, &cut);
	return used + 1 < WIDTH ? WIDTH - used : 1;
}

/* Removes trailing blanks of the current line and ends it. */
static void eol(struct buf *b)
{
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->len--;
	if (b->data != NULL)
		b->data[b->len] = '\0';
	buf_addc(b, '\n');
}

/* A paragraph wrapped at `width` columns after `indent` blanks. */
static void wrap(struct buf *b, const char *text, size_t indent, size_t width)
{
	const char *p = text;
	size_t col = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, " ");

		if (col > 0 && col + 1 + len > width) {
			eol(b);
			col = 0;
		}
		if (col == 0) {
			for (size_t i = 0; i < indent; i++)
				buf_addc(b, ' ');
			col = indent;
		} else {
			buf_addc(b, ' ');
			col++;
		}
		buf_add(b, p, len);
		col += len;
		p += len;
		while (*p == ' ')
			p++;
	}
	if (col > 0)
		eol(b);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

static void num(struct buf *b, int64_t v, int width)
{
	buf_addf(b, " %*lld", width, (long long)v);
}

static const char *row_key(const struct report *r, const struct report_row *row, char tmp[32])
{
	const char *k = report_str(r, row->key);

	if (k != NULL)
		return k;
	snprintf(tmp, 32, "#%lld", (long long)row->id);
	return tmp;
}

/* ---- sections ------------------------------------------------------------ */

static void header(struct buf *b, const struct report *r)
{
	char from[REPORT_FMT_LEN], to[REPORT_FMT_LEN], now[REPORT_FMT_LEN];
	struct buf scope = BUF_INIT;

	report_fmt_local(r->tz, r->from_at, 1, from);
	report_fmt_local(r->tz, r->to_at, 1, to);
	report_fmt_local(r->tz, r->now_at, 1, now);
	buf_addf(b, "SLA report %s (%s), %s\n", r->label, period_name(r->period),
	    tz_name(r->tz));
	buf_addf(b, "  period     %s to %s\n", from, to);
	buf_addf(b, "  now        %s\n", now);
	report_scope(r, &scope);
	buf_adds(b, "  scope      ");
	cell(b, buf_str(&scope), WIDTH - 13, 0);
	eol(b);
	buf_release(&scope);
	buf_adds(b, "  generated  by ");
	cell(b, r->generator, WIDTH - 16, 0);
	eol(b);
}

static void summary(struct buf *b, const struct report *r)
{
	const struct report_stats *s = &r->total;
	char pct[REPORT_FMT_LEN], med[REPORT_FMT_LEN], p90[REPORT_FMT_LEN];
	char w[REPORT_FMT_LEN], ww[REPORT_FMT_LEN], tmp[32];

	report_fmt_pct(s, pct);
	report_fmt_hm(s->median_s, med);
	report_fmt_hm(s->p90_s, p90);
	buf_adds(b, "\nSUMMARY\n");
	buf_addf(b, "  due in the period       %7lld  deadline inside the period\n",
	    (long long)s->due);
	buf_addf(b, "  met                     %7lld  answered at or before the deadline\n",
	    (long long)s->n[REPORT_MET]);
	buf_addf(b, "  breached                %7lld  answered after the deadline\n",
	    (long long)s->n[REPORT_BREACHED]);
	buf_addf(b, "  open and overdue        %7lld  no answer, deadline passed\n",
	    (long long)s->n[REPORT_OVERDUE]);
	buf_addf(b, "  pending                 %7lld  open, deadline still ahead\n",
	    (long long)s->n[REPORT_PENDING]);
	if (r->extended) {
		buf_addf(b, "    of which waiting      %7lld  clock stopped, waiting on the customer\n",
		    (long long)s->waiting);
		buf_addf(b, "  excused                 %7lld  breaches excused: out of attainment\n",
		    (long long)s->n[REPORT_EXCUSED]);
	}
	buf_addf(b, "  attainment              %7s  met / (met + breached + open and overdue)\n",
	    pct);
	buf_addf(b, "  first response, median  %7s  working h:mm, over %lld response%s\n", med,
	    (long long)s->responses, s->responses == 1 ? "" : "s");
	buf_addf(b, "  first response, p90     %7s\n", p90);
	if (s->worst_row >= 0) {
		const struct report_row *row = &r->rows[s->worst_row];

		report_fmt_hm(s->worst_s, w);
		report_fmt_hm(s->worst_wall_s, ww);
		buf_addf(b, "  worst overrun           %7s  working (%s wall clock): ", w, ww);
		put(b, row_key(r, row, tmp), rest(b) > 20 ? rest(b) - 20 : 1);
		buf_adds(b, " (");
		put(b, r->partners[row->partner].p.key, rest(b) > 1 ? rest(b) - 1 : 1);
		buf_adds(b, ")");
		eol(b);
	} else
		buf_adds(b, "  worst overrun                 -  no breach\n");
	buf_addf(b, "  not timed               %7lld  created in the period without a target "
	    "(counts only)\n", (long long)s->untimed);
}

/* An extended report (report.extended) adds the waiting and excused
 * counts; the columns after them close up to stay within 100. */
static void group_header(struct buf *b, const struct report *r, const char *title,
			 const char *what)
{
	buf_addf(b, "\n%s\n", title);
	buf_adds(b, "  ");
	cell(b, what, 16, 0);
	if (r->extended)
		buf_adds(b, "   DUE   MET  BRCH  OVRD  PEND  WAIT  EXCU  ATTAIN  MEDIAN     P90"
		    "   WORST UNTIMED");
	else
		buf_adds(b, "   DUE   MET  BRCH  OVRD  PEND   ATTAIN  MEDIAN     P90   WORST"
		    "  UNTIMED");
	eol(b);
}

static void group_line(struct buf *b, const struct report *r, const char *name,
		       const struct report_stats *s)
{
	char pct[REPORT_FMT_LEN], med[REPORT_FMT_LEN], p90[REPORT_FMT_LEN], w[REPORT_FMT_LEN];

	report_fmt_pct(s, pct);
	report_fmt_hm(s->median_s, med);
	report_fmt_hm(s->p90_s, p90);
	report_fmt_hm(s->worst_s, w);
	buf_adds(b, "  ");
	cell(b, name, 16, 0);
	num(b, s->due, 5);
	num(b, s->n[REPORT_MET], 5);
	num(b, s->n[REPORT_BREACHED], 5);
	num(b, s->n[REPORT_OVERDUE], 5);
	num(b, s->n[REPORT_PENDING], 5);
	if (r->extended) {
		num(b, s->waiting, 5);
		num(b, s->n[REPORT_EXCUSED], 5);
		buf_addf(b, " %7s %7s %7s %7s", pct, med, p90, w);
		num(b, s->untimed, 7);
	} else {
		buf_addf(b, " %8s %7s %7s %7s", pct, med, p90, w);
		num(b, s->untimed, 8);
	}
	eol(b);
}

static void groups(struct report_out *o, const struct report *r)
{
	struct buf *b = &o->b;
	size_t shown = 0;

	group_header(b, r, "BY PARTNER", "PARTNER");
	for (size_t i = 0; i < r->npartners; i++)
		if (r->partners[i].listed) {
			group_line(b, r, r->partners[i].p.key, &r->partners[i].stats);
			shown++;
			report_out_flush(o);
		}
	if (shown == 0)
		buf_adds(b, "  none\n");
	group_header(b, r, "BY ASSIGNEE", "ASSIGNEE");
	for (size_t i = 0; i < r->nassignees; i++) {
		const char *n = report_str(r, r->assignees[i].name);

		group_line(b, r, n ? n : "(unassigned)", &r->assignees[i].stats);
		report_out_flush(o);
	}
	if (r->nassignees == 0)
		buf_adds(b, "  none\n");
	group_header(b, r, "BY SEVERITY", "SEVERITY");
	for (int i = 0; i < STORE_NSEV; i++)
		if (r->by_severity[i].due > 0 || r->by_severity[i].untimed > 0)
			group_line(b, r, store_severity_name(i), &r->by_severity[i]);
	if (r->total.due == 0 && r->total.untimed == 0)
		buf_adds(b, "  none\n");
}

static void row_table_header(struct buf *b)
{
	buf_adds(b, "KEY        PARTNER  SEV  ASSIGNE CREATED          DEADLINE         "
	    "RESPONSE            WORK+   WALL+\n");
}

static void row_line(struct buf *b, const struct report *r, const struct report_row *row)
{
	const struct tz *tz = report_row_tz(r, row);
	char c[REPORT_FMT_LEN], dl[REPORT_FMT_LEN], resp[REPORT_FMT_LEN + 2], tmp[32];
	char w[REPORT_FMT_LEN], ww[REPORT_FMT_LEN];
	const char *a = report_str(r, row->assignee);

	report_fmt_local(tz, row->created_at, 0, c);
	report_fmt_local(tz, row->deadline_at, 0, dl);
	if (row->first_response_at != STORE_NONE)
		report_fmt_local(tz, row->first_response_at, 0, resp);
	else if (row->resolved_at != STORE_NONE) {
		char t[REPORT_FMT_LEN];

		report_fmt_local(tz, row->resolved_at, 0, t);
		snprintf(resp, sizeof resp, "%s*", t);
	} else
		snprintf(resp, sizeof resp, row->outcome == REPORT_EXCUSED ? "OPEN, excused" :
		    "OPEN");
	report_fmt_hm(row->overrun_s, w);
	report_fmt_hm(row->overrun_wall_s, ww);
	cell(b, row_key(r, row, tmp), 10, 0);
	buf_addc(b, ' ');
	cell(b, r->partners[row->partner].p.key, 8, 0);
	buf_addc(b, ' ');
	cell(b, sev_short[row->severity % STORE_NSEV], 4, 0);
	buf_addc(b, ' ');
	cell(b, a != NULL ? a : "-", 7, 0);
	buf_addc(b, ' ');
	cell(b, c, 16, 0);
	buf_addc(b, ' ');
	cell(b, dl, 16, 0);
	buf_addc(b, ' ');
	cell(b, resp, 17, 0);
	buf_addc(b, ' ');
	cell(b, w, 7, 1);
	buf_addc(b, ' ');
	cell(b, ww, 7, 1);
	eol(b);
}

static void legend(struct buf *b)
{
	wrap(b, "Times are each partner's local time. WORK+ and WALL+: how long after "
	    "the deadline the first response came (or until now, when there is none), "
	    "in working time and in wall-clock time, hours:minutes rounded up to the "
	    "minute. A RESPONSE marked * is a resolution without a recorded response, "
	    "which stops the clock.", 2, 78);
}

/* ---- the resolution clock and excused breaches ---------------------------- */

static void resolve_line(struct buf *b, const char *name, const struct report_stats *s)
{
	const struct report_resolve_stats *v = &s->resolve;
	char pct[REPORT_FMT_LEN];

	report_fmt_resolve_pct(s, pct);
	buf_adds(b, "  ");
	cell(b, name, 16, 0);
	num(b, v->timed, 5);
	num(b, v->n[REPORT_MET], 5);
	num(b, v->n[REPORT_BREACHED], 5);
	num(b, v->n[REPORT_OVERDUE], 5);
	num(b, v->n[REPORT_PENDING], 5);
	num(b, v->waiting, 5);
	num(b, v->n[REPORT_EXCUSED], 5);
	buf_addf(b, " %8s", pct);
	eol(b);
}

/* Resolution attainment per partner and overall, then the tickets whose
 * resolution deadline passed unresolved or was missed. */
static void resolution(struct report_out *o, const struct report *r)
{
	struct buf *b = &o->b;

	buf_adds(b, "\nRESOLUTION: the tickets due in the period that have a resolution target\n");
	buf_adds(b, "  PARTNER          TIMED   MET  BRCH  OVRD  PEND  WAIT  EXCU   ATTAIN\n");
	for (size_t i = 0; i < r->npartners; i++)
		if (r->partners[i].listed && r->partners[i].stats.resolve.timed > 0) {
			resolve_line(b, r->partners[i].p.key, &r->partners[i].stats);
			report_out_flush(o);
		}
	resolve_line(b, "(all)", &r->total);
	buf_addf(b, "\nRESOLUTION BREACHES IN THE PERIOD (%zu)\n", r->nresolve_breaches);
	if (r->nresolve_breaches == 0) {
		buf_adds(b, "  none\n");
		return;
	}
	buf_adds(b, "KEY        PARTNER  SEV  ASSIGNE CREATED          RESOLVE BY       "
	    "RESOLVED         STATE\n");
	for (size_t i = 0; i < r->nresolve_breaches; i++) {
		const struct report_row *row = &r->rows[r->resolve_breaches[i]];
		const struct tz *tz = report_row_tz(r, row);
		const char *a = report_str(r, row->assignee);
		char c[REPORT_FMT_LEN], dl[REPORT_FMT_LEN], rs[REPORT_FMT_LEN], tmp[32];

		report_fmt_local(tz, row->created_at, 0, c);
		report_fmt_local(tz, row->resolve_deadline_at, 0, dl);
		if (row->resolved_at != STORE_NONE)
			report_fmt_local(tz, row->resolved_at, 0, rs);
		else
			snprintf(rs, sizeof rs, "OPEN");
		cell(b, row_key(r, row, tmp), 10, 0);
		buf_addc(b, ' ');
		cell(b, r->partners[row->partner].p.key, 8, 0);
		buf_addc(b, ' ');
		cell(b, sev_short[row->severity % STORE_NSEV], 4, 0);
		buf_addc(b, ' ');
		cell(b, a != NULL ? a : "-", 7, 0);
		buf_addc(b, ' ');
		cell(b, c, 16, 0);
		buf_addc(b, ' ');
		cell(b, dl, 16, 0);
		buf_addc(b, ' ');
		cell(b, rs, 16, 0);
		buf_addc(b, ' ');
		buf_adds(b, report_outcome_name((enum report_outcome)row->resolve_outcome));
		eol(b);
		report_out_flush(o);
	}
}

/* Which clocks of an excused row are excused breaches. */
static const char *excused_clocks(const struct report_row *row)
{
	int resp = row->outcome == REPORT_EXCUSED, res = row->resolve_outcome == REPORT_EXCUSED;

	return resp && res ? "both" : resp ? "response" : "resolution";
}

/* Every excused breach with its reason and reference: the customer's
 * words, so sanitised and cut to the line. */
static void excused(struct report_out *o, const struct report *r, const char *title)
{
	struct buf *b = &o->b;

	buf_addf(b, "\n%s (%zu), left out of attainment\n", title, r->nexcused);
	if (r->nexcused == 0) {
		buf_adds(b, "  none\n");
		return;
	}
	buf_adds(b, "KEY        PARTNER  SEV  CLOCK      DEADLINE         RESPONSE          REF\n");
	for (size_t i = 0; i < r->nexcused; i++) {
		const struct report_row *row = &r->rows[r->excused[i]];
		const struct tz *tz = report_row_tz(r, row);
		const char *reason, *ref;
		char dl[REPORT_FMT_LEN], resp[REPORT_FMT_LEN], tmp[32];
		int resp_excused = row->outcome == REPORT_EXCUSED;

		report_excuse(r, row, &reason, &ref);
		report_fmt_local(tz, resp_excused ? row->deadline_at : row->resolve_deadline_at, 0,
		    dl);
		if (row->first_response_at != STORE_NONE)
			report_fmt_local(tz, row->first_response_at, 0, resp);
		else
			snprintf(resp, sizeof resp, "OPEN");
		cell(b, row_key(r, row, tmp), 10, 0);
		buf_addc(b, ' ');
		cell(b, r->partners[row->partner].p.key, 8, 0);
		buf_addc(b, ' ');
		cell(b, sev_short[row->severity % STORE_NSEV], 4, 0);
		buf_addc(b, ' ');
		cell(b, excused_clocks(row), 10, 0);
		buf_addc(b, ' ');
		cell(b, dl, 16, 0);
		buf_addc(b, ' ');
		cell(b, resp, 17, 0);
		buf_addc(b, ' ');
		put(b, ref != NULL ? ref : "-", rest(b));
		eol(b);
		buf_adds(b, "           reason: ");
		put(b, reason != NULL ? reason : "", rest(b));
		eol(b);
		report_out_flush(o);
	}
}

/* Breach i's line: on two cores through report_out_rows. */
static void breach_line(struct buf *b, size_t i, const void *arg)
{
	const struct report *r = arg;

	row_line(b, r, &r->rows[r->breaches[i]]);
}

static void breaches(struct report_out *o, const struct report *r)
{
	struct buf *b = &o->b;

	buf_addf(b, "\nBREACHES IN THE PERIOD (%zu), worst first\n", r->nbreaches);
	if (r->nbreaches == 0)
		buf_adds(b, "  none\n");
	else {
		row_table_header(b);
		report_out_rows(o, r->nbreaches, breach_line, r);
	}
	buf_addf(b, "\nOPEN AND OVERDUE NOW (%zu), whatever their deadline, worst first\n",
	    r->noverdue);
	if (r->noverdue == 0)
		buf_adds(b, "  none\n");
	else {
		row_table_header(b);
		for (size_t i = 0; i < r->noverdue; i++) {
			row_line(b, r, &r->overdue[i]);
			report_out_flush(o);
		}
	}
	if (r->nbreaches > 0 || r->noverdue > 0) {
		buf_addc(b, '\n');
		legend(b);
	}
	if (r->has_resolve)
		resolution(o, r);
	if (r->extended)
		excused(o, r, "EXCUSED BREACHES IN THE PERIOD");
}

static void bucket_table(struct buf *b, const struct report *r, const struct report_bucket *v,
			 size_t n, const char *what)
{
	buf_adds(b, "  ");
	cell(b, what, 16, 0);
	buf_adds(b, r->extended ? "   DUE   MET  BRCH  OVRD  PEND  EXCU   ATTAIN  0%         50%"
	    "      100%\n" : "   DUE   MET  BRCH  OVRD  PEND   ATTAIN  0%         50%      100%\n");
	for (size_t i = 0; i < n; i++) {
		const struct report_stats *s = &v[i].stats;
		char pct[REPORT_FMT_LEN];
		double a;

		report_fmt_pct(s, pct);
		buf_adds(b, "  ");
		cell(b, v[i].label, 16, 0);
		num(b, s->due, 5);
		num(b, s->n[REPORT_MET], 5);
		num(b, s->n[REPORT_BREACHED], 5);
		num(b, s->n[REPORT_OVERDUE], 5);
		num(b, s->n[REPORT_PENDING], 5);
		if (r->extended)
			num(b, s->n[REPORT_EXCUSED], 5);
		buf_addf(b, " %8s", pct);
		if (report_attainment(s, &a)) {
			int bars = (int)(a / 5.0 + 0.5);

			buf_adds(b, "  |");
			for (int k = 0; k < 20; k++)
				buf_addc(b, k < bars ? '#' : '.');
			buf_addc(b, '|');
		}
		eol(b);
	}
}

static void trend(struct buf *b, const struct report *r)
{
	buf_addf(b, "\nTREND: attainment per %s, by deadline in %s\n",
	    report_unit_name(r->trend_unit), tz_name(r->tz));
	bucket_table(b, r, r->trend, r->ntrend, r->trend_unit == REPORT_DAY ? "DAY" :
	    r->trend_unit == REPORT_WEEK_UNIT ? "WEEK" : "MONTH");
}

/* The name of the local weekday of instant at. */
static const char *weekday_at(const struct tz *tz, int64_t at)
{
	return civil_weekday_name(civil_weekday(civil_div(tz_utc_to_local(tz, at), CIVIL_DAY_S)));
}

/* "<label><weekday> <local time> <zone>" and the end of the line. */
static void local_line(struct buf *b, const char *label, const struct tz *tz, int64_t at)
{
	char t[REPORT_FMT_LEN];

	report_fmt_local(tz, at, 1, t);
	buf_adds(b, label);
	buf_adds(b, weekday_at(tz, at));
	buf_addc(b, ' ');
	buf_adds(b, t);
	buf_addc(b, '\n');
}

static void explain_one(struct buf *b, const struct report *r, size_t nth,
			const struct report_explain *e)
{
	const struct report_row *row = &r->rows[e->row];
	const struct report_partner *p = &r->partners[row->partner];
	const struct tz *tz = report_row_tz(r, row);
	char t[REPORT_FMT_LEN], tmp[32], w[REPORT_FMT_LEN], ww[REPORT_FMT_LEN];
	char tgt[REPORT_FMT_LEN];

	(void)nth;	/* each explanation stands alone: no separator */
	buf_adds(b, "\n  ");
	put(b, row_key(r, row, tmp), 24);
	report_fmt_hm(row->target_s, tgt);
	buf_adds(b, " (#");
	report_add_i64(b, row->id);
	buf_adds(b, "), ");
	put(b, p->p.key, 24);
	buf_adds(b, ", ");
	buf_adds(b, store_severity_name(row->severity));
	buf_adds(b, ", target ");
	buf_adds(b, tgt);
	buf_adds(b, " working");
	eol(b);
	local_line(b, "    created   ", tz, row->created_at);
	if (e->error[0] != '\0') {
		buf_adds(b, "    no explanation: ");
		put(b, e->error, rest(b));
		eol(b);
	}
	for (size_t i = 0; i < e->nsteps; i++) {
		const struct cal_step *s = &e->steps[i];
		char day[CIVIL_ISO_LEN], from[REPORT_FMT_LEN], to[REPORT_FMT_LEN], len[REPORT_FMT_LEN];
		char total[REPORT_FMT_LEN], where[64];

		civil_format_day(s->day, day);
		buf_adds(b, "    ");
		buf_adds(b, civil_weekday_name(civil_weekday(s->day)));
		buf_addc(b, ' ');
		buf_adds(b, day);
		buf_adds(b, "  ");
		if (s->kind == CAL_STEP_COUNTED || s->kind == CAL_STEP_CLOSURE) {
			report_fmt_clock(tz, s->start_at, s->day, from);
			report_fmt_clock(tz, s->end_at, s->day, to);
			cell(b, from, 5, 1);
			buf_addc(b, '-');
			cell(b, to, 5, 0);
			buf_adds(b, "  ");
		} else
			buf_adds(b, "             ");
		switch (s->kind) {
		case CAL_STEP_COUNTED:
			report_fmt_step_hm(s->total_s, s->end_at - s->start_at, len);
			report_fmt_hm(s->total_s, total);
			buf_adds(b, "counted ");
			cell(b, len, 6, 1);
			buf_adds(b, "  total ");
			buf_adds(b, total);
			break;
		case CAL_STEP_WEEKEND:
			buf_adds(b, "skipped  weekend");
			break;
		case CAL_STEP_HOLIDAY:
		case CAL_STEP_CLOSURE:
		case CAL_STEP_MAKEUP:
			buf_adds(b, s->kind == CAL_STEP_HOLIDAY ? "skipped  holiday: " :
			    s->kind == CAL_STEP_CLOSURE ? "closed   " : "make-up working day: ");
			{
				/* the name takes what the file's name (at most 20
				 * columns; its full source is under PARTNERS) and
				 * the line number leave */
				const char *file = s->source ? base_name(s->source) : "?";
				size_t fw = strlen(file) < 20 ? strlen(file) : 20;
				size_t left, need;

				snprintf(where, sizeof where, ":%d)", s->line);
				left = rest(b);
				need = 2 + fw + strlen(where);

				put(b, s->name ? s->name : "", left > need + 8 ? left - need : 8);
				buf_adds(b, " (");
				put(b, file, 20);
				buf_adds(b, where);
			}
			break;
		}
		eol(b);
	}
	local_line(b, "    deadline  ", tz, row->deadline_at);
	if (e->computed_at != STORE_NONE && e->computed_at != row->deadline_at) {
		report_fmt_local(tz, e->computed_at, 1, t);
		buf_addf(b, "    (the partner's schedule has changed since: today it gives %s;\n"
		    "    the stored deadline above is the one that was in force)\n", t);
	}
	report_fmt_hm(row->overrun_s, w);
	report_fmt_hm(row->overrun_wall_s, ww);
	if (row->first_response_at != STORE_NONE || row->resolved_at != STORE_NONE) {
		int64_t at = row->first_response_at != STORE_NONE ? row->first_response_at :
		    row->resolved_at;

		report_fmt_local(tz, at, 1, t);
		buf_adds(b, "    ");
		buf_adds(b, row->first_response_at != STORE_NONE ? "response" : "resolved");
		buf_adds(b, "  ");
		buf_adds(b, weekday_at(tz, at));
		buf_addc(b, ' ');
		buf_adds(b, t);
		buf_adds(b, ": ");
		buf_adds(b, w);
		buf_adds(b, " working, ");
		buf_adds(b, ww);
		buf_adds(b, " wall clock late\n");
	} else {
		buf_adds(b, "    response  none yet: ");
		buf_adds(b, w);
		buf_adds(b, " working, ");
		buf_adds(b, ww);
		buf_adds(b, " wall clock overdue now\n");
	}
}

static void evidence(struct report_out *o, const struct report *r)
{
	const struct store_audit_result *a;
	struct buf *b = &o->b;
	char t[REPORT_FMT_LEN];

	buf_adds(b, "\nEVIDENCE\n");
	buf_adds(b, "\nPARTNERS AND CALENDARS\n");
	for (size_t i = 0; i < r->npartners; i++) {
		const struct store_partner *p = &r->partners[i].p;
		char wd[STORE_TEXT_LEN];
		struct buf line = BUF_INIT;

		if (!r->partners[i].in_scope || (!r->partners[i].listed &&
		    p->archived_at != STORE_NONE))
			continue;
		buf_adds(b, "  ");
		put(b, p->key, 32);
		buf_adds(b, "  ");
		put(b, p->name, 60);
		eol(b);
		store_workdays_format(p->workdays, wd);
		text_add_safe(&line, p->zone, 0);
		buf_addf(&line, ", week %s, hours %s, targets", wd,
		    p->hours != NULL && *p->hours != '\0' ? p->hours : "00:00-24:00");
		for (int s = 0; s < STORE_NSEV; s++) {
			char dur[STORE_TEXT_LEN];

			store_duration_format(p->target_s[s], dur);
			buf_addf(&line, " %s %s%s", store_severity_name(s), dur,
			    s + 1 < STORE_NSEV ? "," : "");
		}
		for (int s = 0, first = 1; s < STORE_NSEV; s++) {
			char dur[STORE_TEXT_LEN];

			if (p->resolve_s[s] == STORE_NONE)
				continue;
			store_duration_format(p->resolve_s[s], dur);
			buf_addf(&line, "%s %s %s", first ? "; resolution targets" : ",",
			    store_severity_name(s), dur);
			first = 0;
		}
		if (p->archived_at != STORE_NONE)
			buf_adds(&line, " (archived)");
		wrap(b, buf_str(&line), 4, 96);
		buf_release(&line);
		if (p->ncalendars == 0)
			buf_adds(b, "    no holiday calendar: every working weekday counts\n");
		for (size_t c = 0; c < p->ncalendars; c++) {
			const struct store_calendar *cal = &p->calendars[c];

			buf_addf(b, "    calendar %zu  ", c + 1);
			cell(b, cal->source, WIDTH - 20, 0);
			eol(b);
			buf_addf(b, "      sha256  %s\n", cal->digest);
			civil_format_utc(cal->fetched_at, t);
			buf_addf(b, "      read    %s", t);
			if (cal->last_error != NULL) {
				buf_adds(b, "; last refresh failed: ");
				put(b, cal->last_error, rest(b));
			}
			eol(b);
		}
		report_out_flush(o);
	}
	buf_adds(b, "\nHOW DEADLINES ARE COMPUTED\n");
	wrap(b, report_rule_text, 2, 78);
	buf_adds(b, "\nATTAINMENT PER MONTH\n");
	bucket_table(b, r, r->months, r->nmonths, "MONTH");
	buf_addf(b, "\nEVERY BREACH EXPLAINED (%zu), worst first\n", r->nbreaches);
	if (r->nbreaches == 0)
		buf_adds(b, "  none\n");
	report_out_explanations(o, r, explain_one);
	if (r->extended)
		excused(o, r, "EVERY EXCUSED BREACH");
	buf_adds(b, "\nAUDIT TRAIL\n");
	report_fmt_local(r->tz, r->now_at, 1, t);
	buf_addf(b, "  verified   %s (the report's now)\n", t);
	if ((a = report_audit(r, o)) == NULL)
		return;
	if (a->bad_id != 0) {
		buf_addf(b, "  result     BROKEN at event %lld (%lld events read): ",
		    (long long)a->bad_id, (long long)a->nevents);
		put(b, a->problem, rest(b));
		eol(b);
	} else
		buf_addf(b, "  result     intact: %lld event%s, every hash checked\n",
		    (long long)a->nevents, a->nevents == 1 ? "" : "s");
	buf_addf(b, "  head hash  %s\n", a->head_hash[0] ? a->head_hash : "(empty)");
}

int report_render_text(const struct report *r, const struct report_sink *sink,
		       struct diag *d)
{
	struct report_out o;

	report_out_init(&o, sink);
	header(&o.b, r);
	summary(&o.b, r);
	groups(&o, r);
	breaches(&o, r);
	trend(&o.b, r);
	report_out_flush(&o);
	if (r->evidence)
		evidence(&o, r);
	buf_addc(&o.b, '\n');
	wrap(&o.b, report_attainment_text, 0, 78);
	if (r->extended) {
		buf_addc(&o.b, '\n');
		wrap(&o.b, report_excused_text, 0, 78);
	}
	if (r->has_resolve) {
		buf_addc(&o.b, '\n');
		wrap(&o.b, report_resolve_text, 0, 78);
	}
	return report_out_finish(&o, d);
}
