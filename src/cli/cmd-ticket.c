/* cmd-ticket.c: `slatrack ticket add|list|show|respond|resolve|reopen|
 * assign|note|edit` (issue 3, items 3 and 9).
 *
 * Exit status (slatrack(1), EXIT STATUS): 2 for a malformed command line (an
 * unknown option, a missing argument, a severity or format outside its
 * list, an instant that is not ISO 8601); 3 for input that is well formed
 * but wrong (an unknown partner or ticket, a duplicate key, invalid UTF-8,
 * an empty summary, a response before creation or in the future); 4 when
 * the database fails.  A failed change writes nothing.
 *
 * Every change reads the ticket and writes it inside one BEGIN IMMEDIATE
 * transaction, so two people changing one ticket at once cannot lose a
 * write; the store records one audit event per changed field.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bigmem.h"
#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "clocks.h"
#include "cli/cmd.h"
#include "cli/explain.h"
#include "cli/outfile.h"
#include "cli/ticketfmt.h"
#include "cli/timefmt.h"
#include "cores.h"
#include "csv.h"
#include "json.h"
#include "queuehtml.h"
#include "rowpair.h"
#include "scanpipe.h"
#include "sla.h"
#include "store.h"
#include "store-remind.h"
#include "text.h"
#include "ticketurl.h"
#include "triage.h"
#include "tz.h"

static int bad_option(char **argv, struct diag *d)
{
	return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'", argv[optind - 1]);
}

/* After the options: exactly one TICKET must be left (argv[optind]). */
static int one_ticket_left(int argc, struct diag *d)
{
	if (optind == argc - 1)
		return 0;
	return diag_set(d, DIAG_USAGE, optind >= argc ? "which ticket? give its id or key" :
	    "one ticket at a time");
}

static int parse_severity(const char *opt, const char *s, int *sev, struct diag *d)
{
	if (store_severity_parse(s, sev) < 0) {
		struct buf b = BUF_INIT;

		text_add_safe(&b, s, 0);
		diag_set(d, DIAG_USAGE, "%s: unknown severity '%s' (critical, high, medium "
		    "or low)", opt, buf_str(&b));
		buf_release(&b);
		return -1;
	}
	return 0;
}

