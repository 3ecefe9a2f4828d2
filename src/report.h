/* report.h: the SLA report (issue 5; man/slatrack-report.1).
 *
 * report_build reads the tickets of a period once, computes every row and
 * every figure, and hands back a read-only struct report; the renderers
 * (report-text.c, report-csv.c, report-json.c, report-html.c) only lay
 * those rows out, so every format tells the same story.  Nothing in the
 * core depends on this module.
 *
 * What counts (the definitions the man page states):
 *   - the period is [from_at, to_at), its ends local midnights in the
 *     report zone (or the instants of --since/--until);
 *   - a timed ticket is DUE in the period when its stored deadline lies
 *     inside it;
 *   - it MET the SLA when its first response came at or before the
 *     deadline, it is BREACHED when the response came after, and OPEN AND
 *     OVERDUE when it has no response and the deadline has passed (as of
 *     now_at).  A ticket resolved without a recorded response stopped its
 *     clock at the resolution (sla.h): met or breached by that instant.
 *     A ticket still open before its deadline (only when the period reaches
 *     past now) is PENDING;
 *   - a breach (breached, or open and overdue) whose ticket carries an
 *     excuse (store_ticket.excused_at) is EXCUSED instead: counted on its
 *     own, listed with its reason and reference, and left out of
 *     attainment;
 *   - a ticket whose response clock stands still while it waits on the
 *     customer (SLA_WAITING) is pending, never breached; `waiting` counts
 *     those among the pending;
 *   - attainment = met / (met + breached + open and overdue): an open
 *     ticket counts against attainment as soon as its deadline passes,
 *     pending tickets count neither way until it does, and excused ones
 *     never do;
 *   - the resolution clock (resolve_deadline_at) of the same tickets, those
 *     that have a resolution target: met, breached, open and overdue,
 *     pending or excused by the resolution deadline, with an attainment of
 *     its own computed the same way;
 *   - first-response times are working time from creation to the first
 *     response, over the due tickets that have one; median and 90th
 *     percentile by the nearest-rank method;
 *   - overruns are working time and wall-clock time from the deadline to
 *     the response (to now_at while still open);
 *   - also listed, whatever the period: every ticket open and overdue at
 *     now_at;
 *   - tickets without a target that were created in the period appear in
 *     counts only (untimed).
 *
 * The core never prints: renderers write through a struct report_sink.
 */
#ifndef SLATRACK_REPORT_H
#define SLATRACK_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "store.h"

struct cal_step;
struct config;
struct sla_cache;
struct sla_partner;
struct tz;

/* The JSON document's schema_version: 2 leaves out "tickets" (every ticket
 * due, which schema 1 lists; a year's is 600 MB).  Schema 1 stays for a
 * release, by report_options.json_schema (--json-schema 1). */
#define REPORT_SCHEMA_VERSION 2

enum report_period {
	REPORT_YESTERDAY,		/* the default */
	REPORT_TODAY,
	REPORT_WEEK,			/* Monday to Monday */
	REPORT_MONTH,
	REPORT_YEAR,
	REPORT_RANGE			/* --since/--until */
};

enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_JSON, REPORT_HTML };

struct report_options {
	enum report_period period;
	const char *period_arg;		/* "2026-01" for --month, "2026" for --year;
					   NULL: the period containing yesterday */
	int64_t since_at, until_at;	/* REPORT_RANGE */
	const char *zone;		/* the report zone, IANA name */
	int64_t now_at;
	const char *partner;		/* key or #ID; NULL = every partner */
	const char *assignee;		/* NULL = anyone; "" = unassigned only */
	int severity;			/* -1 = every severity */
	int evidence;			/* -1: for --year only; 0 never; 1 always */
	double at_risk;			/* for sla_compute; no effect on the figures */
	const char *generator;		/* "slatrack 0.1.0" */
	const struct config *links;	/* ticket_url templates (ticketurl.h) for
					   links to the helpdesk; NULL: none */
	int all_rows;			/* keep a row for every ticket due (CSV,
					   JSON schema 1); else only listed ones */
	int rows_only;			/* with all_rows: the rows and nothing
					   figured from them (a CSV on its own):
					   no counts, percentiles or listings;
					   report_render takes only CSV then */
	int json_schema;		/* REPORT_SCHEMA_VERSION, or 1 (+ "tickets") */
};

void report_options_init(struct report_options *o);

