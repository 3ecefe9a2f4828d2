/* report-json.c: the report as one JSON document, schema_version 2 (or 1,
 * which adds "tickets", every ticket due, for a release), documented in
 * man/slatrack-report.1.  Stable: members are only ever added, and a
 * change of meaning gets a new schema_version.  Instants are
 * UTC "YYYY-MM-DDTHH:MM:SSZ" with *_local twins in the partner's (or the
 * report's) zone; durations are whole seconds (*_s); absent values are
 * null.
 *
 * An extended report (report.extended: some ticket of it has a resolution
 * target, an excused breach or a clock waiting on the customer) adds the
 * members of waiting, excused breaches and the resolution clock, still
 * the same schema_version (members only added; "breached" and "open_overdue"
 * leave excused breaches out, so met / (met + breached + open_overdue)
 * stays the attainment).  Any other report is exactly the document it
 * always was. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "civil.h"
#include "json.h"
#include "ticketurl.h"
#include "tz.h"

static void jkey(struct buf *b, const char *k)
{
	buf_addc(b, '"');
	buf_adds(b, k);
	buf_adds(b, "\": ");
}

static void jutc(struct buf *b, int64_t at)
{
	if (at == STORE_NONE) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	report_add_utc(b, at);
	buf_addc(b, '"');
}

static void jlocal(struct buf *b, const struct tz *tz, int64_t at)
{
	char t[REPORT_FMT_LEN];

	if (at == STORE_NONE) {
		buf_adds(b, "null");
		return;
	}
	report_fmt_local_iso(tz, at, t);
	buf_addc(b, '"');
	buf_adds(b, t);
	buf_addc(b, '"');
}

/* A count or duration; negative values mean none. */
static void jnum(struct buf *b, int64_t v)
{
	if (v < 0)
		buf_adds(b, "null");
	else
		report_add_i64(b, v);
}

static void jstats(struct buf *b, const struct report *r, const struct report_stats *s)
{
	double pct;

	buf_addf(b, "\"due\": %lld, \"met\": %lld, \"breached\": %lld, \"open_overdue\": %lld, "
	    "\"pending\": %lld, \"untimed\": %lld, ", (long long)s->due,
	    (long long)s->n[REPORT_MET], (long long)s->n[REPORT_BREACHED],
	    (long long)s->n[REPORT_OVERDUE], (long long)s->n[REPORT_PENDING],
	    (long long)s->untimed);
	jkey(b, "attainment_pct");
	if (report_attainment(s, &pct))
		buf_addf(b, "%.2f", pct);
	else
		buf_adds(b, "null");
	buf_addf(b, ", \"responses\": %lld, ", (long long)s->responses);
	jkey(b, "first_response_median_s");
	jnum(b, s->median_s);
	buf_adds(b, ", ");
	jkey(b, "first_response_p90_s");
	jnum(b, s->p90_s);
	buf_adds(b, ", ");
	jkey(b, "worst_overrun_s");
	jnum(b, s->worst_s);
	buf_adds(b, ", ");
	jkey(b, "worst_overrun_wall_s");
	jnum(b, s->worst_wall_s);
	buf_adds(b, ", ");
	jkey(b, "worst_ticket");
	jnum(b, s->worst_row >= 0 ? r->rows[s->worst_row].id : -1);
	if (!r->extended)
		return;
	buf_addf(b, ", \"waiting\": %lld, \"excused\": %lld, \"resolution\": {\"timed\": %lld, "
	    "\"met\": %lld, \"breached\": %lld, \"open_overdue\": %lld, \"pending\": %lld, "
	    "\"waiting\": %lld, \"excused\": %lld, ", (long long)s->waiting,
	    (long long)s->n[REPORT_EXCUSED], (long long)s->resolve.timed,
	    (long long)s->resolve.n[REPORT_MET], (long long)s->resolve.n[REPORT_BREACHED],
	    (long long)s->resolve.n[REPORT_OVERDUE], (long long)s->resolve.n[REPORT_PENDING],
	    (long long)s->resolve.waiting, (long long)s->resolve.n[REPORT_EXCUSED]);
	jkey(b, "attainment_pct");
	if (report_resolve_attainment(s, &pct))
		buf_addf(b, "%.2f", pct);
	else
		buf_adds(b, "null");
	buf_addc(b, '}');
}

