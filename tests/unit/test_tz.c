/* test_tz.c: the zoneinfo reader (src/tz.c).
 *
 * Expected values were captured with `zdump -v -c FROM,TO ZONE` against
 * tzdata 2025b and written into the tables; the tests read the system
 * zoneinfo (or $TZDIR) but never call the libc time zone functions.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "diag.h"
#include "tz.h"

static int64_t iso(const char *s, enum civil_instant_kind want)
{
	int64_t v = 0;
	enum civil_instant_kind kind;

	cr_assert_eq(civil_parse_instant(s, &v, &kind), 0, "bad fixture %s", s);
	cr_assert_eq(kind, want, "fixture %s: wrong kind", s);
	return v;
}

/* "YYYY-MM-DDTHH:MM:SSZ" -> instant */
static int64_t utc(const char *s)
{
	return iso(s, CIVIL_INSTANT_UTC);
}

/* "YYYY-MM-DDTHH:MM[:SS]" -> local seconds */
static int64_t loc(const char *s)
{
	return iso(s, CIVIL_INSTANT_LOCAL);
}

static struct tz *load(const char *name)
{
	struct diag d;
	struct tz *z;

	diag_clear(&d);
	z = tz_load(name, &d);
	cr_assert_not_null(z, "tz_load(%s): %s", name, d.msg);
	cr_assert_eq(d.code, DIAG_OK);
	return z;
}

/* ---- offsets and abbreviations ------------------------------------------ */

struct offset_case {
	const char *zone, *at;
	int32_t off;
	const char *abbr;
};

static const struct offset_case offset_cases[] = {
	{ "UTC", "2025-06-01T12:00:00Z", 0, "UTC" },
	{ "Europe/Berlin", "1893-03-31T23:06:31Z", 3208, "LMT" },
	{ "Europe/Berlin", "1893-03-31T23:06:32Z", 3600, "CET" },
	{ "Europe/Berlin", "2025-01-15T12:00:00Z", 3600, "CET" },
	{ "Europe/Berlin", "2025-07-15T12:00:00Z", 7200, "CEST" },
	{ "Europe/Berlin", "2025-03-30T00:59:59Z", 3600, "CET" },
	{ "Europe/Berlin", "2025-03-30T01:00:00Z", 7200, "CEST" },
	{ "Europe/Berlin", "2025-10-26T00:59:59Z", 7200, "CEST" },
	{ "Europe/Berlin", "2025-10-26T01:00:00Z", 3600, "CET" },
	{ "Europe/Berlin", "2150-03-29T00:59:59Z", 3600, "CET" },
	{ "Europe/Berlin", "2150-03-29T01:00:00Z", 7200, "CEST" },
	{ "Europe/Berlin", "2150-10-25T01:00:00Z", 3600, "CET" },
	{ "America/New_York", "2025-03-09T06:59:59Z", -18000, "EST" },
	{ "America/New_York", "2025-03-09T07:00:00Z", -14400, "EDT" },
	{ "America/New_York", "2025-11-02T05:59:59Z", -14400, "EDT" },
	{ "America/New_York", "2025-11-02T06:00:00Z", -18000, "EST" },
	{ "Pacific/Apia", "2011-12-30T09:59:59Z", -36000, "-10" },
	{ "Pacific/Apia", "2011-12-30T10:00:00Z", 50400, "+14" },
	{ "Pacific/Apia", "2030-01-01T00:00:00Z", 46800, "+13" },
	{ "Asia/Kathmandu", "2025-06-01T00:00:00Z", 20700, "+0545" },
	{ "Asia/Kathmandu", "2090-12-01T00:00:00Z", 20700, "+0545" },
	{ "Australia/Lord_Howe", "2026-01-15T00:00:00Z", 39600, "+11" },
	{ "Australia/Lord_Howe", "2026-07-15T00:00:00Z", 37800, "+1030" },
	{ "Australia/Lord_Howe", "2026-04-04T14:59:59Z", 39600, "+11" },
	{ "Australia/Lord_Howe", "2026-04-04T15:00:00Z", 37800, "+1030" },
	{ "Australia/Lord_Howe", "2026-10-03T15:29:59Z", 37800, "+1030" },
	{ "Australia/Lord_Howe", "2026-10-03T15:30:00Z", 39600, "+11" },
	{ "Australia/Lord_Howe", "2099-04-04T15:00:00Z", 37800, "+1030" },
	{ "Australia/Lord_Howe", "2099-10-03T15:30:00Z", 39600, "+11" },
	{ "Europe/Dublin", "2026-01-15T12:00:00Z", 0, "GMT" },
	{ "Europe/Dublin", "2026-07-15T12:00:00Z", 3600, "IST" },
	{ "Europe/Dublin", "2026-03-29T00:59:59Z", 0, "GMT" },
	{ "Europe/Dublin", "2026-03-29T01:00:00Z", 3600, "IST" },
	{ "Europe/Dublin", "2026-10-25T00:59:59Z", 3600, "IST" },
	{ "Europe/Dublin", "2026-10-25T01:00:00Z", 0, "GMT" },
	{ "Europe/Dublin", "2035-01-15T12:00:00Z", 0, "GMT" },
	{ "Europe/Dublin", "2035-07-15T12:00:00Z", 3600, "IST" },
	{ "Europe/Dublin", "2035-03-25T00:59:59Z", 0, "GMT" },
	{ "Europe/Dublin", "2035-03-25T01:00:00Z", 3600, "IST" },
	{ "Europe/Dublin", "2035-10-28T01:00:00Z", 0, "GMT" },
	{ "Europe/Dublin", "2099-03-29T01:00:00Z", 3600, "IST" },
	{ "Europe/Dublin", "2099-10-25T00:59:59Z", 3600, "IST" },
	{ "Europe/Dublin", "2099-10-25T01:00:00Z", 0, "GMT" },
	{ "Europe/Dublin", "2099-12-25T12:00:00Z", 0, "GMT" },
	{ "America/Sao_Paulo", "2030-01-15T12:00:00Z", -10800, "-03" },
	{ "America/Sao_Paulo", "2030-07-15T12:00:00Z", -10800, "-03" },
	{ "Pacific/Chatham", "2026-01-15T00:00:00Z", 49500, "+1345" },
	{ "Pacific/Chatham", "2026-07-15T00:00:00Z", 45900, "+1245" },
	{ "Pacific/Chatham", "2026-04-04T13:59:59Z", 49500, "+1345" },
	{ "Pacific/Chatham", "2026-04-04T14:00:00Z", 45900, "+1245" },
	{ "Pacific/Chatham", "2026-09-26T14:00:00Z", 49500, "+1345" },
};

Test(tz, offsets)
{
	size_t i;

	for (i = 0; i < sizeof offset_cases / sizeof offset_cases[0]; i++) {
		const struct offset_case *c = &offset_cases[i];
		struct tz *z = load(c->zone);
		int64_t at = utc(c->at);

		cr_expect_eq(tz_offset_at(z, at), c->off, "%s at %s: offset %d, want %d",
		    c->zone, c->at, tz_offset_at(z, at), c->off);
		cr_expect_str_eq(tz_abbrev_at(z, at), c->abbr, "%s at %s: abbrev",
		    c->zone, c->at);
		cr_expect_eq(tz_utc_to_local(z, at), at + c->off, "%s at %s: local",
		    c->zone, c->at);
		tz_free(z);
	}
}

