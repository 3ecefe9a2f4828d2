/* report-html.c: the report as one self-contained HTML page (see
 * report.h), a page a manager forwards: inline CSS, no scripts, no
 * external resources, written as well-formed XHTML-style markup (every
 * element closed, attributes quoted, only the five XML entities and
 * numeric references) so it reads the same in a browser, a mail client or
 * an XML parser.  The headline names the period in local dates of the
 * report zone.  Two charts drawn with HTML boxes (attainment per trend
 * bucket against the 100% line, breaches per partner), every table
 * standing on its own for mail clients that drop styles.  Ticket keys
 * link to the helpdesk when a ticket_url is configured (ticketurl.h). */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "cal.h"
#include "civil.h"
#include "text.h"
#include "ticketurl.h"
#include "tz.h"

/* Laid out for a browser window of any width: tables take the page's
 * width and wrap their cells (long keys and summaries break anywhere);
 * below 700 px every table row becomes a card of labelled fields.  Chart
 * labels are HTML text of a fixed pixel size, so no chart scales them
 * down to nothing. */
static const char style[] =
	"*{box-sizing:border-box}"
	"body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0 auto;"
	"padding:12px 16px;color:#1a1a1a;background:#fff;max-width:1200px;line-height:1.35;"
	"overflow-wrap:anywhere}"
	"h1{font-size:1.4em;margin:.2em 0}"
	"h2{font-size:1.1em;border-bottom:1px solid #ccc;padding-bottom:2px;margin-top:1.6em}"
	"h3{font-size:1em;margin:1.2em 0 .3em}"
	"table{border-collapse:collapse;font-size:.9em;margin:.3em 0;width:100%}"
	"th,td{padding:3px 7px;border-bottom:1px solid #e4e4e4;text-align:left;"
	"vertical-align:top;overflow-wrap:anywhere}"
	"th{background:#f4f4f4;overflow-wrap:normal}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	"td.n{white-space:nowrap}"
	"td.t,td.s{overflow-wrap:normal}"
	"td.t{min-width:7.6em}"
	"td.id{min-width:7em}"
	"td.w{min-width:12em;width:30%}"
	"a{color:#0b57d0}"
	".bad{color:#b3261e;font-weight:bold}"
	".ok{color:#1b5e20}"
	".muted{color:#5f6368}"
	".kpi{display:inline-block;min-width:8.5em;margin:0 6px 6px 0;padding:6px 9px;"
	"border:1px solid #ddd;border-radius:6px;vertical-align:top}"
	".kpi b{display:block;font-size:1.35em}"
	".mono{font-family:Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:.85em;"
	"word-break:break-all}"
	".chart{margin:.5em 0 1em;overflow:hidden;font-size:12px}"
	".chart .lbl{font-size:12px;color:#3c4043;white-space:nowrap}"
	".plot{position:relative;height:160px;margin:8px 0 0 3.2em;border:1px solid #ddd;"
	"background:#fafafa;display:flex;align-items:flex-end}"
	".plot .col{flex:1 1 0;min-width:0;height:100%;display:flex;align-items:flex-end;"
	"justify-content:center}"
	".plot .bar{width:76%;min-height:1px}"
	".plot .y{position:absolute;left:-3.2em;width:2.8em;text-align:right;"
	"transform:translateY(50%)}"
	".plot .grid{position:absolute;left:0;right:0;border-top:1px solid #e0e0e0}"
	".plot .goal{position:absolute;left:0;right:0;top:0;border-top:2px dashed #1a1a1a}"
	".plot .goal .lbl{position:absolute;right:3px;top:2px;background:#fafafa}"
	".plot .none{position:absolute;left:0;right:0;top:45%;text-align:center}"
	".xl{display:flex;margin-left:3.2em;height:1.6em}"
	".xl span{flex:1 1 0;min-width:0;position:relative}"
	".xl span i{position:absolute;left:50%;top:3px;transform:translateX(-50%);"
	"font-style:normal}"
	".g{background:#2e7d32}.a{background:#f9a825}.r{background:#c62828}"
	".u{background:#bdbdbd}"
	".hrow{display:flex;align-items:center;gap:8px;margin:4px 0}"
	".hrow .name{flex:0 0 30%;max-width:14em;text-align:right;white-space:normal;"
	"overflow-wrap:anywhere}"
	".hrow .track{flex:1 1 auto;min-width:0;height:16px}"
	".hrow .bar{display:block;height:100%;min-width:1px}"
	".hrow .v{flex:0 0 2.5em}"
	"@media (max-width:700px){body{padding:8px}"
	".kpi{min-width:7em}"
	"table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:auto}"
	"table.cards tr.hd{display:none}"
	"table.cards tr{border:1px solid #ddd;border-radius:6px;margin:0 0 8px;padding:4px 8px}"
	"table.cards td{border:0;padding:1px 0;text-align:left;white-space:normal;min-width:0}"
	"table.cards td::before{content:attr(data-l);color:#5f6368;font-size:.85em;"
	"font-weight:normal;margin-right:.5em}"
	"table.cards td.k{font-weight:bold}"
	"table.cards td.k::before{content:none}"
	"table.stats td{display:inline-block;margin-right:1.2em}"
	"table.stats td.k{display:block}"
	".xl .wo{visibility:hidden}}";

