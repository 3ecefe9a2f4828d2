/* test_remind.c: remind.c on a real SQLite file with a fake sender: levels,
 * quiet windows, the open command, what is due for whom, digests and
 * per-ticket mails, no flood, retries with backoff and the same
 * Message-ID, failure after max attempts, dry runs that change nothing,
 * claims of dead runs resent with their Message-ID while claims of live
 * runs (a child holding its lock byte) are left alone, webhooks, Opsgenie
 * alerts that follow their ticket (one alias, priority updates, the close
 * once), generic follow-up events, the helpdesk link, the migration of a
 * schema-4 database, the store side (store_reminder_list for `ticket
 * show`), tickets waiting on the customer (frozen while the wait stops
 * the clock, reminded on the moved deadline after the resume), and the
 * resolution clock's reminders (1000 + percent, once each, beside the
 * response clock's). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "mail.h"
#include "remind.h"
#include "sla.h"
#include "store-remind.h"
#include "store.h"
#include "webhook.h"

#define MON_0900 1772442000	/* 2026-03-02T09:00:00Z */
#define HOUR 3600

static char dir[64], path[128];
static struct store *db;
static int64_t acme;

/* ---- fixtures ---------------------------------------------------------------- */

static void setup(void)
{
	struct store_partner p;
	struct diag d;

	snprintf(dir, sizeof dir, "/tmp/slatrack-remind.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	cr_assert_not_null(db = store_open(path, &d), "%s", d.msg);
	store_partner_init(&p);
	p.key = strdup("acme");
	p.name = strdup("Acme Corp");
	p.zone = strdup("UTC");
	p.hours = strdup("");
	p.workdays = 127;		/* every day, whole days: working = wall time */
	cr_assert_eq(store_partner_add(db, &p, "test", 1000, &d), 0, "%s", d.msg);
	acme = p.id;
	store_partner_release(&p);
}

static void teardown(void)
{
	char cmd[160];

	store_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(remind, .init = setup, .fini = teardown);

/* A critical ticket created Monday 09:00Z, 24 h target: 50 % at 21:00Z,
 * 75 % Tue 03:00Z, 90 % 06:36Z, breached after Tue 09:00Z. */
static int64_t ticket(const char *key, const char *assignee, int severity)
{
	struct store_ticket t;
	struct diag d;
	int64_t id;

	store_ticket_init(&t);
	t.key = strdup(key);
	t.partner_id = acme;
	t.severity = severity;
	t.summary = strdup("printer on fire");
	t.assignee = assignee ? strdup(assignee) : NULL;
	t.created_at = MON_0900;
	t.target_s = 24 * HOUR;
	t.deadline_at = MON_0900 + 24 * HOUR;
	cr_assert_eq(store_ticket_add(db, &t, "test", MON_0900, &d), 0, "%s", d.msg);
	id = t.id;
	store_ticket_release(&t);
	return id;
}

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

static void exec_sql(const char *sql)
{
	sqlite3 *raw;

	cr_assert_eq(sqlite3_open(path, &raw), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sql);
	sqlite3_close(raw);
}

static struct config *conf(const char *text)
{
	struct diag d;
	struct config *c = config_parse(text, strlen(text), "test.conf", 0600, &d);

	cr_assert_not_null(c, "%s", d.msg);
	return c;
}

static const char BASIC[] =
	"[smtp]\nfrom = sla@example.com\n"
	"[remind]\nteam = team@example.com\nmax_attempts = 3\nretry = 10m\n"
	"[staff \"bob\"]\nemail = bob@example.com\n"
	"[report]\nmanagers = boss@example.com\n";

/* ---- the fake sender ------------------------------------------------------------ */

struct sent {
	int kind;
	char recipient[128], id[256], subject[256];
	size_t n;
	int resend;
	char body[4096];
	char method[8], url[256];	/* webhooks */
	int64_t rows;			/* reminder rows in the database when sent */
};

struct fake {
	struct sent v[64];
	size_t n;
	int fail;			/* fail this many deliveries from now */
	int refuse;			/* refuse this many for good from now */
	int prepared;
};

static int fake_prepare(void *arg, int need_mail, struct diag *d)
{
	struct fake *f = arg;

	(void)need_mail;
	(void)d;
	f->prepared++;
	return 0;
}

static int fake_deliver(void *arg, const struct remind_delivery *dl, char reply[512],
			struct diag *d)
{
	struct fake *f = arg;
	struct sent *s;

	if (f->fail > 0) {
		f->fail--;
		snprintf(reply, 512, "451 4.3.0 try again later");
		return diag_set(d, DIAG_NET, "smtp://x: RCPT failed: 451 4.3.0 try again later");
	}
	if (f->refuse > 0) {
		f->refuse--;
		snprintf(reply, 512, "550 5.1.1 no such user");
		diag_set(d, DIAG_NET, "smtp://x: RCPT failed: 550 5.1.1 no such user");
		return REMIND_REFUSED;
	}
	cr_assert_lt(f->n, 64);
	s = &f->v[f->n++];
	memset(s, 0, sizeof *s);
	s->kind = dl->kind;
	snprintf(s->recipient, sizeof s->recipient, "%s", dl->recipient);
	snprintf(s->id, sizeof s->id, "%s", dl->message_id);
	s->n = dl->nreminders;
	s->resend = dl->resend;
	s->rows = count("SELECT count(*) FROM reminders");
	if (dl->kind == REMIND_MAIL) {
		struct buf b = BUF_INIT;
		struct diag cd;

		snprintf(s->subject, sizeof s->subject, "%s", dl->mail->subject);
		snprintf(s->body, sizeof s->body, "%s", dl->mail->text);
		/* every message must compose */
		cr_expect_eq(mail_compose(dl->mail, &b, &cd), 0, "%s", cd.msg);
		buf_release(&b);
	} else {
		snprintf(s->body, sizeof s->body, "%.*s", (int)dl->len, dl->body);
		snprintf(s->method, sizeof s->method, "%s", dl->method ? dl->method : "");
		snprintf(s->url, sizeof s->url, "%s", dl->url ? dl->url : "");
	}
	return 0;
}

static size_t batch_size;	/* remind_options.batch for run_at; 0: the default */

static int run_at(const char *cfgtext, int64_t now, int per_ticket, int dry, struct fake *f,
		  struct remind_summary *sum)
{
	struct config *c = conf(cfgtext);
	struct remind_options o;
	struct remind_sender snd = { fake_prepare, fake_deliver, f };
	struct diag d;
	int rc;

	memset(&o, 0, sizeof o);
	o.now_at = now;
	o.actor = "cron";
	o.default_zone = "UTC";
	o.per_ticket = per_ticket;
	o.dry_run = dry;
	o.batch = batch_size;
	remind_summary_init(sum);
	diag_clear(&d);
	rc = remind_run(db, c, &o, &snd, sum, &d);
	cr_expect_eq(rc, 0, "%s", d.msg);
	config_free(c);
	return rc;
}

static const struct sent *to(const struct fake *f, const char *who)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].recipient, who) == 0)
			return &f->v[i];
	return NULL;
}

/* ---- pure helpers ---------------------------------------------------------------- */

