/* store.h: the SQLite database (DESIGN.md section 4).  src/store*.c is the
 * only code that speaks SQL; every statement is prepared with bound
 * parameters.
 *
 * One file, WAL mode, foreign keys on, a busy timeout, schema version in
 * PRAGMA user_version, migrations from db/migrations compiled in and
 * applied in order, one transaction each.  Writers start with BEGIN
 * IMMEDIATE (store_begin), so two writers queue on the busy timeout rather
 * than failing half-way; SQLITE_BUSY that outlasts it is retried, and
 * "database is locked" reaches a user only after STORE_BUSY_TOTAL_MS.
 *
 * Every change records an audit event in the same transaction
 * (store_event_add): append-only (triggers refuse UPDATE and DELETE) and
 * hash-chained (each event's hash covers its fields and the previous hash),
 * so store_audit_verify finds an edited, inserted or deleted row.
 *
 * Strings in the structs below are heap copies owned by the struct;
 * release them with the matching _release function.
 */
#ifndef SLATRACK_STORE_H
#define SLATRACK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct store;

#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_BUSY_TOTAL_MS 60000

/* ---- connection --------------------------------------------------------- */

/* Opens (creating when missing) and migrates the database at path.
 * A database newer than this binary is refused (DIAG_STORE). */
struct store *store_open(const char *path, struct diag *d);
void store_close(struct store *s);			/* NULL-safe */
int store_schema_version(struct store *s);
int store_latest_version(void);
const char *store_path(const struct store *s);

/* Write transactions: BEGIN IMMEDIATE, retried while busy. */
int store_begin(struct store *s, struct diag *d);
int store_commit(struct store *s, struct diag *d);
void store_rollback(struct store *s);			/* safe when none is open */
/* Changes whenever another connection commits (PRAGMA data_version). */
int64_t store_data_version(struct store *s);

/* ---- audit trail -------------------------------------------------------- */

struct store_event {
	int64_t id, at, ticket_id, partner_id;	/* ids 0 when none */
	char *actor, *kind, *field, *old_value, *new_value;	/* field/old/new may be NULL */
	char *prev_hash, *hash;
};
void store_event_release(struct store_event *e);

/* Appends one event inside the open transaction.  ticket_id/partner_id
 * 0 = none; field, old_value, new_value may be NULL. */
int store_event_add(struct store *s, int64_t at, const char *actor, const char *kind,
		    int64_t ticket_id, int64_t partner_id, const char *field,
		    const char *old_value, const char *new_value, struct diag *d);

/* Calls fn for each event (of one ticket, or all when ticket_id is 0) in
 * id order; fn returns non-zero to stop. */
int store_event_each(struct store *s, int64_t ticket_id,
		     int (*fn)(const struct store_event *e, void *arg), void *arg,
		     struct diag *d);

struct store_audit_result {
	int64_t nevents;
	int64_t bad_id;		/* first event that fails, 0 if the chain holds */
	char problem[256];	/* what is wrong with it */
	char head_hash[65];	/* hash of the last event ("" when empty) */
};
int store_audit_verify(struct store *s, struct store_audit_result *r, struct diag *d);

/* ---- integrity ---------------------------------------------------------- */

/* PRAGMA integrity_check and foreign_key_check; each problem appended as
 * a line to *report (caller frees; NULL when all is well). */
int store_integrity(struct store *s, char **report, struct diag *d);
/* Online backup (sqlite3_backup_*) of the open database into path. */
int store_backup(struct store *s, const char *path, struct diag *d);

#endif
