/* test_store_ticket.c: the tickets table on real SQLite files: add, get by
 * id / #id / key, list filters, updates with one audit event per changed
 * field, notes, and bad input that names its field and writes nothing. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

static char dir[64], path[128];
static struct store *db;
static int64_t acme, globex;

static int64_t add_partner(const char *key)
{
	struct store_partner p;
	struct diag d;
	int64_t id;

	store_partner_init(&p);
	p.key = strdup(key);
	p.name = strdup(key);
	p.zone = strdup("Europe/Berlin");
	p.hours = strdup("");
	cr_assert_eq(store_partner_add(db, &p, "test", 1000, &d), 0, "%s", d.msg);
	id = p.id;
	store_partner_release(&p);
	return id;
}

static void setup(void)
{
	struct diag d;

	snprintf(dir, sizeof dir, "/tmp/slatrack-ticket.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	cr_assert_not_null(db = store_open(path, &d), "%s", d.msg);
	acme = add_partner("acme");
	globex = add_partner("globex");
}

static void teardown(void)
{
	char cmd[160];

	store_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(store_ticket, .init = setup, .fini = teardown);

static int64_t count(const char *sql)
{
	sqlite3 *raw;
	sqlite3_stmt *st;
	int64_t n = -1;

	cr_assert_eq(sqlite3_open(path, &raw), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	return n;
}

/* A critical ticket created 2026-01-09T11:00:00Z with a 24 h target. */
static void sample(struct store_ticket *t, const char *key, const char *summary)
{
	store_ticket_init(t);
	t->key = key ? strdup(key) : NULL;
	t->partner_id = acme;
	t->severity = STORE_SEV_CRITICAL;
	t->summary = summary ? strdup(summary) : NULL;
	t->created_at = 1767956400;
	t->target_s = 86400;
	t->deadline_at = 1768215600;
}

static int64_t add(const char *key, const char *summary)
{
	struct store_ticket t;
	struct diag d;
	int64_t id;

	sample(&t, key, summary);
	cr_assert_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), 0, "%s", d.msg);
	id = t.id;
	store_ticket_release(&t);
	return id;
}

