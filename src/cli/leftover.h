/* leftover.h: the temporary files backup and restore write beside their
 * target, and the ones a killed process left behind (issue 10, item 9).
 *
 * A temporary is "DIR/.NAME.WHAT.PID.tmp" next to DIR/NAME (WHAT is
 * "backup" or "restore"), created 0600 and exclusively, with SQLite's
 * companions beside it ("...tmp-wal", "-shm", "-journal").  Its process
 * holds an OFD lock on it for as long as it works on it.  A process
 * killed with SIGKILL (or a power cut) cannot remove it, and a restore's
 * temporary is as large as the database.  One is stale when no process
 * holds its lock and the process named by PID is gone: both must hold,
 * so neither a process that has just created its file and not yet locked
 * it, nor one in another PID namespace, loses its file. */
#ifndef SLATRACK_LEFTOVER_H
#define SLATRACK_LEFTOVER_H

#include "diag.h"

struct leftover {
	char *path;		/* owned */
	int fd;			/* holds the lock; -1 when none */
};

/* Creates the temporary for target (removing a stale one of this very
 * name first: its PID is ours, so its process is gone). */
int leftover_create(struct leftover *t, const char *target, const char *what,
		    struct diag *d);
/* Removes the file and its companions, drops the lock, frees the path;
 * safe on a zeroed or already removed struct. */
void leftover_remove(struct leftover *t);

/* Stale temporaries (any NAME, either WHAT) in the directory of path:
 * each removed with its companions when remove is set, and passed to fn
 * with its size in bytes (companions included), its PID and the errno
 * of a removal that failed (0 when it was removed or not asked to be).
 * Returns how many were found, or -1 when the directory cannot be read
 * (errno set). */
int leftover_sweep(const char *path, int remove,
		   void (*fn)(const char *file, long long bytes, long pid, int err, void *arg),
		   void *arg);

#endif
