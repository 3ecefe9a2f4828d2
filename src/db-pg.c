/* db-pg.c: the PostgreSQL side of db.h over libpq (contract in db-pg.h).
 * One statement at a time may be mid-scan on a connection: libpq has a
 * single result stream, and rows come in single-row mode so a large scan
 * never holds every row in memory.
 *
 * Inside a transaction, a plain INSERT (no RETURNING, no ON CONFLICT: no
 * result the caller reads) is queued in libpq's pipeline instead of
 * waited for, and the next statement that needs an answer carries the
 * queue to the server in the same round trip: an import writes its
 * audit events without waiting for each.  The first failure of a queued
 * INSERT is the answer of that next statement (or of COMMIT), and the
 * server has aborted the transaction by then, so nothing is half-written.
 *
 * A plain INSERT ... VALUES (tuple) does not even go alone: its rows wait
 * in the connection's batch (with those of the other such INSERTs of the
 * transaction) and go as one statement, a multi-row INSERT, or data-
 * modifying WITH clauses for several tables, when the batch is full or
 * before anything else is sent.  The server checks foreign keys at the
 * end of that one statement, so a ticket and its audit event may ride in
 * the same batch in either order.  An import of 100,000 tickets is then
 * some 800 statements instead of 200,000. */
#include "db-pg.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "buf.h"
#include "dynlib.h"

#define DBPG_OID_BOOL 16
#define DBPG_OID_BYTEA 17
#define DBPG_OID_INT8 20
#define DBPG_OID_INT2 21
#define DBPG_OID_INT4 23
#define DBPG_OID_OID 26
#define DBPG_OID_FLOAT4 700
#define DBPG_OID_FLOAT8 701
#define DBPG_OID_NUMERIC 1700
#define DBPG_MAX_VARIANTS 8
#define DBPG_OID_TEXT 25
#define DBPG_MAX_PARAMS 128
#define DBPG_MAX_QUEUED 512		/* queued INSERTs before a round trip */
#define DBPG_FETCH_ROWS 1000		/* rows a scan's cursor reads at a time */
#define DBPG_BATCH_ROWS 256		/* rows of batched INSERTs sent at once */
#define DBPG_BATCH_PARAMS 16384		/* their parameters (the protocol's cap: 65535) */
#define DBPG_BATCH_STMTS 8		/* INSERT statements one batch mixes */
#define DBPG_BATCH_BYTES (1 << 20)	/* parameter bytes that send a batch early */
#define DBPG_BATCH_SHAPES 4		/* batch shapes kept prepared on the server */

/* One row waiting in the batch: its statement and its first parameter
 * in the batch's parameter arrays. */
struct dbpg_brow {
	struct dbpg_stmt *st;
	int first;
};

/* The rows of batched INSERTs not sent yet (dbpg_flush). */
struct dbpg_batch {
	struct dbpg_stmt *stmts[DBPG_BATCH_STMTS];	/* in the order of their first row */
	int nstmts;
	struct dbpg_brow rows[DBPG_BATCH_ROWS];
	int nrows;
	/* per parameter, in the order bound: offset of its bytes in arena
	 * (SIZE_MAX for NULL), length, format and type */
	size_t offs[DBPG_BATCH_PARAMS];
	int lens[DBPG_BATCH_PARAMS], fmts[DBPG_BATCH_PARAMS];
	Oid types[DBPG_BATCH_PARAMS];
	int nparams;
	/* the same in the order of the statement's $N */
	const char *out_vals[DBPG_BATCH_PARAMS];
	int out_lens[DBPG_BATCH_PARAMS], out_fmts[DBPG_BATCH_PARAMS];
	Oid out_types[DBPG_BATCH_PARAMS];
	Oid shape_types[DBPG_BATCH_PARAMS];	/* to prepare with: the server's guess */
	struct buf arena;		/* the parameters' bytes, each NUL-ended */
	struct buf sql;			/* the statement built from them */
	/* A full batch has the same shape every time: so many rows of each
	 * statement; its statement is prepared once, not parsed and planned
	 * for every batch.  Prepared, its parameters take the types of the
	 * columns they go to, whatever a row bound (NULL or not). */
	struct buf shape;		/* this batch's */
	char *shapes[DBPG_BATCH_SHAPES];	/* prepared as slatrack_batch_<i> */
	int nshapes;
};

struct dbpg {
	PGconn *conn;
	char *err;
	int errcode;			/* the code of the failure err describes */
	/* the first failure since BEGIN: what a statement refused because
	 * the transaction had already failed (25P02) reports instead */
	char *tx_err;
	int tx_errcode;
	int changes;
	unsigned long seq;		/* names prepared statements */
	int64_t notifications;
	struct dbpg_stmt *active;	/* the statement whose rows are streaming */
	int piped;			/* in pipeline mode */
	int queued;			/* INSERTs sent whose results are unread */
	int sync_pending;		/* a Sync ends the statement streaming */
	int deferred_rc;		/* the first failure of a queued INSERT */
	struct dbpg_batch *batch;	/* batched INSERT rows; NULL until the first */
	int lost;			/* a batch could not be sent: no COMMIT */
};

/* One server-side prepared statement for one set of parameter types. */
struct dbpg_variant {
	char *sig;			/* one letter per parameter: i, u, b */
	char name[32];
};

