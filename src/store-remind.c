/* store-remind.c: reminder bookkeeping; see store-remind.h. */
#include "store-remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "civil.h"
#include "store-internal.h"

static const char *const state_names[] = {
	"pending", "claimed", "sent", "failed", "skipped"
};

const char *store_remind_state_name(int state)
{
	return state >= 0 && state < 5 ? state_names[state] : "?";
}

const char *store_remind_followup_name(int threshold)
{
	if (threshold == STORE_REMIND_RESPONDED)
		return "responded";
	if (threshold == STORE_REMIND_RESOLVED)
		return "resolved";
	return NULL;
}

int store_remind_is_resolve(int threshold)
{
	return threshold > STORE_REMIND_RESOLVE &&
	    threshold <= STORE_REMIND_RESOLVE + STORE_REMIND_BREACH;
}

void store_remind_label(int threshold, char *out, size_t size)
{
	const char *clock = store_remind_is_resolve(threshold) ? "resolution " : "";
	int pct = store_remind_is_resolve(threshold) ? threshold - STORE_REMIND_RESOLVE :
	    threshold;

	if (store_remind_followup_name(threshold) != NULL)
		snprintf(out, size, "%s", store_remind_followup_name(threshold));
	else if (pct == STORE_REMIND_BREACH)
		snprintf(out, size, "%s%s", clock, *clock ? "breach" : "breach notice");
	else
		snprintf(out, size, "%s%d%%%s", clock, pct, *clock ? "" : " reminder");
}

static int state_parse(const char *s)
{
	for (int i = 0; s != NULL && i < 5; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

void store_reminder_release(struct store_reminder *r)
{
	free(r->channel);
	free(r->message_id);
	free(r->last_error);
	free(r->claimed_by);
	memset(r, 0, sizeof *r);
}

void store_reminder_list_free(struct store_reminder *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		store_reminder_release(&v[i]);
	free(v);
}

#define ROW_COLUMNS \
	"SELECT ticket_id, threshold, channel, state, message_id, attempts, claimed_at," \
	" next_attempt_at, sent_at, last_error, claimed_by FROM reminders"

static int row_read(struct db_stmt *st, struct store_reminder *r)
{
	memset(r, 0, sizeof *r);
	r->ticket_id = db_column_int64(st, 0);
	r->threshold = db_column_int(st, 1);
	r->channel = store_column_dup(st, 2);
	r->state = state_parse((const char *)db_column_text(st, 3));
	r->message_id = store_column_dup(st, 4);
	r->attempts = db_column_int(st, 5);
	r->claimed_at = store_column_instant(st, 6);
	r->next_attempt_at = store_column_instant(st, 7);
	r->sent_at = store_column_instant(st, 8);
	r->last_error = store_column_dup(st, 9);
	r->claimed_by = store_column_dup(st, 10);
	if (r->channel == NULL || (db_column_type(st, 4) != SQLITE_NULL &&
	    r->message_id == NULL) || (db_column_type(st, 9) != SQLITE_NULL &&
	    r->last_error == NULL) || (db_column_type(st, 10) != SQLITE_NULL &&
	    r->claimed_by == NULL)) {
		store_reminder_release(r);
		return -1;
	}
	return 0;
}

/* Runs a prepared row query (bound by the caller) into a list. */
static int rows_collect(struct store *s, struct db_stmt *st, struct store_reminder **v,
			size_t *n, const char *what, struct diag *d)
{
	struct store_reminder *out = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct store_reminder *q = realloc(out, ncap * sizeof *q);

			if (q == NULL)
				goto nomem;
			out = q;
			cap = ncap;
		}
		if (row_read(st, &out[cnt]) < 0)
			goto nomem;
		cnt++;
	}
	db_reset(st);
	if (rc != SQLITE_DONE) {
		store_reminder_list_free(out, cnt);
		return store_fail(s, d, "cannot read %s", what);
	}
	*v = out;
	*n = cnt;
	return 0;
nomem:
	db_reset(st);
	store_reminder_list_free(out, cnt);
	return diag_set(d, DIAG_NOMEM, "out of memory");
}

static const char SQL_LIST[] = ROW_COLUMNS
	" WHERE ticket_id = ?1 ORDER BY threshold, channel";

