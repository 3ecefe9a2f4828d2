/* cmd-remind.c: `slatrack remind` (issue 6), run from cron or a systemd
 * timer every 5-15 minutes.  remind.c decides what is due and keeps the
 * books; this file delivers (mail.h, webhook.h) or, with --dry-run,
 * prints what it would deliver.  Silent when there is nothing to do and
 * nothing failed (cron mails any output); -v prints one summary line.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "cli/cmd.h"
#include "config.h"
#include "mail.h"
#include "remind.h"
#include "tz.h"
#include "webhook.h"

struct sender {
	struct ctx *ctx;
	int dry_run;
	int have_transport;
	struct mail_transport transport;
	struct mail_session *session;	/* one connection for the run's mails */
	int delivered;			/* successful deliveries so far */
	int kill_after;			/* test hook: SIGKILL after this many; 0 off */
	int term_after;			/* test hook: SIGTERM after this many; 0 off */
	int ndry;			/* dry run: messages printed */
};

static int sender_prepare(void *arg, int need_mail, struct diag *d)
{
	struct sender *s = arg;

	if (!need_mail || s->dry_run || s->have_transport)
		return 0;
	if (mail_transport_from_config(&s->transport, s->ctx->cfg, d) < 0) {
		/* the file's name before what is wrong in it, not before a
		 * missing libcurl or memory */
		if (d->code == DIAG_INPUT)
			diag_prefix(d, "%s", config_source(s->ctx->cfg));
		return -1;
	}
	s->have_transport = 1;
	return 0;
}

/* Prints a composed message as text: CRLF as LF. */
static void print_dry(struct sender *s, const struct remind_delivery *dl,
		      const char *data, size_t len)
{
	FILE *out = s->ctx->out;

	fprintf(out, "%s==== %s %d: %s%s %s (%zu reminder%s%s) ====\n", s->ndry ? "\n" : "",
	    dl->kind == REMIND_MAIL ? "mail" : "webhook", s->ndry + 1,
	    dl->kind == REMIND_MAIL ? "" : dl->method ? dl->method : "POST",
	    dl->kind == REMIND_MAIL ? "to" : " to", dl->kind == REMIND_MAIL ?
	    dl->recipient : dl->url ? dl->url : dl->webhook->url, dl->nreminders,
	    dl->nreminders == 1 ? "" : "s", dl->resend ? ", sent before: same id" : "");
	while (len > 0) {
		const char *cr = memchr(data, '\r', len);
		size_t run = cr != NULL ? (size_t)(cr - data) : len;

		fwrite(data, 1, run, out);
		data += run;
		len -= run;
		if (len > 0) {		/* at a '\r': dropped before '\n' */
			if (len == 1 || data[1] != '\n')
				fputc('\r', out);
			data++;
			len--;
		}
	}
	s->ndry++;
}

static int sender_deliver(void *arg, const struct remind_delivery *dl, char reply[512],
			  struct diag *d)
{
	struct sender *s = arg;
	char mreply[MAIL_REPLY_MAX];
	int rc;

	if (s->dry_run) {
		if (dl->kind == REMIND_MAIL) {
			struct buf b = BUF_INIT;

			if (mail_compose(dl->mail, &b, d) < 0) {
				buf_release(&b);
				return -1;
			}
			print_dry(s, dl, buf_str(&b), b.len);
			buf_release(&b);
		} else
			print_dry(s, dl, dl->body, dl->len);
		return 0;
	}
	if (dl->kind == REMIND_MAIL) {
		if (s->session == NULL && (s->session = mail_session_open(&s->transport,
		    d)) == NULL)
			return -1;
		rc = mail_session_send_message(s->session, dl->mail, mreply, d);
		snprintf(reply, 512, "%s", mreply);
		if (rc == MAIL_REFUSED)
			rc = REMIND_REFUSED;
	} else
		rc = webhook_request(dl->webhook, dl->method ? dl->method : "POST", dl->url,
		    dl->body, dl->len, reply, d);
	if (rc == 0) {
		s->delivered++;
		if (s->delivered == s->kill_after) {
			/* test hook: die between delivery and bookkeeping */
			fflush(NULL);
			raise(SIGKILL);
		}
		if (s->delivered == s->term_after)
			raise(SIGTERM);	/* test hook: as `kill -TERM` right now */
	}
	return rc;
}

