/* test_tui_rows.c: the TUI's view-models (tui/rows.c), without curses:
 * cells cut by display width (CJK and emoji take two columns) with an
 * ellipsis, customer text made inert, the live countdown, the column
 * layout, sort orders, filters and search, the header counts, when a
 * ticket must be looked at again, the progress bar, the month grid and
 * long text wrapped by display width for the ticket screen. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "sla.h"
#include "store.h"
#include "ticketfmt.h"
#include "tui/rows.h"
#include "tz.h"

static void utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "no C.UTF-8 locale");
}

TestSuite(tui_rows, .init = utf8_locale);

static const char *fit(struct buf *b, const char *s, size_t width, int right)
{
	buf_reset(b);
	rows_fit(b, s, width, right);
	return buf_str(b);
}

static size_t width_of(const char *s)
{
	return ticketfmt_width(s, strlen(s));
}

/* ---- cells --------------------------------------------------------------- */

Test(tui_rows, fit_by_display_width)
{
	static const struct {
		const char *in;
		size_t width;
		int right;
		const char *want;
	} rows[] = {
		{ "abc", 6, 0, "abc   " },
		{ "abc", 6, 1, "   abc" },
		{ "abcdef", 6, 0, "abcdef" },
		{ "abcdefg", 6, 0, "abcde\xe2\x80\xa6" },	/* "abcde…" */
		/* CJK: two columns each; the cut leaves room for the ellipsis */
		{ "ログインできません", 7, 0, "ログイ\xe2\x80\xa6" },
		{ "ログインできません", 6, 0, "ログ\xe2\x80\xa6 " },	/* 5 + pad */
		{ "ログ", 4, 0, "ログ" },
		{ "ログ", 5, 1, " ログ" },
		/* emoji are two columns wide too */
		{ "ab\xf0\x9f\x8e\x89", 4, 0, "ab\xf0\x9f\x8e\x89" },
		{ "ab\xf0\x9f\x8e\x89!", 4, 0, "ab\xe2\x80\xa6 " },
		/* accents are one column, whatever their bytes */
		{ "Zoë Ørsted", 10, 0, "Zoë Ørsted" },
		{ "Données manquantes", 8, 0, "Données\xe2\x80\xa6" },
	};

	struct buf b = BUF_INIT;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *got = fit(&b, rows[i].in, rows[i].width, rows[i].right);

		cr_expect_str_eq(got, rows[i].want, "row %zu: '%s' -> '%s'", i, rows[i].in, got);
		cr_expect_eq(width_of(got), rows[i].width, "row %zu: width %zu", i,
		    width_of(got));
	}
	/* every cut is exactly as wide as asked */
	for (size_t w = 1; w < 12; w++) {
		fit(&b, "Données 龙威 🎉 Überweisung", w, 0);
		cr_expect_eq(width_of(buf_str(&b)), w, "width %zu gave %zu", w,
		    width_of(buf_str(&b)));
	}
	buf_release(&b);
}

Test(tui_rows, fit_makes_customer_text_inert)
{
	struct buf b = BUF_INIT;

	/* the summary of the issue: a title change and a screen clear */
	cr_expect_str_eq(fit(&b, "\x1b]0;pwned\a\x1b[2J", 0, 0), "^[]0;pwned^G^[[2J");
	cr_expect_str_eq(fit(&b, "\x1b]0;pwned\a\x1b[2J", 10, 0), "^[]0;pwne\xe2\x80\xa6");
	/* C1 controls, DEL, invalid UTF-8 */
	cr_expect_str_eq(fit(&b, "a\xc2\x9b" "b\x7f", 0, 0), "a<U+009B>b^?");
	cr_expect_str_eq(fit(&b, "a\xff" "b", 0, 0), "a\xef\xbf\xbd" "b");
	/* newlines and tabs become blanks: one row stays one row */
	cr_expect_str_eq(fit(&b, "two\nlines\tand", 0, 0), "two lines and");
	cr_expect_eq(rows_width("\x1b[2J"), 5);	/* ^[[2J */
	/* a right-to-left override cannot reorder the row: shown by name,
	 * counted in columns, cut like any other text */
	cr_expect_str_eq(fit(&b, "ok \xe2\x80\xae" "cba", 0, 0), "ok <U+202E>cba");
	cr_expect_str_eq(fit(&b, "ok \xe2\x80\xae" "cba", 17, 0), "ok <U+202E>cba   ");
	cr_expect_str_eq(fit(&b, "ok \xe2\x81\xa7" "cba", 8, 0), "ok <U+2\xe2\x80\xa6");
	cr_expect_eq(rows_width("\xe2\x80\xae"), 8);
	buf_release(&b);
}

/* ---- countdown ------------------------------------------------------------- */

static struct sla_status status(enum sla_state s, int64_t remaining, int64_t overrun,
				int64_t stopped)
{
	struct sla_status st;

	memset(&st, 0, sizeof st);
	st.state = s;
	st.remaining_s = remaining;
	st.overrun_s = overrun;
	st.stopped_at = stopped;
	return st;
}

