/* test_civil.c: calendar arithmetic and ISO 8601 parsing. */
#include <criterion/criterion.h>

#include "civil.h"

Test(civil, day_numbers_round_trip)
{
	static const struct { int64_t y; int m, d; int64_t day; int wd; } rows[] = {
		{ 1970, 1, 1, 0, CIVIL_THU },
		{ 1969, 12, 31, -1, CIVIL_WED },
		{ 2000, 2, 29, 11016, CIVIL_TUE },
		{ 2025, 8, 25, 20325, CIVIL_MON },
		{ 2100, 12, 31, 47846, CIVIL_FRI },
		{ 1600, 3, 1, -135080, CIVIL_WED },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t y;
		int m, d;

		cr_expect_eq(civil_days_from_ymd(rows[i].y, rows[i].m, rows[i].d), rows[i].day,
		    "row %zu", i);
		civil_ymd_from_days(rows[i].day, &y, &m, &d);
		cr_expect(y == rows[i].y && m == rows[i].m && d == rows[i].d, "row %zu", i);
		cr_expect_eq(civil_weekday(rows[i].day), rows[i].wd, "row %zu", i);
	}
	/* across the edge of the 32-bit path (0000-03-01, day -719468) and
	 * far beyond it on both sides */
	for (int64_t day = -730000; day < -700000; day++) {
		int64_t y;
		int m, d;

		civil_ymd_from_days(day, &y, &m, &d);
		cr_assert_eq(civil_days_from_ymd(y, m, d), day);
	}
	for (int64_t day = -800000000; day < 800000000; day += 9973) {
		int64_t y;
		int m, d;

		civil_ymd_from_days(day, &y, &m, &d);
		cr_assert_eq(civil_days_from_ymd(y, m, d), day, "day %lld", (long long)day);
		cr_assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	}
	for (int64_t day = -800000; day < 800000; day += 97) {
		int64_t y;
		int m, d;

		civil_ymd_from_days(day, &y, &m, &d);
		cr_assert_eq(civil_days_from_ymd(y, m, d), day);
	}
}

Test(civil, parse_instants)
{
	static const struct { const char *s; int64_t v; int local; } good[] = {
		{ "2026-12-24T15:00:00Z", 1798124400, 0 },
		{ "2026-12-24T16:00:00+01:00", 1798124400, 0 },
		{ "2026-12-24T16:00:00+0100", 1798124400, 0 },
		{ "2026-12-24T10:00:00-05:00", 1798124400, 0 },
		{ "2026-12-24 15:00Z", 1798124400, 0 },
		{ "2026-12-24T15:00:00.250Z", 1798124400, 0 },
		{ "  2026-12-24T15:00:00Z\r", 1798124400, 0 },
		{ "2026-12-24T15:00", 1798124400, 1 },
		{ "2026-12-24", 1798070400, 1 },
		{ "2026-12-24T24:00:00Z", 1798156800, 0 },
	};
	static const char *const bad[] = {
		"", "2026", "2026-13-01", "2026-02-29", "2026-12-24T25:00", "2026-12-24T10:60",
		"2026-12-24T10:00:00+19:00", "2026-12-24T10:00:00Zjunk", "24/12/2026",
		"2026-12-24T24:01", "2026-12-24X10:00",
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t v;
		enum civil_instant_kind k;

		cr_assert_eq(civil_parse_instant(good[i].s, &v, &k), 0, "%s", good[i].s);
		cr_expect_eq(v, good[i].v, "%s", good[i].s);
		cr_expect_eq(k == CIVIL_INSTANT_LOCAL, good[i].local, "%s", good[i].s);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v;
		enum civil_instant_kind k;

		cr_expect_eq(civil_parse_instant(bad[i], &v, &k), -1, "'%s' accepted", bad[i]);
	}
}

Test(civil, durations_and_clocks)
{
	static const struct { const char *s; int64_t v; } good[] = {
		{ "24h", 86400 }, { "90m", 5400 }, { "1h30m", 5400 }, { "86400", 86400 },
		{ "2d", 172800 }, { "45s", 45 }, { "1w", 604800 },
	};
	static const char *const bad[] = { "", "0", "-5", "h", "24x", "1.5h", "24h ", "0h" };
	int32_t c;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t v;

		cr_assert_eq(civil_parse_duration(good[i].s, &v), 0, "%s", good[i].s);
		cr_expect_eq(v, good[i].v, "%s", good[i].s);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v;

		cr_expect_eq(civil_parse_duration(bad[i], &v), -1, "'%s' accepted", bad[i]);
	}
	cr_expect_eq(civil_parse_clock("24:00", &c), 0);
	cr_expect_eq(c, 86400);
	cr_expect_eq(civil_parse_clock("09:30:15", &c), 0);
	cr_expect_eq(c, 9 * 3600 + 30 * 60 + 15);
	cr_expect_eq(civil_parse_clock("9:30", &c), -1);
	cr_expect_eq(civil_parse_clock("24:30", &c), -1);
}

Test(civil, formatting)
{
	char out[CIVIL_ISO_LEN];

	civil_format_utc(1798124400, out);
	cr_expect_str_eq(out, "2026-12-24T15:00:00Z");
	civil_format_utc(-1, out);
	cr_expect_str_eq(out, "1969-12-31T23:59:59Z");
	civil_format_local(1798124400, 0, out);
	cr_expect_str_eq(out, "2026-12-24 15:00");
	civil_format_day(20325, out);
	cr_expect_str_eq(out, "2025-08-25");
	civil_format_duration(86400, out);
	cr_expect_str_eq(out, "1d 00h 00m");
	civil_format_duration(5400, out);
	cr_expect_str_eq(out, "1h 30m");
	civil_format_duration(-90, out);
	cr_expect_str_eq(out, "-1m");
	civil_format_duration(0, out);
	cr_expect_str_eq(out, "0m");
}
