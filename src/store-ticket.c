/* store-ticket.c: the tickets table; see store.h ("tickets").
 *
 * Every write checks the ticket first (store_ticket_check: text is valid
 * UTF-8, identifiers hold no control characters, the summary is not empty,
 * instants are in order) so bad input is DIAG_INPUT naming the field, not
 * a constraint failure, and it records its audit events in the same
 * transaction as the change.  A write opens its own transaction unless the
 * caller has one open (an import, a recompute); then a failure leaves the
 * rollback to the caller.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "civil.h"
#include "store-internal.h"
#include "text.h"

#define TICKET_KEY_MAX 200		/* bytes */
#define TICKET_TEXT_MAX 65536		/* bytes, summary, customer, notes */
#define TICKET_NAME_MAX 200		/* bytes, assignee, responded_by */

void store_ticket_init(struct store_ticket *t)
{
	memset(t, 0, sizeof *t);
	t->severity = STORE_SEV_CRITICAL;
	t->created_at = STORE_NONE;
	t->target_s = STORE_NONE;
	t->deadline_at = STORE_NONE;
	t->first_response_at = STORE_NONE;
	t->resolved_at = STORE_NONE;
	t->updated_at = STORE_NONE;
	t->resolve_target_s = STORE_NONE;
	t->resolve_deadline_at = STORE_NONE;
	t->waiting_since = STORE_NONE;
	t->excused_at = STORE_NONE;
}

void store_ticket_release(struct store_ticket *t)
{
	free(t->key);
	free(t->partner_key);
	free(t->summary);
	free(t->customer);
	free(t->assignee);
	free(t->responded_by);
	free(t->excuse_reason);
	free(t->excuse_ref);
	store_ticket_init(t);
}

static char *dup_or_null(const char *s, int *failed)
{
	char *c;

	if (s == NULL)
		return NULL;
	if ((c = strdup(s)) == NULL)
		*failed = 1;
	return c;
}

/* Every field of src with its strings copied: 0, or -1 out of memory
 * (dst released). */
int store_ticket_copy(struct store_ticket *dst, const struct store_ticket *src,
		      struct diag *d)
{
	int failed = 0;

	*dst = *src;
	dst->key = dup_or_null(src->key, &failed);
	dst->partner_key = dup_or_null(src->partner_key, &failed);
	dst->summary = dup_or_null(src->summary, &failed);
	dst->customer = dup_or_null(src->customer, &failed);
	dst->assignee = dup_or_null(src->assignee, &failed);
	dst->responded_by = dup_or_null(src->responded_by, &failed);
	dst->excuse_reason = dup_or_null(src->excuse_reason, &failed);
	dst->excuse_ref = dup_or_null(src->excuse_ref, &failed);
	if (failed) {
		store_ticket_release(dst);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	return 0;
}

void store_ticket_list_free(struct store_ticket *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		store_ticket_release(&v[i]);
	free(v);
}

void store_ticket_filter_init(struct store_ticket_filter *f)
{
	memset(f, 0, sizeof *f);
	f->severity = -1;
	f->deadline_from = STORE_NONE;
	f->deadline_to = STORE_NONE;
	f->id_from = STORE_NONE;
	f->id_to = STORE_NONE;
}

/* ---- validation ----------------------------------------------------------- */

enum text_rule {
	TEXT_ANY = 0,			/* any valid UTF-8 (shown sanitised) */
	TEXT_NO_CONTROLS = 1 << 0,	/* identifiers: no C0, DEL or C1 */
	TEXT_NOT_EMPTY = 1 << 1
};

static int check_text(const char *field, const char *v, unsigned rules, size_t max,
		      struct diag *d)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t len, i = 0;

	if (v == NULL || *v == '\0') {
		if (rules & TEXT_NOT_EMPTY)
			return diag_set(d, DIAG_INPUT, "%s: must not be empty", field);
		return 0;
	}
	len = strlen(v);
	if (len > max)
		return diag_set(d, DIAG_INPUT, "%s: too long (%zu bytes, at most %zu)",
		    field, len, max);
	while (i < len) {
		unsigned cp;
		size_t n = text_utf8_len(p + i, len - i, &cp);

		if (n == 0)
			return diag_set(d, DIAG_INPUT, "%s: invalid UTF-8 at byte %zu", field,
			    i + 1);
		if ((rules & TEXT_NO_CONTROLS) &&
		    (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)))
			return diag_set(d, DIAG_INPUT, "%s: control character at byte %zu",
			    field, i + 1);
		i += n;
	}
	return 0;
}

/* The invariants of a ticket row, with messages naming the field. */
static int ticket_check(const struct store_ticket *t, struct diag *d)
{
	char a[CIVIL_ISO_LEN], b[CIVIL_ISO_LEN];

	if (t->key != NULL && *t->key == '\0')
		return diag_set(d, DIAG_INPUT, "key: must not be empty (leave it out instead)");
	if (check_text("key", t->key, TEXT_NO_CONTROLS, TICKET_KEY_MAX, d) < 0 ||
	    check_text("summary", t->summary, TEXT_NOT_EMPTY, TICKET_TEXT_MAX, d) < 0 ||
	    check_text("customer", t->customer, TEXT_ANY, TICKET_TEXT_MAX, d) < 0 ||
	    check_text("assignee", t->assignee, TEXT_NO_CONTROLS, TICKET_NAME_MAX, d) < 0 ||
	    check_text("responded_by", t->responded_by, TEXT_NO_CONTROLS, TICKET_NAME_MAX,
	    d) < 0 ||
	    check_text("excuse reason", t->excuse_reason, TEXT_ANY, TICKET_TEXT_MAX, d) < 0 ||
	    check_text("excuse ref", t->excuse_ref, TEXT_NO_CONTROLS, TICKET_KEY_MAX, d) < 0)
		return -1;
	if (t->severity < 0 || t->severity >= STORE_NSEV)
		return diag_set(d, DIAG_INPUT, "severity: unknown severity %d", t->severity);
	if (t->partner_id <= 0)
		return diag_set(d, DIAG_INPUT, "partner: no partner given");
	if (t->created_at == STORE_NONE)
		return diag_set(d, DIAG_INPUT, "created: no creation instant");
	if ((t->target_s == STORE_NONE) != (t->deadline_at == STORE_NONE))
		return diag_set(d, DIAG_INPUT, "deadline: a target needs a deadline and "
		    "a deadline a target");
	if (t->target_s != STORE_NONE && t->target_s <= 0)
		return diag_set(d, DIAG_INPUT, "target: must be positive");
	if (t->deadline_at != STORE_NONE && t->deadline_at < t->created_at)
		return diag_set(d, DIAG_INPUT, "deadline: before the creation instant");
	if ((t->resolve_target_s == STORE_NONE) != (t->resolve_deadline_at == STORE_NONE))
		return diag_set(d, DIAG_INPUT, "resolve deadline: a resolution target needs "
		    "a deadline and a deadline a target");
	if (t->resolve_target_s != STORE_NONE && t->resolve_target_s <= 0)
		return diag_set(d, DIAG_INPUT, "resolve target: must be positive");
	if (t->resolve_deadline_at != STORE_NONE && t->resolve_deadline_at < t->created_at)
		return diag_set(d, DIAG_INPUT, "resolve deadline: before the creation instant");
	if (t->waiting_since != STORE_NONE && t->waiting_since < t->created_at)
		return diag_set(d, DIAG_INPUT, "waiting: before the ticket was created");
	if ((t->excused_at == STORE_NONE) != (t->excuse_reason == NULL ||
	    *t->excuse_reason == '\0'))
		return diag_set(d, DIAG_INPUT, "excuse: an excused breach needs a reason, "
		    "and a reason an excuse");
	if (t->excused_at == STORE_NONE && t->excuse_ref != NULL)
		return diag_set(d, DIAG_INPUT, "excuse ref: only an excused breach has one");
	civil_format_utc(t->created_at, b);
	if (t->first_response_at != STORE_NONE && t->first_response_at < t->created_at) {
		civil_format_utc(t->first_response_at, a);
		return diag_set(d, DIAG_INPUT, "first_response: %s is before the ticket "
		    "was created (%s)", a, b);
	}
	if (t->resolved_at != STORE_NONE && t->resolved_at < t->created_at) {
		civil_format_utc(t->resolved_at, a);
		return diag_set(d, DIAG_INPUT, "resolved: %s is before the ticket was "
		    "created (%s)", a, b);
	}
	return 0;
}

