/* cmd-backup.c: `slatrack backup FILE` and `slatrack restore FILE`.
 *
 * backup copies the live database with SQLite's online backup API, so it
 * is safe while TUIs, reminders and imports write; it writes a temporary
 * file next to FILE and links it into place only when complete, so FILE
 * is never half-written and an existing FILE is never overwritten.
 *
 * The temporaries (".NAME.backup.PID.tmp", ".NAME.restore.PID.tmp",
 * leftover.h) are as large as the database.  A run killed with SIGKILL
 * cannot remove its own, so every run first removes the stale ones in
 * the directory it writes to (as doctor does beside the database).
 *
 * restore checks FILE before touching the live database: it must be a
 * slatrack database this binary can read, pass SQLite's integrity check
 * and have an audit chain that verifies.  The check runs on a private
 * copy (migrated when FILE is older), which then replaces the contents of
 * the live database through the backup API in one write transaction:
 * other processes see the old database or the restored one, never a mix.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli/cmd.h"
#include "cli/leftover.h"
#include "cli/sysinfo.h"
#include "store-import.h"
#include "store.h"
#include "text.h"

static void note_removed(const char *file, long long bytes, long pid, int err, void *arg)
{
	struct ctx *ctx = arg;
	struct buf b = BUF_INIT;

	/* a name in a shared directory may hold anything */
	text_add_safe(&b, file, 0);
	if (err != 0)
		fprintf(ctx->err, "slatrack: cannot remove '%s', left by an interrupted backup "
		    "or restore (process %ld): %s\n", buf_str(&b), pid, strerror(err));
	else
		fprintf(ctx->err, "slatrack: removed '%s' (%lld bytes), left by an interrupted "
		    "backup or restore (process %ld)\n", buf_str(&b), bytes, pid);
	buf_release(&b);
}

/* Temporaries that a killed backup or restore left beside path go
 * before this run adds its own (they can be as large as the database). */
static void sweep_near(struct ctx *ctx, const char *path)
{
	leftover_sweep(path, 1, note_removed, ctx);
}

/* SLATRACK_TEST_HOOKS=1 SLATRACK_TEST_STOP_IN=WHAT: stop (SIGSTOP) with
 * the temporary written, so a test can kill -9 the process there. */
static void test_stop(const char *what)
{
	const char *hooks = getenv("SLATRACK_TEST_HOOKS"), *in;

	if (hooks != NULL && strcmp(hooks, "1") == 0 &&
	    (in = getenv("SLATRACK_TEST_STOP_IN")) != NULL && strcmp(in, what) == 0)
		raise(SIGSTOP);
}

static void remove_db_files(const char *path)
{
	struct buf b = BUF_INIT;

	unlink(path);
	buf_addf(&b, "%s-wal", path);
	unlink(buf_str(&b));
	buf_reset(&b);
	buf_addf(&b, "%s-shm", path);
	unlink(buf_str(&b));
	buf_reset(&b);
	buf_addf(&b, "%s-journal", path);
	unlink(buf_str(&b));
	buf_release(&b);
}

static int one_file_arg(int argc, char **argv, int *force, struct diag *d)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	/* options may follow FILE: restore FILE --force */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f' && force != NULL)
			*force = 1;
		else
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
	}
	if (optind != argc - 1)
		return diag_set(d, DIAG_USAGE, optind >= argc ? "no file given" :
		    "one file at a time");
	return optind;
}

static int backup_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct leftover tmp;
	struct stat sb;
	const char *path;
	int i, rc = -1;

	if ((i = one_file_arg(argc, argv, NULL, d)) < 0)
		return -1;
	path = argv[i];
	if (lstat(path, &sb) == 0)
		return diag_set(d, DIAG_USAGE, "'%s' exists: backup never overwrites a file; "
		    "remove it or choose another name", path);
	sweep_near(ctx, path);
	if (leftover_create(&tmp, path, "backup", d) < 0)
		return -1;
	if (store_backup(ctx->store, tmp.path, d) < 0)
		goto out;
	test_stop("backup");
	if (store_file_check(tmp.path, NULL, d) < 0) {
		diag_prefix(d, "the backup does not read back");
		goto out;
	}
	/* link, unlike rename, fails when path appeared meanwhile */
	if (link(tmp.path, path) < 0) {
		diag_set(d, errno == EEXIST ? DIAG_USAGE : DIAG_STORE, "cannot create '%s': %s",
		    path, errno == EEXIST ? "it exists (created meanwhile)" : strerror(errno));
		goto out;
	}
	fprintf(ctx->out, "backed up %s to %s\n", store_path(ctx->store), path);
	rc = 0;
out:
	leftover_remove(&tmp);
	return rc;
}

