/* cmd-help.c: `slatrack help [COMMAND]` and `slatrack version`. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "config.h"

/* The configuration keys, from the one table the parser checks against. */
static void print_config_keys(void)
{
	size_t n;
	const struct config_key *k = config_keys(&n);
	const char *section = "";

	printf("configuration keys (man slatrack.conf for the whole story):\n");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(section, k[i].section) != 0) {
			section = k[i].section;
			printf("\n[%s%s]\n", section, strcmp(section, "staff") == 0 ||
			    strcmp(section, "webhook") == 0 ? " \"NAME\"" :
			    strcmp(section, "partner") == 0 ? " \"KEY\"" : "");
		}
		printf("  %-18s %-12s %s%s%s\n", k[i].key, k[i].type, k[i].doc,
		    k[i].def ? "; default " : "", k[i].def ? k[i].def : "");
	}
}

static int help_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	const struct cmd_entry *e;

	(void)ctx;
	if (argc < 2) {
		printf("usage: slatrack [--db FILE|URL] [--config FILE] [--now INSTANT] "
		    "[COMMAND [ARGS]]\n\n");
		cmd_print_list(stdout);
		return 0;
	}
	if (strcmp(argv[1], "config") == 0) {
		print_config_keys();
		return 0;
	}
	if ((e = cmd_find(argv[1])) == NULL)
		return diag_set(d, DIAG_USAGE, "no such command '%s' (or 'config' for the "
		    "configuration keys)", argv[1]);
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
	.usage = "[COMMAND | config]",
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
