/* report.c: builds the rows and figures of the SLA report once; see
 * report.h.  The renderers live in report-text.c, report-csv.c,
 * report-json.c and report-html.c. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditjob.h"
#include "bigmem.h"
#include "cal.h"
#include "civil.h"
#include "cores.h"
#include "scanpipe.h"
#include "sla.h"
#include "store-report.h"
#include "ticketurl.h"
#include "tz.h"

/* The verification of the audit trail an evidence report carries: on
 * threads of its own (auditjob.h) until a renderer asks for it. */
struct report_audit {
	struct auditjob *job;		/* NULL once it has ended */
	int rc;
	struct store_audit_result result;
	struct diag error;
};

const char report_rule_text[] =
	"Each ticket's deadline is the earliest instant at which the working time "
	"elapsed since its creation equals its target (24 hours of working time for "
	"critical and high tickets unless the partner's settings say otherwise). "
	"Working time is every instant that falls on one of the partner's working "
	"weekdays, within its working hours, in the partner's own timezone, on a "
	"local date that is not a holiday in any of the partner's calendars, and "
	"outside any timed closure; a working day runs from one local midnight to "
	"the next, so it lasts 23 or 25 hours when the clocks change. A ticket "
	"created outside working time starts its clock at the next working instant, "
	"and a deadline that falls at the end of a working period stays there. The "
	"deadline is computed when the ticket is recorded and stored; a first "
	"response at or before it meets the SLA, one after it breaches it, and a "
	"ticket resolved without a recorded response stops its clock at the "
	"resolution.";

const char report_attainment_text[] =
	"attainment = met / (met + breached + open and overdue): an open ticket "
	"counts against attainment as soon as its deadline passes; tickets still "
	"open before their deadline (pending) count neither way until it does; "
	"excused breaches count neither way";

const char report_excused_text[] =
	"Excused: a breach (breached, or open and overdue) that was excused with a "
	"reason, say a customer's outage; it is counted and listed on its own and "
	"left out of attainment. Waiting: pending tickets whose clock stands still "
	"while they wait on the customer; they count as open, never as breached";

const char report_resolve_text[] =
	"Resolution: the same tickets (those due in the period), measured against "
	"their resolution deadline when their partner sets a resolution target for "
	"their severity; met when resolved at or before it, breached when resolved "
	"after it, open and overdue when unresolved past it, pending before it or "
	"while waiting on the customer. Resolution attainment = met / (met + "
	"breached + open and overdue), excused breaches left out";

void report_options_init(struct report_options *o)
{
	memset(o, 0, sizeof *o);
	o->period = REPORT_YESTERDAY;
	o->since_at = o->until_at = STORE_NONE;
	o->zone = "UTC";
	o->severity = -1;
	o->evidence = -1;
	o->at_risk = SLA_AT_RISK_DEFAULT;
	o->generator = "slatrack";
	o->json_schema = REPORT_SCHEMA_VERSION;
}

const char *report_outcome_id(enum report_outcome o)
{
	static const char *const v[] = {
		"met", "breached", "open-overdue", "pending", "excused"
	};

	return (unsigned)o < REPORT_NOUTCOMES ? v[o] : "?";
}

const char *report_outcome_name(enum report_outcome o)
{
	static const char *const v[] = {
		"met", "BREACHED", "OPEN, overdue", "pending", "excused"
	};

	return (unsigned)o < REPORT_NOUTCOMES ? v[o] : "?";
}

const char *report_format_name(enum report_format f)
{
	static const char *const names[] = { "text", "csv", "json", "html" };

	return (size_t)f < sizeof names / sizeof *names ? names[f] : "?";
}

const char *report_unit_name(enum report_unit u)
{
	return u == REPORT_DAY ? "day" : u == REPORT_WEEK_UNIT ? "week" : "month";
}

/* met / (met + breached + overdue): pending and excused count neither way. */
static int attainment_of(const int64_t n[REPORT_NOUTCOMES], double *pct)
{
	int64_t decided = n[REPORT_MET] + n[REPORT_BREACHED] + n[REPORT_OVERDUE];

	*pct = 0;
	if (decided == 0)
		return 0;
	*pct = 100.0 * (double)n[REPORT_MET] / (double)decided;
	return 1;
}

int report_attainment(const struct report_stats *s, double *pct)
{
	return attainment_of(s->n, pct);
}

int report_resolve_attainment(const struct report_stats *s, double *pct)
{
	return attainment_of(s->resolve.n, pct);
}

/* ---- periods ------------------------------------------------------------ */

static int64_t local_day(const struct tz *tz, int64_t at)
{
	return civil_div(tz_utc_to_local(tz, at), CIVIL_DAY_S);
}

static int64_t midnight(const struct tz *tz, int64_t day)
{
	return tz_local_to_utc(tz, day * CIVIL_DAY_S);
}

static int64_t monday_of(int64_t day)
{
	return day - (civil_weekday(day) + 6) % 7;
}

/* ISO 8601 week of the week starting on Monday `monday`. */
static void iso_week(int64_t monday, int64_t *year, int *week)
{
	int64_t thursday = monday + 3, y;
	int m, dd;

	civil_ymd_from_days(thursday, &y, &m, &dd);
	*year = y;
	*week = (int)((thursday - civil_days_from_ymd(y, 1, 1)) / 7 + 1);
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int parse_month(const char *s, int64_t *y, int *m)
{
	if (strlen(s) != 7 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2))
		return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	return *m >= 1 && *m <= 12 && *y >= CAL_FIRST_YEAR && *y < CAL_LAST_YEAR ? 0 : -1;
}

static int parse_year(const char *s, int64_t *y)
{
	if (strlen(s) != 4 || !all_digits(s, 4))
		return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	return *y >= CAL_FIRST_YEAR && *y < CAL_LAST_YEAR ? 0 : -1;
}

/* "2026-W03" -> its Monday. */
static int parse_week(const char *s, int64_t *monday)
{
	int64_t y, jan4;
	int w, maxw;

	if (strlen(s) != 8 || !all_digits(s, 4) || s[4] != '-' || (s[5] != 'W' &&
	    s[5] != 'w') || !all_digits(s + 6, 2))
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	w = (s[6] - '0') * 10 + (s[7] - '0');
	if (y < CAL_FIRST_YEAR || y >= CAL_LAST_YEAR)
		return -1;
	jan4 = civil_days_from_ymd(y, 1, 4);
	{
		int64_t wy;

		/* a year has 53 weeks when its last Monday's week belongs to it */
		iso_week(monday_of(civil_days_from_ymd(y, 12, 28)), &wy, &maxw);
	}
	if (w < 1 || w > maxw)
		return -1;
	*monday = monday_of(jan4) + 7 * (int64_t)(w - 1);
	return 0;
}

int report_period_resolve(enum report_period p, const char *arg, int64_t since_at,
			  int64_t until_at, const struct tz *tz, int64_t now_at,
			  int64_t *from_at, int64_t *to_at, char label[REPORT_LABEL_LEN],
			  struct diag *d)
{
	int64_t today = local_day(tz, now_at), yesterday = today - 1, first, next, y;
	char a[CIVIL_ISO_LEN], b[CIVIL_ISO_LEN];
	int m, dd, week;

	switch (p) {
	case REPORT_YESTERDAY:
	case REPORT_TODAY:
		first = p == REPORT_TODAY ? today : yesterday;
		next = first + 1;
		civil_format_day(first, a);
		snprintf(label, REPORT_LABEL_LEN, "%s", a);
		break;
	case REPORT_WEEK:
		if (arg == NULL)
			first = monday_of(yesterday);
		else if (parse_week(arg, &first) < 0)
			return diag_set(d, DIAG_USAGE, "--week: bad week '%s': expected "
			    "YYYY-Www such as 2026-W03", arg);
		next = first + 7;
		iso_week(first, &y, &week);
		snprintf(label, REPORT_LABEL_LEN, "%04lld-W%02d", (long long)y, week);
		break;
	case REPORT_MONTH:
		if (arg == NULL)
			civil_ymd_from_days(yesterday, &y, &m, &dd);
		else if (parse_month(arg, &y, &m) < 0)
			return diag_set(d, DIAG_USAGE, "--month: bad month '%s': expected "
			    "YYYY-MM such as 2026-01", arg);
		first = civil_days_from_ymd(y, m, 1);
		next = first + civil_days_in_month(y, m);
		snprintf(label, REPORT_LABEL_LEN, "%04lld-%02d", (long long)y, m);
		break;
	case REPORT_YEAR:
		if (arg == NULL)
			civil_ymd_from_days(yesterday, &y, &m, &dd);
		else if (parse_year(arg, &y) < 0)
			return diag_set(d, DIAG_USAGE, "--year: bad year '%s': expected "
			    "YYYY such as 2026", arg);
		first = civil_days_from_ymd(y, 1, 1);
		next = civil_days_from_ymd(y + 1, 1, 1);
		snprintf(label, REPORT_LABEL_LEN, "%04lld", (long long)y);
		break;
	case REPORT_RANGE:
		if (since_at == STORE_NONE || until_at == STORE_NONE)
			return diag_set(d, DIAG_USAGE, "--since and --until go together");
		if (until_at <= since_at)
			return diag_set(d, DIAG_USAGE, "--until must come after --since");
		*from_at = since_at;
		*to_at = until_at;
		civil_format_utc(since_at, a);
		civil_format_utc(until_at, b);
		snprintf(label, REPORT_LABEL_LEN, "%.20s/%.20s", a, b);
		return 0;
	default:
		return diag_set(d, DIAG_USAGE, "unknown period");
	}
	*from_at = midnight(tz, first);
	*to_at = midnight(tz, next);
	return 0;
}