/* zdump -v -c Y,Y+1 ZONE for Y in 1975 1996 2024 2040 2100 (tzdata 2025b):
 * the last second before and the first second after each transition. */
static const struct offset_case zdump_cases[] = {
	{ "Europe/London", "1975-03-16T01:59:59Z", 0, "GMT" },
	{ "Europe/London", "1975-03-16T02:00:00Z", 3600, "BST" },
	{ "Europe/London", "1975-10-26T01:59:59Z", 3600, "BST" },
	{ "Europe/London", "1975-10-26T02:00:00Z", 0, "GMT" },
	{ "Europe/London", "1996-03-31T00:59:59Z", 0, "GMT" },
	{ "Europe/London", "1996-03-31T01:00:00Z", 3600, "BST" },
	{ "Europe/London", "1996-10-27T00:59:59Z", 3600, "BST" },
	{ "Europe/London", "1996-10-27T01:00:00Z", 0, "GMT" },
	{ "Europe/London", "2024-03-31T00:59:59Z", 0, "GMT" },
	{ "Europe/London", "2024-03-31T01:00:00Z", 3600, "BST" },
	{ "Europe/London", "2024-10-27T00:59:59Z", 3600, "BST" },
	{ "Europe/London", "2024-10-27T01:00:00Z", 0, "GMT" },
	{ "Europe/London", "2040-03-25T00:59:59Z", 0, "GMT" },
	{ "Europe/London", "2040-03-25T01:00:00Z", 3600, "BST" },
	{ "Europe/London", "2040-10-28T00:59:59Z", 3600, "BST" },
	{ "Europe/London", "2040-10-28T01:00:00Z", 0, "GMT" },
	{ "Europe/London", "2100-03-28T00:59:59Z", 0, "GMT" },
	{ "Europe/London", "2100-03-28T01:00:00Z", 3600, "BST" },
	{ "Europe/London", "2100-10-31T00:59:59Z", 3600, "BST" },
	{ "Europe/London", "2100-10-31T01:00:00Z", 0, "GMT" },
	{ "America/Los_Angeles", "1975-02-23T09:59:59Z", -28800, "PST" },
	{ "America/Los_Angeles", "1975-02-23T10:00:00Z", -25200, "PDT" },
	{ "America/Los_Angeles", "1975-10-26T08:59:59Z", -25200, "PDT" },
	{ "America/Los_Angeles", "1975-10-26T09:00:00Z", -28800, "PST" },
	{ "America/Los_Angeles", "1996-04-07T09:59:59Z", -28800, "PST" },
	{ "America/Los_Angeles", "1996-04-07T10:00:00Z", -25200, "PDT" },
	{ "America/Los_Angeles", "1996-10-27T08:59:59Z", -25200, "PDT" },
	{ "America/Los_Angeles", "1996-10-27T09:00:00Z", -28800, "PST" },
	{ "America/Los_Angeles", "2024-03-10T09:59:59Z", -28800, "PST" },
	{ "America/Los_Angeles", "2024-03-10T10:00:00Z", -25200, "PDT" },
	{ "America/Los_Angeles", "2024-11-03T08:59:59Z", -25200, "PDT" },
	{ "America/Los_Angeles", "2024-11-03T09:00:00Z", -28800, "PST" },
	{ "America/Los_Angeles", "2040-03-11T09:59:59Z", -28800, "PST" },
	{ "America/Los_Angeles", "2040-03-11T10:00:00Z", -25200, "PDT" },
	{ "America/Los_Angeles", "2040-11-04T08:59:59Z", -25200, "PDT" },
	{ "America/Los_Angeles", "2040-11-04T09:00:00Z", -28800, "PST" },
	{ "America/Los_Angeles", "2100-03-14T09:59:59Z", -28800, "PST" },
	{ "America/Los_Angeles", "2100-03-14T10:00:00Z", -25200, "PDT" },
	{ "America/Los_Angeles", "2100-11-07T08:59:59Z", -25200, "PDT" },
	{ "America/Los_Angeles", "2100-11-07T09:00:00Z", -28800, "PST" },
	{ "Australia/Sydney", "1975-03-01T15:59:59Z", 39600, "AEDT" },
	{ "Australia/Sydney", "1975-03-01T16:00:00Z", 36000, "AEST" },
	{ "Australia/Sydney", "1975-10-25T15:59:59Z", 36000, "AEST" },
	{ "Australia/Sydney", "1975-10-25T16:00:00Z", 39600, "AEDT" },
	{ "Australia/Sydney", "1996-03-30T15:59:59Z", 39600, "AEDT" },
	{ "Australia/Sydney", "1996-03-30T16:00:00Z", 36000, "AEST" },
	{ "Australia/Sydney", "1996-10-26T15:59:59Z", 36000, "AEST" },
	{ "Australia/Sydney", "1996-10-26T16:00:00Z", 39600, "AEDT" },
	{ "Australia/Sydney", "2024-04-06T15:59:59Z", 39600, "AEDT" },
	{ "Australia/Sydney", "2024-04-06T16:00:00Z", 36000, "AEST" },
	{ "Australia/Sydney", "2024-10-05T15:59:59Z", 36000, "AEST" },
	{ "Australia/Sydney", "2024-10-05T16:00:00Z", 39600, "AEDT" },
	{ "Australia/Sydney", "2040-03-31T15:59:59Z", 39600, "AEDT" },
	{ "Australia/Sydney", "2040-03-31T16:00:00Z", 36000, "AEST" },
	{ "Australia/Sydney", "2040-10-06T15:59:59Z", 36000, "AEST" },
	{ "Australia/Sydney", "2040-10-06T16:00:00Z", 39600, "AEDT" },
	{ "Australia/Sydney", "2100-04-03T15:59:59Z", 39600, "AEDT" },
	{ "Australia/Sydney", "2100-04-03T16:00:00Z", 36000, "AEST" },
	{ "Australia/Sydney", "2100-10-02T15:59:59Z", 36000, "AEST" },
	{ "Australia/Sydney", "2100-10-02T16:00:00Z", 39600, "AEDT" },
	{ "Pacific/Auckland", "1975-02-22T13:59:59Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "1975-02-22T14:00:00Z", 43200, "NZST" },
	{ "Pacific/Auckland", "1975-10-25T13:59:59Z", 43200, "NZST" },
	{ "Pacific/Auckland", "1975-10-25T14:00:00Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "1996-03-16T13:59:59Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "1996-03-16T14:00:00Z", 43200, "NZST" },
	{ "Pacific/Auckland", "1996-10-05T13:59:59Z", 43200, "NZST" },
	{ "Pacific/Auckland", "1996-10-05T14:00:00Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "2024-04-06T13:59:59Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "2024-04-06T14:00:00Z", 43200, "NZST" },
	{ "Pacific/Auckland", "2024-09-28T13:59:59Z", 43200, "NZST" },
	{ "Pacific/Auckland", "2024-09-28T14:00:00Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "2040-03-31T13:59:59Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "2040-03-31T14:00:00Z", 43200, "NZST" },
	{ "Pacific/Auckland", "2040-09-29T13:59:59Z", 43200, "NZST" },
	{ "Pacific/Auckland", "2040-09-29T14:00:00Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "2100-04-03T13:59:59Z", 46800, "NZDT" },
	{ "Pacific/Auckland", "2100-04-03T14:00:00Z", 43200, "NZST" },
	{ "Pacific/Auckland", "2100-09-25T13:59:59Z", 43200, "NZST" },
	{ "Pacific/Auckland", "2100-09-25T14:00:00Z", 46800, "NZDT" },
	{ "America/St_Johns", "1975-04-27T05:29:59Z", -12600, "NST" },
	{ "America/St_Johns", "1975-04-27T05:30:00Z", -9000, "NDT" },
	{ "America/St_Johns", "1975-10-26T04:29:59Z", -9000, "NDT" },
	{ "America/St_Johns", "1975-10-26T04:30:00Z", -12600, "NST" },
	{ "America/St_Johns", "1996-04-07T03:30:59Z", -12600, "NST" },
	{ "America/St_Johns", "1996-04-07T03:31:00Z", -9000, "NDT" },
	{ "America/St_Johns", "1996-10-27T02:30:59Z", -9000, "NDT" },
	{ "America/St_Johns", "1996-10-27T02:31:00Z", -12600, "NST" },
	{ "America/St_Johns", "2024-03-10T05:29:59Z", -12600, "NST" },
	{ "America/St_Johns", "2024-03-10T05:30:00Z", -9000, "NDT" },
	{ "America/St_Johns", "2024-11-03T04:29:59Z", -9000, "NDT" },
	{ "America/St_Johns", "2024-11-03T04:30:00Z", -12600, "NST" },
	{ "America/St_Johns", "2040-03-11T05:29:59Z", -12600, "NST" },
	{ "America/St_Johns", "2040-03-11T05:30:00Z", -9000, "NDT" },
	{ "America/St_Johns", "2040-11-04T04:29:59Z", -9000, "NDT" },
	{ "America/St_Johns", "2040-11-04T04:30:00Z", -12600, "NST" },
	{ "America/St_Johns", "2100-03-14T05:29:59Z", -12600, "NST" },
	{ "America/St_Johns", "2100-03-14T05:30:00Z", -9000, "NDT" },
	{ "America/St_Johns", "2100-11-07T04:29:59Z", -9000, "NDT" },
	{ "America/St_Johns", "2100-11-07T04:30:00Z", -12600, "NST" },
	{ "Asia/Tehran", "1996-03-20T20:29:59Z", 12600, "+0330" },
	{ "Asia/Tehran", "1996-03-20T20:30:00Z", 16200, "+0430" },
	{ "Asia/Tehran", "1996-09-20T19:29:59Z", 16200, "+0430" },
	{ "Asia/Tehran", "1996-09-20T19:30:00Z", 12600, "+0330" },
	{ "Europe/Moscow", "1996-03-30T22:59:59Z", 10800, "MSK" },
	{ "Europe/Moscow", "1996-03-30T23:00:00Z", 14400, "MSD" },
	{ "Europe/Moscow", "1996-10-26T22:59:59Z", 14400, "MSD" },
	{ "Europe/Moscow", "1996-10-26T23:00:00Z", 10800, "MSK" },
	{ "Antarctica/Troll", "2024-03-31T00:59:59Z", 0, "+00" },
	{ "Antarctica/Troll", "2024-03-31T01:00:00Z", 7200, "+02" },
	{ "Antarctica/Troll", "2024-10-27T00:59:59Z", 7200, "+02" },
	{ "Antarctica/Troll", "2024-10-27T01:00:00Z", 0, "+00" },
	{ "Antarctica/Troll", "2040-03-25T00:59:59Z", 0, "+00" },
	{ "Antarctica/Troll", "2040-03-25T01:00:00Z", 7200, "+02" },
	{ "Antarctica/Troll", "2040-10-28T00:59:59Z", 7200, "+02" },
	{ "Antarctica/Troll", "2040-10-28T01:00:00Z", 0, "+00" },
	{ "Antarctica/Troll", "2100-03-28T00:59:59Z", 0, "+00" },
	{ "Antarctica/Troll", "2100-03-28T01:00:00Z", 7200, "+02" },
	{ "Antarctica/Troll", "2100-10-31T00:59:59Z", 7200, "+02" },
	{ "Antarctica/Troll", "2100-10-31T01:00:00Z", 0, "+00" },
	{ "America/Havana", "1975-04-27T04:59:59Z", -18000, "CST" },
	{ "America/Havana", "1975-04-27T05:00:00Z", -14400, "CDT" },
	{ "America/Havana", "1975-10-26T03:59:59Z", -14400, "CDT" },
	{ "America/Havana", "1975-10-26T04:00:00Z", -18000, "CST" },
	{ "America/Havana", "1996-04-07T04:59:59Z", -18000, "CST" },
	{ "America/Havana", "1996-04-07T05:00:00Z", -14400, "CDT" },
	{ "America/Havana", "1996-10-06T04:59:59Z", -14400, "CDT" },
	{ "America/Havana", "1996-10-06T05:00:00Z", -18000, "CST" },
	{ "America/Havana", "2024-03-10T04:59:59Z", -18000, "CST" },
	{ "America/Havana", "2024-03-10T05:00:00Z", -14400, "CDT" },
	{ "America/Havana", "2024-11-03T04:59:59Z", -14400, "CDT" },
	{ "America/Havana", "2024-11-03T05:00:00Z", -18000, "CST" },
	{ "America/Havana", "2040-03-11T04:59:59Z", -18000, "CST" },
	{ "America/Havana", "2040-03-11T05:00:00Z", -14400, "CDT" },
	{ "America/Havana", "2040-11-04T04:59:59Z", -14400, "CDT" },
	{ "America/Havana", "2040-11-04T05:00:00Z", -18000, "CST" },
	{ "America/Havana", "2100-03-14T04:59:59Z", -18000, "CST" },
	{ "America/Havana", "2100-03-14T05:00:00Z", -14400, "CDT" },
	{ "America/Havana", "2100-11-07T04:59:59Z", -14400, "CDT" },
	{ "America/Havana", "2100-11-07T05:00:00Z", -18000, "CST" },
};

Test(tz, zdump_sample)
{
	struct tz *z = NULL;
	const char *zone = "";
	size_t i;

	for (i = 0; i < sizeof zdump_cases / sizeof zdump_cases[0]; i++) {
		const struct offset_case *c = &zdump_cases[i];
		int64_t at = utc(c->at);

		if (strcmp(zone, c->zone) != 0) {
			tz_free(z);
			z = load(c->zone);
			zone = c->zone;
		}
		cr_expect_eq(tz_offset_at(z, at), c->off, "%s at %s: offset %d, want %d",
		    c->zone, c->at, tz_offset_at(z, at), c->off);
		cr_expect_str_eq(tz_abbrev_at(z, at), c->abbr, "%s at %s: abbrev",
		    c->zone, c->at);
	}
	tz_free(z);
}

/* ---- local -> UTC ----------------------------------------------------- */

struct local_case {
	const char *zone, *local, *want;
};

static const struct local_case local_cases[] = {
	{ "UTC", "2025-06-01T12:00", "2025-06-01T12:00:00Z" },
	{ "Europe/Berlin", "2025-07-01T12:00", "2025-07-01T10:00:00Z" },
	{ "Europe/Berlin", "2025-01-01T00:00", "2024-12-31T23:00:00Z" },
	/* gap: 02:00..02:59 does not exist, the clock jumps at 01:00Z */
	{ "Europe/Berlin", "2025-03-30T01:59:59", "2025-03-30T00:59:59Z" },
	{ "Europe/Berlin", "2025-03-30T02:00", "2025-03-30T01:00:00Z" },
	{ "Europe/Berlin", "2025-03-30T02:30", "2025-03-30T01:00:00Z" },
	{ "Europe/Berlin", "2025-03-30T03:00", "2025-03-30T01:00:00Z" },
	{ "Europe/Berlin", "2025-03-30T03:00:01", "2025-03-30T01:00:01Z" },
	/* fold: 02:00..02:59 happens twice, the first occurrence wins */
	{ "Europe/Berlin", "2025-10-26T01:59:59", "2025-10-25T23:59:59Z" },
	{ "Europe/Berlin", "2025-10-26T02:00", "2025-10-26T00:00:00Z" },
	{ "Europe/Berlin", "2025-10-26T02:30", "2025-10-26T00:30:00Z" },
	{ "Europe/Berlin", "2025-10-26T02:59:59", "2025-10-26T00:59:59Z" },
	{ "Europe/Berlin", "2025-10-26T03:00", "2025-10-26T02:00:00Z" },
	{ "Europe/Berlin", "2150-03-29T02:30", "2150-03-29T01:00:00Z" },
	{ "America/New_York", "2025-03-09T02:30", "2025-03-09T07:00:00Z" },
	{ "America/New_York", "2025-11-02T01:30", "2025-11-02T05:30:00Z" },
	{ "America/New_York", "2025-11-02T02:00", "2025-11-02T07:00:00Z" },
	/* Apia skipped 2011-12-30 entirely */
	{ "Pacific/Apia", "2011-12-29T23:00", "2011-12-30T09:00:00Z" },
	{ "Pacific/Apia", "2011-12-30T00:00", "2011-12-30T10:00:00Z" },
	{ "Pacific/Apia", "2011-12-30T12:00", "2011-12-30T10:00:00Z" },
	{ "Pacific/Apia", "2011-12-31T00:00", "2011-12-30T10:00:00Z" },
	{ "Pacific/Apia", "2011-12-31T01:00", "2011-12-30T11:00:00Z" },
	{ "Asia/Kathmandu", "2025-01-01T05:45", "2025-01-01T00:00:00Z" },
	{ "Australia/Lord_Howe", "2026-10-04T02:15", "2026-10-03T15:30:00Z" },
	{ "Australia/Lord_Howe", "2026-04-05T01:45", "2026-04-04T14:45:00Z" },
	{ "Australia/Lord_Howe", "2026-07-01T00:00", "2026-06-30T13:30:00Z" },
	{ "Pacific/Chatham", "2026-09-27T03:00", "2026-09-26T14:00:00Z" },
	{ "Pacific/Chatham", "2026-04-05T03:00", "2026-04-04T13:15:00Z" },
	{ "Europe/Dublin", "2035-03-25T01:30", "2035-03-25T01:00:00Z" },
	{ "Europe/Dublin", "2035-10-28T01:30", "2035-10-28T00:30:00Z" },
	{ "Europe/Dublin", "2099-07-01T12:00", "2099-07-01T11:00:00Z" },
	{ "America/Sao_Paulo", "2030-02-01T00:00", "2030-02-01T03:00:00Z" },
};

Test(tz, local_to_utc)
{
	size_t i;

	for (i = 0; i < sizeof local_cases / sizeof local_cases[0]; i++) {
		const struct local_case *c = &local_cases[i];
		struct tz *z = load(c->zone);
		int64_t got = tz_local_to_utc(z, loc(c->local));
		char buf[CIVIL_ISO_LEN];

		civil_format_utc(got, buf);
		cr_expect_eq(got, utc(c->want), "%s local %s: got %s, want %s",
		    c->zone, c->local, buf, c->want);
		tz_free(z);
	}
}

/* ---- transitions ---------------------------------------------------------- */

struct next_case {
	const char *zone, *from, *want;	/* want NULL: none (INT64_MAX) */
};

static const struct next_case next_cases[] = {
	{ "UTC", "2025-01-01T00:00:00Z", NULL },
	{ "Asia/Kathmandu", "2000-01-01T00:00:00Z", NULL },
	{ "America/Sao_Paulo", "2025-01-01T00:00:00Z", NULL },
	{ "Europe/Berlin", "2025-01-01T00:00:00Z", "2025-03-30T01:00:00Z" },
	{ "Europe/Berlin", "2025-03-30T00:59:59Z", "2025-03-30T01:00:00Z" },
	{ "Europe/Berlin", "2025-03-30T01:00:00Z", "2025-10-26T01:00:00Z" },
	{ "Europe/Berlin", "2099-11-01T00:00:00Z", "2100-03-28T01:00:00Z" },
	{ "Europe/Berlin", "2201-01-01T00:00:00Z", NULL },
	{ "Australia/Lord_Howe", "2026-01-01T00:00:00Z", "2026-04-04T15:00:00Z" },
	{ "Pacific/Apia", "2011-12-01T00:00:00Z", "2011-12-30T10:00:00Z" },
	{ "Europe/Dublin", "2035-01-01T00:00:00Z", "2035-03-25T01:00:00Z" },
};

Test(tz, next_transition)
{
	size_t i;

	for (i = 0; i < sizeof next_cases / sizeof next_cases[0]; i++) {
		const struct next_case *c = &next_cases[i];
		struct tz *z = load(c->zone);
		int64_t want = c->want ? utc(c->want) : INT64_MAX;

		cr_expect_eq(tz_next_transition(z, utc(c->from)), want,
		    "%s after %s", c->zone, c->from);
		tz_free(z);
	}
}

Test(tz, transitions_change_offset)
{
	static const char *const zones[] = {
		"Europe/Berlin", "Europe/Dublin", "Australia/Lord_Howe",
		"America/New_York", "Pacific/Chatham",
	};
	size_t i;
	int64_t t, end = utc("2201-01-01T00:00:00Z");
	int n;

	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		struct tz *z = load(zones[i]);

		n = 0;
		for (t = utc("1970-01-01T00:00:00Z"); (t = tz_next_transition(z, t)) < end; n++) {
			cr_assert_neq(tz_offset_at(z, t - 1), tz_offset_at(z, t),
			    "%s: no change at %lld", zones[i], (long long)t);
			cr_assert_lt(n, 1000);
		}
		/* two a year through 2200 for these zones */
		cr_expect_gt(n, 2 * (2200 - 2040), "%s: %d transitions", zones[i], n);
		tz_free(z);
	}
}

/* ---- names, formatting, errors -------------------------------------------- */

Test(tz, name_and_format)
{
	static const struct {
		int32_t off;
		const char *want;
	} fmt[] = {
		{ 0, "+00:00" }, { 3600, "+01:00" }, { 20700, "+05:45" },
		{ -12600, "-03:30" }, { 45900, "+12:45" }, { 50400, "+14:00" },
		{ -36000, "-10:00" }, { 3208, "+00:53" }, { -3208, "-00:53" },
	};
	struct tz *z = load("Asia/Kathmandu");
	char out[8];
	size_t i;

	cr_expect_str_eq(tz_name(z), "Asia/Kathmandu");
	tz_format_offset(tz_offset_at(z, utc("2025-06-01T00:00:00Z")), out);
	cr_expect_str_eq(out, "+05:45");
	tz_free(z);
	tz_free(NULL);
	for (i = 0; i < sizeof fmt / sizeof fmt[0]; i++) {
		tz_format_offset(fmt[i].off, out);
		cr_expect_str_eq(out, fmt[i].want, "offset %d", fmt[i].off);
	}
}

Test(tz, bad_names)
{
	static const char *const names[] = {
		"Mars/Base", "../etc/passwd", "/etc/localtime", "",
		"Europe/../Europe/Berlin", "Europe/Berlin ", "Europe/Berlin\n",
		"Europe", "Europe/", "europe/berlin;rm", "Europe\\Berlin",
	};
	struct diag d;
	char want[DIAG_MSG_LEN];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		diag_clear(&d);
		cr_expect_null(tz_load(names[i], &d), "'%s' loaded", names[i]);
		cr_expect_eq(d.code, DIAG_INPUT, "'%s': code %d", names[i], d.code);
		snprintf(want, sizeof want, "unknown timezone '%s'", names[i]);
		cr_expect_str_eq(d.msg, want);
	}
}