Test(store_ticket, add_and_get)
{
	struct store_ticket t;
	struct diag d;
	int64_t id = add("ACME-1", "printer on fire");
	char ref[32];

	cr_expect_gt(id, 0);
	cr_assert_eq(store_ticket_get(db, "ACME-1", &t, &d), 0, "%s", d.msg);
	cr_expect_eq(t.id, id);
	cr_expect_str_eq(t.partner_key, "acme");
	cr_expect_str_eq(t.summary, "printer on fire");
	cr_expect_eq(t.severity, STORE_SEV_CRITICAL);
	cr_expect_eq(t.created_at, 1767956400);
	cr_expect_eq(t.deadline_at, 1768215600);
	cr_expect_eq(t.target_s, 86400);
	cr_expect_eq(t.first_response_at, STORE_NONE);
	cr_expect_eq(t.resolved_at, STORE_NONE);
	cr_expect_null(t.customer);
	cr_expect_eq(t.updated_at, 1767956500);
	store_ticket_release(&t);
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	cr_assert_eq(store_ticket_get(db, ref, &t, &d), 0, "%s", d.msg);
	cr_expect_str_eq(t.key, "ACME-1");
	store_ticket_release(&t);
	snprintf(ref, sizeof ref, "#%lld", (long long)id);
	cr_assert_eq(store_ticket_get(db, ref, &t, &d), 0, "%s", d.msg);
	store_ticket_release(&t);
	cr_expect_eq(store_ticket_get(db, "NOPE-9", &t, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect(strstr(d.msg, "NOPE-9") != NULL, "%s", d.msg);
	cr_expect_eq(store_ticket_get(db, "#99", &t, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	/* the create event */
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.create'"
	    " AND ticket_id = 1 AND actor = 'alice' AND at = 1767956500"
	    " AND new LIKE 'partner=acme severity=critical created=2026-01-09T11:00:00Z"
	    " target=24h deadline=2026-01-12T11:00:00Z'"), 1);
}

Test(store_ticket, numeric_key_and_id_are_told_apart)
{
	struct store_ticket t;
	struct diag d;

	add("2", "first");		/* id 1, key "2" */
	add(NULL, "second");		/* id 2, no key */
	cr_expect_eq(store_ticket_get(db, "2", &t, &d), -1);
	cr_expect(strstr(d.msg, "ambiguous") != NULL, "%s", d.msg);
	cr_assert_eq(store_ticket_get(db, "#2", &t, &d), 0, "%s", d.msg);
	cr_expect_str_eq(t.summary, "second");
	store_ticket_release(&t);
	cr_assert_eq(store_ticket_get(db, "1", &t, &d), 0, "%s", d.msg);
	cr_expect_str_eq(t.summary, "first");
	store_ticket_release(&t);
}

static const struct {
	const char *field;		/* which text is bad */
	const char *value;
	const char *want;		/* in the message */
} bad_text[] = {
	{ "summary", "", "summary: must not be empty" },
	{ "summary", NULL, "summary: must not be empty" },
	{ "summary", "caf\xc3", "summary: invalid UTF-8 at byte 4" },
	{ "summary", "\xff\xfe", "summary: invalid UTF-8 at byte 1" },
	{ "summary", "over\xed\xa0\x80long", "summary: invalid UTF-8 at byte 5" },
	{ "customer", "M\xfcller GmbH", "customer: invalid UTF-8 at byte 2" },
	{ "key", "ACME\n1", "key: control character at byte 5" },
	{ "key", "", "key: must not be empty" },
	{ "key", "A\xc0\xaf", "key: invalid UTF-8 at byte 2" },
	{ "assignee", "bob\x1b[31m", "assignee: control character at byte 4" },
};

Test(store_ticket, bad_text_names_the_field_and_writes_nothing)
{
	for (size_t i = 0; i < sizeof bad_text / sizeof bad_text[0]; i++) {
		struct store_ticket t;
		struct diag d;
		char *v = bad_text[i].value ? strdup(bad_text[i].value) : NULL;

		sample(&t, "K-1", "fine");
		if (strcmp(bad_text[i].field, "summary") == 0) {
			free(t.summary);
			t.summary = v;
		} else if (strcmp(bad_text[i].field, "customer") == 0)
			t.customer = v;
		else if (strcmp(bad_text[i].field, "key") == 0) {
			free(t.key);
			t.key = v;
		} else
			t.assignee = v;
		diag_clear(&d);
		cr_expect_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), -1, "row %zu", i);
		cr_expect_eq(d.code, DIAG_INPUT, "row %zu", i);
		cr_expect(strstr(d.msg, bad_text[i].want) != NULL, "row %zu: %s", i, d.msg);
		cr_expect_eq(t.id, 0);
		store_ticket_release(&t);
	}
	cr_expect_eq(count("SELECT count(*) FROM tickets"), 0);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE ticket_id IS NOT NULL"), 0);
}

Test(store_ticket, customer_text_is_stored_as_given)
{
	struct store_ticket t;
	struct diag d;

	sample(&t, "K-1", "\x1b]0;pwned\x07 help \xe2\x80\x8f\xc2\x9b");
	t.customer = strdup("O'Brien, \"Ltd\"\nline 2");
	cr_assert_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), 0, "%s", d.msg);
	store_ticket_release(&t);
	cr_assert_eq(store_ticket_get(db, "K-1", &t, &d), 0);
	cr_expect_str_eq(t.summary, "\x1b]0;pwned\x07 help \xe2\x80\x8f\xc2\x9b");
	cr_expect_str_eq(t.customer, "O'Brien, \"Ltd\"\nline 2");
	store_ticket_release(&t);
}

Test(store_ticket, duplicate_key_and_unknown_partner)
{
	struct store_ticket t;
	struct diag d;

	add("ACME-1", "first");
	sample(&t, "ACME-1", "again");
	cr_expect_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect(strstr(d.msg, "key: duplicate key 'ACME-1' (ticket #1") != NULL, "%s", d.msg);
	store_ticket_release(&t);
	sample(&t, "ACME-2", "nobody's");
	t.partner_id = 77;
	cr_expect_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect(strstr(d.msg, "partner") != NULL, "%s", d.msg);
	store_ticket_release(&t);
	cr_expect_eq(count("SELECT count(*) FROM tickets"), 1);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE ticket_id IS NOT NULL"), 1);
}