/* Printable ASCII that HTML takes as it is (not a NUL: it ends the run).
 * The five it escapes all lie in 0x20..0x3f: one bit each. */
#define HTML_SPECIAL (1u << ('"' - 0x20) | 1u << ('&' - 0x20) | 1u << ('\'' - 0x20) | \
		      1u << ('<' - 0x20) | 1u << ('>' - 0x20))

static int plain_html(char ch)
{
	unsigned char c = (unsigned char)ch;

	return c >= 0x40 ? c < 0x7f : c >= 0x20 && !(HTML_SPECIAL >> (c - 0x20) & 1);
}

/* Text for element content and attribute values: sanitised (controls
 * made visible, invalid UTF-8 replaced), then the five XML specials
 * escaped. */
static void esc(struct buf *b, const char *s)
{
	struct buf t = BUF_INIT;
	const char *p;

	if (s != NULL) {	/* nothing to sanitise or escape: one pass */
		size_t n = 0;

		while (plain_html(s[n]))
			n++;
		if (s[n] == '\0') {
			buf_add(b, s, n);
			return;
		}
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

/* A cell; label names the field when the row is shown as a card (narrow
 * screens), NULL for none. */
static void td_open(struct buf *b, const char *cls, const char *label)
{
	buf_adds(b, "<td");
	if (cls != NULL) {
		buf_adds(b, " class=\"");
		buf_adds(b, cls);
		buf_addc(b, '"');
	}
	if (label != NULL) {
		buf_adds(b, " data-l=\"");
		buf_adds(b, label);
		buf_addc(b, '"');
	}
	buf_addc(b, '>');
}

static void td_num(struct buf *b, const char *label, int64_t v)
{
	td_open(b, "n", label);
	report_add_i64(b, v);
	buf_adds(b, "</td>");
}

static void td_l(struct buf *b, const char *cls, const char *label, const char *s)
{
	td_open(b, cls, label);
	esc(b, s);
	buf_adds(b, "</td>");
}

static void td_text(struct buf *b, const char *cls, const char *s)
{
	td_l(b, cls, NULL, s);
}

static const char *row_key(const struct report *r, const struct report_row *row, char tmp[32])
{
	const char *k = report_str(r, row->key);

	if (k != NULL)
		return k;
	snprintf(tmp, 32, "#%lld", (long long)row->id);
	return tmp;
}

/* The ticket's key, a link to the ticket in the helpdesk when a
 * ticket_url is configured (ticketurl.h). */
static void add_key(struct buf *b, const struct report *r, const struct report_row *row)
{
	struct buf url = BUF_INIT;
	char tmp[32];

	if (ticketurl_format_with(r->partners[row->partner].ticket_url,
	    r->partners[row->partner].p.key, report_str(r, row->key), row->id, &url) &&
	    !buf_failed(&url)) {
		buf_adds(b, "<a href=\"");
		esc(b, buf_str(&url));
		buf_adds(b, "\">");
		esc(b, row_key(r, row, tmp));
		buf_adds(b, "</a>");
	} else
		esc(b, row_key(r, row, tmp));
	buf_release(&url);
}

static const char *period_name(enum report_period p)
{
	static const char *const v[] = {
		"yesterday", "today", "week", "month", "year", "range"
	};

	return (unsigned)p < sizeof v / sizeof v[0] ? v[p] : "?";
}

/* ---- the headline ----------------------------------------------------------- */

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"
};

struct local_day {
	int64_t y;
	int m, d;
};

static struct local_day local_day(int64_t day)
{
	struct local_day l;

	civil_ymd_from_days(day, &l.y, &l.m, &l.d);
	return l;
}

/* "1 November 2026"; the year and month only when asked. */
static void add_day(struct buf *b, struct local_day l, int month, int year)
{
	buf_addf(b, "%d", l.d);
	if (month) {
		buf_addc(b, ' ');
		buf_adds(b, month_names[(l.m - 1) % 12]);
	}
	if (year)
		buf_addf(b, " %lld", (long long)l.y);
}

/* The period in words, in local dates of the report zone: "1&#8211;30
 * November 2026", "Mon 12 January 2026", "28 December 2026 &#8211;
 * 3 January 2027"; with clock times when an end of a --since/--until
 * range is not a local midnight.  (A day that starts at 01:00, where
 * the clocks skip midnight, is still that day.) */
static void period_words(struct buf *b, const struct report *r)
{
	int64_t from = tz_utc_to_local(r->tz, r->from_at), to = tz_utc_to_local(r->tz, r->to_at);
	int64_t d1 = civil_div(from, 86400), d2 = civil_div(to, 86400);
	struct local_day a, z;

	if (r->period == REPORT_RANGE &&
	    (civil_mod(from, 86400) != 0 || civil_mod(to, 86400) != 0)) {
		char f[CIVIL_ISO_LEN], t[CIVIL_ISO_LEN];

		a = local_day(d1);
		z = local_day(d2);
		civil_format_local(from, 0, f);
		civil_format_local(to, 0, t);
		add_day(b, a, 1, 1);
		buf_addc(b, ' ');
		buf_adds(b, f + 11);
		buf_adds(b, " &#8211; ");
		add_day(b, z, 1, 1);
		buf_addc(b, ' ');
		buf_adds(b, t + 11);
		return;
	}
	a = local_day(d1);
	z = local_day(d2 - 1);		/* the last day, not the midnight after it */
	if (d2 - 1 <= d1) {
		buf_adds(b, civil_weekday_name(civil_weekday(d1)));
		buf_addc(b, ' ');
		add_day(b, a, 1, 1);
		return;
	}
	add_day(b, a, a.m != z.m || a.y != z.y, a.y != z.y);
	buf_adds(b, a.m != z.m || a.y != z.y ? " &#8211; " : "&#8211;");
	add_day(b, z, 1, 1);
}

static void head(struct buf *b, const struct report *r)
{
	char from[REPORT_FMT_LEN], to[REPORT_FMT_LEN], now[REPORT_FMT_LEN];
	struct buf scope = BUF_INIT, words = BUF_INIT;

	period_words(&words, r);
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	    "<meta name=\"color-scheme\" content=\"light\"/>\n<title>SLA report, ");
	buf_adds(b, buf_str(&words));		/* digits, month names, entities */
	buf_adds(b, " (");
	esc(b, tz_name(r->tz));
	buf_addf(b, ")</title>\n<style>%s</style>\n</head>\n<body>\n<h1>SLA report, ", style);
	buf_adds(b, buf_str(&words));
	buf_adds(b, " <span class=\"muted\">(");
	esc(b, tz_name(r->tz));
	buf_adds(b, ")</span></h1>\n");
	report_fmt_local(r->tz, r->from_at, 1, from);
	report_fmt_local(r->tz, r->to_at, 1, to);
	report_fmt_local(r->tz, r->now_at, 1, now);
	report_scope(r, &scope);
	buf_addf(b, "<p>%s ", period_name(r->period));
	esc(b, r->label);
	buf_adds(b, ": from <b>");
	esc(b, from);
	buf_adds(b, "</b> to <b>");
	esc(b, to);
	buf_adds(b, "</b> (exclusive)<br/>Generated ");
	esc(b, now);
	buf_adds(b, "<br/>Scope: ");
	esc(b, buf_str(&scope));
	buf_adds(b, "</p>\n");
	buf_release(&scope);
	buf_release(&words);
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
	if (r->extended) {
		snprintf(n, sizeof n, "%lld", (long long)s->waiting);
		kpi(b, "Of which waiting", n, NULL);
		snprintf(n, sizeof n, "%lld", (long long)s->n[REPORT_EXCUSED]);
		kpi(b, "Excused", n, NULL);
	}
	if (r->has_resolve) {
		report_fmt_resolve_pct(s, v);
		kpi(b, "Resolution attainment", v, !report_resolve_attainment(s, &pct) ? NULL :
		    pct >= 100.0 ? "ok" : "bad");
	}
	report_fmt_hm(s->median_s, v);
	kpi(b, "First response, median", v, NULL);
	report_fmt_hm(s->p90_s, v);
	kpi(b, "First response, 90th pct", v, NULL);
	report_fmt_hm(s->worst_s, v);
	if (s->worst_row >= 0) {
		report_fmt_hm(s->worst_wall_s, w);
		buf_adds(b, "<div class=\"kpi\">Worst overrun<b class=\"bad\">");
		esc(b, v);
		buf_adds(b, "</b>");
		add_key(b, r, &r->rows[s->worst_row]);
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
	    "rounded up to the minute; medians and 90th percentiles by nearest rank.");
	if (r->extended) {
		buf_adds(b, " ");
		esc(b, report_excused_text);
		buf_adds(b, ".");
	}
	if (r->has_resolve) {
		buf_adds(b, " ");
		esc(b, report_resolve_text);
		buf_adds(b, ".");
	}
	buf_adds(b, "</p>\n");
}

