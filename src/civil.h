/* civil.h: proleptic Gregorian calendar arithmetic and ISO 8601 text.
 *
 * Pure functions: no zoneinfo, no clock, no allocation.  Vocabulary used
 * across slatrack:
 *   _at    an instant, int64_t seconds since 1970-01-01T00:00:00Z
 *   _s     a duration in seconds
 *   _day   a day number, 1970-01-01 = 0 (local or UTC as the name says)
 *   local seconds: a wall-clock time written as seconds since
 *          1970-01-01T00:00:00 as if it were UTC (tz.h converts).
 */
#ifndef SLATRACK_CIVIL_H
#define SLATRACK_CIVIL_H

#include <stddef.h>
#include <stdint.h>

#define CIVIL_ISO_LEN 32
#define CIVIL_DAY_S 86400

enum civil_weekday {
	CIVIL_SUN, CIVIL_MON, CIVIL_TUE, CIVIL_WED, CIVIL_THU, CIVIL_FRI, CIVIL_SAT
};

/* Floor division and modulo (the result of civil_mod is in [0, b)). */
int64_t civil_div(int64_t a, int64_t b);
int64_t civil_mod(int64_t a, int64_t b);

int64_t civil_days_from_ymd(int64_t y, int m, int d);
void civil_ymd_from_days(int64_t day, int64_t *y, int *m, int *d);
int civil_weekday(int64_t day);			/* enum civil_weekday */
int civil_days_in_month(int64_t y, int m);
int civil_valid_ymd(int64_t y, int m, int d);

/* "YYYY-MM-DDTHH:MM:SSZ"; returns its length (20 for years 0..9999) */
size_t civil_format_utc(int64_t at, char out[CIVIL_ISO_LEN]);
/* local seconds -> "YYYY-MM-DD HH:MM" (with_seconds: ":SS" appended) */
void civil_format_local(int64_t local_s, int with_seconds, char out[CIVIL_ISO_LEN]);
/* day -> "YYYY-MM-DD" */
void civil_format_day(int64_t day, char out[CIVIL_ISO_LEN]);
/* seconds -> "1d 2h 03m" style, "0m" for 0; negative gets a leading '-'. */
void civil_format_duration(int64_t s, char out[CIVIL_ISO_LEN]);
/* "Mon".."Sun" */
const char *civil_weekday_name(int wd);

enum civil_instant_kind {
	CIVIL_INSTANT_UTC,	/* the value is an instant (Z or an offset was given) */
	CIVIL_INSTANT_LOCAL	/* no offset: the value is local seconds */
};

/* Parses ISO 8601 "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM|+HHMM]"; a space
 * may replace the 'T'; a bare "YYYY-MM-DD" means local midnight.  Accepts
 * leading/trailing blanks and a trailing CR.  Returns 0 or -1 (bad text). */
int civil_parse_instant(const char *s, int64_t *value, enum civil_instant_kind *kind);
/* Same on a non-NUL-terminated slice (the fast path of deadline --batch). */
int civil_parse_instant_n(const char *s, size_t len, int64_t *value,
			  enum civil_instant_kind *kind);

/* "24h", "90m", "1h30m", "2d", "45s" or plain seconds; > 0. 0 or -1. */
int civil_parse_duration(const char *s, int64_t *out_s);
/* "HH:MM" or "HH:MM:SS" within 00:00..24:00; seconds since midnight. */
int civil_parse_clock(const char *s, int32_t *out_s);
/* A decimal integer in [min, max]; the whole string must be used. */
int civil_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
