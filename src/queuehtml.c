/* queuehtml.c: the queue page; see queuehtml.h. */
#include "queuehtml.h"

#include <string.h>

#include "buf.h"
#include "sla.h"
#include "store.h"
#include "text.h"
#include "ticketfmt.h"
#include "ticketurl.h"
#include "tz.h"

/* A table on a wide window; below 700 px each ticket is a card of
 * labelled fields.  Long keys and summaries break anywhere rather than
 * widen the page. */
static const char queuehtml_style[] =
	"*{box-sizing:border-box}"
	"body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0 auto;"
	"padding:12px 16px;color:#1a1a1a;background:#fff;max-width:1400px;line-height:1.35;"
	"overflow-wrap:anywhere}"
	"h1{font-size:1.4em;margin:.2em 0}"
	"table{border-collapse:collapse;font-size:.9em;margin:.6em 0;width:100%}"
	"th,td{padding:4px 7px;border-bottom:1px solid #e4e4e4;text-align:left;"
	"vertical-align:top;overflow-wrap:anywhere}"
	"th{background:#f4f4f4;overflow-wrap:normal}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	"td.n,td.st{white-space:nowrap}"
	"td.t,td.s{overflow-wrap:normal}"
	"td.t{min-width:7.6em}"
	"td.id{min-width:7em}"
	"td.w{min-width:12em;width:32%}"
	"a{color:#0b57d0}"
	".muted{color:#5f6368}"
	"tr.breached td.st,tr.breached td.n{color:#b3261e;font-weight:bold}"
	"tr.at-risk td.st,tr.at-risk td.n{color:#8a5300;font-weight:bold}"
	"tr.breached td:first-child{border-left:4px solid #c62828}"
	"tr.at-risk td:first-child{border-left:4px solid #f9a825}"
	"@media (max-width:700px){body{padding:8px}"
	"table,tbody,tr,td{display:block;width:auto}"
	"tr.hd{display:none}"
	"tr{border:1px solid #ddd;border-radius:6px;margin:0 0 8px;padding:4px 8px}"
	"tr.breached{border-left:5px solid #c62828}"
	"tr.at-risk{border-left:5px solid #f9a825}"
	"td,tr.breached td:first-child,tr.at-risk td:first-child{border:0;padding:1px 0;"
	"text-align:left;white-space:normal;min-width:0}"
	"td.w{width:auto}"
	"td.st,td.n{display:inline-block;margin-right:1em}"
	"td::before{content:attr(data-l);color:#5f6368;font-size:.85em;font-weight:normal;"
	"margin-right:.5em}"
	"td.k{font-weight:bold}}";

void queuehtml_escape(struct buf *out, const char *s)
{
	struct buf t = BUF_INIT;

	if (s == NULL)
		return;
	if (text_plain_span(s, strcspn(s, "&<>\"'")) == strlen(s)) {
		buf_adds(out, s);	/* nothing to sanitise or escape */
		return;
	}
	text_add_safe(&t, s, 0);
	for (const char *p = buf_str(&t); *p != '\0'; p++) {
		switch (*p) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default: buf_addc(out, *p); break;
		}
	}
	if (buf_failed(&t))
		out->failed = 1;
	buf_release(&t);
}

/* One cell: cls and label (the field's name on a card) are ours, s is
 * escaped. */
static void queuehtml_td(struct buf *b, const char *cls, const char *label, const char *s)
{
	buf_addl(b, "<td class=\"", cls, "\" data-l=\"", label, "\">", NULL);
	queuehtml_escape(b, s);
	buf_adds(b, "</td>");
}

