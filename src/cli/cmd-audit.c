/* cmd-audit.c: `slatrack audit verify [--head ID:HASH]`, `slatrack audit
 * head [--format json]` and `slatrack audit log [TICKET]` (issue 3, item
 * 5; issue 10, item 8).
 *
 * verify walks the hash chain (store_audit_verify): every event's hash
 * must cover its own fields and the previous event's hash, and ids must
 * follow one another, so an edited, inserted or deleted row is found and
 * named; the chain's end is checked against SQLite's sequence and the
 * head recorded with every append, so events deleted at the end are
 * found too.  With --head, the chain must still hold a head published
 * earlier (what `audit head` printed): the one check that holds against
 * someone who rewrote the whole file.  Exit 0 when the chain holds, 3
 * when it does not (broken, cut short, or without the published head).
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
#include "json.h"
#include "store.h"
#include "text.h"
#include "tz.h"

/* After getopt_long returned '?' for arg (opterr 0). */
static int bad_option(const char *arg, struct diag *d)
{
	return diag_set(d, DIAG_USAGE, optopt != 0 ? "option '%s' needs a value" :
	    "unknown option '%s'", arg);
}

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* "ID:HASH" or "HASH" (64 hex digits, either case) into a; 1 for the
 * head of an empty trail, "0:" and the genesis hash, which every trail
 * holds. */
static int parse_anchor(const char *arg, struct store_audit_anchor *a, struct diag *d)
{
	const char *colon = strchr(arg, ':'), *h = arg;
	size_t n;

	memset(a, 0, sizeof *a);
	if (colon != NULL) {
		int64_t id = 0;

		for (const char *p = arg; p < colon; p++) {
			if (*p < '0' || *p > '9' || id > (INT64_MAX - 9) / 10)
				goto bad;
			id = id * 10 + (*p - '0');
		}
		if (colon == arg)
			goto bad;
		a->id = id;
		h = colon + 1;
	}
	if ((n = strlen(h)) != 64)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			goto bad;
		a->hash[i] = c;
	}
	a->hash[64] = '\0';
	if (colon == NULL || a->id > 0)
		return 0;
	if (strcmp(a->hash, GENESIS_HASH) != 0)
		return diag_set(d, DIAG_USAGE, "--head: event 0 is the start of every trail; "
		    "its hash is 64 zeros");
	return 1;
bad:
	return diag_set(d, DIAG_USAGE, "--head: '%s' is not a head as 'audit head' prints it "
	    "(ID:HASH, or HASH: 64 hex digits)", arg);
}

/* The trail holds, but does it still hold the published head?  exit 3
 * like a broken chain: either way the trail cannot be trusted. */
static int anchor_missing(const struct store_audit_result *r, const struct store_audit_anchor *a,
			  FILE *out, struct diag *d)
{
	fprintf(out, "audit trail BROKEN: the published head is not in it (%lld events "
	    "read)\n", (long long)r->nevents);
	if (a->id == 0)
		return diag_set(d, DIAG_INPUT, "audit trail broken: no event has the published "
		    "hash %s: the trail was rewritten or cut short", a->hash);
	if (a->id > r->head_id)
		return diag_set(d, DIAG_INPUT, "audit trail broken: the published head, event "
		    "%lld, is beyond the end of the trail (event %lld): events were deleted "
		    "and the rest made to look whole", (long long)a->id, (long long)r->head_id);
	return diag_set(d, DIAG_INPUT, "audit trail broken: event %lld no longer has the "
	    "published hash %s: the trail up to it was rewritten", (long long)a->id, a->hash);
}

/* Walks the chain (with the published head a, when not NULL); 0 when it
 * holds, -1 with d set (DIAG_INPUT) when it does not, and the verdict's
 * headline on out (NULL: none, stdout carries only the head). */
static int verify_chain(struct ctx *ctx, const struct store_audit_anchor *a,
			struct store_audit_result *r, FILE *out, struct diag *d)
{
	if (store_audit_verify_head(ctx->store, a, r, d) < 0)
		return -1;
	if (r->bad_id != 0) {
		if (out != NULL)
			fprintf(out, "audit trail BROKEN at event %lld (%lld events read)\n",
			    (long long)r->bad_id, (long long)r->nevents);
		return diag_set(d, DIAG_INPUT, "audit trail broken: event %lld: %s",
		    (long long)r->bad_id, r->problem);
	}
	if (a != NULL && r->anchor_id == 0)
		return anchor_missing(r, a, out, d);
	return 0;
}

