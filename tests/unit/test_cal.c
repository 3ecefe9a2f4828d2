/* test_cal.c: the working-time engine against the working-time rules of slatrack(1),
 * table-driven: every row gives the expected instant in full. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "civil.h"
#include "tz.h"

struct fixture {
	struct tz *tz;
	struct cal_rules *rules;
	struct cal *cal;
};

static int64_t iso(const char *s)
{
	int64_t v;
	enum civil_instant_kind k;

	cr_assert_eq(civil_parse_instant(s, &v, &k), 0, "bad instant %s", s);
	cr_assert_eq(k, CIVIL_INSTANT_UTC, "instant %s needs an offset", s);
	return v;
}

static int32_t ymd(const char *s)
{
	int64_t v;
	enum civil_instant_kind k;

	cr_assert_eq(civil_parse_instant(s, &v, &k), 0);
	return (int32_t)civil_div(v, CIVIL_DAY_S);
}

/* zone; weekdays ("mon-fri"); hours (NULL = whole days); holidays
 * "YYYY-MM-DD" list; make-up days; closures "START/END" list. */
static void build(struct fixture *f, const char *zone, const char *weekdays,
		  const char *hours, const char *const *holidays,
		  const char *const *makeups, const char *const *closures)
{
	struct cal_window w[CAL_MAX_WINDOWS];
	struct cal_spec spec;
	struct diag d;
	size_t nw = 0;

	memset(f, 0, sizeof *f);
	memset(&spec, 0, sizeof spec);
	f->tz = tz_load(zone, &d);
	cr_assert_not_null(f->tz, "%s", d.msg);
	f->rules = cal_rules_new();
	for (size_t i = 0; holidays && holidays[i]; i++)
		cr_assert_eq(cal_rules_add_day(f->rules, ymd(holidays[i]), CAL_DAY_HOLIDAY,
		    "Holiday", "test", (int)i + 1), 0);
	for (size_t i = 0; makeups && makeups[i]; i++)
		cr_assert_eq(cal_rules_add_day(f->rules, ymd(makeups[i]), CAL_DAY_MAKEUP,
		    "Make-up", "test", 100 + (int)i), 0);
	for (size_t i = 0; closures && closures[i]; i++) {
		char a[64], *slash;

		snprintf(a, sizeof a, "%s", closures[i]);
		slash = strchr(a, '/');
		cr_assert_not_null(slash);
		*slash = '\0';
		cr_assert_eq(cal_rules_add_closure(f->rules, iso(a), iso(slash + 1),
		    "Closure", "test", 200 + (int)i), 0);
	}
	spec.tz = f->tz;
	cr_assert_eq(cal_parse_weekdays(weekdays, &spec.weekdays, &d), 0, "%s", d.msg);
	if (hours != NULL) {
		cr_assert_eq(cal_parse_hours(hours, w, &nw, &d), 0, "%s", d.msg);
		spec.windows = w;
		spec.nwindows = nw;
	}
	spec.rules = f->rules;
	f->cal = cal_new(&spec, &d);
	cr_assert_not_null(f->cal, "%s", d.msg);
}

static void release(struct fixture *f)
{
	cal_free(f->cal);
	cal_rules_free(f->rules);
	tz_free(f->tz);
}

static int64_t deadline(const struct fixture *f, int64_t created, int64_t target)
{
	int64_t out;
	struct diag d;

	cr_assert_eq(cal_deadline(f->cal, created, target, &out, &d), 0, "%s", d.msg);
	return out;
}

static void expect_deadline(const struct fixture *f, const char *created,
			    int64_t target, const char *want, const char *why)
{
	int64_t got = deadline(f, iso(created), target);
	char g[CIVIL_ISO_LEN], w[CIVIL_ISO_LEN];

	civil_format_utc(got, g);
	civil_format_utc(iso(want), w);
	cr_expect_eq(got, iso(want), "%s: created %s: got %s, want %s", why, created, g, w);
}