Test(tui_rows, countdown)
{
	static const struct {
		enum sla_state state;
		int64_t remaining, overrun, stopped;
		const char *want;
	} rows[] = {
		{ SLA_ON_TRACK, 5 * 3600 + 59 * 60 + 55, 0, STORE_NONE, "5h 59m 55s" },
		{ SLA_AT_RISK, 3600, 0, STORE_NONE, "1h 00m 00s" },
		{ SLA_AT_RISK, 65, 0, STORE_NONE, "1m 05s" },
		{ SLA_AT_RISK, 42, 0, STORE_NONE, "42s" },
		{ SLA_AT_RISK, 0, 0, STORE_NONE, "0s" },
		{ SLA_ON_TRACK, 100 * 3600, 0, STORE_NONE, "100h 00m 00s" },
		{ SLA_BREACHED, -7384, 7384, STORE_NONE, "-2h 03m 04s" },
		/* past the deadline, no working time over it: not "-0s" */
		{ SLA_BREACHED, 0, 0, STORE_NONE, "-<1m" },
		{ SLA_BREACHED, -1, 1, STORE_NONE, "-1s" },
		{ SLA_BREACHED, -7384, 7384, 1000, "late 2h 03m" },
		{ SLA_BREACHED, 0, 0, 1000, "late <1m" },	/* not "late 0m" */
		{ SLA_MET, 3600, 0, 1000, "met" },
		{ SLA_NOT_TIMED, 0, 0, STORE_NONE, "-" },
		{ SLA_RESPONDED, 0, 0, 1000, "-" },
		/* waiting on the customer: what is left, standing still */
		{ SLA_WAITING, 3 * 3600, 0, STORE_NONE, "3h 00m 00s" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct sla_status st = status(rows[i].state, rows[i].remaining, rows[i].overrun,
		    rows[i].stopped);
		char out[ROWS_TEXT_LEN];

		rows_countdown(&st, out);
		cr_expect_str_eq(out, rows[i].want, "row %zu", i);
	}
}

Test(tui_rows, marks_read_without_colour)
{
	cr_expect_eq(rows_mark(SLA_BREACHED), '!');
	cr_expect_eq(rows_mark(SLA_AT_RISK), '*');
	cr_expect_eq(rows_mark(SLA_ON_TRACK), '.');
	cr_expect_eq(rows_mark(SLA_MET), '+');
	cr_expect_eq(rows_mark(SLA_RESPONDED), '+');
	cr_expect_eq(rows_mark(SLA_NOT_TIMED), '-');
	cr_expect_eq(rows_mark(SLA_WAITING), '=');
	cr_expect_str_eq(rows_severity_short(STORE_SEV_CRITICAL), "crit");
}

/* What a row shows for a ticket waiting on the customer or an excused
 * breach: waiting when the response clock has nothing left to run, the
 * clock's own state while it still asks for work. */
Test(tui_rows, waiting_and_excused_states)
{
	static const struct {
		int waiting, excused;
		enum sla_state state;
		enum sla_state want;
		const char *name;
		char mark;
	} rows[] = {
		{ 0, 0, SLA_ON_TRACK, SLA_ON_TRACK, "on track", '.' },
		/* the wait stopped the response clock */
		{ 1, 0, SLA_WAITING, SLA_WAITING, "waiting", '=' },
		/* answered in time, or not timed: the wait is what is going on */
		{ 1, 0, SLA_MET, SLA_WAITING, "waiting", '=' },
		{ 1, 0, SLA_RESPONDED, SLA_WAITING, "waiting", '=' },
		{ 1, 0, SLA_NOT_TIMED, SLA_WAITING, "waiting", '=' },
		/* the response clock runs on (not paused for the partner) */
		{ 1, 0, SLA_ON_TRACK, SLA_ON_TRACK, "on track", '.' },
		{ 1, 0, SLA_AT_RISK, SLA_AT_RISK, "at risk", '*' },
		{ 1, 0, SLA_BREACHED, SLA_BREACHED, "BREACHED", '!' },
		/* an excused breach keeps its state, and says so */
		{ 0, 1, SLA_BREACHED, SLA_BREACHED, "excused", '~' },
		{ 1, 1, SLA_BREACHED, SLA_BREACHED, "excused", '~' },
		/* excused ahead of a breach: still at risk */
		{ 0, 1, SLA_AT_RISK, SLA_AT_RISK, "at risk", '*' },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct rows_item it;
		struct buf b = BUF_INIT;

		memset(&it, 0, sizeof it);
		store_ticket_init(&it.t);
		it.t.id = 7;
		it.t.waiting_since = rows[i].waiting ? 1000 : STORE_NONE;
		it.st = status(rows[i].state, 60, 0, STORE_NONE);
		it.st.excused = rows[i].excused;
		cr_expect_eq(rows_state(&it.t, &it.st), rows[i].want, "row %zu: state %d", i,
		    (int)rows_state(&it.t, &it.st));
		cr_expect_str_eq(rows_state_name(&it.t, &it.st), rows[i].name, "row %zu", i);
		cr_expect_eq(rows_state_mark(&it.t, &it.st), rows[i].mark, "row %zu", i);
		/* the queue's cells say the same */
		rows_cell(&it, ROWS_COL_STATE, NULL, &b);
		cr_expect_str_eq(buf_str(&b), rows[i].name, "row %zu: STATE cell", i);
		buf_reset(&b);
		rows_cell(&it, ROWS_COL_MARK, NULL, &b);
		cr_expect_eq(buf_str(&b)[0], rows[i].mark, "row %zu: mark cell", i);
		buf_release(&b);
	}
}

Test(tui_rows, wait_words)
{
	static const struct {
		int response, resolve, answered;
		int64_t deadline;
		const char *want;
	} rows[] = {
		{ 1, 1, 0, 5000, "the response and resolution clocks stand still" },
		{ 1, 0, 0, 5000, "the response clock stands still" },
		{ 0, 1, 0, 5000, "the resolution clock stands still, the response clock "
		    "runs on" },
		{ 0, 1, 1, 5000, "the resolution clock stands still" },
		{ 0, 0, 0, 5000, "the response clock runs on (not paused for this partner)" },
		{ 0, 0, 1, 5000, "no clock to stop" },
		{ 0, 0, 0, STORE_NONE, "no clock to stop" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct store_ticket t;
		struct buf b = BUF_INIT;

		store_ticket_init(&t);
		t.waiting_since = 1000;
		t.waiting_response = rows[i].response;
		t.deadline_at = rows[i].deadline;
		t.target_s = rows[i].deadline == STORE_NONE ? STORE_NONE : 3600;
		t.resolve_deadline_at = rows[i].resolve ? 9000 : STORE_NONE;
		t.resolve_target_s = rows[i].resolve ? 7200 : STORE_NONE;
		t.first_response_at = rows[i].answered ? 500 : STORE_NONE;
		rows_wait_words(&t, &b);
		cr_expect_str_eq(buf_str(&b), rows[i].want, "row %zu", i);
		buf_release(&b);
	}
}

/* ---- layout --------------------------------------------------------------------- */

Test(tui_rows, layout_fills_the_width)
{
	static const int widths[] = { 80, 100, 120, 160, 240 };

	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		struct rows_layout l;
		int end = 0, cols = widths[i];

		rows_layout(cols, &l);
		for (int c = 0; c < ROWS_NCOLS; c++)
			if (l.w[c] > 0)
				end = l.x[c] + l.w[c];
		cr_expect_eq(end, cols, "%d columns end at %d", cols, end);
		cr_expect_geq(l.w[ROWS_COL_SUMMARY], 15, "%d: summary %d", cols,
		    l.w[ROWS_COL_SUMMARY]);
		cr_expect_eq(l.w[ROWS_COL_STATE] > 0, cols >= 100, "%d: state column", cols);
		cr_expect_geq(l.w[ROWS_COL_REMAINING], 12);	/* "-38h 45m 00s" */
	}
}

/* ---- a little queue ---------------------------------------------------------------- */

struct fixture {
	struct rows_item items[6];
	struct buf hay[6];
};

static struct fixture fx;

static void item(int i, int64_t id, const char *key, int64_t partner, const char *pkey,
		 int sev, enum sla_state st, int64_t remaining, int64_t overrun_wall,
		 int64_t deadline, int64_t created, const char *assignee, const char *summary,
		 const char *customer)
{
	struct rows_item *it = &fx.items[i];

	memset(it, 0, sizeof *it);
	store_ticket_init(&it->t);
	it->t.id = id;
	it->t.key = (char *)key;
	it->t.partner_id = partner;
	it->t.partner_key = (char *)pkey;
	it->t.severity = sev;
	it->t.summary = (char *)summary;
	it->t.customer = (char *)customer;
	it->t.assignee = (char *)assignee;
	it->t.created_at = created;
	it->t.deadline_at = deadline;
	it->t.target_s = deadline == STORE_NONE ? STORE_NONE : 86400;
	it->st.state = st;
	it->st.deadline_at = deadline;
	it->st.remaining_s = remaining;
	it->st.overrun_wall_s = overrun_wall;
	it->st.overrun_s = st == SLA_BREACHED && remaining < 0 ? -remaining : 0;
	it->st.stopped_at = st == SLA_MET || st == SLA_RESPONDED ? created + 10 : STORE_NONE;
	buf_init(&fx.hay[i]);
	rows_hay(&it->t, NULL, &fx.hay[i]);
	rows_set_hay(it, buf_str(&fx.hay[i]), fx.hay[i].len);
}

static void queue_setup(void)
{
	utf8_locale();
	item(0, 1, "ACME-1", 10, "acme", STORE_SEV_HIGH, SLA_ON_TRACK, 5000, 0, 9000, 100,
	    "alice", "Login fails with SSO", "Ada Lovelace");
	item(1, 2, "GLX-7", 20, "globex", STORE_SEV_CRITICAL, SLA_BREACHED, -100, 3600, 500,
	    200, NULL, "Überweisung fehlt", "Hans Müller");
	item(2, 3, NULL, 10, "acme", STORE_SEV_LOW, SLA_NOT_TIMED, 0, 0, STORE_NONE, 300,
	    "bob", "Dashboard slow", NULL);
	item(3, 4, "GLX-8", 20, "globex", STORE_SEV_HIGH, SLA_AT_RISK, 1000, 0, 4000, 400,
	    "alice", "ログインできません", "山田 太郎");
	item(4, 5, "ACME-2", 10, "acme", STORE_SEV_CRITICAL, SLA_BREACHED, -50, 7200, 600,
	    50, "bob", "Export times out", "Grace Hopper");
	item(5, 6, "ACME-3", 10, "acme", STORE_SEV_HIGH, SLA_MET, 100, 0, 7000, 600, NULL,
	    "Billing page blank", NULL);
}

static void queue_teardown(void)
{
	for (int i = 0; i < 6; i++)
		buf_release(&fx.hay[i]);
}

static void sorted_ids(const char *name, int64_t want[6])
{
	uint32_t idx[6] = { 0, 1, 2, 3, 4, 5 };
	enum triage_sort by;
	int rev;

	cr_assert_eq(triage_sort_parse(name, &by, &rev), 0, "%s", name);
	cr_assert_eq(rows_sort(fx.items, idx, 6, by, rev), 0);
	for (int i = 0; i < 6; i++)
		cr_expect_eq(fx.items[idx[i]].t.id, want[i], "%s: position %d is #%lld, want "
		    "#%lld", name, i, (long long)fx.items[idx[i]].t.id, (long long)want[i]);
}

Test(tui_rows, sort_orders, .init = queue_setup, .fini = queue_teardown)
{
	/* the triage order: at risk; breached, most working time over first;
	 * on track; not timed; then answered (met) */
	sorted_ids("triage", (int64_t[]){ 4, 2, 5, 1, 3, 6 });
	sorted_ids("sla", (int64_t[]){ 4, 2, 5, 1, 3, 6 });
	sorted_ids("-triage", (int64_t[]){ 6, 3, 1, 5, 2, 4 });
	/* earliest deadline first, untimed last; reversed: untimed first */
	sorted_ids("due", (int64_t[]){ 2, 5, 4, 6, 1, 3 });
	sorted_ids("-due", (int64_t[]){ 3, 1, 6, 4, 5, 2 });
	sorted_ids("newest", (int64_t[]){ 6, 4, 3, 2, 1, 5 });
	/* critical first, each severity in the triage order */
	sorted_ids("severity", (int64_t[]){ 2, 5, 4, 1, 6, 3 });
	sorted_ids("partner", (int64_t[]){ 5, 1, 3, 6, 4, 2 });
	/* unassigned first */
	sorted_ids("assignee", (int64_t[]){ 2, 6, 4, 1, 5, 3 });
	/* the REMAINING value: least first, untimed last */
	sorted_ids("remaining", (int64_t[]){ 2, 5, 6, 4, 1, 3 });
	sorted_ids("state", (int64_t[]){ 4, 2, 5, 1, 3, 6 });
	sorted_ids("key", (int64_t[]){ 3, 1, 5, 6, 2, 4 });
	sorted_ids("id", (int64_t[]){ 1, 2, 3, 4, 5, 6 });
	cr_expect_str_eq(triage_sort_name(TRIAGE_SORT_TRIAGE), "triage");
}

/* Big queues sort by radix on packed keys: the same order as
 * triage_compare (deadline and id breaking ties), whatever the mix of
 * states. */
Test(tui_rows, sort_many_by_radix)
{
	enum { N = 3000 };
	static struct rows_item v[N];
	static uint32_t idx[N];
	static const enum sla_state states[] = { SLA_NOT_TIMED, SLA_ON_TRACK, SLA_AT_RISK,
		SLA_BREACHED, SLA_MET, SLA_RESPONDED };

	srand(7);
	for (uint32_t i = 0; i < N; i++) {
		struct rows_item *it = &v[i];

		memset(it, 0, sizeof *it);
		it->t.id = 1 + (int64_t)((i * 7919u) % N);	/* ids out of order */
		it->st.state = states[rand() % 6];
		it->st.remaining_s = rand() % 50 - 10;		/* many ties */
		it->st.overrun_s = it->st.state == SLA_BREACHED ? rand() % 5 : 0;
		it->st.overrun_wall_s = rand() % 20;
		it->st.stopped_at = it->st.state == SLA_MET || it->st.state == SLA_RESPONDED ||
		    (it->st.state == SLA_BREACHED && rand() % 2) ? 1790000000 : STORE_NONE;
		it->st.deadline_at = it->st.state == SLA_NOT_TIMED ||
		    it->st.state == SLA_RESPONDED ? STORE_NONE : 1798000000 + rand() % 5;
		it->t.deadline_at = it->st.deadline_at;
		it->t.created_at = 1790000000 + rand() % 3;
		idx[i] = i;
	}
	cr_assert_eq(rows_sort(v, idx, N, TRIAGE_SORT_TRIAGE, 0), 0);
	for (size_t i = 1; i < N; i++) {
		const struct rows_item *x = &v[idx[i - 1]], *y = &v[idx[i]];
		int c = triage_compare(&x->t, &x->st, &y->t, &y->st);

		cr_assert(c < 0, "position %zu: #%lld before #%lld", i, (long long)x->t.id,
		    (long long)y->t.id);
	}
	/* every other order agrees with the small-queue (qsort) path */
	for (int s = 0; s < 2 * TRIAGE_NSORT; s++) {
		static uint32_t big[N], small[64];

		for (uint32_t i = 0; i < N; i++) {
			static const char *const who[] = { NULL, "bob", "alice", "zoë", "al" };

			v[i].t.severity = rand() % STORE_NSEV;
			v[i].t.created_at = 1790000000 + rand() % 7;
			v[i].t.deadline_at = v[i].st.deadline_at;
			v[i].t.partner_key = (char *)(who[1 + rand() % 4]);
			v[i].t.assignee = (char *)who[rand() % 5];
			big[i] = i;
		}
		cr_assert_eq(rows_sort(v, big, N, (enum triage_sort)(s / 2), s % 2), 0);
		/* the order triage_sort_compare defines, the one `ticket list` uses */
		for (uint32_t i = 1; i < N; i++) {
			const struct rows_item *x = &v[big[i - 1]], *y = &v[big[i]];

			cr_assert(triage_sort_compare((enum triage_sort)(s / 2), s % 2, &x->t,
			    &x->st, &y->t, &y->st) < 0, "%s%s: position %u", s % 2 ? "-" : "",
			    triage_sort_name((enum triage_sort)(s / 2)), i);
		}
		/* sorting any 64 of them the slow way keeps their relative order */
		for (int k = 0; k < 64; k++)
			small[k] = big[k * (N / 64)];
		{
			uint32_t want[64];

			memcpy(want, small, sizeof want);
			for (int k = 0; k < 64; k++)
				small[k] = want[(k * 37) % 64];	/* shuffled */
			cr_assert_eq(rows_sort(v, small, 64, (enum triage_sort)(s / 2), s % 2), 0);
			for (int k = 0; k < 64; k++)
				cr_assert_eq(small[k], want[k], "%s%s: position %d",
				    s % 2 ? "-" : "", triage_sort_name((enum triage_sort)(s / 2)), k);
		}
	}
}

/* The first screen, painted before the whole sort: rows_sort_top's first
 * k rows are rows_sort's, in every order; the rest are the others. */
Test(tui_rows, sort_top_is_the_start_of_the_sort)
{
	enum { N = 2000, K = 40 };
	static struct rows_item v[N];
	static uint32_t all[N], top[N];
	static const enum sla_state states[] = { SLA_NOT_TIMED, SLA_ON_TRACK, SLA_AT_RISK,
		SLA_BREACHED, SLA_MET, SLA_WAITING };
	static const char *const who[] = { NULL, "bob", "alice", "zoë", "al" };

	srand(11);
	for (uint32_t i = 0; i < N; i++) {
		struct rows_item *it = &v[i];

		memset(it, 0, sizeof *it);
		it->t.id = 1 + (int64_t)((i * 7919u) % N);
		it->st.state = states[rand() % 6];
		it->st.remaining_s = rand() % 50 - 10;		/* many ties */
		it->st.overrun_s = it->st.state == SLA_BREACHED ? rand() % 5 : 0;
		it->st.stopped_at = it->st.state == SLA_MET ? 1790000000 : STORE_NONE;
		it->st.deadline_at = it->st.state == SLA_NOT_TIMED ? STORE_NONE :
		    1798000000 + rand() % 5;
		it->t.deadline_at = it->st.deadline_at;
		it->t.created_at = 1790000000 + rand() % 3;
		it->t.severity = rand() % STORE_NSEV;
		it->t.assignee = (char *)who[rand() % 5];
	}
	for (int s = 0; s < 2 * TRIAGE_NSORT; s++) {
		enum triage_sort by = (enum triage_sort)(s / 2);
		static unsigned char seen[N];

		for (uint32_t i = 0; i < N; i++)
			all[i] = top[i] = (i * 13u) % N;	/* a permutation */
		cr_assert_eq(rows_sort(v, all, N, by, s % 2), 0);
		cr_assert_eq(rows_sort_top(v, top, N, K, by, s % 2), 0);
		for (int k = 0; k < K; k++)
			cr_assert_eq(top[k], all[k], "%s%s: position %d", s % 2 ? "-" : "",
			    triage_sort_name(by), k);
		memset(seen, 0, sizeof seen);
		for (uint32_t i = 0; i < N; i++)
			seen[top[i]]++;
		for (uint32_t i = 0; i < N; i++)
			cr_assert_eq(seen[i], 1, "row %u kept once", i);
	}
	/* asked for more than there are: the whole sort */
	for (uint32_t i = 0; i < 10; i++)
		all[i] = top[i] = 9 - i;
	cr_assert_eq(rows_sort(v, all, 10, TRIAGE_SORT_TRIAGE, 0), 0);
	cr_assert_eq(rows_sort_top(v, top, 10, K, TRIAGE_SORT_TRIAGE, 0), 0);
	cr_assert_arr_eq(top, all, 10 * sizeof *top);
}

static size_t filtered(const struct rows_filter *f, int64_t *ids)
{
	uint32_t order[6] = { 0, 1, 2, 3, 4, 5 }, out[6];
	size_t n = rows_filter(fx.items, order, 6, f, out);

	for (size_t i = 0; i < n; i++)
		ids[i] = fx.items[out[i]].t.id;
	return n;
}

Test(tui_rows, filters, .init = queue_setup, .fini = queue_teardown)
{
	struct rows_filter f;
	int64_t ids[6];

	rows_filter_init(&f);
	cr_expect(!rows_filter_active(&f));
	cr_expect_eq(filtered(&f, ids), 6);
	f.partner_id = 20;
	cr_expect(rows_filter_active(&f));
	cr_expect_eq(filtered(&f, ids), 2);
	cr_expect_eq(ids[0], 2);
	cr_expect_eq(ids[1], 4);
	rows_filter_init(&f);
	f.severity = STORE_SEV_CRITICAL;
	cr_expect_eq(filtered(&f, ids), 2);
	rows_filter_init(&f);
	f.state = SLA_BREACHED;
	cr_expect_eq(filtered(&f, ids), 2);
	rows_filter_init(&f);
	f.mine = "alice";
	cr_expect_eq(filtered(&f, ids), 2);
	cr_expect_eq(ids[0], 1);
	rows_filter_init(&f);
	f.assignee = "";		/* unassigned */
	cr_expect_eq(filtered(&f, ids), 2);
	cr_expect_eq(ids[0], 2);
	cr_expect_eq(ids[1], 6);
	rows_filter_init(&f);
	f.assignee = "bob";
	f.severity = STORE_SEV_CRITICAL;	/* filters combine */
	cr_expect_eq(filtered(&f, ids), 1);
	cr_expect_eq(ids[0], 5);
}

/* state=waiting finds the tickets waiting on the customer, answered ones
 * too (as state=met does), and no longer finds them under their clock's
 * own state. */
Test(tui_rows, filter_waiting, .init = queue_setup, .fini = queue_teardown)
{
	struct rows_filter f;
	int64_t ids[6];

	fx.items[5].t.first_response_at = 610;		/* ACME-3, met: answered */
	fx.items[5].t.waiting_since = 700;
	fx.items[2].t.waiting_since = 800;		/* #3: not timed */
	rows_filter_init(&f);
	f.state = SLA_WAITING;
	cr_expect_eq(filtered(&f, ids), 2);
	cr_expect_eq(ids[0], 3);
	cr_expect_eq(ids[1], 6);
	rows_filter_init(&f);
	f.state = SLA_NOT_TIMED;
	cr_expect_eq(filtered(&f, ids), 0);
	rows_filter_init(&f);
	cr_expect_eq(filtered(&f, ids), 5, "the answered one waits out of the queue");
	f.answered = 1;
	cr_expect_eq(filtered(&f, ids), 6);
}

Test(tui_rows, search, .init = queue_setup, .fini = queue_teardown)
{
	static const struct {
		const char *typed;
		size_t n;
		int64_t first;
	} rows[] = {
		{ "acme-2", 1, 5 },		/* key, any case */
		{ "ACME", 4, 1 },		/* key or partner */
		{ "globex", 2, 2 },		/* partner */
		{ "lovelace", 1, 1 },		/* customer */
		{ "login sso", 1, 1 },		/* every word, anywhere */
		{ "login nothing", 0, 0 },
		{ "ログイン", 1, 4 },		/* UTF-8 as typed */
		{ "#3", 1, 3 },			/* the number of a ticket without a key */
		{ "über", 0, 0 },		/* case folding is ASCII only */
		{ "Über", 1, 2 },
	};
	struct rows_filter f;
	struct buf q = BUF_INIT;
	int64_t ids[6];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t n;

		rows_filter_init(&f);
		buf_reset(&q);
		rows_fold(rows[i].typed, &q);
		f.search = buf_str(&q);
		n = filtered(&f, ids);
		cr_expect_eq(n, rows[i].n, "'%s': %zu matches", rows[i].typed, n);
		if (n > 0 && rows[i].n > 0)
			cr_expect_eq(ids[0], rows[i].first, "'%s'", rows[i].typed);
	}
	buf_release(&q);
}

