/* main.c: global options, the clock, dispatch, and the one place where a
 * diag becomes text on stderr and an exit status (slatrack(1), EXIT STATUS). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/sysinfo.h"
#include "civil.h"
#include "config.h"
#include "diag.h"
#include "store.h"
#include "tz.h"
#include "tui/tui.h"

static const char main_usage[] =
	"usage: slatrack [--db FILE|URL] [--config FILE] [--now INSTANT] [COMMAND [ARGS]]\n"
	"       slatrack help [COMMAND]\n"
	"       slatrack --version\n";

static void main_help(FILE *f)
{
	fputs(main_usage, f);
	fputs("\nslatrack tracks the 24-hour working-time SLA of tier-1 support tickets.\n"
	    "\nglobal options:\n"
	    "  --db FILE|URL    the database: a SQLite file or a postgresql:// URL\n"
	    "                   (else $SLATRACK_DB, else [store] url in the config,\n"
	    "                   else $XDG_DATA_HOME/slatrack/slatrack.db)\n"
	    "  --config FILE    the configuration (else $SLATRACK_CONFIG, else\n"
	    "                   $XDG_CONFIG_HOME/slatrack/config)\n"
	    "  --now INSTANT    pretend the current time is INSTANT (ISO 8601)\n"
	    "  -h, --help       this help\n"
	    "  -V, --version    the version\n\n", f);
	cmd_print_list(f);
}

static int fail(const char *cmd, const struct diag *d)
{
	fprintf(stderr, "slatrack: %s%s%s\n", cmd ? cmd : "", cmd ? ": " : "", d->msg);
	return diag_exit_status(d->code == DIAG_OK ? DIAG_STORE : d->code);
}

/* Data goes to stdout; a full disk or closed pipe must not pass silently. */
static int finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (status == 0) {
			fprintf(stderr, "slatrack: cannot write the output\n");
			return 4;
		}
	}
	return status;
}

static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

static enum store_mode db_mode(const struct cmd_entry *e, int argc, char **argv)
{
	unsigned f = e->db_flags != NULL ? e->db_flags(argc, argv) : e->flags;

	if (f & CMD_DB_CREATE)
		return STORE_CREATE;
	return (f & CMD_DB_READ) ? STORE_READ : STORE_EXISTING;
}