int store_reminder_list(struct store *s, int64_t ticket_id, struct store_reminder **v,
			size_t *n, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_LIST, d);

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, ticket_id);
	return rows_collect(s, st, v, n, "the reminders of a ticket", d);
}

static const char SQL_COUNTS[] = "SELECT state, count(*) FROM reminders GROUP BY state";

int store_reminder_counts(struct store *s, int64_t counts[5], struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_COUNTS, d);
	int rc;

	memset(counts, 0, 5 * sizeof counts[0]);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int k = state_parse((const char *)db_column_text(st, 0));

		if (k >= 0)
			counts[k] = db_column_int64(st, 1);
	}
	db_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot count reminders");
	return 0;
}

static const char SQL_INSTALL_ID[] = "SELECT value FROM meta WHERE key = 'install_id'";

int store_install_id(struct store *s, char out[65], struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_INSTALL_ID, d);
	int rc;

	if (st == NULL)
		return -1;
	out[0] = '\0';
	if ((rc = db_step(st)) == SQLITE_ROW && db_column_text(st, 0) != NULL)
		snprintf(out, 65, "%s", (const char *)db_column_text(st, 0));
	db_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the installation id");
	if (out[0] == '\0')
		return diag_set(d, DIAG_STORE, "the database has no installation id (%s)",
		    store_path(s));
	return 0;
}

/* ---- first run ---------------------------------------------------------------- */

static int step_done(struct store *s, struct db_stmt *st, const char *what, struct diag *d);

/* remind has run here when it left any trace: the marker, a reminder row
 * or a watch row (databases of versions without the marker). */
static const char SQL_REMIND_RAN[] =
	"SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'remind_started_at')"
	" OR EXISTS (SELECT 1 FROM reminders) OR EXISTS (SELECT 1 FROM remind_watch)";
static const char SQL_REMIND_MARK[] =
	"INSERT INTO meta (key, value) VALUES ('remind_started_at', ?1) ON CONFLICT DO NOTHING";

int store_remind_ran(struct store *s, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_REMIND_RAN, d);
	int rc, ran = 0;

	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == SQLITE_ROW)
		ran = db_column_int(st, 0) != 0;
	db_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, d, "cannot tell whether remind ran before");
	return ran;
}

int store_remind_mark_ran(struct store *s, int64_t now_at, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_REMIND_MARK, d);
	char iso[CIVIL_ISO_LEN];

	if (st == NULL)
		return -1;
	civil_format_utc(now_at, iso);
	store_bind_text(st, 1, iso);
	return step_done(s, st, "record the first remind run", d);
}

/* ---- candidates ------------------------------------------------------------ */

/* Open tickets with a clock whose watch is missing (and the clock is far
 * enough along in wall-clock time), stale, or due.  One pass over the
 * open tickets, one primary-key probe into remind_watch each: with
 * nothing due this is the whole cost of a run.
 *
 * A clock a wait has frozen (sla_compute's SLA_WAITING: waiting since at
 * or before now, a wait that stops that clock, the deadline not passed
 * when it began) needs no look whatever its watch says: nothing is due
 * while the ticket waits, and the watch stays as it was, so a due next_at
 * is neither fired nor lost.  `ticket resume` moves the deadline, so the
 * watch no longer matches and the clock is looked at again against the
 * moved deadline.  The response clock stops only for a wait with
 * waiting_response; the resolution clock for every wait. */
#define RESPONSE_DUE \
	"(t.first_response_at IS NULL AND t.deadline_at IS NOT NULL" \
	" AND t.target_s IS NOT NULL" \
	" AND NOT (t.waiting_since IS NOT NULL AND t.waiting_response = 1" \
	"  AND t.waiting_since <= ?1 AND t.waiting_since <= t.deadline_at)" \
	" AND CASE WHEN w.ticket_id IS NULL OR w.level < 0" \
	"  THEN t.created_at + (t.target_s * ?2) / 100 <= ?1" \
	"  ELSE (w.next_at IS NOT NULL AND w.next_at <= ?1) OR w.plan IS DISTINCT FROM ?3" \
	"   OR w.deadline_at IS DISTINCT FROM t.deadline_at OR w.assignee IS DISTINCT FROM t.assignee END)"