/* Replaces *field by a copy of v ("" or NULL -> NULL). */
static int set_text(char **field, const char *v, struct diag *d)
{
	char *c = NULL;

	if (v != NULL && *v != '\0' && (c = strdup(v)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	free(*field);
	*field = c;
	return 0;
}


static void print_safe(FILE *f, const char *s)
{
	struct buf b = BUF_INIT;

	text_add_safe(&b, s, 0);
	fputs(buf_str(&b), f);
	buf_release(&b);
}

static void print_label(FILE *f, const struct store_ticket *t)
{
	struct buf b = BUF_INIT;

	ticketfmt_label(&b, t);
	fputs(buf_str(&b), f);
	buf_release(&b);
}

/* "Mon 2026-01-12 12:00:00 CET (Europe/Berlin) = 2026-01-12T11:00:00Z" */
static void print_instant_line(FILE *f, const struct tz *tz, int64_t at)
{
	char loc[TIMEFMT_LEN], iso[CIVIL_ISO_LEN];

	timefmt_local(tz, at, loc);
	civil_format_utc(at, iso);
	fprintf(f, "%s (%s) = %s", loc, tz_name(tz), iso);
}

/* An instant option read in the partner's zone when it has no offset,
 * and never after now (a typo in the year must not become history). */
static int parse_past_instant(const char *opt, const char *s, const struct tz *tz,
			      int64_t now_at, int64_t *at, struct diag *d)
{
	char a[CIVIL_ISO_LEN], b[CIVIL_ISO_LEN];

	if (cmd_parse_instant(opt, s, tz, at, d) < 0)
		return -1;
	if (*at > now_at) {
		civil_format_utc(*at, a);
		civil_format_utc(now_at, b);
		return diag_set(d, DIAG_INPUT, "%s: %s is in the future (now is %s)", opt, a, b);
	}
	return 0;
}

/* ---- add ------------------------------------------------------------------ */

static int ticket_add(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "partner", required_argument, NULL, 'p' },
		{ "severity", required_argument, NULL, 's' },
		{ "summary", required_argument, NULL, 'S' },
		{ "key", required_argument, NULL, 'k' },
		{ "customer", required_argument, NULL, 'c' },
		{ "assignee", required_argument, NULL, 'a' },
		{ "created", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	const char *partner = NULL, *summary = NULL, *key = NULL, *customer = NULL;
	const char *assignee = NULL, *created = NULL;
	const struct sla_partner *p;
	struct sla_cache *cache = NULL;
	struct store_ticket t;
	int c, sev = -1, rc = -1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': partner = optarg; break;
		case 's':
			if (parse_severity("--severity", optarg, &sev, d) < 0)
				return -1;
			break;
		case 'S': summary = optarg; break;
		case 'k': key = optarg; break;
		case 'c': customer = optarg; break;
		case 'a': assignee = optarg; break;
		case 'C': created = optarg; break;
		default: return bad_option(argv, d);
		}
	}
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (partner == NULL)
		return diag_set(d, DIAG_USAGE, "--partner KEY is required");
	if (sev < 0)
		return diag_set(d, DIAG_USAGE, "--severity is required (critical, high, "
		    "medium or low)");
	if (summary == NULL)
		return diag_set(d, DIAG_USAGE, "--summary TEXT is required");
	store_ticket_init(&t);
	if ((cache = sla_cache_new(ctx->store)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	if ((p = sla_cache_get_key(cache, partner, d)) == NULL) {
		diag_prefix(d, "--partner");
		goto out;
	}
	if (p->partner.archived_at != STORE_NONE) {
		diag_set(d, DIAG_INPUT, "--partner: partner '%s' is archived and takes no "
		    "new tickets", p->partner.key);
		goto out;
	}
	t.created_at = ctx->now_at;
	if (created != NULL && parse_past_instant("--created", created, p->sched.tz,
	    ctx->now_at, &t.created_at, d) < 0)
		goto out;
	t.partner_id = p->partner.id;
	t.severity = sev;
	if (sla_plan_ticket(p, &t, NULL, 0, d) < 0)
		goto out;
	/* an empty --key, --customer or --assignee is caught by the store
	 * (key) or means "none" */
	if ((key != NULL && (t.key = strdup(key)) == NULL) ||
	    (t.summary = strdup(summary)) == NULL ||
	    (customer != NULL && *customer != '\0' && (t.customer = strdup(customer)) == NULL) ||
	    (assignee != NULL && *assignee != '\0' && (t.assignee = strdup(assignee)) == NULL)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	if (store_ticket_add(ctx->store, &t, ctx->actor, ctx->now_at, d) < 0)
		goto out;
	fputs("ticket    ", stdout);
	print_label(stdout, &t);
	fputc('\n', stdout);
	fputs("deadline  ", stdout);
	if (t.deadline_at == STORE_NONE)
		printf("none: %s tickets of partner '%s' are tracked, not timed\n",
		    store_severity_name(sev), p->partner.key);
	else {
		print_instant_line(stdout, p->sched.tz, t.deadline_at);
		fputc('\n', stdout);
	}
	if (t.resolve_deadline_at != STORE_NONE) {	/* the partner times resolutions */
		fputs("resolve   ", stdout);
		print_instant_line(stdout, p->sched.tz, t.resolve_deadline_at);
		fputc('\n', stdout);
	}
	rc = 0;
out:
	store_ticket_release(&t);
	sla_cache_free(cache);
	return rc;
}

/* ---- list ------------------------------------------------------------------- */

enum list_format { LIST_TABLE, LIST_CSV, LIST_JSON, LIST_HTML };

enum col {
	COL_ID, COL_KEY, COL_PARTNER, COL_SEV, COL_STATE, COL_DUE, COL_REMAINING,
	COL_ASSIGNEE, COL_SUMMARY, NCOLS
};

static const struct {
	const char *title;
	size_t max;		/* display columns, 0 = no cap */
	int right;		/* right-aligned */
} columns[NCOLS] = {
	{ "ID", 0, 1 }, { "KEY", 24, 0 }, { "PARTNER", 16, 0 }, { "SEV", 0, 0 },
	{ "STATE", 0, 0 }, { "DUE", 0, 0 }, { "REMAINING", 0, 1 }, { "ASSIGNEE", 16, 0 },
	{ "SUMMARY", 0, 0 },
};

/* The listing's strings, one growing block (no allocation per row). */
struct arena {
	char *data;
	size_t len, cap;
	int failed;
};

/* Appends s[0..n) to a; its offset, or (size_t)-1 out of memory. */
static size_t arena_add(struct arena *a, const void *s, size_t n)
{
	size_t off = a->len;

	if (a->failed)
		return (size_t)-1;
	if (n > a->cap - a->len) {
		size_t ncap = a->cap ? a->cap : (size_t)1 << 20;
		char *q;

		while (ncap - a->len < n)
			ncap *= 2;
		if ((q = bigmem_resize(a->data, a->cap, ncap)) == NULL) {
			a->failed = 1;
			return (size_t)-1;
		}
		a->data = q;
		a->cap = ncap;
	}
	memcpy(a->data + off, s, n);
	a->len += n;
	return off;
}

/* One listed ticket for CSV, JSON and HTML.  Its strings live in the
 * listing's arena: while the scan runs they hold offsets (+1, 0 = NULL),
 * fixed up to pointers once the arena stops moving. */
struct row {
	struct store_ticket t;
	const struct sla_partner *p;
	struct sla_status st;
	struct sla_status rst;	/* the resolution clock (CSV and JSON only) */
};

/* One row of the table, kept small: 100,000 of them stay in cache and
 * cost few page faults, where full rows cost tens of megabytes.  Its
 * texts follow each other in the listing's text block from `text`: the
 * key, the assignee and the summary as stored (each with its NUL; an
 * absent key or assignee is empty there and flagged), then the DUE and
 * REMAINING cells as shown. */
struct trow {
	int64_t id, deadline_at;
	size_t text;
	uint32_t key_len, asg_len, sum_len, part;	/* part: index in l->parts */
	uint8_t due_len, rem_len, severity, state, flags;
};

enum {
	TROW_KEY = 1, TROW_ASSIGNEE = 2, TROW_EXCUSED = 4, TROW_WAITING = 8,
	/* printable ASCII that fits its column: the cell is the text itself */
	TROW_KEY_PLAIN = 16, TROW_ASSIGNEE_PLAIN = 32, TROW_SUMMARY_PLAIN = 64
};

/* A partner of the table: its PARTNER cell fitted once. */
struct tpart {
	const struct sla_partner *p;
	size_t off, len, width;		/* the cell, in l->cells */
};

/* Which tickets a listing shows: the queue (waiting for a first response),
 * every one, or only those answered or resolved (--open then drops the
 * resolved ones). */
enum list_scope { SCOPE_QUEUE, SCOPE_ALL, SCOPE_ANSWERED };

struct listing {
	struct ctx *ctx;
	struct sla_cache *cache;
	struct diag *d;
	enum list_scope scope;
	int breached, at_risk;
	int resolve;			/* compute the resolution clock too */
	double at_risk_fraction;	/* sla.at_risk, read once */
	enum triage_sort by;
	int reverse;			/* a column's; the triage order reversed is read backwards */
	struct triage_rkey *keys;	/* the order of row i, idx = i */
	int wide_ties;			/* a tie-break did not fit its key */
	size_t n, cap;
	/* CSV, JSON, HTML */
	struct row *rows;
	struct arena arena;
	/* the table */
	int table;
	const struct tz *viewer;
	struct trow *trows;
	struct arena text;		/* the rows' texts (struct trow) */
	struct buf cells;		/* the partners' cells, and scratch */
	struct tpart *parts;
	size_t nparts, last_part;
	size_t w[NCOLS];		/* the columns' widths so far */
};

static char *arena_put(struct arena *a, const char *s)
{
	size_t off;

	if (s == NULL || (off = arena_add(a, s, strlen(s) + 1)) == (size_t)-1)
		return NULL;	/* with its NUL */
	return (char *)(uintptr_t)(off + 1);
}

static void arena_fix(const struct arena *a, char **field)
{
	if (*field != NULL)
		*field = a->data + ((uintptr_t)*field - 1);
}

/* Room for one more row (and its sort key); -1 out of memory. */
static int listing_grow(struct listing *l)
{
	size_t ncap = l->cap ? l->cap * 2 : 1024;
	struct triage_rkey *k;

	if (l->n < l->cap)
		return 0;
	if ((k = bigmem_resize(l->keys, l->cap * sizeof *k, ncap * sizeof *k)) == NULL)
		return diag_set(l->d, DIAG_NOMEM, "out of memory");
	l->keys = k;
	if (l->table) {
		struct trow *q = bigmem_resize(l->trows, l->cap * sizeof *q, ncap * sizeof *q);

		if (q == NULL)
			return diag_set(l->d, DIAG_NOMEM, "out of memory");
		l->trows = q;
	} else {
		struct row *q = bigmem_resize(l->rows, l->cap * sizeof *q, ncap * sizeof *q);

		if (q == NULL)
			return diag_set(l->d, DIAG_NOMEM, "out of memory");
		l->rows = q;
	}
	l->cap = ncap;
	return 0;
}

static size_t state_label(enum sla_state s, int excused, int waiting, char out[32]);
static void remaining_text(const struct sla_status *st, char out[TIMEFMT_LEN]);

/* The index of partner p in l->parts, its cell fitted on first sight. */
static int table_part(struct listing *l, const struct sla_partner *p, uint32_t *out)
{
	struct tpart *v;
	size_t i = l->last_part;

	if (i < l->nparts && l->parts[i].p == p) {
		*out = (uint32_t)i;
		return 0;
	}
	for (i = 0; i < l->nparts && l->parts[i].p != p; i++)
		;
	if (i == l->nparts) {
		if ((v = realloc(l->parts, (i + 1) * sizeof *v)) == NULL)
			return diag_set(l->d, DIAG_NOMEM, "out of memory");
		l->parts = v;
		v[i].p = p;
		v[i].off = l->cells.len;
		v[i].width = ticketfmt_fit(&l->cells, p->partner.key, columns[COL_PARTNER].max);
		v[i].len = l->cells.len - v[i].off;
		if (v[i].width > l->w[COL_PARTNER])
			l->w[COL_PARTNER] = v[i].width;
		l->nparts++;
	}
	l->last_part = i;
	*out = (uint32_t)i;
	return 0;
}

/* Printable ASCII, as ticketfmt_fit's quick path counts it. */
static int plain_text(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			return 0;
	return 1;
}

/* The display width of a KEY or ASSIGNEE cell (fitted to max); *plain
 * set when the cell is s itself. */
static size_t table_cell_width(struct listing *l, const char *s, size_t len, size_t max,
			       int *plain)
{
	size_t w, mark = l->cells.len;

	if ((*plain = len <= max && plain_text(s, len)))
		return len;
	w = ticketfmt_fit(&l->cells, s, max);
	l->cells.len = mark;	/* only its width was wanted */
	return w;
}

static void widen(size_t *w, size_t v)
{
	if (v > *w)
		*w = v;
}

/* A table row: what its cells need, and the widths they take. */
static int table_one(struct listing *l, const struct store_ticket *t,
		     const struct sla_partner *p, const struct sla_status *st)
{
	struct trow *r = &l->trows[l->n];
	char tmp[TIMEFMT_LEN], label[32];
	size_t n;
	int plain;

	r->id = t->id;
	r->deadline_at = t->deadline_at;
	r->severity = (uint8_t)t->severity;
	r->state = (uint8_t)st->state;
	r->flags = (uint8_t)((t->key ? TROW_KEY : 0) | (t->assignee ? TROW_ASSIGNEE : 0) |
	    (st->excused ? TROW_EXCUSED : 0) |
	    (t->waiting_since != STORE_NONE && st->state != SLA_WAITING ? TROW_WAITING : 0));
	if (table_part(l, p, &r->part) < 0)
		return -1;
	r->key_len = t->key ? (uint32_t)strlen(t->key) : 0;
	r->asg_len = t->assignee ? (uint32_t)strlen(t->assignee) : 0;
	r->sum_len = (uint32_t)strlen(t->summary);
	widen(&l->w[COL_ID], ticketfmt_i64(t->id, tmp));
	widen(&l->w[COL_KEY], t->key ? table_cell_width(l, t->key, r->key_len,
	    columns[COL_KEY].max, &plain) : (plain = 1));
	r->flags |= plain ? TROW_KEY_PLAIN : 0;
	widen(&l->w[COL_ASSIGNEE], t->assignee ? table_cell_width(l, t->assignee, r->asg_len,
	    columns[COL_ASSIGNEE].max, &plain) : (plain = 1));
	r->flags |= plain ? TROW_ASSIGNEE_PLAIN : 0;
	r->flags |= plain_text(t->summary, r->sum_len) ? TROW_SUMMARY_PLAIN : 0;
	widen(&l->w[COL_SEV], strlen(store_severity_name(t->severity)));
	widen(&l->w[COL_STATE], state_label(st->state, (r->flags & TROW_EXCUSED) != 0,
	    (r->flags & TROW_WAITING) != 0, label));
	r->text = l->text.len;
	arena_add(&l->text, t->key ? t->key : "", r->key_len + 1);
	arena_add(&l->text, t->assignee ? t->assignee : "", r->asg_len + 1);
	arena_add(&l->text, t->summary, r->sum_len + 1);
	/* DUE and REMAINING, as shown (the same text as the cell; no NUL) */
	if (t->deadline_at != STORE_NONE)
		ticketfmt_short(l->viewer, t->deadline_at, tmp);
	else
		memcpy(tmp, "-", 2);
	n = strlen(tmp);
	r->due_len = (uint8_t)(n < 39 ? n : 39);
	arena_add(&l->text, tmp, r->due_len);
	widen(&l->w[COL_DUE], r->due_len);
	remaining_text(st, tmp);
	n = strlen(tmp);
	r->rem_len = (uint8_t)(n < 23 ? n : 23);
	arena_add(&l->text, tmp, r->rem_len);
	widen(&l->w[COL_REMAINING], r->rem_len);
	return 0;
}

/* A row for CSV, JSON or HTML: the whole ticket, strings in the arena. */
static void full_one(struct listing *l, const struct store_ticket *t,
		     const struct sla_partner *p, const struct sla_status *st)
{
	struct row *r = &l->rows[l->n];

	r->t = *t;
	r->p = p;
	r->st = *st;
	if (l->resolve)
		sla_compute_resolve(t, p->sched.cal, l->ctx->now_at, l->at_risk_fraction, &r->rst);
	r->t.key = arena_put(&l->arena, t->key);
	r->t.partner_key = arena_put(&l->arena, t->partner_key);
	r->t.summary = arena_put(&l->arena, t->summary);
	r->t.customer = arena_put(&l->arena, t->customer);
	r->t.assignee = arena_put(&l->arena, t->assignee);
	r->t.responded_by = arena_put(&l->arena, t->responded_by);
	r->t.excuse_reason = arena_put(&l->arena, t->excuse_reason);
	r->t.excuse_ref = arena_put(&l->arena, t->excuse_ref);
}

/* The ticket's partner, on the scan's thread (scanpipe.h): read from
 * the store, compiled by list_one while the scan goes on. */
static void *list_partner(const struct store_ticket *t, void *arg, struct diag *d)
{
	struct listing *l = arg;

	return sla_cache_load(l->cache, t->partner_id, d);
}

/* The same for a scan split over two helpers at once: every partner was
 * loaded before the scan began (sla_cache_load_all), so it is only
 * found, each helper with its own hint. */
struct pair_attach {
	const struct sla_cache *cache;
	size_t hint;
};

static void *list_partner_found(const struct store_ticket *t, void *arg, struct diag *d)
{
	struct pair_attach *a = arg;
	struct sla_partner *p = sla_cache_find(a->cache, t->partner_id, &a->hint);

	if (p == NULL)
		diag_set(d, DIAG_STORE, "ticket #%lld: no partner #%lld", (long long)t->id,
		    (long long)t->partner_id);
	return p;
}

/* Called for every ticket the query returns, strings borrowed. */
static int list_one(const struct store_ticket *t, int tag, void *partner, void *arg)
{
	struct listing *l = arg;
	struct sla_partner *p = partner;
	struct sla_status st;
	struct triage_rkey *k;

	(void)tag;
	if (sla_partner_ready(p, l->d) < 0)
		return -1;
	if ((l->scope == SCOPE_QUEUE && !triage_waiting(t)) ||
	    (l->scope == SCOPE_ANSWERED && triage_waiting(t)))
		return 0;
	sla_compute(t, p->sched.cal, l->ctx->now_at, l->at_risk_fraction, &st);
	if ((l->breached || l->at_risk) && !(l->breached && st.state == SLA_BREACHED) &&
	    !(l->at_risk && st.state == SLA_AT_RISK))
		return 0;
	if (listing_grow(l) < 0)
		return -1;
	/* the order, while the ticket is at hand (the triage order reversed
	 * is the ascending one read backwards) */
	k = &l->keys[l->n];
	k->idx = (uint32_t)l->n;
	if (triage_rkey_fill(l->by, l->by == TRIAGE_SORT_TRIAGE ? 0 : l->reverse, t, &st,
	    k) < 0) {
		l->wide_ties = 1;
		k->k[1] = triage_key(t, &st);
		k->k[0] = l->by == TRIAGE_SORT_TRIAGE || triage_sort_is_text(l->by) ? 0 :
		    triage_sort_value(l->by, t, &st);
		if (l->reverse && l->by != TRIAGE_SORT_TRIAGE && !triage_sort_is_text(l->by))
			k->k[0] = ~k->k[0];
		k->k[2] = 0;
	}
	if (l->table) {
		if (table_one(l, t, p, &st) < 0)
			return -1;
	} else
		full_one(l, t, p, &st);
	l->n++;
	return 0;
}

/* The order asked for (triage.h) when the radix sort cannot do it (a
 * text column, or a tie-break too wide for its key): the column (its text,
 * or its value, reversed when asked), then the triage order and its ties
 * (deadline, id). */
struct order {
	const char *text;		/* a text column's cell (NULL first) */
	uint64_t col, key;
	int64_t deadline_at, id;
	int text_col, reverse;
	uint32_t idx;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	int c;

	if (x->text_col) {
		if (x->text == NULL || y->text == NULL)
			c = (y->text == NULL) - (x->text == NULL);
		else
			c = strcmp(x->text, y->text);
		if (c != 0)
			return x->reverse ? -c : c;
	}
	if ((c = cmp_u64(x->col, y->col)) != 0 || (c = cmp_u64(x->key, y->key)) != 0)
		return c;
	if (x->deadline_at != y->deadline_at)
		return x->deadline_at < y->deadline_at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Row i's text in a text column (borrowed; NULL sorts first). */
static const char *row_text(const struct listing *l, size_t i)
{
	const struct trow *r;
	const char *s;

	if (!l->table)
		return triage_sort_text(l->by, &l->rows[i].t);
	r = &l->trows[i];
	s = l->text.data + r->text;
	switch (l->by) {
	case TRIAGE_SORT_KEY: return r->flags & TROW_KEY ? s : NULL;
	case TRIAGE_SORT_PARTNER: return l->parts[r->part].p->partner.key;
	case TRIAGE_SORT_ASSIGNEE:
		return r->flags & TROW_ASSIGNEE ? s + r->key_len + 1 : NULL;
	case TRIAGE_SORT_SUMMARY: return s + r->key_len + 1 + r->asg_len + 1;
	default: return NULL;
	}
}

/* Sorts with order_cmp into perm[0..n). */
static int sort_slow(const struct listing *l, uint32_t *perm)
{
	struct order *o = malloc(l->n * sizeof *o);

	if (o == NULL)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct triage_rkey *k = &l->keys[i];

		o[i].idx = (uint32_t)i;
		o[i].text_col = triage_sort_is_text(l->by);
		o[i].reverse = l->reverse;
		o[i].text = o[i].text_col ? row_text(l, i) : NULL;
		o[i].col = k->k[0];
		o[i].key = k->k[1];
		o[i].deadline_at = l->table ? l->trows[i].deadline_at : l->rows[i].t.deadline_at;
		o[i].id = l->table ? l->trows[i].id : l->rows[i].t.id;
	}
	qsort(o, l->n, sizeof *o, order_cmp);
	for (size_t i = 0; i < l->n; i++)
		perm[i] = o[i].idx;
	free(o);
	return 0;
}

/* From this many ids, a listing reads its tickets on two helpers, each
 * half of the ids on a connection of its own: stepping the query and
 * reading its columns is most of a long listing's time, and one core's
 * worth of it was what the listing waited for. */
#define LIST_PAIR_FROM 32768

/* Every ticket of f through list_one: on two helpers reading the same
 * database (store_twin_begin) when the ids are many and a twin can be
 * had, else on one.  The rows' order is the sort's, whatever order they
 * come in. */
static int list_scan(struct listing *l, const struct store_ticket_filter *f, struct diag *d)
{
	struct store *s = l->ctx->store, *twin;
	struct pair_attach at[2] = { { l->cache, 0 }, { l->cache, 0 } };
	void *attach_arg[2] = { &at[0], &at[1] };
	struct diag none;
	int64_t split;
	int rc;

	diag_clear(&none);
	if (cores_usable() < 2 || (twin = store_twin_begin(s, LIST_PAIR_FROM, &split,
	    &none)) == NULL)
		return scanpipe_scan(s, f, list_partner, list_one, l, d);
	/* a partner that cannot be read fails the listing only when one of
	 * its tickets is listed, as on one helper */
	if (sla_cache_load_all(l->cache, &none) < 0) {
		store_twin_end(s, twin);
		return scanpipe_scan(s, f, list_partner, list_one, l, d);
	}
	rc = scanpipe_scan_pair(s, twin, f, split, list_partner_found, attach_arg, list_one, l,
	    d);
	store_twin_end(s, twin);
	return rc;
}

/* The rows' order: perm[i] is the row shown i-th. */
static int listing_sort(const struct listing *l, uint32_t *perm)
{
	struct triage_rkey *tmp, *v;
	int flip = l->by == TRIAGE_SORT_TRIAGE && l->reverse;

	if (l->n < 2 || l->wide_ties || triage_sort_is_text(l->by)) {
		if (l->n > 0 && sort_slow(l, perm) < 0)
			return -1;
	} else {
		if ((tmp = bigmem_resize(NULL, 0, l->n * sizeof *tmp)) == NULL)
			return -1;
		if ((v = triage_radix_sort(l->keys, tmp, l->n)) == NULL) {
			bigmem_free(tmp, l->n * sizeof *tmp);
			return -1;
		}
		for (size_t i = 0; i < l->n; i++)
			perm[i] = v[i].idx;
		bigmem_free(tmp, l->n * sizeof *tmp);
	}
	/* the triage order reversed is the whole order reversed, ties too */
	for (size_t i = 0; flip && i < l->n / 2; i++) {
		uint32_t x = perm[i];

		perm[i] = perm[l->n - 1 - i];
		perm[l->n - 1 - i] = x;
	}
	return 0;
}

/* The output is written in chunks this big: a buffer that stays in the
 * cache, and few page faults (each costs more than the bytes it holds). */
#define OUT_CHUNK ((size_t)64 << 10)

/* Flushes b to stdout once it holds a chunk. */
static void maybe_flush(struct buf *b)
{
	if (b->len >= OUT_CHUNK) {
		fwrite(b->data, 1, b->len, stdout);
		buf_reset(b);
	}
}

static size_t output_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	int64_t v;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	if (cols != NULL && civil_parse_i64(cols, 20, 10000, &v) == 0)
		return (size_t)v;
	return 0;
}

/* Working time left, or past the deadline ("-2h 00m"; "-<1m" when the
 * deadline passed outside working time); answered after the deadline
 * "late 2h 00m"; "-" for the others (met, not timed). */
static void remaining_text(const struct sla_status *st, char out[TIMEFMT_LEN])
{
	char w[TIMEFMT_LEN];

	switch (st->state) {
	case SLA_ON_TRACK:
	case SLA_AT_RISK:
	case SLA_WAITING:	/* standing still */
		ticketfmt_work(st->remaining_s, out);
		break;
	case SLA_BREACHED:
		ticketfmt_overrun(st->overrun_s, w);
		if (st->stopped_at == STORE_NONE) {	/* hot: no printf */
			out[0] = '-';
			memcpy(out + 1, w, strlen(w) + 1);
		} else {
			memcpy(out, "late ", 5);
			memcpy(out + 5, w, strlen(w) + 1);
		}
		break;
	default:
		memcpy(out, "-", 2);
		break;
	}
}

/* The STATE cell: the response clock's state, marked when the breach is
 * excused ("BREACHED (excused)") and when the ticket waits on the
 * customer while that clock runs on ("on track (waiting)"). */
static size_t state_label(enum sla_state s, int excused, int waiting, char out[32])
{
	const char *name = sla_state_name(s);
	size_t n = strlen(name);

	memcpy(out, name, n + 1);
	if (!excused && !waiting)
		return n;
	n += (size_t)snprintf(out + n, 32 - n, " (%s%s%s)", excused ? "excused" : "",
	    excused && waiting ? ", " : "", waiting ? "waiting" : "");
	return n;
}

/* The table's output: one buffer written to stdout every OUT_CHUNK. */
static void out_flush(struct buf *o)
{
	fwrite(o->data, 1, o->len, stdout);
	buf_reset(o);
}

static void out_pad(struct buf *o, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;

		buf_add(o, spaces, k);
		n -= k;
	}
}

/* A cell of `width` columns already appended, padded to w and followed
 * by the gap to the next column. */
static void cell_end(struct buf *o, size_t width, size_t w)
{
	out_pad(o, w > width ? w - width : 0);
	buf_add(o, "  ", 2);
}

/* A right-aligned ASCII cell. */
static void cell_right(struct buf *o, const char *s, size_t len, size_t w)
{
	out_pad(o, w > len ? w - len : 0);
	buf_add(o, s, len);
	buf_add(o, "  ", 2);
}

/* A cell's text fitted to max columns (0: whole), copied as it is when
 * plain (table_one found it printable ASCII that fits); its width. */
static size_t cell_text(struct buf *o, const char *s, size_t len, size_t max, int plain)
{
	if (!plain)
		return ticketfmt_fit(o, s, max);
	buf_add(o, s, len);
	return len;
}

static void table_line(struct buf *o, const struct listing *l, const struct trow *r,
		       const size_t *w)
{
	const char *s = l->text.data + r->text;
	const char *asg = s + r->key_len + 1, *sum = asg + r->asg_len + 1;
	const char *due = sum + r->sum_len + 1;
	const struct tpart *pt = &l->parts[r->part];
	const char *sev = store_severity_name(r->severity);
	char tmp[32];
	size_t n;

	n = ticketfmt_i64(r->id, tmp);
	cell_right(o, tmp, n, w[COL_ID]);
	cell_end(o, cell_text(o, r->flags & TROW_KEY ? s : "-", r->flags & TROW_KEY ?
	    r->key_len : 1, columns[COL_KEY].max, r->flags & TROW_KEY_PLAIN), w[COL_KEY]);
	buf_add(o, l->cells.data + pt->off, pt->len);
	cell_end(o, pt->width, w[COL_PARTNER]);
	n = strlen(sev);
	buf_add(o, sev, n);
	cell_end(o, n, w[COL_SEV]);
	n = state_label((enum sla_state)r->state, (r->flags & TROW_EXCUSED) != 0,
	    (r->flags & TROW_WAITING) != 0, tmp);
	buf_add(o, tmp, n);
	cell_end(o, n, w[COL_STATE]);
	buf_add(o, due, r->due_len);
	cell_end(o, r->due_len, w[COL_DUE]);
	cell_right(o, due + r->due_len, r->rem_len, w[COL_REMAINING]);
	cell_end(o, cell_text(o, r->flags & TROW_ASSIGNEE ? asg : "-", r->flags &
	    TROW_ASSIGNEE ? r->asg_len : 1, columns[COL_ASSIGNEE].max,
	    r->flags & TROW_ASSIGNEE_PLAIN), w[COL_ASSIGNEE]);
	cell_text(o, sum, r->sum_len, w[COL_SUMMARY], (r->flags & TROW_SUMMARY_PLAIN) &&
	    (w[COL_SUMMARY] == 0 || r->sum_len <= w[COL_SUMMARY]));
	buf_addc(o, '\n');
}

/* The lines of the table, rendered on two cores (rowpair.h). */
struct table_rows {
	const struct listing *l;
	const uint32_t *perm;
	const size_t *w;
	int failed;		/* out of memory: nothing more is written */
};

static void table_row(struct buf *o, size_t i, const void *arg)
{
	const struct table_rows *t = arg;
	const struct listing *l = t->l;

	/* the rows are read in sorted order, all over memory: ask for them
	 * a little ahead (the row, then its texts) */
	if (i + 16 < l->n)
		__builtin_prefetch(&l->trows[t->perm[i + 16]]);
	if (i + 8 < l->n) {
		const struct trow *a = &l->trows[t->perm[i + 8]];

		__builtin_prefetch(l->text.data + a->text);
		__builtin_prefetch(l->text.data + a->text + a->key_len + a->asg_len +
		    a->sum_len);
	}
	table_line(o, l, &l->trows[t->perm[i]], t->w);
}

static void table_sink(struct buf *o, void *arg)
{
	struct table_rows *t = arg;

	if (t->failed || (t->failed = buf_failed(o)) != 0)
		return;
	out_flush(o);
}

/* Every line of the table after the heading (in o), in order; -1 out of
 * memory. */
static int table_body(struct buf *o, const struct listing *l, const uint32_t *perm,
		      const size_t *w)
{
	struct table_rows t = { l, perm, w, 0 };

	rowpair_render(o, l->n, table_row, &t, OUT_CHUNK, table_sink, &t);
	return t.failed || buf_failed(o) ? -1 : 0;
}

/* The table: DUE in the viewer's zone (named in its heading, each cell
 * with the abbreviation in force then), REMAINING as wide as its widest
 * cell; only the summary is cut to the terminal's width.  The widths were
 * taken while the rows were read (table_one). */
static int list_table(const struct listing *l, const uint32_t *perm, struct diag *d)
{
	struct buf o = BUF_INIT, due_title = BUF_INIT;
	size_t w[NCOLS], width = output_width(), fixed = 0;
	int rc = 0;

	o.cap = SIZE_MAX / 2;	/* a line is as long as its summary */

	buf_addf(&due_title, "%s (%s)", columns[COL_DUE].title, tz_name(l->viewer));
	for (int k = 0; k < NCOLS; k++) {
		w[k] = k == COL_DUE ? due_title.len : strlen(columns[k].title);
		widen(&w[k], l->w[k]);
	}
	for (int k = 0; k < COL_SUMMARY; k++)
		fixed += w[k] + 2;
	if (width > 0)
		w[COL_SUMMARY] = width > fixed + 10 ? width - fixed : 10;
	else
		w[COL_SUMMARY] = 0;	/* not a terminal, no $COLUMNS: whole summaries */
	for (int k = 0; k < NCOLS; k++) {
		const char *title = k == COL_DUE ? buf_str(&due_title) : columns[k].title;
		size_t tw = strlen(title);

		if (k == COL_SUMMARY)
			buf_add(&o, title, tw);
		else if (columns[k].right)
			cell_right(&o, title, tw, w[k]);
		else {
			buf_add(&o, title, tw);
			cell_end(&o, tw, w[k]);
		}
	}
	buf_addc(&o, '\n');
	rc = table_body(&o, l, perm, w);
	if (l->n == 0)
		buf_adds(&o, "(no tickets)\n");
	if (rc < 0 || buf_failed(&o) || buf_failed(&due_title))
		rc = diag_set(d, DIAG_NOMEM, "out of memory");
	else
		out_flush(&o);
	buf_release(&o);
	buf_release(&due_title);
	return rc;
}

/* "0.750": the fraction consumed with three decimals, without printf's
 * locale-dependent decimal point. */
static void fraction_text(double v, char out[32])
{
	long long m = (long long)(v * 1000.0 + (v >= 0 ? 0.5 : -0.5));
	size_t k = 0;

	if (m < 0) {
		out[k++] = '-';
		m = -m;
	}
	k += ticketfmt_i64(m / 1000, out + k);
	out[k++] = '.';
	out[k++] = (char)('0' + m / 100 % 10);
	out[k++] = (char)('0' + m / 10 % 10);
	out[k++] = (char)('0' + m % 10);
	out[k] = '\0';
}

struct record {
	char id[24], created[CIVIL_ISO_LEN], deadline[CIVIL_ISO_LEN];
	char deadline_local[TIMEFMT_LEN], target[24], elapsed[24], remaining[24];
	char consumed[32], overrun[24], overrun_wall[24];
	char response[CIVIL_ISO_LEN], resolved[CIVIL_ISO_LEN];
	char waiting[CIVIL_ISO_LEN], resolve_deadline[CIVIL_ISO_LEN];
	int timed;
};

static void record_fill(struct record *r, const struct row *row)
{
	const struct store_ticket *t = &row->t;

	r->timed = t->deadline_at != STORE_NONE;
	ticketfmt_i64(t->id, r->id);
	civil_format_utc(t->created_at, r->created);
	r->deadline[0] = r->deadline_local[0] = r->target[0] = r->remaining[0] = '\0';
	r->consumed[0] = r->overrun[0] = r->overrun_wall[0] = '\0';
	if (r->timed) {
		civil_format_utc(t->deadline_at, r->deadline);
		ticketfmt_iso_local(row->p->sched.tz, t->deadline_at, r->deadline_local);
		ticketfmt_i64(t->target_s, r->target);
		ticketfmt_i64(row->st.remaining_s, r->remaining);
		fraction_text(row->st.consumed, r->consumed);
		ticketfmt_i64(row->st.overrun_s, r->overrun);
		ticketfmt_i64(row->st.overrun_wall_s, r->overrun_wall);
	}
	ticketfmt_i64(row->st.elapsed_s, r->elapsed);
	r->response[0] = r->resolved[0] = '\0';
	if (t->first_response_at != STORE_NONE)
		civil_format_utc(t->first_response_at, r->response);
	if (t->resolved_at != STORE_NONE)
		civil_format_utc(t->resolved_at, r->resolved);
	r->waiting[0] = r->resolve_deadline[0] = '\0';
	if (t->waiting_since != STORE_NONE)
		civil_format_utc(t->waiting_since, r->waiting);
	if (t->resolve_deadline_at != STORE_NONE)
		civil_format_utc(t->resolve_deadline_at, r->resolve_deadline);
}

static const char csv_header[] =
	"id,key,partner,severity,state,created,deadline,deadline_local,target_s,"
	"elapsed_s,remaining_s,consumed,overrun_s,overrun_wall_s,first_response,"
	"responded_by,resolved,assignee,customer,summary,waiting_since,resolve_deadline,"
	"resolve_state,excused,excuse_reason,excuse_ref\r\n";

/* The list CSV is read by people, in spreadsheets: text from customers
 * and users (key, partner, responded_by, assignee, customer, summary,
 * excuse_reason, excuse_ref)
 * never starts a formula there.  The other columns are the program's
 * own numbers, instants and words, written as they are ("-3600"). */
static const unsigned char people[26] = {
	0, 1, 1, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 1, 0, 1, 1, 1,
	0, 0, 0, 0, 1, 1,
};

/* On a terminal, where control characters never go raw, every
 * cell is shown sanitised; in a file or a pipe the text is as stored. */
static void list_csv_row(struct buf *b, const struct row *row, int terminal)
{
	const struct store_ticket *t = &row->t;
	struct record r;
	const char *v[26];

	record_fill(&r, row);
	v[0] = r.id;
	v[1] = t->key;
	v[2] = t->partner_key;
	v[3] = store_severity_name(t->severity);
	v[4] = sla_state_id(row->st.state);
	v[5] = r.created;
	v[6] = r.deadline;
	v[7] = r.deadline_local;
	v[8] = r.target;
	v[9] = r.elapsed;
	v[10] = r.remaining;
	v[11] = r.consumed;
	v[12] = r.overrun;
	v[13] = r.overrun_wall;
	v[14] = r.response;
	v[15] = t->responded_by;
	v[16] = r.resolved;
	v[17] = t->assignee;
	v[18] = t->customer;
	v[19] = t->summary;
	v[20] = r.waiting;
	v[21] = r.resolve_deadline;
	v[22] = sla_state_id(row->rst.state);
	v[23] = row->st.excused ? "true" : "false";
	v[24] = t->excuse_reason;
	v[25] = t->excuse_ref;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		csv_add_cell(b, v[i], i == 0, (people[i] ? CSV_PEOPLE : 0) |
		    (terminal ? CSV_VISIBLE : 0));
	buf_add(b, "\r\n", 2);
}

static void json_kv(struct buf *b, const char *k, const char *v, int number)
{
	buf_addc(b, ',');
	buf_addc(b, '"');
	buf_adds(b, k);
	buf_add(b, "\":", 2);
	if (v == NULL || *v == '\0')
		buf_add(b, "null", 4);
	else if (number)
		buf_adds(b, v);
	else
		json_add_string(b, v);
}

static void list_json_row(struct buf *b, const struct row *row)
{
	const struct store_ticket *t = &row->t;
	struct record r;

	record_fill(&r, row);
	buf_adds(b, "{\"id\":");
	buf_adds(b, r.id);
	json_kv(b, "key", t->key, 0);
	json_kv(b, "partner", t->partner_key, 0);
	json_kv(b, "severity", store_severity_name(t->severity), 0);
	json_kv(b, "state", sla_state_id(row->st.state), 0);
	json_kv(b, "created", r.created, 0);
	json_kv(b, "deadline", r.deadline, 0);
	json_kv(b, "deadline_local", r.deadline_local, 0);
	json_kv(b, "target_s", r.target, 1);
	json_kv(b, "elapsed_s", r.elapsed, 1);
	json_kv(b, "remaining_s", r.remaining, 1);
	json_kv(b, "consumed", r.consumed, 1);
	json_kv(b, "overrun_s", r.overrun, 1);
	json_kv(b, "overrun_wall_s", r.overrun_wall, 1);
	json_kv(b, "first_response", r.response, 0);
	json_kv(b, "responded_by", t->responded_by, 0);
	json_kv(b, "resolved", r.resolved, 0);
	json_kv(b, "assignee", t->assignee, 0);
	json_kv(b, "customer", t->customer, 0);
	json_kv(b, "summary", t->summary, 0);
	json_kv(b, "waiting_since", r.waiting, 0);
	json_kv(b, "resolve_deadline", r.resolve_deadline, 0);
	json_kv(b, "resolve_state", sla_state_id(row->rst.state), 0);
	json_kv(b, "excused", row->st.excused ? "true" : "false", 1);
	json_kv(b, "excuse_reason", t->excuse_reason, 0);
	json_kv(b, "excuse_ref", t->excuse_ref, 0);
	buf_addc(b, '}');
}

static int list_data(struct row *const *rows, size_t n, enum list_format fmt,
		     struct diag *d)
{
	struct buf out = BUF_INIT;
	int terminal = isatty(STDOUT_FILENO);

	if (fmt == LIST_CSV)
		buf_adds(&out, csv_header);
	else
		buf_addc(&out, '[');
	for (size_t i = 0; i < n; i++) {
		if (fmt == LIST_CSV)
			list_csv_row(&out, rows[i], terminal);
		else {
			buf_adds(&out, i > 0 ? ",\n" : "\n");
			list_json_row(&out, rows[i]);
		}
		maybe_flush(&out);
	}
	if (fmt == LIST_JSON)
		buf_adds(&out, "\n]\n");
	if (buf_failed(&out)) {
		buf_release(&out);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_release(&out);
	return 0;
}

/* --format html: the queue as a static page (queuehtml.h), the same rows
 * in the same order as the table, to standard output or -o FILE
 * (outfile.h: written atomically, for cron to publish). */
static int list_html(struct ctx *ctx, struct row *const *rows, size_t n,
		     const struct tz *viewer, int argc, char **argv, const char *output,
		     enum outfile_kind kind, struct diag *d)
{
	struct queuehtml_row *v = n > 0 ? calloc(n, sizeof *v) : NULL;
	struct buf page = BUF_INIT, filters = BUF_INIT;
	struct queuehtml_page p;
	char generator[64];
	int rc;

	if (n > 0 && v == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	page.cap = (size_t)1 << 30;	/* about 400 bytes a ticket: millions fit */
	for (size_t i = 0; i < n; i++) {
		v[i].t = &rows[i]->t;
		v[i].state = rows[i]->st.state;
		if (rows[i]->t.deadline_at != STORE_NONE)
			ticketfmt_short(viewer, rows[i]->t.deadline_at, v[i].due);
		else
			memcpy(v[i].due, "-", 2);
		remaining_text(&rows[i]->st, v[i].remaining);
	}
	buf_adds(&filters, "ticket list");	/* the options, but where the page goes */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		/* -o FILE, --output FILE (or --outp...), -oFILE, --output=FILE */
		if (strcmp(a, "-o") == 0 || (strncmp(a, "--ou", 4) == 0 &&
		    strncmp("--output", a, strlen(a)) == 0)) {
			i++;
			continue;
		}
		if (strncmp(a, "-o", 2) == 0 || strncmp(a, "--ou", 4) == 0)
			continue;
		buf_addl(&filters, " ", a, NULL);
	}
	snprintf(generator, sizeof generator, "slatrack %s", SLATRACK_VERSION);
	memset(&p, 0, sizeof p);
	p.now_at = ctx->now_at;
	p.zone = viewer;
	p.filters = buf_str(&filters);
	p.generator = generator;
	p.links = ctx->cfg;
	queuehtml_render(&p, v, n, &page);
	if (buf_failed(&page) || buf_failed(&filters))
		rc = diag_set(d, DIAG_NOMEM, "out of memory");
	else
		rc = outfile_write(stdout, "-o", output, kind, page.data, page.len, d);
	buf_release(&page);
	buf_release(&filters);
	free(v);
	return rc;
}

static int ticket_list(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "open", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "breached", no_argument, NULL, 'b' },
		{ "at-risk", no_argument, NULL, 'r' },
		{ "partner", required_argument, NULL, 'p' },
		{ "assignee", required_argument, NULL, 'a' },
		{ "severity", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'A' },
		{ "answered", no_argument, NULL, 'N' },
		{ "sort", required_argument, NULL, 'S' },
		{ "reverse", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_ticket_filter f;
	enum list_format fmt = LIST_TABLE;
	enum triage_sort by = TRIAGE_SORT_TRIAGE;
	struct listing l;
	uint32_t *perm = NULL;
	struct row **sorted = NULL;
	struct tz *viewer = NULL;
	struct diag vd;
	enum outfile_kind out_kind = OUTFILE_STDOUT;
	const char *partner = NULL, *output = NULL;
	int c, rc = -1, reverse = 0, flip = 0;

	memset(&l, 0, sizeof l);
	buf_init(&l.cells);
	l.ctx = ctx;
	l.at_risk_fraction = sla_at_risk(ctx->cfg);
	l.d = d;
	store_ticket_filter_init(&f);
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'n': f.open_only = 1; break;
		case 'o': output = optarg; break;
		case 'A': l.scope = SCOPE_ALL; break;
		case 'N': l.scope = SCOPE_ANSWERED; break;
		case 'S':
			if (triage_sort_parse(optarg, &by, &reverse) < 0)
				return diag_set(d, DIAG_USAGE, "--sort: unknown column '%s' (%s)",
				    optarg, triage_sort_names());
			break;
		case 'R': flip = 1; break;
		case 'b': l.breached = 1; break;
		case 'r': l.at_risk = 1; break;
		case 'p': partner = optarg; break;
		case 'a': f.assignee = optarg; break;
		case 's':
			if (parse_severity("--severity", optarg, &f.severity, d) < 0)
				return -1;
			break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				fmt = LIST_CSV;
			else if (strcmp(optarg, "json") == 0)
				fmt = LIST_JSON;
			else if (strcmp(optarg, "table") == 0 || strcmp(optarg, "text") == 0)
				fmt = LIST_TABLE;
			else if (strcmp(optarg, "html") == 0)
				fmt = LIST_HTML;
			else
				return diag_set(d, DIAG_USAGE, "--format: unknown format '%s' "
				    "(table, csv, json or html)", optarg);
			break;
		default:
			return bad_option(argv, d);
		}
	}
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (output != NULL && fmt != LIST_HTML)
		return diag_set(d, DIAG_USAGE, "-o: only with --format html");
	/* before the work: a refused -o costs nothing and writes nothing */
	if (output != NULL && outfile_check(ctx, "-o", output, &out_kind, d) < 0)
		return -1;
	reverse ^= flip;
	/* --open: every unresolved ticket, answered or not */
	if (f.open_only && l.scope == SCOPE_QUEUE)
		l.scope = SCOPE_ALL;
	if (l.scope == SCOPE_QUEUE)	/* resolved ones stay in the database */
		f.open_only = 1;
	l.resolve = fmt == LIST_CSV || fmt == LIST_JSON;
	l.table = fmt == LIST_TABLE;
	f.narrow = l.table;	/* the table needs no more (table_one) */
	l.by = by;
	l.reverse = reverse;
	if ((l.cache = sla_cache_new(ctx->store)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (partner != NULL) {
		const struct sla_partner *p = sla_cache_get_key(l.cache, partner, d);

		if (p == NULL) {
			diag_prefix(d, "--partner");
			goto out;
		}
		f.partner_id = p->partner.id;
	}
	if (fmt == LIST_TABLE || fmt == LIST_HTML) {
		diag_clear(&vd);
		if ((viewer = tz_load(ctx->viewer_zone ? ctx->viewer_zone : "UTC", &vd)) == NULL &&
		    (viewer = tz_load("UTC", d)) == NULL)
			goto out;
		l.viewer = viewer;
	}
	/* one query; each partner compiled once; the table's cells made and
	 * measured as the rows come, the other formats' strings copied into
	 * one arena */
	if (list_scan(&l, &f, d) != 0)
		goto out;
	if (l.arena.failed || l.text.failed || buf_failed(&l.cells) ||
	    (l.n > 0 && (perm = bigmem_resize(NULL, 0, l.n * sizeof *perm)) == NULL)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < l.n && !l.table; i++) {
		struct store_ticket *t = &l.rows[i].t;

		arena_fix(&l.arena, &t->key);
		arena_fix(&l.arena, &t->partner_key);
		arena_fix(&l.arena, &t->summary);
		arena_fix(&l.arena, &t->customer);
		arena_fix(&l.arena, &t->assignee);
		arena_fix(&l.arena, &t->responded_by);
		arena_fix(&l.arena, &t->excuse_reason);
		arena_fix(&l.arena, &t->excuse_ref);
	}
	/* the strings are in place now */
	if (listing_sort(&l, perm) < 0) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	if (fmt == LIST_TABLE)
		rc = list_table(&l, perm, d);
	else if ((sorted = malloc((l.n ? l.n : 1) * sizeof *sorted)) == NULL)
		diag_set(d, DIAG_NOMEM, "out of memory");
	else {
		for (size_t i = 0; i < l.n; i++)
			sorted[i] = &l.rows[perm[i]];
		rc = fmt == LIST_HTML ? list_html(ctx, sorted, l.n, viewer, argc, argv, output,
		    out_kind, d) : list_data(sorted, l.n, fmt, d);
	}
out:
	tz_free(viewer);
	bigmem_free(perm, l.n * sizeof *perm);
	free(sorted);
	bigmem_free(l.keys, l.cap * sizeof *l.keys);
	bigmem_free(l.rows, l.rows ? l.cap * sizeof *l.rows : 0);
	bigmem_free(l.trows, l.trows ? l.cap * sizeof *l.trows : 0);
	free(l.parts);
	bigmem_free(l.arena.data, l.arena.cap);
	bigmem_free(l.text.data, l.text.cap);
	buf_release(&l.cells);
	sla_cache_free(l.cache);
	return rc;
}

/* ---- show ------------------------------------------------------------------- */

struct history {
	const struct tz *tz;
	struct buf b;
};

static int print_event(const struct store_event *e, void *arg)
{
	struct history *h = arg;
	char when[TIMEFMT_LEN];

	buf_reset(&h->b);
	ticketfmt_short(h->tz, e->at, when);
	buf_addf(&h->b, "  %s  ", when);
	text_add_safe(&h->b, e->actor, 0);
	buf_addf(&h->b, "  %s", e->kind);
	if (e->field != NULL && strcmp(e->kind, "ticket.note") == 0) {
		buf_adds(&h->b, "  ");
		text_add_safe(&h->b, e->new_value ? e->new_value : "", 0);
	} else if (e->field != NULL) {
		buf_adds(&h->b, "  ");
		text_add_safe(&h->b, e->field, 0);
		buf_adds(&h->b, ": ");
		text_add_safe(&h->b, e->old_value ? e->old_value : "none", 0);
		buf_adds(&h->b, " -> ");
		text_add_safe(&h->b, e->new_value ? e->new_value : "none", 0);
	} else if (e->new_value != NULL) {
		buf_adds(&h->b, "  ");
		text_add_safe(&h->b, e->new_value, 0);
	}
	buf_addc(&h->b, '\n');
	fputs(buf_str(&h->b), stdout);
	return 0;
}

static void show_field(const char *name, const char *value)
{
	printf("%-15s ", name);
	if (value == NULL)
		fputs("-", stdout);
	else
		print_safe(stdout, value);
	fputc('\n', stdout);
}

static void show_instant(const char *name, const struct tz *tz, int64_t at)
{
	char loc[TIMEFMT_LEN], iso[CIVIL_ISO_LEN];

	if (at == STORE_NONE) {
		printf("%-15s -\n", name);
		return;
	}
	timefmt_local(tz, at, loc);
	civil_format_utc(at, iso);
	printf("%-15s %s  %s\n", name, loc, iso);
}

/* A deadline in the partner's zone, the viewer's and UTC. */
static void show_deadline(const char *name, const struct tz *partner, const struct tz *viewer,
			  int64_t at)
{
	char a[TIMEFMT_LEN], iso[CIVIL_ISO_LEN];

	timefmt_local(partner, at, a);
	printf("%-15s %s  partner (%s)\n", name, a, tz_name(partner));
	timefmt_local(viewer, at, a);
	printf("%-15s %s  yours (%s)\n", "", a, tz_name(viewer));
	civil_format_utc(at, iso);
	printf("%-15s %s\n", "", iso);
}

/* Elapsed, and remaining or overrun, of one clock; names prefixed by pfx
 * ("" for the response clock, "  " under "resolution"). */
static void show_progress(const char *pfx, int timed, const struct sla_status *st)
{
	char a[TIMEFMT_LEN], name[24];

	ticketfmt_work(st->elapsed_s, a);
	snprintf(name, sizeof name, "%selapsed", pfx);
	if (!timed) {
		printf("%-15s %s of working time\n", name, a);
		return;
	}
	printf("%-15s %s of working time (%lld%% of the target)\n", name, a,
	    (long long)(st->consumed * 100.0 + 0.5));
	if (st->state == SLA_BREACHED) {
		char wall[CIVIL_ISO_LEN];

		ticketfmt_overrun(st->overrun_s, a);
		civil_format_duration(st->overrun_wall_s, wall);
		snprintf(name, sizeof name, "%soverrun", pfx);
		printf("%-15s %s of working time, %s wall-clock past the deadline\n", name, a,
		    wall);
		return;
	}
	ticketfmt_work(st->remaining_s, a);
	snprintf(name, sizeof name, "%sremaining", pfx);
	printf("%-15s %s of working time%s\n", name, a,
	    st->stopped_at != STORE_NONE ? " (to spare when the clock stopped)" :
	    st->state == SLA_WAITING ? " (standing still while waiting)" : "");
}

/* The resolution clock: its state, target, deadline and progress. */
static void show_resolution(const struct store_ticket *t, const struct sla_partner *p,
			    const struct tz *viewer, int64_t now_at, double at_risk)
{
	struct sla_status st;
	char a[TIMEFMT_LEN];

	if (t->resolve_deadline_at == STORE_NONE) {
		printf("%-15s not timed: no resolution target for %s tickets\n", "resolution",
		    store_severity_name(t->severity));
		return;
	}
	sla_compute_resolve(t, p->sched.cal, now_at, at_risk, &st);
	printf("%-15s %s\n", "resolution", sla_state_name(st.state));
	ticketfmt_work(t->resolve_target_s, a);
	printf("%-15s %s of working time\n", "  target", a);
	show_deadline("  deadline", p->sched.tz, viewer, t->resolve_deadline_at);
	show_progress("  ", 1, &st);
}

/* Where a clock stopped by the wait would be due if the ticket resumed
 * now: the stored deadline moves only when the wait ends. */
static void show_if_resumed(const struct store_ticket *t, const struct sla_partner *p,
			    enum sla_clock clock, const char *label, int64_t now_at,
			    double at_risk, int *first)
{
	struct sla_status st;
	int64_t due;
	char a[TIMEFMT_LEN];
	struct diag d;

	sla_compute_clock(t, clock, p->sched.cal, now_at, at_risk, &st);
	if (st.state != SLA_WAITING || cal_deadline(p->sched.cal, now_at > t->waiting_since ?
	    now_at : t->waiting_since, st.remaining_s, &due, &d) < 0)
		return;
	timefmt_local(p->sched.tz, due, a);
	printf("%-15s %-10s %s\n", *first ? "if resumed now" : "", label, a);
	*first = 0;
}

/* While the ticket waits on the customer: since when, which clocks stand
 * still, and where they would be due if it resumed now. */
static void show_waiting(const struct store_ticket *t, const struct sla_partner *p,
			 int64_t now_at, double at_risk)
{
	int first = 1;

	if (t->waiting_since == STORE_NONE)
		return;
	show_instant("waiting since", p->sched.tz, t->waiting_since);
	if (t->waiting_response)
		printf("%-15s the response and resolution clocks stand still\n", "");
	else if (t->first_response_at == STORE_NONE && t->deadline_at != STORE_NONE)
		printf("%-15s the resolution clock stands still; the response clock runs on "
		    "(partner %s does not pause it)\n", "", p->partner.key);
	else
		printf("%-15s the resolution clock stands still\n", "");
	show_if_resumed(t, p, SLA_CLOCK_RESPONSE, "deadline", now_at, at_risk, &first);
	show_if_resumed(t, p, SLA_CLOCK_RESOLVE, "resolution", now_at, at_risk, &first);
}

static void show_excuse(const struct store_ticket *t, const struct tz *tz)
{
	if (t->excused_at == STORE_NONE)
		return;
	show_instant("excused", tz, t->excused_at);
	show_field("excuse reason", t->excuse_reason);
	if (t->excuse_ref != NULL)
		show_field("incident", t->excuse_ref);
}

/* After the steps of one clock: the pauses that moved its deadline, the
 * deadline they give, and a note when that is not the stored one. */
static void explain_tail(const struct tz *tz, const struct store_pause *pv, size_t pn,
			 enum sla_clock clock, const int64_t *added, int64_t live,
			 int64_t stored)
{
	char a[TIMEFMT_LEN];

	if (explain_print_pauses(stdout, tz, pv, pn, clock, added) > 0) {
		timefmt_local(tz, live, a);
		printf("  deadline after the pauses: %s\n", a);
	}
	if (live != stored) {
		timefmt_local(tz, live, a);
		printf("  note: these settings give %s, not the stored deadline; "
		    "'slatrack recompute' moves it\n", a);
	}
}

/* How the response deadline is counted: the steps from the creation,
 * then the pauses that moved it, and whether the partner's current
 * settings still give the stored deadline. */
static void explain_response(const struct store_ticket *t, const struct sla_partner *p,
			     const struct store_pause *pv, size_t pn)
{
	struct cal_step *steps = NULL;
	int64_t *added = pn > 0 ? calloc(pn, sizeof *added) : NULL;
	size_t n = 0;
	int64_t live;
	struct diag ed;

	diag_clear(&ed);
	printf("\nhow the deadline is counted (partner %s's current settings):\n",
	    p->partner.key);
	if (pn > 0 && added == NULL)
		printf("  cannot explain: out of memory\n");
	else if (cal_explain(p->sched.cal, t->created_at, t->target_s, &steps, &n, &ed) < 0 ||
	    explain_pause_added(p->sched.cal, t->created_at, t->target_s, pv, pn,
	    SLA_CLOCK_RESPONSE, added, &live, &ed) < 0)
		printf("  cannot explain: %s\n", ed.msg);
	else {
		explain_print(stdout, p->sched.cal, steps, n);
		explain_tail(p->sched.tz, pv, pn, SLA_CLOCK_RESPONSE, added, live,
		    t->deadline_at);
	}
	free(steps);
	free(added);
}

/* The resolution deadline in short: the target from the creation, the
 * pauses that moved it (waits, and the time a reopened ticket spent
 * resolved), the result. */
static void explain_resolution(const struct store_ticket *t, const struct sla_partner *p,
			       const struct store_pause *pv, size_t pn)
{
	int64_t *added = pn > 0 ? calloc(pn, sizeof *added) : NULL;
	int64_t plain, live;
	char a[TIMEFMT_LEN], w[TIMEFMT_LEN];
	struct diag ed;

	diag_clear(&ed);
	printf("\nhow the resolution deadline is counted:\n");
	if (pn > 0 && added == NULL)
		printf("  cannot explain: out of memory\n");
	else if (cal_deadline(p->sched.cal, t->created_at, t->resolve_target_s, &plain,
	    &ed) < 0 || explain_pause_added(p->sched.cal, t->created_at, t->resolve_target_s,
	    pv, pn, SLA_CLOCK_RESOLVE, added, &live, &ed) < 0)
		printf("  cannot explain: %s\n", ed.msg);
	else {
		ticketfmt_work(t->resolve_target_s, w);
		timefmt_local(p->sched.tz, plain, a);
		printf("  %s of working time from the creation: %s\n", w, a);
		explain_tail(p->sched.tz, pv, pn, SLA_CLOCK_RESOLVE, added, live,
		    t->resolve_deadline_at);
	}
	free(added);
}

/* The working time pause v covered on one clock, up to now when open:
 * "4h 00m", or "runs" when the pause does not stop that clock ("-" when
 * it had stopped for good before). */
static void pause_cell(const struct store_ticket *t, const struct cal *c,
		       const struct store_pause *v, enum sla_clock clock, int64_t now_at,
		       char out[TIMEFMT_LEN])
{
	int64_t stopped = t->first_response_at != STORE_NONE ? t->first_response_at :
	    t->resolved_at;

	if (!sla_pause_applies(v, clock)) {
		/* the response clock of an answered ticket stood still anyway */
		snprintf(out, TIMEFMT_LEN, "%s",
		    stopped != STORE_NONE && stopped <= v->start_at ? "-" : "runs");
		return;
	}
	ticketfmt_work(sla_paused_working(c, v, 1, clock, v->start_at,
	    v->end_at != STORE_NONE ? v->end_at : now_at > v->start_at ? now_at : v->start_at),
	    out);
}

/* Every interval the clocks stood still: kind, start, end (or open) and
 * the working time it covered on each timed clock. */
static void show_pauses(const struct store_ticket *t, const struct sla_partner *p,
			const struct store_pause *pv, size_t pn, int64_t now_at)
{
	char a[TIMEFMT_LEN], b[TIMEFMT_LEN], rsp[TIMEFMT_LEN], rsl[TIMEFMT_LEN];

	if (pn == 0)
		return;
	printf("\npauses (working time each covered):\n");
	for (size_t i = 0; i < pn; i++) {
		const struct store_pause *v = &pv[i];

		ticketfmt_short(p->sched.tz, v->start_at, a);
		if (v->end_at != STORE_NONE)
			ticketfmt_short(p->sched.tz, v->end_at, b);
		else
			snprintf(b, sizeof b, "open");
		pause_cell(t, p->sched.cal, v, SLA_CLOCK_RESPONSE, now_at, rsp);
		pause_cell(t, p->sched.cal, v, SLA_CLOCK_RESOLVE, now_at, rsl);
		printf("  %-6s  %s .. %-20s  response %s  resolution %s%s\n", v->kind, a, b,
		    t->deadline_at != STORE_NONE ? rsp : "-",
		    t->resolve_deadline_at != STORE_NONE ? rsl : "-",
		    v->end_at == STORE_NONE ? " so far" : "");
	}
}

/* The ticket in its helpdesk ([helpdesk] / [partner] ticket_url), when
 * there is a link: percent-encoded ASCII, safe to print as is. */
static void show_link(const struct config *cfg, const struct store_ticket *t)
{
	struct buf b = BUF_INIT;

	if (ticketurl_format(cfg, t->partner_key, t->key, t->id, &b) && !buf_failed(&b))
		printf("%-15s %s\n", "link", buf_str(&b));
	buf_release(&b);
}

/* Reminders sent or pending for the ticket; a failed one is loud, with
 * the server's last reply, since it means nobody was told. */
static int print_reminders(struct ctx *ctx, const struct store_ticket *t,
			   const struct tz *viewer, struct diag *d)
{
	struct store_reminder *rv;
	struct buf b = BUF_INIT;
	size_t rn;

	if (store_reminder_list(ctx->store, t->id, &rv, &rn, d) < 0)
		return -1;
	if (rn > 0)
		printf("\nreminders:\n");
	for (size_t i = 0; i < rn; i++) {
		const struct store_reminder *r = &rv[i];
		char when[TIMEFMT_LEN] = "";

		if (r->sent_at != STORE_NONE)
			timefmt_local(viewer, r->sent_at, when);
		buf_reset(&b);
		if (r->threshold == STORE_REMIND_BREACH)
			buf_adds(&b, "  breach notice  ");
		else if (store_remind_followup_name(r->threshold) != NULL)
			buf_addf(&b, "  %-13s  ", store_remind_followup_name(r->threshold));
		else if (store_remind_is_resolve(r->threshold)) {
			char label[40];

			store_remind_label(r->threshold, label, sizeof label);
			buf_addf(&b, "  %-17s  ", label);
		} else
			buf_addf(&b, "  %3d%% reminder  ", r->threshold);
		buf_addf(&b, "%-8s ", r->state == STORE_REMIND_FAILED ? "FAILED" :
		    store_remind_state_name(r->state));
		text_add_safe(&b, r->channel ? r->channel : "?", 0);
		if (*when != '\0')
			buf_addf(&b, "  %s", when);
		if (r->attempts > 0)
			buf_addf(&b, "  %d attempt%s", r->attempts, r->attempts == 1 ? "" : "s");
		if (r->last_error != NULL && r->state != STORE_REMIND_SENT) {
			buf_adds(&b, "\n      last error: ");
			text_add_safe(&b, r->last_error, 0);
		}
		printf("%s\n", buf_str(&b));
	}
	buf_release(&b);
	store_reminder_list_free(rv, rn);
	return 0;
}

static int ticket_show(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct store_ticket t;
	struct sla_cache *cache = NULL;
	const struct sla_partner *p;
	struct sla_status st;
	struct tz *viewer = NULL;
	struct diag vd;
	struct history h = { NULL, BUF_INIT };
	struct store_pause *pv = NULL;
	size_t pn = 0;
	char a[TIMEFMT_LEN];
	int c, rc = -1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		return bad_option(argv, d);
	if (one_ticket_left(argc, d) < 0)
		return -1;
	store_ticket_init(&t);
	if ((cache = sla_cache_new(ctx->store)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	if (store_ticket_get(ctx->store, argv[optind], &t, d) < 0 ||
	    (p = sla_cache_get(cache, t.partner_id, d)) == NULL)
		goto out;
	diag_clear(&vd);
	if ((viewer = tz_load(ctx->viewer_zone ? ctx->viewer_zone : "UTC", &vd)) == NULL &&
	    (viewer = tz_load("UTC", &vd)) == NULL) {
		*d = vd;
		goto out;
	}
	sla_compute(&t, p->sched.cal, ctx->now_at, sla_at_risk(ctx->cfg), &st);
	snprintf(a, sizeof a, "#%lld", (long long)t.id);
	show_field("ticket", a);
	show_field("key", t.key);
	show_link(ctx->cfg, &t);
	printf("%-15s ", "partner");
	print_safe(stdout, p->partner.key);
	fputs(" (", stdout);
	print_safe(stdout, p->partner.name);
	printf(", %s)%s\n", tz_name(p->sched.tz),
	    p->partner.archived_at != STORE_NONE ? " archived" : "");
	show_field("severity", store_severity_name(t.severity));
	show_field("state", sla_state_name(st.state));
	show_waiting(&t, p, ctx->now_at, sla_at_risk(ctx->cfg));
	show_excuse(&t, p->sched.tz);
	show_field("summary", t.summary);
	show_field("customer", t.customer);
	show_field("assignee", t.assignee);
	show_instant("created", p->sched.tz, t.created_at);
	if (t.deadline_at == STORE_NONE) {
		printf("%-15s none: %s tickets are tracked, not timed\n", "target",
		    store_severity_name(t.severity));
		printf("%-15s -\n", "deadline");
	} else {
		ticketfmt_work(t.target_s, a);
		printf("%-15s %s of working time\n", "target", a);
		show_deadline("deadline", p->sched.tz, viewer, t.deadline_at);
	}
	show_progress("", t.deadline_at != STORE_NONE, &st);
	show_resolution(&t, p, viewer, ctx->now_at, sla_at_risk(ctx->cfg));
	show_instant("first response", p->sched.tz, t.first_response_at);
	if (t.first_response_at != STORE_NONE)
		show_field("responded by", t.responded_by);
	show_instant("resolved", p->sched.tz, t.resolved_at);
	show_instant("updated", p->sched.tz, t.updated_at);
	if (store_pause_list(ctx->store, t.id, &pv, &pn, d) < 0)
		goto out;
	if (t.deadline_at != STORE_NONE)
		explain_response(&t, p, pv, pn);
	if (t.resolve_deadline_at != STORE_NONE)
		explain_resolution(&t, p, pv, pn);
	show_pauses(&t, p, pv, pn, ctx->now_at);
	if (print_reminders(ctx, &t, viewer, d) < 0)
		goto out;
	printf("\nhistory:\n");
	h.tz = viewer;
	if (store_event_each(ctx->store, t.id, print_event, &h, d) < 0)
		goto out;
	rc = 0;
out:
	free(pv);
	buf_release(&h.b);
	tz_free(viewer);
	store_ticket_release(&t);
	sla_cache_free(cache);
	return rc;
}

/* ---- changes ------------------------------------------------------------------ */

/* Reads the ticket inside a write transaction, lets `apply` change a copy
 * and writes it back with events of `kind`; apply returns 1 when there is
 * nothing to change (and may print why). */
struct change {
	struct ctx *ctx;
	struct sla_cache *cache;
	const struct sla_partner *p;	/* the ticket's partner, compiled */
	const char *kind;
	void *arg;
	int (*apply)(struct change *ch, const struct store_ticket *old,
		     struct store_ticket *t, struct diag *d);
	void (*report)(struct change *ch, const struct store_ticket *old,
		       const struct store_ticket *t);
};

static int apply_undo(struct change *ch, const struct store_ticket *old,
		      struct store_ticket *t, struct diag *d);

static int change_ticket(struct change *ch, const char *ref, struct diag *d)
{
	struct store_ticket old, t;
	int rc = -1, r;

	store_ticket_init(&old);
	store_ticket_init(&t);
	if ((ch->cache = sla_cache_new(ch->ctx->store)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (store_begin(ch->ctx->store, d) < 0)
		goto out;
	if (store_ticket_get(ch->ctx->store, ref, &old, d) < 0 ||
	    (ch->p = sla_cache_get(ch->cache, old.partner_id, d)) == NULL ||
	    store_ticket_copy(&t, &old, d) < 0)
		goto out;
	if ((r = ch->apply(ch, &old, &t, d)) < 0)
		goto out;
	if (r == 0) {
		if ((ch->apply == apply_undo ? store_ticket_undo(ch->ctx->store, &old, &t, ch->arg,
		    ch->ctx->actor, ch->ctx->now_at, d) :
		    store_ticket_update(ch->ctx->store, &old, &t, ch->kind, ch->ctx->actor,
		    ch->ctx->now_at, d)) < 0 || store_commit(ch->ctx->store, d) < 0)
			goto out;
		if (ch->report != NULL)
			ch->report(ch, &old, &t);
	}
	rc = 0;
out:
	store_rollback(ch->ctx->store);
	store_ticket_release(&old);
	store_ticket_release(&t);
	sla_cache_free(ch->cache);
	ch->cache = NULL;
	return rc;
}

struct at_opts {
	const char *at, *by;
	int force;
	int64_t when;		/* the instant applied (wait, resume) */
};

static int parse_at_opts(int argc, char **argv, int with_by, struct at_opts *o,
			 const char **ref, struct diag *d)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "by", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->at = optarg; break;
		case 'b':
			if (!with_by)
				return bad_option(argv, d);
			o->by = optarg;
			break;
		case 'f':
			if (!with_by)
				return bad_option(argv, d);
			o->force = 1;
			break;
		default:
			return bad_option(argv, d);
		}
	}
	if (one_ticket_left(argc, d) < 0)
		return -1;
	*ref = argv[optind];
	return 0;
}

/* The instant of --at (default now), not before creation, not future. */
static int change_instant(struct change *ch, const struct at_opts *o,
			  const struct store_ticket *t, const char *what, int64_t *at,
			  struct diag *d)
{
	char a[CIVIL_ISO_LEN], b[CIVIL_ISO_LEN];

	*at = ch->ctx->now_at;
	if (o->at != NULL && parse_past_instant("--at", o->at, ch->p->sched.tz,
	    ch->ctx->now_at, at, d) < 0)
		return -1;
	if (*at < t->created_at) {
		civil_format_utc(*at, a);
		civil_format_utc(t->created_at, b);
		return diag_set(d, DIAG_INPUT, "--at: the %s (%s) is before the ticket was "
		    "created (%s)", what, a, b);
	}
	return 0;
}

static int apply_respond(struct change *ch, const struct store_ticket *old,
			 struct store_ticket *t, struct diag *d)
{
	const struct at_opts *o = ch->arg;
	int64_t at;

	if (old->first_response_at != STORE_NONE && !o->force) {
		char iso[CIVIL_ISO_LEN];
		struct buf b = BUF_INIT;

		civil_format_utc(old->first_response_at, iso);
		ticketfmt_label(&b, old);
		diag_set(d, DIAG_INPUT, "ticket %s already had its first response at %s; "
		    "--force replaces it", buf_str(&b), iso);
		buf_release(&b);
		return -1;
	}
	if (change_instant(ch, o, old, "response", &at, d) < 0 ||
	    clocks_respond(ch->ctx->store, ch->p, old, t, at, d) < 0)
		return -1;
	t->first_response_at = at;
	return set_text(&t->responded_by, o->by != NULL ? o->by : ch->ctx->actor, d);
}

static void report_wait_ended(struct change *ch, const struct store_ticket *old,
			      const struct store_ticket *t, int64_t at);

static void report_respond(struct change *ch, const struct store_ticket *old,
			   const struct store_ticket *t)
{
	struct sla_status st;
	char a[TIMEFMT_LEN];

	sla_compute(t, ch->p->sched.cal, ch->ctx->now_at, sla_at_risk(ch->ctx->cfg), &st);
	fputs("ticket ", stdout);
	print_label(stdout, t);
	fputs(": first response ", stdout);
	print_instant_line(stdout, ch->p->sched.tz, t->first_response_at);
	fputs(" by ", stdout);
	print_safe(stdout, t->responded_by);
	fputc('\n', stdout);
	report_wait_ended(ch, old, t, t->first_response_at);
	switch (st.state) {
	case SLA_MET:
		ticketfmt_work(st.remaining_s, a);
		printf("SLA met with %s of working time to spare\n", a);
		break;
	case SLA_BREACHED: {
		char wall[CIVIL_ISO_LEN];

		ticketfmt_overrun(st.overrun_s, a);
		civil_format_duration(st.overrun_wall_s, wall);
		printf("SLA BREACHED: %s of working time (%s wall-clock) after the deadline\n",
		    a, wall);
		break;
	}
	default:
		printf("not timed: no SLA applies\n");
		break;
	}
}

static int ticket_respond(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct at_opts o;
	const char *ref;
	struct change ch = { ctx, NULL, NULL, "ticket.respond", &o, apply_respond,
	    report_respond };

	if (parse_at_opts(argc, argv, 1, &o, &ref, d) < 0)
		return -1;
	return change_ticket(&ch, ref, d);
}

static int apply_resolve(struct change *ch, const struct store_ticket *old,
			 struct store_ticket *t, struct diag *d)
{
	int64_t at;

	if (old->resolved_at != STORE_NONE) {
		struct buf b = BUF_INIT;

		ticketfmt_label(&b, old);
		diag_set(d, DIAG_INPUT, "ticket %s is already resolved; reopen it first",
		    buf_str(&b));
		buf_release(&b);
		return -1;
	}
	if (change_instant(ch, ch->arg, old, "resolution", &at, d) < 0 ||
	    clocks_resolve(ch->ctx->store, ch->p, old, t, at, d) < 0)
		return -1;
	t->resolved_at = at;
	return 0;
}

static void report_resolve(struct change *ch, const struct store_ticket *old,
			   const struct store_ticket *t)
{
	fputs("ticket ", stdout);
	print_label(stdout, t);
	fputs(" resolved ", stdout);
	print_instant_line(stdout, ch->p->sched.tz, t->resolved_at);
	fputc('\n', stdout);
	report_wait_ended(ch, old, t, t->resolved_at);
	if (t->first_response_at == STORE_NONE && t->deadline_at != STORE_NONE)
		printf("no first response was recorded: the resolution stops the SLA clock\n");
}

static int ticket_resolve(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct at_opts o;
	const char *ref;
	struct change ch = { ctx, NULL, NULL, "ticket.resolve", &o, apply_resolve,
	    report_resolve };

	if (parse_at_opts(argc, argv, 0, &o, &ref, d) < 0)
		return -1;
	return change_ticket(&ch, ref, d);
}

static int apply_reopen(struct change *ch, const struct store_ticket *old,
			struct store_ticket *t, struct diag *d)
{
	return clocks_reopen(ch->ctx->store, ch->p, old, t, ch->ctx->now_at, d);
}

static void report_plain(struct change *ch, const struct store_ticket *old,
			 const struct store_ticket *t)
{
	(void)old;
	fputs("ticket ", stdout);
	print_label(stdout, t);
	printf(" %s\n", (const char *)ch->arg);
}

static void report_moved(struct change *ch, const struct store_ticket *old,
			 const struct store_ticket *t);

/* The resolution clock goes on from where it stopped: its deadline moved
 * by the working time the ticket spent resolved. */
static void report_reopen(struct change *ch, const struct store_ticket *old,
			  const struct store_ticket *t)
{
	report_plain(ch, old, t);
	if (t->resolve_deadline_at != old->resolve_deadline_at) {
		printf("the resolution clock goes on; the time the ticket spent resolved "
		    "is left out\n");
		report_moved(ch, old, t);
	}
}

static int ticket_reopen(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct change ch = { ctx, NULL, NULL, "ticket.reopen", (void *)"reopened",
	    apply_reopen, report_reopen };
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		return bad_option(argv, d);
	if (one_ticket_left(argc, d) < 0)
		return -1;
	return change_ticket(&ch, argv[optind], d);
}

static int apply_assign(struct change *ch, const struct store_ticket *old,
			struct store_ticket *t, struct diag *d)
{
	const char *who = ch->arg;

	if ((who == NULL && old->assignee == NULL) ||
	    (who != NULL && old->assignee != NULL && strcmp(who, old->assignee) == 0)) {
		fputs("ticket ", stdout);
		print_label(stdout, old);
		fputs(who ? " is already assigned to " : " is already unassigned", stdout);
		if (who)
			print_safe(stdout, who);
		fputc('\n', stdout);
		return 1;
	}
	return set_text(&t->assignee, who, d);
}

static void report_assign(struct change *ch, const struct store_ticket *old,
			  const struct store_ticket *t)
{
	(void)ch;
	(void)old;
	fputs("ticket ", stdout);
	print_label(stdout, t);
	if (t->assignee == NULL)
		fputs(" unassigned\n", stdout);
	else {
		fputs(" assigned to ", stdout);
		print_safe(stdout, t->assignee);
		fputc('\n', stdout);
	}
}

static int ticket_assign(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "me", no_argument, NULL, 'm' },
		{ "none", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct change ch = { ctx, NULL, NULL, "ticket.assign", NULL, apply_assign,
	    report_assign };
	int c, me = 0, none = 0, want;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': me = 1; break;
		case 'n': none = 1; break;
		default: return bad_option(argv, d);
		}
	}
	want = 2 - me - none;
	if (me && none)
		return diag_set(d, DIAG_USAGE, "give one of USER, --me and --none");
	if (argc - optind != want)
		return diag_set(d, DIAG_USAGE, argc - optind < want ? "give the ticket and "
		    "USER (or --me, or --none)" : "give one of USER, --me and --none");
	ch.arg = me ? (void *)ctx->actor : none ? NULL : (void *)argv[optind + 1];
	if (ch.arg != NULL && *(const char *)ch.arg == '\0')
		return diag_set(d, DIAG_INPUT, "assignee: must not be empty (--none "
		    "unassigns)");
	return change_ticket(&ch, argv[optind], d);
}

static int ticket_note(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct store_ticket t;
	struct buf text = BUF_INIT;
	int c, rc = -1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		return bad_option(argv, d);
	if (argc - optind < 2)
		return diag_set(d, DIAG_USAGE, "give the ticket and the TEXT of the note");
	for (int i = optind + 1; i < argc; i++) {
		if (i > optind + 1)
			buf_addc(&text, ' ');
		buf_adds(&text, argv[i]);
	}
	if (buf_failed(&text)) {
		buf_release(&text);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	store_ticket_init(&t);
	if (store_begin(ctx->store, d) < 0)
		goto out;
	if (store_ticket_get(ctx->store, argv[optind], &t, d) < 0 ||
	    store_ticket_note(ctx->store, t.id, buf_str(&text), ctx->actor, ctx->now_at,
	    d) < 0 || store_commit(ctx->store, d) < 0)
		goto out;
	fputs("ticket ", stdout);
	print_label(stdout, &t);
	fputs(": note added\n", stdout);
	rc = 0;
out:
	store_rollback(ctx->store);
	store_ticket_release(&t);
	buf_release(&text);
	return rc;
}

struct edit_opts {
	const char *severity, *partner, *summary, *customer, *key;
};

static int apply_edit(struct change *ch, const struct store_ticket *old,
		      struct store_ticket *t, struct diag *d)
{
	const struct edit_opts *o = ch->arg;
	const struct sla_partner *np = ch->p;

	if (o->severity != NULL && parse_severity("--severity", o->severity, &t->severity,
	    d) < 0)
		return -1;
	if (o->partner != NULL) {
		if ((np = sla_cache_get_key(ch->cache, o->partner, d)) == NULL) {
			diag_prefix(d, "--partner");
			return -1;
		}
		if (np->partner.id != old->partner_id && np->partner.archived_at != STORE_NONE)
			return diag_set(d, DIAG_INPUT, "--partner: partner '%s' is archived and "
			    "takes no tickets", np->partner.key);
		t->partner_id = np->partner.id;
		if (set_text(&t->partner_key, np->partner.key, d) < 0)
			return -1;
	}
	if (o->summary != NULL) {
		if (*o->summary == '\0')
			return diag_set(d, DIAG_INPUT, "summary: must not be empty");
		if (set_text(&t->summary, o->summary, d) < 0)
			return -1;
	}
	if (o->customer != NULL && set_text(&t->customer, o->customer, d) < 0)
		return -1;
	if (o->key != NULL && set_text(&t->key, o->key, d) < 0)
		return -1;
	if (t->severity != old->severity || t->partner_id != old->partner_id) {
		/* the deadline follows from the creation instant, afresh */
		if (sla_replan(ch->ctx->store, np, t, d) < 0)
			return -1;
		ch->p = np;
	}
	return 0;
}

/* The new deadline, when a change moved it. */
static void print_deadline_move(const struct change *ch, const struct store_ticket *old,
				const struct store_ticket *t)
{
	if (old->deadline_at == t->deadline_at)
		return;
	fputs("deadline  ", stdout);
	if (t->deadline_at == STORE_NONE)
		printf("none: %s tickets are tracked, not timed\n",
		    store_severity_name(t->severity));
	else {
		print_instant_line(stdout, ch->p->sched.tz, t->deadline_at);
		fputc('\n', stdout);
	}
}

static void report_edit(struct change *ch, const struct store_ticket *old,
			const struct store_ticket *t)
{
	fputs("ticket ", stdout);
	print_label(stdout, t);
	fputs(" edited\n", stdout);
	print_deadline_move(ch, old, t);
}

static int ticket_edit(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "severity", required_argument, NULL, 's' },
		{ "partner", required_argument, NULL, 'p' },
		{ "summary", required_argument, NULL, 'S' },
		{ "customer", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	struct edit_opts o;
	struct change ch = { ctx, NULL, NULL, "ticket.edit", &o, apply_edit, report_edit };
	int c, sev;

	memset(&o, 0, sizeof o);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_severity("--severity", optarg, &sev, d) < 0)
				return -1;
			o.severity = optarg;
			break;
		case 'p': o.partner = optarg; break;
		case 'S': o.summary = optarg; break;
		case 'c': o.customer = optarg; break;
		case 'k': o.key = optarg; break;
		default: return bad_option(argv, d);
		}
	}
	if (one_ticket_left(argc, d) < 0)
		return -1;
	if (!o.severity && !o.partner && !o.summary && !o.customer && !o.key)
		return diag_set(d, DIAG_USAGE, "nothing to change: give --severity, "
		    "--partner, --summary, --customer or --key");
	return change_ticket(&ch, argv[optind], d);
}

