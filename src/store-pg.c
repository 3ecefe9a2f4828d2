/* store-pg.c: the store on PostgreSQL: connecting, the schema version and
 * its migrations (db/postgresql/), write transactions and change
 * notices.  Everything else is the shared SQL of src/store-*.c, run
 * through db.h.
 *
 * One writer at a time, as on SQLite: a write transaction first takes
 * the transaction-level advisory lock STORE_PG_WRITE_LOCK, so audit
 * events append in order and every read-then-write the store makes
 * (a claim, a key lookup, the chain's head) sees the last commit.
 * Readers never wait for it.  A waiting writer gives up after
 * STORE_BUSY_TOTAL_MS (lock_timeout) with "database is busy". */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store-internal.h"
#include "store-pg.h"

extern const char *const store_pg_migrations[];
extern const size_t store_pg_nmigrations;

/* the key of the writers' advisory lock: "slat" in ASCII */
#define STORE_PG_WRITE_LOCK "1936482676"

static const char SQL_PG_SESSION[] =
	"SET client_min_messages = warning;"
	" SET lock_timeout = " STORE_PG_STR(STORE_BUSY_TIMEOUT_MS) ";"
	" SET idle_in_transaction_session_timeout = 0;"
	" LISTEN slatrack_change";
static const char SQL_PG_VERSION_TABLE[] =
	"CREATE TABLE IF NOT EXISTS schema_version ("
	" one INTEGER PRIMARY KEY CHECK (one = 1), version BIGINT NOT NULL);"
	" INSERT INTO schema_version (one, version) VALUES (1, 0) ON CONFLICT DO NOTHING";
static const char SQL_PG_VERSION[] = "SELECT version FROM schema_version";
static const char SQL_PG_BEGIN_WRITE[] =
	"BEGIN ISOLATION LEVEL READ COMMITTED;"
	" SELECT pg_advisory_xact_lock(" STORE_PG_WRITE_LOCK ")";
static const char SQL_PG_BEGIN_READ[] = "BEGIN ISOLATION LEVEL REPEATABLE READ";
static const char SQL_PG_COMMIT_WRITE[] = "NOTIFY slatrack_change; COMMIT";

const char *store_pg_sql(const char *sql)
{
	if (strcmp(sql, "BEGIN IMMEDIATE") == 0)
		return SQL_PG_BEGIN_WRITE;
	if (strcmp(sql, "BEGIN") == 0)
		return SQL_PG_BEGIN_READ;
	if (strcmp(sql, STORE_COMMIT_WRITE) == 0)
		return SQL_PG_COMMIT_WRITE;
	return sql;
}

/* A URL without its password ("postgresql://ann:secret@db/x" reads
 * "postgresql://ann@db/x", and password=... is dropped from the query),
 * for messages and store_path: it may reach a terminal or a log. */
char *store_pg_redact(const char *url)
{
	const char *scheme_end = strstr(url, "://");
	const char *at, *colon, *query;
	char *out, *p;

	if ((out = malloc(strlen(url) + 1)) == NULL)
		return NULL;
	if (scheme_end == NULL) {
		memcpy(out, url, strlen(url) + 1);
		return out;
	}
	scheme_end += 3;
	at = strchr(scheme_end, '@');
	query = strchr(scheme_end, '?');
	if (at != NULL && (query == NULL || at < query) &&
	    (colon = memchr(scheme_end, ':', (size_t)(at - scheme_end))) != NULL) {
		memcpy(out, url, (size_t)(colon - url));
		p = out + (colon - url);
		memcpy(p, at, strlen(at) + 1);
	} else
		memcpy(out, url, strlen(url) + 1);
	/* drop password=... from the query string */
	while ((p = strstr(out, "password=")) != NULL && (p[-1] == '?' || p[-1] == '&')) {
		char *end = strchr(p, '&');

		if (end != NULL)
			memmove(p, end + 1, strlen(end + 1) + 1);
		else
			p[p[-1] == '?' ? 0 : -1] = '\0';
	}
	return out;
}

static int pg_version(struct store *s, int64_t *v, struct diag *d)
{
	struct db_stmt *st;
	int rc;

	if (store_prepare(s, &st, SQL_PG_VERSION, d) < 0)
		return -1;
	rc = db_step(st);
	if (rc == SQLITE_ROW)
		*v = db_column_int64(st, 0);
	db_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "cannot read the schema version");
	return 0;
}

/* Whether the schema is current, without a write: the usual case, one
 * round trip; -1 when there is no schema_version table yet. */
static int pg_current(struct store *s)
{
	struct diag ignored;
	int64_t v = -1;

	if (pg_version(s, &v, &ignored) < 0) {
		store_rollback(s);
		return -1;
	}
	return v == (int64_t)store_pg_nmigrations;
}

/* Applies each migration newer than the recorded version in a write
 * transaction of its own that also moves the version, like SQLite's. */