static void group_head(struct buf *b, const struct report *r, const char *title,
		       const char *what)
{
	buf_adds(b, "<h2>");
	esc(b, title);
	buf_adds(b, "</h2>\n<table class=\"cards stats\">\n<tr class=\"hd\"><th>");
	esc(b, what);
	buf_adds(b, "</th><th class=\"n\">Due</th><th class=\"n\">Met</th>"
	    "<th class=\"n\">Breached</th><th class=\"n\">Open, overdue</th>"
	    "<th class=\"n\">Pending</th>");
	if (r->extended)
		buf_adds(b, "<th class=\"n\">Waiting</th><th class=\"n\">Excused</th>");
	buf_adds(b, "<th class=\"n\">Attainment</th>"
	    "<th class=\"n\">Median</th><th class=\"n\">P90</th>"
	    "<th class=\"n\">Worst</th><th class=\"n\">Not timed</th></tr>\n");
}

static void group_row(struct buf *b, const struct report *r, const char *name,
		      const struct report_stats *s)
{
	char v[REPORT_FMT_LEN];
	double pct;

	buf_adds(b, "<tr>");
	td_text(b, "k", name);
	td_num(b, "Due", s->due);
	td_num(b, "Met", s->n[REPORT_MET]);
	td_num(b, "Breached", s->n[REPORT_BREACHED]);
	td_num(b, "Open, overdue", s->n[REPORT_OVERDUE]);
	td_num(b, "Pending", s->n[REPORT_PENDING]);
	if (r->extended) {
		td_num(b, "Waiting", s->waiting);
		td_num(b, "Excused", s->n[REPORT_EXCUSED]);
	}
	report_fmt_pct(s, v);
	td_l(b, report_attainment(s, &pct) && pct < 100.0 ? "n bad" : "n", "Attainment", v);
	report_fmt_hm(s->median_s, v);
	td_l(b, "n", "Median", v);
	report_fmt_hm(s->p90_s, v);
	td_l(b, "n", "P90", v);
	report_fmt_hm(s->worst_s, v);
	td_l(b, "n", "Worst", v);
	td_num(b, "Not timed", s->untimed);
	buf_adds(b, "</tr>\n");
}

