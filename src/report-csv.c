/* report-csv.c: the report as RFC 4180 CSV: a header record, then one
 * record per ticket due in the period, in id order, with every
 * column of the breach table and the figures behind it (see report.h and
 * man/slatrack-report.1).  Summaries stay out: they are kept for the
 * breach listings only (text, HTML, JSON).  Records end with CRLF; fields are quoted by
 * csv_add_cell when they need it.
 *
 * An extended report (report.extended: some ticket has a resolution
 * target, an excused breach or a clock waiting on the customer) appends
 * the columns after overrun_wall_s; any other report keeps exactly the
 * columns it always had, so existing imports read it unchanged. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>

#include "civil.h"
#include "csv.h"
#include "tz.h"

static const char *const columns[] = {
	"id", "key", "partner", "severity", "assignee", "outcome",
	"created", "deadline", "first_response", "resolved",
	"created_local", "deadline_local", "first_response_local", "partner_zone",
	"target_s", "response_working_s", "overrun_working_s", "overrun_wall_s",
	/* extended reports only */
	"waiting", "excuse_reason", "excuse_ref", "resolve_target_s", "resolve_deadline",
	"resolve_deadline_local", "resolution_outcome",
};

#define NCOLUMNS (sizeof columns / sizeof columns[0])
#define NCOLUMNS_BASE ((size_t)18)

static void end_record(struct buf *b)
{
	buf_addc(b, '\r');
	csv_end_record(b);
}

/* The cells of a record, each with its leading comma, written with the
 * lengths their formatters know: a year's CSV is a million records of
 * twenty-five cells.
 *
 * Text from outside (keys, names, excuses) goes through add_people:
 * quoted when it needs it, never read as a formula by a spreadsheet (a
 * leading "'"), and control or bidirectional formatting characters shown
 * visibly, as the text and HTML reports show them.  The rest are the
 * program's own numbers, instants and fixed words, written as they are;
 * an absent one is an empty cell. */
static void add_people(struct buf *b, const char *s)
{
	csv_add_cell(b, s, 0, CSV_PEOPLE | CSV_VISIBLE);
}

static void add_word(struct buf *b, const char *s)
{
	buf_addc(b, ',');
	if (s != NULL)
		buf_adds(b, s);
}

/* v's digits, or an empty cell when v < 0 (none); first: no comma. */
static void add_num(struct buf *b, int64_t v, int first)
{
	char out[24], *end = out + sizeof out, *p = end;

	if (v >= 0)
		do
			*--p = (char)('0' + v % 10);
		while ((v /= 10) != 0);
	if (!first)
		*--p = ',';
	buf_add(b, p, (size_t)(end - p));
}

static void add_utc(struct buf *b, int64_t at)
{
	char out[1 + CIVIL_ISO_LEN];

	out[0] = ',';
	buf_add(b, out, at == STORE_NONE ? 1 : 1 + civil_format_utc(at, out + 1));
}

static void add_local(struct buf *b, const struct tz *tz, int64_t at)
{
	char out[1 + REPORT_FMT_LEN];

	out[0] = ',';
	buf_add(b, out, at == STORE_NONE ? 1 : 1 + report_fmt_local_iso(tz, at, out + 1));
}

static void add_cell(struct buf *b, const struct buf *cell)
{
	buf_add(b, cell->data, cell->len);
}

/* The cells every ticket of one partner (or one assignee) shares,
 * written once with their leading comma: quoting and the formula and
 * control-character checks would otherwise run a million times over the
 * same few names. */
struct csv_shared {
	const struct report *r;
	struct buf *partner;		/* per partner: ",KEY" */
	struct buf *zone;		/* per partner: ",ZONE" of its tickets */
	struct buf *assignee;		/* per assignee group: ",NAME" */
};

static void csv_shared_free(struct csv_shared *c)
{
	for (size_t i = 0; c->partner != NULL && i < c->r->npartners; i++) {
		buf_release(&c->partner[i]);
		buf_release(&c->zone[i]);
	}
	for (size_t i = 0; c->assignee != NULL && i < c->r->nassignees; i++)
		buf_release(&c->assignee[i]);
	free(c->partner);
	free(c->zone);
	free(c->assignee);
}

