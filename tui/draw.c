/* draw.c: width-aware text on the screen; see draw.h. */
#include "draw.h"

#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "rows.h"
#include "text.h"
#include "ticketfmt.h"

#define DRAW_MAX 1024

static int utf8_ok = 1;

void draw_setup(int utf8)
{
	utf8_ok = utf8;
}

int draw_utf8(void)
{
	return utf8_ok;
}

/* Sanitised text with every non-ASCII character replaced by '?'. */
static void ascii_only(const char *s, struct buf *out)
{
	struct buf b = BUF_INIT;
	const unsigned char *p;
	size_t i = 0;

	text_add_safe(&b, s, 0);
	p = (const unsigned char *)buf_str(&b);
	while (i < b.len) {
		unsigned cp;
		size_t n = text_utf8_len(p + i, b.len - i, &cp);

		buf_addc(out, n == 1 ? (char)cp : '?');
		i += n ? n : 1;
	}
	buf_release(&b);
}

int draw_text(int y, int x, int width, const char *s, attr_t attr, unsigned flags)
{
	struct buf b = BUF_INIT, a = BUF_INIT;
	wchar_t w[DRAW_MAX + 1];
	const unsigned char *p;
	size_t i = 0, k = 0, used;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (width > COLS - x)
		width = COLS - x;	/* never wrap onto the next line */
	if (width <= 0)
		return 0;
	if (width > DRAW_MAX / 2)
		width = DRAW_MAX / 2;
	if (s == NULL)
		s = "";
	if (!utf8_ok) {
		ascii_only(s, &a);
		s = buf_str(&a);
	}
	if (flags & DRAW_PAD)
		used = rows_fit(&b, s, (size_t)width, (flags & DRAW_RIGHT) != 0);
	else
		used = ticketfmt_fit(&b, s, (size_t)width);
	p = (const unsigned char *)buf_str(&b);
	while (i < b.len && k < DRAW_MAX) {
		unsigned cp;
		size_t n = text_utf8_len(p + i, b.len - i, &cp);

		if (n == 0) {
			n = 1;
			cp = 0xfffd;
		}
		if (!utf8_ok && cp >= 0x80)
			cp = cp == 0x2026 ? '.' : '?';
		else if (cp >= 0x80 && wcwidth((wchar_t)cp) < 0)
			cp = 0xfffd;	/* unknown to the locale: keep the column count */
		w[k++] = (wchar_t)cp;
		i += n;
	}
	w[k] = L'\0';
	attrset(attr);
	mvaddnwstr(y, x, w, (int)k);
	attrset(A_NORMAL);
	buf_release(&b);
	buf_release(&a);
	return (int)used;
}

void draw_fill(int y, int x, int width, attr_t attr)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (width > COLS - x)
		width = COLS - x;
	if (width <= 0)
		return;
	attrset(attr);
	mvhline(y, x, ' ', width);
	attrset(A_NORMAL);
}

/* Line drawing: Unicode box characters in a UTF-8 locale (they survive
 * terminals and multiplexers that mangle the alternate character set),
 * the curses ACS otherwise. */
static void draw_hline_(int y, int x, int n, attr_t attr)
{
	if (utf8_ok) {
		for (int i = 0; i < n; i++)
			draw_text(y, x + i, 1, "\xe2\x94\x80", attr, 0);
	} else {
		attrset(attr);
		mvhline(y, x, ACS_HLINE, n);
		attrset(A_NORMAL);
	}
}

static void corner(int y, int x, const char *u, chtype acs, attr_t attr)
{
	if (utf8_ok)
		draw_text(y, x, 1, u, attr, 0);
	else {
		attrset(attr);
		mvaddch(y, x, acs);
		attrset(A_NORMAL);
	}
}

void draw_box(int y, int x, int h, int w, attr_t attr)
{
	if (h < 2 || w < 2)
		return;
	for (int r = y + 1; r < y + h - 1; r++) {
		draw_fill(r, x + 1, w - 2, A_NORMAL);
		corner(r, x, "\xe2\x94\x82", ACS_VLINE, attr);
		corner(r, x + w - 1, "\xe2\x94\x82", ACS_VLINE, attr);
	}
	draw_hline_(y, x + 1, w - 2, attr);
	draw_hline_(y + h - 1, x + 1, w - 2, attr);
	corner(y, x, "\xe2\x94\x8c", ACS_ULCORNER, attr);
	corner(y, x + w - 1, "\xe2\x94\x90", ACS_URCORNER, attr);
	corner(y + h - 1, x, "\xe2\x94\x94", ACS_LLCORNER, attr);
	corner(y + h - 1, x + w - 1, "\xe2\x94\x98", ACS_LRCORNER, attr);
}