static void groups(struct report_out *o, const struct report *r)
{
	struct buf *b = &o->b;

	group_head(b, r, "By partner", "Partner");
	for (size_t i = 0; i < r->npartners; i++)
		if (r->partners[i].listed) {
			group_row(b, r, r->partners[i].p.key, &r->partners[i].stats);
			report_out_flush(o);
		}
	buf_adds(b, "</table>\n");
	group_head(b, r, "By assignee", "Assignee");
	for (size_t i = 0; i < r->nassignees; i++) {
		const char *n = report_str(r, r->assignees[i].name);

		group_row(b, r, n ? n : "(unassigned)", &r->assignees[i].stats);
		report_out_flush(o);
	}
	buf_adds(b, "</table>\n");
	group_head(b, r, "By severity", "Severity");
	for (int i = 0; i < STORE_NSEV; i++)
		if (r->by_severity[i].due > 0 || r->by_severity[i].untimed > 0)
			group_row(b, r, store_severity_name(i), &r->by_severity[i]);
	buf_adds(b, "</table>\n");
}

/* The resolution deadline and state of a row ("-" without a target). */
static void resolve_cells(struct buf *b, const struct report_row *row, const struct tz *tz)
{
	char t[REPORT_FMT_LEN];
	int late = row->resolve_outcome == REPORT_BREACHED ||
	    row->resolve_outcome == REPORT_OVERDUE;

	if (row->resolve_outcome >= REPORT_NOUTCOMES) {
		td_l(b, "t muted", "Resolve by", "-");
		td_l(b, "s muted", "Resolution", "-");
		return;
	}
	report_fmt_local(tz, row->resolve_deadline_at, 1, t);
	td_l(b, "t", "Resolve by", t);
	td_l(b, late ? "s bad" : "s", "Resolution",
	    report_outcome_name((enum report_outcome)row->resolve_outcome));
}

/* Resolution attainment per partner and overall. */
static void resolve_table(struct report_out *o, const struct report *r)
{
	struct buf *b = &o->b;

	buf_adds(b, "<h2>Resolution</h2>\n<table class=\"cards stats\">\n<tr class=\"hd\">"
	    "<th>Partner</th><th class=\"n\">With a target</th><th class=\"n\">Met</th>"
	    "<th class=\"n\">Breached</th><th class=\"n\">Open, overdue</th>"
	    "<th class=\"n\">Pending</th><th class=\"n\">Waiting</th>"
	    "<th class=\"n\">Excused</th><th class=\"n\">Attainment</th></tr>\n");
	for (size_t i = 0; i <= r->npartners; i++) {
		const struct report_stats *s = i < r->npartners ? &r->partners[i].stats : &r->total;
		char v[REPORT_FMT_LEN];
		double pct;

		if (i < r->npartners && (!r->partners[i].listed || s->resolve.timed == 0))
			continue;
		buf_adds(b, "<tr>");
		td_text(b, "k", i < r->npartners ? r->partners[i].p.key : "(all)");
		td_num(b, "With a target", s->resolve.timed);
		td_num(b, "Met", s->resolve.n[REPORT_MET]);
		td_num(b, "Breached", s->resolve.n[REPORT_BREACHED]);
		td_num(b, "Open, overdue", s->resolve.n[REPORT_OVERDUE]);
		td_num(b, "Pending", s->resolve.n[REPORT_PENDING]);
		td_num(b, "Waiting", s->resolve.waiting);
		td_num(b, "Excused", s->resolve.n[REPORT_EXCUSED]);
		report_fmt_resolve_pct(s, v);
		td_l(b, report_resolve_attainment(s, &pct) && pct < 100.0 ? "n bad" : "n",
		    "Attainment", v);
		buf_adds(b, "</tr>\n");
		report_out_flush(o);
	}
	buf_adds(b, "</table>\n");
}