Test(store_ticket, instants_in_order)
{
	struct store_ticket t;
	struct diag d;

	sample(&t, "K-1", "x");
	t.first_response_at = t.created_at - 1;
	cr_expect_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), -1);
	cr_expect(strstr(d.msg, "first_response: 2026-01-09T10:59:59Z is before the ticket "
	    "was created (2026-01-09T11:00:00Z)") != NULL, "%s", d.msg);
	t.first_response_at = STORE_NONE;
	t.resolved_at = t.created_at - 60;
	cr_expect_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), -1);
	cr_expect(strstr(d.msg, "resolved:") != NULL, "%s", d.msg);
	t.resolved_at = STORE_NONE;
	t.deadline_at = STORE_NONE;
	cr_expect_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), -1);
	cr_expect(strstr(d.msg, "deadline:") != NULL, "%s", d.msg);
	/* not timed: both absent */
	t.target_s = STORE_NONE;
	cr_expect_eq(store_ticket_add(db, &t, "alice", 1767956500, &d), 0, "%s", d.msg);
	store_ticket_release(&t);
}

Test(store_ticket, update_records_each_changed_field)
{
	struct store_ticket old, t;
	struct diag d;

	add("ACME-1", "printer on fire");
	cr_assert_eq(store_ticket_get(db, "ACME-1", &old, &d), 0);
	cr_assert_eq(store_ticket_get(db, "ACME-1", &t, &d), 0);
	t.first_response_at = 1767960000;	/* 2026-01-09T12:00:00Z */
	t.responded_by = strdup("bob");
	cr_assert_eq(store_ticket_update(db, &old, &t, "ticket.respond", "carol", 1767960100,
	    &d), 0, "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.respond'"), 2);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.respond'"
	    " AND field = 'first_response' AND old IS NULL AND new = '2026-01-09T12:00:00Z'"
	    " AND actor = 'carol' AND at = 1767960100"), 1);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE field = 'responded_by'"
	    " AND new = 'bob'"), 1);
	store_ticket_release(&t);

	/* stale: the row was changed since `old` was read */
	cr_assert_eq(store_ticket_get(db, "ACME-1", &t, &d), 0);
	free(t.assignee);
	t.assignee = strdup("dave");
	cr_expect_eq(store_ticket_update(db, &old, &t, "ticket.assign", "carol", 1767960200,
	    &d), -1);
	cr_expect(strstr(d.msg, "meanwhile") != NULL, "%s", d.msg);
	store_ticket_release(&old);

	/* partner, severity, target and deadline with old and new values */
	cr_assert_eq(store_ticket_get(db, "ACME-1", &old, &d), 0);
	t.updated_at = old.updated_at;
	free(t.assignee);
	t.assignee = NULL;
	t.partner_id = globex;
	t.severity = STORE_SEV_MEDIUM;
	t.target_s = STORE_NONE;
	t.deadline_at = STORE_NONE;
	cr_assert_eq(store_ticket_update(db, &old, &t, "ticket.edit", "carol", 1767960300,
	    &d), 0, "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.edit'"), 4);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.edit' AND"
	    " field = 'partner' AND old = 'acme' AND new = 'globex'"), 1);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.edit' AND"
	    " field = 'deadline' AND old = '2026-01-12T11:00:00Z' AND new IS NULL"), 1);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.edit' AND"
	    " field = 'target' AND old = '24h' AND new IS NULL"), 1);
	store_ticket_release(&old);
	store_ticket_release(&t);
	cr_assert_eq(store_ticket_get(db, "ACME-1", &t, &d), 0);
	cr_expect_str_eq(t.partner_key, "globex");
	cr_expect_eq(t.deadline_at, STORE_NONE);
	store_ticket_release(&t);
}

