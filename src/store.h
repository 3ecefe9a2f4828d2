/* store.h: the SQLite database (slatrack(1), DATABASE).  src/store*.c is the
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
 * so store_audit_verify finds an edited, inserted or deleted row, and,
 * against the recorded head, rows deleted at the end.
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

/* How a command opens its database.  Only commands that create data
 * may create a database: on any other a missing file is an error naming
 * the path, so a mistyped --db or SLATRACK_DB is loud, never an empty
 * database that silently stops reminders. */
enum store_mode {
	STORE_CREATE,	/* create when missing (0600, and its directories) */
	STORE_EXISTING,	/* the file must exist; read-write */
	STORE_READ	/* must exist; read-only when this user may not write it */
};

/* Opens (creating when missing) and migrates the database at path.
 * A database newer than this binary is refused (DIAG_STORE). */
struct store *store_open(const char *path, struct diag *d);
/* The same with a mode.  A new file is created 0600 (less the umask);
 * SQLite gives its -wal and -shm the database's mode.  STORE_READ on a
 * file this user cannot write opens it read-only: no migrations, so its
 * schema must be current. */
struct store *store_open_mode(const char *path, enum store_mode mode, struct diag *d);
/* 1 when the connection was opened read-only. */
int store_readonly(const struct store *s);
/* A read-only connection to a database another connection has opened
 * (and migrated): no pragmas, no migrations.  For work on a thread of
 * its own, which must not share a connection. */
struct store *store_open_reader(const char *path, struct diag *d);
void store_close(struct store *s);			/* NULL-safe */
int store_schema_version(struct store *s);
int store_latest_version(void);
/* The file, or the URL without its password: for messages. */
const char *store_path(const struct store *s);
/* What store_open_reader needs to open the same database again (for a
 * PostgreSQL URL, its password too): never for a message. */
const char *store_open_spec(const struct store *s);
/* 1 when db names a PostgreSQL server's database (a postgresql:// URL). */
int store_is_server(const char *db);
/* 1 when store_open_reader can open s again: a PostgreSQL URL, or a file
 * (not ":memory:", "" or a "file:" URI). */
int store_reopenable(const struct store *s);
/* For a scan of the tickets split by id between two threads: a second,
 * read-only connection to the SQLite file of s (which must not be in a
 * transaction), and a read transaction begun on both that see the same
 * database: no commit can come between their starts (the write lock is
 * held for that moment, without waiting).  *split is then the id where
 * the upper half begins.  NULL with d filled when there can be none:
 * PostgreSQL, not a file, ticket ids spanning fewer than min_ids, a
 * writer at work, a file this user cannot write.  store_twin_end ends
 * both transactions and closes the twin (NULL-safe). */
struct store *store_twin_begin(struct store *s, int64_t min_ids, int64_t *split,
			       struct diag *d);
void store_twin_end(struct store *s, struct store *twin);

/* Run locks, for processes that must know whether another one is still
 * running (remind's claims), on every host that shares the database.
 * store_runlock_take: 1 when this connection now holds the lock key
 * (until it closes), 0 when another holds it; store_runlock_held: 1
 * when another connection holds it, 0 when none does.  -1 on an error;
 * -2 when the database is a file: lock a file next to it instead. */
int store_runlock_take(struct store *s, int64_t key);
int store_runlock_held(struct store *s, int64_t key);

/* Write transactions: BEGIN IMMEDIATE, retried while busy. */
int store_begin(struct store *s, struct diag *d);
int store_commit(struct store *s, struct diag *d);
void store_rollback(struct store *s);			/* safe when none is open */
/* This connection is about to write many rows in one transaction (an
 * import, a recompute): a page cache of STORE_BULK_CACHE_KB, so SQLite
 * keeps the dirty pages in memory instead of spilling them to the WAL
 * half-way (which rewrites them at the commit: the import's and
 * recompute's write time halves). */
#define STORE_BULK_CACHE_KB "32768"
int store_bulk(struct store *s, struct diag *d);
/* This connection is about to add tickets in batches (an import,
 * store_ticket_add_batch): SQLite keeps each insert's statement journal
 * in memory (PRAGMA temp_store) instead of spilling it to a temporary
 * file, where a batch's pages would cost a write each. */
int store_batched(struct store *s, struct diag *d);
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
	int64_t head_id;	/* its id (0 when empty) */
	int64_t anchor_id;	/* store_audit_verify_head: the event that carries
				 * the published head, 0 when none does */
};
/* Walks the whole chain, and checks its end against the two witnesses
 * of how far it went (store_audit_end), in one snapshot: an edited,
 * inserted or deleted event, and events deleted at the end, are found. */
