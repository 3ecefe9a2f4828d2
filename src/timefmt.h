/* timefmt.h: instants as people read them, for the front ends.
 * Pure: formats into caller buffers. */
#ifndef SLATRACK_TIMEFMT_H
#define SLATRACK_TIMEFMT_H

#include <stdint.h>

struct tz;

#define TIMEFMT_LEN 64

/* "Tue 2025-08-26 23:30:00 BST" in zone tz. */
void timefmt_local(const struct tz *tz, int64_t at, char out[TIMEFMT_LEN]);
/* "23:30", or "24:00" when at is the end of local date `day`. */
void timefmt_clock(const struct tz *tz, int64_t at, int64_t day, char out[TIMEFMT_LEN]);

#endif
