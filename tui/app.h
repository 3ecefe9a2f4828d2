/* app.h: the state the TUI's files share (internal to tui/).
 *
 * One struct tui_app lives on tui_run's stack.  The screens are a stack
 * of struct tui_view; each screen keeps its own state in a member of
 * tui_app.  Data reaches the screens only through the core: the model
 * (model.c) reads the store and computes every ticket's SLA status, the
 * actions (act.c) write through store_ticket_* with their audit events.
 *
 * Time: a->now_at is ctx->now_at (the clock read once in main.c, or
 * --now) advanced by the real time elapsed since the TUI started, so
 * tests with --now are deterministic and the countdown still ticks.
 */
#ifndef SLATRACK_TUI_APP_H
#define SLATRACK_TUI_APP_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "color.h"
#include "curs.h"
#include "diag.h"
#include "keymap.h"
#include "rows.h"
#include "sla.h"
#include "store.h"

struct ctx;
struct tz;
struct tui_app;

/* The designed minimum; anything smaller shows a notice instead. */
#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24

/* ---- a screen ------------------------------------------------------------ */

struct tui_view {
	const char *name;
	unsigned scope;			/* its keymap scope bit */
	void (*enter)(struct tui_app *a);	/* pushed (may be NULL) */
	void (*draw)(struct tui_app *a);
	/* 1: handled.  Actions it does not handle fall to the global ones. */
	int (*action)(struct tui_app *a, enum tui_action act, const char *arg);
	/* Raw keys before the keymap (forms); 1: consumed.  May be NULL. */
	int (*input)(struct tui_app *a, int is_key, wint_t ch);
	void (*reload)(struct tui_app *a);	/* the data changed (may be NULL) */
	void (*leave)(struct tui_app *a);	/* popped (may be NULL) */
};

extern const struct tui_view view_queue, view_ticket, view_partners, view_calendar,
	view_help, view_form;

/* ---- a line of text being typed ---------------------------------------------- */

#define LINE_MAX 512

struct tui_line {
	wchar_t s[LINE_MAX + 1];
	size_t len, cur;
};

enum line_result { LINE_NOP, LINE_CHANGED, LINE_MOVED, LINE_ENTER, LINE_CANCEL, LINE_OTHER };

void line_set(struct tui_line *l, const char *utf8);
void line_utf8(const struct tui_line *l, char *out, size_t size);
enum line_result line_key(struct tui_line *l, int is_key, wint_t ch);
/* Draws the line in width columns at (y, x) scrolled so the cursor shows;
 * returns the cursor's column. */
int line_draw(const struct tui_line *l, int y, int x, int width, attr_t attr);

/* ---- modal prompts --------------------------------------------------------------- */

enum modal_kind { MODAL_NONE, MODAL_LINE, MODAL_CONFIRM, MODAL_PICK };

struct pick_item {
	char *label;			/* shown (sanitised when drawn) */
	char *value;			/* handed to done */
	int64_t id;
};

struct modal;
/* ok: accepted; text: the typed line (UTF-8); it: the picked item or NULL.
 * Returns 1 to keep the modal open (say, a write failed: the input stays). */
typedef int (*modal_done_fn)(struct tui_app *a, int64_t arg, int ok, const char *text,
			     const struct pick_item *it);
typedef void (*modal_changed_fn)(struct tui_app *a, const char *text);

struct modal {
	enum modal_kind kind;
	char title[256];
	struct tui_line line;
	struct pick_item *items;
	size_t nitems, *vis, nvis, sel, top;
	int free_text;			/* pick: Enter on typed text with no match */
	modal_done_fn done;
	modal_changed_fn changed;
	int64_t arg;			/* for the callbacks */
	int tag;
};

void modal_line(struct tui_app *a, const char *title, const char *initial,
		modal_done_fn done, modal_changed_fn changed, int64_t arg);
void modal_confirm(struct tui_app *a, const char *question, modal_done_fn done,
		   int64_t arg);
/* Takes ownership of items (each label/value heap, freed on close). */
void modal_pick(struct tui_app *a, const char *title, struct pick_item *items,
		size_t n, int free_text, modal_done_fn done, int64_t arg);
void modal_close(struct tui_app *a);
int modal_key(struct tui_app *a, int is_key, wint_t ch);
void modal_draw(struct tui_app *a);

/* ---- the model: open tickets with their SLA status ------------------------------------ */

struct pool_block;

struct model {
	struct sla_cache *cache;	/* partners, compiled once per load */
	struct rows_item *items;
	size_t n, cap;
	struct pool_block *pool;	/* the items' strings */
	uint32_t *order;		/* every item, sorted */
	uint32_t *vis;			/* those the filter lets through, in order */
	size_t nvis;
	struct rows_counts counts;
	int64_t full_at;		/* next full recompute and resort */
	int64_t day_start_at, day_end_at;	/* the viewer's today */
	size_t hay_done;		/* items[0..hay_done) have their search text */
	unsigned generation;		/* bumped whenever vis is rebuilt */
	double load_ms;			/* how long the last load took */
	/* only the first screen's candidates (model_load_first): the counts
	 * are not known yet, and the whole queue is loaded after the paint;
	 * model_load takes over the cache */
	int partial;
};

