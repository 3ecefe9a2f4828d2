/* civil.c: calendar arithmetic and ISO 8601 text; see civil.h.
 *
 * Day numbers use the "days from civil" algorithm (era of 400 years), so
 * they are exact for any proleptic Gregorian date and need no tables.
 */
#include "civil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t civil_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t civil_mod(int64_t a, int64_t b)
{
	return a - civil_div(a, b) * b;
}

int64_t civil_days_from_ymd(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = civil_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The same in unsigned 32-bit arithmetic, for days from 0000-03-01 on
 * (z >= 0) while z fits: a report formats millions of dates. */
static void ymd_from_days32(uint32_t z, int64_t *y, int *m, int *d)
{
	uint32_t era = z / 146097, doe = z - era * 146097;
	uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint32_t mp = (5 * doy + 2) / 153;
	uint32_t mm = mp < 10 ? mp + 3 : mp - 9;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int64_t)yoe + (int64_t)era * 400 + (mm <= 2);
}

void civil_ymd_from_days(int64_t day, int64_t *y, int *m, int *d)
{
	int64_t z = day + 719468;

	if (z >= 0 && z <= (int64_t)UINT32_MAX / 8) {	/* 5 * doy + 2 stays small */
		ymd_from_days32((uint32_t)z, y, m, d);
		return;
	}
	int64_t era = civil_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = yoe + era * 400 + (mm <= 2);
}

int civil_weekday(int64_t day)
{
	return (int)civil_mod(day + 4, 7);	/* 1970-01-01 was a Thursday */
}

static int civil_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int civil_days_in_month(int64_t y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return len[m - 1] + (m == 2 && civil_leap(y));
}

int civil_valid_ymd(int64_t y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= civil_days_in_month(y, m);
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* Writes "YYYY-MM-DDTHH:MM:SS" (19 bytes, no NUL) for years 0..9999 and
 * returns 19; other years fall back to snprintf. */
static int put_datetime(char *out, int64_t s, char sep)
{
	int64_t day = civil_div(s, CIVIL_DAY_S), y;
	int sod = (int)(s - day * CIVIL_DAY_S), m, d;

	civil_ymd_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		return snprintf(out, CIVIL_ISO_LEN, "%lld-%02d-%02d%c%02d:%02d:%02d",
		    (long long)y, m, d, sep, sod / 3600, sod / 60 % 60, sod % 60);
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = sep;
	put2(out + 11, sod / 3600);
	out[13] = ':';
	put2(out + 14, sod / 60 % 60);
	out[16] = ':';
	put2(out + 17, sod % 60);
	return 19;
}

size_t civil_format_utc(int64_t at, char out[CIVIL_ISO_LEN])
{
	int n = put_datetime(out, at, 'T');

	out[n] = 'Z';
	out[n + 1] = '\0';
	return (size_t)n + 1;
}

void civil_format_local(int64_t local_s, int with_seconds, char out[CIVIL_ISO_LEN])
{
	int n = put_datetime(out, local_s, ' ');

	out[with_seconds ? n : n - 3] = '\0';
}

void civil_format_day(int64_t day, char out[CIVIL_ISO_LEN])
{
	put_datetime(out, day * CIVIL_DAY_S, ' ');
	out[10] = '\0';
}

void civil_format_duration(int64_t s, char out[CIVIL_ISO_LEN])
{
	const char *sign = s < 0 ? "-" : "";
	uint64_t u = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
	uint64_t dd = u / 86400, hh = u / 3600 % 24, mm = u / 60 % 60, ss = u % 60;

	if (dd > 0)
		snprintf(out, CIVIL_ISO_LEN, "%s%llud %02lluh %02llum", sign,
		    (unsigned long long)dd, (unsigned long long)hh, (unsigned long long)mm);
	else if (hh > 0)
		snprintf(out, CIVIL_ISO_LEN, "%s%lluh %02llum", sign,
		    (unsigned long long)hh, (unsigned long long)mm);
	else if (mm > 0 || ss == 0)
		snprintf(out, CIVIL_ISO_LEN, "%s%llum", sign, (unsigned long long)mm);
	else
		snprintf(out, CIVIL_ISO_LEN, "%s%llus", sign, (unsigned long long)ss);
}

const char *civil_weekday_name(int wd)
{
	static const char *const names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

	return wd >= 0 && wd < 7 ? names[wd] : "???";
}

/* Reads exactly n digits at *p, advancing it. */
static int digits(const char **p, const char *end, int n, int *out)
{
	int v = 0;

	if (end - *p < n)
		return -1;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int civil_parse_instant_n(const char *s, size_t len, int64_t *value,
			  enum civil_instant_kind *kind)
{
	const char *p = s, *end = s + len;
	int y, mo, d, h = 0, mi = 0, se = 0, oh, om = 0;
	int64_t v;

	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (digits(&p, end, 4, &y) < 0 || p >= end || *p++ != '-' ||
	    digits(&p, end, 2, &mo) < 0 || p >= end || *p++ != '-' ||
	    digits(&p, end, 2, &d) < 0)
		return -1;
	if (!civil_valid_ymd(y, mo, d))
		return -1;
	*kind = CIVIL_INSTANT_LOCAL;
	if (p < end) {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return -1;
		p++;
		if (digits(&p, end, 2, &h) < 0 || p >= end || *p++ != ':' ||
		    digits(&p, end, 2, &mi) < 0)
			return -1;
		if (p < end && *p == ':') {
			p++;
			if (digits(&p, end, 2, &se) < 0)
				return -1;
			if (p < end && *p == '.') {	/* fractions are dropped */
				p++;
				while (p < end && *p >= '0' && *p <= '9')
					p++;
			}
		}
		if (h > 24 || mi > 59 || se > 60 || (h == 24 && (mi || se)))
			return -1;
		if (se == 60)	/* a leap second names the next second */
			se = 59;
	}
	v = civil_days_from_ymd(y, mo, d) * CIVIL_DAY_S + h * 3600 + mi * 60 + se;
	if (p < end) {
		int sign;

		if (*p == 'Z' || *p == 'z') {
			p++;
			*kind = CIVIL_INSTANT_UTC;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, end, 2, &oh) < 0)
				return -1;
			if (p < end && *p == ':')
				p++;
			if (p < end && digits(&p, end, 2, &om) < 0)
				return -1;
			if (oh > 18 || om > 59)
				return -1;
			v -= sign * (oh * 3600 + om * 60);
			*kind = CIVIL_INSTANT_UTC;
		}
		if (p != end)
			return -1;
	}
	*value = v;
	return 0;
}

