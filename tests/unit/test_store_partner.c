/* test_store_partner.c: partners, targets and cached calendars on real
 * SQLite files in a temporary directory, with their audit events. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"
#include "store.h"

static char dir[64];
static char path[128];
static struct store *s;

static void setup(void)
{
	struct diag d;

	snprintf(dir, sizeof dir, "/tmp/slatrack-partner.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	s = store_open(path, &d);
	cr_assert_not_null(s, "%s", d.msg);
}

static void teardown(void)
{
	char cmd[160];

	store_close(s);
	s = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(store_partner, .init = setup, .fini = teardown);

static const char ICS_A[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
static const char ICS_B[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-B:1\r\nEND:VCALENDAR\r\n";

static void add_calendar(struct store_partner *p, const char *source, const char *filters,
			 const char *body)
{
	struct store_calendar *c;

	p->calendars = realloc(p->calendars, (p->ncalendars + 1) * sizeof *p->calendars);
	cr_assert_not_null(p->calendars);
	c = &p->calendars[p->ncalendars++];
	memset(c, 0, sizeof *c);
	c->source = strdup(source);
	c->filters = strdup(filters);
	c->body = strdup(body);
	c->body_len = strlen(body);
	c->fetched_at = 1700000000;
	c->horizon_day = 20000;
	c->etag = strdup("\"v1\"");
}

static void make(struct store_partner *p, const char *key)
{
	store_partner_init(p);
	p->key = strdup(key);
	p->name = strdup("Acme Corp");
	p->zone = strdup("Europe/Berlin");
	p->hours = strdup("");
}

/* Events of one partner, "kind field old -> new" per line. */
struct collect {
	int64_t partner_id;
	char text[8192];
	int n;
};

static int collect_one(const struct store_event *e, void *arg)
{
	struct collect *c = arg;
	size_t len = strlen(c->text);

	if (c->partner_id && e->partner_id != c->partner_id)
		return 0;
	c->n++;
	snprintf(c->text + len, sizeof c->text - len, "%s %s %s -> %s\n", e->kind,
	    e->field ? e->field : "-", e->old_value ? e->old_value : "(null)",
	    e->new_value ? e->new_value : "(null)");
	return 0;
}

static struct collect events_of(int64_t partner_id)
{
	struct collect c;
	struct diag d;

	memset(&c, 0, sizeof c);
	c.partner_id = partner_id;
	cr_assert_eq(store_event_each(s, 0, collect_one, &c, &d), 0, "%s", d.msg);
	return c;
}