Test(remind, levels)
{
	static const int lv[] = { 50, 75, 90 };
	static const struct { int64_t elapsed, target; int breached, want; } v[] = {
		{ 0, 100, 0, 0 }, { 49, 100, 0, 0 }, { 50, 100, 0, 50 }, { 74, 100, 0, 50 },
		{ 75, 100, 0, 75 }, { 90, 100, 0, 90 }, { 100, 100, 0, 90 }, { 10, 100, 1, 100 },
		{ 43199, 86400, 0, 0 }, { 43200, 86400, 0, 50 },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		cr_expect_eq(remind_level(lv, 3, v[i].elapsed, v[i].target, v[i].breached),
		    v[i].want, "row %zu", i);
	cr_expect_eq(remind_level(lv, 0, 99, 100, 0), 0);
}

/* The level of a clock from its status: a wait that froze the clock, a
 * stopped or untimed clock give nothing; a breach gives the notice. */
Test(remind, status_levels)
{
	static const int lv[] = { 50, 75, 90 };
	static const struct { enum sla_state state; int64_t elapsed; int want; } v[] = {
		{ SLA_ON_TRACK, 40, 0 }, { SLA_ON_TRACK, 60, 50 }, { SLA_AT_RISK, 80, 75 },
		{ SLA_AT_RISK, 99, 90 }, { SLA_BREACHED, 130, 100 }, { SLA_WAITING, 60, 0 },
		{ SLA_WAITING, 95, 0 }, { SLA_MET, 95, 0 }, { SLA_NOT_TIMED, 0, 0 },
		{ SLA_RESPONDED, 0, 0 },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct sla_status st;

		memset(&st, 0, sizeof st);
		st.state = v[i].state;
		st.elapsed_s = v[i].elapsed;
		cr_expect_eq(remind_status_level(lv, 3, &st, 100), v[i].want, "row %zu", i);
	}
}

/* When a level falls due: from the creation without pauses; a deadline
 * moved by a wait moves it by the working time waited. */
Test(remind, level_at_follows_the_moved_deadline)
{
	struct sla_cache *c = sla_cache_new(db);
	const struct sla_partner *p;
	struct diag d;
	int64_t at;

	cr_assert_not_null(c);
	cr_assert_not_null(p = sla_cache_get(c, acme, &d), "%s", d.msg);
	cr_assert_eq(remind_level_at(p->sched.cal, MON_0900, 24 * HOUR, MON_0900 + 24 * HOUR,
	    50, &at, &d), 0, "%s", d.msg);
	cr_expect_eq(at, MON_0900 + 12 * HOUR);
	cr_assert_eq(remind_level_at(p->sched.cal, MON_0900, 24 * HOUR, MON_0900 + 24 * HOUR,
	    90, &at, &d), 0);
	cr_expect_eq(at, MON_0900 + 21 * HOUR + 36 * 60);
	/* a 19 h wait: deadline and every level 19 h later */
	cr_assert_eq(remind_level_at(p->sched.cal, MON_0900, 24 * HOUR, MON_0900 + 43 * HOUR,
	    50, &at, &d), 0);
	cr_expect_eq(at, MON_0900 + 31 * HOUR);
	cr_assert_eq(remind_level_at(p->sched.cal, MON_0900, 24 * HOUR, MON_0900 + 43 * HOUR,
	    100, &at, &d), 0);
	cr_expect_eq(at, MON_0900 + 43 * HOUR);
	sla_cache_free(c);
}

Test(remind, quiet_windows)
{
	static const struct { const char *w; int tod, want; } v[] = {
		{ "20:00-08:00", 20 * HOUR, 1 }, { "20:00-08:00", 23 * HOUR, 1 },
		{ "20:00-08:00", 0, 1 }, { "20:00-08:00", 8 * HOUR - 1, 1 },
		{ "20:00-08:00", 8 * HOUR, 0 }, { "20:00-08:00", 12 * HOUR, 0 },
		{ "12:00-13:30", 12 * HOUR + 1800, 1 }, { "12:00-13:30", 13 * HOUR + 1800, 0 },
		{ "bad", 0, -1 }, { "25:00-08:00", 0, -1 },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		cr_expect_eq(remind_in_quiet(v[i].w, v[i].tod), v[i].want, "row %zu", i);
}

/* A partner's own recipients: the contact only when notify_contact = yes,
 * then the notify list, trimmed, without repeats whatever their case. */
Test(remind, partner_recipients)
{
	static const char text[] =
		"[partner \"acme\"]\nnotify_contact = yes\n"
		"notify = l2@example.com ,OPS@acme.example, l2@EXAMPLE.com,x@example.com\n"
		"[partner \"globex\"]\nnotify = a@example.com\n";
	struct diag d;
	struct config *c = config_parse(text, strlen(text), "t.conf", 0644, &d);
	struct buf b = BUF_INIT;

	cr_assert_not_null(c, "%s", d.msg);
	remind_partner_recipients(c, "acme", "ops@acme.example", &b);
	cr_expect_str_eq(buf_str(&b), "ops@acme.example, l2@example.com, x@example.com");
	buf_release(&b);
	remind_partner_recipients(c, "acme", NULL, &b);
	cr_expect_str_eq(buf_str(&b), "l2@example.com, OPS@acme.example, x@example.com");
	buf_release(&b);
	/* notify_contact defaults to no */
	remind_partner_recipients(c, "globex", "help@globex.example", &b);
	cr_expect_str_eq(buf_str(&b), "a@example.com");
	buf_release(&b);
	remind_partner_recipients(c, "initech", "help@initech.example", &b);
	cr_expect_str_eq(buf_str(&b), "");
	/* appended after what b holds */
	buf_adds(&b, "x@y");
	remind_partner_recipients(c, "globex", NULL, &b);
	cr_expect_str_eq(buf_str(&b), "x@ya@example.com");
	buf_release(&b);
	config_free(c);
}

Test(remind, open_command_is_shell_safe)
{
	static const struct { const char *key; int64_t id; const char *want; } v[] = {
		{ "ACME-1042", 1, "slatrack ticket show ACME-1042" },
		{ NULL, 7, "slatrack ticket show '#7'" },
		{ "a b", 1, "slatrack ticket show 'a b'" },
		{ "it's", 1, "slatrack ticket show 'it'\\''s'" },
		{ "$(rm -rf /)", 1, "slatrack ticket show '$(rm -rf /)'" },
		{ "-x", 1, "slatrack ticket show -- -x" },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct buf b = BUF_INIT;

		remind_open_command(&b, v[i].key, v[i].id);
		cr_expect_str_eq(buf_str(&b), v[i].want);
		buf_release(&b);
	}
}

/* ---- runs ---------------------------------------------------------------------------- */

Test(remind, nothing_due_writes_nothing)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t events;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	events = count("SELECT count(*) FROM events");
	run_at(BASIC, MON_0900 + 11 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(f.prepared, 0);
	cr_expect_eq(count("SELECT count(*) FROM reminders"), 0);
	cr_expect_eq(count("SELECT count(*) FROM events"), events);
	cr_expect_eq(sum.problems.len, 0);
	remind_summary_release(&sum);
}

Test(remind, digest_per_recipient_once)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	const struct sent *s;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	ticket("T-2", "bob", STORE_SEV_HIGH);
	ticket("T-3", NULL, STORE_SEV_HIGH);
	ticket("T-4", "bob@elsewhere.example", STORE_SEV_HIGH);
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 3);
	cr_assert_not_null(s = to(&f, "bob@example.com"));
	cr_expect_eq(s->n, 2);
	cr_expect_str_eq(s->subject, "[slatrack] 2 tickets need a first response");
	cr_expect(strncmp(s->id, "digest.", 7) == 0, "%s", s->id);
	cr_expect(strstr(s->body, "50% USED  T-1: printer on fire") != NULL, "%s", s->body);
	cr_expect(strstr(s->body, "slatrack ticket show T-2") != NULL);
	cr_assert_not_null(s = to(&f, "team@example.com"));
	cr_expect_eq(s->n, 1);
	cr_expect_str_eq(s->subject, "[slatrack] 50% of SLA used: T-3 printer on fire");
	cr_assert_not_null(to(&f, "bob@elsewhere.example"), "an assignee that is an address");
	cr_expect_eq(sum.reminders, 4);
	cr_expect_eq(sum.mails, 3);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'sent'"), 4);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'remind.sent'"), 4);

	/* again: nothing */
	f.n = 0;
	run_at(BASIC, MON_0900 + 14 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	remind_summary_release(&sum);
}

/* Tickets are taken a batch at a time (memory stays bounded over a
 * million due tickets): with batches of one ticket every reminder still
 * goes out exactly once, per-ticket mails are the same messages, dry run
 * and real run agree, and every ticket gets its watch row. */
