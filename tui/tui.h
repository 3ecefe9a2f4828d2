/* tui.h: the triage TUI (issue 4), the screen support staff live in.
 *
 * `slatrack` with no command on a terminal calls tui_run after opening
 * the store.  Everything else in tui/ is internal (app.h).
 */
#ifndef SLATRACK_TUI_H
#define SLATRACK_TUI_H

struct ctx;

/* Runs the TUI on ctx->store until the user quits (or SIGINT, SIGTERM,
 * SIGHUP); the terminal is restored on every way out, and whatever was
 * written to stderr meanwhile is replayed afterwards.  Returns the exit
 * status (0, or 4 when the terminal or the database cannot be used).
 *
 * SLATRACK_TUI_BENCH=FILE appends timings to FILE: the first paint, each
 * key's redraw, and the peak memory at exit (bench/tui-bench.sh).
 * SLATRACK_TUI_STDERR_TEST writes a line to stderr once the screen is up,
 * for the test that stderr is held and replayed after endwin. */
int tui_run(struct ctx *ctx);

#endif