/* ---- wait, resume, excuse -------------------------------------------------------- */

static int apply_wait(struct change *ch, const struct store_ticket *old,
		      struct store_ticket *t, struct diag *d)
{
	int64_t at;

	if (change_instant(ch, ch->arg, old, "wait", &at, d) < 0)
		return -1;
	return clocks_wait(ch->ctx->store, ch->p, old, t, at, d);
}

static void report_wait(struct change *ch, const struct store_ticket *old,
			const struct store_ticket *t)
{
	(void)old;
	fputs("ticket ", stdout);
	print_label(stdout, t);
	fputs(" waiting on the customer since ", stdout);
	print_instant_line(stdout, ch->p->sched.tz, t->waiting_since);
	fputc('\n', stdout);
	if (t->deadline_at != STORE_NONE && t->first_response_at == STORE_NONE)
		fputs(t->waiting_response ? "the response clock stands still\n" :
		    "the response clock runs on: this partner's response target is not "
		    "paused while waiting\n", stdout);
	if (t->resolve_deadline_at != STORE_NONE)
		fputs("the resolution clock stands still\n", stdout);
}

static int apply_resume(struct change *ch, const struct store_ticket *old,
			struct store_ticket *t, struct diag *d)
{
	int64_t at;

	if (change_instant(ch, ch->arg, old, "resume", &at, d) < 0)
		return -1;
	((struct at_opts *)ch->arg)->when = at;
	return clocks_resume(ch->ctx->store, ch->p, old, t, at, d);
}

