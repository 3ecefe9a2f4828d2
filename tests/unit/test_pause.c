/* test_pause.c: the SLA model's pauses, resolution clock and excuses.
 *
 * Engine: sla_clock_deadline over weekends, a DST change, working hours
 * and a holiday, with every expected instant worked out by hand in the
 * comment beside it; sla_compute of a waiting ticket.  Store: wait,
 * resume, reopen and excuse on a real SQLite file (src/clocks.c), the
 * audit events they leave, the resumed deadline equal to a replay of the
 * pauses, and a database made by the release before this model (schema
 * version 6, tests/data/migrate/v6.db) migrating with nothing lost. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cal.h"
#include "civil.h"
#include "clocks.h"
#include "sla.h"
#include "store.h"
#include "tz.h"

#define H 3600

static int64_t iso(const char *s)
{
	int64_t v;
	enum civil_instant_kind k;

	cr_assert_eq(civil_parse_instant(s, &v, &k), 0, "bad instant %s", s);
	cr_assert_eq(k, CIVIL_INSTANT_UTC, "%s must carry an offset", s);
	return v;
}

/* ---- the engine ------------------------------------------------------------ */

static struct tz *berlin;
static struct cal *days, *hours, *holiday;

static void engine_setup(void)
{
	static const struct cal_window nine_to_five[] = { { 9 * H, 17 * H } };
	struct cal_rules *r;
	struct cal_spec spec;
	struct diag d;

	cr_assert_not_null(berlin = tz_load("Europe/Berlin", &d), "%s", d.msg);
	memset(&spec, 0, sizeof spec);
	spec.tz = berlin;
	spec.weekdays = CAL_WEEKDAYS_MON_FRI;
	cr_assert_not_null(days = cal_new(&spec, &d), "%s", d.msg);
	spec.windows = nine_to_five;
	spec.nwindows = 1;
	cr_assert_not_null(hours = cal_new(&spec, &d), "%s", d.msg);
	cr_assert_not_null(r = cal_rules_new());
	/* Monday 2026-01-12 is a holiday */
	cr_assert_eq(cal_rules_add_day(r, (int32_t)civil_days_from_ymd(2026, 1, 12),
	    CAL_DAY_HOLIDAY, "Feiertag", "test", 1), 0);
	spec.windows = NULL;
	spec.nwindows = 0;
	spec.rules = r;
	cr_assert_not_null(holiday = cal_new(&spec, &d), "%s", d.msg);
	cal_rules_free(r);
}

static void engine_teardown(void)
{
	cal_free(days);
	cal_free(hours);
	cal_free(holiday);
	tz_free(berlin);
}

static struct store_pause pause_of(const char *kind, int response, const char *from,
				   const char *to)
{
	struct store_pause p;

	memset(&p, 0, sizeof p);
	snprintf(p.kind, sizeof p.kind, "%s", kind);
	p.response = response;
	p.start_at = iso(from);
	p.end_at = to != NULL ? iso(to) : STORE_NONE;
	return p;
}

static int64_t deadline(const struct cal *c, const char *created, int64_t target,
			const struct store_pause *v, size_t n, enum sla_clock clock)
{
	int64_t at;
	struct diag d;

	cr_assert_eq(sla_clock_deadline(c, iso(created), target, v, n, clock, &at, &d), 0,
	    "%s", d.msg);
	return at;
}

/* Created Fri 2026-01-09 12:00 CET, 24 h over whole Mon-Fri days: 12 h on
 * Friday, 12 h on Monday, deadline Mon 12:00. */
#define FRI_NOON "2026-01-09T12:00:00+01:00"

Test(pause, none_is_the_plain_deadline, .init = engine_setup, .fini = engine_teardown)
{
	cr_expect_eq(deadline(days, FRI_NOON, 24 * H, NULL, 0, SLA_CLOCK_RESPONSE),
	    iso("2026-01-12T12:00:00+01:00"));
}