Test(remind, batches_deliver_the_same)
{
	struct fake big = { 0 }, one = { 0 }, dry = { 0 };
	struct remind_summary sum;

	for (int i = 1; i <= 5; i++) {
		char key[16];

		snprintf(key, sizeof key, "T-%d", i);
		ticket(key, i % 2 ? "bob" : NULL, STORE_SEV_CRITICAL);
	}
	run_at(BASIC, MON_0900 + 13 * HOUR, 1, 1, &big, &sum);
	remind_summary_release(&sum);
	batch_size = 1;
	run_at(BASIC, MON_0900 + 13 * HOUR, 1, 1, &dry, &sum);
	remind_summary_release(&sum);
	run_at(BASIC, MON_0900 + 13 * HOUR, 1, 0, &one, &sum);
	cr_expect_eq(sum.reminders, 5);
	cr_expect_eq(sum.tickets, 5);
	remind_summary_release(&sum);
	cr_assert_eq(big.n, 5);
	cr_assert_eq(dry.n, 5);
	cr_assert_eq(one.n, 5);
	for (size_t i = 0; i < 5; i++) {
		const struct sent *b = NULL, *o = NULL;

		for (size_t k = 0; k < 5; k++) {
			if (strcmp(dry.v[k].id, big.v[i].id) == 0)
				b = &dry.v[k];
			if (strcmp(one.v[k].id, big.v[i].id) == 0)
				o = &one.v[k];
		}
		cr_assert_not_null(b, "%s", big.v[i].id);
		cr_assert_not_null(o, "%s", big.v[i].id);
		cr_expect_str_eq(b->recipient, big.v[i].recipient);
		cr_expect_str_eq(b->body, big.v[i].body);
		cr_expect_str_eq(o->body, big.v[i].body);
	}
	/* streamed: the first ticket's mail went out before the later
	 * tickets were even claimed */
	cr_expect_eq(one.v[0].rows, 1);
	cr_expect_eq(one.v[4].rows, 5);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'sent'"), 5);
	/* again: nothing, and each ticket is recorded as handled */
	one.n = 0;
	run_at(BASIC, MON_0900 + 14 * HOUR, 1, 0, &one, &sum);
	cr_expect_eq(one.n, 0);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM remind_watch WHERE level = 50"), 5);
	/* the breach notices, batch by batch too: owner and manager each */
	run_at(BASIC, MON_0900 + 25 * HOUR, 1, 0, &one, &sum);
	cr_expect_eq(one.n, 10);
	cr_expect_eq(sum.reminders, 10);
	remind_summary_release(&sum);
	batch_size = 0;
}

Test(remind, per_ticket_mails)
{
	struct fake f = { 0 };
	struct remind_summary sum;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	ticket("T-2", "bob", STORE_SEV_HIGH);
	run_at(BASIC, MON_0900 + 13 * HOUR, 1, 0, &f, &sum);
	cr_expect_eq(f.n, 2);
	cr_expect(strncmp(f.v[0].id, "remind.1.50.", 12) == 0, "%s", f.v[0].id);
	cr_expect(strncmp(f.v[1].id, "remind.2.50.", 12) == 0, "%s", f.v[1].id);
	remind_summary_release(&sum);
}

Test(remind, no_flood_only_the_highest)
{
	struct fake f = { 0 };
	struct remind_summary sum;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	run_at(BASIC, MON_0900 + 23 * HOUR, -1, 0, &f, &sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].subject, "[slatrack] 90% of SLA used: T-1 printer on fire");
	cr_expect_eq(count("SELECT count(*) FROM reminders"), 1);
	remind_summary_release(&sum);
	/* breach: bob and the manager; nothing of 50 or 75 ever */
	f.n = 0;
	run_at(BASIC, MON_0900 + 25 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 2);
	cr_assert_not_null(to(&f, "boss@example.com"));
	cr_expect_str_eq(to(&f, "bob@example.com")->subject,
	    "[slatrack] SLA BREACHED: T-1 printer on fire");
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold IN (50, 75)"), 0);
	remind_summary_release(&sum);
	f.n = 0;
	run_at(BASIC, MON_0900 + 48 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	remind_summary_release(&sum);
}

Test(remind, failure_retry_backoff_same_id)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	struct store_reminder *v;
	size_t n;
	struct diag d;
	char first[256];
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);

	f.fail = 1;
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(sum.mail_failures, 1);
	cr_expect_eq(sum.retrying, 1);
	cr_expect(strstr(buf_str(&sum.problems), "ticket T-1: reminder mail:bob@example.com: "
	    "smtp://x: RCPT failed: 451 4.3.0 try again later (attempt 1 of 3; next try after "
	    "2026-03-02T22:10:00Z)") != NULL, "%s", buf_str(&sum.problems));
	remind_summary_release(&sum);
	cr_assert_eq(store_reminder_list(db, t, &v, &n, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 1);
	cr_expect_eq(v[0].state, STORE_REMIND_PENDING);
	cr_expect_eq(v[0].attempts, 1);
	cr_expect_eq(v[0].next_attempt_at, MON_0900 + 13 * HOUR + 600);
	cr_expect(strstr(v[0].last_error, "451 4.3.0 try again later") != NULL);
	snprintf(first, sizeof first, "%s", v[0].message_id);
	store_reminder_list_free(v, n);

	/* before the backoff: nothing */
	run_at(BASIC, MON_0900 + 13 * HOUR + 300, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	remind_summary_release(&sum);
	/* second failure doubles the wait */
	f.fail = 1;
	run_at(BASIC, MON_0900 + 13 * HOUR + 600, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(store_reminder_list(db, t, &v, &n, &d), 0);
	cr_expect_eq(v[0].attempts, 2);
	cr_expect_eq(v[0].next_attempt_at, MON_0900 + 13 * HOUR + 600 + 1200);
	store_reminder_list_free(v, n);
	/* then it goes, with the Message-ID of the first attempt */
	run_at(BASIC, MON_0900 + 13 * HOUR + 1800, -1, 0, &f, &sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].id, first);
	cr_expect_eq(f.v[0].resend, 1);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'sent' AND attempts = 3"), 1);
}

Test(remind, gives_up_after_max_attempts)
{
	struct fake f = { 0 };
	struct remind_summary sum;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	f.fail = 100;
	/* backoff 10, 20, 40 minutes; all inside the 50 % band (until 18:00) */
	for (int i = 0; i < 5; i++) {
		static const int at_min[] = { 0, 10, 30, 70, 120 };

		run_at(BASIC, MON_0900 + 13 * HOUR + at_min[i] * 60, -1, 0, &f, &sum);
		remind_summary_release(&sum);
	}
	cr_expect_eq(f.fail, 97, "three attempts, then no more");
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'failed' AND attempts = 3"), 1);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'remind.failed'"), 1);
}

/* RFC 5321: a 5yz refusal is permanent: failed at the first attempt,
 * never retried, while the other recipient's reminder goes out. */
Test(remind, refused_for_good_fails_at_once)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	struct store_reminder *v;
	size_t n;
	struct diag d;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);

	f.refuse = 1;
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(sum.mail_failures, 1);
	cr_expect_eq(sum.retrying, 0);
	cr_expect_eq(sum.gave_up, 1);
	cr_expect(strstr(buf_str(&sum.problems), "ticket T-1: reminder mail:bob@example.com: "
	    "smtp://x: RCPT failed: 550 5.1.1 no such user (attempt 1 of 3; refused for good, "
	    "not retried)") != NULL, "%s", buf_str(&sum.problems));
	remind_summary_release(&sum);
	cr_assert_eq(store_reminder_list(db, t, &v, &n, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 1);
	cr_expect_eq(v[0].state, STORE_REMIND_FAILED);
	cr_expect_eq(v[0].attempts, 1);
	cr_expect(strstr(v[0].last_error, "550 5.1.1 no such user") != NULL);
	store_reminder_list_free(v, n);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'remind.failed'"), 1);
	/* later runs inside the same band leave it alone */
	run_at(BASIC, MON_0900 + 14 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(sum.mail_failures, 0);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'failed' AND attempts = 1"), 1);
}

Test(remind, dry_run_changes_nothing)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t events;
	char id[256];

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	events = count("SELECT count(*) FROM events");
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 1, &f, &sum);
	cr_assert_eq(f.n, 1);
	snprintf(id, sizeof id, "%s", f.v[0].id);
	cr_expect_eq(sum.reminders, 1);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders"), 0);
	cr_expect_eq(count("SELECT count(*) FROM remind_watch"), 0);
	cr_expect_eq(count("SELECT count(*) FROM events"), events);
	/* the real run uses the Message-ID the dry run showed */
	f.n = 0;
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].id, id);
	remind_summary_release(&sum);
}

