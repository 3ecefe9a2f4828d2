/* cmd-import.c: `slatrack import FILE.csv`: tickets from CSV, all or
 * nothing (the rules are in src/import.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli/cmd.h"
#include "import.h"
#include "import-map.h"
#include "text.h"

#define IMPORT_MAX_BYTES ((size_t)1 << 31)	/* 2 GiB */

/* Reads all of path ("-" = standard input) into *data. */
static int read_file(const char *path, char **data, size_t *len, struct diag *d)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *p;

	*data = NULL;
	*len = 0;
	if (f == NULL)
		return diag_set(d, DIAG_INPUT, "cannot open '%s'", path);
	if ((p = malloc(cap)) == NULL)
		goto nomem;
	for (;;) {
		size_t got;

		if (n == cap) {
			char *q;

			if (cap >= IMPORT_MAX_BYTES) {
				free(p);
				if (f != stdin)
					fclose(f);
				return diag_set(d, DIAG_INPUT, "'%s' is larger than 2 GiB", path);
			}
			if ((q = realloc(p, cap * 2)) == NULL)
				goto nomem;
			p = q;
			cap *= 2;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(p);
		if (f != stdin)
			fclose(f);
		return diag_set(d, DIAG_INPUT, "cannot read '%s'", path);
	}
	if (f != stdin)
		fclose(f);
	*data = p;
	*len = n;
	return 0;
nomem:
	free(p);
	if (f != stdin)
		fclose(f);
	return diag_set(d, DIAG_NOMEM, "out of memory reading '%s'", path);
}

static int import_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "map", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_options o;
	struct import_result r;
	const char *map_spec = NULL;
	struct import_map *map = NULL;
	long *lines = NULL;
	char *data;
	size_t len;
	int c, rc;

	memset(&o, 0, sizeof o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o.dry_run = 1;
			break;
		case 'm':
			map_spec = optarg;
			break;
		default:
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return diag_set(d, DIAG_USAGE, optind >= argc ? "no CSV file given" :
		    "one CSV file at a time");
	o.source = strcmp(argv[optind], "-") == 0 ? "stdin" : argv[optind];
	o.actor = ctx->actor;
	o.now_at = ctx->now_at;
	if (map_spec != NULL && (map = import_map_load(map_spec, ctx->cfg, d)) == NULL)
		return -1;
	if (read_file(argv[optind], &data, &len, d) < 0) {
		import_map_free(map);
		return -1;
	}
	import_result_init(&r);
	if (map != NULL) {
		struct buf csv = BUF_INIT;

		csv.cap = (size_t)1 << 32;
		rc = import_map_translate(map, data, len, o.source, &csv, &lines, &o.nline_map,
		    &r, d);
		free(data);
		data = NULL;
		len = csv.len;
		if (rc == 0 && (data = buf_detach(&csv)) == NULL)
			rc = diag_set(d, DIAG_NOMEM, "out of memory");
		buf_release(&csv);
		o.line_map = lines;
	} else
		rc = 0;
	if (rc == 0)
		rc = import_csv(ctx->store, data, len, &o, &r, d);
	free(data);
	free(lines);
	import_map_free(map);
	if (rc < 0) {
		struct buf b = BUF_INIT;

		/* each problem on its own line, FILE:LINE: reason; the summary
		 * follows from main.c */
		for (size_t i = 0; i < r.nerrors; i++) {
			buf_reset(&b);
			text_add_safe(&b, r.errors[i], 0);
			fprintf(ctx->err, "%s\n", buf_str(&b));
		}
		if (r.truncated)
			fprintf(ctx->err, "%s: stopped after %zu problems\n", o.source, r.nerrors);
		buf_release(&b);
		import_result_release(&r);
		return -1;
	}
	if (o.dry_run)
		fprintf(ctx->out, "%s: %zu rows checked: %zu tickets would be added, %zu "
		    "already present (dry run: nothing written)\n", o.source, r.rows, r.added,
		    r.skipped);
	else
		fprintf(ctx->out, "imported %zu ticket%s from %s (%zu row%s already present)\n",
		    r.added, r.added == 1 ? "" : "s", o.source, r.skipped,
		    r.skipped == 1 ? "" : "s");
	import_result_release(&r);
	return 0;
}

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.summary = "import tickets from a CSV file, all or nothing",
	.usage = "[--dry-run] [--map jira|zendesk|MAPFILE] FILE.csv",
	.help =
		"  FILE.csv     RFC 4180 CSV (\"-\" reads standard input); the first line\n"
		"               names the columns, in any order, any case:\n"
		"                 key, partner, severity, summary, created  (required)\n"
		"                 customer, assignee, first_response, resolved,\n"
		"                 responded_by                              (optional)\n"
		"               instants are ISO 8601; without an offset they are local\n"
		"               to the partner's zone\n"
		"  --map jira   FILE.csv is Jira's CSV export (Issue key, Summary, Project\n"
		"               key, Priority, Assignee, Created, Resolved, Comment...;\n"
		"               dates such as 01/Dec/26 9:30 AM in the partner's zone)\n"
		"  --map zendesk  Zendesk's ticket CSV export (Id, Subject, Organization,\n"
		"               Priority, Requester, Assignee, Created at, Solved at,\n"
		"               First reply time in minutes)\n"
		"  --map MAPFILE  any other helpdesk: lines 'column FIELD = Column name',\n"
		"               'severity VALUE = SEV', 'partner VALUE = KEY',\n"
		"               'date_format = %d.%m.%Y %H:%M', 'key_prefix = X-'\n"
		"               (slatrack(1), IMPORT FORMAT)\n"
		"  --dry-run    check every row and report, write nothing\n"
		"\nRows are matched by key: a key already present with the same values\n"
		"is skipped (so importing a file twice changes nothing); one with\n"
		"different values is an error, as is any bad row.  Every problem is\n"
		"listed as FILE:LINE: reason, and then nothing is imported.\n"
		"\nexit status: 0 imported, 2 usage error, 3 bad rows (nothing written),\n"
		"4 storage failure\n",
	.flags = CMD_DB_CREATE,
	.exec = import_exec,
};