struct dbpg_stmt {
	struct dbpg *c;
	char *sql;			/* rewritten to $N */
	int nparams;
	/* which $N the SQL names: a filter left out of a query built
	 * piece by piece leaves a gap, which the server cannot type */
	unsigned char used[DBPG_MAX_PARAMS + 1];
	char **vals;			/* owned copies; NULL means SQL NULL */
	int *lens;
	int *fmts;
	Oid *types;
	struct dbpg_variant variants[DBPG_MAX_VARIANTS];
	int nvariants;
	PGresult *row;			/* the current row (single-row mode) */
	int queueable;			/* a plain INSERT: nothing to read back */
	size_t tuple_at;		/* batchable: where "(" of VALUES (...) is in sql;
					   0 when sql is not INSERT ... VALUES (tuple) */
	int batched;			/* rows of it in the connection's batch */
	int scan;			/* runs as a cursor (dbpg_prepare_scan) */
	int cursor_open;
	char cursor[40];
	PGresult *batch;		/* the cursor's rows of the last FETCH */
	int bn, bi;			/* their number, the next one */
	int rowi;			/* the current row's index in row */
	int started;			/* the query was sent since the last reset */
	int finished;			/* its results are all read */
	/* rows read ahead because another statement needed the connection
	 * (a lookup inside a scan's loop): handed out before parked_rc */
	PGresult **parked;
	size_t nparked, parkpos, parkcap;
	int is_parked, parked_rc;
	unsigned char **blobs;		/* decoded bytea per column, this row */
	size_t *bloblens;
	int ncols;
};

static void dbpg_close_cursor(struct dbpg_stmt *st);
static void dbpg_park(struct dbpg *c);
static int dbpg_sync(struct dbpg *c);
static void dbpg_fill_types(struct dbpg_stmt *st);