/* ---- shared helpers ------------------------------------------------------- */

static int tx_open(struct store *s, int *own, struct diag *d)
{
	*own = !s->in_tx;
	return *own ? store_begin(s, d) : 0;
}

static int tx_close(struct store *s, int own, int rc, struct diag *d)
{
	if (!own)
		return rc;
	if (rc < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, d);
}

static const char SQL_PARTNER_KEY[] =
	"SELECT key, archived_at FROM partners WHERE id = ?1";

/* The key of partner id into out (DIAG_INPUT when there is none). */
static int partner_key(struct store *s, int64_t id, char *out, size_t size,
		       struct diag *d)
{
	struct db_stmt *st;
	int rc;

	for (size_t i = 0; i < s->ntx_partners; i++)
		if (s->tx_partners[i].id == id) {
			snprintf(out, size, "%s", s->tx_partners[i].key);
			return 0;
		}
	if ((st = store_cached(s, SQL_PARTNER_KEY, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == SQLITE_ROW)
		snprintf(out, size, "%s", (const char *)db_column_text(st, 0));
	db_reset(st);
	if (rc == SQLITE_ROW && s->in_tx && s->ntx_partners < STORE_TX_PARTNERS &&
	    strlen(out) < sizeof s->tx_partners[0].key) {
		s->tx_partners[s->ntx_partners].id = id;
		snprintf(s->tx_partners[s->ntx_partners++].key, sizeof s->tx_partners[0].key,
		    "%s", out);
	}
	if (rc == SQLITE_DONE)
		return diag_set(d, DIAG_INPUT, "partner: unknown partner #%lld", (long long)id);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "cannot read partner #%lld", (long long)id);
	return 0;
}

static const char SQL_KEY_OWNER[] = "SELECT id FROM tickets WHERE key = ?1";

/* A key already used by a ticket other than self_id is DIAG_INPUT. */
static int key_unused(struct store *s, const char *key, int64_t self_id, struct diag *d)
{
	struct db_stmt *st;
	int64_t owner = 0;
	int rc;

	if (key == NULL)
		return 0;
	if ((st = store_cached(s, SQL_KEY_OWNER, d)) == NULL)
		return -1;
	store_bind_text(st, 1, key);
	rc = db_step(st);
	if (rc == SQLITE_ROW)
		owner = db_column_int64(st, 0);
	db_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot look up ticket key");
	if (owner != 0 && owner != self_id) {
		struct buf b = BUF_INIT;

		text_add_safe(&b, key, 0);
		diag_set(d, DIAG_INPUT, "key: duplicate key '%s' (ticket #%lld has it)",
		    buf_str(&b), (long long)owner);
		buf_release(&b);
		return -1;
	}
	return 0;
}

/* ---- add ---------------------------------------------------------------------- */

static const char SQL_TICKET_ADD[] =
	"INSERT INTO tickets (key, partner_id, severity, summary, customer, assignee,"
	" created_at, target_s, deadline_at, first_response_at, responded_by, resolved_at,"
	" updated_at, resolve_target_s, resolve_deadline_at, waiting_since, waiting_response,"
	" excused_at, excuse_reason, excuse_ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	" ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
	" ON CONFLICT (key) DO NOTHING";
/* PostgreSQL: the same with the id the store gives (?21); _NEW for a key
 * known to be free, which reads nothing back. */
#define SQL_TICKET_INSERT_ID_PG \
	"INSERT INTO tickets (key, partner_id, severity, summary, customer, assignee," \
	" created_at, target_s, deadline_at, first_response_at, responded_by, resolved_at," \
	" updated_at, resolve_target_s, resolve_deadline_at, waiting_since, waiting_response," \
	" excused_at, excuse_reason, excuse_ref, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8," \
	" ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"
static const char SQL_TICKET_ADD_PG[] =
	SQL_TICKET_INSERT_ID_PG " ON CONFLICT (key) DO NOTHING RETURNING id";
static const char SQL_TICKET_NEW_PG[] = SQL_TICKET_INSERT_ID_PG;

/* The ticket's columns and updated_at = at as parameters first..first+19,
 * in the column order of SQL_TICKET_ADD (SQL_TICKET_UPDATE puts the id
 * before them). */
static void bind_ticket(struct db_stmt *st, int first, const struct store_ticket *t,
			int64_t at)
{
	store_bind_text(st, first, t->key);
	db_bind_int64(st, first + 1, t->partner_id);
	db_bind_text(st, first + 2, store_severity_name(t->severity), -1, SQLITE_STATIC);
	store_bind_text(st, first + 3, t->summary);
	store_bind_text(st, first + 4, t->customer);
	store_bind_text(st, first + 5, t->assignee);
	db_bind_int64(st, first + 6, t->created_at);
	store_bind_instant(st, first + 7, t->target_s);
	store_bind_instant(st, first + 8, t->deadline_at);
	store_bind_instant(st, first + 9, t->first_response_at);
	store_bind_text(st, first + 10, t->responded_by);
	store_bind_instant(st, first + 11, t->resolved_at);
	db_bind_int64(st, first + 12, at);
	store_bind_instant(st, first + 13, t->resolve_target_s);
	store_bind_instant(st, first + 14, t->resolve_deadline_at);
	store_bind_instant(st, first + 15, t->waiting_since);
	db_bind_int(st, first + 16, t->waiting_response != 0);
	store_bind_instant(st, first + 17, t->excused_at);
	store_bind_text(st, first + 18, t->excuse_reason);
	store_bind_text(st, first + 19, t->excuse_ref);
}

/* "partner=acme severity=critical created=...Z target=86400 deadline=...Z"
 * and the response/resolution when the ticket arrives with them, after
 * "ORIGIN: " when there is an origin. */
static void describe_new(struct buf *b, const char *origin, const struct store_ticket *t,
			 const char *pkey)
{
	char iso[CIVIL_ISO_LEN];

	if (origin != NULL)
		buf_addl(b, origin, ": ", NULL);
	buf_addl(b, "partner=", pkey, " severity=", store_severity_name(t->severity), NULL);
	civil_format_utc(t->created_at, iso);
	buf_addl(b, " created=", iso, NULL);
	if (t->target_s != STORE_NONE) {
		char target[STORE_TEXT_LEN];

		store_duration_format(t->target_s, target);
		civil_format_utc(t->deadline_at, iso);
		buf_addl(b, " target=", target, " deadline=", iso, NULL);
	} else
		buf_adds(b, " target=none");
	if (t->resolve_target_s != STORE_NONE) {
		char target[STORE_TEXT_LEN];

		store_duration_format(t->resolve_target_s, target);
		civil_format_utc(t->resolve_deadline_at, iso);
		buf_addl(b, " resolve_target=", target, " resolve_deadline=", iso, NULL);
	}
	if (t->first_response_at != STORE_NONE) {
		civil_format_utc(t->first_response_at, iso);
		buf_addl(b, " first_response=", iso, NULL);
	}
	if (t->resolved_at != STORE_NONE) {
		civil_format_utc(t->resolved_at, iso);
		buf_addl(b, " resolved=", iso, NULL);
	}
}

int store_ticket_add(struct store *s, struct store_ticket *t, const char *actor,
		     int64_t at, struct diag *d)
{
	return store_ticket_add_as(s, t, "ticket.create", NULL, actor, at, d);
}

static const char SQL_TICKET_MAX_ID[] = "SELECT coalesce(max(id), 0) FROM tickets";

/* PostgreSQL: the id of the next ticket, read once per write transaction
 * (its advisory lock keeps every other writer out until it ends). */
static int next_ticket_id(struct store *s, int64_t *id, struct diag *d)
{
	struct db_stmt *st;
	int rc;

	if (s->tx_next_ticket == 0) {
		if ((st = store_cached(s, SQL_TICKET_MAX_ID, d)) == NULL)
			return -1;
		rc = db_step(st);
		if (rc == SQLITE_ROW)
			s->tx_next_ticket = db_column_int64(st, 0) + 1;
		db_reset(st);
		if (rc != SQLITE_ROW)
			return store_fail(s, d, "cannot read the ticket ids");
	}
	*id = s->tx_next_ticket;
	return 0;
}

/* SQLite numbers the ticket (no RETURNING: SQLite's made an import of
 * 100,000 tickets three times slower, spilling its pages per row). */
static int insert_ticket_lite(struct store *s, const struct store_ticket *t, int64_t at,
			      int64_t *id, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_TICKET_ADD, d);
	int step;