#define H (INT64_C(3600))
#define DAY (24 * H)

Test(cal, london_summer_bank_holiday)
{
	static const char *const hol[] = { "2025-08-25", NULL };
	struct fixture f;

	build(&f, "Europe/London", "mon-fri", NULL, hol, NULL, NULL);
	expect_deadline(&f, "2025-08-22T23:30:00+01:00", DAY, "2025-08-26T23:30:00+01:00",
	    "Fri 23:30 BST, Mon bank holiday -> Tue 23:30");
	release(&f);
}

Test(cal, new_york_across_dst_weekend)
{
	struct fixture f;

	build(&f, "America/New_York", "mon-fri", NULL, NULL, NULL, NULL);
	expect_deadline(&f, "2025-03-07T10:00:00-05:00", DAY, "2025-03-10T14:00:00Z",
	    "Fri 10:00 EST -> Mon 10:00 EDT");
	release(&f);
}

Test(cal, cairo_23_hour_friday)
{
	struct fixture f;

	build(&f, "Africa/Cairo", "mon-fri", NULL, NULL, NULL, NULL);
	/* Thu 12:00-24:00 is 12 h; Friday starts at 01:00 EEST (the clock
	 * jumps at midnight), so 12 more hours end at 13:00 EEST. */
	expect_deadline(&f, "2025-04-24T12:00:00+02:00", DAY, "2025-04-25T13:00:00+03:00",
	    "Thu 12:00 EET -> Fri 13:00 EEST");
	cr_expect_eq(cal_elapsed(f.cal, iso("2025-04-25T00:00:00+02:00"),
	    iso("2025-04-26T00:00:00+03:00")), 23 * H, "Friday is 23 hours long");
	release(&f);
}

Test(cal, berlin_christmas_closure_and_holidays)
{
	static const char *const hol[] = { "2025-12-25", "2025-12-26", NULL };
	static const char *const clo[] = { "2025-12-24T12:00:00+01:00/2025-12-25T00:00:00+01:00", NULL };
	struct fixture f;

	build(&f, "Europe/Berlin", "mon-fri", NULL, hol, NULL, clo);
	/* Tue 18-24 (6 h) + Wed 00-12 (12 h) + Mon 00-06 (6 h) */
	expect_deadline(&f, "2025-12-23T18:00:00+01:00", DAY, "2025-12-29T06:00:00+01:00",
	    "closure 24 Dec afternoon, holidays 25/26");
	release(&f);
}

