/* rows.c: the TUI's view-models; see rows.h. */
#include "rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "text.h"
#include "ticketfmt.h"
#include "tz.h"

/* ---- cells ------------------------------------------------------------- */

size_t rows_fit(struct buf *b, const char *s, size_t width, int right)
{
	size_t start = b->len, w;

	if (s == NULL)
		s = "";
	w = ticketfmt_fit(b, s, width);
	if (width == 0 || w >= width || buf_failed(b))
		return w;
	if (right) {
		/* move the text right: pad first, then the text again */
		struct buf tmp = BUF_INIT;

		buf_add(&tmp, b->data + start, b->len - start);
		b->len = start;
		if (b->data != NULL)
			b->data[start] = '\0';
		for (size_t i = w; i < width; i++)
			buf_addc(b, ' ');
		buf_add(b, tmp.data ? tmp.data : "", tmp.len);
		buf_release(&tmp);
	} else {
		for (size_t i = w; i < width; i++)
			buf_addc(b, ' ');
	}
	return width;
}

size_t rows_width(const char *s)
{
	struct buf b = BUF_INIT;
	size_t w;

	text_add_safe(&b, s ? s : "", 0);
	w = ticketfmt_width(buf_str(&b), b.len);
	buf_release(&b);
	return w;
}

static size_t put_u(char *out, unsigned long long v, int min_digits)
{
	char tmp[24];
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 || (int)n < min_digits);
	while (n > 0)
		out[k++] = tmp[--n];
	return k;
}

void rows_work_hms(int64_t s, char out[ROWS_TEXT_LEN])
{
	unsigned long long u = s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s;
	unsigned long long h = u / 3600, m = u / 60 % 60, sec = u % 60;
	size_t k = 0;

	if (s < 0)
		out[k++] = '-';
	if (h > 0) {
		k += put_u(out + k, h, 1);
		out[k++] = 'h';
		out[k++] = ' ';
	}
	if (h > 0 || m > 0) {
		k += put_u(out + k, m, h > 0 ? 2 : 1);
		out[k++] = 'm';
		out[k++] = ' ';
	}
	k += put_u(out + k, sec, h > 0 || m > 0 ? 2 : 1);
	out[k++] = 's';
	out[k] = '\0';
}

void rows_countdown(const struct sla_status *st, char out[ROWS_TEXT_LEN])
{
	char w[TIMEFMT_LEN];

	switch (st->state) {
	case SLA_ON_TRACK:
	case SLA_AT_RISK:
	case SLA_WAITING:	/* stands still until the customer answers */
		rows_work_hms(st->remaining_s, out);
		break;
	case SLA_BREACHED:
		/* past the deadline with no working time over it (it passed
		 * outside working time): "-<1m", never "-0s" */
		if (st->stopped_at == STORE_NONE && st->overrun_s > 0)
			rows_work_hms(-st->overrun_s, out);
		else {
			ticketfmt_overrun(st->overrun_s, w);
			if (st->stopped_at == STORE_NONE)
				out[0] = '-';
			else
				memcpy(out, "late ", 5);
			memcpy(out + (st->stopped_at == STORE_NONE ? 1 : 5), w, strlen(w) + 1);
		}
		break;
	case SLA_MET:
		memcpy(out, "met", 4);
		break;
	default:
		memcpy(out, "-", 2);
		break;
	}
}

char rows_mark(enum sla_state s)
{
	switch (s) {
	case SLA_BREACHED: return '!';
	case SLA_AT_RISK: return '*';
	case SLA_ON_TRACK: return '.';
	case SLA_MET:
	case SLA_RESPONDED: return '+';
	case SLA_WAITING: return '=';
	default: return '-';
	}
}

enum sla_state rows_state(const struct store_ticket *t, const struct sla_status *st)
{
	if (t->waiting_since == STORE_NONE)
		return st->state;
	switch (st->state) {
	case SLA_MET:
	case SLA_RESPONDED:
	case SLA_NOT_TIMED:
		return SLA_WAITING;
	default:
		return st->state;
	}
}

static int excused_breach(const struct sla_status *st)
{
	return st->excused && st->state == SLA_BREACHED;
}

char rows_state_mark(const struct store_ticket *t, const struct sla_status *st)
{
	return excused_breach(st) ? ROWS_MARK_EXCUSED : rows_mark(rows_state(t, st));
}

const char *rows_state_name(const struct store_ticket *t, const struct sla_status *st)
{
	return excused_breach(st) ? "excused" : sla_state_name(rows_state(t, st));
}

