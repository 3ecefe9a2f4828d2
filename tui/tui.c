/* tui.c: the TUI's life: curses set up and torn down, the main loop, the
 * screen stack, signals, stderr capture, the header and footer, the
 * global actions and the ':' command line; see tui.h.
 *
 * Terminal hygiene (STYLE.md section 4):
 *  - setlocale ran in main.c; UTF-8 or ASCII from nl_langinfo(CODESET);
 *  - no SIGWINCH handler of ours: ncurses delivers KEY_RESIZE;
 *  - SIGINT, SIGTERM and SIGHUP only set a flag; the loop wakes at least
 *    every second (and get_wch returns on the signal) and leaves cleanly;
 *  - a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) does a best-effort
 *    endwin and re-raises with the default action;
 *  - endwin sits in one teardown, safe to call twice, also run atexit;
 *  - stderr goes to a temporary file while curses runs and is replayed
 *    after endwin, so a library's warning cannot scribble on the screen;
 *  - every frame is drawn into stdscr and sent with wnoutrefresh/doupdate,
 *    so only the cells that changed reach the terminal (no flicker).
 */
#include "tui.h"

#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "buf.h"
#include "civil.h"
#include "cli/cmd.h"	/* struct ctx: what main.c hands over */
#include "config.h"
#include "draw.h"
#include "timefmt.h"
#include "tz.h"

/* The only mutable statics: the signal that asks us to quit, and the real
 * stderr while curses runs (-1 otherwise), for the crash and exit paths. */
static volatile sig_atomic_t tui_signal;
static volatile sig_atomic_t tui_stderr_fd = -1;

static void on_quit_signal(int sig)
{
	tui_signal = sig;
}

static void teardown_terminal(void)
{
	if (tui_stderr_fd >= 0) {
		if (!isendwin())
			endwin();
		dup2(tui_stderr_fd, STDERR_FILENO);
		close(tui_stderr_fd);
		tui_stderr_fd = -1;
	}
}

static void on_crash(int sig)
{
	/* best effort: the terminal back in a usable state, then die as
	 * the signal would have made us */
	if (tui_stderr_fd >= 0) {
		endwin();
		dup2(tui_stderr_fd, STDERR_FILENO);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void set_signals(void)
{
	static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP };
	static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal;		/* no SA_RESTART: get_wch returns */
	for (size_t i = 0; i < sizeof quit_sigs / sizeof quit_sigs[0]; i++)
		sigaction(quit_sigs[i], &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof crash_sigs / sizeof crash_sigs[0]; i++)
		sigaction(crash_sigs[i], &sa, NULL);
}

static void reset_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGFPE,
		SIGILL, SIGABRT };

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
}

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the screen stack ------------------------------------------------------ */

/* Home and End as terminals send them whatever TERM says (tmux and screen
 * send ESC [1~ and ESC [4~, xterm ESC [H and ESC [F or ESC OH and ESC OF,
 * rxvt ESC [7~ and ESC [8~): else an unknown sequence would start with
 * Esc, which goes back a screen. */
static void home_end_keys(void)
{
	static const char *const home[] = { "\033[1~", "\033[7~", "\033[H", "\033OH" };
	static const char *const end[] = { "\033[4~", "\033[8~", "\033[F", "\033OF" };

	for (size_t i = 0; i < sizeof home / sizeof home[0]; i++) {
		if (key_defined(home[i]) <= 0)
			define_key(home[i], KEY_HOME);
		if (key_defined(end[i]) <= 0)
			define_key(end[i], KEY_END);
	}
}

/* A message belongs to the screen it was made on: going to another one
 * clears it, unless the same key press made it (a form saved and closed
 * says what it saved on the screen below). */
static void screen_changes(struct tui_app *a)
{
	if (a->msg_key != a->keys)
		a->msg[0] = '\0';
}

