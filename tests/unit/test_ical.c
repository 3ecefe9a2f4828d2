/* test_ical.c: the iCalendar loader against man/slatrack-calendars.5.
 *
 * Table-driven: each fixture under tests/data/ics/ is loaded and every
 * resulting entry is compared in full, as one line per entry:
 *   "YYYY-MM-DD H|M NAME @LINE"            a holiday / make-up day
 *   "START_UTC/END_UTC NAME @LINE"        a timed closure
 * Run from the top of the tree (make check does).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "civil.h"
#include "ical.h"
#include "tz.h"

#define ICS "tests/data/ics/"

struct run {
	struct cal_rules *rules;
	struct ical_report rep;
	struct diag d;
	int rc;
	struct tz *local;
};

static void run_init(struct run *r, const char *local)
{
	memset(r, 0, sizeof *r);
	r->rules = cal_rules_new();
	cr_assert_not_null(r->rules);
	ical_report_init(&r->rep);
	diag_clear(&r->d);
	if (local != NULL) {
		r->local = tz_load(local, &r->d);
		cr_assert_not_null(r->local, "%s", r->d.msg);
	}
}

static void run_free(struct run *r)
{
	ical_report_release(&r->rep);
	cal_rules_free(r->rules);
	tz_free(r->local);
}

static int load_into(struct run *r, const char *path, int from, int to,
		     const struct ical_filter *f, size_t nf)
{
	struct ical_options o;

	memset(&o, 0, sizeof o);
	o.source = path;
	o.local = r->local;
	o.filters = f;
	o.nfilters = nf;
	o.from_year = from;
	o.to_year = to;
	r->rc = ical_load_file(&o, r->rules, &r->rep, &r->d);
	return r->rc;
}

static int load_buf(struct run *r, const char *name, const char *text, int from,
		    int to)
{
	struct ical_options o;

	memset(&o, 0, sizeof o);
	o.source = name;
	o.local = r->local;
	o.from_year = from;
	o.to_year = to;
	r->rc = ical_load_buffer(text, strlen(text), &o, r->rules, &r->rep, &r->d);
	return r->rc;
}

static void load_ok(struct run *r, const char *path, int from, int to,
		    const struct ical_filter *f, size_t nf)
{
	load_into(r, path, from, to, f, nf);
	cr_assert_eq(r->rc, 0, "%s: %s", path, r->d.msg);
}

/* Every entry of r->rules as text, sorted; returns the count. */
static size_t entries(struct run *r, char out[][160], size_t max)
{
	const struct cal_day *days;
	const struct cal_closure *clo;
	size_t nd, nc, i, k = 0;
	char a[CIVIL_ISO_LEN], b[CIVIL_ISO_LEN];

	cal_rules_sort(r->rules);
	days = cal_rules_days(r->rules, &nd);
	clo = cal_rules_closures(r->rules, &nc);
	for (i = 0; i < nd && k < max; i++, k++) {
		civil_format_day(days[i].day, a);
		snprintf(out[k], 160, "%s %c %s @%d", a,
		    days[i].kind == CAL_DAY_MAKEUP ? 'M' : 'H', days[i].name,
		    days[i].line);
	}
	for (i = 0; i < nc && k < max; i++, k++) {
		civil_format_utc(clo[i].start_at, a);
		civil_format_utc(clo[i].end_at, b);
		snprintf(out[k], 160, "%s/%s %s @%d", a, b, clo[i].name, clo[i].line);
	}
	return nd + nc;
}

static void expect_entries(struct run *r, const char *const *want)
{
	static char got[4096][160];
	size_t n = entries(r, got, 4096), w = 0, i;

	while (want[w] != NULL)
		w++;
	for (i = 0; i < n && i < w; i++)
		cr_expect_str_eq(got[i], want[i], "entry %zu", i);
	for (; i < n; i++)
		cr_expect_fail("unexpected entry %zu: %s", i, got[i]);
	for (; i < w; i++)
		cr_expect_fail("missing entry %zu: %s", i, want[i]);
}

static int has_warning(const struct ical_report *rep, const char *text)
{
	for (size_t i = 0; i < rep->nwarnings; i++)
		if (strcmp(rep->warnings[i], text) == 0)
			return 1;
	return 0;
}

/* Appends " s" (or s when dst is empty) to dst. */
static void append(char *dst, size_t cap, const char *s, size_t n)
{
	size_t len = strlen(dst);

	snprintf(dst + len, cap - len, "%s%.*s", len > 0 ? " " : "", (int)n, s);
}

static int32_t day_of(const char *ymd)
{
	int y, m, d;

	cr_assert_eq(sscanf(ymd, "%d-%d-%d", &y, &m, &d), 3);
	return (int32_t)civil_days_from_ymd(y, m, d);
}

/* ---- recurrence ---------------------------------------------------------- */

Test(ical, rrule_yearly_byday_bymonthday_count_until)
{
	static const char *const want[] = {
		"2025-01-01 H Inventory @23",	/* MONTHLY BYMONTHDAY=1,15,-1 COUNT=5 */
		"2025-01-15 H Inventory @23",
		"2025-01-31 H Inventory @23",
		"2025-02-01 H Inventory @23",
		"2025-02-15 H Inventory @23",
		"2025-05-26 H Memorial Day @17",	/* BYDAY=-1MO */
		"2025-07-04 H Founders Day @29",	/* UNTIL=20270704 */
		"2025-11-27 H Thanksgiving @11",	/* BYDAY=4TH */
		"2025-12-25 H Christmas Day @4",	/* BYMONTH=12;BYMONTHDAY=25 */
		"2026-05-25 H Memorial Day @17",
		"2026-07-04 H Founders Day @29",
		"2026-11-26 H Thanksgiving @11",
		"2026-12-25 H Christmas Day @4",
		"2027-05-31 H Memorial Day @17",
		"2027-07-04 H Founders Day @29",
		"2027-11-25 H Thanksgiving @11",
		"2027-12-25 H Christmas Day @4",
		"2028-05-29 H Memorial Day @17",
		"2028-11-23 H Thanksgiving @11",
		"2028-12-25 H Christmas Day @4",
		NULL
	};
	struct run r;

	run_init(&r, "Europe/Berlin");
	load_ok(&r, ICS "recur.ics", 2025, 2028, NULL, 0);
	expect_entries(&r, want);
	cr_expect_eq(r.rep.nevents, 5);
	cr_expect(has_warning(&r.rep,
	    ICS "recur.ics:23: series 'Inventory' ends 2025-02-15, before 2028"));
	cr_expect(has_warning(&r.rep,
	    ICS "recur.ics:29: series 'Founders Day' ends 2027-07-04, before 2028"));
	cr_expect_eq(r.rep.nwarnings, 2);
	/* Christmas, Thanksgiving and Memorial Day never end; the last
	 * finite entry is Founders Day. */
	cr_expect_eq(r.rep.last_day, day_of("2027-07-04"));
	run_free(&r);
}

Test(ical, rrule_window_excludes_other_years)
{
	static const char *const want[] = {
		"2030-05-27 H Memorial Day @17",
		"2030-11-28 H Thanksgiving @11",
		"2030-12-25 H Christmas Day @4",
		NULL
	};
	struct run r;

	run_init(&r, NULL);
	load_ok(&r, ICS "recur.ics", 2030, 2030, NULL, 0);
	expect_entries(&r, want);
	run_free(&r);
}

