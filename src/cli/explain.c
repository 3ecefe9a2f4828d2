/* explain.c: the engine's explanation of a deadline, as text; see
 * explain.h.  The lines themselves come from the core (src/explain.h),
 * which the TUI shares. */
#include "cli/explain.h"

#include "../explain.h"
#include "buf.h"
#include "cal.h"
#include "store.h"
#include "ticketfmt.h"

void explain_print(FILE *f, const struct cal *c, const struct cal_step *st, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		buf_reset(&b);
		buf_adds(&b, "  ");
		explain_line(&b, c, &st[i]);
		buf_addc(&b, '\n');
		fputs(buf_str(&b), f);
	}
	buf_release(&b);
}

int explain_pause_added(const struct cal *c, int64_t start_at, int64_t target_s,
			const struct store_pause *v, size_t n, enum sla_clock clock,
			int64_t *added, int64_t *deadline_at, struct diag *d)
{
	int64_t before, after;

	if (sla_clock_deadline(c, start_at, target_s, NULL, 0, clock, &before, d) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		added[i] = 0;
		if (!sla_pause_applies(&v[i], clock) || v[i].end_at == STORE_NONE)
			continue;
		if (sla_clock_deadline(c, start_at, target_s, v, i + 1, clock, &after, d) < 0)
			return -1;
		/* the pause lies before the new deadline, so the working time
		 * between the two deadlines is the working time it took */
		added[i] = after > before ? cal_elapsed(c, before, after) : 0;
		before = after;
	}
	*deadline_at = before;
	return 0;
}

int explain_pause_text(struct buf *b, const struct tz *tz, const struct store_pause *v,
		       enum sla_clock clock, int64_t added, const char *kind)
{
	char a[TIMEFMT_LEN], e[TIMEFMT_LEN], w[TIMEFMT_LEN];

	if (!sla_pause_applies(v, clock))
		return 0;
	ticketfmt_short(tz, v->start_at, a);
	if (v->end_at == STORE_NONE) {
		buf_addf(b, "waiting since %s: the deadline moves on while it lasts", a);
		return 1;
	}
	if (added <= 0)
		return 0;
	ticketfmt_short(tz, v->end_at, e);
	ticketfmt_work(added, w);
	buf_addf(b, "paused  %s  %s .. %s  +%s of working time", kind, a, e, w);
	return 2;
}

size_t explain_print_pauses(FILE *f, const struct tz *tz, const struct store_pause *v,
			    size_t n, enum sla_clock clock, const int64_t *added)
{
	struct buf b = BUF_INIT;
	char kind[16];
	size_t moved = 0;

	for (size_t i = 0; i < n; i++) {
		int r;

		buf_reset(&b);
		snprintf(kind, sizeof kind, "%-6s", v[i].kind);
		if ((r = explain_pause_text(&b, tz, &v[i], clock, added[i], kind)) == 0)
			continue;
		fprintf(f, "  %s\n", buf_failed(&b) ? "?" : buf_str(&b));
		moved += r == 2;
	}
	buf_release(&b);
	return moved;
}
