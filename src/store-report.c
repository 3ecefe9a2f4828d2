/* store-report.c: the reads behind `slatrack report`; see store-report.h. */
#include "store-report.h"

#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "store-internal.h"

void store_report_filter_init(struct store_report_filter *f)
{
	memset(f, 0, sizeof *f);
	f->severity = -1;
	f->id_from = STORE_NONE;
	f->id_to = STORE_NONE;
}

/* Only what a report shows; customer and responded_by stay in the table.
 * Plain columns: an expression here (ifnull, coalesce) costs the virtual
 * machine more per row than the calls it would save. */
#define REPORT_COLUMNS \
	"SELECT t.id, t.key, t.partner_id, t.severity, t.summary, t.assignee," \
	" t.created_at, t.target_s, t.deadline_at, t.first_response_at, t.resolved_at," \
	" t.resolve_target_s, t.resolve_deadline_at, t.waiting_since, t.waiting_response," \
	" t.excused_at, t.excuse_reason, t.excuse_ref" \
	" FROM tickets t"

enum scan_kind { SCAN_DUE, SCAN_PERIOD_TABLE, SCAN_OVERDUE, SCAN_UNTIMED };

static const char SQL_MAX_ID[] = "SELECT coalesce(max(id), 0) FROM tickets";
static const char SQL_DUE_COUNT[] =
	"SELECT count(*) FROM (SELECT 1 FROM tickets INDEXED BY tickets_deadline"
	" WHERE deadline_at >= ?1 AND deadline_at < ?2 LIMIT ?3) AS due";
static const char SQL_DUE_COUNT_PG[] =
	"SELECT count(*) FROM (SELECT 1 FROM tickets"
	" WHERE deadline_at >= ?1 AND deadline_at < ?2 LIMIT ?3) AS due";

/* Whether [from_at, to_at) covers three quarters or more of the time
 * between the earliest deadline and the latest: two look-ups in the
 * index.  A year's report over a year of tickets then needs no count of
 * a quarter of them (a pass over a quarter of the index) to know that
 * the table serves it best.  A guess (the deadlines may crowd where the
 * period is not), but only the speed depends on it. */
static const char SQL_DEADLINE_SPAN[] =
	"SELECT (SELECT min(deadline_at) FROM tickets), (SELECT max(deadline_at) FROM tickets)";

static int covers_most_deadlines(struct store *s, int64_t from_at, int64_t to_at, int *most,
				 struct diag *d)
{
	struct db_stmt *st;
	int64_t lo = 0, hi = 0, a, b;
	int rc, known = 0;

	*most = 0;
	if ((st = store_cached(s, SQL_DEADLINE_SPAN, d)) == NULL)
		return -1;
	if ((rc = db_step(st)) == SQLITE_ROW && db_column_type(st, 0) != SQLITE_NULL) {
		lo = db_column_int64(st, 0);
		hi = db_column_int64(st, 1);
		known = 1;
	}
	db_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "cannot count the tickets");
	if (!known || hi < lo || hi == INT64_MAX || hi - lo > INT64_MAX / 4)
		return 0;
	a = from_at > lo ? from_at : lo;
	b = to_at < hi + 1 ? to_at : hi + 1;
	*most = b > a && (b - a) * 4 >= (hi + 1 - lo) * 3;
	return 0;
}

/* How many tickets there are (the largest id: a bound) and how many of
 * them fall due in the period, counting no further than a quarter of
 * them: enough to choose between an index and the table.  A period
 * over most of the deadlines' span counts as all of them. */