static void queuehtml_head(const struct queuehtml_page *p, size_t n, struct buf *b)
{
	char now[TIMEFMT_LEN];

	ticketfmt_short(p->zone, p->now_at, now);
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	    "<meta name=\"color-scheme\" content=\"light\"/>\n<title>Ticket queue at ");
	queuehtml_escape(b, now);
	buf_adds(b, " (");
	queuehtml_escape(b, tz_name(p->zone));
	buf_addl(b, ")</title>\n<style>", queuehtml_style, "</style>\n</head>\n<body>\n"
	    "<h1>Ticket queue at ", NULL);
	queuehtml_escape(b, now);
	buf_adds(b, " <span class=\"muted\">(");
	queuehtml_escape(b, tz_name(p->zone));
	buf_addf(b, ")</span></h1>\n<p>%zu ticket%s", n, n == 1 ? "" : "s");
	if (p->filters != NULL && *p->filters != '\0') {
		buf_adds(b, ", listed with <code>");
		queuehtml_escape(b, p->filters);
		buf_adds(b, "</code>");
	}
	buf_adds(b, ". A snapshot: the queue when the page was made, what to answer first "
	    "at the top. Remaining is working time left to the deadline (past it, how far "
	    "over); Due is the deadline in ");
	queuehtml_escape(b, tz_name(p->zone));
	buf_adds(b, " time.</p>\n");
}

static void queuehtml_row_out(const struct queuehtml_page *p, const struct queuehtml_row *r,
			      struct buf *b, struct buf *url)
{
	const struct store_ticket *t = r->t;
	char id[24];

	buf_addl(b, "<tr class=\"", sla_state_id((enum sla_state)r->state), "\">", NULL);
	queuehtml_td(b, "st", "State", sla_state_name((enum sla_state)r->state));
	queuehtml_td(b, "n", "Remaining", r->remaining);
	queuehtml_td(b, "t", "Due", r->due);
	queuehtml_td(b, "id", "Partner", t->partner_key);
	queuehtml_td(b, "s", "Severity", store_severity_name(t->severity));
	queuehtml_td(b, t->assignee ? "id" : "id muted", "Assignee",
	    t->assignee ? t->assignee : "-");
	buf_adds(b, "<td class=\"k id\" data-l=\"Key\">");
	buf_reset(url);
	if (ticketurl_format(p->links, t->partner_key, t->key, t->id, url) &&
	    !buf_failed(url)) {
		buf_adds(b, "<a href=\"");
		queuehtml_escape(b, buf_str(url));
		buf_adds(b, "\">");
		queuehtml_escape(b, t->key != NULL ? t->key : "-");
		buf_adds(b, "</a>");
	} else
		queuehtml_escape(b, t->key != NULL ? t->key : "-");
	id[ticketfmt_i64(t->id, id)] = '\0';
	buf_addl(b, " <span class=\"muted\">#", id, "</span></td>", NULL);
	queuehtml_td(b, "w", "Summary", t->summary);
	buf_adds(b, "</tr>\n");
}

void queuehtml_render(const struct queuehtml_page *p, const struct queuehtml_row *rows,
		      size_t n, struct buf *out)
{
	struct buf url = BUF_INIT;

	queuehtml_head(p, n, out);
	if (n == 0)
		buf_adds(out, "<p>No tickets.</p>\n");
	else {
		buf_adds(out, "<table>\n<tr class=\"hd\"><th>State</th><th class=\"n\">Remaining"
		    "</th><th>Due <span class=\"muted\">(");
		queuehtml_escape(out, tz_name(p->zone));
		buf_adds(out, ")</span></th><th>Partner</th><th>Severity</th><th>Assignee</th>"
		    "<th>Key</th><th>Summary</th></tr>\n");
	}
	for (size_t i = 0; i < n; i++)
		queuehtml_row_out(p, &rows[i], out, &url);
	if (n > 0)
		buf_adds(out, "</table>\n");
	buf_adds(out, "<p class=\"muted\">Generated by ");
	queuehtml_escape(out, p->generator != NULL ? p->generator : "slatrack");
	buf_adds(out, ".</p>\n</body>\n</html>\n");
	if (buf_failed(&url))
		out->failed = 1;
	buf_release(&url);
}