/* The deadlines a wait that ended moved. */
static void report_moved(struct change *ch, const struct store_ticket *old,
			 const struct store_ticket *t)
{
	if (t->deadline_at != old->deadline_at) {
		fputs("deadline          ", stdout);
		print_instant_line(stdout, ch->p->sched.tz, t->deadline_at);
		fputc('\n', stdout);
	}
	if (t->resolve_deadline_at != old->resolve_deadline_at) {
		fputs("resolve deadline  ", stdout);
		print_instant_line(stdout, ch->p->sched.tz, t->resolve_deadline_at);
		fputc('\n', stdout);
	}
}

static void report_resume(struct change *ch, const struct store_ticket *old,
			  const struct store_ticket *t)
{
	char w[TIMEFMT_LEN];

	fputs("ticket ", stdout);
	print_label(stdout, t);
	fputs(" resumed; waited ", stdout);
	ticketfmt_work(cal_elapsed(ch->p->sched.cal, old->waiting_since,
	    ((const struct at_opts *)ch->arg)->when), w);
	printf("%s of working time\n", w);
	report_moved(ch, old, t);
}

/* A response or resolution that ended a wait says so (clocks_respond,
 * clocks_resolve): the deadlines it is judged against moved. */
static void report_wait_ended(struct change *ch, const struct store_ticket *old,
			      const struct store_ticket *t, int64_t at)
{
	char w[TIMEFMT_LEN];

	if (old->waiting_since == STORE_NONE || t->waiting_since != STORE_NONE)
		return;
	ticketfmt_work(cal_elapsed(ch->p->sched.cal, old->waiting_since, at), w);
	printf("the wait on the customer ends here; it lasted %s of working time\n", w);
	report_moved(ch, old, t);
}