Test(tz, tzdir)
{
	struct diag d;
	struct tz *z;

	/* criterion runs each test in its own process */
	cr_assert_eq(setenv("TZDIR", "/nonexistent-zoneinfo", 1), 0);
	diag_clear(&d);
	cr_expect_null(tz_load("Europe/Berlin", &d));
	cr_expect_eq(d.code, DIAG_INPUT);
	z = tz_load("UTC", &d);		/* built in when there is no zoneinfo */
	cr_assert_not_null(z);
	cr_expect_eq(tz_offset_at(z, 0), 0);
	cr_expect_str_eq(tz_abbrev_at(z, 0), "UTC");
	cr_expect_eq(tz_local_to_utc(z, 1234), 1234);
	cr_expect_eq(tz_next_transition(z, 0), INT64_MAX);
	tz_free(z);
}

/* ---- synthetic TZif ------------------------------------------------------- */

struct tzif {
	int version;			/* 1, 2, 3 or 4 */
	int ntimes, ntypes, nchars;
	const int64_t *times;
	const unsigned char *idx;
	const int32_t *offs;
	const unsigned char *abbr;	/* desigidx per type */
	const char *chars;
	const char *footer;		/* NULL: none */
};

static size_t put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return 4;
}

static size_t put_block(unsigned char *p, const struct tzif *f, int v2)
{
	size_t n = 0;
	int i;

	memcpy(p, "TZif", 4);
	p[4] = f->version == 1 ? 0 : (unsigned char)('0' + f->version);
	memset(p + 5, 0, 15);
	n = 20;
	n += put32(p + n, 0);
	n += put32(p + n, 0);
	n += put32(p + n, 0);
	n += put32(p + n, (uint32_t)f->ntimes);
	n += put32(p + n, (uint32_t)f->ntypes);
	n += put32(p + n, (uint32_t)f->nchars);
	for (i = 0; i < f->ntimes; i++) {
		if (v2) {
			n += put32(p + n, (uint32_t)((uint64_t)f->times[i] >> 32));
			n += put32(p + n, (uint32_t)f->times[i]);
		} else {
			n += put32(p + n, (uint32_t)(int32_t)f->times[i]);
		}
	}
	for (i = 0; i < f->ntimes; i++)
		p[n++] = f->idx[i];
	for (i = 0; i < f->ntypes; i++) {
		n += put32(p + n, (uint32_t)f->offs[i]);
		p[n++] = 0;
		p[n++] = f->abbr[i];
	}
	memcpy(p + n, f->chars, (size_t)f->nchars);
	n += (size_t)f->nchars;
	return n;
}

