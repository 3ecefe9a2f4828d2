/* test_auditjob.c: the audit chain verified on a thread of its own with
 * its own connection, held to the snapshot of the connection that
 * started it.  Real SQLite files, a real second thread. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditjob.h"
#include "store-report.h"
#include "store.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/slatrack-auditjob.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
}

static void teardown(void)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(auditjob, .init = setup, .fini = teardown);

/* n events through a connection of its own, which is closed again. */
static void append(const char *db, int n, const char *what)
{
	struct diag d;
	struct store *s = store_open(db, &d);

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_begin(s, &d), 0, "%s", d.msg);
	for (int i = 0; i < n; i++)
		cr_assert_eq(store_event_add(s, 1000 + i, "alice", "note", 0, 0, "note", NULL,
		    what, &d), 0, "%s", d.msg);
	cr_assert_eq(store_commit(s, &d), 0, "%s", d.msg);
	store_close(s);
}

static void raw_exec(const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(db);
}

/* Starts a job inside a report snapshot of s and waits for it. */
static struct store_audit_result run_job(struct store *s)
{
	struct store_audit_result r;
	struct auditjob *j;
	struct diag d;

	cr_assert_eq(store_report_begin(s, &d), 0, "%s", d.msg);
	j = auditjob_start(s, &d);
	cr_assert_not_null(j, "%s", d.msg);
	cr_assert_eq(auditjob_finish(j, &r, &d), 0, "%s", d.msg);
	store_report_end(s);
	return r;
}

Test(auditjob, answers_as_audit_verify_does)
{
	struct store_audit_result plain, job;
	struct diag d;
	struct store *s;

	append(path, 300, "v");
	s = store_open(path, &d);
	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_audit_verify(s, &plain, &d), 0, "%s", d.msg);
	job = run_job(s);
	cr_expect_eq(job.nevents, 300);
	cr_expect_eq(job.bad_id, 0, "%s", job.problem);
	cr_expect_eq(job.head_id, 300);
	cr_expect_str_eq(job.head_hash, plain.head_hash);
	store_close(s);
}

Test(auditjob, an_empty_trail_is_intact)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	struct store_audit_result r;

	cr_assert_not_null(s, "%s", d.msg);
	r = run_job(s);
	cr_expect_eq(r.nevents, 0);
	cr_expect_eq(r.bad_id, 0);
	cr_expect_str_eq(r.head_hash, "");
	store_close(s);
}

/* Events another process appends while the job runs are after the
 * snapshot's head, and not counted. */
Test(auditjob, events_after_the_snapshot_are_not_counted)
{
	struct store_audit_result r;
	struct auditjob *j;
	struct diag d;
	struct store *s;
	int64_t head;
	char hash[65];

	append(path, 40, "v");
	s = store_open(path, &d);
	cr_assert_eq(store_report_begin(s, &d), 0, "%s", d.msg);
	cr_assert_eq(store_audit_head(s, &head, hash, &d), 0, "%s", d.msg);
	append(path, 25, "later");
	j = auditjob_start(s, &d);
	cr_assert_not_null(j, "%s", d.msg);
	append(path, 25, "later still");
	cr_assert_eq(auditjob_finish(j, &r, &d), 0, "%s", d.msg);
	store_report_end(s);
	cr_expect_eq(head, 40);
	cr_expect_eq(r.nevents, 40);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_str_eq(r.head_hash, hash);
	store_close(s);
}

Test(auditjob, finds_an_edited_event)
{
	struct diag d;
	struct store *s;
	struct store_audit_result r;

	append(path, 20, "v");
	raw_exec("DROP TRIGGER events_no_update; UPDATE events SET new = 'forged' WHERE id = 13");
	s = store_open(path, &d);
	r = run_job(s);
	cr_expect_eq(r.bad_id, 13, "%s", r.problem);
	cr_expect(strstr(r.problem, "edited") != NULL, "%s", r.problem);
	store_close(s);
}

/* The last event replaced by a validly hashed one after the report's
 * snapshot was taken: the chain the thread reads holds, but it is not
 * the snapshot's chain, and the job must say so. */
Test(auditjob, a_head_rewritten_after_the_snapshot_is_caught)
{
	struct store_audit_result r;
	struct auditjob *j;
	struct diag d;
	struct store *s;
	int64_t head;
	char hash[65];

	append(path, 6, "v");
	s = store_open(path, &d);
	cr_assert_eq(store_report_begin(s, &d), 0, "%s", d.msg);
	cr_assert_eq(store_audit_head(s, &head, hash, &d), 0, "%s", d.msg);
	raw_exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 6;"
	    " UPDATE sqlite_sequence SET seq = 5 WHERE name = 'events'");
	append(path, 1, "rewritten");
	j = auditjob_start(s, &d);
	cr_assert_not_null(j, "%s", d.msg);
	cr_assert_eq(auditjob_finish(j, &r, &d), 0, "%s", d.msg);
	store_report_end(s);
	cr_expect_eq(head, 6);
	cr_expect_eq(r.bad_id, 6, "%s", r.problem);
	cr_expect(strstr(r.problem, "while the report was being made") != NULL, "%s", r.problem);
	store_close(s);
}