static void dbpg_set_err(struct dbpg *c, const char *msg)
{
	size_t n;

	free(c->err);
	c->errcode = SQLITE_ERROR;
	c->err = strdup(msg ? msg : "unknown PostgreSQL error");
	if (!c->err)
		return;
	n = strlen(c->err);
	while (n > 0 && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = '\0';
}

/* SQLSTATE classes the store reacts to (see db-pg.h). */
static int dbpg_code(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (!state)
		return SQLITE_ERROR;
	if (strncmp(state, "23", 2) == 0)
		return SQLITE_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
		return SQLITE_BUSY;
	if (strcmp(state, "42501") == 0)	/* insufficient_privilege */
		return SQLITE_READONLY;
	return SQLITE_ERROR;
}

/* Records a failed result's message and returns its code.  A statement
 * refused because its transaction failed earlier reports that earlier
 * failure (a queued INSERT's, whose answer a finalize may have read). */
static int dbpg_fail(struct dbpg *c, const PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (c->tx_err != NULL && state != NULL && strcmp(state, "25P02") == 0) {
		dbpg_set_err(c, c->tx_err);
		c->errcode = c->tx_errcode;
		return c->errcode;
	}
	dbpg_set_err(c, msg && *msg ? msg : PQerrorMessage(c->conn));
	c->errcode = dbpg_code(res);
	if (c->tx_err == NULL && c->err != NULL) {
		c->tx_err = strdup(c->err);
		c->tx_errcode = c->errcode;
	}
	return c->errcode;
}

/* Forgets the transaction's first failure (at BEGIN, COMMIT, ROLLBACK). */
static void dbpg_forget_tx_err(struct dbpg *c)
{
	free(c->tx_err);
	c->tx_err = NULL;
}

int dbpg_errcode(const struct dbpg *c)
{
	return c ? c->errcode : SQLITE_NOMEM;
}

static void dbpg_set_changes(struct dbpg *c, PGresult *res)
{
	const char *n = PQcmdTuples(res);

	c->changes = n && *n ? (int)strtol(n, NULL, 10) : 0;
}

int dbpg_is_url(const char *path)
{
	return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0;
}

int dbpg_connect(const char *url, struct dbpg **out)
{
	struct dbpg *c = calloc(1, sizeof *c);
	struct diag d;

	*out = c;
	if (!c)
		return SQLITE_NOMEM;
	if (dynlib_pq_need(&d) < 0) {
		dbpg_set_err(c, d.msg);
		return SQLITE_CANTOPEN;
	}
	c->conn = PQconnectdb(url);
	if (!c->conn) {
		dbpg_set_err(c, "out of memory");
		return SQLITE_NOMEM;
	}
	if (PQstatus(c->conn) != CONNECTION_OK) {
		dbpg_set_err(c, PQerrorMessage(c->conn));
		return SQLITE_CANTOPEN;
	}
	/* Quiet NOTICEs; the ?N rewrite relies on standard string literals. */
	if (dbpg_exec(c, "SET client_min_messages = warning; SET standard_conforming_strings = on") != SQLITE_OK)
		return SQLITE_CANTOPEN;
	return SQLITE_OK;
}

void dbpg_close(struct dbpg *c)
{
	if (!c)
		return;
	if (c->conn)
		PQfinish(c->conn);
	if (c->batch) {
		buf_release(&c->batch->arena);
		buf_release(&c->batch->sql);
		buf_release(&c->batch->shape);
		for (int i = 0; i < c->batch->nshapes; i++)
			free(c->batch->shapes[i]);
		free(c->batch);
	}
	free(c->err);
	free(c->tx_err);
	free(c);
}

const char *dbpg_errmsg(const struct dbpg *c)
{
	if (!c)
		return "out of memory";
	return c->err ? c->err : "not an error";
}

/* Puts the connection in pipeline mode (queued commands): 1, or 0 with
 * the message recorded. */
static int dbpg_enter_pipeline(struct dbpg *c)
{
	if (c->piped)
		return 1;
	if (!PQenterPipelineMode(c->conn)) {
		dbpg_set_err(c, PQerrorMessage(c->conn));
		return 0;
	}
	c->piped = 1;
	return 1;
}

/* ---- batched INSERTs ------------------------------------------------------- */

/* Appends st's VALUES tuple with each $k renumbered $(base + k). */
static void dbpg_emit_tuple(struct buf *b, const struct dbpg_stmt *st, int base)
{
	const char *p = st->sql + st->tuple_at;

	while (*p != '\0') {
		size_t run = strcspn(p, "$");
		char num[24];
		char *end;
		long k;

		buf_add(b, p, run);
		p += run;
		if (*p == '\0')
			break;
		if (p[1] < '0' || p[1] > '9') {
			buf_addc(b, *p++);
			continue;
		}
		k = strtol(p + 1, &end, 10);
		buf_add(b, num, (size_t)snprintf(num, sizeof num, "$%ld", base + k));
		p = end;
	}
}

/* The parameters of st's rows in the batch, moved to the out arrays
 * from *n on, and their part of the batch's shape. */
static void dbpg_gather_rows(struct dbpg_batch *b, struct dbpg_stmt *st, int *n)
{
	/* the statement's text, not its address: a statement finalized and
	 * another prepared may get the same address */
	buf_addf(&b->shape, "%d*", st->batched);
	buf_adds(&b->shape, st->sql);
	buf_addc(&b->shape, '\x1f');
	for (int r = 0; r < b->nrows; r++) {
		const struct dbpg_brow *row = &b->rows[r];

		if (row->st != st)
			continue;
		for (int j = row->first; j < row->first + st->nparams; j++, (*n)++) {
			b->out_vals[*n] = b->offs[j] == SIZE_MAX ? NULL : b->arena.data + b->offs[j];
			b->out_lens[*n] = b->lens[j];
			b->out_fmts[*n] = b->fmts[j];
			b->out_types[*n] = b->types[j];
			b->shape_types[*n] = st->used[j - row->first + 1] ? 0 : DBPG_OID_TEXT;
		}
	}
}

/* The batch's statement: one INSERT, or one per table with all but the
 * last in WITH (the rows of each in the order they came). */
static void dbpg_batch_sql(struct dbpg_batch *b)
{
	int n = 0;

	buf_reset(&b->sql);
	for (int k = 0; k < b->nstmts; k++) {
		struct dbpg_stmt *st = b->stmts[k];
		int last = k == b->nstmts - 1;

		if (!last)
			buf_addf(&b->sql, "%s b%d AS (", k == 0 ? "WITH" : ",", k);
		else if (k > 0)
			buf_addc(&b->sql, ' ');
		buf_add(&b->sql, st->sql, st->tuple_at);
		for (int r = 0; r < st->batched; r++, n += st->nparams) {
			if (r > 0)
				buf_adds(&b->sql, ", ");
			dbpg_emit_tuple(&b->sql, st, n);
		}
		if (!last)
			buf_addc(&b->sql, ')');
	}
}

/* Prepares the batch's statement (b->sql, n parameters) as shape i,
 * in a round trip of its own outside the pipeline: 1, or 0 with the
 * message recorded. */
static int dbpg_prepare_shape(struct dbpg *c, int i, int n)
{
	struct dbpg_batch *b = c->batch;
	char name[32];
	PGresult *res;
	int ok;

	if (dbpg_sync(c) != SQLITE_OK || (b->shapes[i] = strdup(buf_str(&b->shape))) == NULL)
		return 0;
	snprintf(name, sizeof name, "slatrack_batch_%d", i);
	res = PQprepare(c->conn, name, buf_str(&b->sql), n, b->shape_types);
	if ((ok = PQresultStatus(res) == PGRES_COMMAND_OK))
		b->nshapes++;
	else {
		dbpg_fail(c, res);
		free(b->shapes[i]);
	}
	PQclear(res);
	return ok;
}

/* Sends the batch's n parameters, queued in the pipeline: with the
 * statement prepared for its shape, preparing a full batch's new shape
 * while there is room, else with the statement's text.  1, or 0 with the
 * message recorded. */
static int dbpg_send_batch(struct dbpg *c, int n)
{
	struct dbpg_batch *b = c->batch;
	char name[32];
	int i, ok;

	for (i = 0; i < b->nshapes && strcmp(b->shapes[i], buf_str(&b->shape)) != 0; i++)
		;
	if (i == b->nshapes) {
		dbpg_batch_sql(b);
		if (buf_failed(&b->sql)) {
			dbpg_set_err(c, "out of memory");
			return 0;
		}
		if (b->nrows == DBPG_BATCH_ROWS && i < DBPG_BATCH_SHAPES && !dbpg_prepare_shape(c, i, n))
			return 0;
	}
	if (!dbpg_enter_pipeline(c))
		return 0;
	snprintf(name, sizeof name, "slatrack_batch_%d", i);
	ok = i < b->nshapes ? PQsendQueryPrepared(c->conn, name, n, b->out_vals, b->out_lens,
	    b->out_fmts, 0) : PQsendQueryParams(c->conn, buf_str(&b->sql), n, b->out_types,
	    b->out_vals, b->out_lens, b->out_fmts, 0);
	if (!ok) {
		dbpg_set_err(c, PQerrorMessage(c->conn));
		return 0;
	}
	c->queued++;
	return 1;
}

/* Sends the batch as one statement queued in the pipeline: one INSERT,
 * or one per table with all but the last in WITH.  A batch that cannot
 * be sent makes the transaction's COMMIT fail (c->lost). */
static int dbpg_flush(struct dbpg *c)
{
	struct dbpg_batch *b = c->batch;
	int n = 0, ok;

	if (b == NULL || b->nrows == 0)
		return SQLITE_OK;
	buf_reset(&b->shape);
	for (int k = 0; k < b->nstmts; k++)
		dbpg_gather_rows(b, b->stmts[k], &n);
	ok = !buf_failed(&b->shape) && !buf_failed(&b->arena);
	if (!ok)
		dbpg_set_err(c, "out of memory");
	else
		ok = dbpg_send_batch(c, n);
	for (int k = 0; k < b->nstmts; k++)
		b->stmts[k]->batched = 0;
	b->nstmts = b->nrows = b->nparams = 0;
	buf_reset(&b->arena);
	if (ok)
		return SQLITE_OK;
	c->lost = 1;
	return SQLITE_ERROR;
}

/* Puts st's bound row into the connection's batch: SQLITE_DONE, or the
 * failure of sending the batch when it is full. */
static int dbpg_batch_row(struct dbpg_stmt *st)
{
	struct dbpg *c = st->c;
	struct dbpg_batch *b;
	int rc;

	dbpg_park(c);
	if (c->batch == NULL) {
		if ((c->batch = calloc(1, sizeof *c->batch)) == NULL) {
			dbpg_set_err(c, "out of memory");
			return SQLITE_NOMEM;
		}
		buf_init(&c->batch->arena);
		buf_init(&c->batch->sql);
		buf_init(&c->batch->shape);
		c->batch->arena.cap = c->batch->sql.cap = c->batch->shape.cap = SIZE_MAX / 2;
	}
	b = c->batch;
	if ((b->nparams + st->nparams > DBPG_BATCH_PARAMS ||
	    (st->batched == 0 && b->nstmts == DBPG_BATCH_STMTS)) &&
	    (rc = dbpg_flush(c)) != SQLITE_OK)
		return rc;
	if (st->batched++ == 0)
		b->stmts[b->nstmts++] = st;
	b->rows[b->nrows].st = st;
	b->rows[b->nrows++].first = b->nparams;
	dbpg_fill_types(st);
	for (int i = 0; i < st->nparams; i++, b->nparams++) {
		b->offs[b->nparams] = st->vals[i] != NULL ? b->arena.len : SIZE_MAX;
		if (st->vals[i] != NULL) {
			buf_add(&b->arena, st->vals[i], (size_t)st->lens[i]);
			buf_addc(&b->arena, '\0');
		}
		b->lens[b->nparams] = st->lens[i];
		b->fmts[b->nparams] = st->fmts[i];
		b->types[b->nparams] = st->types[i];
	}
	c->changes = 1;
	st->started = st->finished = 1;
	if ((b->nrows == DBPG_BATCH_ROWS || b->arena.len >= DBPG_BATCH_BYTES) &&
	    (rc = dbpg_flush(c)) != SQLITE_OK)
		return rc;
	return SQLITE_DONE;
}

/* After the results of the statement that carried a Sync: reads the
 * Sync and leaves pipeline mode. */
static void dbpg_end_sync(struct dbpg *c)
{
	PGresult *res;

	if (!c->sync_pending)
		return;
	c->sync_pending = 0;
	while ((res = PQgetResult(c->conn)) != NULL) {
		int sync = PQresultStatus(res) == PGRES_PIPELINE_SYNC;

		PQclear(res);
		if (sync)
			break;
	}
	PQexitPipelineMode(c->conn);
	c->piped = 0;
}

/* Reads the results of the queued INSERTs, which come first; the first
 * failure is kept in deferred_rc and the connection's message. */
static void dbpg_read_queued(struct dbpg *c)
{
	PGresult *res;

	for (; c->queued > 0; c->queued--)
		while ((res = PQgetResult(c->conn)) != NULL) {
			ExecStatusType status = PQresultStatus(res);

			if (status != PGRES_COMMAND_OK && status != PGRES_PIPELINE_ABORTED &&
			    c->deferred_rc == SQLITE_OK)
				c->deferred_rc = dbpg_fail(c, res);
			PQclear(res);
		}
}

/* Ends pipeline mode with a round trip of its own (before a command that
 * cannot be pipelined); the first failure of the queue, or SQLITE_OK. */
static int dbpg_collect(struct dbpg *c)
{
	int rc;

	if ((rc = dbpg_flush(c)) != SQLITE_OK)
		return rc;
	return dbpg_sync(c);
}

/* dbpg_collect without the batch. */
static int dbpg_sync(struct dbpg *c)
{
	int rc;

	if (!c->piped)
		return SQLITE_OK;
	if (!PQpipelineSync(c->conn)) {
		dbpg_set_err(c, PQerrorMessage(c->conn));
		return SQLITE_ERROR;
	}
	dbpg_read_queued(c);
	c->sync_pending = 1;
	dbpg_end_sync(c);
	rc = c->deferred_rc;
	c->deferred_rc = SQLITE_OK;
	return rc;
}

/* Reads and drops every remaining result of the query in flight, so the
 * connection takes a new command. */
static void dbpg_drain(struct dbpg *c)
{
	PGresult *res;

	while ((res = PQgetResult(c->conn)) != NULL)
		PQclear(res);
	dbpg_end_sync(c);
	if (c->active) {
		c->active->finished = 1;
		c->active = NULL;
	}
}

static void dbpg_unpark(struct dbpg_stmt *st)
{
	for (size_t i = st->parkpos; i < st->nparked; i++)
		PQclear(st->parked[i]);
	free(st->parked);
	st->parked = NULL;
	st->nparked = st->parkpos = st->parkcap = 0;
	st->is_parked = 0;
}

/* libpq streams one query's rows at a time: before another statement
 * runs, the one still streaming reads the rest of its rows into memory
 * and hands them out from there, so nested loops work as on SQLite. */
static void dbpg_park(struct dbpg *c)
{
	struct dbpg_stmt *st = c->active;
	PGresult *res;

	if (st == NULL)
		return;
	st->is_parked = 1;
	st->parked_rc = SQLITE_DONE;
	while ((res = PQgetResult(c->conn)) != NULL) {
		ExecStatusType status = PQresultStatus(res);

		if (status == PGRES_SINGLE_TUPLE) {
			PGresult **grown = st->parked;

			if (st->nparked == st->parkcap) {
				size_t cap = st->parkcap ? st->parkcap * 2 : 16;

				if ((grown = realloc(st->parked, cap * sizeof *grown)) == NULL) {
					PQclear(res);
					st->parked_rc = SQLITE_NOMEM;
					continue;
				}
				st->parked = grown;
				st->parkcap = cap;
			}
			st->parked[st->nparked++] = res;
			continue;
		}
		if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
			dbpg_set_changes(c, res);
		else if (st->parked_rc == SQLITE_DONE)
			st->parked_rc = dbpg_fail(c, res);
		PQclear(res);
	}
	dbpg_end_sync(c);
	c->active = NULL;
}

/* Frees the connection for a command of its own: a scan in flight parks
 * its rows, queued INSERTs are answered (their first failure, or OK). */
static int dbpg_claim(struct dbpg *c)
{
	dbpg_park(c);
	return dbpg_collect(c);
}

int dbpg_exec(struct dbpg *c, const char *sql)
{
	PGresult *res;
	ExecStatusType st;
	int rc = SQLITE_OK, commit = strstr(sql, "COMMIT") != NULL;

	if (c->lost && commit) {
		/* rows a batch lost must not go missing from a commit */
		c->lost = 0;
		dbpg_claim(c);
		PQclear(PQexec(c->conn, "ROLLBACK"));
		dbpg_set_err(c, "rows of the transaction could not be sent; it was rolled back");
		return SQLITE_ERROR;
	}
	if (strstr(sql, "ROLLBACK") != NULL || strstr(sql, "BEGIN") != NULL) {
		c->lost = 0;
		dbpg_forget_tx_err(c);
	}
	if ((rc = dbpg_claim(c)) != SQLITE_OK)
		return rc;
	res = PQexec(c->conn, sql);
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK && commit && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		/* the server ends a failed transaction so, without an error */
		char why[512];

		snprintf(why, sizeof why, "the transaction failed earlier and was rolled back%s%s",
		    c->tx_err ? ": " : "", c->tx_err ? c->tx_err : "");
		rc = c->tx_err ? c->tx_errcode : SQLITE_ERROR;
		dbpg_set_err(c, why);
		c->errcode = rc;
	} else if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
		dbpg_set_changes(c, res);
	else
		rc = dbpg_fail(c, res);
	PQclear(res);
	if (commit)
		dbpg_forget_tx_err(c);
	return rc;
}