	if (st == NULL)
		return -1;
	bind_ticket(st, 1, t, at);
	step = db_step(st);
	db_reset(st);
	if (step != SQLITE_DONE)
		return store_fail(s, d, "cannot add the ticket");
	if (store_changes(s) == 0) {	/* the key is taken */
		if (key_unused(s, t->key, 0, d) < 0)
			return -1;
		return store_fail(s, d, "cannot add the ticket");
	}
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Inserts t: SQLite numbers it; on PostgreSQL the store does.  key_free:
 * the caller knows the key is free, so nothing is read back.  A taken key
 * inserts nothing and is DIAG_INPUT (only then is its owner looked up). */
static int insert_ticket(struct store *s, const struct store_ticket *t, int64_t at,
			 int key_free, int64_t *id, struct diag *d)
{
	struct db_stmt *st;
	int step;

	*id = 0;
	if (s->pg == NULL)
		return insert_ticket_lite(s, t, at, id, d);
	if (next_ticket_id(s, id, d) < 0 ||
	    (st = store_cached(s, key_free ? SQL_TICKET_NEW_PG : SQL_TICKET_ADD_PG, d)) == NULL)
		return -1;
	bind_ticket(st, 1, t, at);
	db_bind_int64(st, 21, *id);
	step = db_step(st);
	if (step == SQLITE_ROW)
		*id = db_column_int64(st, 0);
	db_reset(st);
	if (step == SQLITE_DONE && key_free) {
		s->tx_next_ticket++;
		return 0;
	}
	if (step == SQLITE_DONE && key_unused(s, t->key, 0, d) < 0)
		return -1;
	if (step != SQLITE_ROW)
		return store_fail(s, d, "cannot add the ticket");
	s->tx_next_ticket++;
	return 0;
}

static int ticket_add(struct store *s, struct store_ticket *t, const char *kind,
		      const char *origin, const char *actor, int64_t at, int key_free,
		      struct diag *d)
{
	char pkey[128];
	struct buf b = BUF_INIT;
	int own, rc = -1;
	int64_t id;

	if (ticket_check(t, d) < 0)
		return -1;
	if (tx_open(s, &own, d) < 0)
		return -1;
	if (partner_key(s, t->partner_id, pkey, sizeof pkey, d) < 0 ||
	    insert_ticket(s, t, at, key_free, &id, d) < 0)
		goto out;
	describe_new(&b, origin, t, pkey);
	if (buf_failed(&b)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	if (store_event_add(s, at, actor, kind, id, t->partner_id, NULL, NULL,
	    buf_str(&b), d) < 0)
		goto out;
	t->id = id;
	t->updated_at = at;
	rc = 0;
out:
	buf_release(&b);
	rc = tx_close(s, own, rc, d);
	if (rc < 0)
		t->id = 0;
	return rc;
}

int store_ticket_add_as(struct store *s, struct store_ticket *t, const char *kind,
			const char *origin, const char *actor, int64_t at, struct diag *d)
{
	return ticket_add(s, t, kind, origin, actor, at, 0, d);
}

int store_ticket_add_new(struct store *s, struct store_ticket *t, const char *kind,
			 const char *origin, const char *actor, int64_t at, struct diag *d)
{
	return ticket_add(s, t, kind, origin, actor, at, s->in_tx, d);
}

/* SQL_TICKET_ADD for STORE_ADD_BATCH tickets: parameters 20 a row. */
#define TICKET_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
static const char SQL_TICKET_ADD_BATCH[] =
	"INSERT INTO tickets (key, partner_id, severity, summary, customer, assignee,"
	" created_at, target_s, deadline_at, first_response_at, responded_by, resolved_at,"
	" updated_at, resolve_target_s, resolve_deadline_at, waiting_since, waiting_response,"
	" excused_at, excuse_reason, excuse_ref) VALUES " STORE_REPEAT_BATCH(TICKET_ROW);

/* The batch's event texts ("ORIGIN: partner=... severity=..."), one
 * after the other with their NULs, into b at off[i]: 1 ready, 0 when a
 * ticket fails its checks or names an unknown partner, -1 on failure. */
static int batch_texts(struct store *s, struct store_ticket *const *t,
		       const char *const *origins, struct buf *b, size_t *off, struct diag *d)
{
	char pkey[128];

	for (size_t i = 0; i < STORE_ADD_BATCH; i++) {
		struct diag cd;

		diag_clear(&cd);
		if (ticket_check(t[i], &cd) < 0 ||
		    partner_key(s, t[i]->partner_id, pkey, sizeof pkey, &cd) < 0) {
			if (cd.code != DIAG_INPUT) {
				*d = cd;
				return -1;
			}
			return 0;
		}
		off[i] = b->len;
		describe_new(b, origins[i], t[i], pkey);
		buf_addc(b, '\0');
	}
	if (buf_failed(b))
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 1;
}

/* Inserts the batch: 1 all in (ids[] set), 0 a key was taken (SQLite
 * takes the whole statement back: nothing written), -1 store failure. */
static int batch_insert(struct store *s, struct store_ticket *const *t, int64_t at,
			int64_t *ids, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_TICKET_ADD_BATCH, d);
	int64_t last;
	int step;

	if (st == NULL)
		return -1;
	for (size_t i = 0; i < STORE_ADD_BATCH; i++)
		bind_ticket(st, 1 + 20 * (int)i, t[i], at);
	step = db_step(st);
	if (step != SQLITE_DONE && sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE) {
		db_reset(st);
		return 0;
	}
	db_reset(st);
	if (step != SQLITE_DONE)
		return store_fail(s, d, "cannot add the tickets");
	/* a rowid is the largest so far plus one: the batch is numbered
	 * last - STORE_ADD_BATCH + 1 .. last, in its order */
	last = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < STORE_ADD_BATCH; i++)
		ids[i] = last - STORE_ADD_BATCH + 1 + (int64_t)i;
	return 1;
}

int store_ticket_add_batch(struct store *s, struct store_ticket *const *t, const char *kind,
			   const char *const *origins, const char *actor, int64_t at,
			   int *added, struct diag *d)
{
	struct buf b = BUF_INIT;
	size_t off[STORE_ADD_BATCH];
	int64_t ids[STORE_ADD_BATCH], partners[STORE_ADD_BATCH];
	const char *texts[STORE_ADD_BATCH];
	int rc;

	*added = 0;
	if (s->pg != NULL || !s->in_tx)
		return 0;
	if ((rc = batch_texts(s, t, origins, &b, off, d)) <= 0 ||
	    (rc = batch_insert(s, t, at, ids, d)) <= 0)
		goto out;
	for (size_t i = 0; i < STORE_ADD_BATCH; i++) {
		texts[i] = b.data + off[i];
		partners[i] = t[i]->partner_id;
	}
	if ((rc = store_event_add_batch(s, at, actor, kind, ids, partners, NULL, NULL,
	    texts, d)) < 0)
		goto out;
	for (size_t i = 0; i < STORE_ADD_BATCH; i++) {
		t[i]->id = ids[i];
		t[i]->updated_at = at;
	}
	*added = 1;
out:
	buf_release(&b);
	return rc < 0 ? -1 : 0;
}

#define KEYS_BATCH 100

/* "SELECT key FROM tickets WHERE key IN (?1, ..., ?KEYS_BATCH)" */
static int keys_sql(struct buf *b)
{
	buf_adds(b, "SELECT key FROM tickets WHERE key IN (");
	for (int i = 1; i <= KEYS_BATCH; i++)
		buf_addf(b, "%s?%d", i > 1 ? ", " : "", i);
	buf_adds(b, ")");
	return buf_failed(b) ? -1 : 0;
}

/* Marks present[] for the keys[first..first+count) that st's answer names. */
static int keys_mark(struct db_stmt *st, const char *const *keys, size_t first, size_t count,
		     unsigned char *present)
{
	int rc;

	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)db_column_text(st, 0);

		for (size_t i = first; k != NULL && i < first + count; i++)
			if (keys[i] != NULL && strcmp(keys[i], k) == 0)
				present[i] = 1;
	}
	return rc;
}