Test(pause, over_a_weekend_moves_by_working_time, .init = engine_setup,
     .fini = engine_teardown)
{
	/* Fri 18:00 -> Mon 00:00 is 54 h on the wall clock but 6 h of working
	 * time (Friday 18-24): Mon 12:00 + 6 h = Mon 18:00 */
	struct store_pause p = pause_of("wait", 1, "2026-01-09T18:00:00+01:00",
	    "2026-01-12T00:00:00+01:00");

	cr_expect_eq(deadline(days, FRI_NOON, 24 * H, &p, 1, SLA_CLOCK_RESPONSE),
	    iso("2026-01-12T18:00:00+01:00"));
	cr_expect_eq(sla_paused_working(days, &p, 1, SLA_CLOCK_RESPONSE, iso(FRI_NOON),
	    iso("2026-02-01T00:00:00Z")), 6 * H);
}

Test(pause, response_clock_only_when_marked, .init = engine_setup, .fini = engine_teardown)
{
	struct store_pause p = pause_of("wait", 0, "2026-01-09T18:00:00+01:00",
	    "2026-01-12T00:00:00+01:00");

	cr_expect_eq(deadline(days, FRI_NOON, 24 * H, &p, 1, SLA_CLOCK_RESPONSE),
	    iso("2026-01-12T12:00:00+01:00"), "the response clock ran on");
	cr_expect_eq(deadline(days, FRI_NOON, 24 * H, &p, 1, SLA_CLOCK_RESOLVE),
	    iso("2026-01-12T18:00:00+01:00"), "the resolution clock stood still");
	cr_expect_eq(sla_paused_working(days, &p, 1, SLA_CLOCK_RESPONSE, iso(FRI_NOON),
	    iso("2026-02-01T00:00:00Z")), 0);
}

Test(pause, inside_a_weekend_moves_nothing, .init = engine_setup, .fini = engine_teardown)
{
	struct store_pause p = pause_of("wait", 1, "2026-01-10T08:00:00+01:00",
	    "2026-01-11T20:00:00+01:00");

	cr_expect_eq(deadline(days, FRI_NOON, 24 * H, &p, 1, SLA_CLOCK_RESPONSE),
	    iso("2026-01-12T12:00:00+01:00"));
}

Test(pause, after_the_deadline_moves_nothing, .init = engine_setup, .fini = engine_teardown)
{
	struct store_pause p = pause_of("wait", 1, "2026-01-12T13:00:00+01:00",
	    "2026-01-13T09:00:00+01:00");

	cr_expect_eq(deadline(days, FRI_NOON, 24 * H, &p, 1, SLA_CLOCK_RESPONSE),
	    iso("2026-01-12T12:00:00+01:00"));
}

Test(pause, an_open_pause_is_left_out, .init = engine_setup, .fini = engine_teardown)
{
	struct store_pause p = pause_of("wait", 1, "2026-01-09T18:00:00+01:00", NULL);

	cr_expect_eq(deadline(days, FRI_NOON, 24 * H, &p, 1, SLA_CLOCK_RESPONSE),
	    iso("2026-01-12T12:00:00+01:00"), "as if it resumed at once");
	/* counted up to the instant asked: Fri 18:00 -> 24:00 */
	cr_expect_eq(sla_paused_working(days, &p, 1, SLA_CLOCK_RESOLVE, iso(FRI_NOON),
	    iso("2026-01-10T12:00:00+01:00")), 6 * H);
}

Test(pause, two_pauses_add_up, .init = engine_setup, .fini = engine_teardown)
{
	/* Fri 14:00-15:00 (1 h) and Mon 01:00-03:00 (2 h): Mon 15:00 */
	struct store_pause v[2] = {
		pause_of("wait", 1, "2026-01-09T14:00:00+01:00", "2026-01-09T15:00:00+01:00"),
		pause_of("wait", 1, "2026-01-12T01:00:00+01:00", "2026-01-12T03:00:00+01:00"),
	};

	cr_expect_eq(deadline(days, FRI_NOON, 24 * H, v, 2, SLA_CLOCK_RESPONSE),
	    iso("2026-01-12T15:00:00+01:00"));
}

