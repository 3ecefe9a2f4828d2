/* jira.h: `slatrack sync jira`: tickets follow Jira Service Management
 * (slatrack(1), SYNC; the keys in slatrack.conf(5), [jira]).
 *
 * The issues come from Jira Cloud's REST API: POST /rest/api/3/search/jql
 * with jira.jql, an explicit field list, paged by nextPageToken until
 * isLast.  After the first complete run only issues updated since the
 * last one (less jira.overlap) are asked for: the JQL becomes
 * "(JQL) AND updated >= "yyyy/MM/dd HH:mm"", the instant written in
 * jira.zone (the Jira account's own zone: JQL reads dates in it).
 *
 * Mapping of an issue to a ticket:
 *   key             ticket key (the match between both)
 *   created         created
 *   summary         summary
 *   priority.name   severity, through the table jira.severity
 *   assignee        the NAME of the [staff "NAME"] whose email is the
 *                   assignee's emailAddress, else its displayName
 *   partner         jira.partner_field (project: the project key; a
 *                   custom field such as JSM's Organizations: its value,
 *                   name or first element), then the [partner "KEY"]
 *                   whose `jira` key names that value, else the partner
 *                   whose key is the value itself
 *   first response  the first comment that is public (jsdPublic not
 *                   false) and written by someone other than the
 *                   reporter who is not a JSM customer: its created
 *                   and author's displayName (responded_by).  The issue
 *                   comments come with the search (field "comment");
 *                   when Jira returned only part of them and none
 *                   qualifies, the rest is read from
 *                   GET /rest/api/3/issue/KEY/comment
 *   resolutiondate  resolved
 *
 * Writing: one transaction per page.  A new key is added (event
 * "ticket.sync", actor "sync:jira"); a known ticket is updated field by
 * field with a three-way comparison against what sync last wrote
 * (sync_issues.base): a field Jira changed is taken; a field edited in
 * slatrack since, that Jira did not change, is kept; a field both
 * changed is a conflict: the ticket is left alone and reported.  A
 * ticket with that key that sync never wrote (typed or imported) is
 * adopted: its empty fields are filled, a field holding another value
 * is a conflict.  Changing severity, partner or created recomputes the
 * deadline.  Running twice changes nothing and records no event.
 */
#ifndef SLATRACK_JIRA_H
#define SLATRACK_JIRA_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct config;
struct store;

#define JIRA_ACTOR "sync:jira"
#define JIRA_MAX_SEVMAP 32
#define JIRA_MAX_RETRIES 5	/* 429/503 answers honoured per request */
#define JIRA_MAX_WAIT_S 60	/* longest single Retry-After honoured */

struct jira_conf {
	char *url;		/* site, without a trailing slash */
	char *email, *token;	/* NULL token: not loaded (dry config check) */
	char *jql, *partner_field, *cafile;
	char *zone;		/* JQL's zone name */
	struct { char *name; int severity; } sev[JIRA_MAX_SEVMAP];
	size_t nsev;
	int sev_default;	/* "*=..." in the table; -1 none */
	int64_t overlap_s, timeout_s, limit_s;
	int page_size;
	const struct config *cfg;	/* partner and staff mapping; borrowed */
};

/* Reads and checks [jira]; a missing or bad key is DIAG_INPUT naming it
 * and the config file.  With load_secret the token (or token_command's
 * output) is read too. */
int jira_conf_load(const struct config *cfg, int load_secret, struct jira_conf *jc,
		   struct diag *d);
void jira_conf_release(struct jira_conf *jc);

/* One issue, mapped (the ticket fields as text: instants in UTC ISO
 * 8601, "" for none). */
enum jira_field {
	JF_PARTNER, JF_SEVERITY, JF_SUMMARY, JF_ASSIGNEE, JF_CREATED,
	JF_FIRST_RESPONSE, JF_RESPONDED_BY, JF_RESOLVED, JF_COUNT
};
extern const char *const jira_field_names[JF_COUNT];

struct jira_issue {
	char *key, *updated;
	char *partner_value;		/* the raw value of jira.partner_field */
	char *reporter;			/* reporter's accountId, may be NULL */
	char *v[JF_COUNT];		/* partner: filled when mapped */
	int comments_partial;		/* only part of the comments was given and
					   none of them is a first response */
	int comments_seen;		/* how many comments were given */
	char *error;			/* why it cannot be mapped, else NULL */
};
void jira_issue_release(struct jira_issue *ji);

struct jira_page {
	struct jira_issue *issues;
	size_t n;
	char *next_token;		/* NULL on the last page */
	int is_last;
};
void jira_page_release(struct jira_page *pg);

/* Parses one answer of /rest/api/3/search/jql.  A malformed body or one
 * not shaped like the documented answer is DIAG_NET naming what.  An
 * issue that cannot be mapped (unknown priority, bad date) gets its
 * error and is kept in the page. */
int jira_parse_page(const struct jira_conf *jc, const char *body, size_t len,
		    struct jira_page *pg, struct diag *d);
/* Parses an answer of /rest/api/3/issue/KEY/comment into ji (first
 * response); *more is 1 when further comments remain after those. */
int jira_parse_comments(const struct jira_conf *jc, const char *body, size_t len,
			struct jira_issue *ji, int *total, struct diag *d);
/* "2026-12-01T09:30:00.000+0100" -> seconds; 0 or -1. */
int jira_parse_time(const char *s, int64_t *at);
/* The JQL of a run: jql itself when since is STORE_NONE, else with
 * updated >= since (in jc->zone); the caller frees it. */
char *jira_build_jql(const struct jira_conf *jc, int64_t since, struct diag *d);

struct jira_run {
	int64_t now_at;
	int dry_run;
	int full;			/* ignore the last sync: read every issue */
	/* one line per change ("SUP-1: ..."), problem 1 for a conflict or an
	 * issue skipped; line borrowed */
	void (*note)(void *arg, int problem, const char *line);
	void *arg;
};

struct jira_result {
	size_t pages, issues, added, updated, unchanged, conflicts, unmapped;
	size_t requests, waits;
	int incremental;		/* asked only for updated issues */
};

/* The whole sync.  Returns 0 (r filled; conflicts and unmapped issues
 * counted and noted, the rest written), or -1 with d: pages committed
 * before the failure stay, the last-sync mark does not move. */
int jira_sync(struct store *s, const struct jira_conf *jc, const struct jira_run *run,
	      struct jira_result *r, struct diag *d);

#endif