int store_ticket_keys_present(struct store *s, const char *const *keys, size_t n,
			      unsigned char *present, struct diag *d)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	int rc = 1;

	if (s->pg == NULL)
		return 0;
	memset(present, 0, n);
	if (keys_sql(&sql) < 0) {
		buf_release(&sql);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	if (store_prepare(s, &st, buf_str(&sql), d) < 0) {
		buf_release(&sql);
		return -1;
	}
	buf_release(&sql);
	for (size_t first = 0; first < n && rc == 1; first += KEYS_BATCH) {
		size_t count = n - first < KEYS_BATCH ? n - first : KEYS_BATCH;

		for (int i = 0; i < KEYS_BATCH; i++)	/* a short batch repeats */
			store_bind_text(st, i + 1, keys[first + (size_t)i % count]);
		if (keys_mark(st, keys, first, count, present) != SQLITE_DONE)
			rc = store_fail(s, d, "cannot look up ticket keys");
		db_reset(st);
	}
	db_finalize(st);
	return rc;
}

/* ---- reads ------------------------------------------------------------------- */


/* The same columns without the join: a listing looks partner keys up
 * once per partner (struct partner_keys), not once per row. */
#define SCAN_COLUMNS \
	"SELECT t.id, t.key, t.partner_id, NULL, t.severity, t.summary, t.customer," \
	STORE_TICKET_INSTANTS " FROM tickets t"

static const char SQL_TICKET_BY_ID[] = STORE_TICKET_SELECT " WHERE t.id = ?1";
static const char SQL_TICKET_BY_KEY[] = STORE_TICKET_SELECT " WHERE t.key = ?1";

int store_ticket_from_row(struct db_stmt *st, struct store_ticket *t)
{
	store_ticket_init(t);
	t->id = db_column_int64(st, 0);
	t->key = store_column_dup(st, 1);
	t->partner_id = db_column_int64(st, 2);
	t->partner_key = store_column_dup(st, 3);
	t->severity = store_severity_from_text(db_column_text(st, 4));
	t->summary = store_column_dup(st, 5);
	t->customer = store_column_dup(st, 6);
	t->assignee = store_column_dup(st, 7);
	t->created_at = db_column_int64(st, 8);
	t->target_s = store_column_instant(st, 9);
	t->deadline_at = store_column_instant(st, 10);
	t->first_response_at = store_column_instant(st, 11);
	t->responded_by = store_column_dup(st, 12);
	t->resolved_at = store_column_instant(st, 13);
	t->updated_at = db_column_int64(st, 14);
	t->resolve_target_s = store_column_instant(st, 15);
	t->resolve_deadline_at = store_column_instant(st, 16);
	t->waiting_since = store_column_instant(st, 17);
	t->waiting_response = db_column_int(st, 18) != 0;
	t->excused_at = store_column_instant(st, 19);
	t->excuse_reason = store_column_dup(st, 20);
	t->excuse_ref = store_column_dup(st, 21);
	if ((t->key == NULL && db_column_type(st, 1) != SQLITE_NULL) ||
	    (t->excuse_reason == NULL && db_column_type(st, 20) != SQLITE_NULL) ||
	    (t->excuse_ref == NULL && db_column_type(st, 21) != SQLITE_NULL) ||
	    t->partner_key == NULL || t->summary == NULL ||
	    (t->customer == NULL && db_column_type(st, 6) != SQLITE_NULL) ||
	    (t->assignee == NULL && db_column_type(st, 7) != SQLITE_NULL) ||
	    (t->responded_by == NULL && db_column_type(st, 12) != SQLITE_NULL)) {
		store_ticket_release(t);
		return -1;
	}
	return 0;
}

/* One ticket by id or key; 0 found, 1 not found, -1 failure. */
static int ticket_lookup(struct store *s, const char *sql, int64_t id, const char *key,
			 struct store_ticket *t, struct diag *d)
{
	struct db_stmt *st = store_cached(s, sql, d);
	int rc, r = 1;

	if (st == NULL)
		return -1;
	if (key != NULL)
		store_bind_text(st, 1, key);
	else
		db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == SQLITE_ROW)
		r = store_ticket_from_row(st, t) < 0 ? -2 : 0;
	db_reset(st);
	if (r == -2)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read ticket");
	return r;
}

int store_ticket_get(struct store *s, const char *ref, struct store_ticket *t,
		     struct diag *d)
{
	struct store_ticket other;
	int64_t id = 0;
	int by_id = 1, by_key, hash = ref[0] == '#';
	struct buf b = BUF_INIT;

	store_ticket_init(t);
	if (civil_parse_i64(ref + hash, 1, INT64_MAX, &id) < 0) {
		if (hash) {
			text_add_safe(&b, ref, 0);
			diag_set(d, DIAG_INPUT, "bad ticket id '%s'", buf_str(&b));
			buf_release(&b);
			return -1;
		}
		id = 0;
	}
	if (id != 0 && (by_id = ticket_lookup(s, SQL_TICKET_BY_ID, id, NULL, t, d)) < 0)
		return -1;
	if (hash) {
		if (by_id == 0)
			return 0;
		return diag_set(d, DIAG_INPUT, "no ticket #%lld", (long long)id);
	}
	/* a bare reference may be an id or an external key */
	by_key = ticket_lookup(s, SQL_TICKET_BY_KEY, 0, ref, by_id == 0 ? &other : t, d);
	if (by_key < 0) {
		if (by_id == 0)
			store_ticket_release(t);
		return -1;
	}
	if (by_id == 0 && by_key == 0) {
		int same = other.id == t->id;

		if (!same) {
			text_add_safe(&b, ref, 0);
			diag_set(d, DIAG_INPUT, "ticket '%s' is ambiguous: it is the id of "
			    "ticket #%lld and the key of ticket #%lld; write #%lld or #%lld",
			    buf_str(&b), (long long)t->id, (long long)other.id,
			    (long long)t->id, (long long)other.id);
			store_ticket_release(t);
		}
		store_ticket_release(&other);
		buf_release(&b);
		return same ? 0 : -1;
	}
	if (by_id == 0 || by_key == 0)
		return 0;
	text_add_safe(&b, ref, 0);
	diag_set(d, DIAG_INPUT, "no ticket with id or key '%s'", buf_str(&b));
	buf_release(&b);
	return -1;
}

/* Fills t from the current row with strings borrowed from SQLite. */
static void ticket_borrow_row(struct db_stmt *st, struct store_ticket *t)
{
	t->id = db_column_int64(st, 0);
	t->key = (char *)db_column_text(st, 1);
	t->partner_id = db_column_int64(st, 2);
	t->partner_key = (char *)db_column_text(st, 3);
	t->severity = store_severity_from_text(db_column_text(st, 4));
	t->summary = (char *)db_column_text(st, 5);
	t->customer = (char *)db_column_text(st, 6);
	t->assignee = (char *)db_column_text(st, 7);
	t->created_at = db_column_int64(st, 8);
	t->target_s = store_column_instant(st, 9);
	t->deadline_at = store_column_instant(st, 10);
	t->first_response_at = store_column_instant(st, 11);
	t->responded_by = (char *)db_column_text(st, 12);
	t->resolved_at = store_column_instant(st, 13);
	t->updated_at = db_column_int64(st, 14);
	t->resolve_target_s = store_column_instant(st, 15);
	t->resolve_deadline_at = store_column_instant(st, 16);
	t->waiting_since = store_column_instant(st, 17);
	t->waiting_response = db_column_int(st, 18) != 0;
	t->excused_at = store_column_instant(st, 19);
	t->excuse_reason = (char *)db_column_text(st, 20);
	t->excuse_ref = (char *)db_column_text(st, 21);
}

/* The columns of a narrow scan (store_ticket_filter.narrow). */
#define SCAN_NARROW_COLUMNS \
	"SELECT t.id, t.key, t.partner_id, t.severity, t.summary, t.assignee," \
	" t.created_at, t.target_s, t.deadline_at, t.first_response_at, t.resolved_at," \
	" t.waiting_since, t.waiting_response, t.excused_at FROM tickets t"

