/* store.c: connection, pragmas, migrations, transactions, the audit
 * chain and integrity checks; see store.h.  Table-specific statements
 * live in store-partner.c and store-ticket.c. */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "buf.h"
#include "sha256.h"
#include "store-internal.h"

extern const char *const store_migrations[];
extern const size_t store_nmigrations;

int store_fail(struct store *s, struct diag *d, const char *fmt, ...)
{
	char what[DIAG_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return diag_set(d, DIAG_STORE, "%s: %s (%s)", what,
	    s && s->db ? sqlite3_errmsg(s->db) : "no database", s ? s->path : "?");
}

int store_exec(struct store *s, const char *sql, struct diag *d)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		diag_set(d, DIAG_STORE, "%s (%s)", err ? err : "sqlite error", s->path);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int store_prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct diag *d)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return store_fail(s, d, "cannot prepare a statement");
	}
	return 0;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

void store_bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

void store_bind_instant(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == STORE_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

int64_t store_column_instant(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? STORE_NONE :
	    sqlite3_column_int64(st, i);
}

int store_severity_from_text(const unsigned char *v)
{
	switch (v != NULL ? v[0] : 0) {
	case 'c':
		return STORE_SEV_CRITICAL;
	case 'h':
		return STORE_SEV_HIGH;
	case 'm':
		return STORE_SEV_MEDIUM;
	default:
		return STORE_SEV_LOW;
	}
}

char *store_column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

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
		rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
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
	return 0;
}

int store_commit(struct store *s, struct diag *d)
{
	if (exec_retrying(s, "COMMIT", d) < 0) {
		store_rollback(s);
		return -1;
	}
	s->in_tx = 0;
	s->head_valid = 0;
	return 0;
}

void store_rollback(struct store *s)
{
	if (s != NULL && s->db != NULL && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (s != NULL) {
		s->in_tx = 0;
		s->head_valid = 0;
	}
}

static int pragma_int(struct store *s, const char *sql, int64_t *out, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, &st, sql, d) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "'%s' failed", sql);
	return 0;
}

int store_schema_version(struct store *s)
{
	int64_t v = -1;
	struct diag d;

	pragma_int(s, "PRAGMA user_version", &v, &d);
	return (int)v;
}