/* The cells a listed ticket's row opens with: its key (a link where the
 * helpdesk has one), partner and severity. */
static void row_open(struct buf *b, const struct report *r, const struct report_row *row)
{
	buf_adds(b, "<tr>");
	td_open(b, "k id", "Key");
	add_key(b, r, row);
	buf_adds(b, "</td>");
	td_l(b, "id", "Partner", r->partners[row->partner].p.key);
	td_l(b, "s", "Severity", store_severity_name(row->severity));
}

/* Then its assignee and creation, in its partner's time. */
static void row_assignee_created(struct buf *b, const struct report *r,
				 const struct report_row *row, const struct tz *tz)
{
	const char *a = report_str(r, row->assignee);
	char t[REPORT_FMT_LEN];

	td_l(b, a ? "id" : "id muted", "Assignee", a ? a : "-");
	report_fmt_local(tz, row->created_at, 1, t);
	td_l(b, "t", "Created", t);
}

/* The tickets whose resolution deadline was missed: resolved late, or
 * unresolved past it. */
static void resolve_breach_table(struct report_out *o, const struct report *r)
{
	struct buf *b = &o->b;

	buf_addf(b, "<h2>Resolution breaches in the period (%zu)</h2>\n", r->nresolve_breaches);
	if (r->nresolve_breaches == 0) {
		buf_adds(b, "<p>None.</p>\n");
		return;
	}
	buf_adds(b, "<table class=\"cards\">\n<tr class=\"hd\"><th>Key</th><th>Partner</th>"
	    "<th>Severity</th><th>Assignee</th><th>Created</th><th>Resolve by</th>"
	    "<th>Resolution</th><th>Resolved</th><th>Summary</th></tr>\n");
	for (size_t i = 0; i < r->nresolve_breaches; i++) {
		const struct report_row *row = &r->rows[r->resolve_breaches[i]];
		const struct tz *tz = report_row_tz(r, row);
		char t[REPORT_FMT_LEN];

		row_open(b, r, row);
		row_assignee_created(b, r, row, tz);
		resolve_cells(b, row, tz);
		if (row->resolved_at != STORE_NONE)
			report_fmt_local(tz, row->resolved_at, 1, t);
		else
			snprintf(t, sizeof t, "OPEN");
		td_l(b, row->resolved_at != STORE_NONE ? "t" : "t bad", "Resolved", t);
		td_l(b, "w", "Summary", report_str(r, row->summary));
		buf_adds(b, "</tr>\n");
		report_out_flush(o);
	}
	buf_adds(b, "</table>\n");
}

/* Every excused breach with its reason and reference. */
static void excused_table(struct report_out *o, const struct report *r, const char *title)
{
	struct buf *b = &o->b;

	buf_addf(b, "<h2>%s (%zu), left out of attainment</h2>\n", title, r->nexcused);
	if (r->nexcused == 0) {
		buf_adds(b, "<p>None.</p>\n");
		return;
	}
	buf_adds(b, "<table class=\"cards\">\n<tr class=\"hd\"><th>Key</th><th>Partner</th>"
	    "<th>Severity</th><th>Clock</th><th>Deadline</th><th>First response</th>"
	    "<th>Reason</th><th>Reference</th></tr>\n");
	for (size_t i = 0; i < r->nexcused; i++) {
		const struct report_row *row = &r->rows[r->excused[i]];
		const struct tz *tz = report_row_tz(r, row);
		int resp = row->outcome == REPORT_EXCUSED;
		int res = row->resolve_outcome == REPORT_EXCUSED;
		const char *reason, *ref;
		char t[REPORT_FMT_LEN];

		report_excuse(r, row, &reason, &ref);
		row_open(b, r, row);
		td_l(b, "s", "Clock", resp && res ? "both" : resp ? "response" : "resolution");
		report_fmt_local(tz, resp ? row->deadline_at : row->resolve_deadline_at, 1, t);
		td_l(b, "t", "Deadline", t);
		if (row->first_response_at != STORE_NONE)
			report_fmt_local(tz, row->first_response_at, 1, t);
		else
			snprintf(t, sizeof t, "OPEN");
		td_l(b, "t", "First response", t);
		td_l(b, "w", "Reason", reason);
		td_l(b, ref ? "id" : "id muted", "Reference", ref ? ref : "-");
		buf_adds(b, "</tr>\n");
		report_out_flush(o);
	}
	buf_adds(b, "</table>\n");
}