/* ticket_borrow_row for SCAN_NARROW_COLUMNS: the other fields empty. */
static void ticket_borrow_narrow(struct db_stmt *st, struct store_ticket *t)
{
	t->id = db_column_int64(st, 0);
	t->key = (char *)db_column_text(st, 1);
	t->partner_id = db_column_int64(st, 2);
	t->partner_key = NULL;
	t->severity = store_severity_from_text(db_column_text(st, 3));
	t->summary = (char *)db_column_text(st, 4);
	t->customer = NULL;
	t->assignee = (char *)db_column_text(st, 5);
	t->created_at = db_column_int64(st, 6);
	t->target_s = store_column_instant(st, 7);
	t->deadline_at = store_column_instant(st, 8);
	t->first_response_at = store_column_instant(st, 9);
	t->responded_by = NULL;
	t->resolved_at = store_column_instant(st, 10);
	t->updated_at = 0;
	t->resolve_target_s = t->resolve_deadline_at = STORE_NONE;
	t->waiting_since = store_column_instant(st, 11);
	t->waiting_response = db_column_int(st, 12) != 0;
	t->excused_at = store_column_instant(st, 13);
	t->excuse_reason = t->excuse_ref = NULL;
}

struct partner_keys {
	struct {
		int64_t id;
		char key[72];		/* partner keys are at most 64 bytes */
	} v[64];
	size_t n, last;
};

/* The key of partner id: 1 found, 0 no such partner (a broken foreign
 * key: the row is skipped, as a join would), -1 failure. */
static int scan_partner_key(struct store *s, struct partner_keys *pk, int64_t id,
			    const char **key, struct diag *d)
{
	struct diag ignore;
	size_t i;

	if (pk->last < pk->n && pk->v[pk->last].id == id) {
		*key = pk->v[pk->last].key;
		return 1;
	}
	for (i = 0; i < pk->n; i++)
		if (pk->v[i].id == id) {
			pk->last = i;
			*key = pk->v[i].key;
			return 1;
		}
	if (pk->n == sizeof pk->v / sizeof pk->v[0])
		pk->n = 0;	/* many partners: start over, still a handful of lookups */
	diag_clear(&ignore);
	if (partner_key(s, id, pk->v[pk->n].key, sizeof pk->v[0].key, &ignore) < 0)
		return ignore.code == DIAG_INPUT ? 0 : (*d = ignore, -1);
	pk->v[pk->n].id = id;
	pk->last = pk->n++;
	*key = pk->v[pk->last].key;
	return 1;
}

/* Steps st (SCAN_COLUMNS, or SCAN_NARROW_COLUMNS when narrow) to its
 * end, fn on each row; fn's non-zero value stops it and is returned. */
static int scan_rows(struct store *s, struct db_stmt *st, int narrow, struct partner_keys *pk,
		     int (*fn)(const struct store_ticket *t, void *arg), void *arg,
		     struct diag *d)
{
	int rc, stop = 0, found;

	while ((rc = db_step(st)) == SQLITE_ROW) {
		struct store_ticket t;

		if (narrow)
			ticket_borrow_narrow(st, &t);
		else
			ticket_borrow_row(st, &t);
		if ((found = scan_partner_key(s, pk, t.partner_id,
		    (const char **)&t.partner_key, d)) < 0)
			return -1;
		if (found == 0)
			continue;
		if ((stop = fn(&t, arg)) != 0)
			return stop;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot list tickets");
	return 0;
}

int store_ticket_scan(struct store *s, const struct store_ticket_filter *f,
		      int (*fn)(const struct store_ticket *t, void *arg), void *arg,
		      struct diag *d)
{
	struct buf sql = BUF_INIT;
	struct partner_keys *pk;
	struct db_stmt *st = NULL;
	int rc, stop;

