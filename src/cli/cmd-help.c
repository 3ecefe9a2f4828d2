/* cmd-help.c: `slatrack help [COMMAND]` and `slatrack version`. */
#include <stdio.h>

#include "cli/cmd.h"

static int help_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	const struct cmd_entry *e;

	(void)ctx;
	if (argc < 2) {
		printf("usage: slatrack [--db FILE] [--config FILE] [--now INSTANT] "
		    "[COMMAND [ARGS]]\n\n");
		cmd_print_list(stdout);
		return 0;
	}
	if ((e = cmd_find(argv[1])) == NULL)
		return diag_set(d, DIAG_USAGE, "no such command '%s'", argv[1]);
	cmd_print_help(stdout, e);
	return 0;
}

static int version_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	(void)d;
	printf("slatrack %s\n", SLATRACK_VERSION);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.summary = "show the commands, or one command's options",
	.usage = "[COMMAND]",
	.help = "",
	.flags = CMD_NO_DB,
	.exec = help_exec,
};

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.summary = "show the version",
	.usage = "",
	.help = "",
	.flags = CMD_NO_DB,
	.exec = version_exec,
};
