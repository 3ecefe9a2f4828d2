/* tz.h: IANA timezones read from the system zoneinfo (TZif files).
 *
 * The only module that knows about zoneinfo.  A struct tz holds every
 * offset transition from the file plus those its POSIX footer rule implies,
 * expanded through the year 2200, so every query is a binary search.
 *
 * Local time rules of the working-time rules of slatrack(1): tz_local_to_utc(L) returns the
 * earliest instant t whose local wall time is >= L.  For an ambiguous wall
 * time (DST fold) that is its first occurrence; for a nonexistent one (DST
 * gap, or a skipped day such as Pacific/Apia 2011-12-30) it is the moment
 * the clock jumps.
 */
#ifndef SLATRACK_TZ_H
#define SLATRACK_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct tz;

/* Loads NAME ("Europe/Berlin", "UTC") from $TZDIR or /usr/share/zoneinfo.
 * Rejects absolute paths, "..", and files that are not TZif, with
 * DIAG_INPUT "unknown timezone 'NAME'".  Caller owns: tz_free(). */
struct tz *tz_load(const char *name, struct diag *d);
/* Builds a zone from raw TZif bytes (tests, fuzzing); name is copied. */
struct tz *tz_from_tzif(const char *name, const unsigned char *data, size_t len,
			struct diag *d);
void tz_free(struct tz *z);			/* NULL-safe */

const char *tz_name(const struct tz *z);	/* borrowed */
int32_t tz_offset_at(const struct tz *z, int64_t at);	/* seconds east of UTC */
const char *tz_abbrev_at(const struct tz *z, int64_t at); /* "CET"; borrowed */
int64_t tz_utc_to_local(const struct tz *z, int64_t at); /* at + offset */
int64_t tz_local_to_utc(const struct tz *z, int64_t local_s);

/* Offset transitions: the first transition strictly after `at`, or
 * INT64_MAX when there is none (a fixed zone, or past 2200). */
int64_t tz_next_transition(const struct tz *z, int64_t at);

/* "+01:00" style; out must hold 8 bytes. */
void tz_format_offset(int32_t off_s, char out[8]);

#endif
