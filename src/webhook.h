/* webhook.h: SLA notices POSTed as JSON ([webhook "NAME"] sections).
 *
 * Two payload shapes (webhook.format):
 *   generic   {"event":"threshold"|"breach"|"responded"|"resolved",
 *              "threshold":90,"alias":..,"alert":..,
 *              "ticket":{"id":..,"key":..,"partner":..,"partner_name":..,
 *              "severity":..,"summary":..,"assignee":..,"created":"..Z",
 *              "deadline":"..Z","remaining_s":..,"consumed_percent":..,
 *              "responded":"..Z"|null,"resolved":"..Z"|null,"url":..},
 *              "open":"slatrack ticket show KEY","sent_at":"..Z"}
 *             alias names this one event ("slatrack-INSTALL-ID-90",
 *             "...-100", "...-responded", "...-resolved"): a resend after a
 *             crash repeats it; alert names the ticket ("slatrack-INSTALL-
 *             ID"), the same in every event about it.  threshold is the
 *             notice's level (100 the breach); in a follow-up, the highest
 *             notice that went to this webhook.  "url" (the helpdesk link,
 *             ticketurl.h) only when one is configured.
 *   opsgenie  one alert per ticket, alias "slatrack-INSTALL-ID" (INSTALL:
 *             the first 16 hex digits of the database's installation id):
 *             every notice is Opsgenie's "create alert" call (POST url)
 *              {"message":..,"alias":..,"description":..,"priority":"P3",
 *               "source":"slatrack","tags":[..],"entity":..,"details":{..}},
 *             which Opsgenie de-duplicates on the alias while the alert is
 *             open; a notice whose priority differs from the one the alert
 *             was given is followed by "update priority" (PUT
 *             url/ALIAS/priority?identifierType=alias {"priority":"P1"});
 *             the follow-up is "close alert" (POST
 *             url/ALIAS/close?identifierType=alias {"source":"slatrack",
 *             "user":..,"note":..}).  message is at most 130 characters,
 *             alias 512 (Opsgenie's limits).  Priorities by level:
 *             threshold_priority (P3), last_threshold_priority (P2, the
 *             highest of remind.thresholds), breach_priority (P1).
 * Customer text is JSON-escaped (control characters as \uXXXX, invalid
 * UTF-8 as U+FFFD).
 *
 * Follow-ups: events "responded" and "resolved" (when `events` names
 * neither, both).  A webhook that got a notice about a ticket gets them
 * when the ticket gets its first response or is resolved; an Opsgenie
 * alert is closed once, at the first of them.
 *
 * Transport: https://, or http:// to a loopback host only; a 2xx answer
 * is success; anything else, a timeout or a refused connection is
 * DIAG_NET naming the URL, the HTTP status and the start of the body.
 * The authorization value goes out as the Authorization header and never
 * appears in a message.
 */
#ifndef SLATRACK_WEBHOOK_H
#define SLATRACK_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct buf;
struct config;

enum webhook_events {
	WEBHOOK_BREACH = 1 << 0,
	WEBHOOK_THRESHOLD = 1 << 1,
	WEBHOOK_RESPONDED = 1 << 2,
	WEBHOOK_RESOLVED = 1 << 3
};

#define WEBHOOK_RESPONDED_LEVEL 101	/* = STORE_REMIND_RESPONDED */
#define WEBHOOK_RESOLVED_LEVEL 102	/* = STORE_REMIND_RESOLVED */

enum webhook_format {
	WEBHOOK_GENERIC,
	WEBHOOK_OPSGENIE
};

struct webhook_target {
	char *name, *url;
	char *authorization;		/* NULL: no header */
	char *cafile;
	unsigned events;		/* enum webhook_events */
	enum webhook_format format;
	long timeout_s;
	char priority[3][4];		/* Opsgenie: thresholds, the last one,
					   the breach ("P3", "P2", "P1") */
};

/* Every [webhook "NAME"] with a url, in file order.  DIAG_INPUT for a bad
 * url (names the section). */
int webhook_targets_load(const struct config *cfg, struct webhook_target **v, size_t *n,
			 struct diag *d);
void webhook_targets_free(struct webhook_target *v, size_t n);

/* What a notice says.  Strings borrowed; may be NULL where noted. */
struct webhook_notice {
	const char *alias;		/* this event's id (generic) or the
					   alert's alias (Opsgenie) */
	const char *alert;		/* the ticket's alert id */
	int threshold;			/* percent; 100 = breach; 101 responded,
					   102 resolved (follow-ups) */
	int level;			/* follow-ups: the highest notice sent */
	const char *priority;		/* Opsgenie notices: "P1".."P5" */
	const char *url;		/* the helpdesk link, or NULL */
	const char *actor;		/* Opsgenie close: user; may be NULL */
	int has_responded, has_resolved;
	int64_t responded_at, resolved_at;
	int64_t ticket_id;
	const char *key;		/* may be NULL */
	const char *partner_key, *partner_name;
	const char *severity;		/* "critical" ... */
	const char *summary;
	const char *assignee;		/* may be NULL */
	int64_t created_at, deadline_at, now_at;
	int64_t remaining_s;		/* working; < 0 past the deadline */
	int consumed_pct;
	const char *open_command;	/* "slatrack ticket show KEY" */
};

/* Appends the JSON body for target's format to out: a notice, or a
 * follow-up (generic event, or the Opsgenie close body). */
int webhook_payload(const struct webhook_target *t, const struct webhook_notice *n,
		    struct buf *out, struct diag *d);
/* The body of Opsgenie's update-priority call. */
void webhook_priority_body(struct buf *out, const char *priority);
/* The Opsgenie priority of a notice at level (percent, 100 breach);
 * last_threshold is the highest remind.thresholds percentage. */
const char *webhook_priority(const struct webhook_target *t, int level, int last_threshold);
/* Whether t takes the follow-up (WEBHOOK_RESPONDED_LEVEL or
 * WEBHOOK_RESOLVED_LEVEL). */
int webhook_wants(const struct webhook_target *t, int followup);
/* Appends url/ALIAS/action?identifierType=alias (ALIAS percent-encoded)
 * to out: Opsgenie's calls on an existing alert. */
void webhook_alert_url(const struct webhook_target *t, const char *alias,
		       const char *action, struct buf *out);
/* Appends s as a JSON string (quotes included). */
void webhook_json_string(struct buf *out, const char *s);

/* Checks a webhook url: https, or http to loopback (fetch.h rules).
 * DIAG_INPUT. */
int webhook_check_url(const char *url, struct diag *d);
/* POSTs body (application/json) to t's url.  0 on a 2xx answer; else
 * -1, DIAG_NET, and reply (may be NULL) gets "HTTP 503: body..." or
 * curl's reason. */
int webhook_post(const struct webhook_target *t, const char *body, size_t len,
		 char reply[512], struct diag *d);
/* The same with another method ("POST", "PUT") and URL (NULL: t's url;
 * checked like it). */
int webhook_request(const struct webhook_target *t, const char *method, const char *url,
		    const char *body, size_t len, char reply[512], struct diag *d);

#endif