/* The signal that asked the run to stop (0: none).  A signal handler can
 * only set a flag; remind_run looks at it before each delivery. */
static volatile sig_atomic_t remind_stop_signal;

static void remind_on_signal(int sig)
{
	remind_stop_signal = sig;
}

/* SIGTERM (systemd, `timeout`), SIGINT and SIGHUP end the run at the next
 * delivery, with everything sent recorded; the previous handlers are kept
 * in old[] for remind_signals_restore. */
static const int remind_signals[] = { SIGTERM, SIGINT, SIGHUP };
#define REMIND_NSIGNALS (sizeof remind_signals / sizeof remind_signals[0])

static void remind_signals_catch(struct sigaction old[REMIND_NSIGNALS])
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = remind_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	remind_stop_signal = 0;
	for (size_t i = 0; i < REMIND_NSIGNALS; i++)
		if (sigaction(remind_signals[i], NULL, &old[i]) == 0 &&
		    old[i].sa_handler != SIG_IGN)	/* nohup's SIGHUP stays ignored */
			sigaction(remind_signals[i], &sa, NULL);
}

static void remind_signals_restore(const struct sigaction old[REMIND_NSIGNALS])
{
	for (size_t i = 0; i < REMIND_NSIGNALS; i++)
		sigaction(remind_signals[i], &old[i], NULL);
}

/* --since INSTANT: "now" is the run's now; an instant without an offset
 * is in the viewer's zone. */
static int parse_since(struct ctx *ctx, const char *v, struct remind_options *o,
		       struct diag *d)
{
	struct tz *z;
	int rc;

	o->has_since = 1;
	if (strcmp(v, "now") == 0) {
		o->since_at = ctx->now_at;
		return 0;
	}
	if ((z = tz_load(ctx->viewer_zone ? ctx->viewer_zone : "UTC", d)) == NULL)
		return -1;
	rc = cmd_parse_instant("--since", v, z, &o->since_at, d);
	tz_free(z);
	return rc;
}

/* A first run refused: what would have gone out, and the two ways on. */
static int first_run_refusal(const struct remind_summary *sum, struct diag *d)
{
	char oldest[CIVIL_ISO_LEN] = "?";

	if (sum->has_oldest)
		civil_format_utc(sum->oldest_at, oldest);
	return diag_set(d, DIAG_FINDING, "first run on this database: %d notice%s about %d "
	    "ticket%s would go out (%d mail%s, %d webhook post%s), the oldest due since %s; "
	    "nothing was sent; run 'slatrack remind --since now' to skip this backlog "
	    "(recorded as skipped, never sent) or 'slatrack remind --all' to send it",
	    sum->reminders, sum->reminders == 1 ? "" : "s", sum->tickets,
	    sum->tickets == 1 ? "" : "s", sum->mails, sum->mails == 1 ? "" : "s", sum->posts,
	    sum->posts == 1 ? "" : "s", oldest);
}