Test(remind, dead_runs_claims_resent_with_their_id)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	char sql[512];

	snprintf(sql, sizeof sql, "INSERT INTO reminders (ticket_id, threshold, channel, state,"
	    " message_id, attempts, claimed_at, claimed_by) VALUES (%lld, 50,"
	    " 'mail:bob@example.com', 'claimed', 'digest.dead.1@example.com', 1, %d,"
	    " 'r00000000000002a')", (long long)t, MON_0900 + 13 * HOUR);
	exec_sql(sql);
	run_at(BASIC, MON_0900 + 13 * HOUR + 60, -1, 0, &f, &sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].id, "digest.dead.1@example.com");
	cr_expect_eq(f.v[0].resend, 1);
	cr_expect_eq(sum.recovered, 1);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'sent' AND attempts = 1"), 1);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'remind.recover'"), 1);
}

Test(remind, live_runs_claims_left_alone)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	char sql[512], lock[160];
	int pipefd[2];
	pid_t pid;
	char c;

	/* a child process holds byte 42 of the lock file: run r00000000000002a lives */
	snprintf(lock, sizeof lock, "%s-remind.lock", path);
	cr_assert_eq(pipe(pipefd), 0);
	if ((pid = fork()) == 0) {
		int fd = open(lock, O_RDWR | O_CREAT, 0600);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 42,
			.l_len = 1 };

		if (fd < 0 || fcntl(fd, F_SETLK, &fl) < 0)
			_exit(1);
		if (write(pipefd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	cr_assert_eq(read(pipefd[0], &c, 1), 1);
	snprintf(sql, sizeof sql, "INSERT INTO reminders (ticket_id, threshold, channel, state,"
	    " message_id, attempts, claimed_at, claimed_by) VALUES (%lld, 50,"
	    " 'mail:bob@example.com', 'claimed', 'x.1@example.com', 1, %d,"
	    " 'r00000000000002a')", (long long)t, MON_0900 + 13 * HOUR);
	exec_sql(sql);
	run_at(BASIC, MON_0900 + 13 * HOUR + 60, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0, "a live run's claim is not sent again");
	cr_expect_eq(sum.recovered, 0);
	remind_summary_release(&sum);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* once it died, the claim is taken over */
	run_at(BASIC, MON_0900 + 13 * HOUR + 120, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 1);
	cr_expect_eq(sum.recovered, 1);
	remind_summary_release(&sum);
	close(pipefd[0]);
	close(pipefd[1]);
}

Test(remind, answered_ticket_pending_skipped)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	struct store_ticket old, t;
	struct diag d;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	f.fail = 1;
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(store_ticket_get(db, "T-1", &old, &d), 0, "%s", d.msg);
	cr_assert_eq(store_ticket_get(db, "T-1", &t, &d), 0);
	t.first_response_at = MON_0900 + 14 * HOUR;
	cr_assert_eq(store_ticket_update(db, &old, &t, "ticket.respond", "bob",
	    MON_0900 + 14 * HOUR, &d), 0, "%s", d.msg);
	store_ticket_release(&old);
	store_ticket_release(&t);
	run_at(BASIC, MON_0900 + 15 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(sum.skipped, 1);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'skipped'"), 1);
}

Test(remind, webhooks)
{
	static const char cfg[] =
		"[smtp]\nfrom = sla@example.com\n[remind]\nteam = team@example.com\n"
		"[webhook \"og\"]\nurl = https://api.opsgenie.com/v2/alerts\nformat = opsgenie\n"
		"[webhook \"all\"]\nurl = http://127.0.0.1:9/x\nevents = breach,threshold\n";
	struct fake f = { 0 };
	struct remind_summary sum;
	const struct sent *s;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	run_at(cfg, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 2, "team mail and the threshold hook");
	cr_assert_not_null(s = to(&f, "all"));
	cr_expect_eq(s->kind, REMIND_WEBHOOK);
	cr_expect(strstr(s->body, "\"event\":\"threshold\",\"threshold\":50") != NULL, "%s",
	    s->body);
	remind_summary_release(&sum);
	f.n = 0;
	run_at(cfg, MON_0900 + 25 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 3);
	cr_assert_not_null(s = to(&f, "og"));
	cr_expect(strstr(s->body, "\"message\":\"SLA breached: T-1 printer on fire\"") != NULL,
	    "%s", s->body);
	cr_expect(strstr(s->body, "\"priority\":\"P1\"") != NULL);
	cr_expect(strncmp(s->id, "slatrack-", 9) == 0 && strlen(s->id) == 9 + 16 + 2 &&
	    strcmp(s->id + 25, "-1") == 0, "one alias per ticket: %s", s->id);
	cr_expect(strstr(s->body, s->id) != NULL, "the alias is in the body");
	remind_summary_release(&sum);
}

Test(remind, reminder_list_for_ticket_show)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	struct store_reminder *v;
	size_t n;
	struct diag d;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);

	f.fail = 100;
	for (int i = 0; i < 3; i++) {
		static const int at_min[] = { 0, 10, 30 };

		run_at(BASIC, MON_0900 + 13 * HOUR + at_min[i] * 60, -1, 0, &f, &sum);
		remind_summary_release(&sum);
	}
	cr_assert_eq(store_reminder_list(db, t, &v, &n, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 1);
	cr_expect_eq(v[0].threshold, 50);
	cr_expect_str_eq(v[0].channel, "mail:bob@example.com");
	cr_expect_eq(v[0].state, STORE_REMIND_FAILED);
	cr_expect_str_eq(store_remind_state_name(v[0].state), "failed");
	cr_expect_eq(v[0].attempts, 3);
	cr_expect(strstr(v[0].last_error, "451") != NULL);
	store_reminder_list_free(v, n);
}

/* ---- webhook.c ----------------------------------------------------------------------- */

static void notice(struct webhook_notice *n, const char *summary)
{
	memset(n, 0, sizeof *n);
	n->alias = "slatrack-0123456789abcdef-7-100";
	n->threshold = 100;
	n->ticket_id = 7;
	n->key = "ACME-7";
	n->partner_key = "acme";
	n->partner_name = "Acme Corp";
	n->severity = "critical";
	n->summary = summary;
	n->assignee = "bob";
	n->created_at = MON_0900;
	n->deadline_at = MON_0900 + 24 * HOUR;
	n->now_at = MON_0900 + 25 * HOUR;
	n->remaining_s = -HOUR;
	n->consumed_pct = 104;
	n->open_command = "slatrack ticket show ACME-7";
	n->alert = "slatrack-0123456789abcdef-7";
}

Test(remind, webhook_payloads)
{
	struct webhook_target t;
	struct webhook_notice n;
	struct buf b = BUF_INIT;
	struct diag d;
	char longsum[400];

	memset(&t, 0, sizeof t);
	t.format = WEBHOOK_GENERIC;
	notice(&n, "quote \" backslash \\ newline\n esc \x1b bad \xff end");
	cr_assert_eq(webhook_payload(&t, &n, &b, &d), 0, "%s", d.msg);
	cr_expect(strstr(buf_str(&b), "\"summary\":\"quote \\\" backslash \\\\ newline\\n esc "
	    "\\u001b bad \\ufffd end\"") != NULL, "%s", buf_str(&b));
	cr_expect(strstr(buf_str(&b), "{\"event\":\"breach\",\"threshold\":100,\"alias\":"
	    "\"slatrack-0123456789abcdef-7-100\",\"alert\":\"slatrack-0123456789abcdef-7\","
	    "\"ticket\":{\"id\":7,\"key\":\"ACME-7\"") != NULL, "%s", buf_str(&b));
	cr_expect(strstr(buf_str(&b), "\"url\"") == NULL, "no link configured: no url");
	cr_expect(strstr(buf_str(&b), "\"deadline\":\"2026-03-03T09:00:00Z\",\"remaining_s\":-3600")
	    != NULL, "%s", buf_str(&b));
	buf_reset(&b);
	t.format = WEBHOOK_OPSGENIE;
	memset(longsum, 'x', sizeof longsum - 1);
	longsum[sizeof longsum - 1] = '\0';
	notice(&n, longsum);
	n.severity = "high";
	n.priority = "P2";
	cr_assert_eq(webhook_payload(&t, &n, &b, &d), 0, "%s", d.msg);
	cr_expect(strstr(buf_str(&b), "{\"message\":\"SLA breached: ACME-7 xxxx") == buf_str(&b),
	    "%s", buf_str(&b));
	{
		/* message: at most 130 characters, the last an ellipsis */
		const char *m = buf_str(&b) + strlen("{\"message\":\"");
		const char *e = strstr(m, "\",\"alias\"");

		cr_assert_not_null(e);
		cr_expect_eq((size_t)(e - m), 129 + 3, "129 ASCII + U+2026");
	}
	cr_expect(strstr(buf_str(&b), "\"priority\":\"P2\"") != NULL);
	cr_expect(strstr(buf_str(&b), "Open it: slatrack ticket show ACME-7") != NULL);
	buf_release(&b);
}

