/* test_store.c: real SQLite files in a temporary directory: migrations,
 * the schema, the append-only hash-chained audit trail. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/slatrack-store.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
}

static void teardown(void)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static void raw_exec(const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(db);
}

static int raw_fails(const char *sql)
{
	sqlite3 *db;
	int rc;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc != SQLITE_OK;
}

static void add_events(struct store *s, int n)
{
	struct diag d;

	cr_assert_eq(store_begin(s, &d), 0, "%s", d.msg);
	for (int i = 0; i < n; i++) {
		char v[32];

		snprintf(v, sizeof v, "value %d", i);
		cr_assert_eq(store_event_add(s, 1000 + i, "alice", "note", 0, 0, "note",
		    i % 2 ? NULL : "", v, &d), 0, "%s", d.msg);
	}
	cr_assert_eq(store_commit(s, &d), 0, "%s", d.msg);
}

static struct store_audit_result verify(void)
{
	struct store_audit_result r;
	struct diag d;
	struct store *s = store_open(path, &d);

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_audit_verify(s, &r, &d), 0, "%s", d.msg);
	store_close(s);
	return r;
}

TestSuite(store, .init = setup, .fini = teardown);

/* Every migration applied to an empty database yields db/schema.sql. */
Test(store, migrations_yield_schema_sql)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	char cmd[512], *got = NULL, *want = NULL;
	size_t glen = 0, wlen = 0;
	FILE *f;

	cr_assert_not_null(s, "%s", d.msg);
	cr_expect_eq(store_schema_version(s), store_latest_version());
	store_close(s);
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' .schema | grep -v '^CREATE TABLE sqlite_sequence'", path);
	cr_assert_not_null(f = popen(cmd, "r"));
	cr_assert_geq(getdelim(&got, &glen, '\0', f), 0);
	pclose(f);
	cr_assert_not_null(f = popen("grep -v '^--' db/schema.sql | grep -v '^CREATE TABLE sqlite_sequence'", "r"));
	cr_assert_geq(getdelim(&want, &wlen, '\0', f), 0);
	pclose(f);
	cr_expect_str_eq(got, want, "db/schema.sql is out of date with db/migrations");
	free(got);
	free(want);
}

Test(store, reopen_is_idempotent_and_wal)
{
	struct diag d;
	struct store *s = store_open(path, &d);

	cr_assert_not_null(s);
	store_close(s);
	s = store_open(path, &d);
	cr_assert_not_null(s, "%s", d.msg);
	cr_expect_eq(store_schema_version(s), store_latest_version());
	store_close(s);
	cr_expect(access(path, F_OK) == 0);
	raw_exec("CREATE TABLE probe (x); DROP TABLE probe;");
	{
		char wal[160];

		snprintf(wal, sizeof wal, "%s-wal", path);
		s = store_open(path, &d);
		cr_expect(access(wal, F_OK) == 0, "WAL file present while open");
		store_close(s);
	}
}

Test(store, newer_schema_refused)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	char sql[64];

	store_close(s);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_latest_version() + 5);
	raw_exec(sql);
	cr_expect_null(store_open(path, &d));
	cr_expect_eq(d.code, DIAG_STORE);
	cr_expect(strstr(d.msg, "newer") != NULL, "%s", d.msg);
}

Test(store, audit_chain_holds)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	struct store_audit_result r;

	add_events(s, 20);
	store_close(s);
	r = verify();
	cr_expect_eq(r.nevents, 20);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(strlen(r.head_hash), 64);
}

Test(store, events_are_append_only)
{
	struct diag d;
	struct store *s = store_open(path, &d);

	add_events(s, 3);
	store_close(s);
	cr_expect(raw_fails("UPDATE events SET actor = 'mallory' WHERE id = 2"));
	cr_expect(raw_fails("DELETE FROM events WHERE id = 2"));
	cr_expect_eq(verify().bad_id, 0);
}

Test(store, audit_finds_edited_row)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	struct store_audit_result r;

	add_events(s, 10);
	store_close(s);
	raw_exec("DROP TRIGGER events_no_update; UPDATE events SET new = 'forged' WHERE id = 7");
	r = verify();
	cr_expect_eq(r.bad_id, 7, "%s", r.problem);
	cr_expect(strstr(r.problem, "edited") != NULL, "%s", r.problem);
}

Test(store, audit_finds_deleted_row)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	struct store_audit_result r;

	add_events(s, 10);
	store_close(s);
	raw_exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 4");
	r = verify();
	cr_expect_eq(r.bad_id, 5, "%s", r.problem);
	cr_expect(strstr(r.problem, "missing") != NULL, "%s", r.problem);
}