int dbpg_changes(const struct dbpg *c)
{
	return c->changes;
}

int dbpg_in_tx(const struct dbpg *c)
{
	PGTransactionStatusType t;

	if (c->conn == NULL)	/* never connected (no libpq, out of memory) */
		return 0;
	t = PQtransactionStatus(c->conn);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

int64_t dbpg_notifications(struct dbpg *c)
{
	PGnotify *n;

	if (PQconsumeInput(c->conn)) {
		while ((n = PQnotifies(c->conn)) != NULL) {
			c->notifications++;
			PQfreemem(n);
		}
	}
	return c->notifications;
}

int dbpg_socket(const struct dbpg *c)
{
	return c && c->conn ? PQsocket(c->conn) : -1;
}

/* Skips a quoted run starting at s[i] (the quote) and returns the index
 * after it; a doubled quote is part of the run. */
static size_t dbpg_skip_quoted(const char *s, size_t i, char q, char *out, size_t *o)
{
	out[(*o)++] = s[i++];
	while (s[i]) {
		out[(*o)++] = s[i];
		if (s[i] == q) {
			if (s[i + 1] == q) {
				out[(*o)++] = s[++i];
				i++;
				continue;
			}
			return i + 1;
		}
		i++;
	}
	return i;
}

/* Rewrites SQLite's ?N and ? to $N outside literals, identifiers and
 * comments; returns the highest parameter number through *nparams. */
static char *dbpg_rewrite(const char *sql, int *nparams, unsigned char *used)
{
	size_t len = strlen(sql), i = 0, o = 0;
	char *out = malloc(len * 4 + 16);
	int next = 0, max = 0;

	if (!out)
		return NULL;
	while (sql[i]) {
		if (sql[i] == '\'' || sql[i] == '"') {
			i = dbpg_skip_quoted(sql, i, sql[i], out, &o);
		} else if (sql[i] == '-' && sql[i + 1] == '-') {
			while (sql[i] && sql[i] != '\n')
				out[o++] = sql[i++];
		} else if (sql[i] == '?') {
			long n;
			char *end;

			i++;
			if (sql[i] >= '0' && sql[i] <= '9') {
				n = strtol(sql + i, &end, 10);
				i = (size_t)(end - sql);
				next = (int)n;
			} else {
				n = ++next;
			}
			if (n < 1 || n > DBPG_MAX_PARAMS) {
				free(out);
				return NULL;
			}
			used[n] = 1;
			if (n > max)
				max = (int)n;
			o += (size_t)snprintf(out + o, 16, "$%ld", n);
		} else {
			out[o++] = sql[i++];
		}
	}
	out[o] = '\0';
	*nparams = max;
	return out;
}

/* A plain INSERT, whose caller reads nothing back: no RETURNING, and no
 * ON CONFLICT (whose caller may count the rows it changed). */
static int dbpg_queueable(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	return strncmp(sql, "INSERT ", 7) == 0 && !strstr(sql, "RETURNING") &&
	    !strstr(sql, "ON CONFLICT");
}

/* Where "(" of the VALUES tuple is in sql, a plain INSERT INTO t (cols)
 * VALUES (tuple) with nothing after the tuple: what a batch repeats
 * (dbpg_batch_row); 0 for any other shape, or for quotes, which the
 * renumbering of its parameters does not look into. */
static size_t dbpg_tuple_at(const char *sql)
{
	const char *v = strstr(sql, ") VALUES (");
	size_t at, depth = 0, i;

	if (!dbpg_queueable(sql) || v == NULL || strpbrk(sql, "'\";") != NULL)
		return 0;
	at = (size_t)(v - sql) + 9;
	for (i = at; sql[i] != '\0'; i++) {
		if (sql[i] == '(')
			depth++;
		else if (sql[i] == ')' && --depth == 0)
			break;
	}
	return sql[i] == ')' && sql[i + 1] == '\0' ? at : 0;
}

int dbpg_prepare(struct dbpg *c, const char *sql, struct dbpg_stmt **out)
{
	struct dbpg_stmt *st = calloc(1, sizeof *st);
	int n;

	*out = NULL;
	if (!st)
		return SQLITE_NOMEM;
	st->c = c;
	st->sql = dbpg_rewrite(sql, &st->nparams, st->used);
	st->queueable = dbpg_queueable(sql);
	n = st->nparams > 0 ? st->nparams : 1;
	st->tuple_at = st->sql && st->nparams > 0 ? dbpg_tuple_at(st->sql) : 0;
	st->vals = calloc((size_t)n, sizeof *st->vals);
	st->lens = calloc((size_t)n, sizeof *st->lens);
	st->fmts = calloc((size_t)n, sizeof *st->fmts);
	st->types = calloc((size_t)n, sizeof *st->types);
	if (!st->sql || !st->vals || !st->lens || !st->fmts || !st->types) {
		dbpg_finalize(st);
		dbpg_set_err(c, "out of memory");
		return SQLITE_NOMEM;
	}
	*out = st;
	return SQLITE_OK;
}

int dbpg_prepare_scan(struct dbpg *c, const char *sql, struct dbpg_stmt **out)
{
	int rc = dbpg_prepare(c, sql, out);

	if (rc == SQLITE_OK)
		(*out)->scan = 1;
	return rc;
}

static void dbpg_free_blobs(struct dbpg_stmt *st)
{
	int i;

	for (i = 0; i < st->ncols; i++)
		if (st->blobs[i])
			PQfreemem(st->blobs[i]);
	free(st->blobs);
	free(st->bloblens);
	st->blobs = NULL;
	st->bloblens = NULL;
	st->ncols = 0;
}

static void dbpg_clear_row(struct dbpg_stmt *st)
{
	dbpg_free_blobs(st);
	if (st->row != st->batch)
		PQclear(st->row);
	st->row = NULL;
	st->rowi = 0;
}

void dbpg_finalize(struct dbpg_stmt *st)
{
	int i;
	char sql[64];

	if (!st)
		return;
	dbpg_reset(st);
	dbpg_park(st->c);
	if (st->nvariants > 0 || st->batched > 0)
		dbpg_collect(st->c);	/* a failure aborted the transaction: COMMIT says so */
	for (i = 0; i < st->nvariants; i++) {
		/* Frees the server's copy; failure only leaks it until close. */
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->variants[i].name);
		if (PQstatus(st->c->conn) == CONNECTION_OK)
			PQclear(PQexec(st->c->conn, sql));
		free(st->variants[i].sig);
	}
	dbpg_clear_bindings(st);
	free(st->sql);
	free(st->vals);
	free(st->lens);
	free(st->fmts);
	free(st->types);
	free(st);
}

