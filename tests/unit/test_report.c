/* test_report.c: the SLA report's periods (local midnights east and west
 * of UTC, DST, ISO weeks), its formatting helpers, and report_build on a
 * real SQLite file: outcomes, attainment, nearest-rank percentiles, the
 * worst-first order, untimed counts, the open-and-overdue list, and every
 * renderer writing through a sink (and failing when the sink fails);
 * excused breaches, waiting tickets and the resolution clock with worked
 * figures, and a report that uses none of them rendered as before. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "report.h"
#include "store-report.h"
#include "store.h"
#include "tz.h"

static int64_t iso(const char *s)
{
	int64_t v;
	enum civil_instant_kind k;

	cr_assert_eq(civil_parse_instant(s, &v, &k), 0, "bad instant %s", s);
	cr_assert_eq(k, CIVIL_INSTANT_UTC, "%s must carry an offset", s);
	return v;
}

/* ---- periods -------------------------------------------------------------- */

static const struct {
	enum report_period p;
	const char *arg, *zone, *now, *from, *to, *label;
} periods[] = {
	{ REPORT_YESTERDAY, NULL, "Europe/Berlin", "2026-01-13T06:00:00+01:00",
	  "2026-01-12T00:00:00+01:00", "2026-01-13T00:00:00+01:00", "2026-01-12" },
	/* just after local midnight in Auckland it is still the day before in UTC */
	{ REPORT_YESTERDAY, NULL, "Pacific/Auckland", "2026-06-11T00:30:00+12:00",
	  "2026-06-10T00:00:00+12:00", "2026-06-11T00:00:00+12:00", "2026-06-10" },
	/* late evening in Los Angeles is already the next day in UTC */
	{ REPORT_TODAY, NULL, "America/Los_Angeles", "2026-06-10T23:30:00-07:00",
	  "2026-06-10T00:00:00-07:00", "2026-06-11T00:00:00-07:00", "2026-06-10" },
	/* 23 and 25 hour days */
	{ REPORT_YESTERDAY, NULL, "Europe/Berlin", "2026-03-30T12:00:00+02:00",
	  "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "2026-03-29" },
	{ REPORT_YESTERDAY, NULL, "Europe/Berlin", "2026-10-26T12:00:00+01:00",
	  "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "2026-10-25" },
	/* a week is Monday to Monday; on a Monday, --week is the week before */
	{ REPORT_WEEK, NULL, "UTC", "2026-01-12T06:00:00Z",
	  "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", "2026-W02" },
	{ REPORT_WEEK, NULL, "UTC", "2026-01-14T06:00:00Z",
	  "2026-01-12T00:00:00Z", "2026-01-19T00:00:00Z", "2026-W03" },
	{ REPORT_WEEK, "2026-W01", "UTC", "2026-06-01T00:00:00Z",
	  "2025-12-29T00:00:00Z", "2026-01-05T00:00:00Z", "2026-W01" },
	{ REPORT_WEEK, "2026-W53", "UTC", "2026-06-01T00:00:00Z",
	  "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z", "2026-W53" },
	{ REPORT_MONTH, NULL, "Europe/Berlin", "2026-03-01T00:10:00+01:00",
	  "2026-02-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", "2026-02" },
	{ REPORT_MONTH, "2026-03", "Europe/Berlin", "2026-06-01T00:00:00Z",
	  "2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00", "2026-03" },
	{ REPORT_YEAR, NULL, "America/New_York", "2027-01-01T00:05:00-05:00",
	  "2026-01-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00", "2026" },
	{ REPORT_YEAR, "2026", "Asia/Kolkata", "2030-01-01T00:00:00Z",
	  "2026-01-01T00:00:00+05:30", "2027-01-01T00:00:00+05:30", "2026" },
};

Test(report, period_boundaries_are_local_midnights)
{
	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		struct diag d;
		struct tz *z = tz_load(periods[i].zone, &d);
		int64_t from, to;
		char label[REPORT_LABEL_LEN];

		cr_assert_not_null(z, "%s", d.msg);
		cr_assert_eq(report_period_resolve(periods[i].p, periods[i].arg, STORE_NONE,
		    STORE_NONE, z, iso(periods[i].now), &from, &to, label, &d), 0,
		    "row %zu: %s", i, d.msg);
		cr_expect_eq(from, iso(periods[i].from), "row %zu from", i);
		cr_expect_eq(to, iso(periods[i].to), "row %zu to", i);
		cr_expect_str_eq(label, periods[i].label, "row %zu", i);
		tz_free(z);
	}
}

Test(report, period_arguments_are_checked)
{
	static const struct {
		enum report_period p;
		const char *arg;
	} bad[] = {
		{ REPORT_MONTH, "2026-13" }, { REPORT_MONTH, "2026-1" }, { REPORT_MONTH, "26-01" },
		{ REPORT_YEAR, "26" }, { REPORT_YEAR, "20x6" }, { REPORT_WEEK, "2026-W00" },
		{ REPORT_WEEK, "2025-W53" }, { REPORT_WEEK, "2026W01" },
	};
	struct diag d;
	struct tz *z = tz_load("UTC", &d);
	int64_t from, to;
	char label[REPORT_LABEL_LEN];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		diag_clear(&d);
		cr_expect_eq(report_period_resolve(bad[i].p, bad[i].arg, STORE_NONE, STORE_NONE, z,
		    0, &from, &to, label, &d), -1, "'%s' accepted", bad[i].arg);
		cr_expect_eq(d.code, DIAG_USAGE, "'%s'", bad[i].arg);
	}
	cr_expect_eq(report_period_resolve(REPORT_RANGE, NULL, 100, 100, z, 0, &from, &to,
	    label, &d), -1, "an empty range");
	cr_expect_eq(report_period_resolve(REPORT_RANGE, NULL, 100, STORE_NONE, z, 0, &from,
	    &to, label, &d), -1, "no --until");
	cr_assert_eq(report_period_resolve(REPORT_RANGE, NULL, 100, 200, z, 0, &from, &to,
	    label, &d), 0);
	cr_expect_eq(from, 100);
	cr_expect_eq(to, 200);
	tz_free(z);
}

