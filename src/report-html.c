/* report-html.c: the report as one self-contained HTML page (see
 * report.h): inline CSS, no scripts, no external resources, written as
 * well-formed XHTML-style markup (every element closed, attributes quoted,
 * only the five XML entities) so it reads the same in a browser, a mail
 * client or an XML parser.  Two inline SVG charts: attainment per trend
 * bucket as bars against the 100% line, and breaches per partner.  Every
 * table stands on its own, for mail clients that drop SVG. */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "cal.h"
#include "civil.h"
#include "text.h"
#include "tz.h"

static const char style[] =
	"body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0 auto;"
	"padding:12px;color:#1a1a1a;background:#fff;max-width:980px;line-height:1.35}"
	"h1{font-size:1.35em;margin:.2em 0}"
	"h2{font-size:1.1em;border-bottom:1px solid #ccc;padding-bottom:2px;margin-top:1.6em}"
	"h3{font-size:1em;margin:1.2em 0 .3em}"
	"table{border-collapse:collapse;font-size:.9em;margin:.3em 0}"
	"th,td{padding:3px 7px;border-bottom:1px solid #e4e4e4;text-align:left;"
	"vertical-align:top;white-space:nowrap}"
	"th{background:#f4f4f4}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	"td.w{white-space:normal;min-width:12em}"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}"
	".bad{color:#b3261e;font-weight:bold}"
	".ok{color:#1b5e20}"
	".muted{color:#5f6368}"
	".kpi{display:inline-block;min-width:8.5em;margin:0 6px 6px 0;padding:6px 9px;"
	"border:1px solid #ddd;border-radius:6px;vertical-align:top}"
	".kpi b{display:block;font-size:1.35em}"
	".mono{font-family:Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:.85em;"
	"word-break:break-all}"
	"svg{max-width:100%;height:auto;display:block}"
	"@media (max-width:600px){body{padding:6px}th,td{padding:2px 4px}"
	".kpi{min-width:7em}}";

/* Text for element content and attribute values: sanitised (controls
 * made visible, invalid UTF-8 replaced), then the five XML specials
 * escaped. */
static void esc(struct buf *b, const char *s)
{
	struct buf t = BUF_INIT;
	const char *p;

	if (s != NULL && text_plain_span(s, strcspn(s, "&<>\"'")) == strlen(s)) {
		buf_adds(b, s);		/* nothing to sanitise or escape */
		return;
	}
	text_add_safe(&t, s != NULL ? s : "", 0);
	for (p = buf_str(&t); *p != '\0'; p++) {
		switch (*p) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			buf_addc(b, *p);
		}
	}
	buf_release(&t);
}

static void td_num(struct buf *b, int64_t v)
{
	buf_adds(b, "<td class=\"n\">");
	report_add_i64(b, v);
	buf_adds(b, "</td>");
}

static void td_text(struct buf *b, const char *cls, const char *s)
{
	if (cls != NULL)
		buf_addl(b, "<td class=\"", cls, "\">", NULL);
	else
		buf_adds(b, "<td>");
	esc(b, s);
	buf_adds(b, "</td>");
}

static const char *row_key(const struct report *r, const struct report_row *row, char tmp[32])
{
	const char *k = report_str(r, row->key);

	if (k != NULL)
		return k;
	snprintf(tmp, 32, "#%lld", (long long)row->id);
	return tmp;
}

static const char *period_name(enum report_period p)
{
	static const char *const v[] = {
		"yesterday", "today", "week", "month", "year", "range"
	};

	return (unsigned)p < sizeof v / sizeof v[0] ? v[p] : "?";
}

/* ---- sections ------------------------------------------------------------ */

static void kpi(struct buf *b, const char *label, const char *value, const char *cls)
{
	buf_adds(b, "<div class=\"kpi\">");
	esc(b, label);
	if (cls != NULL)
		buf_addf(b, "<b class=\"%s\">", cls);
	else
		buf_adds(b, "<b>");
	esc(b, value);
	buf_adds(b, "</b></div>\n");
}

