/* store-partner.c: partners, their SLA targets and their cached holiday
 * calendars (tables partners, partner_targets, calendars); see store.h.
 * Every change records audit events in the same transaction. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "json.h"
#include "sha256.h"
#include "store-internal.h"

static const char *const severity_names[STORE_NSEV] = {
	"critical", "high", "medium", "low"
};

const char *store_severity_name(int sev)
{
	return sev >= 0 && sev < STORE_NSEV ? severity_names[sev] : "?";
}

int store_severity_parse(const char *s, int *sev)
{
	for (int i = 0; i < STORE_NSEV; i++)
		if (s != NULL && strcasecmp(s, severity_names[i]) == 0) {
			*sev = i;
			return 0;
		}
	return -1;
}

/* ---- text forms --------------------------------------------------------- */

int store_partner_key_check(const char *key, struct diag *d)
{
	size_t n = key != NULL ? strlen(key) : 0;

	if (n == 0 || n > 64)
		return diag_set(d, DIAG_USAGE, "bad partner key '%s': 1 to 64 characters of "
		    "A-Z a-z 0-9 . _ -", key != NULL ? key : "");
	for (size_t i = 0; i < n; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return diag_set(d, DIAG_USAGE, "bad partner key '%.64s': only A-Z a-z "
			    "0-9 . _ - are allowed", key);
	}
	return 0;
}

static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

void store_workdays_format(unsigned mask, char out[STORE_TEXT_LEN])
{
	static const int order[7] = { 1, 2, 3, 4, 5, 6, 0 };	/* mon first */
	int count = 0;
	size_t len = 0;

	mask &= 0x7f;
	for (int i = 0; i < 7; i++)
		count += (mask >> i) & 1;
	out[0] = '\0';
	if (count == 0)
		return;
	if (count == 7) {
		snprintf(out, STORE_TEXT_LEN, "mon-sun");
		return;
	}
	/* one run, wrapping around the week: "sun-thu", "fri-mon" */
	for (int k = 0; k < 7; k++) {
		int i = order[k], run = 0;

		if (!(mask & (1u << i)) || (mask & (1u << ((i + 6) % 7))))
			continue;
		while (run < 7 && (mask & (1u << ((i + run) % 7))))
			run++;
		if (run == count && count > 1) {
			snprintf(out, STORE_TEXT_LEN, "%s-%s", day_names[i],
			    day_names[(i + run - 1) % 7]);
			return;
		}
		break;
	}
	for (int k = 0; k < 7; k++)
		if (mask & (1u << order[k]))
			len += (size_t)snprintf(out + len, STORE_TEXT_LEN - len, "%s%s",
			    len ? "," : "", day_names[order[k]]);
}

void store_duration_format(int64_t s, char out[STORE_TEXT_LEN])
{
	size_t len = 0;
	int64_t h, m, sec;

	if (s == STORE_NONE || s <= 0) {
		snprintf(out, STORE_TEXT_LEN, "none");
		return;
	}
	h = s / 3600;
	m = s % 3600 / 60;
	sec = s % 60;
	out[0] = '\0';
	if (h)
		len += (size_t)snprintf(out + len, STORE_TEXT_LEN - len, "%lldh", (long long)h);
	if (m)
		len += (size_t)snprintf(out + len, STORE_TEXT_LEN - len, "%lldm", (long long)m);
	if (sec)
		snprintf(out + len, STORE_TEXT_LEN - len, "%llds", (long long)sec);
}

/* ---- structs ------------------------------------------------------------ */

void store_partner_init(struct store_partner *p)
{
	memset(p, 0, sizeof *p);
	p->workdays = CAL_WEEKDAYS_MON_FRI;
	p->target_s[STORE_SEV_CRITICAL] = 86400;
	p->target_s[STORE_SEV_HIGH] = 86400;
	p->target_s[STORE_SEV_MEDIUM] = STORE_NONE;
	p->target_s[STORE_SEV_LOW] = STORE_NONE;
	for (int i = 0; i < STORE_NSEV; i++)
		p->resolve_s[i] = STORE_NONE;
	p->created_at = STORE_NONE;
	p->archived_at = STORE_NONE;
}

static void calendar_release(struct store_calendar *c)
{
	free(c->source);
	free(c->filters);
	free(c->body);
	free(c->etag);
	free(c->last_modified);
	free(c->last_error);
	memset(c, 0, sizeof *c);
}

