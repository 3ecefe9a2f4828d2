/* cmd-partner.c: `slatrack partner add|list|show|edit|archive|unarchive`:
 * the partners whose working time the deadlines count (the working-time
 * rules of slatrack(1)), with their zone, week, hours, SLA targets and holiday calendars.
 * Zones and calendars are checked before anything is written; each
 * change is recorded in the audit trail by the store. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "config.h"
#include "cli/calsource.h"
#include "cli/cmd.h"
#include "cli/schedopt.h"
#include "cli/ticketfmt.h"
#include "cli/timefmt.h"
#include "csv.h"
#include "fetch.h"
#include "ical.h"
#include "json.h"
#include "remind.h"
#include "schedule.h"
#include "store.h"
#include "text.h"
#include "tz.h"

#define NAME_MAX_BYTES 200
#define CONTACT_MAX_BYTES 254
#define SHOW_NONWORKING_DAYS 10
#define SHOW_SEARCH_DAYS 1100		/* about three years */

enum partner_mode { MODE_ADD, MODE_EDIT };

struct partner_opts {
	struct schedule_spec spec;
	struct buf filters[SCHEDULE_MAX_CALENDARS];	/* "+TEXT\n-TEXT\n" per calendar */
	const char *key, *name, *contact;
	int zone_given, workdays_given, hours_given, contact_given, clear_calendars;
	int target_given[STORE_NSEV], resolve_given[STORE_NSEV];
	int64_t target_s[STORE_NSEV], resolve_s[STORE_NSEV];
	int pause_response_given, pause_response;
	int nchanges;				/* options given (edit) */
};

/* ---- option values ------------------------------------------------------ */

/* Valid UTF-8 without control characters. */
static int check_text(const char *opt, const char *s, size_t max, struct diag *d)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	if (len == 0)
		return diag_set(d, DIAG_USAGE, "%s must not be empty", opt);
	if (len > max)
		return diag_set(d, DIAG_USAGE, "%s: longer than %zu bytes", opt, max);
	while (*p != '\0') {
		unsigned cp;
		size_t n = text_utf8_len(p, (size_t)(s + len - (const char *)p), &cp);

		if (n == 0)
			return diag_set(d, DIAG_USAGE, "%s: not valid UTF-8", opt);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			return diag_set(d, DIAG_USAGE, "%s: control characters are not allowed",
			    opt);
		p += n;
	}
	return 0;
}

/* A plausible single address: LOCAL@DOMAIN, no blanks or controls, so it
 * can go into a mail header as it is. */
static int check_email(const char *s, struct diag *d)
{
	const char *at = strchr(s, '@');

	if (check_text("--contact", s, CONTACT_MAX_BYTES, d) < 0)
		return -1;
	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL ||
	    strcspn(s, " \t\"<>,;()[]\\") != strlen(s) || strchr(at + 1, '.') == NULL)
		return diag_set(d, DIAG_USAGE, "--contact: bad e-mail address '%s': expected "
		    "one address such as ops@example.com", s);
	return 0;
}

/* "critical=24h", "medium=none": --target, or --target-resolve (resolve
 * set) for the resolution targets. */
static int parse_target(const char *arg, int resolve, struct partner_opts *o,
			struct diag *d)
{
	const char *opt = resolve ? "--target-resolve" : "--target";
	const char *eq = strchr(arg, '=');
	char sev_name[16];
	int sev;
	int64_t t;

	if (eq == NULL || (size_t)(eq - arg) >= sizeof sev_name)
		goto bad;
	memcpy(sev_name, arg, (size_t)(eq - arg));
	sev_name[eq - arg] = '\0';
	if (store_severity_parse(sev_name, &sev) < 0)
		return diag_set(d, DIAG_USAGE, "%s: unknown severity '%s' in '%s' "
		    "(critical, high, medium or low)", opt, sev_name, arg);
	if (strcmp(eq + 1, "none") == 0)
		t = STORE_NONE;
	else if (civil_parse_duration(eq + 1, &t) < 0)
		return diag_set(d, DIAG_USAGE, "%s: bad duration '%s' in '%s': expected "
		    "e.g. 24h, 90m, 1h30m, seconds, or none", opt, eq + 1, arg);
	if (resolve) {
		o->resolve_s[sev] = t;
		o->resolve_given[sev] = 1;
	} else {
		o->target_s[sev] = t;
		o->target_given[sev] = 1;
	}
	return 0;
bad:
	return diag_set(d, DIAG_USAGE, "%s: bad value '%s': expected SEVERITY=DURATION "
	    "such as critical=24h or medium=none", opt, arg);
}

/* --pause-response yes|no */
static int parse_yes_no(const char *opt, const char *arg, int *v, struct diag *d)
{
	if (strcmp(arg, "yes") == 0)
		*v = 1;
	else if (strcmp(arg, "no") == 0)
		*v = 0;
	else
		return diag_set(d, DIAG_USAGE, "%s: expected yes or no, not '%s'", opt, arg);
	return 0;
}