Test(ical, rdate_and_exdate_forms)
{
	static const char *const want[] = {
		"2025-01-06 H Monday Off @11",
		/* 2025-01-13: EXDATE;VALUE=DATE */
		"2025-01-20 H Monday Off @11",
		/* 2025-01-27: EXDATE as DATE-TIME, matched by its date */
		"2025-02-03 H Monday Off @11",
		"2025-03-01 H Extra Days @4",		/* DTSTART */
		"2025-03-10 H Extra Days @4",		/* RDATE;VALUE=DATE list */
		"2025-03-20 H Extra Days @4",
		"2025-04-01 H Extra Days @4",		/* RDATE;VALUE=PERIOD, 2 days */
		"2025-04-02 H Extra Days @4",
		/* timed: DAILY COUNT=4 at 12:00 Berlin, minus two EXDATEs
		 * (TZID form and UTC form), plus one RDATE */
		"2025-01-06T11:00:00Z/2025-01-06T12:00:00Z Lunch Closure @19",
		"2025-01-09T11:00:00Z/2025-01-09T12:00:00Z Lunch Closure @19",
		"2025-01-20T11:00:00Z/2025-01-20T12:00:00Z Lunch Closure @19",
		NULL
	};
	struct run r;

	run_init(&r, "Europe/Berlin");
	load_ok(&r, ICS "rdate_exdate.ics", 2025, 2025, NULL, 0);
	expect_entries(&r, want);
	run_free(&r);
}

Test(ical, recurrence_id_override_and_cancel)
{
	static const char *const want[] = {
		"2025-06-02 H Team Day @4",
		"2025-07-09 H Team Day (moved) @11",	/* moved from 07-07 */
		/* 2025-08-04 cancelled by its override; 2025-08-15 master
		 * cancelled */
		"2025-09-01 H Team Day @4",
		"2025-09-05 H Transparent Holiday @30",	/* TRANSP ignored */
		NULL
	};
	struct run r;

	run_init(&r, NULL);
	load_ok(&r, ICS "overrides.ics", 2025, 2025, NULL, 0);
	expect_entries(&r, want);
	run_free(&r);
}

/* ---- lengths, make-up days, timed closures --------------------------------- */

Test(ical, all_day_lengths)
{
	static const char *const want[] = {
		"2025-05-01 H Two Days @10",		/* DURATION:P2D */
		"2025-05-02 H Two Days @10",
		"2025-08-04 H Summer Closure @16",	/* DURATION:P1W */
		"2025-08-05 H Summer Closure @16",
		"2025-08-06 H Summer Closure @16",
		"2025-08-07 H Summer Closure @16",
		"2025-08-08 H Summer Closure @16",
		"2025-08-09 H Summer Closure @16",
		"2025-08-10 H Summer Closure @16",
		"2025-10-03 H Unity Day @22",		/* neither: one day */
		"2025-12-24 H Christmas Break @4",	/* DTEND exclusive */
		"2025-12-25 H Christmas Break @4",
		"2025-12-26 H Christmas Break @4",
		NULL
	};
	struct run r;

	run_init(&r, NULL);
	load_ok(&r, ICS "lengths.ics", 2025, 2025, NULL, 0);
	expect_entries(&r, want);
	cr_expect_eq(r.rep.last_day, day_of("2025-12-26"));
	run_free(&r);
}

Test(ical, workday_category_makes_makeup_days)
{
	static const char *const want[] = {
		"2025-01-26 M Make-up working day @11",	/* "Holidays,workday" */
		"2025-01-28 H Spring Festival @4",
		"2025-01-29 H Spring Festival @4",
		"2025-01-30 H Spring Festival @4",
		"2025-01-31 H Spring Festival @4",
		"2025-02-01 H Spring Festival @4",
		"2025-02-02 H Spring Festival @4",
		"2025-02-03 H Spring Festival @4",
		"2025-02-04 H Spring Festival @4",
		"2025-02-08 M Make-up working day @17",	/* second CATEGORIES */
		"2025-02-09 H Not a workday @24",	/* NON-WORKDAY is not WORKDAY */
		NULL
	};
	struct run r;

	run_init(&r, NULL);
	load_ok(&r, ICS "workday.ics", 2025, 2025, NULL, 0);
	expect_entries(&r, want);
	run_free(&r);
}

Test(ical, timed_closures_iana_utc_floating)
{
	static const char *const want[] = {
		"2025-03-01T08:00:00Z/2025-03-01T10:00:00Z Maintenance @10",
		/* America/New_York, the day after DST began (EDT = -4) */
		"2025-03-10T06:00:00Z/2025-03-10T07:00:00Z New York hour @27",
		/* floating 09:00 + PT3H in the partner zone (CEST) */
		"2025-07-04T07:00:00Z/2025-07-04T10:00:00Z Floating Closure @16",
		/* Europe/Berlin 2025-12-24 12:00-24:00 */
		"2025-12-24T11:00:00Z/2025-12-24T23:00:00Z Christmas Eve afternoon @4",
		/* the zero-length event closes nothing */
		NULL
	};
	struct run r;

	run_init(&r, "Europe/Berlin");
	load_ok(&r, ICS "timed.ics", 2025, 2025, NULL, 0);
	expect_entries(&r, want);
	cr_expect_eq(r.rep.nevents, 5);
	run_free(&r);
}

Test(ical, floating_without_partner_zone_is_utc)
{
	static const char *const want[] = {
		"2025-03-01T08:00:00Z/2025-03-01T10:00:00Z Maintenance @10",
		"2025-03-10T06:00:00Z/2025-03-10T07:00:00Z New York hour @27",
		"2025-07-04T09:00:00Z/2025-07-04T12:00:00Z Floating Closure @16",
		"2025-12-24T11:00:00Z/2025-12-24T23:00:00Z Christmas Eve afternoon @4",
		NULL
	};
	struct run r;

	run_init(&r, NULL);
	load_ok(&r, ICS "timed.ics", 2025, 2025, NULL, 0);
	expect_entries(&r, want);
	run_free(&r);
}

Test(ical, outlook_vtimezone_windows_name)
{
	static const char *const want[] = {
		"2025-07-01T07:00:00Z/2025-07-01T15:00:00Z Summer offsite @30",
		"2025-12-24T11:00:00Z/2025-12-24T23:00:00Z Office closed (afternoon) @20",
		/* past 2037, where libical stops expanding VTIMEZONE rules */
		"2045-07-03T07:00:00Z/2045-07-03T15:00:00Z Far future offsite @36",
		NULL
	};
	struct run r;

	run_init(&r, "UTC");
	load_ok(&r, ICS "outlook.ics", 2025, 2045, NULL, 0);
	expect_entries(&r, want);
	run_free(&r);
}

/* A VTIMEZONE converts like the IANA zone it describes, including the
 * DST gap (the moment the clock jumps) and fold (the first occurrence). */
Test(ical, vtimezone_matches_iana_zone)
{
	static const char *const walls[] = {
		"20250330T013000", "20250330T020000", "20250330T023000",
		"20250330T030000", "20251026T020000", "20251026T023000",
		"20251026T030000", "20400325T023000", "20401028T023000",
		"20410115T090000", "20990705T120000", NULL
	};
	static const char head[] =
	    "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\n"
	    "BEGIN:STANDARD\nDTSTART:16011028T030000\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\n"
	    "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "BEGIN:DAYLIGHT\nDTSTART:16010325T020000\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\n"
	    "TZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\n";
	struct diag d;
	struct tz *berlin = tz_load("Europe/Berlin", &d);

	cr_assert_not_null(berlin);
	for (size_t i = 0; walls[i] != NULL; i++) {
		char text[2048];
		struct run r;
		const struct cal_closure *c;
		size_t n;
		int y, mo, dd, h, mi, s;

		snprintf(text, sizeof text, "%sBEGIN:VEVENT\nUID:%zu\n"
		    "DTSTART;TZID=W. Europe Standard Time:%s\nDURATION:PT1M\n"
		    "SUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", head, i, walls[i]);
		run_init(&r, NULL);
		cr_assert_eq(load_buf(&r, "vtz.ics", text, 2025, 2099), 0, "%s", r.d.msg);
		c = cal_rules_closures(r.rules, &n);
		cr_assert_eq(n, 1, "%s", walls[i]);
		cr_assert_eq(sscanf(walls[i], "%4d%2d%2dT%2d%2d%2d", &y, &mo, &dd, &h,
		    &mi, &s), 6);
		cr_expect_eq(c[0].start_at, tz_local_to_utc(berlin,
		    civil_days_from_ymd(y, mo, dd) * CIVIL_DAY_S + h * 3600 + mi * 60 + s),
		    "%s", walls[i]);
		run_free(&r);
	}
	tz_free(berlin);
}