void store_partner_release(struct store_partner *p)
{
	if (p == NULL)
		return;
	free(p->key);
	free(p->name);
	free(p->zone);
	free(p->hours);
	free(p->contact);
	for (size_t i = 0; i < p->ncalendars; i++)
		calendar_release(&p->calendars[i]);
	free(p->calendars);
	memset(p, 0, sizeof *p);
}

void store_partner_list_free(struct store_partner *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_partner_release(&v[i]);
	free(v);
}

/* ---- event values ------------------------------------------------------- */

/* [{"source":..,"filters":["+x","-y"],"digest":..}, ...]: what decides
 * the working time, so two lists that print the same are the same. */
static void calendars_json(struct buf *b, const struct store_calendar *c, size_t n)
{
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		const char *f = c[i].filters != NULL ? c[i].filters : "";
		int first = 1;

		buf_adds(b, i ? ",{\"source\":" : "{\"source\":");
		json_add_string(b, c[i].source);
		buf_adds(b, ",\"filters\":[");
		while (*f != '\0') {
			size_t len = strcspn(f, "\n");
			char *one = strndup(f, len);

			if (one == NULL) {
				b->failed = 1;
				return;
			}
			if (len > 0) {
				buf_adds(b, first ? "" : ",");
				json_add_string(b, one);
				first = 0;
			}
			free(one);
			f += len;
			if (*f == '\n')
				f++;
		}
		buf_adds(b, "],\"digest\":");
		json_add_string(b, c[i].digest);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static int has_resolve_targets(const struct store_partner *p)
{
	for (int i = 0; i < STORE_NSEV; i++)
		if (p->resolve_s[i] != STORE_NONE)
			return 1;
	return 0;
}

/* The partner as one JSON object (a partner.add event); the resolution
 * targets and pause_response only when set, so events of partners
 * without them read as they always did. */
static void partner_json(struct buf *b, const struct store_partner *p)
{
	char t[STORE_TEXT_LEN];

	buf_adds(b, "{\"key\":");
	json_add_string(b, p->key);
	buf_adds(b, ",\"name\":");
	json_add_string(b, p->name);
	buf_adds(b, ",\"zone\":");
	json_add_string(b, p->zone);
	store_workdays_format(p->workdays, t);
	buf_adds(b, ",\"workdays\":");
	json_add_string(b, t);
	buf_adds(b, ",\"hours\":");
	json_add_string(b, p->hours != NULL ? p->hours : "");
	buf_adds(b, ",\"contact\":");
	json_add_string(b, p->contact);
	buf_adds(b, ",\"targets\":{");
	for (int i = 0; i < STORE_NSEV; i++) {
		store_duration_format(p->target_s[i], t);
		buf_addf(b, "%s\"%s\":", i ? "," : "", severity_names[i]);
		json_add_string(b, t);
	}
	buf_adds(b, "}");
	if (has_resolve_targets(p)) {
		buf_adds(b, ",\"resolve\":{");
		for (int i = 0; i < STORE_NSEV; i++) {
			store_duration_format(p->resolve_s[i], t);
			buf_addf(b, "%s\"%s\":", i ? "," : "", severity_names[i]);
			json_add_string(b, t);
		}
		buf_adds(b, "}");
	}
	if (p->pause_response)
		buf_adds(b, ",\"pause_response\":true");
	buf_adds(b, ",\"calendars\":");
	calendars_json(b, p->calendars, p->ncalendars);
	buf_addc(b, '}');
}

/* ---- reading ------------------------------------------------------------ */

#define PARTNER_COLS \
	"id, key, name, zone, workdays, hours, contact, created_at, archived_at, pause_response"

static const char SQL_PARTNER_BY_KEY[] =
	"SELECT " PARTNER_COLS " FROM partners WHERE key = ?1";
static const char SQL_PARTNER_BY_ID[] =
	"SELECT " PARTNER_COLS " FROM partners WHERE id = ?1";
static const char SQL_PARTNER_LIST[] =
	"SELECT " PARTNER_COLS " FROM partners WHERE ?1 <> 0 OR archived_at IS NULL ORDER BY key";
static const char SQL_TARGETS[] =
	"SELECT severity, target_s, resolve_s FROM partner_targets WHERE partner_id = ?1";
static const char SQL_CALENDARS[] =
	"SELECT id, position, source, filters, body, digest, etag, last_modified,"
	" last_error, fetched_at, horizon_day FROM calendars WHERE partner_id = ?1"
	" ORDER BY position";

/* A deferred read transaction, so a partner and its targets and calendars
 * come from one snapshot; 1 when this call opened it. */
static int read_begin(struct store *s)
{
	return store_autocommit(s) && store_exec_quietly(s, "BEGIN") == 0;
}

static void read_end(struct store *s, int began)
{
	if (began && store_exec_quietly(s, "COMMIT") != 0)
		store_exec_quietly(s, "ROLLBACK");
}

static int partner_from_row(struct db_stmt *st, struct store_partner *p)
{
	store_partner_init(p);
	p->id = db_column_int64(st, 0);
	p->key = store_column_dup(st, 1);
	p->name = store_column_dup(st, 2);
	p->zone = store_column_dup(st, 3);
	p->workdays = (unsigned)db_column_int(st, 4);
	p->hours = store_column_dup(st, 5);
	p->contact = store_column_dup(st, 6);
	p->created_at = store_column_instant(st, 7);
	p->archived_at = store_column_instant(st, 8);
	p->pause_response = db_column_int(st, 9) != 0;
	if (p->key == NULL || p->name == NULL || p->zone == NULL || p->hours == NULL)
		return -1;
	return 0;
}

static int calendar_from_row(struct db_stmt *st, struct store_calendar *c)
{
	const void *body;
	const unsigned char *digest;
	int len;

	memset(c, 0, sizeof *c);
	c->id = db_column_int64(st, 0);
	c->position = db_column_int(st, 1);
	c->source = store_column_dup(st, 2);
	c->filters = store_column_dup(st, 3);
	body = db_column_blob(st, 4);
	len = db_column_bytes(st, 4);
	if ((c->body = malloc((size_t)len + 1)) != NULL) {
		if (len > 0)
			memcpy(c->body, body, (size_t)len);
		c->body[len] = '\0';
		c->body_len = (size_t)len;
	}
	digest = db_column_text(st, 5);
	snprintf(c->digest, sizeof c->digest, "%s", digest ? (const char *)digest : "");
	c->etag = store_column_dup(st, 6);
	c->last_modified = store_column_dup(st, 7);
	c->last_error = store_column_dup(st, 8);
	c->fetched_at = db_column_int64(st, 9);
	c->horizon_day = db_column_type(st, 10) == SQLITE_NULL ? -1 :
	    (int32_t)db_column_int64(st, 10);
	return c->source == NULL || c->filters == NULL || c->body == NULL ? -1 : 0;
}

/* Targets and calendars of p (p->id set). */
static int load_details(struct store *s, struct store_partner *p, struct diag *d)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = store_cached(s, SQL_TARGETS, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, p->id);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int sev;

		if (store_severity_parse((const char *)db_column_text(st, 0), &sev) == 0) {
			p->target_s[sev] = store_column_instant(st, 1);
			p->resolve_s[sev] = store_column_instant(st, 2);
		}
	}
	db_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the targets of partner '%s'", p->key);
	if ((st = store_cached(s, SQL_CALENDARS, d)) == NULL)
		return -1;
	db_bind_int64(st, 1, p->id);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		if (p->ncalendars == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			struct store_calendar *v = realloc(p->calendars, ncap * sizeof *v);

			if (v == NULL)
				break;
			p->calendars = v;
			cap = ncap;
		}
		if (calendar_from_row(st, &p->calendars[p->ncalendars++]) < 0)
			break;
	}
	db_reset(st);
	if (rc == SQLITE_ROW)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return store_fail(s, d, "cannot read the calendars of partner '%s'", p->key);
	return 0;
}

