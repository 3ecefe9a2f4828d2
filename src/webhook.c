/* webhook.c: JSON notices over HTTPS; see webhook.h.  With fetch.c and
 * mail.c, the only files including curl.h. */
#include "webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "civil.h"
#include "config.h"
#include "fetch.h"
#include "json.h"
#include "text.h"
#include "ticketfmt.h"

#ifndef SLATRACK_VERSION
#define SLATRACK_VERSION "dev"
#endif

#define WEBHOOK_MAX 32
#define OPSGENIE_MESSAGE_MAX 130

void webhook_targets_free(struct webhook_target *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].url);
		if (v[i].authorization != NULL) {
			volatile char *p = v[i].authorization;

			while (*p != '\0')
				*p++ = '\0';
			free(v[i].authorization);
		}
		free(v[i].cafile);
	}
	free(v);
}

/* The rules of holiday-calendar URLs (fetch.c): https, or http to a
 * loopback host. */
int webhook_check_url(const char *url, struct diag *d)
{
	return fetch_check_url(url, d);
}

/* An Opsgenie priority key: P1..P5 (the configuration checks it), else
 * the default. */
static void load_priority(const struct config *cfg, const char *name, const char *key,
			  const char *def, char out[4])
{
	const char *v = config_get(cfg, "webhook", name, key);

	if (v == NULL || strlen(v) != 2 || v[0] != 'P' || v[1] < '1' || v[1] > '5')
		v = def;
	snprintf(out, 4, "%s", v);
}

const char *webhook_priority(const struct webhook_target *t, int level, int last_threshold)
{
	if (level >= 100)
		return t->priority[2];
	if (level >= last_threshold)
		return t->priority[1];
	return t->priority[0];
}

int webhook_wants(const struct webhook_target *t, int followup)
{
	if (followup == WEBHOOK_RESPONDED_LEVEL)
		return (t->events & WEBHOOK_RESPONDED) != 0;
	if (followup == WEBHOOK_RESOLVED_LEVEL)
		return (t->events & WEBHOOK_RESOLVED) != 0;
	return 0;
}

int webhook_targets_load(const struct config *cfg, struct webhook_target **v, size_t *n,
			 struct diag *d)
{
	const char *names[WEBHOOK_MAX];
	size_t total = config_subsections(cfg, "webhook", names, WEBHOOK_MAX), cnt = 0;
	struct webhook_target *out;