#define RESOLVE_DUE \
	"(t.resolve_deadline_at IS NOT NULL AND t.resolve_target_s IS NOT NULL" \
	" AND NOT (t.waiting_since IS NOT NULL AND t.waiting_since <= ?1" \
	"  AND t.waiting_since <= t.resolve_deadline_at)" \
	" AND CASE WHEN w.resolve_level IS NULL" \
	"  THEN t.created_at + (t.resolve_target_s * ?2) / 100 <= ?1" \
	"  ELSE (w.resolve_next_at IS NOT NULL AND w.resolve_next_at <= ?1)" \
	"   OR w.resolve_plan IS DISTINCT FROM ?3 OR w.resolve_deadline_at IS DISTINCT FROM t.resolve_deadline_at" \
	"   OR w.resolve_assignee IS DISTINCT FROM t.assignee END)"
/* the test on t alone first: tickets with no clock left to watch cost no
 * probe; the select list is computed for the few rows that pass */
static const char SQL_CANDIDATES[] =
	"SELECT t.id, t.key, t.partner_id, t.severity, t.summary, t.assignee,"
	" t.created_at, t.target_s, t.deadline_at, w.level, t.waiting_since,"
	" t.waiting_response, t.first_response_at, t.resolve_target_s, t.resolve_deadline_at,"
	" w.resolve_level, " RESPONSE_DUE ", " RESOLVE_DUE
	" FROM tickets t LEFT JOIN remind_watch w ON w.ticket_id = t.id"
	" WHERE t.resolved_at IS NULL AND t.id > ?4"
	" AND (t.first_response_at IS NULL OR t.resolve_deadline_at IS NOT NULL)"
	" AND (" RESPONSE_DUE " OR " RESOLVE_DUE ") ORDER BY t.id";

int store_remind_candidates(struct store *s, int64_t now_at, int min_pct, const char *plan,
			    int64_t after_id,
			    int (*fn)(const struct store_remind_candidate *c, void *arg),
			    void *arg, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_CANDIDATES, d);
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, now_at);
	db_bind_int(st, 2, min_pct);
	store_bind_text(st, 3, plan);
	db_bind_int64(st, 4, after_id);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		struct store_remind_candidate c;

		c.id = db_column_int64(st, 0);
		c.key = (const char *)db_column_text(st, 1);
		c.partner_id = db_column_int64(st, 2);
		if (store_severity_parse((const char *)db_column_text(st, 3),
		    &c.severity) < 0)
			c.severity = STORE_SEV_LOW;
		c.summary = (const char *)db_column_text(st, 4);
		c.assignee = (const char *)db_column_text(st, 5);
		c.created_at = db_column_int64(st, 6);
		c.target_s = db_column_int64(st, 7);
		c.deadline_at = db_column_int64(st, 8);
		c.watch_level = db_column_type(st, 9) == SQLITE_NULL ? -1 :
		    db_column_int(st, 9);
		c.waiting_since = store_column_instant(st, 10);
		c.waiting_response = db_column_int(st, 11);
		c.first_response_at = store_column_instant(st, 12);
		c.resolve_target_s = store_column_instant(st, 13);
		c.resolve_deadline_at = store_column_instant(st, 14);
		c.resolve_watch_level = db_column_type(st, 15) == SQLITE_NULL ? -1 :
		    db_column_int(st, 15);
		c.response_due = db_column_int(st, 16) != 0;
		c.resolve_due = db_column_int(st, 17) != 0;
		if (c.summary == NULL)
			c.summary = "";
		if ((stop = fn(&c, arg)) != 0)
			break;
	}
	db_reset(st);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot list the tickets to remind about");
	return 0;
}

/* Pending rows are few: the partial index reminders_open finds them (its
 * own condition is spelled out, or SQLite would not see that it applies)
 * and each costs one primary-key probe into tickets, never a pass over
 * all tickets or all reminders. */
static const char SQL_STALE[] = ROW_COLUMNS
	" WHERE state IN ('pending', 'claimed') AND state = 'pending' AND EXISTS (SELECT 1 FROM tickets t"
	" WHERE t.id = reminders.ticket_id AND CASE"
	"  WHEN reminders.threshold <= 100 THEN t.resolved_at IS NOT NULL"
	"   OR t.first_response_at IS NOT NULL OR t.deadline_at IS NULL"
	"  WHEN reminders.threshold > 1000 AND reminders.threshold <= 1100"
	"   THEN t.resolved_at IS NOT NULL OR t.resolve_deadline_at IS NULL"
	"  ELSE FALSE END) ORDER BY ticket_id, threshold, channel";