Test(pause, across_a_dst_change, .init = engine_setup, .fini = engine_teardown)
{
	/* Created Fri 2026-03-27 12:00 CET; clocks go forward Sun 29 March.
	 * Waits Fri 20:00 CET -> Mon 02:00 CEST: 8 h used before, 16 h left;
	 * Mon 02:00 + 16 h = Mon 18:00 CEST (16:00Z).  The short Sunday
	 * counts nothing either way. */
	struct store_pause p = pause_of("wait", 1, "2026-03-27T20:00:00+01:00",
	    "2026-03-30T02:00:00+02:00");

	cr_expect_eq(deadline(days, "2026-03-27T12:00:00+01:00", 24 * H, NULL, 0,
	    SLA_CLOCK_RESPONSE), iso("2026-03-30T12:00:00+02:00"));
	cr_expect_eq(deadline(days, "2026-03-27T12:00:00+01:00", 24 * H, &p, 1,
	    SLA_CLOCK_RESPONSE), iso("2026-03-30T18:00:00+02:00"));
	cr_expect_eq(sla_paused_working(days, &p, 1, SLA_CLOCK_RESPONSE,
	    iso("2026-03-27T12:00:00+01:00"), iso("2026-04-01T00:00:00Z")), 6 * H);
}

Test(pause, within_working_hours, .init = engine_setup, .fini = engine_teardown)
{
	/* 09:00-17:00: created Fri 15:00, 8 h -> 2 h Friday, 6 h Monday: Mon
	 * 15:00.  Waits Fri 16:00 -> Mon 10:00: 1 h Friday + 1 h Monday of
	 * working time: Mon 17:00. */
	struct store_pause p = pause_of("wait", 1, "2026-01-09T16:00:00+01:00",
	    "2026-01-12T10:00:00+01:00");

	cr_expect_eq(deadline(hours, "2026-01-09T15:00:00+01:00", 8 * H, NULL, 0,
	    SLA_CLOCK_RESPONSE), iso("2026-01-12T15:00:00+01:00"));
	cr_expect_eq(deadline(hours, "2026-01-09T15:00:00+01:00", 8 * H, &p, 1,
	    SLA_CLOCK_RESPONSE), iso("2026-01-12T17:00:00+01:00"));
}

Test(pause, over_a_holiday, .init = engine_setup, .fini = engine_teardown)
{
	/* Monday is a holiday: Fri 12:00 + 24 h = Tue 12:00.  Waits Fri 18:00
	 * -> Tue 00:00 (weekend and holiday inside): 6 h of working time, Tue
	 * 18:00. */
	struct store_pause p = pause_of("wait", 1, "2026-01-09T18:00:00+01:00",
	    "2026-01-13T00:00:00+01:00");

	cr_expect_eq(deadline(holiday, FRI_NOON, 24 * H, NULL, 0, SLA_CLOCK_RESPONSE),
	    iso("2026-01-13T12:00:00+01:00"));
	cr_expect_eq(deadline(holiday, FRI_NOON, 24 * H, &p, 1, SLA_CLOCK_RESPONSE),
	    iso("2026-01-13T18:00:00+01:00"));
}

static void waiting_ticket(struct store_ticket *t, int response)
{
	store_ticket_init(t);
	t->created_at = iso(FRI_NOON);
	t->target_s = 24 * H;
	t->deadline_at = iso("2026-01-12T12:00:00+01:00");
	t->resolve_target_s = 48 * H;		/* Fri 12 h + Mon 24 h + Tue 12 h */
	t->resolve_deadline_at = iso("2026-01-13T12:00:00+01:00");
	t->waiting_since = iso("2026-01-09T18:00:00+01:00");
	t->waiting_response = response;
}