static void head(struct buf *b, const struct report *r)
{
	char from[REPORT_FMT_LEN], to[REPORT_FMT_LEN], now[REPORT_FMT_LEN];
	struct buf scope = BUF_INIT;

	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	    "<meta name=\"color-scheme\" content=\"light\"/>\n<title>SLA report ");
	esc(b, r->label);
	buf_addf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>SLA report ", style);
	esc(b, r->label);
	buf_addf(b, " <span class=\"muted\">(%s, ", period_name(r->period));
	esc(b, tz_name(r->tz));
	buf_adds(b, ")</span></h1>\n");
	report_fmt_local(r->tz, r->from_at, 1, from);
	report_fmt_local(r->tz, r->to_at, 1, to);
	report_fmt_local(r->tz, r->now_at, 1, now);
	report_scope(r, &scope);
	buf_adds(b, "<p>Period <b>");
	esc(b, from);
	buf_adds(b, "</b> to <b>");
	esc(b, to);
	buf_adds(b, "</b><br/>Now ");
	esc(b, now);
	buf_adds(b, "<br/>Scope: ");
	esc(b, buf_str(&scope));
	buf_adds(b, "</p>\n");
	buf_release(&scope);
}

static void summary(struct buf *b, const struct report *r)
{
	const struct report_stats *s = &r->total;
	char v[REPORT_FMT_LEN], w[REPORT_FMT_LEN], n[32];
	double pct;
	int has = report_attainment(s, &pct);

	buf_adds(b, "<h2>Summary</h2>\n<div>\n");
	report_fmt_pct(s, v);
	kpi(b, "Attainment", v, !has ? NULL : pct >= 100.0 ? "ok" : "bad");
	snprintf(n, sizeof n, "%lld", (long long)s->due);
	kpi(b, "Due in the period", n, NULL);
	snprintf(n, sizeof n, "%lld", (long long)s->n[REPORT_MET]);
	kpi(b, "Met", n, NULL);
	snprintf(n, sizeof n, "%lld", (long long)s->n[REPORT_BREACHED]);
	kpi(b, "Breached", n, s->n[REPORT_BREACHED] ? "bad" : NULL);
	snprintf(n, sizeof n, "%lld", (long long)s->n[REPORT_OVERDUE]);
	kpi(b, "Open and overdue", n, s->n[REPORT_OVERDUE] ? "bad" : NULL);
	snprintf(n, sizeof n, "%lld", (long long)s->n[REPORT_PENDING]);
	kpi(b, "Pending", n, NULL);
	report_fmt_hm(s->median_s, v);
	kpi(b, "First response, median", v, NULL);
	report_fmt_hm(s->p90_s, v);
	kpi(b, "First response, 90th pct", v, NULL);
	report_fmt_hm(s->worst_s, v);
	if (s->worst_row >= 0) {
		char tmp[32];

		report_fmt_hm(s->worst_wall_s, w);
		snprintf(n, sizeof n, "%s", row_key(r, &r->rows[s->worst_row], tmp));
		buf_adds(b, "<div class=\"kpi\">Worst overrun<b class=\"bad\">");
		esc(b, v);
		buf_adds(b, "</b>");
		esc(b, n);
		buf_adds(b, ", ");
		esc(b, w);
		buf_adds(b, " wall clock</div>\n");
	} else
		kpi(b, "Worst overrun", "-", NULL);
	snprintf(n, sizeof n, "%lld", (long long)s->untimed);
	kpi(b, "Not timed (counts only)", n, NULL);
	buf_adds(b, "</div>\n<p class=\"muted\">Due: the deadline lies inside the period. "
	    "Met: first response at or before the deadline. Breached: after it. "
	    "Open and overdue: no response and the deadline has passed. ");
	esc(b, report_attainment_text);
	buf_adds(b, ". First-response times and overruns are in working hours:minutes, "
	    "rounded up to the minute; medians and 90th percentiles by nearest rank.</p>\n");
}

static void group_head(struct buf *b, const char *title, const char *what)
{
	buf_adds(b, "<h2>");
	esc(b, title);
	buf_adds(b, "</h2>\n<div class=\"scroll\"><table>\n<tr><th>");
	esc(b, what);
	buf_adds(b, "</th><th class=\"n\">Due</th><th class=\"n\">Met</th>"
	    "<th class=\"n\">Breached</th><th class=\"n\">Open, overdue</th>"
	    "<th class=\"n\">Pending</th><th class=\"n\">Attainment</th>"
	    "<th class=\"n\">Median</th><th class=\"n\">P90</th>"
	    "<th class=\"n\">Worst</th><th class=\"n\">Not timed</th></tr>\n");
}