int tui_push(struct tui_app *a, const struct tui_view *v)
{
	screen_changes(a);
	/* a screen is on the stack at most once: going to it again pops back */
	for (int i = 0; i < a->depth; i++)
		if (a->stack[i] == v) {
			while (a->depth > i + 1)
				tui_pop(a);
			return 0;
		}
	if (a->depth == (int)(sizeof a->stack / sizeof a->stack[0]))
		tui_pop(a);
	a->stack[a->depth++] = v;
	if (v->enter != NULL)
		v->enter(a);
	return 1;
}

void tui_pop(struct tui_app *a)
{
	if (a->depth <= 1) {
		a->quit = 1;
		return;
	}
	screen_changes(a);
	a->depth--;
	if (a->stack[a->depth]->leave != NULL)
		a->stack[a->depth]->leave(a);
}

const struct tui_view *tui_top(const struct tui_app *a)
{
	return a->depth > 0 ? a->stack[a->depth - 1] : &view_queue;
}

void tui_message(struct tui_app *a, enum tui_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_role = role;
	a->msg_until_ms = mono_us() / 1000 + 8000;
	a->msg_key = a->keys;
}

const struct store_partner *tui_partner(const struct tui_app *a, int64_t id)
{
	for (size_t i = 0; i < a->npartners; i++)
		if (a->partners[i].id == id)
			return &a->partners[i];
	return NULL;
}

int64_t tui_current_ticket(struct tui_app *a)
{
	const struct tui_view *v = tui_top(a);

	if (v == &view_ticket)
		return a->tv.id;
	if (v == &view_queue && a->q.sel < a->model.nvis)
		return a->model.items[a->model.vis[a->q.sel]].t.id;
	return 0;
}

/* ---- header and footer --------------------------------------------------------- */

void tui_clock_text(struct tui_app *a, char *out, size_t size)
{
	char s[TIMEFMT_LEN];

	timefmt_local(a->viewer_tz, a->now_at, s);	/* Tue 2026-12-01 10:00:05 CET */
	if (COLS < 100 && strlen(s) > 15)
		snprintf(out, size, "%.3s %s", s, s + 15);	/* Tue 10:00:05 CET */
	else
		snprintf(out, size, "%s", s);
}

void tui_draw_header(struct tui_app *a, const char *title)
{
	const struct rows_counts *c = &a->model.counts;
	attr_t bar = color_attr(ROLE_TITLE);
	char clock[TIMEFMT_LEN], left[256];
	int cw;

	tui_clock_text(a, clock, sizeof clock);
	if (a->model.partial)	/* the first screen only: the counts come with the rest */
		snprintf(left, sizeof left, "%s%s  counting...", COLS >= 100 ? " slatrack · " : " ",
		    title);
	else
		snprintf(left, sizeof left, "%s%s  %zu open  %zu at risk  %zu breached  %zu due today",
		    COLS >= 100 ? " slatrack · " : " ", title, c->open, c->at_risk, c->breached,
		    c->due_today);
	draw_fill(0, 0, COLS, bar);
	cw = (int)strlen(clock);
	draw_text(0, 0, COLS - cw - 2, left, bar | A_BOLD, 0);
	draw_text(0, COLS - cw - 1, cw, clock, bar, 0);
}

static int footer_must(const struct keymap_binding *b)
{
	return b->action == ACT_HELP || b->action == ACT_QUIT || b->action == ACT_BACK;
}