static int64_t count_rows(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n = -1;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

Test(store_partner, severity_names_round_trip)
{
	int sev;

	for (int i = 0; i < STORE_NSEV; i++) {
		cr_expect_eq(store_severity_parse(store_severity_name(i), &sev), 0);
		cr_expect_eq(sev, i);
	}
	cr_expect_eq(store_severity_parse("HIGH", &sev), 0);
	cr_expect_eq(sev, STORE_SEV_HIGH);
	cr_expect_eq(store_severity_parse("urgent", &sev), -1);
	cr_expect_eq(store_severity_parse("", &sev), -1);
}

Test(store_partner, text_forms)
{
	static const struct { unsigned mask; const char *want; } wd[] = {
		{ 0x3e, "mon-fri" }, { 0x1f, "sun-thu" }, { 0x7f, "mon-sun" },
		{ 0x02, "mon" }, { 0x2a, "mon,wed,fri" }, { 0x63, "fri-mon" },
		{ 0x41, "sat-sun" },
	};
	static const struct { int64_t s; const char *want; } du[] = {
		{ 86400, "24h" }, { 5400, "1h30m" }, { 45, "45s" }, { 3661, "1h1m1s" },
		{ STORE_NONE, "none" },
	};
	char out[STORE_TEXT_LEN];
	struct diag d;

	for (size_t i = 0; i < sizeof wd / sizeof wd[0]; i++) {
		store_workdays_format(wd[i].mask, out);
		cr_expect_str_eq(out, wd[i].want, "mask %#x", wd[i].mask);
	}
	for (size_t i = 0; i < sizeof du / sizeof du[0]; i++) {
		store_duration_format(du[i].s, out);
		cr_expect_str_eq(out, du[i].want);
	}
	cr_expect_eq(store_partner_key_check("acme.eu_1-x", &d), 0);
	cr_expect_eq(store_partner_key_check("", &d), -1);
	cr_expect_eq(store_partner_key_check("a b", &d), -1);
	cr_expect_eq(store_partner_key_check("acme/../x", &d), -1);
	cr_expect_eq(store_partner_key_check(
	    "a234567890123456789012345678901234567890123456789012345678901234", &d), 0);
	cr_expect_eq(store_partner_key_check(
	    "a2345678901234567890123456789012345678901234567890123456789012345", &d), -1);
}

Test(store_partner, add_and_get_round_trip)
{
	struct store_partner p, g;
	struct diag d;
	char want[65];

	make(&p, "acme");
	p.workdays = 0x1f;		/* sun-thu */
	free(p.hours);
	p.hours = strdup("09:00-17:00");
	p.contact = strdup("ops@acme.example");
	p.target_s[STORE_SEV_MEDIUM] = 3 * 86400;
	add_calendar(&p, "/etc/holidays/de.ics", "-summary:Observance\n", ICS_A);
	add_calendar(&p, "https://example.com/x.ics", "", ICS_B);
	cr_assert_eq(store_partner_add(s, &p, "alice", 1800000000, &d), 0, "%s", d.msg);
	cr_expect_gt(p.id, 0);
	cr_expect_eq(p.created_at, 1800000000);

	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0, "%s", d.msg);
	cr_expect_eq(g.id, p.id);
	cr_expect_str_eq(g.name, "Acme Corp");
	cr_expect_str_eq(g.zone, "Europe/Berlin");
	cr_expect_eq(g.workdays, 0x1f);
	cr_expect_str_eq(g.hours, "09:00-17:00");
	cr_expect_str_eq(g.contact, "ops@acme.example");
	cr_expect_eq(g.created_at, 1800000000);
	cr_expect_eq(g.archived_at, STORE_NONE);
	cr_expect_eq(g.target_s[STORE_SEV_CRITICAL], 86400);
	cr_expect_eq(g.target_s[STORE_SEV_HIGH], 86400);
	cr_expect_eq(g.target_s[STORE_SEV_MEDIUM], 3 * 86400);
	cr_expect_eq(g.target_s[STORE_SEV_LOW], STORE_NONE);
	cr_assert_eq(g.ncalendars, 2);
	cr_expect_eq(g.calendars[0].position, 0);
	cr_expect_str_eq(g.calendars[0].source, "/etc/holidays/de.ics");
	cr_expect_str_eq(g.calendars[0].filters, "-summary:Observance\n");
	cr_expect_eq(g.calendars[0].body_len, strlen(ICS_A));
	cr_expect_str_eq(g.calendars[0].body, ICS_A);
	sha256_hex(ICS_A, strlen(ICS_A), want);
	cr_expect_str_eq(g.calendars[0].digest, want);
	cr_expect_eq(g.calendars[0].horizon_day, 20000);
	cr_expect_eq(g.calendars[0].fetched_at, 1700000000);
	cr_expect_str_eq(g.calendars[0].etag, "\"v1\"");
	cr_expect_null(g.calendars[0].last_error);
	cr_expect_str_eq(g.calendars[1].source, "https://example.com/x.ics");
	cr_expect_str_eq(g.calendars[1].body, ICS_B);
	store_partner_release(&g);

	{
		char ref[32];

		snprintf(ref, sizeof ref, "#%lld", (long long)p.id);
		cr_assert_eq(store_partner_get(s, ref, &g, &d), 0, "%s", d.msg);
		cr_expect_str_eq(g.key, "acme");
		store_partner_release(&g);
		cr_assert_eq(store_partner_get_id(s, p.id, &g, &d), 0, "%s", d.msg);
		cr_expect_str_eq(g.key, "acme");
		store_partner_release(&g);
	}
	store_partner_release(&p);
}

