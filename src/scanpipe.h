/* scanpipe.h: a ticket scan read on a second core while the caller works
 * on the rows.
 *
 * Two thirds of a `ticket list` over 100,000 open tickets, and half of a
 * year's report, went into the scan itself: stepping the query and
 * reading its columns.  The caller's own work on each row (its clocks,
 * its cells, its figures) waited for that while the other core idled.
 * scanpipe_run runs a scan on a helper thread: each row the scan hands
 * to scanpipe_put is copied into one of a few chunks that are handed
 * over and recycled, and fn sees every row on the calling thread, in
 * the scan's order, with the tag and the pointer it was put with.
 *
 * The store belongs to the helper thread until scanpipe_run returns, so
 * fn must not use it: what a row needs from the store is looked up by
 * the scan and put with the row (`extra`).  Once handed over, such an
 * object is the caller's: the scan does not touch it again, and it stays
 * where it is while the scan runs.
 *
 * Where no second thread can be had, the scan runs on the calling
 * thread and scanpipe_put calls fn itself: the same calls, in the same
 * order. */
#ifndef SLATRACK_SCANPIPE_H
#define SLATRACK_SCANPIPE_H

#include "diag.h"
#include "store.h"

struct scanpipe;

/* The scan, on the helper thread: every row to scanpipe_put, in order,
 * stopping when that returns non-zero (and returning that value); -1
 * with d filled when the scan fails. */
typedef int (*scanpipe_scan_fn)(struct scanpipe *p, void *scan_arg, struct diag *d);
/* On the calling thread; strings borrowed until it returns.  Non-zero
 * stops the scan. */
typedef int (*scanpipe_row_fn)(const struct store_ticket *t, int tag, void *extra,
			       void *arg);

/* fn's non-zero value stops the scan and is returned; else the scan's
 * failure (-1 with d filled), reported after the rows read before it. */
int scanpipe_run(scanpipe_scan_fn scan, void *scan_arg, scanpipe_row_fn fn, void *arg,
		 struct diag *d);
/* The same on the calling thread: scanpipe_put calls fn, for a scan too
 * short to be worth a thread or a core that is busy. */
int scanpipe_direct(scanpipe_scan_fn scan, void *scan_arg, scanpipe_row_fn fn, void *arg,
		    struct diag *d);
/* From the scan: t (strings copied) for fn.  0 goes on; non-zero: stop
 * the scan and return that (-1 with the scan's d filled when out of
 * memory). */
int scanpipe_put(struct scanpipe *p, const struct store_ticket *t, int tag, void *extra);

/* store_ticket_scan(s, f) through scanpipe_run, attach asked on the
 * helper thread for each row's extra (NULL: stop with d filled). */
typedef void *(*scanpipe_attach_fn)(const struct store_ticket *t, void *arg,
					   struct diag *d);
int scanpipe_scan(struct store *s, const struct store_ticket_filter *f,
		  scanpipe_attach_fn attach, scanpipe_row_fn fn, void *arg, struct diag *d);

/* Two scans on two helpers at once, for a caller whose work on a row does
 * not depend on the order rows come in: each scan's rows reach fn in its
 * order, the two interleaved a chunk at a time.  fn's stop on the second
 * scan's rows stops that scan, while the first's go on to their end or to
 * a stop of their own, which is then the answer: the stop a single scan,
 * the first then the second, would give.  Else the first scan's failure,
 * then the second's.  (fn must write its diagnostic only when it stops,
 * so that the last one written is the answer's.) */
int scanpipe_run_pair(scanpipe_scan_fn scan[2], void *scan_arg[2], scanpipe_row_fn fn,
		      void *arg, struct diag *d);
/* store_ticket_scan(s, f) split at ticket id split: the ids below it read
 * from s, the others from twin, which must read what s reads
 * (store_twin_begin).  attach runs on both helpers at once, with
 * attach_arg[0] on s's and attach_arg[1] on twin's: it must not use a
 * store (sla_cache_find). */
int scanpipe_scan_pair(struct store *s, struct store *twin, const struct store_ticket_filter *f,
		       int64_t split, scanpipe_attach_fn attach, void *attach_arg[2],
		       scanpipe_row_fn fn, void *arg, struct diag *d);

#endif