/* ---- building ------------------------------------------------------------ */

static void stats_init(struct report_stats *s)
{
	memset(s, 0, sizeof *s);
	s->median_s = s->p90_s = -1;
	s->worst_s = s->worst_wall_s = -1;
	s->worst_row = -1;
}

static void stats_add(struct report_stats *s, const struct report_row *row, size_t idx)
{
	s->due++;
	s->n[row->outcome]++;
	if (row->outcome == REPORT_PENDING && (row->waiting & REPORT_WAIT_RESPONSE))
		s->waiting++;
	if (row->resolve_outcome < REPORT_NOUTCOMES) {
		s->resolve.timed++;
		s->resolve.n[row->resolve_outcome]++;
		if (row->resolve_outcome == REPORT_PENDING && (row->waiting & REPORT_WAIT_RESOLVE))
			s->resolve.waiting++;
	}
	if (row->response_s >= 0)
		s->responses++;
	if ((row->outcome == REPORT_BREACHED || row->outcome == REPORT_OVERDUE) &&
	    (row->overrun_s > s->worst_s || (row->overrun_s == s->worst_s &&
	    row->overrun_wall_s > s->worst_wall_s))) {
		s->worst_s = row->overrun_s;
		s->worst_wall_s = row->overrun_wall_s;
		s->worst_row = (int64_t)idx;
	}
}

struct assignee_map {
	uint32_t *slots;		/* group index + 1; 0 = empty */
	size_t cap;
};

struct pct_input;

struct build {
	struct report *r;
	struct pct_input *pct;		/* the percentiles' input, filled as rows come */
	struct store *store;
	double at_risk;
	struct diag *d;
	size_t overdue_cap, assignees_cap;
	struct assignee_map amap;
	int64_t *partner_ids;		/* sorted, with partner_idx */
	size_t *partner_idx;
	size_t last_partner;
	uint32_t *partner_by_id;	/* index + 1 by id, ids below npartner_by_id */
	size_t npartner_by_id;
	int nomem;
	/* a big report without the evidence: a second connection reading
	 * the same snapshot, and where its half of the ids begins */
	struct store *twin;
	int64_t split;
	/* every row kept, in one allocation: the upper half's rows go in
	 * from its end (nback of them), turned round and moved down after
	 * the scan, so that both halves end in id order without a sort */
	int from_back;
	size_t nback;
};

static uint32_t add_string(struct report *r, const char *s)
{
	size_t off;

	if (s == NULL)
		return 0;
	off = r->strings.len;
	if (off > UINT32_MAX - 4096) {
		r->strings.failed = 1;
		return 0;
	}
	buf_add(&r->strings, s, strlen(s) + 1);
	return (uint32_t)off;
}

const char *report_str(const struct report *r, uint32_t off)
{
	return off == 0 ? NULL : r->strings.data + off;
}

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The group of an assignee (NULL = unassigned), created on first sight. */
static int assignee_group(struct build *b, const char *name, uint32_t *out)
{
	struct report *r = b->r;
	const char *key = name != NULL ? name : "";
	size_t i;

	if (r->nassignees * 2 >= b->amap.cap) {
		size_t ncap = b->amap.cap ? b->amap.cap * 2 : 64;
		uint32_t *ns = calloc(ncap, sizeof *ns);

		if (ns == NULL)
			return -1;
		for (size_t g = 0; g < r->nassignees; g++) {
			const char *gn = report_str(r, r->assignees[g].name);

			i = hash_text(gn ? gn : "") & (ncap - 1);
			while (ns[i] != 0)
				i = (i + 1) & (ncap - 1);
			ns[i] = (uint32_t)g + 1;
		}
		free(b->amap.slots);
		b->amap.slots = ns;
		b->amap.cap = ncap;
	}
	i = hash_text(key) & (b->amap.cap - 1);
	while (b->amap.slots[i] != 0) {
		const struct report_group *g = &r->assignees[b->amap.slots[i] - 1];
		const char *gn = report_str(r, g->name);

		if (strcmp(gn ? gn : "", key) == 0) {
			*out = b->amap.slots[i] - 1;
			return 0;
		}
		i = (i + 1) & (b->amap.cap - 1);
	}
	if (r->nassignees == b->assignees_cap) {
		size_t ncap = b->assignees_cap ? b->assignees_cap * 2 : 16;
		struct report_group *q = realloc(r->assignees, ncap * sizeof *q);

		if (q == NULL)
			return -1;
		r->assignees = q;
		b->assignees_cap = ncap;
	}
	r->assignees[r->nassignees].name = *key != '\0' ? add_string(r, key) : 0;
	stats_init(&r->assignees[r->nassignees].stats);
	b->amap.slots[i] = (uint32_t)r->nassignees + 1;
	*out = (uint32_t)r->nassignees++;
	return 0;
}

static struct report_partner *partner_of(struct build *b, int64_t id, size_t *idx)
{
	struct report *r = b->r;
	size_t lo = 0, hi = r->npartners;

	if (id >= 0 && (uint64_t)id < b->npartner_by_id) {
		if (b->partner_by_id[id] == 0)
			return NULL;
		*idx = b->partner_by_id[id] - 1;
		return &r->partners[*idx];
	}
	if (b->last_partner < r->npartners && b->partner_ids[b->last_partner] == id) {
		*idx = b->partner_idx[b->last_partner];
		return &r->partners[*idx];
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->partner_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->npartners || b->partner_ids[lo] != id)
		return NULL;
	b->last_partner = lo;
	*idx = b->partner_idx[lo];
	return &r->partners[*idx];
}

/* The partner of a ticket with its schedule compiled. */
static struct report_partner *partner_ready(struct build *b, const struct store_ticket *t,
					    size_t *idx)
{
	struct report_partner *p = partner_of(b, t->partner_id, idx);

	if (p == NULL) {
		diag_set(b->d, DIAG_STORE, "ticket #%lld: no partner #%lld", (long long)t->id,
		    (long long)t->partner_id);
		return NULL;
	}
	if (p->sla == NULL && (p->sla = sla_cache_get(b->r->cache, p->p.id, b->d)) == NULL) {
		diag_prefix(b->d, "ticket #%lld", (long long)t->id);
		return NULL;
	}
	return p;
}

