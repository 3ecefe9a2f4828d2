/* queuehtml.h: the ticket queue as one static, read-only HTML page
 * (`slatrack ticket list --format html`), for cron to publish on an
 * intranet: what is open right now and what to answer next.
 *
 * The page holds the rows it is given, in that order (the caller lists
 * and sorts them exactly as `ticket list` does), with the time it was
 * made and its zone in the headline.  It is self-contained (inline CSS,
 * no script, no external resource), well-formed XHTML-style markup with
 * every piece of customer text escaped, and fits any window: a table on
 * a desktop, one card per ticket on a phone.  A ticket's key links to
 * the helpdesk when a ticket_url is configured (ticketurl.h). */
#ifndef SLATRACK_QUEUEHTML_H
#define SLATRACK_QUEUEHTML_H

#include <stddef.h>
#include <stdint.h>

#include "timefmt.h"

struct buf;
struct config;
struct store_ticket;
struct tz;

struct queuehtml_row {
	const struct store_ticket *t;	/* borrowed */
	int state;			/* enum sla_state */
	char due[TIMEFMT_LEN];		/* the DUE cell as `ticket list` shows it */
	char remaining[TIMEFMT_LEN];	/* the REMAINING cell, likewise */
};

struct queuehtml_page {
	int64_t now_at;			/* when the list was made */
	const struct tz *zone;		/* the zone the headline shows it in */
	const char *filters;		/* the options that narrowed the list; NULL none */
	const char *generator;		/* "slatrack 0.1.0" */
	const struct config *links;	/* ticket_url templates; NULL: no links */
};

/* Appends the page to out; out of memory shows as buf_failed(out). */
void queuehtml_render(const struct queuehtml_page *p, const struct queuehtml_row *rows,
		      size_t n, struct buf *out);

/* Appends s as HTML text or attribute value: sanitised (controls made
 * visible, invalid UTF-8 replaced, text.h), then & < > " ' escaped. */
void queuehtml_escape(struct buf *out, const char *s);

#endif
