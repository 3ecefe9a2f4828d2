/* ical.h: iCalendar (.ics) holiday feeds -> struct cal_rules.
 *
 * The only file that includes libical.  Reads VEVENTs (as
 * man/slatrack-calendars.5 describes):
 *   - all-day (DTSTART;VALUE=DATE): each local date in [DTSTART, DTEND) is a
 *     holiday; DURATION instead of DTEND; neither means one day;
 *   - CATEGORIES containing WORKDAY (any case): the dates are make-up
 *     working days instead of holidays;
 *   - timed (DATE-TIME with TZID, UTC or floating = the partner's zone):
 *     a timed closure [start, end);
 *   - RRULE, RDATE, EXDATE (DATE and DATE-TIME), RECURRENCE-ID overrides;
 *   - STATUS:CANCELLED closes nothing; TRANSP is ignored;
 *   - include/exclude filters on SUMMARY, DESCRIPTION or CATEGORIES.
 * Several files may be loaded into one cal_rules: they merge.
 */
#ifndef SLATRACK_ICAL_H
#define SLATRACK_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct cal_rules;
struct tz;

enum ical_field {
	ICAL_FIELD_ANY,		/* SUMMARY, DESCRIPTION or CATEGORIES */
	ICAL_FIELD_SUMMARY,
	ICAL_FIELD_DESCRIPTION,
	ICAL_FIELD_CATEGORIES
};

/* An event matches a filter when `text` occurs in the field, ignoring
 * ASCII case.  With one or more include filters an event must match one of
 * them; an event matching any exclude filter is dropped. */
struct ical_filter {
	enum ical_field field;
	int exclude;		/* 0 include, 1 exclude */
	const char *text;	/* borrowed */
};

/* "summary:Observance", "description:Observance", "categories:X" or a bare
 * "Observance" (any field) -> filter; text points into s. */
int ical_parse_filter(const char *s, int exclude, struct ical_filter *f,
		      struct diag *d);

struct ical_options {
	const char *source;		/* name used in messages and cal_rules */
	const struct tz *local;		/* the partner zone: floating times */
	const struct ical_filter *filters;
	size_t nfilters;
	int from_year, to_year;		/* expand recurrences over these years */
};

/* Warnings found while loading (calendar check shows them), each a
 * complete "FILE:LINE: text" line. */
struct ical_report {
	char **warnings;
	size_t nwarnings;
	int32_t last_day;	/* the last local date any finite entry covers,
				   or INT32_MAX when every series is open-ended,
				   or -1 when the file has no entries */
	size_t nevents;		/* VEVENTs read (after filters) */
};
void ical_report_init(struct ical_report *rep);
void ical_report_release(struct ical_report *rep);

/* Parses `len` bytes of `data` and appends to `out`.  On error returns -1
 * with DIAG_INPUT "FILE:LINE: reason" and leaves `out` as it was.
 * `rep` may be NULL. */
int ical_load_buffer(const char *data, size_t len, const struct ical_options *o,
		     struct cal_rules *out, struct ical_report *rep, struct diag *d);
/* Reads the regular file `path` (at most `max` bytes) into *data, NUL-
 * terminated, caller frees.  A FIFO, device, socket or directory is
 * refused at once, without blocking: DIAG_INPUT "'PATH' is not a regular
 * file (a FIFO)", as a missing file is ("cannot open 'PATH': ..."). */
int ical_read_file(const char *path, size_t max, char **data, size_t *len,
		   struct diag *d);
/* Reads o->source with ical_read_file (32 MiB at most), then as
 * ical_load_buffer. */
int ical_load_file(const struct ical_options *o, struct cal_rules *out,
		   struct ical_report *rep, struct diag *d);

#endif