static int32_t clamp32(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

/* The outcome of one clock's status: a breach is excused when the ticket
 * says so; a clock standing still while waiting is pending. */
static enum report_outcome outcome_of(const struct sla_status *st)
{
	switch (st->state) {
	case SLA_MET:
		return REPORT_MET;
	case SLA_BREACHED:
		return st->excused ? REPORT_EXCUSED : st->stopped_at == STORE_NONE ?
		    REPORT_OVERDUE : REPORT_BREACHED;
	default:
		return REPORT_PENDING;
	}
}

/* The excuse as one string: the reason, NUL, the reference ("" when
 * none), so a row spends one offset on it. */
static uint32_t add_excuse(struct report *r, const struct store_ticket *t)
{
	uint32_t off = add_string(r, t->excuse_reason != NULL ? t->excuse_reason : "");

	if (off != 0)
		add_string(r, t->excuse_ref != NULL ? t->excuse_ref : "");
	return off;
}

int report_excuse(const struct report *r, const struct report_row *row,
		  const char **reason, const char **ref)
{
	const char *s = report_str(r, row->excuse);

	*reason = *ref = NULL;
	if (s == NULL)
		return 0;
	*reason = s;
	s += strlen(s) + 1;
	*ref = *s != '\0' ? s : NULL;
	return 1;
}

/* The resolution clock of row, when the ticket has one: one more status
 * from the same ticket, no query. */
static void resolve_row(const struct store_ticket *t, const struct report_partner *p,
			int64_t now_at, double at_risk, struct report_row *row)
{
	struct sla_status st;

	row->resolve_outcome = REPORT_NOUTCOMES;
	row->resolve_target_s = -1;
	row->resolve_deadline_at = STORE_NONE;
	if (t->resolve_target_s == STORE_NONE || t->resolve_deadline_at == STORE_NONE)
		return;
	sla_compute_resolve(t, p->sla->sched.cal, now_at, at_risk, &st);
	row->resolve_outcome = (uint8_t)outcome_of(&st);
	row->resolve_target_s = clamp32(t->resolve_target_s);
	row->resolve_deadline_at = t->resolve_deadline_at;
	if (st.state == SLA_WAITING)
		row->waiting |= REPORT_WAIT_RESOLVE;
}

/* Whether a reported ticket uses what a report shows only when some
 * ticket does (report.extended). */
static int row_extends(const struct store_ticket *t, const struct report_row *row)
{
	return row->resolve_outcome < REPORT_NOUTCOMES || t->excused_at != STORE_NONE ||
	    row->waiting != 0;
}

/* Whether a listing shows the row: breached, open and overdue or excused
 * on either clock.  Only these keep their summary, and only these are
 * kept at all unless every row is asked for (report_options.all_rows). */
static int row_listed(const struct report_row *row)
{
	return row->outcome == REPORT_BREACHED || row->outcome == REPORT_OVERDUE ||
	    row->outcome == REPORT_EXCUSED || row->resolve_outcome == REPORT_BREACHED ||
	    row->resolve_outcome == REPORT_OVERDUE || row->resolve_outcome == REPORT_EXCUSED;
}

/* Fills row from t: every field but the assignee's and the strings. */
static int row_figures(struct build *b, const struct store_ticket *t, struct report_row *row)
{
	struct sla_status st;
	struct report_partner *p;
	size_t pidx;

	if ((p = partner_ready(b, t, &pidx)) == NULL)
		return -1;
	sla_compute(t, p->sla->sched.cal, b->r->now_at, b->at_risk, &st);
	memset(row, 0, sizeof *row);
	row->id = t->id;
	row->created_at = t->created_at;
	row->deadline_at = t->deadline_at;
	row->first_response_at = t->first_response_at;
	row->resolved_at = t->resolved_at;
	row->target_s = clamp32(t->target_s);
	row->partner = (uint32_t)pidx;
	row->severity = (uint8_t)t->severity;
	row->response_s = t->first_response_at != STORE_NONE ? clamp32(st.elapsed_s) : -1;
	row->outcome = (uint8_t)outcome_of(&st);
	if (st.state == SLA_BREACHED) {
		row->overrun_s = clamp32(st.overrun_s);
		row->overrun_wall_s = clamp32(st.overrun_wall_s);
	}
	if (st.state == SLA_WAITING)
		row->waiting |= REPORT_WAIT_RESPONSE;
	resolve_row(t, p, b->r->now_at, b->at_risk, row);
	return 0;
}

/* The strings of a row that is kept.  Summaries are shown where breaches
 * are listed, and kept only there: a year of them would double the
 * memory of a year's report. */
static void row_strings(struct report *r, const struct store_ticket *t,
			struct report_row *row)
{
	row->key = add_string(r, t->key);
	if (row_listed(row))
		row->summary = add_string(r, t->summary);
	if (row->outcome == REPORT_EXCUSED || row->resolve_outcome == REPORT_EXCUSED)
		row->excuse = add_excuse(r, t);
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *q;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 256;
	if ((q = realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = q;
	*cap = ncap;
	return 0;
}

/* Room for one more row.  The rows are mapped (bigmem.h): a year's
 * hundred megabytes first touched in huge pages, not 25,000 faults. */
static int grow_rows(struct report *r)
{
	size_t ncap = r->rows_cap ? r->rows_cap * 2 : 256;
	struct report_row *q;

	if (r->nrows < r->rows_cap)
		return 0;
	if ((q = bigmem_resize(r->rows, r->rows_cap * sizeof *q, ncap * sizeof *q)) == NULL)
		return -1;
	r->rows = q;
	r->rows_cap = ncap;
	return 0;
}

static size_t bucket_of(const struct report_bucket *v, size_t n, int64_t at)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].to_at <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? lo : n - 1;
}

static int count_row(struct report *r, struct pct_input *in, const struct report_row *row,
		     size_t idx);

/* The rows put in from the end of the array moved after the others, in
 * id order: they came in id order, the last at the front. */
static void rows_settle(struct build *b)
{
	struct report *r = b->r;
	struct report_row *back = r->rows + r->rows_cap - b->nback;

	for (size_t i = 0, j = b->nback; i + 1 < j; i++, j--) {
		struct report_row t = back[i];

		back[i] = back[j - 1];
		back[j - 1] = t;
	}
	memmove(r->rows + r->nrows, back, b->nback * sizeof *back);
	r->nrows += b->nback;
	b->nback = 0;
	b->from_back = 0;
}

/* Where a kept row goes: the next place, or for the upper half (high)
 * the next one from the end (b->from_back).  Should the two meet (the
 * bound was short), the rows so far are settled and the rest appended:
 * sort_rows orders them.  NULL: out of memory. */
static struct report_row *row_slot(struct build *b, int high)
{
	struct report *r = b->r;

	if (b->from_back && r->nrows + b->nback == r->rows_cap)
		rows_settle(b);
	if (high && b->from_back)
		return &r->rows[r->rows_cap - 1 - b->nback++];
	if (grow_rows(r) < 0)
		return NULL;
	return &r->rows[r->nrows++];
}

/* A ticket due in the period: kept as a row when every row is asked for
 * or a listing shows it; else counted now and let go, so a year's report
 * does not hold a million rows to print ninety thousand.  high: from the
 * upper half of a pair's ids. */
static int due_one(const struct store_ticket *t, struct build *b, int high)
{
	struct report *r = b->r;
	struct report_row row, *slot;
	uint32_t g;

	if (assignee_group(b, t->assignee, &g) < 0) {
		b->nomem = 1;
		return 1;
	}
	if (row_figures(b, t, &row) < 0)
		return -1;
	row.assignee_group = g;
	row.assignee = r->assignees[g].name;
	if (row_extends(t, &row))
		r->extended = 1;
	if (!r->all_rows && !row_listed(&row)) {
		/* never the worst of a group: that one is breached, so kept */
		if (count_row(r, b->pct, &row, SIZE_MAX) < 0)
			b->nomem = 1;
		return b->nomem;
	}
	if ((slot = row_slot(b, high)) == NULL) {
		b->nomem = 1;
		return 1;
	}
	row_strings(r, t, &row);
	*slot = row;
	return 0;
}

static int overdue_one(const struct store_ticket *t, void *arg)
{
	struct build *b = arg;
	struct report *r = b->r;
	struct report_row *row;

	if (grow((void **)&r->overdue, &b->overdue_cap, r->noverdue, sizeof *r->overdue) < 0) {
		b->nomem = 1;
		return 1;
	}
	row = &r->overdue[r->noverdue];
	if (row_figures(b, t, row) < 0)
		return -1;
	row_strings(r, t, row);
	row->assignee = add_string(r, t->assignee);
	row->assignee_group = UINT32_MAX;
	/* what the query asks for; an excused one still awaits its answer */
	if (row->outcome == REPORT_OVERDUE || (row->outcome == REPORT_EXCUSED &&
	    row->first_response_at == STORE_NONE && row->resolved_at == STORE_NONE)) {
		if (row_extends(t, row))
			r->extended = 1;
		r->noverdue++;
	}
	return 0;
}

static int untimed_one(const struct store_ticket *t, void *arg)
{
	struct build *b = arg;
	struct report *r = b->r;
	struct report_partner *p;
	size_t pidx;
	uint32_t g;

	if ((p = partner_of(b, t->partner_id, &pidx)) == NULL)
		return 0;
	if (assignee_group(b, t->assignee, &g) < 0) {
		b->nomem = 1;
		return 1;
	}
	r->total.untimed++;
	if (t->severity >= 0 && t->severity < STORE_NSEV)
		r->by_severity[t->severity].untimed++;
	p->stats.untimed++;
	p->listed = 1;
	r->assignees[g].stats.untimed++;
	return 0;
}

/* ---- reading the rows ------------------------------------------------------ */

/* The kinds of rows the scan hands over: ROW_DUE_HIGH is due, from the
 * upper half of a pair's ids. */
enum { ROW_DUE, ROW_DUE_HIGH, ROW_UNTIMED, ROW_OVERDUE };

/* From this many tickets due, the scan reads on the second core while
 * this one counts: half of a year's report is SQLite's own work. */
#define REPORT_PIPE_FROM 16384

struct report_scan {
	struct store *s;
	const struct store_report_plan *plan;
	const struct store_report_filter *f;		/* the period's */
	const struct store_report_filter *overdue;	/* NULL: not this scan's */
	int64_t now_at;
	int due_tag;			/* ROW_DUE, or ROW_DUE_HIGH */
	struct scanpipe *p;		/* the scan's, once it runs */
};

static int put_due(const struct store_ticket *t, void *arg)
{
	struct report_scan *x = arg;

	return scanpipe_put(x->p, t, x->due_tag, NULL);
}

static int put_untimed(const struct store_ticket *t, void *arg)
{
	return scanpipe_put(((struct report_scan *)arg)->p, t, ROW_UNTIMED, NULL);
}

static int put_overdue(const struct store_ticket *t, void *arg)
{
	return scanpipe_put(((struct report_scan *)arg)->p, t, ROW_OVERDUE, NULL);
}

/* The scan (scanpipe.h): the period's tickets, then the overdue ones. */
static int report_scan(struct scanpipe *p, void *arg, struct diag *d)
{
	struct report_scan *x = arg;
	int rc;

	x->p = p;
	rc = store_report_period(x->s, x->plan, x->f, put_due, put_untimed, x, d);
	if (rc != 0 || x->overdue == NULL)
		return rc;
	return store_report_overdue(x->s, x->overdue, x->now_at, put_overdue, x, d);
}

static int row_in(const struct store_ticket *t, int tag, void *extra, void *arg)
{
	(void)extra;
	switch (tag) {
	case ROW_DUE:
	case ROW_DUE_HIGH: return due_one(t, arg, tag == ROW_DUE_HIGH);
	case ROW_UNTIMED: return untimed_one(t, arg);
	default: return overdue_one(t, arg);
	}
}

/* From this many tickets due over the whole table, and ids as many, the
 * period is read on two helpers at once, each half of the ids on a
 * connection of its own (the twin reads the same snapshot): one helper
 * stepping a year's table was what the counting waited for.  Each half
 * comes in id order; when every row is kept, the upper half's go in from
 * the end (row_slot) and both end in id order, else sort_rows orders the
 * few kept. */
#define REPORT_PAIR_FROM 32768

static int read_pair(struct build *b, struct store *s, const struct store_report_plan *plan,
		     const struct store_report_filter *f, struct diag *d)
{
	struct store_report_filter half[2] = { *f, *f };
	struct report_scan x[2] = {
		{ s, plan, &half[0], b->r->rows_only ? NULL : f, b->r->now_at, ROW_DUE, NULL },
		{ b->twin, plan, &half[1], NULL, b->r->now_at, ROW_DUE_HIGH, NULL },
	};
	scanpipe_scan_fn scan[2] = { report_scan, report_scan };
	void *arg[2] = { &x[0], &x[1] };
	int rc;

	half[0].id_to = b->split;
	half[1].id_from = b->split;
	b->from_back = b->r->all_rows && b->r->rows != NULL;
	rc = scanpipe_run_pair(scan, arg, row_in, b, d);
	if (b->from_back)
		rows_settle(b);
	return rc;
}

/* The rows, counted as they come.  The scan has the second core to
 * itself when the rows are many and no audit trail is being verified
 * there; then the counting side must not touch the store, so every
 * partner in scope is read first (and compiled when its first row is
 * counted, as always). */
static int read_rows(struct build *b, struct store *s, const struct store_report_plan *plan,
		     const struct store_report_filter *f, struct diag *d)
{
	struct report *r = b->r;
	struct report_scan x = { s, plan, f, r->rows_only ? NULL : f, r->now_at, ROW_DUE, NULL };

	if (r->evidence || plan->due_bound < REPORT_PIPE_FROM)
		return scanpipe_direct(report_scan, &x, row_in, b, d);
	for (size_t i = 0; i < r->npartners; i++)
		if (r->partners[i].in_scope &&
		    sla_cache_load(r->cache, r->partners[i].p.id, d) == NULL)
			return -1;
	if (b->twin != NULL && plan->table_scan && plan->due_bound >= REPORT_PAIR_FROM)
		return read_pair(b, s, plan, f, d);
	return scanpipe_run(report_scan, &x, row_in, b, d);
}

/* The report's one snapshot begun (store_report_begin); for a report
 * without the evidence over many ticket ids, with a twin reading the
 * same one (store_twin_begin), should the period be read on two helpers.
 * A twin that cannot be had leaves the plain snapshot. */
static int report_begin(struct build *b, struct store *s, struct diag *d)
{
	struct diag none;

	diag_clear(&none);
	if (!b->r->evidence && cores_usable() > 1 &&
	    (b->twin = store_twin_begin(s, REPORT_PAIR_FROM, &b->split, &none)) != NULL)
		return 0;
	return store_report_begin(s, d);
}

static void report_end(struct build *b, struct store *s)
{
	if (b->twin != NULL)
		store_twin_end(s, b->twin);
	else
		store_report_end(s);
	b->twin = NULL;
}

/* Buckets [from, to) cut at local midnights, Mondays or firsts of months. */
static int make_buckets(const struct tz *tz, int64_t from_at, int64_t to_at,
			enum report_unit unit, struct report_bucket **out, size_t *n)
{
	struct report_bucket *v = NULL;
	size_t cap = 0, k = 0;
	int64_t at = from_at;

	while (at < to_at) {
		int64_t day = local_day(tz, at), nextday, y, wy;
		int m, dd, w;
		struct report_bucket *bk;

		civil_ymd_from_days(day, &y, &m, &dd);
		if (unit == REPORT_DAY)
			nextday = day + 1;
		else if (unit == REPORT_WEEK_UNIT)
			nextday = monday_of(day) + 7;
		else
			nextday = civil_days_from_ymd(y, m, 1) + civil_days_in_month(y, m);
		if (grow((void **)&v, &cap, k, sizeof *v) < 0) {
			free(v);
			return -1;
		}
		bk = &v[k++];
		memset(bk, 0, sizeof *bk);
		stats_init(&bk->stats);
		bk->from_at = at;
		bk->to_at = midnight(tz, nextday);
		if (bk->to_at <= at)		/* cannot happen; never loop forever */
			bk->to_at = at + 1;
		if (bk->to_at > to_at)
			bk->to_at = to_at;
		if (unit == REPORT_DAY) {
			char ds[CIVIL_ISO_LEN];

			civil_format_day(day, ds);
			snprintf(bk->label, sizeof bk->label, "%.3s %.10s",
			    civil_weekday_name(civil_weekday(day)), ds);
		} else if (unit == REPORT_WEEK_UNIT) {
			iso_week(monday_of(day), &wy, &w);
			snprintf(bk->label, sizeof bk->label, "%04lld-W%02d", (long long)wy, w);
		} else
			snprintf(bk->label, sizeof bk->label, "%04lld-%02d", (long long)y, m);
		at = bk->to_at;
	}
	*out = v;
	*n = k;
	return 0;
}

/* A key and what it carries (a row's index). */
struct radix_item {
	uint64_t key;
	uint64_t val;
};

/* LSD radix sort by key, 16 bits at a time, skipping digits that are the
 * same in every key.  Stable. */
static int radix_sort(struct radix_item *v, size_t n)
{
	struct radix_item *tmp;
	size_t *count;

	if (n < 2)
		return 0;
	if ((tmp = malloc(n * sizeof *tmp)) == NULL)
		return -1;
	if ((count = malloc(65536 * sizeof *count)) == NULL) {
		free(tmp);
		return -1;
	}
	for (int shift = 0; shift < 64; shift += 16) {
		size_t sum = 0;
		uint64_t first = (v[0].key >> shift) & 0xffff;
		int same = 1;

		memset(count, 0, 65536 * sizeof *count);
		for (size_t i = 0; i < n; i++) {
			uint64_t dgt = (v[i].key >> shift) & 0xffff;

			count[dgt]++;
			same &= dgt == first;
		}
		if (same)
			continue;
		for (size_t i = 0; i < 65536; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i].key >> shift) & 0xffff]++] = v[i];
		memcpy(v, tmp, n * sizeof *v);
	}
	free(count);
	free(tmp);
	return 0;
}

