/* store-twin.c: a second connection that reads exactly what the first
 * reads, for a scan of the tickets split by id between two threads; see
 * store.h. */
#include "store.h"

#include <sqlite3.h>

#include "store-internal.h"

/* The first read of a transaction fixes what it sees (a WAL snapshot, or
 * a shared lock in the rollback journal's mode). */
static int read_begin(struct store *s, struct diag *d)
{
	if (store_exec(s, "BEGIN", d) < 0)
		return -1;
	if (store_exec(s, "SELECT count(*) FROM sqlite_master", d) < 0) {
		store_exec_quietly(s, "ROLLBACK");
		return -1;
	}
	return 0;
}

/* Two subqueries: min and max together would scan an index, each alone
 * is one step down the table's b-tree. */
static const char SQL_ID_RANGE[] = "SELECT coalesce((SELECT min(id) FROM tickets), 0),"
	" coalesce((SELECT max(id) FROM tickets), 0)";

/* The smallest and largest ticket id (0 and 0: no tickets). */
static int id_range(struct store *s, int64_t *lo, int64_t *hi, struct diag *d)
{
	struct db_stmt *st;
	int rc;

	*lo = *hi = 0;
	if ((st = store_cached(s, SQL_ID_RANGE, d)) == NULL)
		return -1;
	if ((rc = db_step(st)) == SQLITE_ROW) {
		*lo = db_column_int64(st, 0);
		*hi = db_column_int64(st, 1);
	}
	db_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, d, "cannot read the tickets' ids");
}

struct store *store_twin_begin(struct store *s, int64_t min_ids, int64_t *split,
			       struct diag *d)
{
	sqlite3 *lock = NULL;
	struct store *t;
	int64_t lo, hi;

	if (s->pg != NULL || !store_reopenable(s) || !store_autocommit(s)) {
		diag_set(d, DIAG_STORE, "no twin for %s", s->path);
		return NULL;
	}
	if (id_range(s, &lo, &hi, d) < 0)
		return NULL;
	if (hi - lo < min_ids) {
		diag_set(d, DIAG_STORE, "no twin for %lld ticket ids", (long long)(hi - lo));
		return NULL;
	}
	/* No commit may come between the two first reads: the write lock
	 * is held for their time, a millisecond, taken without waiting.  A
	 * writer at work, or a file this user cannot write: no twin. */
	if (sqlite3_open_v2(s->path, &lock, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK || sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		diag_set(d, DIAG_STORE, "cannot hold writers back a moment: %s (%s)",
		    lock != NULL ? sqlite3_errmsg(lock) : "out of memory", s->path);
		sqlite3_close(lock);
		return NULL;
	}
	if ((t = store_open_reader(s->path, d)) != NULL && read_begin(s, d) == 0) {
		if (read_begin(t, d) < 0) {
			store_exec_quietly(s, "ROLLBACK");
			store_close(t);
			t = NULL;
		}
	} else {
		store_close(t);
		t = NULL;
	}
	sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(lock);
	*split = lo + (hi - lo) / 2 + 1;
	return t;
}

void store_twin_end(struct store *s, struct store *twin)
{
	if (twin == NULL)
		return;
	store_exec_quietly(s, "ROLLBACK");
	store_exec_quietly(twin, "ROLLBACK");
	store_close(twin);
}
