/* db-pg.h: the PostgreSQL side of db.h, over libpq.  A connection is
 * opened from a postgresql:// (or postgres://) URL.  Statements are
 * written as for SQLite (?N or ? parameters) and rewritten to $N when
 * prepared; results come back with SQLite's codes and column types:
 *   dbpg_step: SQLITE_ROW, SQLITE_DONE, SQLITE_CONSTRAINT (SQLSTATE 23xxx),
 *     SQLITE_BUSY (40001 serialization failure, 40P01 deadlock, 55P03
 *     lock not available), SQLITE_READONLY (42501 insufficient privilege:
 *     a role that may only read), SQLITE_ERROR otherwise;
 *   dbpg_column_type: SQLITE_NULL, SQLITE_INTEGER (int2/4/8, bool),
 *     SQLITE_BLOB (bytea), SQLITE_TEXT otherwise.
 * The message of the last failure is dbpg_errmsg's. */
#ifndef SLATRACK_DB_PG_H
#define SLATRACK_DB_PG_H

#include <stddef.h>
#include <stdint.h>

struct dbpg;
struct dbpg_stmt;

/* 1 when path names a PostgreSQL database (postgresql:// or postgres://). */
int dbpg_is_url(const char *path);
/* SQLITE_OK and *out, or an error code with *out still set to a
 * connection whose dbpg_errmsg says why (close it either way). */
int dbpg_connect(const char *url, struct dbpg **out);
void dbpg_close(struct dbpg *c);		/* NULL-safe */
const char *dbpg_errmsg(const struct dbpg *c);
/* The code of the failure dbpg_errmsg describes: SQLITE_READONLY when
 * the server refused for want of a privilege (SQLSTATE 42501). */
int dbpg_errcode(const struct dbpg *c);
/* Runs sql, which may hold several statements and no parameters. */
int dbpg_exec(struct dbpg *c, const char *sql);
/* Rows inserted, updated or deleted by the last statement run. */
int dbpg_changes(const struct dbpg *c);
/* 1 when a transaction is open (or failed and not yet rolled back). */
int dbpg_in_tx(const struct dbpg *c);
/* How many notifications (NOTIFY) from other sessions this connection
 * has received so far: reads what the server sent without waiting. */
int64_t dbpg_notifications(struct dbpg *c);
/* The connection's socket, to wait on in poll() (-1 when closed). */
int dbpg_socket(const struct dbpg *c);

int dbpg_prepare(struct dbpg *c, const char *sql, struct dbpg_stmt **out);
/* The same for a query that may return many rows: it runs as a cursor
 * read a batch at a time, so other statements may run between its rows
 * (a lookup per row) and a long scan costs no per-row allocation. */
int dbpg_prepare_scan(struct dbpg *c, const char *sql, struct dbpg_stmt **out);
void dbpg_finalize(struct dbpg_stmt *st);
int dbpg_step(struct dbpg_stmt *st);
int dbpg_reset(struct dbpg_stmt *st);
int dbpg_clear_bindings(struct dbpg_stmt *st);
int dbpg_bind_null(struct dbpg_stmt *st, int i);
int dbpg_bind_int64(struct dbpg_stmt *st, int i, int64_t v);
int dbpg_bind_text(struct dbpg_stmt *st, int i, const char *v, int n);
int dbpg_bind_blob(struct dbpg_stmt *st, int i, const void *v, int n);
int dbpg_column_type(struct dbpg_stmt *st, int i);
int64_t dbpg_column_int64(struct dbpg_stmt *st, int i);
const unsigned char *dbpg_column_text(struct dbpg_stmt *st, int i);
const void *dbpg_column_blob(struct dbpg_stmt *st, int i);
int dbpg_column_bytes(struct dbpg_stmt *st, int i);
int dbpg_column_count(struct dbpg_stmt *st);		/* 0 before a row */
const char *dbpg_column_name(struct dbpg_stmt *st, int i);

#endif