static size_t build_tzif(unsigned char *buf, size_t cap, const struct tzif *f)
{
	size_t n;

	cr_assert_lt(f->ntimes * 13 + 400, (int)cap / 2);
	n = put_block(buf, f, 0);
	if (f->version >= 2) {
		n += put_block(buf + n, f, 1);
		if (f->footer != NULL) {
			cr_assert_lt(n + strlen(f->footer) + 2, cap);
			buf[n++] = '\n';
			memcpy(buf + n, f->footer, strlen(f->footer));
			n += strlen(f->footer);
			buf[n++] = '\n';
		}
	}
	return n;
}

/* A zone with no transitions and one type: only the footer speaks. */
static struct tz *footer_zone(const char *footer, struct diag *d)
{
	static const int32_t offs[] = { 0 };
	static const unsigned char abbr[] = { 0 };
	struct tzif f = { 2, 0, 1, 4, NULL, NULL, offs, abbr, "LMT", footer };
	unsigned char buf[1024];
	size_t n = build_tzif(buf, sizeof buf, &f);

	diag_clear(d);
	return tz_from_tzif("Test/Footer", buf, n, d);
}

struct footer_case {
	const char *footer, *at;
	int32_t off;
	const char *abbr;
};

static const struct footer_case footer_cases[] = {
	{ "UTC0", "2025-01-01T00:00:00Z", 0, "UTC" },
	{ "<+0545>-5:45", "2025-01-01T00:00:00Z", 20700, "+0545" },
	{ "<-03>3", "2030-07-01T00:00:00Z", -10800, "-03" },
	{ "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2026-01-15T00:00:00Z", 39600, "+11" },
	{ "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2026-07-15T00:00:00Z", 37800, "+1030" },
	{ "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2026-04-04T14:59:59Z", 39600, "+11" },
	{ "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2026-04-04T15:00:00Z", 37800, "+1030" },
	{ "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2026-10-03T15:30:00Z", 39600, "+11" },
	/* negative DST: IST is standard time, GMT the "daylight" time */
	{ "IST-1GMT0,M10.5.0,M3.5.0/1", "2026-01-15T00:00:00Z", 0, "GMT" },
	{ "IST-1GMT0,M10.5.0,M3.5.0/1", "2026-07-15T00:00:00Z", 3600, "IST" },
	{ "IST-1GMT0,M10.5.0,M3.5.0/1", "2026-03-29T00:59:59Z", 0, "GMT" },
	{ "IST-1GMT0,M10.5.0,M3.5.0/1", "2026-03-29T01:00:00Z", 3600, "IST" },
	{ "IST-1GMT0,M10.5.0,M3.5.0/1", "2026-10-25T01:00:00Z", 0, "GMT" },
	{ "CET-1CEST,M3.5.0,M10.5.0/3", "2025-03-30T01:00:00Z", 7200, "CEST" },
	{ "CET-1CEST,M3.5.0,M10.5.0/3", "2025-10-26T00:59:59Z", 7200, "CEST" },
	{ "CET-1CEST,M3.5.0,M10.5.0/3", "2025-10-26T01:00:00Z", 3600, "CET" },
	{ "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "2026-09-26T14:00:00Z", 49500, "+1345" },
	/* Jn never counts Feb 29: J60 is March 1 */
	{ "XST-2XDT,J60/0,J300/0", "2024-02-29T21:59:59Z", 7200, "XST" },
	{ "XST-2XDT,J60/0,J300/0", "2024-02-29T22:00:00Z", 10800, "XDT" },
	{ "XST-2XDT,J60/0,J300/0", "2024-10-26T20:59:59Z", 10800, "XDT" },
	{ "XST-2XDT,J60/0,J300/0", "2024-10-26T21:00:00Z", 7200, "XST" },
	/* n is zero-based and counts Feb 29 */
	{ "XST-2XDT,59/0,299/0", "2024-02-28T21:59:59Z", 7200, "XST" },
	{ "XST-2XDT,59/0,299/0", "2024-02-28T22:00:00Z", 10800, "XDT" },
	{ "XST-2XDT,59/0,299/0", "2025-02-28T21:59:59Z", 7200, "XST" },
	{ "XST-2XDT,59/0,299/0", "2025-02-28T22:00:00Z", 10800, "XDT" },
	{ "XST-2XDT,59/0,299/0", "2024-10-25T21:00:00Z", 7200, "XST" },
	/* negative and >24 h rule times (RFC 8536 extension) */
	{ "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2025-03-30T00:59:59Z", -7200, "-02" },
	{ "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2025-03-30T01:00:00Z", -3600, "-01" },
	{ "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2025-10-26T00:59:59Z", -3600, "-01" },
	{ "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2025-10-26T01:00:00Z", -7200, "-02" },
	{ "EST5EDT,M3.2.0/25,M11.1.0", "2025-03-10T05:59:59Z", -18000, "EST" },
	{ "EST5EDT,M3.2.0/25,M11.1.0", "2025-03-10T06:00:00Z", -14400, "EDT" },
	{ "EST5EDT,M3.2.0/167,M11.1.0", "2025-03-16T03:59:59Z", -18000, "EST" },
	{ "EST5EDT,M3.2.0/167,M11.1.0", "2025-03-16T04:00:00Z", -14400, "EDT" },
	/* DST all year long */
	{ "EST5EDT,0/0,J365/25", "2025-01-01T04:59:59Z", -14400, "EDT" },
	{ "EST5EDT,0/0,J365/25", "2025-01-01T05:00:00Z", -14400, "EDT" },
	{ "EST5EDT,0/0,J365/25", "2025-07-01T00:00:00Z", -14400, "EDT" },
	/* no rules: POSIX leaves it open, we use the US ones */
	{ "EST5EDT", "2025-03-09T07:00:00Z", -14400, "EDT" },
	{ "EST5EDT", "2025-12-01T00:00:00Z", -18000, "EST" },
	/* explicit DST offset, week 5 = last */
	{ "AAA-3BBB-5,M2.5.6/12:30:15,M11.5.2", "2025-02-22T07:30:14Z", 10800, "AAA" },
	{ "AAA-3BBB-5,M2.5.6/12:30:15,M11.5.2", "2025-02-22T09:30:15Z", 18000, "BBB" },
};

Test(tz, footers)
{
	struct diag d;
	size_t i;

	for (i = 0; i < sizeof footer_cases / sizeof footer_cases[0]; i++) {
		const struct footer_case *c = &footer_cases[i];
		struct tz *z = footer_zone(c->footer, &d);
		int64_t at = utc(c->at);

		cr_assert_not_null(z, "footer %s: %s", c->footer, d.msg);
		cr_expect_eq(tz_offset_at(z, at), c->off, "%s at %s: offset %d, want %d",
		    c->footer, c->at, tz_offset_at(z, at), c->off);
		cr_expect_str_eq(tz_abbrev_at(z, at), c->abbr, "%s at %s: abbrev",
		    c->footer, c->at);
		tz_free(z);
	}
}

Test(tz, footer_all_year_dst)
{
	struct diag d;
	struct tz *z = footer_zone("EST5EDT,0/0,J365/25", &d);
	int64_t t;

	cr_assert_not_null(z, "%s", d.msg);
	/* Jan 1 00:00 EST and Dec 31 25:00 EDT are the same instant: the
	 * pairs cancel, so there is no offset change in between */
	t = tz_next_transition(z, utc("1900-06-01T00:00:00Z"));
	cr_expect_geq(t, utc("2200-12-31T00:00:00Z"), "transition at %lld", (long long)t);
	cr_expect_eq(tz_local_to_utc(z, loc("2025-01-01T00:00")), utc("2025-01-01T04:00:00Z"));
	tz_free(z);
}

Test(tz, bad_footers)
{
	static const char *const bad[] = {
		"CET", "CE-1", "CET-1CEST,M3.5.0", "CET-1CEST,M3.5.0,",
		"CET-1CEST,M13.5.0,M10.5.0/3", "CET-1CEST,M3.6.0,M10.5.0/3",
		"CET-1CEST,M3.5.7,M10.5.0/3", "CET-1CEST,M3.0.0,M10.5.0/3",
		"CET-1CEST,J0,J365", "CET-1CEST,J366,J1", "CET-1CEST,366,0",
		"CET-1CEST,M3.5.0/168,M10.5.0", "CET-1CEST,M3.5.0/1:60,M10.5.0",
		"CET-27", "CET+27", "<+01-1", "<+0 1>-1", "<+0>-1", "<>0",
		"CET-1CEST,M3.5.0,M10.5.0/3x", "CET-1:60", "CET-1CEST-27,M3.5.0,M10.5.0",
		"CET-1CEST,M3.5.0,M10.5.0/", "CET-1CEST;M3.5.0,M10.5.0",
		"C\xc3\x89T-1", "<ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ>0",
	};
	struct diag d;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tz *z = footer_zone(bad[i], &d);

		cr_expect_null(z, "footer '%s' accepted", bad[i]);
		cr_expect_eq(d.code, DIAG_INPUT, "footer '%s'", bad[i]);
		cr_expect_str_eq(d.msg, "unknown timezone 'Test/Footer'");
		tz_free(z);
	}
}

