/* test_dbpg.c: the PostgreSQL statement layer (db-pg.c) against a real
 * server: tests/run.sh starts one (tests/pg/server.sh) and exports
 * SLATRACK_TEST_PG=DIR; each test gets a fresh database in it.  Without
 * the variable the suite fails when the server binaries exist, so CI
 * cannot skip it silently, and says loudly that it skips otherwise. */
#include <criterion/criterion.h>
#include <glob.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db-pg.h"

static char url[512];
static struct dbpg *c;

static int server_binaries(void)
{
	glob_t g;
	int found = glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) == 0;

	if (found)
		globfree(&g);
	return found;
}

/* Creates a fresh database through server.sh and connects to it. */
static void setup(void)
{
	const char *dir = getenv("SLATRACK_TEST_PG");
	char cmd[512];
	FILE *p;
	size_t n;
	static int seq;

	if (!dir || !*dir)
		cr_skip_test("SLATRACK_TEST_PG not set");
	snprintf(cmd, sizeof cmd, "sh tests/pg/server.sh url '%s' dbpg_%ld_%d", dir, (long)getpid(), ++seq);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(url, sizeof url, p));
	cr_assert_eq(pclose(p), 0);
	n = strlen(url);
	if (n && url[n - 1] == '\n')
		url[n - 1] = '\0';
	cr_assert_eq(dbpg_connect(url, &c), SQLITE_OK, "%s", dbpg_errmsg(c));
}

static void teardown(void)
{
	dbpg_close(c);
	c = NULL;
}

Test(dbpg, server_available)
{
	if (getenv("SLATRACK_TEST_PG") && *getenv("SLATRACK_TEST_PG"))
		return;
	if (server_binaries())
		cr_assert_fail("PostgreSQL server binaries exist but SLATRACK_TEST_PG is unset: run through tests/run.sh");
	fprintf(stderr, "NOTICE: PostgreSQL server binaries missing: test_dbpg is SKIPPED\n");
}

Test(dbpg, is_url)
{
	cr_assert(dbpg_is_url("postgresql:///x"));
	cr_assert(dbpg_is_url("postgres://h/x"));
	cr_assert_not(dbpg_is_url("/tmp/x.db"));
}

