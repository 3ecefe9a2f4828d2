/* color.h: semantic colour roles.  Screens ask for a role ("breached",
 * "holiday"), never for a colour; one table maps each role to a colour
 * pair and attributes, with a monochrome column used when the terminal
 * has no colours or NO_COLOR is set (https://no-color.org): the form then
 * still reads through bold, underline, reverse and the state marks. */
#ifndef SLATRACK_TUI_COLOR_H
#define SLATRACK_TUI_COLOR_H

#include "curs.h"
#include "sla.h"

enum tui_role {
	ROLE_NORMAL, ROLE_TITLE, ROLE_HEADING, ROLE_DIM, ROLE_KEY, ROLE_SELECTED,
	ROLE_BREACHED, ROLE_AT_RISK, ROLE_ON_TRACK, ROLE_MET, ROLE_NOT_TIMED,
	ROLE_WEEKEND, ROLE_HOLIDAY, ROLE_MAKEUP, ROLE_CLOSURE, ROLE_TODAY,
	ROLE_DEADLINE, ROLE_ERROR, ROLE_OK, ROLE_INPUT, ROLE_FRAME,
	NROLES
};

/* After initscr: colours when the terminal has them and want_mono is 0. */
void color_init(int want_mono);
int color_mono(void);
attr_t color_attr(enum tui_role r);	/* attributes with the pair folded in */
enum tui_role color_state_role(enum sla_state s);

#endif