Test(store_ticket, update_rejects_bad_input_and_duplicate_key)
{
	struct store_ticket old, t;
	struct diag d;

	add("ACME-1", "one");
	add("ACME-2", "two");
	cr_assert_eq(store_ticket_get(db, "ACME-2", &old, &d), 0);
	cr_assert_eq(store_ticket_get(db, "ACME-2", &t, &d), 0);
	free(t.key);
	t.key = strdup("ACME-1");
	cr_expect_eq(store_ticket_update(db, &old, &t, "ticket.edit", "c", 1767960300, &d), -1);
	cr_expect(strstr(d.msg, "duplicate key") != NULL, "%s", d.msg);
	free(t.key);
	t.key = strdup("ACME-2");
	free(t.summary);
	t.summary = strdup("bad \xc3\x28");
	cr_expect_eq(store_ticket_update(db, &old, &t, "ticket.edit", "c", 1767960300, &d), -1);
	cr_expect(strstr(d.msg, "summary: invalid UTF-8") != NULL, "%s", d.msg);
	t.first_response_at = t.created_at - 3600;
	free(t.summary);
	t.summary = strdup("ok");
	cr_expect_eq(store_ticket_update(db, &old, &t, "ticket.respond", "c", 1767960300, &d),
	    -1);
	cr_expect(strstr(d.msg, "first_response") != NULL, "%s", d.msg);
	store_ticket_release(&old);
	store_ticket_release(&t);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind <> 'ticket.create'"
	    " AND ticket_id IS NOT NULL"), 0);
	cr_expect_eq(count("SELECT count(*) FROM tickets WHERE summary = 'two'"), 1);
}