/* The daily windows as text ("" = whole days). */
static void hours_format(const struct cal_window *w, size_t n, struct buf *b)
{
	for (size_t i = 0; i < n; i++) {
		int32_t t[2] = { w[i].start_s, w[i].end_s };

		for (int k = 0; k < 2; k++) {
			buf_addf(b, "%s%02d:%02d", k ? "-" : i ? "," : "", (int)(t[k] / 3600),
			    (int)(t[k] / 60 % 60));
			if (t[k] % 60)
				buf_addf(b, ":%02d", (int)(t[k] % 60));
		}
	}
}

static struct partner_opts *opts_new(void)
{
	struct partner_opts *o = calloc(1, sizeof *o);

	if (o == NULL)
		return NULL;
	schedule_spec_init(&o->spec);
	for (size_t i = 0; i < SCHEDULE_MAX_CALENDARS; i++)
		buf_init(&o->filters[i]);
	return o;
}

static void opts_free(struct partner_opts *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < SCHEDULE_MAX_CALENDARS; i++)
		buf_release(&o->filters[i]);
	free(o);
}

static int one_key(const char *what, int argc, char **argv, const char **key,
		   struct diag *d)
{
	int allow_id = strcmp(what, "add") != 0;

	if (optind >= argc)
		return diag_set(d, DIAG_USAGE, "partner %s: no partner KEY given", what);
	if (optind + 1 < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind + 1]);
	*key = argv[optind];
	if ((*key)[0] == '#' && allow_id)	/* "#ID" */
		return 0;
	return store_partner_key_check(*key, d);
}

static int parse_settings(struct partner_opts *o, enum partner_mode mode, int argc,
			  char **argv, struct diag *d)
{
	static const struct option opts[] = {
		SCHEDOPT_LONG_OPTIONS,
		{ "name", required_argument, NULL, 'n' },
		{ "target", required_argument, NULL, 't' },
		{ "target-resolve", required_argument, NULL, 'R' },
		{ "pause-response", required_argument, NULL, 'P' },
		{ "contact", required_argument, NULL, 'c' },
		{ "clear-calendars", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		o->nchanges++;
		if ((r = schedopt_apply(&o->spec, c, optarg, d)) < 0)
			return -1;
		if (r == 1) {
			o->zone_given |= c == SCHEDOPT_TZ;
			o->workdays_given |= c == SCHEDOPT_WORKDAYS;
			o->hours_given |= c == SCHEDOPT_HOURS;
			if (c == SCHEDOPT_INCLUDE || c == SCHEDOPT_EXCLUDE)
				buf_addf(&o->filters[o->spec.ncalendars - 1], "%c%s\n",
				    c == SCHEDOPT_INCLUDE ? '+' : '-', optarg);
			continue;
		}
		switch (c) {
		case 'n':
			if (check_text("--name", optarg, NAME_MAX_BYTES, d) < 0)
				return -1;
			o->name = optarg;
			break;
		case 't':
		case 'R':
			if (parse_target(optarg, c == 'R', o, d) < 0)
				return -1;
			break;
		case 'P':
			if (parse_yes_no("--pause-response", optarg, &o->pause_response, d) < 0)
				return -1;
			o->pause_response_given = 1;
			break;
		case 'c':
			if (!(mode == MODE_EDIT && optarg[0] == '\0') && check_email(optarg, d) < 0)
				return -1;
			o->contact = optarg;
			o->contact_given = 1;
			break;
		case 'C':
			if (mode == MODE_EDIT) {
				o->clear_calendars = 1;
				break;
			}
			/* FALLTHROUGH */
		default:
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	for (size_t i = 0; i < o->spec.ncalendars; i++)
		if (buf_failed(&o->filters[i]))
			return diag_set(d, DIAG_NOMEM, "out of memory");
	return one_key(mode == MODE_ADD ? "add" : "edit", argc, argv, &o->key, d);
}

/* Only `--format` and `--all` (list) or nothing (show, archive). */
static int parse_simple(int argc, char **argv, int *all, const char **format,
			struct diag *d)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a' && all != NULL)
			*all = 1;
		else if (c == 'f' && format != NULL) {
			if (strcmp(optarg, "table") != 0 && strcmp(optarg, "csv") != 0 &&
			    strcmp(optarg, "json") != 0)
				return diag_set(d, DIAG_USAGE, "--format: unknown format '%s' "
				    "(table, csv or json)", optarg);
			*format = optarg;
		} else
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
	}
	return 0;
}

/* ---- building a partner from options ------------------------------------ */

static void print_warnings(const struct ical_report *rep)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < rep->nwarnings; i++) {
		buf_reset(&b);
		buf_adds(&b, "warning: ");
		text_add_safe(&b, rep->warnings[i], 0);
		fprintf(stderr, "%s\n", buf_str(&b));
	}
	buf_release(&b);
}

static void free_calendars(struct store_partner *p)
{
	for (size_t i = 0; i < p->ncalendars; i++) {
		struct store_calendar *c = &p->calendars[i];

		free(c->source);
		free(c->filters);
		free(c->body);
		free(c->etag);
		free(c->last_modified);
		free(c->last_error);
	}
	free(p->calendars);
	p->calendars = NULL;
	p->ncalendars = 0;
}

/* A file calendar is stored by its absolute path, so `calendar refresh`
 * from cron (another working directory) finds it; URLs stay as given. */
