/* cmd-sync.c: `slatrack sync jira`: tickets follow the helpdesk (the
 * rules are in src/jira.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli/cmd.h"
#include "jira.h"
#include "text.h"

static void print_note(void *arg, int problem, const char *line)
{
	const struct ctx *ctx = arg;
	FILE *f = problem ? ctx->err : ctx->out;
	struct buf b = BUF_INIT;

	text_add_safe(&b, line, 0);
	fprintf(f, "%s\n", buf_failed(&b) ? "?" : buf_str(&b));
	buf_release(&b);
}

static int sync_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "full", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct jira_conf jc;
	struct jira_run run;
	struct jira_result r;
	const char *helpdesk = NULL;
	int c, rc;

	memset(&run, 0, sizeof run);
	/* the helpdesk first, options after it or before it */
	if (argc >= 2 && argv[1][0] != '-') {
		helpdesk = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			run.dry_run = 1;
			break;
		case 'f':
			run.full = 1;
			break;
		default:
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (helpdesk == NULL && optind < argc)
		helpdesk = argv[optind++];
	if (helpdesk == NULL)
		return diag_set(d, DIAG_USAGE, "which helpdesk? slatrack sync jira");
	if (strcmp(helpdesk, "jira") != 0)
		return diag_set(d, DIAG_USAGE, "unknown helpdesk '%s' (sync knows jira)",
		    helpdesk);
	if (optind != argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (jira_conf_load(ctx->cfg, 1, &jc, d) < 0)
		return -1;
	run.now_at = ctx->now_at;
	run.note = print_note;
	run.arg = ctx;
	rc = jira_sync(ctx->store, &jc, &run, &r, d);
	jira_conf_release(&jc);
	fflush(ctx->out);
	if (rc < 0)
		return -1;
	fprintf(ctx->out, "jira: %zu issue%s in %zu page%s (%s): %zu added, %zu updated, "
	    "%zu unchanged, %zu conflict%s, %zu skipped%s\n", r.issues, r.issues == 1 ? "" : "s",
	    r.pages, r.pages == 1 ? "" : "s", r.incremental ? "updated since the last sync" :
	    "all of jira.jql", r.added, r.updated, r.unchanged, r.conflicts,
	    r.conflicts == 1 ? "" : "s", r.unmapped,
	    run.dry_run ? " (dry run: nothing written)" : "");
	if (r.conflicts > 0 || r.unmapped > 0) {
		fprintf(ctx->err, "slatrack: sync: %zu issue%s not synced (listed above); the "
		    "next run reads them again\n", r.conflicts + r.unmapped,
		    r.conflicts + r.unmapped == 1 ? "" : "s");
		return 1;
	}
	return 0;
}

const struct cmd_entry cmd_sync_entry = {
	.name = "sync",
	.summary = "follow the helpdesk: read Jira Service Management issues into tickets",
	.usage = "jira [--dry-run] [--full]",
	.help =
		"  jira         read the issues of jira.jql from Jira Cloud's REST API\n"
		"               (POST /rest/api/3/search/jql) with [jira] email and token\n"
		"               from the config file, and add or update their tickets\n"
		"  --dry-run    fetch and compare everything, print what would change,\n"
		"               write nothing\n"
		"  --full       read every issue of jira.jql, not only those updated since\n"
		"               the last sync (less jira.overlap)\n"
		"\nEach issue is matched to its ticket by key.  priority becomes the severity\n"
		"through jira.severity, the partner comes from jira.partner_field (the\n"
		"project key by default) through [partner \"KEY\"] jira = VALUE, the first\n"
		"public comment by an agent is the first response, resolutiondate resolved.\n"
		"Every change is an audit event of actor sync:jira; one transaction per page;\n"
		"running twice changes nothing.  A field changed both in slatrack (by hand,\n"
		"since the last sync) and in Jira is a conflict: that ticket is left alone\n"
		"and listed on standard error, as is an issue that cannot be mapped.  429\n"
		"answers are retried after Retry-After; every request has\n"
		"jira.timeout, the whole run jira.limit.\n"
		"\nexit status: 0 synced, 1 conflicts or issues that could not be mapped\n"
		"(listed; the rest is written), 2 usage error, 3 configuration error\n"
		"(missing [jira] key, credentials refused), 4 network or storage failure\n"
		"(pages written before it stay)\n",
	.exec = sync_exec,
};