int store_audit_verify(struct store *s, struct store_audit_result *r, struct diag *d);
/* A head published elsewhere: event id's hash (id 0: any event's hash),
 * 64 lowercase hex digits. */
struct store_audit_anchor {
	int64_t id;
	char hash[65];
};
/* store_audit_verify that also looks for the anchor a: r->anchor_id is
 * the event that carries it (0: the trail no longer holds that head). */
int store_audit_verify_head(struct store *s, const struct store_audit_anchor *a,
			    struct store_audit_result *r, struct diag *d);
/* The chain alone over events 1..upto_id: what a reader that saw upto_id
 * as the head would have verified (events appended since are skipped);
 * the end is not checked (see store_audit_check_end). */
int store_audit_verify_upto(struct store *s, int64_t upto_id, struct store_audit_result *r,
			    struct diag *d);
/* Verifying in parts, each on its own connection and core: a part is
 * the events from_id..upto_id, its chain checked from its first event
 * on, that event taken at its word for its place (its id and stored
 * previous-hash).  store_audit_join then holds that word to the end of
 * the part before, so parts joined in order give exactly the answer of
 * one walk over them (the first broken event, the events counted). */
struct store_audit_part {
	struct store_audit_result r;	/* the part's own walk */
	int64_t first_id;		/* its first event, 0 when it has none */
	int first_prev_ok;		/* that event's previous-hash is 64 digits, */
	char first_prev[64];		/* these */
};
int store_audit_verify_part(struct store *s, int64_t from_id, int64_t upto_id,
			    struct store_audit_part *p, struct diag *d);
/* r, the walk over every event before p's, becomes the walk over both. */
void store_audit_join(struct store_audit_result *r, const struct store_audit_part *p);
/* The last event as this connection sees it: id 0 and "" when none. */
int store_audit_head(struct store *s, int64_t *id, char hash[65], struct diag *d);

/* Where the trail ends, as one snapshot sees it.  Deleting the last
 * events leaves a valid chain, so two witnesses remember how far it
 * went: SQLite's sequence (events is AUTOINCREMENT: the highest id ever
 * given out) and the head recorded by a trigger with every append
 * (table audit_head).  Someone who can write the file can rewrite all of
 * them consistently; only a head published elsewhere catches that. */
struct store_audit_end {
	int64_t last_id;	/* the last event (0 when none) */
	char last_hash[65];	/* its hash ("" when none) */
	int64_t seq;		/* the highest id ever given out */
	int64_t recorded_id;	/* the recorded head; -1 no such table (not
				 * migrated), -2 its row was deleted */
	char recorded_hash[65];
};
int store_audit_end(struct store *s, struct store_audit_end *e, struct diag *d);
/* After a walk that held (r->bad_id 0) up to r->head_id: sets bad_id and
 * problem when e says events are missing at the end, or that the last
 * one was rewritten or added outside slatrack. */
void store_audit_check_end(const struct store_audit_end *e, struct store_audit_result *r);

/* ---- shared vocabulary -------------------------------------------------- */

#define STORE_NONE INT64_MIN	/* an absent instant or duration */

enum store_severity {
	STORE_SEV_CRITICAL, STORE_SEV_HIGH, STORE_SEV_MEDIUM, STORE_SEV_LOW, STORE_NSEV
};
const char *store_severity_name(int sev);	/* "critical" ... */
int store_severity_parse(const char *s, int *sev);	/* 0 or -1 */

/* ---- partners (store-partner.c) ----------------------------------------- */

struct store_calendar {
	int64_t id;
	int position;			/* order within the partner, from 0 */
	char *source;			/* file path or https:// URL, as given */
	char *filters;			/* lines "+FILTER" (include) / "-FILTER" (exclude) */
	char *body;			/* the last good .ics bytes (NUL-terminated) */
	size_t body_len;
	char digest[65];		/* SHA-256 of body, hex */
	char *etag, *last_modified;	/* HTTP validators (URLs only), may be NULL */
	char *last_error;		/* the last failed refresh, NULL when fine */
	int64_t fetched_at;		/* when body was read or fetched */
	int32_t horizon_day;		/* ical_report.last_day: INT32_MAX open-ended, -1 none */
};

struct store_partner {
	int64_t id;
	char *key, *name, *zone;
	unsigned workdays;		/* bit (1 << enum civil_weekday) */
	char *hours;			/* "" = whole days, else "09:00-17:00,..." */
	char *contact;			/* may be NULL */
	int64_t target_s[STORE_NSEV];	/* STORE_NONE = tracked, not timed */
	int64_t resolve_s[STORE_NSEV];	/* resolution targets; STORE_NONE = none */
	int pause_response;		/* 1: waiting also stops the response clock */
	int64_t created_at, archived_at;	/* archived_at STORE_NONE = active */
	struct store_calendar *calendars;
	size_t ncalendars;
};

