/* remind.h: which SLA reminders are due, what they say, and their
 * exactly-once bookkeeping (issue 6, `slatrack remind`).
 *
 * remind.c decides and records; it does no network I/O itself.  The
 * caller hands it a struct remind_sender whose deliver() does the SMTP or
 * HTTP work (cmd-remind.c uses mail.h and webhook.h; tests use fakes).
 *
 * What is due.  For each open ticket with a target and no first response,
 * the level it has reached: the highest remind.thresholds percentage of
 * its working-time target consumed (elapsed * 100 >= pct * target), or
 * 100 (a breach notice) once now is past the deadline.  The resolution
 * clock (resolve_target_s, until the ticket is resolved, answered or not)
 * has levels of its own, decided, recorded (threshold
 * STORE_REMIND_RESOLVE + level) and watched (the resolve_ columns of
 * remind_watch) apart from the response clock's; its messages say
 * "resolution", and go to the mail channels only (webhooks and Opsgenie's
 * one alert per ticket follow the response clock).  A clock a wait on the
 * customer stopped (the resolution clock always, the response clock with
 * the partner's pause_response) is frozen: no level of it falls due while
 * the ticket waits, its watch is left as it was, and after `ticket resume`
 * its levels follow the moved deadline (remind_level_at).  Channels:
 *   mail:ADDR     the assignee's [staff "NAME"] email (or the assignee
 *                 itself when it is an address), else remind.team; every
 *                 level.
 *   mail:ADDR     each of report.managers; breach notices only.
 *   mail:ADDR     the partner's own recipients (remind_partner_recipients):
 *                 its contact when [partner "KEY"] notify_contact = yes,
 *                 and each address of [partner "KEY"] notify; every level.
 *   webhook:NAME  each [webhook "NAME"]: breach notices, and thresholds
 *                 when its events include "threshold".  An Opsgenie
 *                 webhook has one alert per ticket (webhook.h): the
 *                 alias of every notice and of the close is the same.
 * A channel gets the highest level the ticket has reached that applies to
 * it; lower levels not yet sent are skipped (no flood after an outage or
 * on a new installation).  A recipient that appears later (reassignment,
 * a new manager) hears from the next level on.  Threshold reminders to a
 * recipient inside its quiet hours ([staff] quiet, in its zone) are held
 * until the window ends; breach notices are never held.
 *
 * The start (remind --since, else remind.start): a reminder whose level
 * was crossed before it (a threshold: the instant that share of working
 * time was used; a breach: the deadline) is recorded skipped, not sent,
 * so no later run sends it; later levels go out as usual.  The first run
 * on a database (no trace of an earlier run) without a start counts what
 * it would send when first_run_check is set: nothing, or it goes ahead;
 * anything, and it changes nothing and reports it (summary.first_run).
 *
 * Exactly once.  Per (ticket, level, channel) one row in `reminders`:
 *   1. claim: inside one BEGIN IMMEDIATE transaction a row is claimed
 *      (inserted, or a due pending row taken) only if no other run holds
 *      it; its Message-ID is fixed at the first claim;
 *   2. deliver, with that Message-ID;
 *   3. mark: sent, or pending again with the server's reply and the next
 *      attempt at now + retry * 2^(attempts-1) (at most a day), or failed
 *      once max_attempts deliveries failed, or at once when the server
 *      refused it for good (REMIND_REFUSED: RFC 5321 5yz).
 * Claims are made a batch (REMIND_BATCH tickets) at a time in one
 * transaction, committed before the first of them is delivered; marks
 * are recorded in groups: one transaction (one fsync) for the outcomes of
 * up to REMIND_MARK_DELIVERIES deliveries, or of those delivered within
 * REMIND_MARK_MS of the first unrecorded one, whichever comes first, and
 * always at the end of each batch and before an error ends the run.  So
 * the crash window (delivered, not yet recorded) is one group: at most
 * REMIND_MARK_DELIVERIES messages, or about half a second of sending (the
 * age of a group is looked at after each delivery: one that takes long,
 * up to smtp.timeout, stretches it).
 * Each run holds a POSIX record lock on one byte of DB-remind.lock (the
 * offset is its run id, recorded in claimed_by) for its whole life.  A
 * claim whose byte is not locked belongs to a run that died (kill -9,
 * power loss) between claim and mark: the next run takes it over and
 * delivers it again with the same Message-ID.  So: a reminder is never
 * delivered twice by two live runs; after a crash between delivery and
 * mark it is delivered again, identical in Message-ID, which mail systems
 * and Opsgenie (alias) de-duplicate: each message of the unrecorded group
 * once more, never a message that was recorded sent, and never a reminder
 * left unsent (its claim was durable before it went out).
 * A run asked to stop (remind_options.stop: SIGTERM, SIGINT or SIGHUP
 * in `slatrack remind`) ends at the next delivery instead: it records
 * every outcome it holds first, so nothing it sent goes out again; its
 * claims not yet delivered are taken over by the next run as above.
 *
 * Follow-ups.  A webhook notice delivered records the ticket's alert
 * (remind_alerts, with the Opsgenie priority it was given).  When that
 * ticket gets its first response or is resolved, the next run posts the
 * webhook's follow-ups (webhook.h: the Opsgenie close, once; the generic
 * "responded" and "resolved" events) as reminders of level
 * STORE_REMIND_RESPONDED / STORE_REMIND_RESOLVED on the same channel,
 * claimed, retried and recovered like every notice; the alert's row goes
 * when the last one is sent or given up.  A ticket without a notice
 * delivered to the webhook gets no follow-up there.  A notice at a level
 * whose priority differs from the one the open alert was given is
 * followed by Opsgenie's update-priority call in the same delivery (a
 * failure of either retries both).
 *
 * Speed: remind_watch remembers per ticket and clock when its next level
 * falls due, so a run with nothing due reads one row per open ticket and
 * computes nothing.  Memory: the due tickets are taken REMIND_BATCH at a time, in
 * ticket order (decided, claimed, delivered, forgotten), so a run over a
 * million due tickets, --dry-run included, holds one batch.  A digest
 * covers one recipient's tickets of one batch: a recipient with tickets
 * in several batches of one run gets several digests.
 */
