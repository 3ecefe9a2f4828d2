/* cal.c: the working-time engine; see cal.h.
 *
 * Compilation walks every local date of the supported range once, asks
 * why the date is (not) worked, turns each working window into a UTC
 * interval with tz_local_to_utc (so DST days are 23 or 25 hours and a
 * skipped day is empty), merges adjacent intervals, cuts timed closures
 * out, and records prefix sums.  A per-UTC-day index then finds the
 * interval holding any instant in O(1); the target is located by a
 * galloping search forward from there.
 */
#include "cal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "civil.h"
#include "tz.h"

struct cal_rules {
	struct cal_day *days;
	size_t ndays, days_cap;
	struct cal_closure *closures;
	size_t nclosures, closures_cap;
	char **strings;			/* every string the entries point to */
	size_t nstrings, strings_cap;
};

struct cal {
	const struct tz *tz;
	unsigned weekdays;
	struct cal_window windows[CAL_MAX_WINDOWS];
	size_t nwindows;
	struct cal_rules *rules;	/* own sorted copy */
	int32_t first_day, last_day;	/* compiled local dates, inclusive */
	int64_t range_start_at, range_end_at;
	int64_t *start, *end, *prefix;	/* n intervals; prefix has n + 1 */
	size_t n;
	int64_t index_day0;		/* UTC day of index[0] */
	uint32_t *index;		/* first interval with end > UTC day start */
	size_t nindex;
};

/* ---- rules ------------------------------------------------------------ */

struct cal_rules *cal_rules_new(void)
{
	return calloc(1, sizeof(struct cal_rules));
}

