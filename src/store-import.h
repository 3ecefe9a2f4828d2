/* store-import.h: the SQL behind import, export, backup and restore
 * (src/store-import.c).  Kept apart from store.h so the bulk paths can
 * change without touching the shared interface.
 */
#ifndef SLATRACK_STORE_IMPORT_H
#define SLATRACK_STORE_IMPORT_H

#include <stdint.h>

#include "diag.h"
#include "store.h"

/* The ticket whose external key is exactly `key` (never read as an id,
 * unlike store_ticket_get: marketplace keys are often numeric).
 * 1 found (t filled, partner_key included), 0 none, -1 error. */
int store_ticket_find_key(struct store *s, const char *key, struct store_ticket *t,
			  struct diag *d);

/* Calls fn for every ticket (of one partner, or all when partner_id is 0)
 * in id order, partner_key filled; t is released after fn returns.  fn
 * returns non-zero to stop.  Reads one snapshot. */
int store_ticket_each(struct store *s, int64_t partner_id,
		      int (*fn)(const struct store_ticket *t, void *arg), void *arg,
		      struct diag *d);

/* Opens path read-only and checks that it is a slatrack database this
 * binary can read: an SQLite file with the slatrack tables and a schema
 * version from 1 to store_latest_version().  Changes nothing.  Fails with
 * DIAG_INPUT naming path; *version gets the schema version. */
int store_file_check(const char *path, int *version, struct diag *d);

/* Copies the database at src_path (opened read-only) into dst_path, a
 * new or empty file, with the online backup API. */
int store_file_copy(const char *src_path, const char *dst_path, struct diag *d);

/* Replaces the whole contents of dst by those of src with the online
 * backup API in one step: one write transaction on dst, so every other
 * connection sees either the old database or the new one.  Retries while
 * dst is busy, up to STORE_BUSY_TOTAL_MS. */
int store_replace(struct store *dst, struct store *src, struct diag *d);

#endif
