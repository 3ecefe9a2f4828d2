/* rows.h: the TUI's view-models.  Core data in, display rows out.
 *
 * Pure: no curses, no store, no clock.  Everything the screens show that
 * can be decided without a terminal is decided here, so that it is
 * covered by tests/unit/test_tui_rows.c: the queue's columns and their
 * widths, cell texts cut to a display width (wcwidth: CJK and emoji take
 * two columns) with an ellipsis, the live countdown, sort orders, filters
 * and search, the header counts, the month grid of a partner's calendar,
 * the progress bar and long text wrapped to the screen's width.
 *
 * Text that came from customers (summaries, names, keys) is sanitised
 * (text.h) by every function that returns display text, so what comes out
 * of here can be drawn as it is.
 */
#ifndef SLATRACK_TUI_ROWS_H
#define SLATRACK_TUI_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "cal.h"
#include "sla.h"
#include "store.h"
#include "triage.h"

struct buf;
struct tz;

#define ROWS_TEXT_LEN 64

/* One ticket of the queue.  Strings are borrowed from whoever loaded it
 * (the TUI's model keeps them in a pool). */
struct rows_item {
	struct store_ticket t;
	const struct sla_partner *p;	/* the ticket's partner, compiled */
	struct sla_status st;
	const char *hay;		/* search text: rows_hay(); NULL: not built */
	uint32_t hay_len;
	uint64_t hay_mask;		/* rows_mask(hay): bytes present, for quick rejects */
	int64_t recheck_at;		/* rows_recheck_at(): look again from then */
};

/* ---- cells ------------------------------------------------------------- */

/* Appends s sanitised and cut to at most width display columns (an
 * ellipsis marks a cut), then pads with spaces to exactly width columns
 * (on the left when right is set).  Returns the columns appended, which is
 * width unless width is 0 (then: s whole, unpadded). */
size_t rows_fit(struct buf *b, const char *s, size_t width, int right);
/* Display columns of UTF-8 text after sanitising. */
size_t rows_width(const char *s);

/* The remaining-time cell, ticking by the second:
 *   running    "5h 59m 55s" (working time left), "59m 05s", "42s"
 *   waiting    the working time left, standing still
 *   breached   "-2h 03m 04s" (working time past the deadline), "-<1m"
 *              while none is (the deadline passed outside working time);
 *              answered late: "late 2h 03m", "late <1m"
 *   met        "met"; not timed / responded: "-" */
void rows_countdown(const struct sla_status *st, char out[ROWS_TEXT_LEN]);
/* Working time with seconds: "5h 59m 55s", "-1h 00m 00s", "0s". */
void rows_work_hms(int64_t s, char out[ROWS_TEXT_LEN]);

/* The one-column mark that carries the state without colour:
 * '!' breached, '*' at risk, '.' on track, '+' met or responded,
 * '=' waiting on the customer, '-' not timed. */
char rows_mark(enum sla_state s);
/* The state a ticket shows and the queue filters by, from t and its
 * response clock's status st: st's state, except that a ticket waiting
 * on the customer whose response clock has nothing left to run (answered
 * in time, not timed, or stopped by the wait itself) is SLA_WAITING.  A
 * response clock that still runs while the ticket waits (the partner
 * does not pause it) keeps its state, and so does a breach: both still
 * ask for work. */
enum sla_state rows_state(const struct store_ticket *t, const struct sla_status *st);
/* Its name: sla_state_name, "excused" for an excused breach. */
const char *rows_state_name(const struct store_ticket *t, const struct sla_status *st);
/* Its mark: rows_mark, '~' for an excused breach. */
#define ROWS_MARK_EXCUSED '~'
char rows_state_mark(const struct store_ticket *t, const struct sla_status *st);
/* What a wait stops, in words (t waiting): "the response and resolution
 * clocks stand still", "the resolution clock stands still, the response
 * clock runs on", "the response clock runs on (not paused for this
 * partner)", ... */
void rows_wait_words(const struct store_ticket *t, struct buf *out);
/* "crit", "high", "med", "low". */
const char *rows_severity_short(int sev);

/* ---- the queue's columns ------------------------------------------------- */

enum rows_col {
	ROWS_COL_MARK, ROWS_COL_KEY, ROWS_COL_PARTNER, ROWS_COL_SEV, ROWS_COL_SUMMARY,
	ROWS_COL_ASSIGNEE, ROWS_COL_STATE, ROWS_COL_DUE, ROWS_COL_REMAINING, ROWS_NCOLS
};