Test(remind, webhook_urls)
{
	static const struct { const char *url; int ok; } v[] = {
		{ "https://api.opsgenie.com/v2/alerts", 1 }, { "http://127.0.0.1:8080/x", 1 },
		{ "http://localhost/x", 1 }, { "http://example.com/x", 0 },
		{ "ftp://example.com/x", 0 }, { "nonsense", 0 },
	};
	struct diag d;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		cr_expect_eq(webhook_check_url(v[i].url, &d), v[i].ok ? 0 : -1, "%s", v[i].url);
}

/* ---- alerts that follow their ticket (issue 11, item 3) ---------------------------- */

static const char OPSGENIE[] =
	"[smtp]\nfrom = sla@example.com\n[remind]\nteam = team@example.com\n"
	"[helpdesk]\nticket_url = https://support.example.com/browse/{key}\n"
	"[webhook \"og\"]\nurl = https://api.opsgenie.com/v2/alerts\nformat = opsgenie\n"
	"events = breach,threshold\n"
	"[webhook \"gen\"]\nurl = http://127.0.0.1:9/x\nevents = threshold,breach\n";

static const struct sent *nth_to(const struct fake *f, const char *who, int k)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].recipient, who) == 0 && k-- == 0)
			return &f->v[i];
	return NULL;
}

static size_t count_to(const struct fake *f, const char *who)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += strcmp(f->v[i].recipient, who) == 0;
	return n;
}