void rows_wait_words(const struct store_ticket *t, struct buf *out)
{
	int resp = t->waiting_response, res = t->resolve_deadline_at != STORE_NONE;
	/* a response still due whose clock the wait does not stop */
	int runs = !resp && t->deadline_at != STORE_NONE &&
	    t->first_response_at == STORE_NONE && t->resolved_at == STORE_NONE;

	if (resp && res)
		buf_adds(out, "the response and resolution clocks stand still");
	else if (resp)
		buf_adds(out, "the response clock stands still");
	else if (res)
		buf_adds(out, runs ? "the resolution clock stands still, the response clock "
		    "runs on" : "the resolution clock stands still");
	else
		buf_adds(out, runs ? "the response clock runs on (not paused for this "
		    "partner)" : "no clock to stop");
}

const char *rows_severity_short(int sev)
{
	static const char *const names[] = { "crit", "high", "med", "low" };

	return sev >= 0 && sev < STORE_NSEV ? names[sev] : "?";
}

/* ---- the queue's columns ------------------------------------------------- */

static const char *const col_titles[ROWS_NCOLS] = {
	" ", "KEY", "PARTNER", "SEV", "SUMMARY", "ASSIGNEE", "STATE", "DUE",
	"REMAINING",
};

const char *rows_col_title(const struct rows_layout *l, enum rows_col c)
{
	if (c == ROWS_COL_DUE && l != NULL && l->due_title[0] != '\0')
		return l->due_title;
	return c < ROWS_NCOLS ? col_titles[c] : "";
}

/* The summary takes what the other columns leave; then the positions. */
static void flow(int cols, struct rows_layout *l)
{
	int fixed = 0, x = 0, gaps = 0;

	for (int c = 0; c < ROWS_NCOLS; c++)
		if (c != ROWS_COL_SUMMARY && l->w[c] > 0) {
			fixed += l->w[c];
			gaps++;
		}
	l->w[ROWS_COL_SUMMARY] = cols - fixed - gaps;
	if (l->w[ROWS_COL_SUMMARY] < 4)
		l->w[ROWS_COL_SUMMARY] = 4;
	for (int c = 0; c < ROWS_NCOLS; c++) {
		l->x[c] = x;
		if (l->w[c] > 0)
			x += l->w[c] + 1;
	}
}

void rows_layout(int cols, struct rows_layout *l)
{
	memset(l, 0, sizeof *l);
	l->w[ROWS_COL_MARK] = 1;
	l->w[ROWS_COL_KEY] = cols >= 120 ? 12 : 10;
	l->w[ROWS_COL_PARTNER] = cols >= 120 ? 10 : 9;
	l->w[ROWS_COL_SEV] = 4;
	l->w[ROWS_COL_ASSIGNEE] = cols >= 120 ? 10 : 8;
	l->w[ROWS_COL_STATE] = cols >= 100 ? 9 : 0;
	l->long_due = cols >= 130;
	l->w[ROWS_COL_DUE] = l->long_due ? 15 : 11;
	l->w[ROWS_COL_REMAINING] = 12;
	if (cols < 70) {		/* below the designed minimum: keep the essentials */
		l->w[ROWS_COL_ASSIGNEE] = 0;
		l->w[ROWS_COL_PARTNER] = cols < 50 ? 0 : l->w[ROWS_COL_PARTNER];
		l->w[ROWS_COL_DUE] = cols < 60 ? 0 : l->w[ROWS_COL_DUE];
	}
	flow(cols, l);
}

void rows_layout_zone(struct rows_layout *l, const struct tz *tz, int64_t now_at)
{
	l->tz = tz;
	l->now_at = now_at;
	snprintf(l->abbr, sizeof l->abbr, "%s", tz_abbrev_at(tz, now_at));
	snprintf(l->due_title, sizeof l->due_title, "DUE (%s)", l->abbr);
}

/* Display length of the countdown of working time v (rows_work_hms). */
static size_t hms_len(int64_t v)
{
	char tmp[ROWS_TEXT_LEN];

	rows_work_hms(v, tmp);
	return strlen(tmp);
}

/* The longest abbreviation other than l->abbr the zone uses between from
 * and to (0: none), looking at a bounded number of transitions. */
static size_t other_abbrev(const struct rows_layout *l, int64_t from, int64_t to)
{
	size_t best = 0;
	int64_t at = from;

	for (int i = 0; i < 512 && at <= to; i++) {
		const char *a = tz_abbrev_at(l->tz, at);

		if (strcmp(a, l->abbr) != 0 && strlen(a) > best)
			best = strlen(a);
		if ((at = tz_next_transition(l->tz, at)) == INT64_MAX)
			break;
	}
	return best;
}

