/* cmd-init.c: `slatrack init`, the one command whose only job is to
 * create the database (0600) or bring an existing one to this version's
 * schema.  Running it again changes nothing. */
#include "cli/cmd.h"

#include <stdio.h>

#include "store.h"

static int init_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	(void)argv;
	if (argc > 1)
		return diag_set(d, DIAG_USAGE, "init takes no arguments (the database is "
		    "--db, $SLATRACK_DB or the XDG default)");
	fprintf(ctx->out, "database %s: schema version %d\n", store_path(ctx->store),
	    store_schema_version(ctx->store));
	return 0;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.summary = "create the database, or migrate an existing one",
	.usage = "",
	.help =
		"Creates the database (mode 0600, and its directory 0700) when it does not\n"
		"exist, else applies the migrations it lacks; running it again changes\n"
		"nothing.  The database is --db FILE, else $SLATRACK_DB, else\n"
		"$XDG_DATA_HOME/slatrack/slatrack.db.  Only init, partner add, import and\n"
		"restore create a database: every other command on a missing one fails\n"
		"with exit status 4 and names the path, so a mistyped --db in a cron line\n"
		"is loud.  On PostgreSQL (--db postgresql://...) the server's database\n"
		"must exist (createdb); any command creates slatrack's tables in an empty\n"
		"one, and a missing one fails with exit status 4.\n"
		"\nexit status: 0 success, 2 usage error, 4 storage failure\n",
	.flags = CMD_DB_CREATE,
	.exec = init_exec,
};
