/* webhook.h: SLA notices POSTed as JSON ([webhook "NAME"] sections).
 *
 * Two payload shapes (webhook.format):
 *   generic   {"event":"breach"|"threshold","threshold":90,"alias":...,
 *              "ticket":{"id":..,"key":..,"partner":..,"partner_name":..,
 *              "severity":..,"summary":..,"assignee":..,"created":"..Z",
 *              "deadline":"..Z","remaining_s":..,"consumed_percent":..},
 *              "open":"slatrack ticket show KEY","sent_at":"..Z"}
 *   opsgenie  the body of Opsgenie's "create alert" API:
 *              {"message":..,"alias":..,"description":..,"priority":"P1",
 *               "source":"slatrack","tags":[..],"entity":..,"details":{..}}
 *             message is at most 130 characters, alias 512 (Opsgenie's
 *             limits); priority P1 critical, P2 high, P3 medium, P4 low.
 * The alias is stable per ticket and threshold ("slatrack-INSTALL-ID-
 * TICKET-THRESHOLD"), so a resend after a crash is de-duplicated by
 * Opsgenie.  Customer text is JSON-escaped (control characters as \uXXXX,
 * invalid UTF-8 as U+FFFD).
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
	WEBHOOK_THRESHOLD = 1 << 1
};

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
};

/* Every [webhook "NAME"] with a url, in file order.  DIAG_INPUT for a bad
 * url (names the section). */
int webhook_targets_load(const struct config *cfg, struct webhook_target **v, size_t *n,
			 struct diag *d);
void webhook_targets_free(struct webhook_target *v, size_t n);

/* What a notice says.  Strings borrowed; may be NULL where noted. */
struct webhook_notice {
	const char *alias;
	int threshold;			/* percent; 100 = breach */
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

/* Appends the JSON body for target's format to out. */
int webhook_payload(const struct webhook_target *t, const struct webhook_notice *n,
		    struct buf *out, struct diag *d);
/* Appends s as a JSON string (quotes included). */
void webhook_json_string(struct buf *out, const char *s);

/* Checks a webhook url: https, or http to loopback (fetch.h rules).
 * DIAG_INPUT. */
int webhook_check_url(const char *url, struct diag *d);
/* POSTs body (application/json).  0 on a 2xx answer; else -1, DIAG_NET,
 * and reply (may be NULL) gets "HTTP 503: body..." or curl's reason. */
int webhook_post(const struct webhook_target *t, const char *body, size_t len,
		 char reply[512], struct diag *d);

#endif