	*v = NULL;
	*n = 0;
	if (total > WEBHOOK_MAX)
		return diag_set(d, DIAG_INPUT, "%s: more than %d [webhook] sections",
		    config_source(cfg), WEBHOOK_MAX);
	if (total == 0)
		return 0;
	if ((out = calloc(total, sizeof *out)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t i = 0; i < total; i++) {
		struct webhook_target *t = &out[cnt];
		const char *url = config_get(cfg, "webhook", names[i], "url");
		const char *ev = config_get(cfg, "webhook", names[i], "events");
		const char *fmt = config_get(cfg, "webhook", names[i], "format");
		const char *auth = config_get(cfg, "webhook", names[i], "authorization");
		const char *ca = config_get(cfg, "webhook", names[i], "cafile");
		int64_t to = config_get_duration(cfg, "webhook", names[i], "timeout");

		if (url == NULL || *url == '\0')
			continue;
		if (webhook_check_url(url, d) < 0) {
			diag_prefix(d, "%s: [webhook \"%s\"] url", config_source(cfg), names[i]);
			webhook_targets_free(out, cnt);
			return -1;
		}
		t->name = strdup(names[i]);
		t->url = strdup(url);
		t->authorization = auth != NULL && *auth != '\0' ? strdup(auth) : NULL;
		t->cafile = ca != NULL && *ca != '\0' ? strdup(ca) : NULL;
		cnt++;
		if (t->name == NULL || t->url == NULL || (auth != NULL && *auth != '\0' &&
		    t->authorization == NULL) || (ca != NULL && *ca != '\0' && t->cafile == NULL)) {
			webhook_targets_free(out, cnt);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
		t->events = 0;
		for (const char *p = ev ? ev : "breach"; *p != '\0';) {
			size_t l = strcspn(p, ",");

			if (l == 6 && strncmp(p, "breach", 6) == 0)
				t->events |= WEBHOOK_BREACH;
			else if (l == 9 && strncmp(p, "threshold", 9) == 0)
				t->events |= WEBHOOK_THRESHOLD;
			else if (l == 9 && strncmp(p, "responded", 9) == 0)
				t->events |= WEBHOOK_RESPONDED;
			else if (l == 8 && strncmp(p, "resolved", 8) == 0)
				t->events |= WEBHOOK_RESOLVED;
			p += l;
			if (*p == ',')
				p++;
		}
		/* naming neither follow-up: both */
		if ((t->events & (WEBHOOK_RESPONDED | WEBHOOK_RESOLVED)) == 0)
			t->events |= WEBHOOK_RESPONDED | WEBHOOK_RESOLVED;
		t->format = fmt != NULL && strcmp(fmt, "opsgenie") == 0 ? WEBHOOK_OPSGENIE :
		    WEBHOOK_GENERIC;
		t->timeout_s = to > 0 ? (long)to : 30;
		load_priority(cfg, names[i], "threshold_priority", "P3", t->priority[0]);
		load_priority(cfg, names[i], "last_threshold_priority", "P2", t->priority[1]);
		load_priority(cfg, names[i], "breach_priority", "P1", t->priority[2]);
	}
	*v = out;
	*n = cnt;
	return 0;
}

/* ---- JSON ------------------------------------------------------------------ */

void webhook_json_string(struct buf *out, const char *s)
{
	json_add_string(out, s ? s : "");
}

/* A single-line version of s (newlines to spaces), for one-line fields. */
static char *one_line(const char *s)
{
	struct buf b = BUF_INIT;

	text_add_safe(&b, s ? s : "", 0);
	return buf_detach(&b);
}

static void add_instant_or_null(struct buf *out, int has, int64_t at)
{
	char iso[CIVIL_ISO_LEN];

	if (!has) {
		buf_adds(out, "null");
		return;
	}
	civil_format_utc(at, iso);
	buf_addf(out, "\"%s\"", iso);
}

static const char *event_name(int threshold)
{
	if (threshold == WEBHOOK_RESPONDED_LEVEL)
		return "responded";
	if (threshold == WEBHOOK_RESOLVED_LEVEL)
		return "resolved";
	return threshold >= 100 ? "breach" : "threshold";
}

static void generic_payload(const struct webhook_notice *n, const char *key,
			    struct buf *out)
{
	char created[CIVIL_ISO_LEN], deadline[CIVIL_ISO_LEN], now[CIVIL_ISO_LEN];
	int followup = n->threshold > 100;

	civil_format_utc(n->created_at, created);
	civil_format_utc(n->deadline_at, deadline);
	civil_format_utc(n->now_at, now);
	buf_addf(out, "{\"event\":\"%s\",\"threshold\":%d,\"alias\":", event_name(n->threshold),
	    followup ? n->level : n->threshold);
	webhook_json_string(out, n->alias);
	buf_adds(out, ",\"alert\":");
	webhook_json_string(out, n->alert);
	buf_addf(out, ",\"ticket\":{\"id\":%lld,\"key\":", (long long)n->ticket_id);
	webhook_json_string(out, key);
	buf_adds(out, ",\"partner\":");
	webhook_json_string(out, n->partner_key);
	buf_adds(out, ",\"partner_name\":");
	webhook_json_string(out, n->partner_name);
	buf_adds(out, ",\"severity\":");
	webhook_json_string(out, n->severity);
	buf_adds(out, ",\"summary\":");
	webhook_json_string(out, n->summary);
	buf_adds(out, ",\"assignee\":");
	if (n->assignee != NULL)
		webhook_json_string(out, n->assignee);
	else
		buf_adds(out, "null");
	buf_addf(out, ",\"created\":\"%s\",\"deadline\":\"%s\",\"remaining_s\":%lld,"
	    "\"consumed_percent\":%d,\"responded\":", created, deadline,
	    (long long)n->remaining_s, n->consumed_pct);
	add_instant_or_null(out, n->has_responded, n->responded_at);
	buf_adds(out, ",\"resolved\":");
	add_instant_or_null(out, n->has_resolved, n->resolved_at);
	if (n->url != NULL) {
		buf_adds(out, ",\"url\":");
		webhook_json_string(out, n->url);
	}
	buf_adds(out, "},\"open\":");
	webhook_json_string(out, n->open_command);
	buf_addf(out, ",\"sent_at\":\"%s\"}\n", now);
}

/* Opsgenie's close-alert body: who, and why. */
static void opsgenie_close(const struct webhook_notice *n, const char *key, struct buf *out)
{
	struct buf note = BUF_INIT;
	char when[CIVIL_ISO_LEN];
	int responded = n->threshold == WEBHOOK_RESPONDED_LEVEL;

	civil_format_utc(responded ? n->responded_at : n->resolved_at, when);
	buf_addf(&note, "%s %s at %s", key, responded ? "got its first response" :
	    "was resolved", when);
	if (n->url != NULL)
		buf_addf(&note, "\nHelpdesk: %s", n->url);
	buf_adds(out, "{\"source\":\"slatrack\",\"user\":");
	json_add_string_max(out, n->actor != NULL ? n->actor : "slatrack", 100);
	buf_adds(out, ",\"note\":");
	json_add_string_max(out, buf_str(&note), 25000);
	buf_adds(out, "}\n");
	if (buf_failed(&note))
		out->failed = 1;
	buf_release(&note);
}

static void opsgenie_create(const struct webhook_notice *n, const char *key,
			    const char *summary, struct buf *out)
{
	char created[CIVIL_ISO_LEN], deadline[CIVIL_ISO_LEN], remaining[TIMEFMT_LEN];
	struct buf msg = BUF_INIT, desc = BUF_INIT;
	int breach = n->threshold >= 100;

	civil_format_utc(n->created_at, created);
	civil_format_utc(n->deadline_at, deadline);
	ticketfmt_work(n->remaining_s < 0 ? -n->remaining_s : n->remaining_s, remaining);
	if (breach)
		buf_addf(&msg, "SLA breached: %s %s", key, summary);
	else
		buf_addf(&msg, "SLA %d%% used: %s %s", n->threshold, key, summary);
	if (n->url != NULL)
		buf_addf(&desc, "Helpdesk: %s\n", n->url);
	buf_addf(&desc, "%s %s ticket %s of partner %s (%s): %s\n"
	    "Assignee: %s\nCreated: %s\nDeadline: %s\n%s %s working time\n\nOpen it: %s\n",
	    breach ? "Breached:" : "At risk:", n->severity, key, n->partner_name,
	    n->partner_key, summary, n->assignee ? n->assignee : "(unassigned)",
	    created, deadline, breach ? "Overdue by" : "Remaining:", remaining,
	    n->open_command);
	buf_adds(out, "{\"message\":");
	json_add_string_max(out, buf_str(&msg), OPSGENIE_MESSAGE_MAX);
	buf_adds(out, ",\"alias\":");
	json_add_string_max(out, n->alias, 512);
	buf_adds(out, ",\"description\":");
	json_add_string_max(out, buf_str(&desc), 15000);
	buf_adds(out, ",\"priority\":");
	webhook_json_string(out, n->priority != NULL ? n->priority : "P3");
	buf_addf(out, ",\"source\":\"slatrack\",\"tags\":[\"slatrack\",\"%s\",",
	    breach ? "sla-breach" : "sla-threshold");
	json_add_string_max(out, n->partner_key, 50);
	buf_adds(out, "],\"entity\":");
	json_add_string_max(out, key, 512);
	buf_adds(out, ",\"details\":{\"ticket\":");
	webhook_json_string(out, key);
	buf_adds(out, ",\"partner\":");
	webhook_json_string(out, n->partner_key);
	buf_adds(out, ",\"severity\":");
	webhook_json_string(out, n->severity);
	buf_addf(out, ",\"threshold\":\"%d\",\"deadline\":\"%s\"", n->threshold, deadline);
	if (n->url != NULL) {
		buf_adds(out, ",\"helpdesk_url\":");
		webhook_json_string(out, n->url);
	}
	buf_adds(out, "}}\n");
	if (buf_failed(&msg) || buf_failed(&desc))
		out->failed = 1;
	buf_release(&msg);
	buf_release(&desc);
}

int webhook_payload(const struct webhook_target *t, const struct webhook_notice *n,
		    struct buf *out, struct diag *d)
{
	char keybuf[32];
	const char *key = n->key;
	char *summary = one_line(n->summary);

	if (summary == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (key == NULL) {
		snprintf(keybuf, sizeof keybuf, "#%lld", (long long)n->ticket_id);
		key = keybuf;
	}
	if (t->format == WEBHOOK_GENERIC)
		generic_payload(n, key, out);
	else if (n->threshold > 100)
		opsgenie_close(n, key, out);
	else
		opsgenie_create(n, key, summary, out);
	free(summary);
	if (buf_failed(out))
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

void webhook_priority_body(struct buf *out, const char *priority)
{
	buf_adds(out, "{\"priority\":");
	webhook_json_string(out, priority);
	buf_adds(out, "}\n");
}

void webhook_alert_url(const struct webhook_target *t, const char *alias,
		       const char *action, struct buf *out)
{
	size_t l = strcspn(t->url, "?#");

	while (l > 0 && t->url[l - 1] == '/')
		l--;
	buf_add(out, t->url, l);
	buf_addc(out, '/');
	for (const unsigned char *p = (const unsigned char *)alias; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			buf_addc(out, (char)*p);
		else
			buf_addf(out, "%%%02X", *p);
	}
	buf_addf(out, "/%s?identifierType=alias", action);
}

/* ---- POST ------------------------------------------------------------------ */

struct post_state {
	const char *body;
	size_t len, off;
	char answer[256];
	size_t alen;
};

static size_t on_read(char *dst, size_t size, size_t n, void *arg)
{
	struct post_state *st = arg;
	size_t room = size * n, left = st->len - st->off;

	if (room > left)
		room = left;
	memcpy(dst, st->body + st->off, room);
	st->off += room;
	return room;
}

static size_t on_write(char *data, size_t size, size_t n, void *arg)
{
	struct post_state *st = arg;
	size_t len = size * n;

	for (size_t i = 0; i < len && st->alen + 1 < sizeof st->answer; i++) {
		unsigned char c = (unsigned char)data[i];

		st->answer[st->alen++] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
	}
	st->answer[st->alen] = '\0';
	return len;
}

static void mask(char *s, const char *w, size_t l)
{
	if (l == 0)
		return;
	for (char *q = s; *q != '\0'; q++)
		if (strncmp(q, w, l) == 0)
			memset(q, '*', l);
}

/* Masks the authorization value, and each long word of it (a server
 * echoing the KEY of "GenieKey KEY"), wherever it appears in s. */
static void redact(char *s, const char *secret)
{
	if (secret == NULL)
		return;
	mask(s, secret, strlen(secret));
	for (const char *w = secret; *w != '\0';) {
		size_t l = strcspn(w, " \t");

		if (l >= 8)
			mask(s, w, l);
		w += l;
		while (*w == ' ' || *w == '\t')
			w++;
	}
}

int webhook_post(const struct webhook_target *t, const char *body, size_t len,
		 char reply[512], struct diag *d)
{
	return webhook_request(t, "POST", NULL, body, len, reply, d);
}

int webhook_request(const struct webhook_target *t, const char *method, const char *url,
		    const char *body, size_t len, char reply[512], struct diag *d)
{
	struct post_state st;
	struct curl_slist *headers = NULL, *h2;
	char errbuf[CURL_ERROR_SIZE];
	long status = 0;
	int plain, rc = -1;
	CURLcode cc;
	CURL *h;

	if (reply != NULL)
		reply[0] = '\0';
	if (url == NULL)
		url = t->url;
	if (webhook_check_url(url, d) < 0)
		return -1;
	plain = strncasecmp(url, "http:", 5) == 0;	/* loopback, checked above */
	if ((h = curl_easy_init()) == NULL)
		return diag_set(d, DIAG_NET, "%s: cannot initialise libcurl", url);
	memset(&st, 0, sizeof st);
	st.body = body;
	st.len = len;
	errbuf[0] = '\0';
	if ((h2 = curl_slist_append(headers, "Content-Type: application/json")) != NULL)
		headers = h2;
	if (t->authorization != NULL) {
		struct buf a = BUF_INIT;

		buf_addf(&a, "Authorization: %s", t->authorization);
		if (!buf_failed(&a) && strpbrk(buf_str(&a), "\r\n") == NULL &&
		    (h2 = curl_slist_append(headers, buf_str(&a))) != NULL)
			headers = h2;
		memset(a.data, 0, a.len);
		buf_release(&a);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, plain ? "http" : "https");
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &st);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &st);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, t->timeout_s < 10 ? t->timeout_s : 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, t->timeout_s);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "slatrack/" SLATRACK_VERSION);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	if (plain)
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	if (t->cafile != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, t->cafile);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	redact(st.answer, t->authorization);
	redact(errbuf, t->authorization);
	if (cc != CURLE_OK) {
		const char *what = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc);

		if (reply != NULL)
			snprintf(reply, 512, "%s", what);
		diag_set(d, DIAG_NET, "%s: %s%s", url, what,
		    cc == CURLE_OPERATION_TIMEDOUT ? " (no answer in time)" : "");
	} else if (status < 200 || status > 299) {
		if (reply != NULL)
			snprintf(reply, 512, "HTTP %ld%s%s", status, st.alen ? ": " : "",
			    st.answer);
		diag_set(d, DIAG_NET, "%s: HTTP %ld%s%s", url, status, st.alen ? ": " : "",
		    st.answer);
	} else {
		if (reply != NULL)
			snprintf(reply, 512, "HTTP %ld", status);
		rc = 0;
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return rc;
}
