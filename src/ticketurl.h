/* ticketurl.h: the link from a slatrack ticket back to the helpdesk
 * that owns it (Jira Service Management, Zendesk, a support portal).
 *
 *   [helpdesk]
 *   ticket_url = https://support.example.com/browse/{key}
 *   [partner "acme"]
 *   ticket_url = https://acme.zendesk.com/agent/tickets/{key}
 *
 * A partner's template wins over the global one.  Placeholders: {key}
 * (the ticket's external key), {id} (slatrack's number) and {partner}
 * (the partner key); each value is percent-encoded, so the link holds no
 * space, quote or control character and is safe in a terminal, a mail
 * header or HTML.  A template that uses {key} gives no link for a
 * ticket without a key. */
#ifndef SLATRACK_TICKETURL_H
#define SLATRACK_TICKETURL_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct config;

/* NULL when tmpl is a valid template (http:// or https://, printable
 * ASCII without spaces or quotes, only known {placeholders}), else what
 * is wrong with it (a static string). */
const char *ticketurl_check(const char *tmpl);

/* Appends the link of a ticket to out and returns 1, or appends nothing
 * and returns 0 when there is none.  c may be NULL (no link);
 * partner_key and key may be NULL. */
int ticketurl_format(const struct config *c, const char *partner_key, const char *key,
		     int64_t id, struct buf *out);
/* The two halves of ticketurl_format, for a report that links a
 * hundred thousand tickets of a few partners: a partner's template
 * (its own, else the helpdesk's; NULL: no link), found once, and a
 * ticket's link from it (tmpl NULL: none, returns 0). */
const char *ticketurl_template(const struct config *c, const char *partner_key);
int ticketurl_format_with(const char *tmpl, const char *partner_key, const char *key,
			  int64_t id, struct buf *out);

#endif
