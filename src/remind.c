/* remind.c: due reminders, their messages and their bookkeeping; see
 * remind.h.  No network I/O here: deliveries go through the caller's
 * struct remind_sender. */
#include "remind.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cal.h"
#include "civil.h"
#include "config.h"
#include "mail.h"
#include "sha256.h"
#include "sla.h"
#include "store-remind.h"
#include "store.h"
#include "text.h"
#include "ticketfmt.h"
#include "ticketurl.h"
#include "tz.h"
#include "webhook.h"

#define MAX_STAFF 256
#define MAX_MANAGERS 32
#define MAX_PARTNER_NOTIFY 32	/* a partner's contact and notify list */
#define SUBJECT_SUMMARY_CHARS 70

struct staff {
	const char *name, *email, *zone, *quiet;	/* borrowed from the config */
};

/* A ticket under consideration, with where each clock stands (indexed by
 * enum sla_clock): levels are percentages, 100 the breach; the reminder
 * rows of the resolution clock add STORE_REMIND_RESOLVE. */
struct tinfo {
	struct store_ticket t;			/* owned copy */
	const struct sla_partner *p;		/* borrowed from the cache */
	struct sla_status st[2];
	int level[2];
	int bad;				/* its partner's schedule does not compile */
	int counted;				/* in remind_summary.tickets */
};

/* One reminder: (ticket, level, channel) to claim, claimed, or recovered. */
struct item {
	struct tinfo *ti;
	int level;
	char *channel;
	char *message_id;		/* NULL until known */
	int attempts;			/* after the claim */
	int resend;			/* retry or recovery: the id went out before */
	int claimed;			/* ours to deliver (or, dry-run, would be) */
	int recovered;			/* taken over from a dead run */
	int drop;			/* recovered but no longer needed */
	int hold;			/* recovered while its ticket waits: put
					   back to pending for after the resume */
	const char *no_address;		/* mail channel without an address: why */
	int ok;				/* delivered */
	int refused;			/* refused for good: no retry */
	char error[600];		/* why not */
};

struct skip {
	int64_t ticket_id;
	int level;
	char *channel;
	const char *why;
};

/* An alert with nothing (more) to follow up: its row goes. */
struct alert_end {
	int64_t ticket_id;
	char *channel;
};

struct watch {
	int64_t ticket_id, deadline_at, next_at;
	int clock;			/* enum sla_clock */
	int level;			/* percent, of that clock */
	char *assignee;
};

struct zone_entry {
	char *name;
	struct tz *tz;
};

/* A partner's own recipients, worked out once per run, not per ticket. */
struct partner_notify {
	const struct sla_partner *p;
	char *list;			/* "a@x,b@y", "" when none */
};

struct run {
	struct store *s;
	const struct config *cfg;
	const struct remind_options *o;
	const struct remind_sender *snd;
	struct remind_summary *sum;
	char install[65];
	char run_id[24];
	int lock_fd;
	int shared_lock;	/* the run lock is the database server's */
	int levels[REMIND_MAX_LEVELS];
	size_t nlevels;
	char plan[128];
	int per_ticket, max_attempts;
	int64_t retry_s;
	int has_start;			/* remind --since, else remind.start */
	int64_t start_at;
	const char *from, *team, *domain, *default_zone;
	char *managers[MAX_MANAGERS];
	size_t nmanagers;
	struct staff staff[MAX_STAFF];
	size_t nstaff;
	struct webhook_target *hooks;
	size_t nhooks;
	struct sla_cache *cache;
	struct zone_entry *zones;
	size_t nzones, czones;
	struct tinfo **tickets;
	size_t ntickets, ctickets;
	struct item *items;
	size_t nitems, citems;
	struct skip *skips;
	size_t nskips, cskips;
	struct watch *watches;
	size_t nwatches, cwatches;
	struct alert_end *ends;
	size_t nends, cends;
	struct partner_notify *notify;
	size_t nnotify, cnotify;
	/* delivered (or failed) and not yet recorded: marked together, see
	 * marks_flush */
	struct item **marks;
	size_t nmarks, cmarks;
	size_t mark_deliveries;		/* the deliveries they came from */
	int64_t mark_since_ms;		/* monotonic: when the first was delivered */
};

/* ---- small helpers --------------------------------------------------------- */

void remind_summary_init(struct remind_summary *sum)
{
	memset(sum, 0, sizeof *sum);
	buf_init(&sum->problems);
}

void remind_summary_release(struct remind_summary *sum)
{
	buf_release(&sum->problems);
	memset(sum, 0, sizeof *sum);
}

int remind_level(const int *levels, size_t nlevels, int64_t elapsed_s, int64_t target_s,
		 int breached)
{
	int level = 0;

	if (breached)
		return STORE_REMIND_BREACH;
	for (size_t i = 0; i < nlevels; i++)
		if (elapsed_s * 100 >= (int64_t)levels[i] * target_s)
			level = levels[i];
	return level;
}

int remind_status_level(const int *levels, size_t nlevels, const struct sla_status *st,
			int64_t target_s)
{
	switch (st->state) {
	case SLA_BREACHED:
		return STORE_REMIND_BREACH;
	case SLA_ON_TRACK:
	case SLA_AT_RISK:
		return remind_level(levels, nlevels, st->elapsed_s, target_s, 0);
	default:
		return 0;	/* not timed, stopped in time, or waiting */
	}
}

int remind_level_at(const struct cal *c, int64_t created_at, int64_t target_s,
		    int64_t deadline_at, int pct, int64_t *at, struct diag *d)
{
	/* elapsed * 100 >= pct * target once the working time used reaches
	 * ceil(pct * target / 100); the pauses add the working time they took */
	int64_t paused = cal_elapsed(c, created_at, deadline_at) - target_s;
	int64_t need = ((int64_t)pct * target_s + 99) / 100 + (paused > 0 ? paused : 0);

	if (need <= 0) {
		*at = created_at;
		return 0;
	}
	return cal_deadline(c, created_at, need, at, d);
}

int remind_in_quiet(const char *window, int32_t tod)
{
	char a[8], b[8];
	const char *dash = window ? strchr(window, '-') : NULL;
	int32_t from, to;

	if (dash == NULL || dash - window >= (long)sizeof a || strlen(dash + 1) >= sizeof b)
		return -1;
	memcpy(a, window, (size_t)(dash - window));
	a[dash - window] = '\0';
	snprintf(b, sizeof b, "%s", dash + 1);
	if (civil_parse_clock(a, &from) < 0 || civil_parse_clock(b, &to) < 0)
		return -1;
	if (from <= to)
		return tod >= from && tod < to;
	return tod >= from || tod < to;		/* wraps midnight: 20:00-08:00 */
}

