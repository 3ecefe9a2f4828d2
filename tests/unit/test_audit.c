/* test_audit.c: the end of the audit chain (issue 10, item 8): events
 * deleted at the end, found against SQLite's sequence and the head
 * recorded with every append; a head published elsewhere; the migration
 * that records the head in a database made by schema 3.  Real SQLite
 * files in a temporary directory. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

extern const char *const store_migrations[];

static char dir[64];
static char path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/slatrack-audit.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
}

static void teardown(void)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(audit, .init = setup, .fini = teardown);

static void raw_exec_on(const char *file, const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	cr_assert_eq(sqlite3_open(file, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(db);
}

static void raw_exec(const char *sql)
{
	raw_exec_on(path, sql);
}

static void raw_text(const char *sql, char *out, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void append_to(const char *file, int n)
{
	struct diag d;
	struct store *s = store_open(file, &d);

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_begin(s, &d), 0, "%s", d.msg);
	for (int i = 0; i < n; i++) {
		char v[32];

		snprintf(v, sizeof v, "value %d", i);
		cr_assert_eq(store_event_add(s, 1000 + i, "alice", "note", 0, 0, "note", NULL,
		    v, &d), 0, "%s", d.msg);
	}
	cr_assert_eq(store_commit(s, &d), 0, "%s", d.msg);
	store_close(s);
}

static void append(int n)
{
	append_to(path, n);
}

static struct store_audit_result verify_head(const struct store_audit_anchor *a)
{
	struct store_audit_result r;
	struct diag d;
	struct store *s = store_open(path, &d);

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_audit_verify_head(s, a, &r, &d), 0, "%s", d.msg);
	store_close(s);
	return r;
}

static struct store_audit_result verify(void)
{
	return verify_head(NULL);
}

#define expect_problem(r, id, text) do { \
	cr_expect_eq((r).bad_id, (id), "bad_id %lld: %s", (long long)(r).bad_id, (r).problem); \
	cr_expect(strstr((r).problem, (text)) != NULL, "%s", (r).problem); \
} while (0)

Test(audit, the_recorded_head_follows_every_append)
{
	char id[32], hash[80], last[80];

	raw_exec("SELECT 1");	/* creates the file */
	append(1);
	raw_text("SELECT id FROM audit_head", id, sizeof id);
	cr_expect_str_eq(id, "1");
	append(4);
	raw_text("SELECT id FROM audit_head", id, sizeof id);
	raw_text("SELECT hash FROM audit_head", hash, sizeof hash);
	raw_text("SELECT hash FROM events WHERE id = 5", last, sizeof last);
	cr_expect_str_eq(id, "5");
	cr_expect_str_eq(hash, last);
	cr_expect_eq(verify().bad_id, 0, "%s", verify().problem);
}

/* The hole the issue found: DELETE the last events and the chain that is
 * left holds.  Each witness is defeated in turn, as an attacker with the
 * sqlite3 shell would, until only a published head is left. */
Test(audit, events_deleted_at_the_end_are_found)
{
	struct store_audit_result r;

	append(10);
	raw_exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 7");
	r = verify();
	expect_problem(r, 8, "events 8..10 at the end are missing (deleted): ids up to 10 "
	    "were given out");
	cr_expect_eq(r.head_id, 7);

	raw_exec("UPDATE sqlite_sequence SET seq = 7 WHERE name = 'events'");
	r = verify();
	expect_problem(r, 8, "events 8..10 at the end are missing (deleted): the head "
	    "recorded at the last append is event 10");

	/* the guard: the recorded head does not move back by plain SQL */
	{
		sqlite3 *db;

		cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
		cr_expect_neq(sqlite3_exec(db, "UPDATE audit_head SET id = 7", NULL, NULL, NULL),
		    SQLITE_OK);
		cr_expect_neq(sqlite3_exec(db, "DELETE FROM audit_head", NULL, NULL, NULL),
		    SQLITE_OK);
		sqlite3_close(db);
	}
	raw_exec("DROP TRIGGER audit_head_no_delete; DELETE FROM audit_head");
	r = verify();
	expect_problem(r, 8, "the recorded head of the trail was deleted");
}