/* Puts the rows in id order (the order tickets were recorded), in place:
 * a table scan delivers them so already; an index scan delivers them by
 * deadline, and only a modest number of them (see store-report.h). */
static int sort_rows(struct report *r)
{
	struct radix_item *keys;
	size_t n = r->nrows;
	int64_t base;
	int sorted = 1;

	for (size_t i = 1; i < n && sorted; i++)
		sorted = r->rows[i - 1].id < r->rows[i].id;
	if (sorted)
		return 0;
	if ((keys = malloc(n * sizeof *keys)) == NULL)
		return -1;
	base = r->rows[0].id;
	for (size_t i = 0; i < n; i++)
		if (r->rows[i].id < base)
			base = r->rows[i].id;
	for (size_t i = 0; i < n; i++) {
		keys[i].key = (uint64_t)(r->rows[i].id - base);
		keys[i].val = i;
	}
	if (radix_sort(keys, n) < 0) {
		free(keys);
		return -1;
	}
	/* position i takes the row at keys[i].val; a done position is marked
	 * by keys[i].val == i */
	for (size_t i = 0; i < n; i++) {
		struct report_row hold;
		size_t j = i;

		if (keys[i].val == i)
			continue;
		hold = r->rows[i];
		for (;;) {
			size_t from = (size_t)keys[j].val;

			keys[j].val = j;
			if (from == i) {
				r->rows[j] = hold;
				break;
			}
			r->rows[j] = r->rows[from];
			j = from;
		}
	}
	free(keys);
	return 0;
}

/* Nearest rank: the smallest value with at least p% of them at or below. */
static int64_t rank_of(int64_t n, int p)
{
	return (n * p + 99) / 100;
}

enum pct_kind {
	PCT_TOTAL, PCT_SEVERITY, PCT_PARTNER, PCT_ASSIGNEE, PCT_TREND, PCT_MONTH, PCT_NKINDS
};

/* The response times of the rows that have one, with the group of each
 * under every kind, gathered in the pass that counts the rows: the
 * percentiles then read these small arrays, not the rows again (a year's
 * rows are a hundred megabytes, and each pass over them cost more than
 * the selections). */