Test(tui_rows, counts_and_rechecks, .init = queue_setup, .fini = queue_teardown)
{
	struct rows_counts c;

	/* "due today": unanswered with a deadline in [0, 5000) */
	rows_count(fx.items, 6, 0, 5000, &c);
	cr_expect_eq(c.open, 6);
	cr_expect_eq(c.at_risk, 1);
	cr_expect_eq(c.breached, 2);
	cr_expect_eq(c.due_today, 3);	/* #2 (500), #4 (4000), #5 (600); #6 is met */
	/* #4 waits on the customer, its clock stopped: not due while it waits */
	fx.items[3].t.waiting_since = 300;
	fx.items[3].st.state = SLA_WAITING;
	rows_count(fx.items, 6, 0, 5000, &c);
	cr_expect_eq(c.at_risk, 0);
	cr_expect_eq(c.due_today, 2);
	fx.items[3].t.waiting_since = STORE_NONE;
	fx.items[3].st.state = SLA_AT_RISK;
	/* on track with 5000 s left, 19,400 s used of 86,400: at risk after
	 * 0.75 * 86400 - 19400 = 45,400 s at the earliest; breached after 5001 */
	fx.items[0].st.elapsed_s = 19400;
	cr_expect_eq(rows_recheck_at(&fx.items[0], 0.75, 1000), 1000 + 5001);
	fx.items[0].st.elapsed_s = 60000;
	cr_expect_eq(rows_recheck_at(&fx.items[0], 0.75, 1000), 1000 + 4800);
	cr_expect_eq(rows_recheck_at(&fx.items[1], 0.75, 1000), INT64_MAX);	/* breached */
	cr_expect_eq(rows_recheck_at(&fx.items[2], 0.75, 1000), INT64_MAX);	/* untimed */
	cr_expect_eq(rows_recheck_at(&fx.items[3], 0.75, 1000), 1000 + 1001);	/* at risk */
	cr_expect_eq(rows_next_change(fx.items, 6, 0.75, 60), 60);
	cr_expect_eq(rows_next_change(fx.items, 6, 0.75, 5000), 1001);
}