/* ---- per-screen state --------------------------------------------------------------------- */

struct queue_state {
	size_t sel, top;
	int64_t sel_id;			/* the selected ticket survives reloads */
	unsigned gen;			/* model generation sel was found in */
	struct rows_widths widths;	/* the rows' widest cells (rows_measure) */
	unsigned widths_gen;		/* measured for this model generation */
	int64_t widths_at;		/* and this second */
	int widths_valid;
};

struct detail_line {
	char *text;
	enum tui_role role;
	int indent;
};

struct ticket_state {
	int64_t id;
	int loaded;
	struct store_ticket t;
	const struct sla_partner *p;
	struct sla_status st;
	struct detail_line *lines;	/* the static part: explanation, history */
	size_t nlines, cap;
	size_t scroll;
	char *link;			/* the helpdesk link, or NULL */
	char error[DIAG_MSG_LEN];
};

struct partners_state {
	size_t sel, top;		/* in a->partners */
};

struct calendar_state {
	int64_t partner_id;
	int64_t year;
	int month;
	int32_t cursor;			/* the selected local day */
	char error[DIAG_MSG_LEN];
};

struct help_state {
	size_t scroll;
};

enum form_field {
	FF_PARTNER, FF_SEVERITY, FF_SUMMARY, FF_KEY, FF_CUSTOMER, FF_CREATED, FF_SAVE,
	FF_CANCEL, FF_NFIELDS
};

struct form_state {
	int edit;			/* 0: new ticket; 1: edit severity/partner */
	int64_t ticket_id;		/* edit */
	int field;
	int64_t partner_id;
	int severity;
	struct tui_line summary, key, customer, created;
	char msg[DIAG_MSG_LEN];
	int msg_error;
	/* edit: the ticket as it was */
	int64_t old_partner_id, old_deadline_at;
	int old_severity;
};

/* ---- the application ------------------------------------------------------------------------- */

struct tui_app {
	struct ctx *ctx;
	struct store *store;
	const struct config *cfg;
	const char *me;			/* the actor */
	struct tz *viewer_tz;
	double at_risk;			/* [sla] at_risk / 100 */
	int64_t now_at;
	int64_t respond_at;		/* r: the instant typed (0: now) */

	struct model model;
	struct store_partner *partners;	/* every partner, archived too */
	size_t npartners;
	int64_t data_version;
	int reload_pending;		/* our own write: reload now */

	/* queue filters (the strings behind model filter pointers) */
	struct rows_filter filter;
	enum triage_sort sort;		/* the queue's order (triage.h) */
	int sort_reverse;
	char search[LINE_MAX * 4];
	char search_saved[LINE_MAX * 4];
	char assignee[128];

	const struct tui_view *stack[8];
	int depth;
	struct modal modal;

	struct queue_state q;
	struct ticket_state tv;
	struct partners_state pv;
	struct calendar_state cv;
	struct help_state hv;
	struct form_state fv;

	char msg[DIAG_MSG_LEN];		/* the status line */
	enum tui_role msg_role;
	int64_t msg_until_ms;
	unsigned long keys;		/* key presses so far */
	unsigned long msg_key;		/* the key press that made msg */
	char link[DIAG_MSG_LEN - 16];	/* the helpdesk link the status line shows */
	int link_pending;		/* to be made a hyperlink after the next frame */

	int utf8;
	int quit;
	int too_small;
	int cursor_y, cursor_x;		/* where the terminal cursor goes, -1: hidden */
	int64_t mono_ms;		/* monotonic time of this frame */
};

/* tui.c */
/* Pushes v and calls its enter; when v is already on the stack, pops back
 * to it instead and returns 0 (enter is not called). */
