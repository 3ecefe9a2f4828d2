/* explain.c: the engine's explanation of a deadline, as text; see
 * explain.h. */
#include "explain.h"

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "text.h"
#include "ticketfmt.h"
#include "timefmt.h"

void explain_line(struct buf *b, const struct cal *c, const struct cal_step *s)
{
	const struct tz *tz = cal_tz(c);
	char day[CIVIL_ISO_LEN], from[TIMEFMT_LEN], to[TIMEFMT_LEN];
	char len[TIMEFMT_LEN], total[TIMEFMT_LEN];
	const char *what;

	civil_format_day(s->day, day);
	timefmt_clock(tz, s->start_at, s->day, from);
	timefmt_clock(tz, s->end_at, s->day, to);
	ticketfmt_work(s->end_at - s->start_at, len);	/* working time: no days */
	ticketfmt_work(s->total_s, total);
	switch (s->kind) {
	case CAL_STEP_COUNTED:
		buf_addf(b, "%s %s  %5s-%-5s  counted  %-10s total %s",
		    civil_weekday_name(civil_weekday(s->day)), day, from, to, len, total);
		break;
	case CAL_STEP_CLOSURE:
		buf_addf(b, "%s %s  %5s-%-5s  closed   ",
		    civil_weekday_name(civil_weekday(s->day)), day, from, to);
		text_add_safe(b, s->name ? s->name : "", 0);
		buf_adds(b, " (");
		text_add_safe(b, s->source ? s->source : "?", 0);
		buf_addf(b, ":%d)", s->line);
		break;
	case CAL_STEP_WEEKEND:
	case CAL_STEP_HOLIDAY:
	case CAL_STEP_MAKEUP:
		what = s->kind == CAL_STEP_WEEKEND ? "skipped  weekend" :
		    s->kind == CAL_STEP_HOLIDAY ? "skipped  holiday: " :
		    "make-up working day: ";
		buf_addf(b, "%s %s  %11s  %s", civil_weekday_name(civil_weekday(s->day)),
		    day, "", what);
		if (s->kind != CAL_STEP_WEEKEND) {
			text_add_safe(b, s->name ? s->name : "", 0);
			buf_adds(b, " (");
			text_add_safe(b, s->source ? s->source : "?", 0);
			buf_addf(b, ":%d)", s->line);
		}
		break;
	}
}