/* A key is 1-64 characters of [A-Za-z0-9._-]; DIAG_USAGE otherwise. */
int store_partner_key_check(const char *key, struct diag *d);
/* Text forms shared by events and front ends, parsable back:
 * weekdays "mon-fri", "sun-thu", "mon,wed,fri"; a duration "24h",
 * "1h30m", "45s", or "none" for STORE_NONE. */
#define STORE_TEXT_LEN 40
void store_workdays_format(unsigned mask, char out[STORE_TEXT_LEN]);
void store_duration_format(int64_t s, char out[STORE_TEXT_LEN]);

/* Zeroes p with every instant/target STORE_NONE (defaults: critical and
 * high 24 h, the working-time rules of slatrack(1)) and Mon-Fri. */
void store_partner_init(struct store_partner *p);
void store_partner_release(struct store_partner *p);
void store_partner_list_free(struct store_partner *v, size_t n);

/* Inserts p with its targets and calendars and a "partner.add" event, in
 * one transaction; sets p->id.  A duplicate key is DIAG_INPUT. */
int store_partner_add(struct store *s, struct store_partner *p, const char *actor,
		      int64_t at, struct diag *d);
/* By key (or "#ID").  Unknown: DIAG_INPUT "unknown partner 'KEY'". */
int store_partner_get(struct store *s, const char *key, struct store_partner *p,
		      struct diag *d);
int store_partner_get_id(struct store *s, int64_t id, struct store_partner *p,
			 struct diag *d);
int store_partner_list(struct store *s, int with_archived, struct store_partner **v,
		       size_t *n, struct diag *d);
/* Replaces the stored partner old->id by p (same id), recording one
 * "partner.edit" event per changed field (old and new values; a change of
 * archived_at is "partner.archive" or "partner.unarchive"), in one
 * transaction.  Calendars are replaced as a whole when their sources,
 * filters or bodies differ (one event, field "calendars").  Refuses
 * (DIAG_STORE) when the stored partner no longer equals old.  Returns the
 * number of changed fields (0: nothing written) or -1. */
int store_partner_update(struct store *s, const struct store_partner *old,
			 const struct store_partner *p, const char *actor, int64_t at,
			 struct diag *d);
/* Records a refresh of one calendar (c->id): a new body (also on 304:
 * the same body, new validators and fetched_at) clears last_error; a
 * changed digest is a "calendar.refresh" event with old and new digest.
 * With body NULL only last_error is stored, the last good copy stays, and
 * a new error text is a "calendar.error" event. */
int store_calendar_refreshed(struct store *s, int64_t partner_id,
			     const struct store_calendar *c, const char *actor, int64_t at,
			     struct diag *d);

/* ---- tickets (store-ticket.c) -------------------------------------------- */

struct store_ticket {
	int64_t id;
	char *key;			/* partner-facing reference, may be NULL */
	int64_t partner_id;
	char *partner_key;		/* filled by reads */
	int severity;			/* enum store_severity */
	char *summary, *customer, *assignee;	/* customer/assignee may be NULL */
	int64_t created_at;
	int64_t target_s, deadline_at;	/* STORE_NONE when not timed */
	int64_t first_response_at;	/* STORE_NONE until the first response */
	char *responded_by;
	int64_t resolved_at;		/* STORE_NONE while open */
	int64_t updated_at;
	/* the resolution clock: created .. resolved, STORE_NONE when the
	 * severity has no resolution target */
	int64_t resolve_target_s, resolve_deadline_at;
	int64_t waiting_since;		/* waiting on the customer since; STORE_NONE */
	int waiting_response;		/* that wait stops the response clock too */
	int64_t excused_at;		/* breach excused at; STORE_NONE */
	char *excuse_reason, *excuse_ref;	/* set with excused_at, ref may be NULL */
};

void store_ticket_init(struct store_ticket *t);
void store_ticket_release(struct store_ticket *t);
void store_ticket_list_free(struct store_ticket *v, size_t n);
/* dst = src with every string copied; -1 out of memory (DIAG_NOMEM). */
int store_ticket_copy(struct store_ticket *dst, const struct store_ticket *src,
		      struct diag *d);

/* Inserts t and a "ticket.create" event (one transaction unless one is
 * already open, e.g. an import); sets t->id. */
