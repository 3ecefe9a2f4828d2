/* cmd-doctor.c: `slatrack doctor` (issue 3, item 4): is the database
 * sound and are its deadlines still true?
 *
 * Checks, each reported on its own line as "ok" or with what is wrong:
 *   integrity   PRAGMA integrity_check and foreign_key_check
 *   audit       the hash chain of the audit trail, and its end
 *   leftovers   temporary files a killed backup or restore left beside
 *               the database: removed (a problem only when that fails)
 *   partners    every partner's stored schedule still compiles
 *   deadlines   open tickets whose stored deadline differs from what the
 *               partner's current settings give (what recompute would do)
 *   calendars   calendars whose last entry (horizon) falls within twelve
 *               months of now, that have no entries, or whose last refresh
 *               failed
 * Exit status: 0 when every check passes; 3 when any check found a
 * problem (the data needs attention, slatrack(1) EXIT STATUS's "bad input
 * data"), so cron can alert on it; 4 when the database cannot be read.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "cli/cmd.h"
#include "cli/leftover.h"
#include "cli/ticketfmt.h"
#include "sla.h"
#include "store.h"
#include "text.h"
#include "tz.h"

#define DOCTOR_MAX_LISTED 20	/* drifting tickets listed one by one */

static void print_safe_line(const char *s)
{
	struct buf b = BUF_INIT;

	text_add_safe(&b, s, 0);
	buf_addc(&b, '\n');
	fputs(buf_str(&b), stdout);
	buf_release(&b);
}

struct drift {
	size_t n;
	struct buf lines;
};

static int note_drift(const struct sla_move *m, void *arg)
{
	struct drift *dr = arg;
	char a[TIMEFMT_LEN];

	if (dr->n++ >= DOCTOR_MAX_LISTED)
		return 0;
	buf_adds(&dr->lines, "    ");
	ticketfmt_label(&dr->lines, m->t);
	buf_adds(&dr->lines, "  ");
	if (m->t->deadline_at == STORE_NONE)
		buf_adds(&dr->lines, "none");
	else {
		ticketfmt_short(m->p->sched.tz, m->t->deadline_at, a);
		buf_adds(&dr->lines, a);
	}
	buf_adds(&dr->lines, " -> ");
	if (m->deadline_at == STORE_NONE)
		buf_adds(&dr->lines, "none");
	else {
		ticketfmt_short(m->p->sched.tz, m->deadline_at, a);
		buf_adds(&dr->lines, a);
	}
	buf_addc(&dr->lines, '\n');
	return 0;
}

/* The local date twelve months after now in zone tz (29 Feb -> 28 Feb). */
static int64_t year_ahead_day(const struct tz *tz, int64_t now_at)
{
	int64_t today = civil_div(tz_utc_to_local(tz, now_at), CIVIL_DAY_S), y;
	int m, dd, dim;

	civil_ymd_from_days(today, &y, &m, &dd);
	dim = civil_days_in_month(y + 1, m);
	return civil_days_from_ymd(y + 1, m, dd > dim ? dim : dd);
}

static void problem_head(size_t *problems, const char *check)
{
	(*problems)++;
	printf("%-11s PROBLEM: ", check);
}

static int check_calendars(struct ctx *ctx, struct sla_cache *cache, size_t *problems,
			   struct diag *d)
{
	struct store_partner *v;
	size_t n, ncal = 0, before = *problems;

	if (store_partner_list(ctx->store, 0, &v, &n, d) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct store_partner *p = &v[i];
		const struct sla_partner *sp;
		struct diag pd;
		int64_t limit;

		diag_clear(&pd);
		if ((sp = sla_cache_get(cache, p->id, &pd)) == NULL) {
			problem_head(problems, "partners");
			print_safe_line(pd.msg);
			continue;
		}
		limit = year_ahead_day(sp->sched.tz, ctx->now_at);
		for (size_t k = 0; k < p->ncalendars; k++) {
			const struct store_calendar *c = &p->calendars[k];
			struct buf b = BUF_INIT;
			char day[CIVIL_ISO_LEN];

			ncal++;
			buf_addf(&b, "partner %s: calendar '", p->key);
			text_add_safe(&b, c->source, 0);
			buf_adds(&b, "' ");
			if (c->horizon_day < 0) {
				problem_head(problems, "calendars");
				buf_adds(&b, "has no entries: no holidays are skipped");
				printf("%s\n", buf_str(&b));
			} else if (c->horizon_day != INT32_MAX && c->horizon_day < limit) {
				problem_head(problems, "calendars");
				civil_format_day(c->horizon_day, day);
				buf_addf(&b, "ends on %s, within twelve months: refresh or extend "
				    "it, or later deadlines ignore holidays", day);
				printf("%s\n", buf_str(&b));
			}
			if (c->last_error != NULL) {
				buf_reset(&b);
				buf_addf(&b, "partner %s: calendar '", p->key);
				text_add_safe(&b, c->source, 0);
				buf_adds(&b, "': the last refresh failed (the last good copy is "
				    "used): ");
				text_add_safe(&b, c->last_error, 0);
				problem_head(problems, "calendars");
				printf("%s\n", buf_str(&b));
			}
			buf_release(&b);
		}
	}
	if (*problems == before)
		printf("%-11s ok: %zu active partner%s, %zu calendar%s, none ending within "
		    "twelve months\n", "calendars", n, n == 1 ? "" : "s", ncal,
		    ncal == 1 ? "" : "s");
	store_partner_list_free(v, n);
	return 0;
}