/* FILE is checked on a private copy, then copied into the live path. */
static int restore_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct store *copy = NULL, *live = NULL;
	struct leftover tmp = { NULL, -1 };
	struct store_audit_result ar;
	struct stat sb, lb;
	const char *path;
	char *report = NULL;
	const char *near;
	int i, force = 0, version, rc = -1, live_exists, server;

	if ((i = one_file_arg(argc, argv, &force, d)) < 0)
		return -1;
	path = argv[i];
	if (stat(path, &sb) < 0)
		return diag_set(d, DIAG_INPUT, "cannot read '%s': %s", path, strerror(errno));
	/* a server's database is filled only when empty (store_replace) */
	server = store_is_server(ctx->db_path);
	near = server ? path : ctx->db_path;
	live_exists = !server && stat(ctx->db_path, &lb) == 0 && lb.st_size > 0;
	if (live_exists && sb.st_dev == lb.st_dev && sb.st_ino == lb.st_ino)
		return diag_set(d, DIAG_USAGE, "'%s' is the live database itself", path);
	if (live_exists && !force)
		return diag_set(d, DIAG_USAGE, "database '%s' exists: restore replaces it only "
		    "with --force (make a backup of it first)", ctx->db_path);
	if (store_file_check(path, &version, d) < 0)
		return -1;
	if (!server && sysinfo_make_parent_dirs(ctx->db_path) < 0)
		return diag_set(d, DIAG_STORE, "cannot create the directory of '%s'",
		    ctx->db_path);

	/* 1. a private copy, migrated when FILE is older, and checked
	 * (beside the database, or beside FILE for a server) */
	sweep_near(ctx, near);
	if (leftover_create(&tmp, near, "restore", d) < 0)
		return -1;
	if (store_file_copy(path, tmp.path, d) < 0 || (copy = store_open(tmp.path, d)) == NULL)
		goto out;
	test_stop("restore");
	if (store_integrity(copy, &report, d) < 0)
		goto out;
	if (report != NULL) {
		diag_set(d, DIAG_INPUT, "'%s' fails the integrity check, not restored: %.*s",
		    path, (int)strcspn(report, "\n"), report);
		goto out;
	}
	if (store_audit_verify(copy, &ar, d) < 0)
		goto out;
	if (ar.bad_id != 0) {
		diag_set(d, DIAG_INPUT, "'%s': the audit trail does not verify at event %lld: "
		    "%s; not restored", path, (long long)ar.bad_id, ar.problem);
		goto out;
	}
	/* the restore itself goes on the record, in the restored chain */
	if (store_begin(copy, d) < 0 ||
	    store_event_add(copy, ctx->now_at, ctx->actor, "database.restore", 0, 0,
	    "source", NULL, path, d) < 0 || store_commit(copy, d) < 0) {
		store_rollback(copy);
		goto out;
	}

	/* 2. into the live database, in one transaction */
	if ((live = store_open_mode(ctx->db_path, STORE_CREATE, d)) == NULL) {
		struct diag why = *d, probe;

		/* replace the file only when it is no usable database at all,
		 * never one that merely failed to open (busy, say) */
		if (!live_exists || store_file_check(ctx->db_path, NULL, &probe) == 0)
			goto out;
		/* --force over a database that cannot be opened (damaged, or
		 * newer): nobody can be using it, so replace the file */
		store_close(copy);
		copy = NULL;
		remove_db_files(ctx->db_path);
		if (rename(tmp.path, ctx->db_path) < 0) {
			diag_set(d, DIAG_STORE, "cannot replace '%s' (%s): %s", ctx->db_path,
			    why.msg, strerror(errno));
			goto out;
		}
		fprintf(ctx->err, "slatrack: restore: the old database did not open (%s); "
		    "replaced the file\n", why.msg);
	} else if (store_replace(live, copy, d) < 0)
		goto out;
	fprintf(ctx->out, "restored %s from %s (%lld audit events verified)\n",
	    live != NULL ? store_path(live) : ctx->db_path,
	    path, (long long)ar.nevents);
	rc = 0;
out:
	free(report);
	store_close(live);
	store_close(copy);
	leftover_remove(&tmp);
	return rc;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.summary = "copy the database to a new file, safely while others write",
	.usage = "FILE",
	.help =
		"  FILE    the copy to write; an existing FILE is never overwritten\n"
		"\nUses SQLite's online backup API: TUIs, reminders and imports may go on\n"
		"writing meanwhile.  Restore the copy with slatrack restore.\n"
		"\nThe copy is written to .FILE.backup.PID.tmp beside FILE first.  Such\n"
		"temporaries left by a backup or restore that was killed are removed\n"
		"(and named on stderr) by the next backup into that directory.\n"
		"\nOf a PostgreSQL database the backup is a SQLite file, copied from one\n"
		"snapshot with every id kept (as migrate does).\n",
	.exec = backup_exec,
};

const struct cmd_entry cmd_restore_entry = {
	.name = "restore",
	.summary = "replace the database by a verified backup",
	.usage = "FILE [--force]",
	.help =
		"  FILE       a backup made by slatrack backup (or any slatrack database)\n"
		"  --force    replace an existing database (without it, restore only\n"
		"             creates a missing one)\n"
		"\nFILE must be a slatrack database that passes SQLite's integrity check\n"
		"and whose audit chain verifies; that is checked before the live database\n"
		"is touched.  The restore is one transaction: other slatrack processes\n"
		"see the old database or the restored one.  A database.restore event\n"
		"records it.  The check runs on .DB.restore.PID.tmp beside the database;\n"
		"such temporaries left by a killed run are removed by the next restore\n"
		"(or backup into that directory, or doctor).\n"
		"\nInto a PostgreSQL database, FILE is restored only when the database\n"
		"holds no data (createdb a new one); the check copy goes beside FILE.\n",
	.flags = CMD_NO_DB,
	.exec = restore_exec,
};
