/* triage.c: the order of the queue; see triage.h. */
#include "triage.h"

#include <stdlib.h>
#include <string.h>

enum {
	RANK_AT_RISK, RANK_BREACHED, RANK_ON_TRACK, RANK_NOT_TIMED, RANK_WAITING,
	RANK_ANSWERED, RANK_ANSWERED_NOT_TIMED
};

#define VALUE_BITS 60
#define VALUE_HALF ((int64_t)1 << (VALUE_BITS - 1))

int triage_waiting(const struct store_ticket *t)
{
	return t->first_response_at == STORE_NONE && t->resolved_at == STORE_NONE;
}

int64_t triage_remaining(const struct sla_status *st, int *timed)
{
	*timed = 1;
	switch (st->state) {
	case SLA_ON_TRACK:
	case SLA_AT_RISK:
	case SLA_MET:
	case SLA_WAITING:
		return st->remaining_s;
	case SLA_BREACHED:
		return -(st->overrun_s > 0 ? st->overrun_s : 0);
	default:
		*timed = 0;
		return 0;
	}
}

/* A signed value as an unsigned one of VALUE_BITS bits, order kept
 * (clamped: a few thousand years are plenty). */
static uint64_t bias(int64_t v)
{
	if (v < -VALUE_HALF)
		v = -VALUE_HALF;
	if (v > VALUE_HALF - 1)
		v = VALUE_HALF - 1;
	return (uint64_t)(v + VALUE_HALF);
}

static uint64_t pack(int rank, int64_t v)
{
	return (uint64_t)rank << VALUE_BITS | bias(v);
}

uint64_t triage_key(const struct store_ticket *t, const struct sla_status *st)
{
	int timed;
	int64_t rem = triage_remaining(st, &timed);

	if (st->stopped_at != STORE_NONE || st->state == SLA_MET ||
	    st->state == SLA_RESPONDED)
		return timed ? pack(RANK_ANSWERED, rem) :
		    pack(RANK_ANSWERED_NOT_TIMED, t->created_at);
	switch (st->state) {
	case SLA_AT_RISK: return pack(RANK_AT_RISK, rem);
	case SLA_BREACHED: return pack(RANK_BREACHED, rem);	/* -overrun: most late first */
	case SLA_ON_TRACK: return pack(RANK_ON_TRACK, rem);
	/* waiting on the customer: nothing to do until they answer */
	case SLA_WAITING: return pack(RANK_WAITING, rem);
	default: return pack(RANK_NOT_TIMED, t->created_at);
	}
}

int triage_tie_key(const struct store_ticket *t, uint64_t *out)
{
	uint64_t dl;

	if (t->id < 0 || t->id >= ((int64_t)1 << 29))
		return -1;
	if (t->deadline_at == STORE_NONE)
		dl = 0;
	else if (t->deadline_at < 0 || t->deadline_at >= ((int64_t)1 << 35) - 1)
		return -1;
	else
		dl = (uint64_t)t->deadline_at + 1;
	*out = dl << 29 | (uint64_t)t->id;
	return 0;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int triage_compare(const struct store_ticket *a, const struct sla_status *as,
		   const struct store_ticket *b, const struct sla_status *bs)
{
	int c = cmp_u64(triage_key(a, as), triage_key(b, bs));

	if (c == 0)
		c = cmp_i64(a->deadline_at, b->deadline_at);	/* STORE_NONE first */
	return c != 0 ? c : cmp_i64(a->id, b->id);
}

/* ---- orders by column ---------------------------------------------------- */

static const char *const sort_names[TRIAGE_NSORT] = {
	"triage", "id", "key", "partner", "severity", "state", "due", "remaining",
	"assignee", "summary", "created",
};

const char *triage_sort_name(enum triage_sort s)
{
	return (unsigned)s < TRIAGE_NSORT ? sort_names[s] : "?";
}

const char *triage_sort_names(void)
{
	return "triage, id, key, partner, severity, state, due, remaining, assignee, "
	    "summary, created; -NAME reverses";
}

int triage_sort_parse(const char *s, enum triage_sort *out, int *reverse)
{
	static const struct {
		const char *name;
		enum triage_sort s;
		int reverse;
	} aliases[] = {
		{ "sla", TRIAGE_SORT_TRIAGE, 0 }, { "deadline", TRIAGE_SORT_DUE, 0 },
		{ "sev", TRIAGE_SORT_SEVERITY, 0 }, { "newest", TRIAGE_SORT_CREATED, 1 },
	};
	int rev = 0;

	if (s == NULL)
		return -1;
	if (*s == '-') {
		rev = 1;
		s++;
	}
	for (int i = 0; i < TRIAGE_NSORT; i++)
		if (strcmp(s, sort_names[i]) == 0) {
			*out = (enum triage_sort)i;
			*reverse = rev;
			return 0;
		}
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(s, aliases[i].name) == 0) {
			*out = aliases[i].s;
			*reverse = rev ^ aliases[i].reverse;
			return 0;
		}
	return -1;
}