static int ticket_wait_or_resume(struct ctx *ctx, int argc, char **argv, int resume,
				 struct diag *d)
{
	struct at_opts o;
	const char *ref;
	struct change ch = { ctx, NULL, NULL, resume ? "ticket.resume" : "ticket.wait", &o,
	    resume ? apply_resume : apply_wait, resume ? report_resume : report_wait };

	if (parse_at_opts(argc, argv, 0, &o, &ref, d) < 0)
		return -1;
	if (o.force)
		return diag_set(d, DIAG_USAGE, "--force: not an option of ticket %s",
		    resume ? "resume" : "wait");
	return change_ticket(&ch, ref, d);
}

static int ticket_wait(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	return ticket_wait_or_resume(ctx, argc, argv, 0, d);
}

static int ticket_resume(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	return ticket_wait_or_resume(ctx, argc, argv, 1, d);
}

struct excuse_opts {
	const char *reason, *ref;
};

static int apply_excuse(struct change *ch, const struct store_ticket *old,
			struct store_ticket *t, struct diag *d)
{
	const struct excuse_opts *o = ch->arg;

	return clocks_excuse(ch->p, old, t, o->reason, o->ref, ch->ctx->now_at,
	    sla_at_risk(ch->ctx->cfg), d);
}

static int apply_unexcuse(struct change *ch, const struct store_ticket *old,
			  struct store_ticket *t, struct diag *d)
{
	(void)ch;
	return clocks_unexcuse(old, t, d);
}