struct rows_layout {
	int x[ROWS_NCOLS], w[ROWS_NCOLS];	/* w 0: the column is hidden */
	int long_due;				/* DUE has the weekday */
	const struct tz *tz;			/* DUE's zone; NULL: each partner's */
	int64_t now_at;
	char abbr[16];				/* tz's abbreviation at now_at */
	char due_title[32];			/* "DUE (CET)" */
};

/* Column positions for a screen `cols` wide (at least 80 is designed
 * for; narrower still gives something sane).  DUE is in each partner's
 * zone until rows_layout_zone. */
void rows_layout(int cols, struct rows_layout *l);
/* Shows DUE in zone tz (the viewer's), named in the heading by its
 * abbreviation at now_at ("DUE (CET)"); a cell whose instant has another
 * abbreviation (the other side of a DST change) ends with it. */
void rows_layout_zone(struct rows_layout *l, const struct tz *tz, int64_t now_at);
/* What the widest cells of items[idx[0..n)] need: REMAINING's width, and
 * the length of an abbreviation other than the heading's that a DUE cell
 * carries (0: none).  Looks only at extremes, but at every row: a screen
 * keeps it while the rows and the second stay the same. */
struct rows_widths {
	int remaining, due_abbrev;
};
void rows_measure(const struct rows_layout *l, const struct rows_item *items,
		  const uint32_t *idx, size_t n, struct rows_widths *w);
/* Widens REMAINING and DUE to what w says they need, and to their
 * headings; the summary gives up the room.  REMAINING is never cut. */
void rows_layout_widen(struct rows_layout *l, int cols, const struct rows_widths *w);
/* rows_measure, then rows_layout_widen. */
void rows_layout_fit(struct rows_layout *l, int cols, const struct rows_item *items,
		     const uint32_t *idx, size_t n);
/* A column's heading (DUE's names its zone after rows_layout_zone); l
 * may be NULL. */
const char *rows_col_title(const struct rows_layout *l, enum rows_col c);
/* The text of one cell (sanitised, not yet fitted); DUE in l's zone. */
void rows_cell(const struct rows_item *it, enum rows_col c, const struct rows_layout *l,
	       struct buf *out);
/* A whole queue line, every column fitted: for tests and plain dumps. */
void rows_line(const struct rows_item *it, const struct rows_layout *l, struct buf *out);

/* ---- sorting, filtering, searching ----------------------------------------- */

/* Sorts idx[0..n) (indexes into items) by a column or in the triage
 * order (triage.h: the same order as `ticket list`), reversed when asked;
 * ties keep the triage order.  Returns -1 when out of memory (idx
 * unchanged), else 0. */
int rows_sort(const struct rows_item *items, uint32_t *idx, size_t n, enum triage_sort by,
	      int reverse);
/* Only the first k of that order: idx[0..k) as rows_sort would leave
 * them, the others after them in no useful order.  For a first screen
 * of a big queue, painted before the whole of it is sorted: one pass,
 * no allocation of n keys.  Returns what rows_sort returns. */
int rows_sort_top(const struct rows_item *items, uint32_t *idx, size_t n, size_t k,
		  enum triage_sort by, int reverse);
/* How many rows the TUI orders before its first paint (rows_sort_top);
 * a screen with more lines has the whole queue sorted first. */
#define ROWS_FIRST_SCREEN 256

#define ROWS_STATE_ANY (-1)

struct rows_filter {
	int64_t partner_id;		/* 0: any */
	const char *assignee;		/* NULL: any; "": unassigned */
	int severity;			/* -1: any */
	int state;			/* ROWS_STATE_ANY or an enum sla_state */
	const char *mine;		/* non-NULL: only tickets assigned to this user */
	int answered;			/* also tickets already answered (the queue:
					   only those still waiting, triage_waiting;
					   a state filter met, responded or
					   waiting shows them anyway) */
	const char *search;		/* folded (rows_fold); NULL or "": none */
};
void rows_filter_init(struct rows_filter *f);
/* Whether a filter or search is set (the answered switch is not one). */
int rows_filter_active(const struct rows_filter *f);
/* ASCII case folding and sanitising for search text and haystacks. */
void rows_fold(const char *s, struct buf *out);
/* The search haystack of a ticket: key, #id, summary, customer, partner
 * key and name, folded, separated by '\n'. */
