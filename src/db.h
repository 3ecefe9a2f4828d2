/* db.h: one prepared-statement interface over the two store backends,
 * SQLite (embedded, the default) and PostgreSQL (libpq, src/db-pg.c).
 * Only src/store*.c use it.  The calls mirror SQLite's, with SQLite's
 * result codes and column types as the common language: a PostgreSQL
 * statement answers SQLITE_ROW, SQLITE_DONE, SQLITE_CONSTRAINT or
 * SQLITE_BUSY (serialization failure, deadlock) like a SQLite one.
 * Statements are written with SQLite's ?N parameters; the PostgreSQL
 * side rewrites them to $N once, when it prepares.  A SQLite statement
 * costs one extra branch per call. */
#ifndef SLATRACK_DB_H
#define SLATRACK_DB_H

#include <stdint.h>

#include <sqlite3.h>

#include "db-pg.h"

struct db_stmt {
	sqlite3_stmt *lite;	/* SQLite; NULL when pg is set */
	struct dbpg_stmt *pg;	/* PostgreSQL */
};

/* 0 and *out set, or an SQLite-style error code (the message is the
 * connection's).  Exactly one of lite and pg is non-NULL. */
int db_prepare(sqlite3 *lite, struct dbpg *pg, const char *sql, struct db_stmt **out);
/* db_prepare for a query whose rows are many: a cursor on PostgreSQL
 * (dbpg_prepare_scan), the same statement on SQLite. */
int db_prepare_scan(sqlite3 *lite, struct dbpg *pg, const char *sql, struct db_stmt **out);
void db_finalize(struct db_stmt *st);

static inline int db_step(struct db_stmt *st)
{
	return st->lite ? sqlite3_step(st->lite) : dbpg_step(st->pg);
}

static inline int db_reset(struct db_stmt *st)
{
	return st->lite ? sqlite3_reset(st->lite) : dbpg_reset(st->pg);
}

static inline int db_clear_bindings(struct db_stmt *st)
{
	return st->lite ? sqlite3_clear_bindings(st->lite) : dbpg_clear_bindings(st->pg);
}

static inline int db_bind_null(struct db_stmt *st, int i)
{
	return st->lite ? sqlite3_bind_null(st->lite, i) : dbpg_bind_null(st->pg, i);
}

static inline int db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	return st->lite ? sqlite3_bind_int64(st->lite, i, v) : dbpg_bind_int64(st->pg, i, v);
}

static inline int db_bind_int(struct db_stmt *st, int i, int v)
{
	return st->lite ? sqlite3_bind_int(st->lite, i, v) : dbpg_bind_int64(st->pg, i, v);
}

/* PostgreSQL always copies; the destructor only matters to SQLite. */
static inline int db_bind_text(struct db_stmt *st, int i, const char *v, int n,
    void (*destructor)(void *))
{
	return st->lite ? sqlite3_bind_text(st->lite, i, v, n, destructor) :
	    dbpg_bind_text(st->pg, i, v, n);
}

static inline int db_bind_blob(struct db_stmt *st, int i, const void *v, int n,
    void (*destructor)(void *))
{
	return st->lite ? sqlite3_bind_blob(st->lite, i, v, n, destructor) :
	    dbpg_bind_blob(st->pg, i, v, n);
}

static inline int db_column_type(struct db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_type(st->lite, i) : dbpg_column_type(st->pg, i);
}

static inline int64_t db_column_int64(struct db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_int64(st->lite, i) : dbpg_column_int64(st->pg, i);
}

static inline int db_column_int(struct db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_int(st->lite, i) : (int)dbpg_column_int64(st->pg, i);
}

static inline const unsigned char *db_column_text(struct db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_text(st->lite, i) : dbpg_column_text(st->pg, i);
}

static inline const void *db_column_blob(struct db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_blob(st->lite, i) : dbpg_column_blob(st->pg, i);
}

/* The number and names of a result's columns (on PostgreSQL, known
 * once a row was stepped to). */
static inline int db_column_count(struct db_stmt *st)
{
	return st->lite ? sqlite3_column_count(st->lite) : dbpg_column_count(st->pg);
}

static inline const char *db_column_name(struct db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_name(st->lite, i) : dbpg_column_name(st->pg, i);
}

static inline int db_column_bytes(struct db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_bytes(st->lite, i) : dbpg_column_bytes(st->pg, i);
}

/* The hot readers of a scan, one call into SQLite a column where the
 * pairs above (type then value, text then bytes) make two: a million rows
 * of them add up.  The row's value object is read by the thread stepping
 * the statement only, which is the condition sqlite3_column_value sets. */

/* A column's text and its length in bytes; NULL (length 0) for NULL. */
static inline const char *db_column_text_n(struct db_stmt *st, int i, size_t *n)
{
	const unsigned char *p;

	if (st->lite) {
		sqlite3_value *v = sqlite3_column_value(st->lite, i);

		p = sqlite3_value_text(v);
		*n = p != NULL ? (size_t)sqlite3_value_bytes(v) : 0;
	} else {
		p = dbpg_column_text(st->pg, i);
		*n = p != NULL ? (size_t)dbpg_column_bytes(st->pg, i) : 0;
	}
	return (const char *)p;
}

/* An integer column, or none when it is NULL. */
static inline int64_t db_column_int64_or(struct db_stmt *st, int i, int64_t none)
{
	if (st->lite) {
		sqlite3_value *v = sqlite3_column_value(st->lite, i);

		return sqlite3_value_type(v) == SQLITE_NULL ? none : sqlite3_value_int64(v);
	}
	return dbpg_column_type(st->pg, i) == SQLITE_NULL ? none :
	    dbpg_column_int64(st->pg, i);
}

#endif