int dbpg_reset(struct dbpg_stmt *st)
{
	dbpg_clear_row(st);
	dbpg_close_cursor(st);
	dbpg_unpark(st);
	if (st->started && !st->finished && st->c->active == st)
		dbpg_drain(st->c);
	st->started = 0;
	st->finished = 0;
	return SQLITE_OK;
}

int dbpg_clear_bindings(struct dbpg_stmt *st)
{
	int i;

	for (i = 0; i < st->nparams; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
		st->lens[i] = 0;
		st->fmts[i] = 0;
		st->types[i] = 0;
	}
	return SQLITE_OK;
}

/* Stores a copy of v (n bytes, NUL added) as parameter i (1-based). */
static int dbpg_bind(struct dbpg_stmt *st, int i, const void *v, size_t n, Oid type, int fmt)
{
	char *copy = NULL;

	if (i < 1 || i > st->nparams) {
		dbpg_set_err(st->c, "bind index out of range");
		return SQLITE_RANGE;
	}
	if (v) {
		copy = malloc(n + 1);
		if (!copy)
			return SQLITE_NOMEM;
		memcpy(copy, v, n);
		copy[n] = '\0';
	}
	free(st->vals[i - 1]);
	st->vals[i - 1] = copy;
	st->lens[i - 1] = (int)n;
	st->types[i - 1] = type;
	st->fmts[i - 1] = fmt;
	return SQLITE_OK;
}

