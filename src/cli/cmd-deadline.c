/* cmd-deadline.c: `slatrack deadline`, the working-time calculator that
 * outside checks rely on (man/slatrack.1). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cal.h"
#include "civil.h"
#include "cli/cmd.h"
#include "cli/explain.h"
#include "cli/schedopt.h"
#include "cli/timefmt.h"
#include "schedule.h"
#include "store.h"
#include "ticketfmt.h"
#include "tz.h"

enum deadline_format { FORMAT_HUMAN, FORMAT_ISO };

struct deadline_opts {
	struct schedule_spec spec;
	int64_t target_s;		/* STORE_NONE: the partner's, else 24h */
	const char *at, *partner;
	int severity;			/* with --partner: whose target applies */
	int batch, explain, zone_given, schedule_given;
	enum deadline_format format;
};

static int parse_args(struct deadline_opts *o, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		SCHEDOPT_LONG_OPTIONS,
		{ "target", required_argument, NULL, 't' },
		{ "at", required_argument, NULL, 'a' },
		{ "batch", no_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "explain", no_argument, NULL, 'e' },
		{ "partner", required_argument, NULL, 'p' },
		{ "severity", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if ((r = schedopt_apply(&o->spec, c, optarg, d)) < 0)
			return -1;
		if (r == 1) {
			o->zone_given |= c == SCHEDOPT_TZ;
			o->schedule_given = 1;
			continue;
		}
		switch (c) {
		case 't':
			if (civil_parse_duration(optarg, &o->target_s) < 0)
				return diag_set(d, DIAG_USAGE, "--target: bad duration '%s': "
				    "expected e.g. 24h, 90m, 1h30m or seconds", optarg);
			break;
		case 'a':
			o->at = optarg;
			break;
		case 'b':
			o->batch = 1;
			break;
		case 'e':
			o->explain = 1;
			break;
		case 'f':
			if (strcmp(optarg, "iso") == 0)
				o->format = FORMAT_ISO;
			else if (strcmp(optarg, "human") == 0 || strcmp(optarg, "text") == 0)
				o->format = FORMAT_HUMAN;
			else
				return diag_set(d, DIAG_USAGE, "--format: unknown format '%s' "
				    "(human or iso)", optarg);
			break;
		case 'p':
			o->partner = optarg;
			break;
		case 's':
			if (store_severity_parse(optarg, &o->severity) < 0)
				return diag_set(d, DIAG_USAGE, "--severity: unknown severity '%s' "
				    "(critical, high, medium or low)", optarg);
			break;
		default:
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (o->partner != NULL && o->schedule_given)
		return diag_set(d, DIAG_USAGE, "--partner brings its own zone, calendars, "
		    "days and hours: give either --partner or --tz and its options");
	if (o->partner == NULL && !o->zone_given)
		return diag_set(d, DIAG_USAGE, "--tz ZONE (or --partner KEY) is required");
	if ((o->at == NULL) == (o->batch == 0))
		return diag_set(d, DIAG_USAGE, "give exactly one of --at INSTANT and --batch");
	if (o->explain && o->batch)
		return diag_set(d, DIAG_USAGE, "--explain works with --at, not --batch");
	return 0;
}

static int run_at(const struct deadline_opts *o, struct schedule *s, struct diag *d)
{
	int64_t created_at, deadline_at;
	char iso[CIVIL_ISO_LEN], loc[TIMEFMT_LEN];

	if (cmd_parse_instant("--at", o->at, s->tz, &created_at, d) < 0)
		return -1;
	if (cal_deadline(s->cal, created_at, o->target_s, &deadline_at, d) < 0)
		return -1;
	civil_format_utc(deadline_at, iso);
	if (o->explain) {
		struct cal_step *steps;
		size_t n;
		char tgt[TIMEFMT_LEN], ciso[CIVIL_ISO_LEN];

		if (cal_explain(s->cal, created_at, o->target_s, &steps, &n, d) < 0)
			return -1;
		timefmt_local(s->tz, created_at, loc);
		civil_format_utc(created_at, ciso);
		ticketfmt_work(o->target_s, tgt);
		printf("created   %s  %s\n", loc, ciso);
		printf("target    %s of working time in %s\n", tgt, tz_name(s->tz));
		explain_print(stdout, s->cal, steps, n);
		free(steps);
		timefmt_local(s->tz, deadline_at, loc);
		printf("deadline  %s  %s\n", loc, iso);
		return 0;
	}
	if (o->format == FORMAT_ISO) {
		printf("%s\n", iso);
		return 0;
	}
	timefmt_local(s->tz, deadline_at, loc);
	printf("%s (%s) = %s\n", loc, tz_name(s->tz), iso);
	return 0;
}

/* Streams stdin to stdout; a bad line is reported on stderr with its line
 * number and makes the exit status 3, the other lines still get answers. */
static int run_batch(const struct deadline_opts *o, struct schedule *s)
{
	enum { CHUNK = 1 << 20 };
	char *in = malloc(CHUNK), *out = malloc(CHUNK);
	size_t have = 0, olen = 0;
	long long lineno = 0;
	int bad = 0, eof = 0;

	if (in == NULL || out == NULL) {
		free(in);
		free(out);
		fprintf(stderr, "slatrack: deadline: out of memory\n");
		return 4;
	}
	while (!eof || have > 0) {
		size_t start = 0;
		char *nl;

		if (!eof && have < CHUNK) {
			ssize_t n = read(STDIN_FILENO, in + have, CHUNK - have);

			if (n < 0) {
				fprintf(stderr, "slatrack: deadline: cannot read standard input\n");
				bad = 4;
				break;
			}
			if (n == 0)
				eof = 1;
			have += (size_t)n;
		}
		for (;;) {
			size_t len;
			int64_t v, created_at, deadline_at;
			enum civil_instant_kind kind;
			struct diag d;

			nl = memchr(in + start, '\n', have - start);
			if (nl == NULL) {
				if (!eof && !(start == 0 && have == CHUNK))
					break;
				if (start == have)
					break;
				len = have - start;	/* the last line, or an overlong one */
			} else
				len = (size_t)(nl - (in + start));
			lineno++;
			if (olen > CHUNK - 64) {
				fwrite(out, 1, olen, stdout);
				olen = 0;
			}
			if (len == 0 || (len == 1 && in[start] == '\r')) {
				/* blank lines are skipped */
			} else if (civil_parse_instant_n(in + start, len, &v, &kind) < 0) {
				fprintf(stderr, "slatrack: deadline: stdin:%lld: bad instant '%.*s'\n",
				    lineno, (int)(len > 60 ? 60 : len), in + start);
				bad = bad ? bad : 3;
			} else {
				created_at = kind == CIVIL_INSTANT_LOCAL ? tz_local_to_utc(s->tz, v) : v;
				diag_clear(&d);
				if (cal_deadline(s->cal, created_at, o->target_s, &deadline_at, &d) < 0) {
					fprintf(stderr, "slatrack: deadline: stdin:%lld: %s\n",
					    lineno, d.msg);
					bad = bad ? bad : 3;
				} else {
					civil_format_utc(created_at, out + olen);
					olen += strlen(out + olen);
					out[olen++] = ',';
					civil_format_utc(deadline_at, out + olen);
					olen += strlen(out + olen);
					out[olen++] = '\n';
				}
			}
			start += len + (nl != NULL);
			if (nl == NULL)
				break;
		}
		memmove(in, in + start, have - start);
		have -= start;
		if (eof && have == 0)
			break;
	}
	fwrite(out, 1, olen, stdout);
	free(in);
	free(out);
	return bad;
}

/* --partner: the stored partner's schedule and, unless --target, its
 * target for --severity (critical by default). */
static int open_partner(struct ctx *ctx, struct deadline_opts *o, struct schedule *s,
			struct diag *d)
{
	struct store_partner p;
	struct store *st;
	int rc = -1;

	if ((st = store_open_mode(ctx->db_path, STORE_READ, d)) == NULL) {
		diag_prefix(d, "--partner");
		return -1;
	}
	store_partner_init(&p);
	if (store_partner_get(st, o->partner, &p, d) == 0 &&
	    schedule_open_partner(s, &p, NULL, d) == 0) {
		if (o->target_s == STORE_NONE)
			o->target_s = p.target_s[o->severity];
		if (o->target_s == STORE_NONE) {
			diag_set(d, DIAG_INPUT, "partner '%s' has no target for %s tickets "
			    "(give --target)", p.key, store_severity_name(o->severity));
			schedule_close(s);
		} else
			rc = 0;
	}
	store_partner_release(&p);
	store_close(st);
	return rc;
}

static int deadline_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct deadline_opts o;
	struct schedule s;
	int rc;

	memset(&o, 0, sizeof o);
	schedule_spec_init(&o.spec);
	o.target_s = STORE_NONE;
	o.severity = STORE_SEV_CRITICAL;
	if (parse_args(&o, argc, argv, d) < 0)
		return -1;
	if (o.partner != NULL) {
		if (open_partner(ctx, &o, &s, d) < 0)
			return -1;
	} else {
		if (o.target_s == STORE_NONE)
			o.target_s = 86400;
		if (schedule_open(&s, &o.spec, NULL, d) < 0)
			return -1;
	}
	rc = o.batch ? run_batch(&o, &s) : run_at(&o, &s, d);
	schedule_close(&s);
	return rc;
}

const struct cmd_entry cmd_deadline_entry = {
	.name = "deadline",
	.summary = "compute the working-time deadline of a ticket",
	.usage = "--tz ZONE [--calendar FILE.ics]... [--workdays DAYS] [--hours HH:MM-HH:MM]\n"
		 "[--target DURATION] (--at INSTANT [--format iso] [--explain] | --batch)\n"
		 "--partner KEY [--severity SEV] [--target DURATION] (--at INSTANT ... | --batch)",
	.help =
		SCHEDOPT_HELP
		"  --partner KEY         a stored partner's zone, calendars, days and hours\n"
		"                        (from the database; see --db)\n"
		"  --severity SEV        with --partner: whose target applies (default\n"
		"                        critical)\n"
		"  --target DURATION     working time allowed: 24h, 90m, 1h30m or seconds\n"
		"                        (default 24h, or the partner's target)\n"
		"  --at INSTANT          the creation instant: 2026-12-24T15:00:00Z, with an\n"
		"                        offset (+01:00), or without one (local to --tz)\n"
		"  --format iso          print only the deadline as YYYY-MM-DDTHH:MM:SSZ\n"
		"  --explain             show the counted intervals and skipped days\n"
		"  --batch               read one INSTANT per line on standard input and\n"
		"                        write CREATED_UTC,DEADLINE_UTC per line\n"
		"\nexit status: 0 success, 2 usage error, 3 bad input (calendar, zone,\n"
		"a bad --batch line; the other lines are still answered)\n",
	.flags = CMD_NO_DB,
	.exec = deadline_exec,
};