int store_remind_stale(struct store *s,
		       int (*fn)(const struct store_reminder *r, void *arg), void *arg,
		       struct diag *d)
{
	struct store_reminder *v;
	size_t n;
	struct db_stmt *st = store_cached(s, SQL_STALE, d);
	int stop = 0;

	if (st == NULL || rows_collect(s, st, &v, &n, "pending reminders", d) < 0)
		return -1;
	for (size_t i = 0; i < n && stop == 0; i++)
		stop = fn(&v[i], arg);
	store_reminder_list_free(v, n);
	return stop;
}

static const char SQL_CLAIMERS[] =
	"SELECT DISTINCT claimed_by FROM reminders WHERE state = 'claimed'";

int store_remind_claimers(struct store *s, char ***ids, size_t *n, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_CLAIMERS, d);
	char **out = NULL;
	size_t cnt = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		char **q = realloc(out, (cnt + 1) * sizeof *q);
		const char *v = (const char *)db_column_text(st, 0);

		if (q == NULL || (q[cnt] = strdup(v ? v : "")) == NULL) {
			if (q != NULL)
				out = q;
			for (size_t i = 0; i < cnt; i++)
				free(out[i]);
			free(out);
			db_reset(st);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
		out = q;
		cnt++;
	}
	db_reset(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < cnt; i++)
			free(out[i]);
		free(out);
		return store_fail(s, d, "cannot read reminder claims");
	}
	*ids = out;
	*n = cnt;
	return 0;
}

static const char SQL_CLAIMED_BY[] = ROW_COLUMNS
	" WHERE state = 'claimed' AND claimed_by = ?1"
	" ORDER BY message_id, ticket_id, threshold, channel";

int store_remind_claimed_by(struct store *s, const char *run_id, struct store_reminder **v,
			    size_t *n, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_CLAIMED_BY, d);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, run_id);
	return rows_collect(s, st, v, n, "claimed reminders", d);
}

/* ---- changes --------------------------------------------------------------- */

static void field_name(char *out, size_t size, int threshold, const char *channel)
{
	if (store_remind_followup_name(threshold) != NULL)
		snprintf(out, size, "%s %s", store_remind_followup_name(threshold), channel);
	else if (threshold == STORE_REMIND_RESOLVE + STORE_REMIND_BREACH)
		snprintf(out, size, "resolution breach %s", channel);
	else if (store_remind_is_resolve(threshold))
		snprintf(out, size, "resolution %d%% %s", threshold - STORE_REMIND_RESOLVE,
		    channel);
	else if (threshold >= STORE_REMIND_BREACH)
		snprintf(out, size, "breach %s", channel);
	else
		snprintf(out, size, "%d%% %s", threshold, channel);
}

static int event(struct store *s, int64_t ticket_id, int threshold, const char *channel,
		 const char *kind, const char *old_state, const char *new_state,
		 int64_t at, const char *actor, struct diag *d)
{
	char field[400];

	field_name(field, sizeof field, threshold, channel);
	return store_event_add(s, at, actor, kind, ticket_id, 0, field, old_state,
	    new_state, d);
}

static const char SQL_ROW[] = ROW_COLUMNS
	" WHERE ticket_id = ?1 AND threshold = ?2 AND channel = ?3";
/* the two clocks (below 1000, from 1000) never supersede each other */
static const char SQL_HIGHER[] =
	"SELECT 1 FROM reminders WHERE ticket_id = ?1 AND channel = ?2 AND threshold > ?3"
	" AND threshold / 1000 = ?3 / 1000 LIMIT 1";

/* The row (ticket, threshold, channel): 1 found (r filled), 0 none, -1. */
/* Parameters 1-3 name a reminder row (ticket, threshold, channel); 4 is
 * the run that claims it, when the statement has one. */
static void bind_reminder(struct db_stmt *st, int64_t ticket_id, int threshold,
			  const char *channel, const char *run_id)
{
	db_bind_int64(st, 1, ticket_id);
	db_bind_int(st, 2, threshold);
	store_bind_text(st, 3, channel);
	if (run_id != NULL)
		store_bind_text(st, 4, run_id);
}