int dbpg_bind_null(struct dbpg_stmt *st, int i)
{
	return dbpg_bind(st, i, NULL, 0, 0, 0);
}

int dbpg_bind_int64(struct dbpg_stmt *st, int i, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%lld", (long long)v);

	return dbpg_bind(st, i, buf, (size_t)n, DBPG_OID_INT8, 0);
}

int dbpg_bind_text(struct dbpg_stmt *st, int i, const char *v, int n)
{
	if (!v)
		return dbpg_bind_null(st, i);
	return dbpg_bind(st, i, v, n < 0 ? strlen(v) : (size_t)n, 0, 0);
}

int dbpg_bind_blob(struct dbpg_stmt *st, int i, const void *v, int n)
{
	if (!v)
		return dbpg_bind_null(st, i);
	return dbpg_bind(st, i, n > 0 ? v : "", n > 0 ? (size_t)n : 0, DBPG_OID_BYTEA, 1);
}

/* A parameter the SQL never names ($N left out of a query built piece by
 * piece) is sent as text: the server cannot type it otherwise. */
static void dbpg_fill_types(struct dbpg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++)
		if (!st->used[i + 1])
			st->types[i] = DBPG_OID_TEXT;
}

/* Sends st as the prepared statement name with its bindings: 1, or 0
 * with the connection's message. */
static int dbpg_send(struct dbpg_stmt *st, const char *name)
{
	if (PQsendQueryPrepared(st->c->conn, name, st->nparams, (const char *const *)st->vals,
				st->lens, st->fmts, 0))
		return 1;
	dbpg_set_err(st->c, PQerrorMessage(st->c->conn));
	return 0;
}

/* The name of the server statement for the bound types, prepared on
 * first use; NULL on failure (message recorded). */
