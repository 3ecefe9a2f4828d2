/* store-audit.c: the append-only, hash-chained audit trail: adding an
 * event, reading events back, verifying the chain and its end (against
 * SQLite's sequence and the head that db/migrations/0004-audit-head.sql
 * records with every append), and finding a published head; see store.h. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sha256.h"
#include "store-internal.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Writes the decimal digits of u ending just before end; returns the
 * first digit.  Two digits a division, no printf: this runs for fifteen
 * numbers of every event. */
static char *put_u64(char *end, uint64_t u)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";

	while (u >= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * u, 2);
	} else
		*--end = (char)('0' + u);
	return end;
}

/* The text columns of an event in the order the hash takes them. */
enum event_text { EV_PREV, EV_ACTOR, EV_KIND, EV_FIELD, EV_OLD, EV_NEW, EV_NTEXT };

/* The most a field adds besides its bytes: up to 20 digits of length,
 * a sign, the colon and the comma. */
#define FIELD_SLACK 24
#define EVENT_TAG "slatrack-event-v1"

/* Writes "n:" for a field of n bytes.  Most lengths have one to three
 * digits: those are written in place. */
static char *put_len(char *p, size_t n)
{
	if (n < 10) {
		*p++ = (char)('0' + n);
	} else if (n < 100) {
		*p++ = (char)('0' + n / 10);
		*p++ = (char)('0' + n % 10);
	} else if (n < 1000) {
		*p++ = (char)('0' + n / 100);
		*p++ = (char)('0' + n / 10 % 10);
		*p++ = (char)('0' + n % 10);
	} else {
		char len[24], *q = put_u64(len + sizeof len, n);

		memcpy(p, q, (size_t)(len + sizeof len - q));
		p += len + sizeof len - q;
	}
	*p++ = ':';
	return p;
}

/* One text field: its length, a colon, the bytes and a comma; "-," for
 * NULL. */
static char *put_text(char *p, const char *v, size_t n)
{
	if (v == NULL) {
		memcpy(p, "-,", 2);
		return p + 2;
	}
	p = put_len(p, n);
	memcpy(p, v, n);
	p += n;
	*p++ = ',';
	return p;
}