static void group_row(struct buf *b, const char *name, const struct report_stats *s)
{
	char v[REPORT_FMT_LEN];
	double pct;

	buf_adds(b, "<tr>");
	td_text(b, NULL, name);
	td_num(b, s->due);
	td_num(b, s->n[REPORT_MET]);
	td_num(b, s->n[REPORT_BREACHED]);
	td_num(b, s->n[REPORT_OVERDUE]);
	td_num(b, s->n[REPORT_PENDING]);
	report_fmt_pct(s, v);
	td_text(b, report_attainment(s, &pct) && pct < 100.0 ? "n bad" : "n", v);
	report_fmt_hm(s->median_s, v);
	td_text(b, "n", v);
	report_fmt_hm(s->p90_s, v);
	td_text(b, "n", v);
	report_fmt_hm(s->worst_s, v);
	td_text(b, "n", v);
	td_num(b, s->untimed);
	buf_adds(b, "</tr>\n");
}

static void groups(struct report_out *o, const struct report *r)
{
	struct buf *b = &o->b;

	group_head(b, "By partner", "Partner");
	for (size_t i = 0; i < r->npartners; i++)
		if (r->partners[i].listed) {
			group_row(b, r->partners[i].p.key, &r->partners[i].stats);
			report_out_flush(o);
		}
	buf_adds(b, "</table></div>\n");
	group_head(b, "By assignee", "Assignee");
	for (size_t i = 0; i < r->nassignees; i++) {
		const char *n = report_str(r, r->assignees[i].name);

		group_row(b, n ? n : "(unassigned)", &r->assignees[i].stats);
		report_out_flush(o);
	}
	buf_adds(b, "</table></div>\n");
	group_head(b, "By severity", "Severity");
	for (int i = 0; i < STORE_NSEV; i++)
		if (r->by_severity[i].due > 0 || r->by_severity[i].untimed > 0)
			group_row(b, store_severity_name(i), &r->by_severity[i]);
	buf_adds(b, "</table></div>\n");
}

static void rows_table(struct report_out *o, const struct report *r,
		       const struct report_row *rows, const size_t *order, size_t n)
{
	struct buf *b = &o->b;

	if (n == 0) {
		buf_adds(b, "<p>None.</p>\n");
		return;
	}
	buf_adds(b, "<div class=\"scroll\"><table>\n<tr><th>Key</th><th>Partner</th>"
	    "<th>Severity</th><th>Assignee</th><th>Created</th><th>Deadline</th>"
	    "<th>First response</th><th class=\"n\">Overrun, working</th>"
	    "<th class=\"n\">Overrun, wall clock</th><th>Summary</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		const struct report_row *row = &rows[order != NULL ? order[i] : i];
		const struct tz *tz = report_row_tz(r, row);
		char t[REPORT_FMT_LEN], tmp[32];
		const char *a = report_str(r, row->assignee);

		buf_adds(b, "<tr>");
		td_text(b, NULL, row_key(r, row, tmp));
		td_text(b, NULL, r->partners[row->partner].p.key);
		td_text(b, NULL, store_severity_name(row->severity));
		td_text(b, a ? NULL : "muted", a ? a : "-");
		report_fmt_local(tz, row->created_at, 1, t);
		td_text(b, NULL, t);
		report_fmt_local(tz, row->deadline_at, 1, t);
		td_text(b, NULL, t);
		if (row->first_response_at != STORE_NONE) {
			report_fmt_local(tz, row->first_response_at, 1, t);
			td_text(b, NULL, t);
		} else if (row->resolved_at != STORE_NONE) {
			char u[REPORT_FMT_LEN + 16];

			report_fmt_local(tz, row->resolved_at, 1, t);
			snprintf(u, sizeof u, "resolved %s", t);
			td_text(b, NULL, u);
		} else
			td_text(b, "bad", "OPEN");
		report_fmt_hm(row->overrun_s, t);
		td_text(b, "n bad", t);
		report_fmt_hm(row->overrun_wall_s, t);
		td_text(b, "n", t);
		td_text(b, "w", report_str(r, row->summary));
		buf_adds(b, "</tr>\n");
		report_out_flush(o);
	}
	buf_adds(b, "</table></div>\n<p class=\"muted\">Times are each partner's local time. "
	    "Overruns run from the deadline to the first response (to now while there "
	    "is none), in working time and in wall-clock time, hours:minutes.</p>\n");
}

/* ---- charts ----------------------------------------------------------------- */