/* v1 (32-bit only) and v2 with explicit transitions then a footer. */
Test(tz, synthetic_files)
{
	static const int64_t times[] = {
		-2000000000, 0, 1000000000, 1742346000,	/* last: 2025-03-19T01:00:00Z */
	};
	static const unsigned char idx[] = { 1, 2, 1, 2 };
	static const int32_t offs[] = { 1000, 3600, 7200 };
	static const unsigned char abbr[] = { 0, 4, 8 };
	static const char chars[] = "LMT\0AAA\0BBB";
	struct tzif f = { 1, 4, 3, 12, times, idx, offs, abbr, chars, NULL };
	unsigned char buf[2048];
	struct diag d;
	struct tz *z;
	size_t n;

	n = build_tzif(buf, sizeof buf, &f);
	z = tz_from_tzif("Test/V1", buf, n, &d);
	cr_assert_not_null(z, "%s", d.msg);
	cr_expect_str_eq(tz_name(z), "Test/V1");
	cr_expect_eq(tz_offset_at(z, INT64_MIN), 1000);
	cr_expect_str_eq(tz_abbrev_at(z, -2000000001), "LMT");
	cr_expect_eq(tz_offset_at(z, -2000000000), 3600);
	cr_expect_eq(tz_offset_at(z, 0), 7200);
	cr_expect_eq(tz_offset_at(z, 999999999), 7200);
	cr_expect_str_eq(tz_abbrev_at(z, 1000000000), "AAA");
	cr_expect_eq(tz_offset_at(z, INT64_MAX), 7200);	/* v1: last type forever */
	cr_expect_eq(tz_next_transition(z, 1742346000), INT64_MAX);
	cr_expect_eq(tz_local_to_utc(z, INT64_MAX), INT64_MAX - 7200);
	cr_expect_eq(tz_local_to_utc(z, INT64_MIN), INT64_MIN);
	cr_expect_eq(tz_utc_to_local(z, INT64_MAX), INT64_MAX);
	tz_free(z);

	/* v3, v4: the same data plus a footer that takes over after 2025 */
	for (f.version = 2; f.version <= 4; f.version++) {
		f.footer = "AAA-1BBB-2,M3.5.0/2,M10.5.0/3";
		n = build_tzif(buf, sizeof buf, &f);
		z = tz_from_tzif("Test/V2", buf, n, &d);
		cr_assert_not_null(z, "v%d: %s", f.version, d.msg);
		cr_expect_eq(tz_offset_at(z, utc("2025-07-01T00:00:00Z")), 7200);
		cr_expect_eq(tz_offset_at(z, utc("2025-10-26T00:59:59Z")), 7200);
		cr_expect_eq(tz_offset_at(z, utc("2025-10-26T01:00:00Z")), 3600);
		cr_expect_str_eq(tz_abbrev_at(z, utc("2025-10-26T01:00:00Z")), "AAA");
		cr_expect_eq(tz_next_transition(z, 1742346000), utc("2025-10-26T01:00:00Z"));
		cr_expect_eq(tz_offset_at(z, utc("2200-07-01T00:00:00Z")), 7200);
		cr_expect_eq(tz_offset_at(z, utc("2200-12-01T00:00:00Z")), 3600);
		tz_free(z);

		/* an empty footer: the last type stays */
		f.footer = "";
		n = build_tzif(buf, sizeof buf, &f);
		z = tz_from_tzif("Test/V2", buf, n, &d);
		cr_assert_not_null(z, "%s", d.msg);
		cr_expect_eq(tz_offset_at(z, utc("2030-12-01T00:00:00Z")), 7200);
		tz_free(z);
	}
}

