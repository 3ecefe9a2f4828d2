/* schedopt.c: schedule options; see schedopt.h. */
#include "cli/schedopt.h"

int schedopt_apply(struct schedule_spec *spec, int code, const char *arg, struct diag *d)
{
	struct schedule_calendar *c;

	switch (code) {
	case SCHEDOPT_TZ:
		spec->zone = arg;
		return 1;
	case SCHEDOPT_CALENDAR:
		if (spec->ncalendars == SCHEDULE_MAX_CALENDARS)
			return diag_set(d, DIAG_USAGE, "--calendar: at most %d calendars",
			    SCHEDULE_MAX_CALENDARS);
		c = &spec->calendars[spec->ncalendars++];
		c->path = arg;
		c->nfilters = 0;
		return 1;
	case SCHEDOPT_INCLUDE:
	case SCHEDOPT_EXCLUDE:
		if (spec->ncalendars == 0)
			return diag_set(d, DIAG_USAGE, "--%s '%s' must follow the --calendar "
			    "it filters", code == SCHEDOPT_INCLUDE ? "include" : "exclude", arg);
		c = &spec->calendars[spec->ncalendars - 1];
		if (c->nfilters == SCHEDULE_MAX_FILTERS)
			return diag_set(d, DIAG_USAGE, "at most %d filters per calendar",
			    SCHEDULE_MAX_FILTERS);
		if (ical_parse_filter(arg, code == SCHEDOPT_EXCLUDE,
		    &c->filters[c->nfilters], d) < 0) {
			diag_prefix(d, "--%s", code == SCHEDOPT_INCLUDE ? "include" : "exclude");
			return -1;
		}
		c->nfilters++;
		return 1;
	case SCHEDOPT_WORKDAYS:
		if (cal_parse_weekdays(arg, &spec->weekdays, d) < 0) {
			diag_prefix(d, "--workdays");
			return -1;
		}
		return 1;
	case SCHEDOPT_HOURS:
		if (cal_parse_hours(arg, spec->windows, &spec->nwindows, d) < 0) {
			diag_prefix(d, "--hours");
			return -1;
		}
		/* a single whole-day window is the default: keep the fast form */
		if (spec->nwindows == 1 && spec->windows[0].start_s == 0 &&
		    spec->windows[0].end_s == 86400)
			spec->nwindows = 0;
		return 1;
	default:
		return 0;
	}
}