static void report_excuse(struct change *ch, const struct store_ticket *old,
			  const struct store_ticket *t)
{
	(void)ch;
	(void)old;
	fputs("ticket ", stdout);
	print_label(stdout, t);
	if (t->excused_at == STORE_NONE) {
		fputs(": the breach is no longer excused\n", stdout);
		return;
	}
	fputs(": breach excused: ", stdout);
	print_safe(stdout, t->excuse_reason);
	if (t->excuse_ref != NULL) {
		fputs(" (incident ", stdout);
		print_safe(stdout, t->excuse_ref);
		fputc(')', stdout);
	}
	fputs("\nit counts apart in the report and not against attainment\n", stdout);
}

static int ticket_excuse(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "ref", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct excuse_opts o = { NULL, NULL };
	struct change ch = { ctx, NULL, NULL, "ticket.excuse", &o, apply_excuse,
	    report_excuse };
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o.reason = optarg; break;
		case 'f': o.ref = optarg; break;
		default: return bad_option(argv, d);
		}
	}
	if (one_ticket_left(argc, d) < 0)
		return -1;
	if (o.reason == NULL || *o.reason == '\0')
		return diag_set(d, DIAG_USAGE, "--reason: say why the breach is excused");
	return change_ticket(&ch, argv[optind], d);
}