Test(remind, opsgenie_alert_follows_the_ticket)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	const struct sent *s;
	char alias[256], url[400], sql[200];
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);

	/* 50 %: created at P3 (not P1 for a critical ticket), the link in it */
	run_at(OPSGENIE, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	cr_assert_eq(count_to(&f, "og"), 1);
	s = nth_to(&f, "og", 0);
	snprintf(alias, sizeof alias, "%s", s->id);
	cr_expect_str_eq(s->method, "POST");
	cr_expect_str_eq(s->url, "");
	cr_expect(strstr(s->body, "\"priority\":\"P3\"") != NULL, "%s", s->body);
	cr_expect(strstr(s->body, "\"helpdesk_url\":\"https://support.example.com/browse/T-1\"")
	    != NULL, "%s", s->body);
	cr_expect(strstr(s->body, "\"description\":\"Helpdesk: https://support.example.com/"
	    "browse/T-1\\n") != NULL, "%s", s->body);
	s = nth_to(&f, "gen", 0);
	cr_assert_not_null(s);
	cr_expect(strstr(s->body, "\"url\":\"https://support.example.com/browse/T-1\"") != NULL,
	    "%s", s->body);
	s = to(&f, "team@example.com");
	cr_assert_not_null(s);
	cr_expect(strstr(s->body, "  Helpdesk   https://support.example.com/browse/T-1\n") != NULL,
	    "%s", s->body);
	remind_summary_release(&sum);

	/* 90 %: the same alias, then the priority raised to P2 */
	f.n = 0;
	run_at(OPSGENIE, MON_0900 + 22 * HOUR, -1, 0, &f, &sum);
	cr_assert_eq(count_to(&f, "og"), 2);
	s = nth_to(&f, "og", 0);
	cr_expect_str_eq(s->id, alias);
	cr_expect_str_eq(s->method, "POST");
	cr_expect(strstr(s->body, "\"priority\":\"P2\"") != NULL, "%s", s->body);
	s = nth_to(&f, "og", 1);
	snprintf(url, sizeof url, "https://api.opsgenie.com/v2/alerts/%s/priority"
	    "?identifierType=alias", alias);
	cr_expect_str_eq(s->method, "PUT");
	cr_expect_str_eq(s->url, url);
	cr_expect_str_eq(s->body, "{\"priority\":\"P2\"}\n");
	remind_summary_release(&sum);

	/* answered: closed once, by alias; the generic hook hears it */
	snprintf(sql, sizeof sql, "UPDATE tickets SET first_response_at = %lld WHERE id = %lld",
	    (long long)(MON_0900 + 23 * HOUR), (long long)t);
	exec_sql(sql);
	f.n = 0;
	f.fail = 1;
	run_at(OPSGENIE, MON_0900 + 23 * HOUR + 60, -1, 0, &f, &sum);
	cr_expect_eq(sum.post_failures, 1, "the first follow-up fails");
	remind_summary_release(&sum);
	run_at(OPSGENIE, MON_0900 + 24 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(count_to(&f, "og"), 1, "closed once");
	s = nth_to(&f, "og", 0);
	snprintf(url, sizeof url, "https://api.opsgenie.com/v2/alerts/%s/close"
	    "?identifierType=alias", alias);
	cr_expect_str_eq(s->method, "POST");
	cr_expect_str_eq(s->url, url);
	cr_expect(strstr(s->body, "\"source\":\"slatrack\",\"user\":\"cron\",\"note\":\"T-1 got "
	    "its first response at 2026-03-03T08:00:00Z") != NULL, "%s", s->body);
	cr_assert_eq(count_to(&f, "gen"), 1);
	cr_expect(strstr(nth_to(&f, "gen", 0)->body, "{\"event\":\"responded\",\"threshold\":90,")
	    != NULL, "%s", nth_to(&f, "gen", 0)->body);
	/* resolved later: the generic hook hears that too; Opsgenie nothing */
	snprintf(sql, sizeof sql, "UPDATE tickets SET resolved_at = %lld WHERE id = %lld",
	    (long long)(MON_0900 + 30 * HOUR), (long long)t);
	exec_sql(sql);
	f.n = 0;
	run_at(OPSGENIE, MON_0900 + 31 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	run_at(OPSGENIE, MON_0900 + 32 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(count_to(&f, "og"), 0);
	cr_assert_eq(count_to(&f, "gen"), 1);
	cr_expect(strstr(nth_to(&f, "gen", 0)->body, "{\"event\":\"resolved\",") != NULL);
	cr_expect_eq(count("SELECT count(*) FROM remind_alerts"), 0);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold > 100 AND state = 'sent'"),
	    3);
}

Test(remind, no_follow_up_without_a_notice)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	char sql[200];
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);

	snprintf(sql, sizeof sql, "UPDATE tickets SET first_response_at = %lld, resolved_at = "
	    "%lld WHERE id = %lld", (long long)(MON_0900 + HOUR), (long long)(MON_0900 + HOUR),
	    (long long)t);
	exec_sql(sql);
	run_at(OPSGENIE, MON_0900 + 30 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(count("SELECT count(*) FROM reminders"), 0);
}

/* A generic webhook takes the follow-ups its events name: tickets
 * resolved without a response give a "responded"-only hook nothing, and
 * their alerts are forgotten; a response is posted. */
Test(remind, generic_follow_ups_follow_events)
{
	static const char cfg[] =
		"[smtp]\nfrom = sla@example.com\n[remind]\nteam = team@example.com\n"
		"[webhook \"gen\"]\nurl = http://127.0.0.1:9/x\nevents = threshold,responded\n";
	struct fake f = { 0 };
	struct remind_summary sum;
	char sql[300];
	int64_t t1 = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	int64_t t2 = ticket("T-2", "bob", STORE_SEV_CRITICAL);
	int64_t t3;

	run_at(cfg, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(count_to(&f, "gen"), 2);
	cr_expect_eq(count("SELECT count(*) FROM remind_alerts"), 2);
	snprintf(sql, sizeof sql, "UPDATE tickets SET resolved_at = %lld WHERE id IN (%lld, %lld)",
	    (long long)(MON_0900 + 14 * HOUR), (long long)t1, (long long)t2);
	exec_sql(sql);
	f.n = 0;
	run_at(cfg, MON_0900 + 14 * HOUR + 60, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 0, "resolved: nothing this hook takes");
	cr_expect_eq(count("SELECT count(*) FROM remind_alerts"), 0, "the alerts are forgotten");
	t3 = ticket("T-3", "bob", STORE_SEV_CRITICAL);
	run_at(cfg, MON_0900 + 14 * HOUR + 120, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	snprintf(sql, sizeof sql, "UPDATE tickets SET first_response_at = %lld WHERE id = %lld",
	    (long long)(MON_0900 + 15 * HOUR), (long long)t3);
	exec_sql(sql);
	f.n = 0;
	run_at(cfg, MON_0900 + 15 * HOUR + 60, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(count_to(&f, "gen"), 1, "T-3's responded");
	cr_expect(strstr(f.v[0].body, "\"event\":\"responded\"") != NULL, "%s", f.v[0].body);
	cr_expect(strstr(f.v[0].body, "\"key\":\"T-3\"") != NULL, "%s", f.v[0].body);
	cr_expect_eq(count("SELECT count(*) FROM remind_alerts"), 0);
}

Test(remind, dry_run_lists_the_close_and_changes_nothing)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	char sql[200];
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL), events;

	run_at(OPSGENIE, MON_0900 + 25 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	snprintf(sql, sizeof sql, "UPDATE tickets SET resolved_at = %lld WHERE id = %lld",
	    (long long)(MON_0900 + 26 * HOUR), (long long)t);
	exec_sql(sql);
	events = count("SELECT count(*) FROM events");
	f.n = 0;
	run_at(OPSGENIE, MON_0900 + 27 * HOUR, -1, 1, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(count_to(&f, "og"), 1);
	cr_expect(strstr(nth_to(&f, "og", 0)->url, "/close?identifierType=alias") != NULL);
	cr_expect_eq(count("SELECT count(*) FROM events"), events);
	cr_expect_eq(count("SELECT count(*) FROM remind_alerts"), 2);
}

Test(remind, webhook_priorities_are_configurable)
{
	struct config *c = conf("[webhook \"og\"]\nurl = https://x.example/v2/alerts\n"
	    "format = opsgenie\nthreshold_priority = P4\nlast_threshold_priority = P3\n"
	    "breach_priority = P2\n");
	struct webhook_target *v;
	size_t n;
	struct diag d;

	cr_assert_eq(webhook_targets_load(c, &v, &n, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(webhook_priority(&v[0], 50, 90), "P4");
	cr_expect_str_eq(webhook_priority(&v[0], 90, 90), "P3");
	cr_expect_str_eq(webhook_priority(&v[0], 100, 90), "P2");
	cr_expect(webhook_wants(&v[0], WEBHOOK_RESPONDED_LEVEL) &&
	    webhook_wants(&v[0], WEBHOOK_RESOLVED_LEVEL), "neither named: both");
	webhook_targets_free(v, n);
	config_free(c);
	{
		static const char bad[] = "[webhook \"og\"]\nbreach_priority = P9\n";

		cr_expect_null(config_parse(bad, strlen(bad), "t.conf", 0600, &d));
	}
	cr_expect(strstr(d.msg, "breach_priority") != NULL, "%s", d.msg);
}

extern const char *const store_migrations[];

/* A database made at schema 4 (before remind_alerts) with a webhook
 * notice sent: it migrates, and remind goes on from there. */
Test(remind, schema_4_database_migrates)
{
	char old[120], sql[400];
	struct fake f = { 0 };
	struct remind_summary sum;
	struct diag d;
	sqlite3 *raw;

	store_close(db);
	snprintf(old, sizeof old, "%s/old.db", dir);
	cr_assert_eq(sqlite3_open(old, &raw), SQLITE_OK);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(sqlite3_exec(raw, store_migrations[i], NULL, NULL, NULL), SQLITE_OK,
		    "migration %d", i + 1);
	snprintf(sql, sizeof sql, "PRAGMA user_version = 4;"
	    " INSERT INTO partners (id, key, name, zone, workdays, created_at)"
	    " VALUES (1, 'acme', 'Acme', 'UTC', 127, 1000);"
	    " INSERT INTO tickets (id, key, partner_id, severity, summary, created_at, target_s,"
	    " deadline_at, updated_at) VALUES (1, 'T-1', 1, 'critical', 's', %d, 86400, %d, %d);",
	    MON_0900, MON_0900 + 24 * HOUR, MON_0900);
	cr_assert_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(raw));
	cr_assert_eq(sqlite3_exec(raw, "INSERT INTO reminders (ticket_id, threshold, channel,"
	    " state, message_id, attempts) VALUES (1, 50, 'webhook:og', 'sent', 'x', 1)", NULL, NULL,
	    NULL), SQLITE_OK, "%s", sqlite3_errmsg(raw));
	sqlite3_close(raw);
	snprintf(path, sizeof path, "%s", old);
	cr_assert_not_null(db = store_open(path, &d), "%s", d.msg);
	cr_expect_eq(store_schema_version(db), store_latest_version());
	cr_expect_eq(count("SELECT count(*) FROM remind_alerts"), 0,
	    "alerts of the old per-threshold aliases are not followed up");
	run_at(OPSGENIE, MON_0900 + 25 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(count_to(&f, "og"), 1, "the breach: a create; no update of an unknown priority");
	cr_expect_eq(count("SELECT count(*) FROM remind_alerts WHERE priority = 'P1'"), 1);
}

/* ---- the start and the first run (issue 11) ------------------------------------- */

static int run_opts(const char *cfgtext, int64_t now, int first_run_check, int has_since,
		    int64_t since, struct fake *f, struct remind_summary *sum)
{
	struct config *c = conf(cfgtext);
	struct remind_options o;
	struct remind_sender snd = { fake_prepare, fake_deliver, f };
	struct diag d;
	int rc;

	memset(&o, 0, sizeof o);
	o.now_at = now;
	o.actor = "cron";
	o.default_zone = "UTC";
	o.per_ticket = -1;
	o.first_run_check = first_run_check;
	o.has_since = has_since;
	o.since_at = since;
	remind_summary_init(sum);
	diag_clear(&d);
	rc = remind_run(db, c, &o, &snd, sum, &d);
	cr_expect_eq(rc, 0, "%s", d.msg);
	config_free(c);
	return rc;
}

Test(remind, first_run_counts_and_sends_nothing)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t events;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	ticket("T-2", NULL, STORE_SEV_HIGH);
	events = count("SELECT count(*) FROM events");
	run_opts(BASIC, MON_0900 + 30 * HOUR, 1, 0, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(f.prepared, 0);
	cr_expect_eq(sum.first_run, 1);
	cr_expect_eq(sum.tickets, 2);
	cr_expect_eq(sum.reminders, 4);		/* bob, team, the manager twice */
	cr_expect_eq(sum.mails, 3);
	cr_expect_eq(sum.has_oldest, 1);
	cr_expect_eq(sum.oldest_at, MON_0900 + 24 * HOUR);
	cr_expect_eq(count("SELECT count(*) FROM reminders"), 0);
	cr_expect_eq(count("SELECT count(*) FROM remind_watch"), 0);
	cr_expect_eq(count("SELECT count(*) FROM meta WHERE key = 'remind_started_at'"), 0);
	cr_expect_eq(count("SELECT count(*) FROM events"), events);
	remind_summary_release(&sum);
	/* a start set: not refused, the backlog is skipped for good */
	run_opts(BASIC, MON_0900 + 30 * HOUR, 1, 1, MON_0900 + 30 * HOUR, &f, &sum);
	cr_expect_eq(sum.first_run, 0);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(sum.before_start, 4);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'skipped'"), 4);
	cr_expect_eq(count("SELECT count(*) FROM meta WHERE key = 'remind_started_at'"), 1);
	remind_summary_release(&sum);
	/* no longer a first run; the skipped ones never go out */
	run_opts(BASIC, MON_0900 + 40 * HOUR, 1, 0, 0, &f, &sum);
	cr_expect_eq(sum.first_run, 0);
	cr_expect_eq(f.n, 0);
	remind_summary_release(&sum);
}

Test(remind, first_run_with_nothing_due_goes_ahead)
{
	struct fake f = { 0 };
	struct remind_summary sum;

	ticket("T-1", "bob", STORE_SEV_CRITICAL);
	run_opts(BASIC, MON_0900 + HOUR, 1, 0, 0, &f, &sum);
	cr_expect_eq(sum.first_run, 0);
	cr_expect_eq(count("SELECT count(*) FROM meta WHERE key = 'remind_started_at'"), 1);
	remind_summary_release(&sum);
	run_opts(BASIC, MON_0900 + 13 * HOUR, 1, 0, 0, &f, &sum);
	cr_expect_eq(sum.first_run, 0);
	cr_expect_eq(f.n, 1);
	remind_summary_release(&sum);
}

Test(remind, start_skips_a_pending_retry_and_keeps_later_levels)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	char sql[160];

	(void)t;
	f.fail = 1;				/* 50 % (crossed 21:00Z) fails */
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'pending'"), 1);
	/* the retry is due, but the start is after 21:00Z: skipped, not sent */
	run_opts(BASIC, MON_0900 + 14 * HOUR, 0, 1, MON_0900 + 12 * HOUR + 1, &f, &sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(sum.before_start, 1);
	remind_summary_release(&sum);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM reminders WHERE threshold = 50 AND "
	    "state = 'skipped' AND last_error LIKE '%%before the start%%'");
	cr_expect_eq(count(sql), 1);
	/* remind.start in the configuration does the same for 75 % (Tue 03:00Z) */
	{
		char cfg[512];

		snprintf(cfg, sizeof cfg, "%s[remind]\nstart = 2026-03-03T03:00:01Z\n", BASIC);
		run_opts(cfg, MON_0900 + 19 * HOUR, 0, 0, 0, &f, &sum);
		cr_expect_eq(f.n, 0);
		cr_expect_eq(sum.before_start, 1);
		remind_summary_release(&sum);
		/* 90 % (06:36Z) is after the start: it goes out */
		run_opts(cfg, MON_0900 + 22 * HOUR, 0, 0, 0, &f, &sum);
		cr_assert_eq(f.n, 1);
		cr_expect(strstr(f.v[0].subject, "90% of SLA used") != NULL, "%s", f.v[0].subject);
		remind_summary_release(&sum);
	}
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'sent'"), 1);
}

/* ---- waiting on the customer ---------------------------------------------------------- */

/* T-1 waits from +6 h (a quarter of its target used) with its response
 * clock stopped.  Returns its id. */
static int64_t waiting_ticket(int response)
{
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	char sql[256];

	snprintf(sql, sizeof sql, "UPDATE tickets SET waiting_since = %d, waiting_response = %d"
	    " WHERE id = %lld", MON_0900 + 6 * HOUR, response, (long long)t);
	exec_sql(sql);
	return t;
}

/* What `ticket resume` leaves at +25 h: 19 h waited, the deadline 19 h
 * later (+43 h), so 50 % at +31 h. */
static void resume(int64_t t)
{
	char sql[256];

	snprintf(sql, sizeof sql, "UPDATE tickets SET waiting_since = NULL, waiting_response = 0,"
	    " deadline_at = %d WHERE id = %lld", MON_0900 + 43 * HOUR, (long long)t);
	exec_sql(sql);
}

Test(remind, waiting_ticket_frozen_then_follows_the_moved_deadline)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = waiting_ticket(1);
	char sql[160];

	/* past the original 50 % and past the original deadline: nothing */
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	run_at(BASIC, MON_0900 + 25 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(sum.tickets, 0);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(count("SELECT count(*) FROM reminders"), 0);
	cr_expect_eq(count("SELECT count(*) FROM remind_watch"), 0);

	resume(t);
	/* before the moved 50 %: nothing, and the watch is due exactly then */
	run_at(BASIC, MON_0900 + 31 * HOUR - 1, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 0);
	snprintf(sql, sizeof sql, "SELECT next_at = %d FROM remind_watch WHERE ticket_id = %lld",
	    MON_0900 + 31 * HOUR, (long long)t);
	cr_expect_eq(count(sql), 1);
	run_at(BASIC, MON_0900 + 31 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].subject, "[slatrack] 50% of SLA used: T-1 printer on fire");
	run_at(BASIC, MON_0900 + 31 * HOUR + 60, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 1, "nothing sent twice");
	/* the breach notice at the moved deadline, not at the original one */
	run_at(BASIC, MON_0900 + 43 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold = 100"), 0);
	run_at(BASIC, MON_0900 + 43 * HOUR + 1, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold = 100"), 2,
	    "bob and the manager");
}

/* A watch row due while the ticket waits is neither fired nor lost. */
Test(remind, waiting_keeps_the_watch)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	char sql[256];

	run_at(BASIC, MON_0900 + 12 * HOUR, -1, 0, &f, &sum);	/* 50 % */
	remind_summary_release(&sum);
	run_at(BASIC, MON_0900 + 12 * HOUR + 60, -1, 0, &f, &sum);	/* the watch */
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 1);
	snprintf(sql, sizeof sql, "SELECT level * 10000000000 + next_at FROM remind_watch"
	    " WHERE ticket_id = %lld", (long long)t);
	cr_expect_eq(count(sql), 50 * 10000000000LL + MON_0900 + 18 * HOUR);
	snprintf(sql, sizeof sql, "UPDATE tickets SET waiting_since = %d, waiting_response = 1"
	    " WHERE id = %lld", MON_0900 + 13 * HOUR, (long long)t);
	exec_sql(sql);
	run_at(BASIC, MON_0900 + 20 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 1);
	snprintf(sql, sizeof sql, "SELECT level * 10000000000 + next_at FROM remind_watch"
	    " WHERE ticket_id = %lld", (long long)t);
	cr_expect_eq(count(sql), 50 * 10000000000LL + MON_0900 + 18 * HOUR, "kept");
	/* resumed at +20 h: 7 h waited, 75 % now at +25 h */
	snprintf(sql, sizeof sql, "UPDATE tickets SET waiting_since = NULL, waiting_response = 0,"
	    " deadline_at = %d WHERE id = %lld", MON_0900 + 31 * HOUR, (long long)t);
	exec_sql(sql);
	run_at(BASIC, MON_0900 + 25 * HOUR - 1, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 1);
	run_at(BASIC, MON_0900 + 25 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 2);
	cr_expect_str_eq(f.v[1].subject, "[slatrack] 75% of SLA used: T-1 printer on fire");
}

/* A wait that does not stop the response clock changes nothing. */
Test(remind, waiting_with_the_clock_running_is_reminded)
{
	struct fake f = { 0 };
	struct remind_summary sum;

	waiting_ticket(0);
	run_at(BASIC, MON_0900 + 13 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].subject, "[slatrack] 50% of SLA used: T-1 printer on fire");
	run_at(BASIC, MON_0900 + 25 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold = 100"
	    " AND state = 'sent'"), 2);
}

/* A claim of a dead run whose ticket now waits goes back to pending (with
 * its Message-ID), and goes out after the resume. */
Test(remind, dead_runs_claim_held_while_waiting)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	char sql[512];

	snprintf(sql, sizeof sql, "INSERT INTO reminders (ticket_id, threshold, channel, state,"
	    " message_id, attempts, claimed_at, claimed_by) VALUES (%lld, 50,"
	    " 'mail:bob@example.com', 'claimed', 'digest.dead.2@example.com', 1, %d,"
	    " 'r00000000000002b')", (long long)t, MON_0900 + 13 * HOUR);
	exec_sql(sql);
	snprintf(sql, sizeof sql, "UPDATE tickets SET waiting_since = %d, waiting_response = 1"
	    " WHERE id = %lld", MON_0900 + 13 * HOUR, (long long)t);
	exec_sql(sql);
	run_at(BASIC, MON_0900 + 14 * HOUR, -1, 0, &f, &sum);
	cr_expect_eq(f.n, 0);
	cr_expect_eq(sum.recovered, 1);
	cr_expect_eq(sum.retrying, 1);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'pending'"
	    " AND message_id = 'digest.dead.2@example.com'"), 1);
	run_at(BASIC, MON_0900 + 15 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 0, "still waiting");
	snprintf(sql, sizeof sql, "UPDATE tickets SET waiting_since = NULL, waiting_response = 0,"
	    " deadline_at = %d WHERE id = %lld", MON_0900 + 26 * HOUR, (long long)t);
	exec_sql(sql);
	run_at(BASIC, MON_0900 + 16 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].id, "digest.dead.2@example.com");
	cr_expect_eq(f.v[0].resend, 1);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'sent'"), 1);
}

