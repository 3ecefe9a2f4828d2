/* test_sla.c: SLA status of a ticket (pure, table-driven, expected
 * instants and durations written out), the queue order, and the partner
 * schedule cache on a real SQLite file. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cal.h"
#include "civil.h"
#include "sla.h"
#include "store.h"
#include "tz.h"

static struct tz *berlin;
static struct cal *cal;

static void berlin_setup(void)
{
	struct cal_spec spec;
	struct diag d;

	cr_assert_not_null(berlin = tz_load("Europe/Berlin", &d), "%s", d.msg);
	memset(&spec, 0, sizeof spec);
	spec.tz = berlin;
	spec.weekdays = CAL_WEEKDAYS_MON_FRI;
	cr_assert_not_null(cal = cal_new(&spec, &d), "%s", d.msg);
}

static void berlin_teardown(void)
{
	cal_free(cal);
	tz_free(berlin);
}

static int64_t iso(const char *s)
{
	int64_t v;
	enum civil_instant_kind k;

	cr_assert_eq(civil_parse_instant(s, &v, &k), 0, "bad instant %s", s);
	cr_assert_eq(k, CIVIL_INSTANT_UTC, "%s must carry an offset", s);
	return v;
}

#define H 3600
#define NONE NULL

/* One ticket created Fri 2026-01-09 12:00 CET with the 24 h target:
 * 12 h on Friday, the weekend skipped, 12 h on Monday. */
static const struct {
	const char *created, *deadline, *response, *resolved, *now;
	double at_risk;
	enum sla_state state;
	int64_t elapsed_s, remaining_s, overrun_s, overrun_wall_s;
	int consumed_pct;
} rows[] = {
	/* the worked example: Mon 06:00 -> 18 h used, 6 h left, 75 % */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-12T06:00:00+01:00", 0.75, SLA_AT_RISK, 18 * H, 6 * H, 0, 0, 75 },
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-09T18:00:00+01:00", 0.75, SLA_ON_TRACK, 6 * H, 18 * H, 0, 0, 25 },
	/* the weekend counts nothing */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-11T23:59:00+01:00", 0.75, SLA_ON_TRACK, 12 * H, 12 * H, 0, 0, 50 },
	/* the threshold is a parameter */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-09T18:00:00+01:00", 0.25, SLA_AT_RISK, 6 * H, 18 * H, 0, 0, 25 },
	/* at the deadline itself: not yet breached */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-12T12:00:00+01:00", 0.75, SLA_AT_RISK, 24 * H, 0, 0, 0, 100 },
	/* one second later: breached */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-12T12:00:01+01:00", 0.75, SLA_BREACHED, 24 * H + 1, -1, 1, 1, 100 },
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-12T14:30:00+01:00", 0.75, SLA_BREACHED, 26 * H + 1800, -(2 * H + 1800),
	  2 * H + 1800, 2 * H + 1800, 110 },
	/* still open on Saturday: Mon 12:00 -> Sat 00:00 is 4.5 working days
	 * (108 h), 4 d 22 h on the wall clock */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-17T10:00:00+01:00", 0.75, SLA_BREACHED, 132 * H, -108 * H, 108 * H,
	  (4 * 24 + 22) * H, 550 },
	/* answered in time: the clock stops, later "now"s change nothing */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00",
	  "2026-01-12T11:00:00+01:00", NONE, "2026-02-01T00:00:00Z", 0.75, SLA_MET,
	  23 * H, 1 * H, 0, 0, 96 },
	/* answered exactly at the deadline: met */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00",
	  "2026-01-12T12:00:00+01:00", NONE, "2026-02-01T00:00:00Z", 0.75, SLA_MET,
	  24 * H, 0, 0, 0, 100 },
	/* answered late */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00",
	  "2026-01-12T13:00:00+01:00", NONE, "2026-02-01T00:00:00Z", 0.75, SLA_BREACHED,
	  25 * H, -1 * H, 1 * H, 1 * H, 104 },
	/* resolved without a response before the deadline: the resolution
	 * stops the clock */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE,
	  "2026-01-09T13:00:00+01:00", "2026-02-01T00:00:00Z", 0.75, SLA_MET,
	  1 * H, 23 * H, 0, 0, 4 },
	/* created Fri 00:00: the deadline is Sat 00:00 (the end of Friday); a
	 * response Sat 10:00 overran 0 s of working time but 10 h of wall clock */
	{ "2026-01-09T00:00:00+01:00", "2026-01-10T00:00:00+01:00",
	  "2026-01-10T10:00:00+01:00", NONE, "2026-01-12T09:00:00+01:00", 0.75,
	  SLA_BREACHED, 24 * H, 0, 0, 10 * H, 100 },
	/* "now" before the creation instant counts nothing */
	{ "2026-01-09T12:00:00+01:00", "2026-01-12T12:00:00+01:00", NONE, NONE,
	  "2026-01-09T10:00:00+01:00", 0.75, SLA_ON_TRACK, 0, 24 * H, 0, 0, 0 },
	/* over DST: created Fri 2026-03-27 12:00 CET, deadline Mon 12:00 CEST;
	 * Monday 06:00 CEST is 18 h in */
	{ "2026-03-27T12:00:00+01:00", "2026-03-30T12:00:00+02:00", NONE, NONE,
	  "2026-03-30T06:00:00+02:00", 0.75, SLA_AT_RISK, 18 * H, 6 * H, 0, 0, 75 },
	/* not timed */
	{ "2026-01-09T12:00:00+01:00", NONE, NONE, NONE, "2026-01-12T06:00:00+01:00",
	  0.75, SLA_NOT_TIMED, 18 * H, 0, 0, 0, 0 },
	{ "2026-01-09T12:00:00+01:00", NONE, "2026-01-09T13:00:00+01:00", NONE,
	  "2026-01-12T06:00:00+01:00", 0.75, SLA_RESPONDED, 1 * H, 0, 0, 0, 0 },
};