static void jbucket(struct buf *b, const struct report *r, const struct report_bucket *k)
{
	buf_adds(b, "{");
	jkey(b, "label");
	json_add_string(b, k->label);
	buf_adds(b, ", ");
	jkey(b, "from");
	jutc(b, k->from_at);
	buf_adds(b, ", ");
	jkey(b, "to");
	jutc(b, k->to_at);
	buf_adds(b, ", ");
	jstats(b, r, &k->stats);
	buf_adds(b, "}");
}

/* A string literal, its length known at compile time: the rows of a
 * year's report add a few dozen of them each. */
#define JLIT(b, lit) buf_add((b), (lit), sizeof(lit) - 1)

/* What every ticket of one partner (or one assignee) shares, escaped
 * once: a year's report repeats each of them a hundred thousand times. */
struct jshared {
	struct buf *partner_key;	/* per partner: its key, a JSON string */
	struct buf *partner_zone;	/* per partner: its tickets' zone */
	struct buf *assignee;		/* per assignee group: the name or null */
	size_t npartners, nassignees;
};

static void jshared_free(struct jshared *j)
{
	for (size_t i = 0; i < j->npartners; i++) {
		buf_release(&j->partner_key[i]);
		buf_release(&j->partner_zone[i]);
	}
	for (size_t i = 0; i < j->nassignees; i++)
		buf_release(&j->assignee[i]);
	free(j->partner_key);
	free(j->partner_zone);
	free(j->assignee);
	memset(j, 0, sizeof *j);
}

/* 0, or -1 out of memory. */
static int jshared_init(struct jshared *j, const struct report *r)
{
	size_t np = r->npartners ? r->npartners : 1, na = r->nassignees ? r->nassignees : 1;
	int failed = 0;

	memset(j, 0, sizeof *j);
	j->partner_key = calloc(np, sizeof *j->partner_key);
	j->partner_zone = calloc(np, sizeof *j->partner_zone);
	j->assignee = calloc(na, sizeof *j->assignee);
	if (j->partner_key == NULL || j->partner_zone == NULL || j->assignee == NULL) {
		jshared_free(j);
		return -1;
	}
	j->npartners = r->npartners;
	j->nassignees = r->nassignees;
	for (size_t i = 0; i < r->npartners; i++) {
		const struct report_partner *p = &r->partners[i];

		buf_init(&j->partner_key[i]);
		buf_init(&j->partner_zone[i]);
		json_add_string(&j->partner_key[i], p->p.key);
		json_add_string(&j->partner_zone[i], tz_name(report_partner_tz(r, i)));
		failed |= buf_failed(&j->partner_key[i]) || buf_failed(&j->partner_zone[i]);
	}
	for (size_t i = 0; i < r->nassignees; i++) {
		buf_init(&j->assignee[i]);
		json_add_string(&j->assignee[i], report_str(r, r->assignees[i].name));
		failed |= buf_failed(&j->assignee[i]);
	}
	if (failed) {
		jshared_free(j);
		return -1;
	}
	return 0;
}

static void jbuf(struct buf *b, const struct buf *s)
{
	buf_add(b, s->data, s->len);
}

/* The ticket's link to its helpdesk (ticketurl.h), or null. */
static void jurl(struct buf *b, const struct report *r, const struct report_row *row)
{
	const struct report_partner *p = &r->partners[row->partner];
	struct buf u = BUF_INIT;

	if (p->ticket_url == NULL) {
		JLIT(b, "null");
		return;
	}
	if (ticketurl_format_with(p->ticket_url, p->p.key, report_str(r, row->key), row->id,
	    &u) && !buf_failed(&u))
		json_add_string(b, buf_str(&u));
	else
		buf_adds(b, "null");
	buf_release(&u);
}

/* The members of an extended report's ticket: waiting, the excuse, the
 * resolution clock. */