Test(dbpg, rewrite_and_round_trip, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *st;
	static const unsigned char blob[] = { 0, 1, 0xff, '\\', 'x' };

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE t (id BIGINT PRIMARY KEY, s TEXT, b BYTEA, f BOOLEAN, r NUMERIC)"), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "INSERT INTO t (id, s, b, f, r) VALUES (?1, ?2, ?3, ?4 = 'a?b', 1.5)", &st), SQLITE_OK);
	dbpg_bind_int64(st, 1, INT64_C(9000000000));
	dbpg_bind_text(st, 2, "héllo?", -1);
	dbpg_bind_blob(st, 3, blob, sizeof blob);
	dbpg_bind_text(st, 4, "a?b", -1);
	cr_assert_eq(dbpg_step(st), SQLITE_DONE, "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_changes(c), 1);
	/* Same statement, NULLs first then an int64: a second variant. */
	dbpg_reset(st);
	dbpg_clear_bindings(st);
	dbpg_bind_int64(st, 1, 2);
	dbpg_bind_null(st, 2);
	dbpg_bind_null(st, 3);
	dbpg_bind_null(st, 4);
	cr_assert_eq(dbpg_step(st), SQLITE_DONE, "%s", dbpg_errmsg(c));
	dbpg_finalize(st);

	cr_assert_eq(dbpg_prepare(c, "SELECT id, s, b, f, r, '?' FROM t WHERE id >= ? ORDER BY id DESC", &st), SQLITE_OK);
	dbpg_bind_int64(st, 1, 0);
	cr_assert_eq(dbpg_step(st), SQLITE_ROW, "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_column_type(st, 0), SQLITE_INTEGER);
	cr_assert_eq(dbpg_column_int64(st, 0), INT64_C(9000000000));
	cr_assert_eq(dbpg_column_type(st, 1), SQLITE_TEXT);
	cr_assert_str_eq((const char *)dbpg_column_text(st, 1), "héllo?");
	cr_assert_eq(dbpg_column_type(st, 2), SQLITE_BLOB);
	cr_assert_eq(dbpg_column_bytes(st, 2), (int)sizeof blob);
	cr_assert_eq(memcmp(dbpg_column_blob(st, 2), blob, sizeof blob), 0);
	cr_assert_eq(dbpg_column_type(st, 3), SQLITE_INTEGER);
	cr_assert_eq(dbpg_column_int64(st, 3), 1);
	cr_assert_eq(dbpg_column_type(st, 4), SQLITE_FLOAT);
	cr_assert_str_eq((const char *)dbpg_column_text(st, 5), "?");
	cr_assert_eq(dbpg_step(st), SQLITE_ROW);
	cr_assert_eq(dbpg_column_int64(st, 0), 2);
	cr_assert_eq(dbpg_column_type(st, 1), SQLITE_NULL);
	cr_assert_null(dbpg_column_text(st, 1));
	cr_assert_eq(dbpg_step(st), SQLITE_DONE);
	dbpg_finalize(st);
}

Test(dbpg, big_scan_reset_midway, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *st, *st2;
	int i;

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE n AS SELECT g AS v FROM generate_series(1, 200000) g"), SQLITE_OK);
	cr_assert_eq(dbpg_changes(c), 200000);
	cr_assert_eq(dbpg_prepare(c, "SELECT v FROM n ORDER BY v", &st), SQLITE_OK);
	for (i = 1; i <= 1000; i++) {
		cr_assert_eq(dbpg_step(st), SQLITE_ROW);
		cr_assert_eq(dbpg_column_int64(st, 0), i);
	}
	dbpg_reset(st);
	cr_assert_eq(dbpg_prepare(c, "SELECT count(*) FROM n", &st2), SQLITE_OK);
	cr_assert_eq(dbpg_step(st2), SQLITE_ROW, "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_column_int64(st2, 0), 200000);
	dbpg_finalize(st2);
	for (i = 0; dbpg_step(st) == SQLITE_ROW; i++)
		;
	cr_assert_eq(i, 200000);
	dbpg_finalize(st);
}

/* Inside a transaction a plain INSERT is queued, not waited for: its
 * failure is the answer of the next statement that needs one. */
Test(dbpg, queued_insert_fails_at_the_next_answer, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *st, *q;

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE u (k TEXT UNIQUE)"), SQLITE_OK);
	cr_assert_not(dbpg_in_tx(c));
	cr_assert_eq(dbpg_exec(c, "BEGIN"), SQLITE_OK);
	cr_assert(dbpg_in_tx(c));
	cr_assert_eq(dbpg_prepare(c, "INSERT INTO u VALUES (?)", &st), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "SELECT count(*) FROM u", &q), SQLITE_OK);
	dbpg_bind_text(st, 1, "x", 1);
	cr_assert_eq(dbpg_step(st), SQLITE_DONE);
	dbpg_reset(st);
	dbpg_bind_text(st, 1, "y", 1);
	cr_assert_eq(dbpg_step(st), SQLITE_DONE);
	dbpg_reset(st);
	/* the queued rows are there for the next query of the transaction */
	cr_assert_eq(dbpg_step(q), SQLITE_ROW, "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_column_int64(q, 0), 2);
	cr_assert_eq(dbpg_step(q), SQLITE_DONE);
	dbpg_reset(q);
	dbpg_bind_text(st, 1, "x", 1);
	cr_assert_eq(dbpg_step(st), SQLITE_DONE);	/* queued */
	dbpg_reset(st);
	cr_assert_eq(dbpg_step(q), SQLITE_CONSTRAINT);
	cr_assert_not_null(strstr(dbpg_errmsg(c), "duplicate key"), "%s", dbpg_errmsg(c));
	cr_assert_neq(dbpg_errmsg(c)[strlen(dbpg_errmsg(c)) - 1], '\n');
	dbpg_reset(q);
	cr_assert(dbpg_in_tx(c));
	/* the server aborted the transaction: COMMIT must not look fine */
	cr_assert_neq(dbpg_exec(c, "COMMIT"), SQLITE_OK);
	cr_assert_not(dbpg_in_tx(c));
	cr_assert_eq(dbpg_step(q), SQLITE_ROW);
	cr_assert_eq(dbpg_column_int64(q, 0), 0, "nothing of the failed transaction stays");
	dbpg_reset(q);
	dbpg_finalize(st);
	dbpg_finalize(q);
	cr_assert_eq(dbpg_exec(c, "SELEC 1"), SQLITE_ERROR);
	cr_assert_not_null(strstr(dbpg_errmsg(c), "syntax error"));
}

/* COMMIT of the open transaction fails on a duplicate key, and table u
 * then holds want rows. */
static void commit_refused_leaves(int64_t want)
{
	struct dbpg_stmt *st;

	cr_assert_eq(dbpg_exec(c, "COMMIT"), SQLITE_CONSTRAINT, "%s", dbpg_errmsg(c));
	cr_assert_not_null(strstr(dbpg_errmsg(c), "duplicate key"), "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_exec(c, "ROLLBACK"), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "SELECT count(*) FROM u", &st), SQLITE_OK);
	cr_assert_eq(dbpg_step(st), SQLITE_ROW);
	cr_assert_eq(dbpg_column_int64(st, 0), want);
	dbpg_finalize(st);
}

/* A queued failure with nothing after it is COMMIT's failure. */
Test(dbpg, queued_insert_fails_at_commit, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *st;

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE u (k TEXT UNIQUE); INSERT INTO u VALUES ('x')"),
	    SQLITE_OK);
	cr_assert_eq(dbpg_exec(c, "BEGIN"), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "INSERT INTO u VALUES (?)", &st), SQLITE_OK);
	for (int i = 0; i < 1200; i++) {	/* more than one queue's worth */
		char k[16];

		snprintf(k, sizeof k, "k%d", i);
		dbpg_bind_text(st, 1, k, -1);
		cr_assert_eq(dbpg_step(st), SQLITE_DONE, "%d: %s", i, dbpg_errmsg(c));
		dbpg_reset(st);
	}
	dbpg_bind_text(st, 1, "x", 1);
	cr_assert_eq(dbpg_step(st), SQLITE_DONE);
	dbpg_reset(st);
	commit_refused_leaves(1);	/* only the row from before the transaction */
	dbpg_finalize(st);
}

Test(dbpg, serialization_failure_is_busy, .init = setup, .fini = teardown)
{
	struct dbpg *c2;
	struct dbpg_stmt *st;

	cr_assert_eq(dbpg_connect(url, &c2), SQLITE_OK);
	cr_assert_eq(dbpg_exec(c, "CREATE TABLE a (id INT PRIMARY KEY, v INT); INSERT INTO a VALUES (1, 0)"), SQLITE_OK);
	cr_assert_eq(dbpg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT * FROM a"), SQLITE_OK);
	cr_assert_eq(dbpg_exec(c2, "UPDATE a SET v = 2 WHERE id = 1"), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "UPDATE a SET v = ?1 WHERE id = 1", &st), SQLITE_OK);
	dbpg_bind_int64(st, 1, 3);
	cr_assert_eq(dbpg_step(st), SQLITE_BUSY, "%s", dbpg_errmsg(c));
	dbpg_finalize(st);
	cr_assert_eq(dbpg_exec(c, "ROLLBACK"), SQLITE_OK);
	dbpg_close(c2);
}

Test(dbpg, utility_statements_prepare, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *st;

	cr_assert_eq(dbpg_prepare(c, "BEGIN", &st), SQLITE_OK);
	cr_assert_eq(dbpg_step(st), SQLITE_DONE, "%s", dbpg_errmsg(c));
	dbpg_finalize(st);
	cr_assert(dbpg_in_tx(c));
	cr_assert_eq(dbpg_prepare(c, "SELECT pg_advisory_xact_lock(?1)", &st), SQLITE_OK);
	dbpg_bind_int64(st, 1, 42);
	cr_assert_eq(dbpg_step(st), SQLITE_ROW, "%s", dbpg_errmsg(c));
	dbpg_finalize(st);
	cr_assert_eq(dbpg_prepare(c, "COMMIT", &st), SQLITE_OK);
	cr_assert_eq(dbpg_step(st), SQLITE_DONE, "%s", dbpg_errmsg(c));
	dbpg_finalize(st);
	cr_assert_not(dbpg_in_tx(c));
}

/* A scan runs as a cursor read in batches: statements run between its
 * rows (a lookup, a committed write), and stopping it early inside a
 * transaction leaves that transaction usable. */
Test(dbpg, scan_in_batches_with_statements_between, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *scan, *look, *ins;
	int64_t n = 0, sum = 0;
	int rc;

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE s (id BIGINT PRIMARY KEY);"
	    " INSERT INTO s SELECT generate_series(1, 2500); CREATE TABLE w (v BIGINT)"), SQLITE_OK);
	cr_assert_eq(dbpg_prepare_scan(c, "SELECT id FROM s WHERE id >= ?1 ORDER BY id", &scan),
	    SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "SELECT count(*) FROM s WHERE id <= ?1", &look), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "INSERT INTO w VALUES (?1)", &ins), SQLITE_OK);
	dbpg_bind_int64(scan, 1, 1);
	while ((rc = dbpg_step(scan)) == SQLITE_ROW) {
		int64_t id = dbpg_column_int64(scan, 0);

		cr_assert_eq(id, n + 1);
		dbpg_bind_int64(look, 1, id);
		cr_assert_eq(dbpg_step(look), SQLITE_ROW);
		sum += dbpg_column_int64(look, 0);
		dbpg_reset(look);
		if (id % 1000 == 0) {	/* an autocommit write between batches */
			dbpg_bind_int64(ins, 1, id);
			cr_assert_eq(dbpg_step(ins), SQLITE_DONE, "%s", dbpg_errmsg(c));
			dbpg_reset(ins);
		}
		n++;
	}
	cr_assert_eq(rc, SQLITE_DONE, "%s", dbpg_errmsg(c));
	cr_assert_eq(n, 2500);
	cr_assert_eq(sum, 2500LL * 2501 / 2);
	dbpg_reset(scan);

	/* stopped early in a transaction, then the transaction goes on */
	cr_assert_eq(dbpg_exec(c, "BEGIN"), SQLITE_OK);
	cr_assert_eq(dbpg_step(scan), SQLITE_ROW);
	dbpg_reset(scan);
	dbpg_bind_int64(ins, 1, 7);
	cr_assert_eq(dbpg_step(ins), SQLITE_DONE);
	dbpg_reset(ins);
	cr_assert_eq(dbpg_exec(c, "COMMIT"), SQLITE_OK, "%s", dbpg_errmsg(c));
	dbpg_finalize(look);
	cr_assert_eq(dbpg_prepare(c, "SELECT count(*) FROM w", &look), SQLITE_OK);
	cr_assert_eq(dbpg_step(look), SQLITE_ROW);
	cr_assert_eq(dbpg_column_int64(look, 0), 3, "two autocommit rows and the committed one");
	dbpg_finalize(look);
	dbpg_finalize(scan);
	dbpg_finalize(ins);
}

