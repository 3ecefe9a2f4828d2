/* widget.c: the line editor and the modal prompts (a line, a yes/no
 * question, a pick list); see app.h. */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "draw.h"
#include "text.h"

enum {
	K_CTRL_A = 1, K_CTRL_E = 5, K_BS = 8, K_TAB = 9, K_LF = 10, K_CR = 13,
	K_CTRL_U = 21, K_CTRL_W = 23, K_ESC = 27, K_DEL = 127
};

/* ---- the line editor ----------------------------------------------------- */

void line_set(struct tui_line *l, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
	size_t len = strlen((const char *)p), i = 0;

	l->len = 0;
	while (i < len && l->len < LINE_MAX) {
		unsigned cp;
		size_t n = text_utf8_len(p + i, len - i, &cp);

		if (n == 0) {
			n = 1;
			cp = 0xfffd;
		}
		if (cp >= 0x20 && cp != 0x7f)
			l->s[l->len++] = (wchar_t)cp;
		i += n;
	}
	l->s[l->len] = L'\0';
	l->cur = l->len;
}

static size_t put_utf8(unsigned cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return put_utf8(0xfffd, o);
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void range_utf8(const struct tui_line *l, size_t from, size_t to, char *out,
		       size_t size)
{
	size_t k = 0;

	for (size_t i = from; i < to; i++) {
		char tmp[4];
		size_t n = put_utf8((unsigned)l->s[i], tmp);

		if (k + n >= size)
			break;
		memcpy(out + k, tmp, n);
		k += n;
	}
	out[k] = '\0';
}

void line_utf8(const struct tui_line *l, char *out, size_t size)
{
	range_utf8(l, 0, l->len, out, size);
}

enum line_result line_key(struct tui_line *l, int is_key, wint_t ch)
{
	if (is_key) {
		switch (ch) {
		case KEY_LEFT:
			if (l->cur > 0)
				l->cur--;
			return LINE_MOVED;
		case KEY_RIGHT:
			if (l->cur < l->len)
				l->cur++;
			return LINE_MOVED;
		case KEY_HOME:
			l->cur = 0;
			return LINE_MOVED;
		case KEY_END:
			l->cur = l->len;
			return LINE_MOVED;
		case KEY_BACKSPACE:
			ch = K_DEL;
			break;
		case KEY_DC:
			if (l->cur >= l->len)
				return LINE_NOP;
			memmove(l->s + l->cur, l->s + l->cur + 1,
			    (l->len - l->cur) * sizeof l->s[0]);
			l->len--;
			return LINE_CHANGED;
		case KEY_ENTER:
			return LINE_ENTER;
		default:
			return LINE_OTHER;
		}
	}
	switch (ch) {
	case K_LF:
	case K_CR:
		return LINE_ENTER;
	case K_ESC:
		return LINE_CANCEL;
	case K_DEL:
	case K_BS:
		if (l->cur == 0)
			return LINE_NOP;
		memmove(l->s + l->cur - 1, l->s + l->cur, (l->len - l->cur + 1) * sizeof l->s[0]);
		l->cur--;
		l->len--;
		return LINE_CHANGED;
	case K_CTRL_A:
		l->cur = 0;
		return LINE_MOVED;
	case K_CTRL_E:
		l->cur = l->len;
		return LINE_MOVED;
	case K_CTRL_U:
		l->len = l->cur = 0;
		l->s[0] = L'\0';
		return LINE_CHANGED;
	case K_CTRL_W: {
		size_t from = l->cur;

		while (from > 0 && l->s[from - 1] == L' ')
			from--;
		while (from > 0 && l->s[from - 1] != L' ')
			from--;
		memmove(l->s + from, l->s + l->cur, (l->len - l->cur + 1) * sizeof l->s[0]);
		l->len -= l->cur - from;
		l->cur = from;
		return LINE_CHANGED;
	}
	default:
		break;
	}
	if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch <= 0x9f) || ch == K_TAB)
		return LINE_OTHER;
	if (l->len >= LINE_MAX)
		return LINE_NOP;
	memmove(l->s + l->cur + 1, l->s + l->cur, (l->len - l->cur + 1) * sizeof l->s[0]);
	l->s[l->cur++] = (wchar_t)ch;
	l->len++;
	return LINE_CHANGED;
}

