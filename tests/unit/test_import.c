/* test_import.c: CSV -> tickets on a real SQLite file: columns by header
 * name, deadlines from the partner, re-import changes nothing, every bad
 * row reported as FILE:LINE and then nothing written, the error cap, dry
 * runs, and keys that look like ticket ids. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "civil.h"
#include "import.h"
#include "store-import.h"
#include "store.h"

static char dir[64], path[128];
static struct store *db;
static const int64_t now_at = 1769904000;	/* 2026-02-01T00:00:00Z */

static void add_partner(const char *key, const char *zone)
{
	struct store_partner p;
	struct diag d;

	store_partner_init(&p);
	p.key = strdup(key);
	p.name = strdup(key);
	p.zone = strdup(zone);
	p.hours = strdup("");
	cr_assert_eq(store_partner_add(db, &p, "test", 1000, &d), 0, "%s", d.msg);
	store_partner_release(&p);
}

static void setup(void)
{
	struct diag d;

	snprintf(dir, sizeof dir, "/tmp/slatrack-import.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	db = store_open(path, &d);
	cr_assert_not_null(db, "%s", d.msg);
	add_partner("acme", "Europe/Berlin");
	add_partner("zen", "Asia/Tokyo");
}

static void teardown(void)
{
	char cmd[160];

	store_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(import, .init = setup, .fini = teardown);

/* Imports text; returns import_csv's result with *r filled. */
static int import_text(const char *text, struct import_result *r, struct diag *d,
		       size_t max_errors, int dry_run)
{
	struct import_options o = {
		.source = "in.csv", .actor = "tester", .now_at = now_at,
		.max_errors = max_errors, .dry_run = dry_run,
	};

	import_result_init(r);
	diag_clear(d);
	return import_csv(db, text, strlen(text), &o, r, d);
}

static int64_t count_tickets(void)
{
	struct store_ticket_filter f;
	struct store_ticket *v;
	size_t n;
	struct diag d;

	store_ticket_filter_init(&f);
	cr_assert_eq(store_ticket_list(db, &f, &v, &n, &d), 0, "%s", d.msg);
	store_ticket_list_free(v, n);
	return (int64_t)n;
}

static int count_import_events(const struct store_event *e, void *arg)
{
	if (strcmp(e->kind, "ticket.import") == 0)
		(*(int *)arg)++;
	return 0;
}

static int import_events(void)
{
	int n = 0;
	struct diag d;

	cr_assert_eq(store_event_each(db, 0, count_import_events, &n, &d), 0, "%s", d.msg);
	return n;
}

static const char good[] =
	"Partner,KEY,severity,summary,created,customer\r\n"
	"acme,A-1,critical,\"Login, broken\",2026-01-05T09:00:00Z,Globex\r\n"
	"zen,A-2,HIGH,Tokyo,2026-01-09T12:00,\r\n"
	"\r\n"
	"acme,A-3,low,Tracked,2026-01-06T00:00:00+01:00,\r\n";

Test(import, adds_rows_with_deadlines_and_events)
{
	struct import_result r;
	struct store_ticket t;
	struct diag d;

	cr_assert_eq(import_text(good, &r, &d, 0, 0), 0, "%s", d.msg);
	cr_expect_eq(r.rows, 3);
	cr_expect_eq(r.added, 3);
	cr_expect_eq(r.skipped, 0);
	import_result_release(&r);
	cr_expect_eq(count_tickets(), 3);
	cr_expect_eq(import_events(), 3);

	cr_assert_eq(store_ticket_find_key(db, "A-1", &t, &d), 1);
	cr_expect_str_eq(t.summary, "Login, broken");
	cr_expect_str_eq(t.customer, "Globex");
	cr_expect_eq(t.deadline_at, t.created_at + 86400);	/* Mon 10:00 -> Tue 10:00 */
	store_ticket_release(&t);
	/* local time read in Tokyo: Fri 12:00 JST = 03:00Z, deadline Mon 03:00Z */
	cr_assert_eq(store_ticket_find_key(db, "A-2", &t, &d), 1);
	cr_expect_eq(t.created_at, civil_days_from_ymd(2026, 1, 9) * 86400 + 3 * 3600);
	cr_expect_eq(t.deadline_at, civil_days_from_ymd(2026, 1, 12) * 86400 + 3 * 3600);
	cr_expect_null(t.customer);
	store_ticket_release(&t);
	cr_assert_eq(store_ticket_find_key(db, "A-3", &t, &d), 1);
	cr_expect_eq(t.deadline_at, STORE_NONE);		/* low: tracked, not timed */
	store_ticket_release(&t);
}

Test(import, importing_again_changes_nothing)
{
	struct import_result r;
	struct diag d;

	cr_assert_eq(import_text(good, &r, &d, 0, 0), 0, "%s", d.msg);
	import_result_release(&r);
	cr_assert_eq(import_text(good, &r, &d, 0, 0), 0, "%s", d.msg);
	cr_expect_eq(r.added, 0);
	cr_expect_eq(r.skipped, 3);
	import_result_release(&r);
	cr_expect_eq(count_tickets(), 3);
	cr_expect_eq(import_events(), 3);
}

Test(import, one_bad_row_writes_nothing_and_every_problem_is_listed)
{
	static const char text[] =
		"key,partner,severity,summary,created\n"
		"B-1,acme,high,fine,2026-01-05T09:00:00Z\n"
		"B-2,nope,high,x,2026-01-05T09:00:00Z\n"
		"B-3,acme,urgent,x,2026-01-05T09:00:00Z\n"
		"B-4,acme,high,\"two\nlines\",2030-01-01T00:00:00Z\n"
		"B-5,acme,high,,2026-01-05T09:00:00Z\n";
	struct import_result r;
	struct diag d;

	cr_assert_eq(import_text(text, &r, &d, 0, 0), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect_str_eq(d.msg, "4 problems in in.csv: nothing imported");
	cr_assert_eq(r.nerrors, 4);
	cr_expect_str_eq(r.errors[0], "in.csv:3: partner: unknown partner 'nope'");
	cr_expect(strncmp(r.errors[1], "in.csv:4: severity: 'urgent'", 28) == 0, "%s", r.errors[1]);
	cr_expect_str_eq(r.errors[2], "in.csv:5: created: 2030-01-01T00:00:00Z is in the future");
	cr_expect_str_eq(r.errors[3], "in.csv:7: summary: must not be empty");
	cr_expect_eq(r.added, 0);
	import_result_release(&r);
	cr_expect_eq(count_tickets(), 0);
	cr_expect_eq(import_events(), 0);
}

Test(import, header_problems)
{
	struct import_result r;
	struct diag d;

	cr_assert_eq(import_text("key,partner,severity,summary,created,Prio,x\n", &r, &d, 0, 0), -1);
	cr_assert_eq(r.nerrors, 1);
	cr_expect(strncmp(r.errors[0], "in.csv:1: unknown columns 'Prio', 'x' (the columns are key,", 59) == 0,
	    "%s", r.errors[0]);
	import_result_release(&r);
	cr_assert_eq(import_text("key,key,partner,severity,summary\n", &r, &d, 0, 0), -1);
	cr_assert_eq(r.nerrors, 2);
	cr_expect_str_eq(r.errors[0], "in.csv:1: column 'key' appears twice");
	cr_expect_str_eq(r.errors[1], "in.csv:1: missing column 'created'");
	import_result_release(&r);
	cr_assert_eq(import_text("", &r, &d, 0, 0), -1);
	cr_assert_eq(r.nerrors, 1);
	cr_expect(strstr(r.errors[0], "no header line") != NULL, "%s", r.errors[0]);
	import_result_release(&r);
}

Test(import, error_cap)
{
	char text[4096];
	size_t len = 0;
	struct import_result r;
	struct diag d;

	len += (size_t)snprintf(text + len, sizeof text - len, "key,partner,severity,summary,created\n");
	for (int i = 0; i < 10; i++)
		len += (size_t)snprintf(text + len, sizeof text - len,
		    "K%d,acme,bogus,x,2026-01-05T09:00:00Z\n", i);
	cr_assert_eq(import_text(text, &r, &d, 3, 0), -1);
	cr_expect_eq(r.nerrors, 3);
	cr_expect(r.truncated);
	cr_expect_str_eq(d.msg, "at least 3 problems in in.csv: nothing imported");
	import_result_release(&r);
}

Test(import, dry_run_writes_nothing)
{
	struct import_result r;
	struct diag d;

	cr_assert_eq(import_text(good, &r, &d, 0, 1), 0, "%s", d.msg);
	cr_expect_eq(r.added, 3);
	import_result_release(&r);
	cr_expect_eq(count_tickets(), 0);
	cr_expect_eq(import_events(), 0);
}

Test(import, duplicates_in_the_file)
{
	static const char same[] =
		"key,partner,severity,summary,created\n"
		"D-1,acme,high,x,2026-01-05T09:00:00Z\n"
		"D-1,acme,high,x,2026-01-05T09:00:00Z\n";
	static const char differ[] =
		"key,partner,severity,summary,created\n"
		"D-2,acme,high,x,2026-01-05T09:00:00Z\n"
		"D-2,acme,low,y,2026-01-05T09:00:00Z\n";
	struct import_result r;
	struct diag d;

	cr_assert_eq(import_text(same, &r, &d, 0, 0), 0, "%s", d.msg);
	cr_expect_eq(r.added, 1);
	cr_expect_eq(r.skipped, 1);
	import_result_release(&r);
	cr_assert_eq(import_text(differ, &r, &d, 0, 0), -1);
	cr_assert_eq(r.nerrors, 1);
	cr_expect_str_eq(r.errors[0],
	    "in.csv:3: key 'D-2' is also on line 2, with a different severity, summary");
	import_result_release(&r);
	cr_expect_eq(count_tickets(), 1);
}

Test(import, existing_ticket_with_other_data_is_an_error)
{
	static const char other[] =
		"key,partner,severity,summary,created,assignee\n"
		"A-1,acme,critical,\"Login, broken\",2026-01-05T09:00:00Z,bob\n";
	static const char lenient[] =
		"key,partner,severity,summary,created,assignee\n"
		"A-1,acme,critical,\"Login, broken\",2026-01-05T09:00:00Z,\n";
	struct import_result r;
	struct diag d;

	cr_assert_eq(import_text(good, &r, &d, 0, 0), 0, "%s", d.msg);
	import_result_release(&r);
	cr_assert_eq(import_text(other, &r, &d, 0, 0), -1);
	cr_assert_eq(r.nerrors, 1);
	cr_expect(strstr(r.errors[0], "in.csv:2: ticket 'A-1' (#1) already exists with a "
	    "different assignee") == r.errors[0], "%s", r.errors[0]);
	import_result_release(&r);
	/* an empty optional value is not compared */
	cr_assert_eq(import_text(lenient, &r, &d, 0, 0), 0, "%s", d.msg);
	cr_expect_eq(r.skipped, 1);
	import_result_release(&r);
}

Test(import, numeric_keys_are_keys_not_ids)
{
	static const char first[] =
		"key,partner,severity,summary,created\n"
		"X-1,acme,high,first,2026-01-05T09:00:00Z\n";
	static const char numeric[] =
		"key,partner,severity,summary,created\n"
		"1,zen,low,numeric key,2026-01-05T09:00:00Z\n";
	struct import_result r;
	struct store_ticket t;
	struct diag d;

	cr_assert_eq(import_text(first, &r, &d, 0, 0), 0, "%s", d.msg);
	import_result_release(&r);
	/* ticket #1 exists with key X-1; key "1" is a different ticket */
	cr_assert_eq(import_text(numeric, &r, &d, 0, 0), 0, "%s", d.msg);
	cr_expect_eq(r.added, 1);
	import_result_release(&r);
	cr_assert_eq(store_ticket_find_key(db, "1", &t, &d), 1);
	cr_expect_str_eq(t.summary, "numeric key");
	cr_expect_neq(t.id, 1);
	store_ticket_release(&t);
	cr_expect_eq(store_ticket_find_key(db, "2", &t, &d), 0);
}