/* Rows of INSERT INTO t (cols) VALUES (...) inside a transaction go in
 * batches, one statement for two tables at once (the child's foreign
 * key checked at its end); a query of the same transaction sees them
 * all, NULLs and bytes come through, and full batches and the rest
 * agree. */
Test(dbpg, batched_inserts_of_two_tables, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *p, *ch, *q;
	const int n = 1000;	/* several full batches and a partial one */

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE p (id BIGINT PRIMARY KEY, k TEXT NOT NULL, "
	    "opt BIGINT); CREATE TABLE ch (id BIGINT PRIMARY KEY, pid BIGINT NOT NULL "
	    "REFERENCES p(id), b BYTEA)"), SQLITE_OK);
	cr_assert_eq(dbpg_exec(c, "BEGIN"), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "INSERT INTO p (id, k, opt) VALUES (?1, ?2, ?3)", &p), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "INSERT INTO ch (id, pid, b) VALUES (?1, ?2, ?3)", &ch), SQLITE_OK);
	for (int i = 1; i <= n; i++) {
		char k[16];
		unsigned char b[3] = { 0, (unsigned char)i, '\'' };

		snprintf(k, sizeof k, "k%d", i);
		dbpg_bind_int64(p, 1, i);
		dbpg_bind_text(p, 2, k, -1);
		if (i % 3 == 0)
			dbpg_bind_null(p, 3);
		else
			dbpg_bind_int64(p, 3, i * 10);
		cr_assert_eq(dbpg_step(p), SQLITE_DONE, "%d: %s", i, dbpg_errmsg(c));
		dbpg_reset(p);
		dbpg_bind_int64(ch, 1, 100000 + i);
		dbpg_bind_int64(ch, 2, i);
		dbpg_bind_blob(ch, 3, b, sizeof b);
		cr_assert_eq(dbpg_step(ch), SQLITE_DONE, "%d: %s", i, dbpg_errmsg(c));
		dbpg_reset(ch);
	}
	cr_assert_eq(dbpg_prepare(c, "SELECT count(*), sum(opt), count(opt) FROM p", &q), SQLITE_OK);
	cr_assert_eq(dbpg_step(q), SQLITE_ROW, "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_column_int64(q, 0), n);
	cr_assert_eq(dbpg_column_int64(q, 2), n - n / 3);
	{
		int64_t want = 0;

		for (int i = 1; i <= n; i++)
			want += i % 3 ? i * 10 : 0;
		cr_assert_eq(dbpg_column_int64(q, 1), want);
	}
	dbpg_finalize(q);
	cr_assert_eq(dbpg_exec(c, "COMMIT"), SQLITE_OK, "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_prepare(c, "SELECT p.k, ch.b FROM ch JOIN p ON p.id = ch.pid "
	    "WHERE ch.id = ?1", &q), SQLITE_OK);
	dbpg_bind_int64(q, 1, 100000 + 777);
	cr_assert_eq(dbpg_step(q), SQLITE_ROW, "%s", dbpg_errmsg(c));
	cr_assert_str_eq((const char *)dbpg_column_text(q, 0), "k777");
	cr_assert_eq(dbpg_column_bytes(q, 1), 3);
	cr_assert_eq(memcmp(dbpg_column_blob(q, 1), (unsigned char[]){ 0, 777 & 0xff, '\'' }, 3), 0);
	dbpg_finalize(q);
	dbpg_finalize(p);
	dbpg_finalize(ch);
}

