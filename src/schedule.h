/* schedule.h: a partner's working schedule, assembled.
 *
 * Glue between the pieces of the deadline engine: loads the zone, reads
 * every holiday calendar (merging them), and compiles the working-time
 * engine.  The CLI's `deadline` options and, later, a stored partner both
 * describe a schedule with a struct schedule_spec.
 */
#ifndef SLATRACK_SCHEDULE_H
#define SLATRACK_SCHEDULE_H

#include <stddef.h>

#include "cal.h"
#include "diag.h"
#include "ical.h"

#define SCHEDULE_MAX_CALENDARS 32
#define SCHEDULE_MAX_FILTERS 16

struct schedule_calendar {
	const char *path;			/* borrowed; the name in messages */
	const char *body;			/* NULL: read path; else these bytes */
	size_t body_len;
	struct ical_filter filters[SCHEDULE_MAX_FILTERS];
	size_t nfilters;
};

struct schedule_spec {
	const char *zone;			/* IANA name, borrowed */
	unsigned weekdays;			/* 0 = Mon-Fri */
	struct cal_window windows[CAL_MAX_WINDOWS];
	size_t nwindows;			/* 0 = whole days */
	struct schedule_calendar calendars[SCHEDULE_MAX_CALENDARS];
	size_t ncalendars;
};

struct schedule {
	struct tz *tz;
	struct cal_rules *rules;
	struct cal *cal;
};

void schedule_spec_init(struct schedule_spec *s);
/* Loads and compiles; on failure everything is released and d says why
 * ("FILE:LINE: reason" for calendars, "unknown timezone 'X'"). `rep`
 * (may be NULL) collects the calendars' warnings. */
int schedule_open(struct schedule *s, const struct schedule_spec *spec,
		  struct ical_report *rep, struct diag *d);
void schedule_close(struct schedule *s);

/* The schedule of a stored partner: its zone, weekdays, hours, and the
 * cached bodies of its calendars with their filters. */
struct store_partner;
int schedule_open_partner(struct schedule *s, const struct store_partner *p,
			  struct ical_report *rep, struct diag *d);
/* Parses stored filter lines ("+TEXT" include, "-TEXT" exclude; see
 * ical_parse_filter) into c; `lines` must outlive c's use (texts point
 * into it, so it is modified: newlines become NULs). */
int schedule_parse_filters(char *lines, struct schedule_calendar *c, struct diag *d);

#endif
