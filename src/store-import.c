/* store-import.c: lookups and bulk reads for import and export, and the
 * file-level operations behind restore; see store-import.h. */
#include "store-import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store-internal.h"

static const char SQL_TICKET_BY_KEY[] =
	STORE_TICKET_SELECT " WHERE t.key = ?1";
static const char SQL_TICKET_ALL[] =
	STORE_TICKET_SELECT " ORDER BY t.id";
static const char SQL_TICKET_PARTNER[] =
	STORE_TICKET_SELECT " WHERE t.partner_id = ?1 ORDER BY t.id";

int store_ticket_find_key(struct store *s, const char *key, struct store_ticket *t,
			  struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_TICKET_BY_KEY, d);
	int rc, found = 0;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = db_step(st);
	if (rc == SQLITE_ROW) {
		if (store_ticket_from_row(st, t) < 0) {
			db_reset(st);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
		found = 1;
	}
	db_reset(st);
	db_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot look up ticket '%s'", key);
	return found;
}

int store_ticket_each(struct store *s, int64_t partner_id,
		      int (*fn)(const struct store_ticket *t, void *arg), void *arg,
		      struct diag *d)
{
	struct db_stmt *st;
	int rc, stop = 0, own_tx = 0;

	/* one read transaction, so the export is one consistent snapshot */
	if (!s->in_tx && store_autocommit(s)) {
		if (store_exec(s, "BEGIN", d) < 0)
			return -1;
		own_tx = 1;
	}
	if (store_prepare_scan(s, &st, partner_id ? SQL_TICKET_PARTNER : SQL_TICKET_ALL, d) < 0)
		goto fail;
	if (partner_id)
		db_bind_int64(st, 1, partner_id);
	while (!stop && (rc = db_step(st)) == SQLITE_ROW) {
		struct store_ticket t;

		if (store_ticket_from_row(st, &t) < 0) {
			db_finalize(st);
			diag_set(d, DIAG_NOMEM, "out of memory");
			goto fail;
		}
		stop = fn(&t, arg);
		store_ticket_release(&t);
	}
	db_finalize(st);
	if (!stop && rc != SQLITE_DONE) {
		store_fail(s, d, "cannot read the tickets");
		goto fail;
	}
	if (own_tx)
		store_exec_quietly(s, "COMMIT");
	return 0;
fail:
	if (own_tx)
		store_exec_quietly(s, "ROLLBACK");
	return -1;
}

/* ---- whole files --------------------------------------------------------- */

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int store_file_check(const char *path, int *version, struct diag *d)
{
	static const char sql_tables[] =
		"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
		" name IN ('partners', 'tickets', 'events')";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc, v = -1, ntables = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		diag_set(d, DIAG_INPUT, "cannot open '%s': %s", path,
		    db ? store_db_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (v >= 0 && sqlite3_prepare_v2(db, sql_tables, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ntables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v < 0) {
		diag_set(d, DIAG_INPUT, "'%s' is not a slatrack database: %s", path,
		    store_db_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_close(db);
	if (v == 0 || ntables != 3)
		return diag_set(d, DIAG_INPUT, "'%s' is an SQLite database but not a slatrack "
		    "one (no partners, tickets and events tables)", path);
	if (v > store_latest_version())
		return diag_set(d, DIAG_INPUT, "'%s' has schema version %d, newer than this "
		    "slatrack understands (%d): upgrade slatrack", path, v,
		    store_latest_version());
	if (version != NULL)
		*version = v;
	return 0;
}

int store_file_copy(const char *src_path, const char *dst_path, struct diag *d)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *bk;
	int rc;

	if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		diag_set(d, DIAG_INPUT, "cannot open '%s': %s", src_path,
		    src ? store_db_errmsg(src) : "out of memory");
		sqlite3_close(src);
		return -1;
	}
	sqlite3_busy_timeout(src, STORE_BUSY_TIMEOUT_MS);
	if (sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		diag_set(d, DIAG_STORE, "cannot create '%s': %s", dst_path,
		    dst ? store_db_errmsg(dst) : "out of memory");
		goto fail;
	}
	if ((bk = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		diag_set(d, DIAG_STORE, "cannot copy '%s': %s", src_path, store_db_errmsg(dst));
		goto fail;
	}
	/* one step: a consistent read of the source from start to end */
	while ((rc = sqlite3_backup_step(bk, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		nap_ms(20);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		diag_set(d, DIAG_STORE, "cannot copy '%s' to '%s': %s", src_path, dst_path,
		    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_close(src);
	if (sqlite3_close(dst) != SQLITE_OK)
		return diag_set(d, DIAG_STORE, "cannot close '%s'", dst_path);
	return 0;
fail:
	sqlite3_close(src);
	sqlite3_close(dst);
	return -1;
}

int store_replace(struct store *dst, struct store *src, struct diag *d)
{
	sqlite3_backup *bk;
	long waited = 0;
	int rc;

	if (src->pg != NULL)
		return diag_set(d, DIAG_STORE, "cannot replace '%s' by a server database",
		    dst->path);
	if (dst->pg != NULL) {
		struct store_copy_counts n;

		/* only into an empty database: store_copy refuses any other */
		return store_copy(src, dst, &n, d);
	}
	if (dst->in_tx || !sqlite3_get_autocommit(dst->db))
		return diag_set(d, DIAG_STORE, "cannot replace '%s' inside a transaction",
		    dst->path);
	store_cache_clear(dst);
	if ((bk = sqlite3_backup_init(dst->db, "main", src->db, "main")) == NULL)
		return store_fail(dst, d, "cannot start restoring into the database");
	for (;;) {
		rc = sqlite3_backup_step(bk, -1);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= STORE_BUSY_TOTAL_MS)
			break;
		nap_ms(50);
		waited += 50;
	}
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE)
		return diag_set(d, DIAG_STORE, "restore into '%s' failed: %s%s", dst->path,
		    sqlite3_errstr(rc), rc == SQLITE_READONLY ? " (the page sizes of the "
		    "two databases differ)" : "");
	return 0;
}
