/* curs.h: the only file that includes curses (wide-character ncurses,
 * linked through pkg-config ncursesw).  Every tui/ file that needs curses
 * includes this instead of <curses.h>. */
#ifndef SLATRACK_TUI_CURS_H
#define SLATRACK_TUI_CURS_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