Test(sla, status_table, .init = berlin_setup, .fini = berlin_teardown)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct store_ticket t;
		struct sla_status st;
		int64_t want_deadline;
		struct diag d;

		store_ticket_init(&t);
		t.created_at = iso(rows[i].created);
		if (rows[i].deadline != NULL) {
			t.target_s = 24 * H;
			t.deadline_at = iso(rows[i].deadline);
			/* the expected deadline is the engine's */
			cr_assert_eq(cal_deadline(cal, t.created_at, t.target_s, &want_deadline,
			    &d), 0);
			cr_expect_eq(want_deadline, t.deadline_at, "row %zu: deadline", i);
		}
		if (rows[i].response != NULL)
			t.first_response_at = iso(rows[i].response);
		if (rows[i].resolved != NULL)
			t.resolved_at = iso(rows[i].resolved);
		sla_compute(&t, cal, iso(rows[i].now), rows[i].at_risk, &st);
		cr_expect_eq(st.state, rows[i].state, "row %zu: state %s, want %s", i,
		    sla_state_name(st.state), sla_state_name(rows[i].state));
		cr_expect_eq(st.elapsed_s, rows[i].elapsed_s, "row %zu: elapsed %lld", i,
		    (long long)st.elapsed_s);
		cr_expect_eq(st.remaining_s, rows[i].remaining_s, "row %zu: remaining %lld", i,
		    (long long)st.remaining_s);
		cr_expect_eq(st.overrun_s, rows[i].overrun_s, "row %zu: overrun %lld", i,
		    (long long)st.overrun_s);
		cr_expect_eq(st.overrun_wall_s, rows[i].overrun_wall_s,
		    "row %zu: wall overrun %lld", i, (long long)st.overrun_wall_s);
		cr_expect_eq((int)(st.consumed * 100 + 0.5), rows[i].consumed_pct,
		    "row %zu: consumed %f", i, st.consumed);
		cr_expect_eq(st.deadline_at, t.deadline_at, "row %zu", i);
	}
}