	/* only the conditions asked for, so SQLite can use the indexes */
	buf_adds(&sql, f->narrow ? SCAN_NARROW_COLUMNS " WHERE TRUE" : SCAN_COLUMNS " WHERE TRUE");
	if (f->open_only)
		buf_adds(&sql, " AND t.resolved_at IS NULL");
	if (f->partner_id != 0)
		buf_adds(&sql, " AND t.partner_id = ?1");
	if (f->assignee != NULL)
		buf_adds(&sql, " AND t.assignee = ?2");
	if (f->severity >= 0)
		buf_adds(&sql, " AND t.severity = ?3");
	if (f->deadline_from != STORE_NONE)
		buf_adds(&sql, " AND t.deadline_at >= ?4");
	if (f->deadline_to != STORE_NONE)
		buf_adds(&sql, " AND t.deadline_at < ?5");
	if (f->id_from != STORE_NONE)
		buf_adds(&sql, " AND t.id >= ?6");
	if (f->id_to != STORE_NONE)
		buf_adds(&sql, " AND t.id < ?7");
	buf_adds(&sql, " ORDER BY t.id");
	if (buf_failed(&sql)) {
		buf_release(&sql);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	if ((pk = malloc(sizeof *pk)) == NULL) {
		buf_release(&sql);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	pk->n = pk->last = 0;
	rc = store_prepare_scan(s, &st, buf_str(&sql), d);
	buf_release(&sql);
	if (rc < 0) {
		free(pk);
		return -1;
	}
	if (f->partner_id != 0)
		db_bind_int64(st, 1, f->partner_id);
	if (f->assignee != NULL)
		store_bind_text(st, 2, f->assignee);
	if (f->severity >= 0)
		db_bind_text(st, 3, store_severity_name(f->severity), -1, SQLITE_STATIC);
	if (f->deadline_from != STORE_NONE)
		db_bind_int64(st, 4, f->deadline_from);
	if (f->deadline_to != STORE_NONE)
		db_bind_int64(st, 5, f->deadline_to);
	if (f->id_from != STORE_NONE)
		db_bind_int64(st, 6, f->id_from);
	if (f->id_to != STORE_NONE)
		db_bind_int64(st, 7, f->id_to);
	stop = scan_rows(s, st, f->narrow, pk, fn, arg, d);
	db_finalize(st);
	free(pk);
	return stop;
}

/* The most urgent tickets still waiting for a first response, by
 * deadline through tickets_open: those due from now_at on, then those
 * past due, at most limit of each.  Each query's rows in deadline order. */
static const char *const SQL_TICKET_FIRST[2] = {
	SCAN_COLUMNS " WHERE t.resolved_at IS NULL AND t.first_response_at IS NULL"
	" AND t.deadline_at >= ?1 ORDER BY t.deadline_at LIMIT ?2",
	SCAN_COLUMNS " WHERE t.resolved_at IS NULL AND t.first_response_at IS NULL"
	" AND t.deadline_at < ?1 ORDER BY t.deadline_at LIMIT ?2",
};

int store_ticket_scan_first(struct store *s, int64_t now_at, size_t limit,
			    int (*fn)(const struct store_ticket *t, void *arg), void *arg,
			    struct diag *d)
{
	struct partner_keys *pk;
	int rc = 0;

	if ((pk = malloc(sizeof *pk)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	pk->n = pk->last = 0;
	for (int q = 0; q < 2 && rc == 0; q++) {
		struct db_stmt *st = NULL;

		if (store_prepare(s, &st, SQL_TICKET_FIRST[q], d) < 0) {
			rc = -1;
			break;
		}
		db_bind_int64(st, 1, now_at);
		db_bind_int64(st, 2, (int64_t)limit);
		rc = scan_rows(s, st, 0, pk, fn, arg, d);
		db_finalize(st);
	}
	free(pk);
	return rc;
}

struct list_state {
	struct store_ticket *v;
	size_t n, cap;
};

static int list_one(const struct store_ticket *t, void *arg)
{
	struct list_state *ls = arg;
	struct diag ignore;

	if (ls->n == ls->cap) {
		size_t ncap = ls->cap ? ls->cap * 2 : 256;
		struct store_ticket *q = realloc(ls->v, ncap * sizeof *q);

		if (q == NULL)
			return 1;
		ls->v = q;
		ls->cap = ncap;
	}
	if (store_ticket_copy(&ls->v[ls->n], t, &ignore) < 0)
		return 1;	/* out of memory: the caller says so */
	ls->n++;
	return 0;
}

int store_ticket_list(struct store *s, const struct store_ticket_filter *f,
		      struct store_ticket **v, size_t *n, struct diag *d)
{
	struct list_state ls = { NULL, 0, 0 };
	int rc = store_ticket_scan(s, f, list_one, &ls, d);

	*v = NULL;
	*n = 0;
	if (rc != 0) {
		store_ticket_list_free(ls.v, ls.n);
		return rc < 0 ? -1 : diag_set(d, DIAG_NOMEM, "out of memory");
	}
	*v = ls.v;
	*n = ls.n;
	return 0;
}

/* ---- update ----------------------------------------------------------------- */

static const char SQL_TICKET_UPDATE[] =
	"UPDATE tickets SET key = ?2, partner_id = ?3, severity = ?4, summary = ?5,"
	" customer = ?6, assignee = ?7, created_at = ?8, target_s = ?9, deadline_at = ?10,"
	" first_response_at = ?11, responded_by = ?12, resolved_at = ?13, updated_at = ?14,"
	" resolve_target_s = ?15, resolve_deadline_at = ?16, waiting_since = ?17,"
	" waiting_response = ?18, excused_at = ?19, excuse_reason = ?20, excuse_ref = ?21"
	" WHERE id = ?1 AND updated_at = ?22";

static int same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

struct change_ctx {
	struct store *s;
	const struct store_ticket *t;
	const char *kind, *actor;
	int64_t at;
	struct diag *d;
};

static int change(struct change_ctx *c, const char *field, const char *old_value,
		  const char *new_value)
{
	if (same_text(old_value, new_value))
		return 0;
	return store_event_add(c->s, c->at, c->actor, c->kind, c->t->id, c->t->partner_id,
	    field, old_value, new_value, c->d);
}

static int change_instant(struct change_ctx *c, const char *field, int64_t a, int64_t b)
{
	char x[CIVIL_ISO_LEN], y[CIVIL_ISO_LEN];

	if (a == b)
		return 0;
	if (a != STORE_NONE)
		civil_format_utc(a, x);
	if (b != STORE_NONE)
		civil_format_utc(b, y);
	return change(c, field, a == STORE_NONE ? NULL : x, b == STORE_NONE ? NULL : y);
}

/* durations in the shared text form ("24h", "1h30m") */
static int change_duration(struct change_ctx *c, const char *field, int64_t a, int64_t b)
{
	char x[STORE_TEXT_LEN], y[STORE_TEXT_LEN];

	if (a == b)
		return 0;
	store_duration_format(a, x);
	store_duration_format(b, y);
	return change(c, field, a == STORE_NONE ? NULL : x, b == STORE_NONE ? NULL : y);
}

int store_ticket_update(struct store *s, const struct store_ticket *old,
			const struct store_ticket *t, const char *kind, const char *actor,
			int64_t at, struct diag *d)
{
	struct change_ctx c = { s, t, kind, actor, at, d };
	char oldp[128], newp[128];
	struct db_stmt *st;
	int own, rc = -1, step;

	if (old->id != t->id || t->id <= 0)
		return diag_set(d, DIAG_INPUT, "ticket: the old and new ticket differ in id");
	if (ticket_check(t, d) < 0)
		return -1;
	if (tx_open(s, &own, d) < 0)
		return -1;
	if (partner_key(s, old->partner_id, oldp, sizeof oldp, d) < 0 ||
	    partner_key(s, t->partner_id, newp, sizeof newp, d) < 0 ||
	    key_unused(s, t->key, t->id, d) < 0)
		goto out;
	if ((st = store_cached(s, SQL_TICKET_UPDATE, d)) == NULL)
		goto out;
	db_bind_int64(st, 1, t->id);
	bind_ticket(st, 2, t, at);
	db_bind_int64(st, 22, old->updated_at);
	step = db_step(st);
	db_reset(st);
	if (step != SQLITE_DONE) {
		store_fail(s, d, "cannot update ticket #%lld", (long long)t->id);
		goto out;
	}
	if (store_changes(s) != 1) {
		diag_set(d, DIAG_STORE, "ticket #%lld was changed or removed meanwhile; "
		    "read it again and retry", (long long)t->id);
		goto out;
	}
	if (change(&c, "key", old->key, t->key) < 0 ||
	    change(&c, "partner", oldp, newp) < 0 ||
	    change(&c, "severity", store_severity_name(old->severity),
	    store_severity_name(t->severity)) < 0 ||
	    change(&c, "summary", old->summary, t->summary) < 0 ||
	    change(&c, "customer", old->customer, t->customer) < 0 ||
	    change(&c, "assignee", old->assignee, t->assignee) < 0 ||
	    change_instant(&c, "created", old->created_at, t->created_at) < 0 ||
	    change_duration(&c, "target", old->target_s, t->target_s) < 0 ||
	    change_instant(&c, "deadline", old->deadline_at, t->deadline_at) < 0 ||
	    change_instant(&c, "first_response", old->first_response_at,
	    t->first_response_at) < 0 ||
	    change(&c, "responded_by", old->responded_by, t->responded_by) < 0 ||
	    change_instant(&c, "resolved", old->resolved_at, t->resolved_at) < 0 ||
	    change_duration(&c, "resolve_target", old->resolve_target_s,
	    t->resolve_target_s) < 0 ||
	    change_instant(&c, "resolve_deadline", old->resolve_deadline_at,
	    t->resolve_deadline_at) < 0 ||
	    change_instant(&c, "waiting", old->waiting_since, t->waiting_since) < 0 ||
	    change(&c, "waiting_response", old->waiting_response ? "yes" : "no",
	    t->waiting_response ? "yes" : "no") < 0 ||
	    change_instant(&c, "excused", old->excused_at, t->excused_at) < 0 ||
	    change(&c, "excuse_reason", old->excuse_reason, t->excuse_reason) < 0 ||
	    change(&c, "excuse_ref", old->excuse_ref, t->excuse_ref) < 0)
		goto out;
	rc = 0;
out:
	return tx_close(s, own, rc, d);
}

/* ---- recompute's move ------------------------------------------------------- */

static const char SQL_TICKET_MOVE[] =
	"UPDATE tickets SET target_s = ?2, deadline_at = ?3, resolve_target_s = ?4,"
	" resolve_deadline_at = ?5, updated_at = ?6 WHERE id = ?1 AND updated_at = ?7";

/* The invariants of ticket_check that concern the clocks alone (the
 * creation instant is not at hand: a recompute counts from it). */
static int clocks_check(const struct store_clocks *c, struct diag *d)
{
	if ((c->target_s == STORE_NONE) != (c->deadline_at == STORE_NONE))
		return diag_set(d, DIAG_INPUT, "deadline: a target needs a deadline and "
		    "a deadline a target");
	if (c->target_s != STORE_NONE && c->target_s <= 0)
		return diag_set(d, DIAG_INPUT, "target: must be positive");
	if ((c->resolve_target_s == STORE_NONE) != (c->resolve_deadline_at == STORE_NONE))
		return diag_set(d, DIAG_INPUT, "resolve deadline: a resolution target needs "
		    "a deadline and a deadline a target");
	if (c->resolve_target_s != STORE_NONE && c->resolve_target_s <= 0)
		return diag_set(d, DIAG_INPUT, "resolve target: must be positive");
	return 0;
}

/* The text of the clocks that moved: at most four "name=value", each
 * well under 64 bytes. */
#define CLOCKS_TEXT_LEN 256

/* Appends s to out (holding *len bytes), cut at CLOCKS_TEXT_LEN - 1. */
static void clocks_add(char out[CLOCKS_TEXT_LEN], size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (n > CLOCKS_TEXT_LEN - 1 - *len)
		n = CLOCKS_TEXT_LEN - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

/* Appends "name=24h" (a duration) or "name=2026-01-12T11:00:00Z" to out,
 * a space before when out is not empty.  No printf: this runs for every
 * moved ticket. */
static void clock_text(char out[CLOCKS_TEXT_LEN], const char *name, int64_t v, int duration)
{
	char text[CIVIL_ISO_LEN + STORE_TEXT_LEN];
	size_t len = strlen(out);

	if (v == STORE_NONE)
		memcpy(text, "none", 5);
	else if (duration)
		store_duration_format(v, text);
	else
		civil_format_utc(v, text);
	if (len > 0)
		clocks_add(out, &len, " ");
	clocks_add(out, &len, name);
	clocks_add(out, &len, "=");
	clocks_add(out, &len, text);
}

/* The clocks that differ between a and b, as "target=24h deadline=...Z"
 * of a into old and of b into new. */
static void clocks_diff(const struct store_clocks *a, const struct store_clocks *b,
			char old[CLOCKS_TEXT_LEN], char new[CLOCKS_TEXT_LEN])
{
	old[0] = new[0] = '\0';
	if (a->target_s != b->target_s) {
		clock_text(old, "target", a->target_s, 1);
		clock_text(new, "target", b->target_s, 1);
	}
	if (a->deadline_at != b->deadline_at) {
		clock_text(old, "deadline", a->deadline_at, 0);
		clock_text(new, "deadline", b->deadline_at, 0);
	}
	if (a->resolve_target_s != b->resolve_target_s) {
		clock_text(old, "resolve_target", a->resolve_target_s, 1);
		clock_text(new, "resolve_target", b->resolve_target_s, 1);
	}
	if (a->resolve_deadline_at != b->resolve_deadline_at) {
		clock_text(old, "resolve_deadline", a->resolve_deadline_at, 0);
		clock_text(new, "resolve_deadline", b->resolve_deadline_at, 0);
	}
}

/* The texts of a move's event into old and new: 1 something moves, 0
 * nothing does (nothing to write), -1 a bad move. */
static int move_texts(const struct store_ticket_move *m, char old[CLOCKS_TEXT_LEN],
		      char new[CLOCKS_TEXT_LEN], struct diag *d)
{
	if (m->id <= 0)
		return diag_set(d, DIAG_INPUT, "ticket: no ticket id");
	if (clocks_check(&m->to, d) < 0)
		return -1;
	clocks_diff(&m->from, &m->to, old, new);
	return old[0] != '\0';
}

/* The UPDATE of a move, refused when the ticket changed since it was read. */
static int move_update(struct store *s, const struct store_ticket_move *m, int64_t at,
		       struct diag *d)
{
	struct db_stmt *st;
	int step;

	if ((st = store_cached(s, SQL_TICKET_MOVE, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, m->id);
	store_bind_instant(st, 2, m->to.target_s);
	store_bind_instant(st, 3, m->to.deadline_at);
	store_bind_instant(st, 4, m->to.resolve_target_s);
	store_bind_instant(st, 5, m->to.resolve_deadline_at);
	db_bind_int64(st, 6, at);
	db_bind_int64(st, 7, m->updated_at);
	step = db_step(st);
	db_reset(st);
	if (step != SQLITE_DONE)
		return store_fail(s, d, "cannot update ticket #%lld", (long long)m->id);
	if (store_changes(s) != 1)
		return diag_set(d, DIAG_STORE, "ticket #%lld was changed or removed meanwhile; "
		    "read it again and retry", (long long)m->id);
	return 0;
}

int store_ticket_move(struct store *s, const struct store_ticket_move *m, const char *actor,
		      int64_t at, struct diag *d)
{
	char old[CLOCKS_TEXT_LEN], new[CLOCKS_TEXT_LEN];
	int own, rc;

	if ((rc = move_texts(m, old, new, d)) <= 0)
		return rc;	/* nothing moves: no write, so none without its event */
	if (tx_open(s, &own, d) < 0)
		return -1;
	if ((rc = move_update(s, m, at, d)) == 0)
		rc = store_event_add(s, at, actor, "ticket.recompute", m->id, m->partner_id,
		    "deadlines", old, new, d);
	return tx_close(s, own, rc, d);
}

/* The events of the moves written and not yet recorded (store_ticket_moves). */
struct move_events {
	int64_t ids[STORE_ADD_BATCH], partners[STORE_ADD_BATCH];
	char old[STORE_ADD_BATCH][CLOCKS_TEXT_LEN], new[STORE_ADD_BATCH][CLOCKS_TEXT_LEN];
	size_t n;
};

/* Records the pending events: a batch at once on SQLite, else one by one. */
static int move_events_flush(struct store *s, struct move_events *p, const char *actor,
			     int64_t at, struct diag *d)
{
	const char *olds[STORE_ADD_BATCH], *news[STORE_ADD_BATCH];

	if (p->n == STORE_ADD_BATCH && s->pg == NULL) {
		for (size_t i = 0; i < p->n; i++) {
			olds[i] = p->old[i];
			news[i] = p->new[i];
		}
		p->n = 0;
		return store_event_add_batch(s, at, actor, "ticket.recompute", p->ids,
		    p->partners, "deadlines", olds, news, d);
	}
	for (size_t i = 0; i < p->n; i++)
		if (store_event_add(s, at, actor, "ticket.recompute", p->ids[i], p->partners[i],
		    "deadlines", p->old[i], p->new[i], d) < 0)
			return -1;
	p->n = 0;
	return 0;
}

int store_ticket_moves(struct store *s, const struct store_ticket_move *m, size_t n,
		       const char *actor, int64_t at, struct diag *d)
{
	struct move_events *p = malloc(sizeof *p);
	int own, rc = 0;

	if (p == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	p->n = 0;
	if (tx_open(s, &own, d) < 0) {
		free(p);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = move_texts(&m[i], p->old[p->n], p->new[p->n], d)) <= 0 ||
		    (rc = move_update(s, &m[i], at, d)) < 0)
			continue;
		p->ids[p->n] = m[i].id;
		p->partners[p->n] = m[i].partner_id;
		rc = ++p->n == STORE_ADD_BATCH ? move_events_flush(s, p, actor, at, d) : 0;
	}
	if (rc == 0)
		rc = move_events_flush(s, p, actor, at, d);
	free(p);
	return tx_close(s, own, rc, d);
}

/* ---- notes ------------------------------------------------------------------- */

static const char SQL_TICKET_PARTNER[] = "SELECT partner_id FROM tickets WHERE id = ?1";

int store_ticket_note(struct store *s, int64_t ticket_id, const char *text,
		      const char *actor, int64_t at, struct diag *d)
{
	struct db_stmt *st;
	int64_t partner_id = 0;
	int own, rc = -1, step;

	if (check_text("note", text, TEXT_NOT_EMPTY, TICKET_TEXT_MAX, d) < 0)
		return -1;
	if (tx_open(s, &own, d) < 0)
		return -1;
	if ((st = store_cached(s, SQL_TICKET_PARTNER, d)) == NULL)
		goto out;
	db_bind_int64(st, 1, ticket_id);
	step = db_step(st);
	if (step == SQLITE_ROW)
		partner_id = db_column_int64(st, 0);
	db_reset(st);
	if (step == SQLITE_DONE) {
		diag_set(d, DIAG_INPUT, "no ticket #%lld", (long long)ticket_id);
		goto out;
	}
	if (step != SQLITE_ROW) {
		store_fail(s, d, "cannot read ticket #%lld", (long long)ticket_id);
		goto out;
	}
	rc = store_event_add(s, at, actor, "ticket.note", ticket_id, partner_id, "note",
	    NULL, text, d);
out:
	return tx_close(s, own, rc, d);
}

/* ---- undo -------------------------------------------------------------------- */

/* The kinds of write an undo reverts; anything else it refuses. */
static const char *const UNDOABLE[] = {
	"ticket.respond", "ticket.resolve", "ticket.reopen", "ticket.assign", "ticket.edit"
};

void store_ticket_change_release(struct store_ticket_change *c)
{
	for (size_t i = 0; i < c->n; i++)
		store_event_release(&c->ev[i]);
	free(c->ev);
	c->ev = NULL;
	c->n = 0;
}

static int event_copy(struct store_event *dst, const struct store_event *src)
{
	int failed = 0;

	memset(dst, 0, sizeof *dst);
	dst->id = src->id;
	dst->at = src->at;
	dst->ticket_id = src->ticket_id;
	dst->partner_id = src->partner_id;
	dst->actor = dup_or_null(src->actor, &failed);
	dst->kind = dup_or_null(src->kind, &failed);
	dst->field = dup_or_null(src->field, &failed);
	dst->old_value = dup_or_null(src->old_value, &failed);
	dst->new_value = dup_or_null(src->new_value, &failed);
	if (failed)
		store_event_release(dst);
	return failed ? -1 : 0;
}

static int same_write(const struct store_ticket_change *c, const struct store_event *e)
{
	const struct store_event *last;

	if (c->n == 0)
		return 0;
	last = &c->ev[c->n - 1];
	if (e->id != last->id + 1 || e->at != last->at || e->field == NULL ||
	    !same_text(e->actor, last->actor) || !same_text(e->kind, last->kind))
		return 0;
	for (size_t i = 0; i < c->n; i++)	/* a field twice: a second write */
		if (c->ev[i].field == NULL || strcmp(c->ev[i].field, e->field) == 0)
			return 0;
	return 1;
}

/* Keeps the events of the ticket's latest write: one write records its
 * events back to back, with one instant, actor and kind, a field once. */
static int collect_last(const struct store_event *e, void *arg)
{
	struct store_ticket_change *c = arg;
	struct store_event *v;

	if (!same_write(c, e))
		store_ticket_change_release(c);
	if ((v = realloc(c->ev, (c->n + 1) * sizeof *v)) == NULL) {
		store_ticket_change_release(c);
		return c->n = (size_t)-1, 1;
	}
	c->ev = v;
	if (event_copy(&c->ev[c->n], e) < 0) {
		store_ticket_change_release(c);
		return c->n = (size_t)-1, 1;
	}
	c->n++;
	return 0;
}

static const char SQL_PARTNER_ID[] = "SELECT id FROM partners WHERE key = ?1";

static int partner_id_of(struct store *s, const char *key, int64_t *id, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_PARTNER_ID, d);
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, key);
	rc = db_step(st);
	if (rc == SQLITE_ROW)
		*id = db_column_int64(st, 0);
	db_reset(st);
	if (rc == SQLITE_DONE)
		return diag_set(d, DIAG_INPUT, "partner: partner '%s' no longer exists", key);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "cannot look up partner '%s'", key);
	return 0;
}

static int set_dup(char **dst, const char *v, struct diag *d)
{
	char *c = NULL;

	if (v != NULL && (c = strdup(v)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	free(*dst);
	*dst = c;
	return 0;
}

static int parse_recorded(const char *field, const char *v, int64_t *out, int duration,
			  struct diag *d)
{
	enum civil_instant_kind kind;

	if (v == NULL) {
		*out = STORE_NONE;
		return 0;
	}
	if (duration ? civil_parse_duration(v, out) < 0 :
	    civil_parse_instant(v, out, &kind) < 0 || kind != CIVIL_INSTANT_UTC)
		return diag_set(d, DIAG_INPUT, "%s: cannot read the recorded value '%s'",
		    field, v);
	return 0;
}

/* The value of one field of t as its events record it (into tmp). */
static const char *field_now(const struct store_ticket *t, const char *field,
			     char tmp[CIVIL_ISO_LEN + STORE_TEXT_LEN])
{
	int64_t v;

	if (strcmp(field, "key") == 0)
		return t->key;
	if (strcmp(field, "partner") == 0)
		return t->partner_key;
	if (strcmp(field, "severity") == 0)
		return store_severity_name(t->severity);
	if (strcmp(field, "summary") == 0)
		return t->summary;
	if (strcmp(field, "customer") == 0)
		return t->customer;
	if (strcmp(field, "assignee") == 0)
		return t->assignee;
	if (strcmp(field, "responded_by") == 0)
		return t->responded_by;
	if (strcmp(field, "target") == 0) {
		if (t->target_s == STORE_NONE)
			return NULL;
		store_duration_format(t->target_s, tmp);
		return tmp;
	}
	if (strcmp(field, "created") == 0)
		v = t->created_at;
	else if (strcmp(field, "deadline") == 0)
		v = t->deadline_at;
	else if (strcmp(field, "first_response") == 0)
		v = t->first_response_at;
	else if (strcmp(field, "resolved") == 0)
		v = t->resolved_at;
	else
		return "?";
	if (v == STORE_NONE)
		return NULL;
	civil_format_utc(v, tmp);
	return tmp;
}

/* Sets one field of u back to the value the event recorded before. */
static int field_restore(struct store *s, struct store_ticket *u,
			 const struct store_event *e, struct diag *d)
{
	const char *f = e->field, *v = e->old_value;
	int64_t id = 0;

	if (strcmp(f, "key") == 0)
		return set_dup(&u->key, v, d);
	if (strcmp(f, "summary") == 0)
		return set_dup(&u->summary, v, d);
	if (strcmp(f, "customer") == 0)
		return set_dup(&u->customer, v, d);
	if (strcmp(f, "assignee") == 0)
		return set_dup(&u->assignee, v, d);
	if (strcmp(f, "responded_by") == 0)
		return set_dup(&u->responded_by, v, d);
	if (strcmp(f, "severity") == 0) {
		u->severity = store_severity_from_text((const unsigned char *)v);
		return 0;
	}
	if (strcmp(f, "partner") == 0) {
		if (v == NULL || partner_id_of(s, v, &id, d) < 0)
			return v == NULL ? diag_set(d, DIAG_INPUT, "partner: no partner "
			    "recorded") : -1;
		u->partner_id = id;
		return set_dup(&u->partner_key, v, d);
	}
	if (strcmp(f, "target") == 0)
		return parse_recorded(f, v, &u->target_s, 1, d);
	if (strcmp(f, "created") == 0)
		return parse_recorded(f, v, &u->created_at, 0, d);
	if (strcmp(f, "deadline") == 0)
		return parse_recorded(f, v, &u->deadline_at, 0, d);
	if (strcmp(f, "first_response") == 0)
		return parse_recorded(f, v, &u->first_response_at, 0, d);
	if (strcmp(f, "resolved") == 0)
		return parse_recorded(f, v, &u->resolved_at, 0, d);
	return diag_set(d, DIAG_INPUT, "%s: a field undo does not know", f);
}

/* Why the last event cannot be undone, as DIAG_INPUT. */
static int refuse(const struct store_ticket *t, const struct store_event *e,
		  struct diag *d)
{
	long long id = (long long)t->id;

	if (strcmp(e->kind, "ticket.note") == 0)
		return diag_set(d, DIAG_INPUT, "ticket #%lld: the last change is a note "
		    "(event %lld), and a note cannot be undone", id, (long long)e->id);
	if (strcmp(e->kind, "ticket.undo") == 0)
		return diag_set(d, DIAG_INPUT, "ticket #%lld: the last change is an undo "
		    "(event %lld); an undo is not undone: make the change again", id,
		    (long long)e->id);
	if (strcmp(e->kind, "ticket.create") == 0 || strcmp(e->kind, "ticket.import") == 0)
		return diag_set(d, DIAG_INPUT, "ticket #%lld: nothing to undo (no change "
		    "since it was created)", id);
	return diag_set(d, DIAG_INPUT, "ticket #%lld: the last change is a %s (event "
	    "%lld), which undo does not revert", id, e->kind, (long long)e->id);
}

int store_ticket_undo_plan(struct store *s, const struct store_ticket *t,
			   struct store_ticket *u, struct store_ticket_change *c,
			   struct diag *d)
{
	char tmp[CIVIL_ISO_LEN + STORE_TEXT_LEN];
	int undoable = 0;

	c->ev = NULL;
	c->n = 0;
	if (store_event_each(s, t->id, collect_last, c, d) < 0)
		goto fail;
	if (c->n == (size_t)-1) {
		c->n = 0;
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	if (c->n == 0) {
		diag_set(d, DIAG_INPUT, "ticket #%lld: nothing to undo (no change "
		    "recorded)", (long long)t->id);
		goto fail;
	}
	for (size_t i = 0; i < sizeof UNDOABLE / sizeof UNDOABLE[0]; i++)
		undoable |= strcmp(c->ev[0].kind, UNDOABLE[i]) == 0;
	if (!undoable || c->ev[0].field == NULL) {
		refuse(t, &c->ev[c->n - 1], d);
		goto fail;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct store_event *e = &c->ev[i];

		if (!same_text(field_now(t, e->field, tmp), e->new_value)) {
			diag_set(d, DIAG_INPUT, "ticket #%lld: %s changed after event %lld "
			    "without a record; nothing undone", (long long)t->id, e->field,
			    (long long)e->id);
			goto fail;
		}
		if (field_restore(s, u, e, d) < 0)
			goto fail;
	}
	return 0;
fail:
	store_ticket_change_release(c);
	return -1;
}

int store_ticket_undo(struct store *s, const struct store_ticket *old,
		      const struct store_ticket *u, const struct store_ticket_change *c,
		      const char *actor, int64_t at, struct diag *d)
{
	char what[160];
	int own, rc = -1;

	if (c->n == 0)
		return diag_set(d, DIAG_INPUT, "ticket #%lld: nothing to undo",
		    (long long)old->id);
	snprintf(what, sizeof what, "event %lld: %s by %s", (long long)c->ev[0].id,
	    c->ev[0].kind, c->ev[0].actor ? c->ev[0].actor : "?");
	if (tx_open(s, &own, d) < 0)
		return -1;
	if (store_event_add(s, at, actor, "ticket.undo", old->id, old->partner_id,
	    "reverts", NULL, what, d) < 0 ||
	    store_ticket_update(s, old, u, "ticket.undo", actor, at, d) < 0)
		goto out;
	rc = 0;
out:
	return tx_close(s, own, rc, d);
}