void tui_draw_footer(struct tui_app *a, unsigned scope)
{
	const struct keymap_binding *t;
	size_t n;
	int x = 0, y = LINES - 1, reserved = 0;
	int64_t now_ms = mono_us() / 1000;

	/* the status line: a message for a while */
	if (a->msg[0] != '\0' && now_ms < a->msg_until_ms)
		draw_text(y - 1, 0, COLS, a->msg, color_attr(a->msg_role), DRAW_PAD);
	t = keymap_table(&n);
	draw_fill(y, 0, COLS, A_NORMAL);
	/* help and quit (or back) always show; the others while they fit */
	for (size_t i = 0; i < n; i++)
		if (t[i].footer != NULL && (t[i].scope & scope) && footer_must(&t[i]))
			reserved += (int)strlen(t[i].footer) + 2;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const char *f = t[i].footer, *sp;
			char key[32];
			int len;

			if (f == NULL || !(t[i].scope & scope) || footer_must(&t[i]) != pass)
				continue;
			len = (int)strlen(f) + 2;
			if (pass == 0 && x + len + reserved > COLS)
				continue;
			sp = strchr(f, ' ');
			snprintf(key, sizeof key, "%.*s", sp ? (int)(sp - f) : (int)strlen(f), f);
			x += draw_text(y, x, COLS - x, key, color_attr(ROLE_KEY), 0);
			x += draw_text(y, x, COLS - x, sp ? sp : "", A_NORMAL, 0) + 2;
		}
}

/* ---- global actions and the command line --------------------------------------------- */

static const struct store_partner *partner_by_key(struct tui_app *a, const char *key)
{
	for (size_t i = 0; i < a->npartners; i++)
		if (strcmp(a->partners[i].key, key) == 0)
			return &a->partners[i];
	return NULL;
}

static int64_t ticket_ref(struct tui_app *a, const char *ref)
{
	struct store_ticket t;
	struct diag d;
	int64_t id = 0;

	diag_clear(&d);
	store_ticket_init(&t);
	if (store_ticket_get(a->store, ref, &t, &d) < 0)
		tui_message(a, ROLE_ERROR, "%s", d.msg);
	else
		id = t.id;
	store_ticket_release(&t);
	return id;
}

static void run_command(struct tui_app *a, const char *line);

static int command_done(struct tui_app *a, int64_t arg, int ok, const char *text,
			const struct pick_item *it)
{
	(void)arg;
	(void)it;
	if (ok)
		run_command(a, text);
	return 0;
}

static void reload_now(struct tui_app *a)
{
	a->reload_pending = 1;
	if (model_poll(a))
		tui_message(a, ROLE_OK, "read %zu open tickets in %.0f ms", a->model.n,
		    a->model.load_ms);
}