static void jticket_extended(struct buf *b, const struct report *r,
			     const struct report_row *row, const struct tz *tz)
{
	const char *reason, *ref;

	report_excuse(r, row, &reason, &ref);
	buf_adds(b, row->waiting ? ", \"waiting\": true" : ", \"waiting\": false");
	buf_adds(b, ", \"excuse_reason\": ");
	json_add_string(b, reason);
	buf_adds(b, ", \"excuse_ref\": ");
	json_add_string(b, ref);
	buf_adds(b, ", \"resolve_target_s\": ");
	jnum(b, row->resolve_target_s);
	buf_adds(b, ", \"resolve_deadline\": ");
	jutc(b, row->resolve_deadline_at);
	buf_adds(b, ", \"resolve_deadline_local\": ");
	jlocal(b, tz, row->resolve_deadline_at);
	buf_adds(b, ", \"resolution_outcome\": ");
	if (row->resolve_outcome < REPORT_NOUTCOMES) {
		buf_addc(b, '"');
		buf_adds(b, report_outcome_id((enum report_outcome)row->resolve_outcome));
		buf_addc(b, '"');
	} else
		buf_adds(b, "null");
}

/* t[1..] holds a formatted instant: quotes it and adds it in one append. */
static void jquoted(struct buf *b, char *t)
{
	size_t n;

	t[0] = '"';
	n = strlen(t);
	t[n] = '"';
	buf_add(b, t, n + 1);
}

/* An instant as a JSON string, or null. */
static void jutc_fast(struct buf *b, int64_t at)
{
	char t[CIVIL_ISO_LEN + 2];

	if (at == STORE_NONE) {
		JLIT(b, "null");
		return;
	}
	civil_format_utc(at, t + 1);
	jquoted(b, t);
}

static void jlocal_fast(struct buf *b, const struct tz *tz, int64_t at)
{
	char t[REPORT_FMT_LEN + 2];

	if (at == STORE_NONE) {
		JLIT(b, "null");
		return;
	}
	report_fmt_local_iso(tz, at, t + 1);
	jquoted(b, t);
}

/* One ticket; the summary only where it is kept (breach listings). */
static void jticket(struct buf *b, const struct report *r, const struct jshared *j,
		    const struct report_row *row, int with_summary)
{
	const struct tz *tz = report_row_tz(r, row);
	int late = row->outcome == REPORT_BREACHED || row->outcome == REPORT_OVERDUE ||
	    row->outcome == REPORT_EXCUSED;

	JLIT(b, "{\"id\": ");
	report_add_i64(b, row->id);
	JLIT(b, ", \"key\": ");
	json_add_string(b, report_str(r, row->key));
	JLIT(b, ", \"partner\": ");
	jbuf(b, &j->partner_key[row->partner]);
	JLIT(b, ", \"severity\": \"");
	buf_adds(b, store_severity_name(row->severity));
	JLIT(b, "\", \"assignee\": ");
	if (row->assignee_group < j->nassignees)
		jbuf(b, &j->assignee[row->assignee_group]);
	else
		json_add_string(b, report_str(r, row->assignee));
	if (with_summary) {
		JLIT(b, ", \"summary\": ");
		json_add_string(b, report_str(r, row->summary));
	}
	JLIT(b, ", \"outcome\": \"");
	buf_adds(b, report_outcome_id(row->outcome));
	JLIT(b, "\", \"created\": ");
	jutc_fast(b, row->created_at);
	JLIT(b, ", \"deadline\": ");
	jutc_fast(b, row->deadline_at);
	JLIT(b, ", \"first_response\": ");
	jutc_fast(b, row->first_response_at);
	JLIT(b, ", \"resolved\": ");
	jutc_fast(b, row->resolved_at);
	JLIT(b, ", \"created_local\": ");
	jlocal_fast(b, tz, row->created_at);
	JLIT(b, ", \"deadline_local\": ");
	jlocal_fast(b, tz, row->deadline_at);
	JLIT(b, ", \"first_response_local\": ");
	jlocal_fast(b, tz, row->first_response_at);
	JLIT(b, ", \"partner_zone\": ");
	jbuf(b, &j->partner_zone[row->partner]);
	JLIT(b, ", \"target_s\": ");
	jnum(b, row->target_s);
	JLIT(b, ", \"response_working_s\": ");
	jnum(b, row->response_s);
	JLIT(b, ", \"overrun_working_s\": ");
	report_add_i64(b, late ? row->overrun_s : 0);
	JLIT(b, ", \"overrun_wall_s\": ");
	report_add_i64(b, late ? row->overrun_wall_s : 0);
	JLIT(b, ", \"url\": ");
	jurl(b, r, row);
	if (r->extended)
		jticket_extended(b, r, row, tz);
	buf_addc(b, '}');
}