/* ---- encoding ---------------------------------------------------------------- */

Test(ical, bom_crlf_folding_utf8)
{
	static const char *const want[] = {
		"2025-01-29 H \xe6\x98\xa5\xe8\x8a\x82 @12",	/* 春节, folded mid-character */
		"2025-07-14 H F\xc3\xaate nationale @4",	/* folded DTSTART and SUMMARY */
		NULL
	};
	struct run r;

	run_init(&r, NULL);
	load_ok(&r, ICS "crlf_bom.ics", 2025, 2025, NULL, 0);
	expect_entries(&r, want);
	run_free(&r);
}

Test(ical, line_ends_lf_cr_crlf_agree)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	static const char *const want[] = {
		"2025-12-25 H Christmas Day @4",
		"2025-12-26 H Boxing Day @9",
		NULL
	};

	for (size_t i = 0; i < 3; i++) {
		const char *e = ends[i];
		char text[1024];
		struct run r;

		snprintf(text, sizeof text,
		    "BEGIN:VCALENDAR%sVERSION:2.0%s%s"
		    "BEGIN:VEVENT%sDTSTART;VALUE=DATE:20251225%sSUMMARY:Christ%s"
		    " mas Day%sEND:VEVENT%s"
		    "BEGIN:VEVENT%sDTSTART;VALUE=DATE:20251226%sSUMMARY:Boxing Day%s"
		    "END:VEVENT%sEND:VCALENDAR%s",
		    e, e, e, e, e, e, e, e, e, e, e, e, e);
		run_init(&r, NULL);
		cr_assert_eq(load_buf(&r, "ends.ics", text, 2025, 2025), 0, "%s", r.d.msg);
		expect_entries(&r, want);
		run_free(&r);
	}
}

/* ---- filters -------------------------------------------------------------------- */

Test(ical, parse_filter)
{
	static const struct {
		const char *s;
		enum ical_field field;
		const char *text;
	} ok[] = {
		{ "summary:Observance", ICAL_FIELD_SUMMARY, "Observance" },
		{ "DESCRIPTION:Observance", ICAL_FIELD_DESCRIPTION, "Observance" },
		{ "categories:Public", ICAL_FIELD_CATEGORIES, "Public" },
		{ "Observance", ICAL_FIELD_ANY, "Observance" },
		{ "bank:holiday", ICAL_FIELD_ANY, "bank:holiday" },
	};
	static const char *const bad[] = { "", "summary:", "categories:" };
	struct ical_filter f;
	struct diag d;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		cr_assert_eq(ical_parse_filter(ok[i].s, 1, &f, &d), 0, "%s", ok[i].s);
		cr_expect_eq(f.field, ok[i].field, "%s", ok[i].s);
		cr_expect_str_eq(f.text, ok[i].text);
		cr_expect_eq(f.exclude, 1);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		diag_clear(&d);
		cr_expect_eq(ical_parse_filter(bad[i], 0, &f, &d), -1, "'%s'", bad[i]);
		cr_expect_eq(d.code, DIAG_USAGE);
	}
}

Test(ical, filters_include_exclude)
{
	static const struct {
		const char *inc[2], *exc[2];
		const char *want;	/* the dates kept, "MM-DD" joined */
	} rows[] = {
		{ { NULL }, { NULL }, "01-01 02-14 03-17 12-25" },
		{ { NULL }, { "description:Observance" }, "01-01 12-25" },
		{ { NULL }, { "observance" }, "01-01 12-25" },
		{ { "categories:public" }, { NULL }, "01-01 12-25" },
		{ { "IRISH" }, { NULL }, "03-17" },
		{ { "summary:day" }, { "categories:Religious" }, "01-01 02-14 03-17" },
		{ { "summary:valentine", "categories:religious" }, { NULL }, "02-14 12-25" },
		{ { "summary:nothing matches" }, { NULL }, "" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct ical_filter f[4];
		struct diag d;
		struct run r;
		const struct cal_day *days;
		size_t nf = 0, n, k;
		char got[128] = "";

		for (k = 0; k < 2; k++) {
			if (rows[i].inc[k] != NULL)
				cr_assert_eq(ical_parse_filter(rows[i].inc[k], 0, &f[nf++],
				    &d), 0);
			if (rows[i].exc[k] != NULL)
				cr_assert_eq(ical_parse_filter(rows[i].exc[k], 1, &f[nf++],
				    &d), 0);
		}
		run_init(&r, NULL);
		load_ok(&r, ICS "filters.ics", 2025, 2025, f, nf);
		cal_rules_sort(r.rules);
		days = cal_rules_days(r.rules, &n);
		for (k = 0; k < n; k++) {
			char ds[CIVIL_ISO_LEN];

			civil_format_day(days[k].day, ds);
			append(got, sizeof got, ds + 5, 5);
		}
		cr_expect_str_eq(got, rows[i].want, "row %zu", i);
		cr_expect_eq(r.rep.nevents, n, "row %zu", i);
		run_free(&r);
	}
}

Test(ical, filtered_override_still_replaces_its_occurrence)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:m\nDTSTART;VALUE=DATE:20250303\n"
	    "RRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Closed\nEND:VEVENT\n"
	    "BEGIN:VEVENT\nUID:m\nRECURRENCE-ID;VALUE=DATE:20250310\n"
	    "DTSTART;VALUE=DATE:20250311\nSUMMARY:Closed (observance)\nEND:VEVENT\n"
	    "END:VCALENDAR\n";
	static const char *const want[] = {
		"2025-03-03 H Closed @2",
		"2025-03-17 H Closed @2",
		NULL
	};
	struct ical_filter f;
	struct ical_options o;
	struct diag d;
	struct run r;

	cr_assert_eq(ical_parse_filter("summary:observance", 1, &f, &d), 0);
	memset(&o, 0, sizeof o);
	o.source = "o.ics";
	o.filters = &f;
	o.nfilters = 1;
	o.from_year = o.to_year = 2025;
	run_init(&r, NULL);
	cr_assert_eq(ical_load_buffer(text, strlen(text), &o, r.rules, &r.rep, &r.d),
	    0, "%s", r.d.msg);
	expect_entries(&r, want);
	cr_expect_eq(r.rep.nevents, 1);
	run_free(&r);
}

/* ---- several files, warnings, coverage ------------------------------------------- */

Test(ical, two_files_merge)
{
	static const char *const want[] = {
		"2025-05-01 H Labour Day @4",
		"2025-10-03 H German Unity Day @4",
		"2025-12-31T11:00:00Z/2025-12-31T23:00:00Z New Year's Eve afternoon @9",
		NULL
	};
	const struct cal_day *days;
	struct run r;
	size_t n;

	run_init(&r, "Europe/Berlin");
	load_ok(&r, ICS "merge_a.ics", 2025, 2025, NULL, 0);
	load_ok(&r, ICS "merge_b.ics", 2025, 2025, NULL, 0);
	expect_entries(&r, want);
	days = cal_rules_days(r.rules, &n);
	cr_expect_str_eq(days[0].source, ICS "merge_a.ics");
	cr_expect_str_eq(days[1].source, ICS "merge_b.ics");
	cr_expect_eq(r.rep.nevents, 3);
	cr_expect_eq(r.rep.last_day, day_of("2025-12-31"));
	run_free(&r);
}