static void note_leftover(const char *file, long long bytes, long pid, int err, void *arg)
{
	size_t *problems = arg;
	struct buf b = BUF_INIT;

	if (err != 0)
		problem_head(problems, "leftovers");
	else
		printf("%-11s ", "leftovers");
	buf_addf(&b, "%s '", err != 0 ? "cannot remove" : "removed");
	text_add_safe(&b, file, 0);
	buf_addf(&b, "' (%lld bytes), left by an interrupted backup or restore (process "
	    "%ld)%s%s\n", bytes, pid, err != 0 ? ": " : "", err != 0 ? strerror(err) : "");
	fputs(buf_str(&b), stdout);
	buf_release(&b);
}

/* Temporaries a killed backup or restore left beside the database (as
 * large as it): removed, since no process holds them any more. */
static void check_leftovers(struct ctx *ctx, size_t *problems)
{
	int n;

	if (store_is_server(store_path(ctx->store))) {
		printf("%-11s ok: none beside a server database\n", "leftovers");
		return;
	}
	n = leftover_sweep(store_path(ctx->store), 1, note_leftover, problems);

	if (n == 0)
		printf("%-11s ok: no temporary files of an interrupted backup or restore\n",
		    "leftovers");
	else if (n < 0) {
		problem_head(problems, "leftovers");
		printf("cannot read the database's directory: %s\n", strerror(errno));
	}
}

static int doctor_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct store_audit_result ar;
	struct store_ticket_filter f;
	struct sla_cache *cache;
	struct drift dr = { 0, BUF_INIT };
	size_t problems = 0;
	char *report = NULL;
	int c, rc = -1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		return diag_set(d, DIAG_USAGE, "unknown option '%s'", argv[optind - 1]);
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if ((cache = sla_cache_new(ctx->store)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");

	if (store_integrity(ctx->store, &report, d) < 0)
		goto out;
	if (report == NULL)
		printf("%-11s ok: %s\n", "integrity", store_is_server(store_path(ctx->store)) ?
		    "the audit trail's guards and foreign keys (the server checks its pages)" :
		    "integrity and foreign keys");
	else {
		char *line = report, *nl;

		for (; *line != '\0'; line = nl + 1) {
			if ((nl = strchr(line, '\n')) == NULL)
				nl = line + strlen(line) - 1;
			else
				*nl = '\0';
			problem_head(&problems, "integrity");
			print_safe_line(line);
		}
	}

	if (store_audit_verify(ctx->store, &ar, d) < 0)
		goto out;
	if (ar.bad_id == 0)
		printf("%-11s ok: %lld events, head %s\n", "audit", (long long)ar.nevents,
		    *ar.head_hash ? ar.head_hash : "(empty)");
	else {
		problem_head(&problems, "audit");
		printf("event %lld: %s\n", (long long)ar.bad_id, ar.problem);
	}

	check_leftovers(ctx, &problems);

	if (check_calendars(ctx, cache, &problems, d) < 0)
		goto out;

	store_ticket_filter_init(&f);
	f.open_only = 1;
	if (sla_moves(ctx->store, cache, &f, 0, note_drift, &dr, d) < 0) {
		/* a partner that does not compile was reported above */
		problem_head(&problems, "deadlines");
		print_safe_line(d->msg);
		diag_clear(d);
	} else if (dr.n == 0)
		printf("%-11s ok: every open ticket's deadline matches its partner's "
		    "settings\n", "deadlines");
	else {
		problem_head(&problems, "deadlines");
		printf("%zu open ticket%s would move with the partners' current settings "
		    "(run 'slatrack recompute --dry-run'):\n", dr.n, dr.n == 1 ? "" : "s");
		fputs(buf_str(&dr.lines), stdout);
		if (dr.n > DOCTOR_MAX_LISTED)
			printf("    ... and %zu more\n", dr.n - DOCTOR_MAX_LISTED);
	}

	if (problems == 0)
		printf("doctor: all checks passed\n");
	else
		printf("doctor: %zu problem%s found\n", problems, problems == 1 ? "" : "s");
	rc = problems == 0 ? 0 : 3;
out:
	free(report);
	buf_release(&dr.lines);
	sla_cache_free(cache);
	return rc;
}

const struct cmd_entry cmd_doctor_entry = {
	.name = "doctor",
	.summary = "check the database, the audit trail, deadlines and calendars",
	.usage = "",
	.help =
		"Checks, one line each (ok, or PROBLEM and what is wrong):\n"
		"  integrity   SQLite integrity and foreign-key checks (PostgreSQL: the\n"
		"              audit trail's guard triggers and foreign keys in place)\n"
		"  leftovers   temporary files of a backup or restore that was killed,\n"
		"  audit       the hash chain of the audit trail (as 'audit verify')\n"
		"  leftovers   temporary files of a backup or restore that was killed,\n"
		"              beside the database: removed (a problem if that fails)\n"
		"  partners    every partner's stored schedule still compiles\n"
		"  calendars   calendars ending within twelve months, with no entries,\n"
		"              or whose last refresh failed\n"
		"  deadlines   open tickets whose stored deadline differs from what the\n"
		"              partner's current settings give (see 'recompute')\n"
		"\nexit status: 0 all checks passed, 3 a check found a problem,\n"
		"4 the database cannot be read\n",
	.flags = CMD_DB_READ,
	.exec = doctor_exec,
};