static int ticket_unexcuse(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct change ch = { ctx, NULL, NULL, "ticket.unexcuse", NULL, apply_unexcuse,
	    report_excuse };
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		return bad_option(argv, d);
	if (one_ticket_left(argc, d) < 0)
		return -1;
	return change_ticket(&ch, argv[optind], d);
}

/* ---- undo ---------------------------------------------------------------------- */

/* The ticket as it was before its last write (store_ticket_undo_plan);
 * a severity or partner coming back recomputes the deadline, as edit does. */
static int apply_undo(struct change *ch, const struct store_ticket *old,
		      struct store_ticket *t, struct diag *d)
{
	const struct sla_partner *np;

	if (store_ticket_undo_plan(ch->ctx->store, old, t, ch->arg, d) < 0)
		return -1;
	if (t->severity == old->severity && t->partner_id == old->partner_id)
		return 0;
	if ((np = sla_cache_get(ch->cache, t->partner_id, d)) == NULL)
		return -1;
	ch->p = np;
	return sla_replan(ch->ctx->store, np, t, d);
}

static void report_undo(struct change *ch, const struct store_ticket *old,
			const struct store_ticket *t)
{
	const struct store_ticket_change *undo = ch->arg;
	const struct store_event *e = &undo->ev[0];
	char when[CIVIL_ISO_LEN];

	civil_format_utc(e->at, when);
	fputs("ticket ", stdout);
	print_label(stdout, t);
	printf(": undid event %lld, %s by ", (long long)e->id, e->kind);
	print_safe(stdout, e->actor);
	printf(" at %s\n", when);
	for (size_t i = 0; i < undo->n; i++) {
		e = &undo->ev[i];
		printf("  %-15s ", e->field);
		print_safe(stdout, e->old_value ? e->old_value : "(none)");
		fputs("  (was ", stdout);
		print_safe(stdout, e->new_value ? e->new_value : "(none)");
		fputs(")\n", stdout);
	}
	print_deadline_move(ch, old, t);
}