Test(store_partner, add_records_one_event_with_the_new_values)
{
	struct store_partner p;
	struct store_audit_result r;
	struct collect c;
	struct diag d;

	make(&p, "acme");
	add_calendar(&p, "de.ics", "", ICS_A);
	cr_assert_eq(store_partner_add(s, &p, "alice", 1800000000, &d), 0, "%s", d.msg);
	c = events_of(p.id);
	cr_expect_eq(c.n, 1);
	cr_expect(strstr(c.text, "partner.add - (null) -> {\"key\":\"acme\"") == c.text, "%s", c.text);
	cr_expect(strstr(c.text, "\"zone\":\"Europe/Berlin\"") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "\"workdays\":\"mon-fri\"") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "\"critical\":\"24h\",\"high\":\"24h\",\"medium\":\"none\",\"low\":\"none\"") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "\"source\":\"de.ics\"") != NULL, "%s", c.text);
	cr_assert_eq(store_audit_verify(s, &r, &d), 0);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	store_partner_release(&p);
}

Test(store_partner, duplicate_key_is_input_error_and_writes_nothing)
{
	struct store_partner p, q;
	struct diag d;

	make(&p, "acme");
	cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
	make(&q, "acme");
	free(q.name);
	q.name = strdup("Other");
	add_calendar(&q, "x.ics", "", ICS_A);
	cr_expect_eq(store_partner_add(s, &q, "alice", 2, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect_str_eq(d.msg, "partner 'acme' already exists");
	cr_expect_eq(q.id, 0);
	cr_expect_eq(count_rows("SELECT count(*) FROM partners"), 1);
	cr_expect_eq(count_rows("SELECT count(*) FROM calendars"), 0);
	cr_expect_eq(count_rows("SELECT count(*) FROM events"), 1);
	store_partner_release(&p);
	store_partner_release(&q);
}

Test(store_partner, bad_values_are_refused_before_writing)
{
	struct store_partner p;
	struct diag d;

	make(&p, "bad key");
	cr_expect_eq(store_partner_add(s, &p, "alice", 1, &d), -1);
	cr_expect_eq(d.code, DIAG_USAGE);
	free(p.key);
	p.key = strdup("ok");
	p.workdays = 0;
	cr_expect_eq(store_partner_add(s, &p, "alice", 1, &d), -1);
	p.workdays = 0x3e;
	free(p.name);
	p.name = strdup("");
	cr_expect_eq(store_partner_add(s, &p, "alice", 1, &d), -1);
	cr_expect_eq(count_rows("SELECT count(*) FROM partners"), 0);
	cr_expect_eq(count_rows("SELECT count(*) FROM events"), 0);
	store_partner_release(&p);
}

Test(store_partner, unknown_partner)
{
	struct store_partner g;
	struct diag d;

	cr_expect_eq(store_partner_get(s, "nobody", &g, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect_str_eq(d.msg, "unknown partner 'nobody'");
	cr_expect_eq(store_partner_get(s, "#42", &g, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect_eq(store_partner_get_id(s, 42, &g, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
}

Test(store_partner, targets_none_and_defaults)
{
	struct store_partner p, g;
	struct diag d;

	make(&p, "untimed");
	for (int i = 0; i < STORE_NSEV; i++)
		p.target_s[i] = STORE_NONE;
	cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
	cr_assert_eq(store_partner_get(s, "untimed", &g, &d), 0, "%s", d.msg);
	for (int i = 0; i < STORE_NSEV; i++)
		cr_expect_eq(g.target_s[i], STORE_NONE, "severity %d", i);
	store_partner_release(&g);
	cr_expect_eq(count_rows("SELECT count(*) FROM partner_targets WHERE target_s IS NULL"), 4);
	store_partner_release(&p);

	make(&p, "defaults");
	cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
	cr_assert_eq(store_partner_get(s, "defaults", &g, &d), 0, "%s", d.msg);
	cr_expect_eq(g.target_s[STORE_SEV_CRITICAL], 86400);
	cr_expect_eq(g.target_s[STORE_SEV_HIGH], 86400);
	cr_expect_eq(g.target_s[STORE_SEV_MEDIUM], STORE_NONE);
	cr_expect_eq(g.target_s[STORE_SEV_LOW], STORE_NONE);
	cr_expect_eq(g.workdays, 0x3e);
	store_partner_release(&g);
	store_partner_release(&p);
}

Test(store_partner, list_sorted_and_archived_hidden)
{
	static const char *const keys[] = { "zeta", "alpha", "mid" };
	struct store_partner p, *v;
	size_t n;
	struct diag d;

	for (size_t i = 0; i < 3; i++) {
		make(&p, keys[i]);
		if (i == 0)
			add_calendar(&p, "a.ics", "", ICS_A);
		cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
		store_partner_release(&p);
	}
	cr_assert_eq(store_partner_list(s, 0, &v, &n, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 3);
	cr_expect_str_eq(v[0].key, "alpha");
	cr_expect_str_eq(v[1].key, "mid");
	cr_expect_str_eq(v[2].key, "zeta");
	cr_expect_eq(v[2].ncalendars, 1);
	cr_expect_str_eq(v[2].calendars[0].body, ICS_A);
	cr_expect_eq(v[0].target_s[STORE_SEV_CRITICAL], 86400);

	/* archive "mid" */
	{
		struct store_partner old, neu;

		cr_assert_eq(store_partner_get(s, "mid", &old, &d), 0);
		cr_assert_eq(store_partner_get(s, "mid", &neu, &d), 0);
		neu.archived_at = 1900000000;
		cr_expect_eq(store_partner_update(s, &old, &neu, "bob", 1900000000, &d), 1, "%s", d.msg);
		store_partner_release(&old);
		store_partner_release(&neu);
	}
	store_partner_list_free(v, n);
	cr_assert_eq(store_partner_list(s, 0, &v, &n, &d), 0, "%s", d.msg);
	cr_expect_eq(n, 2);
	cr_expect_str_eq(v[1].key, "zeta");
	store_partner_list_free(v, n);
	cr_assert_eq(store_partner_list(s, 1, &v, &n, &d), 0, "%s", d.msg);
	cr_expect_eq(n, 3);
	cr_expect_eq(v[1].archived_at, 1900000000);
	store_partner_list_free(v, n);
	{
		struct collect c = events_of(0);

		cr_expect(strstr(c.text, "partner.archive archived_at (null) -> 2030-03-17T17:46:40Z") != NULL,
		    "%s", c.text);
	}
}

Test(store_partner, empty_list)
{
	struct store_partner *v;
	size_t n = 99;
	struct diag d;

	cr_assert_eq(store_partner_list(s, 1, &v, &n, &d), 0, "%s", d.msg);
	cr_expect_eq(n, 0);
	store_partner_list_free(v, n);
}

Test(store_partner, update_records_one_event_per_field)
{
	struct store_partner p, old, neu, g;
	struct collect c;
	struct store_audit_result r;
	struct diag d;

	make(&p, "acme");
	add_calendar(&p, "a.ics", "", ICS_A);
	cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
	cr_assert_eq(store_partner_get(s, "acme", &old, &d), 0);
	cr_assert_eq(store_partner_get(s, "acme", &neu, &d), 0);
	free(neu.name);
	neu.name = strdup("Acme GmbH");
	free(neu.zone);
	neu.zone = strdup("Europe/Vienna");
	neu.workdays = 0x1f;
	free(neu.hours);
	neu.hours = strdup("08:00-16:00");
	neu.contact = strdup("x@y.example");
	neu.target_s[STORE_SEV_HIGH] = 8 * 3600;
	neu.target_s[STORE_SEV_LOW] = 5400;
	free(neu.calendars[0].body);
	neu.calendars[0].body = strdup(ICS_B);
	neu.calendars[0].body_len = strlen(ICS_B);
	cr_assert_eq(store_partner_update(s, &old, &neu, "bob", 2, &d), 8, "%s", d.msg);

	c = events_of(p.id);
	cr_expect_eq(c.n, 9, "%s", c.text);
	cr_expect(strstr(c.text, "partner.edit name Acme Corp -> Acme GmbH\n") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "partner.edit zone Europe/Berlin -> Europe/Vienna\n") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "partner.edit workdays mon-fri -> sun-thu\n") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "partner.edit hours  -> 08:00-16:00\n") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "partner.edit contact (null) -> x@y.example\n") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "partner.edit target.high 24h -> 8h\n") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "partner.edit target.low none -> 1h30m\n") != NULL, "%s", c.text);
	cr_expect(strstr(c.text, "partner.edit calendars [{\"source\":\"a.ics\"") != NULL, "%s", c.text);

	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	cr_expect_str_eq(g.name, "Acme GmbH");
	cr_expect_str_eq(g.zone, "Europe/Vienna");
	cr_expect_eq(g.workdays, 0x1f);
	cr_expect_str_eq(g.hours, "08:00-16:00");
	cr_expect_str_eq(g.contact, "x@y.example");
	cr_expect_eq(g.target_s[STORE_SEV_HIGH], 8 * 3600);
	cr_expect_eq(g.target_s[STORE_SEV_LOW], 5400);
	cr_assert_eq(g.ncalendars, 1);
	cr_expect_str_eq(g.calendars[0].body, ICS_B);
	store_partner_release(&g);
	cr_assert_eq(store_audit_verify(s, &r, &d), 0);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);

	/* nothing changed: nothing written */
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	cr_expect_eq(store_partner_update(s, &g, &g, "bob", 3, &d), 0, "%s", d.msg);
	cr_expect_eq(events_of(p.id).n, 9);
	store_partner_release(&g);

	store_partner_release(&p);
	store_partner_release(&old);
	store_partner_release(&neu);
}

Test(store_partner, update_replaces_and_clears_calendars)
{
	struct store_partner p, old, neu, g;
	struct diag d;

	make(&p, "acme");
	add_calendar(&p, "a.ics", "", ICS_A);
	add_calendar(&p, "b.ics", "+Holiday\n", ICS_B);
	cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
	cr_assert_eq(store_partner_get(s, "acme", &old, &d), 0);
	cr_assert_eq(store_partner_get(s, "acme", &neu, &d), 0);
	/* drop every calendar */
	for (size_t i = 0; i < neu.ncalendars; i++) {
		free(neu.calendars[i].source);
		free(neu.calendars[i].filters);
		free(neu.calendars[i].body);
		free(neu.calendars[i].etag);
	}
	free(neu.calendars);
	neu.calendars = NULL;
	neu.ncalendars = 0;
	cr_assert_eq(store_partner_update(s, &old, &neu, "bob", 2, &d), 1, "%s", d.msg);
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	cr_expect_eq(g.ncalendars, 0);
	store_partner_release(&g);
	cr_expect_eq(count_rows("SELECT count(*) FROM calendars"), 0);
	store_partner_release(&p);
	store_partner_release(&old);
	store_partner_release(&neu);
}

Test(store_partner, update_refuses_a_stale_copy)
{
	struct store_partner p, stale, a, g;
	struct diag d;

	make(&p, "acme");
	cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
	cr_assert_eq(store_partner_get(s, "acme", &stale, &d), 0);
	cr_assert_eq(store_partner_get(s, "acme", &a, &d), 0);
	free(a.name);
	a.name = strdup("First");
	cr_assert_eq(store_partner_update(s, &stale, &a, "bob", 2, &d), 1, "%s", d.msg);
	/* a second writer still holding the old copy */
	free(stale.zone);
	stale.zone = strdup("UTC");
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	{
		struct store_partner old_copy;

		cr_assert_eq(store_partner_get(s, "acme", &old_copy, &d), 0);
		free(old_copy.name);
		old_copy.name = strdup("Acme Corp");	/* what the second writer saw */
		cr_expect_eq(store_partner_update(s, &old_copy, &stale, "eve", 3, &d), -1);
		cr_expect_eq(d.code, DIAG_STORE);
		cr_expect(strstr(d.msg, "changed by someone else") != NULL, "%s", d.msg);
		store_partner_release(&old_copy);
	}
	store_partner_release(&g);
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	cr_expect_str_eq(g.name, "First");
	cr_expect_str_eq(g.zone, "Europe/Berlin");
	store_partner_release(&g);
	store_partner_release(&p);
	store_partner_release(&stale);
	store_partner_release(&a);
}

Test(store_partner, calendar_refresh_changed_unchanged_and_failed)
{
	struct store_partner p, g;
	struct store_calendar c;
	struct collect ev;
	struct diag d;
	char da[65], db[65];

	make(&p, "acme");
	add_calendar(&p, "https://example.com/h.ics", "", ICS_A);
	cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	sha256_hex(ICS_A, strlen(ICS_A), da);
	sha256_hex(ICS_B, strlen(ICS_B), db);

	/* a failure keeps the body and records the error once */
	memset(&c, 0, sizeof c);
	c.id = g.calendars[0].id;
	c.source = g.calendars[0].source;
	c.last_error = (char *)"https://example.com/h.ics: HTTP 500 Internal Server Error";
	cr_assert_eq(store_calendar_refreshed(s, p.id, &c, "cron", 10, &d), 0, "%s", d.msg);
	cr_assert_eq(store_calendar_refreshed(s, p.id, &c, "cron", 11, &d), 0, "%s", d.msg);
	store_partner_release(&g);
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	cr_expect_str_eq(g.calendars[0].body, ICS_A);
	cr_expect_str_eq(g.calendars[0].digest, da);
	cr_expect_eq(g.calendars[0].fetched_at, 1700000000);
	cr_expect_str_eq(g.calendars[0].last_error, c.last_error);
	ev = events_of(p.id);
	cr_expect_eq(ev.n, 2, "%s", ev.text);
	cr_expect(strstr(ev.text, "calendar.error calendars[0].last_error (null) -> https://example.com/h.ics: HTTP 500") != NULL, "%s", ev.text);

	/* unchanged (304): fresh validators and time, error cleared */
	c.last_error = NULL;
	c.body = (char *)ICS_A;
	c.body_len = strlen(ICS_A);
	c.etag = (char *)"\"v2\"";
	c.fetched_at = 20;
	c.horizon_day = 20000;
	cr_assert_eq(store_calendar_refreshed(s, p.id, &c, "cron", 20, &d), 0, "%s", d.msg);
	store_partner_release(&g);
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	cr_expect_null(g.calendars[0].last_error);
	cr_expect_eq(g.calendars[0].fetched_at, 20);
	cr_expect_str_eq(g.calendars[0].etag, "\"v2\"");
	ev = events_of(p.id);
	cr_expect_eq(ev.n, 3, "%s", ev.text);

	/* changed body: one event with the old and new digests */
	c.body = (char *)ICS_B;
	c.body_len = strlen(ICS_B);
	c.fetched_at = 30;
	c.horizon_day = 21000;
	cr_assert_eq(store_calendar_refreshed(s, p.id, &c, "cron", 30, &d), 0, "%s", d.msg);
	store_partner_release(&g);
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0);
	cr_expect_str_eq(g.calendars[0].body, ICS_B);
	cr_expect_str_eq(g.calendars[0].digest, db);
	cr_expect_eq(g.calendars[0].horizon_day, 21000);
	ev = events_of(p.id);
	cr_expect_eq(ev.n, 4, "%s", ev.text);
	{
		char want[200];

		snprintf(want, sizeof want, "calendar.refresh calendars[0].digest %s -> %s\n", da, db);
		cr_expect(strstr(ev.text, want) != NULL, "%s", ev.text);
	}
	/* the same body again: no event */
	cr_assert_eq(store_calendar_refreshed(s, p.id, &c, "cron", 40, &d), 0, "%s", d.msg);
	cr_expect_eq(events_of(p.id).n, 4);

	/* a calendar that is not this partner's */
	c.id = 999;
	cr_expect_eq(store_calendar_refreshed(s, p.id, &c, "cron", 50, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	store_partner_release(&g);
	store_partner_release(&p);
}

Test(store_partner, persists_across_reopen)
{
	struct store_partner p, g;
	struct diag d;

	make(&p, "acme");
	add_calendar(&p, "a.ics", "", ICS_A);
	cr_assert_eq(store_partner_add(s, &p, "alice", 1, &d), 0, "%s", d.msg);
	store_close(s);
	s = store_open(path, &d);
	cr_assert_not_null(s, "%s", d.msg);
	cr_assert_eq(store_partner_get(s, "acme", &g, &d), 0, "%s", d.msg);
	cr_expect_str_eq(g.calendars[0].body, ICS_A);
	store_partner_release(&g);
	store_partner_release(&p);
}