/* A rename without an offset change is visible to tz_abbrev_at but is not
 * an offset transition. */
Test(tz, rename_only)
{
	static const int64_t times[] = { 1000, 2000, 3000 };
	static const unsigned char idx[] = { 1, 2, 3 };
	static const int32_t offs[] = { 0, 3600, 3600, 7200 };
	static const unsigned char abbr[] = { 0, 4, 8, 12 };
	static const char chars[] = "LMT\0AAA\0BBB\0CCC";
	struct tzif f = { 2, 3, 4, 16, times, idx, offs, abbr, chars, "" };
	unsigned char buf[1024];
	struct diag d;
	struct tz *z;
	size_t n;

	n = build_tzif(buf, sizeof buf, &f);
	z = tz_from_tzif("Test/Rename", buf, n, &d);
	cr_assert_not_null(z, "%s", d.msg);
	cr_expect_str_eq(tz_abbrev_at(z, 1999), "AAA");
	cr_expect_str_eq(tz_abbrev_at(z, 2000), "BBB");
	cr_expect_eq(tz_offset_at(z, 2000), 3600);
	cr_expect_eq(tz_next_transition(z, 0), 1000);
	cr_expect_eq(tz_next_transition(z, 1000), 3000);
	cr_expect_eq(tz_next_transition(z, 2500), 3000);
	cr_expect_eq(tz_next_transition(z, 3000), INT64_MAX);
	tz_free(z);
}

