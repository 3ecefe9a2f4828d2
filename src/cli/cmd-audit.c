/* cmd-audit.c: `slatrack audit verify` and `slatrack audit log [TICKET]`
 * (issue 3, item 5).
 *
 * verify walks the hash chain (store_audit_verify): every event's hash
 * must cover its own fields and the previous event's hash, and ids must
 * follow one another, so an edited, inserted or deleted row is found and
 * named.  Exit 0 when the chain holds, 3 when it does not.
 *
 * log prints events oldest first, instants in the viewer's zone, every
 * value sanitised (events carry customer text).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "cli/cmd.h"
#include "cli/ticketfmt.h"
#include "store.h"
#include "text.h"
#include "tz.h"

static int audit_verify(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct store_audit_result r;

	(void)argv;
	if (argc > 1)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[1]);
	if (store_audit_verify(ctx->store, &r, d) < 0)
		return -1;
	if (r.bad_id != 0) {
		printf("audit trail BROKEN at event %lld (%lld events read)\n",
		    (long long)r.bad_id, (long long)r.nevents);
		return diag_set(d, DIAG_INPUT, "audit trail broken: event %lld: %s",
		    (long long)r.bad_id, r.problem);
	}
	if (r.nevents == 0)
		printf("audit trail empty: 0 events\n");
	else
		printf("audit trail intact: %lld event%s, head %s\n", (long long)r.nevents,
		    r.nevents == 1 ? "" : "s", r.head_hash);
	return 0;
}

struct log_state {
	const struct tz *tz;
	struct store_partner *partners;
	size_t npartners;
	struct buf b;
	size_t n;
};

static const char *partner_key(const struct log_state *ls, int64_t id)
{
	for (size_t i = 0; i < ls->npartners; i++)
		if (ls->partners[i].id == id)
			return ls->partners[i].key;
	return NULL;
}

static int log_event(const struct store_event *e, void *arg)
{
	struct log_state *ls = arg;
	struct buf *b = &ls->b;
	char when[TIMEFMT_LEN];
	const char *pk;

	buf_reset(b);
	ticketfmt_short(ls->tz, e->at, when);
	buf_addf(b, "%6lld  %s  ", (long long)e->id, when);
	text_add_safe(b, e->actor ? e->actor : "?", 0);
	buf_adds(b, "  ");
	text_add_safe(b, e->kind ? e->kind : "?", 0);
	if (e->ticket_id != 0)
		buf_addf(b, "  #%lld", (long long)e->ticket_id);
	else if (e->partner_id != 0) {
		buf_adds(b, "  partner ");
		if ((pk = partner_key(ls, e->partner_id)) != NULL)
			text_add_safe(b, pk, 0);
		else
			buf_addf(b, "#%lld", (long long)e->partner_id);
	}
	if (e->field != NULL) {
		buf_adds(b, "  ");
		text_add_safe(b, e->field, 0);
		if (e->old_value != NULL || strcmp(e->field, "note") != 0) {
			buf_adds(b, ": ");
			text_add_safe(b, e->old_value ? e->old_value : "none", 0);
			buf_adds(b, " -> ");
		} else
			buf_adds(b, ": ");
		text_add_safe(b, e->new_value ? e->new_value : "none", 0);
	} else if (e->new_value != NULL) {
		buf_adds(b, "  ");
		text_add_safe(b, e->new_value, 0);
	}
	buf_addc(b, '\n');
	fputs(buf_str(b), stdout);
	ls->n++;
	return 0;
}

static int audit_log(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	struct log_state ls;
	struct store_ticket t;
	struct tz *viewer;
	struct diag vd;
	int rc = -1;

	if (argc > 2)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[2]);
	memset(&ls, 0, sizeof ls);
	buf_init(&ls.b);
	store_ticket_init(&t);
	diag_clear(&vd);
	if ((viewer = tz_load(ctx->viewer_zone ? ctx->viewer_zone : "UTC", &vd)) == NULL &&
	    (viewer = tz_load("UTC", &vd)) == NULL) {
		*d = vd;
		return -1;
	}
	ls.tz = viewer;
	if (argc == 2 && store_ticket_get(ctx->store, argv[1], &t, d) < 0)
		goto out;
	if (store_partner_list(ctx->store, 1, &ls.partners, &ls.npartners, d) < 0)
		goto out;
	if (store_event_each(ctx->store, t.id, log_event, &ls, d) < 0)
		goto out;
	if (ls.n == 0)
		printf("(no events)\n");
	rc = 0;
out:
	store_partner_list_free(ls.partners, ls.npartners);
	store_ticket_release(&t);
	buf_release(&ls.b);
	tz_free(viewer);
	return rc;
}

static int audit_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	int i;

	/* no options: anything starting with '-' other than "--" is a mistake */
	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && strcmp(argv[i], "-") != 0)
			return diag_set(d, DIAG_USAGE, "unknown option '%s'", argv[i]);
	if (argc < 2)
		return diag_set(d, DIAG_USAGE, "which audit command? verify or log");
	if (strcmp(argv[1], "verify") == 0)
		return audit_verify(ctx, argc - 1, argv + 1, d);
	if (strcmp(argv[1], "log") == 0)
		return audit_log(ctx, argc - 1, argv + 1, d);
	return diag_set(d, DIAG_USAGE, "unknown audit command '%s'", argv[1]);
}

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.summary = "verify or show the tamper-evident audit trail",
	.usage = "verify\nlog [TICKET]",
	.help =
		"  verify        check the hash chain: every event's hash covers its\n"
		"                fields and the previous hash, and ids follow each other;\n"
		"                prints the event count and the head hash, or names the\n"
		"                first event that was edited, inserted or deleted\n"
		"  log [TICKET]  every event (or one ticket's), oldest first: id, instant\n"
		"                in your zone, actor, kind, ticket, field: old -> new\n"
		"\nexit status: 0 success (verify: the chain holds), 2 usage error,\n"
		"3 the chain is broken or the ticket unknown, 4 database failure\n",
	.flags = 0,
	.exec = audit_exec,
};