/* A batched row that breaks a constraint fails the transaction: COMMIT
 * says so and nothing of it stays, whichever batch held the row. */
Test(dbpg, batched_insert_failure_fails_the_commit, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *st;

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE u (id BIGINT PRIMARY KEY, k TEXT UNIQUE)"), SQLITE_OK);
	cr_assert_eq(dbpg_exec(c, "BEGIN"), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "INSERT INTO u (id, k) VALUES (?1, ?2)", &st), SQLITE_OK);
	for (int i = 0; i < 700; i++) {
		char k[16];

		snprintf(k, sizeof k, "k%d", i == 650 ? 3 : i);	/* a key taken earlier */
		dbpg_bind_int64(st, 1, i);
		dbpg_bind_text(st, 2, k, -1);
		cr_assert_eq(dbpg_step(st), SQLITE_DONE, "%d: %s", i, dbpg_errmsg(c));
		dbpg_reset(st);
	}
	commit_refused_leaves(0);
	dbpg_finalize(st);
}

/* A full batch's statement is prepared once per shape, and the shape is
 * the statements' text and row counts: statements of two tables in turn,
 * each finalized before the next is prepared, put every row in its own
 * table.  (Keyed by address, shapes mixed up where a new statement got a
 * finalized one's address: tests/cli/t032's restores on PostgreSQL.) */