/* The instants [*from_at, *to_at) of a period in zone tz, and its label
 * ("2026-01-12", "2026-W03", "2026-01", "2026", or "FROM/TO" in UTC for
 * a range).  Without an argument, --week, --month and --year mean the one
 * that contains yesterday: run just after midnight on the first day of a
 * month, --month reports the month that just ended.  DIAG_USAGE for a
 * malformed argument or an empty range. */
#define REPORT_LABEL_LEN 48
int report_period_resolve(enum report_period p, const char *arg, int64_t since_at,
			  int64_t until_at, const struct tz *tz, int64_t now_at,
			  int64_t *from_at, int64_t *to_at, char label[REPORT_LABEL_LEN],
			  struct diag *d);

/* ---- the computed report ----------------------------------------------- */

enum report_outcome {
	REPORT_MET,
	REPORT_BREACHED,		/* answered (or resolved) after the deadline */
	REPORT_OVERDUE,			/* open, deadline passed */
	REPORT_PENDING,			/* open, deadline still ahead (or waiting) */
	REPORT_EXCUSED,			/* breached or open and overdue, excused */
	REPORT_NOUTCOMES
};
/* "met", "breached", "open-overdue", "pending", "excused": CSV and JSON */
const char *report_outcome_id(enum report_outcome o);
/* "met", "BREACHED", "OPEN, overdue", "pending", "excused": text and HTML */
const char *report_outcome_name(enum report_outcome o);

/* One ticket.  Strings are offsets into report.strings (0 = none; read
 * them with report_str).  Durations are seconds (at most 68 years). */
struct report_row {
	int64_t id;
	int64_t created_at, deadline_at, first_response_at, resolved_at;
	int32_t target_s;
	int32_t response_s;		/* working, creation to first response; -1 none */
	int32_t overrun_s;		/* working, past the deadline; 0 unless late */
	int32_t overrun_wall_s;		/* wall clock, past the deadline */
	uint32_t key;
	uint32_t summary;		/* kept for breached and open-overdue rows only:
					   the listings that show it */
	uint32_t assignee;
	uint32_t partner;		/* index into report.partners */
	uint32_t assignee_group;	/* index into report.assignees */
	uint8_t severity;		/* enum store_severity */
	uint8_t outcome;		/* enum report_outcome */
	/* the resolution clock; resolve_outcome REPORT_NOUTCOMES: no target */
	uint8_t resolve_outcome;
	uint8_t waiting;		/* REPORT_WAIT_* of the clocks standing still */
	int32_t resolve_target_s;	/* -1 none */
	uint32_t excuse;		/* excused rows only: the reason, then the
					   reference (read them with report_excuse) */
	int64_t resolve_deadline_at;	/* STORE_NONE when none */
};

/* report_row.waiting: which clocks stand still waiting on the customer. */
#define REPORT_WAIT_RESPONSE 1
#define REPORT_WAIT_RESOLVE 2

/* The figures of the resolution clock: tickets with a resolution target. */
struct report_resolve_stats {
	int64_t timed;			/* every outcome */
	int64_t n[REPORT_NOUTCOMES];
	int64_t waiting;		/* of the pending: clock stopped, waiting */
};

struct report_stats {
	int64_t due;			/* every outcome */
	int64_t n[REPORT_NOUTCOMES];
	int64_t untimed;		/* created in the period without a target */
	int64_t responses;		/* due tickets with a first response */
	int64_t median_s, p90_s;	/* working first-response time; -1 none */
	int64_t worst_s, worst_wall_s;	/* the largest working overrun; -1 none */
	int64_t worst_row;		/* its index in report.rows; -1 none */
	int64_t waiting;		/* of the pending: clock stopped, waiting */
	struct report_resolve_stats resolve;
};

/* 1 with *pct = 100 * met / (met + breached + overdue), 0 when nothing
 * was decided (every due ticket pending, or none due). */
int report_attainment(const struct report_stats *s, double *pct);
/* The same for the resolution clock. */
int report_resolve_attainment(const struct report_stats *s, double *pct);

struct report_partner {
	struct store_partner p;		/* as stored, calendars included */
	const struct sla_partner *sla;	/* compiled on first use; NULL until then */
	int in_scope;			/* matches --partner */
	int listed;			/* has tickets in the report */
	const char *ticket_url;		/* its tickets' link template (ticketurl.h),
					   borrowed from the options' links; NULL: none */
	struct report_stats stats;
};

struct report_group {
	uint32_t name;			/* assignee (string offset); 0 = unassigned */
	struct report_stats stats;
};