int triage_sort_is_text(enum triage_sort s)
{
	return s == TRIAGE_SORT_KEY || s == TRIAGE_SORT_PARTNER ||
	    s == TRIAGE_SORT_ASSIGNEE || s == TRIAGE_SORT_SUMMARY;
}

const char *triage_sort_text(enum triage_sort s, const struct store_ticket *t)
{
	switch (s) {
	case TRIAGE_SORT_KEY: return t->key;
	case TRIAGE_SORT_PARTNER: return t->partner_key;
	case TRIAGE_SORT_ASSIGNEE: return t->assignee;
	case TRIAGE_SORT_SUMMARY: return t->summary;
	default: return NULL;
	}
}

static uint64_t state_order(enum sla_state s)
{
	switch (s) {
	case SLA_AT_RISK: return 0;
	case SLA_BREACHED: return 1;
	case SLA_ON_TRACK: return 2;
	case SLA_NOT_TIMED: return 3;
	case SLA_MET: return 4;
	default: return 5;
	}
}

uint64_t triage_sort_value(enum triage_sort s, const struct store_ticket *t,
			   const struct sla_status *st)
{
	int timed;
	int64_t rem;

	switch (s) {
	case TRIAGE_SORT_TRIAGE: return triage_key(t, st);
	case TRIAGE_SORT_ID: return bias(t->id);
	case TRIAGE_SORT_SEVERITY: return (uint64_t)(t->severity & 0xff);
	case TRIAGE_SORT_STATE: return state_order(st->state);
	case TRIAGE_SORT_DUE:
		return t->deadline_at == STORE_NONE ? UINT64_MAX : bias(t->deadline_at);
	case TRIAGE_SORT_REMAINING:
		rem = triage_remaining(st, &timed);
		return timed ? bias(rem) : UINT64_MAX;
	case TRIAGE_SORT_CREATED: return bias(t->created_at);
	default: return 0;
	}
}

static int cmp_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (b == NULL) - (a == NULL);	/* NULL first */
	return strcmp(a, b);
}

int triage_sort_compare(enum triage_sort s, int reverse,
			const struct store_ticket *a, const struct sla_status *as,
			const struct store_ticket *b, const struct sla_status *bs)
{
	int c;

	if (triage_sort_is_text(s))
		c = cmp_text(triage_sort_text(s, a), triage_sort_text(s, b));
	else
		c = cmp_u64(triage_sort_value(s, a, as), triage_sort_value(s, b, bs));
	if (c != 0)
		return reverse ? -c : c;
	c = triage_compare(a, as, b, bs);
	return s == TRIAGE_SORT_TRIAGE && reverse ? -c : c;
}

/* ---- sorting many rows ------------------------------------------------------ */

int triage_rkey_fill(enum triage_sort s, int reverse, const struct store_ticket *t,
		     const struct sla_status *st, struct triage_rkey *k)
{
	if (triage_tie_key(t, &k->k[2]) < 0)
		return -1;
	k->k[1] = triage_key(t, st);
	if (s == TRIAGE_SORT_TRIAGE) {
		/* the whole order reversed, ties too (ids are unique) */
		k->k[0] = 0;
		if (reverse) {
			k->k[1] = ~k->k[1];
			k->k[2] = ~k->k[2];
		}
		return 0;
	}
	k->k[0] = triage_sort_is_text(s) ? 0 : triage_sort_value(s, t, st);
	if (reverse && !triage_sort_is_text(s))
		k->k[0] = ~k->k[0];
	return 0;
}

void triage_rkey_reverse(enum triage_sort s, int reverse, struct triage_rkey *k)
{
	if (reverse && triage_sort_is_text(s))
		k->k[0] = ~k->k[0];
}

struct triage_rkey *triage_radix_sort(struct triage_rkey *v, struct triage_rkey *tmp,
				      size_t n)
{
	uint32_t *count;
	uint64_t differ[3] = { 0, 0, 0 };
	struct triage_rkey *a = v, *b = tmp, *t;

	if (n < 2)
		return v;
	/* the bits that differ somewhere: a digit without any is skipped
	 * without counting (the column of the triage order is 0 throughout) */
	for (size_t i = 1; i < n; i++)
		for (int w = 0; w < 3; w++)
			differ[w] |= a[i].k[w] ^ a[0].k[w];
	if ((count = malloc(65536 * sizeof *count)) == NULL)
		return NULL;
	for (int pass = 0; pass < 12; pass++) {
		int w = 2 - pass / 4, shift = (pass % 4) * 16;
		uint32_t sum = 0;

		if (((differ[w] >> shift) & 0xffff) == 0)
			continue;	/* one digit everywhere: nothing to do */
		memset(count, 0, 65536 * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[(a[i].k[w] >> shift) & 0xffff]++;
		for (size_t d = 0; d < 65536; d++) {
			uint32_t c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[count[(a[i].k[w] >> shift) & 0xffff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	free(count);
	return a;
}
