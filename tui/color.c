/* color.c: the semantic colour table; see color.h. */
#include "color.h"

static const struct {
	short fg, bg;		/* -1: the terminal's default */
	attr_t attr;		/* with colours */
	attr_t mono;		/* without */
} roles[NROLES] = {
	[ROLE_NORMAL]    = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_TITLE]     = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_HEADING]   = { -1, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_DIM]       = { -1, -1, A_DIM, A_DIM },
	[ROLE_KEY]       = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[ROLE_SELECTED]  = { -1, -1, A_REVERSE, A_REVERSE },
	[ROLE_BREACHED]  = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[ROLE_AT_RISK]   = { COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE },
	[ROLE_ON_TRACK]  = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[ROLE_MET]       = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[ROLE_NOT_TIMED] = { -1, -1, A_DIM, A_DIM },
	[ROLE_WEEKEND]   = { COLOR_BLUE, -1, A_BOLD, A_DIM },
	[ROLE_HOLIDAY]   = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[ROLE_MAKEUP]    = { COLOR_CYAN, -1, A_UNDERLINE, A_UNDERLINE },
	[ROLE_CLOSURE]   = { COLOR_YELLOW, -1, A_NORMAL, A_UNDERLINE },
	[ROLE_TODAY]     = { COLOR_BLACK, COLOR_WHITE, A_BOLD, A_REVERSE },
	[ROLE_DEADLINE]  = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[ROLE_ERROR]     = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_OK]        = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_INPUT]     = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[ROLE_FRAME]     = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
};

static int mono = 1;

void color_init(int want_mono)
{
	mono = 1;
	if (want_mono || !has_colors() || start_color() == ERR || COLORS < 8)
		return;
	use_default_colors();
	for (int r = 1; r < NROLES; r++)
		init_pair((short)r, roles[r].fg, roles[r].bg);
	mono = 0;
}

int color_mono(void)
{
	return mono;
}

attr_t color_attr(enum tui_role r)
{
	if ((unsigned)r >= NROLES)
		r = ROLE_NORMAL;
	if (mono)
		return roles[r].mono;
	if (roles[r].fg == -1 && roles[r].bg == -1)
		return roles[r].attr;
	return roles[r].attr | COLOR_PAIR(r);
}

enum tui_role color_state_role(enum sla_state s)
{
	switch (s) {
	case SLA_BREACHED: return ROLE_BREACHED;
	case SLA_AT_RISK: return ROLE_AT_RISK;
	case SLA_ON_TRACK: return ROLE_ON_TRACK;
	case SLA_MET:
	case SLA_RESPONDED: return ROLE_MET;
	default: return ROLE_NOT_TIMED;
	}
}