#define CW 640			/* chart viewBox width */

static void attainment_chart(struct buf *b, const struct report_bucket *v, size_t n,
			     const char *what)
{
	const int left = 40, right = CW - 8, top = 12, bottom = 172, height = 200;
	double slot = n ? (double)(right - left) / (double)n : 0;
	size_t every = n > 12 ? (n + 11) / 12 : 1;

	buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"attainment per ", CW, height,
	    CW, height);
	esc(b, what);
	buf_adds(b, "\"><title>Attainment per ");
	esc(b, what);
	buf_adds(b, ", against the 100% line</title>\n");
	buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
	    "stroke=\"#ddd\"/>\n", left, top, right - left, bottom - top);
	for (int pct = 0; pct <= 100; pct += 50) {
		int y = bottom - (bottom - top) * pct / 100;

		buf_addf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" "
		    "fill=\"#5f6368\">%d%%</text>\n", left - 4, y + 3, pct);
		if (pct == 50)
			buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			    "stroke=\"#e0e0e0\"/>\n", left, y, right, y);
	}
	for (size_t i = 0; i < n; i++) {
		const struct report_stats *s = &v[i].stats;
		double x = left + slot * (double)i + slot * 0.12, w = slot * 0.76, pct;
		char p[REPORT_FMT_LEN];

		if (report_attainment(s, &pct)) {
			double h = (bottom - top) * pct / 100.0;
			const char *fill = pct >= 100.0 ? "#2e7d32" : pct >= 90.0 ? "#f9a825" :
			    "#c62828";

			report_fmt_pct(s, p);
			buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			    "fill=\"%s\"><title>", x, bottom - h, w, h < 1 ? 1.0 : h, fill);
			esc(b, v[i].label);
			buf_addf(b, ": %s (%lld met of %lld decided)</title></rect>\n", p,
			    (long long)s->n[REPORT_MET], (long long)(s->n[REPORT_MET] +
			    s->n[REPORT_BREACHED] + s->n[REPORT_OVERDUE]));
		} else {
			buf_addf(b, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"2\" "
			    "fill=\"#bdbdbd\"><title>", x, bottom - 2, w);
			esc(b, v[i].label);
			buf_adds(b, ": nothing decided</title></rect>\n");
		}
		if (i % every == 0) {
			const char *l = v[i].label;
			const char *sp = strchr(l, ' ');

			/* "Mon 2026-01-12" -> "01-12" */
			if (sp != NULL && strlen(sp + 1) == 10)
				l = sp + 6;
			buf_addf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" "
			    "text-anchor=\"middle\" fill=\"#5f6368\">", x + w / 2, bottom + 13);
			esc(b, l);
			buf_adds(b, "</text>\n");
		}
	}
	buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1a1a1a\" "
	    "stroke-dasharray=\"5,3\" stroke-width=\"1.2\"/>\n", left, top, right, top);
	buf_addf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" "
	    "fill=\"#1a1a1a\">target 100%%</text>\n", right - 2, top + 10);
	if (n == 0)
		buf_addf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
		    "fill=\"#5f6368\">no tickets due</text>\n", (left + right) / 2,
		    (top + bottom) / 2);
	buf_adds(b, "</svg>\n");
}

