/* store-sync.c: sync bookkeeping; see store-sync.h. */
#include "store-sync.h"

#include <stdlib.h>
#include <string.h>

#include "store-internal.h"

static const char SQL_LAST[] = "SELECT synced_at FROM sync_state WHERE source = ?1";
static const char SQL_SET_LAST[] =
	"INSERT INTO sync_state (source, synced_at) VALUES (?1, ?2)"
	" ON CONFLICT (source) DO UPDATE SET synced_at = excluded.synced_at";
static const char SQL_ISSUE_GET[] =
	"SELECT ticket_id, updated, base FROM sync_issues WHERE source = ?1 AND issue_key = ?2";
static const char SQL_ISSUE_PUT[] =
	"INSERT INTO sync_issues (ticket_id, source, issue_key, updated, base)"
	" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (ticket_id) DO UPDATE SET"
	" source = excluded.source, issue_key = excluded.issue_key,"
	" updated = excluded.updated, base = excluded.base";

int store_sync_last(struct store *s, const char *source, int64_t *at, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_LAST, d);
	int rc;

	*at = STORE_NONE;
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, source, -1, SQLITE_STATIC);
	rc = db_step(st);
	if (rc == SQLITE_ROW)
		*at = db_column_int64(st, 0);
	db_reset(st);
	db_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the last %s sync", source);
	return 0;
}

int store_sync_set_last(struct store *s, const char *source, int64_t at, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_SET_LAST, d);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, source, -1, SQLITE_STATIC);
	db_bind_int64(st, 2, at);
	rc = db_step(st);
	db_reset(st);
	db_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot record the %s sync", source);
	return 0;
}

int store_sync_issue_get(struct store *s, const char *source, const char *issue_key,
			 int64_t *ticket_id, char **updated, char **base, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_ISSUE_GET, d);
	int rc, found = 0;

	*ticket_id = 0;
	*updated = *base = NULL;
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, source, -1, SQLITE_STATIC);
	db_bind_text(st, 2, issue_key, -1, SQLITE_STATIC);
	rc = db_step(st);
	if (rc == SQLITE_ROW) {
		*ticket_id = db_column_int64(st, 0);
		*updated = store_column_dup(st, 1);
		*base = store_column_dup(st, 2);
		found = 1;
		if (*updated == NULL || *base == NULL) {
			free(*updated);
			free(*base);
			*updated = *base = NULL;
			db_reset(st);
			db_clear_bindings(st);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
	}
	db_reset(st);
	db_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the sync state of '%s'", issue_key);
	return found;
}

int store_sync_issue_put(struct store *s, const char *source, const char *issue_key,
			 int64_t ticket_id, const char *updated, const char *base,
			 struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_ISSUE_PUT, d);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, ticket_id);
	db_bind_text(st, 2, source, -1, SQLITE_STATIC);
	db_bind_text(st, 3, issue_key, -1, SQLITE_STATIC);
	db_bind_text(st, 4, updated, -1, SQLITE_STATIC);
	db_bind_text(st, 5, base, -1, SQLITE_STATIC);
	rc = db_step(st);
	db_reset(st);
	db_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot record the sync state of '%s'", issue_key);
	return 0;
}