struct report_bucket {
	int64_t from_at, to_at;
	char label[24];			/* "Mon 2026-01-12", "2026-W03", "2026-01" */
	struct report_stats stats;
};

enum report_unit { REPORT_DAY, REPORT_WEEK_UNIT, REPORT_MONTH_UNIT };
const char *report_format_name(enum report_format f);	/* "text", "csv", ... */
const char *report_unit_name(enum report_unit u);	/* "day", "week", "month" */

/* How the deadline of one breached ticket was counted (evidence),
 * computed when a renderer asks for it, so a year of breaches does not
 * sit in memory at once. */
struct report_explain {
	size_t row;			/* index into report.rows */
	struct cal_step *steps;		/* cal_explain, from creation to deadline */
	size_t nsteps;
	int64_t computed_at;		/* the deadline today's schedule gives */
	char error[160];		/* non-empty: no explanation, and why */
};

struct report_audit;

struct report {
	/* the question */
	enum report_period period;
	char label[REPORT_LABEL_LEN];
	int64_t from_at, to_at, now_at;
	struct tz *tz;			/* the report zone */
	char *generator;
	char *filter_partner;		/* the partner key; NULL = every partner */
	char *filter_assignee;		/* NULL = anyone, "" = unassigned */
	int filter_severity;		/* -1 = all */
	const struct config *links;	/* borrowed from the options; NULL: no links */

	/* due in the period, by id (the order tickets were recorded): every
	 * one when all_rows, else those a listing shows (breached, open and
	 * overdue or excused on either clock); the figures count them all */
	int all_rows;
	int rows_only;			/* report_options.rows_only */
	int json_schema;		/* the JSON document's schema_version */
	struct report_row *rows;
	size_t nrows;
	size_t rows_cap;		/* rows allocated (mapped: bigmem.h) */
	size_t *breaches;		/* rows breached or open and overdue, worst first */
	size_t nbreaches;
	/* open and overdue now, whatever the period; worst first */
	struct report_row *overdue;
	size_t noverdue;
	/* excused on either clock, by id */
	size_t *excused;
	size_t nexcused;
	/* rows whose resolution clock is breached or open and overdue, by id */
	size_t *resolve_breaches;
	size_t nresolve_breaches;
	/* what the extra sections and members show: has_resolve when a ticket
	 * due in the period has a resolution target; extended when a ticket of
	 * the report (due, or open and overdue now) has a resolution target, is
	 * excused or waits on the customer.  A report that is neither renders
	 * exactly as before these existed. */
	int has_resolve;
	int extended;

	struct report_stats total;
	struct report_stats by_severity[STORE_NSEV];
	struct report_partner *partners;	/* by key */
	size_t npartners;
	struct report_group *assignees;		/* by name, unassigned last */
	size_t nassignees;

	enum report_unit trend_unit;
	struct report_bucket *trend;
	size_t ntrend;

	/* evidence: --year, or --evidence */
	int evidence;
	struct report_bucket *months;
	size_t nmonths;
	struct report_audit *audit;	/* its verification: ask report_audit() */

	struct buf strings;		/* every string of the rows, NUL-separated */
	struct sla_cache *cache;	/* owns the compiled schedules */
};

struct report *report_build(struct store *s, const struct report_options *o,
			    struct diag *d);
void report_free(struct report *r);			/* NULL-safe */

/* The k-th smallest of v[0..n) (k < n, from 0), reordering v around it;
 * behind every median and 90th percentile (public for its test). */
uint32_t report_select_kth(uint32_t *v, size_t n, size_t k);

/* The explanation of breach i (report.breaches[i]): 0 (e->error set when
 * the schedule cannot explain it), -1 out of memory.  Release with
 * report_explain_release. */
int report_explain(const struct report *r, size_t i, struct report_explain *e);
void report_explain_release(struct report_explain *e);

/* The string at offset off, NULL for 0. */
const char *report_str(const struct report *r, uint32_t off);
/* The excuse of an excused row: 1 with *reason and *ref (NULL when it
 * names no incident), 0 when the row carries none. */
int report_excuse(const struct report *r, const struct report_row *row,
		  const char **reason, const char **ref);
/* The zone of the row's partner, of partner i (borrowed). */
const struct tz *report_row_tz(const struct report *r, const struct report_row *row);
const struct tz *report_partner_tz(const struct report *r, size_t i);
/* Whether the period holds a breach (breached or open and overdue). */
int report_has_breach(const struct report *r);

/* ---- rendering ---------------------------------------------------------- */