void rows_hay(const struct store_ticket *t, const struct store_partner *p,
	      struct buf *out);
/* A set of the bytes in s[0..len) (hashed into 64 bits): a haystack that
 * lacks a bit of a word's mask cannot contain the word. */
uint64_t rows_mask(const char *s, size_t len);
/* Sets it->hay (borrowed), hay_len and hay_mask. */
void rows_set_hay(struct rows_item *it, const char *hay, size_t len);
int rows_match(const struct rows_item *it, const struct rows_filter *f);
/* Copies the indexes of order[0..n) that match f to out (out may be
 * order: it filters in place); returns how many.  Narrowing a search as
 * the user types is filtering the previous result again. */
size_t rows_filter(const struct rows_item *items, const uint32_t *order, size_t n,
		   const struct rows_filter *f, uint32_t *out);
/* The same when order[0..n) holds every item (a permutation of 0..n):
 * looks at the items in memory order, which is much faster on big queues. */
size_t rows_filter_all(const struct rows_item *items, size_t n, const uint32_t *order,
		       const struct rows_filter *f, uint32_t *out);

/* ---- counts and the clock ---------------------------------------------------- */

struct rows_counts {
	size_t open, at_risk, breached, due_today;
};
/* Counts over items (all open); breached and due today: unanswered only
 * (an answer ends the work on it), due today: deadline in
 * [day_start_at, day_end_at), and not stopped by a wait (the deadline
 * moves on while the customer has to answer). */
void rows_count(const struct rows_item *items, size_t n, int64_t day_start_at,
		int64_t day_end_at, struct rows_counts *c);
/* Adds one item to c (c zeroed first): a load counts as it reads, while
 * the item is in cache. */
void rows_count_one(const struct rows_item *it, int64_t day_start_at, int64_t day_end_at,
		    struct rows_counts *c);
/* The earliest instant at which it->st may have changed state (its
 * status computed at now_at): INT64_MAX for a ticket whose clock has
 * stopped or that is not timed. */
int64_t rows_recheck_at(const struct rows_item *it, double at_risk, int64_t now_at);
/* Wall seconds (>= 1) before any running ticket can change state (working
 * time accrues at most one second per second), capped at cap_s. */
int64_t rows_next_change(const struct rows_item *items, size_t n, double at_risk,
			 int64_t cap_s);

/* ---- detail ------------------------------------------------------------------ */

/* Wraps s (sanitised; newlines kept as line breaks) into lines of at most
 * `first` display columns for the first line and `rest` for the others,
 * appended to out separated by '\n'.  Lines break after a word where one
 * fits, else inside a word, and never inside a character (a wide one
 * that cannot fit moves to the next line; alone on a line it is kept
 * whole).  The blanks at a break are dropped.  Returns the number of
 * lines (1 for empty text). */
size_t rows_wrap(const char *s, size_t first, size_t rest, struct buf *out);

/* "[#########-------]" style bar of exactly width columns (>= 3) for a
 * consumed fraction; UTF-8 blocks when utf8. */
void rows_progress(double consumed, int width, int utf8, struct buf *out);

/* ---- a partner's month ------------------------------------------------------- */

struct rows_day {
	int32_t day;			/* local day number */
	int mday, in_month, today, weekday;
	enum cal_reason reason;		/* workday, make-up, weekend, holiday */
	const char *name;		/* holiday or make-up name (unsanitised), or NULL */
	const char *closure;		/* the first timed closure's name, or NULL */
	int closures;			/* timed closures touching the date */
	int deadlines;			/* open tickets due that date */
};

struct rows_month {
	int64_t year;
	int month;			/* 1..12 */
	int weeks;			/* rows used, 4..6 */
	struct rows_day cells[42];	/* Monday-first weeks */
};

/* The grid of year-month for engine c (zone: cal_tz(c)) with rules r (may
 * be NULL): today is a local day number; deadline_at[0..ndl) are instants
 * of open tickets' deadlines, marked on their local dates. */
void rows_month(const struct cal *c, const struct cal_rules *r, int64_t year, int month,
		int32_t today, const int64_t *deadline_at, size_t ndl,
		struct rows_month *out);
/* "December 2026" */
const char *rows_month_name(int month);

#endif