static int ticket_undo(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct store_ticket_change undo = { NULL, 0 };
	struct change ch = { ctx, NULL, NULL, "ticket.undo", &undo, apply_undo,
	    report_undo };
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		return bad_option(argv, d);
	if (one_ticket_left(argc, d) < 0)
		return -1;
	rc = change_ticket(&ch, argv[optind], d);
	store_ticket_change_release(&undo);
	return rc;
}

/* ---- dispatch ------------------------------------------------------------------ */

static const struct {
	const char *name;
	int (*fn)(struct ctx *, int, char **, struct diag *);
} subs[] = {
	{ "add", ticket_add },
	{ "list", ticket_list },
	{ "show", ticket_show },
	{ "respond", ticket_respond },
	{ "resolve", ticket_resolve },
	{ "reopen", ticket_reopen },
	{ "assign", ticket_assign },
	{ "note", ticket_note },
	{ "edit", ticket_edit },
	{ "undo", ticket_undo },
	{ "wait", ticket_wait },
	{ "resume", ticket_resume },
	{ "excuse", ticket_excuse },
	{ "unexcuse", ticket_unexcuse },
};

static int ticket_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	if (argc < 2)
		return diag_set(d, DIAG_USAGE, "which ticket command? add, list, show, "
		    "respond, resolve, reopen, assign, note, edit, undo, wait, resume, excuse or "
		    "unexcuse");
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0) {
			optind = 0;
			opterr = 0;
			return subs[i].fn(ctx, argc - 1, argv + 1, d);
		}
	return diag_set(d, DIAG_USAGE, "unknown ticket command '%s'", argv[1]);
}

/* list and show only read the database. */
static unsigned ticket_db_flags(int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";

	return strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ? CMD_DB_READ : 0;
}

const struct cmd_entry cmd_ticket_entry = {
	.name = "ticket",
	.summary = "add, list, show and change tickets",
	.usage =
		"add --partner KEY --severity SEV --summary TEXT [--key KEY] [--customer NAME]"
		" [--assignee USER] [--created INSTANT]\n"
		"list [--all | --open | --answered] [--breached] [--at-risk] [--partner KEY]"
		" [--assignee USER] [--severity SEV] [--sort [-]COLUMN] [--reverse]"
		" [--format table|csv|json|html] [-o FILE]\n"
		"show TICKET\n"
		"respond TICKET [--at INSTANT] [--by USER] [--force]\n"
		"resolve TICKET [--at INSTANT]\n"
		"reopen TICKET\n"
		"assign TICKET (USER | --me | --none)\n"
		"note TICKET TEXT...\n"
		"edit TICKET [--severity SEV] [--partner KEY] [--summary TEXT] [--customer NAME]"
		" [--key KEY]\n"
		"undo TICKET\n"
		"wait TICKET [--at INSTANT]\n"
		"resume TICKET [--at INSTANT]\n"
		"excuse TICKET --reason TEXT [--ref KEY]\n"
		"unexcuse TICKET",
	.help =
		"TICKET is a ticket's number (12 or #12) or its external key (ACME-1042).\n"
		"SEV is critical, high, medium or low.  An INSTANT without an offset is\n"
		"read in the partner's zone; instants must not lie in the future.\n"
		"\n"
		"  add        record a ticket; its deadline is computed from the partner's\n"
		"             target for the severity and stored (none: tracked, not timed),\n"
		"             and its resolution deadline when the partner has a resolution\n"
		"             target (partner --target-resolve)\n"
		"    --created INSTANT  when the ticket arrived (default now)\n"
		"  list       the queue: the tickets waiting for a first response, in the\n"
		"             triage order: at risk (least working time left first),\n"
		"             breached (most working time over first), on track (least\n"
		"             left first), not timed (oldest first); answered and\n"
		"             resolved ones after them when listed.  DUE is in your zone\n"
		"             ([me] zone, else the system's), named in the heading.\n"
		"             STATE is the response clock's; \"(excused)\" marks an excused\n"
		"             breach, \"(waiting)\" a ticket waiting on the customer whose\n"
		"             response clock runs on.  csv and json add waiting_since,\n"
		"             resolve_deadline, resolve_state, excused, excuse_reason and\n"
		"             excuse_ref after the other fields\n"
		"    --all              every ticket, answered and resolved ones too\n"
		"    --open             every unresolved ticket, answered ones too\n"
		"    --answered         only tickets answered or resolved\n"
		"    --breached, --at-risk  only tickets in that state (both: either)\n"
		"    --sort COLUMN      triage (default), id, key, partner, severity,\n"
		"                       state, due, remaining, assignee, summary or\n"
		"                       created; -COLUMN or --reverse reverses it; ties\n"
		"                       keep the triage order\n"
		"    --format F         table (default), csv (RFC 4180) or json; in the\n"
		"                       csv, text starting with = + - @ gets a leading '\n"
		"                       so a spreadsheet runs no formula (exact text:\n"
		"                       json, or export); html: a static page of the\n"
		"                       same rows for an intranet (self-contained)\n"
		"    -o, --output FILE  with html: write FILE atomically (a temporary\n"
		"                       file renamed over it; never a symlink, the\n"
		"                       database or the config; - is standard output)\n"
		"  show       every field, the deadline in the partner's zone, yours and\n"
		"             UTC, working time used and left, the same for the resolution\n"
		"             clock, since when the ticket waits and which clocks stand\n"
		"             still, the excuse, how each deadline is counted (the pauses\n"
		"             that moved it and the working time each added), every pause\n"
		"             with the working time it covered on each clock, and the\n"
		"             history from the audit trail\n"
		"  respond    record the first response, which stops the SLA clock\n"
		"    --by USER          who responded (default you)\n"
		"    --force            replace an earlier first response\n"
		"  resolve    close the ticket (a resolution without a response also stops\n"
		"             the SLA clock); reopen undoes it\n"
		"  assign     set the assignee; --me assigns to you, --none unassigns\n"
		"  note       add a note to the ticket's history\n"
		"  edit       change fields; a new severity or partner recomputes the\n"
		"             deadline from the creation instant; an empty --key or\n"
		"             --customer removes it\n"
		"  undo       revert the ticket's last change (a respond, resolve, reopen,\n"
		"             assign or edit) as a new \"ticket.undo\" event naming the\n"
		"             event it reverts; nothing is deleted.  A restored severity\n"
		"             or partner recomputes the deadline.  A note cannot be undone,\n"
		"             and an undo is not undone (make the change again): both are\n"
		"             refused, as is a ticket with no change since its creation\n"
		"  wait       the ticket waits on the customer: its resolution clock stops,\n"
		"             and its response clock when the partner says so (partner\n"
		"             --pause-response yes) and it has no response yet; the\n"
		"             remaining time stands still.  A first response ends a wait\n"
		"             that stopped the response clock; a resolution ends any wait\n"
		"  resume     the clocks run again; each stopped deadline moves by the\n"
		"             working time the wait lasted (a weekend or holiday in it\n"
		"             moves nothing)\n"
		"  excuse     mark a breached or at-risk ticket's breach as excused, e.g.\n"
		"             caused by the platform: the report counts it apart, leaves\n"
		"             it out of attainment and lists it with its reason\n"
		"    --reason TEXT      why (required)\n"
		"    --ref KEY          the incident ticket it belongs to\n"
		"  unexcuse   take the excuse back\n"
		"\n"
		"states: not timed, on track, at risk (75% of the target used), BREACHED\n"
		"(no response by the deadline, or a later one), met, responded (not timed),\n"
		"waiting (the clock stopped while waiting on the customer).  A ticket has\n"
		"a response clock and, when its partner sets a resolution target\n"
		"(--target-resolve), a resolution clock; show gives both.  A reopened\n"
		"ticket keeps its response outcome (a resolution without a response\n"
		"counted as the response); its resolution clock goes on from where it\n"
		"stopped, the time it spent resolved left out\n"
		"\n"
		"exit status: 0 success, 2 usage error, 3 bad input (unknown partner or\n"
		"ticket, duplicate key, invalid UTF-8, empty summary, a response before\n"
		"creation, nothing to undo), 4 database failure; nothing is written when\n"
		"it fails\n",
	.flags = 0,
	.db_flags = ticket_db_flags,
	.exec = ticket_exec,
};
