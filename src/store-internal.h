/* store-internal.h: shared by src/store*.c only (the SQL side). */
#ifndef SLATRACK_STORE_INTERNAL_H
#define SLATRACK_STORE_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include <sqlite3.h>

#include "db.h"
#include "store.h"
#include "diag.h"

#define STORE_MAX_CACHED 64

#define STORE_TX_PARTNERS 8

struct store {
	sqlite3 *db;		/* SQLite, or NULL when pg is set */
	struct dbpg *pg;	/* PostgreSQL (path is then its URL, redacted) */
	char *url;		/* PostgreSQL: the URL as given, password and all */
	char *path;
	int readonly;
	int in_tx;
	/* the audit chain's head, known while a write transaction holds
	 * the database (no other writer can move it); reset at its end */
	int head_valid;
	int64_t head_id;
	char head_hash[65];
	/* partner keys by id read in this transaction (a partner's key
	 * never changes, but a restore may bring other partners) */
	struct {
		int64_t id;
		char key[65];
	} tx_partners[STORE_TX_PARTNERS];
	size_t ntx_partners;
	/* PostgreSQL: the id of the next ticket of this write transaction
	 * (0: not read yet); the store numbers tickets itself there,
	 * so an insert needs no answer and can ride in the pipeline */
	int64_t tx_next_ticket;
	struct {
		const char *sql;	/* identity: the address of a static string */
		struct db_stmt *st;
	} cached[STORE_MAX_CACHED];
	size_t ncached;
};

/* A row's parameter list written STORE_ADD_BATCH (store.h) times,
 * comma-separated: the VALUES of an insert of a batch. */
#define STORE_REPEAT_2(x) x "," x
#define STORE_REPEAT_8(x) STORE_REPEAT_2(STORE_REPEAT_2(STORE_REPEAT_2(x)))
#define STORE_REPEAT_BATCH(x) STORE_REPEAT_2(STORE_REPEAT_2(STORE_REPEAT_8(x)))
_Static_assert(sizeof STORE_REPEAT_BATCH("?") == 2 * STORE_ADD_BATCH,
	       "STORE_REPEAT_BATCH repeats a row STORE_ADD_BATCH times");

/* Appends STORE_ADD_BATCH events of one kind, actor, instant and field
 * (NULL: none), each with its ticket, partner, old value (old_values
 * NULL: none) and new value, as store_event_add would one after the
 * other, with one statement (SQLite). */
int store_event_add_batch(struct store *s, int64_t at, const char *actor, const char *kind,
			  const int64_t *ticket_ids, const int64_t *partner_ids, const char *field,
			  const char *const *old_values, const char *const *new_values,
			  struct diag *d);

/* DIAG_STORE "what: sqlite message (path)"; returns -1. */
int store_fail(struct store *s, struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int store_exec(struct store *s, const char *sql, struct diag *d);
/* store_exec without a message (COMMIT, ROLLBACK): 0 or -1. */
int store_exec_quietly(struct store *s, const char *sql);
/* Rows changed by the last statement; 1 outside any transaction. */
int store_changes(struct store *s);
int store_autocommit(struct store *s);
/* sqlite3_errmsg, but "disk full" when the OS said ENOSPC or EDQUOT
 * (SQLite calls a full disk under its WAL a "disk I/O error"). */
const char *store_db_errmsg(sqlite3 *db);
int store_prepare(struct store *s, struct db_stmt **st, const char *sql, struct diag *d);
/* store_prepare for a query over many rows (a scan whose loop may run
 * other statements): a cursor read in batches on PostgreSQL. */
int store_prepare_scan(struct store *s, struct db_stmt **st, const char *sql,
		       struct diag *d);
/* A prepared statement kept for the connection's life, keyed by the
 * address of its static SQL text; reset and unbound when returned. */
struct db_stmt *store_cached(struct store *s, const char *sql, struct diag *d);
void store_cache_clear(struct store *s);
void store_bind_text(struct db_stmt *st, int i, const char *v);	/* NULL -> NULL */
void store_bind_id(struct db_stmt *st, int i, int64_t v);		/* 0 -> NULL */
char *store_column_dup(struct db_stmt *st, int i);			/* NULL stays NULL */
void store_bind_instant(struct db_stmt *st, int i, int64_t v);	/* STORE_NONE -> NULL */
/* NULL -> STORE_NONE.  Inline: scans call it for seven columns a row. */
static inline int64_t store_column_instant(struct db_stmt *st, int i)
{
	return db_column_int64_or(st, i, STORE_NONE);
}

/* The CHECK constraint allows only the four lowercase names, so the
 * first letter decides (this runs once per row of a listing). */
static inline int store_severity_from_text(const unsigned char *v)
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

/* Every column of a ticket, with its partner's key, in the order
 * store_ticket_from_row reads them; append WHERE/ORDER BY. */
#define STORE_TICKET_INSTANTS \
	" t.assignee, t.created_at, t.target_s, t.deadline_at, t.first_response_at," \
	" t.responded_by, t.resolved_at, t.updated_at, t.resolve_target_s," \
	" t.resolve_deadline_at, t.waiting_since, t.waiting_response, t.excused_at," \
	" t.excuse_reason, t.excuse_ref"
#define STORE_TICKET_SELECT \
	"SELECT t.id, t.key, t.partner_id, p.key, t.severity, t.summary, t.customer," \
	STORE_TICKET_INSTANTS " FROM tickets t JOIN partners p ON p.id = t.partner_id"
struct store_ticket;
/* A row of STORE_TICKET_SELECT into t (strings copied); -1 out of memory. */
int store_ticket_from_row(struct db_stmt *st, struct store_ticket *t);

#endif
