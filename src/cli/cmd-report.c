/* cmd-report.c: `slatrack report` (issue 5; man/slatrack-report.1).
 *
 * Parses the period and the narrowing options, builds the report once
 * (report.h) and renders it in one format to stdout, to a file (written
 * to a temporary file in the same directory and renamed into place, so a
 * failed run never leaves half a report), or as one multipart/alternative
 * mail (text and HTML) through the same sender as the reminders
 * (mail.h).
 *
 * Exit status (slatrack(1), EXIT STATUS): 0; 1 with --fail-on-breach when the
 * period holds a breach; 2 usage; 3 bad input (an unknown zone or
 * partner, a bad address); 4 storage, file or mail failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "civil.h"
#include "cli/cmd.h"
#include "cli/outfile.h"
#include "config.h"
#include "mail.h"
#include "report.h"
#include "store.h"
#include "text.h"
#include "tz.h"

#define MAX_RCPT 64

struct report_args {
	struct report_options o;
	int nperiods;
	const char *since, *until, *zone, *output;
	enum report_format format;
	int fail_on_breach, mail, json_schema_given;
	const char *rcpt[MAX_RCPT];
	size_t nrcpt;
};

/* ---- sinks ---------------------------------------------------------------- */

static int file_write(void *arg, const char *data, size_t len)
{
	FILE *f = arg;

	return fwrite(data, 1, len, f) == len ? 0 : -1;
}

static int buf_write(void *arg, const char *data, size_t len)
{
	struct buf *b = arg;

	buf_add(b, data, len);
	return buf_failed(b) ? -1 : 0;
}

/* Renders into path atomically: a temporary file next to it, flushed and
 * synced, then renamed over it.  On any failure the temporary file is
 * removed and path is untouched. */
