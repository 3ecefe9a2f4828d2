/* keymap.h: every key of the TUI in one table.
 *
 * A key press becomes an action through keymap_lookup(scope, key); the
 * screens act on actions, never on raw keys (the new-ticket form and line
 * editing aside, whose keys are documented here as entries without a
 * key code).  The help screen and the footers are generated from this
 * table, and so are the ':' commands' help lines, so the documentation
 * cannot drift from the bindings.
 */
#ifndef SLATRACK_TUI_KEYMAP_H
#define SLATRACK_TUI_KEYMAP_H

#include <stddef.h>

enum tui_action {
	ACT_NONE,
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOP, ACT_BOTTOM, ACT_LEFT, ACT_RIGHT,
	ACT_OPEN, ACT_BACK, ACT_QUIT,
	ACT_SEARCH, ACT_NEXT_MATCH, ACT_FILTER, ACT_MINE, ACT_CLEAR, ACT_SORT,
	ACT_SORT_REVERSE, ACT_ANSWERED,
	ACT_NEW, ACT_RESPOND, ACT_ASSIGN_ME, ACT_ASSIGN, ACT_UNASSIGN, ACT_NOTE,
	ACT_RESOLVE, ACT_REOPEN, ACT_EDIT, ACT_UNDO, ACT_LINK,
	ACT_WAIT_TOGGLE, ACT_WAIT, ACT_RESUME, ACT_EXCUSE, ACT_UNEXCUSE,
	ACT_PARTNERS, ACT_CALENDAR, ACT_HELP, ACT_COMMAND, ACT_REDRAW, ACT_RELOAD,
	ACT_PREV_MONTH, ACT_NEXT_MONTH, ACT_TODAY,
	ACT_NACTIONS
};

/* Where a binding applies: one bit per screen. */
enum keymap_scope {
	KS_QUEUE = 1 << 0,
	KS_TICKET = 1 << 1,
	KS_PARTNERS = 1 << 2,
	KS_CALENDAR = 1 << 3,
	KS_HELP = 1 << 4,
	KS_FORM = 1 << 5,	/* documentation only: the form reads keys itself */
	KS_LINE = 1 << 6,	/* documentation only: line editing */
	KS_SCREENS = KS_QUEUE | KS_TICKET | KS_PARTNERS | KS_CALENDAR | KS_HELP
};

struct keymap_binding {
	unsigned scope;		/* enum keymap_scope bits */
	int key;		/* a character or a KEY_* code; 0: documentation only */
	const char *name;	/* how the help screen writes the key */
	enum tui_action action;
	const char *help;	/* what it does */
	const char *footer;	/* short label for the footer, or NULL */
};

const struct keymap_binding *keymap_table(size_t *n);
/* The action of key on the screen with scope bit `scope`; ACT_NONE. */
enum tui_action keymap_lookup(unsigned scope, int key);
/* "Queue", "Ticket", ... for one scope bit. */
const char *keymap_scope_name(unsigned scope);

/* The ':' command line. */
struct keymap_command {
	const char *name;
	const char *args;	/* "" when none */
	enum tui_action action;
	const char *help;
};
const struct keymap_command *keymap_commands(size_t *n);
/* Exact name, or an unambiguous prefix of one. */
const struct keymap_command *keymap_command_find(const char *name, size_t len);

#endif
