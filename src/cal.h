/* cal.h: the working-time engine (the working-time rules of slatrack(1)).
 *
 * Pure: no files, no SQLite, no tickets, no clock.  A struct cal is
 * compiled once from a struct cal_spec into a sorted table of working
 * intervals [start_at, end_at) in UTC with prefix sums of their lengths, so
 * deadline, elapsed and next-working queries are binary searches.  The
 * table covers local dates 1970-01-01 through 2100-12-31; a query whose
 * answer falls outside that range fails with DIAG_INPUT.
 *
 * Holidays, make-up working days and timed closures arrive in a
 * struct cal_rules, which the iCalendar loader (ical.h) fills and which a
 * caller may also fill by hand.  Precedence on one local date:
 * a holiday beats everything; a make-up day makes a date a working day
 * whatever its weekday; otherwise the weekday set decides.  Timed closures
 * are cut out of whatever working time remains.
 */
#ifndef SLATRACK_CAL_H
#define SLATRACK_CAL_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct tz;

#define CAL_FIRST_YEAR 1970
#define CAL_LAST_YEAR 2100
#define CAL_MAX_WINDOWS 8

enum cal_day_kind {
	CAL_DAY_HOLIDAY,	/* the local date is not worked */
	CAL_DAY_MAKEUP		/* the local date is worked (e.g. a Saturday in CN) */
};

struct cal_day {
	int32_t day;		/* local day number, 1970-01-01 = 0 */
	enum cal_day_kind kind;
	const char *name;	/* SUMMARY, owned by the cal_rules */
	const char *source;	/* file name, owned by the cal_rules */
	int line;		/* line of its VEVENT in source, 0 if none */
};

struct cal_closure {
	int64_t start_at, end_at;	/* [start_at, end_at), UTC */
	const char *name, *source;
	int line;
};

/* A growable, caller-owned collection of holidays, make-up days and
 * closures.  Strings passed in are copied. */
struct cal_rules;
struct cal_rules *cal_rules_new(void);
void cal_rules_free(struct cal_rules *r);	/* NULL-safe */
int cal_rules_add_day(struct cal_rules *r, int32_t day, enum cal_day_kind kind,
		      const char *name, const char *source, int line);
int cal_rules_add_closure(struct cal_rules *r, int64_t start_at, int64_t end_at,
			  const char *name, const char *source, int line);
/* Borrowed views, in insertion order until cal_rules_sort(). */
const struct cal_day *cal_rules_days(const struct cal_rules *r, size_t *n);
const struct cal_closure *cal_rules_closures(const struct cal_rules *r, size_t *n);
void cal_rules_sort(struct cal_rules *r);	/* by day / start, then line */

struct cal_window {
	int32_t start_s, end_s;	/* seconds after local midnight, 0..86400 */
};

struct cal_spec {
	const struct tz *tz;		/* borrowed; must outlive the cal */
	unsigned weekdays;		/* bit (1 << enum civil_weekday) */
	const struct cal_window *windows;	/* sorted, disjoint; NULL = whole day */
	size_t nwindows;
	const struct cal_rules *rules;	/* may be NULL; copied by cal_new */
};

#define CAL_WEEKDAYS_MON_FRI 0x3eu

/* Parsers for the command-line forms of slatrack(1), EXIT STATUS.
 * "mon,tue,wed" or "mon-fri" or "sun-thu" -> bit mask. */
int cal_parse_weekdays(const char *s, unsigned *mask, struct diag *d);
/* "09:00-12:00,13:00-17:00" -> up to CAL_MAX_WINDOWS sorted windows. */
int cal_parse_hours(const char *s, struct cal_window *w, size_t *n, struct diag *d);

struct cal *cal_new(const struct cal_spec *spec, struct diag *d);
void cal_free(struct cal *c);			/* NULL-safe */
const struct tz *cal_tz(const struct cal *c);

/* Earliest D with working time in [created_at, D) == target_s (> 0). */
int cal_deadline(const struct cal *c, int64_t created_at, int64_t target_s,
		 int64_t *deadline_at, struct diag *d);
/* Working seconds in [from_at, to_at); negative when to_at < from_at. */
int64_t cal_elapsed(const struct cal *c, int64_t from_at, int64_t to_at);
/* The first working instant >= at. */
int cal_next_working(const struct cal *c, int64_t at, int64_t *next_at,
		     struct diag *d);
int cal_is_working(const struct cal *c, int64_t at);

/* Why a local date is or is not worked. */
enum cal_reason {
	CAL_WORKDAY,		/* a working weekday */
	CAL_MAKEUP_DAY,		/* a make-up working day (name/source set) */
	CAL_WEEKEND,		/* not a working weekday */
	CAL_HOLIDAY		/* a holiday (name/source set) */
};
enum cal_reason cal_day_reason(const struct cal *c, int32_t day,
			       const struct cal_day **entry);

/* The explanation of a deadline: what was counted and what was skipped,
 * in time order, from the creation instant to the deadline. */
enum cal_step_kind {
	CAL_STEP_COUNTED,	/* working time counted: [start_at, end_at) */
	CAL_STEP_WEEKEND,	/* a skipped non-working weekday (whole date) */
	CAL_STEP_HOLIDAY,	/* a skipped holiday (whole date) */
	CAL_STEP_CLOSURE,	/* a timed closure cut out of a working day */
	CAL_STEP_MAKEUP		/* a weekend date worked as a make-up day */
};

struct cal_step {
	enum cal_step_kind kind;
	int32_t day;			/* the local date concerned */
	int64_t start_at, end_at;	/* counted or closed span; the date's span else */
	int64_t total_s;		/* working time counted so far, after this step */
	const char *name, *source;	/* holiday/closure/make-up; borrowed from c */
	int line;
};

/* Fills *steps (caller frees with free()) with the explanation of the
 * deadline of a ticket created at created_at with target_s. */
int cal_explain(const struct cal *c, int64_t created_at, int64_t target_s,
		struct cal_step **steps, size_t *nsteps, struct diag *d);

/* Number of compiled working intervals (for tests and benchmarks). */
size_t cal_interval_count(const struct cal *c);

#endif