/* 0, or -1 out of memory. */
static int csv_shared_init(struct csv_shared *c, const struct report *r)
{
	int failed = 0;

	c->r = r;
	c->partner = calloc(r->npartners ? r->npartners : 1, sizeof *c->partner);
	c->zone = calloc(r->npartners ? r->npartners : 1, sizeof *c->zone);
	c->assignee = calloc(r->nassignees ? r->nassignees : 1, sizeof *c->assignee);
	if (c->partner == NULL || c->zone == NULL || c->assignee == NULL) {
		free(c->partner);
		free(c->zone);
		free(c->assignee);
		c->partner = c->zone = c->assignee = NULL;
		return -1;
	}
	for (size_t i = 0; i < r->npartners; i++) {
		buf_init(&c->partner[i]);
		buf_init(&c->zone[i]);
		csv_add_cell(&c->partner[i], r->partners[i].p.key, 0, CSV_PEOPLE | CSV_VISIBLE);
		csv_add_cell(&c->zone[i], tz_name(report_partner_tz(r, i)), 0,
		    CSV_PEOPLE | CSV_VISIBLE);
		failed |= buf_failed(&c->partner[i]) || buf_failed(&c->zone[i]);
	}
	for (size_t i = 0; i < r->nassignees; i++) {
		buf_init(&c->assignee[i]);
		csv_add_cell(&c->assignee[i], report_str(r, r->assignees[i].name), 0,
		    CSV_PEOPLE | CSV_VISIBLE);
		failed |= buf_failed(&c->assignee[i]);
	}
	if (failed) {
		csv_shared_free(c);
		return -1;
	}
	return 0;
}

static void csv_row(struct buf *b, size_t i, const void *arg)
{
	const struct csv_shared *sh = arg;
	const struct report *r = sh->r;
	const struct report_row *row = &r->rows[i];
	const struct tz *tz = report_row_tz(r, row);
	int late = row->outcome == REPORT_BREACHED || row->outcome == REPORT_OVERDUE ||
	    row->outcome == REPORT_EXCUSED;
	const char *reason, *ref;

	add_num(b, row->id, 1);
	add_people(b, report_str(r, row->key));
	add_cell(b, &sh->partner[row->partner]);
	add_word(b, store_severity_name(row->severity));
	if (row->assignee_group < r->nassignees)
		add_cell(b, &sh->assignee[row->assignee_group]);
	else
		add_people(b, report_str(r, row->assignee));
	add_word(b, report_outcome_id(row->outcome));
	add_utc(b, row->created_at);
	add_utc(b, row->deadline_at);
	add_utc(b, row->first_response_at);
	add_utc(b, row->resolved_at);
	add_local(b, tz, row->created_at);
	add_local(b, tz, row->deadline_at);
	add_local(b, tz, row->first_response_at);
	add_cell(b, &sh->zone[row->partner]);
	add_num(b, row->target_s, 0);
	add_num(b, row->response_s, 0);
	add_num(b, late ? row->overrun_s : 0, 0);
	add_num(b, late ? row->overrun_wall_s : 0, 0);
	if (r->extended) {
		add_word(b, row->waiting ? "1" : "0");
		if (!report_excuse(r, row, &reason, &ref))
			reason = ref = NULL;
		add_people(b, reason);
		add_people(b, ref);
		add_num(b, row->resolve_target_s, 0);
		add_utc(b, row->resolve_deadline_at);
		add_local(b, tz, row->resolve_deadline_at);
		add_word(b, row->resolve_outcome < REPORT_NOUTCOMES ?
		    report_outcome_id((enum report_outcome)row->resolve_outcome) : NULL);
	}
	end_record(b);
}

int report_render_csv(const struct report *r, const struct report_sink *sink,
		      struct diag *d)
{
	struct report_out o;
	struct csv_shared sh;

	if (!r->all_rows)
		return diag_set(d, DIAG_USAGE, "the CSV needs every row: report_options.all_rows");
	report_out_init(&o, sink);
	for (size_t i = 0; i < (r->extended ? NCOLUMNS : NCOLUMNS_BASE); i++)
		csv_add_field(&o.b, columns[i], i == 0);
	end_record(&o.b);
	if (csv_shared_init(&sh, r) < 0) {
		report_out_finish(&o, d);
		return diag_set(d, DIAG_NOMEM, "out of memory writing the report");
	}
	report_out_rows(&o, r->nrows, csv_row, &sh);
	csv_shared_free(&sh);
	return report_out_finish(&o, d);
}