/* Only a command that creates data makes the database's directories. */
static struct store *open_store(const char *path, enum store_mode mode, struct diag *d)
{
	if (mode == STORE_CREATE && sysinfo_make_parent_dirs(path) < 0) {
		diag_set(d, DIAG_STORE, "cannot create the directory of '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	return store_open_mode(path, mode, d);
}

static int run_command(struct ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_find(argv[0]);
	struct diag d;
	int rc;

	diag_clear(&d);
	if (e == NULL) {
		fprintf(stderr, "slatrack: unknown command '%s'\n", argv[0]);
		fputs(main_usage, stderr);
		return 2;
	}
	if (wants_help(argc, argv)) {
		cmd_print_help(stdout, e);
		return finish_stdout(0);
	}
	if (!(e->flags & CMD_NO_DB) &&
	    (ctx->store = open_store(ctx->db_path, db_mode(e, argc, argv), &d)) == NULL)
		return fail(e->name, &d);
	optind = 0;		/* glibc: rescan from the start for the command */
	rc = e->exec(ctx, argc, argv, &d);
	store_close(ctx->store);
	ctx->store = NULL;
	if (rc < 0) {
		rc = fail(e->name, &d);
		if (d.code == DIAG_USAGE)
			cmd_print_usage(stderr, e);
		return finish_stdout(rc);
	}
	return finish_stdout(rc);
}

/* No command on a terminal: the TUI, on an existing database (a mistyped
 * --db must not open an empty queue that looks like a quiet day); read-only
 * when this user may not write it, so a manager can still look. */
static int run_tui(struct ctx *ctx)
{
	struct diag d;
	int rc;

	diag_clear(&d);
	if ((ctx->store = open_store(ctx->db_path, STORE_READ, &d)) == NULL)
		return fail(NULL, &d);
	rc = tui_run(ctx);
	store_close(ctx->store);
	ctx->store = NULL;
	return rc;
}

/* Loads the configuration (which must exist when named explicitly),
 * derives who acts and in which zone, then runs the command, or the TUI
 * when there is none and this is a terminal. */
/* Runs the command with the configuration loaded; the database is --db,
 * else $SLATRACK_DB, else [store] url, else the XDG default (in db_buf). */
static int run_configured(struct ctx *ctx, int config_explicit, int argc, char **argv,
			  char *db_buf, size_t db_size)
{
	struct config *cfg;
	struct diag d;
	const char *v;
	int rc;

	diag_clear(&d);
	if ((cfg = config_load(ctx->config_path, config_explicit, &d)) == NULL)
		return fail(NULL, &d);
	ctx->cfg = cfg;
	if (ctx->db_path == NULL)
		ctx->db_path = config_get(cfg, "store", NULL, "url");
	if (ctx->db_path == NULL) {
		sysinfo_default_path(db_buf, db_size, "SLATRACK_DB", "XDG_DATA_HOME",
		    ".local/share", "slatrack.db");
		ctx->db_path = db_buf;
	}
	ctx->actor = (v = config_get(cfg, "me", NULL, "name")) ? v : sysinfo_user_name();
	ctx->viewer_zone = (v = config_get(cfg, "me", NULL, "zone")) ? v : sysinfo_zone_name();
	if (argc > 0)
		rc = run_command(ctx, argc, argv);
	else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		rc = run_tui(ctx);
	else {
		fputs(main_usage, stderr);
		fputs("slatrack: no command given (run 'slatrack help'; without a "
		    "command on a terminal slatrack opens the TUI)\n", stderr);
		rc = 2;
	}
	config_free(cfg);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "now", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctx ctx;
	struct diag d;
	static char db_buf[PATH_MAX], config_buf[PATH_MAX];
	const char *now_text = NULL, *env_db;
	int c, config_given = 0;

	setlocale(LC_ALL, "");
	memset(&ctx, 0, sizeof ctx);
	ctx.out = stdout;
	ctx.err = stderr;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.db_path = optarg;
			break;
		case 'c':
			ctx.config_path = optarg;
			config_given = 1;
			break;
		case 'n':
			now_text = optarg;
			break;
		case 'h':
			main_help(stdout);
			return finish_stdout(0);
		case 'V':
			printf("slatrack %s\n", SLATRACK_VERSION);
			return finish_stdout(0);
		default:
			fprintf(stderr, "slatrack: unknown or incomplete option '%s'\n",
			    argv[optind - 1]);
			fputs(main_usage, stderr);
			return 2;
		}
	}
	diag_clear(&d);
	if (now_text != NULL) {
		struct tz *zone = tz_load(sysinfo_zone_name(), &d);
		int rc = cmd_parse_instant("--now", now_text, zone, &ctx.now_at, &d);

		tz_free(zone);
		if (rc < 0) {
			fail(NULL, &d);
			fputs(main_usage, stderr);
			return 2;
		}
	} else
		ctx.now_at = (int64_t)time(NULL);
	if (ctx.db_path == NULL && (env_db = getenv("SLATRACK_DB")) != NULL && *env_db != '\0')
		ctx.db_path = env_db;
	if (ctx.config_path == NULL) {
		sysinfo_default_path(config_buf, sizeof config_buf, "SLATRACK_CONFIG",
		    "XDG_CONFIG_HOME", ".config", "config");
		ctx.config_path = config_buf;
	}
	return run_configured(&ctx, config_given || getenv("SLATRACK_CONFIG") != NULL,
	    argc - optind, argv + optind, db_buf, sizeof db_buf);
}