/* Where rendered bytes go; write returns 0, or -1 when it failed (a full
 * disk, a closed pipe). */
struct report_sink {
	int (*write)(void *arg, const char *data, size_t len);
	void *arg;
};

int report_render(const struct report *r, enum report_format f,
		  const struct report_sink *sink, struct diag *d);
int report_render_text(const struct report *r, const struct report_sink *sink,
		       struct diag *d);
int report_render_csv(const struct report *r, const struct report_sink *sink,
		      struct diag *d);
int report_render_json(const struct report *r, const struct report_sink *sink,
		       struct diag *d);
int report_render_html(const struct report *r, const struct report_sink *sink,
		       struct diag *d);

/* The documented texts, shared by every format and the man page. */
extern const char report_rule_text[];		/* how deadlines are computed */
extern const char report_attainment_text[];	/* the attainment rule */
extern const char report_excused_text[];	/* excused and waiting tickets */
extern const char report_resolve_text[];	/* the resolution figures */

/* Helpers for the renderers. */
#define REPORT_FMT_LEN 48
/* A buffer flushed to the sink every 64 KiB. */
struct report_out {
	struct buf b;
	const struct report_sink *sink;
	int failed;			/* the sink refused a write */
	int errored;			/* error holds why the report is unfinished */
	struct diag error;
};
void report_out_init(struct report_out *o, const struct report_sink *sink);
void report_out_flush(struct report_out *o);	/* when 64 KiB are pending */
/* Flushes everything and releases the buffer: 0, or -1 with d filled. */
int report_out_finish(struct report_out *o, struct diag *d);
/* Appends fn's text for items 0..n-1, in that order, as a loop calling
 * fn(&o->b, i, arg) and report_out_flush would.  A long run is rendered
 * on two threads, chunk by chunk, so fn must only read what it shares
 * (the report is const; each call gets the buffer to append to) and mark
 * a failure by setting b->failed (taken as out of memory). */
typedef void report_row_fn(struct buf *b, size_t i, const void *arg);
void report_out_rows(struct report_out *o, size_t n, report_row_fn *fn, const void *arg);
/* Every breach explained (report_explain), in order, as one(b, r, i, e)
 * renders breach i; through report_out_rows, so one only reads. */
typedef void report_explain_fn(struct buf *b, const struct report *r, size_t i,
			       const struct report_explain *e);
void report_out_explanations(struct report_out *o, const struct report *r,
			     report_explain_fn *one);
/* The result of `audit verify` over the report's snapshot (evidence
 * reports only).  It runs on threads of its own while the report is built
 * and rendered, so this waits for it: ask for it last.  NULL when it could
 * not be done; report_out_finish then fails with the reason. */
const struct store_audit_result *report_audit(const struct report *r, struct report_out *o);

/* "h:mm" of a duration, rounded up to the minute ("0:00" for 0; "-"
 * when s < 0, which means none). */
void report_fmt_hm(int64_t s, char out[REPORT_FMT_LEN]);
/* A counted step's length, given the running total after it, as the
 * difference of the two running totals shown (each rounded up as
 * report_fmt_hm rounds): the lengths of an explanation then add up to
 * the total it shows, even when the steps start at :30 seconds. */
void report_fmt_step_hm(int64_t total_s, int64_t len_s, char out[REPORT_FMT_LEN]);
/* "2026-01-12 09:00" local to tz; with_zone appends " CET". */
void report_fmt_local(const struct tz *tz, int64_t at, int with_zone,
		      char out[REPORT_FMT_LEN]);
/* "2026-01-12T09:00:00+01:00"; returns its length */
size_t report_fmt_local_iso(const struct tz *tz, int64_t at, char out[REPORT_FMT_LEN]);
/* Decimal digits of v; "YYYY-MM-DDTHH:MM:SSZ" (fast: no printf). */
void report_add_i64(struct buf *b, int64_t v);
void report_add_utc(struct buf *b, int64_t at);
/* "09:30" local to tz on local date day; "24:00" for the end of it. */
void report_fmt_clock(const struct tz *tz, int64_t at, int64_t day, char out[REPORT_FMT_LEN]);
/* "75.0%", or "-" when nothing was decided. */
void report_fmt_pct(const struct report_stats *s, char out[REPORT_FMT_LEN]);
void report_fmt_resolve_pct(const struct report_stats *s, char out[REPORT_FMT_LEN]);
/* "partner acme, assignee bob, severity critical" or "everything". */
void report_scope(const struct report *r, struct buf *b);

#endif
