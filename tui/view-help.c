/* view-help.c: every key and command, generated from the keymap table
 * (keymap.c), so the help cannot drift from the bindings; then the
 * colours and marks. */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "draw.h"

struct hline {
	char keys[64];
	char text[200];
	enum tui_role role;
	int heading;		/* 1: a heading, 2: a paragraph (no key column) */
};

struct hbuild {
	struct hline *v;
	size_t n, cap;
	int width;		/* columns for the text */
};

static int add_one(struct hbuild *h, const char *keys, const char *text,
		   enum tui_role role, int heading)
{
	struct hline *l;

	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 64;
		struct hline *q = realloc(h->v, ncap * sizeof *q);

		if (q == NULL)
			return -1;
		h->v = q;
		h->cap = ncap;
	}
	l = &h->v[h->n++];
	snprintf(l->keys, sizeof l->keys, "%s", keys);
	snprintf(l->text, sizeof l->text, "%s", text);
	l->role = role;
	l->heading = heading;
	return 0;
}

/* Adds a help line, wrapped at blanks to h->width columns. */
static int add(struct hbuild *h, const char *keys, const char *text, enum tui_role role,
	       int heading)
{
	char part[200];
	size_t len = strlen(text);

	while (len > (size_t)h->width) {
		size_t cut = (size_t)h->width;

		while (cut > 0 && text[cut] != ' ')
			cut--;
		if (cut == 0)
			break;
		snprintf(part, sizeof part, "%.*s", (int)cut, text);
		if (add_one(h, keys, part, role, heading) < 0)
			return -1;
		keys = "";
		text += cut + 1;
		len = strlen(text);
	}
	return add_one(h, keys, text, role, heading);
}

/* Keys of one scope, one line per (action, help) with its key names. */
static void scope_lines(struct hbuild *h, unsigned scope)
{
	size_t nt;
	const struct keymap_binding *t = keymap_table(&nt);

	add(h, "", "", ROLE_NORMAL, 0);
	add(h, "", keymap_scope_name(scope), ROLE_HEADING, 1);
	for (size_t i = 0; i < nt; i++) {
		char keys[64];
		int seen = 0;

		if (!(t[i].scope & scope))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = (t[j].scope & scope) && t[j].action == t[i].action &&
			    strcmp(t[j].help, t[i].help) == 0 && t[i].key != 0;
		if (seen)
			continue;
		snprintf(keys, sizeof keys, "%s", t[i].name);
		for (size_t j = i + 1; j < nt && t[i].key != 0; j++) {
			size_t k = strlen(keys);

			if (!(t[j].scope & scope) || t[j].action != t[i].action ||
			    strcmp(t[j].help, t[i].help) != 0 || strstr(keys, t[j].name) != NULL)
				continue;
			snprintf(keys + k, sizeof keys - k, ", %s", t[j].name);
		}
		add(h, keys, t[i].help, ROLE_NORMAL, 0);
	}
}

static struct hline *build(size_t *n, int width)
{
	static const unsigned scopes[] = { KS_QUEUE, KS_TICKET, KS_PARTNERS, KS_CALENDAR,
		KS_FORM, KS_LINE };
	static const struct {
		enum sla_state s;
		const char *text;
	} states[] = {
		{ SLA_BREACHED, "breached: no response by the deadline, or a late one" },
		{ SLA_AT_RISK, "at risk: at least the at-risk share ([sla] at_risk) of the "
		    "working time used" },
		{ SLA_ON_TRACK, "on track: the clock runs, within the target" },
		{ SLA_MET, "met (responded in time) or responded (not timed)" },
		{ SLA_NOT_TIMED, "not timed: the severity has no target for the partner" },
		{ SLA_WAITING, "waiting: on the customer (w); the stopped clocks stand still "
		    "and their deadlines move by the working time waited on w again" },
	};
	const char excused[] = { ' ', ROWS_MARK_EXCUSED, '\0' };
	struct hbuild hb = { NULL, 0, 0, width }, *h = &hb;
	size_t nc;
	const struct keymap_command *c = keymap_commands(&nc);

