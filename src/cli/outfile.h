/* outfile.h: whether a command may write the file a user named with -o.
 *
 * A report is written to a temporary file beside the target and renamed
 * over it, so a failed run leaves the old file whole.  A rename replaces
 * whatever has that name, so it is allowed only onto a new path or a
 * regular file, and never onto the files slatrack itself runs on (the
 * database, its -wal and -shm, the configuration): a mistyped -o must not
 * destroy data.  A FIFO or a character device (/dev/null, a terminal) is
 * written in place; a symbolic link, a directory, a block device or a
 * socket is refused.  "-" is standard output; "" is a usage error.
 */
#ifndef SLATRACK_OUTFILE_H
#define SLATRACK_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "cli/cmd.h"

enum outfile_kind {
	OUTFILE_STDOUT,		/* "-" */
	OUTFILE_REPLACE,	/* a new path or a regular file: write, then rename */
	OUTFILE_STREAM		/* a FIFO or character device: write in place */
};

/* Checks path for option opt ("-o"); DIAG_USAGE or DIAG_STORE naming
 * the path when it may not be written. */
int outfile_check(const struct ctx *ctx, const char *opt, const char *path,
		  enum outfile_kind *kind, struct diag *d);

/* Writes data to path as outfile_check found it: OUTFILE_STDOUT to out,
 * OUTFILE_STREAM in place, OUTFILE_REPLACE into a temporary file beside
 * path that is synced and renamed over it, so that a reader (a web server
 * publishing the file) never sees half of it and a failure leaves the old
 * file whole.  DIAG_STORE naming the path on failure. */
int outfile_write(FILE *out, const char *opt, const char *path, enum outfile_kind kind,
		  const char *data, size_t len, struct diag *d);

#endif
