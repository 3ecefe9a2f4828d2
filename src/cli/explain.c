/* explain.c: the engine's explanation of a deadline, as text; see
 * explain.h.  The lines themselves come from the core (src/explain.h),
 * which the TUI shares. */
#include "cli/explain.h"

#include "../explain.h"
#include "buf.h"
#include "cal.h"

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