	add(h, "", "slatrack: the triage queue. Keys by screen; the footer shows "
	    "the main ones.", ROLE_NORMAL, 2);
	for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++)
		scope_lines(h, scopes[i]);
	add(h, "", "", ROLE_NORMAL, 0);
	add(h, "", "Commands (type : then one; a unique prefix is enough)",
	    ROLE_HEADING, 1);
	for (size_t i = 0; i < nc; i++) {
		char keys[64], text[200];

		snprintf(keys, sizeof keys, ":%s", c[i].name);
		snprintf(text, sizeof text, "%s%s%s", c[i].args, c[i].args[0] ? ": " : "",
		    c[i].help);
		add(h, keys, text, ROLE_NORMAL, 0);
	}
	add(h, "", "", ROLE_NORMAL, 0);
	add(h, "", "Colours and marks (with NO_COLOR set: marks, bold and "
	    "underline)", ROLE_HEADING, 1);
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
		char mark[4] = { ' ', rows_mark(states[i].s), '\0', '\0' };

		add(h, mark, states[i].text, color_state_role(states[i].s), 0);
	}
	add(h, excused, "excused: a breach excused with :excuse (an outage, say); "
	    "it counts apart in the report", color_state_role(SLA_BREACHED), 0);
	add(h, "", "", ROLE_NORMAL, 0);
	add(h, "", "The queue lists open tickets by remaining working time, those "
	    "waiting on the customer after the running ones; the countdown ticks every "
	    "second.", ROLE_NORMAL, 2);
	add(h, "", "Changes by others (another TUI, the command line, remind) "
	    "show within a second.", ROLE_NORMAL, 2);
	add(h, "", "Customer text is shown inert: control characters as ^[ "
	    "and the like.", ROLE_NORMAL, 2);
	*n = hb.n;
	return hb.v;
}

static void help_draw(struct tui_app *a)
{
	size_t n, h = LINES > 5 ? (size_t)(LINES - 4) : 1;
	struct hline *v;

	v = build(&n, COLS - 26 > 20 ? COLS - 26 : 20);
	tui_draw_header(a, "Help");
	if (v == NULL) {
		tui_draw_footer(a, KS_HELP);
		return;
	}
	if (a->hv.scroll + h > n)
		a->hv.scroll = n > h ? n - h : 0;
	for (size_t i = 0; i < h && a->hv.scroll + i < n; i++) {
		const struct hline *l = &v[a->hv.scroll + i];
		int y = 1 + (int)i;

		if (l->heading)
			draw_text(y, 1, COLS - 2, l->text, color_attr(l->heading == 1 ?
			    ROLE_HEADING : l->role), 0);
		else {
			draw_text(y, 2, 22, l->keys, color_attr(l->role == ROLE_NORMAL ? ROLE_KEY :
			    l->role) | A_BOLD, 0);
			draw_text(y, 25, COLS - 26, l->text, color_attr(l->role), 0);
		}
	}
	if (a->hv.scroll + h < n)
		draw_text(LINES - 3, COLS - 18, 17, "(more: j, PgDn)", color_attr(ROLE_DIM), 0);
	free(v);
	tui_draw_footer(a, KS_HELP);
}

static int help_action(struct tui_app *a, enum tui_action act, const char *arg)
{
	size_t h = LINES > 5 ? (size_t)(LINES - 4) : 1;

	(void)arg;
	switch (act) {
	case ACT_UP:
		if (a->hv.scroll > 0)
			a->hv.scroll--;
		return 1;
	case ACT_DOWN: a->hv.scroll++; return 1;
	case ACT_PGUP: a->hv.scroll = a->hv.scroll > h ? a->hv.scroll - h : 0; return 1;
	case ACT_PGDN: a->hv.scroll += h; return 1;
	case ACT_TOP: a->hv.scroll = 0; return 1;
	case ACT_BOTTOM: a->hv.scroll = (size_t)-1 / 2; return 1;
	case ACT_HELP: return 1;
	default: return 0;
	}
}

static void help_enter(struct tui_app *a)
{
	a->hv.scroll = 0;
}

const struct tui_view view_help = {
	.name = "help",
	.scope = KS_HELP,
	.enter = help_enter,
	.draw = help_draw,
	.action = help_action,
};
