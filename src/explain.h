/* explain.h: the engine's explanation of a deadline (cal_explain) as
 * text, shared by `deadline --explain`, `ticket show` and the TUI's
 * ticket view.  Pure: appends to a buf.  Calendar names and sources are
 * sanitised (text.h) on the way in. */
#ifndef SLATRACK_EXPLAIN_LINE_H
#define SLATRACK_EXPLAIN_LINE_H

struct buf;
struct cal;
struct cal_step;

/* Appends one step, without indent or newline, times local to c's zone:
 *   "Tue 2025-12-23  18:00-24:00  counted  6h 00m     total 6h 00m" */
void explain_line(struct buf *b, const struct cal *c, const struct cal_step *s);

#endif
