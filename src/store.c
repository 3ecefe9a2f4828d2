/* store.c: connection, pragmas, migrations, transactions and integrity
 * checks; see store.h.  The audit chain lives in store-audit.c,
 * table-specific statements in store-partner.c, store-ticket.c and the
 * other store-*.c files. */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "store-internal.h"
#include "store-pg.h"

extern const char *const store_migrations[];
extern const size_t store_nmigrations;

/* SQLite says "disk I/O error" when a write meets a full disk (the WAL
 * grows first); the person reading it needs "disk full" and the path. */
const char *store_db_errmsg(sqlite3 *db)
{
	int code, sys;

	if (db == NULL)
		return "no database";
	code = sqlite3_errcode(db) & 0xff;
	sys = sqlite3_system_errno(db);
	if (code == SQLITE_FULL || ((code == SQLITE_IOERR || code == SQLITE_CANTOPEN) &&
	    (sys == ENOSPC || sys == EDQUOT)))
		return "disk full: no space left on the device";
	return sqlite3_errmsg(db);
}

static const char *store_errmsg(const struct store *s)
{
	if (s != NULL && s->pg != NULL)
		return dbpg_errmsg(s->pg);
	return s != NULL ? store_db_errmsg(s->db) : "no database";
}

int store_fail(struct store *s, struct diag *d, const char *fmt, ...)
{
	char what[DIAG_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (s != NULL && s->pg != NULL && dbpg_errcode(s->pg) == SQLITE_READONLY)
		return diag_set(d, DIAG_STORE, "the database '%s' is read-only to you and this "
		    "command writes to it (the server says: %s)", s->path, store_errmsg(s));
	return diag_set(d, DIAG_STORE, "%s: %s (%s)", what, store_errmsg(s),
	    s ? s->path : "?");
}

static int exec_rc(struct store *s, const char *sql)
{
	if (s->pg != NULL)
		return dbpg_exec(s->pg, store_pg_sql(sql));
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

int store_exec(struct store *s, const char *sql, struct diag *d)
{
	if (exec_rc(s, sql) != SQLITE_OK)
		return diag_set(d, DIAG_STORE, "%s (%s)", store_errmsg(s), s->path);
	return 0;
}

int store_exec_quietly(struct store *s, const char *sql)
{
	return exec_rc(s, sql) == SQLITE_OK ? 0 : -1;
}

int store_changes(struct store *s)
{
	return s->pg != NULL ? dbpg_changes(s->pg) : sqlite3_changes(s->db);
}

int store_autocommit(struct store *s)
{
	return s->pg != NULL ? !dbpg_in_tx(s->pg) : sqlite3_get_autocommit(s->db);
}

int store_prepare(struct store *s, struct db_stmt **st, const char *sql, struct diag *d)
{
	if (db_prepare(s->db, s->pg, sql, st) != SQLITE_OK) {
		*st = NULL;
		return store_fail(s, d, "cannot prepare a statement");
	}
	return 0;
}

int store_prepare_scan(struct store *s, struct db_stmt **st, const char *sql,
		       struct diag *d)
{
	if (db_prepare_scan(s->db, s->pg, sql, st) != SQLITE_OK) {
		*st = NULL;
		return store_fail(s, d, "cannot prepare a statement");
	}
	return 0;
}

void store_bind_text(struct db_stmt *st, int i, const char *v)
{
	if (v == NULL)
		db_bind_null(st, i);
	else
		db_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

void store_bind_id(struct db_stmt *st, int i, int64_t v)
{
	if (v == 0)
		db_bind_null(st, i);
	else
		db_bind_int64(st, i, v);
}

void store_bind_instant(struct db_stmt *st, int i, int64_t v)
{
	if (v == STORE_NONE)
		db_bind_null(st, i);
	else
		db_bind_int64(st, i, v);
}

char *store_column_dup(struct db_stmt *st, int i)
{
	const unsigned char *t = db_column_text(st, i);

	return t != NULL ? strdup((const char *)t) : NULL;
}

/* Sleeps a little between retries of a busy write (the busy timeout
 * already waited STORE_BUSY_TIMEOUT_MS). */
static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int exec_retrying(struct store *s, const char *sql, struct diag *d)
{
	long waited = 0;
	int rc;

	for (;;) {
		rc = exec_rc(s, sql);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		if (waited >= STORE_BUSY_TOTAL_MS)
			break;
		nap_ms(50);
		waited += STORE_BUSY_TIMEOUT_MS + 50;
	}
	if (rc != SQLITE_OK)
		return store_fail(s, d, "'%s' failed", sql);
	return 0;
}

int store_begin(struct store *s, struct diag *d)
{
	if (exec_retrying(s, "BEGIN IMMEDIATE", d) < 0)
		return -1;
	s->in_tx = 1;
	s->head_valid = 0;
	s->ntx_partners = 0;
	s->tx_next_ticket = 0;
	return 0;
}

int store_bulk(struct store *s, struct diag *d)
{
	if (s->pg != NULL)
		return 0;
	return store_exec(s, "PRAGMA cache_size = -" STORE_BULK_CACHE_KB, d);
}

int store_batched(struct store *s, struct diag *d)
{
	if (s->pg != NULL)
		return 0;
	return store_exec(s, "PRAGMA temp_store = MEMORY", d);
}

int store_commit(struct store *s, struct diag *d)
{
	if (exec_retrying(s, STORE_COMMIT_WRITE, d) < 0) {
		store_rollback(s);
		return -1;
	}
	s->in_tx = 0;
	s->head_valid = 0;
	s->ntx_partners = 0;
	s->tx_next_ticket = 0;
	return 0;
}

void store_rollback(struct store *s)
{
	if (s != NULL && (s->db != NULL || s->pg != NULL) && !store_autocommit(s))
		exec_rc(s, "ROLLBACK");
	if (s != NULL) {
		s->in_tx = 0;
		s->head_valid = 0;
	s->ntx_partners = 0;
	s->tx_next_ticket = 0;
	}
}

static int pragma_int(struct store *s, const char *sql, int64_t *out, struct diag *d)
{
	struct db_stmt *st;
	int rc;

	if (store_prepare(s, &st, sql, d) < 0)
		return -1;
	rc = db_step(st);
	if (rc == SQLITE_ROW)
		*out = db_column_int64(st, 0);
	db_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "'%s' failed", sql);
	return 0;
}

int store_schema_version(struct store *s)
{
	int64_t v = -1;
	struct diag d;

	if (s->pg != NULL)
		return store_pg_schema_version(s);
	pragma_int(s, "PRAGMA user_version", &v, &d);
	return (int)v;
}

int store_latest_version(void)
{
	return (int)store_nmigrations;
}

int64_t store_data_version(struct store *s)
{
	int64_t v = -1;
	struct diag d;

	if (s->pg != NULL)
		return dbpg_notifications(s->pg);
	pragma_int(s, "PRAGMA data_version", &v, &d);
	return v;
}

/* Applies every migration newer than user_version, each in its own
 * IMMEDIATE transaction that also bumps user_version, so a crash leaves
 * the database at a whole version.  Re-reads the version inside the
 * transaction: another process may have migrated meanwhile.  A database
 * already current is only read: the version is bumped in the migration's
 * own transaction, so reading it current means there is nothing to do. */
static int migrate(struct store *s, struct diag *d)
{
	int64_t now;

	/* current already (nearly always): no lock, so a command that only
	 * reads never waits for a writer at work */
	if (pragma_int(s, "PRAGMA user_version", &now, d) < 0)
		return -1;
	if (now == (int64_t)store_nmigrations)
		return 0;
	for (;;) {
		int64_t v;
		char sql[64];

		if (store_begin(s, d) < 0)
			return -1;
		if (pragma_int(s, "PRAGMA user_version", &v, d) < 0)
			goto fail;
		if (v > (int64_t)store_nmigrations) {
			diag_set(d, DIAG_STORE, "database '%s' has schema version %lld, newer "
			    "than this slatrack understands (%zu): upgrade slatrack", s->path,
			    (long long)v, store_nmigrations);
			goto fail;
		}
		if (v == (int64_t)store_nmigrations) {
			store_rollback(s);
			return 0;
		}
		if (store_exec(s, store_migrations[v], d) < 0) {
			diag_prefix(d, "migration %lld", (long long)v + 1);
			goto fail;
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", (long long)v + 1);
		if (store_exec(s, sql, d) < 0 || store_commit(s, d) < 0)
			goto fail;
	}
fail:
	store_rollback(s);
	return -1;
}

static struct store *store_new(const char *path, struct diag *d)
{
	struct store *s = calloc(1, sizeof *s);

	if (s == NULL || (s->path = dbpg_is_url(path) ? store_pg_redact(path) :
	    strdup(path)) == NULL) {
		free(s);
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	return s;
}

/* A new database file is created here, 0600 less the umask, before
 * SQLite sees it (SQLite would create it 0644, readable by everyone on
 * the host): an empty file is an empty database.  The caller makes its
 * directory. */
static int create_private(const char *path, struct diag *d)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno != EEXIST)
		return diag_set(d, DIAG_STORE, "cannot create the database '%s': %s", path,
		    strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

static int must_exist(const char *path, struct diag *d)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return diag_set(d, DIAG_STORE, "no database at '%s' (check --db and "
			    "SLATRACK_DB; 'slatrack init' creates a new one)", path);
		return diag_set(d, DIAG_STORE, "cannot open the database '%s': %s", path,
		    strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return diag_set(d, DIAG_STORE, "'%s' is not a database file", path);
	return 0;
}

/* The -wal and -shm files stay when the last connection closes, so a
 * user who may only read the database (and not create files in its
 * directory) can still open it: SQLite needs both to read a WAL
 * database.  They get the database's mode when first created; the
 * -wal is emptied after each checkpoint (journal_size_limit 0). */
static void persist_wal(struct store *s)
{
	int on = 1;

	(void)sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
}

static int open_readwrite(struct store *s, int flags, struct diag *d)
{
	int64_t fk;

	if (sqlite3_open_v2(s->path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return store_fail(s, d, "cannot open database");
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(s->db, 0);
	persist_wal(s);
	/* WAL: readers never block the writer and vice versa.  synchronous
	 * FULL: a committed change (a response, a reminder marked sent) must
	 * survive a power cut, and human-speed writes make fsync cheap; bulk
	 * imports are one transaction, so they pay it once. */
	if (store_exec(s, "PRAGMA journal_mode = WAL", d) < 0 ||
	    store_exec(s, "PRAGMA synchronous = FULL", d) < 0 ||
	    store_exec(s, "PRAGMA journal_size_limit = 0", d) < 0 ||
	    store_exec(s, "PRAGMA foreign_keys = ON", d) < 0)
		return -1;
	if (pragma_int(s, "PRAGMA foreign_keys", &fk, d) < 0 || fk != 1)
		return diag_set(d, DIAG_STORE, "this SQLite cannot enforce foreign keys");
	return migrate(s, d);
}

/* Read-only: nothing may change, not even the schema, so a database
 * that needs a migration is refused with what to do. */
static int open_readonly(struct store *s, struct diag *d)
{
	int64_t v;

	if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK)
		return store_fail(s, d, "cannot open database read-only");
	s->readonly = 1;
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(s->db, 0);
	if (pragma_int(s, "PRAGMA user_version", &v, d) < 0) {
		diag_prefix(d, "read-only (a database in WAL mode needs its -shm and -wal "
		    "readable, or its directory writable)");
		return -1;
	}
	if (v != (int64_t)store_nmigrations)
		return diag_set(d, DIAG_STORE, "database '%s' has schema version %lld and this "
		    "slatrack reads version %zu; it is read-only to you, so it cannot be "
		    "migrated: run a slatrack command as a user who may write it", s->path,
		    (long long)v, store_nmigrations);
	return 0;
}

/* PostgreSQL: the server holds the data, so there is no file to create
 * or check; the connection fails loudly when the database is missing. */
static struct store *open_pg(const char *url, int migrate, struct diag *d)
{
	struct store *s = store_new(url, d);

	if (s == NULL)
		return NULL;
	if ((s->url = strdup(url)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		store_close(s);
		return NULL;
	}
	if (store_pg_open(s, url, migrate, d) < 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

struct store *store_open_mode(const char *path, enum store_mode mode, struct diag *d)
{
	struct store *s;
	int rc;

	if (dbpg_is_url(path))
		return open_pg(path, 1, d);
	if (mode == STORE_CREATE ? create_private(path, d) < 0 : must_exist(path, d) < 0)
		return NULL;
	if ((s = store_new(path, d)) == NULL)
		return NULL;
	if (mode != STORE_CREATE && access(path, W_OK) != 0 && errno == EACCES) {
		if (mode == STORE_READ)
			rc = open_readonly(s, d);
		else
			rc = diag_set(d, DIAG_STORE, "the database '%s' is read-only to you and "
			    "this command writes to it", path);
	} else
		rc = open_readwrite(s, SQLITE_OPEN_READWRITE, d);
	if (rc < 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

struct store *store_open(const char *path, struct diag *d)
{
	struct store *s;

	if (dbpg_is_url(path))
		return open_pg(path, 1, d);
	if ((s = store_new(path, d)) == NULL)
		return NULL;
	if (open_readwrite(s, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, d) < 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

int store_readonly(const struct store *s)
{
	return s->readonly;
}

struct store *store_open_reader(const char *path, struct diag *d)
{
	struct store *s;

	if (dbpg_is_url(path))
		return open_pg(path, 0, d);
	if ((s = store_new(path, d)) == NULL)
		return NULL;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		store_fail(s, d, "cannot open database");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(s->db, 0);
	return s;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

int store_is_server(const char *db)
{
	return dbpg_is_url(db);
}

const char *store_open_spec(const struct store *s)
{
	return s->url != NULL ? s->url : s->path;
}

int store_reopenable(const struct store *s)
{
	const char *p = store_open_spec(s);

	return s->pg != NULL || (p != NULL && p[0] != '\0' && strcmp(p, ":memory:") != 0 &&
	    strncmp(p, "file:", 5) != 0);
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_rollback(s);
	store_cache_clear(s);
	sqlite3_close(s->db);
	dbpg_close(s->pg);
	free(s->url);
	free(s->path);
	free(s);
}

/* ---- cached statements -------------------------------------------------- */

struct db_stmt *store_cached(struct store *s, const char *sql, struct diag *d)
{
	for (size_t i = 0; i < s->ncached; i++)
		if (s->cached[i].sql == sql) {
			db_reset(s->cached[i].st);
			db_clear_bindings(s->cached[i].st);
			return s->cached[i].st;
		}
	if (s->ncached == STORE_MAX_CACHED) {
		store_fail(s, d, "too many cached statements");
		return NULL;
	}
	if (store_prepare(s, &s->cached[s->ncached].st, sql, d) < 0)
		return NULL;
	s->cached[s->ncached].sql = sql;
	return s->cached[s->ncached++].st;
}

void store_cache_clear(struct store *s)
{
	for (size_t i = 0; i < s->ncached; i++)
		db_finalize(s->cached[i].st);
	s->ncached = 0;
}

/* ---- integrity and backup ----------------------------------------------- */

int store_integrity(struct store *s, char **report, struct diag *d)
{
	struct buf b = BUF_INIT;
	struct db_stmt *st;
	int rc;

	*report = NULL;
	if (s->pg != NULL)
		return store_pg_integrity(s, report, d);
	if (store_prepare(s, &st, "PRAGMA integrity_check", d) < 0)
		return -1;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)db_column_text(st, 0);

		if (t != NULL && strcmp(t, "ok") != 0)
			buf_addf(&b, "integrity: %s\n", t);
	}
	db_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_release(&b);
		return store_fail(s, d, "integrity check failed to run");
	}
	if (store_prepare(s, &st, "PRAGMA foreign_key_check", d) < 0) {
		buf_release(&b);
		return -1;
	}
	while ((rc = db_step(st)) == SQLITE_ROW)
		buf_addf(&b, "foreign key: %s row %lld refers to a missing %s row\n",
		    (const char *)db_column_text(st, 0),
		    (long long)db_column_int64(st, 1),
		    (const char *)db_column_text(st, 2));
	db_finalize(st);
	if (b.len > 0)
		*report = buf_detach(&b);
	buf_release(&b);
	return 0;
}

/* A server's backup is a SQLite file: the logical copy of migrate, from
 * one snapshot, which restore (or migrate) reads back. */
static int backup_from_server(struct store *s, const char *path, struct diag *d)
{
	struct store_copy_counts n;
	struct store *dst;
	int rc;

	if ((dst = store_open_mode(path, STORE_CREATE, d)) == NULL)
		return -1;
	rc = store_copy(s, dst, &n, d);
	store_close(dst);
	return rc;
}

int store_backup(struct store *s, const char *path, struct diag *d)
{
	sqlite3 *dst;
	sqlite3_backup *bk;
	int rc;

	if (s->pg != NULL)
		return backup_from_server(s, path, d);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		diag_set(d, DIAG_STORE, "cannot create backup '%s': %s", path,
		    sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	if ((bk = sqlite3_backup_init(dst, "main", s->db, "main")) == NULL) {
		diag_set(d, DIAG_STORE, "cannot back up to '%s': %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	/* one step, one read transaction: in WAL mode a reader never holds
	 * up a writer, and the copy is one consistent snapshot.  (Copying in
	 * small steps restarts whenever another connection commits, so with
	 * a steady writer a large database never finished.) */
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			nap_ms(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		diag_set(d, DIAG_STORE, "backup to '%s' failed: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	if (sqlite3_close(dst) != SQLITE_OK)
		return diag_set(d, DIAG_STORE, "cannot close backup '%s'", path);
	return 0;
}