static void breach_chart(struct buf *b, const struct report *r)
{
	int64_t max = 0;
	size_t rows = 0, k = 0;
	const int left = 130, right = CW - 40, bar = 18, gap = 6;
	int height;

	for (size_t i = 0; i < r->npartners; i++)
		if (r->partners[i].listed) {
			int64_t v = r->partners[i].stats.n[REPORT_BREACHED] +
			    r->partners[i].stats.n[REPORT_OVERDUE];

			rows++;
			if (v > max)
				max = v;
		}
	height = (int)(rows ? rows : 1) * (bar + gap) + gap;
	buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"breaches per partner\">"
	    "<title>Breaches per partner (breached plus open and overdue)</title>\n",
	    CW, height, CW, height);
	if (rows == 0)
		buf_addf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#5f6368\">"
		    "no tickets due</text>\n", 8, gap + 13);
	for (size_t i = 0; i < r->npartners; i++) {
		const struct report_stats *s = &r->partners[i].stats;
		int64_t v = s->n[REPORT_BREACHED] + s->n[REPORT_OVERDUE];
		int y = gap + (int)k * (bar + gap);
		double w = max > 0 ? (double)(right - left) * (double)v / (double)max : 0;

		if (!r->partners[i].listed)
			continue;
		k++;
		buf_addf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" "
		    "fill=\"#1a1a1a\">", left - 6, y + 13);
		{
			/* long keys are cut so they stay left of the bars */
			char cut[20];

			snprintf(cut, sizeof cut, "%s", r->partners[i].p.key);
			if (strlen(r->partners[i].p.key) >= sizeof cut)
				memcpy(cut + sizeof cut - 4, "...", 4);
			esc(b, cut);
		}
		buf_adds(b, "</text>\n");
		buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
		    "<title>", left, y, w < 1 && v > 0 ? 1.0 : w, bar, v ? "#c62828" : "#bdbdbd");
		esc(b, r->partners[i].p.key);
		buf_addf(b, ": %lld breached, %lld open and overdue, of %lld due</title></rect>\n",
		    (long long)s->n[REPORT_BREACHED], (long long)s->n[REPORT_OVERDUE],
		    (long long)s->due);
		buf_addf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#1a1a1a\">%lld"
		    "</text>\n", left + w + 4, y + 13, (long long)v);
	}
	buf_adds(b, "</svg>\n");
}

