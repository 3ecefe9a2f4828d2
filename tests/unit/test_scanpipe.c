/* test_scanpipe.c: a ticket scan read on a helper thread (scanpipe.h)
 * gives the caller the same rows, in the same order, with the same
 * strings as store_ticket_scan on a real SQLite file: across many
 * chunks, the ring wrapping round, rows longer than a chunk's text; a
 * caller that stops, and an attach that fails, end the scan where they
 * should. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scanpipe.h"
#include "store.h"

static char dir[64], path[128];
static struct store *db;
static int64_t partner[2];

/* Rows enough to pass the ring's 16,384 more than once. */
#define NTICKETS 40000

static int64_t add_partner(const char *key)
{
	struct store_partner p;
	struct diag d;
	int64_t id;

	store_partner_init(&p);
	p.key = strdup(key);
	p.name = strdup(key);
	p.zone = strdup("UTC");
	p.hours = strdup("");
	cr_assert_eq(store_partner_add(db, &p, "test", 1000, &d), 0, "%s", d.msg);
	id = p.id;
	store_partner_release(&p);
	return id;
}

/* Ticket i's summary: short mostly, every 997th as long as a summary
 * may be (more than a chunk's text), every 13th with a customer. */
static char *summary_of(int i)
{
	size_t len = i % 997 == 5 ? 65536 : (size_t)(10 + i % 50);
	char *s = malloc(len + 1);

	cr_assert_not_null(s);
	for (size_t k = 0; k < len; k++)
		s[k] = (char)('a' + (i + k) % 26);
	s[len] = '\0';
	return s;
}