struct pct_input {
	uint32_t *vals;
	/* [PCT_TOTAL] unused; [PCT_MONTH] may be [PCT_TREND] when the buckets
	 * are the same.  Two bytes a value where the groups are that few
	 * (wide[k] 0), as they nearly always are: less memory to touch. */
	void *group[PCT_NKINDS];
	int wide[PCT_NKINDS];
	size_t n, cap;
};

/* The bytes a group of kind k takes per value. */
static size_t pct_group_size(const struct pct_input *in, int k)
{
	return in->wide[k] ? sizeof(uint32_t) : sizeof(uint16_t);
}

/* The arrays are mapped (bigmem.h): a year's are megabytes, and huge
 * pages fault them in a few hundred times fewer. */
static void pct_input_free(struct pct_input *in)
{
	bigmem_free(in->vals, in->cap * sizeof *in->vals);
	for (int k = PCT_SEVERITY; k < PCT_NKINDS; k++)
		if (k != PCT_MONTH || in->group[k] != in->group[PCT_TREND])
			bigmem_free(in->group[k], in->cap * pct_group_size(in, k));
	memset(in, 0, sizeof *in);
}

static void pct_set_group(struct pct_input *in, int k, size_t i, size_t g)
{
	if (in->wide[k])
		((uint32_t *)in->group[k])[i] = (uint32_t)g;
	else
		((uint16_t *)in->group[k])[i] = (uint16_t)g;
}

static size_t pct_group_at(const struct pct_input *in, int k, size_t i)
{
	return in->wide[k] ? ((const uint32_t *)in->group[k])[i] :
	    ((const uint16_t *)in->group[k])[i];
}

/* The month buckets of the evidence are the trend's when the trend is
 * by month too (a year): one lookup serves both. */
static int months_are_trend(const struct report *r)
{
	return r->trend_unit == REPORT_MONTH_UNIT && r->nmonths == r->ntrend;
}

static size_t pct_groups(const struct report *r, enum pct_kind kind);

/* Whether kind k keeps groups of its own: not the months when they are
 * the trend's buckets, nor a kind without groups.  Assignees are found as
 * the rows come, so they always have theirs. */
static int pct_own_array(const struct report *r, int k)
{
	if (k == PCT_MONTH && months_are_trend(r))
		return 0;
	return k == PCT_ASSIGNEE || pct_groups(r, (enum pct_kind)k) > 0;
}

/* Room for cap values.  Assignees are found as the rows come, so their
 * groups always take four bytes; every other kind's count is known. */
static int pct_input_reserve(const struct report *r, struct pct_input *in, size_t cap)
{
	void *nv[PCT_NKINDS] = { NULL };
	int fail = 0;

	if (cap <= in->cap)
		return 0;
	/* every array anew, then the values moved: on failure the old ones
	 * stay as they were, all of in->cap */
	fail = (nv[PCT_TOTAL] = bigmem_resize(NULL, 0, cap * sizeof *in->vals)) == NULL;
	for (int k = PCT_SEVERITY; k < PCT_NKINDS && !fail; k++)
		if (pct_own_array(r, k))
			fail = (nv[k] = bigmem_resize(NULL, 0, cap * pct_group_size(in, k))) == NULL;
	if (fail) {
		bigmem_free(nv[PCT_TOTAL], cap * sizeof *in->vals);
		for (int k = PCT_SEVERITY; k < PCT_NKINDS; k++)
			bigmem_free(nv[k], cap * pct_group_size(in, k));
		return -1;
	}
	if (in->n > 0)
		memcpy(nv[PCT_TOTAL], in->vals, in->n * sizeof *in->vals);
	bigmem_free(in->vals, in->cap * sizeof *in->vals);
	in->vals = nv[PCT_TOTAL];
	for (int k = PCT_SEVERITY; k < PCT_NKINDS; k++) {
		if (!pct_own_array(r, k))
			continue;
		if (in->n > 0)
			memcpy(nv[k], in->group[k], in->n * pct_group_size(in, k));
		bigmem_free(in->group[k], in->cap * pct_group_size(in, k));
		in->group[k] = nv[k];
	}
	if (months_are_trend(r))
		in->group[PCT_MONTH] = in->group[PCT_TREND];
	in->cap = cap;
	return 0;
}

static int pct_input_alloc(const struct report *r, struct pct_input *in, size_t cap)
{
	memset(in, 0, sizeof *in);
	for (int k = PCT_SEVERITY; k < PCT_NKINDS; k++)
		in->wide[k] = k == PCT_MONTH && months_are_trend(r) ? in->wide[PCT_TREND] :
		    k == PCT_ASSIGNEE || pct_groups(r, (enum pct_kind)k) > UINT16_MAX;
	if (pct_input_reserve(r, in, cap ? cap : 1) < 0) {
		pct_input_free(in);
		return -1;
	}
	return 0;
}

/* One row (at index idx of the kept rows) in every count, per group and
 * per bucket; its response time goes to the percentiles' input. */
static int count_row(struct report *r, struct pct_input *in, const struct report_row *row,
		     size_t idx)
{
	int shared = months_are_trend(r);
	size_t tb = 0, mb = 0;

	stats_add(&r->total, row, idx);
	stats_add(&r->by_severity[row->severity], row, idx);
	stats_add(&r->partners[row->partner].stats, row, idx);
	stats_add(&r->assignees[row->assignee_group].stats, row, idx);
	r->partners[row->partner].listed = 1;
	if (r->ntrend > 0) {
		tb = bucket_of(r->trend, r->ntrend, row->deadline_at);
		stats_add(&r->trend[tb].stats, row, idx);
	}
	if (r->nmonths > 0) {
		mb = shared ? tb : bucket_of(r->months, r->nmonths, row->deadline_at);
		stats_add(&r->months[mb].stats, row, idx);
	}
	if (row->response_s >= 0) {
		size_t k = in->n;

		if (k == in->cap && pct_input_reserve(r, in, in->cap * 2) < 0)
			return -1;
		in->n++;
		in->vals[k] = (uint32_t)row->response_s;
		pct_set_group(in, PCT_SEVERITY, k, row->severity);
		pct_set_group(in, PCT_PARTNER, k, row->partner);
		pct_set_group(in, PCT_ASSIGNEE, k, row->assignee_group);
		if (r->ntrend > 0)
			pct_set_group(in, PCT_TREND, k, tb);
		if (r->nmonths > 0 && !shared)
			pct_set_group(in, PCT_MONTH, k, mb);
	}
	return 0;
}

/* The kept rows, in their final order, in every count (the rows let go
 * were counted as they came). */
static int count_rows(struct report *r, struct pct_input *in)
{
	if (pct_input_reserve(r, in, in->n + r->nrows) < 0)
		return -1;
	for (size_t i = 0; i < r->nrows; i++)
		if (count_row(r, in, &r->rows[i], i) < 0)
			return -1;
	return 0;
}

static struct report_stats *pct_stats(struct report *r, enum pct_kind kind, size_t g)
{
	switch (kind) {
	case PCT_TOTAL:
	case PCT_NKINDS:
		return &r->total;
	case PCT_SEVERITY:
		return &r->by_severity[g];
	case PCT_PARTNER:
		return &r->partners[g].stats;
	case PCT_ASSIGNEE:
		return &r->assignees[g].stats;
	case PCT_TREND:
		return &r->trend[g].stats;
	case PCT_MONTH:
		return &r->months[g].stats;
	}
	return &r->total;
}

static size_t pct_groups(const struct report *r, enum pct_kind kind)
{
	switch (kind) {
	case PCT_TOTAL:
	case PCT_NKINDS:
		return 1;
	case PCT_SEVERITY:
		return STORE_NSEV;
	case PCT_PARTNER:
		return r->npartners;
	case PCT_ASSIGNEE:
		return r->nassignees;
	case PCT_TREND:
		return r->ntrend;
	case PCT_MONTH:
		return r->nmonths;
	}
	return 1;
}

/* The k-th smallest of v[0..n) (k from 0), moving the others so that
 * none before k is larger and none after it smaller (Hoare's selection:
 * linear time on average, where sorting would be n log n). */
uint32_t report_select_kth(uint32_t *v, size_t n, size_t k)
{
	int64_t lo = 0, hi = (int64_t)n - 1, want = (int64_t)k;

	while (lo < hi) {
		uint32_t a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
		uint32_t pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		int64_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				uint32_t t = v[i];

				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			break;		/* between j and i: all equal to the pivot */
	}
	return v[want];
}

/* The percentiles of every group of one kind, exactly, without dealing
 * the values out to their groups: a histogram of each group's values by
 * their top bits tells which bucket holds the median and which the 90th
 * percentile; only the values in those buckets are gathered, and the
 * selections run over them.  Two passes over the small arrays, where
 * dealing out a year's million values and selecting among all of them
 * took three times as long. */
#define PCT_BUCKETS 4096		/* a group's buckets, at most */
#define PCT_HIST_MAX ((size_t)1 << 19)	/* counters in one kind's histogram */

/* Where one group's median (0) and 90th percentile (1) are. */
struct pct_pick {
	uint32_t bucket[2];
	size_t rank[2];		/* in the group, from 0 */
	size_t below[2];	/* the group's values in lower buckets */
	size_t at[2], n[2];	/* its bucket's values, gathered at cand + at */
};

