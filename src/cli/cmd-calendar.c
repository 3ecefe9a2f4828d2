/* cmd-calendar.c: `slatrack calendar check`: validate a holiday feed and
 * list what it closes, so an admin can trust a file before a partner
 * uses it; `slatrack calendar refresh`: re-read the partners' calendars
 * into the database, keeping the last good copy when a source fails. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "cli/calsource.h"
#include "cli/cmd.h"
#include "cli/sysinfo.h"
#include "cli/timefmt.h"
#include "ical.h"
#include "schedule.h"
#include "store.h"
#include "text.h"
#include "tz.h"

struct check_opts {
	const char *path, *zone;
	int64_t from_year, to_year;
	struct ical_filter filters[SCHEDULE_MAX_FILTERS];
	size_t nfilters;
};

static int parse_check(struct check_opts *o, int argc, char **argv, int64_t now_year,
		       struct diag *d)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "tz", required_argument, NULL, 'z' },
		{ "include", required_argument, NULL, 'i' },
		{ "exclude", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->zone = "UTC";
	o->from_year = now_year;
	o->to_year = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case 't':
			if (civil_parse_i64(optarg, CAL_FIRST_YEAR, CAL_LAST_YEAR,
			    c == 'f' ? &o->from_year : &o->to_year) < 0)
				return diag_set(d, DIAG_USAGE, "--%s: bad year '%s' (%d..%d)",
				    c == 'f' ? "from" : "to", optarg, CAL_FIRST_YEAR, CAL_LAST_YEAR);
			break;
		case 'z':
			o->zone = optarg;
			break;
		case 'i':
		case 'x':
			if (o->nfilters == SCHEDULE_MAX_FILTERS)
				return diag_set(d, DIAG_USAGE, "at most %d filters", SCHEDULE_MAX_FILTERS);
			if (ical_parse_filter(optarg, c == 'x', &o->filters[o->nfilters], d) < 0)
				return -1;
			o->nfilters++;
			break;
		default:
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return diag_set(d, DIAG_USAGE, optind >= argc ? "no calendar file given" :
		    "one calendar file at a time");
	o->path = argv[optind];
	if (o->to_year < 0)
		o->to_year = o->from_year + 1;
	if (o->to_year < o->from_year)
		return diag_set(d, DIAG_USAGE, "--to %lld is before --from %lld",
		    (long long)o->to_year, (long long)o->from_year);
	return 0;
}

static void print_day(struct buf *b, const struct cal_day *e)
{
	char day[CIVIL_ISO_LEN];

	civil_format_day(e->day, day);
	buf_addf(b, "%s %s  %-8s ", day, civil_weekday_name(civil_weekday(e->day)),
	    e->kind == CAL_DAY_HOLIDAY ? "holiday" : "workday");
	text_add_safe(b, e->name, 0);
	buf_adds(b, "  ");
	text_add_safe(b, e->source, 0);
	buf_addf(b, ":%d\n", e->line);
}

static void print_closure(struct buf *b, const struct tz *tz, const struct cal_closure *e)
{
	char from[TIMEFMT_LEN], to[TIMEFMT_LEN];
	int64_t day = civil_div(tz_utc_to_local(tz, e->start_at), CIVIL_DAY_S);

	timefmt_local(tz, e->start_at, from);
	if (civil_div(tz_utc_to_local(tz, e->end_at - 1), CIVIL_DAY_S) == day)
		timefmt_clock(tz, e->end_at, day, to);
	else
		timefmt_local(tz, e->end_at, to);
	buf_addf(b, "%s - %s  closed   ", from + 4, to);
	text_add_safe(b, e->name, 0);
	buf_adds(b, "  ");
	text_add_safe(b, e->source, 0);
	buf_addf(b, ":%d\n", e->line);
}

static int calendar_check(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct check_opts o;
	struct ical_report rep;
	struct cal_rules *rules = NULL;
	struct tz *tz = NULL;
	struct buf b = BUF_INIT;
	int64_t y, first, last;
	size_t nd, nc, nholiday = 0, nmakeup = 0, nclosure = 0;
	int m, dd, rc = -1;
	const struct cal_day *days;
	const struct cal_closure *cls;

	memset(&o, 0, sizeof o);
	civil_ymd_from_days(civil_div(ctx->now_at, CIVIL_DAY_S), &y, &m, &dd);
	if (parse_check(&o, argc, argv, y, d) < 0)
		return -1;
	ical_report_init(&rep);
	if ((tz = tz_load(o.zone, d)) == NULL) {
		diag_prefix(d, "--tz");
		goto out;
	}
	if ((rules = cal_rules_new()) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	{
		struct ical_options io = {
			.source = o.path, .local = tz, .filters = o.filters,
			.nfilters = o.nfilters, .from_year = (int)o.from_year,
			.to_year = (int)o.to_year,
		};

		if (ical_load_file(&io, rules, &rep, d) < 0)
			goto out;
	}
	cal_rules_sort(rules);
	first = civil_days_from_ymd(o.from_year, 1, 1);
	last = civil_days_from_ymd(o.to_year, 12, 31);
	days = cal_rules_days(rules, &nd);
	cls = cal_rules_closures(rules, &nc);
	for (size_t i = 0, j = 0; i < nd || j < nc;) {
		int take_day = j >= nc || (i < nd &&
		    (int64_t)days[i].day * CIVIL_DAY_S <= tz_utc_to_local(tz, cls[j].start_at));

		buf_reset(&b);
		if (take_day) {
			if (days[i].day >= first && days[i].day <= last) {
				print_day(&b, &days[i]);
				*(days[i].kind == CAL_DAY_HOLIDAY ? &nholiday : &nmakeup) += 1;
			}
			i++;
		} else {
			int64_t ld = civil_div(tz_utc_to_local(tz, cls[j].start_at), CIVIL_DAY_S);

			if (ld >= first && ld <= last) {
				print_closure(&b, tz, &cls[j]);
				nclosure++;
			}
			j++;
		}
		fputs(buf_str(&b), stdout);
	}
	for (size_t i = 0; i < rep.nwarnings; i++) {
		buf_reset(&b);
		buf_adds(&b, "warning: ");
		text_add_safe(&b, rep.warnings[i], 0);
		fprintf(stderr, "%s\n", buf_str(&b));
	}
	buf_reset(&b);
	text_add_safe(&b, o.path, 0);
	printf("%s: %zu holidays, %zu make-up working days, %zu closures in %lld-%lld"
	    " (times in %s); %zu warnings\n", buf_str(&b), nholiday, nmakeup, nclosure,
	    (long long)o.from_year, (long long)o.to_year, tz_name(tz), rep.nwarnings);
	rc = 0;
out:
	buf_release(&b);
	ical_report_release(&rep);
	cal_rules_free(rules);
	tz_free(tz);
	return rc;
}

/* ---- calendar refresh --------------------------------------------------- */