static int row_get(struct store *s, int64_t ticket_id, int threshold, const char *channel,
		   struct store_reminder *r, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_ROW, d);
	int rc;

	if (st == NULL)
		return -1;
	bind_reminder(st, ticket_id, threshold, channel, NULL);
	if ((rc = db_step(st)) == SQLITE_ROW) {
		if (row_read(st, r) < 0) {
			db_reset(st);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
		db_reset(st);
		return 1;
	}
	db_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read a reminder");
	return 0;
}

static int step_done(struct store *s, struct db_stmt *st, const char *what, struct diag *d)
{
	int rc = db_step(st);

	db_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot %s", what);
	return 0;
}

static const char SQL_CLAIM_INSERT[] =
	"INSERT INTO reminders (ticket_id, threshold, channel, state, message_id, attempts,"
	" claimed_at, claimed_by) VALUES (?1, ?2, ?3, 'claimed', ?4, 1, ?5, ?6)";
static const char SQL_CLAIM_UPDATE[] =
	"UPDATE reminders SET state = 'claimed', attempts = attempts + 1, claimed_at = ?4,"
	" claimed_by = ?5, message_id = coalesce(message_id, ?6)"
	" WHERE ticket_id = ?1 AND threshold = ?2 AND channel = ?3 AND state = 'pending'";

int store_remind_claim(struct store *s, int64_t ticket_id, int threshold,
		       const char *channel, const char *message_id, const char *run_id,
		       int64_t now_at, const char *actor, char *message_id_out,
		       size_t out_size, int *attempts, struct diag *d)
{
	struct store_reminder r;
	struct db_stmt *st;
	int found, rc;

	if ((st = store_cached(s, SQL_HIGHER, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, ticket_id);
	store_bind_text(st, 2, channel);
	db_bind_int(st, 3, threshold);
	rc = db_step(st);
	db_reset(st);
	if (rc == SQLITE_ROW)
		return 0;		/* a higher threshold already went out */
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read reminders");
	if ((found = row_get(s, ticket_id, threshold, channel, &r, d)) < 0)
		return -1;
	if (found) {
		int ok = r.state == STORE_REMIND_PENDING &&
		    (r.next_attempt_at == STORE_NONE || r.next_attempt_at <= now_at);

		snprintf(message_id_out, out_size, "%s", r.message_id != NULL ? r.message_id :
		    message_id != NULL ? message_id : "");
		*attempts = r.attempts + 1;
		store_reminder_release(&r);
		if (!ok)
			return 0;
		if ((st = store_cached(s, SQL_CLAIM_UPDATE, d)) == NULL)
			return -1;
		db_bind_int64(st, 1, ticket_id);
		db_bind_int(st, 2, threshold);
		store_bind_text(st, 3, channel);
		db_bind_int64(st, 4, now_at);
		store_bind_text(st, 5, run_id);
		store_bind_text(st, 6, message_id);
		if (step_done(s, st, "claim a reminder", d) < 0)
			return -1;
		if (event(s, ticket_id, threshold, channel, "remind.claim", "pending",
		    "claimed", now_at, actor, d) < 0)
			return -1;
		return 1;
	}
	snprintf(message_id_out, out_size, "%s", message_id != NULL ? message_id : "");
	*attempts = 1;
	if ((st = store_cached(s, SQL_CLAIM_INSERT, d)) == NULL)
		return -1;
	bind_reminder(st, ticket_id, threshold, channel, NULL);
	store_bind_text(st, 4, message_id);
	db_bind_int64(st, 5, now_at);
	store_bind_text(st, 6, run_id);
	if (step_done(s, st, "claim a reminder", d) < 0)
		return -1;
	if (event(s, ticket_id, threshold, channel, "remind.claim", NULL, "claimed", now_at,
	    actor, d) < 0)
		return -1;
	return 1;
}

static const char SQL_SET_ID[] =
	"UPDATE reminders SET message_id = ?5 WHERE ticket_id = ?1 AND threshold = ?2"
	" AND channel = ?3 AND state = 'claimed' AND claimed_by = ?4 AND message_id IS NULL";

int store_remind_set_message_id(struct store *s, int64_t ticket_id, int threshold,
				const char *channel, const char *run_id,
				const char *message_id, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_SET_ID, d);

	if (st == NULL)
		return -1;
	bind_reminder(st, ticket_id, threshold, channel, run_id);
	store_bind_text(st, 5, message_id);
	return step_done(s, st, "record a message id", d);
}

static const char SQL_DROP[] =
	"UPDATE reminders SET state = 'skipped', last_error = ?5, next_attempt_at = NULL"
	" WHERE ticket_id = ?1 AND threshold = ?2 AND channel = ?3"
	" AND state = 'claimed' AND claimed_by = ?4";

int store_remind_drop(struct store *s, int64_t ticket_id, int threshold,
		      const char *channel, const char *run_id, const char *why,
		      int64_t now_at, const char *actor, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_DROP, d);
	char text[600];

	if (st == NULL)
		return -1;
	bind_reminder(st, ticket_id, threshold, channel, run_id);
	store_bind_text(st, 5, why);
	if (step_done(s, st, "skip a reminder", d) < 0)
		return -1;
	if (store_changes(s) == 0)
		return 0;
	snprintf(text, sizeof text, "skipped: %s", why);
	return event(s, ticket_id, threshold, channel, "remind.skip", "claimed", text,
	    now_at, actor, d) < 0 ? -1 : 1;
}

