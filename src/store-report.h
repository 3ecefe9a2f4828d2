/* store-report.h: the queries behind `slatrack report` (src/store-report.c).
 *
 * Two reads, each served by an index so that a nightly report over a
 * database of a million tickets reads only the tickets it reports on:
 *
 *   period    timed tickets whose deadline lies in [from_at, to_at), to
 *             due_fn, through the index tickets_deadline in deadline order;
 *             then the tickets without a target created in the period, to
 *             untimed_fn, through tickets_untimed_created.  When more than
 *             a quarter of all tickets fall due in the period (a year's
 *             report), one pass over the table in id order hands out both,
 *             interleaved: that costs a third of an index lookup per row;
 *   overdue   tickets open and overdue at now_at: no first response, not
 *             resolved, deadline before now_at, in deadline order (the
 *             partial index tickets_open).
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
	int64_t id_from, id_to;		/* STORE_NONE = unbounded; [from, to) */
};

void store_report_filter_init(struct store_report_filter *f);

typedef int store_report_fn(const struct store_ticket *t, void *arg);

/* How the period [from_at, to_at) is best read, decided by one bounded
 * count (none when the period covers three quarters of the time the
 * deadlines span): through the indexes, or in one pass over the table
 * (see above);
 * due_bound is an upper bound of the tickets handed to due_fn (the exact
 * number when the index serves the period, else the number of tickets),
 * for sizing an array once. */
struct store_report_plan {
	int64_t from_at, to_at;
	int64_t due_bound;
	int table_scan;
};
int store_report_plan(struct store *s, int64_t from_at, int64_t to_at,
		      struct store_report_plan *p, struct diag *d);

int store_report_period(struct store *s, const struct store_report_plan *p,
			const struct store_report_filter *f, store_report_fn *due_fn,
			store_report_fn *untimed_fn, void *arg, struct diag *d);
int store_report_overdue(struct store *s, const struct store_report_filter *f,
			 int64_t now_at, store_report_fn *fn, void *arg, struct diag *d);

/* Opens a read transaction so that the reads above, the partners and
 * the audit trail all come from one snapshot; store_report_end closes it.
 * Safe to nest inside nothing else: it fails when a transaction is open. */
int store_report_begin(struct store *s, struct diag *d);
void store_report_end(struct store *s);

#endif