Test(tui_rows, a_whole_line_is_as_wide_as_the_screen, .init = queue_setup,
     .fini = queue_teardown)
{
	struct rows_layout l;
	struct buf b = BUF_INIT;

	rows_layout(80, &l);
	for (int i = 0; i < 6; i++) {
		buf_reset(&b);
		rows_line(&fx.items[i], &l, &b);
		cr_expect_eq(width_of(buf_str(&b)), 80, "item %d: '%s'", i, buf_str(&b));
	}
	buf_reset(&b);
	rows_cell(&fx.items[2], ROWS_COL_KEY, NULL, &b);
	cr_expect_str_eq(buf_str(&b), "#3");
	buf_release(&b);
}

/* REMAINING is as wide as its widest cell, at any width: the summary gives
 * up the room, and every line still fills the screen exactly. */
Test(tui_rows, remaining_is_never_cut, .init = queue_setup, .fini = queue_teardown)
{
	static const int widths[] = { 80, 120, 200 };
	uint32_t idx[6] = { 0, 1, 2, 3, 4, 5 };
	struct buf b = BUF_INIT;

	fx.items[1].st.remaining_s = -(137 * 3600 + 57 * 60);
	fx.items[1].st.overrun_s = 137 * 3600 + 57 * 60;
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		struct rows_layout l;

		rows_layout(widths[i], &l);
		rows_layout_fit(&l, widths[i], fx.items, idx, 6);
		cr_expect_geq(l.w[ROWS_COL_REMAINING], 13, "%d: %d", widths[i],
		    l.w[ROWS_COL_REMAINING]);
		buf_reset(&b);
		rows_line(&fx.items[1], &l, &b);
		cr_expect(strstr(buf_str(&b), "-137h 57m 00s") != NULL, "%d: '%s'", widths[i],
		    buf_str(&b));
		cr_expect_eq(width_of(buf_str(&b)), (size_t)widths[i], "%d: '%s'", widths[i],
		    buf_str(&b));
	}
	buf_release(&b);
}