static int get_one(struct store *s, const char *sql, const char *key, int64_t id,
		   struct store_partner *p, struct diag *d)
{
	struct db_stmt *st;
	int began, rc, r = -1;

	store_partner_init(p);
	if ((st = store_cached(s, sql, d)) == NULL)
		return -1;
	began = read_begin(s);
	if (key != NULL)
		store_bind_text(st, 1, key);
	else
		db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == SQLITE_ROW) {
		if (partner_from_row(st, p) < 0)
			diag_set(d, DIAG_NOMEM, "out of memory");
		else
			r = 0;
	} else if (rc == SQLITE_DONE) {
		if (key != NULL)
			diag_set(d, DIAG_INPUT, "unknown partner '%s'", key);
		else
			diag_set(d, DIAG_INPUT, "unknown partner #%lld", (long long)id);
	} else
		store_fail(s, d, "cannot read partner '%s'", key != NULL ? key : "#id");
	db_reset(st);
	if (r == 0)
		r = load_details(s, p, d);
	read_end(s, began);
	if (r < 0)
		store_partner_release(p);
	return r;
}

int store_partner_get(struct store *s, const char *key, struct store_partner *p,
		      struct diag *d)
{
	int64_t id;

	if (key != NULL && key[0] == '#' && civil_parse_i64(key + 1, 1, INT64_MAX, &id) == 0)
		return get_one(s, SQL_PARTNER_BY_ID, NULL, id, p, d);
	return get_one(s, SQL_PARTNER_BY_KEY, key != NULL ? key : "", 0, p, d);
}