struct jtickets_arg {
	const struct report *r;
	const struct jshared *j;
	const struct report_row *rows;
	const size_t *order;
	int with_summary;
};

static void jtickets_one(struct buf *b, size_t i, const void *arg)
{
	const struct jtickets_arg *a = arg;

	if (i)
		JLIT(b, ",\n    ");
	else
		JLIT(b, "\n    ");
	jticket(b, a->r, a->j, &a->rows[a->order != NULL ? a->order[i] : i], a->with_summary);
}

static void jtickets(struct report_out *o, const struct report *r, const struct jshared *j,
		     const char *name, const struct report_row *rows, const size_t *order,
		     size_t n, int with_summary)
{
	struct jtickets_arg a = { r, j, rows, order, with_summary };

	buf_addf(&o->b, ",\n  \"%s\": [", name);
	report_out_rows(o, n, jtickets_one, &a);
	buf_adds(&o->b, n ? "\n  ]" : "]");
}

static const char *step_kind(enum cal_step_kind k)
{
	switch (k) {
	case CAL_STEP_COUNTED:
		return "counted";
	case CAL_STEP_WEEKEND:
		return "weekend";
	case CAL_STEP_HOLIDAY:
		return "holiday";
	case CAL_STEP_CLOSURE:
		return "closure";
	case CAL_STEP_MAKEUP:
		return "makeup";
	}
	return "?";
}

static void jexplain_one(struct buf *b, const struct report *r, size_t i,
			 const struct report_explain *e)
{
	const struct report_row *row = &r->rows[e->row];

	buf_adds(b, i ? ",\n      {\"id\": " : "\n      {\"id\": ");
	report_add_i64(b, row->id);
	buf_adds(b, ", ");
	jkey(b, "key");
	json_add_string(b, report_str(r, row->key));
	buf_adds(b, ", ");
	jkey(b, "deadline");
	jutc(b, row->deadline_at);
	buf_adds(b, ", ");
	jkey(b, "computed_deadline");
	jutc(b, e->computed_at);
	buf_adds(b, ", ");
	jkey(b, "error");
	json_add_string(b, e->error[0] ? e->error : NULL);
	buf_adds(b, ", \"steps\": [");
	for (size_t k = 0; k < e->nsteps; k++) {
		const struct cal_step *s = &e->steps[k];
		char day[CIVIL_ISO_LEN];

		civil_format_day(s->day, day);
		buf_adds(b, k ? ", " : "");
		buf_adds(b, "{\"kind\": \"");
		buf_adds(b, step_kind(s->kind));
		buf_adds(b, "\", \"day\": \"");
		buf_adds(b, day);
		buf_adds(b, "\", ");
		jkey(b, "start");
		jutc(b, s->start_at);
		buf_adds(b, ", ");
		jkey(b, "end");
		jutc(b, s->end_at);
		buf_adds(b, ", \"total_s\": ");
		report_add_i64(b, s->total_s);
		buf_adds(b, ", ");
		jkey(b, "name");
		json_add_string(b, s->name);
		buf_adds(b, ", ");
		jkey(b, "source");
		json_add_string(b, s->source);
		buf_adds(b, ", \"line\": ");
		report_add_i64(b, s->line);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}");
}