/* The rows a table lists: rows[order[i]], or rows[i] without an order. */
struct table_rows {
	const struct report *r;
	const struct report_row *rows;
	const size_t *order;
};

/* Row i of a table: on two cores through report_out_rows. */
static void table_row(struct buf *b, size_t i, const void *arg)
{
	const struct table_rows *x = arg;
	const struct report *r = x->r;
	const struct report_row *row = &x->rows[x->order != NULL ? x->order[i] : i];
	const struct tz *tz = report_row_tz(r, row);
	char t[REPORT_FMT_LEN];

	row_open(b, r, row);
	row_assignee_created(b, r, row, tz);
	report_fmt_local(tz, row->deadline_at, 1, t);
	td_l(b, "t", "Deadline", t);
	if (row->first_response_at != STORE_NONE) {
		report_fmt_local(tz, row->first_response_at, 1, t);
		td_l(b, "t", "First response", t);
	} else if (row->resolved_at != STORE_NONE) {
		char u[REPORT_FMT_LEN + 16];

		report_fmt_local(tz, row->resolved_at, 1, t);
		snprintf(u, sizeof u, "resolved %s", t);
		td_l(b, "t", "First response", u);
	} else
		td_l(b, "t bad", "First response", row->outcome == REPORT_EXCUSED ?
		    "OPEN, excused" : "OPEN");
	report_fmt_hm(row->overrun_s, t);
	td_l(b, "n bad", "Overrun, working", t);
	report_fmt_hm(row->overrun_wall_s, t);
	td_l(b, "n", "Overrun, wall clock", t);
	if (r->has_resolve)
		resolve_cells(b, row, tz);
	td_l(b, "w", "Summary", report_str(r, row->summary));
	buf_adds(b, "</tr>\n");
}

static void rows_table(struct report_out *o, const struct report *r,
		       const struct report_row *rows, const size_t *order, size_t n)
{
	struct buf *b = &o->b;
	struct table_rows x = { r, rows, order };

	if (n == 0) {
		buf_adds(b, "<p>None.</p>\n");
		return;
	}
	buf_adds(b, "<table class=\"cards\">\n<tr class=\"hd\"><th>Key</th><th>Partner</th>"
	    "<th>Severity</th><th>Assignee</th><th>Created</th><th>Deadline</th>"
	    "<th>First response</th><th class=\"n\">Overrun, working</th>"
	    "<th class=\"n\">Overrun, wall clock</th>");
	if (r->has_resolve)
		buf_adds(b, "<th>Resolve by</th><th>Resolution</th>");
	buf_adds(b, "<th>Summary</th></tr>\n");
	report_out_rows(o, n, table_row, &x);
	buf_adds(b, "</table>\n<p class=\"muted\">Times are each partner's local time. "
	    "Overruns run from the deadline to the first response (to now while there "
	    "is none), in working time and in wall-clock time, hours:minutes.</p>\n");
}

/* ---- charts ----------------------------------------------------------------- */

/* How many labels fit under a chart 300 px wide (a phone) when each is
 * len characters of 12 px text. */
static size_t labels_that_fit(size_t len)
{
	size_t n = 300 / (len * 7 + 12);

	return n > 0 ? n : 1;
}

/* "Mon 2026-01-12" -> "01-12"; week and month labels as they are. */
static const char *short_label(const char *l)
{
	const char *sp = strchr(l, ' ');

	return sp != NULL && strlen(sp + 1) == 10 ? sp + 6 : l;
}

/* Attainment per bucket as bars against the 100% line: HTML boxes, so
 * the labels keep their size at any width.  At most 12 labels; on a
 * narrow screen the ones marked wo (wide only) are hidden. */
