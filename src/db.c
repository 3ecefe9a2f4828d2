/* db.c: statement set-up and tear-down for both backends; see db.h. */
#include "db.h"

#include <stdlib.h>

static int db_prepare_as(sqlite3 *lite, struct dbpg *pg, const char *sql, int scan,
			 struct db_stmt **out)
{
	struct db_stmt *st = calloc(1, sizeof *st);
	int rc;

	*out = NULL;
	if (st == NULL)
		return SQLITE_NOMEM;
	if (pg != NULL)
		rc = scan ? dbpg_prepare_scan(pg, sql, &st->pg) : dbpg_prepare(pg, sql, &st->pg);
	else
		rc = sqlite3_prepare_v2(lite, sql, -1, &st->lite, NULL);
	if (rc != SQLITE_OK) {
		free(st);
		return rc;
	}
	*out = st;
	return SQLITE_OK;
}

int db_prepare(sqlite3 *lite, struct dbpg *pg, const char *sql, struct db_stmt **out)
{
	return db_prepare_as(lite, pg, sql, 0, out);
}

int db_prepare_scan(sqlite3 *lite, struct dbpg *pg, const char *sql, struct db_stmt **out)
{
	return db_prepare_as(lite, pg, sql, 1, out);
}

void db_finalize(struct db_stmt *st)
{
	if (st == NULL)
		return;
	if (st->lite != NULL)
		sqlite3_finalize(st->lite);
	else
		dbpg_finalize(st->pg);
	free(st);
}