Test(pause, a_waiting_clock_stands_still, .init = engine_setup, .fini = engine_teardown)
{
	struct store_ticket t;
	struct sla_status st;
	int64_t now = iso("2026-01-12T20:00:00+01:00");	/* past both deadlines' */

	waiting_ticket(&t, 1);
	sla_compute(&t, days, now, 0.75, &st);
	cr_expect_eq(st.state, SLA_WAITING);
	cr_expect_str_eq(sla_state_name(st.state), "waiting");
	cr_expect_eq(st.elapsed_s, 6 * H, "Fri 12:00-18:00, then frozen");
	cr_expect_eq(st.remaining_s, 18 * H);
	sla_compute_resolve(&t, days, now, 0.75, &st);
	cr_expect_eq(st.state, SLA_WAITING);
	cr_expect_eq(st.remaining_s, 42 * H);

	/* the partner's response target is not paused: it runs on, breached */
	waiting_ticket(&t, 0);
	sla_compute(&t, days, now, 0.75, &st);
	cr_expect_eq(st.state, SLA_BREACHED);
	cr_expect_eq(st.overrun_s, 8 * H, "Mon 12:00-20:00");
	sla_compute_resolve(&t, days, now, 0.75, &st);
	cr_expect_eq(st.state, SLA_WAITING);
	cr_expect_eq(st.excused, 0);
}

Test(pause, waiting_after_the_deadline_stays_breached, .init = engine_setup,
     .fini = engine_teardown)
{
	struct store_ticket t;
	struct sla_status st;

	waiting_ticket(&t, 1);
	t.waiting_since = iso("2026-01-12T13:00:00+01:00");
	t.excused_at = iso("2026-01-12T14:00:00+01:00");
	sla_compute(&t, days, iso("2026-01-14T09:00:00+01:00"), 0.75, &st);
	cr_expect_eq(st.state, SLA_BREACHED);
	cr_expect_eq(st.overrun_s, 1 * H, "frozen at the wait: Mon 12:00-13:00");
	cr_expect_eq(st.excused, 1);
}

Test(pause, queue_puts_waiting_after_running)
{
	struct sla_status run, wait;

	memset(&run, 0, sizeof run);
	memset(&wait, 0, sizeof wait);
	run.state = SLA_ON_TRACK;
	run.remaining_s = 20 * H;
	wait.state = SLA_WAITING;
	wait.remaining_s = 1 * H;
	cr_expect_lt(sla_compare(&run, &wait), 0);
}

/* ---- on a real database ---------------------------------------------------- */

static char dir[64], path[128];
static struct store *db;
static struct sla_cache *cache;

