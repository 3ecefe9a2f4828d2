/* draw.h: width-aware text on the screen.
 *
 * Every string reaching the terminal goes through draw_text: sanitised
 * (text.h: ESC shows as ^[, C1 as <U+009B>, bad UTF-8 as U+FFFD), measured
 * in display columns (wcwidth: CJK and most emoji take two), cut on a
 * character boundary with an ellipsis, and written as wide characters.
 * Nothing else in tui/ writes text to curses, so customer text is inert.
 * In a locale that is not UTF-8 every non-ASCII character shows as '?'.
 */
#ifndef SLATRACK_TUI_DRAW_H
#define SLATRACK_TUI_DRAW_H

#include "curs.h"

enum draw_flags {
	DRAW_PAD = 1 << 0,	/* fill the rest of width with spaces */
	DRAW_RIGHT = 1 << 1	/* with DRAW_PAD: align right */
};

void draw_setup(int utf8);
int draw_utf8(void);
/* Draws s at (y, x) in at most width columns with attr; returns the
 * columns used (width when padded). */
int draw_text(int y, int x, int width, const char *s, attr_t attr, unsigned flags);
/* Spaces over [x, x + width) of line y. */
void draw_fill(int y, int x, int width, attr_t attr);
/* A frame with line-drawing characters; the inside is cleared. */
void draw_box(int y, int x, int h, int w, attr_t attr);

#endif