Test(dbpg, batch_shape_follows_the_statement, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *st;
	const int rounds = 20, rows = 300;	/* a full batch and a partial one each */

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE a (id BIGINT PRIMARY KEY, v TEXT); "
	    "CREATE TABLE b (id BIGINT PRIMARY KEY, v TEXT, w TEXT)"), SQLITE_OK);
	cr_assert_eq(dbpg_exec(c, "BEGIN"), SQLITE_OK);
	for (int t = 0; t < rounds; t++) {
		int is_b = t % 2;

		cr_assert_eq(dbpg_prepare(c, is_b ? "INSERT INTO b (id, v, w) VALUES (?1, ?2, ?3)" :
		    "INSERT INTO a (id, v) VALUES (?1, ?2)", &st), SQLITE_OK);
		for (int i = 0; i < rows; i++) {
			dbpg_bind_int64(st, 1, t * 1000 + i);
			dbpg_bind_text(st, 2, is_b ? "b" : "a", -1);
			if (is_b)
				dbpg_bind_text(st, 3, "w", -1);
			cr_assert_eq(dbpg_step(st), SQLITE_DONE, "%d %d: %s", t, i, dbpg_errmsg(c));
			dbpg_reset(st);
		}
		dbpg_finalize(st);
	}
	cr_assert_eq(dbpg_exec(c, "COMMIT"), SQLITE_OK, "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_prepare(c, "SELECT (SELECT count(*) FROM a WHERE v = 'a'), "
	    "(SELECT count(*) FROM b WHERE v = 'b' AND w = 'w'), (SELECT count(*) FROM a)", &st), SQLITE_OK);
	cr_assert_eq(dbpg_step(st), SQLITE_ROW, "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_column_int64(st, 0), rounds / 2 * rows);
	cr_assert_eq(dbpg_column_int64(st, 1), rounds / 2 * rows);
	cr_assert_eq(dbpg_column_int64(st, 2), rounds / 2 * rows);
	dbpg_finalize(st);
}