/* "KEY: SOURCE: message" for one calendar, sanitised; the message is
 * prefixed with the source unless it already names it. */
static void refresh_label(struct buf *b, const char *key, const char *source,
			  const char *msg)
{
	buf_addf(b, "%s: ", key);
	if (msg == NULL || strncmp(msg, source, strlen(source)) != 0) {
		text_add_safe(b, source, 0);
		buf_adds(b, ": ");
	}
	if (msg != NULL)
		text_add_safe(b, msg, 0);
}

/* Refreshes every calendar of p; returns the worst exit status of a
 * failed source (3 malformed, 4 network), or -1 when the store fails. */
static int refresh_partner(struct ctx *ctx, struct store_partner *p, int *changed,
			   struct diag *d)
{
	struct tz *tz;
	struct diag zd;
	struct buf b = BUF_INIT;
	int worst = 0;

	diag_clear(&zd);
	if ((tz = tz_load(p->zone, &zd)) == NULL) {
		fprintf(stderr, "slatrack: calendar refresh: %s: %s\n", p->key, zd.msg);
		return 3;
	}
	for (size_t i = 0; i < p->ncalendars; i++) {
		struct store_calendar *c = &p->calendars[i];
		struct ical_report rep;
		struct diag cd;
		char old_digest[65], t[CIVIL_ISO_LEN];
		int unchanged = 0, status;

		ical_report_init(&rep);
		diag_clear(&cd);
		memcpy(old_digest, c->digest, sizeof old_digest);
		buf_reset(&b);
		if (calsource_load(c, tz, ctx->now_at, 1, &unchanged, &rep, &cd) < 0) {
			if (cd.code == DIAG_NOMEM || cd.code == DIAG_STORE) {
				*d = cd;
				ical_report_release(&rep);
				goto fail;
			}
			status = cd.code == DIAG_NET ? 4 : 3;
			worst = status > worst ? status : worst;
			free(c->last_error);
			if ((c->last_error = strdup(cd.msg)) == NULL) {
				diag_set(d, DIAG_NOMEM, "out of memory");
				ical_report_release(&rep);
				goto fail;
			}
			civil_format_utc(c->fetched_at, t);
			t[10] = '\0';
			buf_adds(&b, "slatrack: calendar refresh: ");
			refresh_label(&b, p->key, c->source, cd.msg);
			buf_addf(&b, " \xe2\x80\x94 keeping the copy from %s", t);
			fprintf(stderr, "%s\n", buf_str(&b));
			{
				/* only the error is stored: the body stays */
				struct store_calendar err = *c;

				err.body = NULL;
				if (store_calendar_refreshed(ctx->store, p->id, &err, ctx->actor,
				    ctx->now_at, d) < 0) {
					if (d->code != DIAG_INPUT) {
						ical_report_release(&rep);
						goto fail;
					}
					diag_clear(d);	/* edited meanwhile */
				}
			}
			ical_report_release(&rep);
			continue;
		}
		for (size_t k = 0; !unchanged && k < rep.nwarnings; k++) {
			buf_reset(&b);
			buf_addf(&b, "warning: %s: ", p->key);
			text_add_safe(&b, rep.warnings[k], 0);
			fprintf(stderr, "%s\n", buf_str(&b));
		}
		ical_report_release(&rep);
		if (store_calendar_refreshed(ctx->store, p->id, c, ctx->actor, ctx->now_at, d) < 0) {
			if (d->code != DIAG_INPUT)
				goto fail;
			/* the partner was edited meanwhile: its new list stands */
			buf_reset(&b);
			buf_adds(&b, "slatrack: calendar refresh: ");
			refresh_label(&b, p->key, c->source, d->msg);
			fprintf(stderr, "%s\n", buf_str(&b));
			diag_clear(d);
			worst = worst > 3 ? worst : 3;
			continue;
		}
		buf_reset(&b);
		refresh_label(&b, p->key, c->source, NULL);
		if (unchanged)
			buf_adds(&b, "unchanged");
		else {
			char h[CIVIL_ISO_LEN];

			if (c->horizon_day == INT32_MAX)
				snprintf(h, sizeof h, "open-ended");
			else if (c->horizon_day < 0)
				snprintf(h, sizeof h, "no entries");
			else
				civil_format_day(c->horizon_day, h);
			buf_addf(&b, "updated (%.12s -> %.12s), horizon %s", old_digest,
			    c->digest, h);
			(*changed)++;
		}
		printf("%s\n", buf_str(&b));
	}
	buf_release(&b);
	tz_free(tz);
	return worst;
fail:
	buf_release(&b);
	tz_free(tz);
	return -1;
}