Test(ical, warnings)
{
	static const char *const want[] = {
		ICS "warnings.ics:4: 'Valentine's Day' looks like an observance, not a day off",
		ICS "warnings.ics:14: 'Weihnachten' and 'Christmas Day' (line 9) are both on 2025-12-25",
		ICS "warnings.ics:19: series 'May Day' ends 2027-05-01, before 2030",
		ICS "warnings.ics:25: event has no SUMMARY",
		ICS "warnings.ics:32: DTSTART and DTEND have different value types "
		    "(DATE and DATE-TIME) in 'Mixed Types'; using DTSTART's",
		ICS "warnings.ics:9: dated events end 2025-12-25 ('Christmas Day'), before 2030",
		NULL
	};
	struct run r;
	size_t n = 0;

	run_init(&r, NULL);
	load_ok(&r, ICS "warnings.ics", 2025, 2030, NULL, 0);
	for (; want[n] != NULL; n++)
		cr_expect(has_warning(&r.rep, want[n]), "missing: %s", want[n]);
	for (size_t i = 0; i < r.rep.nwarnings; i++)
		cr_log_info("warning: %s", r.rep.warnings[i]);
	cr_expect_eq(r.rep.nwarnings, n);
	/* mixed types: DTSTART is a DATE, so one whole day */
	cr_expect_eq(r.rep.nevents, 6);
	run_free(&r);
}

Test(ical, observance_in_description_warns)
{
	struct run r;

	run_init(&r, NULL);
	load_ok(&r, ICS "filters.ics", 2025, 2025, NULL, 0);
	cr_expect(has_warning(&r.rep, ICS "filters.ics:11: 'Valentine's Day' looks "
	    "like an observance, not a day off"));
	cr_expect(has_warning(&r.rep, ICS "filters.ics:17: 'St. Patrick's Day' looks "
	    "like an observance, not a day off"));
	run_free(&r);

	run_init(&r, NULL);
	cr_assert_eq(load_buf(&r, "g.ics", "BEGIN:VCALENDAR\nBEGIN:VEVENT\n"
	    "DTSTART;VALUE=DATE:20250505\nSUMMARY:Cinco de Mayo\n"
	    "DESCRIPTION:Observance\\nTo hide observances\\, go to settings\n"
	    "END:VEVENT\nEND:VCALENDAR\n", 2025, 2025), 0, "%s", r.d.msg);
	cr_expect(has_warning(&r.rep, "g.ics:2: 'Cinco de Mayo' is marked as an "
	    "observance in DESCRIPTION"));
	run_free(&r);
}

Test(ical, last_day_and_nevents)
{
	static const struct {
		const char *body;
		int32_t last;	/* -2: INT32_MAX */
		size_t nevents;
	} rows[] = {
		{ "", -1, 0 },
		{ "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20251225\nRRULE:FREQ=YEARLY\n"
		  "SUMMARY:Xmas\nEND:VEVENT\n", -2, 1 },
		{ "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20251225\nRRULE:FREQ=YEARLY;COUNT=2\n"
		  "SUMMARY:Xmas\nEND:VEVENT\n", 20448, 1 },	/* 2025-12-25 */
		{ "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20251224\nDTEND;VALUE=DATE:20251227\n"
		  "SUMMARY:Break\nEND:VEVENT\n", 20448, 1 },
		{ "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20251224\nSTATUS:CANCELLED\n"
		  "SUMMARY:Gone\nEND:VEVENT\n", -1, 1 },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char text[512];
		struct run r;
		int32_t want = rows[i].last == -2 ? INT32_MAX : rows[i].last;

		if (i == 2)
			want = day_of("2026-12-25");
		snprintf(text, sizeof text, "BEGIN:VCALENDAR\n%sEND:VCALENDAR\n",
		    rows[i].body);
		run_init(&r, NULL);
		cr_assert_eq(load_buf(&r, "c.ics", text, 2025, 2026), 0, "%s", r.d.msg);
		cr_expect_eq(r.rep.last_day, want, "row %zu: %d", i, r.rep.last_day);
		cr_expect_eq(r.rep.nevents, rows[i].nevents, "row %zu", i);
		run_free(&r);
	}
}

/* ---- errors -------------------------------------------------------------------------- */