static void attainment_chart(struct buf *b, const struct report_bucket *v, size_t n,
			     const char *what)
{
	size_t wide = n > 12 ? (n + 11) / 12 : 1, narrow, fit;

	fit = labels_that_fit(n > 0 ? strlen(short_label(v[0].label)) : 5);
	narrow = (n + fit - 1) / fit;
	narrow = narrow > wide ? (narrow + wide - 1) / wide * wide : wide;
	buf_adds(b, "<div class=\"chart vbars\" role=\"img\" aria-label=\"attainment per ");
	esc(b, what);
	buf_adds(b, ", against the 100% line\">\n<div class=\"plot\">"
	    "<span class=\"lbl y\" style=\"bottom:100%\">100%</span>"
	    "<span class=\"lbl y\" style=\"bottom:50%\">50%</span>"
	    "<span class=\"lbl y\" style=\"bottom:0\">0%</span>"
	    "<div class=\"grid\" style=\"bottom:50%\"></div>\n"
	    "<div class=\"goal\"><span class=\"lbl\">target 100%</span></div>\n");
	if (n == 0)
		buf_adds(b, "<span class=\"lbl none\">no tickets due</span>\n");
	for (size_t i = 0; i < n; i++) {
		const struct report_stats *s = &v[i].stats;
		char p[REPORT_FMT_LEN];
		double pct;

		buf_adds(b, "<div class=\"col\">");
		if (report_attainment(s, &pct)) {
			report_fmt_pct(s, p);
			buf_addf(b, "<div class=\"bar %s\" style=\"height:%.1f%%\" title=\"",
			    pct >= 100.0 ? "g" : pct >= 90.0 ? "a" : "r", pct);
			esc(b, v[i].label);
			buf_addf(b, ": %s (%lld met of %lld decided)\"></div>", p,
			    (long long)s->n[REPORT_MET], (long long)(s->n[REPORT_MET] +
			    s->n[REPORT_BREACHED] + s->n[REPORT_OVERDUE]));
		} else {
			buf_adds(b, "<div class=\"bar u\" style=\"height:2px\" title=\"");
			esc(b, v[i].label);
			buf_adds(b, ": nothing decided\"></div>");
		}
		buf_adds(b, "</div>\n");
	}
	buf_adds(b, "</div>\n<div class=\"xl\">");
	for (size_t i = 0; i < n; i++) {
		if (i % wide != 0) {
			buf_adds(b, "<span></span>");
			continue;
		}
		buf_adds(b, i % narrow == 0 ? "<span><i class=\"lbl\">" :
		    "<span class=\"wo\"><i class=\"lbl\">");
		esc(b, short_label(v[i].label));
		buf_adds(b, "</i></span>");
	}
	buf_adds(b, "</div>\n</div>\n");
}

/* Breaches per partner, one labelled bar each; a long partner key wraps
 * instead of being cut. */
static void breach_chart(struct buf *b, const struct report *r)
{
	int64_t max = 0;
	size_t rows = 0;

	for (size_t i = 0; i < r->npartners; i++)
		if (r->partners[i].listed) {
			int64_t v = r->partners[i].stats.n[REPORT_BREACHED] +
			    r->partners[i].stats.n[REPORT_OVERDUE];

			rows++;
			if (v > max)
				max = v;
		}
	buf_adds(b, "<div class=\"chart hbars\" role=\"img\" aria-label=\"breaches per partner "
	    "(breached plus open and overdue)\">\n");
	if (rows == 0)
		buf_adds(b, "<span class=\"lbl\">no tickets due</span>\n");
	for (size_t i = 0; i < r->npartners; i++) {
		const struct report_stats *s = &r->partners[i].stats;
		int64_t v = s->n[REPORT_BREACHED] + s->n[REPORT_OVERDUE];
		double w = max > 0 ? 100.0 * (double)v / (double)max : 0;

		if (!r->partners[i].listed)
			continue;
		buf_adds(b, "<div class=\"hrow\"><span class=\"lbl name\">");
		esc(b, r->partners[i].p.key);
		buf_addf(b, "</span><span class=\"track\"><span class=\"bar %s\" "
		    "style=\"width:%.1f%%\" title=\"", v ? "r" : "u", v ? w : 0.0);
		esc(b, r->partners[i].p.key);
		buf_addf(b, ": %lld breached, %lld open and overdue, of %lld due\"></span></span>"
		    "<span class=\"lbl v\">%lld</span></div>\n", (long long)s->n[REPORT_BREACHED],
		    (long long)s->n[REPORT_OVERDUE], (long long)s->due, (long long)v);
	}
	buf_adds(b, "</div>\n");
}

