/* store-sync.h: the SQL behind `slatrack sync` (src/store-sync.c):
 * tables sync_state and sync_issues (db/migrations/0006-jira-sync.sql).
 * The ticket itself is written with store_ticket_add_as and
 * store_ticket_update, so every synced change is an audit event.
 */
#ifndef SLATRACK_STORE_SYNC_H
#define SLATRACK_STORE_SYNC_H

#include <stdint.h>

#include "diag.h"
#include "store.h"

/* The start of the last complete sync from `source` ("jira"):
 * STORE_NONE when there was none. */
int store_sync_last(struct store *s, const char *source, int64_t *at, struct diag *d);
/* Records it (inside the open transaction). */
int store_sync_set_last(struct store *s, const char *source, int64_t at, struct diag *d);

/* What sync last wrote to the ticket of issue_key: 1 found (*ticket_id,
 * *updated and *base heap copies), 0 none, -1 error. */
int store_sync_issue_get(struct store *s, const char *source, const char *issue_key,
			 int64_t *ticket_id, char **updated, char **base, struct diag *d);
/* Inserts or replaces the row of ticket_id (inside the open transaction). */
int store_sync_issue_put(struct store *s, const char *source, const char *issue_key,
			 int64_t ticket_id, const char *updated, const char *base,
			 struct diag *d);

#endif
