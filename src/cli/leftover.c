/* leftover.c: see leftover.h. */
#define _GNU_SOURCE		/* F_OFD_SETLK */
#include "cli/leftover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

/* The file itself, then what SQLite may have put beside it. */
static const char *const companions[] = { "", "-wal", "-shm", "-journal" };
#define NCOMPANIONS (sizeof companions / sizeof companions[0])

/* An OFD lock on the first byte, which SQLite never locks (its locks
 * live at 1 GiB): held until the descriptor is closed, whatever other
 * descriptors of the file this process (SQLite) opens and closes. */
static int lock_first_byte(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 1;
	return fcntl(fd, F_OFD_SETLK, &fl);
}

/* Unlinks path and its companions; the first errno other than ENOENT,
 * else 0.  With bytes, adds up their sizes first. */
static int remove_group(const char *path, int remove, long long *bytes)
{
	struct buf b = BUF_INIT;
	int err = 0;

	for (size_t i = 0; i < NCOMPANIONS; i++) {
		struct stat st;

		buf_reset(&b);
		buf_addf(&b, "%s%s", path, companions[i]);
		if (buf_failed(&b)) {
			err = ENOMEM;
			break;
		}
		if (bytes != NULL && lstat(buf_str(&b), &st) == 0 && S_ISREG(st.st_mode))
			*bytes += (long long)st.st_size;
		if (remove && unlink(buf_str(&b)) < 0 && errno != ENOENT && err == 0)
			err = errno;
	}
	buf_release(&b);
	return err;
}

int leftover_create(struct leftover *t, const char *target, const char *what,
		    struct diag *d)
{
	const char *slash = strrchr(target, '/');
	struct buf b = BUF_INIT;

	t->fd = -1;
	if (slash != NULL)
		buf_addf(&b, "%.*s/.%s.%s.%ld.tmp", (int)(slash - target), target, slash + 1,
		    what, (long)getpid());
	else
		buf_addf(&b, ".%s.%s.%ld.tmp", target, what, (long)getpid());
	if ((t->path = buf_detach(&b)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (int tries = 0; tries < 2; tries++) {
		t->fd = open(t->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (t->fd >= 0 || errno != EEXIST)
			break;
		/* it carries our PID: whoever made it is gone */
		remove_group(t->path, 1, NULL);
	}
	if (t->fd < 0) {
		diag_set(d, DIAG_STORE, "cannot create a file next to '%s': %s", target,
		    strerror(errno));
		free(t->path);
		t->path = NULL;
		return -1;
	}
	/* a file system without OFD locks still has the PID in the name */
	lock_first_byte(t->fd);
	return 0;
}

void leftover_remove(struct leftover *t)
{
	if (t->path != NULL)
		remove_group(t->path, 1, NULL);
	if (t->fd >= 0)
		close(t->fd);
	free(t->path);
	t->path = NULL;
	t->fd = -1;
}

/* For ".NAME.WHAT.PID.tmp" plus a companion's suffix: the PID, and the
 * suffix's length in *suffix; 0 for any other name. */
static long parse_name(const char *name, size_t *suffix)
{
	static const char *const whats[] = { ".backup", ".restore" };
	size_t n = strlen(name), k = 0;
	const char *tmp = NULL, *digits;
	long pid = 0;

	for (size_t i = 0; i < NCOMPANIONS && tmp == NULL; i++) {
		k = strlen(companions[i]);
		if (n > k + 4 && memcmp(name + n - k, companions[i], k) == 0 &&
		    memcmp(name + n - k - 4, ".tmp", 4) == 0)
			tmp = name + n - k - 4;
	}
	if (tmp == NULL || name[0] != '.')
		return 0;
	for (digits = tmp; digits > name && digits[-1] >= '0' && digits[-1] <= '9'; digits--)
		;
	if (digits == tmp || tmp - digits > 9 || digits - name < 2 || digits[-1] != '.')
		return 0;
	for (const char *p = digits; p < tmp; p++)
		pid = pid * 10 + (*p - '0');
	for (size_t i = 0; i < 2; i++) {
		size_t w = strlen(whats[i]);
		const char *at = digits - 1 - w;

		/* at least one character of NAME before ".WHAT" */
		if (at > name + 1 && memcmp(at, whats[i], w) == 0) {
			*suffix = k;
			return pid > 0 ? pid : 0;
		}
	}
	return 0;
}

static int process_alive(long pid)
{
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Whether the temporary at path (no suffix) is stale: its process is
 * gone and nobody holds its lock. */
static int stale(const char *path, long pid)
{
	struct stat st;
	int fd, free_lock;

	if (process_alive(pid))
		return 0;
	if (lstat(path, &st) < 0)
		return errno == ENOENT;	/* only companions left */
	if (!S_ISREG(st.st_mode))
		return 0;
	if ((fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY)) < 0)
		return 0;		/* cannot tell: leave it */
	free_lock = lock_first_byte(fd) == 0 || errno == EINVAL;
	close(fd);
	return free_lock;
}

int leftover_sweep(const char *path, int remove,
		   void (*fn)(const char *file, long long bytes, long pid, int err, void *arg),
		   void *arg)
{
	const char *slash = strrchr(path, '/');
	struct buf dir = BUF_INIT, file = BUF_INIT;
	struct dirent *e;
	DIR *dp;
	int found = 0;

	if (slash == path)
		buf_adds(&dir, "/");
	else if (slash != NULL)
		buf_addf(&dir, "%.*s", (int)(slash - path), path);
	else
		buf_adds(&dir, ".");
	if (buf_failed(&dir) || (dp = opendir(buf_str(&dir))) == NULL) {
		buf_release(&dir);
		return -1;
	}
	while ((e = readdir(dp)) != NULL) {
		long long bytes = 0;
		size_t suffix = 0;
		long pid = parse_name(e->d_name, &suffix);
		struct stat st;
		int err;

		if (pid == 0)
			continue;
		buf_reset(&file);
		buf_addf(&file, "%s/%.*s", buf_str(&dir),
		    (int)(strlen(e->d_name) - suffix), e->d_name);
		if (buf_failed(&file))
			continue;
		/* a companion goes with its file, when that is still there */
		if (suffix > 0 && (lstat(buf_str(&file), &st) == 0 ||
		    fstatat(dirfd(dp), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0))
			continue;
		if (!stale(buf_str(&file), pid))
			continue;
		err = remove_group(buf_str(&file), remove, &bytes);
		found++;
		if (fn != NULL)
			fn(buf_str(&file), bytes, pid, err, arg);
	}
	closedir(dp);
	buf_release(&file);
	buf_release(&dir);
	return found;
}