static void setup(void)
{
	struct diag d;

	snprintf(dir, sizeof dir, "/tmp/slatrack-scanpipe.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	cr_assert_not_null(db = store_open(path, &d), "%s", d.msg);
	partner[0] = add_partner("acme");
	partner[1] = add_partner("globex");
	cr_assert_eq(store_begin(db, &d), 0, "%s", d.msg);
	for (int i = 0; i < NTICKETS; i++) {
		struct store_ticket t;
		char key[32];

		store_ticket_init(&t);
		snprintf(key, sizeof key, "K-%d", i);
		t.key = i % 7 == 3 ? NULL : strdup(key);
		t.partner_id = partner[i / 100 % 2];
		t.severity = STORE_SEV_HIGH;
		t.summary = summary_of(i);
		t.customer = i % 13 == 0 ? strdup("Customer Ltd") : NULL;
		t.assignee = i % 3 == 0 ? strdup("agent") : NULL;
		t.created_at = 1767956400 + i;
		cr_assert_eq(store_ticket_add(db, &t, "test", 1767956400 + i, &d), 0, "%s", d.msg);
		store_ticket_release(&t);
	}
	cr_assert_eq(store_commit(db, &d), 0, "%s", d.msg);
}

static void teardown(void)
{
	char cmd[160];

	store_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(scanpipe, .init = setup, .fini = teardown, .timeout = 120);

/* What a scan saw: one line per row, and what attach gave each. */
struct seen {
	FILE *f;
	char *text;
	size_t len, rows;
	long stop_at, fail_at;		/* -1: never */
	size_t attached;
};

static void seen_open(struct seen *s)
{
	memset(s, 0, sizeof *s);
	s->stop_at = s->fail_at = -1;
	cr_assert_not_null(s->f = open_memstream(&s->text, &s->len));
}

static void seen_close(struct seen *s)
{
	fclose(s->f);
}

static void seen_row(struct seen *s, const struct store_ticket *t, int64_t partner_id)
{
	fprintf(s->f, "%lld|%s|%lld|%s|%s|%s|%s|%lld|%lld|%lld|%lld\n", (long long)t->id,
	    t->key ? t->key : "(null)", (long long)partner_id, t->partner_key, t->summary,
	    t->customer ? t->customer : "(null)", t->assignee ? t->assignee : "(null)",
	    (long long)t->created_at, (long long)t->deadline_at,
	    (long long)t->first_response_at, (long long)t->resolved_at);
	s->rows++;
}

static int plain_row(const struct store_ticket *t, void *arg)
{
	seen_row(arg, t, t->partner_id);
	return 0;
}

/* attach hands over the partner's id, as a pointer into a table that
 * stays put, so fn can check it came with the right row. */
static void *attach_partner(const struct store_ticket *t, void *arg, struct diag *d)
{
	struct seen *s = arg;

	if (s->fail_at >= 0 && t->id == s->fail_at) {
		diag_set(d, DIAG_INPUT, "partner of ticket %lld: broken", (long long)t->id);
		return NULL;
	}
	s->attached++;
	return t->partner_id == partner[0] ? &partner[0] : &partner[1];
}

static int piped_row(const struct store_ticket *t, int tag, void *extra, void *arg)
{
	struct seen *s = arg;

	cr_assert_eq(tag, 0);
	seen_row(s, t, *(const int64_t *)extra);
	return s->stop_at >= 0 && t->id == s->stop_at ? 7 : 0;
}

/* scanpipe_scan under f sees what store_ticket_scan sees: want rows. */
static void expect_same_rows(const struct store_ticket_filter *f, size_t want_rows)
{
	struct seen want, got;
	struct diag d;

	seen_open(&want);
	seen_open(&got);
	cr_assert_eq(store_ticket_scan(db, f, plain_row, &want, &d), 0, "%s", d.msg);
	cr_assert_eq(scanpipe_scan(db, f, attach_partner, piped_row, &got, &d), 0, "%s", d.msg);
	seen_close(&want);
	seen_close(&got);
	cr_assert_eq(want.rows, want_rows);
	cr_assert_eq(got.rows, want_rows);
	cr_assert_eq(got.attached, want_rows);
	cr_assert_eq(got.len, want.len);
	cr_assert(memcmp(got.text, want.text, want.len) == 0, "the rows differ");
	free(want.text);
	free(got.text);
}

Test(scanpipe, same_rows_in_the_same_order)
{
	struct store_ticket_filter f;

	store_ticket_filter_init(&f);
	expect_same_rows(&f, NTICKETS);
}

Test(scanpipe, narrow_and_filtered)
{
	struct store_ticket_filter f;

	store_ticket_filter_init(&f);
	f.narrow = 1;
	f.partner_id = partner[1];
	expect_same_rows(&f, NTICKETS / 2);
}

Test(scanpipe, the_callers_stop_ends_the_scan)
{
	struct store_ticket_filter f;
	struct seen got;
	struct diag d;

	store_ticket_filter_init(&f);
	seen_open(&got);
	got.stop_at = 30001;	/* well past the ring's first round */
	cr_assert_eq(scanpipe_scan(db, &f, attach_partner, piped_row, &got, &d), 7);
	seen_close(&got);
	cr_assert_eq(got.rows, 30001, "fn ran %zu times", got.rows);
	/* the helper stopped too: it read at most the ring's worth ahead */
	cr_assert_leq(got.attached, 30001 + 16 * 1024);
	free(got.text);
	/* and the store is free again for the next scan */
	seen_open(&got);
	cr_assert_eq(scanpipe_scan(db, &f, attach_partner, piped_row, &got, &d), 0, "%s", d.msg);
	seen_close(&got);
	cr_assert_eq(got.rows, NTICKETS);
	free(got.text);
}

Test(scanpipe, an_attach_failure_after_the_rows_before_it)
{
	struct store_ticket_filter f;
	struct seen got;
	struct diag d;

	store_ticket_filter_init(&f);
	seen_open(&got);
	got.fail_at = 25000;
	diag_clear(&d);
	cr_assert_eq(scanpipe_scan(db, &f, attach_partner, piped_row, &got, &d), -1);
	seen_close(&got);
	cr_assert_eq(got.rows, 24999, "fn ran %zu times", got.rows);
	cr_assert_eq(d.code, DIAG_INPUT);
	cr_assert_str_eq(d.msg, "partner of ticket 25000: broken");
	free(got.text);
}

/* scanpipe_run with a scan of its own: two scans one after the other,
 * their rows told apart by tag, in order; and scanpipe_direct, the same
 * on the calling thread. */
struct two_scans {
	struct store_ticket_filter f[2];
	struct scanpipe *p;
};

static int put_first(const struct store_ticket *t, void *arg)
{
	return scanpipe_put(((struct two_scans *)arg)->p, t, 1, NULL);
}

static int put_second(const struct store_ticket *t, void *arg)
{
	return scanpipe_put(((struct two_scans *)arg)->p, t, 2, NULL);
}

static int scan_twice(struct scanpipe *p, void *arg, struct diag *d)
{
	struct two_scans *x = arg;
	int rc;

	x->p = p;
	rc = store_ticket_scan(db, &x->f[0], put_first, x, d);
	return rc != 0 ? rc : store_ticket_scan(db, &x->f[1], put_second, x, d);
}

struct tagged {
	size_t n[3];
	int64_t last_id;
	int out_of_order;
};

static int tagged_row(const struct store_ticket *t, int tag, void *extra, void *arg)
{
	struct tagged *g = arg;

	cr_assert_null(extra);
	cr_assert(tag == 1 || tag == 2, "tag %d", tag);
	cr_assert_eq(t->partner_id, partner[tag - 1], "row %lld: tag %d", (long long)t->id, tag);
	/* the first scan's rows all come before the second's */
	if (g->n[2] > 0 && tag == 1)
		g->out_of_order = 1;
	if (g->n[tag] > 0 && t->id <= g->last_id)
		g->out_of_order = 1;
	g->last_id = t->id;
	g->n[tag]++;
	return 0;
}

Test(scanpipe, a_scan_of_its_own_with_tags)
{
	struct two_scans x;
	struct diag d;

	for (int direct = 0; direct < 2; direct++) {
		struct tagged g;

		memset(&g, 0, sizeof g);
		for (int i = 0; i < 2; i++) {
			store_ticket_filter_init(&x.f[i]);
			x.f[i].partner_id = partner[i];
		}
		cr_assert_eq((direct ? scanpipe_direct : scanpipe_run)(scan_twice, &x, tagged_row,
		    &g, &d), 0, "%s", d.msg);
		cr_expect_eq(g.n[1], NTICKETS / 2, "direct %d: %zu rows of the first", direct, g.n[1]);
		cr_expect_eq(g.n[2], NTICKETS / 2, "direct %d: %zu rows of the second", direct,
		    g.n[2]);
		cr_expect_eq(g.out_of_order, 0, "direct %d: in order", direct);
	}
}

Test(scanpipe, no_rows)
{
	struct store_ticket_filter f;
	struct seen got;
	struct diag d;

	store_ticket_filter_init(&f);
	f.partner_id = 999;
	seen_open(&got);
	cr_assert_eq(scanpipe_scan(db, &f, attach_partner, piped_row, &got, &d), 0, "%s", d.msg);
	seen_close(&got);
	cr_assert_eq(got.rows, 0);
	free(got.text);
}

/* ---- two scans at once, on a twin connection -------------------------------- */

/* The lines of text with an id below split (low != 0) or not, in order. */
static char *lines_of(const char *text, long split, int low)
{
	size_t n = strlen(text);
	char *out = malloc(n + 1), *o = out;

	cr_assert_not_null(out);
	for (const char *p = text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t len = (size_t)(nl - p) + 1;

		if ((strtol(p, NULL, 10) < split) == (low != 0)) {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	*o = '\0';
	return out;
}

/* A twin whatever the number of ids: the tests choose where to split. */
static struct store *twin_of(struct store *s, struct diag *d)
{
	int64_t split;

	return store_twin_begin(s, 0, &split, d);
}

/* scanpipe_scan_pair split at split sees every row once: the rows of each
 * half in their order, as store_ticket_scan gives them. */
static void expect_pair_rows(long split)
{
	struct store_ticket_filter f;
	struct seen want, got, at[2];
	void *attach_arg[2] = { &at[0], &at[1] };
	struct store *twin;
	struct diag d;

	store_ticket_filter_init(&f);
	seen_open(&want);
	seen_open(&got);
	seen_open(&at[0]);
	seen_open(&at[1]);
	cr_assert_eq(store_ticket_scan(db, &f, plain_row, &want, &d), 0, "%s", d.msg);
	cr_assert_not_null(twin = twin_of(db, &d), "%s", d.msg);
	cr_assert_eq(scanpipe_scan_pair(db, twin, &f, split, attach_partner, attach_arg,
	    piped_row, &got, &d), 0, "%s", d.msg);
	store_twin_end(db, twin);
	seen_close(&want);
	seen_close(&got);
	cr_assert_eq(got.rows, NTICKETS);
	cr_assert_eq(got.len, want.len);
	cr_expect_eq(at[0].attached, (size_t)(split - 1), "the first helper's rows");
	cr_expect_eq(at[1].attached, (size_t)(NTICKETS - split + 1), "the second's");
	for (int low = 0; low < 2; low++) {
		char *w = lines_of(want.text, split, low), *g = lines_of(got.text, split, low);

		cr_expect_str_eq(g, w, "the %s half differs", low ? "low" : "high");
		free(w);
		free(g);
	}
	free(want.text);
	free(got.text);
	seen_close(&at[0]);
	seen_close(&at[1]);
	free(at[0].text);
	free(at[1].text);
}

Test(scanpipe, a_pair_sees_every_row_once_each_half_in_order)
{
	expect_pair_rows(20001);	/* ids 1..40000: two halves */
	expect_pair_rows(35001);	/* one half longer than both rings */
}

Test(scanpipe, a_pair_stops_and_fails_as_one_scan_does)
{
	struct store_ticket_filter f;
	struct seen got, at[2];
	void *attach_arg[2] = { &at[0], &at[1] };
	struct store *twin;
	struct diag d;

	store_ticket_filter_init(&f);
	for (int k = 0; k < 2; k++) {
		seen_open(&got);
		seen_open(&at[0]);
		seen_open(&at[1]);
		if (k == 0)
			got.stop_at = 30001;	/* the caller stops, in the second half */
		else
			at[1].fail_at = 25000;	/* the second helper's attach fails */
		cr_assert_not_null(twin = twin_of(db, &d), "%s", d.msg);
		diag_clear(&d);
		cr_expect_eq(scanpipe_scan_pair(db, twin, &f, 20001, attach_partner, attach_arg,
		    piped_row, &got, &d), k == 0 ? 7 : -1, "case %d", k);
		store_twin_end(db, twin);
		if (k == 1)
			cr_expect_str_eq(d.msg, "partner of ticket 25000: broken");
		/* both helpers stopped within their ring's worth */
		cr_expect_lt(at[0].attached + at[1].attached, (size_t)NTICKETS, "case %d", k);
		seen_close(&got);
		seen_close(&at[0]);
		seen_close(&at[1]);
		free(got.text);
		free(at[0].text);
		free(at[1].text);
	}
}

/* A raw connection of the test's own, as another process would write. */
static sqlite3 *raw_open(void)
{
	sqlite3 *w;

	cr_assert_eq(sqlite3_open(path, &w), SQLITE_OK);
	sqlite3_busy_timeout(w, 5000);
	return w;
}

static void raw_exec(sqlite3 *w, const char *sql)
{
	char *err = NULL;

	cr_assert_eq(sqlite3_exec(w, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err);
}

/* The summary of ticket id as conn sees it. */
static char *summary_seen(struct store *conn, long id)
{
	struct store_ticket_filter f;
	struct seen s;
	struct diag d;
	char *out;

	store_ticket_filter_init(&f);
	f.id_from = id;
	f.id_to = id + 1;
	seen_open(&s);
	cr_assert_eq(store_ticket_scan(conn, &f, plain_row, &s, &d), 0, "%s", d.msg);
	seen_close(&s);
	cr_assert_eq(s.rows, 1);
	out = strdup(strchr(strchr(strchr(strchr(s.text, '|') + 1, '|') + 1, '|') + 1, '|') + 1);
	*strchr(out, '|') = '\0';
	free(s.text);
	return out;
}

/* Both connections read the database as it was when the twin began: a
 * commit after that is seen by neither, until store_twin_end. */
Test(scanpipe, a_twin_reads_what_the_first_reads)
{
	sqlite3 *w = raw_open();
	struct store *twin;
	struct diag d;
	char *a, *b;

	cr_assert_not_null(twin = twin_of(db, &d), "%s", d.msg);
	raw_exec(w, "UPDATE tickets SET summary = 'changed' WHERE id IN (7, 39000)");
	cr_expect_str_neq(a = summary_seen(db, 7), "changed");
	free(a);
	cr_expect_str_neq(b = summary_seen(twin, 39000), "changed");
	free(b);
	store_twin_end(db, twin);
	cr_expect_str_eq(a = summary_seen(db, 7), "changed");
	free(a);
	sqlite3_close(w);
}

/* The twin takes the write lock for a moment, without waiting: none while
 * a writer holds it, nor for a database in memory. */
Test(scanpipe, no_twin_while_a_writer_holds_the_lock)
{
	sqlite3 *w = raw_open();
	struct store *twin, *mem;
	struct diag d;

	raw_exec(w, "BEGIN IMMEDIATE");
	diag_clear(&d);
	cr_expect_null(twin = twin_of(db, &d));
	cr_expect(strstr(d.msg, "hold writers back") != NULL, "%s", d.msg);
	store_twin_end(db, twin);
	raw_exec(w, "ROLLBACK");
	cr_expect_not_null(twin = twin_of(db, &d), "%s", d.msg);
	store_twin_end(db, twin);
	sqlite3_close(w);
	cr_assert_not_null(mem = store_open(":memory:", &d), "%s", d.msg);
	cr_expect_null(twin_of(mem, &d));
	store_close(mem);
}

/* Stops at two rows, one at the end of the lower half and one early in
 * the upper, with different answers. */
static int stop_twice(const struct store_ticket *t, int tag, void *extra, void *arg)
{
	(void)tag;
	(void)extra;
	(void)arg;
	return t->id == 19990 ? 5 : t->id == 20500 ? 30 : 0;
}

/* fn stopping on rows of both halves: the lower ids' stop is the answer,
 * as one scan in id order gives it, whichever chunk came first. */
Test(scanpipe, a_pair_answers_with_the_first_stop_in_id_order)
{
	struct store_ticket_filter f;
	struct seen at[2];
	void *attach_arg[2] = { &at[0], &at[1] };
	struct diag d;

	store_ticket_filter_init(&f);
	for (int k = 0; k < 20; k++) {
		struct store *twin;

		seen_open(&at[0]);
		seen_open(&at[1]);
		cr_assert_not_null(twin = twin_of(db, &d), "%s", d.msg);
		cr_expect_eq(scanpipe_scan_pair(db, twin, &f, 20001, attach_partner, attach_arg,
		    stop_twice, NULL, &d), 5, "run %d", k);
		store_twin_end(db, twin);
		seen_close(&at[0]);
		seen_close(&at[1]);
		free(at[0].text);
		free(at[1].text);
	}
}
