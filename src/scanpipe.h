/* scanpipe.h: a ticket scan read on a second core while the caller works
 * on the rows.
 *
 * Two thirds of a `ticket list` over 100,000 open tickets went into the
 * scan itself: stepping the query and reading its columns.  The caller's
 * own work on each row (its clock, its cells) waited for that.
 * scanpipe_scan runs store_ticket_scan on a helper thread, which copies
 * each row into one of a few chunks that are handed over and recycled,
 * and calls fn on the calling thread for every row, in the scan's order.
 *
 * The store belongs to the helper thread until scanpipe_scan returns, so
 * fn must not use it.  What a row needs from the store (its partner's
 * compiled schedule, say) is asked by `attach`, which runs on the helper
 * thread before the row is handed over; its answer reaches fn as `extra`.
 * attach returns NULL with d filled to stop the scan with that failure.
 * Objects attach hands out must stay as they are while the scan runs.
 *
 * Where no second thread can be had, the scan runs on the calling
 * thread, with the same calls in the same order. */
#ifndef SLATRACK_SCANPIPE_H
#define SLATRACK_SCANPIPE_H

#include "diag.h"
#include "store.h"

typedef const void *(*scanpipe_attach_fn)(const struct store_ticket *t, void *arg,
					   struct diag *d);
/* Strings borrowed until fn returns.  Non-zero stops the scan. */
typedef int (*scanpipe_row_fn)(const struct store_ticket *t, const void *extra, void *arg);

/* As store_ticket_scan: fn's non-zero value stops the scan and is
 * returned; -1 with d filled when the scan or attach fails. */
int scanpipe_scan(struct store *s, const struct store_ticket_filter *f,
		  scanpipe_attach_fn attach, scanpipe_row_fn fn, void *arg, struct diag *d);

#endif