static void bucket_table(struct buf *b, const struct report *r, const struct report_bucket *v,
			 size_t n, const char *what)
{
	buf_adds(b, "<table class=\"cards stats\">\n<tr class=\"hd\"><th>");
	esc(b, what);
	buf_adds(b, "</th><th class=\"n\">Due</th><th class=\"n\">Met</th>"
	    "<th class=\"n\">Breached</th><th class=\"n\">Open, overdue</th>"
	    "<th class=\"n\">Pending</th>");
	if (r->extended)
		buf_adds(b, "<th class=\"n\">Excused</th>");
	buf_adds(b, "<th class=\"n\">Attainment</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		const struct report_stats *s = &v[i].stats;
		char p[REPORT_FMT_LEN];
		double pct;

		report_fmt_pct(s, p);
		buf_adds(b, "<tr>");
		td_text(b, "k", v[i].label);
		td_num(b, "Due", s->due);
		td_num(b, "Met", s->n[REPORT_MET]);
		td_num(b, "Breached", s->n[REPORT_BREACHED]);
		td_num(b, "Open, overdue", s->n[REPORT_OVERDUE]);
		td_num(b, "Pending", s->n[REPORT_PENDING]);
		if (r->extended)
			td_num(b, "Excused", s->n[REPORT_EXCUSED]);
		td_l(b, report_attainment(s, &pct) && pct < 100.0 ? "n bad" : "n", "Attainment", p);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table>\n");
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
	buf_adds(b, ", ");
	buf_adds(b, store_severity_name(row->severity));
	buf_adds(b, ", target ");
	report_fmt_hm(row->target_s, t);
	esc(b, t);
	buf_adds(b, " working</span></h3>\n<table>\n");
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
		buf_adds(b, "<tr><td>");
		buf_adds(b, civil_weekday_name(civil_weekday(s->day)));
		buf_addc(b, ' ');
		buf_adds(b, day);
		buf_adds(b, "</td>");
		if (s->kind == CAL_STEP_COUNTED || s->kind == CAL_STEP_CLOSURE) {
			report_fmt_clock(tz, s->start_at, s->day, from);
			report_fmt_clock(tz, s->end_at, s->day, to);
			buf_adds(b, "<td>");
			buf_adds(b, from);
			buf_adds(b, "&#8211;");
			buf_adds(b, to);
			buf_adds(b, "</td>");
		} else
			buf_adds(b, "<td></td>");
		switch (s->kind) {
		case CAL_STEP_COUNTED:
			report_fmt_step_hm(s->total_s, s->end_at - s->start_at, len);
			report_fmt_hm(s->total_s, total);
			buf_adds(b, "<td>counted ");
			buf_adds(b, len);
			buf_adds(b, "</td><td>total ");
			buf_adds(b, total);
			buf_adds(b, "</td>");
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
		buf_adds(b, "<tr><th>");
		buf_adds(b, row->first_response_at != STORE_NONE ? "first response" : "resolved");
		buf_adds(b, "</th><td colspan=\"3\">");
		esc(b, t);
	} else
		buf_adds(b, "<tr><th>first response</th><td colspan=\"3\">none yet");
	buf_adds(b, ": <span class=\"bad\">");
	esc(b, w);
	buf_adds(b, "</span> working, ");
	esc(b, ww);
	buf_adds(b, " wall clock after the deadline</td></tr>\n</table>\n");
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
		for (int s = 0, first = 1; s < STORE_NSEV; s++) {
			char dur[STORE_TEXT_LEN];

			if (p->resolve_s[s] == STORE_NONE)
				continue;
			store_duration_format(p->resolve_s[s], dur);
			buf_addf(b, "%s %s %s", first ? " Resolution targets:" : ",",
			    store_severity_name(s), dur);
			first = 0;
		}
		buf_adds(b, "</p>\n");
		if (p->ncalendars == 0) {
			buf_adds(b, "<p>No holiday calendar: every working weekday counts.</p>\n");
			continue;
		}
		buf_adds(b, "<table>\n<tr><th>#</th><th>Calendar file</th>"
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
		buf_adds(b, "</table>\n");
		report_out_flush(o);
	}
	buf_adds(b, "<h2>Evidence: how deadlines are computed</h2>\n<p>");
	esc(b, report_rule_text);
	buf_adds(b, "</p>\n<h2>Evidence: attainment per month</h2>\n");
	attainment_chart(b, r->months, r->nmonths, "month");
	bucket_table(b, r, r->months, r->nmonths, "Month");
	buf_addf(b, "<h2>Evidence: every breach explained (%zu)</h2>\n", r->nbreaches);
	if (r->nbreaches == 0)
		buf_adds(b, "<p>No breach in the period.</p>\n");
	report_out_explanations(o, r, explain_one);
	if (r->extended)
		excused_table(o, r, "Evidence: every excused breach");
	buf_adds(b, "<h2>Evidence: audit trail</h2>\n<table>\n"
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
	buf_adds(b, "</tr>\n</table>\n");
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
	if (r->extended)
		excused_table(&o, r, "Excused breaches in the period");
	if (r->has_resolve) {
		resolve_table(&o, r);
		resolve_breach_table(&o, r);
	}
	buf_addf(b, "<h2>Trend: attainment per %s</h2>\n", report_unit_name(r->trend_unit));
	bucket_table(b, r, r->trend, r->ntrend, r->trend_unit == REPORT_DAY ? "Day" :
	    r->trend_unit == REPORT_WEEK_UNIT ? "Week" : "Month");
	if (r->evidence)
		evidence(&o, r);
	buf_adds(b, "<p class=\"muted\">Generated by ");
	esc(b, r->generator);
	buf_adds(b, ".</p>\n</body>\n</html>\n");
	return report_out_finish(&o, d);
}