#ifndef SLATRACK_REMIND_H
#define SLATRACK_REMIND_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

struct cal;
struct config;
struct sla_status;
struct store;
struct mail_message;
struct webhook_target;

#define REMIND_MAX_LEVELS 16
#define REMIND_RETRY_MAX_S 86400	/* backoff never waits longer */
#define REMIND_DIGEST_MAX 100		/* tickets per digest; more: several mails */
#define REMIND_REFUSED (-2)		/* deliver(): refused for good */
#define REMIND_BATCH 10000		/* candidate tickets decided, claimed and
					   delivered together */
#define REMIND_MARK_DELIVERIES 128	/* outcomes recorded in one transaction */
#define REMIND_MARK_MS 500		/* ... or those of this long, if fewer */

struct remind_options {
	int64_t now_at;
	const char *actor;		/* audit events */
	const char *default_zone;	/* recipients not in [staff]: report.zone,
					   else this (NULL: UTC) */
	int per_ticket;			/* 1: a mail per ticket; 0: one digest per
					   recipient and run; -1: remind.per_ticket */
	int dry_run;			/* decide and compose, change nothing */
	const char *lock_path;		/* NULL: "<database>-remind.lock" */
	size_t batch;			/* tickets per batch; 0: REMIND_BATCH */
	int has_since;			/* 1: since_at is set (remind --since) */
	int64_t since_at;		/* overrides remind.start */
	int first_run_check;		/* 1: a first run (remind never ran here)
					   without a start instant counts what it
					   would send, and sends nothing when that
					   is anything (remind_summary.first_run) */
	const volatile sig_atomic_t *stop;	/* set (by a signal handler) to
					   end the run at the next delivery:
					   what went out is recorded, what was
					   claimed and not sent is left to the
					   next run (summary.stopped); NULL: never */
};

enum remind_kind { REMIND_MAIL, REMIND_WEBHOOK };

/* One message to deliver: a mail (one recipient, one or more reminders)
 * or one webhook POST (one reminder). */
struct remind_delivery {
	enum remind_kind kind;
	const char *channel;		/* "mail:ADDR" / "webhook:NAME" */
	const char *recipient;		/* ADDR or NAME */
	const char *message_id;		/* the Message-ID (mail) or alias (webhook) */
	size_t nreminders;
	int resend;			/* this id went out (or may have) before */
	const struct mail_message *mail;	/* REMIND_MAIL */
	const struct webhook_target *webhook;	/* REMIND_WEBHOOK */
	const char *method;		/* REMIND_WEBHOOK: "POST" or "PUT" */
	const char *url;		/* REMIND_WEBHOOK: NULL for the webhook's
					   url, else the alert's (Opsgenie close,
					   priority) */
	const char *body;		/* REMIND_WEBHOOK: the JSON */
	size_t len;
};