/* ---- the resolution clock -------------------------------------------------------------- */

/* Gives ticket t a resolution clock of `hours` (working = wall time here). */
static void resolve_clock(int64_t t, int hours)
{
	char sql[256];

	snprintf(sql, sizeof sql, "UPDATE tickets SET resolve_target_s = %d,"
	    " resolve_deadline_at = %d WHERE id = %lld", hours * HOUR, MON_0900 + hours * HOUR,
	    (long long)t);
	exec_sql(sql);
}

static void set_ticket(int64_t t, const char *assignments)
{
	char sql[256];

	snprintf(sql, sizeof sql, "UPDATE tickets SET %s WHERE id = %lld", assignments,
	    (long long)t);
	exec_sql(sql);
}

/* After the first response the resolution clock goes on: its thresholds
 * and its breach notice, each once, told apart from the response ones. */
Test(remind, resolution_reminders_once_each)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	char sql[128];

	resolve_clock(t, 48);
	snprintf(sql, sizeof sql, "first_response_at = %d, responded_by = 'bob'",
	    MON_0900 + 2 * HOUR);
	set_ticket(t, sql);
	run_at(BASIC, MON_0900 + 23 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 0, "23 of 48 h: below 50%%");
	run_at(BASIC, MON_0900 + 24 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].recipient, "bob@example.com");
	cr_expect_str_eq(f.v[0].subject, "[slatrack] resolution 50% of SLA used: T-1 printer on fire");
	cr_expect(strstr(f.v[0].body, "RESOLUTION 50% USED  T-1: printer on fire") != NULL, "%s",
	    f.v[0].body);
	cr_expect(strstr(f.v[0].body, "Resolve by") != NULL, "%s", f.v[0].body);
	cr_expect(strstr(f.v[0].body, "50% of the resolution target used") != NULL, "%s",
	    f.v[0].body);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold = 1050"
	    " AND state = 'sent'"), 1);
	cr_expect_eq(count("SELECT count(*) FROM events WHERE kind = 'remind.sent'"
	    " AND field = 'resolution 50% mail:bob@example.com'"), 1);
	run_at(BASIC, MON_0900 + 25 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 1, "nothing twice");
	/* the watch of the resolution clock: next at 75 % = +36 h */
	snprintf(sql, sizeof sql, "SELECT resolve_next_at FROM remind_watch WHERE ticket_id = %lld",
	    (long long)t);
	cr_expect_eq(count(sql), MON_0900 + 36 * HOUR);
	run_at(BASIC, MON_0900 + 49 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 3, "bob and the manager");
	cr_expect_str_eq(f.v[1].subject, "[slatrack] resolution SLA BREACHED: T-1 printer on fire");
	cr_expect_str_eq(f.v[2].subject, "[slatrack] resolution SLA BREACHED: T-1 printer on fire");
	cr_expect(strstr(f.v[1].body, "passed its resolution deadline") != NULL, "%s", f.v[1].body);
	run_at(BASIC, MON_0900 + 50 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 3, "nothing twice");
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold = 1100"), 2);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold <= 100"), 0,
	    "the response clock had stopped in time: nothing of it");
}

