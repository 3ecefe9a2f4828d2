/* secret.c: a secret from a command's first output line; see secret.h.
 * (Moved here from mail.c so [jira] token_command shares it.) */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for pid until deadline_ms (monotonic); 1 and *status when it
 * ended, 0 when it still runs. */
static int wait_until(pid_t pid, int64_t deadline_ms, int *status)
{
	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid || (w < 0 && errno != EINTR))
			return 1;
		if (monotonic_ms() >= deadline_ms)
			return 0;
		poll(NULL, 0, 20);
	}
}

/* Ends the command's whole process group: SIGTERM, then SIGKILL for
 * what is left after a second.  Reaps pid. */
static void kill_group(pid_t pid)
{
	int status;

	kill(-pid, SIGTERM);
	if (!wait_until(pid, monotonic_ms() + 1000, &status)) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	kill(-pid, SIGKILL);		/* children that outlived the shell */
}

/* Starts /bin/sh -c cmd in a process group of its own, stdin from
 * /dev/null, stdout into a pipe (*fd).  The pid, or -1 with errno. */
static pid_t spawn_command(const char *cmd, int *fd)
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		int e = errno;

		close(p[0]);
		close(p[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		if (null >= 0 && null != STDIN_FILENO) {
			dup2(null, STDIN_FILENO);
			close(null);
		}
		if (p[1] != STDOUT_FILENO) {
			dup2(p[1], STDOUT_FILENO);
			close(p[1]);
		}
		close(p[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);		/* both sides: no race with kill_group */
	close(p[1]);
	*fd = p[0];
	return pid;
}

int secret_from_command(const char *cmd, const char *key, int line, const char *timeout_key,
			long timeout_s, char **out, struct diag *d)
{
	char tmp[1024], drain[256];
	size_t len = 0;
	int64_t deadline = monotonic_ms() + (int64_t)timeout_s * 1000;
	int fd, status = 0, eof = 0;
	pid_t pid;

	*out = NULL;
	if ((pid = spawn_command(cmd, &fd)) < 0)
		return diag_set(d, DIAG_INPUT, "%s (line %d): cannot run: %s",
		    key, line, strerror(errno));
	while (!eof) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - monotonic_ms();
		ssize_t n;

		if (left <= 0)
			break;
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) <= 0)
			continue;
		if (len + 1 < sizeof tmp)
			n = read(fd, tmp + len, sizeof tmp - 1 - len);
		else
			n = read(fd, drain, sizeof drain);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			eof = 1;
		else if (len + 1 < sizeof tmp)
			len += (size_t)n;
	}
	close(fd);
	memset(drain, 0, sizeof drain);
	tmp[len] = '\0';
	if (!eof || !wait_until(pid, deadline, &status)) {
		kill_group(pid);
		memset(tmp, 0, sizeof tmp);
		return diag_set(d, DIAG_INPUT, "%s (line %d) did not finish "
		    "within %s (%ld s): stopped", key, line, timeout_key, timeout_s);
	}
	len = strcspn(tmp, "\r\n");
	tmp[len] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		memset(tmp, 0, sizeof tmp);
		if (WIFEXITED(status))
			return diag_set(d, DIAG_INPUT, "%s (line %d) failed "
			    "with exit status %d", key, line, WEXITSTATUS(status));
		return diag_set(d, DIAG_INPUT, "%s (line %d) failed "
		    "(killed by signal %d)", key, line, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	}
	if (len == 0)
		return diag_set(d, DIAG_INPUT, "%s (line %d) printed no "
		    "secret", key, line);
	*out = strdup(tmp);
	memset(tmp, 0, sizeof tmp);
	if (*out == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}