struct remind_sender {
	/* Called before each batch (REMIND_BATCH tickets) claims anything,
	 * when it has something to deliver (need_mail: at least one mail);
	 * must be cheap the second time.  -1 ends the run with d (nothing of
	 * that batch claimed). */
	int (*prepare)(void *arg, int need_mail, struct diag *d);
	/* 0: delivered.  -1: not delivered, worth a retry; reply is what
	 * the server said (recorded as the reminder's last_error, with d->msg
	 * when empty).  REMIND_REFUSED: the recipient's server refused it for
	 * good (an SMTP 5yz to RCPT TO or DATA): marked failed at once, no
	 * retry. */
	int (*deliver)(void *arg, const struct remind_delivery *dl, char reply[512],
		       struct diag *d);
	void *arg;
};

struct remind_summary {
	int tickets;			/* tickets looked at closely */
	int mails, mail_failures;	/* messages delivered / not delivered */
	int posts, post_failures;	/* webhook POSTs */
	int reminders;			/* reminders delivered */
	int retrying;			/* reminders left pending for a retry */
	int gave_up;			/* reminders marked failed */
	int held;			/* threshold reminders held by quiet hours */
	int skipped;			/* superseded, or the ticket was answered */
	int recovered;			/* claims of dead runs taken over */
	int before_start;		/* recorded skipped: due before the start */
	int first_run;			/* 1: refused as a first run; nothing
					   changed, reminders/mails/posts/tickets
					   count what would have gone out */
	int stopped;			/* 1: options.stop ended the run early */
	int has_oldest;
	int64_t oldest_at;		/* the earliest crossing among them */
	struct buf problems;		/* one line per failure, for stderr */
};

void remind_summary_init(struct remind_summary *sum);
void remind_summary_release(struct remind_summary *sum);

/* One run.  Returns 0 when it ran (failed deliveries are counted in sum
 * and described in sum->problems, and stay pending for a retry), -1 with
 * d for a failure of the run itself (configuration, database, lock). */
int remind_run(struct store *s, const struct config *cfg, const struct remind_options *o,
	       const struct remind_sender *snd, struct remind_summary *sum,
	       struct diag *d);

/* The level a ticket has reached: the highest of levels[] (ascending
 * percentages below 100) with elapsed_s * 100 >= pct * target_s, 100 when
 * breached, 0 when none. */
int remind_level(const int *levels, size_t nlevels, int64_t elapsed_s, int64_t target_s,
		 int breached);
/* The level of one clock from where it stands (st from sla_compute,
 * target_s the clock's target): remind_level over its elapsed working
 * time, 100 when breached, and 0 when it is not timed, stopped in time,
 * or frozen by a wait on the customer (SLA_WAITING): nothing falls due
 * while a ticket waits, and once it resumes its moved deadline decides. */
int remind_status_level(const int *levels, size_t nlevels, const struct sla_status *st,
			int64_t target_s);
/* The instant a clock of target_s working seconds from created_at, whose
 * stored deadline is deadline_at, has used pct percent of its target
 * (from then on elapsed_s * 100 >= pct * target_s, elapsed as sla_compute
 * counts it).  The stored deadline carries every closed pause, so the
 * working time it lies beyond the target is the time the clock stood
 * still: after a resume the instant moves with the deadline.  -1 with d
 * when the calendar cannot say. */
int remind_level_at(const struct cal *c, int64_t created_at, int64_t target_s,
		    int64_t deadline_at, int pct, int64_t *at, struct diag *d);
/* Parses "HH:MM-HH:MM" and tells whether local second-of-day tod is in
 * it (a window may wrap midnight).  -1 for a bad window. */
int remind_in_quiet(const char *window, int32_t tod);
/* A partner's own reminder recipients: its contact (may be NULL) when
 * [partner "KEY"] notify_contact = yes, then each address of [partner
 * "KEY"] notify, without repeats (case-insensitive), as "a@x, b@y" added
 * to b; nothing when none.  For remind, `partner show` and the TUI. */
void remind_partner_recipients(const struct config *cfg, const char *partner_key,
			       const char *contact, struct buf *b);
/* "slatrack ticket show KEY" with KEY shell-quoted when needed; "#ID"
 * when key is NULL. */
void remind_open_command(struct buf *b, const char *key, int64_t id);

#endif