void rows_measure(const struct rows_layout *l, const struct rows_item *items,
		  const uint32_t *idx, size_t n, struct rows_widths *w)
{
	int64_t pos = 0, neg = 0, late = -1, dl_min = INT64_MAX, dl_max = INT64_MIN;
	size_t rem = 0, k;

	/* extremes only: the countdown's length grows with its magnitude */
	for (size_t i = 0; i < n; i++) {
		const struct rows_item *it = &items[idx[i]];
		const struct sla_status *st = &it->st;

		if (st->state == SLA_ON_TRACK || st->state == SLA_AT_RISK ||
		    st->state == SLA_WAITING) {
			if (st->remaining_s > pos)
				pos = st->remaining_s;
		} else if (st->state == SLA_BREACHED) {
			if (st->stopped_at != STORE_NONE) {
				if (st->overrun_s > late)
					late = st->overrun_s;
			} else if (st->overrun_s > neg)
				neg = st->overrun_s;
		}
		if (it->t.deadline_at != STORE_NONE) {
			if (it->t.deadline_at < dl_min)
				dl_min = it->t.deadline_at;
			if (it->t.deadline_at > dl_max)
				dl_max = it->t.deadline_at;
		}
	}
	if ((k = hms_len(pos)) > rem)
		rem = k;
	if (neg > 0 && (k = hms_len(-neg)) > rem)
		rem = k;
	if (late >= 0) {
		char tmp[TIMEFMT_LEN];

		ticketfmt_overrun(late, tmp);
		k = 5 + (strlen(tmp) > 3 ? strlen(tmp) : 3);	/* "late 59s" */
		rem = k > rem ? k : rem;
	}
	w->remaining = (int)rem;
	w->due_abbrev = l->tz != NULL && dl_min <= dl_max ?
	    (int)other_abbrev(l, dl_min, dl_max) : 0;
}

void rows_layout_widen(struct rows_layout *l, int cols, const struct rows_widths *w)
{
	int title;

	title = (int)strlen(rows_col_title(l, ROWS_COL_REMAINING));
	if (title > l->w[ROWS_COL_REMAINING])
		l->w[ROWS_COL_REMAINING] = title;
	if (w->remaining > l->w[ROWS_COL_REMAINING])
		l->w[ROWS_COL_REMAINING] = w->remaining;
	if (l->w[ROWS_COL_DUE] > 0) {
		int due = l->w[ROWS_COL_DUE] + (w->due_abbrev > 0 ? 1 + w->due_abbrev : 0);

		title = (int)strlen(rows_col_title(l, ROWS_COL_DUE));
		l->w[ROWS_COL_DUE] = due > title ? due : title;
	}
	flow(cols, l);
}

void rows_layout_fit(struct rows_layout *l, int cols, const struct rows_item *items,
		     const uint32_t *idx, size_t n)
{
	struct rows_widths w;

	rows_measure(l, items, idx, n, &w);
	rows_layout_widen(l, cols, &w);
}

void rows_cell(const struct rows_item *it, enum rows_col c, const struct rows_layout *l,
	       struct buf *out)
{
	char tmp[ROWS_TEXT_LEN];
	const struct store_ticket *t = &it->t;

	switch (c) {
	case ROWS_COL_MARK:
		buf_addc(out, rows_state_mark(t, &it->st));
		break;
	case ROWS_COL_KEY:
		if (t->key != NULL)
			text_add_safe(out, t->key, 0);
		else
			buf_addf(out, "#%lld", (long long)t->id);
		break;
	case ROWS_COL_PARTNER:
		text_add_safe(out, t->partner_key ? t->partner_key :
		    it->p ? it->p->partner.key : "?", 0);
		break;
	case ROWS_COL_SEV:
		buf_adds(out, rows_severity_short(t->severity));
		break;
	case ROWS_COL_SUMMARY:
		text_add_safe(out, t->summary ? t->summary : "", 0);
		break;
	case ROWS_COL_ASSIGNEE:
		text_add_safe(out, t->assignee ? t->assignee : "-", 0);
		break;
	case ROWS_COL_STATE:
		buf_adds(out, rows_state_name(t, &it->st));
		break;
	case ROWS_COL_DUE:
		if (t->deadline_at == STORE_NONE || it->p == NULL)
			buf_addc(out, '-');
		else {
			/* the viewer's zone, named in the heading; a cell in
			 * another part of the year says its abbreviation */
			const struct tz *tz = l != NULL && l->tz != NULL ? l->tz : it->p->sched.tz;
			int64_t local = tz_utc_to_local(tz, t->deadline_at);
			const char *abbr;
			char s[CIVIL_ISO_LEN];

			civil_format_local(local, 0, s);	/* YYYY-MM-DD HH:MM */
			if (l != NULL && l->long_due) {
				buf_adds(out, civil_weekday_name(civil_weekday(
				    civil_div(local, CIVIL_DAY_S))));
				buf_addc(out, ' ');
			}
			buf_adds(out, s + 5);
			if (l != NULL && l->tz != NULL &&
			    strcmp(abbr = tz_abbrev_at(tz, t->deadline_at), l->abbr) != 0) {
				buf_addc(out, ' ');
				buf_adds(out, abbr);
			}
		}
		break;
	case ROWS_COL_REMAINING:
		rows_countdown(&it->st, tmp);
		buf_adds(out, tmp);
		break;
	default:
		break;
	}
}