static int period_count(struct store *s, int64_t from_at, int64_t to_at, int64_t *total,
			int64_t *in, struct diag *d)
{
	struct db_stmt *st;
	int rc, most;

	*total = *in = 0;
	if ((st = store_cached(s, SQL_MAX_ID, d)) == NULL)
		return -1;
	if ((rc = db_step(st)) == SQLITE_ROW)
		*total = db_column_int64(st, 0);
	db_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "cannot count the tickets");
	if (*total >= 4096) {
		if (covers_most_deadlines(s, from_at, to_at, &most, d) < 0)
			return -1;
		if (most) {
			*in = *total;
			return 0;
		}
	}
	if ((st = store_cached(s, s->pg ? SQL_DUE_COUNT_PG : SQL_DUE_COUNT, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, from_at);
	db_bind_int64(st, 2, to_at);
	db_bind_int64(st, 3, *total / 4 + 1);
	if ((rc = db_step(st)) == SQLITE_ROW)
		*in = db_column_int64(st, 0);
	db_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "cannot count the tickets");
	return 0;
}

int store_report_plan(struct store *s, int64_t from_at, int64_t to_at,
		      struct store_report_plan *p, struct diag *d)
{
	int64_t total, in;

	if (period_count(s, from_at, to_at, &total, &in, d) < 0)
		return -1;
	p->from_at = from_at;
	p->to_at = to_at;
	p->due_bound = in > total / 4 ? total : in;
	/* the whole table in order beats an index lookup per ticket (about
	 * three times dearer per row) when more than a quarter of all
	 * tickets fall due in the period */
	p->table_scan = total >= 4096 && in > total / 4;
	return 0;
}

/* fn gets the timed tickets, untimed_fn (when not NULL) those without a
 * deadline. */
static int scan(struct store *s, enum scan_kind kind, const struct store_report_filter *f,
		int64_t from_at, int64_t to_at, store_report_fn *fn, store_report_fn *untimed_fn,
		void *arg, struct diag *d)
{
	struct buf sql = BUF_INIT;
	struct store_ticket plain;
	struct db_stmt *st = NULL;
	int rc, stop = 0, lite = s->pg == NULL;

	/* The index named decides the plan on SQLite: a filter column
	 * written as +col is never used as an index, so a partner with
	 * 100,000 tickets does not turn a one-day report into a scan of all
	 * of them.  PostgreSQL has neither hint and plans from statistics. */
	buf_adds(&sql, REPORT_COLUMNS);
	switch (kind) {
	case SCAN_DUE:
		buf_adds(&sql, lite ? " INDEXED BY tickets_deadline" : "");
		buf_adds(&sql, " WHERE t.deadline_at >= ?4 AND t.deadline_at < ?5");
		break;
	case SCAN_PERIOD_TABLE:
		/* due and untimed in one pass over the table */
		buf_adds(&sql, lite ? " NOT INDEXED" : "");
		buf_adds(&sql, " WHERE ((t.deadline_at >= ?4 AND t.deadline_at < ?5) OR"
		    " (t.deadline_at IS NULL AND t.created_at >= ?4 AND t.created_at < ?5))");
		break;
	case SCAN_OVERDUE:
		buf_adds(&sql, lite ? " INDEXED BY tickets_open" : "");
		buf_adds(&sql, " WHERE t.resolved_at IS NULL AND t.deadline_at < ?5"
		    " AND t.first_response_at IS NULL");
		break;
	case SCAN_UNTIMED:
		/* SQLite does not pick a partial index for a range by itself */
		buf_adds(&sql, lite ? " INDEXED BY tickets_untimed_created" : "");
		buf_adds(&sql, " WHERE t.deadline_at IS NULL"
		    " AND t.created_at >= ?4 AND t.created_at < ?5");
		break;
	}
	if (f->partner_id != 0)
		buf_adds(&sql, lite ? " AND +t.partner_id = ?1" : " AND t.partner_id = ?1");
	if (f->assignee != NULL)
		buf_adds(&sql, *f->assignee == '\0' ? " AND t.assignee IS NULL" :
		    " AND t.assignee = ?2");
	if (f->severity >= 0)
		buf_adds(&sql, " AND t.severity = ?3");
	if (f->id_from != STORE_NONE)
		buf_adds(&sql, " AND t.id >= ?6");
	if (f->id_to != STORE_NONE)
		buf_adds(&sql, " AND t.id < ?7");
	buf_adds(&sql, kind == SCAN_UNTIMED || kind == SCAN_PERIOD_TABLE ? " ORDER BY t.id" :
	    " ORDER BY t.deadline_at, t.id");
	if (buf_failed(&sql)) {
		buf_release(&sql);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	rc = store_prepare_scan(s, &st, buf_str(&sql), d);
	buf_release(&sql);
	if (rc < 0)
		return -1;
	if (f->partner_id != 0)
		db_bind_int64(st, 1, f->partner_id);
	if (f->assignee != NULL && *f->assignee != '\0')
		db_bind_text(st, 2, f->assignee, -1, SQLITE_STATIC);
	if (f->severity >= 0)
		db_bind_text(st, 3, store_severity_name(f->severity), -1, SQLITE_STATIC);
	if (kind != SCAN_OVERDUE)
		db_bind_int64(st, 4, from_at);
	db_bind_int64(st, 5, to_at);
	if (f->id_from != STORE_NONE)
		db_bind_int64(st, 6, f->id_from);
	if (f->id_to != STORE_NONE)
		db_bind_int64(st, 7, f->id_to);
	store_ticket_init(&plain);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		struct store_ticket t = plain;

		t.id = db_column_int64(st, 0);
		t.key = (char *)db_column_text(st, 1);
		t.partner_id = db_column_int64(st, 2);
		t.severity = store_severity_from_text(db_column_text(st, 3));
		t.summary = (char *)db_column_text(st, 4);
		t.assignee = (char *)db_column_text(st, 5);
		t.created_at = db_column_int64(st, 6);
		t.target_s = store_column_instant(st, 7);
		t.deadline_at = store_column_instant(st, 8);
		t.first_response_at = store_column_instant(st, 9);
		t.resolved_at = store_column_instant(st, 10);
		/* the columns of a resolution target, a wait and an excuse are
		 * read only for the few tickets that have one */
		t.resolve_target_s = store_column_instant(st, 11);
		if (t.resolve_target_s != STORE_NONE)
			t.resolve_deadline_at = store_column_instant(st, 12);
		t.waiting_since = store_column_instant(st, 13);
		if (t.waiting_since != STORE_NONE)
			t.waiting_response = db_column_int(st, 14) != 0;
		t.excused_at = store_column_instant(st, 15);
		if (t.excused_at != STORE_NONE) {
			t.excuse_reason = (char *)db_column_text(st, 16);
			t.excuse_ref = (char *)db_column_text(st, 17);
		}
		stop = untimed_fn != NULL && t.deadline_at == STORE_NONE ? untimed_fn(&t, arg) :
		    fn(&t, arg);
		if (stop != 0)
			break;
	}
	if (stop == 0 && rc != SQLITE_DONE)
		stop = store_fail(s, d, "cannot read the tickets of the report");
	db_finalize(st);
	return stop;
}

