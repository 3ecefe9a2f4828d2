/* store-copy.c: every row of one database into another, empty one, on
 * either backend (`slatrack migrate`); see store.h.
 *
 * Rows keep their ids, so the audit chain, whose hashes cover the ids of
 * tickets and partners, verifies to the same head on both.  audit_head
 * and the sequence witnesses are not copied: the triggers move them with
 * every event written, as they did when the events were first written. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store-internal.h"

/* every table, parents before children (foreign keys) */
static const char *const copy_tables[] = {
	"partners", "partner_targets", "calendars", "tickets", "events", "reminders",
	"meta", "remind_watch", "remind_alerts", "sync_state", "sync_issues",
	"ticket_pauses",
};
/* tables whose ids the target's identity sequences must move past */
static const char *const copy_identities[] = {
	"partners", "calendars", "tickets", "events", "ticket_pauses",
};

static const char SQL_COPY_EMPTY[] =
	"SELECT (SELECT count(*) FROM partners) + (SELECT count(*) FROM tickets)"
	" + (SELECT count(*) FROM events)";

static int copy_target_empty(struct store *dst, struct diag *d)
{
	struct db_stmt *st;
	int64_t n = -1;

	if (store_prepare(dst, &st, SQL_COPY_EMPTY, d) < 0)
		return -1;
	if (db_step(st) == SQLITE_ROW)
		n = db_column_int64(st, 0);
	db_finalize(st);
	if (n < 0)
		return store_fail(dst, d, "cannot count the rows of the target");
	if (n > 0)
		return diag_set(d, DIAG_USAGE, "the target '%s' already holds data: migrate and "
		    "a restore into a server copy only into a new, empty database", dst->path);
	return 0;
}

/* "INSERT INTO t (a, b) VALUES (?1, ?2)" for the columns of st's row;
 * meta already holds the target's own install_id: the source's wins, so
 * Message-IDs stay the same. */
static int copy_insert_sql(struct db_stmt *st, const char *table, struct buf *b)
{
	int n = db_column_count(st);

	buf_addl(b, "INSERT INTO ", table, " (", NULL);
	for (int i = 0; i < n; i++)
		buf_addl(b, i ? ", " : "", db_column_name(st, i), NULL);
	buf_adds(b, ") VALUES (");
	for (int i = 0; i < n; i++)
		buf_addf(b, "%s?%d", i ? ", " : "", i + 1);
	buf_adds(b, ")");
	if (strcmp(table, "meta") == 0)
		buf_adds(b, " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	return buf_failed(b) ? -1 : 0;
}

static void copy_bind_row(struct db_stmt *from, struct db_stmt *to)
{
	int n = db_column_count(from);

	for (int i = 0; i < n; i++)
		switch (db_column_type(from, i)) {
		case SQLITE_NULL:
			db_bind_null(to, i + 1);
			break;
		case SQLITE_INTEGER:
			db_bind_int64(to, i + 1, db_column_int64(from, i));
			break;
		case SQLITE_BLOB:
			db_bind_blob(to, i + 1, db_column_blob(from, i), db_column_bytes(from, i),
			    SQLITE_TRANSIENT);
			break;
		default:
			db_bind_text(to, i + 1, (const char *)db_column_text(from, i), -1,
			    SQLITE_TRANSIENT);
		}
}

/* One table, in the order of its first column (its key). */
static int copy_table(struct store *src, struct store *dst, const char *table,
		      int64_t *rows, struct diag *d)
{
	struct buf sql = BUF_INIT, ins = BUF_INIT;
	struct db_stmt *from = NULL, *to = NULL;
	int rc = -1, step;

	buf_addl(&sql, "SELECT * FROM ", table, " ORDER BY 1", NULL);
	if (buf_failed(&sql) || store_prepare_scan(src, &from, buf_str(&sql), d) < 0)
		goto out;
	while ((step = db_step(from)) == SQLITE_ROW) {
		if (to == NULL && (copy_insert_sql(from, table, &ins) < 0 ||
		    store_prepare(dst, &to, buf_str(&ins), d) < 0))
			goto out;
		copy_bind_row(from, to);
		if (db_step(to) != SQLITE_DONE) {
			store_fail(dst, d, "cannot copy a row of %s", table);
			goto out;
		}
		db_reset(to);
		db_clear_bindings(to);
		(*rows)++;
	}
	if (step != SQLITE_DONE) {
		store_fail(src, d, "cannot read %s", table);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 && buf_failed(&sql))
		diag_set(d, DIAG_NOMEM, "out of memory");
	db_finalize(from);
	db_finalize(to);
	buf_release(&sql);
	buf_release(&ins);
	return rc;
}

/* PostgreSQL hands out ids from sequences: start them past the copies. */
static int copy_move_sequences(struct store *dst, struct diag *d)
{
	if (dst->pg == NULL)
		return 0;	/* SQLite takes max(id) + 1 by itself */
	for (size_t i = 0; i < sizeof copy_identities / sizeof *copy_identities; i++) {
		struct buf sql = BUF_INIT;
		int rc;

		buf_addl(&sql, "SELECT setval(pg_get_serial_sequence('", copy_identities[i],
		    "', 'id'), coalesce(max(id), 0) + 1, false) FROM ", copy_identities[i], NULL);
		rc = buf_failed(&sql) ? diag_set(d, DIAG_NOMEM, "out of memory") :
		    store_exec(dst, buf_str(&sql), d);
		buf_release(&sql);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int store_copy(struct store *src, struct store *dst, struct store_copy_counts *n,
	       struct diag *d)
{
	memset(n, 0, sizeof *n);
	if (store_schema_version(src) != store_schema_version(dst))
		return diag_set(d, DIAG_STORE, "'%s' has schema version %d and '%s' %d: open "
		    "both with this slatrack first", src->path, store_schema_version(src),
		    dst->path, store_schema_version(dst));
	if (store_begin(dst, d) < 0)
		return -1;
	if (copy_target_empty(dst, d) < 0 || store_exec(src, "BEGIN", d) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof copy_tables / sizeof *copy_tables; i++) {
		int64_t rows = 0;

		if (copy_table(src, dst, copy_tables[i], &rows, d) < 0)
			goto fail;
		if (strcmp(copy_tables[i], "partners") == 0)
			n->partners = rows;
		else if (strcmp(copy_tables[i], "tickets") == 0)
			n->tickets = rows;
		else if (strcmp(copy_tables[i], "events") == 0)
			n->events = rows;
		n->rows += rows;
	}
	store_exec_quietly(src, "COMMIT");
	if (copy_move_sequences(dst, d) < 0 || store_commit(dst, d) < 0)
		goto fail;
	return 0;
fail:
	store_exec_quietly(src, "ROLLBACK");
	store_rollback(dst);
	return -1;
}