static void bucket_table(struct buf *b, const struct report_bucket *v, size_t n,
			 const char *what)
{
	buf_adds(b, "<div class=\"scroll\"><table>\n<tr><th>");
	esc(b, what);
	buf_adds(b, "</th><th class=\"n\">Due</th><th class=\"n\">Met</th>"
	    "<th class=\"n\">Breached</th><th class=\"n\">Open, overdue</th>"
	    "<th class=\"n\">Pending</th><th class=\"n\">Attainment</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		const struct report_stats *s = &v[i].stats;
		char p[REPORT_FMT_LEN];
		double pct;

		report_fmt_pct(s, p);
		buf_adds(b, "<tr>");
		td_text(b, NULL, v[i].label);
		td_num(b, s->due);
		td_num(b, s->n[REPORT_MET]);
		td_num(b, s->n[REPORT_BREACHED]);
		td_num(b, s->n[REPORT_OVERDUE]);
		td_num(b, s->n[REPORT_PENDING]);
		td_text(b, report_attainment(s, &pct) && pct < 100.0 ? "n bad" : "n", p);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table></div>\n");
}

/* ---- evidence ---------------------------------------------------------------- */

static void explain_one(struct buf *b, const struct report *r, size_t nth,
			const struct report_explain *e)
{
	const struct report_row *row = &r->rows[e->row];
	const struct tz *tz = report_row_tz(r, row);
	char t[REPORT_FMT_LEN], tmp[32], w[REPORT_FMT_LEN], ww[REPORT_FMT_LEN];

	(void)nth;	/* each explanation stands alone: no separator */
	buf_adds(b, "<h3>");
	esc(b, row_key(r, row, tmp));
	buf_adds(b, " <span class=\"muted\">#");
	report_add_i64(b, row->id);
	buf_adds(b, ", ");
	esc(b, r->partners[row->partner].p.key);
	buf_addl(b, ", ", store_severity_name(row->severity), ", target ", NULL);
	report_fmt_hm(row->target_s, t);
	esc(b, t);
	buf_adds(b, " working</span></h3>\n<div class=\"scroll\"><table>\n");
	report_fmt_local(tz, row->created_at, 1, t);
	buf_adds(b, "<tr><th>created</th><td colspan=\"3\">");
	esc(b, t);
	buf_adds(b, "</td></tr>\n");
	if (e->error[0] != '\0') {
		buf_adds(b, "<tr><th>no explanation</th><td colspan=\"3\">");
		esc(b, e->error);
		buf_adds(b, "</td></tr>\n");
	}
	for (size_t i = 0; i < e->nsteps; i++) {
		const struct cal_step *s = &e->steps[i];
		char day[CIVIL_ISO_LEN], from[REPORT_FMT_LEN], to[REPORT_FMT_LEN], len[REPORT_FMT_LEN];
		char total[REPORT_FMT_LEN];

		civil_format_day(s->day, day);
		buf_addl(b, "<tr><td>", civil_weekday_name(civil_weekday(s->day)), " ", day,
		    "</td>", NULL);
		if (s->kind == CAL_STEP_COUNTED || s->kind == CAL_STEP_CLOSURE) {
			report_fmt_clock(tz, s->start_at, s->day, from);
			report_fmt_clock(tz, s->end_at, s->day, to);
			buf_addl(b, "<td>", from, "&#8211;", to, "</td>", NULL);
		} else
			buf_adds(b, "<td></td>");
		switch (s->kind) {
		case CAL_STEP_COUNTED:
			report_fmt_hm(s->end_at - s->start_at, len);
			report_fmt_hm(s->total_s, total);
			buf_addl(b, "<td>counted ", len, "</td><td>total ", total, "</td>", NULL);
			break;
		case CAL_STEP_WEEKEND:
			buf_adds(b, "<td colspan=\"2\">skipped: weekend</td>");
			break;
		default:
			buf_addf(b, "<td colspan=\"2\" class=\"w\">%s: ",
			    s->kind == CAL_STEP_HOLIDAY ? "skipped: holiday" :
			    s->kind == CAL_STEP_CLOSURE ? "closed" : "make-up working day");
			esc(b, s->name ? s->name : "");
			buf_adds(b, " <span class=\"muted\">(");
			esc(b, s->source ? s->source : "?");
			buf_addf(b, ":%d)</span></td>", s->line);
			break;
		}
		buf_adds(b, "</tr>\n");
	}
	report_fmt_local(tz, row->deadline_at, 1, t);
	buf_adds(b, "<tr><th>deadline</th><td colspan=\"3\">");
	esc(b, t);
	if (e->computed_at != STORE_NONE && e->computed_at != row->deadline_at) {
		report_fmt_local(tz, e->computed_at, 1, t);
		buf_adds(b, " <span class=\"muted\">(stored when the ticket was recorded; the "
		    "partner's schedule has changed since and today gives ");
		esc(b, t);
		buf_adds(b, ")</span>");
	}
	buf_adds(b, "</td></tr>\n");
	report_fmt_hm(row->overrun_s, w);
	report_fmt_hm(row->overrun_wall_s, ww);
	if (row->first_response_at != STORE_NONE || row->resolved_at != STORE_NONE) {
		int64_t at = row->first_response_at != STORE_NONE ? row->first_response_at :
		    row->resolved_at;

		report_fmt_local(tz, at, 1, t);
		buf_addl(b, "<tr><th>", row->first_response_at != STORE_NONE ? "first response" :
		    "resolved", "</th><td colspan=\"3\">", NULL);
		esc(b, t);
	} else
		buf_adds(b, "<tr><th>first response</th><td colspan=\"3\">none yet");
	buf_adds(b, ": <span class=\"bad\">");
	esc(b, w);
	buf_adds(b, "</span> working, ");
	esc(b, ww);
	buf_adds(b, " wall clock after the deadline</td></tr>\n</table></div>\n");
}

static void evidence(struct report_out *o, const struct report *r)
{
	const struct store_audit_result *a;
	struct buf *b = &o->b;
	char t[REPORT_FMT_LEN];

	buf_adds(b, "<h2>Evidence: partners and their calendars</h2>\n");
	for (size_t i = 0; i < r->npartners; i++) {
		const struct store_partner *p = &r->partners[i].p;
		char wd[STORE_TEXT_LEN];

		if (!r->partners[i].in_scope || (!r->partners[i].listed &&
		    p->archived_at != STORE_NONE))
			continue;
		buf_adds(b, "<h3>");
		esc(b, p->key);
		buf_adds(b, " <span class=\"muted\">");
		esc(b, p->name);
		buf_adds(b, p->archived_at != STORE_NONE ? " (archived)</span></h3>\n" :
		    "</span></h3>\n");
		store_workdays_format(p->workdays, wd);
		buf_adds(b, "<p>Zone ");
		esc(b, p->zone);
		buf_adds(b, ", working days ");
		esc(b, wd);
		buf_adds(b, ", hours ");
		esc(b, p->hours != NULL && *p->hours != '\0' ? p->hours : "00:00-24:00");
		buf_adds(b, ", targets:");
		for (int s = 0; s < STORE_NSEV; s++) {
			char dur[STORE_TEXT_LEN];

			store_duration_format(p->target_s[s], dur);
			buf_addf(b, " %s %s%s", store_severity_name(s), dur,
			    s + 1 < STORE_NSEV ? "," : ".");
		}
		buf_adds(b, "</p>\n");
		if (p->ncalendars == 0) {
			buf_adds(b, "<p>No holiday calendar: every working weekday counts.</p>\n");
			continue;
		}
		buf_adds(b, "<div class=\"scroll\"><table>\n<tr><th>#</th><th>Calendar file</th>"
		    "<th>SHA-256 of the copy in use</th><th>Read</th></tr>\n");
		for (size_t c = 0; c < p->ncalendars; c++) {
			const struct store_calendar *cal = &p->calendars[c];

			buf_addf(b, "<tr><td class=\"n\">%zu</td>", c + 1);
			td_text(b, "w", cal->source);
			td_text(b, "mono", cal->digest);
			civil_format_utc(cal->fetched_at, t);
			buf_adds(b, "<td>");
			esc(b, t);
			if (cal->last_error != NULL) {
				buf_adds(b, "<br/><span class=\"bad\">last refresh failed: ");
				esc(b, cal->last_error);
				buf_adds(b, "</span>");
			}
			buf_adds(b, "</td></tr>\n");
		}
		buf_adds(b, "</table></div>\n");
		report_out_flush(o);
	}
	buf_adds(b, "<h2>Evidence: how deadlines are computed</h2>\n<p>");
	esc(b, report_rule_text);
	buf_adds(b, "</p>\n<h2>Evidence: attainment per month</h2>\n");
	attainment_chart(b, r->months, r->nmonths, "month");
	bucket_table(b, r->months, r->nmonths, "Month");
	buf_addf(b, "<h2>Evidence: every breach explained (%zu)</h2>\n", r->nbreaches);
	if (r->nbreaches == 0)
		buf_adds(b, "<p>No breach in the period.</p>\n");
	report_out_explanations(o, r, explain_one);
	buf_adds(b, "<h2>Evidence: audit trail</h2>\n<div class=\"scroll\"><table>\n"
	    "<tr><th>Verified</th><td>");
	report_fmt_local(r->tz, r->now_at, 1, t);
	esc(b, t);
	buf_adds(b, " (the time of this report)</td></tr>\n<tr><th>Result</th>");
	if ((a = report_audit(r, o)) == NULL)
		return;
	if (a->bad_id != 0) {
		buf_addf(b, "<td class=\"bad\">BROKEN at event %lld (%lld events read): ",
		    (long long)a->bad_id, (long long)a->nevents);
		esc(b, a->problem);
		buf_adds(b, "</td></tr>\n");
	} else
		buf_addf(b, "<td class=\"ok\">intact: %lld event%s, every hash checked</td></tr>\n",
		    (long long)a->nevents, a->nevents == 1 ? "" : "s");
	buf_adds(b, "<tr><th>Head hash</th>");
	td_text(b, "mono", a->head_hash[0] ? a->head_hash : "(empty)");
	buf_adds(b, "</tr>\n</table></div>\n");
}

int report_render_html(const struct report *r, const struct report_sink *sink,
		       struct diag *d)
{
	struct report_out o;
	struct buf *b = &o.b;

	report_out_init(&o, sink);
	head(b, r);
	summary(b, r);
	buf_addf(b, "<h2>Attainment per %s</h2>\n", report_unit_name(r->trend_unit));
	attainment_chart(b, r->trend, r->ntrend, report_unit_name(r->trend_unit));
	buf_adds(b, "<h2>Breaches per partner</h2>\n");
	breach_chart(b, r);
	report_out_flush(&o);
	groups(&o, r);
	buf_addf(b, "<h2>Breaches in the period (%zu), worst first</h2>\n", r->nbreaches);
	rows_table(&o, r, r->rows, r->breaches, r->nbreaches);
	buf_addf(b, "<h2>Open and overdue now (%zu), whatever their deadline</h2>\n",
	    r->noverdue);
	rows_table(&o, r, r->overdue, NULL, r->noverdue);
	buf_addf(b, "<h2>Trend: attainment per %s</h2>\n", report_unit_name(r->trend_unit));
	bucket_table(b, r->trend, r->ntrend, r->trend_unit == REPORT_DAY ? "Day" :
	    r->trend_unit == REPORT_WEEK_UNIT ? "Week" : "Month");
	if (r->evidence)
		evidence(&o, r);
	buf_adds(b, "<p class=\"muted\">Generated by ");
	esc(b, r->generator);
	buf_adds(b, ".</p>\n</body>\n</html>\n");
	return report_out_finish(&o, d);
}