/* Both clocks running: neither supersedes the other; a digest says which
 * is which. */
Test(remind, both_clocks_side_by_side)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);

	resolve_clock(t, 30);		/* 50 % at +15 h, 75 % at +22.5 h */
	run_at(BASIC, MON_0900 + 15 * HOUR, 1, 0, &f, &sum);	/* response 50 % at +12 h */
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 2);
	/* two mails, in Message-ID order */
	cr_expect(strcmp(f.v[0].subject, f.v[1].subject) != 0);
	for (size_t i = 0; i < 2; i++)
		cr_expect(strcmp(f.v[i].subject, "[slatrack] 50% of SLA used: T-1 printer on fire")
		    == 0 || strcmp(f.v[i].subject,
		    "[slatrack] resolution 50% of SLA used: T-1 printer on fire") == 0, "%s",
		    f.v[i].subject);
	/* response 75 % at +18 h: claimed though a higher row (1050) exists */
	run_at(BASIC, MON_0900 + 18 * HOUR, 1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 3);
	cr_expect_str_eq(f.v[2].subject, "[slatrack] 75% of SLA used: T-1 printer on fire");
	/* digest: response 90 % (+21.6 h) and resolution 75 % (+22.5 h) */
	run_at(BASIC, MON_0900 + 23 * HOUR, 0, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 4);
	cr_expect_eq(f.v[3].n, 2);
	cr_expect_str_eq(f.v[3].subject,
	    "[slatrack] 1 tickets need a first response, 1 resolving");
	cr_expect(strstr(f.v[3].body, "90% USED  T-1") != NULL, "%s", f.v[3].body);
	cr_expect(strstr(f.v[3].body, "RESOLUTION 75% USED  T-1") != NULL, "%s", f.v[3].body);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE state = 'sent'"), 5);
}

/* Every wait stops the resolution clock: nothing of it while waiting; the
 * resume moves its deadline and its levels; resolving skips what is
 * pending. */
Test(remind, resolution_clock_waits_and_resolves)
{
	struct fake f = { 0 };
	struct remind_summary sum;
	int64_t t = ticket("T-1", "bob", STORE_SEV_CRITICAL);
	char sql[160];

	resolve_clock(t, 48);
	snprintf(sql, sizeof sql, "first_response_at = %d, responded_by = 'bob',"
	    " waiting_since = %d, waiting_response = 0", MON_0900 + HOUR, MON_0900 + 10 * HOUR);
	set_ticket(t, sql);
	run_at(BASIC, MON_0900 + 49 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 0, "waiting: no resolution reminder, no breach");
	cr_expect_eq(count("SELECT count(*) FROM remind_watch"), 0);
	/* resumed at +50 h: 40 h waited, deadline +88 h, 50 % at +64 h */
	snprintf(sql, sizeof sql, "waiting_since = NULL, resolve_deadline_at = %d",
	    MON_0900 + 88 * HOUR);
	set_ticket(t, sql);
	run_at(BASIC, MON_0900 + 64 * HOUR - 1, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 0);
	run_at(BASIC, MON_0900 + 64 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_assert_eq(f.n, 1);
	cr_expect_str_eq(f.v[0].subject, "[slatrack] resolution 50% of SLA used: T-1 printer on fire");
	/* a retry pending at 75 %: resolving the ticket skips it */
	f.fail = 1;
	run_at(BASIC, MON_0900 + 76 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold = 1075"
	    " AND state = 'pending'"), 1);
	snprintf(sql, sizeof sql, "resolved_at = %d", MON_0900 + 77 * HOUR);
	set_ticket(t, sql);
	run_at(BASIC, MON_0900 + 90 * HOUR, -1, 0, &f, &sum);
	remind_summary_release(&sum);
	cr_expect_eq(f.n, 1);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold = 1075"
	    " AND state = 'skipped'"), 1);
	cr_expect_eq(count("SELECT count(*) FROM reminders WHERE threshold = 1100"), 0);
}

Test(remind, labels)
{
	static const struct { int th; const char *want; } v[] = {
		{ 50, "50% reminder" }, { 100, "breach notice" }, { 101, "responded" },
		{ 102, "resolved" }, { 1075, "resolution 75%" }, { 1100, "resolution breach" },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[40];

		store_remind_label(v[i].th, out, sizeof out);
		cr_expect_str_eq(out, v[i].want);
	}
	cr_expect(store_remind_is_resolve(1050));
	cr_expect(!store_remind_is_resolve(100));
	cr_expect(!store_remind_is_resolve(102));
}