static size_t pct_group_of(const struct pct_input *in, enum pct_kind kind, size_t i)
{
	return kind == PCT_TOTAL ? 0 : pct_group_at(in, kind, i);
}

/* The bucket of each rank of group g (its row of the histogram h). */
static void pct_find(struct pct_pick *pk, const uint32_t *h, size_t nb, size_t cnt)
{
	size_t below = 0;
	int j = 0;

	pk->rank[0] = (size_t)rank_of((int64_t)cnt, 50) - 1;
	pk->rank[1] = (size_t)rank_of((int64_t)cnt, 90) - 1;
	for (size_t b = 0; b < nb && j < 2; b++) {
		while (j < 2 && pk->rank[j] < below + h[b]) {
			pk->bucket[j] = (uint32_t)b;
			pk->below[j] = below;
			pk->n[j] = h[b];
			j++;
		}
		below += h[b];
	}
}

static int pct_kind(struct report *r, enum pct_kind kind, const struct pct_input *in,
		    uint32_t maxv)
{
	size_t ng = pct_groups(r, kind), nb = PCT_BUCKETS, ncand = 0;
	uint32_t *h, *cand;
	struct pct_pick *pk;
	int shift = 0;

	if (ng == 0)
		return 0;
	while (nb > 1 && ng * nb > PCT_HIST_MAX)
		nb /= 2;
	while ((maxv >> shift) >= nb)
		shift++;
	if ((h = calloc(ng * nb, sizeof *h)) == NULL)
		return -1;
	if ((pk = calloc(ng, sizeof *pk)) == NULL) {
		free(h);
		return -1;
	}
	for (size_t i = 0; i < in->n; i++)
		h[pct_group_of(in, kind, i) * nb + (in->vals[i] >> shift)]++;
	for (size_t g = 0; g < ng; g++) {
		size_t cnt = 0;

		for (size_t b = 0; b < nb; b++)
			cnt += h[g * nb + b];
		if (cnt == 0)
			continue;
		pct_find(&pk[g], h + g * nb, nb, cnt);
		pk[g].at[0] = ncand;
		ncand += pk[g].n[0];
		if (pk[g].bucket[1] == pk[g].bucket[0])
			pk[g].at[1] = pk[g].at[0];	/* one gathering serves both */
		else {
			pk[g].at[1] = ncand;
			ncand += pk[g].n[1];
		}
		pk[g].n[0] = pk[g].n[1] = 0;	/* now the count gathered */
	}
	free(h);
	if ((cand = malloc((ncand ? ncand : 1) * sizeof *cand)) == NULL) {
		free(pk);
		return -1;
	}
	for (size_t i = 0; i < in->n; i++) {
		struct pct_pick *p = &pk[pct_group_of(in, kind, i)];
		uint32_t v = in->vals[i], b = v >> shift;

		if (b == p->bucket[0])
			cand[p->at[0] + p->n[0]++] = v;
		else if (b == p->bucket[1])
			cand[p->at[1] + p->n[1]++] = v;
	}
	for (size_t g = 0; g < ng; g++) {
		struct pct_pick *p = &pk[g];
		struct report_stats *st;

		if (p->n[0] == 0)
			continue;	/* no values */
		if (p->bucket[1] == p->bucket[0])
			p->n[1] = p->n[0];
		st = pct_stats(r, kind, g);
		st->median_s = report_select_kth(cand + p->at[0], p->n[0], p->rank[0] - p->below[0]);
		st->p90_s = report_select_kth(cand + p->at[1], p->n[1], p->rank[1] - p->below[1]);
	}
	free(cand);
	free(pk);
	return 0;
}

static int percentiles(struct report *r, struct pct_input *in)
{
	uint32_t maxv = 0;
	int rc = 0;

	if (in->n > UINT32_MAX)		/* beyond the histograms' counters */
		return -1;
	for (size_t i = 0; i < in->n; i++)
		if (in->vals[i] > maxv)
			maxv = in->vals[i];
	for (int k = PCT_TOTAL; k < PCT_NKINDS && rc == 0; k++)
		rc = pct_kind(r, (enum pct_kind)k, in, maxv);
	return rc;
}

/* The worst-first order: working overrun, then wall-clock overrun (both
 * the larger first), then the earlier deadline, then the id. */
static int cmp_row(const void *x, const void *y)
{
	const struct report_row *a = x, *b = y;

	if (a->overrun_s != b->overrun_s)
		return a->overrun_s > b->overrun_s ? -1 : 1;
	if (a->overrun_wall_s != b->overrun_wall_s)
		return a->overrun_wall_s > b->overrun_wall_s ? -1 : 1;
	if (a->deadline_at != b->deadline_at)
		return a->deadline_at < b->deadline_at ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* A signed number as an unsigned one in the same order, or reversed. */
static uint64_t order_i64(int64_t v)
{
	return (uint64_t)v ^ (UINT64_C(1) << 63);
}

static uint32_t reverse_i32(int32_t v)
{
	return ~((uint32_t)v ^ UINT32_C(0x80000000));
}

static int cmp_partner_key(const void *x, const void *y)
{
	const struct report_partner *a = x, *b = y;

	return strcmp(a->p.key, b->p.key);
}

struct group_key {
	const char *name;		/* NULL = unassigned */
	size_t idx;
};

static int cmp_group_key(const void *x, const void *y)
{
	const char *a = ((const struct group_key *)x)->name;
	const char *b = ((const struct group_key *)y)->name;

	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);	/* unassigned last */
	return strcmp(a, b);
}

/* The rows excused on either clock, and those whose resolution clock is
 * breached or open and overdue, each in id order. */
static int list_rows(struct report *r)
{
	size_t ne = 0, nr = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[i];

		ne += row->outcome == REPORT_EXCUSED || row->resolve_outcome == REPORT_EXCUSED;
		nr += row->resolve_outcome == REPORT_BREACHED ||
		    row->resolve_outcome == REPORT_OVERDUE;
	}
	if ((ne > 0 && (r->excused = malloc(ne * sizeof *r->excused)) == NULL) ||
	    (nr > 0 && (r->resolve_breaches = malloc(nr * sizeof *r->resolve_breaches)) == NULL))
		return -1;
	for (size_t i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[i];

		if (row->outcome == REPORT_EXCUSED || row->resolve_outcome == REPORT_EXCUSED)
			r->excused[r->nexcused++] = i;
		if (row->resolve_outcome == REPORT_BREACHED || row->resolve_outcome == REPORT_OVERDUE)
			r->resolve_breaches[r->nresolve_breaches++] = i;
	}
	r->has_resolve = r->total.resolve.timed > 0;
	return 0;
}

/* The breached and overdue rows worst first (cmp_row's order), by two
 * stable radix sorts: the rows are in id order, so sorting them by
 * deadline and then by the overruns leaves ties in deadline, then id,
 * order. */