Test(sla, state_names)
{
	cr_expect_str_eq(sla_state_name(SLA_BREACHED), "BREACHED");
	cr_expect_str_eq(sla_state_name(SLA_AT_RISK), "at risk");
	cr_expect_str_eq(sla_state_id(SLA_NOT_TIMED), "not-timed");
	cr_expect_str_eq(sla_state_id(SLA_ON_TRACK), "on-track");
}

static int cmp(const void *a, const void *b)
{
	return sla_compare(a, b);
}

/* breached (most overdue first), running by remaining, met, not timed */
Test(sla, queue_order)
{
	struct sla_status v[7];
	static const enum sla_state want_state[] = {
		SLA_BREACHED, SLA_BREACHED, SLA_AT_RISK, SLA_ON_TRACK, SLA_MET,
		SLA_NOT_TIMED, SLA_RESPONDED
	};
	static const int64_t want_key[] = { 7200, 60, 100, 5000, 0, 0, 0 };

	memset(v, 0, sizeof v);
	v[0].state = SLA_NOT_TIMED; v[0].deadline_at = STORE_NONE;
	v[1].state = SLA_ON_TRACK; v[1].remaining_s = 5000;
	v[2].state = SLA_BREACHED; v[2].overrun_wall_s = 60;
	v[3].state = SLA_MET;
	v[4].state = SLA_AT_RISK; v[4].remaining_s = 100;
	v[5].state = SLA_BREACHED; v[5].overrun_wall_s = 7200;
	v[6].state = SLA_RESPONDED; v[6].deadline_at = STORE_NONE;
	qsort(v, 7, sizeof v[0], cmp);
	for (int i = 0; i < 7; i++) {
		int64_t key = v[i].state == SLA_BREACHED ? v[i].overrun_wall_s : v[i].remaining_s;

		cr_expect_eq(v[i].state, want_state[i], "position %d: %s", i,
		    sla_state_name(v[i].state));
		cr_expect_eq(key, want_key[i], "position %d", i);
	}
}

/* ---- the cache and recompute support on a real database ------------------ */

static char dir[64], path[128];
static struct store *db;