static int calendar_refresh(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct store_partner *v = NULL;
	struct store *own = NULL;
	size_t n = 0;
	int changed = 0, worst = 0, rc = -1;

	opterr = 0;
	if (getopt_long(argc, argv, "", opts, NULL) != -1)
		return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
		    argv[optind - 1]);
	if (argc - optind > 1)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind + 1]);
	if (ctx->store == NULL) {
		/* `calendar check` needs no database; refresh opens it here,
		 * and only an existing one: its partners are what it refreshes */
		if ((ctx->store = own = store_open_mode(ctx->db_path, STORE_EXISTING,
		    d)) == NULL)
			return -1;
	}
	if (optind < argc) {
		if ((v = calloc(1, sizeof *v)) == NULL) {
			diag_set(d, DIAG_NOMEM, "out of memory");
			goto out;
		}
		if (store_partner_get(ctx->store, argv[optind], v, d) < 0) {
			free(v);
			v = NULL;
			goto out;
		}
		n = 1;
	} else if (store_partner_list(ctx->store, 0, &v, &n, d) < 0)
		goto out;
	if (n == 0)
		printf("no active partners\n");
	for (size_t i = 0; i < n; i++) {
		int r = refresh_partner(ctx, &v[i], &changed, d);

		if (r < 0)
			goto out;
		worst = r > worst ? r : worst;
	}
	if (changed > 0)
		printf("%d calendar%s changed: existing deadlines do not move by themselves; "
		    "run 'slatrack recompute' to update open tickets\n", changed,
		    changed == 1 ? "" : "s");
	rc = worst;