static void db_setup(void)
{
	struct diag d;

	snprintf(dir, sizeof dir, "/tmp/slatrack-pause.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	cr_assert_not_null(db = store_open(path, &d), "%s", d.msg);
	cr_assert_not_null(cache = sla_cache_new(db));
}

static void db_teardown(void)
{
	char cmd[160];

	sla_cache_free(cache);
	store_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Partner acme (Berlin, whole days): critical 24 h to respond, 48 h to
 * resolve; pause_response as given.  Returns the ticket id of one
 * critical ticket created Fri 12:00. */
static int64_t setup_ticket(int pause_response, const struct sla_partner **pp)
{
	struct store_partner p;
	struct store_ticket t;
	struct diag d;
	int64_t id;

	store_partner_init(&p);
	p.key = strdup("acme");
	p.name = strdup("Acme");
	p.zone = strdup("Europe/Berlin");
	p.hours = strdup("");
	p.created_at = 0;
	p.resolve_s[STORE_SEV_CRITICAL] = 48 * H;
	p.pause_response = pause_response;
	cr_assert_eq(store_partner_add(db, &p, "test", 1000, &d), 0, "%s", d.msg);
	cr_assert_not_null(*pp = sla_cache_get(cache, p.id, &d), "%s", d.msg);
	cr_expect_eq((*pp)->partner.resolve_s[STORE_SEV_CRITICAL], 48 * H, "read back");
	cr_expect_eq((*pp)->partner.pause_response, pause_response, "read back");
	store_ticket_init(&t);
	t.partner_id = p.id;
	t.severity = STORE_SEV_CRITICAL;
	t.summary = strdup("printer on fire");
	t.created_at = iso(FRI_NOON);
	cr_assert_eq(sla_plan_ticket(*pp, &t, NULL, 0, &d), 0, "%s", d.msg);
	cr_expect_eq(t.deadline_at, iso("2026-01-12T12:00:00+01:00"));
	cr_expect_eq(t.resolve_deadline_at, iso("2026-01-13T12:00:00+01:00"));
	cr_assert_eq(store_ticket_add(db, &t, "test", t.created_at, &d), 0, "%s", d.msg);
	id = t.id;
	store_ticket_release(&t);
	store_partner_release(&p);
	return id;
}

typedef int change_fn(const struct sla_partner *p, const struct store_ticket *old,
		      struct store_ticket *t, int64_t at, struct diag *d);

static int do_wait(const struct sla_partner *p, const struct store_ticket *old,
		   struct store_ticket *t, int64_t at, struct diag *d)
{
	return clocks_wait(db, p, old, t, at, d);
}

static int do_resume(const struct sla_partner *p, const struct store_ticket *old,
		     struct store_ticket *t, int64_t at, struct diag *d)
{
	return clocks_resume(db, p, old, t, at, d);
}

static int do_resolve(const struct sla_partner *p, const struct store_ticket *old,
		      struct store_ticket *t, int64_t at, struct diag *d)
{
	if (clocks_resolve(db, p, old, t, at, d) < 0)
		return -1;
	t->resolved_at = at;
	return 0;
}

static int do_reopen(const struct sla_partner *p, const struct store_ticket *old,
		     struct store_ticket *t, int64_t at, struct diag *d)
{
	return clocks_reopen(db, p, old, t, at, d);
}

/* One change in one transaction, as the front ends make it: 0, or -1
 * with d set and nothing written. */
static int change(int64_t id, const struct sla_partner *p, change_fn *fn, const char *kind,
		  const char *when, struct store_ticket *after, struct diag *d)
{
	struct store_ticket old, t;
	char ref[32];
	int rc = -1;

	snprintf(ref, sizeof ref, "#%lld", (long long)id);
	cr_assert_eq(store_begin(db, d), 0, "%s", d->msg);
	cr_assert_eq(store_ticket_get(db, ref, &old, d), 0, "%s", d->msg);
	cr_assert_eq(store_ticket_copy(&t, &old, d), 0);
	if (fn(p, &old, &t, iso(when), d) == 0 &&
	    store_ticket_update(db, &old, &t, kind, "alice", iso(when), d) == 0 &&
	    store_commit(db, d) == 0)
		rc = 0;
	store_rollback(db);
	store_ticket_release(&old);
	if (after != NULL && rc == 0)
		*after = t;
	else
		store_ticket_release(&t);
	return rc;
}

static int no_move(const struct sla_move *m, void *arg)
{
	(void)arg;
	cr_expect(0, "ticket #%lld would move: %lld -> %lld, resolve %lld -> %lld",
	    (long long)m->t->id, (long long)m->t->deadline_at, (long long)m->deadline_at,
	    (long long)m->t->resolve_deadline_at, (long long)m->resolve_deadline_at);
	return 0;
}

struct kinds {
	char seen[1024];
};

static int collect(const struct store_event *e, void *arg)
{
	struct kinds *k = arg;
	size_t n = strlen(k->seen);

	snprintf(k->seen + n, sizeof k->seen - n, "%s:%s;", e->kind,
	    e->field != NULL ? e->field : "-");
	return 0;
}

Test(pause, wait_and_resume_move_both_deadlines, .init = db_setup, .fini = db_teardown)
{
	const struct sla_partner *p;
	int64_t id = setup_ticket(1, &p);
	struct store_ticket t;
	struct store_ticket_filter f;
	struct store_pause *v;
	struct kinds k = { "" };
	size_t n;
	struct diag d;

	cr_assert_eq(change(id, p, do_wait, "ticket.wait", "2026-01-09T18:00:00+01:00", &t,
	    &d), 0, "%s", d.msg);
	cr_expect_eq(t.waiting_since, iso("2026-01-09T18:00:00+01:00"));
	cr_expect_eq(t.waiting_response, 1);
	cr_expect_eq(t.deadline_at, iso("2026-01-12T12:00:00+01:00"), "unmoved while waiting");
	store_ticket_release(&t);
	cr_expect_neq(change(id, p, do_wait, "ticket.wait", "2026-01-09T19:00:00+01:00", NULL,
	    &d), 0, "a second wait is refused");
	cr_expect(strstr(d.msg, "already waiting") != NULL, "%s", d.msg);

	cr_assert_eq(change(id, p, do_resume, "ticket.resume", "2026-01-12T00:00:00+01:00",
	    &t, &d), 0, "%s", d.msg);
	cr_expect_eq(t.waiting_since, STORE_NONE);
	cr_expect_eq(t.deadline_at, iso("2026-01-12T18:00:00+01:00"), "Mon 12:00 + 6 h");
	cr_expect_eq(t.resolve_deadline_at, iso("2026-01-13T18:00:00+01:00"), "Tue 12:00 + 6 h");
	store_ticket_release(&t);
	cr_expect_neq(change(id, p, do_resume, "ticket.resume", "2026-01-12T01:00:00+01:00",
	    NULL, &d), 0, "not waiting");
	cr_expect(strstr(d.msg, "not waiting") != NULL, "%s", d.msg);

	cr_assert_eq(store_pause_list(db, id, &v, &n, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(v[0].kind, "wait");
	cr_expect_eq(v[0].response, 1);
	cr_expect_eq(v[0].start_at, iso("2026-01-09T18:00:00+01:00"));
	cr_expect_eq(v[0].end_at, iso("2026-01-12T00:00:00+01:00"));
	free(v);

	/* what resume stored is what a replay of the pauses gives */
	store_ticket_filter_init(&f);
	cr_assert_eq(sla_moves(db, cache, &f, 1, no_move, NULL, &d), 0, "%s", d.msg);

	cr_assert_eq(store_event_each(db, id, collect, &k, &d), 0, "%s", d.msg);
	cr_expect(strstr(k.seen, "ticket.wait:waiting;ticket.wait:waiting_response;") != NULL,
	    "%s", k.seen);
	cr_expect(strstr(k.seen, "ticket.resume:deadline;") != NULL, "%s", k.seen);
	cr_expect(strstr(k.seen, "ticket.resume:resolve_deadline;") != NULL, "%s", k.seen);
	cr_expect(strstr(k.seen, "ticket.resume:waiting;") != NULL, "%s", k.seen);
}

Test(pause, response_target_not_paused_by_default, .init = db_setup, .fini = db_teardown)
{
	const struct sla_partner *p;
	int64_t id = setup_ticket(0, &p);
	struct store_ticket t;
	struct diag d;

	cr_assert_eq(change(id, p, do_wait, "ticket.wait", "2026-01-09T18:00:00+01:00", NULL,
	    &d), 0, "%s", d.msg);
	cr_assert_eq(change(id, p, do_resume, "ticket.resume", "2026-01-12T00:00:00+01:00",
	    &t, &d), 0, "%s", d.msg);
	cr_expect_eq(t.deadline_at, iso("2026-01-12T12:00:00+01:00"), "response unmoved");
	cr_expect_eq(t.resolve_deadline_at, iso("2026-01-13T18:00:00+01:00"));
	store_ticket_release(&t);
}

Test(pause, resolving_ends_the_wait, .init = db_setup, .fini = db_teardown)
{
	const struct sla_partner *p;
	int64_t id = setup_ticket(1, &p);
	struct store_ticket t;
	struct sla_status st;
	struct diag d;

	cr_assert_eq(change(id, p, do_wait, "ticket.wait", "2026-01-09T18:00:00+01:00", NULL,
	    &d), 0, "%s", d.msg);
	/* resolved Tue 20:00 while waiting: 42 h were left at Fri 18:00
	 * (6 + 24 + 12), so the wait moved the resolution deadline to Tue
	 * 20:00 + 42 h = Thu 14:00, and the resolution met it */
	cr_assert_eq(change(id, p, do_resolve, "ticket.resolve", "2026-01-13T20:00:00+01:00",
	    &t, &d), 0, "%s", d.msg);
	cr_expect_eq(t.waiting_since, STORE_NONE);
	cr_expect_eq(t.resolve_deadline_at, iso("2026-01-15T14:00:00+01:00"));
	sla_compute_resolve(&t, p->sched.cal, iso("2026-01-20T00:00:00Z"), 0.75, &st);
	cr_expect_eq(st.state, SLA_MET);
	store_ticket_release(&t);
}

Test(pause, reopen_keeps_the_response_outcome, .init = db_setup, .fini = db_teardown)
{
	const struct sla_partner *p;
	int64_t id = setup_ticket(0, &p);
	struct store_ticket t;
	struct store_pause *v;
	struct sla_status st;
	size_t n;
	struct diag d;

	/* resolved Fri 14:00 without a response (2 h used of both clocks),
	 * reopened Mon 09:00 */
	cr_assert_eq(change(id, p, do_resolve, "ticket.resolve", "2026-01-09T14:00:00+01:00",
	    NULL, &d), 0, "%s", d.msg);
	cr_assert_eq(change(id, p, do_reopen, "ticket.reopen", "2026-01-12T09:00:00+01:00",
	    &t, &d), 0, "%s", d.msg);
	cr_expect_eq(t.resolved_at, STORE_NONE);
	cr_expect_eq(t.first_response_at, iso("2026-01-09T14:00:00+01:00"),
	    "the resolution answered it");
	sla_compute(&t, p->sched.cal, iso("2026-01-20T00:00:00Z"), 0.75, &st);
	cr_expect_eq(st.state, SLA_MET, "still met a week later");
	/* resolution: 46 h left at Fri 14:00; the 10 h of working time spent
	 * resolved (Fri 14:00-24:00; Mon 00:00-09:00 is 9 h more: 19 h) move
	 * it: Tue 12:00 + 19 h = Wed 07:00 */
	cr_expect_eq(t.resolve_deadline_at, iso("2026-01-14T07:00:00+01:00"));
	store_ticket_release(&t);
	cr_assert_eq(store_pause_list(db, id, &v, &n, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(v[0].kind, "closed");
	cr_expect_eq(v[0].response, 0);
	free(v);
}

Test(pause, excuse_only_a_breach, .init = db_setup, .fini = db_teardown)
{
	const struct sla_partner *p;
	int64_t id = setup_ticket(0, &p);
	struct store_ticket old, t;
	struct kinds k = { "" };
	struct diag d;

	cr_assert_eq(store_ticket_get(db, "1", &old, &d), 0, "%s", d.msg);
	cr_assert_eq(old.id, id);
	cr_assert_eq(store_ticket_copy(&t, &old, &d), 0);
	/* Fri 13:00: on track */
	cr_expect_neq(clocks_excuse(p, &old, &t, "outage", NULL,
	    iso("2026-01-09T13:00:00+01:00"), 0.75, &d), 0);
	cr_expect(strstr(d.msg, "only a breached or at-risk") != NULL, "%s", d.msg);
	cr_expect_neq(clocks_excuse(p, &old, &t, "", NULL, iso("2026-01-12T13:00:00+01:00"),
	    0.75, &d), 0, "a reason is required");
	/* Mon 13:00: breached */
	cr_assert_eq(clocks_excuse(p, &old, &t, "platform outage", "INC-7",
	    iso("2026-01-12T13:00:00+01:00"), 0.75, &d), 0, "%s", d.msg);
	cr_expect_eq(t.excused_at, iso("2026-01-12T13:00:00+01:00"));
	cr_assert_eq(store_ticket_update(db, &old, &t, "ticket.excuse", "bob",
	    iso("2026-01-12T13:00:00+01:00"), &d), 0, "%s", d.msg);
	store_ticket_release(&old);
	store_ticket_release(&t);
	cr_assert_eq(store_ticket_get(db, "1", &old, &d), 0, "%s", d.msg);
	cr_expect_str_eq(old.excuse_reason, "platform outage");
	cr_expect_str_eq(old.excuse_ref, "INC-7");
	cr_assert_eq(store_ticket_copy(&t, &old, &d), 0);
	cr_assert_eq(clocks_unexcuse(&old, &t, &d), 0, "%s", d.msg);
	cr_assert_eq(store_ticket_update(db, &old, &t, "ticket.unexcuse", "bob",
	    iso("2026-01-12T14:00:00+01:00"), &d), 0, "%s", d.msg);
	store_ticket_release(&old);
	store_ticket_release(&t);
	cr_assert_eq(store_event_each(db, id, collect, &k, &d), 0, "%s", d.msg);
	cr_expect(strstr(k.seen, "ticket.excuse:excused;ticket.excuse:excuse_reason;"
	    "ticket.excuse:excuse_ref;ticket.unexcuse:excused;") != NULL, "%s", k.seen);
}

/* ---- a database of the previous release ------------------------------------ */

Test(pause, migrates_a_version_6_database)
{
	char tmpl[] = "/tmp/slatrack-mig.XXXXXX", db6[128], cmd[512];
	struct store_audit_result r;
	struct store_ticket t;
	struct store_partner p;
	struct store *s;
	struct diag d;

	cr_assert_not_null(mkdtemp(tmpl));
	snprintf(db6, sizeof db6, "%s/v6.db", tmpl);
	snprintf(cmd, sizeof cmd, "cp tests/data/migrate/v6.db '%s' && "
	    "test \"$(sqlite3 '%s' 'PRAGMA user_version')\" = 6", db6, db6);
	cr_assert_eq(system(cmd), 0, "the fixture is a version 6 database");
	cr_assert_not_null(s = store_open(db6, &d), "%s", d.msg);
	cr_expect_eq(store_schema_version(s), store_latest_version());

	cr_assert_eq(store_ticket_get(s, "ACME-1", &t, &d), 0, "%s", d.msg);
	cr_expect_eq(t.deadline_at, iso("2026-01-12T11:00:00Z"), "kept");
	cr_expect_eq(t.first_response_at, iso("2026-01-09T16:00:00Z"), "kept");
	cr_expect_str_eq(t.responded_by, "alice");
	cr_expect_eq(t.resolve_target_s, STORE_NONE, "no resolution target");
	cr_expect_eq(t.resolve_deadline_at, STORE_NONE);
	cr_expect_eq(t.waiting_since, STORE_NONE);
	cr_expect_eq(t.excused_at, STORE_NONE);
	cr_expect_null(t.excuse_reason);
	store_ticket_release(&t);
	cr_assert_eq(store_ticket_get(s, "ACME-2", &t, &d), 0, "%s", d.msg);
	cr_expect_eq(t.resolved_at, iso("2026-01-13T16:00:00Z"));
	store_ticket_release(&t);

	cr_assert_eq(store_partner_get(s, "acme", &p, &d), 0, "%s", d.msg);
	cr_expect_eq(p.target_s[STORE_SEV_MEDIUM], 48 * H, "kept");
	cr_expect_eq(p.resolve_s[STORE_SEV_CRITICAL], STORE_NONE);
	cr_expect_eq(p.pause_response, 0, "the response target is not paused");
	store_partner_release(&p);

	cr_assert_eq(store_audit_verify(s, &r, &d), 0, "%s", d.msg);
	cr_expect_eq(r.bad_id, 0, "%s", r.problem);
	cr_expect_eq(r.nevents, 9);
	cr_expect_str_eq(r.head_hash,
	    "f73c8da5d137a3a283edf2f5e38200180407abb00dcb6b86915c4f4f4f5c47bc");
	store_close(s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
	cr_assert_eq(system(cmd), 0);
}
