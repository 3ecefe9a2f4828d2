/* triage.h: the order of the queue, one rule for `ticket list` and the TUI.
 *
 * The triage order answers "what do I answer next?".  The queue holds the
 * tickets still waiting for a first response (not answered, not resolved):
 *
 *   1. at risk      least working time left first: an answer now still
 *                   meets the SLA
 *   2. breached     most working time past the deadline first: the
 *                   customer who has waited longest
 *   3. on track     least working time left first
 *   4. not timed    oldest first
 *
 * Tickets already answered or resolved are out of the queue; listed on
 * request they come last: 5. timed ones by the time left when the clock
 * stopped (late ones first, most late first), 6. not-timed ones, oldest
 * first.  Ties: the earlier deadline, then the lower ticket number.
 * Within each group the REMAINING column grows down the page, so a reader
 * can check the order.
 *
 * Any column can order the queue instead (triage_sort); ties then keep the
 * triage order.  Everything here is a 64-bit key or a string per row, so
 * a front end may sort 100,000 rows with a radix sort and get the order
 * triage_compare gives.
 */
#ifndef SLATRACK_TRIAGE_H
#define SLATRACK_TRIAGE_H

#include <stdint.h>

#include "sla.h"
#include "store.h"

/* Still waiting for a first response: not answered, not resolved. */
int triage_waiting(const struct store_ticket *t);

/* The REMAINING value: working time left, negative past the deadline
 * (-overrun); 0 with *timed cleared for a ticket that is not timed. */
int64_t triage_remaining(const struct sla_status *st, int *timed);

/* The triage group and the value ordering it, packed: compared as
 * unsigned numbers they give the triage order except for its ties. */
uint64_t triage_key(const struct store_ticket *t, const struct sla_status *st);
/* The tie-breaks of the triage order packed the same way (deadline, then
 * id); -1 when they do not fit 64 bits (negative or huge values). */
int triage_tie_key(const struct store_ticket *t, uint64_t *out);

/* qsort-style: the triage order, ties by deadline (none first) then id. */
int triage_compare(const struct store_ticket *a, const struct sla_status *as,
		   const struct store_ticket *b, const struct sla_status *bs);

/* ---- orders by column ---------------------------------------------------- */

enum triage_sort {
	TRIAGE_SORT_TRIAGE,	/* the triage order */
	TRIAGE_SORT_ID,
	TRIAGE_SORT_KEY,	/* external key; tickets without one first */
	TRIAGE_SORT_PARTNER,
	TRIAGE_SORT_SEVERITY,	/* critical first */
	TRIAGE_SORT_STATE,	/* at risk, breached, on track, not timed, met, responded */
	TRIAGE_SORT_DUE,	/* earliest deadline first, untimed last */
	TRIAGE_SORT_REMAINING,	/* least working time left first, untimed last */
	TRIAGE_SORT_ASSIGNEE,	/* unassigned first */
	TRIAGE_SORT_SUMMARY,
	TRIAGE_SORT_CREATED,	/* oldest first */
	TRIAGE_NSORT
};

/* "triage", "id", "key", "partner", "severity", "state", "due",
 * "remaining", "assignee", "summary", "created". */
const char *triage_sort_name(enum triage_sort s);
/* A sort name, "-NAME" for the reverse order; also "sla" (triage),
 * "deadline" (due), "sev" and "newest" (-created).  -1 when unknown. */
int triage_sort_parse(const char *s, enum triage_sort *out, int *reverse);
/* The names accepted, for messages: "triage, id, key, ..." */
const char *triage_sort_names(void);

/* The column's text for text columns (key, partner, assignee, summary;
 * NULL sorts first, bytes compared with strcmp); NULL for the others. */
int triage_sort_is_text(enum triage_sort s);
const char *triage_sort_text(enum triage_sort s, const struct store_ticket *t);
/* The column's value for the other columns, ascending. */
uint64_t triage_sort_value(enum triage_sort s, const struct store_ticket *t,
			   const struct sla_status *st);

/* qsort-style: the column (reversed when asked), ties in the triage order
 * (the whole triage order reversed when it is the column). */
int triage_sort_compare(enum triage_sort s, int reverse,
			const struct store_ticket *a, const struct sla_status *as,
			const struct store_ticket *b, const struct sla_status *bs);

/* ---- sorting many rows ------------------------------------------------------ */

/* One row's order as three numbers, compared in turn as unsigned: the
 * column (a text column: the rank of its text, set by the caller), the
 * triage key, its tie-break; idx is the caller's. */
struct triage_rkey {
	uint64_t k[3];
	uint32_t idx;
};

/* Fills k for the order (s, reverse) of triage_sort_compare; k[0] is 0
 * for a text column (the caller sets the rank, then calls
 * triage_rkey_reverse).  -1 when the tie-break does not fit
 * (triage_tie_key): such rows need triage_sort_compare. */
int triage_rkey_fill(enum triage_sort s, int reverse, const struct store_ticket *t,
		     const struct sla_status *st, struct triage_rkey *k);
/* Reverses the column part of a text column's k[0] when asked. */
void triage_rkey_reverse(enum triage_sort s, int reverse, struct triage_rkey *k);

/* Stable LSD radix sort of v[0..n) by (k[0], k[1], k[2]), 16 bits a pass
 * (digits the same in every row are skipped): tmp holds n more entries.
 * Returns the array that holds the result (v or tmp); NULL when out of
 * memory (v untouched). */
struct triage_rkey *triage_radix_sort(struct triage_rkey *v, struct triage_rkey *tmp,
				      size_t n);

#endif