int tui_global_action(struct tui_app *a, enum tui_action act, const char *arg)
{
	int64_t id;

	switch (act) {
	case ACT_QUIT:
		a->quit = 1;
		return 1;
	case ACT_BACK:
		tui_pop(a);
		return 1;
	case ACT_HELP:
		tui_push(a, &view_help);
		return 1;
	case ACT_PARTNERS:
		tui_push(a, &view_partners);
		return 1;
	case ACT_COMMAND:
		modal_line(a, ":", "", command_done, NULL, 0);
		return 1;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return 1;
	case ACT_RELOAD:
		reload_now(a);
		return 1;
	case ACT_NEW:
		form_open_new(a);
		return 1;
	case ACT_OPEN:
		if (arg != NULL && (id = ticket_ref(a, arg)) != 0)
			ticket_open(a, id);
		return 1;
	case ACT_CALENDAR:
		if (arg != NULL) {
			const struct store_partner *p = partner_by_key(a, arg);

			if (p == NULL)
				tui_message(a, ROLE_ERROR, "unknown partner '%s'", arg);
			else
				calendar_open(a, p->id);
		} else if ((id = tui_current_ticket(a)) != 0) {
			const struct rows_item *it = model_item_by_id(a, id);

			if (it != NULL)
				calendar_open(a, it->t.partner_id);
			else if (a->tv.loaded && a->tv.id == id)
				calendar_open(a, a->tv.t.partner_id);
		} else if (a->npartners > 0)
			calendar_open(a, a->partners[0].id);
		return 1;
	case ACT_RESPOND:
		act_respond_flow(a, tui_current_ticket(a));
		return 1;
	case ACT_ASSIGN_ME:
		act_assign_flow(a, tui_current_ticket(a), a->me, 0);
		return 1;
	case ACT_ASSIGN:
		act_assign_flow(a, tui_current_ticket(a), arg, arg == NULL);
		return 1;
	case ACT_UNASSIGN:
		act_assign_flow(a, tui_current_ticket(a), NULL, 0);
		return 1;
	case ACT_NOTE:
		act_note_flow(a, tui_current_ticket(a), arg);
		return 1;
	case ACT_RESOLVE:
		act_resolve_flow(a, tui_current_ticket(a));
		return 1;
	case ACT_REOPEN:
		id = arg != NULL ? ticket_ref(a, arg) : tui_current_ticket(a);
		if (id != 0)
			act_reopen_flow(a, id);
		else if (arg == NULL)
			tui_message(a, ROLE_ERROR, "which ticket? ':reopen TICKET' (resolved "
			    "tickets are not in the queue)");
		return 1;
	case ACT_UNDO:
		act_undo_flow(a, tui_current_ticket(a));
		return 1;
	case ACT_WAIT_TOGGLE:
		act_wait_flow(a, tui_current_ticket(a), ACT_W_TOGGLE);
		return 1;
	case ACT_WAIT:
		act_wait_flow(a, tui_current_ticket(a), ACT_W_START);
		return 1;
	case ACT_RESUME:
		act_wait_flow(a, tui_current_ticket(a), ACT_W_END);
		return 1;
	case ACT_EXCUSE:
		act_excuse_flow(a, tui_current_ticket(a), arg);
		return 1;
	case ACT_UNEXCUSE:
		act_unexcuse_flow(a, tui_current_ticket(a));
		return 1;
	case ACT_LINK:
		hyperlink_show(a, tui_current_ticket(a));
		return 1;
	case ACT_EDIT:
		if ((id = tui_current_ticket(a)) != 0)
			form_open_edit(a, id);
		else
			tui_message(a, ROLE_ERROR, "no ticket selected");
		return 1;
	case ACT_SEARCH:
	case ACT_FILTER:
	case ACT_MINE:
	case ACT_CLEAR:
	case ACT_SORT:
	case ACT_SORT_REVERSE:
	case ACT_ANSWERED:
		/* queue actions from another screen: back to the queue first */
		while (a->depth > 1)
			tui_pop(a);
		return view_queue.action(a, act, arg);
	default:
		return 0;
	}
}

static void dispatch(struct tui_app *a, enum tui_action act, const char *arg)
{
	const struct tui_view *v = tui_top(a);

	if (act == ACT_NONE)
		return;
	if (v->action != NULL && v->action(a, act, arg))
		return;
	if (!tui_global_action(a, act, arg))
		tui_message(a, ROLE_DIM, "not available here (? lists the keys)");
}

static void run_command(struct tui_app *a, const char *line)
{
	const struct keymap_command *c;
	char arg[LINE_MAX * 4];
	size_t n;

	while (*line == ' ' || *line == ':')
		line++;
	n = strcspn(line, " ");
	if (n == 0)
		return;
	if ((c = keymap_command_find(line, n)) == NULL) {
		tui_message(a, ROLE_ERROR, "unknown or ambiguous command '%.*s' (? lists "
		    "them)", (int)n, line);
		return;
	}
	line += n;
	while (*line == ' ')
		line++;
	snprintf(arg, sizeof arg, "%s", line);
	n = strlen(arg);
	while (n > 0 && arg[n - 1] == ' ')
		arg[--n] = '\0';
	if (c->args[0] != '\0' && c->args[0] != '[' && n == 0) {
		tui_message(a, ROLE_ERROR, "usage: :%s %s", c->name, c->args);
		return;
	}
	dispatch(a, c->action, n > 0 ? arg : NULL);
}

/* ---- keys and frames --------------------------------------------------------------- */