/* a waiting ticket's remaining time stands still, and is shown whole */
Test(tui_rows, waiting_remaining_is_never_cut, .init = queue_setup,
     .fini = queue_teardown)
{
	uint32_t idx[6] = { 0, 1, 2, 3, 4, 5 };
	struct rows_layout l;
	struct buf b = BUF_INIT;

	fx.items[0].t.waiting_since = 50;
	fx.items[0].st.state = SLA_WAITING;
	fx.items[0].st.remaining_s = 1234 * 3600 + 5 * 60 + 6;
	rows_layout(120, &l);
	rows_layout_fit(&l, 120, fx.items, idx, 6);
	cr_expect_geq(l.w[ROWS_COL_REMAINING], 13, "%d", l.w[ROWS_COL_REMAINING]);
	rows_line(&fx.items[0], &l, &b);
	cr_expect(strstr(buf_str(&b), " waiting ") != NULL, "'%s'", buf_str(&b));
	cr_expect(strstr(buf_str(&b), "1234h 05m 06s") != NULL, "'%s'", buf_str(&b));
	cr_expect_eq(buf_str(&b)[0], '=');
	buf_release(&b);
}

/* ---- wrapping long text for the ticket screen ------------------------------------------ */

static const char *wrap(struct buf *b, const char *s, size_t first, size_t rest, size_t *n)
{
	buf_reset(b);
	*n = rows_wrap(s, first, rest, b);
	return buf_str(b);
}