static int remind_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "per-ticket", no_argument, NULL, 'p' },
		{ "digest", no_argument, NULL, 'g' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "since", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct remind_options o;
	struct remind_sender snd;
	struct remind_summary sum;
	struct sender s;
	struct sigaction old[REMIND_NSIGNALS];
	const char *hooks = getenv("SLATRACK_TEST_HOOKS"), *hook, *since = NULL;
	int c, verbose = 0, rc = -1, failures, all = 0, stopped_by = 0, ran;

	memset(&o, 0, sizeof o);
	memset(&s, 0, sizeof s);
	o.per_ticket = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "nv", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o.dry_run = 1; break;
		case 'p': o.per_ticket = 1; break;
		case 'g': o.per_ticket = 0; break;
		case 'v': verbose = 1; break;
		case 's': since = optarg; break;
		case 'a': all = 1; break;
		default:
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (since != NULL && all)
		return diag_set(d, DIAG_USAGE, "--since and --all exclude each other");
	o.now_at = ctx->now_at;
	if (since != NULL && parse_since(ctx, since, &o, d) < 0)
		return -1;
	o.first_run_check = !all;
	o.actor = ctx->actor;
	o.default_zone = ctx->viewer_zone;
	s.ctx = ctx;
	s.dry_run = o.dry_run;
	mail_transport_init(&s.transport);
	if (hooks != NULL && strcmp(hooks, "1") == 0) {
		if ((hook = getenv("SLATRACK_TEST_KILL_AFTER_SEND")) != NULL)
			s.kill_after = (int)strtol(hook, NULL, 10);
		if ((hook = getenv("SLATRACK_TEST_TERM_AFTER_SEND")) != NULL)
			s.term_after = (int)strtol(hook, NULL, 10);
	}
	snd.prepare = sender_prepare;
	snd.deliver = sender_deliver;
	snd.arg = &s;
	o.stop = &remind_stop_signal;
	remind_summary_init(&sum);
	remind_signals_catch(old);
	ran = remind_run(ctx->store, ctx->cfg, &o, &snd, &sum, d);
	remind_signals_restore(old);
	if (ran < 0)
		goto out;
	stopped_by = sum.stopped ? remind_stop_signal : 0;
	if (stopped_by != 0) {
		fprintf(ctx->err, "slatrack: remind: stopped by %s after %d mail%s and %d post%s, "
		    "every one of them recorded; the next run sends what is left\n",
		    strsignal(stopped_by), sum.mails, sum.mails == 1 ? "" : "s", sum.posts,
		    sum.posts == 1 ? "" : "s");
		goto out;
	}
	if (sum.first_run) {
		first_run_refusal(&sum, d);
		goto out;
	}
	failures = sum.mail_failures + sum.post_failures;
	if (verbose)
		fprintf(ctx->out, "remind: %d ticket%s checked; %d reminder%s %s in %d mail%s "
		    "and %d post%s; %d deliver%s failed (%d to retry, %d given up); %d held "
		    "(quiet hours); %d skipped; %d recovered from a crashed run%s\n",
		    sum.tickets, sum.tickets == 1 ? "" : "s", sum.reminders,
		    sum.reminders == 1 ? "" : "s", o.dry_run ? "would go" : "sent",
		    sum.mails, sum.mails == 1 ? "" : "s", sum.posts, sum.posts == 1 ? "" : "s",
		    failures, failures == 1 ? "y" : "ies", sum.retrying, sum.gave_up, sum.held,
		    sum.skipped, sum.recovered, o.dry_run ? "; dry run: nothing changed" : "");
	if (verbose && sum.before_start > 0)
		fprintf(ctx->out, "remind: %d reminder%s due before the start skipped for good\n",
		    sum.before_start, sum.before_start == 1 ? "" : "s");
	if (sum.problems.len > 0) {
		const char *p = buf_str(&sum.problems);

		fflush(ctx->out);
		while (*p != '\0') {
			size_t l = strcspn(p, "\n");

			fprintf(ctx->err, "slatrack: remind: %.*s\n", (int)l, p);
			p += l;
			if (*p == '\n')
				p++;
		}
		if (failures > 0 && sum.gave_up == 0)
			diag_set(d, DIAG_NET, "%d deliver%s failed; the reminders stay pending "
			    "and are retried by later runs", failures, failures == 1 ? "y" : "ies");
		else if (failures > 0)
			diag_set(d, DIAG_NET, "%d deliver%s failed; %d reminder%s stay%s pending "
			    "for a retry, %d %s marked failed (see above)", failures,
			    failures == 1 ? "y" : "ies", sum.retrying, sum.retrying == 1 ? "" : "s",
			    sum.retrying == 1 ? "s" : "", sum.gave_up,
			    sum.gave_up == 1 ? "is" : "are");
		else
			diag_set(d, DIAG_INPUT, "some reminders could not be sent (see above)");
		goto out;
	}
	rc = 0;
out:
	remind_summary_release(&sum);
	mail_session_close(s.session);		/* QUIT before the password is wiped */
	mail_transport_release(&s.transport);
	if (stopped_by != 0) {
		/* ended as the signal asked, now that all is recorded: the
		 * exit status says so to cron, systemd or the shell */
		fflush(NULL);
		raise(stopped_by);
		diag_set(d, DIAG_NET, "stopped by %s", strsignal(stopped_by));
	}
	return rc;
}