static void db_setup(void)
{
	struct diag d;

	snprintf(dir, sizeof dir, "/tmp/slatrack-sla.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	cr_assert_not_null(db = store_open(path, &d), "%s", d.msg);
}

static void db_teardown(void)
{
	char cmd[160];

	store_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static int64_t add_partner(const char *key, const char *zone)
{
	struct store_partner p;
	struct diag d;
	int64_t id;

	store_partner_init(&p);
	p.key = strdup(key);
	p.name = strdup(key);
	p.zone = strdup(zone);
	p.hours = strdup("");
	p.created_at = 0;
	cr_assert_eq(store_partner_add(db, &p, "test", 1000, &d), 0, "%s", d.msg);
	id = p.id;
	store_partner_release(&p);
	return id;
}

Test(sla, cache_compiles_each_partner_once, .init = db_setup, .fini = db_teardown)
{
	struct sla_cache *c = sla_cache_new(db);
	const struct sla_partner *a, *b, *a2, *a3;
	int64_t ida = add_partner("acme", "Europe/Berlin");
	int64_t idb = add_partner("globex", "America/New_York");
	int64_t target, deadline;
	struct diag d;

	cr_assert_not_null(c);
	cr_assert_not_null(a = sla_cache_get(c, ida, &d), "%s", d.msg);
	cr_assert_not_null(b = sla_cache_get(c, idb, &d), "%s", d.msg);
	cr_assert_not_null(a2 = sla_cache_get(c, ida, &d));
	cr_assert_not_null(a3 = sla_cache_get_key(c, "acme", &d));
	cr_expect_eq(a, a2, "the same compiled partner");
	cr_expect_eq(a, a3, "by key too");
	cr_expect_str_eq(tz_name(a->sched.tz), "Europe/Berlin");
	cr_expect_str_eq(tz_name(b->sched.tz), "America/New_York");
	cr_expect_null(sla_cache_get(c, 999, &d));
	cr_expect_eq(d.code, DIAG_INPUT, "%s", d.msg);
	cr_expect_null(sla_cache_get_key(c, "nobody", &d));
	cr_expect(strstr(d.msg, "nobody") != NULL, "%s", d.msg);

	/* critical: 24 h; medium: not timed by default */
	cr_assert_eq(sla_plan(a, STORE_SEV_CRITICAL, iso("2026-01-09T12:00:00+01:00"),
	    &target, &deadline, &d), 0, "%s", d.msg);
	cr_expect_eq(target, 86400);
	cr_expect_eq(deadline, iso("2026-01-12T12:00:00+01:00"));
	cr_assert_eq(sla_plan(a, STORE_SEV_MEDIUM, iso("2026-01-09T12:00:00+01:00"),
	    &target, &deadline, &d), 0);
	cr_expect_eq(target, STORE_NONE);
	cr_expect_eq(deadline, STORE_NONE);
	/* New York: Fri 10:00 EST -> Mon 10:00 */
	cr_assert_eq(sla_plan(b, STORE_SEV_HIGH, iso("2026-01-09T10:00:00-05:00"),
	    &target, &deadline, &d), 0);
	cr_expect_eq(deadline, iso("2026-01-12T10:00:00-05:00"));
	sla_cache_free(c);
}

/* A scan's thread loads (sla_cache_load), the caller's compiles
 * (sla_partner_ready): loading never compiles, and a partner that fails
 * to compile fails each time with the same message, as through
 * sla_cache_get. */
Test(sla, load_now_compile_later, .init = db_setup, .fini = db_teardown)
{
	struct sla_cache *c = sla_cache_new(db);
	int64_t ida = add_partner("acme", "Europe/Berlin");
	int64_t idb = add_partner("globex", "America/New_York");
	struct sla_partner *a, *b;
	struct diag d, d2;
	char sql[128];
	sqlite3 *raw;

	/* a zone the store would refuse, written behind its back */
	snprintf(sql, sizeof sql, "UPDATE partners SET zone = 'Mars/Olympus' WHERE id = %lld",
	    (long long)idb);
	cr_assert_eq(sqlite3_open(path, &raw), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK, "%s",
	    sqlite3_errmsg(raw));
	sqlite3_close(raw);
	cr_assert_not_null(a = sla_cache_load(c, ida, &d), "%s", d.msg);
	cr_expect_eq(a->compiled, 0, "loaded, not compiled");
	cr_expect_null(a->sched.tz);
	cr_assert_eq(sla_partner_ready(a, &d), 0, "%s", d.msg);
	cr_expect_str_eq(tz_name(a->sched.tz), "Europe/Berlin");
	cr_assert_eq(sla_partner_ready(a, &d), 0, "once compiled, ready");
	cr_expect_eq(sla_cache_get(c, ida, &d), a, "the same partner");
	cr_expect_eq(sla_cache_load(c, ida, &d), a);

	cr_assert_not_null(b = sla_cache_load(c, idb, &d), "the record loads: %s", d.msg);
	cr_assert_eq(sla_partner_ready(b, &d), -1);
	cr_expect(strstr(d.msg, "Mars/Olympus") != NULL, "%s", d.msg);
	cr_assert_eq(sla_partner_ready(b, &d2), -1);
	cr_expect_str_eq(d2.msg, d.msg);
	cr_expect_null(sla_cache_get(c, idb, &d2));
	cr_expect_str_eq(d2.msg, d.msg);

	cr_expect_null(sla_cache_load(c, 999, &d));
	cr_expect_eq(d.code, DIAG_INPUT, "%s", d.msg);
	sla_cache_free(c);
}

/* For scans on two threads at once: every partner loaded, none compiled,
 * then found without the store (each thread with its own hint); one
 * already in the cache, compiled, stays the same. */
Test(sla, load_all_then_find, .init = db_setup, .fini = db_teardown)
{
	struct sla_cache *c = sla_cache_new(db);
	int64_t ida = add_partner("acme", "Europe/Berlin");
	int64_t idb = add_partner("globex", "America/New_York");
	int64_t idc = add_partner("initech", "Asia/Tokyo");
	const struct sla_partner *first;
	struct sla_partner *p;
	struct diag d;
	size_t hint = 0;

	cr_assert_not_null(first = sla_cache_get(c, idb, &d), "%s", d.msg);
	cr_expect_null(sla_cache_find(c, ida, &hint), "not loaded yet");
	cr_assert_eq(sla_cache_load_all(c, &d), 0, "%s", d.msg);
	cr_assert_not_null(p = sla_cache_find(c, ida, &hint));
	cr_expect_eq(p->partner.id, ida);
	cr_expect_eq(p->compiled, 0, "loaded, not compiled");
	cr_expect_eq(sla_cache_find(c, idb, &hint), first, "the one compiled before");
	cr_expect_eq(sla_cache_find(c, idc, &hint)->partner.id, idc);
	cr_expect_eq(sla_cache_find(c, idc, &hint)->partner.id, idc, "again, by the hint");
	cr_expect_null(sla_cache_find(c, 999, &hint));
	cr_expect_eq(sla_cache_load_all(c, &d), 0, "a second time: %s", d.msg);
	cr_expect_eq(sla_cache_find(c, idb, &hint), first, "nothing loaded twice");
	sla_cache_free(c);
}

static int count_move(const struct sla_move *m, void *arg)
{
	int *n = arg;

	cr_expect_eq(m->deadline_at, iso("2026-01-09T20:00:00+01:00"),
	    "8 h from Fri 12:00");
	cr_expect_eq(m->target_s, 8 * H);
	(*n)++;
	return 0;
}

Test(sla, moves_after_a_target_change, .init = db_setup, .fini = db_teardown)
{
	int64_t id = add_partner("acme", "Europe/Berlin");
	struct store_partner old, p;
	struct store_ticket t;
	struct store_ticket_filter f;
	struct sla_cache *c;
	struct diag d;
	int n = 0;

	store_ticket_init(&t);
	t.partner_id = id;
	t.severity = STORE_SEV_CRITICAL;
	t.summary = strdup("printer on fire");
	t.created_at = iso("2026-01-09T12:00:00+01:00");
	t.target_s = 86400;
	t.deadline_at = iso("2026-01-12T12:00:00+01:00");
	cr_assert_eq(store_ticket_add(db, &t, "test", t.created_at, &d), 0, "%s", d.msg);
	store_ticket_release(&t);

	store_ticket_filter_init(&f);
	f.open_only = 1;
	c = sla_cache_new(db);
	cr_assert_eq(sla_moves(db, c, &f, 0, count_move, &n, &d), 0, "%s", d.msg);
	cr_expect_eq(n, 0, "nothing drifts before the change");
	sla_cache_free(c);

	cr_assert_eq(store_partner_get(db, "acme", &old, &d), 0, "%s", d.msg);
	cr_assert_eq(store_partner_get(db, "acme", &p, &d), 0);
	p.target_s[STORE_SEV_CRITICAL] = 8 * H;
	cr_assert_geq(store_partner_update(db, &old, &p, "test", 2000, &d), 0, "%s", d.msg);
	store_partner_release(&old);
	store_partner_release(&p);

	c = sla_cache_new(db);
	cr_assert_eq(sla_moves(db, c, &f, 0, count_move, &n, &d), 0, "%s", d.msg);
	cr_expect_eq(n, 1);
	sla_cache_free(c);
}