int civil_parse_instant(const char *s, int64_t *value, enum civil_instant_kind *kind)
{
	return civil_parse_instant_n(s, strlen(s), value, kind);
}

int civil_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || is_blank(*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int civil_parse_duration(const char *s, int64_t *out_s)
{
	int64_t total = 0;
	const char *p = s;
	int units = 0;

	if (civil_parse_i64(s, 1, INT64_C(1) << 40, out_s) == 0)
		return 0;
	while (*p != '\0') {
		int64_t n = 0, mult;
		int nd = 0;

		while (*p >= '0' && *p <= '9') {
			if (n > (INT64_C(1) << 40))
				return -1;
			n = n * 10 + (*p++ - '0');
			nd++;
		}
		if (nd == 0)
			return -1;
		switch (*p++) {
		case 'w': mult = 7 * 86400; break;
		case 'd': mult = 86400; break;
		case 'h': mult = 3600; break;
		case 'm': mult = 60; break;
		case 's': mult = 1; break;
		default: return -1;
		}
		total += n * mult;
		if (total > (INT64_C(1) << 40))
			return -1;
		units++;
	}
	if (units == 0 || total <= 0)
		return -1;
	*out_s = total;
	return 0;
}

int civil_parse_clock(const char *s, int32_t *out_s)
{
	const char *p = s, *end = s + strlen(s);
	int h, m, sec = 0;

	if (digits(&p, end, 2, &h) < 0 || p >= end || *p++ != ':' ||
	    digits(&p, end, 2, &m) < 0)
		return -1;
	if (p < end && *p == ':') {
		p++;
		if (digits(&p, end, 2, &sec) < 0)
			return -1;
	}
	if (p != end || m > 59 || sec > 59 || h > 24 || (h == 24 && (m || sec)))
		return -1;
	*out_s = h * 3600 + m * 60 + sec;
	return 0;
}
