/* schedule.c: zone + calendars + weekdays + hours -> struct cal. */
#include "schedule.h"

#include <string.h>

#include "tz.h"

void schedule_spec_init(struct schedule_spec *s)
{
	memset(s, 0, sizeof *s);
	s->zone = "UTC";
	s->weekdays = CAL_WEEKDAYS_MON_FRI;
}

int schedule_open(struct schedule *s, const struct schedule_spec *spec,
		  struct ical_report *rep, struct diag *d)
{
	struct cal_spec cs;

	memset(s, 0, sizeof *s);
	if ((s->tz = tz_load(spec->zone, d)) == NULL)
		return -1;
	if ((s->rules = cal_rules_new()) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < spec->ncalendars; i++) {
		const struct schedule_calendar *c = &spec->calendars[i];
		struct ical_options o = {
			.source = c->path, .local = s->tz,
			.filters = c->filters, .nfilters = c->nfilters,
			.from_year = CAL_FIRST_YEAR, .to_year = CAL_LAST_YEAR,
		};

		if (ical_load_file(&o, s->rules, rep, d) < 0)
			goto fail;
	}
	memset(&cs, 0, sizeof cs);
	cs.tz = s->tz;
	cs.weekdays = spec->weekdays ? spec->weekdays : CAL_WEEKDAYS_MON_FRI;
	cs.windows = spec->nwindows ? spec->windows : NULL;
	cs.nwindows = spec->nwindows;
	cs.rules = s->rules;
	if ((s->cal = cal_new(&cs, d)) == NULL)
		goto fail;
	return 0;
fail:
	schedule_close(s);
	return -1;
}

void schedule_close(struct schedule *s)
{
	cal_free(s->cal);
	cal_rules_free(s->rules);
	tz_free(s->tz);
	memset(s, 0, sizeof *s);
}