void remind_open_command(struct buf *b, const char *key, int64_t id)
{
	char idbuf[32];
	int plain = 1;

	if (key == NULL) {
		snprintf(idbuf, sizeof idbuf, "#%lld", (long long)id);
		key = idbuf;
	}
	for (const char *p = key; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._/:@%+=-", *p) != NULL))
			plain = 0;
	buf_adds(b, "slatrack ticket show ");
	if (*key == '-')
		buf_adds(b, "-- ");
	if (plain && *key != '\0') {
		buf_adds(b, key);
		return;
	}
	buf_addc(b, '\'');
	for (const char *p = key; *p != '\0'; p++) {
		if (*p == '\'')
			buf_adds(b, "'\\''");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			buf_addc(b, '?');
		else
			buf_addc(b, *p);
	}
	buf_addc(b, '\'');
}

/* Whether list ("a@x, b@y") holds addr, case-insensitive. */
static int list_has(const char *list, const char *addr, size_t len)
{
	for (const char *p = list; *p != '\0';) {
		size_t l = strcspn(p, ",");

		if (l == len && strncasecmp(p, addr, len) == 0)
			return 1;
		p += l;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

static void add_recipient(struct buf *b, size_t start, const char *a, size_t len)
{
	while (len > 0 && (*a == ' ' || *a == '\t')) {
		a++;
		len--;
	}
	while (len > 0 && (a[len - 1] == ' ' || a[len - 1] == '\t'))
		len--;
	if (len == 0 || list_has(buf_str(b) + start, a, len))
		return;
	if (b->len > start)
		buf_adds(b, ", ");
	buf_add(b, a, len);
}

void remind_partner_recipients(const struct config *cfg, const char *partner_key,
			       const char *contact, struct buf *b)
{
	const char *yes, *list;
	size_t start = b->len;
	struct diag ignore;

	if (partner_key == NULL)
		return;
	yes = config_get(cfg, "partner", partner_key, "notify_contact");
	list = config_get(cfg, "partner", partner_key, "notify");
	/* a contact imported from elsewhere may be no single address */
	if (contact != NULL && yes != NULL && strcmp(yes, "yes") == 0 &&
	    strchr(contact, ',') == NULL && mail_check_address(contact, "contact", &ignore) == 0)
		add_recipient(b, start, contact, strlen(contact));
	for (const char *p = list ? list : ""; *p != '\0';) {
		size_t l = strcspn(p, ",");

		add_recipient(b, start, p, l);
		p += l;
		if (*p == ',')
			p++;
	}
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *q;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if ((q = realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = q;
	*cap = ncap;
	return 0;
}

static void short_hash(const char *a, const char *b, char out[17])
{
	struct sha256 h;
	char hex[65];

	sha256_init(&h);
	sha256_update(&h, a, strlen(a));
	sha256_update(&h, "\n", 1);
	sha256_update(&h, b, strlen(b));
	sha256_final_hex(&h, hex);
	memcpy(out, hex, 16);
	out[16] = '\0';
}

static struct tz *zone_get(struct run *r, const char *name)
{
	struct diag d;
	struct tz *z;

	if (name == NULL)
		name = "UTC";
	for (size_t i = 0; i < r->nzones; i++)
		if (strcmp(r->zones[i].name, name) == 0)
			return r->zones[i].tz;
	if ((z = tz_load(name, &d)) == NULL && (z = tz_load("UTC", &d)) == NULL)
		return NULL;
	if (grow((void **)&r->zones, &r->czones, r->nzones, sizeof *r->zones) < 0 ||
	    (r->zones[r->nzones].name = strdup(name)) == NULL) {
		tz_free(z);
		return NULL;
	}
	r->zones[r->nzones++].tz = z;
	return z;
}

static const struct staff *staff_by_name(const struct run *r, const char *name)
{
	for (size_t i = 0; name != NULL && i < r->nstaff; i++)
		if (strcmp(r->staff[i].name, name) == 0)
			return &r->staff[i];
	return NULL;
}

static const struct staff *staff_by_email(const struct run *r, const char *email)
{
	for (size_t i = 0; email != NULL && i < r->nstaff; i++)
		if (r->staff[i].email != NULL && strcasecmp(r->staff[i].email, email) == 0)
			return &r->staff[i];
	return NULL;
}

/* The [webhook] of a "webhook:NAME" channel; NULL when not configured. */
static const struct webhook_target *hook_of(const struct run *r, const char *channel)
{
	if (strncmp(channel, "webhook:", 8) != 0)
		return NULL;
	for (size_t i = 0; i < r->nhooks; i++)
		if (strcmp(r->hooks[i].name, channel + 8) == 0)
			return &r->hooks[i];
	return NULL;
}

static int is_opsgenie(const struct run *r, const char *channel)
{
	const struct webhook_target *h = hook_of(r, channel);

	return h != NULL && h->format == WEBHOOK_OPSGENIE;
}

/* The clock of a reminder row, and its level as a percentage of that
 * clock (100: its breach notice). */
static int level_clock(int level)
{
	return store_remind_is_resolve(level) ? SLA_CLOCK_RESOLVE : SLA_CLOCK_RESPONSE;
}

static int level_pct(int level)
{
	return store_remind_is_resolve(level) ? level - STORE_REMIND_RESOLVE : level;
}

/* The row threshold of percent level pct of clock. */
static int clock_threshold(int clock, int pct)
{
	return clock == SLA_CLOCK_RESOLVE ? STORE_REMIND_RESOLVE + pct : pct;
}

static int is_breach(int level)
{
	return store_remind_followup_name(level) == NULL && level_pct(level) == STORE_REMIND_BREACH;
}

/* The highest threshold percentage: its notices get the last threshold's
 * priority. */
static int last_threshold(const struct run *r)
{
	return r->nlevels > 0 ? r->levels[r->nlevels - 1] : STORE_REMIND_BREACH;
}

/* What a reminder is, for messages: "reminder", "breach notice",
 * "follow-up (responded)". */
static const char *level_label(int level)
{
	if (level == STORE_REMIND_RESPONDED)
		return "follow-up (responded)";
	if (level == STORE_REMIND_RESOLVED)
		return "follow-up (resolved)";
	if (store_remind_is_resolve(level))
		return is_breach(level) ? "resolution breach notice" : "resolution reminder";
	return level >= STORE_REMIND_BREACH ? "breach notice" : "reminder";
}

/* ---- setup ----------------------------------------------------------------- */

#define WHY_WAITING "held: the ticket waits on the customer with its response clock stopped"
#define WHY_BEFORE_START "due before the start (remind --since or remind.start): not sent"

/* The start instant: --since, else remind.start (always with Z or an
 * offset: the configuration checks it).  0 none, 1 set, -1 with d. */
static int start_instant(const struct config *cfg, const struct remind_options *o,
			 int64_t *at, struct diag *d)
{
	const char *v = config_get(cfg, "remind", NULL, "start");
	enum civil_instant_kind kind;

	if (o->has_since) {
		*at = o->since_at;
		return 1;
	}
	if (v == NULL)
		return 0;
	if (civil_parse_instant(v, at, &kind) < 0 || kind != CIVIL_INSTANT_UTC)
		return diag_set(d, DIAG_INPUT, "%s: remind.start: bad instant '%s': expected "
		    "ISO 8601 with Z or an offset, such as 2026-12-24T15:00:00Z",
		    config_source(cfg), v);
	return 1;
}

static int load_settings(struct run *r, struct diag *d)
{
	const char *th = config_get(r->cfg, "remind", NULL, "thresholds");
	const char *mg = config_get(r->cfg, "report", NULL, "managers");
	const char *pt = config_get(r->cfg, "remind", NULL, "per_ticket");
	const char *names[MAX_STAFF];
	size_t nnames;
	int64_t v;

	r->nlevels = 0;
	for (const char *p = th ? th : "50,75,90"; *p != '\0';) {
		char num[8];
		size_t l = strcspn(p, ",");
		int64_t pct;

		while (l > 0 && *p == ' ') {
			p++;
			l--;
		}
		if (l > 0 && l < sizeof num) {
			memcpy(num, p, l);
			num[l] = '\0';
			while (l > 0 && num[l - 1] == ' ')
				num[--l] = '\0';
			if (civil_parse_i64(num, 1, 99, &pct) == 0 && r->nlevels < REMIND_MAX_LEVELS &&
			    (r->nlevels == 0 || pct > r->levels[r->nlevels - 1]))
				r->levels[r->nlevels++] = (int)pct;
		}
		p += l;
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	r->plan[0] = '\0';
	for (size_t i = 0; i < r->nlevels; i++) {
		size_t k = strlen(r->plan);

		snprintf(r->plan + k, sizeof r->plan - k, "%s%d", i ? "," : "", r->levels[i]);
	}
	if (r->nlevels == 0)
		snprintf(r->plan, sizeof r->plan, "breach");
	r->per_ticket = r->o->per_ticket >= 0 ? r->o->per_ticket :
	    pt != NULL && strcmp(pt, "yes") == 0;
	v = config_get_int(r->cfg, "remind", NULL, "max_attempts");
	r->max_attempts = v > 0 && v < 1000 ? (int)v : 8;
	v = config_get_duration(r->cfg, "remind", NULL, "retry");
	r->retry_s = v > 0 ? v : 300;
	r->from = config_get(r->cfg, "smtp", NULL, "from");
	if (r->from == NULL)
		r->from = "slatrack@localhost";
	r->domain = mail_address_domain(r->from);
	r->team = config_get(r->cfg, "remind", NULL, "team");
	r->default_zone = config_get(r->cfg, "report", NULL, "zone");
	if (r->default_zone == NULL)
		r->default_zone = r->o->default_zone ? r->o->default_zone : "UTC";
	for (const char *p = mg ? mg : ""; *p != '\0';) {
		size_t l = strcspn(p, ",");
		const char *a = p, *e = p + l;

		while (a < e && (*a == ' ' || *a == '\t'))
			a++;
		while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > a && r->nmanagers < MAX_MANAGERS) {
			char *m = strndup(a, (size_t)(e - a));

			if (m == NULL)
				return diag_set(d, DIAG_NOMEM, "out of memory");
			r->managers[r->nmanagers++] = m;
		}
		p += l;
		if (*p == ',')
			p++;
	}
	nnames = config_subsections(r->cfg, "staff", names, MAX_STAFF);
	if (nnames > MAX_STAFF)
		nnames = MAX_STAFF;
	for (size_t i = 0; i < nnames; i++) {
		struct staff *sf = &r->staff[r->nstaff++];

		sf->name = names[i];
		sf->email = config_get(r->cfg, "staff", names[i], "email");
		sf->zone = config_get(r->cfg, "staff", names[i], "zone");
		sf->quiet = config_get(r->cfg, "staff", names[i], "quiet");
	}
	if ((r->has_start = start_instant(r->cfg, r->o, &r->start_at, d)) < 0)
		return -1;
	if (webhook_targets_load(r->cfg, &r->hooks, &r->nhooks, d) < 0)
		return -1;
	if ((r->cache = sla_cache_new(r->s)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

/* Forgets the tickets, reminders, skips and watches of one batch (the
 * arrays keep their room for the next). */
static void batch_release(struct run *r)
{
	for (size_t i = 0; i < r->ntickets; i++) {
		store_ticket_release(&r->tickets[i]->t);
		free(r->tickets[i]);
	}
	r->ntickets = 0;
	for (size_t i = 0; i < r->nitems; i++) {
		free(r->items[i].channel);
		free(r->items[i].message_id);
	}
	r->nitems = 0;
	for (size_t i = 0; i < r->nskips; i++)
		free(r->skips[i].channel);
	r->nskips = 0;
	for (size_t i = 0; i < r->nwatches; i++)
		free(r->watches[i].assignee);
	r->nwatches = 0;
	for (size_t i = 0; i < r->nends; i++)
		free(r->ends[i].channel);
	r->nends = 0;
}

static void run_release(struct run *r)
{
	for (size_t i = 0; i < r->nmanagers; i++)
		free(r->managers[i]);
	webhook_targets_free(r->hooks, r->nhooks);
	sla_cache_free(r->cache);
	for (size_t i = 0; i < r->nzones; i++) {
		free(r->zones[i].name);
		tz_free(r->zones[i].tz);
	}
	free(r->zones);
	batch_release(r);
	free(r->tickets);
	free(r->items);
	free(r->skips);
	free(r->watches);
	free(r->ends);
	for (size_t i = 0; i < r->nnotify; i++)
		free(r->notify[i].list);
	free(r->notify);
	free(r->marks);
	if (r->lock_fd >= 0)
		close(r->lock_fd);		/* releases the run's lock */
}

/* ---- the run lock ------------------------------------------------------------ */

static int64_t run_number(const char *id)
{
	int64_t v = 0;

	if (id == NULL || id[0] != 'r' || strlen(id) != 16)
		return -1;
	for (const char *p = id + 1; *p != '\0'; p++) {
		int k = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ?
		    *p - 'a' + 10 : -1;

		if (k < 0)
			return -1;
		v = v * 16 + k;
	}
	return v;
}

static int random_bytes(unsigned char *out, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got < n) {
		ssize_t k = read(fd, out + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	return got == n ? 0 : -1;
}

static int lock_byte(int fd, int64_t off, int cmd, short type, struct flock *fl)
{
	memset(fl, 0, sizeof *fl);
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	fl->l_start = (off_t)off;
	fl->l_len = 1;
	return fcntl(fd, cmd, fl);
}

static int random_run_number(int64_t *v, struct diag *d)
{
	unsigned char rnd[8];
	uint64_t u = 0;

	if (random_bytes(rnd, sizeof rnd) < 0)
		return diag_set(d, DIAG_STORE, "cannot read /dev/urandom");
	for (size_t i = 0; i < sizeof rnd; i++)
		u = (u << 8) | rnd[i];
	*v = (int64_t)(u & 0x0fffffffffffffffULL);	/* 60 bits: positive */
	return 0;
}

/* A database server shared by several hosts: the run holds a lock on
 * the server, keyed by its run number, for as long as it is connected. */
static int lock_open_shared(struct run *r, struct diag *d)
{
	for (int tries = 0; tries < 16; tries++) {
		int64_t v;
		int got;

		if (random_run_number(&v, d) < 0)
			return -1;
		if (v == 0 || v == 1)
			continue;
		if ((got = store_runlock_take(r->s, v)) < 0)
			return diag_set(d, DIAG_STORE, "cannot take a run lock on '%s'",
			    store_path(r->s));
		if (got == 1) {
			r->shared_lock = 1;
			snprintf(r->run_id, sizeof r->run_id, "r%015llx", (unsigned long long)v);
			return 0;
		}
	}
	return diag_set(d, DIAG_STORE, "cannot take a run lock on '%s'", store_path(r->s));
}

/* Opens the lock file and locks a random byte: the run id "rXXXXXXXXXXXXXXX"
 * (15 hex digits: the byte's offset). */
static int lock_open(struct run *r, struct diag *d)
{
	char path[4200];

	if (r->o->lock_path == NULL && store_runlock_held(r->s, 1) != -2)
		return lock_open_shared(r, d);	/* the database is a server */
	if (r->o->lock_path != NULL)
		snprintf(path, sizeof path, "%s", r->o->lock_path);
	else
		snprintf(path, sizeof path, "%s-remind.lock", store_path(r->s));
	if ((r->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return diag_set(d, DIAG_STORE, "cannot open the lock file '%s': %s", path,
		    strerror(errno));
	for (int tries = 0; tries < 16; tries++) {
		int64_t v;
		struct flock fl;

		if (random_run_number(&v, d) < 0)
			return -1;
		if (v == 0)
			continue;
		if (lock_byte(r->lock_fd, v, F_SETLK, F_WRLCK, &fl) == 0) {
			snprintf(r->run_id, sizeof r->run_id, "r%015llx", (unsigned long long)v);
			return 0;
		}
		if (errno != EACCES && errno != EAGAIN)
			return diag_set(d, DIAG_STORE, "cannot lock '%s': %s", path, strerror(errno));
	}
	return diag_set(d, DIAG_STORE, "cannot lock '%s'", path);
}

/* Whether the run `id` is alive: it holds its byte of the lock file. */
static int run_alive(struct run *r, const char *id)
{
	int64_t off = run_number(id);
	struct flock fl;

	if (off <= 0)
		return 0;		/* not a run id this version writes */
	if (r->shared_lock)
		return store_runlock_held(r->s, off) != 0;	/* unsure: alive */
	if (r->lock_fd < 0)
		return 1;		/* cannot tell: assume alive, never double-send */
	if (strcmp(id, r->run_id) == 0)
		return 1;
	if (lock_byte(r->lock_fd, off, F_GETLK, F_WRLCK, &fl) < 0)
		return 1;		/* cannot tell: assume alive, never double-send */
	return fl.l_type != F_UNLCK;
}

/* ---- tickets ------------------------------------------------------------------ */

static struct tinfo *tinfo_add(struct run *r, struct diag *d)
{
	struct tinfo *ti;

	if (grow((void **)&r->tickets, &r->ctickets, r->ntickets, sizeof *r->tickets) < 0 ||
	    (ti = calloc(1, sizeof *ti)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	store_ticket_init(&ti->t);
	r->tickets[r->ntickets++] = ti;
	return ti;
}

/* Where ticket ti stands; 0, or -1 with the partner's problem in d. */
static int tinfo_compute(struct run *r, struct tinfo *ti, struct diag *d)
{
	if ((ti->p = sla_cache_get(r->cache, ti->t.partner_id, d)) == NULL)
		return -1;
	for (int k = SLA_CLOCK_RESPONSE; k <= SLA_CLOCK_RESOLVE; k++) {
		sla_compute_clock(&ti->t, (enum sla_clock)k, ti->p->sched.cal, r->o->now_at,
		    sla_at_risk(r->cfg), &ti->st[k]);
		ti->level[k] = remind_status_level(r->levels, r->nlevels, &ti->st[k],
		    sla_clock_target(&ti->t, k));
	}
	return 0;
}

static void problem(struct run *r, const struct store_ticket *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct run *r, const struct store_ticket *t, const char *fmt, ...)
{
	char msg[DIAG_MSG_LEN + 200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (t != NULL && t->key != NULL)
		buf_adds(&r->sum->problems, "ticket ");
	if (t != NULL)
		text_add_safe(&r->sum->problems, t->key ? t->key : "", 0);
	if (t != NULL && t->key == NULL)
		buf_addf(&r->sum->problems, "ticket #%lld", (long long)t->id);
	if (t != NULL)
		buf_adds(&r->sum->problems, ": ");
	text_add_safe(&r->sum->problems, msg, 0);
	buf_addc(&r->sum->problems, '\n');
}

/* When clock reaches the level after `level` (a percentage):
 * STORE_NONE never. */
static int64_t next_level_at(struct run *r, const struct tinfo *ti, int clock, int level)
{
	struct diag d;
	int64_t at;

	if (level >= STORE_REMIND_BREACH)
		return STORE_NONE;
	for (size_t i = 0; i < r->nlevels; i++) {
		if (r->levels[i] <= level)
			continue;
		if (remind_level_at(ti->p->sched.cal, ti->t.created_at,
		    sla_clock_target(&ti->t, clock), sla_clock_deadline_at(&ti->t, clock),
		    r->levels[i], &at, &d) < 0)
			return r->o->now_at;	/* look again next run */
		return at;
	}
	return sla_clock_deadline_at(&ti->t, clock) + 1;
}

/* When the ticket crossed `level`: the deadline for a breach notice, else
 * the instant that share of its working time was used (now when that
 * cannot be computed). */
static int64_t level_crossed_at(struct run *r, const struct tinfo *ti, int level)
{
	struct diag d;
	int clock = level_clock(level), pct = level_pct(level);
	int64_t at;

	if (pct >= STORE_REMIND_BREACH)
		return sla_clock_deadline_at(&ti->t, clock);
	if (ti->p == NULL || remind_level_at(ti->p->sched.cal, ti->t.created_at,
	    sla_clock_target(&ti->t, clock), sla_clock_deadline_at(&ti->t, clock), pct, &at,
	    &d) < 0)
		return r->o->now_at;
	return at;
}

static int before_start(struct run *r, const struct tinfo *ti, int level)
{
	return r->has_start && level_crossed_at(r, ti, level) < r->start_at;
}

static void note_oldest(struct run *r, const struct item *it)
{
	int64_t at = level_crossed_at(r, it->ti, it->level);

	if (!r->sum->has_oldest || at < r->sum->oldest_at) {
		r->sum->oldest_at = at;
		r->sum->has_oldest = 1;
	}
}

static int add_watch(struct run *r, const struct tinfo *ti, int clock, int level,
		     struct diag *d)
{
	struct watch *w;

	if (grow((void **)&r->watches, &r->cwatches, r->nwatches, sizeof *r->watches) < 0)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	w = &r->watches[r->nwatches];
	w->ticket_id = ti->t.id;
	w->clock = clock;
	w->level = level;
	w->deadline_at = sla_clock_deadline_at(&ti->t, clock);
	w->next_at = next_level_at(r, ti, clock, level);
	w->assignee = NULL;
	if (ti->t.assignee != NULL && (w->assignee = strdup(ti->t.assignee)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	r->nwatches++;
	return 0;
}

static int add_skip(struct run *r, int64_t ticket_id, int level, const char *channel,
		    const char *why, struct diag *d)
{
	struct skip *k;

	if (grow((void **)&r->skips, &r->cskips, r->nskips, sizeof *r->skips) < 0)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	k = &r->skips[r->nskips];
	k->ticket_id = ticket_id;
	k->level = level;
	k->why = why;
	if ((k->channel = strdup(channel)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	r->nskips++;
	return 0;
}

static struct item *add_item(struct run *r, struct tinfo *ti, int level, const char *channel,
			     const char *message_id, struct diag *d)
{
	struct item *it;

	if (grow((void **)&r->items, &r->citems, r->nitems, sizeof *r->items) < 0) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	it = &r->items[r->nitems];
	memset(it, 0, sizeof *it);
	it->ti = ti;
	it->level = level;
	if ((it->channel = strdup(channel)) == NULL ||
	    (message_id != NULL && (it->message_id = strdup(message_id)) == NULL)) {
		free(it->channel);
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	r->nitems++;
	return it;
}

/* ---- deciding ------------------------------------------------------------------ */

struct channel {
	char name[320];			/* "mail:ADDR" / "webhook:NAME" */
	int level;			/* the level it gets now; 0: none */
	int mail;
	const char *quiet;		/* the recipient's quiet window, or NULL */
	const char *zone;
	const char *no_address;		/* set: there is no address */
};

static void channel_mail(struct channel *c, const char *addr, const struct staff *sf,
			 int level, const char *default_zone)
{
	snprintf(c->name, sizeof c->name, "mail:%s", addr ? addr : "");
	c->level = level;
	c->mail = 1;
	c->quiet = sf ? sf->quiet : NULL;
	c->zone = sf && sf->zone ? sf->zone : default_zone;
	c->no_address = NULL;
}

/* addr as the staff directory, remind.team or report.managers spell it
 * (case aside), so that one person's reminders share one channel and one
 * digest whichever list names them; else addr. */
static const char *known_spelling(const struct run *r, const char *addr)
{
	const struct staff *sf = staff_by_email(r, addr);

	if (sf != NULL)
		return sf->email;
	if (r->team != NULL && strcasecmp(r->team, addr) == 0)
		return r->team;
	for (size_t i = 0; i < r->nmanagers; i++)
		if (strcasecmp(r->managers[i], addr) == 0)
			return r->managers[i];
	return addr;
}

/* The partner's own recipients (its contact, [partner "KEY"] notify) at
 * the ticket's level, after the n channels of cv that are there, without
 * repeating one of them.  Returns the new count. */
/* The partner's recipients from the run's cache; NULL out of memory. */
static const char *partner_notify(struct run *r, const struct sla_partner *sp)
{
	struct buf b = BUF_INIT;
	char *list;

	for (size_t i = 0; i < r->nnotify; i++)
		if (r->notify[i].p == sp)
			return r->notify[i].list;
	remind_partner_recipients(r->cfg, sp->partner.key, sp->partner.contact, &b);
	list = buf_failed(&b) ? NULL : strdup(buf_str(&b));
	buf_release(&b);
	if (list == NULL ||
	    grow((void **)&r->notify, &r->cnotify, r->nnotify, sizeof *r->notify) < 0) {
		free(list);
		return NULL;
	}
	r->notify[r->nnotify].p = sp;
	r->notify[r->nnotify++].list = list;
	return list;
}

static size_t partner_channels(struct run *r, const struct tinfo *ti, int level,
			       struct channel *cv, size_t n, size_t max)
{
	const char *list = partner_notify(r, ti->p);
	size_t added = 0;

	for (const char *p = list ? list : ""; *p != '\0' && n < max && added < MAX_PARTNER_NOTIFY;) {
		size_t l = strcspn(p, ",");
		char addr[300];
		int dup = 0;

		snprintf(addr, sizeof addr, "%.*s", (int)l, p);
		p += l;
		while (*p == ',' || *p == ' ')
			p++;
		channel_mail(&cv[n], known_spelling(r, addr), staff_by_email(r, addr), level,
		    r->default_zone);
		for (size_t j = 0; j < n; j++)
			dup |= strcasecmp(cv[j].name, cv[n].name) == 0;
		if (!dup) {
			n++;
			added++;
		}
	}
	return n;
}

/* The channels of a ticket's clock at its level (a percentage),
 * deduplicated by name.  The resolution clock's reminders go to the mail
 * recipients only: webhooks (and Opsgenie's one alert per ticket) follow
 * the response clock. */
static size_t channels_of(struct run *r, const struct tinfo *ti, int clock,
			  struct channel *cv, size_t max)
{
	const char *assignee = ti->t.assignee;
	int level = ti->level[clock];
	const struct staff *sf = staff_by_name(r, assignee);
	const char *addr = NULL;
	size_t n = 0;
	struct diag ignore;

	/* the owner: assignee's address, else the team */
	if (sf != NULL && sf->email != NULL)
		addr = sf->email;
	else if (assignee != NULL && strchr(assignee, '@') != NULL &&
	    mail_check_address(assignee, "assignee", &ignore) == 0) {
		addr = assignee;
		sf = staff_by_email(r, addr);
	} else if (r->team != NULL) {
		addr = r->team;
		sf = staff_by_email(r, addr);
	}
	channel_mail(&cv[n], addr, sf, level, r->default_zone);
	if (addr == NULL)
		cv[n].no_address = assignee != NULL ?
		    "no address: the assignee has no [staff] email and remind.team is not set" :
		    "no address: the ticket is unassigned and remind.team is not set";
	n++;
	/* breach notices also go to the managers */
	for (size_t i = 0; level >= STORE_REMIND_BREACH && i < r->nmanagers && n < max; i++) {
		int dup = 0;

		channel_mail(&cv[n], r->managers[i], staff_by_email(r, r->managers[i]),
		    STORE_REMIND_BREACH, r->default_zone);
		for (size_t j = 0; j < n; j++)
			dup |= strcasecmp(cv[j].name, cv[n].name) == 0;
		if (!dup)
			n++;
	}
	n = partner_channels(r, ti, level, cv, n, max);
	for (size_t i = 0; clock == SLA_CLOCK_RESPONSE && i < r->nhooks && n < max; i++) {
		const struct webhook_target *h = &r->hooks[i];
		struct channel *c = &cv[n];

		memset(c, 0, sizeof *c);
		snprintf(c->name, sizeof c->name, "webhook:%s", h->name);
		if (level >= STORE_REMIND_BREACH && (h->events & WEBHOOK_BREACH))
			c->level = STORE_REMIND_BREACH;
		else if (h->events & WEBHOOK_THRESHOLD)
			c->level = remind_level(r->levels, r->nlevels, ti->st[clock].elapsed_s,
			    sla_clock_target(&ti->t, clock), 0);
		if (c->level > 0)
			n++;
	}
	return n;
}

static int in_quiet(struct run *r, const struct channel *c)
{
	struct tz *z;
	int64_t local;

	if (c->quiet == NULL || (z = zone_get(r, c->zone)) == NULL)
		return 0;
	local = tz_utc_to_local(z, r->o->now_at);
	return remind_in_quiet(c->quiet, (int32_t)civil_mod(local, CIVIL_DAY_S)) == 1;
}

static int skip_before_start(struct run *r, const struct tinfo *ti, int level,
			     const char *channel, struct diag *d)
{
	r->sum->before_start++;
	return add_skip(r, ti->t.id, level, channel, WHY_BEFORE_START, d);
}

/* Decides every channel of one clock of a ticket.  watch_level: the
 * percent level its watch says was fully handled (-1: never looked at).
 * Levels here are percentages of that clock; rows and items carry the
 * clock's thresholds (clock_threshold). */
static int decide(struct run *r, struct tinfo *ti, int clock, int watch_level,
		  struct diag *d)
{
	struct channel cv[MAX_MANAGERS + MAX_PARTNER_NOTIFY + 40];
	struct store_reminder *rows;
	size_t nrows, nch;
	int all_done = 1, handled = watch_level;

	/* frozen by a wait (the candidate query leaves these out): its watch
	 * stays as it is until the resume moves the deadline */
	if (ti->st[clock].state == SLA_WAITING)
		return 0;
	if (ti->level[clock] == 0)
		return add_watch(r, ti, clock, 0, d);
	if (!ti->counted) {
		r->sum->tickets++;
		ti->counted = 1;
	}
	if (store_reminder_list(r->s, ti->t.id, &rows, &nrows, d) < 0)
		return -1;
	nch = channels_of(r, ti, clock, cv, sizeof cv / sizeof cv[0]);
	for (size_t i = 0; i < nrows; i++)
		if (level_clock(rows[i].threshold) == clock &&
		    level_pct(rows[i].threshold) > handled)
			handled = level_pct(rows[i].threshold);
	for (size_t c = 0; c < nch; c++) {
		const struct store_reminder *at = NULL;
		int high = 0, lc = cv[c].level, th = clock_threshold(clock, cv[c].level);
		struct item *it;

		for (size_t i = 0; i < nrows; i++) {
			if (strcmp(rows[i].channel, cv[c].name) != 0 ||
			    level_clock(rows[i].threshold) != clock)
				continue;
			if (level_pct(rows[i].threshold) > high)
				high = level_pct(rows[i].threshold);
			if (rows[i].threshold == th)
				at = &rows[i];
		}
		if (high > lc)
			continue;		/* a higher level already went out */
		if (at != NULL) {
			if (at->state == STORE_REMIND_SENT || at->state == STORE_REMIND_FAILED ||
			    at->state == STORE_REMIND_SKIPPED)
				continue;
			if (at->state == STORE_REMIND_PENDING && before_start(r, ti, th)) {
				if (skip_before_start(r, ti, th, cv[c].name, d) < 0)
					goto fail;
				goto supersede;
			}
			all_done = 0;
			if (at->state != STORE_REMIND_PENDING || (at->next_attempt_at != STORE_NONE &&
			    at->next_attempt_at > r->o->now_at))
				continue;	/* in flight elsewhere, or not yet time */
			if (cv[c].mail && lc < STORE_REMIND_BREACH && in_quiet(r, &cv[c])) {
				r->sum->held++;
				continue;
			}
			if ((it = add_item(r, ti, th, cv[c].name, at->message_id, d)) == NULL)
				goto fail;
			it->resend = at->message_id != NULL;
			it->no_address = cv[c].no_address;
		} else {
			/* a recipient that appeared after this level went to
			 * others (reassignment, a new manager or webhook) hears
			 * from the next level on */
			if (handled >= lc && high == 0)
				continue;
			if (before_start(r, ti, th)) {
				if (skip_before_start(r, ti, th, cv[c].name, d) < 0)
					goto fail;
				goto supersede;
			}
			all_done = 0;
			if (cv[c].mail && lc < STORE_REMIND_BREACH && cv[c].no_address == NULL &&
			    in_quiet(r, &cv[c])) {
				r->sum->held++;
				continue;
			}
			if ((it = add_item(r, ti, th, cv[c].name, NULL, d)) == NULL)
				goto fail;
			it->no_address = cv[c].no_address;
		}
supersede:
		/* lower levels of this clock still pending are superseded */
		for (size_t i = 0; i < nrows; i++)
			if (strcmp(rows[i].channel, cv[c].name) == 0 && rows[i].threshold < th &&
			    level_clock(rows[i].threshold) == clock &&
			    rows[i].state == STORE_REMIND_PENDING &&
			    add_skip(r, ti->t.id, rows[i].threshold, cv[c].name,
			    "superseded by a higher threshold", d) < 0)
				goto fail;
	}
	store_reminder_list_free(rows, nrows);
	if (all_done)
		return add_watch(r, ti, clock, ti->level[clock], d);
	return 0;
fail:
	store_reminder_list_free(rows, nrows);
	return -1;
}

/* What the candidate query said of a ticket's clocks. */
struct due {
	int watch_level[2];		/* per clock; -1 never looked at */
	int due[2];			/* the clock needs a look */
};

struct collect {
	struct run *r;
	struct due *dues;
	size_t n, cap;
	size_t limit;			/* tickets per batch */
	int64_t after;			/* the last ticket id collected */
	struct diag *d;
};

static int collect_candidate(const struct store_remind_candidate *c, void *arg)
{
	struct collect *cl = arg;
	struct run *r = cl->r;
	struct tinfo *ti;

	if ((ti = tinfo_add(r, cl->d)) == NULL)
		return -1;
	if (grow((void **)&cl->dues, &cl->cap, cl->n, sizeof *cl->dues) < 0)
		return diag_set(cl->d, DIAG_NOMEM, "out of memory");
	cl->dues[cl->n].watch_level[SLA_CLOCK_RESPONSE] = c->watch_level;
	cl->dues[cl->n].watch_level[SLA_CLOCK_RESOLVE] = c->resolve_watch_level;
	cl->dues[cl->n].due[SLA_CLOCK_RESPONSE] = c->response_due;
	cl->dues[cl->n].due[SLA_CLOCK_RESOLVE] = c->resolve_due;
	cl->n++;
	ti->t.id = c->id;
	ti->t.partner_id = c->partner_id;
	ti->t.severity = c->severity;
	ti->t.created_at = c->created_at;
	ti->t.target_s = c->target_s;
	ti->t.deadline_at = c->deadline_at;
	ti->t.waiting_since = c->waiting_since;
	ti->t.waiting_response = c->waiting_response;
	ti->t.first_response_at = c->first_response_at;
	ti->t.resolve_target_s = c->resolve_target_s;
	ti->t.resolve_deadline_at = c->resolve_deadline_at;
	if ((c->key != NULL && (ti->t.key = strdup(c->key)) == NULL) ||
	    (ti->t.summary = strdup(c->summary)) == NULL ||
	    (c->assignee != NULL && (ti->t.assignee = strdup(c->assignee)) == NULL))
		return diag_set(cl->d, DIAG_NOMEM, "out of memory");
	cl->after = c->id;
	return cl->n >= cl->limit ? 1 : 0;	/* 1: the batch is full */
}

static int stale_row(const struct store_reminder *row, void *arg)
{
	struct collect *cl = arg;

	return add_skip(cl->r, row->ticket_id, row->threshold, row->channel,
	    "the ticket was answered, resolved or is no longer timed", cl->d) < 0 ? -1 : 0;
}

/* Whether a notice (threshold up to a breach, of either clock) is no
 * longer needed: its clock stopped or is no longer timed.  Follow-ups
 * always are. */
static int reminder_unneeded(const struct store_ticket *t, int threshold)
{
	if (store_remind_followup_name(threshold) != NULL)
		return 0;
	if (store_remind_is_resolve(threshold))
		return t->resolved_at != STORE_NONE || t->resolve_deadline_at == STORE_NONE;
	return t->first_response_at != STORE_NONE || t->resolved_at != STORE_NONE ||
	    t->deadline_at == STORE_NONE;
}

/* Claims of dead runs: taken over (not in a dry run), then loaded as
 * items to deliver again with their Message-IDs. */
static int recover(struct run *r, struct diag *d)
{
	char **ids;
	size_t nids;
	struct store_reminder *rows = NULL;
	size_t nrows = 0;

	if (store_remind_claimers(r->s, &ids, &nids, d) < 0)
		return -1;
	for (size_t i = 0; i < nids; i++) {
		int moved;

		if (strcmp(ids[i], r->run_id) == 0 || run_alive(r, ids[i]))
			continue;
		if (r->o->dry_run) {
			struct store_reminder *v;
			size_t n;

			if (store_remind_claimed_by(r->s, ids[i], &v, &n, d) < 0)
				goto fail;
			for (size_t k = 0; k < n; k++) {
				struct store_reminder *q = realloc(rows, (nrows + 1) * sizeof *q);

				if (q == NULL) {
					store_reminder_list_free(v, n);
					diag_set(d, DIAG_NOMEM, "out of memory");
					goto fail;
				}
				rows = q;
				rows[nrows++] = v[k];
				memset(&v[k], 0, sizeof v[k]);
			}
			store_reminder_list_free(v, n);
			continue;
		}
		if (store_begin(r->s, d) < 0)
			goto fail;
		/* inside the transaction: the dead run cannot come back, and a
		 * second recovering run finds nothing left to move */
		if (run_alive(r, ids[i])) {
			store_rollback(r->s);
			continue;
		}
		if ((moved = store_remind_adopt(r->s, ids[i], r->run_id, r->o->now_at,
		    r->o->actor, d)) < 0 || store_commit(r->s, d) < 0) {
			store_rollback(r->s);
			goto fail;
		}
		r->sum->recovered += moved;
	}
	if (!r->o->dry_run && store_remind_claimed_by(r->s, r->run_id, &rows, &nrows, d) < 0)
		goto fail;
	for (size_t i = 0; i < nrows; i++) {
		struct tinfo *ti = NULL;
		struct item *it;
		char ref[32];
		struct diag pd;

		for (size_t k = 0; k < r->ntickets; k++)
			if (r->tickets[k]->t.id == rows[i].ticket_id)
				ti = r->tickets[k];
		if (ti == NULL) {
			if ((ti = tinfo_add(r, d)) == NULL)
				goto fail;
			snprintf(ref, sizeof ref, "#%lld", (long long)rows[i].ticket_id);
			if (store_ticket_get(r->s, ref, &ti->t, d) < 0)
				goto fail;
			diag_clear(&pd);
			if (tinfo_compute(r, ti, &pd) < 0) {
				problem(r, &ti->t, "%s", pd.msg);
				ti->bad = 1;
			}
		}
		if ((it = add_item(r, ti, rows[i].threshold, rows[i].channel, rows[i].message_id,
		    d)) == NULL)
			goto fail;
		it->claimed = 1;
		it->recovered = 1;
		it->resend = 1;
		it->attempts = rows[i].attempts;
		/* no longer needed: skipped.  A partner whose schedule does not
		 * compile: neither sent nor skipped; the claim stays and the
		 * next run tries again */
		it->drop = reminder_unneeded(&ti->t, rows[i].threshold);
		if (ti->bad && !it->drop)
			it->claimed = 0;
		/* nothing goes out while the clock waits: the claim goes back
		 * to pending and the resume decides (its Message-ID is kept) */
		it->hold = !it->drop && !ti->bad &&
		    store_remind_followup_name(rows[i].threshold) == NULL &&
		    ti->st[level_clock(rows[i].threshold)].state == SLA_WAITING;
		if (it->hold)
			it->claimed = 0;
		if (it->message_id == NULL)
			it->resend = 0;
	}
	store_reminder_list_free(rows, nrows);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	return 0;
fail:
	store_reminder_list_free(rows, nrows);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	return -1;
}

/* ---- follow-ups: alerts that close with their ticket ------------------------------ */

/* The ticket `id` among those of this batch, else loaded and computed;
 * NULL with d, or (*bad set) when its partner's schedule does not
 * compile (told in the problems). */
static struct tinfo *ticket_by_id(struct run *r, int64_t id, int *bad, struct diag *d)
{
	struct tinfo *ti;
	char ref[32];
	struct diag pd;

	*bad = 0;
	for (size_t k = 0; k < r->ntickets; k++)
		if (r->tickets[k]->t.id == id)
			return r->tickets[k];
	if ((ti = tinfo_add(r, d)) == NULL)
		return NULL;
	snprintf(ref, sizeof ref, "#%lld", (long long)id);
	if (store_ticket_get(r->s, ref, &ti->t, d) < 0)
		return NULL;
	diag_clear(&pd);
	if (tinfo_compute(r, ti, &pd) < 0) {
		problem(r, &ti->t, "%s", pd.msg);
		ti->p = NULL;
		ti->bad = 1;
		*bad = 1;
	}
	return ti;
}

static int add_end(struct run *r, int64_t ticket_id, const char *channel, struct diag *d)
{
	struct alert_end *e;

	if (grow((void **)&r->ends, &r->cends, r->nends, sizeof *r->ends) < 0)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	e = &r->ends[r->nends];
	e->ticket_id = ticket_id;
	if ((e->channel = strdup(channel)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	r->nends++;
	return 0;
}

/* Whether follow-up `level` of channel ends the alert: an Opsgenie close,
 * a "resolved", or a "responded" when no "resolved" follows. */
static int ends_alert(const struct run *r, const char *channel, int level)
{
	const struct webhook_target *h = hook_of(r, channel);

	if (h == NULL || h->format == WEBHOOK_OPSGENIE || level == STORE_REMIND_RESOLVED)
		return 1;
	return !webhook_wants(h, STORE_REMIND_RESOLVED);
}

struct follow {
	struct run *r;
	struct store_remind_alert *v;
	size_t n, cap;
	struct diag *d;
};

static int follow_collect(const struct store_remind_alert *a, void *arg)
{
	struct follow *f = arg;

	if (grow((void **)&f->v, &f->cap, f->n, sizeof *f->v) < 0)
		return diag_set(f->d, DIAG_NOMEM, "out of memory");
	f->v[f->n] = *a;
	if ((f->v[f->n].channel = strdup(a->channel)) == NULL)
		return diag_set(f->d, DIAG_NOMEM, "out of memory");
	f->n++;
	return 0;
}

/* The follow-ups one alert needs now: levels[] (at most 2). */
static size_t follow_levels(const struct run *r, const struct store_remind_alert *a,
			    const struct store_reminder *rows, size_t nrows, int levels[2])
{
	const struct webhook_target *h = hook_of(r, a->channel);
	size_t n = 0;

	if (h == NULL)
		return 0;		/* no longer configured: left as it is */
	if (h->format == WEBHOOK_OPSGENIE) {
		/* one close: the follow-up row there is, else the first event */
		for (size_t i = 0; i < nrows; i++)
			if (store_remind_followup_name(rows[i].threshold) != NULL &&
			    strcmp(rows[i].channel, a->channel) == 0) {
				levels[0] = rows[i].threshold;
				return 1;
			}
		levels[0] = a->first_response_at != STORE_NONE ? STORE_REMIND_RESPONDED :
		    STORE_REMIND_RESOLVED;
		return 1;
	}
	if (a->first_response_at != STORE_NONE && a->followed < STORE_REMIND_RESPONDED &&
	    webhook_wants(h, STORE_REMIND_RESPONDED))
		levels[n++] = STORE_REMIND_RESPONDED;
	if (a->resolved_at != STORE_NONE && webhook_wants(h, STORE_REMIND_RESOLVED))
		levels[n++] = STORE_REMIND_RESOLVED;
	return n;
}

/* Alerts whose ticket was answered or resolved: their follow-ups become
 * items like any notice (claimed, delivered, retried, exactly once). */
static int followups(struct run *r, struct diag *d)
{
	struct follow f;
	int rc = -1;

	memset(&f, 0, sizeof f);
	f.r = r;
	f.d = d;
	if (store_remind_alerts_due(r->s, follow_collect, &f, d) < 0)
		goto out;
	for (size_t i = 0; i < f.n; i++) {
		const struct store_remind_alert *a = &f.v[i];
		struct store_reminder *rows;
		size_t nrows, nl;
		int levels[2], final = 0, bad;
		struct tinfo *ti;

		if (hook_of(r, a->channel) == NULL)
			continue;
		if (store_reminder_list(r->s, a->ticket_id, &rows, &nrows, d) < 0)
			goto out;
		nl = follow_levels(r, a, rows, nrows, levels);
		if (nl == 0 && a->resolved_at != STORE_NONE) {
			/* resolved, and nothing this webhook takes: done */
			store_reminder_list_free(rows, nrows);
			if (add_end(r, a->ticket_id, a->channel, d) < 0)
				goto out;
			continue;
		}
		for (size_t k = 0; k < nl; k++) {
			const struct store_reminder *at = NULL;
			struct item *it;

			for (size_t j = 0; j < nrows; j++)
				if (rows[j].threshold == levels[k] &&
				    strcmp(rows[j].channel, a->channel) == 0)
					at = &rows[j];
			if (at != NULL && at->state != STORE_REMIND_PENDING) {
				/* done (the row went when it was marked) or in flight */
				final += at->state != STORE_REMIND_CLAIMED;
				continue;
			}
			if (at != NULL && at->next_attempt_at != STORE_NONE &&
			    at->next_attempt_at > r->o->now_at)
				continue;	/* not yet time for the retry */
			if ((ti = ticket_by_id(r, a->ticket_id, &bad, d)) == NULL) {
				store_reminder_list_free(rows, nrows);
				goto out;
			}
			if (bad)
				continue;
			if ((it = add_item(r, ti, levels[k], a->channel, at ? at->message_id : NULL,
			    d)) == NULL) {
				store_reminder_list_free(rows, nrows);
				goto out;
			}
			it->resend = at != NULL && at->message_id != NULL;
		}
		store_reminder_list_free(rows, nrows);
		/* all done, yet the row stayed (cannot happen: it goes with the
		 * mark): let it go */
		if (nl > 0 && final == (int)nl && ends_alert(r, a->channel, levels[nl - 1]) &&
		    add_end(r, a->ticket_id, a->channel, d) < 0)
			goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < f.n; i++)
		free(f.v[i].channel);
	free(f.v);
	return rc;
}

/* ---- message ids ---------------------------------------------------------------- */

static void ticket_thread_id(struct run *r, int64_t ticket_id, char *out, size_t size)
{
	snprintf(out, size, "ticket.%lld.%.16s@%s", (long long)ticket_id, r->install, r->domain);
}

static void item_id(struct run *r, const struct item *it, char *out, size_t size)
{
	char h[17];

	short_hash(r->install, it->channel, h);
	if (is_opsgenie(r, it->channel))
		/* one alert per ticket: every notice and the close share it */
		snprintf(out, size, "slatrack-%.16s-%lld", r->install, (long long)it->ti->t.id);
	else if (store_remind_followup_name(it->level) != NULL)
		snprintf(out, size, "slatrack-%.16s-%lld-%s", r->install,
		    (long long)it->ti->t.id, store_remind_followup_name(it->level));
	else if (strncmp(it->channel, "webhook:", 8) == 0)
		snprintf(out, size, "slatrack-%.16s-%lld-%d", r->install,
		    (long long)it->ti->t.id, it->level);
	else
		snprintf(out, size, "remind.%lld.%d.%.8s.%.16s@%s", (long long)it->ti->t.id,
		    it->level, h, r->install, r->domain);
}

static int is_mail(const struct item *it)
{
	return strncmp(it->channel, "mail:", 5) == 0;
}

/* Digest ids: one per recipient over the reminders it carries now, in
 * digests of at most REMIND_DIGEST_MAX tickets (a new installation with
 * thousands of overdue tickets gets several mails, not one huge one). */
static int assign_digest_ids(struct run *r, struct diag *d)
{
	for (size_t i = 0; i < r->nitems; i++) {
		struct item *a = &r->items[i];
		struct sha256 h;
		char hex[65], id[MAIL_ID_MAX + 1];
		size_t taken = 0, end = i;

		if (!a->claimed || a->message_id != NULL || !is_mail(a) || a->no_address)
			continue;
		sha256_init(&h);
		sha256_update(&h, r->install, strlen(r->install));
		sha256_update(&h, a->channel, strlen(a->channel) + 1);
		for (size_t k = i; k < r->nitems && taken < REMIND_DIGEST_MAX; k++) {
			const struct item *b = &r->items[k];
			char one[64];

			if (!b->claimed || b->message_id != NULL || b->no_address ||
			    strcmp(b->channel, a->channel) != 0)
				continue;
			snprintf(one, sizeof one, "%lld/%d;", (long long)b->ti->t.id, b->level);
			sha256_update(&h, one, strlen(one));
			taken++;
			end = k;
		}
		sha256_final_hex(&h, hex);
		snprintf(id, sizeof id, "digest.%.20s.%.16s@%s", hex, r->install, r->domain);
		for (size_t k = i; k <= end; k++) {
			struct item *b = &r->items[k];

			if (!b->claimed || b->message_id != NULL || b->no_address ||
			    strcmp(b->channel, a->channel) != 0)
				continue;
			if ((b->message_id = strdup(id)) == NULL)
				return diag_set(d, DIAG_NOMEM, "out of memory");
			if (!r->o->dry_run && store_remind_set_message_id(r->s, b->ti->t.id,
			    b->level, b->channel, r->run_id, id, d) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- claiming -------------------------------------------------------------------- */

static int claim_all(struct run *r, struct diag *d)
{
	char idout[MAIL_ID_MAX + 1];

	for (size_t i = 0; i < r->nskips; i++) {
		int rc = store_remind_skip(r->s, r->skips[i].ticket_id, r->skips[i].level,
		    r->skips[i].channel, r->skips[i].why, r->o->now_at, r->o->actor, d);

		if (rc < 0)
			return -1;
		r->sum->skipped += rc;
	}
	for (size_t i = 0; i < r->nitems; i++) {
		struct item *it = &r->items[i];
		char want[MAIL_ID_MAX + 1];
		int rc;

		if (it->recovered) {
			if (it->hold) {
				if ((rc = store_remind_attempt_failed(r->s, it->ti->t.id, it->level,
				    it->channel, r->run_id, WHY_WAITING, r->o->now_at, r->o->now_at,
				    r->o->actor, d)) < 0)
					return -1;
				r->sum->retrying += rc;
				continue;
			}
			if (it->drop) {
				if ((rc = store_remind_drop(r->s, it->ti->t.id, it->level, it->channel,
				    r->run_id, "the ticket was answered before the reminder went out",
				    r->o->now_at, r->o->actor, d)) < 0)
					return -1;
				r->sum->skipped += rc;
				it->claimed = 0;
				/* the dead run may have posted it: the alert gets its
				 * follow-up all the same */
				if (rc == 1 && hook_of(r, it->channel) != NULL &&
				    store_remind_alert_opened(r->s, it->ti->t.id, it->channel,
				    it->level, NULL, d) < 0)
					return -1;
			}
			continue;
		}
		want[0] = '\0';
		if (it->message_id == NULL && (r->per_ticket || !is_mail(it)))
			item_id(r, it, want, sizeof want);
		rc = store_remind_claim(r->s, it->ti->t.id, it->level, it->channel,
		    want[0] != '\0' ? want : NULL, r->run_id, r->o->now_at, r->o->actor, idout,
		    sizeof idout, &it->attempts, d);
		if (rc < 0)
			return -1;
		it->claimed = rc;
		if (rc == 1 && idout[0] != '\0' && it->message_id == NULL &&
		    (it->message_id = strdup(idout)) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		if (rc == 1 && it->no_address) {
			if (store_remind_attempt_failed(r->s, it->ti->t.id, it->level, it->channel,
			    r->run_id, it->no_address, STORE_NONE, r->o->now_at, r->o->actor, d) < 0)
				return -1;
			it->claimed = 0;
			r->sum->gave_up++;
			problem(r, &it->ti->t, "%s%s reminder: %s", store_remind_is_resolve(it->level) ?
			    "resolution " : "", is_breach(it->level) ? "breach" : "threshold",
			    it->no_address);
		}
	}
	if (assign_digest_ids(r, d) < 0)
		return -1;
	for (size_t i = 0; i < r->nends; i++)
		if (store_remind_alert_followed(r->s, r->ends[i].ticket_id, r->ends[i].channel,
		    STORE_REMIND_RESOLVED, 1, d) < 0)
			return -1;
	for (size_t i = 0; i < r->nwatches; i++) {
		const struct watch *w = &r->watches[i];

		if ((w->clock == SLA_CLOCK_RESOLVE ? store_remind_watch_resolve :
		    store_remind_watch)(r->s, w->ticket_id, w->level, r->plan, w->deadline_at,
		    w->assignee, w->next_at, d) < 0)
			return -1;
	}
	return 0;
}

/* ---- messages ---------------------------------------------------------------------- */

static void html_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
	}
}

/* Customer text made safe for one line (controls shown, newlines spaces). */
static char *safe_line(const char *s, size_t max_chars)
{
	struct buf b = BUF_INIT;
	size_t chars = 0, i = 0;
	const unsigned char *p;

	text_add_safe(&b, s ? s : "", 0);
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	p = (const unsigned char *)buf_str(&b);
	if (max_chars > 0) {
		while (i < b.len) {
			unsigned cp;
			size_t k = text_utf8_len(p + i, b.len - i, &cp);

			if (chars + 1 == max_chars && i + (k ? k : 1) < b.len) {
				b.len = i;
				b.data[i] = '\0';
				buf_adds(&b, "\xe2\x80\xa6");
				break;
			}
			i += k ? k : 1;
			chars++;
		}
	}
	return buf_detach(&b);
}

static void format_at(struct buf *b, struct tz *z, int64_t at)
{
	char local[CIVIL_ISO_LEN];

	civil_format_local(tz_utc_to_local(z, at), 0, local);
	buf_addf(b, "%s %s (%s)", local, tz_abbrev_at(z, at), tz_name(z));
}

struct field {
	const char *label;
	char *value;		/* owned */
};

#define NFIELDS 8

/* The facts of one reminder, as label/value pairs (values already safe
 * for text; HTML escapes them again). */
static int item_fields(const struct config *cfg, const struct item *it, struct tz *rz,
		       struct field f[NFIELDS], char **title, struct diag *d)
{
	const struct tinfo *ti = it->ti;
	const struct store_partner *p = &ti->p->partner;
	int clock = level_clock(it->level);
	const struct sla_status *st = &ti->st[clock];
	int64_t deadline_at = sla_clock_deadline_at(&ti->t, clock);
	struct buf b = BUF_INIT;
	char dur[TIMEFMT_LEN], wall[CIVIL_ISO_LEN], keybuf[32];
	const char *key = ti->t.key;
	char *summary = safe_line(ti->t.summary, 0), *safe_key;
	size_t n = 0;

	if (key == NULL) {
		snprintf(keybuf, sizeof keybuf, "#%lld", (long long)ti->t.id);
		key = keybuf;
	}
	safe_key = safe_line(key, 0);
	if (summary == NULL || safe_key == NULL)
		goto nomem;
	if (clock == SLA_CLOCK_RESOLVE)
		buf_adds(&b, "RESOLUTION ");
	if (is_breach(it->level))
		buf_addf(&b, "BREACHED  %s: %s", safe_key, summary);
	else
		buf_addf(&b, "%d%% USED  %s: %s", level_pct(it->level), safe_key, summary);
	*title = buf_detach(&b);
	memset(f, 0, NFIELDS * sizeof *f);
	f[n].label = "Partner";
	text_add_safe(&b, p->name, 0);
	buf_adds(&b, " (");
	text_add_safe(&b, p->key, 0);
	buf_adds(&b, ")");
	f[n++].value = buf_detach(&b);
	f[n].label = "Severity";
	buf_adds(&b, store_severity_name(ti->t.severity));
	f[n++].value = buf_detach(&b);
	f[n].label = "Summary";
	f[n++].value = summary;
	summary = NULL;
	f[n].label = "Assignee";
	if (ti->t.assignee != NULL)
		text_add_safe(&b, ti->t.assignee, 0);
	else
		buf_adds(&b, "(unassigned)");
	f[n++].value = buf_detach(&b);
	f[n].label = clock == SLA_CLOCK_RESOLVE ? "Resolve by" : "Deadline";
	format_at(&b, rz, deadline_at);
	if (strcmp(tz_name(rz), tz_name(ti->p->sched.tz)) != 0) {
		buf_adds(&b, "\n");
		format_at(&b, ti->p->sched.tz, deadline_at);
		buf_adds(&b, ", the partner's time");
	} else
		buf_adds(&b, ", also the partner's time");
	f[n++].value = buf_detach(&b);
	f[n].label = "Remaining";
	if (st->state == SLA_BREACHED) {
		ticketfmt_overrun(st->overrun_s, dur);
		civil_format_duration(st->overrun_wall_s, wall);
		buf_addf(&b, "none: overdue by %s of working time, %s on the clock", dur, wall);
	} else {
		ticketfmt_work(st->remaining_s, dur);
		buf_addf(&b, "%s of working time, %d%% of the %starget used", dur,
		    (int)(st->consumed * 100.0), clock == SLA_CLOCK_RESOLVE ? "resolution " : "");
	}
	f[n++].value = buf_detach(&b);
	if (ticketurl_format(cfg, p->key, ti->t.key, ti->t.id, &b) == 1) {
		f[n].label = "Helpdesk";
		f[n++].value = buf_detach(&b);
	}
	f[n].label = "Open it";
	remind_open_command(&b, ti->t.key, ti->t.id);
	f[n++].value = buf_detach(&b);
	for (size_t i = 0; i < n; i++)
		if (f[i].value == NULL)
			goto nomem;
	free(safe_key);
	return 0;
nomem:
	free(summary);
	free(safe_key);
	buf_release(&b);
	return diag_set(d, DIAG_NOMEM, "out of memory");
}

static void fields_free(struct field f[NFIELDS], char *title)
{
	for (size_t i = 0; i < NFIELDS; i++)
		free(f[i].value);
	free(title);
}

struct composed {
	struct buf subject, text, html;
	char thread[MAIL_ID_MAX + 1];
	const char *refs[1];
	const char *to[1];
	struct mail_message m;
};

/* The subject and the first line of a mail about the reminders v[0..n):
 * the resolution clock's say "resolution" so that they are not taken for
 * the response clock's. */
static void mail_intro(struct composed *c, struct item **v, size_t n)
{
	size_t nresolve = 0;
	int breached = 0;

	for (size_t i = 0; i < n; i++) {
		breached += is_breach(v[i]->level);
		nresolve += level_clock(v[i]->level) == SLA_CLOCK_RESOLVE;
	}
	if (n == 1) {
		const struct tinfo *ti = v[0]->ti;
		char keybuf[32], *sum = safe_line(ti->t.summary, SUBJECT_SUMMARY_CHARS);
		const char *clock = nresolve ? "resolution " : "";

		snprintf(keybuf, sizeof keybuf, "#%lld", (long long)ti->t.id);
		if (breached)
			buf_addf(&c->subject, "[slatrack] %sSLA BREACHED: ", clock);
		else
			buf_addf(&c->subject, "[slatrack] %s%d%% of SLA used: ", clock,
			    level_pct(v[0]->level));
		text_add_safe(&c->subject, ti->t.key ? ti->t.key : keybuf, 0);
		buf_adds(&c->subject, " ");
		buf_adds(&c->subject, sum ? sum : "");
		free(sum);
		if (nresolve)
			buf_adds(&c->text, breached ?
			    "This ticket has passed its resolution deadline without being "
			    "resolved:\n\n" :
			    "This ticket needs resolving before its resolution deadline:\n\n");
		else
			buf_adds(&c->text, breached ?
			    "This ticket has passed its SLA deadline without a first response:\n\n" :
			    "This ticket needs a first response before its SLA deadline:\n\n");
		return;
	}
	if (nresolve == 0) {
		buf_addf(&c->subject, "[slatrack] %zu tickets need a first response", n);
		buf_addf(&c->text, "%zu tickets need a first response", n);
	} else if (nresolve == n) {
		buf_addf(&c->subject, "[slatrack] %zu tickets need resolving", n);
		buf_addf(&c->text, "%zu tickets need resolving", n);
	} else {
		buf_addf(&c->subject, "[slatrack] %zu tickets need a first response, %zu "
		    "resolving", n - nresolve, nresolve);
		buf_addf(&c->text, "%zu tickets need a first response and %zu resolving",
		    n - nresolve, nresolve);
	}
	if (breached) {
		buf_addf(&c->subject, " (%d breached)", breached);
		buf_addf(&c->text, "; %d of them passed %s deadline", breached,
		    nresolve == 0 ? "the SLA" : nresolve == n ? "the resolution" : "a");
	}
	buf_adds(&c->text, ":\n\n");
}

static int compose_mail(struct run *r, struct item **v, size_t n, const char *addr,
			struct composed *c, struct diag *d)
{
	const struct staff *sf = NULL;
	struct tz *rz;

	for (size_t i = 0; i < r->nstaff && sf == NULL; i++)
		if (r->staff[i].email != NULL && strcasecmp(r->staff[i].email, addr) == 0)
			sf = &r->staff[i];
	rz = zone_get(r, sf && sf->zone ? sf->zone : r->default_zone);
	if (rz == NULL)
		return diag_set(d, DIAG_INPUT, "no timezone data (not even UTC)");
	buf_init(&c->subject);
	buf_init(&c->text);
	buf_init(&c->html);
	mail_intro(c, v, n);
	buf_adds(&c->html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
	html_escape(&c->html, buf_str(&c->subject));
	buf_adds(&c->html, "</title></head>\n<body style=\"font-family: sans-serif\">\n<p>");
	{
		const char *intro = buf_str(&c->text);
		size_t l = strcspn(intro, "\n");
		struct buf t = BUF_INIT;

		buf_add(&t, intro, l);
		html_escape(&c->html, buf_str(&t));
		buf_release(&t);
	}
	buf_adds(&c->html, "</p>\n");
	for (size_t i = 0; i < n; i++) {
		struct field f[NFIELDS];
		char *title = NULL;

		if (item_fields(r->cfg, v[i], rz, f, &title, d) < 0)
			return -1;
		buf_addf(&c->text, "%s\n", title);
		buf_addf(&c->html, "<h3 style=\"color: %s\">", is_breach(v[i]->level) ?
		    "#b00020" : "#8a5a00");
		html_escape(&c->html, title);
		buf_adds(&c->html, "</h3>\n<table>\n");
		for (size_t k = 0; k < NFIELDS && f[k].label != NULL; k++) {
			const char *val = f[k].value;

			buf_addf(&c->text, "  %-10s ", f[k].label);
			buf_addf(&c->html, "<tr><th align=\"left\" valign=\"top\">%s</th><td>",
			    f[k].label);
			for (const char *p = val; *p != '\0';) {
				size_t l = strcspn(p, "\n");
				struct buf t = BUF_INIT;

				buf_add(&t, p, l);
				buf_addf(&c->text, "%s%s\n", p == val ? "" : "             ",
				    buf_str(&t));
				if (strcmp(f[k].label, "Open it") == 0)
					buf_adds(&c->html, "<code>");
				if (strcmp(f[k].label, "Helpdesk") == 0) {
					buf_adds(&c->html, "<a href=\"");
					html_escape(&c->html, buf_str(&t));
					buf_adds(&c->html, "\">");
				}
				html_escape(&c->html, buf_str(&t));
				if (strcmp(f[k].label, "Helpdesk") == 0)
					buf_adds(&c->html, "</a>");
				if (strcmp(f[k].label, "Open it") == 0)
					buf_adds(&c->html, "</code>");
				if (p[l] == '\n')
					buf_adds(&c->html, "<br>");
				buf_release(&t);
				p += l;
				if (*p == '\n')
					p++;
			}
			buf_adds(&c->html, "</td></tr>\n");
		}
		buf_adds(&c->text, "\n");
		buf_adds(&c->html, "</table>\n");
		fields_free(f, title);
	}
	buf_adds(&c->text, "-- \nslatrack remind: one reminder per ticket, threshold and "
	    "recipient.\n");
	buf_adds(&c->html, "<hr><p><small>slatrack remind: one reminder per ticket, threshold "
	    "and recipient.</small></p>\n</body></html>\n");
	if (buf_failed(&c->subject) || buf_failed(&c->text) || buf_failed(&c->html))
		return diag_set(d, DIAG_NOMEM, "out of memory");
	memset(&c->m, 0, sizeof c->m);
	c->to[0] = addr;
	c->m.from = r->from;
	c->m.from_name = "slatrack";
	c->m.to = c->to;
	c->m.nto = 1;
	c->m.subject = buf_str(&c->subject);
	c->m.message_id = v[0]->message_id;
	c->m.date_at = r->o->now_at;
	c->m.text = buf_str(&c->text);
	c->m.html = buf_str(&c->html);
	/* reminders about one ticket thread together */
	if (n == 1 || (n > 1 && v[0]->ti == v[n - 1]->ti)) {
		ticket_thread_id(r, v[0]->ti->t.id, c->thread, sizeof c->thread);
		c->refs[0] = c->thread;
		c->m.in_reply_to = c->thread;
		c->m.references = c->refs;
		c->m.nreferences = 1;
	}
	return 0;
}

static void composed_release(struct composed *c)
{
	buf_release(&c->subject);
	buf_release(&c->text);
	buf_release(&c->html);
}

/* ---- delivering -------------------------------------------------------------------- */

static int64_t backoff(const struct run *r, int attempts)
{
	int64_t wait = r->retry_s;

	for (int i = 1; i < attempts && wait < REMIND_RETRY_MAX_S; i++)
		wait *= 2;
	return wait < REMIND_RETRY_MAX_S ? wait : REMIND_RETRY_MAX_S;
}

/* The alert's bookkeeping after a webhook reminder was marked: a notice
 * delivered opens it (at its priority); a follow-up delivered or given
 * up moves it on or ends it. */
static int alert_mark(struct run *r, const struct item *it, struct diag *d)
{
	const struct webhook_target *h = hook_of(r, it->channel);
	int final = it->ok || it->refused || it->attempts >= r->max_attempts;

	if (h == NULL)
		return 0;
	if (store_remind_followup_name(it->level) == NULL)
		return it->ok ? store_remind_alert_opened(r->s, it->ti->t.id, it->channel,
		    it->level, h->format == WEBHOOK_OPSGENIE ? webhook_priority(h, it->level,
		    last_threshold(r)) : NULL, d) : 0;
	if (!final)
		return 0;
	return store_remind_alert_followed(r->s, it->ti->t.id, it->channel, it->level,
	    ends_alert(r, it->channel, it->level), d);
}

/* Records the outcome of one reminder (inside the caller's transaction):
 * sent, pending for a retry, or failed; 1 changed, 0 not ours, -1. */
static int mark_one(struct run *r, struct item *it, struct diag *d)
{
	int rc;

	if (it->ok)
		rc = store_remind_sent(r->s, it->ti->t.id, it->level, it->channel, r->run_id,
		    r->o->now_at, r->o->actor, d);
	else {
		int final = it->refused || it->attempts >= r->max_attempts;
		int64_t next = final ? STORE_NONE : r->o->now_at + backoff(r, it->attempts);
		char when[CIVIL_ISO_LEN];

		rc = store_remind_attempt_failed(r->s, it->ti->t.id, it->level, it->channel,
		    r->run_id, it->error, next, r->o->now_at, r->o->actor, d);
		if (rc == 1 && final)
			r->sum->gave_up++;
		else if (rc == 1)
			r->sum->retrying++;
		if (next != STORE_NONE)
			civil_format_utc(next, when);
		problem(r, &it->ti->t, "%s %s: %s (attempt %d of %d%s%s)",
		    level_label(it->level), it->channel, it->error, it->attempts, r->max_attempts,
		    it->refused ? "; refused for good, not retried" : final ? "; gave up" :
		    "; next try after ", final ? "" : when);
	}
	if (rc == 1 && alert_mark(r, it, d) < 0)
		rc = -1;
	if (it->ok && rc == 1)
		r->sum->reminders++;
	return rc;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Records every outcome held in r->marks, in one transaction: one fsync
 * (synchronous = FULL) for up to REMIND_MARK_DELIVERIES deliveries instead
 * of one each.  Their rows were claimed, durably, before anything was sent;
 * until this commits they stay claimed, and a crash before it leaves them
 * to the next run, which takes them over and sends them again with the
 * same Message-IDs (remind.h, "Exactly once").  A failure here drops the
 * group the same way: the rows stay claimed. */
static int marks_flush(struct run *r, struct diag *d)
{
	size_t n = r->nmarks;

	r->nmarks = 0;
	r->mark_deliveries = 0;
	if (n == 0)
		return 0;
	if (r->o->dry_run) {
		for (size_t i = 0; i < n; i++)
			r->sum->reminders += r->marks[i]->ok;
		return 0;
	}
	if (store_begin(r->s, d) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (mark_one(r, r->marks[i], d) < 0) {
			store_rollback(r->s);
			return -1;
		}
	return store_commit(r->s, d);
}

/* The outcome of one delivery for its reminders: held with the others
 * until REMIND_MARK_DELIVERIES deliveries or REMIND_MARK_MS since the
 * first of them, then recorded together (marks_flush).  The end of each
 * batch and every early return of deliver_all record what is held. */
static int mark(struct run *r, struct item **v, size_t n, struct diag *d)
{
	while (r->nmarks + n > r->cmarks)
		if (grow((void **)&r->marks, &r->cmarks, r->cmarks, sizeof *r->marks) < 0)
			return diag_set(d, DIAG_NOMEM, "out of memory");
	if (r->nmarks == 0)
		r->mark_since_ms = monotonic_ms();
	for (size_t i = 0; i < n; i++)
		r->marks[r->nmarks++] = v[i];
	r->mark_deliveries++;
	if (r->mark_deliveries >= REMIND_MARK_DELIVERIES ||
	    monotonic_ms() - r->mark_since_ms >= REMIND_MARK_MS)
		return marks_flush(r, d);
	return 0;
}

static void set_error(struct item **v, size_t n, int rc, const char *reply,
		      const struct diag *dd)
{
	for (size_t i = 0; i < n; i++) {
		v[i]->ok = 0;
		v[i]->refused = rc == REMIND_REFUSED;
		snprintf(v[i]->error, sizeof v[i]->error, "%s", dd->msg[0] ? dd->msg : reply);
	}
}

static int deliver_mail(struct run *r, struct item **v, size_t n, struct diag *d)
{
	struct composed c;
	struct remind_delivery dl;
	char reply[512];
	struct diag dd;
	int rc;

	memset(&c, 0, sizeof c);
	diag_clear(&dd);
	if (compose_mail(r, v, n, v[0]->channel + 5, &c, &dd) < 0) {
		/* cannot happen with sane input; recorded like a failed delivery */
		composed_release(&c);
		set_error(v, n, -1, "", &dd);
		r->sum->mail_failures++;
		return mark(r, v, n, d);
	}
	memset(&dl, 0, sizeof dl);
	dl.kind = REMIND_MAIL;
	dl.channel = v[0]->channel;
	dl.recipient = v[0]->channel + 5;
	dl.message_id = v[0]->message_id;
	dl.nreminders = n;
	for (size_t i = 0; i < n; i++)
		dl.resend |= v[i]->resend;
	dl.mail = &c.m;
	diag_clear(&dd);
	reply[0] = '\0';
	rc = r->snd->deliver(r->snd->arg, &dl, reply, &dd);
	composed_release(&c);
	if (rc == 0) {
		for (size_t i = 0; i < n; i++)
			v[i]->ok = 1;
		r->sum->mails++;
	} else {
		set_error(v, n, rc, reply, &dd);
		r->sum->mail_failures++;
	}
	return mark(r, v, n, d);
}

/* One HTTP call of a webhook reminder through the sender: 0 delivered,
 * else the item's error set. */
static int webhook_call(struct run *r, struct item *it, const struct webhook_target *h,
			const char *method, const char *url, const struct buf *body,
			const char *id)
{
	struct remind_delivery dl;
	char reply[512];
	struct diag dd;
	int rc;

	memset(&dl, 0, sizeof dl);
	dl.kind = REMIND_WEBHOOK;
	dl.channel = it->channel;
	dl.recipient = it->channel + 8;
	dl.message_id = id;
	dl.nreminders = 1;
	dl.resend = it->resend;
	dl.webhook = h;
	dl.method = method;
	dl.url = url;
	dl.body = buf_str(body);
	dl.len = body->len;
	diag_clear(&dd);
	reply[0] = '\0';
	rc = r->snd->deliver(r->snd->arg, &dl, reply, &dd);
	if (rc != 0)
		set_error(&it, 1, rc, reply, &dd);
	return rc;
}

/* Opsgenie: whether the ticket's alert is open at another priority than
 * prio (then the create is followed by "update priority"). */
static int needs_priority(struct run *r, const struct item *it, const char *prio,
			  struct diag *d)
{
	struct store_remind_alert a;
	int found = store_remind_alert_get(r->s, it->ti->t.id, it->channel, &a, d);

	if (found <= 0)
		return found;
	return a.priority[0] != '\0' && strcmp(a.priority, prio) != 0;
}

static void webhook_notice_of(struct run *r, const struct item *it, const char *alias,
			      const char *alert, struct webhook_notice *wn)
{
	const struct tinfo *ti = it->ti;

	memset(wn, 0, sizeof *wn);
	wn->alias = alias;
	wn->alert = alert;
	wn->threshold = it->level;
	wn->ticket_id = ti->t.id;
	wn->key = ti->t.key;
	wn->partner_key = ti->p->partner.key;
	wn->partner_name = ti->p->partner.name;
	wn->severity = store_severity_name(ti->t.severity);
	wn->summary = ti->t.summary;
	wn->assignee = ti->t.assignee;
	wn->created_at = ti->t.created_at;
	wn->deadline_at = ti->t.deadline_at;
	wn->now_at = r->o->now_at;
	wn->remaining_s = ti->st[SLA_CLOCK_RESPONSE].state == SLA_BREACHED ?
	    -ti->st[SLA_CLOCK_RESPONSE].overrun_s : ti->st[SLA_CLOCK_RESPONSE].remaining_s;
	wn->consumed_pct = (int)(ti->st[SLA_CLOCK_RESPONSE].consumed * 100.0);
	wn->actor = r->o->actor;
	wn->has_responded = ti->t.first_response_at != STORE_NONE;
	wn->responded_at = ti->t.first_response_at;
	wn->has_resolved = ti->t.resolved_at != STORE_NONE;
	wn->resolved_at = ti->t.resolved_at;
}

static int deliver_webhook(struct run *r, struct item *it, struct diag *d)
{
	const struct webhook_target *h = hook_of(r, it->channel);
	struct webhook_notice wn;
	struct buf body = BUF_INIT, open = BUF_INIT, link = BUF_INIT, url = BUF_INIT;
	char alias[MAIL_ID_MAX + 1], alert[80];
	const char *prio = NULL;
	int rc, escalate = 0, ops, followup = store_remind_followup_name(it->level) != NULL;

	if (h == NULL) {
		/* the section was removed from the config: cannot deliver */
		it->ok = 0;
		snprintf(it->error, sizeof it->error, "[webhook \"%s\"] is no longer configured",
		    it->channel + 8);
		r->sum->post_failures++;
		return mark(r, &it, 1, d);
	}
	ops = h->format == WEBHOOK_OPSGENIE;
	item_id(r, it, alias, sizeof alias);
	snprintf(alert, sizeof alert, "slatrack-%.16s-%lld", r->install, (long long)it->ti->t.id);
	remind_open_command(&open, it->ti->t.key, it->ti->t.id);
	webhook_notice_of(r, it, it->message_id ? it->message_id : alias, alert, &wn);
	wn.open_command = buf_str(&open);
	if (followup) {
		struct store_remind_alert a;

		if (store_remind_alert_get(r->s, it->ti->t.id, it->channel, &a, d) < 0)
			goto fail;
		wn.level = a.level;
	}
	if (ticketurl_format(r->cfg, it->ti->p->partner.key, it->ti->t.key, it->ti->t.id,
	    &link) == 1)
		wn.url = buf_str(&link);
	if (ops && !followup) {
		prio = webhook_priority(h, it->level, last_threshold(r));
		wn.priority = prio;
		if ((escalate = needs_priority(r, it, prio, d)) < 0)
			goto fail;
	}
	if (webhook_payload(h, &wn, &body, d) < 0)
		goto fail;
	if (ops && followup)
		webhook_alert_url(h, wn.alias, "close", &url);
	if (buf_failed(&url) || buf_failed(&link) || buf_failed(&open)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	rc = webhook_call(r, it, h, "POST", url.len ? buf_str(&url) : NULL, &body, wn.alias);
	if (rc == 0 && escalate) {
		/* Opsgenie keeps an open alert's first priority on a create
		 * with its alias: raise it with the update call */
		buf_reset(&body);
		buf_reset(&url);
		webhook_priority_body(&body, prio);
		webhook_alert_url(h, wn.alias, "priority", &url);
		if (buf_failed(&body) || buf_failed(&url)) {
			diag_set(d, DIAG_NOMEM, "out of memory");
			goto fail;
		}
		rc = webhook_call(r, it, h, "PUT", buf_str(&url), &body, wn.alias);
	}
	buf_release(&body);
	buf_release(&open);
	buf_release(&link);
	buf_release(&url);
	if (rc == 0) {
		it->ok = 1;
		r->sum->posts++;
	} else
		r->sum->post_failures++;
	return mark(r, &it, 1, d);
fail:
	buf_release(&body);
	buf_release(&open);
	buf_release(&link);
	buf_release(&url);
	return -1;
}

static int cmp_items(const void *a, const void *b)
{
	const struct item *x = *(struct item *const *)a, *y = *(struct item *const *)b;
	int c = strcmp(x->channel, y->channel);

	if (c != 0)
		return c;
	if (!is_mail(x)) {
		/* a webhook: its events in the order they happened */
		if (x->ti->t.id != y->ti->t.id)
			return x->ti->t.id < y->ti->t.id ? -1 : 1;
		return x->level - y->level;
	}
	c = strcmp(x->message_id ? x->message_id : "", y->message_id ? y->message_id : "");
	if (c != 0)
		return c;
	if (x->ti->t.id != y->ti->t.id)
		return x->ti->t.id < y->ti->t.id ? -1 : 1;
	return x->level - y->level;
}

/* Whether the caller asked the run to end (remind_options.stop). */
static int stop_asked(struct run *r)
{
	if (r->o->stop == NULL || *r->o->stop == 0)
		return 0;
	r->sum->stopped = 1;
	return 1;
}

static int deliver_all(struct run *r, struct diag *d)
{
	struct item **v;
	size_t n = 0;
	int rc = 0;

	if ((v = malloc((r->nitems + 1) * sizeof *v)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t i = 0; i < r->nitems; i++)
		if (r->items[i].claimed && !r->items[i].no_address && r->items[i].ti->p != NULL)
			v[n++] = &r->items[i];
	qsort(v, n, sizeof *v, cmp_items);
	for (size_t i = 0; i < n && rc == 0 && !stop_asked(r);) {
		size_t j = i + 1;

		if (!is_mail(v[i])) {
			/* a webhook reads the alert that earlier marks wrote:
			 * record them first */
			if ((rc = marks_flush(r, d)) == 0)
				rc = deliver_webhook(r, v[i], d);
			i++;
			continue;
		}
		/* one message per Message-ID: a digest, a per-ticket mail, or
		 * the same message again after a failure or a crash */
		while (j < n && strcmp(v[j]->channel, v[i]->channel) == 0 &&
		    v[i]->message_id != NULL && v[j]->message_id != NULL &&
		    strcmp(v[j]->message_id, v[i]->message_id) == 0)
			j++;
		if (v[i]->message_id == NULL) {
			/* cannot happen: every claimed mail has an id by now */
			char id[MAIL_ID_MAX + 1];

			item_id(r, v[i], id, sizeof id);
			if ((v[i]->message_id = strdup(id)) == NULL) {
				rc = diag_set(d, DIAG_NOMEM, "out of memory");
				break;
			}
			j = i + 1;
		}
		rc = deliver_mail(r, v + i, j - i, d);
		i = j;
	}
	free(v);
	/* what went out is recorded before the batch ends, and before an
	 * error ends the run (its own error stays the one reported) */
	if (rc < 0) {
		struct diag ignore;

		diag_clear(&ignore);
		marks_flush(r, &ignore);
		return -1;
	}
	return marks_flush(r, d);
}

/* ---- the run ------------------------------------------------------------------------ */

/* Decides, claims and delivers one batch: the recovered claims and stale
 * rows (first batch only) and the candidates cl collected. */
static int run_batch(struct run *r, struct collect *cl, struct diag *d)
{
	const struct remind_options *o = r->o;
	int need_mail = 0, need = 0;

	for (size_t i = 0; i < cl->n; i++) {
		/* tickets[] starts with the recovered ones */
		struct tinfo *ti = r->tickets[r->ntickets - cl->n + i];
		struct diag pd;

		diag_clear(&pd);
		if (tinfo_compute(r, ti, &pd) < 0) {
			problem(r, &ti->t, "%s", pd.msg);
			continue;
		}
		for (int k = SLA_CLOCK_RESPONSE; k <= SLA_CLOCK_RESOLVE; k++)
			if (cl->dues[i].due[k] && decide(r, ti, k, cl->dues[i].watch_level[k], d) < 0)
				return -1;
	}
	for (size_t i = 0; i < r->nitems; i++)
		if ((r->items[i].claimed || !r->items[i].recovered) && !r->items[i].no_address &&
		    !r->items[i].drop && !r->items[i].hold) {
			need = 1;
			need_mail |= is_mail(&r->items[i]);
		}
	if (need && r->snd->prepare != NULL && r->snd->prepare(r->snd->arg, need_mail, d) < 0)
		return -1;
	if (r->nitems + r->nskips + r->nwatches + r->nends == 0)
		return 0;
	if (o->dry_run) {
		for (size_t i = 0; i < r->nitems; i++) {
			struct item *it = &r->items[i];

			if (it->recovered && (it->drop || it->hold))
				it->claimed = 0;
			if (it->no_address)
				problem(r, &it->ti->t, "%s%s reminder: %s (would be recorded as failed)",
				    store_remind_is_resolve(it->level) ? "resolution " : "",
				    is_breach(it->level) ? "breach" : "threshold", it->no_address);
			if (it->recovered || it->no_address)
				continue;
			it->claimed = 1;
			note_oldest(r, it);
			if (it->message_id == NULL && (r->per_ticket || !is_mail(it))) {
				char id[MAIL_ID_MAX + 1];

				item_id(r, it, id, sizeof id);
				if ((it->message_id = strdup(id)) == NULL)
					return diag_set(d, DIAG_NOMEM, "out of memory");
			}
		}
		if (assign_digest_ids(r, d) < 0)
			return -1;
	} else {
		if (store_begin(r->s, d) < 0)
			return -1;
		if (claim_all(r, d) < 0 || store_commit(r->s, d) < 0) {
			store_rollback(r->s);
			return -1;
		}
	}
	return deliver_all(r, d);
}

static int count_deliver(void *arg, const struct remind_delivery *dl, char reply[512],
			 struct diag *d)
{
	(void)arg;
	(void)dl;
	(void)reply;
	(void)d;
	return 0;
}

/* A first run without a start: a dry run that delivers nothing and counts.
 * 1 when something would go out (sum says what; the caller stops), 0 when
 * not, -1 with d. */
static int first_run_count(struct store *s, const struct config *cfg,
			   const struct remind_options *o, struct remind_summary *sum,
			   struct diag *d)
{
	struct remind_options co = *o;
	struct remind_sender cs = { NULL, count_deliver, NULL };
	struct remind_summary cnt;
	int64_t start;
	int rc;

	if (!o->first_run_check || o->dry_run)
		return 0;
	if ((rc = start_instant(cfg, o, &start, d)) != 0)
		return rc < 0 ? -1 : 0;
	if ((rc = store_remind_ran(s, d)) != 0)
		return rc < 0 ? -1 : 0;
	co.dry_run = 1;
	co.first_run_check = 0;
	remind_summary_init(&cnt);
	rc = remind_run(s, cfg, &co, &cs, &cnt, d);
	if (rc == 0 && cnt.reminders > 0) {
		sum->first_run = 1;
		sum->tickets = cnt.tickets;
		sum->reminders = cnt.reminders;
		sum->mails = cnt.mails;
		sum->posts = cnt.posts;
		sum->has_oldest = cnt.has_oldest;
		sum->oldest_at = cnt.oldest_at;
		rc = 1;
	}
	remind_summary_release(&cnt);
	return rc;
}

int remind_run(struct store *s, const struct config *cfg, const struct remind_options *o,
	       const struct remind_sender *snd, struct remind_summary *sum, struct diag *d)
{
	struct run r;
	struct collect cl;
	int rc = -1, more = 1;

	if ((rc = first_run_count(s, cfg, o, sum, d)) != 0)
		return rc < 0 ? -1 : 0;
	rc = -1;
	memset(&r, 0, sizeof r);
	memset(&cl, 0, sizeof cl);
	r.s = s;
	r.cfg = cfg;
	r.o = o;
	r.snd = snd;
	r.sum = sum;
	r.lock_fd = -1;
	cl.r = &r;
	cl.d = d;
	cl.limit = o->batch > 0 ? o->batch : REMIND_BATCH;
	if (store_install_id(s, r.install, d) < 0 || load_settings(&r, d) < 0)
		goto out;
	if (lock_open(&r, d) < 0) {
		if (!o->dry_run)
			goto out;
		r.lock_fd = -1;		/* a dry run can do without: treat claims as alive */
		diag_clear(d);
	}
	if (!o->dry_run && store_remind_mark_ran(s, o->now_at, d) < 0)
		goto out;
	if (recover(&r, d) < 0)
		goto out;
	if (store_remind_stale(s, stale_row, &cl, d) < 0)
		goto out;
	if (followups(&r, d) < 0)
		goto out;
	/* batch after batch of candidates, in ticket order: memory stays
	 * bounded however many tickets are due */
	while (more && !stop_asked(&r)) {
		int got;

		cl.n = 0;
		got = store_remind_candidates(s, o->now_at, r.nlevels ? r.levels[0] : 100, r.plan,
		    cl.after, collect_candidate, &cl, d);
		if (got < 0)
			goto out;
		more = got > 0;		/* stopped by a full batch */
		if (run_batch(&r, &cl, d) < 0)
			goto out;
		batch_release(&r);
	}
	rc = 0;
out:
	free(cl.dues);
	run_release(&r);
	return rc;
}