static void handle_key(struct tui_app *a, int is_key, wint_t ch)
{
	const struct tui_view *v = tui_top(a);
	int key = (int)ch;

	if (is_key && ch == KEY_RESIZE)
		return;		/* LINES and COLS are new; the next frame lays out */
	a->keys++;
	if (modal_key(a, is_key, ch))
		return;
	if (a->too_small) {
		if (!is_key && (ch == 'q' || ch == 'Q'))
			a->quit = 1;
		return;
	}
	if (v->input != NULL && v->input(a, is_key, ch))
		return;
	if (!is_key && ch > 0xff)
		key = 0;	/* no binding uses a non-ASCII character */
	dispatch(a, keymap_lookup(v->scope, key), NULL);
}

static void draw_too_small(void)
{
	char l1[80], l2[96];
	int y = LINES / 2 - 1;

	snprintf(l1, sizeof l1, "terminal too small: %dx%d", COLS, LINES);
	snprintf(l2, sizeof l2, "slatrack needs at least %dx%d (q quits)", TUI_MIN_COLS,
	    TUI_MIN_LINES);
	if (y < 0)
		y = 0;
	draw_text(y, COLS > (int)strlen(l1) ? (COLS - (int)strlen(l1)) / 2 : 0, COLS, l1,
	    A_BOLD, 0);
	if (y + 1 < LINES)
		draw_text(y + 1, COLS > (int)strlen(l2) ? (COLS - (int)strlen(l2)) / 2 : 0,
		    COLS, l2, A_NORMAL, 0);
}