void rows_line(const struct rows_item *it, const struct rows_layout *l, struct buf *out)
{
	struct buf cell = BUF_INIT;
	int first = 1;

	for (int c = 0; c < ROWS_NCOLS; c++) {
		if (l->w[c] == 0)
			continue;
		if (!first)
			buf_addc(out, ' ');
		first = 0;
		buf_reset(&cell);
		rows_cell(it, (enum rows_col)c, l, &cell);
		rows_fit(out, buf_str(&cell), (size_t)l->w[c], c == ROWS_COL_REMAINING);
	}
	buf_release(&cell);
}

/* ---- sorting ------------------------------------------------------------------ */

/* One order for both paths: triage.h decides.  The qsort path (few rows,
 * or a text column with many distinct values) keeps each row's keys
 * beside it, so a comparison touches no ticket: the column's text or
 * value, the triage key, its ties. */
struct skey {
	const char *text;
	uint64_t col, key;
	int64_t deadline_at, id;
	uint32_t idx;
	uint8_t text_col, reverse, flip;	/* flip: the whole order reversed */
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int skey_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	int c = 0;

	if (x->text_col) {
		if (x->text == NULL || y->text == NULL)
			c = (y->text == NULL) - (x->text == NULL);	/* NULL first */
		else
			c = strcmp(x->text, y->text);
		if (c != 0)
			return x->reverse ? -c : c;
	}
	if ((c = cmp_u64(x->col, y->col)) == 0 && (c = cmp_u64(x->key, y->key)) == 0) {
		if (x->deadline_at != y->deadline_at)
			c = x->deadline_at < y->deadline_at ? -1 : 1;
		else
			c = x->id < y->id ? -1 : x->id > y->id;
	}
	return x->flip ? -c : c;
}

/* Ranks of a few distinct strings (partner keys, assignees) in strcmp
 * order, NULL first; -1 when there are too many for this. */
#define MAX_GROUPS 256

struct groups {
	const char *s[MAX_GROUPS];
	uint32_t rank[MAX_GROUPS];
	size_t n, last;
};

static int group_of(struct groups *g, const char *s, size_t *slot)
{
	if (g->last < g->n && (g->s[g->last] == s ||
	    (s && g->s[g->last] && strcmp(g->s[g->last], s) == 0))) {
		*slot = g->last;
		return 0;
	}
	for (size_t i = 0; i < g->n; i++)
		if (g->s[i] == s || (s && g->s[i] && strcmp(g->s[i], s) == 0)) {
			*slot = g->last = i;
			return 0;
		}
	if (g->n == MAX_GROUPS)
		return -1;
	g->s[g->n] = s;
	*slot = g->last = g->n++;
	return 0;
}

static void group_ranks(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		uint32_t r = 0;

		for (size_t j = 0; j < g->n; j++)	/* NULL before any text */
			if (g->s[i] != NULL && (g->s[j] == NULL || strcmp(g->s[j], g->s[i]) < 0))
				r++;
		g->rank[i] = r;
	}
}

/* The radix sort of triage.h on three 64-bit keys: the column (a text
 * column: the rank of its text among a few distinct ones), the triage
 * key, its tie-break.  100,000 tickets in a few milliseconds, where qsort
 * with a comparison function takes tens.  -1 (idx untouched) when out of
 * memory or a key does not fit. */
static int radix_sort(const struct rows_item *items, uint32_t *idx, size_t n,
		      enum triage_sort by, int reverse)
{
	struct triage_rkey *a, *b, *v = NULL;
	struct groups *g = NULL;
	size_t *slot = NULL;
	int rc = -1, text = triage_sort_is_text(by);

