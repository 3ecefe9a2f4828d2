/* cmd-backup.c: `slatrack backup FILE` and `slatrack restore FILE`.
 *
 * backup copies the live database with SQLite's online backup API, so it
 * is safe while TUIs, reminders and imports write; it writes a temporary
 * file next to FILE and links it into place only when complete, so FILE
 * is never half-written and an existing FILE is never overwritten.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli/cmd.h"
#include "cli/sysinfo.h"
#include "store-import.h"
#include "store.h"

/* "DIR/.NAME.XXXXXX" next to path, for mkstemp. */
static char *temp_name_near(const char *path, const char *what)
{
	const char *slash = strrchr(path, '/');
	struct buf b = BUF_INIT;

	if (slash != NULL)
		buf_addf(&b, "%.*s/.%s.%s.XXXXXX", (int)(slash - path), path, slash + 1, what);
	else
		buf_addf(&b, ".%s.%s.XXXXXX", path, what);
	return buf_detach(&b);
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
	struct stat sb;
	const char *path;
	char *tmp;
	int i, fd, rc = -1;

	if ((i = one_file_arg(argc, argv, NULL, d)) < 0)
		return -1;
	path = argv[i];
	if (lstat(path, &sb) == 0)
		return diag_set(d, DIAG_USAGE, "'%s' exists: backup never overwrites a file; "
		    "remove it or choose another name", path);
	if ((tmp = temp_name_near(path, "backup")) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if ((fd = mkstemp(tmp)) < 0) {
		diag_set(d, DIAG_STORE, "cannot create a file next to '%s': %s", path,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	if (store_backup(ctx->store, tmp, d) < 0)
		goto out;
	if (store_file_check(tmp, NULL, d) < 0) {
		diag_prefix(d, "the backup does not read back");
		goto out;
	}
	/* link, unlike rename, fails when path appeared meanwhile */
	if (link(tmp, path) < 0) {
		diag_set(d, errno == EEXIST ? DIAG_USAGE : DIAG_STORE, "cannot create '%s': %s",
		    path, errno == EEXIST ? "it exists (created meanwhile)" : strerror(errno));
		goto out;
	}
	fprintf(ctx->out, "backed up %s to %s\n", store_path(ctx->store), path);
	rc = 0;
out:
	remove_db_files(tmp);
	free(tmp);
	return rc;
}

/* FILE is checked on a private copy, then copied into the live path. */
static int restore_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct store *copy = NULL, *live = NULL;
	struct store_audit_result ar;
	struct stat sb, lb;
	const char *path;
	char *tmp = NULL, *report = NULL;
	int i, fd, force = 0, version, rc = -1, live_exists;

	if ((i = one_file_arg(argc, argv, &force, d)) < 0)
		return -1;
	path = argv[i];
	if (stat(path, &sb) < 0)
		return diag_set(d, DIAG_INPUT, "cannot read '%s': %s", path, strerror(errno));
	live_exists = stat(ctx->db_path, &lb) == 0 && lb.st_size > 0;
	if (live_exists && sb.st_dev == lb.st_dev && sb.st_ino == lb.st_ino)
		return diag_set(d, DIAG_USAGE, "'%s' is the live database itself", path);
	if (live_exists && !force)
		return diag_set(d, DIAG_USAGE, "database '%s' exists: restore replaces it only "
		    "with --force (make a backup of it first)", ctx->db_path);
	if (store_file_check(path, &version, d) < 0)
		return -1;
	if (sysinfo_make_parent_dirs(ctx->db_path) < 0)
		return diag_set(d, DIAG_STORE, "cannot create the directory of '%s'",
		    ctx->db_path);

	/* 1. a private copy, migrated when FILE is older, and checked */
	if ((tmp = temp_name_near(ctx->db_path, "restore")) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if ((fd = mkstemp(tmp)) < 0) {
		diag_set(d, DIAG_STORE, "cannot create a file next to '%s': %s", ctx->db_path,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	if (store_file_copy(path, tmp, d) < 0 || (copy = store_open(tmp, d)) == NULL)
		goto out;
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
	if ((live = store_open(ctx->db_path, d)) == NULL) {
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
		if (rename(tmp, ctx->db_path) < 0) {
			diag_set(d, DIAG_STORE, "cannot replace '%s' (%s): %s", ctx->db_path,
			    why.msg, strerror(errno));
			goto out;
		}
		fprintf(ctx->err, "slatrack: restore: the old database did not open (%s); "
		    "replaced the file\n", why.msg);
	} else if (store_replace(live, copy, d) < 0)
		goto out;
	fprintf(ctx->out, "restored %s from %s (%lld audit events verified)\n", ctx->db_path,
	    path, (long long)ar.nevents);
	rc = 0;
out:
	free(report);
	store_close(live);
	store_close(copy);
	if (tmp != NULL)
		remove_db_files(tmp);
	free(tmp);
	return rc;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.summary = "copy the database to a new file, safely while others write",
	.usage = "FILE",
	.help =
		"  FILE    the copy to write; an existing FILE is never overwritten\n"
		"\nUses SQLite's online backup API: TUIs, reminders and imports may go on\n"
		"writing meanwhile.  Restore the copy with slatrack restore.\n",
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
		"records it.\n",
	.flags = CMD_NO_DB,
	.exec = restore_exec,
};