out:
	store_partner_list_free(v, n);
	if (own != NULL) {
		store_close(own);
		ctx->store = NULL;
	}
	return rc;
}

static int calendar_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	if (argc < 2)
		return diag_set(d, DIAG_USAGE, "which calendar command? (check, refresh)");
	if (strcmp(argv[1], "check") == 0)
		return calendar_check(ctx, argc - 1, argv + 1, d);
	if (strcmp(argv[1], "refresh") == 0)
		return calendar_refresh(ctx, argc - 1, argv + 1, d);
	return diag_set(d, DIAG_USAGE, "unknown calendar command '%s'", argv[1]);
}

const struct cmd_entry cmd_calendar_entry = {
	.name = "calendar",
	.summary = "check holiday calendars; refresh the partners' cached copies",
	.usage = "check FILE.ics [--from YEAR] [--to YEAR] [--tz ZONE] "
		 "[--include FILTER]... [--exclude FILTER]...\n"
		 "refresh [KEY]",
	.help =
		"calendar check validates FILE.ics and lists every holiday, make-up working\n"
		"day and timed closure in the years asked for, with its name and source line.\n"
		"Warnings (exit status 0) go to standard error: a series that ends before\n"
		"--to, two holidays on one date, DTSTART and DTEND of different types, names\n"
		"that look like observances rather than days off, events with no SUMMARY,\n"
		"an EXDATE or RECURRENCE-ID that matches nothing, an override whose series\n"
		"is not in the same file, RANGE=THISANDFUTURE (not supported).  FILE.ics\n"
		"must be a regular file (not a FIFO or a device).  See\n"
		"slatrack-calendars(5).\n\n"
		"  --from YEAR        first year to list (default: this year)\n"
		"  --to YEAR          last year to list (default: the year after --from)\n"
		"  --tz ZONE          zone for floating times and for showing closures\n"
		"                     (default UTC)\n"
		"  --include FILTER   keep only events matching\n"
		"                     [summary:|description:|categories:]TEXT\n"
		"  --exclude FILTER   drop events matching FILTER\n"
		"\ncalendar refresh re-reads the calendar files and re-fetches the URLs of one\n"
		"partner (KEY) or of every active partner, sending the stored ETag and\n"
		"Last-Modified so an unchanged feed costs a 304.  A source that fails or\n"
		"does not parse keeps the last good copy: the error is stored, shown by\n"
		"'partner show', and printed on standard error.  Every source is tried.\n"
		"A changed calendar is recorded in the audit trail; existing deadlines move\n"
		"only with 'slatrack recompute'.\n"
		"\nexit status: 0 valid (perhaps with warnings) or all refreshed, 2 usage\n"
		"error, 3 the file is malformed (the message names FILE:LINE), 4 a fetch or\n"
		"the database failed (refresh: 4 wins over 3)\n",
	.flags = CMD_NO_DB,
	.exec = calendar_exec,
};
