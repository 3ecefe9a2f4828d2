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

size_t explain_print_pauses(FILE *f, const struct tz *tz, const struct store_pause *v,
			    size_t n, enum sla_clock clock, const int64_t *added)
{
	char a[TIMEFMT_LEN], b[TIMEFMT_LEN], w[TIMEFMT_LEN];
	size_t moved = 0;

	for (size_t i = 0; i < n; i++) {
		if (!sla_pause_applies(&v[i], clock))
			continue;
		ticketfmt_short(tz, v[i].start_at, a);
		if (v[i].end_at == STORE_NONE) {
			fprintf(f, "  waiting since %s: the deadline moves on while it lasts\n", a);
			continue;
		}
		if (added[i] <= 0)
			continue;
		ticketfmt_short(tz, v[i].end_at, b);
		ticketfmt_work(added[i], w);
		fprintf(f, "  paused  %-6s  %s .. %s  +%s of working time\n", v[i].kind, a, b, w);
		moved++;
	}
	return moved;
}