static int write_atomic(const struct report *r, enum report_format format,
			const char *path, struct diag *d)
{
	struct buf tmp = BUF_INIT;
	const char *slash = strrchr(path, '/');
	struct report_sink sink;
	mode_t mask;
	FILE *f;
	int fd, rc = -1, saved;

	if (slash != NULL)
		buf_addf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		buf_addf(&tmp, ".%s.XXXXXX", path);
	if (buf_failed(&tmp))
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if ((fd = mkstemp(tmp.data)) < 0) {
		saved = errno;
		buf_release(&tmp);
		return diag_set(d, DIAG_STORE, "-o: cannot create a file next to '%s': %s", path,
		    strerror(saved));
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);		/* as if created by open(2) */
	if ((f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(tmp.data);
		buf_release(&tmp);
		return diag_set(d, DIAG_STORE, "-o: '%s': %s", path, strerror(saved));
	}
	sink.write = file_write;
	sink.arg = f;
	if (report_render(r, format, &sink, d) < 0) {
		diag_prefix(d, "-o '%s'", path);
		fclose(f);
		goto out;
	}
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		saved = errno;
		fclose(f);
		diag_set(d, DIAG_STORE, "-o: cannot write '%s': %s", path, strerror(saved));
		goto out;
	}
	if (fclose(f) != 0) {
		diag_set(d, DIAG_STORE, "-o: cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (rename(tmp.data, path) < 0) {
		diag_set(d, DIAG_STORE, "-o: cannot rename into '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		unlink(tmp.data);
	buf_release(&tmp);
	return rc;
}

/* A FIFO or a character device (/dev/null, a terminal) is written in
 * place: nothing there to replace atomically. */
static int write_in_place(const struct report *r, enum report_format format,
			  const char *path, struct diag *d)
{
	struct report_sink sink;
	FILE *f;
	int fd, rc;

	if ((fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0 ||
	    (f = fdopen(fd, "w")) == NULL) {
		rc = errno;
		if (fd >= 0)
			close(fd);
		return diag_set(d, DIAG_STORE, "-o: cannot open '%s': %s", path, strerror(rc));
	}
	sink.write = file_write;
	sink.arg = f;
	rc = report_render(r, format, &sink, d);
	if (rc < 0)
		diag_prefix(d, "-o '%s'", path);
	if (fclose(f) != 0 && rc == 0)
		rc = diag_set(d, DIAG_STORE, "-o: cannot write '%s': %s", path, strerror(errno));
	return rc;
}

/* ---- mail ------------------------------------------------------------------- */

/* Splits a comma- or blank-separated list into a->rcpt (borrowed from a
 * copy the caller frees). */
static int add_list(struct report_args *a, char *list, struct diag *d)
{
	char *p = list;

	while (*p != '\0') {
		size_t len;

		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		len = strcspn(p, ", \t");
		if (a->nrcpt == MAX_RCPT)
			return diag_set(d, DIAG_USAGE, "--mail: more than %d recipients", MAX_RCPT);
		a->rcpt[a->nrcpt++] = p;
		p += len;
		if (*p != '\0')
			*p++ = '\0';
	}
	return 0;
}

static int send_mail(struct ctx *ctx, const struct report_args *a, const struct report *r,
		     struct diag *d)
{
	struct buf text = BUF_INIT, html = BUF_INIT, subject = BUF_INIT, id = BUF_INIT;
	struct report_sink sink;
	struct mail_transport t;
	struct mail_message m;
	const char *from = config_get(ctx->cfg, "smtp", NULL, "from");
	char reply[MAIL_REPLY_MAX], pct[REPORT_FMT_LEN];
	int rc = -1;

	text.cap = html.cap = (size_t)64 << 20;
	mail_transport_init(&t);
	if (from == NULL)
		from = "slatrack@localhost";
	for (size_t i = 0; i < a->nrcpt; i++)
		if (mail_check_address(a->rcpt[i], "--mail", d) < 0)
			return -1;
	sink.write = buf_write;
	sink.arg = &text;
	if (report_render_text(r, &sink, d) < 0)
		goto out;
	sink.arg = &html;
	if (report_render_html(r, &sink, d) < 0)
		goto out;
	report_fmt_pct(&r->total, pct);
	buf_addf(&subject, "SLA report %s: %s attainment, %zu breach%s", r->label, pct,
	    r->nbreaches, r->nbreaches == 1 ? "" : "es");
	if (r->noverdue > 0)
		buf_addf(&subject, ", %zu open and overdue now", r->noverdue);
	if (r->filter_partner != NULL || r->filter_assignee != NULL || r->filter_severity >= 0) {
		buf_adds(&subject, " (");
		report_scope(r, &subject);
		buf_adds(&subject, ")");
	}
	buf_addf(&id, "report.%lld.%lld.%lld.%ld@%s", (long long)r->from_at,
	    (long long)r->to_at, (long long)ctx->now_at, (long)getpid(),
	    mail_address_domain(from));
	if (buf_failed(&text) || buf_failed(&html) || buf_failed(&subject) ||
	    buf_failed(&id)) {
		diag_set(d, DIAG_NOMEM, "--mail: the report is too large to mail");
		goto out;
	}
	memset(&m, 0, sizeof m);
	m.from = from;
	m.from_name = "slatrack";
	m.to = a->rcpt;
	m.nto = a->nrcpt;
	m.subject = buf_str(&subject);
	m.message_id = buf_str(&id);
	m.date_at = ctx->now_at;
	m.text = buf_str(&text);
	m.html = buf_str(&html);
	if (mail_transport_from_config(&t, ctx->cfg, d) < 0 ||
	    mail_send_message(&t, &m, reply, d) < 0) {
		diag_prefix(d, "--mail");
		goto out;
	}
	rc = 0;
out:
	mail_transport_release(&t);
	buf_release(&text);
	buf_release(&html);
	buf_release(&subject);
	buf_release(&id);
	return rc;
}

/* ---- options -------------------------------------------------------------------- */

/* The optional word after --week, --month, --year: taken when it does not
 * look like an option. */
static const char *optional_word(int argc, char **argv)
{
	if (optarg != NULL)
		return optarg;
	if (optind < argc && argv[optind][0] != '-' && argv[optind][0] != '\0')
		return argv[optind++];
	return NULL;
}

static int parse_format(const char *s, enum report_format *f, struct diag *d)
{
	for (int i = REPORT_TEXT; i <= REPORT_HTML; i++)
		if (strcmp(s, report_format_name((enum report_format)i)) == 0) {
			*f = (enum report_format)i;
			return 0;
		}
	return diag_set(d, DIAG_USAGE, "--format: unknown format '%s' (text, csv, json or "
	    "html)", s);
}

/* Counts the periods given (--since and --until together are one). */
static void set_period(struct report_args *a, enum report_period p, const char *arg)
{
	if (p != REPORT_RANGE || a->o.period != REPORT_RANGE)
		a->nperiods++;
	a->o.period = p;
	a->o.period_arg = arg;
}

static int parse_args(struct report_args *a, int argc, char **argv, char **mail_copy,
		      struct diag *d)
{
	static const struct option opts[] = {
		{ "yesterday", no_argument, NULL, 'Y' },
		{ "today", no_argument, NULL, 'T' },
		{ "week", optional_argument, NULL, 'W' },
		{ "month", optional_argument, NULL, 'M' },
		{ "year", optional_argument, NULL, 'y' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "tz", required_argument, NULL, 'z' },
		{ "partner", required_argument, NULL, 'p' },
		{ "assignee", required_argument, NULL, 'a' },
		{ "unassigned", no_argument, NULL, 'U' },
		{ "severity", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on-breach", no_argument, NULL, 'F' },
		{ "mail", optional_argument, NULL, 'm' },
		{ "evidence", no_argument, NULL, 'e' },
		{ "no-evidence", no_argument, NULL, 'E' },
		{ "json-schema", required_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 }
	};
	struct buf list = BUF_INIT;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:", opts, NULL)) != -1) {
		switch (c) {
		case 'Y':
			set_period(a, REPORT_YESTERDAY, NULL);
			break;
		case 'T':
			set_period(a, REPORT_TODAY, NULL);
			break;
		case 'W':
			set_period(a, REPORT_WEEK, optional_word(argc, argv));
			break;
		case 'M':
			set_period(a, REPORT_MONTH, optional_word(argc, argv));
			break;
		case 'y':
			set_period(a, REPORT_YEAR, optional_word(argc, argv));
			break;
		case 's':
			a->since = optarg;
			set_period(a, REPORT_RANGE, NULL);
			break;
		case 'u':
			a->until = optarg;
			set_period(a, REPORT_RANGE, NULL);
			break;
		case 'z':
			a->zone = optarg;
			break;
		case 'p':
			a->o.partner = optarg;
			break;
		case 'a':
			if (*optarg == '\0')
				return diag_set(d, DIAG_USAGE, "--assignee: empty name (use "
				    "--unassigned for tickets without one)");
			a->o.assignee = optarg;
			break;
		case 'U':
			a->o.assignee = "";
			break;
		case 'S':
			if (store_severity_parse(optarg, &a->o.severity) < 0)
				return diag_set(d, DIAG_USAGE, "--severity: unknown severity '%s' "
				    "(critical, high, medium or low)", optarg);
			break;
		case 'f':
			if (parse_format(optarg, &a->format, d) < 0)
				return -1;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'F':
			a->fail_on_breach = 1;
			break;
		case 'm':
			a->mail = 1;
			if (optarg != NULL) {
				buf_adds(&list, optarg);
				buf_addc(&list, ' ');
			}
			while (optind < argc && argv[optind][0] != '-') {
				buf_adds(&list, argv[optind++]);
				buf_addc(&list, ' ');
			}
			break;
		case 'e':
			a->o.evidence = 1;
			break;
		case 'E':
			a->o.evidence = 0;
			break;
		case 'J':
			if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0)
				return diag_set(d, DIAG_USAGE, "--json-schema: unknown schema "
				    "'%s' (1 or 2)", optarg);
			a->o.json_schema = optarg[0] - '0';
			a->json_schema_given = 1;
			break;
		default:
			buf_release(&list);
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc) {
		buf_release(&list);
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	}
	if (a->json_schema_given && a->format != REPORT_JSON) {
		buf_release(&list);
		return diag_set(d, DIAG_USAGE, "--json-schema goes with --format json");
	}
	if (a->nperiods > 1) {
		buf_release(&list);
		return diag_set(d, DIAG_USAGE, "give one period: --yesterday, --today, --week, "
		    "--month, --year or --since/--until");
	}
	if (buf_failed(&list))
		return diag_set(d, DIAG_NOMEM, "out of memory");
	*mail_copy = buf_detach(&list);
	return 0;
}

static int report_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct report_args a;
	struct report *r = NULL;
	struct tz *zone = NULL;
	char *mail_list = NULL, *managers = NULL, generator[64];
	enum outfile_kind out_kind = OUTFILE_STDOUT;
	int64_t pct;
	int rc = -1;

	memset(&a, 0, sizeof a);
	report_options_init(&a.o);
	if (parse_args(&a, argc, argv, &mail_list, d) < 0)
		goto out;
	if (a.zone == NULL)
		a.zone = config_get(ctx->cfg, "report", NULL, "zone");
	if (a.zone == NULL)
		a.zone = ctx->viewer_zone;
	if ((zone = tz_load(a.zone, d)) == NULL) {
		diag_prefix(d, "--tz");
		goto out;
	}
	if (a.o.period == REPORT_RANGE) {
		if (a.since == NULL || a.until == NULL) {
			diag_set(d, DIAG_USAGE, "--since and --until go together");
			goto out;
		}
		if (cmd_parse_instant("--since", a.since, zone, &a.o.since_at, d) < 0 ||
		    cmd_parse_instant("--until", a.until, zone, &a.o.until_at, d) < 0)
			goto out;
	}
	if (a.mail) {
		if (mail_list != NULL && add_list(&a, mail_list, d) < 0)
			goto out;
		if (a.nrcpt == 0) {
			const char *m = config_get(ctx->cfg, "report", NULL, "managers");

			if (m == NULL || (managers = strdup(m)) == NULL) {
				diag_set(d, DIAG_USAGE, "--mail: no address given and no "
				    "report.managers in the configuration");
				goto out;
			}
			if (add_list(&a, managers, d) < 0)
				goto out;
		}
		if (a.nrcpt == 0) {
			diag_set(d, DIAG_USAGE, "--mail: no address given and no "
			    "report.managers in the configuration");
			goto out;
		}
	}
	a.o.zone = a.zone;
	a.o.now_at = ctx->now_at;
	/* CSV holds one record per ticket and no evidence: do not compute it
	 * (unless a mail, which carries text and HTML, is wanted too) */
	if (a.format == REPORT_CSV && !a.mail)
		a.o.evidence = 0;
	/* the formats that list every ticket due */
	a.o.all_rows = a.format == REPORT_CSV ||
	    (a.format == REPORT_JSON && a.o.json_schema == 1);
	/* a CSV alone shows the rows only: their counts and listings, a
	 * serial pass over a year of them, are figured only for a mail or
	 * --fail-on-breach */
	a.o.rows_only = a.format == REPORT_CSV && !a.mail && !a.fail_on_breach;
	pct = config_get_int(ctx->cfg, "sla", NULL, "at_risk");
	if (pct > 0 && pct <= 100)
		a.o.at_risk = (double)pct / 100.0;
	snprintf(generator, sizeof generator, "slatrack %s", SLATRACK_VERSION);
	a.o.generator = generator;
	a.o.links = ctx->cfg;		/* helpdesk links in HTML and JSON */
	/* before the work: a refused -o costs nothing and writes nothing */
	if (a.output != NULL && outfile_check(ctx, "-o", a.output, &out_kind, d) < 0)
		goto out;
	if ((r = report_build(ctx->store, &a.o, d)) == NULL)
		goto out;
	if (a.output != NULL && out_kind != OUTFILE_STDOUT) {
		if ((out_kind == OUTFILE_REPLACE ? write_atomic(r, a.format, a.output, d) :
		    write_in_place(r, a.format, a.output, d)) < 0)
			goto out;
	} else if (!a.mail && (!a.fail_on_breach || report_has_breach(r))) {
		struct report_sink sink = { file_write, ctx->out };

		if (report_render(r, a.format, &sink, d) < 0)
			goto out;
	}
	if (a.mail && send_mail(ctx, &a, r, d) < 0)
		goto out;
	rc = 0;
	if (a.fail_on_breach && report_has_breach(r))
		rc = diag_set(d, DIAG_FINDING, "%zu breach%s in the period %s", r->nbreaches,
		    r->nbreaches == 1 ? "" : "es", r->label);
out:
	report_free(r);
	tz_free(zone);
	free(mail_list);
	free(managers);
	return rc;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.summary = "the SLA report of a period: due, met, breached, attainment, "
		"breaches worst first",
	.usage = "[PERIOD] [--tz ZONE] [--partner KEY] [--assignee USER | --unassigned]"
		" [--severity SEV] [--format text|csv|json|html] [-o FILE] [--fail-on-breach]"
		" [--mail [ADDRESS...]] [--evidence | --no-evidence] [--json-schema 1|2]",
	.help =
		"PERIOD is one of:\n"
		"  --yesterday        the day before today (the default)\n"
		"  --today            today so far (tickets not yet due are pending)\n"
		"  --week [YYYY-Www]  a week, Monday to Monday\n"
		"  --month [YYYY-MM]  a month\n"
		"  --year [YYYY]      a year; includes the evidence sections\n"
		"                     (without an argument: the week, month or year that\n"
		"                     contains yesterday)\n"
		"  --since INSTANT --until INSTANT  any interval [since, until)\n"
		"\n  --tz ZONE          period boundaries are local midnights in ZONE\n"
		"                     (default: report.zone, else your zone)\n"
		"  --partner KEY, --assignee USER, --unassigned, --severity SEV\n"
		"                     only those tickets\n"
		"  --format F         text (default), csv, json or html\n"
		"  --json-schema N    2 (the default): JSON without \"tickets\", the list of\n"
		"                     every ticket due (the CSV has them); 1: with it, as\n"
		"                     before (kept for one release)\n"
		"  -o, --output FILE  write FILE atomically instead of standard output (a new\n"
		"                     file or a regular one; a FIFO or /dev/null is written in\n"
		"                     place; never a symlink, the database or the config;\n"
		"                     - is standard output)\n"
		"  --fail-on-breach   exit 1 when the period holds a breach; print the\n"
		"                     report only then (quiet success otherwise)\n"
		"  --mail [ADDRESS...]  send text and HTML as one mail to ADDRESS...\n"
		"                     (default: report.managers) via the [smtp] settings\n"
		"  --evidence, --no-evidence  add or drop the evidence sections: calendars\n"
		"                     and digests, the deadline rule, attainment per month,\n"
		"                     every breach explained, the audit trail's head hash\n"
		"\nA timed ticket is due in the period when its deadline falls inside it;\n"
		"it met the SLA when its first response came at or before the deadline,\n"
		"breached when after, and is open and overdue when it has no response and\n"
		"the deadline has passed.  Attainment = met / (met + breached + open and\n"
		"overdue).  Every ticket open and overdue now is listed too, whatever its\n"
		"deadline; tickets without a target appear in counts only.\n"
		"\nAn excused breach (ticket excuse) is counted and listed apart, with its\n"
		"reason, and left out of attainment and --fail-on-breach.  A ticket\n"
		"waiting on the customer with its clock stopped is pending, never\n"
		"breached.  Tickets with a resolution target (partner --target-resolve)\n"
		"get resolution figures of their own: met, breached, open and overdue,\n"
		"pending or excused by the resolution deadline, and a resolution\n"
		"attainment per partner and overall.  CSV columns and JSON members for\n"
		"these appear only when a ticket of the report uses them.\n"
		"\nexit status: 0 success, 1 a breach with --fail-on-breach, 2 usage error,\n"
		"3 bad input (unknown zone or partner, bad address), 4 storage, file or\n"
		"mail failure; see man slatrack-report\n",
	.flags = CMD_DB_READ,
	.exec = report_exec,
};
