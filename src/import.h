/* import.h: tickets from CSV, all or nothing (slatrack(1), IMPORT FORMAT).
 *
 * The first record is the header; columns are matched by name, ignoring
 * ASCII case and surrounding blanks, in any order:
 *   key, partner, severity, summary, created          required
 *   customer, assignee, first_response, resolved,     optional
 *   responded_by
 * Any other column name is an error that names it.  Each data record is
 * checked: a known partner, a severity, a non-empty summary, valid UTF-8
 * in every field, ISO 8601 instants (without an offset they are read in
 * the partner's zone) that are not in the future, with first_response and
 * resolved not before created.  The deadline comes from the partner's
 * schedule and target for that severity, as for `ticket add`.
 *
 * Rows are matched by key, so importing a file twice changes nothing:
 *   - a key not in the database is added, with one event: "ticket.import"
 *     (in place of ticket add's "ticket.create"), whose new value is
 *     "FILE:LINE: " (FILE without its directory) and then what a
 *     ticket.create event records ("partner=... severity=... created=...");
 *   - a key already there is skipped when every value the row gives equals
 *     the stored one (an empty optional value is not compared: staff may
 *     have assigned, answered or resolved the ticket since);
 *   - a key already there with a different value is an error naming the
 *     fields: import never changes an existing ticket;
 *   - the same key twice in the file: identical rows count once, rows
 *     that differ are an error.
 * With --map (import-map.h) the file is first translated from a
 * helpdesk's export; line_map then gives every message and event the
 * export's own line.
 * Every problem is collected as "FILE:LINE: reason" (up to max_errors);
 * with any problem, nothing is written.  All rows go in one transaction.
 */
#ifndef SLATRACK_IMPORT_H
#define SLATRACK_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct store;

#define IMPORT_MAX_ERRORS 100

struct import_options {
	const char *source;	/* the file name used in messages */
	const char *actor;	/* recorded on the events */
	int64_t now_at;		/* the event instant; later instants are refused */
	size_t max_errors;	/* 0 = IMPORT_MAX_ERRORS */
	int dry_run;		/* check everything, write nothing */
	/* import --map: the CSV is a translation; line_map[N - 1] is the
	 * export's line of its line N, used in messages (NULL: none) */
	const long *line_map;
	size_t nline_map;
};

struct import_result {
	size_t rows;		/* data records read (blank lines not counted) */
	size_t added;		/* new tickets (would be added, when dry_run) */
	size_t skipped;		/* rows whose ticket was already there */
	char **errors;		/* "FILE:LINE: reason", in file order */
	size_t nerrors;
	int truncated;		/* stopped collecting at max_errors */
};

void import_result_init(struct import_result *r);
void import_result_release(struct import_result *r);
/* Appends one problem (already "FILE:LINE: reason") to r->errors, up to
 * IMPORT_MAX_ERRORS (then r->truncated). */
void import_result_add_error(struct import_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Imports the CSV text data[0..len).  Returns 0, or -1 with d set: bad
 * rows are DIAG_INPUT "N problems in FILE: nothing imported" and listed
 * in r->errors; a storage failure is DIAG_STORE. */
int import_csv(struct store *s, const char *data, size_t len,
	       const struct import_options *o, struct import_result *r, struct diag *d);

/* The column names, in the order export writes them. */
extern const char *const import_columns[];
extern const size_t import_ncolumns;

#endif
