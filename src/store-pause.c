/* store-pause.c: the intervals in which a ticket's clocks stood still
 * (table ticket_pauses); see store.h ("pauses").  The audit trail holds
 * the story (the "waiting" field of ticket.wait and ticket.resume
 * events); this table is the index the engine replays. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store-internal.h"

static const char SQL_PAUSE_ADD[] =
	"INSERT INTO ticket_pauses (ticket_id, kind, response, started_at, ended_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_PAUSE_CLOSE[] =
	"UPDATE ticket_pauses SET ended_at = ?2"
	" WHERE ticket_id = ?1 AND ended_at IS NULL AND started_at <= ?2";
static const char SQL_PAUSE_ONE[] =
	"SELECT ticket_id, kind, response, started_at, ended_at FROM ticket_pauses"
	" WHERE ticket_id = ?1 ORDER BY started_at, id";
static const char SQL_PAUSE_ALL[] =
	"SELECT ticket_id, kind, response, started_at, ended_at FROM ticket_pauses"
	" ORDER BY ticket_id, started_at, id";

static const char SQL_PAUSE_TICKETS[] =
	"SELECT count(*) FROM tickets t WHERE (?1 = 0 OR t.partner_id = ?1)"
	" AND EXISTS (SELECT 1 FROM ticket_pauses p WHERE p.ticket_id = t.id)";

int store_pause_ticket_count(struct store *s, int64_t partner_id, int64_t *n,
			     struct diag *d)
{
	struct db_stmt *st;
	int rc;

	*n = 0;
	if ((st = store_cached(s, SQL_PAUSE_TICKETS, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, partner_id);
	if ((rc = db_step(st)) == SQLITE_ROW)
		*n = db_column_int64(st, 0);
	db_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "cannot count the tickets' pauses");
	return 0;
}

int store_pause_add(struct store *s, const struct store_pause *p, struct diag *d)
{
	struct db_stmt *st;
	int rc;

	if (!s->in_tx)
		return diag_set(d, DIAG_STORE, "a pause is written inside a transaction");
	if (strcmp(p->kind, "wait") != 0 && strcmp(p->kind, "closed") != 0)
		return diag_set(d, DIAG_INPUT, "pause: unknown kind '%s'", p->kind);
	if (p->end_at != STORE_NONE && p->end_at < p->start_at)
		return diag_set(d, DIAG_INPUT, "pause: ends before it starts");
	if ((st = store_cached(s, SQL_PAUSE_ADD, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, p->ticket_id);
	db_bind_text(st, 2, p->kind, -1, SQLITE_STATIC);
	db_bind_int(st, 3, p->response != 0);
	db_bind_int64(st, 4, p->start_at);
	store_bind_instant(st, 5, p->end_at);
	rc = db_step(st);
	db_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot record the pause of ticket #%lld",
		    (long long)p->ticket_id);
	return 0;
}

int store_pause_close(struct store *s, int64_t ticket_id, int64_t end_at, struct diag *d)
{
	struct db_stmt *st;
	int rc;

	if (!s->in_tx)
		return diag_set(d, DIAG_STORE, "a pause is written inside a transaction");
	if ((st = store_cached(s, SQL_PAUSE_CLOSE, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, ticket_id);
	db_bind_int64(st, 2, end_at);
	rc = db_step(st);
	db_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot end the pause of ticket #%lld",
		    (long long)ticket_id);
	if (store_changes(s) != 1)
		return diag_set(d, DIAG_INPUT, "ticket #%lld has no pause open before that "
		    "instant", (long long)ticket_id);
	return 0;
}

int store_pause_list(struct store *s, int64_t ticket_id, struct store_pause **v, size_t *n,
		     struct diag *d)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((st = store_cached(s, ticket_id > 0 ? SQL_PAUSE_ONE : SQL_PAUSE_ALL, d)) == NULL)
		return -1;
	if (ticket_id > 0)
		db_bind_int64(st, 1, ticket_id);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		struct store_pause *p;

		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct store_pause *q = realloc(*v, ncap * sizeof *q);

			if (q == NULL) {
				db_reset(st);
				free(*v);
				*v = NULL;
				*n = 0;
				return diag_set(d, DIAG_NOMEM, "out of memory");
			}
			*v = q;
			cap = ncap;
		}
		p = &(*v)[(*n)++];
		p->ticket_id = db_column_int64(st, 0);
		snprintf(p->kind, sizeof p->kind, "%s", (const char *)db_column_text(st, 1));
		p->response = db_column_int(st, 2) != 0;
		p->start_at = db_column_int64(st, 3);
		p->end_at = store_column_instant(st, 4);
	}
	db_reset(st);
	if (rc != SQLITE_DONE) {
		free(*v);
		*v = NULL;
		*n = 0;
		return store_fail(s, d, "cannot read the pauses");
	}
	return 0;
}