Test(report, formatting_helpers)
{
	char out[REPORT_FMT_LEN];
	struct report_stats s;
	struct diag d;
	struct tz *z = tz_load("Asia/Kolkata", &d);
	double pct;

	report_fmt_hm(0, out);
	cr_expect_str_eq(out, "0:00");
	report_fmt_hm(1, out);			/* a breach by one second shows */
	cr_expect_str_eq(out, "0:01");
	report_fmt_hm(3600 * 27 + 1800, out);
	cr_expect_str_eq(out, "27:30");
	report_fmt_hm(-1, out);
	cr_expect_str_eq(out, "-");
	report_fmt_local_iso(z, iso("2026-01-01T00:00:00Z"), out);
	cr_expect_str_eq(out, "2026-01-01T05:30:00+05:30");
	report_fmt_local(z, iso("2026-01-01T00:00:00Z"), 1, out);
	cr_expect_str_eq(out, "2026-01-01 05:30 IST");
	tz_free(z);

	memset(&s, 0, sizeof s);
	s.n[REPORT_PENDING] = 3;
	cr_expect_eq(report_attainment(&s, &pct), 0, "only pending: nothing decided");
	report_fmt_pct(&s, out);
	cr_expect_str_eq(out, "-");
	s.n[REPORT_MET] = 2;
	s.n[REPORT_BREACHED] = 1;
	s.n[REPORT_OVERDUE] = 1;
	cr_expect_eq(report_attainment(&s, &pct), 1);
	cr_expect_float_eq(pct, 50.0, 1e-9, "met / (met + breached + overdue), pending out");
	cr_expect_str_eq(report_outcome_id(REPORT_OVERDUE), "open-overdue");
}

/* ---- report_build on a database --------------------------------------------- */

static char dir[64], path[128];
static struct store *db;
static int64_t partner;

#define H 3600

static void add(const char *key, int sev, const char *created, const char *deadline,
		const char *response, const char *assignee)
{
	struct store_ticket t;
	struct diag d;

	store_ticket_init(&t);
	t.key = strdup(key);
	t.partner_id = partner;
	t.severity = sev;
	t.summary = strdup(key);
	t.assignee = assignee ? strdup(assignee) : NULL;
	t.created_at = iso(created);
	if (deadline != NULL) {
		t.target_s = 24 * H;
		t.deadline_at = iso(deadline);
	}
	if (response != NULL)
		t.first_response_at = iso(response);
	cr_assert_eq(store_ticket_add(db, &t, "test", t.created_at, &d), 0, "%s: %s", key,
	    d.msg);
	store_ticket_release(&t);
}

/* A UTC partner, Mon-Fri, 24 h; the week 2026-W02 = [Mon 01-05, Mon 01-12).
 * Deadlines are what the engine gives (weekends skipped), written out. */
static void setup(void)
{
	struct store_partner p;
	struct diag d;
	char k[16], c[32], r[32];

	snprintf(dir, sizeof dir, "/tmp/slatrack-report.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.db", dir);
	cr_assert_not_null(db = store_open(path, &d), "%s", d.msg);
	store_partner_init(&p);
	p.key = strdup("utc");
	p.name = strdup("UTC Ltd");
	p.zone = strdup("UTC");
	p.hours = strdup("");
	cr_assert_eq(store_partner_add(db, &p, "test", 1000, &d), 0, "%s", d.msg);
	partner = p.id;
	store_partner_release(&p);
	/* T01: met after 10 h */
	add("T01", STORE_SEV_HIGH, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z",
	    "2026-01-05T10:00:00Z", "bob");
	/* P01..P10: met after 1..10 h */
	for (int i = 1; i <= 10; i++) {
		snprintf(k, sizeof k, "P%02d", i);
		snprintf(c, sizeof c, "2026-01-06T00:00:00Z");
		snprintf(r, sizeof r, "2026-01-06T%02d:00:00Z", i);
		add(k, STORE_SEV_HIGH, c, "2026-01-07T00:00:00Z", r, "ann");
	}
	/* T11: Wed 00:00 -> Thu 00:00, answered Thu 02:00: 2 h late both ways */
	add("T11", STORE_SEV_CRITICAL, "2026-01-07T00:00:00Z", "2026-01-08T00:00:00Z",
	    "2026-01-08T02:00:00Z", NULL);
	/* T12: Fri 00:00 -> Sat 00:00, answered Mon 01:00: 1 h working, 49 h wall */
	add("T12", STORE_SEV_HIGH, "2026-01-09T00:00:00Z", "2026-01-10T00:00:00Z",
	    "2026-01-12T01:00:00Z", NULL);
	/* T13: Thu 12:00 -> Fri 12:00, never answered: at Mon 12:00, 24 h
	 * working (Fri 12 h + Mon 12 h), 72 h wall */
	add("T13", STORE_SEV_HIGH, "2026-01-08T12:00:00Z", "2026-01-09T12:00:00Z", NULL,
	    "bob");
	/* T14: Fri 12:00 -> Mon 01-12 12:00: after the week; at now exactly its
	 * deadline, so not yet overdue */
	add("T14", STORE_SEV_HIGH, "2026-01-09T12:00:00Z", "2026-01-12T12:00:00Z", NULL, NULL);
	/* U1: medium, not timed */
	add("U1", STORE_SEV_MEDIUM, "2026-01-07T09:00:00Z", NULL, NULL, "bob");
}

