/* keymap.c: the key table; see keymap.h. */
#include "keymap.h"

#include <string.h>

#include "curs.h"

enum { K_CTRL_B = 2, K_CTRL_F = 6, K_CTRL_L = 12, K_ESC = 27 };
#define MOVE (KS_QUEUE | KS_TICKET | KS_PARTNERS | KS_HELP)
#define ONTICKET (KS_QUEUE | KS_TICKET)

/* Order matters: the first match wins, so screen-specific bindings come
 * before the general ones. */
static const struct keymap_binding table[] = {
	/* the calendar grid moves a day cursor */
	{ KS_CALENDAR, KEY_LEFT, "Left", ACT_LEFT, "previous day", NULL },
	{ KS_CALENDAR, 'h', "h", ACT_LEFT, "previous day", NULL },
	{ KS_CALENDAR, KEY_RIGHT, "Right", ACT_RIGHT, "next day", NULL },
	{ KS_CALENDAR, 'l', "l", ACT_RIGHT, "next day", NULL },
	{ KS_CALENDAR, KEY_UP, "Up", ACT_UP, "previous week", NULL },
	{ KS_CALENDAR, 'k', "k", ACT_UP, "previous week", NULL },
	{ KS_CALENDAR, KEY_DOWN, "Down", ACT_DOWN, "next week", NULL },
	{ KS_CALENDAR, 'j', "j", ACT_DOWN, "next week", NULL },
	{ KS_CALENDAR, '<', "<", ACT_PREV_MONTH, "previous month", "< > month" },
	{ KS_CALENDAR, ',', ",", ACT_PREV_MONTH, "previous month", NULL },
	{ KS_CALENDAR, KEY_PPAGE, "PgUp", ACT_PREV_MONTH, "previous month", NULL },
	{ KS_CALENDAR, '>', ">", ACT_NEXT_MONTH, "next month", NULL },
	{ KS_CALENDAR, '.', ".", ACT_NEXT_MONTH, "next month", NULL },
	{ KS_CALENDAR, KEY_NPAGE, "PgDn", ACT_NEXT_MONTH, "next month", NULL },
	{ KS_CALENDAR, 't', "t", ACT_TODAY, "back to today", "t today" },

	/* moving in lists and pages */
	{ MOVE, KEY_UP, "Up", ACT_UP, "move up", NULL },
	{ MOVE, 'k', "k", ACT_UP, "move up", NULL },
	{ MOVE, KEY_DOWN, "Down", ACT_DOWN, "move down", NULL },
	{ MOVE, 'j', "j", ACT_DOWN, "move down", NULL },
	{ MOVE, KEY_PPAGE, "PgUp", ACT_PGUP, "page up", NULL },
	{ MOVE, K_CTRL_B, "Ctrl-B", ACT_PGUP, "page up", NULL },
	{ MOVE, KEY_NPAGE, "PgDn", ACT_PGDN, "page down", NULL },
	{ MOVE, K_CTRL_F, "Ctrl-F", ACT_PGDN, "page down", NULL },
	{ MOVE, ' ', "Space", ACT_PGDN, "page down", NULL },
	{ MOVE, KEY_HOME, "Home", ACT_TOP, "first line", NULL },
	{ MOVE, 'g', "g", ACT_TOP, "first line", NULL },
	{ MOVE, KEY_END, "End", ACT_BOTTOM, "last line", NULL },
	{ MOVE, 'G', "G", ACT_BOTTOM, "last line", NULL },

	/* the queue */
	{ KS_QUEUE, '\n', "Enter", ACT_OPEN, "open the selected ticket", "Enter open" },
	{ KS_QUEUE, '\r', "Enter", ACT_OPEN, "open the selected ticket", NULL },
	{ KS_QUEUE, KEY_ENTER, "Enter", ACT_OPEN, "open the selected ticket", NULL },
	{ KS_QUEUE, '/', "/", ACT_SEARCH, "search key, summary, customer and partner "
	    "as you type", "/ search" },
	{ KS_QUEUE, 'f', "f", ACT_FILTER, "filter by partner, assignee, severity, state "
	    "or mine", "f filter" },
	{ KS_QUEUE, 'm', "m", ACT_MINE, "only my tickets (toggle)", NULL },
	{ KS_QUEUE, 'F', "F", ACT_CLEAR, "clear the search and every filter", NULL },
	{ KS_QUEUE, K_ESC, "Esc", ACT_CLEAR, "clear the search and every filter", NULL },
	{ KS_QUEUE, 's', "s", ACT_SORT, "sort by the next column (first: the triage "
	    "order)", "s sort" },
	{ KS_QUEUE, 'S', "S", ACT_SORT_REVERSE, "reverse the sort", NULL },
	/* n is "next match" as in vi, less and mutt; a new ticket is + */
	{ KS_QUEUE, 'n', "n", ACT_NEXT_MATCH, "next ticket that matches the search "
	    "(wraps to the first)", NULL },
	{ KS_QUEUE, '+', "+", ACT_NEW, "new ticket", "+ new" },
	{ KS_QUEUE, 'H', "H", ACT_ANSWERED, "show or hide the answered tickets",
	    "H answered" },

	/* a ticket: selected in the queue or open */
	{ ONTICKET, 'r', "r", ACT_RESPOND, "record the first response (stops the SLA "
	    "clock): Enter for now, or type when (2026-12-01 09:30 in your zone, or "
	    "ISO 8601 with an offset)", "r respond" },
	{ ONTICKET, 'a', "a", ACT_ASSIGN_ME, "assign to me (asks first when someone "
	    "else has it)", "a take" },
	{ ONTICKET, 'u', "u", ACT_UNDO, "undo the ticket's last change (respond, "
	    "resolve, reopen, assign, edit; not a note), after a [y/N]", NULL },
	{ ONTICKET, 'A', "A", ACT_ASSIGN, "assign to someone (pick or type a name)", NULL },
	{ ONTICKET, 'N', "N", ACT_NOTE, "add a note", "N note" },
	{ ONTICKET, 'w', "w", ACT_WAIT_TOGGLE, "waiting on the customer (toggle): w stops "
	    "the resolution clock (and the response clock where the partner pauses it), w "
	    "again resumes and moves the deadlines by the working time waited", NULL },
	{ ONTICKET, 'x', "x", ACT_RESOLVE, "resolve (ends a wait)", NULL },
	{ ONTICKET, 'R', "R", ACT_REOPEN, "reopen a resolved ticket", NULL },
	{ ONTICKET, 'e', "e", ACT_EDIT, "edit severity or partner (shows the deadline "
	    "move first)", NULL },
	{ ONTICKET, 'c', "c", ACT_CALENDAR, "the calendar of the ticket's partner", NULL },
	{ ONTICKET, 'o', "o", ACT_LINK, "the ticket in its helpdesk: the link on the status "
	    "line, to open (OSC 8) or copy (OSC 52) where the terminal allows", NULL },

	/* partners */
	{ KS_PARTNERS, '\n', "Enter", ACT_CALENDAR, "the partner's month calendar",
	    "Enter calendar" },
	{ KS_PARTNERS, '\r', "Enter", ACT_CALENDAR, "the partner's month calendar", NULL },
	{ KS_PARTNERS, KEY_ENTER, "Enter", ACT_CALENDAR, "the partner's month calendar",
	    NULL },
	{ KS_PARTNERS, 'c', "c", ACT_CALENDAR, "the partner's month calendar", NULL },

	/* everywhere */
	{ KS_SCREENS & ~KS_QUEUE, K_ESC, "Esc", ACT_BACK, "back to the previous screen", NULL },
	{ KS_SCREENS & ~KS_QUEUE, KEY_BACKSPACE, "Backspace", ACT_BACK, "back to the "
	    "previous screen", NULL },
	{ KS_SCREENS, 'Q', "Q", ACT_QUIT, "quit from any screen", NULL },
	{ KS_SCREENS & ~KS_PARTNERS, 'p', "p", ACT_PARTNERS, "partners and their working "
	    "time", "p partners" },
	{ KS_SCREENS, '?', "?", ACT_HELP, "this help", "? help" },
	{ KS_SCREENS, KEY_F(1), "F1", ACT_HELP, "this help", NULL },
	{ KS_SCREENS, ':', ":", ACT_COMMAND, "command line (less common actions, below)",
	    ": command" },
	{ KS_SCREENS, K_CTRL_L, "Ctrl-L", ACT_REDRAW, "redraw the screen", NULL },
	{ KS_QUEUE, 'q', "q", ACT_QUIT, "quit", "q quit" },
	{ KS_SCREENS & ~KS_QUEUE, 'q', "q", ACT_BACK, "back to the previous screen",
	    "q back" },

	/* keys that the form and the line editor read themselves */
	{ KS_FORM, 0, "Tab, Down, Enter", ACT_NONE, "next field", NULL },
	{ KS_FORM, 0, "Shift-Tab, Up", ACT_NONE, "previous field", NULL },
	{ KS_FORM, 0, "Enter or a letter", ACT_NONE, "on Partner: pick the partner "
	    "(type to narrow the list)", NULL },
	{ KS_FORM, 0, "Left, Right, c h m l", ACT_NONE, "on Severity: change it", NULL },
	{ KS_FORM, 0, "Enter on [Save], F2", ACT_NONE, "save (a moved deadline asks "
	    "first)", NULL },
	{ KS_FORM, 0, "Esc", ACT_NONE, "cancel", NULL },
	{ KS_LINE, 0, "Left, Right", ACT_NONE, "move the cursor", NULL },
	{ KS_LINE, 0, "Home/End, Ctrl-A/E", ACT_NONE, "start, end of the line", NULL },
	{ KS_LINE, 0, "Backspace, Delete", ACT_NONE, "delete a character", NULL },
	{ KS_LINE, 0, "Ctrl-U, Ctrl-W", ACT_NONE, "delete the line, the word before "
	    "the cursor", NULL },
	{ KS_LINE, 0, "Enter, Esc", ACT_NONE, "accept, cancel (a search: Esc restores "
	    "the old one)", NULL },
	{ KS_LINE, 0, "y, n", ACT_NONE, "answer a confirmation (anything but y is no)",
	    NULL },
};