/* ---- malformed bytes ------------------------------------------------------- */

static void expect_bad(const unsigned char *data, size_t len, const char *what)
{
	struct diag d;
	struct tz *z;

	diag_clear(&d);
	z = tz_from_tzif("Bad/Zone", data, len, &d);
	cr_expect_null(z, "%s: accepted", what);
	cr_expect_eq(d.code, DIAG_INPUT, "%s: code %d", what, d.code);
	cr_expect_str_eq(d.msg, "unknown timezone 'Bad/Zone'", "%s", what);
	tz_free(z);
}

Test(tz, malformed)
{
	static const int64_t times[] = { 0, 1000 };
	static const unsigned char idx[] = { 1, 0 };
	static const int32_t offs[] = { 0, 3600 };
	static const unsigned char abbr[] = { 0, 4 };
	struct tzif f = { 2, 2, 2, 8, times, idx, offs, abbr, "AAA\0BBB", "AAA0" };
	unsigned char good[1024], buf[1024];
	size_t n, cut, hdr2;
	struct diag d;
	struct tz *z;

	n = build_tzif(good, sizeof good, &f);
	z = tz_from_tzif("Good/Zone", good, n, &d);
	cr_assert_not_null(z, "%s", d.msg);
	tz_free(z);
	hdr2 = 44 + 2 * 5 + 2 * 6 + 8;	/* start of the v2 header */

	expect_bad(NULL, 0, "NULL");
	expect_bad(good, 0, "empty");
	expect_bad((const unsigned char *)"TZif", 4, "magic only");
	expect_bad(good, 43, "truncated header");
	expect_bad(good, 44, "header only");
	expect_bad(good, hdr2, "no v2 header");
	expect_bad(good, hdr2 + 50, "truncated v2 block");
	expect_bad(good, n - 1, "unterminated footer");
	for (cut = 0; cut < n - 6; cut++)	/* everything before the footer */
		expect_bad(good, cut, "truncated");
	for (cut = n - 5; cut < n; cut++)	/* footer without its final NL */
		expect_bad(good, cut, "truncated footer");
	/* the footer missing altogether is tolerated */
	z = tz_from_tzif("Good/Zone", good, n - 6, &d);
	cr_assert_not_null(z, "%s", d.msg);
	tz_free(z);

#define MUTATE(off, val, what) do {					\
		memcpy(buf, good, n);					\
		buf[(off)] = (unsigned char)(val);			\
		expect_bad(buf, n, what);				\
	} while (0)
	MUTATE(0, 'X', "wrong magic");
	MUTATE(hdr2 + 3, 'X', "wrong v2 magic");
	MUTATE(4, 'x', "bad version");
	MUTATE(hdr2 + 4, 0, "v2 header says v1");
	MUTATE(32, 0xff, "huge timecnt");	/* timecnt high byte */
	MUTATE(hdr2 + 32, 0x7f, "huge v2 timecnt");
	MUTATE(hdr2 + 35, 200, "timecnt beyond data");
	MUTATE(hdr2 + 39, 0, "no types");
	MUTATE(hdr2 + 36, 0xff, "huge typecnt");
	MUTATE(hdr2 + 40, 0xff, "huge charcnt");
	MUTATE(hdr2 + 31, 1, "leap seconds");
	MUTATE(hdr2 + 23, 1, "isutcnt mismatch");
	MUTATE(hdr2 + 44 + 16, 7, "type index out of range");
	MUTATE(hdr2 + 44 + 18 + 5, 8, "abbreviation index out of range");
	MUTATE(hdr2 + 44 + 18 + 4, 2, "isdst not 0/1");
	MUTATE(hdr2 + 44 + 18, 0x7f, "offset out of range");
	MUTATE(hdr2 + 44 + 18 + 12 + 7, 'X', "unterminated abbreviation");
	MUTATE(hdr2 + 44 + 8, 0xff, "transitions not ascending");
	MUTATE(n - 6, 'X', "no NL before footer");
	MUTATE(n - 4, 0, "NUL in footer");
	MUTATE(n - 2, '!', "footer garbage");