Test(cal, odd_offsets)
{
	static const struct { const char *zone, *created, *want; } rows[] = {
		{ "Asia/Kathmandu", "2025-06-06T20:00:00+05:45", "2025-06-09T20:00:00+05:45" },
		{ "Asia/Kolkata", "2025-06-06T20:00:00+05:30", "2025-06-09T20:00:00+05:30" },
		{ "Australia/Eucla", "2025-06-06T20:00:00+08:45", "2025-06-09T20:00:00+08:45" },
		/* Chatham in June is +12:45 (standard) */
		{ "Pacific/Chatham", "2025-06-06T20:00:00+12:45", "2025-06-09T20:00:00+12:45" },
		/* Chatham DST starts Sun 2025-09-28 02:45 -> 03:45: not a working day */
		{ "Pacific/Chatham", "2025-09-26T20:00:00+12:45", "2025-09-29T20:00:00+13:45" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fixture f;

		build(&f, rows[i].zone, "mon-fri", NULL, NULL, NULL, NULL);
		expect_deadline(&f, rows[i].created, DAY, rows[i].want, rows[i].zone);
		release(&f);
	}
}

Test(cal, auckland_ticket_on_kings_birthday)
{
	static const char *const hol[] = { "2025-06-02", NULL };
	struct fixture f;

	build(&f, "Pacific/Auckland", "mon-fri", NULL, hol, NULL, NULL);
	expect_deadline(&f, "2025-06-02T10:00:00+12:00", DAY, "2025-06-04T00:00:00+12:00",
	    "created on a holiday: the clock starts Tue 00:00");
	release(&f);
}

Test(cal, apia_skipped_day)
{
	struct fixture f;

	build(&f, "Pacific/Apia", "mon-fri", NULL, NULL, NULL, NULL);
	/* Thu 2011-12-29 12:00 -10:00; Friday 30 Dec did not exist, so the
	 * remaining 12 h come from Mon 2012-01-02 (+14:00). */
	expect_deadline(&f, "2011-12-29T12:00:00-10:00", DAY, "2012-01-02T12:00:00+14:00",
	    "Apia skipped 2011-12-30");
	cr_expect_eq(cal_elapsed(f.cal, iso("2011-12-30T10:00:00Z"),
	    iso("2011-12-30T10:00:00Z")), 0);
	release(&f);
}

Test(cal, lord_howe_half_hour_dst)
{
	struct fixture f;

	build(&f, "Australia/Lord_Howe", "mon-fri", NULL, NULL, NULL, NULL);
	/* DST starts Sun 2025-10-05 02:00 -> 02:30; Fri 12:00 +10:30 plus 12 h
	 * of Friday and 12 h of Monday (+11:00) */
	expect_deadline(&f, "2025-10-03T12:00:00+10:30", DAY, "2025-10-06T12:00:00+11:00",
	    "Lord Howe across its 30-minute DST change");
	release(&f);
}

Test(cal, whole_day_edges)
{
	static const char *const hol[] = { "2026-01-01", NULL };
	struct fixture f;

	build(&f, "Europe/Berlin", "mon-fri", NULL, hol, NULL, NULL);
	expect_deadline(&f, "2026-01-05T00:00:00+01:00", DAY, "2026-01-06T00:00:00+01:00",
	    "Mon 00:00 -> Tue 00:00");
	expect_deadline(&f, "2026-01-09T00:00:00+01:00", DAY, "2026-01-10T00:00:00+01:00",
	    "Fri 00:00 -> Sat 00:00, not Monday");
	expect_deadline(&f, "2026-01-09T12:00:00+01:00", DAY, "2026-01-12T12:00:00+01:00",
	    "12 h Fri + 12 h Mon");
	expect_deadline(&f, "2026-01-01T09:30:00+01:00", DAY, "2026-01-03T00:00:00+01:00",
	    "created on New Year's Day: Fri 2 Jan counts whole");
	expect_deadline(&f, "2026-01-10T15:00:00+01:00", DAY, "2026-01-13T00:00:00+01:00",
	    "created on Saturday: starts Mon 00:00");
	release(&f);
}

Test(cal, sunday_to_thursday_week)
{
	struct fixture f;

	build(&f, "Asia/Jerusalem", "sun-thu", NULL, NULL, NULL, NULL);
	expect_deadline(&f, "2026-01-08T12:00:00+02:00", DAY, "2026-01-11T12:00:00+02:00",
	    "Thu 12:00 -> Sun 12:00 (Fri/Sat weekend)");
	expect_deadline(&f, "2026-01-09T12:00:00+02:00", DAY, "2026-01-12T00:00:00+02:00",
	    "created Friday -> all of Sunday");
	release(&f);
}

Test(cal, business_hours)
{
	struct fixture f;

	build(&f, "America/New_York", "mon-fri", "09:00-17:00", NULL, NULL, NULL);
	expect_deadline(&f, "2026-01-05T09:00:00-05:00", DAY, "2026-01-07T17:00:00-05:00",
	    "24 h of 8-hour days is three business days");
	expect_deadline(&f, "2026-01-05T08:00:00-05:00", DAY, "2026-01-07T17:00:00-05:00",
	    "before hours starts at 09:00");
	expect_deadline(&f, "2026-01-08T13:00:00-05:00", DAY, "2026-01-13T13:00:00-05:00",
	    "Thu 13:00 -> Tue 13:00 over the weekend");
	release(&f);
	build(&f, "Europe/Berlin", "mon-fri", "09:00-12:00,13:00-17:00", NULL, NULL, NULL);
	expect_deadline(&f, "2026-01-05T11:00:00+01:00", 3 * H, "2026-01-05T15:00:00+01:00",
	    "lunch break is not counted");
	release(&f);
}

Test(cal, makeup_saturday)
{
	static const char *const mk[] = { "2025-01-26", NULL };	/* a Sunday in CN */
	static const char *const hol[] = { "2025-01-28", "2025-01-29", "2025-01-30",
		"2025-01-31", "2025-02-03", "2025-02-04", NULL };
	struct fixture f;

	build(&f, "Asia/Shanghai", "mon-fri", NULL, hol, mk, NULL);
	expect_deadline(&f, "2025-01-24T12:00:00+08:00", DAY, "2025-01-26T12:00:00+08:00",
	    "Fri 12:00 -> make-up Sun 12:00");
	expect_deadline(&f, "2025-01-27T12:00:00+08:00", DAY, "2025-02-05T12:00:00+08:00",
	    "Spring Festival: Mon 12:00 -> Wed 5 Feb 12:00");
	release(&f);
}

Test(cal, explain_lists_every_step)
{
	static const char *const hol[] = { "2025-12-25", "2025-12-26", NULL };
	static const char *const clo[] = { "2025-12-24T12:00:00+01:00/2025-12-25T00:00:00+01:00", NULL };
	static const enum cal_step_kind want[] = {
		CAL_STEP_COUNTED, CAL_STEP_COUNTED, CAL_STEP_CLOSURE, CAL_STEP_HOLIDAY,
		CAL_STEP_HOLIDAY, CAL_STEP_WEEKEND, CAL_STEP_WEEKEND, CAL_STEP_COUNTED,
	};
	struct fixture f;
	struct cal_step *st;
	size_t n;
	struct diag d;

	build(&f, "Europe/Berlin", "mon-fri", NULL, hol, NULL, clo);
	cr_assert_eq(cal_explain(f.cal, iso("2025-12-23T18:00:00+01:00"), DAY, &st, &n, &d), 0);
	cr_assert_eq(n, sizeof want / sizeof want[0], "got %zu steps", n);
	for (size_t i = 0; i < n; i++)
		cr_expect_eq(st[i].kind, want[i], "step %zu", i);
	cr_expect_eq(st[0].total_s, 6 * H);
	cr_expect_eq(st[1].total_s, 18 * H);
	cr_expect_eq(st[7].total_s, DAY);
	cr_expect_eq(st[7].end_at, iso("2025-12-29T06:00:00+01:00"));
	cr_expect_str_eq(st[3].name, "Holiday");
	cr_expect_eq(st[2].start_at, iso("2025-12-24T12:00:00+01:00"));
	free(st);
	release(&f);
}

Test(cal, parse_errors)
{
	unsigned m;
	struct cal_window w[CAL_MAX_WINDOWS];
	size_t n;
	struct diag d;
	static const char *const bad_days[] = { "", "funday", "mon,,", "m", "mon-", NULL };
	static const char *const bad_hours[] = { "", "9-17", "09:00-25:00", "17:00-09:00",
		"09:00-12:00,11:00-13:00", "09:00", "24:01-24:00", NULL };

	for (size_t i = 0; bad_days[i]; i++)
		cr_expect_eq(cal_parse_weekdays(bad_days[i], &m, &d), -1, "%s", bad_days[i]);
	for (size_t i = 0; bad_hours[i]; i++)
		cr_expect_eq(cal_parse_hours(bad_hours[i], w, &n, &d), -1, "%s", bad_hours[i]);
	cr_assert_eq(cal_parse_weekdays("sun-thu", &m, &d), 0);
	cr_expect_eq(m, 0x1fu);
	cr_assert_eq(cal_parse_weekdays("fri-mon", &m, &d), 0);
	cr_expect_eq(m, (1u << 5) | (1u << 6) | 1u | (1u << 1));
	cr_assert_eq(cal_parse_weekdays("Monday,wed,FRI", &m, &d), 0);
	cr_expect_eq(m, (1u << 1) | (1u << 3) | (1u << 5));
	cr_assert_eq(cal_parse_hours("13:00-17:00,09:00-12:00", w, &n, &d), 0);
	cr_expect_eq(n, 2);
	cr_expect_eq(w[0].start_s, 9 * 3600);
	cr_expect_eq(w[1].end_s, 17 * 3600);
}

/* Properties over many pseudo-random instants and zones. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 11;
}

Test(cal, properties)
{
	static const struct { const char *zone, *days, *hours; } sched[] = {
		{ "Europe/London", "mon-fri", NULL },
		{ "America/New_York", "mon-fri", "09:00-17:00" },
		{ "Asia/Jerusalem", "sun-thu", NULL },
		{ "Australia/Lord_Howe", "mon-fri", "08:30-12:00,13:00-17:30" },
		{ "Pacific/Apia", "mon-fri", NULL },
		{ "Europe/Dublin", "mon-sat", "02:00-03:00,22:00-24:00" },
	};
	static const char *const hol[] = { "2026-12-25", "2027-01-01", "2030-05-06", NULL };
	static const char *const clo[] = { "2026-12-24T12:00:00Z/2026-12-24T18:00:00Z", NULL };
	uint64_t seed = 42;
	int64_t lo = iso("2005-01-01T00:00:00Z"), hi = iso("2035-01-01T00:00:00Z");

	for (size_t z = 0; z < sizeof sched / sizeof sched[0]; z++) {
		struct fixture f;

		build(&f, sched[z].zone, sched[z].days, sched[z].hours, hol, NULL, clo);
		for (int i = 0; i < 3000; i++) {
			int64_t c = lo + (int64_t)(lcg(&seed) % (uint64_t)(hi - lo));
			int64_t t = 1 + (int64_t)(lcg(&seed) % (uint64_t)(72 * H));
			int64_t dl = deadline(&f, c, t), dl2, next;
			struct diag d;

			cr_assert_eq(cal_elapsed(f.cal, c, dl), t, "%s: elapsed(c, deadline) != target",
			    sched[z].zone);
			cr_assert(cal_is_working(f.cal, dl - 1), "%s: deadline follows working time",
			    sched[z].zone);
			cr_assert_eq(cal_next_working(f.cal, c, &next, &d), 0);
			cr_assert_eq(deadline(&f, next, t), dl, "%s: deadline(next working) differs",
			    sched[z].zone);
			dl2 = deadline(&f, c + 1 + (int64_t)(lcg(&seed) % 7200), t);
			cr_assert_geq(dl2, dl, "%s: deadline decreased", sched[z].zone);
			cr_assert_lt(cal_elapsed(f.cal, c, dl - 1), t, "%s: an earlier D would do",
			    sched[z].zone);
		}
		release(&f);
	}
}

Test(cal, range_errors)
{
	struct fixture f;
	int64_t out;
	struct diag d;

	build(&f, "UTC", "mon-fri", NULL, NULL, NULL, NULL);
	cr_expect_eq(cal_deadline(f.cal, iso("1969-06-01T00:00:00Z"), DAY, &out, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect_eq(cal_deadline(f.cal, iso("2101-06-01T00:00:00Z"), DAY, &out, &d), -1);
	cr_expect_eq(cal_deadline(f.cal, iso("1970-01-01T00:00:00Z"), DAY, &out, &d), 0);
	cr_expect_eq(out, iso("1970-01-02T00:00:00Z"));
	cr_expect_eq(cal_deadline(f.cal, iso("2100-12-30T00:00:00Z"), DAY, &out, &d), 0);
	release(&f);
}
