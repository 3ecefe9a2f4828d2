/* report-csv.c: the report as RFC 4180 CSV: a header record, then one
 * record per ticket due in the period, by deadline then id, with every
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

/* Which columns hold text from outside (keys, names): quoted when they
 * need it, never read as a formula by a spreadsheet (a leading "'"), and
 * control or bidirectional formatting characters shown visibly, as the
 * text and HTML reports show them.  The others are the program's own
 * numbers, instants and fixed words, written as they are. */
static const unsigned char quoted[NCOLUMNS] = {
	0, 1, 1, 0, 1, 0,
	0, 0, 0, 0,
	0, 0, 0, 1,
	0, 0, 0, 0,
	0, 1, 1, 0, 0,
	0, 0,
};

static void end_record(struct buf *b)
{
	buf_addc(b, '\r');
	csv_end_record(b);
}

static const char *utc(int64_t at, char out[CIVIL_ISO_LEN])
{
	if (at == STORE_NONE)
		return NULL;
	civil_format_utc(at, out);
	return out;
}

static const char *local(const struct tz *tz, int64_t at, char out[REPORT_FMT_LEN])
{
	if (at == STORE_NONE)
		return NULL;
	report_fmt_local_iso(tz, at, out);
	return out;
}

static const char *number(int64_t v, char out[24])
{
	char *p = out + 23;

	if (v < 0)
		return NULL;
	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return p;
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
	char id[24], c[CIVIL_ISO_LEN], dl[CIVIL_ISO_LEN], fr[CIVIL_ISO_LEN];
	char rs[CIVIL_ISO_LEN], cl[REPORT_FMT_LEN], dll[REPORT_FMT_LEN];
	char frl[REPORT_FMT_LEN], tg[24], resp[24], ov[24], ow[24], rt[24];
	char rd[CIVIL_ISO_LEN], rdl[REPORT_FMT_LEN];
	int late = row->outcome == REPORT_BREACHED || row->outcome == REPORT_OVERDUE ||
	    row->outcome == REPORT_EXCUSED;
	const char *reason, *ref;
	size_t ncol = r->extended ? NCOLUMNS : NCOLUMNS_BASE;
	const char *v[NCOLUMNS] = {
		number(row->id, id), report_str(r, row->key),
		r->partners[row->partner].p.key, store_severity_name(row->severity),
		report_str(r, row->assignee), report_outcome_id(row->outcome),
		utc(row->created_at, c), utc(row->deadline_at, dl),
		utc(row->first_response_at, fr), utc(row->resolved_at, rs),
		local(tz, row->created_at, cl), local(tz, row->deadline_at, dll),
		local(tz, row->first_response_at, frl), tz_name(tz),
		number(row->target_s, tg), number(row->response_s, resp),
		late ? number(row->overrun_s, ov) : "0",
		late ? number(row->overrun_wall_s, ow) : "0",
		NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	};

	if (r->extended) {
		v[NCOLUMNS_BASE] = row->waiting ? "1" : "0";
		v[NCOLUMNS_BASE + 3] = number(row->resolve_target_s, rt);
		v[NCOLUMNS_BASE + 4] = utc(row->resolve_deadline_at, rd);
		v[NCOLUMNS_BASE + 5] = local(tz, row->resolve_deadline_at, rdl);
		v[NCOLUMNS_BASE + 6] = row->resolve_outcome < REPORT_NOUTCOMES ?
		    report_outcome_id((enum report_outcome)row->resolve_outcome) : NULL;
		if (report_excuse(r, row, &reason, &ref)) {
			v[NCOLUMNS_BASE + 1] = reason;
			v[NCOLUMNS_BASE + 2] = ref;
		}
	}
	for (size_t k = 0; k < ncol; k++) {
		const struct buf *cell = k == 2 ? &sh->partner[row->partner] :
		    k == 13 ? &sh->zone[row->partner] : k == 4 &&
		    row->assignee_group < r->nassignees ? &sh->assignee[row->assignee_group] :
		    NULL;

		if (cell != NULL)
			buf_add(b, cell->data, cell->len);
		else if (quoted[k])
			csv_add_cell(b, v[k], k == 0, CSV_PEOPLE | CSV_VISIBLE);
		else {	/* our own digits and names: never quoted */
			if (k > 0)
				buf_addc(b, ',');
			if (v[k] != NULL)
				buf_adds(b, v[k]);
		}
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