int store_ticket_add(struct store *s, struct store_ticket *t, const char *actor,
		     int64_t at, struct diag *d);
/* The same, recorded as event `kind` (e.g. "ticket.import") whose value
 * begins with `origin` ("FILE:LINE") when not NULL: one event per ticket. */
int store_ticket_add_as(struct store *s, struct store_ticket *t, const char *kind,
			const char *origin, const char *actor, int64_t at, struct diag *d);
/* Which of keys[0..n) (NULL entries never) tickets already hold, into
 * present[], looked up a batch at a time: 1.  0 without looking when the
 * store checks a key at add time as cheaply (SQLite); -1 on error.  The
 * answer holds for the write transaction it is asked in. */
int store_ticket_keys_present(struct store *s, const char *const *keys, size_t n,
			      unsigned char *present, struct diag *d);
/* store_ticket_add_as for a ticket whose key store_ticket_keys_present
 * found free in this write transaction: nothing is read back, so on a
 * server the insert need not wait for its answer. */
int store_ticket_add_new(struct store *s, struct store_ticket *t, const char *kind,
			 const char *origin, const char *actor, int64_t at, struct diag *d);
/* STORE_ADD_BATCH tickets added at once inside the caller's write
 * transaction, as store_ticket_add_as would add them one after the other
 * (the same ids, events and order), but with one insert for the tickets
 * and one for their events: an import's writes take a fifth less time.
 * origins[i] is ticket i's origin.  All or nothing: *added is 1 when all
 * were added, 0 when none was, nothing written (one fails its checks or
 * its partner is unknown, a key is taken, the store is PostgreSQL or no
 * transaction is open), and the caller then adds them one by one to
 * learn which one is refused and why.  -1 only when the store fails. */
#define STORE_ADD_BATCH 32
int store_ticket_add_batch(struct store *s, struct store_ticket *const *t, const char *kind,
			   const char *const *origins, const char *actor, int64_t at,
			   int *added, struct diag *d);
/* By numeric id, "#ID", or external key.  Unknown: DIAG_INPUT. */
int store_ticket_get(struct store *s, const char *ref, struct store_ticket *t,
		     struct diag *d);

struct store_ticket_filter {
	int open_only;			/* resolved_at IS NULL */
	int64_t partner_id;		/* 0 = any */
	const char *assignee;		/* NULL = any */
	int severity;			/* -1 = any */
	int64_t deadline_from, deadline_to;	/* STORE_NONE = unbounded; [from, to) */
	int64_t id_from, id_to;			/* STORE_NONE = unbounded; [from, to) */
	/* store_ticket_scan reads only what the queue's table shows and the
	 * response clock needs: customer, responded_by, the excuse's texts
	 * stay NULL, the resolution clock STORE_NONE, updated_at 0 */
	int narrow;
};
void store_ticket_filter_init(struct store_ticket_filter *f);
int store_ticket_list(struct store *s, const struct store_ticket_filter *f,
		      struct store_ticket **v, size_t *n, struct diag *d);
/* The same tickets without copying: fn sees each in id order, its strings
 * borrowed from SQLite and valid only during the call (the fast path of
 * `ticket list`).  fn returns non-zero to stop, and that value is
 * returned; -1 with d filled on failure. */
int store_ticket_scan(struct store *s, const struct store_ticket_filter *f,
		      int (*fn)(const struct store_ticket *t, void *arg), void *arg,
		      struct diag *d);

/* The first screen of the queue, cheaply: tickets still waiting for a
 * first response, read in deadline order through the tickets_open index,
 * at most `limit` due from now_at on, then at most `limit` past due (the
 * candidates for the top of the triage order: at risk and breached); fn
 * as for store_ticket_scan. */
int store_ticket_scan_first(struct store *s, int64_t now_at, size_t limit,
			    int (*fn)(const struct store_ticket *t, void *arg), void *arg,
			    struct diag *d);

/* Writes every field of t (by t->id) and one event per changed field,
 * comparing with old; kind is the event kind ("ticket.respond",
 * "ticket.assign", ...). One transaction unless one is open. */
int store_ticket_update(struct store *s, const struct store_ticket *old,
			const struct store_ticket *t, const char *kind, const char *actor,
			int64_t at, struct diag *d);
