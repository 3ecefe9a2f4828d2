/* cmd-migrate.c: `slatrack migrate --from DB --to DB`, a whole database
 * moved to the other backend (a SQLite file to a PostgreSQL server, or
 * back), audit chain intact: both sides must verify to the same head. */
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

#include "store.h"

struct migrate_args {
	const char *from, *to;
};

static int migrate_parse(int argc, char **argv, struct migrate_args *a, struct diag *d)
{
	memset(a, 0, sizeof *a);
	for (int i = 1; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--from") == 0 ? &a->from :
		    strcmp(argv[i], "--to") == 0 ? &a->to : NULL;

		if (slot == NULL)
			return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[i]);
		if (i + 1 == argc)
			return diag_set(d, DIAG_USAGE, "%s needs a database", argv[i]);
		*slot = argv[++i];
	}
	if (a->from == NULL || a->to == NULL)
		return diag_set(d, DIAG_USAGE, "migrate needs --from DB and --to DB");
	if (strcmp(a->from, a->to) == 0)
		return diag_set(d, DIAG_USAGE, "--from and --to name the same database");
	return 0;
}

/* The chain of s, which must hold. */
static int migrate_verify(struct store *s, struct store_audit_result *r, struct diag *d)
{
	if (store_audit_verify(s, r, d) < 0)
		return -1;
	if (r->bad_id != 0)
		return diag_set(d, DIAG_INPUT, "'%s': the audit trail does not verify at event "
		    "%lld: %s; nothing migrated", store_path(s), (long long)r->bad_id,
		    r->problem);
	return 0;
}

static int migrate_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct store *src = NULL, *dst = NULL;
	struct store_audit_result before, after;
	struct store_copy_counts n;
	struct migrate_args a;
	int rc = -1;

	if (migrate_parse(argc, argv, &a, d) < 0)
		return -1;
	if ((src = store_open_mode(a.from, STORE_EXISTING, d)) == NULL)
		return -1;
	if (migrate_verify(src, &before, d) < 0 ||
	    (dst = store_open_mode(a.to, STORE_CREATE, d)) == NULL ||
	    store_copy(src, dst, &n, d) < 0)
		goto out;
	if (store_audit_verify(dst, &after, d) < 0)
		goto out;
	if (after.bad_id != 0 || strcmp(before.head_hash, after.head_hash) != 0) {
		diag_set(d, DIAG_STORE, "the copy in '%s' does not verify to the head of '%s' "
		    "(%s): drop it and report this", store_path(dst), store_path(src),
		    after.bad_id ? after.problem : "another head");
		goto out;
	}
	fprintf(ctx->out, "migrated %s to %s: %lld partners, %lld tickets, %lld audit events "
	    "(%lld rows)\naudit head %s on both\n", store_path(src), store_path(dst),
	    (long long)n.partners, (long long)n.tickets, (long long)n.events,
	    (long long)n.rows, after.head_id ? after.head_hash : "(empty trail)");
	rc = 0;
out:
	store_close(src);
	store_close(dst);
	return rc;
}

const struct cmd_entry cmd_migrate_entry = {
	.name = "migrate",
	.summary = "move a database to PostgreSQL (or back), audit chain intact",
	.usage = "--from DB --to DB",
	.help =
		"Copies every partner, ticket, audit event, reminder and setting of the\n"
		"database --from into the database --to, which must be new or empty;\n"
		"each DB is a SQLite file or a postgresql:// URL.  Ids are kept, so the\n"
		"audit chain verifies to the same head on both: migrate checks that and\n"
		"prints it.  The copy is one transaction: on any error nothing is left\n"
		"in --to.  --from is only read (it is first brought to this version's\n"
		"schema); stop writers (cron, the triage screen) while it runs.\n"
		"\nexit status: 0 success, 2 usage error, 3 --from does not verify,\n"
		"4 storage failure\n",
	.flags = CMD_NO_DB,
	.exec = migrate_exec,
};
