/* outfile.c: see outfile.h. */
#include "cli/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

static int same_file(const struct stat *a, const char *path, const char *suffix)
{
	char name[4096];
	struct stat b;

	if (path == NULL || snprintf(name, sizeof name, "%s%s", path, suffix) >= (int)sizeof name)
		return 0;
	return stat(name, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* The database (with SQLite's companions) and the configuration in use,
 * however they are named: same device and inode. */
static const char *own_file(const struct ctx *ctx, const struct stat *st)
{
	static const char *const db_suffixes[] = { "", "-wal", "-shm", "-journal" };

	for (size_t i = 0; i < sizeof db_suffixes / sizeof db_suffixes[0]; i++)
		if (same_file(st, ctx->db_path, db_suffixes[i]))
			return "the database slatrack is using";
	if (same_file(st, ctx->config_path, ""))
		return "the configuration slatrack is using";
	return NULL;
}

int outfile_check(const struct ctx *ctx, const char *opt, const char *path,
		  enum outfile_kind *kind, struct diag *d)
{
	struct stat st;
	const char *own;

	if (*path == '\0')
		return diag_set(d, DIAG_USAGE, "%s: empty file name (- is standard output)", opt);
	if (strcmp(path, "-") == 0) {
		*kind = OUTFILE_STDOUT;
		return 0;
	}
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return diag_set(d, DIAG_STORE, "%s: '%s': %s", opt, path, strerror(errno));
		*kind = OUTFILE_REPLACE;
		return 0;
	}
	if (S_ISLNK(st.st_mode))
		return diag_set(d, DIAG_STORE, "%s: '%s' is a symbolic link, which a report "
		    "would replace: name the file itself (or - for standard output)", opt, path);
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
		*kind = OUTFILE_STREAM;
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return diag_set(d, DIAG_STORE, "%s: '%s' is not a regular file (a directory, "
		    "a block device or a socket): refusing to replace it", opt, path);
	if ((own = own_file(ctx, &st)) != NULL)
		return diag_set(d, DIAG_STORE, "%s: '%s' is %s: refusing to overwrite it", opt,
		    path, own);
	*kind = OUTFILE_REPLACE;
	return 0;
}

/* A temporary file beside path, written, synced and renamed over it. */
static int outfile_replace(const char *opt, const char *path, const char *data, size_t len,
			   struct diag *d)
{
	struct buf tmp = BUF_INIT;
	const char *slash = strrchr(path, '/');
	mode_t mask;
	int fd, saved;
	size_t off = 0;

	if (slash != NULL)
		buf_addf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		buf_addf(&tmp, ".%s.XXXXXX", path);
	if (buf_failed(&tmp))
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if ((fd = mkstemp(tmp.data)) < 0) {
		saved = errno;
		buf_release(&tmp);
		return diag_set(d, DIAG_STORE, "%s: cannot create a file next to '%s': %s", opt,
		    path, strerror(saved));
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);		/* as if created by open(2) */
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	saved = off < len ? errno : fsync(fd) != 0 ? errno : 0;
	if (close(fd) != 0 && saved == 0)
		saved = errno;
	if (saved == 0 && rename(tmp.data, path) < 0)
		saved = errno;
	if (saved != 0) {
		unlink(tmp.data);
		buf_release(&tmp);
		return diag_set(d, DIAG_STORE, "%s: cannot write '%s': %s", opt, path,
		    strerror(saved));
	}
	buf_release(&tmp);
	return 0;
}

int outfile_write(FILE *out, const char *opt, const char *path, enum outfile_kind kind,
		  const char *data, size_t len, struct diag *d)
{
	FILE *f;

	switch (kind) {
	case OUTFILE_REPLACE:
		return outfile_replace(opt, path, data, len, d);
	case OUTFILE_STREAM:
		if ((f = fopen(path, "w")) == NULL)
			return diag_set(d, DIAG_STORE, "%s: cannot open '%s': %s", opt, path,
			    strerror(errno));
		if (fwrite(data, 1, len, f) != len) {
			int saved = errno;

			fclose(f);
			return diag_set(d, DIAG_STORE, "%s: cannot write '%s': %s", opt, path,
			    strerror(saved));
		}
		if (fclose(f) != 0)
			return diag_set(d, DIAG_STORE, "%s: cannot write '%s': %s", opt, path,
			    strerror(errno));
		return 0;
	default:
		if (fwrite(data, 1, len, out) != len || fflush(out) != 0)
			return diag_set(d, DIAG_STORE, "cannot write to standard output: %s",
			    strerror(errno));
		return 0;
	}
}