int store_report_period(struct store *s, const struct store_report_plan *p,
			const struct store_report_filter *f, store_report_fn *due_fn,
			store_report_fn *untimed_fn, void *arg, struct diag *d)
{
	int rc;

	if (p->table_scan)
		return scan(s, SCAN_PERIOD_TABLE, f, p->from_at, p->to_at, due_fn, untimed_fn,
		    arg, d);
	rc = scan(s, SCAN_DUE, f, p->from_at, p->to_at, due_fn, NULL, arg, d);
	return rc != 0 ? rc : scan(s, SCAN_UNTIMED, f, p->from_at, p->to_at, untimed_fn, NULL,
	    arg, d);
}

int store_report_overdue(struct store *s, const struct store_report_filter *f,
			 int64_t now_at, store_report_fn *fn, void *arg, struct diag *d)
{
	return scan(s, SCAN_OVERDUE, f, 0, now_at, fn, NULL, arg, d);
}

int store_report_begin(struct store *s, struct diag *d)
{
	if (s->in_tx)
		return diag_set(d, DIAG_STORE, "a report cannot run inside a transaction");
	return store_exec(s, "BEGIN", d);
}

void store_report_end(struct store *s)
{
	struct diag ignore;

	diag_clear(&ignore);
	(void)store_exec(s, "ROLLBACK", &ignore);
}