Test(store_ticket, notes)
{
	struct diag d;

	add("ACME-1", "one");
	cr_assert_eq(store_ticket_note(db, 1, "called the customer", "bob", 1767960000, &d), 0,
	    "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.note' AND"
	    " field = 'note' AND new = 'called the customer' AND partner_id = 1"), 1);
	cr_expect_eq(store_ticket_note(db, 1, "", "bob", 1767960000, &d), -1);
	cr_expect(strstr(d.msg, "note: must not be empty") != NULL, "%s", d.msg);
	cr_expect_eq(store_ticket_note(db, 1, "\xfe", "bob", 1767960000, &d), -1);
	cr_expect(strstr(d.msg, "note: invalid UTF-8") != NULL, "%s", d.msg);
	cr_expect_eq(store_ticket_note(db, 42, "x", "bob", 1767960000, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.note'"), 1);
}

Test(store_ticket, list_filters)
{
	struct store_ticket_filter f;
	struct store_ticket *v, t, old;
	size_t n;
	struct diag d;

	add("A-1", "one");
	add("A-2", "two");
	sample(&t, "G-1", "three");
	t.partner_id = globex;
	t.severity = STORE_SEV_LOW;
	t.target_s = STORE_NONE;
	t.deadline_at = STORE_NONE;
	t.assignee = strdup("bob");
	cr_assert_eq(store_ticket_add(db, &t, "a", 1767956500, &d), 0, "%s", d.msg);
	store_ticket_release(&t);
	cr_assert_eq(store_ticket_get(db, "A-2", &old, &d), 0);
	cr_assert_eq(store_ticket_get(db, "A-2", &t, &d), 0);
	t.resolved_at = 1767960000;
	cr_assert_eq(store_ticket_update(db, &old, &t, "ticket.resolve", "a", 1767960000, &d), 0);
	store_ticket_release(&old);
	store_ticket_release(&t);

	store_ticket_filter_init(&f);
	cr_assert_eq(store_ticket_list(db, &f, &v, &n, &d), 0, "%s", d.msg);
	cr_expect_eq(n, 3);
	cr_expect_str_eq(v[2].partner_key, "globex");
	store_ticket_list_free(v, n);
	f.open_only = 1;
	cr_assert_eq(store_ticket_list(db, &f, &v, &n, &d), 0);
	cr_expect_eq(n, 2);
	store_ticket_list_free(v, n);
	f.partner_id = acme;
	cr_assert_eq(store_ticket_list(db, &f, &v, &n, &d), 0);
	cr_expect_eq(n, 1);
	cr_expect_str_eq(v[0].key, "A-1");
	store_ticket_list_free(v, n);
	store_ticket_filter_init(&f);
	f.assignee = "bob";
	cr_assert_eq(store_ticket_list(db, &f, &v, &n, &d), 0);
	cr_expect_eq(n, 1);
	store_ticket_list_free(v, n);
	store_ticket_filter_init(&f);
	f.severity = STORE_SEV_CRITICAL;
	cr_assert_eq(store_ticket_list(db, &f, &v, &n, &d), 0);
	cr_expect_eq(n, 2);
	store_ticket_list_free(v, n);
	store_ticket_filter_init(&f);
	f.deadline_from = 1768215600;
	f.deadline_to = 1768215601;
	cr_assert_eq(store_ticket_list(db, &f, &v, &n, &d), 0);
	cr_expect_eq(n, 2, "untimed tickets have no deadline to match");
	store_ticket_list_free(v, n);
	f.deadline_to = 1768215600;
	cr_assert_eq(store_ticket_list(db, &f, &v, &n, &d), 0);
	cr_expect_eq(n, 0, "[from, to)");
	store_ticket_list_free(v, n);
}

Test(store_ticket, inside_a_callers_transaction)
{
	struct store_ticket t;
	struct diag d;
	struct store_audit_result r;

	cr_assert_eq(store_begin(db, &d), 0);
	sample(&t, "K-1", "x");
	cr_assert_eq(store_ticket_add(db, &t, "a", 1767956500, &d), 0, "%s", d.msg);
	store_ticket_release(&t);
	store_rollback(db);
	cr_expect_eq(count("SELECT count(*) FROM tickets"), 0);
	add("K-1", "kept");
	cr_assert_eq(store_ticket_note(db, 1, "n", "a", 1767956600, &d), 0);
	cr_assert_eq(store_audit_verify(db, &r, &d), 0);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(r.nevents, 4, "two partners, a ticket, a note");
}

/* A batch of STORE_ADD_BATCH tickets, keys K-base.. (NULL keys where
 * keyless), into t[] and their origins. */
static void batch(struct store_ticket *t, struct store_ticket **tp, const char **origins,
		  int base, int keyless)
{
	static char origin[STORE_ADD_BATCH][32];

	for (int i = 0; i < STORE_ADD_BATCH; i++) {
		char key[32];

		snprintf(key, sizeof key, "K-%d", base + i);
		sample(&t[i], keyless && i % 2 ? NULL : key, "batched");
		t[i].partner_id = i % 3 ? acme : globex;
		snprintf(origin[i], sizeof origin[i], "f.csv:%d", base + i);
		tp[i] = &t[i];
		origins[i] = origin[i];
	}
}

static void batch_release(struct store_ticket *t)
{
	for (int i = 0; i < STORE_ADD_BATCH; i++)
		store_ticket_release(&t[i]);
}

/* store_ticket_add_batch of t[] (then released): whether it added them. */
static int try_batch(struct store_ticket *t, struct store_ticket **tp, const char **origins)
{
	struct diag d;
	int added = -1;

	cr_assert_eq(store_ticket_add_batch(db, tp, "ticket.import", origins, "a", 1767956500,
	    &added, &d), 0, "%s", d.msg);
	batch_release(t);
	return added;
}

/* store_ticket_add_batch: what one by one would give, or nothing at all. */
Test(store_ticket, batch_adds_all_or_nothing)
{
	struct store_ticket t[STORE_ADD_BATCH], *tp[STORE_ADD_BATCH];
	const char *origins[STORE_ADD_BATCH];
	struct store_audit_result r;
	struct diag d;
	int added = -1;

	/* outside a transaction: declined, nothing written */
	batch(t, tp, origins, 1, 0);
	cr_expect_eq(try_batch(t, tp, origins), 0);
	cr_expect_eq(count("SELECT count(*) FROM tickets"), 0);

	cr_assert_eq(store_begin(db, &d), 0);
	batch(t, tp, origins, 1, 0);
	cr_assert_eq(store_ticket_add_batch(db, tp, "ticket.import", origins, "a", 1767956500,
	    &added, &d), 0, "%s", d.msg);
	cr_expect_eq(added, 1);
	for (int i = 0; i < STORE_ADD_BATCH; i++)
		cr_expect_eq(t[i].id, i + 1, "ticket %d got id %lld", i, (long long)t[i].id);
	batch_release(t);

	/* keyless tickets never conflict */
	batch(t, tp, origins, 100, 1);
	cr_expect_eq(try_batch(t, tp, origins), 1);

	/* a bad field: declined before anything is written */
	batch(t, tp, origins, 200, 0);
	free(t[5].summary);
	t[5].summary = strdup("");
	cr_expect_eq(try_batch(t, tp, origins), 0);

	/* a taken key in the middle: the rows that got in are taken back */
	batch(t, tp, origins, 300, 0);
	free(t[20].key);
	t[20].key = strdup("K-7");
	cr_expect_eq(try_batch(t, tp, origins), 0);
	cr_assert_eq(store_commit(db, &d), 0, "%s", d.msg);

	cr_expect_eq(count("SELECT count(*) FROM tickets"), 2 * STORE_ADD_BATCH);
	cr_expect_eq(count("SELECT max(id) FROM tickets"), 2 * STORE_ADD_BATCH);
	cr_expect_eq(count("SELECT count(*) FROM events e JOIN tickets t ON t.id = e.ticket_id"
	    " WHERE e.kind = 'ticket.import' AND e.partner_id = t.partner_id"
	    " AND e.id = t.id + 2 AND e.new LIKE 'f.csv:%: partner=%'"), 2 * STORE_ADD_BATCH);
	cr_assert_eq(store_audit_verify(db, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(r.nevents, 2 + 2 * STORE_ADD_BATCH);
}

/* store_ticket_move (recompute): the clock columns and updated_at, one
 * event listing only what moved, the optimistic check, a chain that holds. */
/* store_ticket_moves: what store_ticket_move gives one by one, the
 * events of a batch inserted together, in order; a stale ticket among
 * them refuses the whole write. */
Test(store_ticket, moves_in_batches_as_one_by_one)
{
	enum { N = STORE_ADD_BATCH + 9 };
	struct store_ticket_move m[N];
	struct store_audit_result r;
	struct diag d;
	int64_t nev;

	for (int i = 0; i < N; i++) {
		char key[16];

		snprintf(key, sizeof key, "M-%d", i);
		memset(&m[i], 0, sizeof m[i]);
		m[i].id = add(key, "moving");
		m[i].partner_id = acme;
		m[i].updated_at = 1767956500;
		m[i].from.target_s = 86400;
		m[i].from.deadline_at = 1768215600;
		m[i].from.resolve_target_s = STORE_NONE;
		m[i].from.resolve_deadline_at = STORE_NONE;
		m[i].to = m[i].from;
		m[i].to.target_s = 8 * 3600;
		m[i].to.deadline_at = 1767985200 + i;
	}
	m[3].to = m[3].from;	/* nothing moves: no write, no event */
	nev = count("SELECT count(*) FROM events");

	/* the last one stale: refused, nothing of the others kept */
	m[N - 1].updated_at = 1;
	cr_expect_eq(store_ticket_moves(db, m, N, "carol", 1767960100, &d), -1);
	cr_expect(strstr(d.msg, "meanwhile") != NULL, "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events"), nev);
	cr_expect_eq(count("SELECT count(*) FROM tickets WHERE target_s = 28800"), 0);

	m[N - 1].updated_at = 1767956500;
	cr_assert_eq(store_ticket_moves(db, m, N, "carol", 1767960100, &d), 0, "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events"), nev + N - 1);
	cr_expect_eq(count("SELECT count(*) FROM tickets WHERE target_s = 28800"), N - 1);
	/* event k of the recompute is ticket k's (skipping M-3), in id order */
	cr_expect_eq(count("SELECT count(*) FROM events e JOIN tickets t ON t.id = e.ticket_id"
	    " WHERE e.kind = 'ticket.recompute' AND e.field = 'deadlines' AND e.actor = 'carol'"
	    " AND e.new = 'target=8h deadline=' || strftime('%Y-%m-%dT%H:%M:%SZ',"
	    " t.deadline_at, 'unixepoch')"
	    " AND e.old = 'target=24h deadline=2026-01-12T11:00:00Z'"
	    " AND e.id - (SELECT min(id) FROM events WHERE kind = 'ticket.recompute')"
	    " = t.id - 1 - (t.id > 4)"), N - 1);
	cr_assert_eq(store_audit_verify(db, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
}

Test(store_ticket, move_writes_the_clocks_and_one_event)
{
	struct store_ticket_move m;
	struct store_ticket t;
	struct store_audit_result r;
	struct diag d;
	int64_t id = add("ACME-1", "printer on fire"), nev;

	cr_assert_eq(store_ticket_get(db, "ACME-1", &t, &d), 0);
	memset(&m, 0, sizeof m);
	m.id = id;
	m.partner_id = acme;
	m.updated_at = t.updated_at;
	m.from.target_s = t.target_s;
	m.from.deadline_at = t.deadline_at;
	m.from.resolve_target_s = STORE_NONE;
	m.from.resolve_deadline_at = STORE_NONE;
	m.to = m.from;
	m.to.target_s = 8 * 3600;
	m.to.deadline_at = 1767985200;		/* 2026-01-09T19:00:00Z */
	m.to.resolve_target_s = 72 * 3600;
	m.to.resolve_deadline_at = 1768215600;	/* 2026-01-12T11:00:00Z */
	store_ticket_release(&t);
	nev = count("SELECT count(*) FROM events");
	cr_assert_eq(store_ticket_move(db, &m, "carol", 1767960100, &d), 0, "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events"), nev + 1, "one event per ticket");
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.recompute'"
	    " AND field = 'deadlines' AND ticket_id = 1 AND actor = 'carol' AND at = 1767960100"
	    " AND old = 'target=24h deadline=2026-01-12T11:00:00Z resolve_target=none"
	    " resolve_deadline=none'"
	    " AND new = 'target=8h deadline=2026-01-09T19:00:00Z resolve_target=72h"
	    " resolve_deadline=2026-01-12T11:00:00Z'"), 1);
	cr_assert_eq(store_ticket_get(db, "ACME-1", &t, &d), 0);
	cr_expect_eq(t.target_s, 8 * 3600);
	cr_expect_eq(t.deadline_at, 1767985200);
	cr_expect_eq(t.resolve_target_s, 72 * 3600);
	cr_expect_eq(t.resolve_deadline_at, 1768215600);
	cr_expect_eq(t.updated_at, 1767960100);
	cr_expect_str_eq(t.summary, "printer on fire", "nothing else written");
	store_ticket_release(&t);

	/* stale: the ticket changed since it was read; nothing written */
	m.from = m.to;
	m.to.deadline_at = 1767988800;
	nev = count("SELECT count(*) FROM events");
	cr_expect_eq(store_ticket_move(db, &m, "carol", 1767960200, &d), -1);
	cr_expect(strstr(d.msg, "meanwhile") != NULL, "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events"), nev);

	/* only what moved is listed */
	m.updated_at = 1767960100;
	cr_assert_eq(store_ticket_move(db, &m, "carol", 1767960300, &d), 0, "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'ticket.recompute'"
	    " AND old = 'deadline=2026-01-09T19:00:00Z' AND new = 'deadline=2026-01-09T20:00:00Z'"),
	    1);

	/* nothing moves: nothing written, not even updated_at */
	m.updated_at = 1767960300;
	m.from = m.to;
	nev = count("SELECT count(*) FROM events");
	cr_assert_eq(store_ticket_move(db, &m, "carol", 1767960350, &d), 0, "%s", d.msg);
	cr_expect_eq(count("SELECT count(*) FROM events"), nev);
	cr_expect_eq(count("SELECT updated_at FROM tickets WHERE id = 1"), 1767960300);

	/* a target without a deadline is refused before anything is written */
	m.updated_at = 1767960300;
	m.from = m.to;
	m.to.deadline_at = STORE_NONE;
	cr_expect_eq(store_ticket_move(db, &m, "carol", 1767960400, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect_eq(count("SELECT deadline_at FROM tickets WHERE id = 1"), 1767988800);

	cr_assert_eq(store_audit_verify(db, &r, &d), 0);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
}

/* A recompute is not a change undo reverts. */
Test(store_ticket, undo_refuses_a_recompute)
{
	struct store_ticket_move m;
	struct store_ticket_change c;
	struct store_ticket t, u;
	struct diag d;

	add("ACME-1", "x");
	cr_assert_eq(store_ticket_get(db, "ACME-1", &t, &d), 0);
	memset(&m, 0, sizeof m);
	m.id = t.id;
	m.partner_id = acme;
	m.updated_at = t.updated_at;
	m.from.target_s = t.target_s;
	m.from.deadline_at = t.deadline_at;
	m.from.resolve_target_s = m.from.resolve_deadline_at = STORE_NONE;
	m.to = m.from;
	m.to.target_s = 8 * 3600;
	m.to.deadline_at = 1767985200;
	store_ticket_release(&t);
	cr_assert_eq(store_ticket_move(db, &m, "carol", 1767960100, &d), 0, "%s", d.msg);
	cr_assert_eq(store_ticket_get(db, "ACME-1", &t, &d), 0);
	cr_assert_eq(store_ticket_copy(&u, &t, &d), 0);
	cr_expect_eq(store_ticket_undo_plan(db, &t, &u, &c, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect(strstr(d.msg, "ticket.recompute") != NULL, "%s", d.msg);
	store_ticket_release(&t);
	store_ticket_release(&u);
}
