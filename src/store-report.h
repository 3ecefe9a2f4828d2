/* store-report.h: the queries behind `slatrack report` (src/store-report.c).
 *
 * Three reads, each served by an index so that a nightly report over a
 * database of a million tickets reads only the tickets it reports on:
 *
 *   due       timed tickets whose deadline lies in [from_at, to_at):
 *             through the index tickets_deadline, in deadline order, unless
 *             more than a quarter of all tickets fall due in the period
 *             (a year's report): then the table is read in id order, which
 *             costs a third of an index lookup per row;
 *   overdue   tickets open and overdue at now_at: no first response, not
 *             resolved, deadline before now_at, in deadline order (the
 *             partial index tickets_open);
 *   untimed   tickets without a target created in [from_at, to_at)
 *             (tickets_deadline serves "deadline_at IS NULL").
 *
 * The filter narrows by partner, assignee and severity without steering
 * SQLite away from the deadline index.  Each ticket is handed to fn with
 * its strings borrowed from SQLite, valid only during the call;
 * partner_key is not filled (callers know their partners by id).  fn
 * returns non-zero to stop, and that value is returned; -1 with d filled
 * on failure.  Every read of one call sees one snapshot.
 */
#ifndef SLATRACK_STORE_REPORT_H
#define SLATRACK_STORE_REPORT_H

#include <stdint.h>

#include "diag.h"
#include "store.h"

struct store_report_filter {
	int64_t partner_id;		/* 0 = any */
	const char *assignee;		/* NULL = any; "" = unassigned */
	int severity;			/* -1 = any */
};

void store_report_filter_init(struct store_report_filter *f);

int store_report_due(struct store *s, const struct store_report_filter *f,
		     int64_t from_at, int64_t to_at,
		     int (*fn)(const struct store_ticket *t, void *arg), void *arg,
		     struct diag *d);
int store_report_overdue(struct store *s, const struct store_report_filter *f,
			 int64_t now_at, int (*fn)(const struct store_ticket *t, void *arg),
			 void *arg, struct diag *d);
int store_report_untimed(struct store *s, const struct store_report_filter *f,
			 int64_t from_at, int64_t to_at,
			 int (*fn)(const struct store_ticket *t, void *arg), void *arg,
			 struct diag *d);

/* An upper bound of what store_report_due hands out: the exact number
 * when the index serves the period, else the number of tickets.  For
 * sizing an array once (memory that is reserved but never written costs
 * nothing). */
int64_t store_report_due_bound(struct store *s, int64_t from_at, int64_t to_at,
			       struct diag *d);

/* Opens a read transaction so that the reads above, the partners and
 * the audit trail all come from one snapshot; store_report_end closes it.
 * Safe to nest inside nothing else: it fails when a transaction is open. */
int store_report_begin(struct store *s, struct diag *d);
void store_report_end(struct store *s);

#endif