	a = malloc(n * sizeof *a);
	b = malloc(n * sizeof *b);
	if (a == NULL || b == NULL)
		goto out;
	if (text) {
		if ((g = calloc(1, sizeof *g)) == NULL ||
		    (slot = malloc(n * sizeof *slot)) == NULL)
			goto out;
		for (size_t i = 0; i < n; i++)
			if (group_of(g, triage_sort_text(by, &items[idx[i]].t), &slot[i]) < 0)
				goto out;
		group_ranks(g);
	}
	for (size_t i = 0; i < n; i++) {
		const struct rows_item *it = &items[idx[i]];

		a[i].idx = idx[i];
		if (triage_rkey_fill(by, reverse, &it->t, &it->st, &a[i]) < 0)
			goto out;
		if (text) {
			a[i].k[0] = g->rank[slot[i]];
			triage_rkey_reverse(by, reverse, &a[i]);
		}
	}
	if ((v = triage_radix_sort(a, b, n)) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		idx[i] = v[i].idx;
	rc = 0;
out:
	free(a);
	free(b);
	free(g);
	free(slot);
	return rc;
}

int rows_sort(const struct rows_item *items, uint32_t *idx, size_t n, enum triage_sort by,
	      int reverse)
{
	struct skey *v;

	if (n < 2)
		return 0;
	if (n > 64 && radix_sort(items, idx, n, by, reverse) == 0)
		return 0;
	if ((v = malloc(n * sizeof *v)) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct rows_item *it = &items[idx[i]];
		struct skey *k = &v[i];

		k->idx = idx[i];
		k->text_col = (uint8_t)triage_sort_is_text(by);
		k->reverse = (uint8_t)(reverse != 0);
		k->flip = (uint8_t)(by == TRIAGE_SORT_TRIAGE && reverse);
		k->text = k->text_col ? triage_sort_text(by, &it->t) : NULL;
		k->col = k->text_col || by == TRIAGE_SORT_TRIAGE ? 0 :
		    triage_sort_value(by, &it->t, &it->st);
		if (reverse && by != TRIAGE_SORT_TRIAGE)
			k->col = ~k->col;
		k->key = triage_key(&it->t, &it->st);
		k->deadline_at = it->t.deadline_at;
		k->id = it->t.id;
	}
	qsort(v, n, sizeof *v, skey_cmp);
	for (size_t i = 0; i < n; i++)
		idx[i] = v[i].idx;
	free(v);
	return 0;
}

/* rows_sort_top's heap: the k first keys so far, the last of them on top. */
static int rkey_before(const struct triage_rkey *a, const struct triage_rkey *b)
{
	for (int w = 0; w < 3; w++)
		if (a->k[w] != b->k[w])
			return a->k[w] < b->k[w];
	return 0;
}

static void heap_down(struct triage_rkey *h, size_t n, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1, top = i;
		struct triage_rkey t;

		if (c < n && rkey_before(&h[top], &h[c]))
			top = c;
		if (c + 1 < n && rkey_before(&h[top], &h[c + 1]))
			top = c + 1;
		if (top == i)
			return;
		t = h[i];
		h[i] = h[top];
		h[top] = t;
		i = top;
	}
}