Test(audit, the_whole_file_rewritten_needs_a_published_head)
{
	struct store_audit_result r;
	struct store_audit_anchor a;
	char h10[80];

	append(10);
	r = verify();
	cr_assert_eq(r.bad_id, 0, "%s", r.problem);
	/* what `audit head` would publish */
	a.id = r.head_id;
	memcpy(a.hash, r.head_hash, sizeof a.hash);
	snprintf(h10, sizeof h10, "%s", r.head_hash);
	r = verify_head(&a);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(r.anchor_id, 10);
	/* the hash alone is found too */
	a.id = 0;
	cr_expect_eq(verify_head(&a).anchor_id, 10);
	/* an older published head is still in the trail */
	raw_text("SELECT hash FROM events WHERE id = 4", a.hash, sizeof a.hash);
	a.id = 4;
	cr_expect_eq(verify_head(&a).anchor_id, 4);

	/* every witness rewritten to agree: the file alone looks whole */
	raw_exec("DROP TRIGGER events_no_delete; DROP TRIGGER audit_head_forward_only;"
	    " DELETE FROM events WHERE id > 7;"
	    " UPDATE sqlite_sequence SET seq = 7 WHERE name = 'events';"
	    " UPDATE audit_head SET id = 7, hash = (SELECT hash FROM events WHERE id = 7)");
	r = verify();
	cr_expect_eq(r.bad_id, 0, "a consistent rewrite cannot be seen from the file: %s",
	    r.problem);
	a.id = 10;
	memcpy(a.hash, h10, sizeof a.hash);
	r = verify_head(&a);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(r.anchor_id, 0, "the published head must be missing");
	/* history rewritten from event 8 on, with new events 8..10 */
	append(3);
	r = verify_head(&a);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(r.head_id, 10);
	cr_expect_eq(r.anchor_id, 0, "event 10 is another event now");
	a.id = 0;
	cr_expect_eq(verify_head(&a).anchor_id, 0);
}

/* The last event deleted and a different one appended in its place
 * (the sequence set back): the recorded head holds the old hash. */
Test(audit, the_last_event_replaced_is_found)
{
	struct store_audit_result r;

	append(5);
	raw_exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 5;"
	    " UPDATE sqlite_sequence SET seq = 4 WHERE name = 'events'");
	append(1);
	r = verify();
	expect_problem(r, 5, "its hash differs from the one recorded when it was appended");
}

/* An event appended with the trigger that records the head dropped. */
Test(audit, an_event_added_behind_the_trigger_is_found)
{
	struct store_audit_result r;

	append(5);
	raw_exec("DROP TRIGGER events_move_head");
	append(2);
	r = verify();
	expect_problem(r, 6, "added behind slatrack's back: the head recorded at the last "
	    "append is event 5");
}

/* After a cut, the next change is numbered after the highest id given
 * out: the gap stays visible even once the trail grows again. */
Test(audit, a_change_after_a_cut_leaves_the_gap_visible)
{
	append(6);
	raw_exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 4");
	append(1);
	expect_problem(verify(), 7, "events 5..6 before it are missing (deleted)");
}

/* A database made by schema 3 (the migrations before the recorded head,
 * applied as the released slatrack applied them) with a real chain: the
 * upgrade records its head, and a cut made after it is found. */
Test(audit, migration_records_the_head_of_an_existing_trail)
{
	char old[160], sql[512], v[32], hash[80], want[80];
	struct store_audit_result r;
	struct diag d;
	struct store *s;

	/* the chain, made by this slatrack in a scratch file */
	snprintf(old, sizeof old, "%s/scratch.db", dir);
	append_to(old, 12);
	/* the schema-3 database, and the chain copied into it */
	for (int i = 0; i < 3; i++)
		raw_exec(store_migrations[i]);
	snprintf(sql, sizeof sql, "PRAGMA user_version = 3; ATTACH '%s' AS o;"
	    " INSERT INTO events SELECT * FROM o.events;"
	    " UPDATE sqlite_sequence SET seq = (SELECT seq FROM o.sqlite_sequence"
	    " WHERE name = 'events') WHERE name = 'events'; DETACH o;", old);
	raw_exec(sql);
	raw_text("SELECT count(*) FROM sqlite_master WHERE name = 'audit_head'", v, sizeof v);
	cr_assert_str_eq(v, "0", "the database is not a schema-3 one");

	s = store_open(path, &d);
	cr_assert_not_null(s, "%s", d.msg);
	cr_expect_eq(store_schema_version(s), store_latest_version());
	cr_assert_eq(store_audit_verify(s, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(r.nevents, 12);
	store_close(s);
	raw_text("SELECT id FROM audit_head", v, sizeof v);
	raw_text("SELECT hash FROM audit_head", hash, sizeof hash);
	raw_text("SELECT hash FROM events WHERE id = 12", want, sizeof want);
	cr_expect_str_eq(v, "12");
	cr_expect_str_eq(hash, want);

	/* and it is kept from then on */
	append(2);
	raw_exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 12;"
	    " UPDATE sqlite_sequence SET seq = 12 WHERE name = 'events'");
	expect_problem(verify(), 13, "the head recorded at the last append is event 14");
}

/* An empty database migrates to an empty recorded head. */
Test(audit, an_empty_trail_has_an_empty_head)
{
	struct store_audit_end e;
	struct diag d;
	struct store *s = store_open(path, &d);

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_audit_end(s, &e, &d), 0, "%s", d.msg);
	cr_expect_eq(e.last_id, 0);
	cr_expect_eq(e.seq, 0);
	cr_expect_eq(e.recorded_id, 0);
	cr_expect_str_eq(e.recorded_hash, "");
	store_close(s);
	cr_expect_eq(verify().bad_id, 0);
	cr_expect_eq(verify().nevents, 0);
}