const struct cmd_entry cmd_remind_entry = {
	.name = "remind",
	.summary = "send due SLA reminders and breach notices (run it from cron)",
	.usage = "[--dry-run] [--per-ticket | --digest] [--since INSTANT | --all] [-v]",
	.help =
		"  -n, --dry-run   print every message that would go out (in full) and\n"
		"                  change nothing\n"
		"  --per-ticket    one mail per ticket and threshold (remind.per_ticket = yes)\n"
		"  --digest        one mail per recipient and run listing all its tickets\n"
		"                  (the default)\n"
		"  --since INSTANT send nothing that fell due before INSTANT ('now': this\n"
		"                  run's now): recorded as skipped, never sent later;\n"
		"                  overrides remind.start\n"
		"  --all           on the first run, send the whole backlog\n"
		"  -v, --verbose   print a one-line summary\n"
		"\n"
		"For each open ticket with a target and no first response: a reminder at\n"
		"each remind.thresholds share of its working time consumed (50,75,90) and\n"
		"a breach notice when the deadline passes, to the assignee's [staff] email\n"
		"or remind.team; breach notices also to report.managers and [webhook]\n"
		"URLs.  A ticket with a resolution target (partner --target-resolve) also\n"
		"gets the same thresholds and a breach notice of its resolution deadline,\n"
		"until resolved, by mail, saying \"resolution\".  Nothing falls due of a\n"
		"clock a wait on the customer stopped (the resolution clock always, the\n"
		"response clock with partner --pause-response yes); after `ticket resume`\n"
		"the levels follow the moved deadline.  An Opsgenie webhook gets one\n"
		"alert per ticket (alias slatrack-INSTALL-ID), raised from P3 to P2 at the\n"
		"last threshold and P1 at the breach, and closed by the first run after\n"
		"the ticket's first response or resolution; a generic webhook gets\n"
		"\"responded\" and \"resolved\" events for tickets it was told about.\n"
		"Mails and webhook payloads carry the ticket's helpdesk link (ticket_url)\n"
		"when configured.\n"
		"A dry run also prints each close and priority update it would make.\n"
		"Each (ticket, threshold, recipient) is delivered at most once by\n"
		"live runs; a run killed between delivering and recording is followed by\n"
		"a resend with the same Message-ID.  SIGTERM, SIGINT or SIGHUP stop a run\n"
		"at the next delivery with everything sent recorded (nothing goes out\n"
		"twice); it then exits as killed by the signal.  Silent when nothing is\n"
		"due.\n"
		"smtp.timeout bounds every wait of a mail, and password_command.  A 5xx\n"
		"reply to RCPT TO or to the message refuses it for good: marked failed,\n"
		"not retried.\n"
		"The first run on a database (remind never ran on it) without --since,\n"
		"remind.start or --all sends nothing when it has a backlog: it says on\n"
		"stderr how many notices would go out and exits 1, at every run until\n"
		"you choose --since now (skip the backlog) or --all (send it).\n"
		"\nexit status: 0 success (also with nothing to do), 1 a first run with a\n"
		"backlog (nothing sent), 2 usage error,\n"
		"3 bad configuration (no address, bad smtp settings, password_command\n"
		"failed or timed out), 4 a delivery failed (retried by later runs unless\n"
		"refused for good) or a database failure; 128 + the signal's number\n"
		"(143 for SIGTERM) when a signal stopped it\n",
	.flags = 0,
	.exec = remind_exec,
};