static void heap_up(struct triage_rkey *h, size_t i)
{
	while (i > 0 && rkey_before(&h[(i - 1) / 2], &h[i])) {
		struct triage_rkey t = h[i];

		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

/* Moves the k rows at positions h[0..k).idx of idx to its front, in h's
 * order; the others follow in their order. */
static int move_to_front(uint32_t *idx, size_t n, const struct triage_rkey *h, size_t k)
{
	unsigned char *taken = calloc(n, 1);
	uint32_t *first = malloc(k * sizeof *first);
	size_t w = 0;

	if (taken == NULL || first == NULL) {
		free(taken);
		free(first);
		return -1;
	}
	for (size_t j = 0; j < k; j++) {
		taken[h[j].idx] = 1;
		first[j] = idx[h[j].idx];
	}
	for (size_t i = 0; i < n; i++)
		if (!taken[i])
			idx[w++] = idx[i];
	memmove(idx + k, idx, w * sizeof *idx);
	memcpy(idx, first, k * sizeof *idx);
	free(taken);
	free(first);
	return 0;
}

int rows_sort_top(const struct rows_item *items, uint32_t *idx, size_t n, size_t k,
		  enum triage_sort by, int reverse)
{
	struct triage_rkey *h;
	size_t m = 0;

	if (k >= n || k == 0 || triage_sort_is_text(by) ||
	    (h = malloc(k * sizeof *h)) == NULL)
		return rows_sort(items, idx, n, by, reverse);
	/* one pass, the k first kept in a heap: no key array of n rows */
	for (size_t i = 0; i < n; i++) {
		const struct rows_item *it = &items[idx[i]];
		struct triage_rkey r;

		if (triage_rkey_fill(by, reverse, &it->t, &it->st, &r) < 0) {
			free(h);	/* a tie-break too wide: rows_sort's slow path */
			return rows_sort(items, idx, n, by, reverse);
		}
		r.idx = (uint32_t)i;
		if (m < k) {
			h[m] = r;
			heap_up(h, m++);
		} else if (rkey_before(&r, &h[0])) {
			h[0] = r;
			heap_down(h, k, 0);
		}
	}
	for (size_t e = k; e > 1; e--) {	/* heapsort: the first first */
		struct triage_rkey t = h[0];

		h[0] = h[e - 1];
		h[e - 1] = t;
		heap_down(h, e - 1, 0);
	}
	if (move_to_front(idx, n, h, k) < 0) {
		free(h);
		return rows_sort(items, idx, n, by, reverse);
	}
	free(h);
	return 0;
}

/* ---- filtering and searching ----------------------------------------------------- */

void rows_filter_init(struct rows_filter *f)
{
	memset(f, 0, sizeof *f);
	f->severity = -1;
	f->state = ROWS_STATE_ANY;
}

int rows_filter_active(const struct rows_filter *f)
{
	return f->partner_id != 0 || f->assignee != NULL || f->severity >= 0 ||
	    f->state != ROWS_STATE_ANY || f->mine != NULL ||
	    (f->search != NULL && *f->search != '\0');
}

void rows_fold(const char *s, struct buf *out)
{
	size_t start = out->len, i = 0;

	if (s == NULL)
		return;
	/* the common case: printable ASCII, folded as it is copied */
	while (s[i] >= 0x20 && s[i] < 0x7f)
		i++;
	buf_add(out, s, i);
	text_add_safe(out, s + i, 0);
	if (buf_failed(out))
		return;
	for (size_t k = start; k < out->len; k++)
		if (out->data[k] >= 'A' && out->data[k] <= 'Z')
			out->data[k] = (char)(out->data[k] - 'A' + 'a');
}

void rows_hay(const struct store_ticket *t, const struct store_partner *p,
	      struct buf *out)
{
	char id[24];

	if (t->key != NULL)
		rows_fold(t->key, out);
	buf_adds(out, "\n#");
	buf_add(out, id, ticketfmt_i64(t->id, id));
	buf_addc(out, '\n');
	rows_fold(t->summary, out);
	buf_addc(out, '\n');
	if (t->customer != NULL)
		rows_fold(t->customer, out);
	buf_addc(out, '\n');
	rows_fold(t->partner_key ? t->partner_key : p ? p->key : "", out);
	if (p != NULL) {
		buf_addc(out, '\n');
		rows_fold(p->name, out);
	}
}

uint64_t rows_mask(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t m = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned c = p[i];

		if (c >= 'a' && c <= 'z')
			m |= (uint64_t)1 << (c - 'a');
		else if (c >= '0' && c <= '9')
			m |= (uint64_t)1 << (26 + c - '0');
		else
			m |= (uint64_t)1 << (36 + c % 28);
	}
	return m;
}

void rows_set_hay(struct rows_item *it, const char *hay, size_t len)
{
	it->hay = hay;
	it->hay_len = (uint32_t)len;
	it->hay_mask = rows_mask(hay, len);
}

#define MAX_WORDS 8

/* The search split into words, with the mask of them all: every word
 * must occur. */
struct words {
	char w[MAX_WORDS][128];
	size_t len[MAX_WORDS];
	size_t n;
	uint64_t mask;
};

static void split_words(const char *search, struct words *ws)
{
	ws->n = 0;
	ws->mask = 0;
	while (search != NULL && *search != '\0' && ws->n < MAX_WORDS) {
		size_t n;

		while (*search == ' ')
			search++;
		if ((n = strcspn(search, " ")) == 0)
			break;
		if (n >= sizeof ws->w[0])
			n = sizeof ws->w[0] - 1;
		memcpy(ws->w[ws->n], search, n);
		ws->w[ws->n][n] = '\0';
		ws->len[ws->n] = n;
		ws->mask |= rows_mask(search, n);
		ws->n++;
		search += strcspn(search, " ");
	}
}

static int other_filters(const struct rows_item *it, const struct rows_filter *f)
{
	const struct store_ticket *t = &it->t;

	if (!f->answered && !triage_waiting(t) && f->state != SLA_MET &&
	    f->state != SLA_RESPONDED && f->state != SLA_WAITING)
		return 0;
	if (f->partner_id != 0 && t->partner_id != f->partner_id)
		return 0;
	if (f->severity >= 0 && t->severity != f->severity)
		return 0;
	if (f->state != ROWS_STATE_ANY && (int)rows_state(t, &it->st) != f->state)
		return 0;
	if (f->assignee != NULL) {
		if (*f->assignee == '\0' ? t->assignee != NULL :
		    (t->assignee == NULL || strcmp(t->assignee, f->assignee) != 0))
			return 0;
	}
	if (f->mine != NULL && (t->assignee == NULL || strcmp(t->assignee, f->mine) != 0))
		return 0;
	return 1;
}

/* Whether w[0..wl) occurs in h[0..hl): a plain loop on the first two
 * bytes beats library calls on haystacks this short (a hundred bytes). */
static int contains(const char *h, size_t hl, const char *w, size_t wl)
{
	const unsigned char *p = (const unsigned char *)h, *end;
	unsigned char a, b;

	if (wl > hl)
		return 0;
	if (wl == 1)
		return memchr(h, w[0], hl) != NULL;
	a = (unsigned char)w[0];
	b = (unsigned char)w[1];
	for (end = p + (hl - wl) + 1; p < end; p++)
		if (p[0] == a && p[1] == b && memcmp(p + 2, w + 2, wl - 2) == 0)
			return 1;
	return 0;
}

static int words_match(const struct rows_item *it, const struct words *ws)
{
	if (ws->n == 0)
		return 1;
	if (it->hay == NULL || (it->hay_mask & ws->mask) != ws->mask)
		return 0;
	for (size_t i = 0; i < ws->n; i++)
		if (!contains(it->hay, it->hay_len, ws->w[i], ws->len[i]))
			return 0;
	return 1;
}

int rows_match(const struct rows_item *it, const struct rows_filter *f)
{
	struct words ws;

	if (!other_filters(it, f))
		return 0;
	split_words(f->search, &ws);
	return words_match(it, &ws);
}

size_t rows_filter(const struct rows_item *items, const uint32_t *order, size_t n,
		   const struct rows_filter *f, uint32_t *out)
{
	struct words ws;
	size_t k = 0;

	if (!rows_filter_active(f) && f->answered) {
		memmove(out, order, n * sizeof *out);
		return n;
	}
	split_words(f->search, &ws);
	for (size_t i = 0; i < n; i++) {
		const struct rows_item *it = &items[order[i]];

		if (other_filters(it, f) && words_match(it, &ws))
			out[k++] = order[i];
	}
	return k;
}

size_t rows_filter_all(const struct rows_item *items, size_t n, const uint32_t *order,
		       const struct rows_filter *f, uint32_t *out)
{
	struct words ws;
	unsigned char *hit;
	size_t k = 0;

	if (!rows_filter_active(f) && f->answered) {
		memmove(out, order, n * sizeof *out);
		return n;
	}
	if ((hit = malloc(n ? n : 1)) == NULL)
		return rows_filter(items, order, n, f, out);
	/* the items in memory order (the cache and the prefetcher like it),
	 * then the verdicts in display order */
	split_words(f->search, &ws);
	for (size_t i = 0; i < n; i++)
		hit[i] = (unsigned char)(other_filters(&items[i], f) &&
		    words_match(&items[i], &ws));
	for (size_t i = 0; i < n; i++)
		if (hit[order[i]])
			out[k++] = order[i];
	free(hit);
	return k;
}

/* ---- counts -------------------------------------------------------------------- */

void rows_count_one(const struct rows_item *it, int64_t day_start_at, int64_t day_end_at,
		    struct rows_counts *c)
{
	c->open++;
	if (it->st.state == SLA_AT_RISK)
		c->at_risk++;
	else if (it->st.state == SLA_BREACHED && it->st.stopped_at == STORE_NONE)
		c->breached++;		/* answered late: done, not to do */
	if (it->st.stopped_at == STORE_NONE && it->st.state != SLA_WAITING &&
	    it->t.deadline_at != STORE_NONE &&
	    it->t.deadline_at >= day_start_at && it->t.deadline_at < day_end_at)
		c->due_today++;
}

void rows_count(const struct rows_item *items, size_t n, int64_t day_start_at,
		int64_t day_end_at, struct rows_counts *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < n; i++)
		rows_count_one(&items[i], day_start_at, day_end_at, c);
}