/* A ticket's four clock columns. */
struct store_clocks {
	int64_t target_s, deadline_at;		/* STORE_NONE when not timed */
	int64_t resolve_target_s, resolve_deadline_at;	/* STORE_NONE: none */
};
/* One ticket's clocks moved by a recompute. */
struct store_ticket_move {
	int64_t id, partner_id;
	int64_t updated_at;		/* as read: the write is refused when it changed */
	struct store_clocks from, to;
};
/* Writes m->to into ticket m->id (the four clock columns and updated_at =
 * at, nothing else) and one "ticket.recompute" event, field "deadlines",
 * whose old and new values list the clocks that changed
 * ("target=24h deadline=2026-01-12T11:00:00Z").  The cheap write of
 * `recompute`, which moves many tickets in one transaction: one statement
 * and one event per ticket.  Refuses (DIAG_STORE) a ticket changed since
 * it was read.  Writes nothing when m->from equals m->to.  One transaction
 * unless one is open. */
int store_ticket_move(struct store *s, const struct store_ticket_move *m, const char *actor,
		      int64_t at, struct diag *d);
/* store_ticket_move for m[0..n) in order, in one transaction unless one
 * is open; on SQLite the events go STORE_ADD_BATCH to an insert (the
 * same events, in the same order).  Stops at the first refusal. */
int store_ticket_moves(struct store *s, const struct store_ticket_move *m, size_t n,
		       const char *actor, int64_t at, struct diag *d);
/* A note is an event only ("ticket.note", new = the text). */
int store_ticket_note(struct store *s, int64_t ticket_id, const char *text,
		      const char *actor, int64_t at, struct diag *d);

/* ---- pauses (store-pause.c) ------------------------------------------------ */

/* An interval in which a ticket's clocks stood still (table ticket_pauses).
 * kind "wait": waiting on the customer; "closed": the time a reopened
 * ticket spent resolved (it stops the resolution clock only).  response:
 * the interval stops the response clock too.  end_at STORE_NONE: open. */
struct store_pause {
	int64_t ticket_id;
	char kind[8];
	int response;
	int64_t start_at, end_at;
};
/* Inside an open transaction: a new interval of ticket_id from start_at,
 * open (end_at STORE_NONE) or closed. */
int store_pause_add(struct store *s, const struct store_pause *p, struct diag *d);
/* Inside an open transaction: closes ticket_id's open interval at end_at;
 * DIAG_INPUT when there is none. */
int store_pause_close(struct store *s, int64_t ticket_id, int64_t end_at, struct diag *d);
/* The intervals of one ticket (ticket_id > 0) or of all tickets (0), by
 * ticket then start; *v is malloc'd (free it), NULL when none. */
int store_pause_list(struct store *s, int64_t ticket_id, struct store_pause **v, size_t *n,
		     struct diag *d);

/* How many tickets (of partner_id, or all when 0) have at least one
 * interval, open or closed. */
int store_pause_ticket_count(struct store *s, int64_t partner_id, int64_t *n,
			     struct diag *d);

/* ---- undo: ticket undo, the TUI's u ------------------------------------- */

/* The events of one write to a ticket (one per changed field, id order). */
struct store_ticket_change {
	struct store_event *ev;
	size_t n;
};
void store_ticket_change_release(struct store_ticket_change *c);
/* Reads the last write to ticket t and sets u (the caller's copy of t) to
 * the values before it; c gets that write's events (release it).  Only a
 * respond, resolve, reopen, assign or edit is undone; the last event being
 * a note, an undo (an undo is not undone), the creation or anything else
 * is DIAG_INPUT saying so.  The caller recomputes the deadline when the
 * severity or partner comes back, as an edit does. */
int store_ticket_undo_plan(struct store *s, const struct store_ticket *t,
			   struct store_ticket *u, struct store_ticket_change *c,
			   struct diag *d);
/* Writes u as kind "ticket.undo": first an event with field "reverts"
 * naming the write's first event ("event 42: ticket.respond by alice"),
 * then one per field restored; never deletes an event. */
int store_ticket_undo(struct store *s, const struct store_ticket *old,
		      const struct store_ticket *u, const struct store_ticket_change *c,
		      const char *actor, int64_t at, struct diag *d);

/* ---- integrity ---------------------------------------------------------- */

/* PRAGMA integrity_check and foreign_key_check; each problem appended as
 * a line to *report (caller frees; NULL when all is well). */
int store_integrity(struct store *s, char **report, struct diag *d);
/* Online backup (sqlite3_backup_*) of the open database into path. */
int store_backup(struct store *s, const char *path, struct diag *d);

/* Copies every row of src into dst, which must be empty and at the same
 * schema version, in one transaction on dst and one snapshot of src;
 * either backend on either side.  Ids are kept, so the audit chain
 * verifies to the same head. */
struct store_copy_counts {
	int64_t partners, tickets, events, rows;
};
int store_copy(struct store *src, struct store *dst, struct store_copy_counts *n,
	       struct diag *d);

#endif
