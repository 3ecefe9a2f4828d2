/* cmd-calendar.c: `slatrack calendar check`: validate a holiday feed and
 * list what it closes, so an admin can trust a file before a partner
 * uses it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "cli/cmd.h"
#include "cli/timefmt.h"
#include "ical.h"
#include "schedule.h"
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
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
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

static int calendar_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	if (argc < 2)
		return diag_set(d, DIAG_USAGE, "which calendar command? (check)");
	if (strcmp(argv[1], "check") == 0)
		return calendar_check(ctx, argc - 1, argv + 1, d);
	return diag_set(d, DIAG_USAGE, "unknown calendar command '%s'", argv[1]);
}

const struct cmd_entry cmd_calendar_entry = {
	.name = "calendar",
	.summary = "check holiday calendars (iCalendar files)",
	.usage = "check FILE.ics [--from YEAR] [--to YEAR] [--tz ZONE] "
		 "[--include FILTER]... [--exclude FILTER]...",
	.help =
		"calendar check validates FILE.ics and lists every holiday, make-up working\n"
		"day and timed closure in the years asked for, with its name and source line.\n"
		"Warnings (exit status 0) go to standard error: a series that ends before\n"
		"--to, two holidays on one date, DTSTART and DTEND of different types, names\n"
		"that look like observances rather than days off, events with no SUMMARY.\n\n"
		"  --from YEAR        first year to list (default: this year)\n"
		"  --to YEAR          last year to list (default: the year after --from)\n"
		"  --tz ZONE          zone for floating times and for showing closures\n"
		"                     (default UTC)\n"
		"  --include FILTER   keep only events matching\n"
		"                     [summary:|description:|categories:]TEXT\n"
		"  --exclude FILTER   drop events matching FILTER\n"
		"\nexit status: 0 valid (perhaps with warnings), 2 usage error,\n"
		"3 the file is malformed (the message names FILE:LINE)\n",
	.flags = CMD_NO_DB,
	.exec = calendar_exec,
};