/* A batch's failure read by a finalize (a restore finalizes a table's
 * statement before the next) is still the answer of the statements the
 * server then refuses, and of COMMIT: not "current transaction is
 * aborted". */
Test(dbpg, first_failure_outlives_a_finalize, .init = setup, .fini = teardown)
{
	struct dbpg_stmt *st;

	cr_assert_eq(dbpg_exec(c, "CREATE TABLE u (id BIGINT PRIMARY KEY, k TEXT UNIQUE)"), SQLITE_OK);
	cr_assert_eq(dbpg_exec(c, "BEGIN"), SQLITE_OK);
	cr_assert_eq(dbpg_prepare(c, "INSERT INTO u (id, k) VALUES (?1, ?2)", &st), SQLITE_OK);
	for (int i = 0; i < 3; i++) {
		dbpg_bind_int64(st, 1, i);
		dbpg_bind_text(st, 2, "same", -1);
		cr_assert_eq(dbpg_step(st), SQLITE_DONE);
		dbpg_reset(st);
	}
	dbpg_finalize(st);
	cr_assert_eq(dbpg_prepare(c, "SELECT count(*) FROM u", &st), SQLITE_OK);
	cr_assert_eq(dbpg_step(st), SQLITE_CONSTRAINT, "%s", dbpg_errmsg(c));
	cr_assert_not_null(strstr(dbpg_errmsg(c), "duplicate key"), "%s", dbpg_errmsg(c));
	dbpg_finalize(st);
	cr_assert_eq(dbpg_exec(c, "COMMIT"), SQLITE_CONSTRAINT, "%s", dbpg_errmsg(c));
	cr_assert_not_null(strstr(dbpg_errmsg(c), "duplicate key"), "%s", dbpg_errmsg(c));
	cr_assert_not_null(strstr(dbpg_errmsg(c), "rolled back"), "%s", dbpg_errmsg(c));
	/* a new transaction starts clean */
	cr_assert_eq(dbpg_exec(c, "BEGIN"), SQLITE_OK);
	cr_assert_eq(dbpg_exec(c, "SELEC 1"), SQLITE_ERROR);
	cr_assert_not_null(strstr(dbpg_errmsg(c), "syntax error"), "%s", dbpg_errmsg(c));
	cr_assert_eq(dbpg_exec(c, "ROLLBACK"), SQLITE_OK);
}
