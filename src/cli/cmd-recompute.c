/* cmd-recompute.c: `slatrack recompute` (issue 3, item 4): bring stored
 * deadlines in line with the partners' current settings after a
 * calendar, zone, hours or target change.
 *
 * Tickets whose SLA clock still runs (no first response, not resolved)
 * are recomputed; --all adds those whose clock has stopped, which can
 * turn a met SLA into a breach or back.  Every move is printed (old ->
 * new deadline, and whether the ticket becomes or stops being breached);
 * without --dry-run all moves are applied in one transaction, each with
 * one "ticket.recompute" audit event carrying the old and new clocks.
 *
 * The moves are collected during the scan of the tickets and written after
 * it (a scan must not see its own table change under it) by
 * store_ticket_moves: one prepared UPDATE of the clock columns per ticket
 * and one event each, inserted 32 at a time, so 100,000 tickets take
 * under a second.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "cli/cmd.h"
#include "cli/ticketfmt.h"
#include "sla.h"
#include "store.h"

struct recompute {
	struct ctx *ctx;
	int dry_run;
	struct diag *d;
	double at_risk;			/* sla_at_risk, read once: it parses the config */
	size_t moved, to_breached, from_breached;
	struct buf line;
	struct store_ticket_move *v;	/* the moves to write, in id order */
	size_t n, cap;
};

/* Keeps m for the write after the scan. */
static int keep_move(struct recompute *r, const struct sla_move *m)
{
	struct store_ticket_move *w;

	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 1024;

		if ((w = realloc(r->v, ncap * sizeof *w)) == NULL)
			return diag_set(r->d, DIAG_NOMEM, "out of memory");
		r->v = w;
		r->cap = ncap;
	}
	w = &r->v[r->n++];
	w->id = m->t->id;
	w->partner_id = m->t->partner_id;
	w->updated_at = m->t->updated_at;
	w->from.target_s = m->t->target_s;
	w->from.deadline_at = m->t->deadline_at;
	w->from.resolve_target_s = m->t->resolve_target_s;
	w->from.resolve_deadline_at = m->t->resolve_deadline_at;
	w->to.target_s = m->target_s;
	w->to.deadline_at = m->deadline_at;
	w->to.resolve_target_s = m->resolve_target_s;
	w->to.resolve_deadline_at = m->resolve_deadline_at;
	return 0;
}

/* Writes the kept moves inside the open transaction. */
static int write_moves(struct recompute *r)
{
	return store_ticket_moves(r->ctx->store, r->v, r->n, r->ctx->actor, r->ctx->now_at,
	    r->d);
}

static void deadline_text(struct buf *b, const struct sla_partner *p, int64_t at)
{
	char s[TIMEFMT_LEN];

	if (at == STORE_NONE) {
		buf_adds(b, "none");
		return;
	}
	ticketfmt_short(p->sched.tz, at, s);
	buf_adds(b, s);
}

static int one_move(const struct sla_move *m, void *arg)
{
	struct recompute *r = arg;
	struct store_ticket t = *m->t;
	struct sla_status before, after;

	t.target_s = m->target_s;
	t.deadline_at = m->deadline_at;
	t.resolve_target_s = m->resolve_target_s;
	t.resolve_deadline_at = m->resolve_deadline_at;
	sla_compute(m->t, m->p->sched.cal, r->ctx->now_at, r->at_risk, &before);
	sla_compute(&t, m->p->sched.cal, r->ctx->now_at, r->at_risk, &after);
	buf_reset(&r->line);
	ticketfmt_label(&r->line, m->t);
	buf_adds(&r->line, "  ");
	ticketfmt_fit(&r->line, m->t->partner_key, 0);
	buf_addf(&r->line, "  %s  ", store_severity_name(m->t->severity));
	deadline_text(&r->line, m->p, m->t->deadline_at);
	buf_adds(&r->line, " -> ");
	deadline_text(&r->line, m->p, m->deadline_at);
	if (m->resolve_deadline_at != m->t->resolve_deadline_at) {
		buf_adds(&r->line, "  resolve ");
		deadline_text(&r->line, m->p, m->t->resolve_deadline_at);
		buf_adds(&r->line, " -> ");
		deadline_text(&r->line, m->p, m->resolve_deadline_at);
	}
	if (after.state == SLA_BREACHED && before.state != SLA_BREACHED) {
		buf_adds(&r->line, r->dry_run ? "  would become BREACHED" : "  now BREACHED");
		r->to_breached++;
	} else if (before.state == SLA_BREACHED && after.state != SLA_BREACHED) {
		buf_adds(&r->line, r->dry_run ? "  would no longer be breached" :
		    "  no longer breached");
		r->from_breached++;
	}
	buf_addc(&r->line, '\n');
	fputs(buf_str(&r->line), stdout);
	r->moved++;
	return r->dry_run ? 0 : keep_move(r, m);
}