static int wide_width(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

int line_draw(const struct tui_line *l, int y, int x, int width, attr_t attr)
{
	char text[LINE_MAX * 4 + 1];
	size_t start = 0;
	int before = 0;

	if (width < 2)
		return x;
	/* scroll so that the cursor and one column after it show */
	for (size_t i = 0; i < l->cur; i++)
		before += wide_width(l->s[i]);
	while (before >= width - 1 && start < l->cur)
		before -= wide_width(l->s[start++]);
	range_utf8(l, start, l->len, text, sizeof text);
	draw_text(y, x, width, text, attr, DRAW_PAD);
	return x + before;
}

/* ---- modal prompts -------------------------------------------------------- */

static void free_items(struct modal *m)
{
	for (size_t i = 0; i < m->nitems; i++) {
		free(m->items[i].label);
		free(m->items[i].value);
	}
	free(m->items);
	free(m->vis);
	m->items = NULL;
	m->vis = NULL;
	m->nitems = m->nvis = 0;
}

void modal_close(struct tui_app *a)
{
	free_items(&a->modal);
	memset(&a->modal, 0, sizeof a->modal);
}

static void set_title(struct modal *m, const char *title)
{
	snprintf(m->title, sizeof m->title, "%s", title ? title : "");
}

void modal_line(struct tui_app *a, const char *title, const char *initial,
		modal_done_fn done, modal_changed_fn changed, int64_t arg)
{
	modal_close(a);
	a->modal.kind = MODAL_LINE;
	set_title(&a->modal, title);
	line_set(&a->modal.line, initial);
	a->modal.done = done;
	a->modal.changed = changed;
	a->modal.arg = arg;
}

void modal_confirm(struct tui_app *a, const char *question, modal_done_fn done,
		   int64_t arg)
{
	modal_close(a);
	a->modal.kind = MODAL_CONFIRM;
	set_title(&a->modal, question);
	a->modal.done = done;
	a->modal.arg = arg;
}

static void pick_refilter(struct modal *m)
{
	char typed[LINE_MAX * 4 + 1];
	struct buf q = BUF_INIT, h = BUF_INIT;

	line_utf8(&m->line, typed, sizeof typed);
	rows_fold(typed, &q);
	m->nvis = 0;
	for (size_t i = 0; i < m->nitems; i++) {
		buf_reset(&h);
		rows_fold(m->items[i].label, &h);
		if (q.len == 0 || strstr(buf_str(&h), buf_str(&q)) != NULL)
			m->vis[m->nvis++] = i;
	}
	if (m->sel >= m->nvis)
		m->sel = m->nvis ? m->nvis - 1 : 0;
	buf_release(&q);
	buf_release(&h);
}

void modal_pick(struct tui_app *a, const char *title, struct pick_item *items,
		size_t n, int free_text, modal_done_fn done, int64_t arg)
{
	modal_close(a);
	a->modal.kind = MODAL_PICK;
	set_title(&a->modal, title);
	a->modal.items = items;
	a->modal.nitems = n;
	a->modal.vis = calloc(n ? n : 1, sizeof *a->modal.vis);
	a->modal.free_text = free_text;
	a->modal.done = done;
	a->modal.arg = arg;
	line_set(&a->modal.line, "");
	if (a->modal.vis == NULL) {
		modal_close(a);
		tui_message(a, ROLE_ERROR, "out of memory");
		return;
	}
	pick_refilter(&a->modal);
}

/* Closes the modal and calls done; when done asks to keep it (a failure:
 * the user's input must not be lost) and opened nothing else, the modal
 * comes back as it was. */
static void finish(struct tui_app *a, int ok, const char *text, const struct pick_item *it)
{
	struct modal saved = a->modal;
	struct pick_item copy = { NULL, NULL, 0 };
	int keep = 0;

	if (it != NULL)
		copy = *it;
	memset(&a->modal, 0, sizeof a->modal);
	if (saved.done != NULL)
		keep = saved.done(a, saved.arg, ok, text, it != NULL ? &copy : NULL);
	if (keep && ok && a->modal.kind == MODAL_NONE)
		a->modal = saved;
	else
		free_items(&saved);
}

int modal_key(struct tui_app *a, int is_key, wint_t ch)
{
	struct modal *m = &a->modal;
	char text[LINE_MAX * 4 + 1];
	enum line_result r;

	switch (m->kind) {
	case MODAL_NONE:
		return 0;
	case MODAL_CONFIRM:
		if (is_key && ch == KEY_RESIZE)
			return 0;
		finish(a, !is_key && (ch == 'y' || ch == 'Y'), "", NULL);
		return 1;
	case MODAL_LINE:
		if (is_key && ch == KEY_RESIZE)
			return 0;
		r = line_key(&m->line, is_key, ch);
		line_utf8(&m->line, text, sizeof text);
		if (r == LINE_ENTER)
			finish(a, 1, text, NULL);
		else if (r == LINE_CANCEL)
			finish(a, 0, text, NULL);
		else if (r == LINE_CHANGED && m->changed != NULL)
			m->changed(a, text);
		return 1;
	case MODAL_PICK:
		if (is_key) {
			switch (ch) {
			case KEY_RESIZE:
				return 0;
			case KEY_UP:
				if (m->sel > 0)
					m->sel--;
				return 1;
			case KEY_DOWN:
				if (m->sel + 1 < m->nvis)
					m->sel++;
				return 1;
			case KEY_PPAGE:
				m->sel = m->sel > 8 ? m->sel - 8 : 0;
				return 1;
			case KEY_NPAGE:
				m->sel = m->sel + 8 < m->nvis ? m->sel + 8 : (m->nvis ? m->nvis - 1 : 0);
				return 1;
			default:
				break;
			}
		}
		r = line_key(&m->line, is_key, ch);
		line_utf8(&m->line, text, sizeof text);
		if (r == LINE_ENTER) {
			if (m->nvis > 0)
				finish(a, 1, text, &m->items[m->vis[m->sel]]);
			else if (m->free_text && text[0] != '\0')
				finish(a, 1, text, NULL);
		} else if (r == LINE_CANCEL)
			finish(a, 0, text, NULL);
		else if (r == LINE_CHANGED) {
			m->sel = 0;
			pick_refilter(m);
		}
		return 1;
	}
	return 0;
}

void modal_draw(struct tui_app *a)
{
	struct modal *m = &a->modal;
	int y = LINES - 2, x, w, h, top, inner;
	char title[320];

	switch (m->kind) {
	case MODAL_NONE:
		return;
	case MODAL_CONFIRM:
		snprintf(title, sizeof title, "%s [y/N] ", m->title);
		draw_fill(y, 0, COLS, color_attr(ROLE_TITLE));
		x = draw_text(y, 0, COLS - 1, title, color_attr(ROLE_TITLE) | A_BOLD, 0);
		a->cursor_y = y;
		a->cursor_x = x < COLS ? x : COLS - 1;
		return;
	case MODAL_LINE:
		snprintf(title, sizeof title, "%s ", m->title);
		draw_fill(y, 0, COLS, A_NORMAL);
		x = draw_text(y, 0, COLS / 2, title, color_attr(ROLE_KEY), 0);
		a->cursor_y = y;
		a->cursor_x = line_draw(&m->line, y, x, COLS - x - 1, color_attr(ROLE_INPUT));
		return;
	case MODAL_PICK:
		w = COLS - 8 < 64 ? COLS - 8 : 64;
		inner = (int)m->nvis;
		if (inner < 1)
			inner = 1;
		h = inner + 4;
		if (h > LINES - 4)
			h = LINES - 4;
		y = (LINES - h) / 2;
		x = (COLS - w) / 2;
		draw_box(y, x, h, w, color_attr(ROLE_FRAME));
		snprintf(title, sizeof title, " %s ", m->title);
		draw_text(y, x + 2, w - 4, title, color_attr(ROLE_HEADING), 0);
		draw_text(y + 1, x + 2, 2, "> ", color_attr(ROLE_KEY), 0);
		a->cursor_y = y + 1;
		a->cursor_x = line_draw(&m->line, y + 1, x + 4, w - 6, color_attr(ROLE_INPUT));
		inner = h - 3;
		top = (int)m->sel >= inner ? (int)m->sel - inner + 1 : 0;
		if (m->nvis == 0)
			draw_text(y + 2, x + 2, w - 4, m->free_text ? "(no match: Enter takes "
			    "the text as typed)" : "(no match)", color_attr(ROLE_DIM), 0);
		for (int i = 0; i < inner && (size_t)(top + i) < m->nvis; i++) {
			const struct pick_item *it = &m->items[m->vis[top + i]];
			int sel = (size_t)(top + i) == m->sel;

			draw_text(y + 2 + i, x + 1, w - 2, it->label,
			    sel ? color_attr(ROLE_SELECTED) : A_NORMAL, DRAW_PAD);
		}
		return;
	}
}
