/* import-map.h: `import --map jira|zendesk|FILE`: a helpdesk's own CSV
 * export, translated into import's columns (import.h) and then imported
 * by the same all-or-nothing rules (slatrack(1), IMPORT FORMAT).
 *
 * A map names, for each ticket field, the export's column (matched
 * ignoring ASCII case and blanks; a column repeated in the export, such
 * as Jira's several "Sprint" columns, gives its first non-empty value;
 * other columns are ignored), a table of severity values, a date format
 * and where the partner comes from.  Built in:
 *
 *   jira     Jira's "Export > CSV (all fields)": Issue key, Summary,
 *            Project key (the partner, through [partner "KEY"] jira =
 *            VALUE in the config, else the value itself), Priority (through
 *            jira.severity), Assignee, Created, Resolved; dates like
 *            "01/Dec/26 9:30 AM" in the partner's zone.  The first of the
 *            repeated "Comment" columns ("DATE;AUTHOR-ID;TEXT") whose author
 *            is not the "Reporter Id" is the first response (the CSV does
 *            not say which comments were public: sync jira knows).
 *   zendesk  Zendesk's ticket CSV export: Id (key "ZD-ID"), Subject,
 *            Organization (through [partner "KEY"] zendesk = NAME, else the
 *            value), Priority (Urgent, High, Normal, Low; "-" or empty is
 *            low), Requester (customer), Assignee, Created at, Solved at,
 *            First reply time in minutes (the first response); dates like
 *            "2026-12-01 09:30" in the partner's zone.
 *
 * A mapping FILE ("# comment" lines, then "name = value" lines):
 *   column FIELD = Export column   FIELD: key, partner, severity, summary,
 *                                  created, customer, assignee,
 *                                  first_response, resolved, responded_by,
 *                                  first_response_minutes
 *   severity VALUE = SEVERITY      the export's value -> critical, high,
 *                                  medium, low (VALUE * for any other)
 *   partner VALUE = KEY            the export's value -> a partner key
 *                                  (else the value itself)
 *   date_format = %d.%m.%Y %H:%M   %Y %y %m %b %d %H %I %M %S %p; an ISO
 *                                  8601 value is read as well
 *   key_prefix = FD-               put before every key
 * Errors name FILE:LINE of the map or of the export.
 */
#ifndef SLATRACK_IMPORT_MAP_H
#define SLATRACK_IMPORT_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct buf;
struct config;
struct import_map;
struct import_result;

struct import_map *import_map_load(const char *spec, const struct config *cfg,
				   struct diag *d);
void import_map_free(struct import_map *m);

/* Translates the export data[0..len) into import's CSV in out; lines[i]
 * is the export's line of out's line i + 1 (caller frees).  Problems are
 * added to r->errors as "SOURCE:LINE: reason" and make it fail with
 * DIAG_INPUT "N problems in SOURCE: nothing imported". */
int import_map_translate(const struct import_map *m, const char *data, size_t len,
			 const char *source, struct buf *out, long **lines, size_t *nlines,
			 struct import_result *r, struct diag *d);

/* "%d/%b/%y %I:%M %p" and a value -> local seconds (civil); 0 or -1. */
int import_map_parse_date(const char *fmt, const char *s, size_t len, int64_t *local_s);

#endif