/* No second connection can reach an in-memory database: the job
 * verifies on the caller's connection, with the same answer. */
Test(auditjob, in_memory_database_is_verified_in_place)
{
	struct store_audit_result r;
	struct diag d;
	struct store *s = store_open(":memory:", &d);

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_begin(s, &d), 0, "%s", d.msg);
	for (int i = 0; i < 7; i++)
		cr_assert_eq(store_event_add(s, 1, "a", "note", 0, 0, NULL, NULL, "x", &d), 0,
		    "%s", d.msg);
	cr_assert_eq(store_commit(s, &d), 0, "%s", d.msg);
	r = run_job(s);
	cr_expect_eq(r.nevents, 7);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(strlen(r.head_hash), 64);
	store_close(s);
}

/* Events deleted at the end leave a chain that holds: the job must find
 * them as audit verify does, from the witnesses in the snapshot. */
Test(auditjob, events_deleted_at_the_end_are_found)
{
	struct store_audit_result r;
	struct diag d;
	struct store *s;

	append(path, 9, "v");
	raw_exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 6");
	s = store_open(path, &d);
	cr_assert_not_null(s, "%s", d.msg);
	r = run_job(s);
	cr_expect_eq(r.bad_id, 7, "%s", r.problem);
	cr_expect(strstr(r.problem, "events 7..9 at the end are missing") != NULL, "%s",
	    r.problem);
	/* the sequence made to agree: the recorded head still knows */
	raw_exec("UPDATE sqlite_sequence SET seq = 6 WHERE name = 'events'");
	r = run_job(s);
	cr_expect_eq(r.bad_id, 7, "%s", r.problem);
	cr_expect(strstr(r.problem, "recorded at the last append is event 9") != NULL, "%s",
	    r.problem);
	store_close(s);
}

/* From AUDITJOB_SPLIT_FROM events the chain is verified in parts of
 * AUDITJOB_PART events taken in turn by threads (here three: two whole
 * and a short last one): an edit inside a part, at either end of one,
 * and events cut out or relinked where two parts meet are named as one
 * walk names them, and an intact chain counts every event once. */
Test(auditjob, a_long_chain_in_parts_answers_as_one_walk)
{
	enum { P = AUDITJOB_PART };
	char breaks[9][200];
	size_t nbreaks = 0;

#define BREAK(...) snprintf(breaks[nbreaks++], sizeof breaks[0], __VA_ARGS__)
	BREAK("%s", "");
	BREAK("DROP TRIGGER events_no_update; UPDATE events SET new = 'x' WHERE id = %d", P - 2768);
	BREAK("DROP TRIGGER events_no_update; UPDATE events SET new = 'x' WHERE id = %d", P);
	BREAK("DROP TRIGGER events_no_update; UPDATE events SET new = 'x' WHERE id = %d", 2 * P + 1);
	BREAK("DROP TRIGGER events_no_update; UPDATE events SET new = 'x' WHERE id = %d", 60000);
	BREAK("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id IN (35000, 35001)");
	BREAK("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id IN (%d, %d)", P, P + 1);
	BREAK("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = %d", 2 * P);
	BREAK("DROP TRIGGER events_no_update; UPDATE events SET prev_hash = hash WHERE id = %d",
	    2 * P + 1);
#undef BREAK
	cr_assert(70000 > 2 * P && 70000 >= AUDITJOB_SPLIT_FROM, "three parts");
	char base[160], cmd[600];

	append(path, 70000, "v");
	snprintf(base, sizeof base, "%s/base.db", dir);
	snprintf(cmd, sizeof cmd, "VACUUM INTO '%s'", base);
	raw_exec(cmd);
	for (size_t b = 0; b < nbreaks; b++) {
		struct store_audit_result plain, job;
		struct diag d;
		struct store *s;

		snprintf(cmd, sizeof cmd, "rm -f '%s-wal' '%s-shm' && cp '%s' '%s'", path, path,
		    base, path);
		cr_assert_eq(system(cmd), 0);
		if (*breaks[b] != '\0')
			raw_exec(breaks[b]);
		s = store_open(path, &d);
		cr_assert_not_null(s, "%s", d.msg);
		cr_assert_eq(store_audit_verify(s, &plain, &d), 0, "%s", d.msg);
		job = run_job(s);
		cr_expect_eq(job.bad_id, plain.bad_id, "break %zu: %s / %s", b, job.problem,
		    plain.problem);
		cr_expect_str_eq(job.problem, plain.problem, "break %zu", b);
		cr_expect_eq(job.nevents, plain.nevents, "break %zu", b);
		cr_expect_str_eq(job.head_hash, plain.head_hash, "break %zu", b);
		if (b == 0)
			cr_expect_eq(job.nevents, 70000);
		else
			cr_expect_neq(job.bad_id, 0, "break %zu found", b);
		store_close(s);
	}
}