static int sort_breaches(struct report *r)
{
	struct radix_item *k;
	size_t n = 0;

	r->nbreaches = (size_t)(r->total.n[REPORT_BREACHED] + r->total.n[REPORT_OVERDUE]);
	if (r->nbreaches == 0)
		return 0;
	if ((r->breaches = malloc(r->nbreaches * sizeof *r->breaches)) == NULL ||
	    (k = malloc(r->nbreaches * sizeof *k)) == NULL)
		return -1;
	for (size_t i = 0; i < r->nrows && n < r->nbreaches; i++)
		if (r->rows[i].outcome == REPORT_BREACHED || r->rows[i].outcome == REPORT_OVERDUE) {
			k[n].key = order_i64(r->rows[i].deadline_at);
			k[n++].val = i;
		}
	if (radix_sort(k, n) < 0) {
		free(k);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct report_row *row = &r->rows[k[i].val];

		k[i].key = (uint64_t)reverse_i32(row->overrun_s) << 32 |
		    reverse_i32(row->overrun_wall_s);
	}
	if (radix_sort(k, n) < 0) {
		free(k);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		r->breaches[i] = (size_t)k[i].val;
	free(k);
	return 0;
}

/* Assignees by name, unassigned last; rows and the response times
 * already gathered follow their group. */
static int sort_assignees(struct report *r, struct pct_input *in)
{
	struct group_key *k;
	struct report_group *sorted;
	uint32_t *map;

	if (r->nassignees == 0)
		return 0;
	k = malloc(r->nassignees * sizeof *k);
	sorted = malloc(r->nassignees * sizeof *sorted);
	map = malloc(r->nassignees * sizeof *map);
	if (k == NULL || sorted == NULL || map == NULL) {
		free(k);
		free(sorted);
		free(map);
		return -1;
	}
	for (size_t i = 0; i < r->nassignees; i++) {
		k[i].name = report_str(r, r->assignees[i].name);
		k[i].idx = i;
	}
	qsort(k, r->nassignees, sizeof *k, cmp_group_key);
	for (size_t i = 0; i < r->nassignees; i++) {
		sorted[i] = r->assignees[k[i].idx];
		map[k[i].idx] = (uint32_t)i;
	}
	for (size_t i = 0; i < r->nrows; i++)
		r->rows[i].assignee_group = map[r->rows[i].assignee_group];
	for (size_t i = 0; i < in->n; i++)
		pct_set_group(in, PCT_ASSIGNEE, i, map[pct_group_at(in, PCT_ASSIGNEE, i)]);
	memcpy(r->assignees, sorted, r->nassignees * sizeof *sorted);
	free(k);
	free(sorted);
	free(map);
	return 0;
}

/* Partner ids are small numbers given out in turn: when the largest is
 * below PARTNER_BY_ID_MAX, a row's partner is one look-up by its id. */
#define PARTNER_BY_ID_MAX 65536

static void index_partners_by_id(struct build *b)
{
	struct report *r = b->r;
	int64_t max = r->npartners > 0 ? b->partner_ids[r->npartners - 1] : -1;

	/* otherwise (or without the memory) the sorted ids serve */
	if (r->npartners == 0 || b->partner_ids[0] < 0 || max >= PARTNER_BY_ID_MAX ||
	    (b->partner_by_id = calloc((size_t)max + 1, sizeof *b->partner_by_id)) == NULL)
		return;
	for (size_t j = 0; j < r->npartners; j++)
		b->partner_by_id[b->partner_ids[j]] = (uint32_t)b->partner_idx[j] + 1;
	b->npartner_by_id = (size_t)max + 1;
}

static int load_partners(struct build *b, const struct report_options *o, struct diag *d)
{
	struct report *r = b->r;
	struct store_partner *v;
	size_t n;
	int64_t only = 0;

	if (o->partner != NULL) {
		struct store_partner p;

		store_partner_init(&p);
		if (store_partner_get(b->store, o->partner, &p, d) < 0) {
			diag_prefix(d, "--partner");
			return -1;
		}
		only = p.id;
		if ((r->filter_partner = strdup(p.key)) == NULL) {
			store_partner_release(&p);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
		store_partner_release(&p);
	}
	if (store_partner_list(b->store, 1, &v, &n, d) < 0)
		return -1;
	if ((r->partners = calloc(n ? n : 1, sizeof *r->partners)) == NULL ||
	    (b->partner_ids = malloc((n ? n : 1) * sizeof *b->partner_ids)) == NULL ||
	    (b->partner_idx = malloc((n ? n : 1) * sizeof *b->partner_idx)) == NULL) {
		store_partner_list_free(v, n);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		r->partners[i].p = v[i];
		store_partner_init(&v[i]);
		r->partners[i].in_scope = only == 0 || r->partners[i].p.id == only;
		r->partners[i].ticket_url = ticketurl_template(r->links, r->partners[i].p.key);
		stats_init(&r->partners[i].stats);
	}
	r->npartners = n;
	store_partner_list_free(v, n);
	qsort(r->partners, n, sizeof *r->partners, cmp_partner_key);
	/* id -> index, by insertion into a sorted array (few partners) */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (j > 0 && b->partner_ids[j - 1] > r->partners[i].p.id) {
			b->partner_ids[j] = b->partner_ids[j - 1];
			b->partner_idx[j] = b->partner_idx[j - 1];
			j--;
		}
		b->partner_ids[j] = r->partners[i].p.id;
		b->partner_idx[j] = i;
	}
	index_partners_by_id(b);
	return 0;
}

int report_explain(const struct report *r, size_t i, struct report_explain *e)
{
	const struct report_row *row;
	const struct report_partner *p;
	struct diag d;

	memset(e, 0, sizeof *e);
	e->computed_at = STORE_NONE;
	if (i >= r->nbreaches) {
		snprintf(e->error, sizeof e->error, "no such breach");
		return -1;
	}
	e->row = r->breaches[i];
	row = &r->rows[e->row];
	p = &r->partners[row->partner];
	diag_clear(&d);
	if (p->sla == NULL)
		snprintf(e->error, sizeof e->error, "the partner's schedule is not loaded");
	else if (cal_deadline(p->sla->sched.cal, row->created_at, row->target_s,
	    &e->computed_at, &d) < 0 ||
	    cal_explain(p->sla->sched.cal, row->created_at, row->target_s, &e->steps,
	    &e->nsteps, &d) < 0) {
		snprintf(e->error, sizeof e->error, "%.159s", d.msg);
		return d.code == DIAG_NOMEM ? -1 : 0;
	}
	return 0;
}

void report_explain_release(struct report_explain *e)
{
	free(e->steps);
	e->steps = NULL;
	e->nsteps = 0;
}

struct explain_each {
	const struct report *r;
	report_explain_fn *one;
};

static void explain_each_one(struct buf *b, size_t i, const void *arg)
{
	const struct explain_each *x = arg;
	struct report_explain e;

	if (report_explain(x->r, i, &e) < 0)
		b->failed = 1;		/* out of memory */
	x->one(b, x->r, i, &e);
	report_explain_release(&e);
}

void report_out_explanations(struct report_out *o, const struct report *r,
			     report_explain_fn *one)
{
	struct explain_each x = { r, one };

	report_out_rows(o, r->nbreaches, explain_each_one, &x);
}

/* What the rows add up to: the counts and percentiles, then the
 * listings worst first.  A serial pass over every row kept: a CSV on its
 * own (rows_only) shows none of it. */
static int figures(struct report *r, struct pct_input *in)
{
	if (count_rows(r, in) < 0 || percentiles(r, in) < 0 || sort_breaches(r) < 0 ||
	    list_rows(r) < 0)
		return -1;
	if (r->noverdue > 1)
		qsort(r->overdue, r->noverdue, sizeof *r->overdue, cmp_row);
	return 0;
}

struct report *report_build(struct store *s, const struct report_options *o,
			    struct diag *d)
{
	struct report *r = calloc(1, sizeof *r);
	struct store_report_filter f;
	struct build b;
	struct store_report_plan plan;
	struct pct_input pct;
	int64_t span, bound;
	int rc;

	memset(&pct, 0, sizeof pct);
	if (r == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	memset(&b, 0, sizeof b);
	b.r = r;
	b.pct = &pct;
	r->all_rows = o->all_rows;
	r->rows_only = o->all_rows && o->rows_only;
	r->json_schema = o->json_schema;
	b.store = s;
	b.at_risk = o->at_risk;
	b.d = d;
	buf_init(&r->strings);
	r->strings.cap = (size_t)UINT32_MAX;
	buf_addc(&r->strings, '\0');		/* offset 0 means none */
	r->now_at = o->now_at;
	r->period = o->period;
	r->filter_severity = o->severity;
	r->links = o->links;
	stats_init(&r->total);
	for (int i = 0; i < STORE_NSEV; i++)
		stats_init(&r->by_severity[i]);
	if ((r->generator = strdup(o->generator ? o->generator : "slatrack")) == NULL ||
	    (o->assignee != NULL && (r->filter_assignee = strdup(o->assignee)) == NULL) ||
	    (r->cache = sla_cache_new(s)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	if ((r->tz = tz_load(o->zone, d)) == NULL) {
		diag_prefix(d, "--tz");
		goto fail;
	}
	if (report_period_resolve(o->period, o->period_arg, o->since_at, o->until_at, r->tz,
	    o->now_at, &r->from_at, &r->to_at, r->label, d) < 0)
		goto fail;
	r->evidence = o->evidence < 0 ? o->period == REPORT_YEAR : o->evidence != 0;
	span = r->to_at - r->from_at;
	r->trend_unit = span <= 32 * (int64_t)CIVIL_DAY_S ? REPORT_DAY :
	    span <= 190 * (int64_t)CIVIL_DAY_S ? REPORT_WEEK_UNIT : REPORT_MONTH_UNIT;
	if (make_buckets(r->tz, r->from_at, r->to_at, r->trend_unit, &r->trend,
	    &r->ntrend) < 0 || (r->evidence && make_buckets(r->tz, r->from_at, r->to_at,
	    REPORT_MONTH_UNIT, &r->months, &r->nmonths) < 0)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	/* one snapshot: tickets, partners and the audit trail agree */
	if (report_begin(&b, s, d) < 0)
		goto fail;
	/* the chain is verified on threads of its own while the rows are read */
	if (r->evidence && ((r->audit = calloc(1, sizeof *r->audit)) == NULL ||
	    (r->audit->job = auditjob_start(s, d)) == NULL)) {
		if (r->audit == NULL)
			diag_set(d, DIAG_NOMEM, "out of memory");
		report_end(&b, s);
		goto fail;
	}
	if (load_partners(&b, o, d) < 0) {
		report_end(&b, s);
		goto fail;
	}
	store_report_filter_init(&f);
	if (o->partner != NULL)
		for (size_t i = 0; i < r->npartners; i++)
			if (r->partners[i].in_scope)
				f.partner_id = r->partners[i].p.id;
	f.assignee = o->assignee;
	f.severity = o->severity;
	/* every row in one allocation: growing a big array by doubling can
	 * hold the old and the new copy at once */
	if (store_report_plan(s, r->from_at, r->to_at, &plan, d) < 0) {
		report_end(&b, s);
		goto fail;
	}
	bound = plan.due_bound;
	if (pct_input_alloc(r, &pct, bound > 0 && (uint64_t)bound < SIZE_MAX / 16 &&
	    !r->rows_only ? (size_t)bound : 1) < 0) {
		report_end(&b, s);
		diag_set(d, DIAG_NOMEM, "out of memory for %lld tickets", (long long)bound);
		goto fail;
	}
	if (r->all_rows && bound > 0 && (size_t)bound < SIZE_MAX / sizeof *r->rows) {
		if ((r->rows = bigmem_resize(NULL, 0, (size_t)bound * sizeof *r->rows)) == NULL) {
			report_end(&b, s);
			diag_set(d, DIAG_NOMEM, "out of memory for %lld tickets", (long long)bound);
			goto fail;
		}
		r->rows_cap = (size_t)bound;
	}
	rc = read_rows(&b, s, &plan, &f, d);
	report_end(&b, s);
	if (b.nomem || buf_failed(&r->strings)) {
		diag_set(d, DIAG_NOMEM, "out of memory building the report");
		goto fail;
	}
	if (rc != 0)
		goto fail;
	if (sort_rows(r) < 0 || sort_assignees(r, &pct) < 0 ||
	    (!r->rows_only && figures(r, &pct) < 0)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	pct_input_free(&pct);
	free(b.amap.slots);
	free(b.partner_ids);
	free(b.partner_idx);
	free(b.partner_by_id);
	return r;
fail:
	pct_input_free(&pct);
	free(b.amap.slots);
	free(b.partner_ids);
	free(b.partner_idx);
	free(b.partner_by_id);
	report_free(r);
	return NULL;
}

/* Waits for the verification when it still runs: the renderers ask for
 * it last, so the hashing overlaps the whole report. */
static struct report_audit *audit_settle(struct report_audit *a)
{
	if (a->job != NULL) {
		a->rc = auditjob_finish(a->job, &a->result, &a->error);
		a->job = NULL;
	}
	return a;
}

const struct store_audit_result *report_audit(const struct report *r, struct report_out *o)
{
	struct report_audit *a;

	if (r->audit == NULL) {		/* not an evidence report */
		if (!o->errored)
			diag_set(&o->error, DIAG_USAGE, "this report verified no audit trail");
		o->errored = 1;
		return NULL;
	}
	a = audit_settle(r->audit);
	if (a->rc < 0) {
		if (!o->errored)
			o->error = a->error;
		o->errored = 1;
		return NULL;
	}
	return &a->result;
}

void report_free(struct report *r)
{
	if (r == NULL)
		return;
	if (r->audit != NULL)
		free(audit_settle(r->audit));
	for (size_t i = 0; i < r->npartners; i++)
		store_partner_release(&r->partners[i].p);
	free(r->partners);
	bigmem_free(r->rows, r->rows_cap * sizeof *r->rows);
	free(r->breaches);
	free(r->overdue);
	free(r->excused);
	free(r->resolve_breaches);
	free(r->assignees);
	free(r->trend);
	free(r->months);
	sla_cache_free(r->cache);
	tz_free(r->tz);
	free(r->generator);
	free(r->filter_partner);
	free(r->filter_assignee);
	buf_release(&r->strings);
	free(r);
}

const struct tz *report_partner_tz(const struct report *r, size_t partner)
{
	const struct report_partner *p = &r->partners[partner];

	return p->sla != NULL ? p->sla->sched.tz : r->tz;
}

const struct tz *report_row_tz(const struct report *r, const struct report_row *row)
{
	return report_partner_tz(r, row->partner);
}

int report_has_breach(const struct report *r)
{
	return r->nbreaches > 0;
}


int report_render(const struct report *r, enum report_format f,
		  const struct report_sink *sink, struct diag *d)
{
	if (r->rows_only && f != REPORT_CSV)
		return diag_set(d, DIAG_USAGE, "a report built for CSV alone has no figures "
		    "to render as %s", report_format_name(f));
	switch (f) {
	case REPORT_TEXT:
		return report_render_text(r, sink, d);
	case REPORT_CSV:
		return report_render_csv(r, sink, d);
	case REPORT_JSON:
		return report_render_json(r, sink, d);
	case REPORT_HTML:
		return report_render_html(r, sink, d);
	}
	return diag_set(d, DIAG_USAGE, "unknown format");
}

/* Decimal digits of u, at least `min` of them, ending at end; returns
 * the first.  The formatters below run for every row of a year's report,
 * so they build their text by hand rather than through printf. */
static char *put_digits(char *end, uint64_t u, int min)
{
	char *p = end;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0 || end - p < min);
	return p;
}

/* What report_fmt_hm shows of s seconds, in minutes (rounded up). */
static int64_t shown_minutes(int64_t s)
{
	return s <= 0 ? 0 : s / 60 + (s % 60 != 0);
}

void report_fmt_hm(int64_t s, char out[REPORT_FMT_LEN])
{
	char t[32], *p = t + sizeof t;
	uint64_t m;

	if (s < 0) {
		memcpy(out, "-", 2);
		return;
	}
	m = (uint64_t)shown_minutes(s);
	p = put_digits(p, m % 60, 2);
	*--p = ':';
	p = put_digits(p, m / 60, 1);
	memcpy(out, p, (size_t)(t + sizeof t - p));
	out[t + sizeof t - p] = '\0';
}

void report_fmt_step_hm(int64_t total_s, int64_t len_s, char out[REPORT_FMT_LEN])
{
	report_fmt_hm(60 * (shown_minutes(total_s) - shown_minutes(total_s - len_s)), out);
}

void report_fmt_local(const struct tz *tz, int64_t at, int with_zone,
		      char out[REPORT_FMT_LEN])
{
	const char *abbr;
	size_t n, k;

	civil_format_local(tz_utc_to_local(tz, at), 0, out);	/* CIVIL_ISO_LEN fits */
	if (!with_zone)
		return;
	abbr = tz_abbrev_at(tz, at);
	n = strlen(out);
	k = strlen(abbr);
	if (n + 1 + k >= REPORT_FMT_LEN)
		k = REPORT_FMT_LEN - n - 2;
	out[n] = ' ';
	memcpy(out + n + 1, abbr, k);
	out[n + 1 + k] = '\0';
}

size_t report_fmt_local_iso(const struct tz *tz, int64_t at, char out[REPORT_FMT_LEN])
{
	int32_t off = tz_offset_at(tz, at);
	char off_text[8];
	size_t n;

	/* "YYYY-MM-DD HH:MM:SS" (19 bytes for years 0..9999) + "+01:00" */
	civil_format_local(at + off, 1, out);
	tz_format_offset(off, off_text);
	if ((n = strlen(out)) != 19)
		return n;
	out[10] = 'T';
	memcpy(out + 19, off_text, 7);
	out[26] = '\0';
	return 25;			/* the offset is "+HH:MM" */
}

void report_add_i64(struct buf *b, int64_t v)
{
	char t[24], *p = put_digits(t + sizeof t, v < 0 ? (uint64_t)0 - (uint64_t)v :
	    (uint64_t)v, 1);

	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(t + sizeof t - p));
}

void report_add_utc(struct buf *b, int64_t at)
{
	char t[CIVIL_ISO_LEN];

	civil_format_utc(at, t);
	buf_adds(b, t);
}

void report_fmt_clock(const struct tz *tz, int64_t at, int64_t day, char out[REPORT_FMT_LEN])
{
	int64_t s = tz_utc_to_local(tz, at) - day * CIVIL_DAY_S;
	int m;

	if (s < 0)
		s = 0;
	if (s > CIVIL_DAY_S)
		s = CIVIL_DAY_S;
	m = (int)(s / 60);
	put_digits(out + 2, (uint64_t)(m / 60), 2);
	out[2] = ':';
	put_digits(out + 5, (uint64_t)(m % 60), 2);
	out[5] = '\0';
}

static void fmt_pct(int decided, double pct, char out[REPORT_FMT_LEN])
{
	if (decided)
		snprintf(out, REPORT_FMT_LEN, "%.1f%%", pct);
	else
		snprintf(out, REPORT_FMT_LEN, "-");
}

void report_fmt_pct(const struct report_stats *s, char out[REPORT_FMT_LEN])
{
	double pct;
	int decided = report_attainment(s, &pct);

	fmt_pct(decided, pct, out);
}

void report_fmt_resolve_pct(const struct report_stats *s, char out[REPORT_FMT_LEN])
{
	double pct;
	int decided = report_resolve_attainment(s, &pct);

	fmt_pct(decided, pct, out);
}

void report_scope(const struct report *r, struct buf *b)
{
	size_t start = b->len;

	if (r->filter_partner != NULL)
		buf_addf(b, "partner %s", r->filter_partner);
	if (r->filter_assignee != NULL) {
		buf_adds(b, b->len > start ? ", " : "");
		if (*r->filter_assignee == '\0')
			buf_adds(b, "unassigned tickets");
		else {
			buf_adds(b, "assignee ");
			buf_adds(b, r->filter_assignee);
		}
	}
	if (r->filter_severity >= 0)
		buf_addf(b, "%sseverity %s", b->len > start ? ", " : "",
		    store_severity_name(r->filter_severity));
	if (b->len == start)
		buf_adds(b, "every partner, assignee and severity");
}