static int audit_verify(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "head", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_audit_anchor anchor, *a = NULL;
	struct store_audit_result r;
	int c, genesis = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'H')
			return bad_option(argv[optind - 1], d);
		if ((genesis = parse_anchor(optarg, &anchor, d)) < 0)
			return -1;
		a = genesis ? NULL : &anchor;
	}
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (verify_chain(ctx, a, &r, stdout, d) < 0)
		return -1;
	if (r.nevents == 0)
		printf("audit trail empty: 0 events\n");
	else
		printf("audit trail intact: %lld event%s, head %s\n", (long long)r.nevents,
		    r.nevents == 1 ? "" : "s", r.head_hash);
	if (a != NULL)
		printf("it holds the published head: event %lld has hash %s\n",
		    (long long)r.anchor_id, a->hash);
	else if (genesis)
		printf("it holds the published head: event 0, the start of every trail\n");
	return 0;
}

/* Verifies the chain, then prints its head for publishing elsewhere:
 * "ID:HASH", exactly what --head takes. */
static int audit_head(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_audit_result r;
	const char *format = "text", *hash;
	char now[CIVIL_ISO_LEN];
	struct buf b = BUF_INIT;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f')
			return bad_option(argv[optind - 1], d);
		if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
			return diag_set(d, DIAG_USAGE, "--format: unknown format '%s' (text or "
			    "json)", optarg);
		format = optarg;
	}
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (verify_chain(ctx, NULL, &r, NULL, d) < 0)
		return -1;
	/* an empty trail's head is the genesis hash every chain starts from */
	hash = r.head_id > 0 ? r.head_hash : GENESIS_HASH;
	if (strcmp(format, "json") == 0) {
		civil_format_utc(ctx->now_at, now);
		buf_addf(&b, "{\"head\": \"%lld:%s\", \"id\": %lld, \"hash\": \"%s\", "
		    "\"events\": %lld, \"verified_at\": \"%s\", \"database\": ",
		    (long long)r.head_id, hash, (long long)r.head_id, hash,
		    (long long)r.nevents, now);
		json_add_string(&b, store_path(ctx->store));
		buf_adds(&b, "}\n");
	} else
		buf_addf(&b, "%lld:%s\n", (long long)r.head_id, hash);
	if (buf_failed(&b)) {
		buf_release(&b);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	fputs(buf_str(&b), stdout);
	buf_release(&b);
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

	if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "-") != 0)
		return diag_set(d, DIAG_USAGE, "unknown option '%s'", argv[1]);
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
	if (argc < 2)
		return diag_set(d, DIAG_USAGE, "which audit command? verify, head or log");
	if (argv[1][0] == '-')
		return diag_set(d, DIAG_USAGE, "unknown option '%s' (the audit command comes "
		    "first: verify, head or log)", argv[1]);
	if (strcmp(argv[1], "verify") == 0)
		return audit_verify(ctx, argc - 1, argv + 1, d);
	if (strcmp(argv[1], "head") == 0)
		return audit_head(ctx, argc - 1, argv + 1, d);
	if (strcmp(argv[1], "log") == 0)
		return audit_log(ctx, argc - 1, argv + 1, d);
	return diag_set(d, DIAG_USAGE, "unknown audit command '%s'", argv[1]);
}

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.summary = "verify or show the tamper-evident audit trail",
	.usage = "verify [--head ID:HASH]\nhead [--format text|json]\nlog [TICKET]",
	.help =
		"  verify        check the hash chain: every event's hash covers its\n"
		"                fields and the previous hash, ids follow each other, and\n"
		"                no event is missing at the end (SQLite's sequence and the\n"
		"                head recorded with every append agree); prints the event\n"
		"                count and the head hash, or names the first event that\n"
		"                was edited, inserted or deleted\n"
		"    --head ID:HASH  also prove the trail still holds a head published\n"
		"                earlier (as 'audit head' printed it; HASH alone is\n"
		"                looked for in every event)\n"
		"  head          verify, then print the head as ID:HASH, to publish\n"
		"                somewhere the database's writers cannot change (a mail,\n"
		"                a ticket, a file elsewhere); without a published head a\n"
		"                writer can rewrite the whole trail unseen\n"
		"    --format json   {\"head\", \"id\", \"hash\", \"events\", \"verified_at\",\n"
		"                \"database\"}\n"
		"  log [TICKET]  every event (or one ticket's), oldest first: id, instant\n"
		"                in your zone, actor, kind, ticket, field: old -> new\n"
		"\nexit status: 0 success (verify: the chain holds), 2 usage error,\n"
		"3 the chain is broken, cut short or without the published head, or the\n"
		"ticket is unknown, 4 database failure\n",
	.flags = CMD_DB_READ,
	.exec = audit_exec,
};
