/* explain.h: printing the engine's explanation of a deadline (cal_explain),
 * shared by `deadline --explain` and `ticket show`.  Calendar names and
 * sources are sanitised (text.h) before they reach the terminal. */
#ifndef SLATRACK_EXPLAIN_H
#define SLATRACK_EXPLAIN_H

#include <stddef.h>
#include <stdio.h>

struct cal;
struct cal_step;

/* One line per step, indented two spaces, times local to c's zone:
 *   "  Tue 2025-12-23  18:00-24:00  counted  6h 00m     total 6h 00m" */
void explain_print(FILE *f, const struct cal *c, const struct cal_step *st, size_t n);

#endif
