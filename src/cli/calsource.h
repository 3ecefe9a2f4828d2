/* calsource.h: a partner's holiday calendar read from its source (a file
 * or an https:// URL) and checked, for `partner add`, `partner edit` and
 * `calendar refresh`.  Front-end glue over fetch.h, ical.h and the
 * cached copy in struct store_calendar. */
#ifndef SLATRACK_CALSOURCE_H
#define SLATRACK_CALSOURCE_H

#include <stdint.h>

#include "diag.h"

struct ical_report;
struct store_calendar;
struct tz;

#define CALSOURCE_MAX_BYTES ((size_t)8 << 20)	/* 8 MiB, file or URL */

/* Reads c->source and parses it with c->filters in zone tz (floating
 * times).  With `revalidate`, a URL is asked for with the stored ETag and
 * Last-Modified and a 304 keeps c->body.  On success c gets the body, its
 * digest, horizon_day (ical_report.last_day), the new validators and
 * fetched_at = now_at, last_error is cleared, and *unchanged says whether
 * the body is the same as before.  On failure c is left as it was and d
 * says why: DIAG_INPUT (a missing file, a refused URL, "FILE:LINE: ..."),
 * DIAG_NET (the fetch; the message starts with the URL).  rep (may be
 * NULL) collects the parser's warnings. */
int calsource_load(struct store_calendar *c, const struct tz *tz, int64_t now_at,
		   int revalidate, int *unchanged, struct ical_report *rep, struct diag *d);

#endif
