/* fuzz_ical.c: libFuzzer target for the .ics loader (make fuzz).
 *
 * Every input is loaded as "fuzz.ics" over the years the engine covers
 * (as the command line does) with one exclude filter, into a fresh
 * cal_rules; everything is freed again, so leaks show up.  The partner
 * zone (Europe/Berlin) is loaded once and kept for the whole run:
 * the one static below exists only in this fuzzing harness. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cal.h"
#include "diag.h"
#include "ical.h"
#include "tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tz *local;
	struct ical_options o;
	struct ical_filter f;
	struct ical_report rep;
	struct cal_rules *rules;
	struct diag d;

	/* a zone with DST, so floating times and nominal DURATION days
	 * cross clock changes */
	if (local == NULL && (local = tz_load("Europe/Berlin", &d)) == NULL &&
	    (local = tz_load("UTC", &d)) == NULL)
		return 0;
	if (ical_parse_filter("description:Observance", 1, &f, &d) < 0)
		return 0;
	memset(&o, 0, sizeof o);
	o.source = "fuzz.ics";
	o.local = local;
	o.filters = &f;
	o.nfilters = 1;
	o.from_year = CAL_FIRST_YEAR;
	o.to_year = CAL_LAST_YEAR;
	if ((rules = cal_rules_new()) == NULL)
		return 0;
	ical_report_init(&rep);
	diag_clear(&d);
	if (ical_load_buffer((const char *)data, size, &o, rules, &rep, &d) < 0 &&
	    d.code == DIAG_OK)
		__builtin_trap();	/* a failure must say why */
	ical_report_release(&rep);
	cal_rules_free(rules);
	return 0;
}