Test(ical, errors_name_file_and_line)
{
	static const struct {
		const char *file, *msg;
	} rows[] = {
		{ "err_novcal.ics", "err_novcal.ics:1: not an iCalendar file (no BEGIN:VCALENDAR)" },
		{ "err_truncated.ics", "err_truncated.ics:9: 'BEGIN:VEVENT' is never closed (truncated file?)" },
		{ "err_unclosed.ics", "err_unclosed.ics:4: 'BEGIN:VEVENT' has no matching END (found 'END:VCALENDAR' at line 8)" },
		{ "err_rrule.ics", "err_rrule.ics:14: cannot parse RRULE 'FREQ=SOMETIMES;BYDAY=XX'" },
		{ "err_tzid.ics", "err_tzid.ics:7: unknown TZID 'Mars/Olympus_Mons' (no VTIMEZONE, not an IANA zone)" },
		{ "err_nodtstart.ics", "err_nodtstart.ics:4: VEVENT has no DTSTART" },
		{ "err_baddtstart.ics", "err_baddtstart.ics:7: cannot parse DTSTART 'tomorrow'" },
		{ "err_dtend.ics", "err_dtend.ics:8: DTEND before DTSTART" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char path[256], want[512];
		struct run r;
		size_t n;

		snprintf(path, sizeof path, ICS "%s", rows[i].file);
		snprintf(want, sizeof want, ICS "%s", rows[i].msg);
		run_init(&r, NULL);
		/* out already holds one entry; it must stay exactly as it was */
		cr_assert_eq(cal_rules_add_day(r.rules, 42, CAL_DAY_HOLIDAY, "Before",
		    "other.ics", 3), 0);
		cr_expect_eq(load_into(&r, path, 2025, 2025, NULL, 0), -1, "%s", path);
		cr_expect_eq(r.d.code, DIAG_INPUT, "%s", path);
		cr_expect_str_eq(r.d.msg, want);
		cal_rules_days(r.rules, &n);
		cr_expect_eq(n, 1, "%s", path);
		cal_rules_closures(r.rules, &n);
		cr_expect_eq(n, 0, "%s", path);
		cr_expect_eq(r.rep.nwarnings, 0, "%s", path);
		cr_expect_eq(r.rep.nevents, 0, "%s", path);
		cr_expect_eq(r.rep.last_day, -1, "%s", path);
		run_free(&r);
	}
}

Test(ical, errors_inline)
{
	static const struct {
		const char *text, *msg;
	} rows[] = {
		{ "", "x.ics:1: not an iCalendar file (no BEGIN:VCALENDAR)" },
		{ "hello world\n", "x.ics:1: not an iCalendar file (no BEGIN:VCALENDAR)" },
		{ "BEGIN:VCALENDAR\nEND:VCALENDAR\nX-JUNK:1\n",
		  "x.ics:3: content after END:VCALENDAR" },
		{ "BEGIN:VCALENDAR\nEND:VEVENT\nEND:VCALENDAR\n",
		  "x.ics:1: 'BEGIN:VCALENDAR' has no matching END (found 'END:VEVENT' at line 2)" },
		{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101\n"
		  "RRULE:FREQ=YEARLY;BYWEEKNO=20\nEND:VEVENT\nEND:VCALENDAR\n",
		  "x.ics:4: unsupported RRULE 'FREQ=YEARLY;BYWEEKNO=20': BYWEEKNO is not supported" },
		{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101\n"
		  "RRULE:FREQ=YEARLY;BYMONTH=13\nEND:VEVENT\nEND:VCALENDAR\n",
		  "x.ics:4: unsupported RRULE 'FREQ=YEARLY;BYMONTH=13': a BYxxx value out of range" },
		{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20250101T000000Z\n"
		  "DURATION:PT1S\nRRULE:FREQ=SECONDLY\nEND:VEVENT\nEND:VCALENDAR\n",
		  "x.ics:5: RRULE has more than 100000 occurrences up to 2025" },
		{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20250230\n"
		  "END:VEVENT\nEND:VCALENDAR\n", "x.ics:3: invalid DTSTART" },
		{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101\n"
		  "DURATION:-P1D\nEND:VEVENT\nEND:VCALENDAR\n", "x.ics:4: negative DURATION" },
		{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101\n"
		  "EXDATE:2025-1\nEND:VEVENT\nEND:VCALENDAR\n",
		  "x.ics:4: cannot parse EXDATE '2025-1'" },
		{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20250101T120000Z\n"
		  "DTEND:20250101T110000Z\nEND:VEVENT\nEND:VCALENDAR\n",
		  "x.ics:4: DTEND before DTSTART" },
		{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=Nowhere:20250101T120000\n"
		  "END:VEVENT\nBEGIN:VTIMEZONE\nTZID:Nowhere\nEND:VTIMEZONE\nEND:VCALENDAR\n",
		  "x.ics:5: VTIMEZONE 'Nowhere' has no STANDARD or DAYLIGHT" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct run r;
		struct ical_options o;
		size_t len = strlen(rows[i].text);

		memset(&o, 0, sizeof o);
		o.source = "x.ics";
		o.from_year = 2025;
		o.to_year = 2025;
		run_init(&r, NULL);
		cr_expect_eq(ical_load_buffer(rows[i].text, len, &o, r.rules, &r.rep,
		    &r.d), -1, "row %zu", i);
		cr_expect_eq(r.d.code, DIAG_INPUT, "row %zu", i);
		cr_expect_str_eq(r.d.msg, rows[i].msg, "row %zu", i);
		run_free(&r);
	}
}

Test(ical, nul_byte)
{
	static const char text[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\0\r\n";
	struct ical_options o;
	struct run r;

	memset(&o, 0, sizeof o);
	o.source = "x.ics";
	o.from_year = o.to_year = 2025;
	run_init(&r, NULL);
	cr_expect_eq(ical_load_buffer(text, sizeof text - 1, &o, r.rules, &r.rep,
	    &r.d), -1);
	cr_expect_str_eq(r.d.msg, "x.ics:3: NUL byte: not an iCalendar file");
	run_free(&r);
}

Test(ical, bad_options)
{
	struct run r;

	run_init(&r, NULL);
	cr_expect_eq(load_buf(&r, "x.ics", "BEGIN:VCALENDAR\nEND:VCALENDAR\n", 2030,
	    2025), -1);
	cr_expect_eq(r.d.code, DIAG_USAGE);
	run_free(&r);
	run_init(&r, NULL);
	cr_expect_eq(load_into(&r, ICS "does-not-exist.ics", 2025, 2025, NULL, 0), -1);
	cr_expect_eq(r.d.code, DIAG_INPUT);
	cr_expect(strstr(r.d.msg, "does-not-exist.ics") != NULL, "%s", r.d.msg);
	run_free(&r);
}

/* ---- odds and ends ------------------------------------------------------------------- */

Test(ical, lenient_inputs)
{
	static const struct {
		const char *text, *want, *warning;
	} rows[] = {
		/* RRULE that can never match: nothing, and a warning */
		{ "BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20250101\n"
		  "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nSUMMARY:Never\nEND:VEVENT\n",
		  "2025-01-01", "y.ics:5: RRULE of 'Never' never matches a date" },
		/* DTSTART that is not an occurrence of its RRULE still counts,
		 * as the first of COUNT */
		{ "BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20250101\n"
		  "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=2\nSUMMARY:T\nEND:VEVENT\n",
		  "2025-01-01 2025-11-27",
		  "y.ics:5: DTSTART 2025-01-01 of 'T' does not match its RRULE" },
		/* STATUS:CANCELED (one L) cancels too */
		{ "BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20250101\nSTATUS:CANCELED\n"
		  "SUMMARY:C\nEND:VEVENT\n", "", NULL },
		/* a floating EXDATE next to a TZID DTSTART is in that zone */
		{ "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=America/New_York:20250101T090000\n"
		  "DURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=2\nEXDATE:20250102T090000\n"
		  "SUMMARY:E\nEND:VEVENT\n", "2025-01-01T14", NULL },
		/* two VCALENDARs in one file; a VALARM inside a VEVENT */
		{ "BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20250102\nSUMMARY:A\n"
		  "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\nEND:VALARM\nEND:VEVENT\n"
		  "END:VCALENDAR\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:b\n"
		  "DTSTART;VALUE=DATE:20250103\nSUMMARY:B\nEND:VEVENT\n",
		  "2025-01-02 2025-01-03", NULL },
		/* Mozilla-style TZID prefix */
		{ "BEGIN:VEVENT\nUID:a\n"
		  "DTSTART;TZID=/mozilla.org/20050126_1/Asia/Tokyo:20250101T090000\n"
		  "DURATION:PT1H\nSUMMARY:M\nEND:VEVENT\n", "2025-01-01T00", NULL },
		/* a series that ended before the window: its real last date */
		{ "BEGIN:VEVENT\nUID:x\nDTSTART;VALUE=DATE:20001225\n"
		  "RRULE:FREQ=YEARLY;UNTIL=20250105\nSUMMARY:X\nEND:VEVENT\n", "",
		  "y.ics:2: series 'X' ends 2024-12-25, before 2025" },
		/* an override whose master lies outside the window still applies */
		{ "BEGIN:VEVENT\nUID:s\nDTSTART;VALUE=DATE:20240105\n"
		  "RRULE:FREQ=YEARLY\nSUMMARY:S\nEND:VEVENT\nBEGIN:VEVENT\nUID:s\n"
		  "RECURRENCE-ID;VALUE=DATE:20250105\nDTSTART;VALUE=DATE:20250107\n"
		  "SUMMARY:S\nEND:VEVENT\n", "2025-01-07", NULL },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char text[2048], got[256] = "", a[CIVIL_ISO_LEN];
		const struct cal_day *days;
		const struct cal_closure *clo;
		struct run r;
		size_t n, k;

		snprintf(text, sizeof text, "BEGIN:VCALENDAR\n%sEND:VCALENDAR\n",
		    rows[i].text);
		run_init(&r, NULL);
		cr_assert_eq(load_buf(&r, "y.ics", text, 2025, 2025), 0, "row %zu: %s",
		    i, r.d.msg);
		cal_rules_sort(r.rules);
		days = cal_rules_days(r.rules, &n);
		for (k = 0; k < n; k++) {
			civil_format_day(days[k].day, a);
			append(got, sizeof got, a, strlen(a));
		}
		clo = cal_rules_closures(r.rules, &n);
		for (k = 0; k < n; k++) {
			civil_format_utc(clo[k].start_at, a);
			append(got, sizeof got, a, 13);
		}
		cr_expect_str_eq(got, rows[i].want, "row %zu", i);
		if (rows[i].warning != NULL)
			cr_expect(has_warning(&r.rep, rows[i].warning), "row %zu", i);
		run_free(&r);
	}
}

/* A rule that matches rarely, over a long window, must stay quick
 * (libical would otherwise scan to the year 2582). */
Test(ical, costly_rules_are_bounded, .timeout = 20)
{
	static const char *const rules[] = {
		"FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
		"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
		"FREQ=YEARLY;BYDAY=5MO;BYMONTH=2;BYSETPOS=7",
		"FREQ=MONTHLY;BYDAY=6MO",
		"FREQ=YEARLY;BYYEARDAY=366;BYMONTH=2",
	};
	struct buf_local { char s[65536]; size_t n; };
	static struct buf_local b;
	struct run r;

	b.n = 0;
	b.n += (size_t)snprintf(b.s + b.n, sizeof b.s - b.n, "BEGIN:VCALENDAR\n");
	for (int k = 0; k < 40; k++)
		for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
			b.n += (size_t)snprintf(b.s + b.n, sizeof b.s - b.n,
			    "BEGIN:VEVENT\nUID:%d-%zu\nDTSTART:17000101T000000\n"
			    "DURATION:PT1H\nRRULE:%s\nSUMMARY:x\nEND:VEVENT\n",
			    k, i, rules[i]);
	snprintf(b.s + b.n, sizeof b.s - b.n, "END:VCALENDAR\n");
	run_init(&r, NULL);
	cr_expect_eq(load_buf(&r, "slow.ics", b.s, 1970, 2100), 0, "%s", r.d.msg);
	run_free(&r);
}

/* ---- the shipped calendars ---------------------------------------------------------- */

Test(ical, gb_and_us_calendars)
{
	static const struct {
		const char *file, *day, *name;
	} rows[] = {
		{ "GB.ics", "2025-08-25", "Late Summer Bank Holiday" },
		{ "GB.ics", "2025-04-18", "Good Friday" },
		{ "GB.ics", "2027-12-28", "Boxing Day (Observed)" },
		{ "GB.ics", "2030-01-01", "New Year's Day" },
		{ "US.ics", "2025-11-27", "Thanksgiving" },
		{ "US.ics", "2026-07-03", "Independence Day (Observed)" },
		{ "US.ics", "2030-05-27", "Memorial Day" },
		{ "US.ics", "2024-01-15", "Martin Luther King, Jr. Day" },
	};
	static const struct {
		const char *file;
		size_t ndays;
	} counts[] = { { "GB.ics", 60 }, { "US.ics", 84 } };

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char path[128];
		const struct cal_day *days;
		struct run r;
		size_t n, k, hits = 0;

		snprintf(path, sizeof path, "tests/data/%s", rows[i].file);
		run_init(&r, NULL);
		load_ok(&r, path, 2024, 2030, NULL, 0);
		days = cal_rules_days(r.rules, &n);
		for (k = 0; k < n; k++)
			if (days[k].day == day_of(rows[i].day)) {
				hits++;
				cr_expect_str_eq(days[k].name, rows[i].name, "%s %s",
				    rows[i].file, rows[i].day);
				cr_expect_eq(days[k].kind, CAL_DAY_HOLIDAY);
			}
		cr_expect_eq(hits, 1, "%s %s", rows[i].file, rows[i].day);
		run_free(&r);
	}
	for (size_t i = 0; i < 2; i++) {
		char path[128];
		struct run r;
		size_t n;

		snprintf(path, sizeof path, "tests/data/%s", counts[i].file);
		run_init(&r, NULL);
		load_ok(&r, path, 2024, 2030, NULL, 0);
		cal_rules_days(r.rules, &n);
		cr_expect_eq(n, counts[i].ndays, "%s: %zu days", counts[i].file, n);
		run_free(&r);
	}
}

/* ---- RFC 5545 corner cases (issue 10, item 11) ------------------------------------ */

/* Loads "BEGIN:VCALENDAR\n" body "END:VCALENDAR\n" as name in zone local
 * over from..to; returns what it produced as one line: dates, then
 * closures as START/END in UTC. */
static int load_text(struct run *r, const char *local, const char *name,
		     const char *body, int from, int to, char *got, size_t cap)
{
	char text[4096], a[CIVIL_ISO_LEN], b[CIVIL_ISO_LEN];
	const struct cal_day *days;
	const struct cal_closure *clo;
	size_t n, k;

	snprintf(text, sizeof text, "BEGIN:VCALENDAR\n%sEND:VCALENDAR\n", body);
	run_init(r, local);
	got[0] = '\0';
	if (load_buf(r, name, text, from, to) < 0)
		return -1;
	cal_rules_sort(r->rules);
	days = cal_rules_days(r->rules, &n);
	for (k = 0; k < n; k++) {
		civil_format_day(days[k].day, a);
		append(got, cap, a, strlen(a));
	}
	clo = cal_rules_closures(r->rules, &n);
	for (k = 0; k < n; k++) {
		char both[2 * CIVIL_ISO_LEN + 2];

		civil_format_utc(clo[k].start_at, a);
		civil_format_utc(clo[k].end_at, b);
		snprintf(both, sizeof both, "%s/%s", a, b);
		append(got, cap, both, strlen(both));
	}
	return 0;
}

static void dump_warnings(const struct ical_report *rep, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < rep->nwarnings; i++)
		append(out, cap, rep->warnings[i], strlen(rep->warnings[i]));
}

/* RFC 5545 3.3.6: a day of a DURATION is a calendar day (23 or 25 hours
 * across a DST change); hours, minutes and seconds are exact. */
Test(ical, duration_days_are_calendar_days)
{
	static const struct {
		const char *zone, *body, *want;
	} rows[] = {
		/* Berlin springs forward on 2025-03-30: P1D is 23 hours */
		{ "Europe/Berlin", "DTSTART;TZID=Europe/Berlin:20250329T120000\nDURATION:P1D\n",
		  "2025-03-29T11:00:00Z/2025-03-30T10:00:00Z" },
		/* ... and falls back on 2025-10-26: P1W is 7 days and an hour */
		{ "Europe/Berlin", "DTSTART;TZID=Europe/Berlin:20251020T120000\nDURATION:P1W\n",
		  "2025-10-20T10:00:00Z/2025-10-27T11:00:00Z" },
		/* days then exact hours */
		{ "Europe/Berlin", "DTSTART;TZID=Europe/Berlin:20250329T120000\nDURATION:P1DT2H\n",
		  "2025-03-29T11:00:00Z/2025-03-30T12:00:00Z" },
		/* PT24H is exact */
		{ "Europe/Berlin", "DTSTART;TZID=Europe/Berlin:20250329T120000\nDURATION:PT24H\n",
		  "2025-03-29T11:00:00Z/2025-03-30T11:00:00Z" },
		/* floating: the partner's zone */
		{ "Europe/Berlin", "DTSTART:20250329T120000\nDURATION:P1D\n",
		  "2025-03-29T11:00:00Z/2025-03-30T10:00:00Z" },
		/* UTC has no DST: 24 hours */
		{ "Europe/Berlin", "DTSTART:20250329T120000Z\nDURATION:P1D\n",
		  "2025-03-29T12:00:00Z/2025-03-30T12:00:00Z" },
		/* every occurrence of a series gets its own calendar day */
		{ "Europe/Berlin", "DTSTART;TZID=Europe/Berlin:20250328T120000\nDURATION:P1D\n"
		  "RRULE:FREQ=DAILY;COUNT=3\n",
		  "2025-03-28T11:00:00Z/2025-03-29T11:00:00Z "
		  "2025-03-29T11:00:00Z/2025-03-30T10:00:00Z "
		  "2025-03-30T10:00:00Z/2025-03-31T10:00:00Z" },
		/* an RDATE too */
		{ "Europe/Berlin", "DTSTART;TZID=Europe/Berlin:20250301T120000\nDURATION:P1D\n"
		  "RDATE;TZID=Europe/Berlin:20250329T120000\n",
		  "2025-03-01T11:00:00Z/2025-03-02T11:00:00Z "
		  "2025-03-29T11:00:00Z/2025-03-30T10:00:00Z" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char body[1024], got[1024];
		struct run r;

		snprintf(body, sizeof body, "BEGIN:VEVENT\nUID:d%zu\n%sSUMMARY:C\nEND:VEVENT\n",
		    i, rows[i].body);
		cr_expect_eq(load_text(&r, rows[i].zone, "d.ics", body, 2025, 2025, got,
		    sizeof got), 0, "row %zu: %s", i, r.d.msg);
		cr_expect_str_eq(got, rows[i].want, "row %zu", i);
		run_free(&r);
	}
}

/* A DATE value that carries a time would make the event vanish. */
Test(ical, date_value_with_a_time_is_an_error)
{
	static const struct {
		const char *body, *msg;
	} rows[] = {
		{ "DTSTART;VALUE=DATE:20261225T000000\n",
		  "x.ics:4: DTSTART is VALUE=DATE but '20261225T000000' is not a date (YYYYMMDD)" },
		{ "DTSTART;VALUE=DATE:20261225\nDTEND;VALUE=DATE:20261226T000000\n",
		  "x.ics:5: DTEND is VALUE=DATE but '20261226T000000' is not a date (YYYYMMDD)" },
		{ "DTSTART;VALUE=DATE:20261225\nRRULE:FREQ=YEARLY\n"
		  "EXDATE;VALUE=DATE:20271225,20281225T000000Z\n",
		  "x.ics:6: EXDATE is VALUE=DATE but '20281225T000000Z' is not a date (YYYYMMDD)" },
		{ "DTSTART;VALUE=DATE:20261225\nRDATE;VALUE=DATE:20261226T120000\n",
		  "x.ics:5: RDATE is VALUE=DATE but '20261226T120000' is not a date (YYYYMMDD)" },
		{ "RECURRENCE-ID;VALUE=DATE:20261225T000000\nDTSTART;VALUE=DATE:20261226\n",
		  "x.ics:4: RECURRENCE-ID is VALUE=DATE but '20261225T000000' is not a date (YYYYMMDD)" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char body[1024], got[256];
		struct run r;

		snprintf(body, sizeof body, "BEGIN:VEVENT\nUID:x\n%sSUMMARY:Christmas\nEND:VEVENT\n",
		    rows[i].body);
		cr_expect_eq(load_text(&r, NULL, "x.ics", body, 2026, 2026, got, sizeof got),
		    -1, "row %zu: loaded %s", i, got);
		cr_expect_eq(r.d.code, DIAG_INPUT, "row %zu", i);
		cr_expect_str_eq(r.d.msg, rows[i].msg, "row %zu", i);
		run_free(&r);
	}
}

/* One limit: 100,000 occurrences of an event up to the last year expanded. */
Test(ical, occurrence_limit, .timeout = 60)
{
	char got[256];
	struct run r;

	cr_expect_eq(load_text(&r, NULL, "x.ics", "BEGIN:VEVENT\nUID:h\n"
	    "DTSTART:20250101T000000Z\nDURATION:PT1M\nRRULE:FREQ=HOURLY;COUNT=100000\n"
	    "SUMMARY:H\nEND:VEVENT\n", 2036, 2036, got, sizeof got), 0, "%s", r.d.msg);
	run_free(&r);
	cr_expect_eq(load_text(&r, NULL, "x.ics", "BEGIN:VEVENT\nUID:h\n"
	    "DTSTART:20250101T000000Z\nDURATION:PT1M\nRRULE:FREQ=HOURLY;COUNT=100001\n"
	    "SUMMARY:H\nEND:VEVENT\n", 2036, 2036, got, sizeof got), -1);
	cr_expect_str_eq(r.d.msg, "x.ics:6: RRULE has more than 100000 occurrences up to 2036");
	run_free(&r);
	/* an open-ended hourly rule over twelve years */
	cr_expect_eq(load_text(&r, NULL, "x.ics", "BEGIN:VEVENT\nUID:h\n"
	    "DTSTART:20250101T000000Z\nDURATION:PT1M\nRRULE:FREQ=HOURLY\n"
	    "SUMMARY:H\nEND:VEVENT\n", 2025, 2036, got, sizeof got), -1);
	cr_expect_str_eq(r.d.msg, "x.ics:6: RRULE has more than 100000 occurrences up to 2036");
	run_free(&r);
}

/* RFC 5545: with COUNT, DTSTART counts as the first occurrence even when
 * the rule would not produce it. */
Test(ical, count_includes_a_dtstart_off_the_rule)
{
	static const struct {
		const char *body, *want;
	} rows[] = {
		/* Wednesday + Mondays: 3 in all */
		{ "DTSTART;VALUE=DATE:20250101\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3\n",
		  "2025-01-01 2025-01-06 2025-01-13" },
		/* COUNT=1: DTSTART alone */
		{ "DTSTART;VALUE=DATE:20250101\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=1\n",
		  "2025-01-01" },
		/* DTSTART on the rule: unchanged */
		{ "DTSTART;VALUE=DATE:20250106\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3\n",
		  "2025-01-06 2025-01-13 2025-01-20" },
		/* timed */
		{ "DTSTART:20250101T100000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2\n",
		  "2025-01-01T10:00:00Z/2025-01-01T11:00:00Z "
		  "2025-01-06T10:00:00Z/2025-01-06T11:00:00Z" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char body[1024], got[1024];
		struct run r;

		snprintf(body, sizeof body, "BEGIN:VEVENT\nUID:c\n%sSUMMARY:C\nEND:VEVENT\n",
		    rows[i].body);
		cr_expect_eq(load_text(&r, NULL, "c.ics", body, 2025, 2025, got, sizeof got),
		    0, "row %zu: %s", i, r.d.msg);
		cr_expect_str_eq(got, rows[i].want, "row %zu", i);
		run_free(&r);
	}
}

/* RANGE=THISANDFUTURE is not supported: the override replaces the one
 * occurrence it names, and calendar check says so. */
Test(ical, thisandfuture_warns)
{
	char got[256], w[1024];
	struct run r;

	cr_expect_eq(load_text(&r, NULL, "f.ics",
	    "BEGIN:VEVENT\nUID:m\nDTSTART;VALUE=DATE:20250106\n"
	    "RRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Team Day\nEND:VEVENT\n"
	    "BEGIN:VEVENT\nUID:m\nRECURRENCE-ID;RANGE=THISANDFUTURE;VALUE=DATE:20250113\n"
	    "DTSTART;VALUE=DATE:20250114\nSUMMARY:Team Day\nEND:VEVENT\n",
	    2025, 2025, got, sizeof got), 0, "%s", r.d.msg);
	cr_expect_str_eq(got, "2025-01-06 2025-01-14 2025-01-20");
	dump_warnings(&r.rep, w, sizeof w);
	cr_expect(has_warning(&r.rep, "f.ics:10: RANGE=THISANDFUTURE is not supported: "
	    "only the occurrence of 2025-01-13 of 'Team Day' is replaced"), "%s", w);
	run_free(&r);
}

/* An EXDATE given as a UTC date-time on an all-day series names the
 * partner's local date at that instant; exactly 00:00:00Z names its date. */
Test(ical, utc_exdate_on_an_all_day_series)
{
	static const struct {
		const char *zone, *exdate, *want, *warning;
	} rows[] = {
		/* local midnight in Berlin, written in UTC */
		{ "Europe/Berlin", "20250112T230000Z", "2025-01-06 2025-01-20", NULL },
		/* a date written as UTC midnight, for a partner west of UTC */
		{ "America/New_York", "20250113T000000Z", "2025-01-06 2025-01-20", NULL },
		/* local midnight in Tokyo, written in UTC */
		{ "Asia/Tokyo", "20250112T150000Z", "2025-01-06 2025-01-20", NULL },
		/* an instant on no occurrence's date: nothing removed, a warning */
		{ "America/New_York", "20250112T230000Z", "2025-01-06 2025-01-13 2025-01-20",
		  "e.ics:6: EXDATE 2025-01-12T23:00:00Z of 'Mondays' matches no occurrence" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char body[1024], got[256], w[1024];
		struct run r;

		snprintf(body, sizeof body, "BEGIN:VEVENT\nUID:e\nDTSTART;VALUE=DATE:20250106\n"
		    "RRULE:FREQ=WEEKLY;COUNT=3\nEXDATE:%s\nSUMMARY:Mondays\nEND:VEVENT\n",
		    rows[i].exdate);
		cr_expect_eq(load_text(&r, rows[i].zone, "e.ics", body, 2025, 2025, got,
		    sizeof got), 0, "row %zu: %s", i, r.d.msg);
		cr_expect_str_eq(got, rows[i].want, "row %zu", i);
		dump_warnings(&r.rep, w, sizeof w);
		if (rows[i].warning != NULL)
			cr_expect(has_warning(&r.rep, rows[i].warning), "row %zu: %s", i, w);
		else
			cr_expect_eq(r.rep.nwarnings, 0, "row %zu: %s", i, w);
		run_free(&r);
	}
}

/* Files are independent: an override only applies to a series in its own
 * file.  In another file it is an event of its own, with a warning. */
Test(ical, override_in_another_file_stands_alone)
{
	static const char a[] =
	    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:m@x\nDTSTART;VALUE=DATE:20250303\n"
	    "RRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Closed\nEND:VEVENT\nEND:VCALENDAR\n";
	static const char b[] =
	    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:m@x\nRECURRENCE-ID;VALUE=DATE:20250310\n"
	    "DTSTART;VALUE=DATE:20250311\nSUMMARY:Closed (moved)\nEND:VEVENT\nEND:VCALENDAR\n";
	static const char *const want[] = {
		"2025-03-03 H Closed @2",
		"2025-03-10 H Closed @2",
		"2025-03-11 H Closed (moved) @2",
		"2025-03-17 H Closed @2",
		NULL
	};
	char w[1024];
	struct run r;

	run_init(&r, NULL);
	cr_assert_eq(load_buf(&r, "a.ics", a, 2025, 2025), 0, "%s", r.d.msg);
	cr_assert_eq(load_buf(&r, "b.ics", b, 2025, 2025), 0, "%s", r.d.msg);
	expect_entries(&r, want);
	dump_warnings(&r.rep, w, sizeof w);
	cr_expect(has_warning(&r.rep, "b.ics:2: RECURRENCE-ID 2025-03-10 of 'Closed (moved)' "
	    "has no series with UID 'm@x' in this file; counted as an event of its own"),
	    "%s", w);
	run_free(&r);
}

/* Filters judge each occurrence by the component that describes it: the
 * override when there is one, else the series. */
Test(ical, filters_and_overrides)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:m\nDTSTART;VALUE=DATE:20250303\n"
	    "RRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Observance\nEND:VEVENT\n"
	    "BEGIN:VEVENT\nUID:m\nRECURRENCE-ID;VALUE=DATE:20250310\n"
	    "DTSTART;VALUE=DATE:20250311\nSUMMARY:Closed\nEND:VEVENT\n"
	    "END:VCALENDAR\n";
	static const char *const excl[] = { "2025-03-11 H Closed @8", NULL };
	static const char *const incl[] = {
		"2025-03-03 H Observance @2",
		"2025-03-17 H Observance @2",
		NULL
	};
	struct ical_filter f;
	struct ical_options o;
	struct diag d;
	struct run r;

	/* the series is dropped, its override is not: that one day counts */
	cr_assert_eq(ical_parse_filter("summary:observance", 1, &f, &d), 0);
	memset(&o, 0, sizeof o);
	o.source = "o.ics";
	o.filters = &f;
	o.nfilters = 1;
	o.from_year = o.to_year = 2025;
	run_init(&r, NULL);
	cr_assert_eq(ical_load_buffer(text, strlen(text), &o, r.rules, &r.rep, &r.d),
	    0, "%s", r.d.msg);
	expect_entries(&r, excl);
	run_free(&r);
	/* the series is kept, its override is dropped: that day is gone */
	cr_assert_eq(ical_parse_filter("summary:observance", 0, &f, &d), 0);
	run_init(&r, NULL);
	cr_assert_eq(ical_load_buffer(text, strlen(text), &o, r.rules, &r.rep, &r.d),
	    0, "%s", r.d.msg);
	expect_entries(&r, incl);
	run_free(&r);
}

/* UNTIL as a DATE on a timed series includes that whole date (in
 * DTSTART's zone). */
Test(ical, date_until_on_a_timed_series)
{
	char got[512];
	struct run r;

	cr_expect_eq(load_text(&r, "UTC", "u.ics", "BEGIN:VEVENT\nUID:u\n"
	    "DTSTART;TZID=Europe/Berlin:20250106T233000\nDURATION:PT15M\n"
	    "RRULE:FREQ=DAILY;UNTIL=20250108\nSUMMARY:U\nEND:VEVENT\n", 2025, 2025, got,
	    sizeof got), 0, "%s", r.d.msg);
	cr_expect_str_eq(got, "2025-01-06T22:30:00Z/2025-01-06T22:45:00Z "
	    "2025-01-07T22:30:00Z/2025-01-07T22:45:00Z "
	    "2025-01-08T22:30:00Z/2025-01-08T22:45:00Z");
	run_free(&r);
}

/* Old Mozilla/Lightning TZIDs name the IANA zone at their end. */
Test(ical, mozilla_tzid_maps_to_iana)
{
	char got[512];
	struct run r;

	cr_expect_eq(load_text(&r, "UTC", "m.ics", "BEGIN:VEVENT\nUID:m\n"
	    "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20250701T120000\n"
	    "DTEND;TZID=/mozilla.org/20050126_1/Europe/Berlin:20250701T130000\n"
	    "SUMMARY:M\nEND:VEVENT\nBEGIN:VEVENT\nUID:n\n"
	    "DTSTART;TZID=/softwarestudio.org/Olson_20011030_5/America/New_York:20250106T090000\n"
	    "DURATION:PT1H\nSUMMARY:N\nEND:VEVENT\n", 2025, 2025, got, sizeof got), 0,
	    "%s", r.d.msg);
	cr_expect_str_eq(got, "2025-01-06T14:00:00Z/2025-01-06T15:00:00Z "
	    "2025-07-01T10:00:00Z/2025-07-01T11:00:00Z");
	run_free(&r);
	cr_expect_eq(load_text(&r, "UTC", "m.ics", "BEGIN:VEVENT\nUID:m\n"
	    "DTSTART;TZID=/mozilla.org/20050126_1/Mars/Olympus:20250701T120000\n"
	    "DURATION:PT1H\nSUMMARY:M\nEND:VEVENT\n", 2025, 2025, got, sizeof got), -1);
	cr_expect_str_eq(r.d.msg, "m.ics:4: unknown TZID '/mozilla.org/20050126_1/Mars/Olympus' "
	    "(no VTIMEZONE, not an IANA zone)");
	run_free(&r);
}