int store_partner_get_id(struct store *s, int64_t id, struct store_partner *p,
			 struct diag *d)
{
	return get_one(s, SQL_PARTNER_BY_ID, NULL, id, p, d);
}

int store_partner_list(struct store *s, int with_archived, struct store_partner **v,
		       size_t *n, struct diag *d)
{
	struct store_partner *out = NULL;
	size_t cnt = 0, cap = 0;
	struct db_stmt *st;
	int began, rc, r = 0;

	*v = NULL;
	*n = 0;
	if ((st = store_cached(s, SQL_PARTNER_LIST, d)) == NULL)
		return -1;
	began = read_begin(s);
	db_bind_int(st, 1, with_archived != 0);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct store_partner *nv = realloc(out, ncap * sizeof *nv);

			if (nv == NULL) {
				r = diag_set(d, DIAG_NOMEM, "out of memory");
				break;
			}
			out = nv;
			cap = ncap;
		}
		if (partner_from_row(st, &out[cnt++]) < 0) {
			r = diag_set(d, DIAG_NOMEM, "out of memory");
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = store_fail(s, d, "cannot list partners");
	db_reset(st);
	for (size_t i = 0; r == 0 && i < cnt; i++)
		r = load_details(s, &out[i], d);
	read_end(s, began);
	if (r < 0) {
		store_partner_list_free(out, cnt);
		return -1;
	}
	*v = out;
	*n = cnt;
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

static const char SQL_PARTNER_EXISTS[] = "SELECT 1 FROM partners WHERE key = ?1";
static const char SQL_PARTNER_INSERT[] =
	"INSERT INTO partners (key, name, zone, workdays, hours, contact, created_at,"
	" archived_at, pause_response) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	" RETURNING id";
static const char SQL_PARTNER_UPDATE[] =
	"UPDATE partners SET name = ?2, zone = ?3, workdays = ?4, hours = ?5, contact = ?6,"
	" archived_at = ?7, pause_response = ?8 WHERE id = ?1";
static const char SQL_TARGET_SET[] =
	"INSERT INTO partner_targets (partner_id, severity, target_s, resolve_s)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (partner_id, severity)"
	" DO UPDATE SET target_s = excluded.target_s, resolve_s = excluded.resolve_s";
static const char SQL_CALENDAR_INSERT[] =
	"INSERT INTO calendars (partner_id, position, source, filters, body, digest, etag,"
	" last_modified, fetched_at, last_error, horizon_day)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_CALENDAR_DELETE[] = "DELETE FROM calendars WHERE partner_id = ?1";
static const char SQL_CALENDAR_ONE[] =
	"SELECT position, digest, last_error FROM calendars WHERE id = ?1 AND partner_id = ?2";
static const char SQL_CALENDAR_REFRESH[] =
	"UPDATE calendars SET body = ?2, digest = ?3, etag = ?4, last_modified = ?5,"
	" fetched_at = ?6, last_error = NULL, horizon_day = ?7 WHERE id = ?1";
static const char SQL_CALENDAR_ERROR[] =
	"UPDATE calendars SET last_error = ?2 WHERE id = ?1";

static int step_done(struct store *s, struct db_stmt *st, struct diag *d, const char *what,
		     const char *key)
{
	int rc = db_step(st);

	if (rc != SQLITE_DONE) {
		store_fail(s, d, "cannot %s '%s'", what, key);
		db_reset(st);
		return -1;
	}
	db_reset(st);
	return 0;
}

static int check_partner(const struct store_partner *p, struct diag *d)
{
	if (store_partner_key_check(p->key, d) < 0)
		return -1;
	if (p->name == NULL || p->name[0] == '\0')
		return diag_set(d, DIAG_USAGE, "partner '%s': the name must not be empty", p->key);
	if (p->zone == NULL || p->zone[0] == '\0')
		return diag_set(d, DIAG_USAGE, "partner '%s': no timezone", p->key);
	if ((p->workdays & 0x7f) == 0 || (p->workdays & ~0x7fu) != 0)
		return diag_set(d, DIAG_USAGE, "partner '%s': no working days", p->key);
	for (int i = 0; i < STORE_NSEV; i++) {
		if (p->target_s[i] != STORE_NONE && p->target_s[i] <= 0)
			return diag_set(d, DIAG_USAGE, "partner '%s': the %s target must be "
			    "positive", p->key, severity_names[i]);
		if (p->resolve_s[i] != STORE_NONE && p->resolve_s[i] <= 0)
			return diag_set(d, DIAG_USAGE, "partner '%s': the %s resolution "
			    "target must be positive", p->key, severity_names[i]);
	}
	for (size_t i = 0; i < p->ncalendars; i++)
		if (p->calendars[i].source == NULL || p->calendars[i].body == NULL)
			return diag_set(d, DIAG_USAGE, "partner '%s': calendar %zu has no "
			    "source or body", p->key, i + 1);
	return 0;
}

static int set_target(struct store *s, int64_t id, int sev, int64_t target_s,
		      int64_t resolve_s, const char *key, struct diag *d)
{
	struct db_stmt *st = store_cached(s, SQL_TARGET_SET, d);

	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	store_bind_text(st, 2, severity_names[sev]);
	store_bind_instant(st, 3, target_s);
	store_bind_instant(st, 4, resolve_s);
	return step_done(s, st, d, "store the targets of partner", key);
}

static int insert_calendars(struct store *s, int64_t id, const struct store_partner *p,
			    struct diag *d)
{
	for (size_t i = 0; i < p->ncalendars; i++) {
		const struct store_calendar *c = &p->calendars[i];
		struct db_stmt *st = store_cached(s, SQL_CALENDAR_INSERT, d);
		char digest[65];

		if (st == NULL)
			return -1;
		sha256_hex(c->body, c->body_len, digest);
		db_bind_int64(st, 1, id);
		db_bind_int(st, 2, (int)i);
		store_bind_text(st, 3, c->source);
		store_bind_text(st, 4, c->filters != NULL ? c->filters : "");
		db_bind_blob(st, 5, c->body, (int)c->body_len, SQLITE_STATIC);
		store_bind_text(st, 6, digest);
		store_bind_text(st, 7, c->etag);
		store_bind_text(st, 8, c->last_modified);
		db_bind_int64(st, 9, c->fetched_at);
		store_bind_text(st, 10, c->last_error);
		db_bind_int64(st, 11, c->horizon_day);
		if (step_done(s, st, d, "store the calendars of partner", p->key) < 0)
			return -1;
	}
	return 0;
}

/* The digests the database will hold (computed, never trusted). */
static void fill_digests(struct store_calendar *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sha256_hex(c[i].body, c[i].body_len, c[i].digest);
}

int store_partner_add(struct store *s, struct store_partner *p, const char *actor,
		      int64_t at, struct diag *d)
{
	struct buf ev = BUF_INIT;
	struct db_stmt *st;
	int own = !s->in_tx, rc;

	if (check_partner(p, d) < 0)
		return -1;
	if (p->calendars != NULL)
		fill_digests(p->calendars, p->ncalendars);
	if (own && store_begin(s, d) < 0)
		return -1;
	if ((st = store_cached(s, SQL_PARTNER_EXISTS, d)) == NULL)
		goto fail;
	store_bind_text(st, 1, p->key);
	rc = db_step(st);
	db_reset(st);
	if (rc == SQLITE_ROW) {
		diag_set(d, DIAG_INPUT, "partner '%s' already exists", p->key);
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, d, "cannot look up partner '%s'", p->key);
		goto fail;
	}
	if (p->created_at == STORE_NONE)
		p->created_at = at;
	if ((st = store_cached(s, SQL_PARTNER_INSERT, d)) == NULL)
		goto fail;
	store_bind_text(st, 1, p->key);
	store_bind_text(st, 2, p->name);
	store_bind_text(st, 3, p->zone);
	db_bind_int(st, 4, (int)p->workdays);
	store_bind_text(st, 5, p->hours != NULL ? p->hours : "");
	store_bind_text(st, 6, p->contact);
	db_bind_int64(st, 7, p->created_at);
	store_bind_instant(st, 8, p->archived_at);
	db_bind_int(st, 9, p->pause_response != 0);
	if ((rc = db_step(st)) == SQLITE_ROW)
		p->id = db_column_int64(st, 0);
	db_reset(st);
	if (rc != SQLITE_ROW) {
		store_fail(s, d, "cannot add partner '%s'", p->key);
		goto fail;
	}
	for (int i = 0; i < STORE_NSEV; i++)
		if (set_target(s, p->id, i, p->target_s[i], p->resolve_s[i], p->key, d) < 0)
			goto fail;
	if (insert_calendars(s, p->id, p, d) < 0)
		goto fail;
	partner_json(&ev, p);
	if (buf_failed(&ev)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	if (store_event_add(s, at, actor, "partner.add", 0, p->id, NULL, NULL,
	    buf_str(&ev), d) < 0)
		goto fail;
	buf_release(&ev);
	if (own && store_commit(s, d) < 0) {
		p->id = 0;
		return -1;
	}
	return 0;
fail:
	buf_release(&ev);
	p->id = 0;
	if (own)
		store_rollback(s);
	return -1;
}

static int str_differs(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

static void format_instant(int64_t at, char out[CIVIL_ISO_LEN])
{
	if (at == STORE_NONE)
		out[0] = '\0';
	else
		civil_format_utc(at, out);
}

/* One changed field, as an audit event sees it. */
struct field_diff {
	const char *field;
	const char *old_value, *new_value;	/* NULL = absent */
};

static int emit(int (*fn)(const struct field_diff *, void *), void *arg, int *n, const char *field, const char *old_value,
		const char *new_value)
{
	struct field_diff f = { field, old_value, new_value };

	if (fn != NULL && fn(&f, arg) < 0)
		return -1;
	(*n)++;
	return 0;
}

/* Calls fn (may be NULL) for every field that differs between a and b;
 * returns the number of differences, or -1 when fn or memory fails. */
static int diff_partners(const struct store_partner *a, const struct store_partner *b,
			 int (*fn)(const struct field_diff *, void *), void *arg)
{
	char ta[STORE_TEXT_LEN], tb[STORE_TEXT_LEN], fname[32];
	char ia[CIVIL_ISO_LEN], ib[CIVIL_ISO_LEN];
	const char *ha = a->hours ? a->hours : "", *hb = b->hours ? b->hours : "";
	struct buf ca = BUF_INIT, cb = BUF_INIT;
	int n = 0, r = 0;

	if (str_differs(a->name, b->name))
		r = emit(fn, arg, &n, "name", a->name, b->name);
	if (r == 0 && str_differs(a->zone, b->zone))
		r = emit(fn, arg, &n, "zone", a->zone, b->zone);
	if (r == 0 && (a->workdays & 0x7f) != (b->workdays & 0x7f)) {
		store_workdays_format(a->workdays, ta);
		store_workdays_format(b->workdays, tb);
		r = emit(fn, arg, &n, "workdays", ta, tb);
	}
	if (r == 0 && strcmp(ha, hb) != 0)
		r = emit(fn, arg, &n, "hours", ha, hb);
	if (r == 0 && str_differs(a->contact, b->contact))
		r = emit(fn, arg, &n, "contact", a->contact, b->contact);
	for (int i = 0; r == 0 && i < STORE_NSEV; i++)
		if (a->target_s[i] != b->target_s[i]) {
			store_duration_format(a->target_s[i], ta);
			store_duration_format(b->target_s[i], tb);
			snprintf(fname, sizeof fname, "target.%s", severity_names[i]);
			r = emit(fn, arg, &n, fname, ta, tb);
		}
	for (int i = 0; r == 0 && i < STORE_NSEV; i++)
		if (a->resolve_s[i] != b->resolve_s[i]) {
			store_duration_format(a->resolve_s[i], ta);
			store_duration_format(b->resolve_s[i], tb);
			snprintf(fname, sizeof fname, "resolve.%s", severity_names[i]);
			r = emit(fn, arg, &n, fname, ta, tb);
		}
	if (r == 0 && (a->pause_response != 0) != (b->pause_response != 0))
		r = emit(fn, arg, &n, "pause_response", a->pause_response ? "yes" : "no",
		    b->pause_response ? "yes" : "no");
	calendars_json(&ca, a->calendars, a->ncalendars);
	calendars_json(&cb, b->calendars, b->ncalendars);
	if (buf_failed(&ca) || buf_failed(&cb))
		r = -1;
	if (r == 0 && strcmp(buf_str(&ca), buf_str(&cb)) != 0)
		r = emit(fn, arg, &n, "calendars", buf_str(&ca), buf_str(&cb));
	if (r == 0 && a->archived_at != b->archived_at) {
		format_instant(a->archived_at, ia);
		format_instant(b->archived_at, ib);
		r = emit(fn, arg, &n, "archived_at", ia[0] ? ia : NULL, ib[0] ? ib : NULL);
	}
	buf_release(&ca);
	buf_release(&cb);
	return r < 0 ? -1 : n;
}

struct update_state {
	struct store *s;
	int64_t id, at;
	const char *actor;
	struct diag *d;
};

static int record_diff(const struct field_diff *f, void *arg)
{
	struct update_state *u = arg;
	const char *kind = strcmp(f->field, "archived_at") != 0 ? "partner.edit" :
	    f->new_value != NULL ? "partner.archive" : "partner.unarchive";

	return store_event_add(u->s, u->at, u->actor, kind, 0, u->id, f->field,
	    f->old_value, f->new_value, u->d);
}

int store_partner_update(struct store *s, const struct store_partner *old,
			 const struct store_partner *p, const char *actor, int64_t at,
			 struct diag *d)
{
	struct store_partner cur, want;
	struct update_state u = { s, old->id, at, actor, d };
	struct db_stmt *st;
	int own = !s->in_tx, n;

	if (check_partner(p, d) < 0)
		return -1;
	if (strcmp(old->key, p->key) != 0)
		return diag_set(d, DIAG_USAGE, "partner '%s': a key cannot be changed", old->key);
	/* compare digests of the bodies as they will be stored */
	want = *p;
	if (p->ncalendars > 0) {
		if ((want.calendars = malloc(p->ncalendars * sizeof *want.calendars)) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		memcpy(want.calendars, p->calendars, p->ncalendars * sizeof *want.calendars);
		fill_digests(want.calendars, want.ncalendars);
	}
	if (own && store_begin(s, d) < 0)
		goto fail_free;
	/* refuse to overwrite a change made by someone else since `old` was read */
	if (store_partner_get_id(s, old->id, &cur, d) < 0)
		goto fail;
	n = diff_partners(&cur, old, NULL, NULL);
	store_partner_release(&cur);
	if (n != 0) {
		diag_set(d, DIAG_STORE, "partner '%s' was changed by someone else meanwhile; "
		    "try again", old->key);
		goto fail;
	}
	if ((n = diff_partners(old, &want, record_diff, &u)) < 0) {
		if (d->code == DIAG_OK)
			diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	if (n > 0) {
		if ((st = store_cached(s, SQL_PARTNER_UPDATE, d)) == NULL)
			goto fail;
		db_bind_int64(st, 1, old->id);
		store_bind_text(st, 2, want.name);
		store_bind_text(st, 3, want.zone);
		db_bind_int(st, 4, (int)want.workdays);
		store_bind_text(st, 5, want.hours != NULL ? want.hours : "");
		store_bind_text(st, 6, want.contact);
		store_bind_instant(st, 7, want.archived_at);
		db_bind_int(st, 8, want.pause_response != 0);
		if (step_done(s, st, d, "update partner", old->key) < 0)
			goto fail;
		for (int i = 0; i < STORE_NSEV; i++)
			if ((old->target_s[i] != want.target_s[i] ||
			    old->resolve_s[i] != want.resolve_s[i]) &&
			    set_target(s, old->id, i, want.target_s[i], want.resolve_s[i],
			    old->key, d) < 0)
				goto fail;
	}
	{
		struct buf ca = BUF_INIT, cb = BUF_INIT;
		int same;

		calendars_json(&ca, old->calendars, old->ncalendars);
		calendars_json(&cb, want.calendars, want.ncalendars);
		same = !buf_failed(&ca) && !buf_failed(&cb) &&
		    strcmp(buf_str(&ca), buf_str(&cb)) == 0;
		buf_release(&ca);
		buf_release(&cb);
		if (!same) {
			if ((st = store_cached(s, SQL_CALENDAR_DELETE, d)) == NULL)
				goto fail;
			db_bind_int64(st, 1, old->id);
			if (step_done(s, st, d, "replace the calendars of partner", old->key) < 0 ||
			    insert_calendars(s, old->id, &want, d) < 0)
				goto fail;
		}
	}
	if (own && store_commit(s, d) < 0)
		goto fail_free;
	free(want.calendars);
	return n;
fail:
	if (own)
		store_rollback(s);
fail_free:
	free(want.calendars);
	return -1;
}

int store_calendar_refreshed(struct store *s, int64_t partner_id,
			     const struct store_calendar *c, const char *actor, int64_t at,
			     struct diag *d)
{
	char field[48], digest[65], old_digest[65];
	char *old_error = NULL;
	const unsigned char *t;
	struct db_stmt *st;
	int own = !s->in_tx, rc, pos = 0;

	if (c->body == NULL && c->last_error == NULL)
		return diag_set(d, DIAG_USAGE, "a calendar refresh needs a body or an error");
	if (own && store_begin(s, d) < 0)
		return -1;
	if ((st = store_cached(s, SQL_CALENDAR_ONE, d)) == NULL)
		goto fail;
	db_bind_int64(st, 1, c->id);
	db_bind_int64(st, 2, partner_id);
	rc = db_step(st);
	if (rc == SQLITE_ROW) {
		pos = db_column_int(st, 0);
		t = db_column_text(st, 1);
		snprintf(old_digest, sizeof old_digest, "%s", t ? (const char *)t : "");
		old_error = store_column_dup(st, 2);
	}
	db_reset(st);
	if (rc == SQLITE_DONE) {
		diag_set(d, DIAG_INPUT, "calendar #%lld of partner #%lld does not exist "
		    "(edited meanwhile?)", (long long)c->id, (long long)partner_id);
		goto fail;
	}
	if (rc != SQLITE_ROW) {
		store_fail(s, d, "cannot read calendar #%lld", (long long)c->id);
		goto fail;
	}
	if (c->body != NULL) {
		sha256_hex(c->body, c->body_len, digest);
		if ((st = store_cached(s, SQL_CALENDAR_REFRESH, d)) == NULL)
			goto fail;
		db_bind_int64(st, 1, c->id);
		db_bind_blob(st, 2, c->body, (int)c->body_len, SQLITE_STATIC);
		store_bind_text(st, 3, digest);
		store_bind_text(st, 4, c->etag);
		store_bind_text(st, 5, c->last_modified);
		db_bind_int64(st, 6, c->fetched_at);
		db_bind_int64(st, 7, c->horizon_day);
		if (step_done(s, st, d, "refresh calendar", c->source) < 0)
			goto fail;
		if (strcmp(digest, old_digest) != 0) {
			snprintf(field, sizeof field, "calendars[%d].digest", pos);
			if (store_event_add(s, at, actor, "calendar.refresh", 0, partner_id, field,
			    old_digest, digest, d) < 0)
				goto fail;
		} else if (old_error != NULL) {
			snprintf(field, sizeof field, "calendars[%d].last_error", pos);
			if (store_event_add(s, at, actor, "calendar.refresh", 0, partner_id, field,
			    old_error, NULL, d) < 0)
				goto fail;
		}
	} else {
		if ((st = store_cached(s, SQL_CALENDAR_ERROR, d)) == NULL)
			goto fail;
		db_bind_int64(st, 1, c->id);
		store_bind_text(st, 2, c->last_error);
		if (step_done(s, st, d, "record the refresh error of calendar", c->source) < 0)
			goto fail;
		if (str_differs(old_error, c->last_error)) {
			snprintf(field, sizeof field, "calendars[%d].last_error", pos);
			if (store_event_add(s, at, actor, "calendar.error", 0, partner_id, field,
			    old_error, c->last_error, d) < 0)
				goto fail;
		}
	}
	free(old_error);
	if (own && store_commit(s, d) < 0)
		return -1;
	return 0;
fail:
	free(old_error);
	if (own)
		store_rollback(s);
	return -1;
}
