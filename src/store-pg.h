/* store-pg.h: the PostgreSQL parts of the store's own bookkeeping;
 * src/store*.c only. */
#ifndef SLATRACK_STORE_PG_H
#define SLATRACK_STORE_PG_H

#include "diag.h"

struct store;

#define STORE_PG_STR_(x) #x
#define STORE_PG_STR(x) STORE_PG_STR_(x)

/* Connects s (whose path is already the redacted URL) to url, sets the
 * session up and, when migrate, brings the schema up to date. */
int store_pg_open(struct store *s, const char *url, int migrate, struct diag *d);
int store_pg_schema_version(struct store *s);
/* How store_commit ends a write transaction: on PostgreSQL it also
 * tells every listening connection (a TUI) that the data changed. */
#define STORE_COMMIT_WRITE "COMMIT -- write"
/* The PostgreSQL spelling of the store's transaction statements
 * ("BEGIN IMMEDIATE", "BEGIN", STORE_COMMIT_WRITE); any other sql as
 * it is. */
const char *store_pg_sql(const char *sql);
/* url without its password (malloc'd; NULL when out of memory). */
char *store_pg_redact(const char *url);

/* store_integrity on a server, which checks its own pages and enforces
 * every key: what remains is that the guards of the audit trail are in
 * place (its triggers present and enabled, its foreign keys validated).
 * *report: NULL, or lines naming each missing or disabled guard. */
int store_pg_integrity(struct store *s, char **report, struct diag *d);

#endif
