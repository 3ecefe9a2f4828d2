/* timefmt.c: human-readable instants; see timefmt.h. */
#include "timefmt.h"

#include <stdio.h>

#include "civil.h"
#include "tz.h"

void timefmt_local(const struct tz *tz, int64_t at, char out[TIMEFMT_LEN])
{
	int64_t local = tz_utc_to_local(tz, at);
	char s[CIVIL_ISO_LEN];

	civil_format_local(local, 1, s);
	snprintf(out, TIMEFMT_LEN, "%s %s %s",
	    civil_weekday_name(civil_weekday(civil_div(local, CIVIL_DAY_S))), s,
	    tz_abbrev_at(tz, at));
}

void timefmt_clock(const struct tz *tz, int64_t at, int64_t day, char out[TIMEFMT_LEN])
{
	int64_t local = tz_utc_to_local(tz, at);
	int64_t sod;

	if (civil_div(local, CIVIL_DAY_S) > day) {
		snprintf(out, TIMEFMT_LEN, "24:00");
		return;
	}
	sod = civil_mod(local, CIVIL_DAY_S);
	if (sod % 60 != 0)
		snprintf(out, TIMEFMT_LEN, "%02d:%02d:%02d", (int)(sod / 3600),
		    (int)(sod / 60 % 60), (int)(sod % 60));
	else
		snprintf(out, TIMEFMT_LEN, "%02d:%02d", (int)(sod / 3600), (int)(sod / 60 % 60));
}