#undef MUTATE

	/* a well-formed v1 "right/" file: one leap second record */
	f.version = 1;
	n = build_tzif(buf, sizeof buf, &f);
	z = tz_from_tzif("Good/V1", buf, n, &d);
	cr_assert_not_null(z, "%s", d.msg);
	tz_free(z);
	buf[31] = 1;				/* leapcnt */
	memset(buf + n, 0, 8);			/* occurrence 0, correction 0 */
	buf[n + 3] = 1;
	buf[n + 7] = 1;
	expect_bad(buf, n + 8, "leap seconds");
	n = build_tzif(buf, sizeof buf, &f);
	buf[23] = 1;				/* isutcnt: 0 or typecnt (2) */
	buf[n] = 0;
	expect_bad(buf, n + 1, "isutcnt mismatch (v1)");
}

/* Every truncation and every single-bit flip of a real file either loads
 * (and then answers sanely) or fails with DIAG_INPUT; ASan checks bounds. */
Test(tz, mutations)
{
	static const char *const paths[] = {
		"/usr/share/zoneinfo/Europe/Berlin",
		"/usr/share/zoneinfo/Australia/Lord_Howe",
	};
	unsigned char orig[16384], buf[16384];
	size_t len, i, p, k;
	int bit, ok = 0, bad = 0;
	struct diag d;
	struct tz *z;
	FILE *fp;

	for (p = 0; p < sizeof paths / sizeof paths[0]; p++) {
		cr_assert_not_null(fp = fopen(paths[p], "rb"), "%s", paths[p]);
		len = fread(orig, 1, sizeof orig, fp);
		fclose(fp);
		cr_assert_gt(len, 44);
		cr_assert_lt(len, sizeof orig);
		for (i = 0; i <= len; i++) {
			for (bit = -1; bit < 8; bit++) {
				size_t n = bit < 0 ? i : len;

				if (bit >= 0 && i == len)
					break;
				memcpy(buf, orig, len);
				if (bit >= 0)
					buf[i] ^= (unsigned char)(1u << bit);
				diag_clear(&d);
				z = tz_from_tzif("Fuzz", buf, n, &d);
				if (z == NULL) {
					cr_assert_eq(d.code, DIAG_INPUT);
					bad++;
					continue;
				}
				ok++;
				for (k = 0; k < 8; k++) {
					int64_t t = (int64_t)k * 900000000 - 2000000000;
					int64_t l = tz_utc_to_local(z, t);

					cr_assert_leq(tz_local_to_utc(z, l), t);
					cr_assert_geq(tz_utc_to_local(z, tz_local_to_utc(z, l)), l);
					(void)tz_abbrev_at(z, t);
					(void)tz_next_transition(z, t);
				}
				tz_free(z);
			}
		}
	}
	cr_expect_gt(ok, 0);
	cr_expect_gt(bad, 0);
}

/* ---- round trip property ------------------------------------------------- */

Test(tz, round_trip_property)
{
	static const char *const zones[] = {
		"Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
		"Pacific/Apia", "Europe/Dublin", "Pacific/Chatham", "America/Sao_Paulo",
	};
	const int64_t lo = utc("1971-01-01T00:00:00Z");
	const int64_t span = utc("2100-01-01T00:00:00Z") - lo;
	uint64_t seed = 20250330;
	size_t zi;
	int i, folds = 0;

	for (zi = 0; zi < sizeof zones / sizeof zones[0]; zi++) {
		struct tz *z = load(zones[zi]);

		for (i = 0; i < 10000; i++) {
			int64_t t, l, r;

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			t = lo + (int64_t)((seed >> 11) % (uint64_t)span);
			l = tz_utc_to_local(z, t);
			r = tz_local_to_utc(z, l);
			cr_assert_leq(r, t, "%s t=%lld", zones[zi], (long long)t);
			if (r != t) {
				/* t is the second occurrence of a folded wall time */
				cr_assert_eq(tz_utc_to_local(z, r), l);
				cr_assert_gt(tz_offset_at(z, r), tz_offset_at(z, t));
				folds++;
			}
			/* treating t as local seconds: r is the earliest instant
			 * whose wall clock reaches it */
			r = tz_local_to_utc(z, t);
			cr_assert_geq(tz_utc_to_local(z, r), t);
			cr_assert_lt(tz_utc_to_local(z, r - 1), t);
		}
		tz_free(z);
	}
	cr_expect_lt(folds, 100, "%d folds", folds);
}

Test(tz, speed_smoke)
{
	struct tz *z = load("Europe/Berlin");
	int64_t t, sum = 0;

	/* 4 million queries; a linear scan would be far too slow here */
	for (t = utc("2000-01-01T00:00:00Z"); t < utc("2100-01-01T00:00:00Z");
	    t += 1579) {
		sum += tz_offset_at(z, t);
		sum += tz_local_to_utc(z, t) & 1;
	}
	cr_expect_gt(sum, 0);
	tz_free(z);
}

/* The offset in force is looked up through an index of spans of 2^25 s
 * from 1900 (src/tz.c): between two transitions it holds at both ends,
 * at every span edge inside, and a second either side of each edge; at a
 * transition it changes.  Zones with two transitions a year, with
 * double summer time, with a day skipped, and with none lately. */
Test(tz, the_offset_holds_between_transitions_across_span_edges)
{
	static const char *const zones[] = {
		"Europe/London", "Europe/Berlin", "America/Havana", "Pacific/Apia",
		"Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo",
	};
	const int64_t from = -2208988800LL, span = (int64_t)1 << 25;
	const int64_t end = utc("2106-01-01T00:00:00Z");

	for (size_t zi = 0; zi < sizeof zones / sizeof zones[0]; zi++) {
		struct tz *z = load(zones[zi]);
		int64_t t = utc("1890-01-01T00:00:00Z");
		int checked = 0;

		while (t < end) {
			int64_t next = tz_next_transition(z, t);
			int32_t off = tz_offset_at(z, t);
			int64_t stop = next < end ? next : end;

			cr_assert_eq(tz_offset_at(z, stop - 1), off, "%s before %lld", zones[zi],
			    (long long)stop);
			for (int64_t b = t <= from ? from : from + ((t - from) / span + 1) * span;
			    b < stop; b += span) {
				for (int64_t e = b - 1; e <= b + 1; e++)
					if (e >= t && e < stop)
						cr_assert_eq(tz_offset_at(z, e), off, "%s at %lld",
						    zones[zi], (long long)e);
				checked++;
			}
			if (next >= end)
				break;
			cr_assert_neq(tz_offset_at(z, next), off, "%s at %lld", zones[zi],
			    (long long)next);
			t = next;
		}
		cr_expect_gt(checked, 180, "%s: %d span edges", zones[zi], checked);
		tz_free(z);
	}
}