/* Text of n bytes, every byte's value from its place: a field longer than
 * the buffer the hashed text is gathered in. */
static char *long_text(size_t n)
{
	char *s = malloc(n + 1);

	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('a' + i * 7 % 26);
	s[n] = '\0';
	return s;
}

/* The hashes of events of every shape are fixed: a database written by
 * an earlier version verifies in this one.  The expected head is the one
 * commit dd183d0 computed, before event_hash was rewritten: NULL fields, instants of several digits and
 * negative ones, empty and non-ASCII text, a field that fills that
 * buffer and one longer than it. */
Test(audit, the_hash_of_an_event_is_the_one_every_version_computes)
{
	char *big = long_text(5000), *mid = long_text(900);
	struct store_audit_result r;
	struct diag d;
	struct store *s = store_open(path, &d);

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_begin(s, &d), 0, "%s", d.msg);
	cr_assert_eq(store_event_add(s, 1735689600, "root", "ticket.add", 0, 0, NULL, NULL,
	    "{\"key\":\"A-1\"}", &d), 0, "%s", d.msg);
	cr_assert_eq(store_event_add(s, -86400, "", "ticket.update", 0, 0, "summary", big, mid,
	    &d), 0, "%s", d.msg);
	cr_assert_eq(store_event_add(s, 0, "bob", "note", 0, 0, "note", mid, big, &d), 0, "%s",
	    d.msg);
	cr_assert_eq(store_event_add(s, 4102444800, "\xc3\xa9mile", "ticket.update", 0,
	    0, "summary", "", NULL, &d), 0, "%s", d.msg);
	cr_assert_eq(store_commit(s, &d), 0, "%s", d.msg);
	cr_assert_eq(store_audit_verify(s, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(r.nevents, 4);
	cr_expect_str_eq(r.head_hash, "6437481a39f91c469976fcc586c96f9543658db49b2ddfcc2b23e29d3eabf4cd");
	store_close(s);
	free(big);
	free(mid);
}

/* Verification hashes events two at a time: whichever of the pair is
 * edited, the first edited event in id order is the one named, and the
 * events counted stop there.  Each position of a chain of seven, its
 * contents and then its previous-hash. */
Test(audit, an_edit_is_found_at_its_own_event_in_either_place_of_a_pair)
{
	char base[160], sql[800];

	append(7);
	snprintf(base, sizeof base, "%s/base.db", dir);
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", base);
	raw_exec(sql);
	for (int k = 1; k <= 7; k++) {
		for (int prev = 0; prev <= 1; prev++) {
			struct store_audit_result r;

			snprintf(sql, sizeof sql, "rm -f '%s-wal' '%s-shm' && cp '%s' '%s'", path,
			    path, base, path);
			cr_assert_eq(system(sql), 0);
			snprintf(sql, sizeof sql, prev ? "DROP TRIGGER events_no_update; UPDATE"
			    " events SET prev_hash = iif(prev_hash LIKE 'f%%', 'e', 'f') ||"
			    " substr(prev_hash, 2) WHERE id = %d" :
			    "DROP TRIGGER events_no_update; UPDATE events SET new = 'edited'"
			    " WHERE id = %d", k);
			raw_exec(sql);
			r = verify();
			expect_problem(r, k, prev ? "previous-hash does not match" :
			    "contents do not match");
			cr_expect_eq(r.nevents, k, "event %d: %d counted", k, (int)r.nevents);
		}
	}
}

/* Two parts joined (store_audit_join) answer as one walk: every place
 * the chain can be cut, against every kind of break at every event. */
static void expect_parts_equal_walk(int n, const char *what)
{
	struct diag d;
	struct store *s = store_open(path, &d);
	struct store_audit_result whole;

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_audit_verify_upto(s, n, &whole, &d), 0, "%s", d.msg);
	for (int m = 0; m <= n; m++) {
		struct store_audit_part a, b;
		struct store_audit_result r;

		memset(&r, 0, sizeof r);
		cr_assert_eq(store_audit_verify_part(s, 1, m, &a, &d), 0, "%s", d.msg);
		cr_assert_eq(store_audit_verify_part(s, m + 1, n, &b, &d), 0, "%s", d.msg);
		store_audit_join(&r, &a);
		store_audit_join(&r, &b);
		cr_expect_eq(r.bad_id, whole.bad_id, "%s, cut after %d: bad %lld, want %lld",
		    what, m, (long long)r.bad_id, (long long)whole.bad_id);
		cr_expect_str_eq(r.problem, whole.problem, "%s, cut after %d", what, m);
		cr_expect_eq(r.nevents, whole.nevents, "%s, cut after %d: %lld events, want %lld",
		    what, m, (long long)r.nevents, (long long)whole.nevents);
		cr_expect_eq(r.head_id, whole.head_id, "%s, cut after %d", what, m);
		cr_expect_str_eq(r.head_hash, whole.head_hash, "%s, cut after %d", what, m);
	}
	store_close(s);
}

