/* schedopt.h: the command-line options that describe a working schedule
 * (--tz, --calendar, --include, --exclude, --workdays, --hours), shared by
 * every command that takes them. */
#ifndef SLATRACK_SCHEDOPT_H
#define SLATRACK_SCHEDOPT_H

#include "diag.h"
#include "schedule.h"

enum schedopt_code {
	SCHEDOPT_TZ = 0x1000,
	SCHEDOPT_CALENDAR,
	SCHEDOPT_INCLUDE,
	SCHEDOPT_EXCLUDE,
	SCHEDOPT_WORKDAYS,
	SCHEDOPT_HOURS
};

#define SCHEDOPT_LONG_OPTIONS \
	{ "tz", required_argument, NULL, SCHEDOPT_TZ }, \
	{ "calendar", required_argument, NULL, SCHEDOPT_CALENDAR }, \
	{ "include", required_argument, NULL, SCHEDOPT_INCLUDE }, \
	{ "exclude", required_argument, NULL, SCHEDOPT_EXCLUDE }, \
	{ "workdays", required_argument, NULL, SCHEDOPT_WORKDAYS }, \
	{ "hours", required_argument, NULL, SCHEDOPT_HOURS }

#define SCHEDOPT_HELP \
	"  --tz ZONE             the partner's IANA timezone (required)\n" \
	"  --calendar FILE.ics   a holiday calendar; repeat to merge several\n" \
	"  --include FILTER      keep only events of the last --calendar matching\n" \
	"                        FILTER: [summary:|description:|categories:]TEXT\n" \
	"  --exclude FILTER      drop events of the last --calendar matching FILTER\n" \
	"  --workdays DAYS       working weekdays: mon,tue,... or a range such as\n" \
	"                        sun-thu (default mon-fri)\n" \
	"  --hours WINDOWS       daily working hours, e.g. 09:00-12:00,13:00-17:00\n" \
	"                        (default 00:00-24:00)\n"

/* Applies one option; returns 1 when `code` was a schedule option, 0 when
 * it was not, -1 on a bad value. */
int schedopt_apply(struct schedule_spec *spec, int code, const char *arg, struct diag *d);

#endif
