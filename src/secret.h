/* secret.h: a password or token read from a command's output, for the
 * `password_command`-style keys of slatrack.conf(5) ([smtp]
 * password_command, [jira] token_command).
 *
 * The command runs with /bin/sh -c in a process group of its own, stdin
 * from /dev/null; the first line of its standard output is the secret.
 * It has timeout_s to finish, then it is killed with whatever it
 * started.  A failure names the key and its config line ("smtp.
 * password_command (line 7) ..."), never the secret.
 */
#ifndef SLATRACK_SECRET_H
#define SLATRACK_SECRET_H

#include "diag.h"

/* key: "smtp.password_command"; timeout_key: the key the limit comes
 * from ("smtp.timeout"), for the message.  *out is a heap copy (wipe and
 * free it); DIAG_INPUT on any failure. */
int secret_from_command(const char *cmd, const char *key, int line, const char *timeout_key,
			long timeout_s, char **out, struct diag *d);

#endif