Test(store, audit_finds_inserted_row)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	struct store_audit_result r;

	add_events(s, 5);
	store_close(s);
	/* a row slipped in at the end, with a made-up hash */
	raw_exec("INSERT INTO events (id, at, actor, kind, prev_hash, hash) SELECT 6, 1, 'm',"
	    " 'note', hash, 'ab' FROM events WHERE id = 5");
	r = verify();
	cr_expect_eq(r.bad_id, 6, "%s", r.problem);
	/* and one renumbered into the middle of the chain */
	raw_exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 6;"
	    "DROP TRIGGER events_no_update; UPDATE events SET id = id + 1000 WHERE id >= 3;"
	    "UPDATE events SET id = id - 999 WHERE id >= 1000;");
	raw_exec("INSERT INTO events (id, at, actor, kind, prev_hash, hash) SELECT 3, 1, 'm',"
	    " 'note', hash, hash FROM events WHERE id = 2");
	r = verify();
	cr_expect_eq(r.bad_id, 3, "%s", r.problem);
}

Test(store, rollback_leaves_nothing)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	struct store_audit_result r;

	cr_assert_eq(store_begin(s, &d), 0);
	cr_assert_eq(store_event_add(s, 1, "a", "note", 0, 0, NULL, NULL, "x", &d), 0);
	store_rollback(s);
	cr_assert_eq(store_audit_verify(s, &r, &d), 0);
	cr_expect_eq(r.nevents, 0);
	store_close(s);
}

Test(store, integrity_and_backup)
{
	struct diag d;
	struct store *s = store_open(path, &d), *b;
	char *report, bpath[160];
	struct store_audit_result r;

	add_events(s, 4);
	cr_assert_eq(store_integrity(s, &report, &d), 0, "%s", d.msg);
	cr_expect_null(report);
	snprintf(bpath, sizeof bpath, "%s/backup.db", dir);
	cr_assert_eq(store_backup(s, bpath, &d), 0, "%s", d.msg);
	store_close(s);
	b = store_open(bpath, &d);
	cr_assert_not_null(b, "%s", d.msg);
	cr_assert_eq(store_audit_verify(b, &r, &d), 0);
	cr_expect_eq(r.nevents, 4);
	cr_expect_eq(r.bad_id, 0);
	store_close(b);
}

/* The hash stored for event id, read straight from the file. */
static void raw_hash(int64_t id, char out[65])
{
	sqlite3 *db;
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT hash FROM events WHERE id = ?1", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(store, audit_head_and_verify_upto)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	struct store_audit_result r;
	char head[65], want[65];
	int64_t id;

	cr_assert_eq(store_audit_head(s, &id, head, &d), 0, "%s", d.msg);
	cr_expect_eq(id, 0);
	cr_expect_str_eq(head, "");
	add_events(s, 10);
	cr_assert_eq(store_audit_head(s, &id, head, &d), 0, "%s", d.msg);
	cr_expect_eq(id, 10);
	raw_hash(10, want);
	cr_expect_str_eq(head, want);
	/* only events 1..5, as a reader that saw 5 as the head would */
	cr_assert_eq(store_audit_verify_upto(s, 5, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.nevents, 5);
	cr_expect_eq(r.head_id, 5);
	cr_expect_eq(r.bad_id, 0);
	raw_hash(5, want);
	cr_expect_str_eq(r.head_hash, want);
	cr_assert_eq(store_audit_verify(s, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.nevents, 10);
	cr_expect_eq(r.head_id, 10);
	store_close(s);
	/* an edit after event 5 is outside what verify_upto(5) looks at */
	raw_exec("DROP TRIGGER events_no_update; UPDATE events SET new = 'forged' WHERE id = 8");
	s = store_open(path, &d);
	cr_assert_eq(store_audit_verify_upto(s, 5, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.bad_id, 0);
	cr_assert_eq(store_audit_verify_upto(s, 9, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.bad_id, 8, "%s", r.problem);
	store_close(s);
}

Test(store, reader_reads_and_cannot_write)
{
	struct diag d;
	struct store *s = store_open(path, &d), *rd;
	struct store_audit_result r;

	add_events(s, 3);
	rd = store_open_reader(path, &d);
	cr_assert_not_null(rd, "%s", d.msg);
	cr_assert_eq(store_audit_verify(rd, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.nevents, 3);
	cr_expect(store_begin(rd, &d) < 0 ||
	    store_event_add(rd, 1, "m", "note", 0, 0, NULL, NULL, "x", &d) < 0,
	    "a read-only connection wrote an event");
	store_rollback(rd);
	store_close(rd);
	store_close(s);
	cr_expect_null(store_open_reader("/nonexistent/dir/x.db", &d));
	cr_expect_eq(d.code, DIAG_STORE);
	cr_expect(strstr(d.msg, "/nonexistent/dir/x.db") != NULL, "%s", d.msg);
}