static void jevidence(struct report_out *o, const struct report *r)
{
	const struct store_audit_result *a;
	struct buf *b = &o->b;
	int first = 1;

	buf_adds(b, ",\n  \"evidence\": {\n    \"partners\": [");
	for (size_t i = 0; i < r->npartners; i++) {
		const struct store_partner *p = &r->partners[i].p;
		char wd[STORE_TEXT_LEN];

		if (!r->partners[i].in_scope || (!r->partners[i].listed &&
		    p->archived_at != STORE_NONE))
			continue;
		buf_adds(b, first ? "\n      {" : ",\n      {");
		first = 0;
		jkey(b, "key");
		json_add_string(b, p->key);
		buf_adds(b, ", ");
		jkey(b, "name");
		json_add_string(b, p->name);
		buf_adds(b, ", ");
		jkey(b, "zone");
		json_add_string(b, p->zone);
		store_workdays_format(p->workdays, wd);
		buf_adds(b, ", ");
		jkey(b, "workdays");
		json_add_string(b, wd);
		buf_adds(b, ", ");
		jkey(b, "hours");
		json_add_string(b, p->hours != NULL && *p->hours != '\0' ? p->hours : "00:00-24:00");
		buf_adds(b, ", \"targets_s\": {");
		for (int s = 0; s < STORE_NSEV; s++) {
			buf_addf(b, "%s\"%s\": ", s ? ", " : "", store_severity_name(s));
			jnum(b, p->target_s[s] == STORE_NONE ? -1 : p->target_s[s]);
		}
		if (r->extended) {
			buf_adds(b, "}, \"resolve_targets_s\": {");
			for (int s = 0; s < STORE_NSEV; s++) {
				buf_addf(b, "%s\"%s\": ", s ? ", " : "", store_severity_name(s));
				jnum(b, p->resolve_s[s] == STORE_NONE ? -1 : p->resolve_s[s]);
			}
		}
		buf_addf(b, "}, \"archived\": %s, \"calendars\": [",
		    p->archived_at != STORE_NONE ? "true" : "false");
		for (size_t c = 0; c < p->ncalendars; c++) {
			const struct store_calendar *cal = &p->calendars[c];

			buf_addf(b, "%s{\"position\": %zu, ", c ? ", " : "", c + 1);
			jkey(b, "source");
			json_add_string(b, cal->source);
			buf_addf(b, ", \"sha256\": \"%s\", ", cal->digest);
			jkey(b, "read_at");
			jutc(b, cal->fetched_at);
			buf_adds(b, ", ");
			jkey(b, "last_error");
			json_add_string(b, cal->last_error);
			buf_adds(b, "}");
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, first ? "],\n    " : "\n    ],\n    ");
	jkey(b, "deadline_rule");
	json_add_string(b, report_rule_text);
	buf_adds(b, ",\n    \"months\": [");
	for (size_t i = 0; i < r->nmonths; i++) {
		buf_adds(b, i ? ",\n      " : "\n      ");
		jbucket(b, r, &r->months[i]);
	}
	buf_adds(b, r->nmonths ? "\n    ],\n    \"explanations\": [" :
	    "],\n    \"explanations\": [");
	report_out_explanations(o, r, jexplain_one);
	buf_adds(b, r->nbreaches ? "\n    ],\n    \"audit\": {" : "],\n    \"audit\": {");
	jkey(b, "verified_at");
	jutc(b, r->now_at);
	if ((a = report_audit(r, o)) == NULL)
		return;
	buf_addf(b, ", \"intact\": %s, \"events\": %lld, ", a->bad_id ? "false" : "true",
	    (long long)a->nevents);
	jkey(b, "head_hash");
	json_add_string(b, a->head_hash[0] ? a->head_hash : NULL);
	buf_adds(b, ", ");
	jkey(b, "bad_event");
	jnum(b, a->bad_id ? a->bad_id : -1);
	buf_adds(b, ", ");
	jkey(b, "problem");
	json_add_string(b, a->bad_id ? a->problem : NULL);
	buf_adds(b, "}\n  }");
}

static const char *period_id(enum report_period p)
{
	static const char *const v[] = {
		"yesterday", "today", "week", "month", "year", "range"
	};

	return (unsigned)p < sizeof v / sizeof v[0] ? v[p] : "?";
}

int report_render_json(const struct report *r, const struct report_sink *sink,
		       struct diag *d)
{
	struct report_out o;
	struct buf *b = &o.b;
	struct jshared j;

	if (r->json_schema == 1 && !r->all_rows)
		return diag_set(d, DIAG_USAGE, "JSON schema 1 needs every row: "
		    "report_options.all_rows");
	report_out_init(&o, sink);
	buf_addf(b, "{\n  \"schema_version\": %d,\n  ", r->json_schema);
	jkey(b, "generator");
	json_add_string(b, r->generator);
	buf_adds(b, ",\n  ");
	jkey(b, "now");
	jutc(b, r->now_at);
	buf_addf(b, ",\n  \"period\": {\"kind\": \"%s\", ", period_id(r->period));
	jkey(b, "label");
	json_add_string(b, r->label);
	buf_adds(b, ", ");
	jkey(b, "zone");
	json_add_string(b, tz_name(r->tz));
	buf_adds(b, ", ");
	jkey(b, "from");
	jutc(b, r->from_at);
	buf_adds(b, ", ");
	jkey(b, "to");
	jutc(b, r->to_at);
	buf_adds(b, ", ");
	jkey(b, "from_local");
	jlocal(b, r->tz, r->from_at);
	buf_adds(b, ", ");
	jkey(b, "to_local");
	jlocal(b, r->tz, r->to_at);
	buf_adds(b, "},\n  \"scope\": {");
	jkey(b, "partner");
	json_add_string(b, r->filter_partner);
	buf_adds(b, ", ");
	jkey(b, "assignee");
	json_add_string(b, r->filter_assignee);
	buf_adds(b, ", ");
	jkey(b, "severity");
	json_add_string(b, r->filter_severity >= 0 ? store_severity_name(r->filter_severity) : NULL);
	buf_adds(b, "},\n  \"definitions\": {");
	jkey(b, "attainment");
	json_add_string(b, report_attainment_text);
	if (r->extended) {
		buf_adds(b, ", ");
		jkey(b, "excused");
		json_add_string(b, report_excused_text);
		buf_adds(b, ", ");
		jkey(b, "resolution");
		json_add_string(b, report_resolve_text);
	}
	buf_adds(b, "},\n  \"summary\": {");
	jstats(b, r, &r->total);
	buf_adds(b, "},\n  \"by_partner\": [");
	{
		int first = 1;

		for (size_t i = 0; i < r->npartners; i++) {
			if (!r->partners[i].listed)
				continue;
			buf_adds(b, first ? "\n    {" : ",\n    {");
			first = 0;
			jkey(b, "partner");
			json_add_string(b, r->partners[i].p.key);
			buf_adds(b, ", ");
			jkey(b, "name");
			json_add_string(b, r->partners[i].p.name);
			buf_adds(b, ", ");
			jstats(b, r, &r->partners[i].stats);
			buf_adds(b, "}");
		}
		buf_adds(b, first ? "]" : "\n  ]");
	}
	buf_adds(b, ",\n  \"by_assignee\": [");
	for (size_t i = 0; i < r->nassignees; i++) {
		buf_adds(b, i ? ",\n    {" : "\n    {");
		jkey(b, "assignee");
		json_add_string(b, report_str(r, r->assignees[i].name));
		buf_adds(b, ", ");
		jstats(b, r, &r->assignees[i].stats);
		buf_adds(b, "}");
		report_out_flush(&o);
	}
	buf_adds(b, r->nassignees ? "\n  ]" : "]");
	buf_adds(b, ",\n  \"by_severity\": [");
	{
		int first = 1;

		for (int i = 0; i < STORE_NSEV; i++) {
			if (r->by_severity[i].due == 0 && r->by_severity[i].untimed == 0)
				continue;
			buf_addf(b, "%s{\"severity\": \"%s\", ", first ? "\n    " : ",\n    ",
			    store_severity_name(i));
			first = 0;
			jstats(b, r, &r->by_severity[i]);
			buf_adds(b, "}");
		}
		buf_adds(b, first ? "]" : "\n  ]");
	}
	buf_addf(b, ",\n  \"trend\": {\"unit\": \"%s\", \"buckets\": [",
	    report_unit_name(r->trend_unit));
	for (size_t i = 0; i < r->ntrend; i++) {
		buf_adds(b, i ? ",\n    " : "\n    ");
		jbucket(b, r, &r->trend[i]);
		report_out_flush(&o);
	}
	buf_adds(b, r->ntrend ? "\n  ]}" : "]}");
	if (jshared_init(&j, r) < 0) {
		report_out_finish(&o, d);
		return diag_set(d, DIAG_NOMEM, "out of memory writing the report");
	}
	jtickets(&o, r, &j, "breaches", r->rows, r->breaches, r->nbreaches, 1);
	jtickets(&o, r, &j, "open_overdue_now", r->overdue, NULL, r->noverdue, 1);
	if (r->extended) {
		jtickets(&o, r, &j, "excused", r->rows, r->excused, r->nexcused, 1);
		jtickets(&o, r, &j, "resolution_breaches", r->rows, r->resolve_breaches,
		    r->nresolve_breaches, 1);
	}
	if (r->json_schema == 1)
		jtickets(&o, r, &j, "tickets", r->rows, NULL, r->nrows, 0);
	jshared_free(&j);
	if (r->evidence)
		jevidence(&o, r);
	else
		buf_adds(b, ",\n  \"evidence\": null");
	buf_adds(b, "\n}\n");
	return report_out_finish(&o, d);
}
