/* hyperlink.c: the `o` key.  The ticket's helpdesk link ([helpdesk] /
 * [partner "KEY"] ticket_url) goes on the status line; once curses has
 * drawn it, the same characters are written over it again inside an
 * OSC 8 hyperlink, so a terminal that knows OSC 8 opens it on a click,
 * and the link is offered to the clipboard with OSC 52.  Terminals that
 * know neither ignore the sequences; the link stays readable (and
 * selectable) as text either way.  Curses never learns of the extra
 * bytes: they leave the screen as it was and the cursor where it was.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ticketfmt.h"
#include "ticketurl.h"

#define HYPERLINK_LEAD "link: "

/* Terminals that print OSC sequences instead of ignoring them. */
static int hyperlink_terminal_ok(void)
{
	const char *term = getenv("TERM");

	return term != NULL && strcmp(term, "dumb") != 0 && strcmp(term, "linux") != 0;
}

void hyperlink_show(struct tui_app *a, int64_t id)
{
	struct store_ticket t;
	struct buf url = BUF_INIT, label = BUF_INIT;
	struct diag d;

	a->link[0] = '\0';
	if (id == 0) {
		tui_message(a, ROLE_ERROR, "no ticket selected");
		return;
	}
	store_ticket_init(&t);
	if (act_get(a, id, &t, NULL, &d) < 0) {
		tui_message(a, ROLE_ERROR, "%s", d.msg);
		return;
	}
	ticketfmt_label(&label, &t);
	if (!ticketurl_format(a->cfg, t.partner_key, t.key, t.id, &url))
		tui_message(a, ROLE_ERROR, "%s has no helpdesk link: set ticket_url in "
		    "[helpdesk] or [partner \"%s\"] of the config%s", buf_str(&label),
		    t.partner_key, t.key == NULL ? " (or give the ticket a --key)" : "");
	else if (buf_failed(&url) || url.len >= sizeof a->link)
		tui_message(a, ROLE_ERROR, "%s: the helpdesk link is too long to show",
		    buf_str(&label));
	else {
		memcpy(a->link, url.data, url.len + 1);
		tui_message(a, ROLE_NORMAL, HYPERLINK_LEAD "%s", a->link);
		a->link_pending = hyperlink_terminal_ok();
	}
	buf_release(&url);
	buf_release(&label);
	store_ticket_release(&t);
}

static void hyperlink_base64(struct buf *out, const char *s, size_t n)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		q[0] = b64[v >> 18 & 63];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		buf_add(out, q, 4);
	}
}

void hyperlink_emit(struct tui_app *a)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(a->link), lead = strlen(HYPERLINK_LEAD);
	char pos[32];

	if (!a->link_pending)
		return;
	a->link_pending = 0;
	/* only what the status line shows whole, on the row it is drawn on */
	if (a->too_small || strcmp(a->msg + lead, a->link) != 0 || lead + len >= (size_t)COLS)
		return;
	snprintf(pos, sizeof pos, "\0337\033[%d;%zuH", LINES - 1, lead + 1);
	buf_adds(&b, pos);
	buf_addl(&b, "\033]8;;", a->link, "\033\\", a->link, "\033]8;;\033\\", "\0338",
	    "\033]52;c;", (char *)NULL);
	hyperlink_base64(&b, a->link, len);
	buf_adds(&b, "\a");
	if (!buf_failed(&b)) {
		fwrite(b.data, 1, b.len, stdout);
		fflush(stdout);
	}
	buf_release(&b);
}
