/* diag.h: how failures travel through the core.
 *
 * A failing core function fills a caller-owned struct diag and returns -1
 * (or NULL).  Only src/cli/main.c turns a diag into text on stderr and an
 * exit status (slatrack(1), EXIT STATUS).  Messages are lowercase, have no final
 * period and quote their subject: "unknown timezone 'Mars/Base'".
 */
#ifndef SLATRACK_DIAG_H
#define SLATRACK_DIAG_H

enum diag_code {
	DIAG_OK = 0,
	DIAG_USAGE,	/* bad option or argument: exit 2 */
	DIAG_INPUT,	/* bad calendar, CSV, timezone, instant: exit 3 */
	DIAG_STORE,	/* storage failure: exit 4 */
	DIAG_NET,	/* network failure: exit 4 */
	DIAG_NOMEM,	/* out of memory: exit 4 */
	DIAG_FINDING	/* a finding the caller asked to fail on: exit 1 */
};

#define DIAG_MSG_LEN 512

struct diag {
	enum diag_code code;
	char msg[DIAG_MSG_LEN];
};

/* Clears d (code DIAG_OK, empty message). */
void diag_clear(struct diag *d);

/* Records a failure; always returns -1 so a failure path is one line. */
int diag_set(struct diag *d, enum diag_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with "prefix: " (e.g. a file name). */
void diag_prefix(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The process exit status slatrack(1), EXIT STATUS assigns to code. */
int diag_exit_status(enum diag_code code);

#endif