void cal_rules_free(struct cal_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	free(r->strings);
	free(r->days);
	free(r->closures);
	free(r);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Copies s into r, reusing the most recent equal string (entries of one
 * file share their source name, and yearly series share their name). */
static const char *rules_intern(struct cal_rules *r, const char *s)
{
	char *copy;

	if (s == NULL)
		s = "";
	for (size_t i = r->nstrings, k = 0; i > 0 && k < 8; i--, k++)
		if (strcmp(r->strings[i - 1], s) == 0)
			return r->strings[i - 1];
	if (grow((void **)&r->strings, &r->strings_cap, r->nstrings + 1,
	    sizeof(char *)) < 0 || (copy = strdup(s)) == NULL)
		return NULL;
	r->strings[r->nstrings++] = copy;
	return copy;
}

int cal_rules_add_day(struct cal_rules *r, int32_t day, enum cal_day_kind kind,
		      const char *name, const char *source, int line)
{
	struct cal_day *e;
	const char *n, *s;

	if ((n = rules_intern(r, name)) == NULL || (s = rules_intern(r, source)) == NULL ||
	    grow((void **)&r->days, &r->days_cap, r->ndays + 1, sizeof *r->days) < 0)
		return -1;
	e = &r->days[r->ndays++];
	e->day = day;
	e->kind = kind;
	e->name = n;
	e->source = s;
	e->line = line;
	return 0;
}

int cal_rules_add_closure(struct cal_rules *r, int64_t start_at, int64_t end_at,
			  const char *name, const char *source, int line)
{
	struct cal_closure *e;
	const char *n, *s;

	if ((n = rules_intern(r, name)) == NULL || (s = rules_intern(r, source)) == NULL ||
	    grow((void **)&r->closures, &r->closures_cap, r->nclosures + 1,
	    sizeof *r->closures) < 0)
		return -1;
	e = &r->closures[r->nclosures++];
	e->start_at = start_at;
	e->end_at = end_at;
	e->name = n;
	e->source = s;
	e->line = line;
	return 0;
}

const struct cal_day *cal_rules_days(const struct cal_rules *r, size_t *n)
{
	*n = r != NULL ? r->ndays : 0;
	return r != NULL ? r->days : NULL;
}

const struct cal_closure *cal_rules_closures(const struct cal_rules *r, size_t *n)
{
	*n = r != NULL ? r->nclosures : 0;
	return r != NULL ? r->closures : NULL;
}

static int day_cmp(const void *a, const void *b)
{
	const struct cal_day *x = a, *y = b;
	int c;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->kind != y->kind)		/* holidays first: they win */
		return x->kind == CAL_DAY_HOLIDAY ? -1 : 1;
	if ((c = strcmp(x->source, y->source)) != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

static int closure_cmp(const void *a, const void *b)
{
	const struct cal_closure *x = a, *y = b;
	int c;

	if (x->start_at != y->start_at)
		return x->start_at < y->start_at ? -1 : 1;
	if (x->end_at != y->end_at)
		return x->end_at < y->end_at ? -1 : 1;
	if ((c = strcmp(x->source, y->source)) != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

void cal_rules_sort(struct cal_rules *r)
{
	if (r == NULL)
		return;
	if (r->ndays > 1)
		qsort(r->days, r->ndays, sizeof *r->days, day_cmp);
	if (r->nclosures > 1)
		qsort(r->closures, r->nclosures, sizeof *r->closures, closure_cmp);
}

static struct cal_rules *rules_copy(const struct cal_rules *src)
{
	struct cal_rules *r = cal_rules_new();

	if (r == NULL || src == NULL)
		return r;
	for (size_t i = 0; i < src->ndays; i++) {
		const struct cal_day *e = &src->days[i];

		if (cal_rules_add_day(r, e->day, e->kind, e->name, e->source, e->line) < 0)
			goto fail;
	}
	for (size_t i = 0; i < src->nclosures; i++) {
		const struct cal_closure *e = &src->closures[i];

		if (e->end_at <= e->start_at)
			continue;
		if (cal_rules_add_closure(r, e->start_at, e->end_at, e->name,
		    e->source, e->line) < 0)
			goto fail;
	}
	cal_rules_sort(r);
	return r;
fail:
	cal_rules_free(r);
	return NULL;
}

/* ---- parsing the command-line forms ----------------------------------- */

static int weekday_from_name(const char *s, size_t len)
{
	static const char *const names[] = {
		"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"
	};

	if (len < 2)
		return -1;
	for (int i = 0; i < 7; i++)
		if (len <= strlen(names[i]) && strncasecmp(s, names[i], len) == 0 &&
		    (len >= 3 || i == 0 || i == 6 || (s[0] != 's' && s[0] != 'S' &&
		    s[0] != 't' && s[0] != 'T')))
			return i;
	return -1;
}

int cal_parse_weekdays(const char *s, unsigned *mask, struct diag *d)
{
	const char *p = s;
	unsigned m = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		const char *dash = memchr(p, '-', len);
		int a, b;

		if (dash != NULL) {
			a = weekday_from_name(p, (size_t)(dash - p));
			b = weekday_from_name(dash + 1, len - (size_t)(dash - p) - 1);
		} else
			a = b = weekday_from_name(p, len);
		if (a < 0 || b < 0)
			return diag_set(d, DIAG_USAGE, "bad working days '%s': "
			    "expected day names such as mon,tue or a range such as mon-fri", s);
		for (int i = a;; i = (i + 1) % 7) {
			m |= 1u << i;
			if (i == b)
				break;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (m == 0)
		return diag_set(d, DIAG_USAGE, "bad working days '%s': no day given", s);
	*mask = m;
	return 0;
}

static int window_cmp(const void *a, const void *b)
{
	const struct cal_window *x = a, *y = b;

	return (x->start_s > y->start_s) - (x->start_s < y->start_s);
}

int cal_parse_hours(const char *s, struct cal_window *w, size_t *n, struct diag *d)
{
	const char *p = s;
	size_t k = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		char a[16], b[16];
		const char *dash = memchr(p, '-', len);
		size_t la, lb;

		if (dash == NULL || k == CAL_MAX_WINDOWS)
			goto bad;
		la = (size_t)(dash - p);
		lb = len - la - 1;
		if (la >= sizeof a || lb >= sizeof b)
			goto bad;
		memcpy(a, p, la);
		a[la] = '\0';
		memcpy(b, dash + 1, lb);
		b[lb] = '\0';
		if (civil_parse_clock(a, &w[k].start_s) < 0 ||
		    civil_parse_clock(b, &w[k].end_s) < 0 || w[k].start_s >= w[k].end_s)
			goto bad;
		k++;
		p += len;
		if (*p == ',')
			p++;
	}
	if (k == 0)
		goto bad;
	qsort(w, k, sizeof *w, window_cmp);
	for (size_t i = 1; i < k; i++)
		if (w[i].start_s < w[i - 1].end_s)
			return diag_set(d, DIAG_USAGE, "bad working hours '%s': windows overlap", s);
	*n = k;
	return 0;
bad:
	return diag_set(d, DIAG_USAGE, "bad working hours '%s': expected "
	    "HH:MM-HH:MM[,HH:MM-HH:MM...] (at most %d windows, 24:00 ends a day)",
	    s, CAL_MAX_WINDOWS);
}

/* ---- compilation ------------------------------------------------------ */

/* Day entries for one date: a binary search into the sorted rules. */
static const struct cal_day *rules_find_day(const struct cal_rules *r, int32_t day)
{
	size_t lo = 0, hi = r->ndays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->ndays && r->days[lo].day == day ? &r->days[lo] : NULL;
}

enum cal_reason cal_day_reason(const struct cal *c, int32_t day,
			       const struct cal_day **entry)
{
	const struct cal_day *e = rules_find_day(c->rules, day);

	if (entry != NULL)
		*entry = e;
	if (e != NULL)	/* sorted holidays first, so e is the deciding entry */
		return e->kind == CAL_DAY_HOLIDAY ? CAL_HOLIDAY : CAL_MAKEUP_DAY;
	return c->weekdays & (1u << civil_weekday(day)) ? CAL_WORKDAY : CAL_WEEKEND;
}

/* Converts increasing local times to UTC, reusing the last answer's
 * offset while it stays valid (see tz.h: from the earliest instant t with
 * local(t) >= L, local time runs continuously until the next transition). */
struct conv {
	const struct tz *tz;
	int64_t anchor_at, seg_end_at;
	int32_t off;
	int valid;
};

static int64_t conv_local(struct conv *cv, int64_t local_s)
{
	int64_t t;

	if (cv->valid) {
		t = local_s - cv->off;
		if (t >= cv->anchor_at && t < cv->seg_end_at)
			return t;
	}
	t = tz_local_to_utc(cv->tz, local_s);
	cv->anchor_at = t;
	cv->off = tz_offset_at(cv->tz, t);
	cv->seg_end_at = tz_next_transition(cv->tz, t);
	cv->valid = 1;
	return t;
}

struct ivec {
	int64_t *start, *end;
	size_t n, cap;
};

static int ivec_reserve(struct ivec *v, size_t cap)
{
	int64_t *a, *b;

	if (cap <= v->cap)
		return 0;
	if ((a = realloc(v->start, cap * sizeof *a)) == NULL)
		return -1;
	v->start = a;
	if ((b = realloc(v->end, cap * sizeof *b)) == NULL)
		return -1;
	v->end = b;
	v->cap = cap;
	return 0;
}

static int ivec_push(struct ivec *v, int64_t s, int64_t e)
{
	if (e <= s)
		return 0;
	if (v->n > 0 && v->end[v->n - 1] >= s) {	/* adjacent: merge */
		if (e > v->end[v->n - 1])
			v->end[v->n - 1] = e;
		return 0;
	}
	if (v->n == v->cap && ivec_reserve(v, v->cap ? v->cap * 2 : 1024) < 0)
		return -1;
	v->start[v->n] = s;
	v->end[v->n] = e;
	v->n++;
	return 0;
}

static void ivec_release(struct ivec *v)
{
	free(v->start);
	free(v->end);
	memset(v, 0, sizeof *v);
}

/* Why `day` is (not) worked, given the next unconsumed rule entry *k of
 * the sorted rules: the sequential twin of cal_day_reason for the
 * compile loop, which visits every date in order. */
static enum cal_reason reason_in_order(const struct cal *c, int32_t day, size_t *k)
{
	const struct cal_rules *r = c->rules;

	while (*k < r->ndays && r->days[*k].day < day)
		(*k)++;
	if (*k < r->ndays && r->days[*k].day == day)
		return r->days[*k].kind == CAL_DAY_HOLIDAY ? CAL_HOLIDAY : CAL_MAKEUP_DAY;
	return c->weekdays & (1u << civil_weekday(day)) ? CAL_WORKDAY : CAL_WEEKEND;
}

static int compile_days(struct cal *c, struct ivec *out)
{
	struct conv cv = { c->tz, 0, 0, 0, 0 };
	struct cal_window whole = { 0, CIVIL_DAY_S };
	const struct cal_window *w = c->nwindows ? c->windows : &whole;
	size_t nw = c->nwindows ? c->nwindows : 1, k = 0;
	int wd = civil_weekday(c->first_day);

	for (int32_t day = c->first_day; day <= c->last_day; day++, wd = wd == 6 ? 0 : wd + 1) {
		int64_t base = (int64_t)day * CIVIL_DAY_S;
		enum cal_reason why;

		/* the common case, no rule entry today, without a call */
		if (k >= c->rules->ndays || c->rules->days[k].day > day)
			why = c->weekdays & (1u << wd) ? CAL_WORKDAY : CAL_WEEKEND;
		else
			why = reason_in_order(c, day, &k);
		if (why == CAL_WEEKEND || why == CAL_HOLIDAY)
			continue;
		for (size_t i = 0; i < nw; i++) {
			int64_t s = conv_local(&cv, base + w[i].start_s);
			int64_t e = conv_local(&cv, base + w[i].end_s);

			if (ivec_push(out, s, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* Cuts the (sorted) closures out of the (sorted, disjoint) intervals. */
static int cut_closures(const struct cal_rules *r, const struct ivec *in, struct ivec *out)
{
	size_t k = 0;
	int64_t reach = INT64_MIN;	/* the furthest end among closures passed */

	for (size_t i = 0; i < in->n; i++) {
		int64_t s = in->start[i], e = in->end[i];

		/* closures starting before s may still cover part of it */
		while (k < r->nclosures && r->closures[k].start_at <= s) {
			if (r->closures[k].end_at > reach)
				reach = r->closures[k].end_at;
			k++;
		}
		if (reach > s)
			s = reach < e ? reach : e;
		for (size_t j = k; j < r->nclosures && r->closures[j].start_at < e && s < e; j++) {
			const struct cal_closure *cl = &r->closures[j];

			if (cl->end_at <= s)
				continue;
			if (cl->start_at > s && ivec_push(out, s, cl->start_at) < 0)
				return -1;
			if (cl->end_at > s)
				s = cl->end_at;
		}
		if (s < e && ivec_push(out, s, e) < 0)
			return -1;
	}
	return 0;
}

static int build_index(struct cal *c)
{
	int64_t day0 = civil_div(c->range_start_at, CIVIL_DAY_S);
	int64_t day1 = civil_div(c->range_end_at, CIVIL_DAY_S);
	size_t i = 0;

	c->index_day0 = day0;
	c->nindex = (size_t)(day1 - day0 + 1);
	c->index = malloc(c->nindex * sizeof *c->index);
	if (c->index == NULL)
		return -1;
	for (size_t k = 0; k < c->nindex; k++) {
		int64_t at = (day0 + (int64_t)k) * CIVIL_DAY_S;

		while (i < c->n && c->end[i] <= at)
			i++;
		c->index[k] = (uint32_t)i;
	}
	return 0;
}

struct cal *cal_new(const struct cal_spec *spec, struct diag *d)
{
	struct ivec days = { 0 }, cut = { 0 };
	struct cal *c;

	if (spec->tz == NULL)
		return diag_set(d, DIAG_USAGE, "no timezone given"), NULL;
	if ((spec->weekdays & 0x7fu) == 0)
		return diag_set(d, DIAG_USAGE, "no working weekday given"), NULL;
	if (spec->nwindows > CAL_MAX_WINDOWS)
		return diag_set(d, DIAG_USAGE, "more than %d working-hour windows",
		    CAL_MAX_WINDOWS), NULL;
	if ((c = calloc(1, sizeof *c)) == NULL)
		goto nomem;
	c->tz = spec->tz;
	c->weekdays = spec->weekdays & 0x7fu;
	c->nwindows = spec->nwindows;
	if (spec->nwindows > 0)
		memcpy(c->windows, spec->windows, spec->nwindows * sizeof *spec->windows);
	if ((c->rules = rules_copy(spec->rules)) == NULL)
		goto nomem;
	c->first_day = (int32_t)civil_days_from_ymd(CAL_FIRST_YEAR, 1, 1) - 1;
	c->last_day = (int32_t)civil_days_from_ymd(CAL_LAST_YEAR, 12, 31) + 1;
	c->range_start_at = tz_local_to_utc(c->tz, (int64_t)(c->first_day + 1) * CIVIL_DAY_S);
	c->range_end_at = tz_local_to_utc(c->tz, (int64_t)c->last_day * CIVIL_DAY_S);
	if (ivec_reserve(&days, (size_t)(c->last_day - c->first_day + 1) * 5 / 7 *
	    (c->nwindows ? c->nwindows : 1) / (c->nwindows ? 1 : 4) + 16) < 0 ||
	    compile_days(c, &days) < 0)
		goto nomem;
	if (c->rules->nclosures == 0) {
		cut = days;			/* nothing to cut: keep the table */
		memset(&days, 0, sizeof days);
	} else {
		if (ivec_reserve(&cut, days.n + c->rules->nclosures + 16) < 0 ||
		    cut_closures(c->rules, &days, &cut) < 0)
			goto nomem;
		ivec_release(&days);
	}
	c->n = cut.n;
	c->start = cut.start;
	c->end = cut.end;
	if ((c->prefix = malloc((c->n + 1) * sizeof *c->prefix)) == NULL)
		goto nomem;
	c->prefix[0] = 0;
	for (size_t i = 0; i < c->n; i++)
		c->prefix[i + 1] = c->prefix[i] + (c->end[i] - c->start[i]);
	if (build_index(c) < 0)
		goto nomem;
	return c;
nomem:
	ivec_release(&days);
	if (c != NULL && c->start != cut.start)
		ivec_release(&cut);
	cal_free(c);
	diag_set(d, DIAG_NOMEM, "out of memory compiling working time");
	return NULL;
}

void cal_free(struct cal *c)
{
	if (c == NULL)
		return;
	cal_rules_free(c->rules);
	free(c->start);
	free(c->end);
	free(c->prefix);
	free(c->index);
	free(c);
}

const struct tz *cal_tz(const struct cal *c)
{
	return c->tz;
}

size_t cal_interval_count(const struct cal *c)
{
	return c->n;
}

/* ---- queries ---------------------------------------------------------- */

static int out_of_range(const struct cal *c, int64_t at, const char *what, struct diag *d)
{
	char a[CIVIL_ISO_LEN];

	civil_format_utc(at, a);
	(void)c;
	return diag_set(d, DIAG_INPUT, "%s %s is outside the supported range "
	    "(%d-01-01 to %d-12-31 local time)", what, a, CAL_FIRST_YEAR, CAL_LAST_YEAR);
}

/* The first interval whose end is after `at` (c->n when none). */
static size_t find_interval(const struct cal *c, int64_t at)
{
	int64_t k = civil_div(at, CIVIL_DAY_S) - c->index_day0;
	size_t i;

	if (k < 0)
		return 0;
	if ((size_t)k >= c->nindex)
		return c->n;
	i = c->index[k];
	while (i < c->n && c->end[i] <= at)
		i++;
	return i;
}

/* Working time before `at` since the start of the table. */
static int64_t worked_before(const struct cal *c, int64_t at)
{
	size_t i = find_interval(c, at);

	if (i == c->n)
		return c->prefix[c->n];
	if (at <= c->start[i])
		return c->prefix[i];
	return c->prefix[i] + (at - c->start[i]);
}

int cal_deadline(const struct cal *c, int64_t created_at, int64_t target_s,
		 int64_t *deadline_at, struct diag *d)
{
	int64_t want;
	size_t i, lo, hi, step;

	if (created_at < c->range_start_at || created_at >= c->range_end_at)
		return out_of_range(c, created_at, "instant", d);
	if (target_s <= 0) {
		*deadline_at = created_at;
		return 0;
	}
	i = find_interval(c, created_at);
	if (i == c->n)
		return out_of_range(c, created_at, "deadline after", d);
	want = c->prefix[i] + (created_at > c->start[i] ? created_at - c->start[i] : 0) + target_s;
	/* gallop: the smallest k > i... with prefix[k] >= want, then j = k - 1 */
	lo = i + 1;
	step = 1;
	hi = lo;
	while (hi <= c->n && c->prefix[hi] < want) {
		lo = hi + 1;
		hi += step;
		step *= 2;
	}
	if (hi > c->n) {
		if (c->prefix[c->n] < want)
			return out_of_range(c, created_at, "deadline for", d);
		hi = c->n;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->prefix[mid] < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	*deadline_at = c->start[lo - 1] + (want - c->prefix[lo - 1]);
	return 0;
}

int64_t cal_elapsed(const struct cal *c, int64_t from_at, int64_t to_at)
{
	return worked_before(c, to_at) - worked_before(c, from_at);
}

int cal_next_working(const struct cal *c, int64_t at, int64_t *next_at, struct diag *d)
{
	size_t i;

	if (at < c->range_start_at || at >= c->range_end_at)
		return out_of_range(c, at, "instant", d);
	i = find_interval(c, at);
	if (i == c->n)
		return out_of_range(c, at, "working time after", d);
	*next_at = at > c->start[i] ? at : c->start[i];
	return 0;
}

int cal_is_working(const struct cal *c, int64_t at)
{
	size_t i = find_interval(c, at);

	return i < c->n && c->start[i] <= at;
}

/* ---- explanation ------------------------------------------------------ */

struct steps {
	struct cal_step *v;
	size_t n, cap;
};

static struct cal_step *steps_add(struct steps *s, enum cal_step_kind kind, int32_t day,
				  int64_t a, int64_t b, int64_t total)
{
	struct cal_step *e;

	if (grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v) < 0)
		return NULL;
	e = &s->v[s->n++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->day = day;
	e->start_at = a;
	e->end_at = b;
	e->total_s = total;
	e->name = e->source = NULL;
	return e;
}

/* Counted intervals and closures inside [a, b) of one working date, in
 * time order. */
static int explain_working_span(const struct cal *c, int32_t day, int64_t a, int64_t b,
				int64_t created_at, struct steps *s)
{
	size_t i = find_interval(c, a), k = 0;
	const struct cal_rules *r = c->rules;

	for (;;) {
		int64_t is = i < c->n ? c->start[i] : INT64_MAX;
		const struct cal_closure *cl = NULL;

		while (k < r->nclosures && (r->closures[k].end_at <= a ||
		    r->closures[k].start_at >= b))
			if (r->closures[k++].start_at >= b)
				k = r->nclosures;
		if (k < r->nclosures)
			cl = &r->closures[k];
		if (cl != NULL && cl->start_at < is) {
			struct cal_step *e;
			int64_t cs = cl->start_at > a ? cl->start_at : a;
			int64_t ce = cl->end_at < b ? cl->end_at : b;

			if ((e = steps_add(s, CAL_STEP_CLOSURE, day, cs, ce,
			    s->n ? s->v[s->n - 1].total_s : 0)) == NULL)
				return -1;
			e->name = cl->name;
			e->source = cl->source;
			e->line = cl->line;
			k++;
			continue;
		}
		if (i >= c->n || c->start[i] >= b)
			break;
		{
			int64_t cs = c->start[i] > a ? c->start[i] : a;
			int64_t ce = c->end[i] < b ? c->end[i] : b;

			if (ce > cs && steps_add(s, CAL_STEP_COUNTED, day, cs, ce,
			    cal_elapsed(c, created_at, ce)) == NULL)
				return -1;
		}
		i++;
	}
	return 0;
}

int cal_explain(const struct cal *c, int64_t created_at, int64_t target_s,
		struct cal_step **steps, size_t *nsteps, struct diag *d)
{
	struct steps s = { NULL, 0, 0 };
	int64_t deadline_at, first, last;

	*steps = NULL;
	*nsteps = 0;
	if (cal_deadline(c, created_at, target_s, &deadline_at, d) < 0)
		return -1;
	first = civil_div(tz_utc_to_local(c->tz, created_at), CIVIL_DAY_S);
	last = civil_div(tz_utc_to_local(c->tz, deadline_at), CIVIL_DAY_S);
	if (deadline_at > created_at && last > first &&
	    tz_local_to_utc(c->tz, last * CIVIL_DAY_S) >= deadline_at)
		last--;		/* a deadline at midnight ends the day before */
	for (int64_t day = first; day <= last; day++) {
		int64_t ds = tz_local_to_utc(c->tz, day * CIVIL_DAY_S);
		int64_t de = tz_local_to_utc(c->tz, (day + 1) * CIVIL_DAY_S);
		int64_t a = ds > created_at ? ds : created_at;
		int64_t b = de < deadline_at ? de : deadline_at;
		const struct cal_day *entry;
		enum cal_reason why = cal_day_reason(c, (int32_t)day, &entry);
		int64_t total = s.n ? s.v[s.n - 1].total_s : 0;
		struct cal_step *e;

		if (why == CAL_WEEKEND || why == CAL_HOLIDAY || why == CAL_MAKEUP_DAY) {
			enum cal_step_kind k = why == CAL_WEEKEND ? CAL_STEP_WEEKEND :
			    why == CAL_HOLIDAY ? CAL_STEP_HOLIDAY : CAL_STEP_MAKEUP;

			if ((e = steps_add(&s, k, (int32_t)day, ds, de, total)) == NULL)
				goto nomem;
			if (entry != NULL) {
				e->name = entry->name;
				e->source = entry->source;
				e->line = entry->line;
			}
			if (why != CAL_MAKEUP_DAY)
				continue;
		}
		if (a < b && explain_working_span(c, (int32_t)day, a, b, created_at, &s) < 0)
			goto nomem;
	}
	*steps = s.v;
	*nsteps = s.n;
	return 0;
nomem:
	free(s.v);
	return diag_set(d, DIAG_NOMEM, "out of memory explaining a deadline");
}