static const char *dbpg_variant(struct dbpg_stmt *st, int *rc)
{
	char sig[st->nparams + 1];
	struct dbpg_variant *v;
	PGresult *res;
	int i;

	dbpg_fill_types(st);
	for (i = 0; i < st->nparams; i++)
		sig[i] = st->types[i] == DBPG_OID_TEXT ? 't' : st->types[i] == DBPG_OID_INT8 ? 'i' : st->types[i] == DBPG_OID_BYTEA ? 'b' : 'u';
	sig[st->nparams] = '\0';
	for (i = 0; i < st->nvariants; i++)
		if (strcmp(st->variants[i].sig, sig) == 0)
			return st->variants[i].name;
	if (st->nvariants == DBPG_MAX_VARIANTS) {
		dbpg_set_err(st->c, "too many parameter type variants for one statement");
		*rc = SQLITE_ERROR;
		return NULL;
	}
	if ((*rc = dbpg_collect(st->c)) != SQLITE_OK)
		return NULL;
	*rc = SQLITE_ERROR;
	v = &st->variants[st->nvariants];
	snprintf(v->name, sizeof v->name, "slatrack_%lu", ++st->c->seq);
	res = PQprepare(st->c->conn, v->name, st->sql, st->nparams, st->types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		*rc = dbpg_fail(st->c, res);
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	v->sig = strdup(sig);
	if (!v->sig) {
		*rc = SQLITE_NOMEM;
		return NULL;
	}
	st->nvariants++;
	return v->name;
}

static int dbpg_start_piped(struct dbpg_stmt *st);

static int dbpg_start(struct dbpg_stmt *st)
{
	struct dbpg *c = st->c;
	const char *name;
	int rc = SQLITE_ERROR;

	dbpg_park(c);
	if ((rc = dbpg_flush(c)) != SQLITE_OK)
		return rc;
	name = dbpg_variant(st, &rc);
	if (!name)
		return rc;
	if (!dbpg_send(st, name))
		return SQLITE_ERROR;
	st->started = 1;
	if (c->piped)
		return dbpg_start_piped(st);
	PQsetSingleRowMode(c->conn);
	c->active = st;
	return SQLITE_OK;
}

/* st was sent behind queued INSERTs: the Sync follows it, their results
 * are read, and st's rows stream as usual (dbpg_end_sync after them). */
static int dbpg_start_piped(struct dbpg_stmt *st)
{
	struct dbpg *c = st->c;
	int rc;

	if (!PQpipelineSync(c->conn)) {
		dbpg_set_err(c, PQerrorMessage(c->conn));
		return SQLITE_ERROR;
	}
	dbpg_read_queued(c);
	c->sync_pending = 1;
	c->active = st;
	if ((rc = c->deferred_rc) != SQLITE_OK) {
		/* the server aborted st with the transaction */
		c->deferred_rc = SQLITE_OK;
		dbpg_drain(c);
		return rc;
	}
	PQsetSingleRowMode(c->conn);
	return SQLITE_OK;
}

/* Sends st, a plain INSERT inside a transaction, without waiting for its
 * result: SQLITE_DONE, or the queue's first failure after a full queue's
 * round trip. */
static int dbpg_queue(struct dbpg_stmt *st)
{
	struct dbpg *c = st->c;
	const char *name;
	int rc;

	dbpg_park(c);
	if ((rc = dbpg_flush(c)) != SQLITE_OK)
		return rc;
	if (!(name = dbpg_variant(st, &rc)))
		return rc;
	if (!dbpg_enter_pipeline(c) || !dbpg_send(st, name))
		return SQLITE_ERROR;
	c->queued++;
	c->changes = 1;
	st->started = st->finished = 1;
	if (c->queued >= DBPG_MAX_QUEUED && (rc = dbpg_collect(c)) != SQLITE_OK)
		return rc;
	return SQLITE_DONE;
}

/* Closes st's cursor, if the server still has it: the transaction that
 * declared it may have ended (a WITH HOLD one outlives it), and a CLOSE
 * of a cursor that is gone would abort the transaction running now. */
static void dbpg_close_cursor(struct dbpg_stmt *st)
{
	char sql[160];

	PQclear(st->batch);
	st->batch = NULL;
	st->bn = st->bi = 0;
	if (!st->cursor_open)
		return;
	st->cursor_open = 0;
	if (dbpg_claim(st->c) != SQLITE_OK || PQtransactionStatus(st->c->conn) == PQTRANS_INERROR)
		return;
	snprintf(sql, sizeof sql, "DO $$BEGIN EXECUTE 'CLOSE %s'; EXCEPTION WHEN "
	    "invalid_cursor_name THEN NULL; END$$", st->cursor);
	PQclear(PQexec(st->c->conn, sql));
}

/* DECLAREs st's cursor (WITH HOLD outside a transaction, so statements
 * run between its batches may commit). */
static int dbpg_declare(struct dbpg_stmt *st)
{
	struct dbpg *c = st->c;
	PGresult *res;
	char *sql;
	size_t n;
	int rc, hold;

	if ((rc = dbpg_claim(c)) != SQLITE_OK)
		return rc;
	dbpg_fill_types(st);
	snprintf(st->cursor, sizeof st->cursor, "slatrack_cursor_%lu", ++c->seq);
	hold = PQtransactionStatus(c->conn) == PQTRANS_IDLE;
	n = strlen(st->sql) + 96;
	if ((sql = malloc(n)) == NULL) {
		dbpg_set_err(c, "out of memory");
		return SQLITE_NOMEM;
	}
	snprintf(sql, n, "DECLARE %s NO SCROLL CURSOR %sFOR %s", st->cursor,
	    hold ? "WITH HOLD " : "", st->sql);
	res = PQexecParams(c->conn, sql, st->nparams, st->types, (const char *const *)st->vals,
	    st->lens, st->fmts, 0);
	free(sql);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? SQLITE_OK : dbpg_fail(c, res);
	PQclear(res);
	st->cursor_open = rc == SQLITE_OK;
	st->started = 1;
	return rc;
}

/* The next batch of st's cursor into st->batch. */
static int dbpg_fetch(struct dbpg_stmt *st)
{
	char sql[80];
	PGresult *res;
	int rc;

	if ((rc = dbpg_claim(st->c)) != SQLITE_OK)
		return rc;
	snprintf(sql, sizeof sql, "FETCH %d FROM %s", DBPG_FETCH_ROWS, st->cursor);
	res = PQexec(st->c->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = dbpg_fail(st->c, res);
		PQclear(res);
		return rc;
	}
	st->batch = res;
	st->bn = PQntuples(res);
	st->bi = 0;
	return SQLITE_OK;
}

/* dbpg_step of a scan: rows from the batch, a FETCH when it is used up. */
static int dbpg_scan_step(struct dbpg_stmt *st)
{
	int rc;

	if (!st->started && (rc = dbpg_declare(st)) != SQLITE_OK) {
		st->finished = 1;
		return rc;
	}
	if (st->batch != NULL && st->bi >= st->bn) {
		int last = st->bn < DBPG_FETCH_ROWS;

		PQclear(st->batch);
		st->batch = NULL;
		if (last) {
			dbpg_close_cursor(st);
			st->finished = 1;
			return SQLITE_DONE;
		}
	}
	if (st->batch == NULL) {
		if ((rc = dbpg_fetch(st)) != SQLITE_OK) {
			dbpg_close_cursor(st);
			st->finished = 1;
			return rc;
		}
		if (st->bn == 0) {
			dbpg_close_cursor(st);
			st->finished = 1;
			return SQLITE_DONE;
		}
	}
	st->row = st->batch;
	st->rowi = st->bi++;
	return SQLITE_ROW;
}

int dbpg_step(struct dbpg_stmt *st)
{
	struct dbpg *c = st->c;
	PGresult *res;
	ExecStatusType status;
	int rc;

	dbpg_clear_row(st);
	if (st->finished)
		return SQLITE_DONE;
	if (st->scan)
		return dbpg_scan_step(st);
	if (st->is_parked) {
		if (st->parkpos < st->nparked) {
			st->row = st->parked[st->parkpos];
			st->parked[st->parkpos++] = NULL;
			return SQLITE_ROW;
		}
		rc = st->parked_rc;
		dbpg_unpark(st);
		st->finished = 1;
		return rc;
	}
	if (!st->started && st->queueable &&
	    (c->piped || PQtransactionStatus(c->conn) == PQTRANS_INTRANS))
		return st->tuple_at ? dbpg_batch_row(st) : dbpg_queue(st);
	if (!st->started && (rc = dbpg_start(st)) != SQLITE_OK)
		return rc;
	res = PQgetResult(c->conn);
	status = PQresultStatus(res);
	if (res && status == PGRES_SINGLE_TUPLE) {
		st->row = res;
		return SQLITE_ROW;
	}
	if (!res || status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
		if (res)
			dbpg_set_changes(c, res);
		rc = SQLITE_DONE;
	} else {
		rc = dbpg_fail(c, res);
	}
	PQclear(res);
	dbpg_drain(c);
	return rc;
}

static int dbpg_valid_col(const struct dbpg_stmt *st, int i)
{
	return st->row && i >= 0 && i < PQnfields(st->row);
}

int dbpg_column_type(struct dbpg_stmt *st, int i)
{
	if (!dbpg_valid_col(st, i) || PQgetisnull(st->row, st->rowi, i))
		return SQLITE_NULL;
	switch (PQftype(st->row, i)) {
	case DBPG_OID_INT2: case DBPG_OID_INT4: case DBPG_OID_INT8:
	case DBPG_OID_BOOL: case DBPG_OID_OID:
		return SQLITE_INTEGER;
	case DBPG_OID_BYTEA:
		return SQLITE_BLOB;
	case DBPG_OID_NUMERIC: case DBPG_OID_FLOAT4: case DBPG_OID_FLOAT8:
		return SQLITE_FLOAT;
	default:
		return SQLITE_TEXT;
	}
}

int64_t dbpg_column_int64(struct dbpg_stmt *st, int i)
{
	const char *v;

	if (!dbpg_valid_col(st, i) || PQgetisnull(st->row, st->rowi, i))
		return 0;
	v = PQgetvalue(st->row, st->rowi, i);
	if (PQftype(st->row, i) == DBPG_OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

const unsigned char *dbpg_column_text(struct dbpg_stmt *st, int i)
{
	if (!dbpg_valid_col(st, i) || PQgetisnull(st->row, st->rowi, i))
		return NULL;
	return (const unsigned char *)PQgetvalue(st->row, st->rowi, i);
}

/* Decodes a bytea column's '\x..' text once per row. */
static int dbpg_decode_blob(struct dbpg_stmt *st, int i)
{
	if (!st->blobs) {
		st->ncols = PQnfields(st->row);
		st->blobs = calloc((size_t)st->ncols, sizeof *st->blobs);
		st->bloblens = calloc((size_t)st->ncols, sizeof *st->bloblens);
		if (!st->blobs || !st->bloblens) {
			dbpg_free_blobs(st);
			return 0;
		}
	}
	if (!st->blobs[i])
		st->blobs[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(st->row, st->rowi, i),
					       &st->bloblens[i]);
	return st->blobs[i] != NULL;
}

const void *dbpg_column_blob(struct dbpg_stmt *st, int i)
{
	if (!dbpg_valid_col(st, i) || PQgetisnull(st->row, st->rowi, i))
		return NULL;
	if (PQftype(st->row, i) != DBPG_OID_BYTEA)
		return PQgetvalue(st->row, st->rowi, i);
	return dbpg_decode_blob(st, i) ? st->blobs[i] : NULL;
}

int dbpg_column_bytes(struct dbpg_stmt *st, int i)
{
	if (!dbpg_valid_col(st, i) || PQgetisnull(st->row, st->rowi, i))
		return 0;
	if (PQftype(st->row, i) != DBPG_OID_BYTEA)
		return PQgetlength(st->row, st->rowi, i);
	return dbpg_decode_blob(st, i) ? (int)st->bloblens[i] : 0;
}

int dbpg_column_count(struct dbpg_stmt *st)
{
	return st->row != NULL ? PQnfields(st->row) : 0;
}

const char *dbpg_column_name(struct dbpg_stmt *st, int i)
{
	return st->row != NULL && i >= 0 && i < PQnfields(st->row) ? PQfname(st->row, i) : NULL;
}
