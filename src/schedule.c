/* schedule.c: zone + calendars + weekdays + hours -> struct cal. */
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"
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

		if ((c->body != NULL ? ical_load_buffer(c->body, c->body_len, &o, s->rules, rep, d) :
		    ical_load_file(&o, s->rules, rep, d)) < 0)
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

int schedule_parse_filters(char *lines, struct schedule_calendar *c, struct diag *d)
{
	char *p = lines;

	c->nfilters = 0;
	while (p != NULL && *p != '\0') {
		char *nl = strchr(p, '\n');

		if (nl != NULL)
			*nl = '\0';
		if (*p == '+' || *p == '-') {
			if (c->nfilters == SCHEDULE_MAX_FILTERS)
				return diag_set(d, DIAG_INPUT, "too many filters on '%s'", c->path);
			if (ical_parse_filter(p + 1, *p == '-', &c->filters[c->nfilters], d) < 0)
				return -1;
			c->nfilters++;
		} else if (*p != '\0')
			return diag_set(d, DIAG_INPUT, "bad stored filter '%s' on '%s'", p, c->path);
		p = nl != NULL ? nl + 1 : NULL;
	}
	return 0;
}

int schedule_open_partner(struct schedule *s, const struct store_partner *p,
			  struct ical_report *rep, struct diag *d)
{
	struct schedule_spec *spec = malloc(sizeof *spec);
	char *copies[SCHEDULE_MAX_CALENDARS] = { 0 };
	int rc = -1;

	memset(s, 0, sizeof *s);
	if (spec == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	schedule_spec_init(spec);
	spec->zone = p->zone;
	spec->weekdays = p->workdays;
	if (p->hours != NULL && *p->hours != '\0' &&
	    cal_parse_hours(p->hours, spec->windows, &spec->nwindows, d) < 0)
		goto out;
	if (p->ncalendars > SCHEDULE_MAX_CALENDARS) {
		diag_set(d, DIAG_INPUT, "partner '%s' has more than %d calendars", p->key,
		    SCHEDULE_MAX_CALENDARS);
		goto out;
	}
	for (size_t i = 0; i < p->ncalendars; i++) {
		struct schedule_calendar *c = &spec->calendars[i];

		c->path = p->calendars[i].source;
		c->body = p->calendars[i].body != NULL ? p->calendars[i].body : "";
		c->body_len = p->calendars[i].body != NULL ? p->calendars[i].body_len : 0;
		if ((copies[i] = strdup(p->calendars[i].filters ? p->calendars[i].filters : "")) == NULL) {
			diag_set(d, DIAG_NOMEM, "out of memory");
			goto out;
		}
		if (schedule_parse_filters(copies[i], c, d) < 0)
			goto out;
		spec->ncalendars++;
	}
	rc = schedule_open(s, spec, rep, d);
	if (rc < 0)
		diag_prefix(d, "partner '%s'", p->key);
out:
	for (size_t i = 0; i < SCHEDULE_MAX_CALENDARS; i++)
		free(copies[i]);
	free(spec);
	return rc;
}