static int recompute_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "partner", required_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct recompute r;
	struct store_ticket_filter f;
	struct sla_cache *cache;
	const char *partner = NULL;
	int c, all = 0, rc = -1;

	memset(&r, 0, sizeof r);
	buf_init(&r.line);
	r.ctx = ctx;
	r.d = d;
	r.at_risk = sla_at_risk(ctx->cfg);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': partner = optarg; break;
		case 'n': r.dry_run = 1; break;
		case 'a': all = 1; break;
		default:
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if ((cache = sla_cache_new(ctx->store)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	store_ticket_filter_init(&f);
	f.open_only = !all;
	if (!r.dry_run && (store_bulk(ctx->store, d) < 0 || store_begin(ctx->store, d) < 0))
		goto out;
	if (partner != NULL) {
		const struct sla_partner *p = sla_cache_get_key(cache, partner, d);

		if (p == NULL) {
			diag_prefix(d, "--partner");
			goto out;
		}
		f.partner_id = p->partner.id;
	}
	if (sla_moves(ctx->store, cache, &f, all, one_move, &r, d) < 0 || write_moves(&r) < 0)
		goto out;	/* the rollback below undoes every move */
	if (!r.dry_run && store_commit(ctx->store, d) < 0)
		goto out;
	if (r.moved == 0)
		printf("no deadline moves: every %sticket matches its partner's settings\n",
		    all ? "" : "open ");
	else {
		printf("%zu ticket%s %s", r.moved, r.moved == 1 ? "" : "s",
		    r.dry_run ? "would move" : "moved");
		if (r.to_breached > 0)
			printf(", %zu %s breached", r.to_breached,
			    r.dry_run ? "would become" : "became");
		if (r.from_breached > 0)
			printf(", %zu %s breached", r.from_breached,
			    r.dry_run ? "would no longer be" : "no longer");
		printf("%s\n", r.dry_run ? "; dry run, nothing changed" : "");
	}
	rc = 0;
out:
	store_rollback(ctx->store);
	sla_cache_free(cache);
	buf_release(&r.line);
	free(r.v);
	return rc;
}

const struct cmd_entry cmd_recompute_entry = {
	.name = "recompute",
	.summary = "recompute stored deadlines from the partners' current settings",
	.usage = "[--partner KEY] [--dry-run] [--all]",
	.help =
		"  --partner KEY   only this partner's tickets\n"
		"  --dry-run       show what would move; change nothing\n"
		"  --all           also tickets whose SLA clock has stopped (responded or\n"
		"                  resolved); by default they keep their deadline\n"
		"\n"
		"Each moved ticket is printed with its old and new deadline (partner\n"
		"local time), and whether it becomes (or stops being) breached.  Moves\n"
		"are applied in one transaction and recorded as one \"ticket.recompute\"\n"
		"audit event per ticket with the old and new values of the clocks that\n"
		"moved.\n"
		"\nexit status: 0 success, 2 usage error, 3 bad input (unknown partner,\n"
		"a stored calendar that no longer compiles), 4 database failure\n",
	.flags = 0,
	.exec = recompute_exec,
};