static const char SQL_SKIP_INSERT[] =
	"INSERT INTO reminders (ticket_id, threshold, channel, state, last_error)"
	" VALUES (?1, ?2, ?3, 'skipped', ?4)";
static const char SQL_SKIP_UPDATE[] =
	"UPDATE reminders SET state = 'skipped', last_error = ?4, next_attempt_at = NULL"
	" WHERE ticket_id = ?1 AND threshold = ?2 AND channel = ?3 AND state = 'pending'";

int store_remind_skip(struct store *s, int64_t ticket_id, int threshold,
		      const char *channel, const char *why, int64_t now_at,
		      const char *actor, struct diag *d)
{
	struct store_reminder r;
	struct db_stmt *st;
	int found, was_pending;
	char text[600];

	if ((found = row_get(s, ticket_id, threshold, channel, &r, d)) < 0)
		return -1;
	was_pending = found && r.state == STORE_REMIND_PENDING;
	if (found)
		store_reminder_release(&r);
	if (found && !was_pending)
		return 0;
	if ((st = store_cached(s, found ? SQL_SKIP_UPDATE : SQL_SKIP_INSERT, d)) == NULL)
		return -1;
	bind_reminder(st, ticket_id, threshold, channel, NULL);
	store_bind_text(st, 4, why);
	if (step_done(s, st, "skip a reminder", d) < 0)
		return -1;
	snprintf(text, sizeof text, "skipped: %s", why);
	if (event(s, ticket_id, threshold, channel, "remind.skip", found ? "pending" : NULL,
	    text, now_at, actor, d) < 0)
		return -1;
	return 1;
}

static const char SQL_SENT[] =
	"UPDATE reminders SET state = 'sent', sent_at = ?5, last_error = NULL,"
	" next_attempt_at = NULL WHERE ticket_id = ?1 AND threshold = ?2 AND channel = ?3"
	" AND state = 'claimed' AND claimed_by = ?4";

int store_remind_sent(struct store *s, int64_t ticket_id, int threshold,
		      const char *channel, const char *run_id, int64_t now_at,
		      const char *actor, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_SENT, d);

	if (st == NULL)
		return -1;
	bind_reminder(st, ticket_id, threshold, channel, run_id);
	db_bind_int64(st, 5, now_at);
	if (step_done(s, st, "mark a reminder sent", d) < 0)
		return -1;
	if (store_changes(s) == 0)
		return 0;
	if (event(s, ticket_id, threshold, channel, "remind.sent", "claimed", "sent", now_at,
	    actor, d) < 0)
		return -1;
	return 1;
}

static const char SQL_ATTEMPT_FAILED[] =
	"UPDATE reminders SET state = ?5, last_error = ?6, next_attempt_at = ?7"
	" WHERE ticket_id = ?1 AND threshold = ?2 AND channel = ?3"
	" AND state = 'claimed' AND claimed_by = ?4";