const struct keymap_binding *keymap_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}

enum tui_action keymap_lookup(unsigned scope, int key)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if ((table[i].scope & scope) && table[i].key != 0 && table[i].key == key)
			return table[i].action;
	return ACT_NONE;
}

const char *keymap_scope_name(unsigned scope)
{
	switch (scope) {
	case KS_QUEUE: return "Queue";
	case KS_TICKET: return "Ticket";
	case KS_PARTNERS: return "Partners";
	case KS_CALENDAR: return "Calendar";
	case KS_HELP: return "Help";
	case KS_FORM: return "New ticket and edit forms";
	case KS_LINE: return "Typing a line (search, note, command, pickers)";
	default: return "?";
	}
}

static const struct keymap_command commands[] = {
	{ "open", "TICKET", ACT_OPEN, "open a ticket by number or key, resolved ones too" },
	{ "new", "", ACT_NEW, "new ticket" },
	{ "respond", "", ACT_RESPOND, "record the first response" },
	{ "assign", "[USER]", ACT_ASSIGN, "assign to USER (no USER: pick)" },
	{ "unassign", "", ACT_UNASSIGN, "remove the assignee" },
	{ "note", "TEXT", ACT_NOTE, "add a note" },
	{ "resolve", "", ACT_RESOLVE, "resolve the ticket" },
	{ "reopen", "[TICKET]", ACT_REOPEN, "reopen a resolved ticket" },
	{ "edit", "", ACT_EDIT, "edit severity or partner" },
	{ "wait", "", ACT_WAIT, "waiting on the customer (w toggles): the clocks it "
	    "pauses stand still" },
	{ "resume", "", ACT_RESUME, "the customer answered: the clocks run again, their "
	    "deadlines moved by the working time waited" },
	{ "excuse", "[ref=KEY] REASON", ACT_EXCUSE, "excuse the breach of a breached or "
	    "at-risk ticket (KEY: the incident ticket); again: a new reason" },
	{ "unexcuse", "", ACT_UNEXCUSE, "take the excuse back" },
	{ "search", "TEXT", ACT_SEARCH, "search the queue" },
	{ "filter", "[partner=K] [assignee=U] [severity=S] [state=S] [mine]", ACT_FILTER,
	    "set filters (no argument: the filter menu)" },
	{ "clear", "", ACT_CLEAR, "clear the search and filters" },
	{ "sort", "[-]triage|key|partner|severity|summary|assignee|state|due|remaining|"
	    "created|id", ACT_SORT, "sort the queue by a column (-: reversed)" },
	{ "answered", "", ACT_ANSWERED, "show or hide the answered tickets" },
	{ "partners", "", ACT_PARTNERS, "the partners screen" },
	{ "calendar", "[PARTNER]", ACT_CALENDAR, "a partner's month calendar" },
	{ "refresh", "", ACT_RELOAD, "read the database again now" },
	{ "help", "", ACT_HELP, "this help" },
	{ "quit", "", ACT_QUIT, "quit" },
};

const struct keymap_command *keymap_commands(size_t *n)
{
	*n = sizeof commands / sizeof commands[0];
	return commands;
}

const struct keymap_command *keymap_command_find(const char *name, size_t len)
{
	const struct keymap_command *found = NULL;

	if (len == 0)
		return NULL;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strncmp(commands[i].name, name, len) != 0)
			continue;
		if (commands[i].name[len] == '\0')
			return &commands[i];
		if (found != NULL)
			return NULL;	/* ambiguous */
		found = &commands[i];
	}
	return found;
}