int64_t rows_recheck_at(const struct rows_item *it, double at_risk, int64_t now_at)
{
	int64_t best = INT64_MAX, cand;

	if (it->st.state != SLA_ON_TRACK && it->st.state != SLA_AT_RISK)
		return INT64_MAX;
	if (it->st.state == SLA_ON_TRACK && it->t.target_s != STORE_NONE) {
		double thr = at_risk * (double)it->t.target_s - (double)it->st.elapsed_s;

		best = thr < 1.0 ? 1 : (int64_t)thr;
	}
	cand = it->st.remaining_s + 1;
	if (cand < best)
		best = cand;
	return now_at + (best < 1 ? 1 : best);
}

int64_t rows_next_change(const struct rows_item *items, size_t n, double at_risk,
			 int64_t cap_s)
{
	int64_t best = cap_s;

	for (size_t i = 0; i < n; i++) {
		const struct rows_item *it = &items[i];
		int64_t cand;

		if (it->st.state != SLA_ON_TRACK && it->st.state != SLA_AT_RISK)
			continue;
		if (it->st.state == SLA_ON_TRACK && it->t.target_s != STORE_NONE) {
			double thr = at_risk * (double)it->t.target_s - (double)it->st.elapsed_s;

			cand = thr < 1.0 ? 1 : (int64_t)thr;
			if (cand < best)
				best = cand;
		}
		cand = it->st.remaining_s + 1;
		if (cand < best)
			best = cand;
	}
	return best < 1 ? 1 : best;
}

