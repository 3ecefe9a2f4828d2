/* explain.h: printing the engine's explanation of a deadline (cal_explain),
 * shared by `deadline --explain` and `ticket show`, and the pauses that
 * moved a ticket's deadline.  Calendar names and sources are sanitised
 * (text.h) before they reach the terminal. */
#ifndef SLATRACK_EXPLAIN_H
#define SLATRACK_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sla.h"

struct cal;
struct cal_step;
struct store_pause;
struct tz;

/* One line per step, indented two spaces, times local to c's zone:
 *   "  Tue 2025-12-23  18:00-24:00  counted  6h 00m     total 6h 00m" */
void explain_print(FILE *f, const struct cal *c, const struct cal_step *st, size_t n);

/* The working time each closed pause of v[0..n) added to the deadline of
 * `clock` (target_s working seconds from start_at): added[i] is 0 for a
 * pause that does not stop the clock, is still open, or began after the
 * deadline.  The deadline with pauses 0..i less the one with 0..i-1, so
 * it is what sla_clock_deadline does, pause by pause.  added has n
 * entries; *deadline_at gets the deadline with every closed pause. */
int explain_pause_added(const struct cal *c, int64_t start_at, int64_t target_s,
			const struct store_pause *v, size_t n, enum sla_clock clock,
			int64_t *added, int64_t *deadline_at, struct diag *d);

/* The lines of the pauses that moved the deadline of `clock`, indented
 * two spaces, times in tz:
 *   "  paused  wait  Fri 2026-01-09 15:00 CET .. Mon 2026-01-12 11:00 CET
 *   +4h 00m of working time" (one line), and an open wait that stops the
 * clock as "waiting since ...: the deadline moves on while it lasts".
 * added is explain_pause_added's.  Returns the number of closed pauses
 * that moved the deadline. */
size_t explain_print_pauses(FILE *f, const struct tz *tz, const struct store_pause *v,
			    size_t n, enum sla_clock clock, const int64_t *added);
/* One pause's line without the indent, appended to b: the open wait's
 * "waiting since ..." (returns 1) or "paused  KIND  FROM .. TO  +W of
 * working time" (returns 2), kind as the caller names it; 0 and nothing
 * appended when the pause does not stop clock or moved nothing. */
struct buf;
int explain_pause_text(struct buf *b, const struct tz *tz, const struct store_pause *v,
		       enum sla_clock clock, int64_t added, const char *kind);

#endif