static char *source_path(const char *given)
{
	char *abs;

	if (fetch_is_url(given) || given[0] == '/' || (abs = realpath(given, NULL)) == NULL)
		return strdup(given);
	return abs;
}

/* Reads and checks every --calendar of o into p (replacing its list). */
static int load_calendars(struct ctx *ctx, struct partner_opts *o, struct store_partner *p,
			  const struct tz *tz, struct ical_report *rep, struct diag *d)
{
	free_calendars(p);
	if (o->spec.ncalendars == 0)
		return 0;
	if ((p->calendars = calloc(o->spec.ncalendars, sizeof *p->calendars)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t i = 0; i < o->spec.ncalendars; i++) {
		struct store_calendar *c = &p->calendars[p->ncalendars++];
		int unchanged;

		c->position = (int)i;
		c->source = source_path(o->spec.calendars[i].path);
		c->filters = strdup(buf_str(&o->filters[i]));
		if (c->source == NULL || c->filters == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		if (calsource_load(c, tz, ctx->now_at, 0, &unchanged, rep, d) < 0)
			return -1;
	}
	return 0;
}

/* The settings of o (other than calendars) applied to p. */
static int apply_settings(const struct partner_opts *o, struct store_partner *p,
			  struct diag *d)
{
	struct buf h = BUF_INIT;

	if (o->name != NULL) {
		free(p->name);
		if ((p->name = strdup(o->name)) == NULL)
			goto nomem;
	}
	if (o->zone_given) {
		free(p->zone);
		if ((p->zone = strdup(o->spec.zone)) == NULL)
			goto nomem;
	}
	if (o->workdays_given)
		p->workdays = o->spec.weekdays;
	if (o->hours_given) {
		hours_format(o->spec.windows, o->spec.nwindows, &h);
		free(p->hours);
		if ((p->hours = buf_detach(&h)) == NULL)
			goto nomem;
	}
	if (o->contact_given) {
		free(p->contact);
		p->contact = NULL;
		if (o->contact[0] != '\0' && (p->contact = strdup(o->contact)) == NULL)
			goto nomem;
	}
	for (int i = 0; i < STORE_NSEV; i++) {
		if (o->target_given[i])
			p->target_s[i] = o->target_s[i];
		if (o->resolve_given[i])
			p->resolve_s[i] = o->resolve_s[i];
	}
	if (o->pause_response_given)
		p->pause_response = o->pause_response;
	return 0;
nomem:
	buf_release(&h);
	return diag_set(d, DIAG_NOMEM, "out of memory");
}

/* The stored form must compile: the same path every deadline takes. */
static int check_schedule(const struct store_partner *p, struct diag *d)
{
	struct schedule s;

	if (schedule_open_partner(&s, p, NULL, d) < 0)
		return -1;
	schedule_close(&s);
	return 0;
}

static void describe(struct buf *b, const struct store_partner *p)
{
	char wd[STORE_TEXT_LEN];

	store_workdays_format(p->workdays, wd);
	text_add_safe(b, p->name, 0);
	buf_addf(b, ", %s, %s, %s, %zu calendar%s", p->zone, wd,
	    p->hours[0] != '\0' ? p->hours : "whole days", p->ncalendars,
	    p->ncalendars == 1 ? "" : "s");
}

static int partner_add(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct partner_opts *o = opts_new();
	struct store_partner p, existing;
	struct ical_report rep;
	struct tz *tz = NULL;
	struct buf b = BUF_INIT;
	int rc = -1;

	if (o == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	store_partner_init(&p);
	/* the configuration's [sla] targets are the defaults of a new partner */
	for (int i = 0; i < STORE_NSEV; i++) {
		int64_t t = config_get_duration(ctx->cfg, "sla", NULL, store_severity_name(i));

		p.target_s[i] = t > 0 ? t : STORE_NONE;
	}
	ical_report_init(&rep);
	if (parse_settings(o, MODE_ADD, argc, argv, d) < 0)
		goto out;
	if (o->name == NULL) {
		diag_set(d, DIAG_USAGE, "--name NAME is required");
		goto out;
	}
	if (!o->zone_given) {
		diag_set(d, DIAG_USAGE, "--tz ZONE is required");
		goto out;
	}
	/* fail fast, before fetching anything; the store checks again */
	if (store_partner_get(ctx->store, o->key, &existing, d) == 0) {
		store_partner_release(&existing);
		diag_set(d, DIAG_INPUT, "partner '%s' already exists", o->key);
		goto out;
	}
	if (d->code != DIAG_INPUT)
		goto out;
	diag_clear(d);
	if ((tz = tz_load(o->spec.zone, d)) == NULL)
		goto out;
	if ((p.key = strdup(o->key)) == NULL || (p.name = strdup(o->name)) == NULL ||
	    (p.zone = strdup(tz_name(tz))) == NULL || (p.hours = strdup("")) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	if (apply_settings(o, &p, d) < 0 ||
	    load_calendars(ctx, o, &p, tz, &rep, d) < 0 ||
	    check_schedule(&p, d) < 0 ||
	    store_partner_add(ctx->store, &p, ctx->actor, ctx->now_at, d) < 0)
		goto out;
	print_warnings(&rep);
	buf_addf(&b, "added partner '%s': ", p.key);
	describe(&b, &p);
	printf("%s\n", buf_str(&b));
	rc = 0;
out:
	buf_release(&b);
	tz_free(tz);
	ical_report_release(&rep);
	store_partner_release(&p);
	opts_free(o);
	return rc;
}

static int same_targets(const struct store_partner *a, const struct store_partner *b)
{
	for (int i = 0; i < STORE_NSEV; i++)
		if (a->target_s[i] != b->target_s[i] || a->resolve_s[i] != b->resolve_s[i])
			return 0;
	return 1;
}

static int partner_edit(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct partner_opts *o = opts_new();
	struct store_partner old, neu;
	struct ical_report rep;
	struct tz *tz = NULL;
	int rc = -1, n, moved;

	if (o == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	store_partner_init(&old);
	store_partner_init(&neu);
	ical_report_init(&rep);
	if (parse_settings(o, MODE_EDIT, argc, argv, d) < 0)
		goto out;
	if (o->nchanges == 0) {
		diag_set(d, DIAG_USAGE, "partner edit: nothing to change (give --name, --tz, "
		    "--calendar, --target, ...)");
		goto out;
	}
	if (store_partner_get(ctx->store, o->key, &old, d) < 0 ||
	    store_partner_get(ctx->store, o->key, &neu, d) < 0)
		goto out;
	if ((tz = tz_load(o->zone_given ? o->spec.zone : neu.zone, d)) == NULL)
		goto out;
	if (o->zone_given) {
		/* store the zone's canonical spelling, as add does */
		o->spec.zone = tz_name(tz);
	}
	if (apply_settings(o, &neu, d) < 0)
		goto out;
	if (o->spec.ncalendars > 0 || o->clear_calendars) {
		if (load_calendars(ctx, o, &neu, tz, &rep, d) < 0)
			goto out;
	}
	if (check_schedule(&neu, d) < 0)
		goto out;
	if ((n = store_partner_update(ctx->store, &old, &neu, ctx->actor, ctx->now_at, d)) < 0)
		goto out;
	print_warnings(&rep);
	if (n == 0) {
		printf("partner '%s': nothing changed\n", old.key);
		rc = 0;
		goto out;
	}
	printf("partner '%s': %d change%s recorded\n", old.key, n, n == 1 ? "" : "s");
	moved = strcmp(old.zone, neu.zone) != 0 || old.workdays != neu.workdays ||
	    strcmp(old.hours, neu.hours) != 0 || !same_targets(&old, &neu) ||
	    o->spec.ncalendars > 0 || o->clear_calendars;
	if (moved)
		printf("existing deadlines do not move by themselves: run 'slatrack recompute "
		    "--partner %s' to update open tickets\n", old.key);
	if (old.pause_response != neu.pause_response)
		printf("--pause-response applies to waits that begin from now on; a ticket "
		    "waiting now keeps its clocks as they are until it resumes\n");
	rc = 0;
out:
	tz_free(tz);
	ical_report_release(&rep);
	store_partner_release(&old);
	store_partner_release(&neu);
	opts_free(o);
	return rc;
}

static int partner_archive(struct ctx *ctx, int argc, char **argv, int archive,
			   struct diag *d)
{
	struct store_partner old, neu;
	const char *key;
	char when[CIVIL_ISO_LEN];
	int rc = -1;

	store_partner_init(&old);
	store_partner_init(&neu);
	if (parse_simple(argc, argv, NULL, NULL, d) < 0 ||
	    one_key(archive ? "archive" : "unarchive", argc, argv, &key, d) < 0)
		return -1;
	if (store_partner_get(ctx->store, key, &old, d) < 0 ||
	    store_partner_get(ctx->store, key, &neu, d) < 0)
		goto out;
	if ((old.archived_at != STORE_NONE) == archive) {
		if (archive) {
			civil_format_utc(old.archived_at, when);
			printf("partner '%s' is already archived (since %s)\n", old.key, when);
		} else
			printf("partner '%s' is not archived\n", old.key);
		rc = 0;
		goto out;
	}
	neu.archived_at = archive ? ctx->now_at : STORE_NONE;
	if (store_partner_update(ctx->store, &old, &neu, ctx->actor, ctx->now_at, d) < 0)
		goto out;
	if (archive)
		printf("archived partner '%s': hidden from 'partner list', and new tickets "
		    "are refused; existing tickets stay\n", old.key);
	else
		printf("partner '%s' is active again\n", old.key);
	rc = 0;
out:
	store_partner_release(&old);
	store_partner_release(&neu);
	return rc;
}

/* ---- list --------------------------------------------------------------- */

static void horizon_text(int32_t day, char out[CIVIL_ISO_LEN])
{
	if (day == INT32_MAX)
		snprintf(out, CIVIL_ISO_LEN, "open-ended");
	else if (day < 0)
		snprintf(out, CIVIL_ISO_LEN, "no entries");
	else
		civil_format_day(day, out);
}

static void list_json(struct buf *b, const struct store_partner *v, size_t n)
{
	char t[CIVIL_ISO_LEN], wd[STORE_TEXT_LEN];

	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		const struct store_partner *p = &v[i];

		buf_adds(b, i ? ",\n{\"key\":" : "\n{\"key\":");
		json_add_string(b, p->key);
		buf_adds(b, ",\"name\":");
		json_add_string(b, p->name);
		buf_adds(b, ",\"zone\":");
		json_add_string(b, p->zone);
		store_workdays_format(p->workdays, wd);
		buf_adds(b, ",\"workdays\":");
		json_add_string(b, wd);
		buf_adds(b, ",\"hours\":");
		json_add_string(b, p->hours);
		buf_adds(b, ",\"contact\":");
		json_add_string(b, p->contact);
		buf_adds(b, ",\"target_s\":{");
		for (int k = 0; k < STORE_NSEV; k++) {
			buf_addf(b, "%s\"%s\":", k ? "," : "", store_severity_name(k));
			if (p->target_s[k] == STORE_NONE)
				buf_adds(b, "null");
			else
				buf_addf(b, "%lld", (long long)p->target_s[k]);
		}
		buf_adds(b, "},\"calendars\":[");
		for (size_t k = 0; k < p->ncalendars; k++) {
			const struct store_calendar *c = &p->calendars[k];

			buf_adds(b, k ? ",{\"source\":" : "{\"source\":");
			json_add_string(b, c->source);
			buf_adds(b, ",\"digest\":");
			json_add_string(b, c->digest);
			horizon_text(c->horizon_day, t);
			buf_adds(b, ",\"horizon\":");
			json_add_string(b, c->horizon_day >= 0 ? t : NULL);
			civil_format_utc(c->fetched_at, t);
			buf_adds(b, ",\"fetched_at\":");
			json_add_string(b, t);
			buf_adds(b, ",\"last_error\":");
			json_add_string(b, c->last_error);
			buf_addc(b, '}');
		}
		civil_format_utc(p->created_at, t);
		buf_adds(b, "],\"created_at\":");
		json_add_string(b, t);
		buf_adds(b, ",\"archived_at\":");
		if (p->archived_at == STORE_NONE)
			buf_adds(b, "null");
		else {
			civil_format_utc(p->archived_at, t);
			json_add_string(b, t);
		}
		/* new fields last: readers of the older ones see them unchanged */
		buf_adds(b, ",\"resolve_s\":{");
		for (int k = 0; k < STORE_NSEV; k++) {
			buf_addf(b, "%s\"%s\":", k ? "," : "", store_severity_name(k));
			if (p->resolve_s[k] == STORE_NONE)
				buf_adds(b, "null");
			else
				buf_addf(b, "%lld", (long long)p->resolve_s[k]);
		}
		buf_addf(b, "},\"pause_response\":%s", p->pause_response ? "true" : "false");
		buf_addc(b, '}');
	}
	buf_adds(b, n ? "\n]\n" : "]\n");
}

static void list_csv(struct buf *b, const struct store_partner *v, size_t n)
{
	static const char *const head[] = {
		"key", "name", "zone", "workdays", "hours", "contact", "calendars",
		"target_critical", "target_high", "target_medium", "target_low",
		"created_at", "archived_at",
		"resolve_critical", "resolve_high", "resolve_medium", "resolve_low",
		"pause_response"
	};
	char t[CIVIL_ISO_LEN], wd[STORE_TEXT_LEN];

	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		csv_add_field(b, head[i], i == 0);
	csv_end_record(b);
	for (size_t i = 0; i < n; i++) {
		const struct store_partner *p = &v[i];
		struct buf cals = BUF_INIT;

		for (size_t k = 0; k < p->ncalendars; k++) {
			if (k)
				buf_addc(&cals, ' ');
			buf_adds(&cals, p->calendars[k].source);
		}
		store_workdays_format(p->workdays, wd);
		/* for people: names never start a spreadsheet formula (csv.h) */
		csv_add_cell(b, p->key, 1, CSV_PEOPLE);
		csv_add_cell(b, p->name, 0, CSV_PEOPLE);
		csv_add_field(b, p->zone, 0);
		csv_add_field(b, wd, 0);
		csv_add_field(b, p->hours, 0);
		csv_add_cell(b, p->contact, 0, CSV_PEOPLE);
		csv_add_cell(b, buf_str(&cals), 0, CSV_PEOPLE);
		buf_release(&cals);
		for (int k = 0; k < STORE_NSEV; k++) {
			char dur[STORE_TEXT_LEN];

			store_duration_format(p->target_s[k], dur);
			csv_add_field(b, dur, 0);
		}
		civil_format_utc(p->created_at, t);
		csv_add_field(b, t, 0);
		if (p->archived_at != STORE_NONE)
			civil_format_utc(p->archived_at, t);
		csv_add_field(b, p->archived_at != STORE_NONE ? t : NULL, 0);
		for (int k = 0; k < STORE_NSEV; k++) {
			char dur[STORE_TEXT_LEN];

			store_duration_format(p->resolve_s[k], dur);
			csv_add_field(b, dur, 0);
		}
		csv_add_field(b, p->pause_response ? "yes" : "no", 0);
		csv_end_record(b);
	}
}

enum { COL_KEY, COL_NAME, COL_ZONE, COL_WEEK, COL_HOURS, COL_CALS, COL_TARGETS,
       COL_STATE, NCOLS };

static void targets_text(struct buf *b, const struct store_partner *p)
{
	int any = 0;

	for (int k = 0; k < STORE_NSEV; k++) {
		char dur[STORE_TEXT_LEN];

		if (p->target_s[k] == STORE_NONE)
			continue;
		store_duration_format(p->target_s[k], dur);
		buf_addf(b, "%s%s=%s", any ? " " : "", store_severity_name(k), dur);
		any = 1;
	}
	if (!any)
		buf_adds(b, "untimed");
}

static void list_table(struct buf *out, const struct store_partner *v, size_t n, int all)
{
	static const char *const head[NCOLS] = {
		"KEY", "NAME", "ZONE", "WEEK", "HOURS", "CALENDARS", "TARGETS", "STATE"
	};
	int ncols = all ? NCOLS : NCOLS - 1;
	struct buf *cell = calloc((n + 1) * NCOLS, sizeof *cell);
	size_t width[NCOLS] = { 0 };

	if (cell == NULL) {
		out->failed = 1;
		return;
	}
	for (size_t r = 0; r <= n; r++)
		for (int c = 0; c < ncols; c++) {
			struct buf *b = &cell[r * NCOLS + c];
			const struct store_partner *p = r ? &v[r - 1] : NULL;
			char wd[STORE_TEXT_LEN];

			buf_init(b);
			if (p == NULL)
				buf_adds(b, head[c]);
			else
				switch (c) {
				case COL_KEY: buf_adds(b, p->key); break;
				case COL_NAME: text_add_safe(b, p->name, 0); break;
				case COL_ZONE: buf_adds(b, p->zone); break;
				case COL_WEEK:
					store_workdays_format(p->workdays, wd);
					buf_adds(b, wd);
					break;
				case COL_HOURS:
					buf_adds(b, p->hours[0] ? p->hours : "whole days");
					break;
				case COL_CALS: buf_addf(b, "%zu", p->ncalendars); break;
				case COL_TARGETS: targets_text(b, p); break;
				case COL_STATE:
					buf_adds(b, p->archived_at == STORE_NONE ? "active" : "archived");
					break;
				}
			{
				size_t w = ticketfmt_width(buf_str(b), b->len);

				if (w > width[c])
					width[c] = w;
			}
		}
	for (size_t r = 0; r <= n; r++) {
		for (int c = 0; c < ncols; c++) {
			struct buf *b = &cell[r * NCOLS + c];

			buf_adds(out, buf_str(b));
			if (c + 1 < ncols)
				for (size_t w = ticketfmt_width(buf_str(b), b->len); w < width[c] + 2; w++)
					buf_addc(out, ' ');
			buf_release(b);
		}
		buf_addc(out, '\n');
	}
	free(cell);
}

static int partner_list(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct store_partner *v;
	size_t n;
	int all = 0, rc = 0;
	const char *format = "table";
	struct buf b = BUF_INIT;

	if (parse_simple(argc, argv, &all, &format, d) < 0)
		return -1;
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (store_partner_list(ctx->store, all, &v, &n, d) < 0)
		return -1;
	if (strcmp(format, "json") == 0)
		list_json(&b, v, n);
	else if (strcmp(format, "csv") == 0)
		list_csv(&b, v, n);
	else if (n == 0)
		buf_adds(&b, all ? "no partners\n" : "no active partners\n");
	else
		list_table(&b, v, n, all);
	if (buf_failed(&b))
		rc = diag_set(d, DIAG_NOMEM, "out of memory");
	else
		fputs(buf_str(&b), stdout);
	buf_release(&b);
	store_partner_list_free(v, n);
	return rc;
}

/* ---- show --------------------------------------------------------------- */

static void show_calendars(struct buf *b, const struct store_partner *p)
{
	char t[CIVIL_ISO_LEN];

	buf_adds(b, "calendars\n");
	if (p->ncalendars == 0)
		buf_adds(b, "  none\n");
	for (size_t i = 0; i < p->ncalendars; i++) {
		const struct store_calendar *c = &p->calendars[i];
		const char *f = c->filters;

		buf_addf(b, "  %zu. ", i + 1);
		text_add_safe(b, c->source, 0);
		buf_adds(b, fetch_is_url(c->source) ? "  (URL)\n" : "  (file)\n");
		while (f != NULL && *f != '\0') {
			size_t len = strcspn(f, "\n");

			if (len > 0) {
				buf_addf(b, "     %-12s", *f == '+' ? "include" : "exclude");
				text_add_safe_n(b, f + 1, len - 1, 0);
				buf_addc(b, '\n');
			}
			f += len + (f[len] == '\n');
		}
		buf_addf(b, "     %-12s%.12s  (%zu bytes)\n", "digest", c->digest, c->body_len);
		horizon_text(c->horizon_day, t);
		buf_addf(b, "     %-12s%s\n", "horizon", t);
		civil_format_utc(c->fetched_at, t);
		buf_addf(b, "     %-12s%s\n", "refreshed", t);
		if (c->etag != NULL || c->last_modified != NULL) {
			buf_addf(b, "     %-12s", "validators");
			if (c->etag != NULL) {
				buf_adds(b, "ETag ");
				text_add_safe(b, c->etag, 0);
			}
			if (c->last_modified != NULL) {
				buf_adds(b, c->etag != NULL ? ", Last-Modified " : "Last-Modified ");
				text_add_safe(b, c->last_modified, 0);
			}
			buf_addc(b, '\n');
		}
		buf_addf(b, "     %-12s", "last error");
		if (c->last_error != NULL)
			text_add_safe(b, c->last_error, 0);
		else
			buf_adds(b, "none");
		buf_addc(b, '\n');
	}
}

static void show_now_and_days(struct buf *b, const struct schedule *s, int64_t now_at)
{
	char loc[TIMEFMT_LEN], day[CIVIL_ISO_LEN];
	int64_t today = civil_div(tz_utc_to_local(s->tz, now_at), CIVIL_DAY_S), next;
	int found = 0;
	struct diag d;

	timefmt_local(s->tz, now_at, loc);
	buf_addf(b, "now         %s: %s\n", loc,
	    cal_is_working(s->cal, now_at) ? "working time" : "not working time");
	if (!cal_is_working(s->cal, now_at) &&
	    cal_next_working(s->cal, now_at, &next, &d) == 0) {
		timefmt_local(s->tz, next, loc);
		buf_addf(b, "            working time resumes %s\n", loc);
	}
	buf_adds(b, "next non-working days\n");
	for (int64_t dd = today; dd < today + SHOW_SEARCH_DAYS && found < SHOW_NONWORKING_DAYS;
	    dd++) {
		const struct cal_day *e = NULL;
		enum cal_reason r;
		int64_t y;
		int m, dm;

		civil_ymd_from_days(dd, &y, &m, &dm);
		if (y > CAL_LAST_YEAR)
			break;
		r = cal_day_reason(s->cal, (int32_t)dd, &e);
		if (r != CAL_WEEKEND && r != CAL_HOLIDAY)
			continue;
		civil_format_day(dd, day);
		buf_addf(b, "  %s %s  ", civil_weekday_name(civil_weekday(dd)), day);
		if (r == CAL_WEEKEND)
			buf_adds(b, "weekend");
		else {
			buf_adds(b, "holiday ");
			text_add_safe(b, e != NULL && e->name != NULL ? e->name : "(no name)", 0);
			buf_adds(b, " (");
			text_add_safe(b, e != NULL && e->source != NULL ? e->source : "?", 0);
			buf_addf(b, ":%d)", e != NULL ? e->line : 0);
		}
		buf_addc(b, '\n');
		found++;
	}
	if (found == 0)
		buf_adds(b, "  none in the next three years\n");
}

/* Who gets the partner's reminders besides the assignee, team and
 * managers: its contact and [partner "KEY"] notify. */
static void show_notified(struct buf *b, const struct ctx *ctx, const struct store_partner *p)
{
	struct buf who = BUF_INIT;

	remind_partner_recipients(ctx->cfg, p->key, p->contact, &who);
	buf_adds(b, "\nnotified    ");
	if (who.len > 0) {
		text_add_safe(b, buf_str(&who), 0);
		buf_adds(b, " (every reminder and breach notice)");
	} else
		buf_adds(b, "none besides the assignee or team and the managers");
	buf_release(&who);
}

static int partner_show(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct store_partner p;
	struct schedule s;
	struct buf b = BUF_INIT;
	struct diag sd;
	const char *key;
	char t[CIVIL_ISO_LEN], wd[STORE_TEXT_LEN];
	int rc = -1;

	if (parse_simple(argc, argv, NULL, NULL, d) < 0 || one_key("show", argc, argv, &key, d) < 0)
		return -1;
	if (store_partner_get(ctx->store, key, &p, d) < 0)
		return -1;
	buf_addf(&b, "partner     %s (#%lld)\n", p.key, (long long)p.id);
	buf_adds(&b, "name        ");
	text_add_safe(&b, p.name, 0);
	buf_addf(&b, "\nzone        %s\n", p.zone);
	store_workdays_format(p.workdays, wd);
	buf_addf(&b, "week        %s\n", wd);
	buf_addf(&b, "hours       %s\n", p.hours[0] ? p.hours : "whole days (00:00-24:00)");
	buf_adds(&b, "contact     ");
	text_add_safe(&b, p.contact != NULL ? p.contact : "none", 0);
	show_notified(&b, ctx, &p);
	buf_adds(&b, "\ntargets     ");
	for (int k = 0; k < STORE_NSEV; k++) {
		store_duration_format(p.target_s[k], wd);
		buf_addf(&b, "%s%s %s", k ? ", " : "", store_severity_name(k),
		    p.target_s[k] == STORE_NONE ? "none (tracked, not timed)" : wd);
	}
	buf_adds(&b, "\nresolution  ");
	for (int k = 0; k < STORE_NSEV; k++) {
		store_duration_format(p.resolve_s[k], wd);
		buf_addf(&b, "%s%s %s", k ? ", " : "", store_severity_name(k), wd);
	}
	buf_addf(&b, "\nwaiting     pause response: %s", p.pause_response ?
	    "yes (waiting on the customer stops the response clock too)" :
	    "no (waiting on the customer stops the resolution clock only)");
	civil_format_utc(p.created_at, t);
	buf_addf(&b, "\ncreated     %s\n", t);
	if (p.archived_at != STORE_NONE) {
		civil_format_utc(p.archived_at, t);
		buf_addf(&b, "status      archived since %s (no new tickets)\n", t);
	} else
		buf_adds(&b, "status      active\n");
	show_calendars(&b, &p);
	diag_clear(&sd);
	if (schedule_open_partner(&s, &p, NULL, &sd) == 0) {
		show_now_and_days(&b, &s, ctx->now_at);
		schedule_close(&s);
	} else {
		buf_adds(&b, "schedule    cannot be compiled: ");
		text_add_safe(&b, sd.msg, 0);
		buf_addc(&b, '\n');
	}
	if (buf_failed(&b))
		diag_set(d, DIAG_NOMEM, "out of memory");
	else {
		fputs(buf_str(&b), stdout);
		rc = 0;
	}
	buf_release(&b);
	store_partner_release(&p);
	return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

static int partner_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	const char *sub = argc >= 2 ? argv[1] : NULL;

	if (sub == NULL)
		return diag_set(d, DIAG_USAGE, "which partner command? (add, list, show, edit, "
		    "archive, unarchive)");
	argc--;
	argv++;
	if (strcmp(sub, "add") == 0)
		return partner_add(ctx, argc, argv, d);
	if (strcmp(sub, "list") == 0)
		return partner_list(ctx, argc, argv, d);
	if (strcmp(sub, "show") == 0)
		return partner_show(ctx, argc, argv, d);
	if (strcmp(sub, "edit") == 0)
		return partner_edit(ctx, argc, argv, d);
	if (strcmp(sub, "archive") == 0)
		return partner_archive(ctx, argc, argv, 1, d);
	if (strcmp(sub, "unarchive") == 0)
		return partner_archive(ctx, argc, argv, 0, d);
	return diag_set(d, DIAG_USAGE, "unknown partner command '%s'", sub);
}

/* add may create the database; list and show only read it. */
static unsigned partner_db_flags(int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";

	if (strcmp(sub, "add") == 0)
		return CMD_DB_CREATE;
	return strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ? CMD_DB_READ : 0;
}

const struct cmd_entry cmd_partner_entry = {
	.name = "partner",
	.summary = "add, list, show, edit and archive partners",
	.usage =
		"add KEY --name NAME --tz ZONE [SCHEDULE OPTIONS] [--target SEV=DUR]... [--target-resolve SEV=DUR]... [--pause-response yes|no] [--contact EMAIL]\n"
		"list [--all] [--format table|csv|json]\n"
		"show KEY\n"
		"edit KEY [--name NAME] [SCHEDULE OPTIONS] [--target SEV=DUR]... [--target-resolve SEV=DUR]... [--pause-response yes|no] [--contact EMAIL] [--clear-calendars]\n"
		"archive KEY\n"
		"unarchive KEY",
	.help =
		"A partner is a customer organisation whose tickets count working time in its\n"
		"own zone, week, hours and holiday calendars.  KEY is 1-64 characters of\n"
		"A-Z a-z 0-9 . _ - (or #ID for the numeric id).\n\n"
		"SCHEDULE OPTIONS are --tz, --calendar FILE_OR_URL (with --include and\n"
		"--exclude after it), --workdays and --hours.  A calendar is a file or an\n"
		"https:// URL (http:// only for localhost): it is read and checked now and\n"
		"cached in the database; 'slatrack calendar refresh' reads it again.\n\n"
		"  --name NAME           the partner's display name (required for add)\n"
		SCHEDOPT_HELP
		"  --target SEV=DUR      SLA target per severity (critical, high, medium, low):\n"
		"                        24h, 90m, 1h30m, seconds, or none for tracked but not\n"
		"                        timed; defaults critical=24h high=24h, others none\n"
		"  --target-resolve SEV=DUR\n"
		"                        resolution target per severity: working time from\n"
		"                        creation to resolution, the time spent waiting on the\n"
		"                        customer left out; none (the default) for no\n"
		"                        resolution clock\n"
		"  --pause-response yes|no\n"
		"                        whether waiting on the customer ('ticket wait') also\n"
		"                        stops the response clock of a ticket not yet answered\n"
		"                        (default no: it stops the resolution clock only)\n"
		"  --contact EMAIL       the partner's support address (edit: '' removes it)\n"
		"  --clear-calendars     (edit) remove every calendar; --calendar instead\n"
		"                        replaces the whole list\n"
		"  --all                 (list) include archived partners\n"
		"  --format FORMAT       (list) table (default), csv or json\n\n"
		"show prints every setting, each calendar's source, digest, horizon, last\n"
		"refresh and last error, the partner's local time now and whether it is\n"
		"working time, and the next ten non-working days with their reasons.\n"
		"archive hides a partner from list and refuses new tickets for it.\n"
		"Every change is recorded in the audit trail.  After a change of zone, week,\n"
		"hours, targets (--target, --target-resolve) or calendars, run 'slatrack\n"
		"recompute --partner KEY' to move the deadlines of open tickets.\n"
		"\nexit status: 0 success, 2 usage error, 3 bad input (unknown zone, a\n"
		"malformed calendar named FILE:LINE, duplicate or unknown partner),\n"
		"4 storage or network failure; nothing is written on error\n",
	.db_flags = partner_db_flags,
	.exec = partner_exec,
};