int store_latest_version(void)
{
	return (int)store_nmigrations;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

int64_t store_data_version(struct store *s)
{
	int64_t v = -1;
	struct diag d;

	pragma_int(s, "PRAGMA data_version", &v, &d);
	return v;
}

/* Applies every migration newer than user_version, each in its own
 * IMMEDIATE transaction that also bumps user_version, so a crash leaves
 * the database at a whole version.  Re-reads the version inside the
 * transaction: another process may have migrated meanwhile. */
static int migrate(struct store *s, struct diag *d)
{
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

struct store *store_open(const char *path, struct diag *d)
{
	struct store *s = calloc(1, sizeof *s);
	int64_t fk;

	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		store_fail(s, d, "cannot open database");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(s->db, 0);
	/* WAL: readers never block the writer and vice versa.  synchronous
	 * FULL: a committed change (a response, a reminder marked sent) must
	 * survive a power cut, and human-speed writes make fsync cheap; bulk
	 * imports are one transaction, so they pay it once. */
	if (store_exec(s, "PRAGMA journal_mode = WAL", d) < 0 ||
	    store_exec(s, "PRAGMA synchronous = FULL", d) < 0 ||
	    store_exec(s, "PRAGMA foreign_keys = ON", d) < 0)
		goto fail;
	if (pragma_int(s, "PRAGMA foreign_keys", &fk, d) < 0 || fk != 1) {
		diag_set(d, DIAG_STORE, "this SQLite cannot enforce foreign keys");
		goto fail;
	}
	if (migrate(s, d) < 0)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_rollback(s);
	store_cache_clear(s);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* ---- cached statements -------------------------------------------------- */

sqlite3_stmt *store_cached(struct store *s, const char *sql, struct diag *d)
{
	for (size_t i = 0; i < s->ncached; i++)
		if (s->cached[i].sql == sql) {
			sqlite3_reset(s->cached[i].st);
			sqlite3_clear_bindings(s->cached[i].st);
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
		sqlite3_finalize(s->cached[i].st);
	s->ncached = 0;
}

/* ---- audit trail -------------------------------------------------------- */

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Writes the decimal digits of u ending just before end; returns the
 * first digit (no printf: this runs for every field of every event). */
static char *put_u64(char *end, uint64_t u)
{
	do
		*--end = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	return end;
}

static void hash_field(struct sha256 *c, const char *v)
{
	char len[24], *p;
	size_t n;

	if (v == NULL) {
		sha256_update(c, "-,", 2);
		return;
	}
	n = strlen(v);
	len[sizeof len - 1] = ':';
	p = put_u64(len + sizeof len - 1, n);
	sha256_update(c, p, (size_t)(len + sizeof len - p));
	sha256_update(c, v, n);
	sha256_update(c, ",", 1);
}

static void hash_int(struct sha256 *c, int64_t v)
{
	char n[24], *p;

	n[sizeof n - 1] = '\0';
	p = put_u64(n + sizeof n - 1, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--p = '-';
	hash_field(c, p);
}

/* The hash of an event covers every column but itself, length-prefixed
 * so no two different rows hash the same text. */
static void event_hash(const struct store_event *e, char out[65])
{
	struct sha256 c;

	sha256_init(&c);
	hash_field(&c, "slatrack-event-v1");
	hash_field(&c, e->prev_hash);
	hash_int(&c, e->id);
	hash_int(&c, e->at);
	hash_field(&c, e->actor);
	hash_field(&c, e->kind);
	hash_int(&c, e->ticket_id);
	hash_int(&c, e->partner_id);
	hash_field(&c, e->field);
	hash_field(&c, e->old_value);
	hash_field(&c, e->new_value);
	sha256_final_hex(&c, out);
}

static const char SQL_EVENT_HEAD[] =
	"SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";
static const char SQL_EVENT_SEQ[] =
	"SELECT seq FROM sqlite_sequence WHERE name = 'events'";
static const char SQL_EVENT_ADD[] =
	"INSERT INTO events (id, at, actor, kind, ticket_id, partner_id, field, old, new,"
	" prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

int store_event_add(struct store *s, int64_t at, const char *actor, const char *kind,
		    int64_t ticket_id, int64_t partner_id, const char *field,
		    const char *old_value, const char *new_value, struct diag *d)
{
	struct store_event e;
	char prev[65] = GENESIS_HASH, hash[65];
	int64_t last_id = 0, seq = 0;
	sqlite3_stmt *st;
	int rc;

	if (s->head_valid) {
		last_id = s->head_id;
		memcpy(prev, s->head_hash, sizeof prev);
	} else {
		if ((st = store_cached(s, SQL_EVENT_HEAD, d)) == NULL)
			return -1;
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			last_id = sqlite3_column_int64(st, 0);
			snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 1));
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(s, d, "cannot read the audit trail");
		/* AUTOINCREMENT never reuses an id, even of a deleted row */
		if ((st = store_cached(s, SQL_EVENT_SEQ, d)) == NULL)
			return -1;
		if (sqlite3_step(st) == SQLITE_ROW)
			seq = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (seq > last_id)
			last_id = seq;
	}
	memset(&e, 0, sizeof e);
	e.id = last_id + 1;
	e.at = at;
	e.actor = (char *)actor;
	e.kind = (char *)kind;
	e.ticket_id = ticket_id;
	e.partner_id = partner_id;
	e.field = (char *)field;
	e.old_value = (char *)old_value;
	e.new_value = (char *)new_value;
	e.prev_hash = prev;
	event_hash(&e, hash);
	if ((st = store_cached(s, SQL_EVENT_ADD, d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, e.id);
	sqlite3_bind_int64(st, 2, at);
	store_bind_text(st, 3, actor);
	store_bind_text(st, 4, kind);
	store_bind_id(st, 5, ticket_id);
	store_bind_id(st, 6, partner_id);
	store_bind_text(st, 7, field);
	store_bind_text(st, 8, old_value);
	store_bind_text(st, 9, new_value);
	store_bind_text(st, 10, prev);
	store_bind_text(st, 11, hash);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		s->head_valid = 0;
		return store_fail(s, d, "cannot record the audit event '%s'", kind);
	}
	if (s->in_tx) {
		s->head_valid = 1;
		s->head_id = e.id;
		memcpy(s->head_hash, hash, sizeof s->head_hash);
	}
	return 0;
}

void store_event_release(struct store_event *e)
{
	free(e->actor);
	free(e->kind);
	free(e->field);
	free(e->old_value);
	free(e->new_value);
	free(e->prev_hash);
	free(e->hash);
	memset(e, 0, sizeof *e);
}

static const char SQL_EVENT_ALL[] =
	"SELECT id, at, actor, kind, ticket_id, partner_id, field, old, new, prev_hash, hash"
	" FROM events ORDER BY id";
static const char SQL_EVENT_TICKET[] =
	"SELECT id, at, actor, kind, ticket_id, partner_id, field, old, new, prev_hash, hash"
	" FROM events WHERE ticket_id = ?1 ORDER BY id";

static void event_from_row(sqlite3_stmt *st, struct store_event *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->actor = store_column_dup(st, 2);
	e->kind = store_column_dup(st, 3);
	e->ticket_id = sqlite3_column_int64(st, 4);
	e->partner_id = sqlite3_column_int64(st, 5);
	e->field = store_column_dup(st, 6);
	e->old_value = store_column_dup(st, 7);
	e->new_value = store_column_dup(st, 8);
	e->prev_hash = store_column_dup(st, 9);
	e->hash = store_column_dup(st, 10);
}

int store_event_each(struct store *s, int64_t ticket_id,
		     int (*fn)(const struct store_event *e, void *arg), void *arg,
		     struct diag *d)
{
	sqlite3_stmt *st;
	int rc, stop = 0;

	if (store_prepare(s, &st, ticket_id ? SQL_EVENT_TICKET : SQL_EVENT_ALL, d) < 0)
		return -1;
	if (ticket_id)
		sqlite3_bind_int64(st, 1, ticket_id);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_event e;

		memset(&e, 0, sizeof e);
		event_from_row(st, &e);
		stop = fn(&e, arg);
		store_event_release(&e);
	}
	sqlite3_finalize(st);
	if (!stop && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the audit trail");
	return 0;
}

struct verify_state {
	struct store_audit_result *r;
	int64_t last_id;
	char last_hash[65];
};

static int verify_one(const struct store_event *e, void *arg)
{
	struct verify_state *v = arg;
	struct store_audit_result *r = v->r;
	struct store_event copy = *e;
	char want[65];

	r->nevents++;
	if (e->id != v->last_id + 1) {
		r->bad_id = e->id;
		if (e->id > v->last_id + 1)
			snprintf(r->problem, sizeof r->problem, "events %lld..%lld before it "
			    "are missing (deleted)", (long long)v->last_id + 1, (long long)e->id - 1);
		else
			snprintf(r->problem, sizeof r->problem,
			    "its id does not follow event %lld", (long long)v->last_id);
		return 1;
	}
	if (e->prev_hash == NULL || strcmp(e->prev_hash, v->last_hash) != 0) {
		r->bad_id = e->id;
		snprintf(r->problem, sizeof r->problem, "its previous-hash does not match "
		    "event %lld: an event was inserted, deleted or edited before it",
		    (long long)v->last_id);
		return 1;
	}
	event_hash(&copy, want);
	if (e->hash == NULL || strcmp(e->hash, want) != 0) {
		r->bad_id = e->id;
		snprintf(r->problem, sizeof r->problem, "its contents do not match its hash: "
		    "the row was edited");
		return 1;
	}
	v->last_id = e->id;
	snprintf(v->last_hash, sizeof v->last_hash, "%s", e->hash);
	return 0;
}

/* The row's columns, borrowed from SQLite until the next step: verifying
 * a million events must not copy every string. */
static void event_borrow(sqlite3_stmt *st, struct store_event *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->actor = (char *)sqlite3_column_text(st, 2);
	e->kind = (char *)sqlite3_column_text(st, 3);
	e->ticket_id = sqlite3_column_int64(st, 4);
	e->partner_id = sqlite3_column_int64(st, 5);
	e->field = (char *)sqlite3_column_text(st, 6);
	e->old_value = (char *)sqlite3_column_text(st, 7);
	e->new_value = (char *)sqlite3_column_text(st, 8);
	e->prev_hash = (char *)sqlite3_column_text(st, 9);
	e->hash = (char *)sqlite3_column_text(st, 10);
}

int store_audit_verify(struct store *s, struct store_audit_result *r, struct diag *d)
{
	struct verify_state v;
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof *r);
	memset(&v, 0, sizeof v);
	v.r = r;
	snprintf(v.last_hash, sizeof v.last_hash, "%s", GENESIS_HASH);
	if (store_prepare(s, &st, SQL_EVENT_ALL, d) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_event e;

		event_borrow(st, &e);
		if (verify_one(&e, &v))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the audit trail");
	snprintf(r->head_hash, sizeof r->head_hash, "%s",
	    v.last_id ? v.last_hash : "");
	return 0;
}

/* ---- integrity and backup ----------------------------------------------- */

int store_integrity(struct store *s, char **report, struct diag *d)
{
	struct buf b = BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	*report = NULL;
	if (store_prepare(s, &st, "PRAGMA integrity_check", d) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (t != NULL && strcmp(t, "ok") != 0)
			buf_addf(&b, "integrity: %s\n", t);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_release(&b);
		return store_fail(s, d, "integrity check failed to run");
	}
	if (store_prepare(s, &st, "PRAGMA foreign_key_check", d) < 0) {
		buf_release(&b);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_addf(&b, "foreign key: %s row %lld refers to a missing %s row\n",
		    (const char *)sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	if (b.len > 0)
		*report = buf_detach(&b);
	buf_release(&b);
	return 0;
}

int store_backup(struct store *s, const char *path, struct diag *d)
{
	sqlite3 *dst;
	sqlite3_backup *bk;
	int rc;

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