int store_remind_attempt_failed(struct store *s, int64_t ticket_id, int threshold,
				const char *channel, const char *run_id, const char *error,
				int64_t next_attempt_at, int64_t now_at, const char *actor,
				struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_ATTEMPT_FAILED, d);
	int final = next_attempt_at == STORE_NONE;
	char text[700];

	if (st == NULL)
		return -1;
	bind_reminder(st, ticket_id, threshold, channel, run_id);
	db_bind_text(st, 5, final ? "failed" : "pending", -1, SQLITE_STATIC);
	store_bind_text(st, 6, error);
	store_bind_instant(st, 7, next_attempt_at);
	if (step_done(s, st, "record a failed reminder", d) < 0)
		return -1;
	if (store_changes(s) == 0)
		return 0;
	snprintf(text, sizeof text, "%s: %s", final ? "failed" : "pending", error);
	if (event(s, ticket_id, threshold, channel, final ? "remind.failed" : "remind.retry",
	    "claimed", text, now_at, actor, d) < 0)
		return -1;
	return 1;
}

static const char SQL_ADOPT_ROWS[] = ROW_COLUMNS
	" WHERE state = 'claimed' AND claimed_by = ?1 ORDER BY ticket_id, threshold, channel";
static const char SQL_ADOPT[] =
	"UPDATE reminders SET claimed_by = ?2, claimed_at = ?3"
	" WHERE state = 'claimed' AND claimed_by = ?1";

int store_remind_adopt(struct store *s, const char *from, const char *to, int64_t now_at,
		       const char *actor, struct diag *d)
{
	struct store_reminder *v;
	size_t n;
	struct db_stmt *st = store_cached(s, SQL_ADOPT_ROWS, d);
	char text[200];

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, from);
	if (rows_collect(s, st, &v, &n, "claimed reminders", d) < 0)
		return -1;
	if (n == 0)
		return 0;
	snprintf(text, sizeof text, "claimed (run %s died: resend)", from);
	for (size_t i = 0; i < n; i++)
		if (event(s, v[i].ticket_id, v[i].threshold, v[i].channel, "remind.recover",
		    "claimed", text, now_at, actor, d) < 0) {
			store_reminder_list_free(v, n);
			return -1;
		}
	store_reminder_list_free(v, n);
	if ((st = store_cached(s, SQL_ADOPT, d)) == NULL)
		return -1;
	store_bind_text(st, 1, from);
	store_bind_text(st, 2, to);
	db_bind_int64(st, 3, now_at);
	if (step_done(s, st, "take over reminder claims", d) < 0)
		return -1;
	return (int)n;
}

static const char SQL_WATCH[] =
	"INSERT INTO remind_watch (ticket_id, level, plan, deadline_at, assignee, next_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (ticket_id) DO UPDATE SET"
	" level = excluded.level, plan = excluded.plan, deadline_at = excluded.deadline_at,"
	" assignee = excluded.assignee, next_at = excluded.next_at";

/* One clock's watch (sql: SQL_WATCH or SQL_WATCH_RESOLVE, which take the
 * same six parameters). */
static int watch_write(struct store *s, const char *sql, int64_t ticket_id, int level,
		       const char *plan, int64_t deadline_at, const char *assignee,
		       int64_t next_at, struct diag *d)
{
	struct db_stmt *st = store_cached(s, sql, d);

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, ticket_id);
	db_bind_int(st, 2, level);
	store_bind_text(st, 3, plan);
	store_bind_instant(st, 4, deadline_at);
	store_bind_text(st, 5, assignee);
	store_bind_instant(st, 6, next_at);
	return step_done(s, st, "record what remind handled", d);
}

int store_remind_watch(struct store *s, int64_t ticket_id, int level, const char *plan,
		       int64_t deadline_at, const char *assignee, int64_t next_at,
		       struct diag *d)
{
	return watch_write(s, SQL_WATCH, ticket_id, level, plan, deadline_at, assignee,
	    next_at, d);
}

static const char SQL_WATCH_RESOLVE[] =
	"INSERT INTO remind_watch (ticket_id, level, plan, resolve_level, resolve_plan,"
	" resolve_deadline_at, resolve_assignee, resolve_next_at)"
	" VALUES (?1, -1, '', ?2, ?3, ?4, ?5, ?6) ON CONFLICT (ticket_id) DO UPDATE SET"
	" resolve_level = excluded.resolve_level, resolve_plan = excluded.resolve_plan,"
	" resolve_deadline_at = excluded.resolve_deadline_at,"
	" resolve_assignee = excluded.resolve_assignee,"
	" resolve_next_at = excluded.resolve_next_at";