/* every line of text (lines separated by '\n') is at most first/rest columns */
static void expect_widths(const char *text, size_t first, size_t rest)
{
	size_t k = 0;

	for (const char *p = text;; k++) {
		size_t n = strcspn(p, "\n");

		cr_expect_leq(ticketfmt_width(p, n), k == 0 ? first : rest,
		    "line %zu '%.*s' wider than allowed", k, (int)n, p);
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
}

Test(tui_rows, wrap_breaks_after_words)
{
	struct buf b = BUF_INIT;
	size_t n;

	cr_expect_str_eq(wrap(&b, "the quick brown fox jumps", 10, 10, &n),
	    "the quick\nbrown fox\njumps");
	cr_expect_eq(n, 3);
	cr_expect_str_eq(wrap(&b, "short", 10, 10, &n), "short");
	cr_expect_eq(n, 1);
	cr_expect_str_eq(wrap(&b, "", 10, 10, &n), "");
	cr_expect_eq(n, 1);
	/* exactly the width fits; the blanks at a break go */
	cr_expect_str_eq(wrap(&b, "abcde   fghij", 5, 5, &n), "abcde\nfghij");
	/* a word longer than the line is cut inside, on a character */
	cr_expect_str_eq(wrap(&b, "abcdefghijkl xy", 5, 5, &n), "abcde\nfghij\nkl xy");
	/* a narrower continuation (hanging indent) */
	cr_expect_str_eq(wrap(&b, "aa bb cc dd", 5, 2, &n), "aa bb\ncc\ndd");
	/* newlines in notes are line breaks; an empty line stays */
	cr_expect_str_eq(wrap(&b, "one\n\ntwo three", 20, 20, &n), "one\n\ntwo three");
	cr_expect_eq(n, 3);
	/* leading blanks of the first line are not a break */
	cr_expect_str_eq(wrap(&b, "  indented text", 10, 10, &n), "  indented\ntext");
	buf_release(&b);
}

Test(tui_rows, wrap_by_display_width_never_cutting_a_character)
{
	struct buf b = BUF_INIT;
	size_t n;
	/* six CJK characters of two columns each, an emoji, accented Latin */
	const char *cjk = "\xe3\x83\xad\xe3\x82\xb0\xe3\x82\xa4\xe3\x83\xb3"
	    "\xe3\x81\xa7\xe3\x81\x8d";

	/* 5 columns hold two wide characters, never two and a half */
	cr_expect_str_eq(wrap(&b, cjk, 5, 5, &n), "\xe3\x83\xad\xe3\x82\xb0\n"
	    "\xe3\x82\xa4\xe3\x83\xb3\n\xe3\x81\xa7\xe3\x81\x8d");
	cr_expect_eq(n, 3);
	expect_widths(buf_str(&b), 5, 5);
	cr_expect_str_eq(wrap(&b, "Zo\xc3\xab \xc3\x98rsted \xf0\x9f\x8e\x89 ok", 9, 9, &n),
	    "Zo\xc3\xab\n\xc3\x98rsted \xf0\x9f\x8e\x89\nok");
	/* one column is too narrow for a wide character: kept whole, alone */
	cr_expect_str_eq(wrap(&b, "\xe3\x83\xad\xe3\x82\xb0", 1, 1, &n),
	    "\xe3\x83\xad\n\xe3\x82\xb0");
	buf_release(&b);
}

Test(tui_rows, wrap_a_long_summary_keeps_every_word)
{
	struct buf b = BUF_INIT, words = BUF_INIT;
	size_t n;

	for (int i = 0; i < 120; i++)
		buf_addf(&words, "%sword%d", i ? " " : "", i);	/* about 1,000 characters */
	wrap(&b, buf_str(&words), 60, 50, &n);
	expect_widths(buf_str(&b), 60, 50);
	cr_expect_gt(n, 15);
	/* joined again with blanks it is the text itself: nothing lost or cut */
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\n')
			b.data[i] = ' ';
	cr_expect_str_eq(buf_str(&b), buf_str(&words));
	buf_release(&words);
	buf_release(&b);
}

Test(tui_rows, wrap_makes_customer_text_inert)
{
	struct buf b = BUF_INIT;
	size_t n;

	wrap(&b, "a\033]0;pwned\007 b\xc2\x9b\tc\r\nd", 80, 80, &n);
	cr_expect_str_eq(buf_str(&b), "a^[]0;pwned^G b<U+009B> c\nd");
	cr_expect_null(strchr(buf_str(&b), '\033'));
	buf_release(&b);
}

/* ---- progress and the month ------------------------------------------------------------ */

Test(tui_rows, progress_bar)
{
	struct buf b = BUF_INIT;

	rows_progress(0.5, 12, 0, &b);
	cr_expect_str_eq(buf_str(&b), "[#####-----]");
	buf_reset(&b);
	rows_progress(5.25, 6, 0, &b);		/* long past: full, not longer */
	cr_expect_str_eq(buf_str(&b), "[####]");
	buf_reset(&b);
	rows_progress(0, 5, 1, &b);
	cr_expect_str_eq(buf_str(&b), "[\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91]");
	cr_expect_eq(width_of(buf_str(&b)), 5);
	buf_release(&b);
}

static int64_t iso(const char *s)
{
	int64_t v;
	enum civil_instant_kind k;

	cr_assert_eq(civil_parse_instant(s, &v, &k), 0, "bad instant %s", s);
	return v;
}

Test(tui_rows, month_grid, .init = utf8_locale)
{
	struct tz *z;
	struct cal_rules *r = cal_rules_new();
	struct cal_spec spec;
	struct cal *c;
	struct rows_month m;
	struct diag d;
	int64_t dl[3];
	int32_t xmas = (int32_t)civil_days_from_ymd(2026, 12, 25);
	int32_t today = (int32_t)civil_days_from_ymd(2026, 12, 1);

	cr_assert_not_null(z = tz_load("Europe/Berlin", &d), "%s", d.msg);
	cal_rules_add_day(r, xmas, CAL_DAY_HOLIDAY, "1. Weihnachtstag", "DE.ics", 7);
	cal_rules_add_day(r, (int32_t)civil_days_from_ymd(2026, 12, 19), CAL_DAY_MAKEUP,
	    "Make-up Saturday", "DE.ics", 9);
	cal_rules_add_closure(r, iso("2026-12-24T12:00:00+01:00"),
	    iso("2026-12-25T00:00:00+01:00"), "Christmas Eve afternoon", "DE.ics", 11);
	memset(&spec, 0, sizeof spec);
	spec.tz = z;
	spec.weekdays = CAL_WEEKDAYS_MON_FRI;
	spec.rules = r;
	cr_assert_not_null(c = cal_new(&spec, &d), "%s", d.msg);
	dl[0] = iso("2026-12-02T10:00:00+01:00");
	dl[1] = iso("2026-12-02T18:00:00+01:00");
	dl[2] = iso("2026-12-05T00:00:00+01:00");	/* end of Friday the 4th */
	rows_month(c, r, 2026, 12, today, dl, 3, &m);
	/* December 2026 starts on a Tuesday: Monday 30 Nov leads the grid */
	cr_expect_eq(m.weeks, 5);
	cr_expect_eq(m.cells[0].mday, 30);
	cr_expect(!m.cells[0].in_month);
	cr_expect_eq(m.cells[1].mday, 1);
	cr_expect(m.cells[1].today);
	cr_expect_eq(m.cells[1 + 1].deadlines, 2);		/* Wed 2 Dec */
	cr_expect_eq(m.cells[1 + 3].deadlines, 1);		/* Fri 4 Dec */
	cr_expect_eq(m.cells[1 + 4].reason, CAL_WEEKEND);	/* Sat 5 Dec */
	cr_expect_eq(m.cells[1 + 18].reason, CAL_MAKEUP_DAY);	/* Sat 19 Dec */
	cr_expect_str_eq(m.cells[1 + 24].name, "1. Weihnachtstag");
	cr_expect_eq(m.cells[1 + 24].reason, CAL_HOLIDAY);
	cr_expect_eq(m.cells[1 + 23].closures, 1);		/* Thu 24 Dec */
	cr_expect_str_eq(m.cells[1 + 23].closure, "Christmas Eve afternoon");
	cr_expect_eq(m.cells[1 + 23].reason, CAL_WORKDAY);
	cr_expect_str_eq(rows_month_name(12), "December");
	cal_free(c);
	cal_rules_free(r);
	tz_free(z);
}