/* One integer field, as a text field of its decimal digits. */
static char *put_int(char *p, int64_t v)
{
	char d[24], *end = d + sizeof d, *q;

	q = put_u64(end, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--q = '-';
	return put_text(p, q, (size_t)(end - q));
}

/* The lengths of the text columns (enum event_text): len when the caller
 * knows them (a verification has them from SQLite), else measured. */
static void text_lengths(const struct store_event *e, const size_t *len, size_t n[EV_NTEXT])
{
	const char *text[EV_NTEXT] = { e->prev_hash, e->actor, e->kind, e->field,
				       e->old_value, e->new_value };

	for (int i = 0; i < EV_NTEXT; i++)
		n[i] = len != NULL ? len[i] : text[i] != NULL ? strlen(text[i]) : 0;
}

/* The room the hashed text of an event with these lengths takes, with
 * SHA-256's padding. */
static size_t text_room(const size_t n[EV_NTEXT])
{
	/* the tag, then four integers of at most 20 digits and a sign */
	size_t sum = sizeof EVENT_TAG - 1 + FIELD_SLACK + 4 * (21 + FIELD_SLACK);

	for (int i = 0; i < EV_NTEXT; i++)
		sum += n[i] + FIELD_SLACK;
	return sha256_padded_len(sum);
}

/* The text an event's hash covers, padded for SHA-256 in buf (room for
 * text_room(n) bytes): every column but the hash itself, in a fixed
 * order, each length-prefixed so no two different rows hash the same
 * text.  Returns the padded length. */
static size_t event_text(const struct store_event *e, const size_t n[EV_NTEXT],
			 unsigned char *buf)
{
	char *p = (char *)buf;

	p = put_text(p, EVENT_TAG, sizeof EVENT_TAG - 1);
	p = put_text(p, e->prev_hash, n[EV_PREV]);
	p = put_int(p, e->id);
	p = put_int(p, e->at);
	p = put_text(p, e->actor, n[EV_ACTOR]);
	p = put_text(p, e->kind, n[EV_KIND]);
	p = put_int(p, e->ticket_id);
	p = put_int(p, e->partner_id);
	p = put_text(p, e->field, n[EV_FIELD]);
	p = put_text(p, e->old_value, n[EV_OLD]);
	p = put_text(p, e->new_value, n[EV_NEW]);
	sha256_pad(buf, (size_t)(p - (char *)buf));
	return sha256_padded_len((size_t)(p - (char *)buf));
}

/* The room kept for an event's hashed text without allocating: most
 * events take a few hundred bytes. */
#define EVENT_TEXT_ROOM 1024

/* An event's digest; its text built on the stack, or for big fields in
 * memory of its own.  -1: out of memory. */
static int event_digest(const struct store_event *e, const size_t *len, unsigned char md[32])
{
	unsigned char small[EVENT_TEXT_ROOM], *buf = small;
	size_t n[EV_NTEXT], room;

	text_lengths(e, len, n);
	if ((room = text_room(n)) > sizeof small && (buf = malloc(room)) == NULL)
		return -1;
	sha256_padded(buf, event_text(e, n, buf), md);
	if (buf != small)
		free(buf);
	return 0;
}

static int event_hash(const struct store_event *e, char out[65])
{
	unsigned char md[32];

	if (event_digest(e, NULL, md) < 0)
		return -1;
	sha256_to_hex(md, out);
	return 0;
}

static const char SQL_EVENT_HEAD[] =
	"SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";
static const char SQL_EVENT_SEQ[] =
	"SELECT seq FROM sqlite_sequence WHERE name = 'events'";
static const char SQL_EVENT_SEQ_PG[] = "SELECT seq FROM audit_sequence";
static const char SQL_EVENT_ADD[] =
	"INSERT INTO events (id, at, actor, kind, ticket_id, partner_id, field, old, new,"
	" prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/* The id and hash of the last event, for the next one to chain on: kept
 * by the store through a write transaction, else read. */
static int event_head(struct store *s, int64_t *last_id, char prev[65], struct diag *d)
{
	struct db_stmt *st;
	int64_t seq = 0;

	if (s->head_valid) {
		*last_id = s->head_id;
		memcpy(prev, s->head_hash, 65);
		return 0;
	}
	if (store_audit_head(s, last_id, prev, d) < 0)
		return -1;
	if (*last_id == 0)
		memcpy(prev, GENESIS_HASH, 65);
	/* AUTOINCREMENT never reuses an id, even of a deleted row */
	if ((st = store_cached(s, s->pg ? SQL_EVENT_SEQ_PG : SQL_EVENT_SEQ, d)) == NULL)
		return -1;
	if (db_step(st) == SQLITE_ROW)
		seq = db_column_int64(st, 0);
	db_reset(st);
	if (seq > *last_id)
		*last_id = seq;
	return 0;
}

/* e (its hash computed) as parameters first..first+10 of SQL_EVENT_ADD's
 * columns. */
static void bind_event(struct db_stmt *st, int first, const struct store_event *e)
{
	db_bind_int64(st, first, e->id);
	db_bind_int64(st, first + 1, e->at);
	store_bind_text(st, first + 2, e->actor);
	store_bind_text(st, first + 3, e->kind);
	store_bind_id(st, first + 4, e->ticket_id);
	store_bind_id(st, first + 5, e->partner_id);
	store_bind_text(st, first + 6, e->field);
	store_bind_text(st, first + 7, e->old_value);
	store_bind_text(st, first + 8, e->new_value);
	store_bind_text(st, first + 9, e->prev_hash);
	store_bind_text(st, first + 10, e->hash);
}

/* SQL_EVENT_ADD for STORE_ADD_BATCH events at once (store-internal.h). */
#define EVENT_ROW "(?,?,?,?,?,?,?,?,?,?,?)"
static const char SQL_EVENT_ADD_BATCH[] =
	"INSERT INTO events (id, at, actor, kind, ticket_id, partner_id, field, old, new,"
	" prev_hash, hash) VALUES " STORE_REPEAT_BATCH(EVENT_ROW);

/* Appends n events (sql inserts that many: 1 or STORE_ADD_BATCH), each
 * chained on the one before, with one statement. */
static int events_append(struct store *s, const char *sql, size_t n, int64_t at,
			 const char *actor, const char *kind, const int64_t *ticket_ids,
			 const int64_t *partner_ids, const char *field,
			 const char *const *old_values, const char *const *new_values,
			 struct diag *d)
{
	struct store_event e[STORE_ADD_BATCH];
	char hash[STORE_ADD_BATCH][65], prev[65];
	int64_t last_id = 0;
	struct db_stmt *st;
	int rc;

	if (event_head(s, &last_id, prev, d) < 0)
		return -1;
	memset(e, 0, n * sizeof *e);
	for (size_t i = 0; i < n; i++) {
		e[i].id = last_id + 1 + (int64_t)i;
		e[i].at = at;
		e[i].actor = (char *)actor;
		e[i].kind = (char *)kind;
		e[i].ticket_id = ticket_ids[i];
		e[i].partner_id = partner_ids[i];
		e[i].field = (char *)field;
		e[i].old_value = old_values != NULL ? (char *)old_values[i] : NULL;
		e[i].new_value = (char *)new_values[i];
		e[i].prev_hash = i == 0 ? prev : hash[i - 1];
		if (event_hash(&e[i], hash[i]) < 0)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		e[i].hash = hash[i];
	}
	if ((st = store_cached(s, sql, d)) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		bind_event(st, 1 + 11 * (int)i, &e[i]);
	rc = db_step(st);
	db_reset(st);
	if (rc != SQLITE_DONE) {
		s->head_valid = 0;
		return store_fail(s, d, "cannot record the audit event%s '%s'", n > 1 ? "s" : "",
		    kind);
	}
	if (s->in_tx) {		/* the head, known while the transaction runs */
		s->head_valid = 1;
		s->head_id = e[n - 1].id;
		memcpy(s->head_hash, hash[n - 1], sizeof s->head_hash);
	}
	return 0;
}

int store_event_add(struct store *s, int64_t at, const char *actor, const char *kind,
		    int64_t ticket_id, int64_t partner_id, const char *field,
		    const char *old_value, const char *new_value, struct diag *d)
{
	return events_append(s, SQL_EVENT_ADD, 1, at, actor, kind, &ticket_id, &partner_id,
	    field, &old_value, &new_value, d);
}

int store_event_add_batch(struct store *s, int64_t at, const char *actor, const char *kind,
			  const int64_t *ticket_ids, const int64_t *partner_ids, const char *field,
			  const char *const *old_values, const char *const *new_values,
			  struct diag *d)
{
	return events_append(s, SQL_EVENT_ADD_BATCH, STORE_ADD_BATCH, at, actor, kind,
	    ticket_ids, partner_ids, field, old_values, new_values, d);
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

static void event_from_row(struct db_stmt *st, struct store_event *e)
{
	e->id = db_column_int64(st, 0);
	e->at = db_column_int64(st, 1);
	e->actor = store_column_dup(st, 2);
	e->kind = store_column_dup(st, 3);
	e->ticket_id = db_column_int64(st, 4);
	e->partner_id = db_column_int64(st, 5);
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
	struct db_stmt *st;
	int rc, stop = 0;

	if (store_prepare_scan(s, &st, ticket_id ? SQL_EVENT_TICKET : SQL_EVENT_ALL, d) < 0)
		return -1;
	if (ticket_id)
		db_bind_int64(st, 1, ticket_id);
	while (!stop && (rc = db_step(st)) == SQLITE_ROW) {
		struct store_event e;

		memset(&e, 0, sizeof e);
		event_from_row(st, &e);
		stop = fn(&e, arg);
		store_event_release(&e);
	}
	db_finalize(st);
	if (!stop && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the audit trail");
	return 0;
}

struct verify_state {
	struct store_audit_result *r;
	const struct store_audit_anchor *anchor;	/* NULL: none */
	int64_t last_id;
	char last_hash[65];
};

/* An event read and waiting for its digest: verification hashes a
 * window of them at a go (sha256_padded_many: sixteen at once on
 * AVX-512), then checks them in id order. */
struct pending {
	int64_t id;
	int prev_ok, hash_ok;		/* the stored hashes are 64 characters */
	char prev[64], hash[64];	/* as stored */
	unsigned char md[32];
	size_t padded;			/* 0: md is computed already */
	unsigned char text[EVENT_TEXT_ROOM];	/* the hashed text, padded */
};

/* Takes the row's event into p: its text when it fits, else its
 * digest.  -1: out of memory. */
static int pending_take(struct pending *p, const struct store_event *e,
			const size_t len[EV_NTEXT], size_t hash_len)
{
	p->id = e->id;
	if ((p->prev_ok = e->prev_hash != NULL && len[EV_PREV] == 64))
		memcpy(p->prev, e->prev_hash, 64);
	else
		memset(p->prev, 0, sizeof p->prev);
	if ((p->hash_ok = e->hash != NULL && hash_len == 64))
		memcpy(p->hash, e->hash, 64);
	if (text_room(len) <= sizeof p->text) {
		p->padded = event_text(e, len, p->text);
		return 0;
	}
	p->padded = 0;
	return event_digest(e, len, p->md);
}

/* How many events are read before they are hashed together. */
#define VERIFY_WINDOW 128

/* The digests of the n (at most VERIFY_WINDOW) events still without one. */
static void pending_digest(struct pending *p, size_t n)
{
	const unsigned char *msg[VERIFY_WINDOW];
	unsigned char *out[VERIFY_WINDOW];
	size_t padded[VERIFY_WINDOW], m = 0;

	for (size_t i = 0; i < n; i++)
		if (p[i].padded) {
			msg[m] = p[i].text;
			padded[m] = p[i].padded;
			out[m++] = p[i].md;
		}
	sha256_padded_many(msg, padded, m, out);
}

/* Whether an event with this id and stored previous-hash follows the
 * chain so far (last_id, last_hash); when not, r says why.  1: broken. */
static int check_link(int64_t id, int prev_ok, const char prev[64], int64_t last_id,
		      const char last_hash[64], struct store_audit_result *r)
{
	if (id != last_id + 1) {
		r->bad_id = id;
		if (id > last_id + 1)
			snprintf(r->problem, sizeof r->problem, "events %lld..%lld before it "
			    "are missing (deleted)", (long long)last_id + 1, (long long)id - 1);
		else
			snprintf(r->problem, sizeof r->problem,
			    "its id does not follow event %lld", (long long)last_id);
		return 1;
	}
	if (!prev_ok || memcmp(prev, last_hash, 64) != 0) {
		r->bad_id = id;
		snprintf(r->problem, sizeof r->problem, "its previous-hash does not match "
		    "event %lld: an event was inserted, deleted or edited before it",
		    (long long)last_id);
		return 1;
	}
	return 0;
}

/* Checks one event against the chain so far; 1 when it breaks it. */
static int verify_one(const struct pending *p, struct verify_state *v)
{
	struct store_audit_result *r = v->r;
	char want[65];

	r->nevents++;
	if (check_link(p->id, p->prev_ok, p->prev, v->last_id, v->last_hash, r))
		return 1;
	sha256_to_hex(p->md, want);
	if (!p->hash_ok || memcmp(p->hash, want, 64) != 0) {
		r->bad_id = p->id;
		snprintf(r->problem, sizeof r->problem, "its contents do not match its hash: "
		    "the row was edited");
		return 1;
	}
	v->last_id = p->id;
	memcpy(v->last_hash, want, sizeof want);
	return 0;
}

/* The row's columns, borrowed from SQLite until the next step, with the
 * lengths of its text (the hash's in hash_len): verifying a million
 * events must not copy every string, nor measure it again. */
static void event_borrow(struct db_stmt *st, struct store_event *e, size_t len[EV_NTEXT],
			 size_t *hash_len)
{
	e->id = db_column_int64(st, 0);
	e->at = db_column_int64(st, 1);
	e->actor = (char *)db_column_text_n(st, 2, &len[EV_ACTOR]);
	e->kind = (char *)db_column_text_n(st, 3, &len[EV_KIND]);
	e->ticket_id = db_column_int64(st, 4);
	e->partner_id = db_column_int64(st, 5);
	e->field = (char *)db_column_text_n(st, 6, &len[EV_FIELD]);
	e->old_value = (char *)db_column_text_n(st, 7, &len[EV_OLD]);
	e->new_value = (char *)db_column_text_n(st, 8, &len[EV_NEW]);
	e->prev_hash = (char *)db_column_text_n(st, 9, &len[EV_PREV]);
	e->hash = (char *)db_column_text_n(st, 10, hash_len);
}

static const char SQL_EVENT_RANGE[] =
	"SELECT id, at, actor, kind, ticket_id, partner_id, field, old, new, prev_hash, hash"
	" FROM events WHERE id >= ?1 AND id <= ?2 ORDER BY id";

/* Whether e (verified, its hash in v->last_hash) is the anchor. */
static void note_anchor(struct verify_state *v, int64_t id)
{
	const struct store_audit_anchor *a = v->anchor;

	if (a != NULL && v->r->anchor_id == 0 && (a->id == 0 || a->id == id) &&
	    strcmp(v->last_hash, a->hash) == 0)
		v->r->anchor_id = id;
}

/* Hashes and checks the n events waiting, in id order; 1 at a break. */
static int verify_pending(struct pending *p, size_t n, struct verify_state *v)
{
	pending_digest(p, n);
	for (size_t i = 0; i < n; i++) {
		if (verify_one(&p[i], v))
			return 1;
		note_anchor(v, p[i].id);
	}
	return 0;
}

/* A part's first event sets where its chain starts (store_audit_part). */
static void part_start(struct store_audit_part *part, const struct pending *p,
		       struct verify_state *v)
{
	part->first_id = p->id;
	part->first_prev_ok = p->prev_ok;
	memcpy(part->first_prev, p->prev, sizeof part->first_prev);
	v->last_id = p->id - 1;
	memcpy(v->last_hash, p->prev, sizeof p->prev);
}

/* The walk over events from_id..upto_id; part: a part's (its first
 * event starts the chain), NULL: from the genesis hash. */
static int verify_walk(struct store *s, int64_t from_id, int64_t upto_id,
		       const struct store_audit_anchor *a, struct store_audit_result *r,
		       struct store_audit_part *part, struct diag *d)
{
	struct verify_state v;
	struct pending *p;
	struct db_stmt *st;
	size_t np = 0;
	int rc, broke = 0;

	memset(r, 0, sizeof *r);
	memset(&v, 0, sizeof v);
	v.r = r;
	v.anchor = a;
	memcpy(v.last_hash, GENESIS_HASH, sizeof v.last_hash);
	if ((p = malloc(VERIFY_WINDOW * sizeof *p)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (store_prepare_scan(s, &st, SQL_EVENT_RANGE, d) < 0) {
		free(p);
		return -1;
	}
	db_bind_int64(st, 1, from_id);
	db_bind_int64(st, 2, upto_id);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		struct store_event e;
		size_t len[EV_NTEXT], hash_len;

		event_borrow(st, &e, len, &hash_len);
		if (pending_take(&p[np++], &e, len, hash_len) < 0) {
			db_finalize(st);
			free(p);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
		if (part != NULL && part->first_id == 0)
			part_start(part, &p[0], &v);
		if (np == VERIFY_WINDOW) {
			np = 0;
			if ((broke = verify_pending(p, VERIFY_WINDOW, &v)) != 0)
				break;
		}
	}
	db_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(p);
		return store_fail(s, d, "cannot read the audit trail");
	}
	if (!broke && np > 0)
		verify_pending(p, np, &v);
	free(p);
	memcpy(r->head_hash, v.last_id ? v.last_hash : "", v.last_id ? sizeof r->head_hash : 1);
	r->head_id = v.last_id;
	return 0;
}

int store_audit_verify_part(struct store *s, int64_t from_id, int64_t upto_id,
			    struct store_audit_part *p, struct diag *d)
{
	memset(p, 0, sizeof *p);
	return verify_walk(s, from_id, upto_id, NULL, &p->r, p, d);
}

void store_audit_join(struct store_audit_result *r, const struct store_audit_part *p)
{
	int64_t before = r->nevents;

	if (r->bad_id != 0 || p->first_id == 0)
		return;		/* broken before p, or nothing in p */
	if (check_link(p->first_id, p->first_prev_ok, p->first_prev, r->head_id,
	    r->head_id ? r->head_hash : GENESIS_HASH, r)) {
		r->nevents++;
		return;
	}
	*r = p->r;
	r->nevents += before;
}

int store_audit_verify_upto(struct store *s, int64_t upto_id, struct store_audit_result *r,
			    struct diag *d)
{
	return verify_walk(s, 1, upto_id, NULL, r, NULL, d);
}

static const char SQL_AUDIT_HEAD_TABLE[] =
	"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'";
static const char SQL_AUDIT_HEAD_TABLE_PG[] = "SELECT 1";	/* in every version */
static const char SQL_AUDIT_RECORDED[] = "SELECT id, hash FROM audit_head";

int store_audit_end(struct store *s, struct store_audit_end *e, struct diag *d)
{
	struct db_stmt *st;
	int rc, has_table = 0;

	memset(e, 0, sizeof *e);
	e->recorded_id = -1;
	if (store_audit_head(s, &e->last_id, e->last_hash, d) < 0)
		return -1;
	if ((st = store_cached(s, s->pg ? SQL_EVENT_SEQ_PG : SQL_EVENT_SEQ, d)) == NULL)
		return -1;
	if ((rc = db_step(st)) == SQLITE_ROW)
		e->seq = db_column_int64(st, 0);
	db_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the audit trail's sequence");
	/* a database not yet migrated (opened read-only) has no recorded head */
	if ((st = store_cached(s, s->pg ? SQL_AUDIT_HEAD_TABLE_PG : SQL_AUDIT_HEAD_TABLE, d)) == NULL)
		return -1;
	if (db_step(st) == SQLITE_ROW)
		has_table = db_column_int(st, 0) > 0;
	db_reset(st);
	if (!has_table)
		return 0;
	if (store_prepare(s, &st, SQL_AUDIT_RECORDED, d) < 0)
		return -1;
	if ((rc = db_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)db_column_text(st, 1);

		e->recorded_id = db_column_int64(st, 0);
		snprintf(e->recorded_hash, sizeof e->recorded_hash, "%s", h ? h : "");
	}
	db_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the recorded audit head");
	if (rc == SQLITE_DONE)
		e->recorded_id = -2;	/* the row itself was deleted */
	return 0;
}

void store_audit_check_end(const struct store_audit_end *e, struct store_audit_result *r)
{
	int64_t head = r->head_id;

	if (r->bad_id != 0)
		return;
	if (e->seq > head) {
		r->bad_id = head + 1;
		snprintf(r->problem, sizeof r->problem, "events %lld..%lld at the end are "
		    "missing (deleted): ids up to %lld were given out", (long long)head + 1,
		    (long long)e->seq, (long long)e->seq);
	} else if (e->recorded_id == -2) {
		r->bad_id = head + 1;
		snprintf(r->problem, sizeof r->problem, "the recorded head of the trail "
		    "was deleted, so events may be missing at the end");
	} else if (e->recorded_id > head) {
		r->bad_id = head + 1;
		snprintf(r->problem, sizeof r->problem, "events %lld..%lld at the end are "
		    "missing (deleted): the head recorded at the last append is event %lld",
		    (long long)head + 1, (long long)e->recorded_id, (long long)e->recorded_id);
	} else if (e->recorded_id >= 0 && e->recorded_id < head) {
		r->bad_id = e->recorded_id + 1;
		snprintf(r->problem, sizeof r->problem, "it was added behind slatrack's back: "
		    "the head recorded at the last append is event %lld", (long long)e->recorded_id);
	} else if (e->recorded_id == head && head > 0 &&
	    strcmp(e->recorded_hash, r->head_hash) != 0) {
		r->bad_id = head;
		snprintf(r->problem, sizeof r->problem, "its hash differs from the one "
		    "recorded when it was appended: the trail was rewritten");
	}
}

int store_audit_verify_head(struct store *s, const struct store_audit_anchor *a,
			    struct store_audit_result *r, struct diag *d)
{
	struct store_audit_end e;
	int own_tx = 0, rc = -1;

	/* the end and the walk must see one snapshot: an event appended in
	 * between would look like one deleted at the end */
	if (!s->in_tx && store_autocommit(s)) {
		if (store_exec(s, "BEGIN", d) < 0)
			return -1;
		own_tx = 1;
	}
	if (store_audit_end(s, &e, d) == 0 && verify_walk(s, 1, e.last_id, a, r, NULL, d) == 0) {
		store_audit_check_end(&e, r);
		rc = 0;
	}
	if (own_tx)
		store_exec_quietly(s, rc == 0 ? "COMMIT" : "ROLLBACK");
	return rc;
}

int store_audit_verify(struct store *s, struct store_audit_result *r, struct diag *d)
{
	return store_audit_verify_head(s, NULL, r, d);
}

int store_audit_head(struct store *s, int64_t *id, char hash[65], struct diag *d)
{
	struct db_stmt *st;
	int rc;

	*id = 0;
	hash[0] = '\0';
	if ((st = store_cached(s, SQL_EVENT_HEAD, d)) == NULL)
		return -1;
	rc = db_step(st);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)db_column_text(st, 1);

		*id = db_column_int64(st, 0);
		snprintf(hash, 65, "%s", h ? h : "");
	}
	db_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the audit trail's head");
	return 0;
}