int store_remind_watch_resolve(struct store *s, int64_t ticket_id, int level,
			       const char *plan, int64_t deadline_at, const char *assignee,
			       int64_t next_at, struct diag *d)
{
	return watch_write(s, SQL_WATCH_RESOLVE, ticket_id, level, plan, deadline_at,
	    assignee, next_at, d);
}

/* ---- alerts ------------------------------------------------------------------ */

static const char SQL_ALERT_ONE[] =
	"SELECT a.ticket_id, a.channel, a.level, a.priority, a.followed,"
	" t.first_response_at, t.resolved_at"
	" FROM remind_alerts a JOIN tickets t ON t.id = a.ticket_id"
	" WHERE a.ticket_id = ?1 AND a.channel = ?2";
/* one pass over the alerts still open: few rows, each a primary-key probe
 * into tickets */
static const char SQL_ALERTS_DUE[] =
	"SELECT a.ticket_id, a.channel, a.level, a.priority, a.followed,"
	" t.first_response_at, t.resolved_at"
	" FROM remind_alerts a JOIN tickets t ON t.id = a.ticket_id"
	" WHERE (t.first_response_at IS NOT NULL AND a.followed < 101)"
	" OR (t.resolved_at IS NOT NULL AND a.followed < 102)"
	" ORDER BY a.ticket_id, a.channel";

static void alert_read(struct db_stmt *st, struct store_remind_alert *a)
{
	const unsigned char *p = db_column_text(st, 3);

	memset(a, 0, sizeof *a);
	a->ticket_id = db_column_int64(st, 0);
	a->channel = (char *)db_column_text(st, 1);
	a->level = db_column_int(st, 2);
	snprintf(a->priority, sizeof a->priority, "%s", p != NULL ? (const char *)p : "");
	a->followed = db_column_int(st, 4);
	a->first_response_at = store_column_instant(st, 5);
	a->resolved_at = store_column_instant(st, 6);
}

int store_remind_alert_get(struct store *s, int64_t ticket_id, const char *channel,
			   struct store_remind_alert *a, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_ALERT_ONE, d);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, ticket_id);
	store_bind_text(st, 2, channel);
	if ((rc = db_step(st)) == SQLITE_ROW) {
		alert_read(st, a);
		a->channel = NULL;
		db_reset(st);
		return 1;
	}
	db_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read an alert");
	return 0;
}

int store_remind_alerts_due(struct store *s,
			    int (*fn)(const struct store_remind_alert *a, void *arg),
			    void *arg, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_ALERTS_DUE, d);
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		struct store_remind_alert a;

		alert_read(st, &a);
		if (a.channel == NULL)
			continue;
		if ((stop = fn(&a, arg)) != 0)
			break;
	}
	db_reset(st);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot list the alerts to follow up");
	return 0;
}

static const char SQL_ALERT_OPENED[] =
	"INSERT INTO remind_alerts (ticket_id, channel, level, priority) VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (ticket_id, channel) DO UPDATE SET"
	" level = CASE WHEN excluded.level > remind_alerts.level THEN excluded.level"
	"  ELSE remind_alerts.level END,"
	" priority = coalesce(excluded.priority, remind_alerts.priority)";

int store_remind_alert_opened(struct store *s, int64_t ticket_id, const char *channel,
			      int level, const char *priority, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_ALERT_OPENED, d);

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, ticket_id);
	store_bind_text(st, 2, channel);
	db_bind_int(st, 3, level);
	store_bind_text(st, 4, priority);
	return step_done(s, st, "record an open alert", d);
}

static const char SQL_ALERT_FOLLOWED[] =
	"UPDATE remind_alerts SET followed = CASE WHEN ?3 > followed THEN ?3 ELSE followed END"
	" WHERE ticket_id = ?1 AND channel = ?2";
static const char SQL_ALERT_DONE[] =
	"DELETE FROM remind_alerts WHERE ticket_id = ?1 AND channel = ?2";

int store_remind_alert_followed(struct store *s, int64_t ticket_id, const char *channel,
				int followed, int done, struct diag *d)
{
	struct db_stmt *st = store_cached(s, done ? SQL_ALERT_DONE : SQL_ALERT_FOLLOWED, d);

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, ticket_id);
	store_bind_text(st, 2, channel);
	if (!done)
		db_bind_int(st, 3, followed);
	return step_done(s, st, "record a followed-up alert", d);
}