static void frame(struct tui_app *a)
{
	a->cursor_y = -1;
	erase();
	a->too_small = COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES;
	if (a->too_small)
		draw_too_small();
	else {
		tui_top(a)->draw(a);
		modal_draw(a);
	}
	if (a->cursor_y >= 0) {
		curs_set(1);
		move(a->cursor_y, a->cursor_x);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
	hyperlink_emit(a);
}

/* The range of queue rows on screen, for model_tick. */
static void visible_range(const struct tui_app *a, size_t *from, size_t *to)
{
	size_t h = LINES > 5 ? (size_t)(LINES - 5) : 1;

	*from = a->q.top;
	*to = a->q.top + h;
}

/* ---- start and finish ----------------------------------------------------------------- */

/* Milliseconds since this process started (/proc; 0 when unknown). */
static double since_exec_ms(void)
{
	FILE *f = fopen("/proc/self/stat", "r");
	char line[1024], *p;
	unsigned long long start = 0;
	struct timespec now;
	long hz = sysconf(_SC_CLK_TCK);

	if (f == NULL)
		return 0;
	if (fgets(line, sizeof line, f) == NULL || (p = strrchr(line, ')')) == NULL) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* field 22 (starttime) is the 20th after the ')' */
	for (int i = 0; i < 20 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || hz <= 0)
		return 0;
	start = strtoull(p + 1, NULL, 10);
	clock_gettime(CLOCK_BOOTTIME, &now);
	return ((double)now.tv_sec + (double)now.tv_nsec / 1e9 - (double)start / (double)hz) *
	    1e3;
}

/* CPU time (user and system) used so far and page faults taken, for the
 * bench log: steadier figures than the wall clock on a busy machine. */
static double cpu_ms(long *faults)
{
	struct rusage ru;

	*faults = 0;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	*faults = ru.ru_minflt + ru.ru_majflt;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void replay_stderr(FILE *capture)
{
	char chunk[4096];
	size_t n;

	if (capture == NULL)
		return;
	fflush(stderr);
	rewind(capture);
	while ((n = fread(chunk, 1, sizeof chunk, capture)) > 0)
		fwrite(chunk, 1, n, stderr);
	fclose(capture);
}

static int app_init(struct tui_app *a, struct ctx *ctx, struct diag *d)
{
	int64_t pct = config_get_int(ctx->cfg, "sla", NULL, "at_risk");
	const char *zone = ctx->viewer_zone ? ctx->viewer_zone : "UTC";

	a->ctx = ctx;
	a->store = ctx->store;
	a->cfg = ctx->cfg;
	a->me = ctx->actor ? ctx->actor : "unknown";
	a->now_at = ctx->now_at;
	a->at_risk = pct > 0 && pct <= 100 ? (double)pct / 100.0 : SLA_AT_RISK_DEFAULT;
	a->sort = TRIAGE_SORT_TRIAGE;
	rows_filter_init(&a->filter);
	if ((a->viewer_tz = tz_load(zone, d)) == NULL &&
	    (a->viewer_tz = tz_load("UTC", d)) == NULL)
		return -1;
	a->data_version = store_data_version(a->store);
	switch (model_load_first(a, d)) {
	case 1: return 0;	/* the rest after the first paint: load_rest */
	case 0: return model_load(a, d);
	default: return -1;
	}
}

/* After a first paint of the first screen only (model_load_first): the
 * whole queue, painted again before the first key is read, the selection
 * where a whole first load leaves it (the top row). */
static void load_rest(struct tui_app *a)
{
	struct diag d;

	diag_clear(&d);
	if (model_load(a, &d) < 0) {
		/* the first screen stays; the next tick tries again (model_poll) */
		tui_message(a, ROLE_ERROR, "cannot read the database: %s", d.msg);
		a->reload_pending = 1;
		return;
	}
	a->q.sel = a->q.top = 0;
	a->q.sel_id = 0;
	a->q.widths_valid = 0;
}

static void app_release(struct tui_app *a)
{
	while (a->depth > 0) {
		a->depth--;
		if (a->stack[a->depth]->leave != NULL)
			a->stack[a->depth]->leave(a);
	}
	modal_close(a);
	model_free(&a->model);
	store_partner_list_free(a->partners, a->npartners);
	tz_free(a->viewer_tz);
}

int tui_run(struct ctx *ctx)
{
	struct tui_app *a = calloc(1, sizeof *a);
	const char *bench_path = getenv("SLATRACK_TUI_BENCH");
	const char *no_color = getenv("NO_COLOR");
	FILE *bench = NULL, *capture = NULL;
	SCREEN *scr;
	struct diag d;
	int64_t t0 = mono_us(), start_us, last_sec = -1;
	int saved;

	diag_clear(&d);
	if (a == NULL) {
		fputs("slatrack: out of memory\n", stderr);
		return 4;
	}
	if (app_init(a, ctx, &d) < 0) {
		fprintf(stderr, "slatrack: %s\n", d.msg);
		app_release(a);
		free(a);
		return diag_exit_status(d.code == DIAG_OK ? DIAG_STORE : d.code);
	}
	if (bench_path != NULL && *bench_path != '\0')
		bench = fopen(bench_path, "a");
	a->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	/* stderr into a temporary file while curses owns the terminal */
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (saved >= 0 && (capture = tmpfile()) != NULL &&
	    dup2(fileno(capture), STDERR_FILENO) >= 0)
		tui_stderr_fd = saved;
	else {
		if (capture != NULL)
			fclose(capture);
		capture = NULL;
		if (saved >= 0)
			close(saved);
	}
	set_signals();
	atexit(teardown_terminal);
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		teardown_terminal();
		replay_stderr(capture);
		fprintf(stderr, "slatrack: cannot use the terminal (TERM=%s)\n",
		    getenv("TERM") ? getenv("TERM") : "");
		reset_signals();
		app_release(a);
		free(a);
		return 4;
	}
	set_term(scr);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	home_end_keys();
	set_escdelay(25);
	color_init(no_color != NULL && *no_color != '\0');
	draw_setup(a->utf8);

	tui_push(a, &view_queue);
	start_us = mono_us();
	a->mono_ms = start_us / 1000;
	/* model_load ordered only the first ROWS_FIRST_SCREEN rows: enough
	 * for any screen but an absurdly tall one */
	if (LINES > ROWS_FIRST_SCREEN) {
		if (a->model.partial)
			load_rest(a);	/* a screen taller than the first read */
		else
			model_resort(a);
	}
	frame(a);
	if (getenv("SLATRACK_TUI_STDERR_TEST") != NULL)	/* tests/tui/t008-live.sh */
		fputs("slatrack: stderr test: written while curses ran\n", stderr);
	if (bench != NULL) {
		long faults;
		double cpu = cpu_ms(&faults);

		fprintf(bench, "tickets %zu\nload_ms %.1f\nfirst_paint_ms %.1f\n"
		    "first_paint_since_exec_ms %.0f\nfirst_paint_cpu_ms %.0f\n"
		    "first_paint_faults %ld\n", a->model.n, a->model.load_ms,
		    (double)(mono_us() - t0) / 1e3, since_exec_ms(), cpu, faults);
		fflush(bench);
	}
	/* now the whole queue in order, before any key needs it */
	if (a->model.partial) {
		load_rest(a);
		frame(a);
		if (bench != NULL) {
			long faults;
			double cpu = cpu_ms(&faults);

			fprintf(bench, "full_load_ms %.1f\nfull_paint_ms %.1f\n"
			    "full_paint_since_exec_ms %.0f\nfull_paint_cpu_ms %.0f\n",
			    a->model.load_ms, (double)(mono_us() - t0) / 1e3, since_exec_ms(), cpu);
			fflush(bench);
		}
	} else if (LINES <= ROWS_FIRST_SCREEN)
		model_resort(a);

	while (!a->quit && !tui_signal) {
		int64_t now_us = mono_us(), elapsed_us = now_us - start_us;
		int64_t sec = elapsed_us / 1000000;
		int r, wait_ms, idle;
		wint_t ch = 0;

		a->mono_ms = now_us / 1000;
		a->now_at = ctx->now_at + sec;
		if (sec != last_sec) {
			size_t from, to;

			/* the second ticked: other writers, states, countdowns */
			last_sec = sec;
			model_poll(a);
			visible_range(a, &from, &to);
			model_tick(a, from, to);
			frame(a);
		}
		wait_ms = (int)(1000 - (elapsed_us % 1000000) / 1000);
		/* idle work (the search text of a big queue) in small slices
		 * between keys, so a key never waits long for it */
		idle = a->model.hay_done < a->model.n;
		timeout(idle ? 0 : wait_ms < 1 ? 1 : wait_ms);
		r = get_wch(&ch);
		if (r == ERR) {
			if (idle)
				model_build_hay(a, 4096);
			continue;	/* the second is up, or a signal */
		}
		now_us = mono_us();
		a->now_at = ctx->now_at + (now_us - start_us) / 1000000;
		handle_key(a, r == KEY_CODE_YES, ch);
		if (a->reload_pending)
			model_poll(a);
		if (a->quit)
			break;
		frame(a);
		if (bench != NULL) {
			const char *name = r == KEY_CODE_YES ? keyname((int)ch) : NULL;
			char tmp[8];

			if (name == NULL) {
				snprintf(tmp, sizeof tmp, ch >= 0x20 && ch < 0x7f ? "%c" : "0x%02x",
				    (int)ch);
				name = tmp;
			}
			fprintf(bench, "key %s %.2f\n", name, (double)(mono_us() - now_us) / 1e3);
			fflush(bench);
		}
	}
	endwin();
	teardown_terminal();
	delscreen(scr);
	replay_stderr(capture);
	reset_signals();
	if (bench != NULL) {
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		fprintf(bench, "peak_rss_kb %ld\n", ru.ru_maxrss);
		fclose(bench);
	}
	app_release(a);
	free(a);
	return 0;
}