int tui_push(struct tui_app *a, const struct tui_view *v);
void tui_pop(struct tui_app *a);
const struct tui_view *tui_top(const struct tui_app *a);
void tui_message(struct tui_app *a, enum tui_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Runs a global action (help, partners, quit, command line ...). */
int tui_global_action(struct tui_app *a, enum tui_action act, const char *arg);
/* Draws the header (title, counts, clock) and the footer of a screen. */
void tui_draw_header(struct tui_app *a, const char *title);
void tui_draw_footer(struct tui_app *a, unsigned scope);
/* The ticket the ticket actions apply to (0: none). */
int64_t tui_current_ticket(struct tui_app *a);
/* The viewer's clock, "Tue 2026-12-01 10:00:05 CET". */
void tui_clock_text(struct tui_app *a, char *out, size_t size);

/* model.c */
int model_load(struct tui_app *a, struct diag *d);
/* The first load of a big queue: only the most urgent waiting tickets
 * (store_ticket_scan_first), enough for the first screen, so it is painted
 * without reading 1,000,000 rows; model.partial set.  0 when that is not
 * safe (a small queue, too few at risk or breached: model_load then), 1
 * loaded, -1 failure. */
int model_load_first(struct tui_app *a, struct diag *d);
void model_free(struct model *m);
/* Every second: statuses that may have changed, visible rows, counts. */
void model_tick(struct tui_app *a, size_t vis_from, size_t vis_to);
/* After a change of sort or filter. */
void model_refilter(struct tui_app *a);
/* Builds the search text of up to max more tickets (it is built while the
 * user is idle after the first paint, or at once when a search needs it);
 * returns how many still lack it. */
size_t model_build_hay(struct tui_app *a, size_t max);
void model_resort(struct tui_app *a);
/* Index in vis of ticket id, or (size_t)-1. */
size_t model_find_vis(const struct tui_app *a, int64_t id);
const struct rows_item *model_item_by_id(const struct tui_app *a, int64_t id);
/* Reloads when another connection committed (or we wrote); 1 if reloaded. */
int model_poll(struct tui_app *a);

/* act.c: every change goes through the core, one transaction each, with
 * its audit events; a busy database is retried by store_begin.  Each
 * returns 0, or -1 with d filled (nothing written). */
enum act_kind {
	ACT_K_RESPOND, ACT_K_ASSIGN, ACT_K_RESOLVE, ACT_K_REOPEN, ACT_K_EDIT,
	ACT_K_WAIT, ACT_K_RESUME, ACT_K_EXCUSE, ACT_K_UNEXCUSE
};
struct act_change {
	enum act_kind kind;
	const char *assignee;		/* ASSIGN: NULL unassigns */
	int severity;			/* EDIT */
	int64_t partner_id;		/* EDIT */
	int64_t at;			/* RESPOND: when (0: now) */
	const char *reason, *ref;	/* EXCUSE: why, the incident ticket (or NULL) */
};
int act_change(struct tui_app *a, int64_t ticket_id, const struct act_change *c,
	       struct store_ticket *result, struct diag *d);
int act_note(struct tui_app *a, int64_t ticket_id, const char *text, struct diag *d);
int act_add(struct tui_app *a, struct store_ticket *t, struct diag *d);
/* The plan (target, deadline) of a severity/partner/creation. */
int act_plan(struct tui_app *a, int64_t partner_id, int severity, int64_t created_at,
	     int64_t *target_s, int64_t *deadline_at, struct diag *d);
/* Both clocks of t (targets and deadlines) from its partner's settings,
 * replaying its pauses (none for a new ticket). */
int act_plan_ticket(struct tui_app *a, struct store_ticket *t, struct diag *d);
/* Reads ticket id with its partner (from the model's cache). */
int act_get(struct tui_app *a, int64_t id, struct store_ticket *t,
	    const struct sla_partner **p, struct diag *d);
/* The flows behind the ticket keys: confirmations, pickers, messages. */
void act_respond_flow(struct tui_app *a, int64_t id);
void act_assign_flow(struct tui_app *a, int64_t id, const char *who, int pick);
void act_note_flow(struct tui_app *a, int64_t id, const char *text);
void act_resolve_flow(struct tui_app *a, int64_t id);
void act_reopen_flow(struct tui_app *a, int64_t id);
/* Waiting on the customer: ACT_K_WAIT, ACT_K_RESUME, or (toggle) the one
 * that fits the ticket; no confirmation, the other one takes it back. */
enum act_wait_mode { ACT_W_TOGGLE, ACT_W_START, ACT_W_END };
void act_wait_flow(struct tui_app *a, int64_t id, enum act_wait_mode mode);
/* ':excuse [ref=KEY] REASON' (args as typed; NULL says how) and ':unexcuse'. */
void act_excuse_flow(struct tui_app *a, int64_t id, const char *args);
void act_unexcuse_flow(struct tui_app *a, int64_t id);
/* u: reverts the ticket's last change (store_ticket_undo_plan) after a
 * [y/N] naming it. */
void act_undo_flow(struct tui_app *a, int64_t id);
/* The undo itself, one transaction; result as act_change's. */
int act_undo(struct tui_app *a, int64_t ticket_id, struct store_ticket *result,
	     struct diag *d);

/* hyperlink.c: o shows the ticket's helpdesk link on the status line;
 * after the frame that draws it, hyperlink_emit makes it an OSC 8
 * hyperlink and offers it to the clipboard (OSC 52). */
void hyperlink_show(struct tui_app *a, int64_t id);
void hyperlink_emit(struct tui_app *a);

/* view-form.c */
void form_open_new(struct tui_app *a);
void form_open_edit(struct tui_app *a, int64_t ticket_id);
/* view-ticket.c */
void ticket_open(struct tui_app *a, int64_t id);
/* view-calendar.c */
void calendar_open(struct tui_app *a, int64_t partner_id);
/* view-queue.c: the filter menu and ':filter' */
void queue_filter_menu(struct tui_app *a);
int queue_filter_args(struct tui_app *a, const char *args);

/* A partner of a->partners by id (NULL when unknown). */
const struct store_partner *tui_partner(const struct tui_app *a, int64_t id);

#endif
