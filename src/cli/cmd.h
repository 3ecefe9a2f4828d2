/* cmd.h: the command table every subcommand plugs into.
 *
 * One file per subcommand (src/cli/cmd-NAME.c) exports one
 * `const struct cmd_entry cmd_NAME_entry`; cmd.c lists them.  Names are
 * matched exactly, because cron scripts need stable names.  The
 * dispatcher (main.c) handles --help for every command, so an exec
 * function only parses its own options.
 */
#ifndef SLATRACK_CMD_H
#define SLATRACK_CMD_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"

struct config;
struct store;

/* Everything a command needs, read once in main.c. */
struct ctx {
	const char *db_path;		/* --db, $SLATRACK_DB, XDG default */
	const char *config_path;	/* --config, $SLATRACK_CONFIG, XDG default */
	int64_t now_at;			/* --now or the clock, read once */
	const struct config *cfg;	/* loaded once, read-only; never NULL */
	const char *actor;		/* who acts: config [me] name, else $USER */
	const char *viewer_zone;	/* config [me] zone, else the system's zone */
	struct store *store;		/* opened by main.c unless CMD_NO_DB */
	FILE *out;			/* stdout */
	FILE *err;			/* stderr */
};

/* How main.c opens the database for a command.  The default is
 * read-write on an existing file: only commands that create data may
 * create a database, and commands that only read open it read-only when
 * this user may not write it. */
enum cmd_flags {
	CMD_NO_DB = 1 << 0,		/* runs without opening the database */
	CMD_DB_READ = 1 << 1,		/* only reads (STORE_READ) */
	CMD_DB_CREATE = 1 << 2		/* may create a new database (STORE_CREATE) */
};

struct cmd_entry {
	const char *name;
	const char *summary;		/* one line for `slatrack help` */
	const char *usage;		/* after "usage: slatrack NAME " */
	const char *help;		/* option descriptions for --help */
	unsigned flags;
	/* For commands with subcommands: the CMD_DB_* flags for these
	 * arguments (argv[0] is the command); NULL means flags alone. */
	unsigned (*db_flags)(int argc, char **argv);
	/* Returns an exit status (0, 1) or -1 with d filled. */
	int (*exec)(struct ctx *ctx, int argc, char **argv, struct diag *d);
};

const struct cmd_entry *cmd_find(const char *name);
void cmd_print_list(FILE *f);
void cmd_print_usage(FILE *f, const struct cmd_entry *e);
void cmd_print_help(FILE *f, const struct cmd_entry *e);
/* Parses an INSTANT that must not be local (no zone to read it in) or
 * reads it in `tz` when given; for options such as --now and --at. */
struct tz;
int cmd_parse_instant(const char *opt, const char *s, const struct tz *tz,
		      int64_t *at, struct diag *d);

extern const struct cmd_entry cmd_deadline_entry;
extern const struct cmd_entry cmd_calendar_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_init_entry;		/* cmd-init.c */
/* issue 3: each file adds its entry to cmd_table[] in cmd.c when it lands */
extern const struct cmd_entry cmd_partner_entry;	/* cmd-partner.c */
extern const struct cmd_entry cmd_ticket_entry;		/* cmd-ticket.c */
extern const struct cmd_entry cmd_recompute_entry;	/* cmd-recompute.c */
extern const struct cmd_entry cmd_doctor_entry;		/* cmd-doctor.c */
extern const struct cmd_entry cmd_audit_entry;		/* cmd-audit.c */
extern const struct cmd_entry cmd_import_entry;		/* cmd-import.c */
extern const struct cmd_entry cmd_export_entry;		/* cmd-export.c */
extern const struct cmd_entry cmd_backup_entry;		/* cmd-backup.c */
extern const struct cmd_entry cmd_restore_entry;	/* cmd-backup.c */
extern const struct cmd_entry cmd_migrate_entry;	/* cmd-migrate.c */
extern const struct cmd_entry cmd_version_entry;
extern const struct cmd_entry cmd_report_entry;		/* cmd-report.c (issue 5) */
extern const struct cmd_entry cmd_remind_entry;		/* cmd-remind.c (issue 6) */
extern const struct cmd_entry cmd_sync_entry;		/* cmd-sync.c (issue 13) */

#endif