static int pg_migrate(struct store *s, struct diag *d)
{
	if (pg_current(s) == 1)
		return 0;
	for (;;) {
		int64_t v;
		char sql[96];

		if (store_begin(s, d) < 0)
			return -1;
		if (store_exec(s, SQL_PG_VERSION_TABLE, d) < 0 || pg_version(s, &v, d) < 0)
			goto fail;
		if (v > (int64_t)store_pg_nmigrations) {
			diag_set(d, DIAG_STORE, "database '%s' has schema version %lld, newer "
			    "than this slatrack understands (%zu): upgrade slatrack", s->path,
			    (long long)v, store_pg_nmigrations);
			goto fail;
		}
		if (v == (int64_t)store_pg_nmigrations) {
			store_rollback(s);
			return 0;
		}
		if (store_exec(s, store_pg_migrations[v], d) < 0) {
			diag_prefix(d, "migration %lld", (long long)v + 1);
			goto fail;
		}
		snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %lld",
		    (long long)v + 1);
		if (store_exec(s, sql, d) < 0 || store_commit(s, d) < 0)
			goto fail;
	}
fail:
	store_rollback(s);
	return -1;
}

int store_pg_open(struct store *s, const char *url, int migrate, struct diag *d)
{
	if (dbpg_connect(url, &s->pg) != SQLITE_OK) {
		diag_set(d, DIAG_STORE, "cannot connect to PostgreSQL '%s': %s", s->path,
		    s->pg != NULL ? dbpg_errmsg(s->pg) : "out of memory");
		return -1;
	}
	if (store_exec(s, SQL_PG_SESSION, d) < 0)
		return -1;
	if (!migrate)
		return 0;
	return pg_migrate(s, d);
}

int store_pg_schema_version(struct store *s)
{
	struct diag ignored;
	int64_t v = -1;

	if (pg_version(s, &v, &ignored) < 0)
		store_rollback(s);
	return (int)v;
}

/* ---- run locks ---------------------------------------------------------------- */

static const char SQL_PG_RUNLOCK_TAKE[] = "SELECT pg_try_advisory_lock(?1)";
static const char SQL_PG_RUNLOCK_FREE[] = "SELECT pg_advisory_unlock(?1)";

static int pg_lock_call(struct store *s, const char *sql, int64_t key)
{
	struct diag ignored;
	struct db_stmt *st = store_cached(s, sql, &ignored);
	int rc, got = -1;

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, key);
	if ((rc = db_step(st)) == SQLITE_ROW)
		got = db_column_int(st, 0) != 0;
	db_reset(st);
	return got;
}

int store_runlock_take(struct store *s, int64_t key)
{
	if (s->pg == NULL)
		return -2;
	return pg_lock_call(s, SQL_PG_RUNLOCK_TAKE, key);
}

int store_runlock_held(struct store *s, int64_t key)
{
	int got;

	if (s->pg == NULL)
		return -2;
	if ((got = pg_lock_call(s, SQL_PG_RUNLOCK_TAKE, key)) != 1)
		return got < 0 ? -1 : 1;
	pg_lock_call(s, SQL_PG_RUNLOCK_FREE, key);
	return 0;
}

/* The triggers that keep the trail append-only (db/postgresql/0001, 0004). */
static const char *const store_pg_guards[] = {
	"events_no_update", "events_no_delete", "events_no_truncate", "events_move_head",
	"audit_head_forward_only", "audit_head_no_delete", "audit_head_no_truncate",
};

static const char SQL_PG_GUARD[] =
	"SELECT tg.tgenabled FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid"
	" JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()"
	" WHERE tg.tgname = ?1 AND NOT tg.tgisinternal";
static const char SQL_PG_UNVALIDATED[] =
	"SELECT c.relname, con.conname FROM pg_constraint con JOIN pg_class c"
	" ON c.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace"
	" AND ns.nspname = current_schema() WHERE NOT con.convalidated ORDER BY 1, 2";

/* One line per guard trigger that is missing or disabled. */
static int store_pg_check_guards(struct store *s, struct buf *b, struct diag *d)
{
	struct db_stmt *st;

	if (store_prepare(s, &st, SQL_PG_GUARD, d) < 0)
		return -1;
	for (size_t i = 0; i < sizeof store_pg_guards / sizeof *store_pg_guards; i++) {
		int rc;

		store_bind_text(st, 1, store_pg_guards[i]);
		rc = db_step(st);
		if (rc == SQLITE_DONE)
			buf_addf(b, "guard: trigger %s is missing\n", store_pg_guards[i]);
		else if (rc == SQLITE_ROW && strcmp((const char *)db_column_text(st, 0), "D") == 0)
			buf_addf(b, "guard: trigger %s is disabled\n", store_pg_guards[i]);
		else if (rc != SQLITE_ROW) {
			db_finalize(st);
			return store_fail(s, d, "cannot read the triggers");
		}
		db_reset(st);
	}
	db_finalize(st);
	return 0;
}

int store_pg_integrity(struct store *s, char **report, struct diag *d)
{
	struct buf b = BUF_INIT;
	struct db_stmt *st;
	int rc;

	*report = NULL;
	if (store_pg_check_guards(s, &b, d) < 0) {
		buf_release(&b);
		return -1;
	}
	if (store_prepare(s, &st, SQL_PG_UNVALIDATED, d) < 0) {
		buf_release(&b);
		return -1;
	}
	while ((rc = db_step(st)) == SQLITE_ROW)
		buf_addf(&b, "foreign key: %s.%s is not validated\n",
		    (const char *)db_column_text(st, 0), (const char *)db_column_text(st, 1));
	db_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_release(&b);
		return store_fail(s, d, "cannot read the constraints");
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	if (b.len > 0)
		*report = buf_detach(&b);
	buf_release(&b);
	return 0;
}