/* ---- detail ---------------------------------------------------------------------- */

/* One paragraph (no newline) p[0..len) into lines; *nl counts them. */
static void wrap_para(const char *p, size_t len, size_t first, size_t rest,
		      struct buf *out, size_t *nl)
{
	size_t i = 0;

	do {
		size_t width = *nl == 0 ? first : rest, start = i, end, w = 0, brk = 0;
		int word = 0;		/* a word has started: blanks after it may break */

		while (i < len) {
			unsigned cp;
			size_t n = text_utf8_len((const unsigned char *)p + i, len - i, &cp), cw;

			if (n == 0)
				n = 1;
			cw = ticketfmt_width(p + i, n);
			if (w + cw > width && i > start)
				break;
			if (p[i] != ' ')
				word = 1;
			else if (word)
				brk = i;
			w += cw;
			i += n;
		}
		end = i;
		if (i < len && p[i] != ' ' && brk > start)
			end = i = brk;	/* back to the last blank: whole words */
		while (end > start && p[end - 1] == ' ')
			end--;
		if (*nl > 0)
			buf_addc(out, '\n');
		buf_add(out, p + start, end - start);
		(*nl)++;
		while (i < len && p[i] == ' ')
			i++;
	} while (i < len);
}

size_t rows_wrap(const char *s, size_t first, size_t rest, struct buf *out)
{
	struct buf t = BUF_INIT;
	const char *p;
	size_t nl = 0;

	if (first == 0)
		first = 1;
	if (rest == 0)
		rest = 1;
	text_add_safe(&t, s ? s : "", TEXT_KEEP_NEWLINES);
	p = buf_str(&t);
	for (;;) {
		size_t n = strcspn(p, "\n");

		wrap_para(p, n, first, rest, out, &nl);
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	buf_release(&t);
	return nl;
}

void rows_progress(double consumed, int width, int utf8, struct buf *out)
{
	int inner = width - 2, fill;

	if (inner < 1)
		inner = 1;
	if (consumed < 0)
		consumed = 0;
	fill = consumed >= 1.0 ? inner : (int)(consumed * inner + 0.5);
	if (fill > inner)
		fill = inner;
	buf_addc(out, '[');
	for (int i = 0; i < inner; i++)
		buf_adds(out, i < fill ? (utf8 ? "\xe2\x96\x88" : "#") :
		    (utf8 ? "\xe2\x96\x91" : "-"));
	buf_addc(out, ']');
}

/* ---- a partner's month ------------------------------------------------------------- */

const char *rows_month_name(int month)
{
	static const char *const names[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"
	};

	return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

void rows_month(const struct cal *c, const struct cal_rules *r, int64_t year, int month,
		int32_t today, const int64_t *deadline_at, size_t ndl,
		struct rows_month *out)
{
	const struct tz *tz = cal_tz(c);
	int64_t first = civil_days_from_ymd(year, month, 1), start;
	int offset = (civil_weekday(first) + 6) % 7;	/* Monday first */
	int dim = civil_days_in_month(year, month);

	memset(out, 0, sizeof *out);
	out->year = year;
	out->month = month;
	out->weeks = (offset + dim + 6) / 7;
	start = first - offset;
	for (int i = 0; i < 42; i++) {
		struct rows_day *d = &out->cells[i];
		const struct cal_day *entry = NULL;
		int64_t y;
		int m;

		d->day = (int32_t)(start + i);
		civil_ymd_from_days(d->day, &y, &m, &d->mday);
		d->in_month = y == year && m == month;
		d->today = d->day == today;
		d->weekday = civil_weekday(d->day);
		d->reason = cal_day_reason(c, d->day, &entry);
		d->name = entry != NULL ? entry->name : NULL;
	}
	for (size_t i = 0; i < ndl; i++) {
		/* a deadline at local midnight ends the day before */
		int64_t day = civil_div(tz_utc_to_local(tz, deadline_at[i] - 1), CIVIL_DAY_S);

		if (day >= start && day < start + 42)
			out->cells[day - start].deadlines++;
	}
	if (r != NULL) {
		size_t n;
		const struct cal_closure *cl = cal_rules_closures(r, &n);

		for (size_t i = 0; i < n; i++) {
			int64_t a = civil_div(tz_utc_to_local(tz, cl[i].start_at), CIVIL_DAY_S);
			int64_t b = civil_div(tz_utc_to_local(tz, cl[i].end_at - 1), CIVIL_DAY_S);

			if (b < start || a >= start + 42)
				continue;
			for (int64_t day = a < start ? start : a; day <= b && day < start + 42; day++) {
				struct rows_day *d = &out->cells[day - start];

				if (d->closures++ == 0)
					d->closure = cl[i].name;
			}
		}
	}
}
