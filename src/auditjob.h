/* auditjob.h: verifying the audit chain on a second core while the
 * caller goes on reading the same snapshot.
 *
 * A report that carries evidence must say whether the whole chain held
 * at the time of the report.  Hashing a million events takes longer than
 * building the rest of the report, so the job runs on a thread of its
 * own with its own read-only connection.  It verifies events 1..H, where
 * H is the head the caller's snapshot sees when the job starts, and then
 * checks that event H's hash is the one that snapshot holds: every hash
 * covers the one before it, so that proves the verified chain is the
 * snapshot's chain.  Last, the end of the chain is checked against the
 * snapshot's witnesses of how far it went (store_audit_check_end), so
 * events deleted at the end are found as store_audit_verify finds them.
 * From AUDITJOB_SPLIT_FROM events the chain is verified in parts of
 * AUDITJOB_PART events, taken in turn by one thread per core (at most
 * four), each with a connection of its own, and joined in order
 * (store_audit_join).  The threads run at the lowest priority, so they
 * take what the report's own serial work leaves of every core, and as
 * each takes the next part when done with one, they end together even
 * when the scheduler favours one of them.
 * Where a thread or a second connection cannot be had
 * (an in-memory database, no threads), the job verifies on the caller's
 * connection at start, which gives the same answer more slowly. */
#ifndef SLATRACK_AUDITJOB_H
#define SLATRACK_AUDITJOB_H

#include "diag.h"
#include "store.h"

#define AUDITJOB_SPLIT_FROM 65536
#define AUDITJOB_PART 32768

struct auditjob;

/* Call inside the read transaction whose view the answer must match. */
struct auditjob *auditjob_start(struct store *s, struct diag *d);
/* Waits for the job, fills r as store_audit_verify would, frees j. */
int auditjob_finish(struct auditjob *j, struct store_audit_result *r, struct diag *d);

#endif