static void teardown(void)
{
	char cmd[160];

	store_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* The options of the fixture's week (2026-W02, UTC), asked on its Monday. */
static void week_options(struct report_options *o)
{
	report_options_init(o);
	o->period = REPORT_WEEK;
	o->period_arg = "2026-W02";
	o->zone = "UTC";
	o->now_at = iso("2026-01-12T12:00:00Z");
}

static struct report *build_rows(enum report_period p, const char *arg, int evidence,
				 int all_rows)
{
	struct report_options o;
	struct report *r;
	struct diag d;

	report_options_init(&o);
	o.period = p;
	o.period_arg = arg;
	o.zone = "UTC";
	o.now_at = iso("2026-01-12T12:00:00Z");
	o.evidence = evidence;
	o.all_rows = all_rows;
	r = report_build(db, &o, &d);
	cr_assert_not_null(r, "%s", d.msg);
	return r;
}

static struct report *build(enum report_period p, const char *arg, int evidence)
{
	return build_rows(p, arg, evidence, 0);
}

static const char *key_of(const struct report *r, const struct report_row *row)
{
	return report_str(r, row->key);
}

Test(report, figures_of_a_week, .init = setup, .fini = teardown)
{
	struct report *r = build(REPORT_WEEK, "2026-W02", 0);
	const struct report_stats *s = &r->total;
	double pct;

	/* due: T01, P01..P10, T11, T12, T13 = 14; met 11; breached 2; overdue 1 */
	cr_expect_eq(s->due, 14);
	cr_expect_eq(s->n[REPORT_MET], 11);
	cr_expect_eq(s->n[REPORT_BREACHED], 2);
	cr_expect_eq(s->n[REPORT_OVERDUE], 1);
	cr_expect_eq(s->n[REPORT_PENDING], 0);
	cr_expect_eq(s->untimed, 1);
	cr_assert_eq(report_attainment(s, &pct), 1);
	cr_expect_float_eq(pct, 100.0 * 11 / 14, 1e-9);
	/* 13 responses: 1..10 h, 10 h (T01), 25 h (T12: Fri 24 h + Mon 1 h),
	 * 26 h (T11: Wed 24 h + Thu 2 h); nearest rank: median = 7th = 7 h,
	 * p90 = ceil(11.7) = 12th = 25 h */
	cr_expect_eq(s->responses, 13);
	cr_expect_eq(s->median_s, 7 * H);
	cr_expect_eq(s->p90_s, 25 * H);
	cr_expect_eq(s->worst_s, 24 * H);
	cr_expect_eq(s->worst_wall_s, 72 * H);
	cr_assert_geq(s->worst_row, 0);
	cr_expect_str_eq(key_of(r, &r->rows[s->worst_row]), "T13");
	/* worst first: T13 24 h, T11 2 h, T12 1 h (49 h wall) */
	cr_assert_eq(r->nbreaches, 3);
	cr_expect_str_eq(key_of(r, &r->rows[r->breaches[0]]), "T13");
	cr_expect_str_eq(key_of(r, &r->rows[r->breaches[1]]), "T11");
	cr_expect_str_eq(key_of(r, &r->rows[r->breaches[2]]), "T12");
	cr_expect_eq(r->rows[r->breaches[2]].overrun_s, 1 * H);
	cr_expect_eq(r->rows[r->breaches[2]].overrun_wall_s, 49 * H);
	/* rows in id order */
	for (size_t i = 1; i < r->nrows; i++)
		cr_expect_lt(r->rows[i - 1].id, r->rows[i].id);
	/* open and overdue now: T13 only (T14's deadline is now itself) */
	cr_assert_eq(r->noverdue, 1);
	cr_expect_str_eq(key_of(r, &r->overdue[0]), "T13");
	/* severities: critical 1 breached; high 13; medium only untimed */
	cr_expect_eq(r->by_severity[STORE_SEV_CRITICAL].due, 1);
	cr_expect_eq(r->by_severity[STORE_SEV_CRITICAL].n[REPORT_BREACHED], 1);
	cr_expect_eq(r->by_severity[STORE_SEV_HIGH].due, 13);
	cr_expect_eq(r->by_severity[STORE_SEV_MEDIUM].untimed, 1);
	/* assignees by name, unassigned last: ann 10 (median 5th = 5 h, p90
	 * 9th = 9 h), bob 2 + untimed 1, unassigned 2 */
	cr_assert_eq(r->nassignees, 3);
	cr_expect_str_eq(report_str(r, r->assignees[0].name), "ann");
	cr_expect_eq(r->assignees[0].stats.median_s, 5 * H);
	cr_expect_eq(r->assignees[0].stats.p90_s, 9 * H);
	cr_expect_str_eq(report_str(r, r->assignees[1].name), "bob");
	cr_expect_eq(r->assignees[1].stats.due, 2);
	cr_expect_eq(r->assignees[1].stats.untimed, 1);
	cr_expect_null(report_str(r, r->assignees[2].name));
	cr_expect_eq(r->assignees[2].stats.due, 2);
	/* trend per day: Tue 01-06 T01; Wed 01-07 P01..P10; Thu T11; Fri T13;
	 * Sat T12 */
	cr_assert_eq(r->trend_unit, REPORT_DAY);
	cr_assert_eq(r->ntrend, 7);
	cr_expect_eq(r->trend[0].stats.due, 0);
	cr_expect_eq(r->trend[1].stats.due, 1);
	cr_expect_eq(r->trend[2].stats.due, 10);
	cr_expect_eq(r->trend[2].stats.median_s, 5 * H);
	cr_expect_eq(r->trend[3].stats.n[REPORT_BREACHED], 1);
	cr_expect_eq(r->trend[4].stats.n[REPORT_OVERDUE], 1);
	cr_expect_eq(r->trend[5].stats.n[REPORT_BREACHED], 1);
	cr_expect_eq(r->evidence, 0);
	cr_expect(report_has_breach(r));
	{
		/* no evidence, no verification to ask for: a renderer that
		 * asks anyway fails rather than print a result never had */
		struct report_out o;
		struct diag d;

		report_out_init(&o, NULL);
		cr_expect_null(report_audit(r, &o));
		cr_expect_eq(report_out_finish(&o, &d), -1);
		cr_expect(strstr(d.msg, "no audit trail") != NULL, "%s", d.msg);
	}
	report_free(r);
}


static void expect_same_stats(const struct report_stats *a, const struct report_stats *b,
			      const struct report *ra, const struct report *rb, const char *what)
{
	cr_expect_eq(a->due, b->due, "%s: due", what);
	for (int k = 0; k < REPORT_NOUTCOMES; k++)
		cr_expect_eq(a->n[k], b->n[k], "%s: outcome %d", what, k);
	cr_expect_eq(a->untimed, b->untimed, "%s: untimed", what);
	cr_expect_eq(a->responses, b->responses, "%s: responses", what);
	cr_expect_eq(a->median_s, b->median_s, "%s: median", what);
	cr_expect_eq(a->p90_s, b->p90_s, "%s: p90", what);
	cr_expect_eq(a->worst_s, b->worst_s, "%s: worst", what);
	cr_expect_eq(a->worst_wall_s, b->worst_wall_s, "%s: worst wall", what);
	cr_assert_eq(a->worst_row < 0, b->worst_row < 0, "%s: worst row", what);
	if (a->worst_row >= 0)
		cr_expect_str_eq(key_of(ra, &ra->rows[a->worst_row]),
		    key_of(rb, &rb->rows[b->worst_row]), "%s: worst ticket", what);
}

/* Without every row asked for, a report keeps only the rows a listing
 * shows and counts the others as they come: the figures, groups and
 * listings must be those of the report that keeps them all. */
Test(report, listed_rows_only_give_the_same_report, .init = setup, .fini = teardown)
{
	struct report *all = build_rows(REPORT_WEEK, "2026-W02", 1, 1);
	struct report *few = build_rows(REPORT_WEEK, "2026-W02", 1, 0);

	cr_expect_eq(all->nrows, 14);
	cr_expect_eq(few->nrows, 3, "T11, T12, T13: the breached and the overdue");
	for (size_t i = 0; i < few->nrows; i++)
		cr_expect(few->rows[i].outcome == REPORT_BREACHED ||
		    few->rows[i].outcome == REPORT_OVERDUE);
	expect_same_stats(&all->total, &few->total, all, few, "total");
	for (int k = 0; k < STORE_NSEV; k++)
		expect_same_stats(&all->by_severity[k], &few->by_severity[k], all, few, "severity");
	cr_assert_eq(all->npartners, few->npartners);
	for (size_t i = 0; i < all->npartners; i++) {
		expect_same_stats(&all->partners[i].stats, &few->partners[i].stats, all, few,
		    all->partners[i].p.key);
		cr_expect_eq(all->partners[i].listed, few->partners[i].listed);
	}
	cr_assert_eq(all->nassignees, few->nassignees);
	for (size_t i = 0; i < all->nassignees; i++) {
		const char *name = report_str(all, all->assignees[i].name);

		cr_expect_str_eq(name ? name : "-", report_str(few, few->assignees[i].name) ?
		    report_str(few, few->assignees[i].name) : "-");
		expect_same_stats(&all->assignees[i].stats, &few->assignees[i].stats, all, few,
		    name ? name : "unassigned");
	}
	cr_assert_eq(all->ntrend, few->ntrend);
	for (size_t i = 0; i < all->ntrend; i++)
		expect_same_stats(&all->trend[i].stats, &few->trend[i].stats, all, few,
		    all->trend[i].label);
	cr_assert_eq(all->nmonths, few->nmonths);
	for (size_t i = 0; i < all->nmonths; i++)
		expect_same_stats(&all->months[i].stats, &few->months[i].stats, all, few,
		    all->months[i].label);
	cr_assert_eq(all->nbreaches, few->nbreaches);
	for (size_t i = 0; i < all->nbreaches; i++)
		cr_expect_str_eq(key_of(all, &all->rows[all->breaches[i]]),
		    key_of(few, &few->rows[few->breaches[i]]));
	report_free(all);
	report_free(few);
}

Test(report, pending_before_the_deadline, .init = setup, .fini = teardown)
{
	struct report_options o;
	struct report *r;
	struct diag d;

	/* at Mon 01-12 06:00, T14 (due 12:00 today) is pending */
	report_options_init(&o);
	o.period = REPORT_TODAY;
	o.zone = "UTC";
	o.now_at = iso("2026-01-12T06:00:00Z");
	cr_assert_not_null(r = report_build(db, &o, &d), "%s", d.msg);
	cr_expect_eq(r->total.due, 1);
	cr_expect_eq(r->total.n[REPORT_PENDING], 1);
	cr_expect(!report_has_breach(r));
	report_free(r);
}

Test(report, evidence_explains_every_breach, .init = setup, .fini = teardown)
{
	struct report *r = build(REPORT_YEAR, "2026", -1);
	const struct store_audit_result *a;
	struct report_explain e;
	struct report_out o;

	cr_expect_eq(r->evidence, 1, "--year includes the evidence");
	cr_expect_eq(r->nmonths, 12);
	report_out_init(&o, NULL);
	cr_assert_not_null(a = report_audit(r, &o), "%s", o.error.msg);
	cr_expect_gt(a->nevents, 0);
	cr_expect_eq(a->bad_id, 0);
	cr_expect_eq(strlen(a->head_hash), 64);
	cr_expect_eq(report_audit(r, &o), a, "asked twice, answered once");
	buf_release(&o.b);
	/* T12 (Fri 00:00 -> Sat 00:00) is one counted day */
	cr_assert_eq(r->nbreaches, 3, "T13, T11, T12 (T14 is not late yet)");
	cr_assert_eq(report_explain(r, 2, &e), 0);
	cr_expect_str_eq(key_of(r, &r->rows[e.row]), "T12");
	cr_expect_str_empty(e.error);
	cr_expect_eq(e.computed_at, iso("2026-01-10T00:00:00Z"));
	cr_assert_eq(e.nsteps, 1);
	cr_expect_eq(e.steps[0].total_s, 24 * H);
	report_explain_release(&e);
	report_free(r);
}

static int to_buf(void *arg, const char *data, size_t len)
{
	buf_add(arg, data, len);
	return 0;
}

/* The minutes of "H:MM". */
static int minutes_of(const char *hm)
{
	int h = 0, m = 0;

	cr_assert_eq(sscanf(hm, "%d:%d", &h, &m), 2, "%s", hm);
	return h * 60 + m;
}

/* A ticket created at :30 seconds: Thu 15:42:30 -> Fri 15:42:30, the
 * day's counted 8:17:30 and 15:42:30.  Each rounded up on its own they
 * would show 8:18 + 15:43 against a total of 24:00; the explanation
 * shows lengths that add up to its totals, in text and HTML. */
Test(report, explained_lengths_add_up_to_the_total, .init = setup, .fini = teardown)
{
	static const char *const mark[] = { "counted ", "<td>counted " };
	struct report *r;

	add("S30", STORE_SEV_HIGH, "2026-01-08T15:42:30Z", "2026-01-09T15:42:30Z",
	    "2026-01-09T16:00:00Z", NULL);
	r = build(REPORT_YEAR, "2026", 1);
	for (int k = 0; k < 2; k++) {
		struct buf b = BUF_INIT;
		struct report_sink sink = { to_buf, &b };
		struct diag d;
		const char *p, *key;
		int sum = 0, lines = 0;
		char len[8], total[8];

		cr_assert_eq(report_render(r, k ? REPORT_HTML : REPORT_TEXT, &sink, &d), 0, "%s",
		    d.msg);
		buf_addc(&b, '\0');
		cr_assert_not_null(key = strstr(b.data, "S30"));
		cr_assert_not_null(key = strstr(key + 3, "S30"), "S30 explained");
		for (p = strstr(key, mark[k]); p != NULL && lines < 2; p = strstr(p + 1, mark[k])) {
			int got = k ? sscanf(p, "<td>counted %5[0-9:]</td><td>total %5[0-9:]", len,
			    total) : sscanf(p, "counted %5[0-9:]  total %5[0-9:]", len, total);

			cr_assert_eq(got, 2, "%.60s", p);
			sum += minutes_of(len);
			lines++;
			cr_expect_eq(sum, minutes_of(total), "%s: %s counted, %s total, %d so far",
			    k ? "html" : "text", len, total, sum);
		}
		cr_expect_eq(lines, 2);
		cr_expect_eq(sum, 24 * 60);
		buf_release(&b);
	}
	report_free(r);
}

static int refuse(void *arg, const char *data, size_t len)
{
	(void)arg;
	(void)data;
	(void)len;
	return -1;
}

Test(report, renderers_write_through_the_sink, .init = setup, .fini = teardown)
{
	struct report *r = build_rows(REPORT_WEEK, "2026-W02", 1, 1);
	static const char *const starts[] = {
		"SLA report 2026-W02 (week), UTC\n",
		"id,key,partner,severity,assignee,outcome,created,deadline,",
		"{\n  \"schema_version\": 2,\n",
		"<!DOCTYPE html>\n<html lang=\"en\">\n",
	};

	for (int f = REPORT_TEXT; f <= REPORT_HTML; f++) {
		struct buf b = BUF_INIT;
		struct report_sink sink = { to_buf, &b };
		struct diag d;

		cr_assert_eq(report_render(r, (enum report_format)f, &sink, &d), 0, "%s", d.msg);
		cr_expect_eq(strncmp(buf_str(&b), starts[f], strlen(starts[f])), 0,
		    "format %d starts with: %.80s", f, buf_str(&b));
		if (f == REPORT_CSV)	/* header + 14 records, CRLF */
			cr_expect_eq(b.len > 0 && b.data[b.len - 1] == '\n' && b.data[b.len - 2] == '\r', 1);
		buf_release(&b);
		{
			struct report_sink bad = { refuse, NULL };

			diag_clear(&d);
			cr_expect_eq(report_render(r, (enum report_format)f, &bad, &d), -1,
			    "format %d ignores a failing sink", f);
			cr_expect_eq(d.code, DIAG_STORE);
		}
	}
	report_free(r);
}

Test(report, narrowing_by_partner_assignee_severity, .init = setup, .fini = teardown)
{
	struct report_options o;
	struct report *r;
	struct diag d;

	week_options(&o);
	o.assignee = "bob";
	cr_assert_not_null(r = report_build(db, &o, &d), "%s", d.msg);
	cr_expect_eq(r->total.due, 2);
	cr_expect_eq(r->total.untimed, 1);
	cr_expect_eq(r->noverdue, 1);
	report_free(r);
	o.assignee = "";
	cr_assert_not_null(r = report_build(db, &o, &d), "%s", d.msg);
	cr_expect_eq(r->total.due, 2, "unassigned: T11, T12");
	report_free(r);
	o.assignee = NULL;
	o.severity = STORE_SEV_CRITICAL;
	cr_assert_not_null(r = report_build(db, &o, &d), "%s", d.msg);
	cr_expect_eq(r->total.due, 1);
	report_free(r);
	o.severity = -1;
	o.partner = "nosuch";
	cr_expect_null(report_build(db, &o, &d));
	cr_expect_eq(d.code, DIAG_INPUT);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Selection against sorting, on runs with many equal values, sorted and
 * reversed runs, and random ones: every k of small runs, a few of big. */
Test(report, select_kth_agrees_with_sorting)
{
	uint32_t seed = 99, v[2000], sorted[2000], work[2000];

	for (int shape = 0; shape < 5; shape++)
		for (size_t n = 1; n <= 2000; n = n < 40 ? n + 1 : n * 3) {
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1664525u + 1013904223u;
				v[i] = shape == 0 ? seed >> 8 : shape == 1 ? (seed >> 8) % 3 :
				    shape == 2 ? (uint32_t)i : shape == 3 ? (uint32_t)(n - i) : 7;
			}
			memcpy(sorted, v, n * sizeof *v);
			qsort(sorted, n, sizeof *sorted, cmp_u32);
			for (size_t k = 0; k < n; k += n < 40 ? 1 : n / 7 + 1) {
				memcpy(work, v, n * sizeof *v);
				cr_assert_eq(report_select_kth(work, n, k), sorted[k],
				    "shape %d, n %zu, k %zu", shape, n, k);
				for (size_t i = 0; i < n; i++)
					cr_assert(i < k ? work[i] <= sorted[k] : i > k ?
					    work[i] >= sorted[k] : 1, "shape %d n %zu k %zu at %zu",
					    shape, n, k, i);
			}
		}
}

/* ---- excused breaches, waiting, the resolution clock ------------------------ */

/* A ticket of the model fixture: every instant written out ("" = none). */
struct model_ticket {
	const char *key, *created, *deadline, *response, *resolved;
	const char *resolve_deadline;	/* 48 h resolution target when set */
	const char *waiting_since;	/* waits with the response clock stopped */
	const char *excuse, *ref;	/* excused breach */
};

static void add_model(const struct model_ticket *m)
{
	struct store_ticket t;
	struct diag d;

	store_ticket_init(&t);
	t.key = strdup(m->key);
	t.partner_id = partner;
	t.severity = STORE_SEV_HIGH;
	t.summary = strdup(m->key);
	t.created_at = iso(m->created);
	t.target_s = 24 * H;
	t.deadline_at = iso(m->deadline);
	if (*m->response)
		t.first_response_at = iso(m->response);
	if (*m->resolved)
		t.resolved_at = iso(m->resolved);
	if (*m->resolve_deadline) {
		t.resolve_target_s = 48 * H;
		t.resolve_deadline_at = iso(m->resolve_deadline);
	}
	if (*m->waiting_since) {
		t.waiting_since = iso(m->waiting_since);
		t.waiting_response = 1;
	}
	if (m->excuse != NULL) {
		t.excused_at = t.created_at + 72 * H;
		t.excuse_reason = strdup(m->excuse);
		t.excuse_ref = m->ref ? strdup(m->ref) : NULL;
	}
	cr_assert_eq(store_ticket_add(db, &t, "test", t.created_at, &d), 0, "%s: %s", m->key,
	    d.msg);
	store_ticket_release(&t);
}

/* The UTC partner (Mon-Fri, whole days, 24 h) and, in the week 2026-W02
 * = [Mon 01-05, Mon 01-12), ten tickets due:
 *   M1..M6  created Tue 01-06 00:00, due Wed 00:00, answered 01:00..06:00:
 *           MET; M1 and M2 have a resolution target (due Thu 01-08 00:00)
 *           and were resolved Wed 12:00 and 18:00: resolution MET
 *   B1, B2  created Wed 01-07 00:00, due Thu 00:00, answered Thu 02:00 and
 *           05:00: BREACHED; B1 resolution due Fri 01-09 00:00, resolved
 *           Fri 06:00: resolution BREACHED
 *   X1      as B1, answered Thu 03:00 but excused ("outage", INC-7):
 *           EXCUSED, out of attainment
 *   W1      created Thu 01-08 00:00, due Fri 00:00, waiting on the customer
 *           since Thu 10:00 with the response clock stopped: pending and
 *           waiting, never breached although its stored deadline passed
 * -> 6 met, 2 breached, 1 excused, 1 pending (waiting): 6 / 8 = 75.0%;
 *    resolution: 3 with a target, 2 met, 1 breached: 2 / 3 = 66.7%.
 * And in 2026-W03: E2 created Mon 01-12 00:00, due Tue 00:00, never
 * answered and excused: open and overdue now, but excused.  Now is Tue
 * 01-20 12:00. */
static void setup_model(void)
{
	static const struct model_ticket v[] = {
		{ "M1", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-06T01:00:00Z",
		  "2026-01-07T12:00:00Z", "2026-01-08T00:00:00Z", "", NULL, NULL },
		{ "M2", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-06T02:00:00Z",
		  "2026-01-07T18:00:00Z", "2026-01-08T00:00:00Z", "", NULL, NULL },
		{ "M3", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-06T03:00:00Z",
		  "", "", "", NULL, NULL },
		{ "M4", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-06T04:00:00Z",
		  "", "", "", NULL, NULL },
		{ "M5", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-06T05:00:00Z",
		  "", "", "", NULL, NULL },
		{ "M6", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-06T06:00:00Z",
		  "", "", "", NULL, NULL },
		{ "B1", "2026-01-07T00:00:00Z", "2026-01-08T00:00:00Z", "2026-01-08T02:00:00Z",
		  "2026-01-09T06:00:00Z", "2026-01-09T00:00:00Z", "", NULL, NULL },
		{ "B2", "2026-01-07T00:00:00Z", "2026-01-08T00:00:00Z", "2026-01-08T05:00:00Z",
		  "", "", "", NULL, NULL },
		{ "X1", "2026-01-07T00:00:00Z", "2026-01-08T00:00:00Z", "2026-01-08T03:00:00Z",
		  "", "", "", "outage at the customer \x1b[31m", "INC-7" },
		{ "W1", "2026-01-08T00:00:00Z", "2026-01-09T00:00:00Z", "", "", "",
		  "2026-01-08T10:00:00Z", NULL, NULL },
		{ "E2", "2026-01-12T00:00:00Z", "2026-01-13T00:00:00Z", "", "", "", "",
		  "power cut", NULL },
	};
	struct store_partner p;
	struct diag d;

	snprintf(dir, sizeof dir, "/tmp/slatrack-report.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.db", dir);
	cr_assert_not_null(db = store_open(path, &d), "%s", d.msg);
	store_partner_init(&p);
	p.key = strdup("utc");
	p.name = strdup("UTC Ltd");
	p.zone = strdup("UTC");
	p.hours = strdup("");
	cr_assert_eq(store_partner_add(db, &p, "test", 1000, &d), 0, "%s", d.msg);
	partner = p.id;
	store_partner_release(&p);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		add_model(&v[i]);
}

static struct report *build_model(const char *week)
{
	struct report_options o;
	struct report *r;
	struct diag d;

	report_options_init(&o);
	o.period = REPORT_WEEK;
	o.period_arg = week;
	o.zone = "UTC";
	o.now_at = iso("2026-01-20T12:00:00Z");
	o.all_rows = 1;		/* rendered in every format, CSV too */
	r = report_build(db, &o, &d);
	cr_assert_not_null(r, "%s", d.msg);
	return r;
}

static char *render(const struct report *r, enum report_format f)
{
	struct buf b = BUF_INIT;
	struct report_sink sink = { to_buf, &b };
	struct diag d;

	cr_assert_eq(report_render(r, f, &sink, &d), 0, "%s", d.msg);
	buf_addc(&b, '\0');
	return b.data;
}

Test(report, excused_waiting_and_resolution, .init = setup_model, .fini = teardown)
{
	struct report *r = build_model("2026-W02");
	const struct report_stats *s = &r->total;
	const char *reason, *ref;
	double pct;

	cr_expect_eq(s->due, 10);
	cr_expect_eq(s->n[REPORT_MET], 6);
	cr_expect_eq(s->n[REPORT_BREACHED], 2);
	cr_expect_eq(s->n[REPORT_EXCUSED], 1);
	cr_expect_eq(s->n[REPORT_OVERDUE], 0);
	cr_expect_eq(s->n[REPORT_PENDING], 1, "W1 waits: open, not breached");
	cr_expect_eq(s->waiting, 1);
	cr_assert_eq(report_attainment(s, &pct), 1);
	cr_expect_float_eq(pct, 75.0, 1e-9, "6 / (6 + 2), the excused one in neither");
	/* the resolution clock: M1, M2 met, B1 breached */
	cr_expect_eq(s->resolve.timed, 3);
	cr_expect_eq(s->resolve.n[REPORT_MET], 2);
	cr_expect_eq(s->resolve.n[REPORT_BREACHED], 1);
	cr_assert_eq(report_resolve_attainment(s, &pct), 1);
	cr_expect_float_eq(pct, 200.0 / 3, 1e-9);
	{
		char out[REPORT_FMT_LEN];

		report_fmt_pct(s, out);
		cr_expect_str_eq(out, "75.0%");
		report_fmt_resolve_pct(s, out);
		cr_expect_str_eq(out, "66.7%");
	}
	cr_expect_eq(r->partners[0].stats.resolve.timed, 3, "per partner too");
	cr_expect_eq(r->has_resolve, 1);
	cr_expect_eq(r->extended, 1);
	/* breaches: B1, B2 only; the excused one is listed on its own */
	cr_expect_eq(r->nbreaches, 2);
	cr_assert_eq(r->nexcused, 1);
	cr_expect_str_eq(key_of(r, &r->rows[r->excused[0]]), "X1");
	cr_assert_eq(report_excuse(r, &r->rows[r->excused[0]], &reason, &ref), 1);
	cr_expect_str_eq(reason, "outage at the customer \x1b[31m");
	cr_expect_str_eq(ref, "INC-7");
	cr_assert_eq(r->nresolve_breaches, 1);
	cr_expect_str_eq(key_of(r, &r->rows[r->resolve_breaches[0]]), "B1");
	/* open and overdue now: E2, excused but unanswered; not W1, which waits */
	cr_assert_eq(r->noverdue, 1);
	cr_expect_str_eq(key_of(r, &r->overdue[0]), "E2");
	cr_expect_eq(r->overdue[0].outcome, REPORT_EXCUSED);
	{
		char *text = render(r, REPORT_TEXT), *csv = render(r, REPORT_CSV);
		char *json = render(r, REPORT_JSON), *html = render(r, REPORT_HTML);

		cr_expect(strstr(text, "\n  attainment                75.0%") != NULL, "%s", text);
		cr_expect(strstr(text, "\n  excused                       1") != NULL);
		cr_expect(strstr(text, "\n    of which waiting            1") != NULL);
		cr_expect(strstr(text, "\n  (all)                3     2     1     0     0     0"
		    "     0    66.7%\n") != NULL, "%s", text);
		cr_expect(strstr(text, "reason: outage at the customer ") != NULL);
		cr_expect(strstr(text, "INC-7") != NULL);
		cr_expect(strchr(text, '\x1b') == NULL, "the reason's escape is made visible");
		cr_expect(strstr(csv, ",waiting,excuse_reason,excuse_ref,resolve_target_s,"
		    "resolve_deadline,resolve_deadline_local,resolution_outcome\r\n") != NULL);
		cr_expect(strstr(csv, ",excused,") != NULL);
		cr_expect(strstr(csv, ",172800,2026-01-09T00:00:00Z,2026-01-09T00:00:00+00:00,"
		    "breached\r\n") != NULL, "%s", csv);
		cr_expect(strchr(csv, '\x1b') == NULL);
		cr_expect(strstr(json, "\"waiting\": 1, \"excused\": 1, \"resolution\": "
		    "{\"timed\": 3, \"met\": 2, \"breached\": 1, \"open_overdue\": 0, "
		    "\"pending\": 0, \"waiting\": 0, \"excused\": 0, \"attainment_pct\": 66.67}")
		    != NULL, "%s", json);
		cr_expect(strstr(json, "\"attainment_pct\": 75.00") != NULL);
		cr_expect(strstr(json, "\"excuse_ref\": \"INC-7\"") != NULL);
		cr_expect(strstr(html, "INC-7") != NULL);
		cr_expect(strstr(html, "<h2>Resolution</h2>") != NULL);
		free(text);
		free(csv);
		free(json);
		free(html);
	}
	report_free(r);
}

Test(report, an_open_excused_breach_decides_nothing, .init = setup_model, .fini = teardown)
{
	struct report *r = build_model("2026-W03");
	double pct;

	cr_expect_eq(r->total.due, 1);
	cr_expect_eq(r->total.n[REPORT_EXCUSED], 1);
	cr_expect_eq(r->total.n[REPORT_OVERDUE], 0);
	cr_expect_eq(report_attainment(&r->total, &pct), 0, "nothing decided");
	cr_expect_eq(r->nbreaches, 0);
	cr_expect(!report_has_breach(r), "--fail-on-breach lets an excused breach pass");
	cr_expect_eq(r->has_resolve, 0, "no ticket of the week has a resolution target");
	cr_expect_eq(r->extended, 1);
	report_free(r);
}

/* A database that uses none of it renders as it always did. */
Test(report, old_model_reports_are_unchanged, .init = setup, .fini = teardown)
{
	static const char header[] = "id,key,partner,severity,assignee,outcome,created,"
	    "deadline,first_response,resolved,created_local,deadline_local,"
	    "first_response_local,partner_zone,target_s,response_working_s,"
	    "overrun_working_s,overrun_wall_s\r\n1,";
	struct report *r = build_rows(REPORT_WEEK, "2026-W02", 0, 1);
	char *csv, *json, *text;

	cr_expect_eq(r->extended, 0);
	cr_expect_eq(r->has_resolve, 0);
	cr_expect_eq(r->nexcused, 0);
	csv = render(r, REPORT_CSV);
	json = render(r, REPORT_JSON);
	text = render(r, REPORT_TEXT);
	cr_expect(strncmp(csv, header, strlen(header)) == 0, "%.300s", csv);
	cr_expect(strstr(json, "\"excused\"") == NULL);
	cr_expect(strstr(json, "\"resolution") == NULL);
	cr_expect(strstr(text, "EXCUSED") == NULL);
	cr_expect(strstr(text, "RESOLUTION") == NULL);
	free(csv);
	free(json);
	free(text);
	report_free(r);
}

/* The CSV and JSON schema 1 list every ticket: a report built without
 * every row refuses them rather than print a part. */
Test(report, every_ticket_formats_need_every_row, .init = setup, .fini = teardown)
{
	struct report *r = build(REPORT_WEEK, "2026-W02", 0);
	struct buf b = BUF_INIT;
	struct report_sink sink = { to_buf, &b };
	struct diag d;

	diag_clear(&d);
	cr_expect_eq(report_render(r, REPORT_CSV, &sink, &d), -1);
	cr_expect_neq(strstr(d.msg, "every row"), NULL, "%s", d.msg);
	cr_expect_eq(b.len, 0, "nothing half-written");
	buf_release(&b);
	report_free(r);
}

/* A report built for CSV alone (rows_only) has the same rows and gives
 * the same CSV as one with every figure, has no figures itself, and
 * refuses to be rendered in a format that shows them. */
Test(report, a_csv_alone_is_the_rows_without_figures, .init = setup, .fini = teardown)
{
	struct report *all = build_rows(REPORT_WEEK, "2026-W02", 0, 1), *rows;
	struct report_options o;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct report_sink sa = { to_buf, &a }, sb = { to_buf, &b };
	struct diag d;

	week_options(&o);
	o.evidence = 0;
	o.all_rows = 1;
	o.rows_only = 1;
	rows = report_build(db, &o, &d);
	cr_assert_not_null(rows, "%s", d.msg);
	cr_expect_eq(rows->nrows, all->nrows);
	cr_expect_gt(all->total.due, 0);
	cr_expect_eq(rows->total.due, 0, "nothing counted");
	cr_expect_gt(all->nbreaches, 0);
	cr_expect_eq(rows->nbreaches, 0, "nothing listed");
	cr_assert_eq(report_render(all, REPORT_CSV, &sa, &d), 0, "%s", d.msg);
	cr_assert_eq(report_render(rows, REPORT_CSV, &sb, &d), 0, "%s", d.msg);
	cr_expect_eq(a.len, b.len);
	cr_expect(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "the same CSV");
	for (int f = REPORT_TEXT; f <= REPORT_HTML; f++) {
		if (f == REPORT_CSV)
			continue;
		buf_reset(&b);
		diag_clear(&d);
		cr_expect_eq(report_render(rows, (enum report_format)f, &sb, &d), -1, "format %d", f);
		cr_expect_neq(strstr(d.msg, "no figures"), NULL, "%s", d.msg);
		cr_expect_eq(b.len, 0, "nothing half-written");
	}
	buf_release(&a);
	buf_release(&b);
	report_free(all);
	report_free(rows);
}

/* ---- percentiles, against sorting ------------------------------------------ */

/* The nearest-rank median and 90th percentile of v[0..n) (sorted here). */
static void sorted_pct(uint32_t *v, size_t n, int64_t *median, int64_t *p90)
{
	*median = *p90 = -1;
	if (n == 0)
		return;
	qsort(v, n, sizeof *v, cmp_u32);
	*median = v[(n * 50 + 99) / 100 - 1];
	*p90 = v[(n * 90 + 99) / 100 - 1];
}

/* Response times of one assignee's tickets, by the assignee's shape: one
 * value for all (the two percentiles in one bucket), two clusters far
 * apart (in different buckets), or spread over two days. */
static int64_t response_of(int a, int j, uint32_t *seed)
{
	*seed = *seed * 1664525u + 1013904223u;
	switch (a % 3) {
	case 0:
		return 5000 + a;
	case 1:
		return j % 4 == 0 ? 150000 + (int64_t)(*seed >> 20) : (int64_t)(*seed >> 26);
	default:
		return (int64_t)(*seed >> 8) % (2 * 86400);
	}
}

/* 300 assignees, 20 tickets each, created Monday to Wednesday and
 * answered within two days (working time is wall time then, Mon-Fri
 * 24 h): every group's median and 90th percentile, per assignee,
 * severity, day and in total, equal sorting's.  Response times past 4096
 * seconds and more groups than the histograms hold at full width make
 * the selection use coarse buckets. */
/* The breaches worst first: the larger working overrun, then the larger
 * wall-clock one, then the earlier deadline, then the lower id; with
 * enough ties on both overruns that the last two keys are exercised. */
static void expect_worst_first(const struct report *r)
{
	size_t ties = 0;

	cr_assert_gt(r->nbreaches, 100);
	for (size_t i = 1; i < r->nbreaches; i++) {
		const struct report_row *a = &r->rows[r->breaches[i - 1]];
		const struct report_row *b = &r->rows[r->breaches[i]];
		int same = a->overrun_s == b->overrun_s && a->overrun_wall_s == b->overrun_wall_s;
		int ordered = a->overrun_s != b->overrun_s ? a->overrun_s > b->overrun_s :
		    a->overrun_wall_s != b->overrun_wall_s ? a->overrun_wall_s > b->overrun_wall_s :
		    a->deadline_at != b->deadline_at ? a->deadline_at < b->deadline_at :
		    a->id < b->id;

		ties += same;
		cr_expect(ordered, "breach %zu (id %lld, over %d/%d, due %lld) before %zu (id %lld, "
		    "over %d/%d, due %lld)", i - 1, (long long)a->id, a->overrun_s,
		    a->overrun_wall_s, (long long)a->deadline_at, i, (long long)b->id, b->overrun_s,
		    b->overrun_wall_s, (long long)b->deadline_at);
	}
	cr_expect_gt(ties, 10, "ties on both overruns: %zu", ties);
}

Test(report, percentiles_equal_sorting, .init = setup, .fini = teardown)
{
	static uint32_t vals[7000];
	uint32_t seed = 7;
	struct diag d;
	struct report *r;
	int64_t monday = iso("2026-01-05T00:00:00Z");

	cr_assert_eq(store_begin(db, &d), 0, "%s", d.msg);
	for (int a = 0; a < 300; a++)
		for (int j = 0; j < 20; j++) {
			struct store_ticket t;
			char key[32], asg[16];
			int64_t created = monday + (a + j) % 3 * 86400;

			snprintf(key, sizeof key, "Q%d-%d", a, j);
			snprintf(asg, sizeof asg, "agent%03d", a);
			store_ticket_init(&t);
			t.key = strdup(key);
			t.partner_id = partner;
			t.severity = j % 2 ? STORE_SEV_HIGH : STORE_SEV_CRITICAL;
			t.summary = strdup(key);
			t.assignee = strdup(asg);
			t.created_at = created;
			t.target_s = 24 * H;
			t.deadline_at = created + 24 * H;
			t.first_response_at = created + response_of(a, j, &seed);
			cr_assert_eq(store_ticket_add(db, &t, "test", created, &d), 0, "%s", d.msg);
			store_ticket_release(&t);
		}
	cr_assert_eq(store_commit(db, &d), 0, "%s", d.msg);
	r = build_rows(REPORT_MONTH, "2026-01", 0, 1);
	cr_assert_geq(r->nrows, 6000);
	/* each kind of group: the rows' response times gathered by group */
	for (int kind = 0; kind < 4; kind++) {
		size_t ng = kind == 0 ? 1 : kind == 1 ? r->nassignees : kind == 2 ? STORE_NSEV :
		    r->ntrend;

		for (size_t g = 0; g < ng; g++) {
			const struct report_stats *st = kind == 0 ? &r->total : kind == 1 ?
			    &r->assignees[g].stats : kind == 2 ? &r->by_severity[g] :
			    &r->trend[g].stats;
			size_t n = 0;
			int64_t median, p90;

			for (size_t i = 0; i < r->nrows; i++) {
				const struct report_row *row = &r->rows[i];

				if (row->response_s < 0 || (kind == 1 && row->assignee_group != g) ||
				    (kind == 2 && row->severity != g) ||
				    (kind == 3 && (row->deadline_at < r->trend[g].from_at ||
				    row->deadline_at >= r->trend[g].to_at)))
					continue;
				cr_assert_lt(n, sizeof vals / sizeof *vals);
				vals[n++] = (uint32_t)row->response_s;
			}
			sorted_pct(vals, n, &median, &p90);
			cr_expect_eq(st->median_s, median, "kind %d group %zu of %zu: median",
			    kind, g, ng);
			cr_expect_eq(st->p90_s, p90, "kind %d group %zu: p90", kind, g);
		}
	}
	expect_worst_first(r);
	report_free(r);
}

/* The plan of a period (store_report_plan): 1,000 tickets due 42 hours
 * apart from 2026 into 2030, then 5,000 due in the span's last week.  A
 * period over three quarters or more of the deadlines' span is read from
 * the table without a count, even where (as before that last week) fewer
 * than a quarter of the tickets fall due in it: a guess, which only the
 * speed depends on.  A shorter period is counted, its bound exact. */
Test(report, a_period_over_most_deadlines_is_planned_without_a_count,
     .init = setup, .fini = teardown)
{
	const int64_t first = iso("2026-01-01T00:00:00Z"), crowd = first + 1000 * 42 * H;
	const int64_t year_from = iso("2027-01-01T00:00:00Z");
	const int64_t year_to = iso("2028-01-01T00:00:00Z");
	struct store_report_plan plan;
	struct diag d;
	int64_t due_in_year = 0, max_id = 0;

	cr_assert_eq(store_begin(db, &d), 0, "%s", d.msg);
	for (int i = 0; i < 6000; i++) {
		struct store_ticket t;

		store_ticket_init(&t);
		t.partner_id = partner;
		t.severity = STORE_SEV_HIGH;
		t.summary = strdup("s");
		t.deadline_at = i < 1000 ? first + i * 42 * H : crowd + (i % 7) * 24 * H;
		t.created_at = t.deadline_at - 24 * H;
		t.target_s = 24 * H;
		due_in_year += t.deadline_at >= year_from && t.deadline_at < year_to;
		cr_assert_eq(store_ticket_add(db, &t, "test", t.created_at, &d), 0, "%s", d.msg);
		max_id = t.id;
		store_ticket_release(&t);
	}
	cr_assert_eq(store_commit(db, &d), 0, "%s", d.msg);
	cr_assert_eq(store_report_plan(db, first, crowd, &plan, &d), 0, "%s", d.msg);
	cr_expect_eq(plan.table_scan, 1, "most of the span: the table, uncounted");
	cr_expect_eq(plan.due_bound, max_id, "bound %lld, want every ticket %lld",
	    (long long)plan.due_bound, (long long)max_id);
	cr_assert_eq(store_report_plan(db, year_from, year_to, &plan, &d), 0, "%s", d.msg);
	cr_expect_eq(plan.table_scan, 0, "a fifth of the span, few due: the index");
	cr_expect_eq(plan.due_bound, due_in_year, "bound %lld, due %lld",
	    (long long)plan.due_bound, (long long)due_in_year);
}