Test(audit, parts_joined_answer_as_one_walk)
{
	/* each ends with the id of the event it breaks */
	static const char *const breaks[] = {
		"UPDATE events SET new = 'edited' WHERE id = ",
		"UPDATE events SET prev_hash = iif(prev_hash LIKE 'f%', 'e', 'f') ||"
		" substr(prev_hash, 2) WHERE id = ",
		"UPDATE events SET prev_hash = 'short' WHERE id = ",
		"DELETE FROM events WHERE id = ",
		"DELETE FROM events WHERE id >= ",
		"UPDATE events SET id = id + 100 WHERE id = ",
	};
	char base[160], sql[800], what[64];
	const int n = 7;

	append(n);
	snprintf(base, sizeof base, "%s/base.db", dir);
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", base);
	raw_exec(sql);
	expect_parts_equal_walk(n, "intact");
	for (size_t b = 0; b < sizeof breaks / sizeof *breaks; b++)
		for (int k = 1; k <= n; k++) {
			char q[200];

			snprintf(sql, sizeof sql, "rm -f '%s-wal' '%s-shm' && cp '%s' '%s'", path,
			    path, base, path);
			cr_assert_eq(system(sql), 0);
			snprintf(q, sizeof q, "%s%d", breaks[b], k);
			snprintf(sql, sizeof sql, "DROP TRIGGER events_no_update;"
			    " DROP TRIGGER events_no_delete; %s", q);
			raw_exec(sql);
			snprintf(what, sizeof what, "break %zu at %d", b, k);
			expect_parts_equal_walk(n + 100, what);
		}
}

/* Events of random shapes, hashed when appended and again when
 * verified (two ways of building the same text): NULL and empty
 * fields, lengths either side of 10, 100 and 1,000 bytes, instants
 * negative and of many digits. */
Test(audit, events_of_every_shape_verify_as_appended)
{
	static const size_t lens[] = { 0, 1, 9, 10, 11, 99, 100, 101, 500, 999, 1000, 1001, 3000 };
	char *text = long_text(3000);
	uint64_t seed = 77;
	struct store_audit_result r;
	struct diag d;
	struct store *s = store_open(path, &d);

	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_begin(s, &d), 0, "%s", d.msg);
	for (int i = 0; i < 600; i++) {
		char *f[4];
		int64_t at;

		for (int k = 0; k < 4; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			f[k] = (seed >> 33) % 5 == 0 ? NULL :
			    strndup(text + (seed >> 40) % 7, lens[(seed >> 20) % (sizeof lens /
			    sizeof *lens)]);
		}
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		at = (int64_t)(seed >> 1) >> (seed % 60);
		if (seed & 1)
			at = -at;
		cr_assert_eq(store_event_add(s, at, f[0] ? f[0] : "", f[1] ? f[1] : "k", 0, 0,
		    f[2], f[3], f[0], &d), 0, "%s", d.msg);
		for (int k = 0; k < 4; k++)
			free(f[k]);
	}
	cr_assert_eq(store_commit(s, &d), 0, "%s", d.msg);
	cr_assert_eq(store_audit_verify(s, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.bad_id, 0, "event %lld: %s", (long long)r.bad_id, r.problem);
	cr_expect_eq(r.nevents, 600);
	store_close(s);
	free(text);
}
