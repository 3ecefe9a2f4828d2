/* calsource.c: read and check a partner's calendar; see calsource.h. */
#include "cli/calsource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "civil.h"
#include "fetch.h"
#include "ical.h"
#include "schedule.h"
#include "sha256.h"
#include "store.h"

/* Parses body as c's calendar would be used (schedule_open_partner):
 * over every year the engine covers, for errors and the horizon; then,
 * when rep wants warnings, over this year and the next, as `calendar
 * check` does, so "ends before YEAR" speaks of the near future. */
static int check_body(const struct store_calendar *c, const char *body, size_t len,
		      const struct tz *tz, int now_year, struct ical_report *rep,
		      int32_t *horizon, struct diag *d)
{
	struct schedule_calendar *sc = calloc(1, sizeof *sc);
	char *filters = strdup(c->filters != NULL ? c->filters : "");
	struct cal_rules *rules = cal_rules_new(), *near = cal_rules_new();
	struct ical_report full;
	int rc = -1;

	ical_report_init(&full);
	if (sc == NULL || filters == NULL || rules == NULL || near == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	sc->path = c->source;
	if (schedule_parse_filters(filters, sc, d) < 0)
		goto out;
	{
		struct ical_options o = {
			.source = c->source, .local = tz,
			.filters = sc->filters, .nfilters = sc->nfilters,
			.from_year = CAL_FIRST_YEAR, .to_year = CAL_LAST_YEAR,
		};

		if (ical_load_buffer(body, len, &o, rules, &full, d) < 0)
			goto out;
		*horizon = full.last_day;
		if (rep != NULL) {
			o.from_year = now_year;
			o.to_year = now_year + 1 <= CAL_LAST_YEAR ? now_year + 1 : CAL_LAST_YEAR;
			if (ical_load_buffer(body, len, &o, near, rep, d) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	ical_report_release(&full);
	cal_rules_free(rules);
	cal_rules_free(near);
	free(filters);
	free(sc);
	return rc;
}

static void replace(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

int calsource_load(struct store_calendar *c, const struct tz *tz, int64_t now_at,
		   int revalidate, int *unchanged, struct ical_report *rep, struct diag *d)
{
	struct fetch_result fr;
	char *body = NULL;
	size_t len = 0;
	int32_t horizon = -1;
	char digest[65];
	int64_t year;
	int month, day;

	memset(&fr, 0, sizeof fr);
	*unchanged = 0;
	if (fetch_is_url(c->source)) {
		struct fetch_request rq = {
			.url = c->source,
			.etag = revalidate && c->body != NULL ? c->etag : NULL,
			.last_modified = revalidate && c->body != NULL ? c->last_modified : NULL,
			.max_bytes = CALSOURCE_MAX_BYTES,
		};

		if (fetch_get(&rq, &fr, d) < 0)
			return -1;
		if (fr.not_modified) {
			if ((body = malloc(c->body_len + 1)) == NULL) {
				fetch_result_release(&fr);
				return diag_set(d, DIAG_NOMEM, "out of memory");
			}
			memcpy(body, c->body, c->body_len + 1);
			len = c->body_len;
			/* a 304 may omit validators: keep the ones we have */
			if (fr.etag == NULL && c->etag != NULL)
				fr.etag = strdup(c->etag);
			if (fr.last_modified == NULL && c->last_modified != NULL)
				fr.last_modified = strdup(c->last_modified);
		} else {
			body = fr.body;
			len = fr.body_len;
			fr.body = NULL;
		}
	} else if (ical_read_file(c->source, CALSOURCE_MAX_BYTES, &body, &len, d) < 0)
		return -1;
	civil_ymd_from_days(civil_div(now_at, CIVIL_DAY_S), &year, &month, &day);
	if (check_body(c, body, len, tz, (int)year, rep, &horizon, d) < 0) {
		free(body);
		fetch_result_release(&fr);
		return -1;
	}
	sha256_hex(body, len, digest);
	*unchanged = c->body != NULL && strcmp(digest, c->digest) == 0;
	replace(&c->body, body);
	c->body_len = len;
	memcpy(c->digest, digest, sizeof digest);
	c->horizon_day = horizon;
	c->fetched_at = now_at;
	replace(&c->etag, fr.etag);
	replace(&c->last_modified, fr.last_modified);
	replace(&c->last_error, NULL);
	fr.etag = fr.last_modified = NULL;
	fetch_result_release(&fr);
	return 0;
}
